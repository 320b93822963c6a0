//! `plotwise`: the one binary.
//!
//! It serves the app (`serve`), backs its database up and restores it (`backup`, `restore`),
//! imports, checks and exports layouts (`import`, `check`, `export`), measures sun and shade
//! (`sun`) and counts votes (`tally`, `resolve`), per the command-line contract in
//! DESIGN.md. It is glue: argument parsing, file reading and writing, and exit codes; the work
//! is done by `plotwise-plan`, `plotwise-vote` and `plotwise-server`.
//!
//! Exit codes: 0 when the command did its job, whatever it found; 1 for `check --fail-on`
//! when such findings exist; 2 on bad input, with one line naming the file, line or field.

mod db_cmds;
mod export_cmd;
mod plan_cmds;
mod serve;
mod sun_cmd;
mod vote_cmds;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "plotwise",
    version,
    about = "Plan small shared spaces and decide on them together."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the JSON API.
    Serve(serve::ServeArgs),
    /// Copy the database consistently, also while the server runs.
    Backup(db_cmds::BackupArgs),
    /// Replace the database by a backup (refuses one older than the last ballot).
    Restore(db_cmds::RestoreArgs),
    /// Import a GeoJSON layout, WKT or DXF boundary into a layout document.
    Import(plan_cmds::ImportArgs),
    /// Check a layout: findings and metrics as JSON on stdout.
    Check(plan_cmds::CheckArgs),
    /// Hours of direct sun at points or on a grid over the plot, from the buildings around it.
    Sun(sun_cmd::SunArgs),
    /// Export a layout as SVG, PDF, DXF, GeoJSON or a CSV bill of quantities.
    Export(export_cmd::ExportArgs),
    /// Count ballots (PrefLib or CSV) with a voting method.
    Tally(vote_cmds::TallyArgs),
    /// Decide a formal resolution (yes/no/abstain) under a rule such as art278-major.
    Resolve(vote_cmds::ResolveArgs),
}

/// A command's failure: bad input (exit 2, one line) or a finding that `--fail-on` asked
/// to turn into exit 1.
#[derive(Debug)]
enum Failure {
    /// Bad input or a failed operation: exit code 2 with this one-line message.
    BadInput(anyhow::Error),
    /// `check --fail-on`: findings of that severity exist.
    Findings,
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::BadInput(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Backup(args) => db_cmds::backup(args),
        Command::Restore(args) => db_cmds::restore(args),
        Command::Import(args) => plan_cmds::import(args),
        Command::Check(args) => plan_cmds::check(args),
        Command::Sun(args) => sun_cmd::sun(args),
        Command::Export(args) => export_cmd::export(args),
        Command::Tally(args) => vote_cmds::tally(args),
        Command::Resolve(args) => vote_cmds::resolve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Findings) => ExitCode::from(1),
        Err(Failure::BadInput(e)) => {
            // One line: the chain of causes, outermost first.
            let line = format!("{e:#}").replace('\n', " ");
            eprintln!("plotwise: {line}");
            ExitCode::from(2)
        }
    }
}
