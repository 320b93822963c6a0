//! `plotwise backup` and `plotwise restore`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use plotwise_server::backup;

use crate::Failure;

#[derive(Args)]
pub struct BackupArgs {
    /// The database to copy (it may be in use by a running server).
    #[arg(long, default_value = "plotwise.db")]
    db: PathBuf,
    /// The new file to write (never overwritten).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// The snapshot made by `plotwise backup`.
    snapshot: PathBuf,
    /// The database to replace (stop the server first).
    #[arg(long, default_value = "plotwise.db")]
    db: PathBuf,
    /// Restore even a snapshot older than the database's last ballot (its later ballots are
    /// lost and their tokens become valid again).
    #[arg(long)]
    force: bool,
}

/// `plotwise backup` and `restore` are SQLite's: a PostgreSQL database is backed up with
/// PostgreSQL's own tools.
fn sqlite_only(db: &std::path::Path) -> Result<(), Failure> {
    let s = db.to_string_lossy();
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        return Err(anyhow::anyhow!(
            "--db {}: plotwise backup and restore work on an SQLite file; back up a PostgreSQL \
             database with pg_dump (or pg_basebackup and WAL archiving) and restore it with \
             pg_restore, with the servers stopped",
            s.split('@').next_back().unwrap_or_default()
        )
        .into());
    }
    Ok(())
}

pub fn backup(args: BackupArgs) -> Result<(), Failure> {
    sqlite_only(&args.db)?;
    let r = backup::backup(&args.db, &args.output).with_context(|| {
        format!(
            "{}: cannot back up to {}",
            args.db.display(),
            args.output.display()
        )
    })?;
    println!(
        "{}: {} bytes, {} ballots, in {:.2} s",
        args.output.display(),
        r.bytes,
        r.ballots,
        r.elapsed.as_secs_f64()
    );
    Ok(())
}

pub fn restore(args: RestoreArgs) -> Result<(), Failure> {
    sqlite_only(&args.db)?;
    let r = backup::restore(&args.snapshot, &args.db, args.force).with_context(|| {
        format!(
            "{}: not restored into {}",
            args.snapshot.display(),
            args.db.display()
        )
    })?;
    if r.lost_ballots > 0 || r.revived_tokens > 0 {
        println!(
            "{}: restored from {} with --force: {} ballots lost, {} spent tokens valid again",
            args.db.display(),
            args.snapshot.display(),
            r.lost_ballots,
            r.revived_tokens
        );
    } else {
        println!(
            "{}: restored from {} ({} ballots)",
            args.db.display(),
            args.snapshot.display(),
            r.ballots
        );
    }
    Ok(())
}
