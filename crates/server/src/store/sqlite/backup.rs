//! Backups of the database, consistent while the server runs, and restores that will not
//! silently bring spent ballot tokens back to life.
//!
//! `plotwise backup` copies the database with SQLite's online backup API in one step, inside
//! one read transaction, so the copy is the database as of one commit (the WAL included:
//! copying `plotwise.db` by hand during a vote misses what is still in `plotwise.db-wal`).
//!
//! `plotwise restore` refuses a snapshot that is older than the live database's last ballot:
//! restoring it would lose those ballots and make their tokens valid again, so the same units
//! could vote twice. With `--force` it restores anyway and says how many ballots and tokens
//! that loses. Stop the server before restoring.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::Db;
use crate::store::{DbError, SCHEMA_VERSION};

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// SQLite failed.
    #[error("{0}")]
    Db(#[from] DbError),
    /// SQLite failed.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The output file exists already.
    #[error("{0} exists already; choose a new file name (a backup never overwrites)")]
    Exists(String),
    /// The snapshot is not a sound Plotwise database.
    #[error("not a sound Plotwise database: {0}")]
    NotPlotwise(String),
    /// The snapshot is older than the live database.
    #[error(
        "this snapshot is older than the database: restoring it loses {ballots} ballots and makes \
         {tokens} spent ballot tokens valid again; add --force to restore it anyway"
    )]
    Older {
        /// Ballots the live database has that the snapshot lacks.
        ballots: i64,
        /// Tokens spent in the live database and unspent in the snapshot.
        tokens: i64,
    },
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// Bytes written.
    pub bytes: u64,
    /// Ballots accepted up to the snapshot.
    pub ballots: i64,
    /// How long it took.
    pub elapsed: Duration,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Ballots in the restored database.
    pub ballots: i64,
    /// Ballots the live database had that were lost (only with `force`).
    pub lost_ballots: i64,
    /// Spent tokens made valid again (only with `force`).
    pub revived_tokens: i64,
}

/// The number of ballots (and paper marks) a database has accepted since it was created.
fn ballots_accepted(conn: &Connection, schema: &str) -> Result<i64, rusqlite::Error> {
    let v: Option<String> = conn
        .query_row(
            &format!("SELECT value FROM {schema}.meta WHERE key = 'ballots_accepted'"),
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Copies the database at `db` to the new file `out`, consistently, while a server may be
/// writing to it.
pub fn backup(db: &Path, out: &Path) -> Result<BackupReport, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let started = Instant::now();
    // Opening migrates an old file first, so the copy is at this server's schema.
    let live = Db::open(db)?;
    let src = live.lock()?;
    let mut dst = Connection::open(out)?;
    {
        let b = Backup::new(&src, &mut dst)?;
        // All pages in one step: one read transaction, one commit's state.
        loop {
            match b.step(-1)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    // The copy is a complete file of its own (no WAL beside it).
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    let ballots = ballots_accepted(&dst, "main")?;
    drop(dst);
    Ok(BackupReport {
        bytes: std::fs::metadata(out).map_or(0, |m| m.len()),
        ballots,
        elapsed: started.elapsed(),
    })
}

/// Checks a snapshot: SQLite's integrity check, and a Plotwise schema this server knows.
fn check_snapshot(snapshot: &Path) -> Result<(), BackupError> {
    let conn = Connection::open_with_flags(snapshot, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| BackupError::NotPlotwise(e.to_string()))?;
    if ok != "ok" {
        return Err(BackupError::NotPlotwise(ok));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == 0 || version > SCHEMA_VERSION {
        return Err(BackupError::NotPlotwise(format!(
            "schema version {version}; this server knows 1 to {SCHEMA_VERSION}"
        )));
    }
    Ok(())
}

/// Replaces the database at `db` by `snapshot`, unless the snapshot is older than the
/// database's last ballot (then only with `force`).
pub fn restore(snapshot: &Path, db: &Path, force: bool) -> Result<RestoreReport, BackupError> {
    check_snapshot(snapshot)?;
    let (mut lost_ballots, mut revived_tokens) = (0, 0);
    if db.exists() {
        let live = Db::open(db)?;
        let conn = live.lock()?;
        conn.execute(
            "ATTACH DATABASE ?1 AS snap",
            [snapshot.to_string_lossy().as_ref()],
        )?;
        let has_counter: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM snap.sqlite_schema WHERE name = 'meta')",
            [],
            |r| r.get(0),
        )?;
        let theirs = if has_counter {
            ballots_accepted(&conn, "snap")?
        } else {
            0
        };
        let ours = ballots_accepted(&conn, "main")?;
        lost_ballots = (ours - theirs).max(0);
        let snap_has_tokens: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM snap.sqlite_schema WHERE name = 'tokens')",
            [],
            |r| r.get(0),
        )?;
        revived_tokens = if snap_has_tokens {
            conn.query_row(
                "SELECT count(*) FROM main.tokens l JOIN snap.tokens s ON s.hmac = l.hmac
                 WHERE l.used = 1 AND s.used = 0",
                [],
                |r| r.get(0),
            )?
        } else {
            0
        };
        conn.execute("DETACH DATABASE snap", [])?;
        if (lost_ballots > 0 || revived_tokens > 0) && !force {
            return Err(BackupError::Older {
                ballots: lost_ballots,
                tokens: revived_tokens,
            });
        }
    }
    {
        let mut dst = Connection::open(db)?;
        dst.restore(
            rusqlite::MAIN_DB,
            snapshot,
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        dst.pragma_update(None, "journal_mode", "WAL")?;
    }
    // Opening migrates a snapshot from an older server.
    let restored = Db::open(db)?;
    let ballots = ballots_accepted(&*restored.lock()?, "main")?;
    Ok(RestoreReport {
        ballots,
        lost_ballots,
        revived_tokens,
    })
}
