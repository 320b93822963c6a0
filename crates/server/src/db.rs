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
];

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
    vacuum_fault: Arc<std::sync::atomic::AtomicBool>,
}

impl Db {
    /// Opens (creating if needed) the database file at `path`, switches it to WAL mode and
    /// applies any pending migrations.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        Self::init(Connection::open(path)?)
    }

    /// Opens a private in-memory database, migrated, for tests.
    pub fn open_in_memory() -> Result<Self, DbError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self, DbError> {
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
    pub fn lock(&self) -> Result<MutexGuard<'_, Connection>, DbError> {
        self.conn.lock().map_err(|_| DbError::Poisoned)
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

/// A snapshot of the database's state for the health check.
pub fn health(conn: &Connection) -> Result<plotwise_api::DatabaseHealth, DbError> {
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let journal_mode: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
    let sqlite_version: String = conn.query_row("SELECT sqlite_version()", [], |row| row.get(0))?;
    conn.query_row("SELECT count(*) FROM meta", [], |row| row.get::<_, i64>(0))?;
    Ok(plotwise_api::DatabaseHealth {
        ok: true,
        schema_version,
        journal_mode,
        sqlite_version,
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
        let h = health(&db.lock().unwrap()).unwrap();
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
