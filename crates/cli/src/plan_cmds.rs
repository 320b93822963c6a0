//! `plotwise import`, `check` and `export`: glue around `plotwise-plan`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::Failure;

#[derive(Args)]
pub struct ImportArgs {
    /// A GeoJSON layout (.geojson/.json), a WKT boundary (.wkt) or a DXF boundary (.dxf).
    input: PathBuf,
    /// Where to write the layout document (default: stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct CheckArgs {
    /// A layout document (or a GeoJSON layout).
    layout: PathBuf,
    /// Exit with code 1 when findings of this severity (or worse) exist.
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

pub fn import(args: ImportArgs) -> Result<(), Failure> {
    let _ = (args.input, args.output);
    Err(anyhow::anyhow!("import: not built yet (issue 3)").into())
}

pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let _ = (args.layout, args.fail_on);
    Err(anyhow::anyhow!("check: not built yet (issue 3)").into())
}
