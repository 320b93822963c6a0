//! The SQLite backend: one connection behind a mutex, WAL mode with `synchronous=FULL`,
//! migrations by `PRAGMA user_version`, and what only SQLite has (the online backup in
//! [`backup`], VACUUM and the truncating WAL checkpoint of the count).
//!
//! Every schema change is a numbered SQL file in `migrations/sqlite/`, applied once, in
//! order, inside a transaction that also sets `PRAGMA user_version`.

pub mod backup;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{DbError, Dialect, MIN_FREE_BYTES, Mode, P, Row, SCHEMA_VERSION, Tx, Value};
use crate::error::AppError;

/// The migrations, in order. The schema version of a database is the number applied.
const MIGRATIONS: [(&str, &str); SCHEMA_VERSION as usize] = [
    (
        "0001_init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        "0002_consultations",
        include_str!("../../migrations/sqlite/0002_consultations.sql"),
    ),
    (
        "0003_sealed_ballot_box",
        include_str!("../../migrations/sqlite/0003_sealed_ballot_box.sql"),
    ),
    (
        "0004_hardening",
        include_str!("../../migrations/sqlite/0004_hardening.sql"),
    ),
    (
        "0005_instances",
        include_str!("../../migrations/sqlite/0005_instances.sql"),
    ),
];

/// The SQLite database: one connection, shared.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// The database file (`None` in memory), for the free-space check.
    path: Option<Arc<PathBuf>>,
}

impl Db {
    /// Opens (creating if needed) the database file at `path`, switches it to WAL mode and
    /// applies any pending migrations.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        Self::init(Connection::open(path)?, Some(path.to_path_buf()))
    }

    /// Opens a private in-memory database, migrated.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit is on disk (the WAL fsync'd) before it returns, so a ballot is durable
        // before it is acknowledged. Group commit (the ballot writer) keeps this fast.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Deleted content is overwritten with zeros, not left in free space.
        conn.pragma_update(None, "secure_delete", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(128);
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: path.map(Arc::new),
        })
    }

    /// Locks the connection for one unit of work. Call it from blocking code, never while
    /// holding it across an `.await`.
    ///
    /// A panic while another request held the lock does not make the database unusable: a
    /// transaction it left open is rolled back here.
    pub fn lock(&self) -> Result<MutexGuard<'_, Connection>, DbError> {
        match self.conn.lock() {
            Ok(g) => Ok(g),
            Err(poisoned) => {
                let conn = poisoned.into_inner();
                self.conn.clear_poison();
                if !conn.is_autocommit() {
                    conn.execute_batch("ROLLBACK")?;
                }
                tracing::warn!("recovered the database connection after a panic");
                Ok(conn)
            }
        }
    }

    /// Free bytes on the disk of the database file, when it is a file.
    pub fn free_bytes(&self) -> Option<u64> {
        let dir = self.path.as_ref()?.parent()?.to_path_buf();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        free_space(&dir)
    }

    /// Runs `f` in one transaction on the locked connection.
    pub(super) fn run<T>(
        &self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.lock()?;
        conn.execute_batch(match mode {
            Mode::Read => "BEGIN DEFERRED",
            Mode::Write => "BEGIN IMMEDIATE",
        })
        .map_err(DbError::from)?;
        let out = f(&mut SqliteTx(&mut conn));
        match out {
            Ok(v) => match conn.execute_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    if !conn.is_autocommit() {
                        let _ = conn.execute_batch("ROLLBACK");
                    }
                    Err(DbError::from(e).into())
                }
            },
            Err(e) => {
                // A full disk or an I/O error may have rolled back already.
                if !conn.is_autocommit() {
                    conn.execute_batch("ROLLBACK").map_err(DbError::from)?;
                }
                Err(e)
            }
        }
    }

    /// The health check: a real write (the probe row, committed like a ballot), the schema
    /// version and journal mode, and the free space on the database's disk.
    pub(super) fn health(&self) -> Result<plotwise_api::DatabaseHealth, DbError> {
        let free_bytes = self.free_bytes();
        let mut conn = self.lock()?;
        let schema_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let journal_mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        let sqlite_version: String = conn.query_row("SELECT sqlite_version()", [], |r| r.get(0))?;
        let probe = (|| -> Result<(), rusqlite::Error> {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "UPDATE health SET at = ?1 WHERE id = 1",
                [crate::util::now_unix()],
            )?;
            tx.commit()
        })();
        let reason = match (probe, free_bytes) {
            (Err(e), _) => Some(format!(
                "the database cannot be written: {}",
                storage_words(&e).unwrap_or_else(|| e.to_string())
            )),
            (Ok(()), Some(free)) if free < MIN_FREE_BYTES => Some(format!(
                "only {} MB free on the database's disk (at least {} MB needed)",
                free / 1_000_000,
                MIN_FREE_BYTES / 1_000_000
            )),
            (Ok(()), _) => None,
        };
        Ok(plotwise_api::DatabaseHealth {
            ok: reason.is_none(),
            reason,
            free_bytes,
            schema_version,
            journal_mode,
            sqlite_version,
        })
    }

    /// The count's rewrite.
    ///
    /// While ballots arrive SQLite places each new row in the free space of its page, so the
    /// physical layout of a page and the WAL's frames follow arrival order, and the WAL keeps
    /// the erased envelopes' old pages. VACUUM rewrites every table in key order (ballots by
    /// random id, participation by unit) and the truncating checkpoint drops the WAL's
    /// history; with `secure_delete` freed pages are zeroed.
    pub(super) fn forget_arrival_order(&self) -> Result<(), DbError> {
        let conn = self.lock()?;
        conn.execute_batch("VACUUM")?;
        checkpoint(&conn)
    }

    /// A truncating checkpoint that must complete.
    pub(super) fn checkpoint(&self) -> Result<(), DbError> {
        checkpoint(&*self.lock()?)
    }
}

