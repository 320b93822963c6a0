//! `plotwise import` and `check`: glue around `plotwise-plan`.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow};
use clap::{Args, ValueEnum};
use plotwise_plan::import::wkt::WktUnits;
use plotwise_plan::{Catalogue, Layout, LayoutDocument, RuleSet, Severity};

use crate::Failure;

#[derive(Args)]
pub struct ImportArgs {
    /// A GeoJSON layout (.geojson/.json), a WKT boundary (.wkt) or a DXF boundary (.dxf).
    input: PathBuf,
    /// Where to write the layout document (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// For WKT: whether coordinates are metres or WGS84 (default: decided from the numbers).
    #[arg(long, value_enum, default_value_t = WktCrs::Auto)]
    wkt_crs: WktCrs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum WktCrs {
    Auto,
    Metres,
    Wgs84,
}

#[derive(Args)]
pub struct CheckArgs {
    /// A layout document (or a GeoJSON layout).
    layout: PathBuf,
    /// Exit with code 1 when findings of this severity (or worse) exist.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// A rule set (JSON; missing fields take DESIGN.md's defaults).
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Catalogue overrides (JSON with `items`, `surfaces`, `default_surfaces`), applied on top
    /// of the built-in catalogue.
    #[arg(long)]
    catalogue: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

pub fn import(args: ImportArgs) -> Result<(), Failure> {
    let input = &args.input;
    let layout = match extension(input).as_str() {
        "wkt" => {
            let units = match args.wkt_crs {
                WktCrs::Auto => WktUnits::Auto,
                WktCrs::Metres => WktUnits::Metres,
                WktCrs::Wgs84 => WktUnits::Wgs84,
            };
            plotwise_plan::import::wkt::import_boundary(&read(input)?, units)
                .map_err(|e| bilingual(input, e.message()))?
        }
        "dxf" => {
            // DXF may be binary, or text in an old code page: read bytes, not UTF-8.
            let bytes = std::fs::read(input)
                .map_err(|e| anyhow!("{}: cannot read: {e}", input.display()))?;
            plotwise_plan::import::dxf::import_boundary(&bytes)
                .map_err(|e| bilingual(input, e.message()))?
        }
        _ => plotwise_plan::import::geojson::import_layout(&read(input)?)
            .map_err(|e| bilingual(input, e.message()))?,
    };
    let json = LayoutDocument::new(layout).to_json();
    write_out(args.output.as_deref(), &json)
}

pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let layout = load_layout(&args.layout)?;
    let rules = match &args.rules {
        None => RuleSet::default(),
        Some(p) => RuleSet::from_json(&read(p)?).map_err(|e| anyhow!("{}: {e}", p.display()))?,
    };
    let catalogue = match &args.catalogue {
        None => Catalogue::builtin(),
        Some(p) => Catalogue::builtin()
            .with_overrides(&read(p)?)
            .map_err(|e| anyhow!("{}: {e}", p.display()))?,
    };
    let report = plotwise_plan::evaluate(&layout, &rules, &catalogue);
    let json = serde_json::to_string_pretty(&report).context("serialising the report")?;
    print_stdout(&json)?;
    let threshold = match args.fail_on {
        None => return Ok(()),
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
    };
    if report.findings.iter().any(|f| f.severity >= threshold) {
        return Err(Failure::Findings);
    }
    Ok(())
}

/// Reads a layout document (any schema version) or a GeoJSON layout.
pub(crate) fn load_layout(path: &Path) -> Result<Layout, Failure> {
    let text = read(path)?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{}: not valid JSON: {e} / 不是有效的 JSON", path.display()))?;
    let is_geojson = matches!(
        value.get("type").and_then(|t| t.as_str()),
        Some("FeatureCollection" | "Feature" | "Polygon" | "MultiPolygon")
    );
    if is_geojson {
        return plotwise_plan::import::geojson::import_layout(&text)
            .map_err(|e| bilingual(path, e.message()).into());
    }
    LayoutDocument::from_value(value)
        .map(|d| d.layout)
        .map_err(|e| bilingual(path, e.message()).into())
}

/// One line: the file, then the message in English and Chinese.
pub(crate) fn bilingual(path: &Path, m: plotwise_plan::Text) -> anyhow::Error {
    anyhow!("{}: {} / {}", path.display(), m.en, m.zh)
}

pub(crate) fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| anyhow!("{}: cannot read: {e} / 无法读取文件", path.display()).into())
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

pub(crate) fn write_out(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        None => print_stdout(text),
        Some(p) => std::fs::write(p, format!("{text}\n"))
            .map_err(|e| anyhow!("{}: cannot write: {e} / 无法写入文件", p.display()).into()),
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not an error.
fn print_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(anyhow!("cannot write to stdout: {e}").into())
        }
        _ => Ok(()),
    }
}
