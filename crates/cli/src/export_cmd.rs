//! `plotwise export`: glue around `plotwise-plan`'s exporters.
//!
//! Reads a layout document (or a GeoJSON layout), exports it with the built-in catalogue and
//! the default rule set, and writes the bytes unchanged to `-o FILE` or stdout.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, ValueEnum};
use plotwise_plan::export::ExportError;
use plotwise_plan::export::svg::BoardOptions;
use plotwise_plan::{Catalogue, Layout, RuleSet};

use crate::Failure;

#[derive(Args)]
pub struct ExportArgs {
    /// A layout document (or a GeoJSON layout).
    layout: PathBuf,
    /// The output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Where to write (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// SVG and PDF boards: add a layer of sun hours on the standard day (大寒, 08:00–16:00
    /// true solar time) on the rule set's grid (0.5 m).
    #[arg(long)]
    sun: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Svg,
    Pdf,
    Dxf,
    Geojson,
    Csv,
}

pub fn export(args: ExportArgs) -> Result<(), Failure> {
    let layout = crate::plan_cmds::load_layout(&args.layout)?;
    let bytes = render(&layout, args.format, &args.layout, args.sun)?;
    match &args.output {
        Some(p) => std::fs::write(p, &bytes)
            .map_err(|e| anyhow!("{}: cannot write: {e} / 无法写入文件", p.display()).into()),
        None => write_stdout(&bytes),
    }
}

/// The exported bytes; errors name the layout file (`path`).
fn render(
    layout: &Layout,
    format: ExportFormat,
    path: &Path,
    sun: bool,
) -> Result<Vec<u8>, Failure> {
    let catalogue = Catalogue::builtin();
    let rules = RuleSet::default();
    let failed = |e: ExportError| -> Failure {
        let m = e.message();
        anyhow!("{}: {} / {}", path.display(), m.en, m.zh).into()
    };
    if sun && !matches!(format, ExportFormat::Svg | ExportFormat::Pdf) {
        return Err(anyhow!(
            "--sun: only the SVG and PDF boards have a sun layer / 只有 SVG 与 PDF 展板有日照图层"
        )
        .into());
    }
    let sun_grid = if sun {
        let s = &rules.sunlight;
        let grid = s
            .window()
            .and_then(|w| plotwise_plan::sun::grid(layout, &w, s.grid_m))
            .map_err(|e| {
                let m = e.message();
                anyhow!("{}: --sun: {} / {}", path.display(), m.en, m.zh)
            })?;
        Some(grid)
    } else {
        None
    };
    let board = |catalogue: Catalogue, rules: RuleSet| BoardOptions {
        findings: plotwise_plan::rules::check(layout, &rules, &catalogue),
        catalogue,
        rules,
        sun: sun_grid.clone(),
        ..BoardOptions::default()
    };
    Ok(match format {
        ExportFormat::Svg => {
            plotwise_plan::export::svg::board_svg(layout, &board(catalogue, rules))
                .map_err(failed)?
                .into_bytes()
        }
        ExportFormat::Pdf => {
            let font_path = plotwise_server::layout_files::cjk_font_path();
            let font = std::fs::read(&font_path).map_err(|e| {
                anyhow!(
                    "{}: cannot read the CJK font for the PDF board: {e}; install fonts-wqy-microhei or set PLOTWISE_CJK_FONT / 无法读取 PDF 所需的中文字体",
                    font_path.display()
                )
            })?;
            plotwise_plan::export::pdf::board_pdf(layout, &board(catalogue, rules), &font)
                .map_err(failed)?
        }
        ExportFormat::Dxf => {
            plotwise_plan::export::dxf::layout_dxf(layout, &catalogue).map_err(failed)?
        }
        ExportFormat::Geojson => plotwise_plan::export::geojson::layout_geojson(layout)
            .map_err(failed)?
            .into_bytes(),
        ExportFormat::Csv => {
            plotwise_plan::export::csv::bill_of_quantities_csv(layout, &rules, &catalogue)
                .into_bytes()
        }
    })
}

/// Writes bytes to stdout unchanged; a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow!("cannot write to stdout: {e}").into())
        }
        _ => Ok(()),
    }
}