/// A truncating checkpoint that must complete: `busy` or frames left behind are errors.
fn checkpoint(conn: &Connection) -> Result<(), DbError> {
    let (busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    // In memory there is no WAL: the checkpoint reports busy = 0 and -1 frames.
    if busy != 0 || log != done {
        return Err(DbError::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(format!(
                "the WAL could not be emptied (busy {busy}, {log} frames, {done} checkpointed): another reader holds it"
            )),
        )));
    }
    Ok(())
}

/// A transaction on the locked connection.
struct SqliteTx<'a>(&'a mut Connection);

fn bind(st: &mut rusqlite::CachedStatement<'_>, params: &[P<'_>]) -> Result<(), DbError> {
    for (i, p) in params.iter().enumerate() {
        let i = i + 1;
        match *p {
            P::I(v) => st.raw_bind_parameter(i, v)?,
            P::T(v) => st.raw_bind_parameter(i, v)?,
            P::B(v) => st.raw_bind_parameter(i, v)?,
            P::Bool(v) => st.raw_bind_parameter(i, v)?,
            P::OptI(v) => st.raw_bind_parameter(i, v)?,
            P::OptT(v) => st.raw_bind_parameter(i, v)?,
            P::OptB(v) => st.raw_bind_parameter(i, v)?,
            P::BlobList(_) => {
                return Err(DbError::Type(
                    "SQLite has no list parameters: one statement per value".into(),
                ));
            }
        }
    }
    Ok(())
}

impl Tx for SqliteTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, DbError> {
        let mut st = self.0.prepare_cached(&super::numbered_to_sqlite(sql))?;
        bind(&mut st, params)?;
        Ok(st.raw_execute()? as u64)
    }

    fn query(&mut self, sql: &str, params: &[P<'_>]) -> Result<Vec<Row>, DbError> {
        let mut st = self.0.prepare_cached(&super::numbered_to_sqlite(sql))?;
        bind(&mut st, params)?;
        let n = st.column_count();
        let mut rows = st.raw_query();
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Real(v) => Value::Real(v),
                    ValueRef::Text(t) => Value::Text(
                        std::str::from_utf8(t)
                            .map_err(|e| DbError::Type(e.to_string()))?
                            .to_owned(),
                    ),
                    ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }
}

/// Applies every migration newer than the database's `user_version`.
fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(DbError::TooNew {
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        tracing::info!(migration = name, version, "applied database migration");
    }
    Ok(())
}

#[cfg(unix)]
fn free_space(dir: &Path) -> Option<u64> {
    let s = rustix::fs::statvfs(dir).ok()?;
    Some(s.f_bavail.saturating_mul(s.f_frsize))
}

#[cfg(not(unix))]
fn free_space(_dir: &Path) -> Option<u64> {
    None
}

/// A storage failure in plain words (a full disk, a read-only disk, a disk error, a file
/// that cannot be opened or is damaged); `None` for anything else.
pub(crate) fn storage_words(e: &rusqlite::Error) -> Option<String> {
    use rusqlite::ffi::ErrorCode;
    Some(match e.sqlite_error_code()? {
        ErrorCode::DiskFull => "the disk is full".into(),
        ErrorCode::ReadOnly => "the database or its disk is read-only".into(),
        ErrorCode::SystemIoFailure => "the disk reported an error".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_migrated_to_the_current_version_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let db = Db::open(&path).unwrap();
        let h = db.health().unwrap();
        assert!(h.free_bytes.is_some());
        assert_eq!(h.schema_version, SCHEMA_VERSION);
        assert_eq!(h.journal_mode, "wal");
        drop(db);
        // Opening again applies nothing and keeps the data.
        let db = Db::open(&path).unwrap();
        let created: String = db
            .lock()
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = 'created_at'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(created.starts_with("20"), "{created}");
    }

    #[test]
    fn a_database_from_a_newer_server_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        match Db::open(&path) {
            Err(DbError::TooNew { found, supported }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
            }
            other => panic!("expected TooNew, got {:?}", other.err()),
        }
    }
}
