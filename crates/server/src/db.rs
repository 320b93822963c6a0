//! The SQLite database: opening, pragmas and schema migrations.
//!
//! Only this crate knows the database. Every schema change is a numbered SQL file in
//! `migrations/`, applied once, in order, inside a transaction that also sets
//! `PRAGMA user_version`, so a database is always at a known version.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

/// The migrations, in order. The schema version of a database is the number applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    (
        "0002_consultations",
        include_str!("../migrations/0002_consultations.sql"),
    ),
    (
        "0003_sealed_ballot_box",
        include_str!("../migrations/0003_sealed_ballot_box.sql"),
    ),
    (
        "0004_hardening",
        include_str!("../migrations/0004_hardening.sql"),
    ),
];

/// Below this much free space on the database's disk the health check says `degraded`.
pub const MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

/// The schema version this build migrates databases to.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database was written by a newer Plotwise than this one.
    #[error("the database is at schema version {found}, newer than this server's {supported}")]
    TooNew {
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The connection's lock was poisoned by a panic in another request.
    #[error("the database connection is unusable after an earlier failure")]
    Poisoned,
}

/// A shared handle to the database.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    /// The database file (`None` in memory), for the free-space check.
    path: Option<Arc<std::path::PathBuf>>,
    vacuum_fault: Arc<std::sync::atomic::AtomicBool>,
}

impl Db {
    /// Opens (creating if needed) the database file at `path`, switches it to WAL mode and
    /// applies any pending migrations.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        Self::init(Connection::open(path)?, Some(path.to_path_buf()))
    }

    /// Opens a private in-memory database, migrated, for tests.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<std::path::PathBuf>) -> Result<Self, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a commit is on disk (the WAL fsync'd) before it returns, so a ballot is durable
        // before it is acknowledged. Group commit (see `ballots`) keeps this fast.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Deleted content is overwritten with zeros, not left in free space.
        conn.pragma_update(None, "secure_delete", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: path.map(Arc::new),
            vacuum_fault: Arc::default(),
        })
    }

    /// Fault injection for tests: the next VACUUM of the count fails as on a full disk.
    /// Nothing in the server calls it; no request can reach it.
    #[doc(hidden)]
    pub fn fail_next_vacuum(&self) {
        self.vacuum_fault
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether a VACUUM fault was injected (and clears it).
    pub(crate) fn take_vacuum_fault(&self) -> bool {
        self.vacuum_fault
            .swap(false, std::sync::atomic::Ordering::SeqCst)
    }

    /// Locks the connection for one unit of work. Call it from blocking code
    /// (`tokio::task::spawn_blocking`), never while holding it across an `.await`.
    ///
    /// A panic while another request held the lock does not make the database unusable:
    /// its transaction was rolled back as the panic unwound (rusqlite's `Transaction` rolls
    /// back on drop), and if one is still open it is rolled back here.
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
            std::path::PathBuf::from(".")
        } else {
            dir
        };
        free_space(&dir)
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

/// The server's secret key for ballot-token HMACs: 32 random bytes made on first use and
/// kept in the `meta` table.
pub(crate) fn ballot_key(conn: &Connection) -> Result<[u8; 32], DbError> {
    let fresh = hex::encode(crate::util::random_bytes::<32>());
    conn.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('ballot_hmac_key', ?1)",
        [fresh],
    )?;
    let stored: String = conn.query_row(
        "SELECT value FROM meta WHERE key = 'ballot_hmac_key'",
        [],
        |r| r.get(0),
    )?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(stored, &mut key)
        .map_err(|_| DbError::Sqlite(rusqlite::Error::InvalidQuery))?;
    Ok(key)
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

/// The health check: a real write (the probe row, committed like a ballot), the schema
/// version and journal mode, and the free space on the database's disk.
pub fn health(
    conn: &mut Connection,
    free_bytes: Option<u64>,
) -> Result<plotwise_api::DatabaseHealth, DbError> {
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let journal_mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
    let sqlite_version: String = conn.query_row("SELECT sqlite_version()", [], |row| row.get(0))?;
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
            storage_words(&e)
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

/// A storage failure in plain words: a full disk, a read-only disk, a disk error, or
/// SQLite's own message.
pub(crate) fn storage_words(e: &rusqlite::Error) -> String {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "the disk is full".into(),
        Some(ErrorCode::ReadOnly) => "the database or its disk is read-only".into(),
        Some(ErrorCode::SystemIoFailure) => "the disk reported an error".into(),
        Some(ErrorCode::CannotOpen) => "the database file cannot be opened".into(),
        Some(ErrorCode::DatabaseCorrupt) => "the database file is damaged".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_migrated_to_the_current_version_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        let db = Db::open(&path).unwrap();
        let h = health(&mut db.lock().unwrap(), db.free_bytes()).unwrap();
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
