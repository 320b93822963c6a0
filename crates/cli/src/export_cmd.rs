//! `plotwise export`: glue around `plotwise-plan`'s exporters.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

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
    let _ = (args.layout, args.format, args.output);
    Err(anyhow::anyhow!("export: not built yet (issue 3)").into())
}
