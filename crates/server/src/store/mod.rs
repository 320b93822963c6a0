//! The store: every SQL statement of the server, over SQLite (the default: one file, one
//! process) or PostgreSQL (a district: several server processes on one database).
//!
//! Routes never see SQL. They call the functions of this module's children, which take a
//! transaction (`&mut dyn Tx`) and return `plotwise-api` and `plotwise-vote` types, inside
//! [`Store::read`] or [`Store::write`], which run them on a blocking thread in one
//! transaction, committed before the answer is sent.
//!
//! The statements are written once, in the SQL both engines accept (`$1` parameters,
//! `INSERT … ON CONFLICT`, `RETURNING`, `IS DISTINCT FROM`, `TRUE`/`FALSE`); where the engines
//! differ (row locks, advisory locks, dates) [`Dialect`] says which to write. What only one
//! engine has lives in its backend: [`sqlite`] (WAL, online backup, VACUUM and the
//! truncating checkpoint) and [`postgres`] (a connection pool, `VACUUM FULL`, `CHECKPOINT`).
//!
//! # Several server processes on one PostgreSQL database
//!
//! Nothing that two processes could disagree on is kept in memory: sessions, login and
//! ballot rate limits, phases, one unit one ballot and the sealed box are rows, and every
//! change that depends on a phase first locks the consultation's row (`FOR UPDATE`; ballots
//! take `FOR SHARE`), so a count waits for the ballots in flight and no ballot slips in after
//! it. Rate limits take a transaction-scoped advisory lock per key. On SQLite one connection
//! behind a mutex and `BEGIN IMMEDIATE` serialise the same work.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod ballots;
pub(crate) mod boxes;
pub(crate) mod consultations;
pub(crate) mod limits;
pub(crate) mod meta;
pub mod postgres;
pub(crate) mod reads;
pub mod sqlite;
pub(crate) mod tokens;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::AppError;

/// Which SQL engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (the `rusqlite` crate, bundled SQLite).
    Sqlite,
    /// PostgreSQL (the `postgres` crate).
    Postgres,
}

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error.
    #[error("database error: {}", postgres::message(.0))]
    Postgres(#[from] ::postgres::Error),
    /// No connection could be had from the pool.
    #[error("no database connection: {0}")]
    Pool(String),
    /// The database was written by a newer Plotwise than this one.
    #[error("the database is at schema version {found}, newer than this server's {supported}")]
    TooNew {
        /// The version found in the database.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A column held a value of another type than the statement expects (a bug, or a
    /// database changed by hand).
    #[error("unexpected value in the database: {0}")]
    Type(String),
    /// The connection's lock was poisoned by a panic in another request.
    #[error("the database connection is unusable after an earlier failure")]
    Poisoned,
}

impl DbError {
    /// A storage failure the operator must fix and the client may retry (a full or read-only
    /// disk, a disk error), in plain words; `None` for anything else.
    pub fn storage_words(&self) -> Option<String> {
        match self {
            DbError::Sqlite(e) => sqlite::storage_words(e),
            DbError::Postgres(e) => postgres::storage_words(e),
            _ => None,
        }
    }

    /// Whether the transaction failed only because another one ran at the same time (a
    /// deadlock or a serialisation failure on PostgreSQL): running it again is right.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            DbError::Postgres(e) => postgres::is_retryable(e),
            _ => false,
        }
    }
}

impl From<DbError> for AppError {
    /// A full or read-only disk is the operator's to fix and the client's to retry: 503 with
    /// plain words. A lost race is retried by the store. Anything else is an internal error.
    fn from(e: DbError) -> Self {
        if let Some(words) = e.storage_words() {
            tracing::error!(error = %e, "storage failure");
            return AppError::Unavailable {
                code: "storage",
                message: format!(
                    "the server could not save this ({words}); nothing of it was saved. Try \
                     again later, and tell whoever runs the server"
                ),
            };
        }
        if e.is_retryable() {
            return AppError::Raced(e.to_string());
        }
        AppError::Db(e.to_string())
    }
}

/// A statement parameter.
#[derive(Debug, Clone, Copy)]
pub(crate) enum P<'a> {
    /// An integer.
    I(i64),
    /// Text.
    T(&'a str),
    /// Bytes.
    B(&'a [u8]),
    /// A truth value (an integer 0/1 on SQLite, a boolean on PostgreSQL).
    Bool(bool),
    /// An integer or NULL.
    OptI(Option<i64>),
    /// Text or NULL.
    OptT(Option<&'a str>),
    /// Bytes or NULL.
    OptB(Option<&'a [u8]>),
    /// A list of byte strings (PostgreSQL only: `= ANY($1)`).
    BlobList(&'a [&'a [u8]]),
}

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// NULL.
    Null,
    /// An integer (booleans read as 0 and 1).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// A row read by a statement, its values in column order.
#[derive(Debug, Clone)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, DbError> {
        self.0
            .get(i)
            .ok_or_else(|| DbError::Type(format!("no column {i}")))
    }

    /// Column `i` as an integer.
    pub(crate) fn i64(&self, i: usize) -> Result<i64, DbError> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            other => Err(DbError::Type(format!(
                "column {i}: {other:?}, not an integer"
            ))),
        }
    }

    /// Column `i` as an integer or NULL.
    pub(crate) fn opt_i64(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.i64(i).map(Some),
        }
    }

    /// Column `i` as a truth value.
    pub(crate) fn bool(&self, i: usize) -> Result<bool, DbError> {
        Ok(self.i64(i)? != 0)
    }

    /// Column `i` as text.
    pub(crate) fn text(&self, i: usize) -> Result<String, DbError> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(DbError::Type(format!("column {i}: {other:?}, not text"))),
        }
    }

    /// Column `i` as text or NULL.
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    /// Column `i` as bytes.
    pub(crate) fn blob(&self, i: usize) -> Result<Vec<u8>, DbError> {
        match self.at(i)? {
            Value::Blob(v) => Ok(v.clone()),
            other => Err(DbError::Type(format!("column {i}: {other:?}, not bytes"))),
        }
    }

    /// Column `i` as bytes or NULL.
    pub(crate) fn opt_blob(&self, i: usize) -> Result<Option<Vec<u8>>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.blob(i).map(Some),
        }
    }

    /// Column `i` as a `u32` (an index).
    pub(crate) fn u32(&self, i: usize) -> Result<u32, DbError> {
        u32::try_from(self.i64(i)?).map_err(|_| DbError::Type(format!("column {i}: not a u32")))
    }
}

/// One transaction, on either engine. Statements use `$1`, `$2`… for parameters.
pub(crate) trait Tx {
    /// The engine.
    fn dialect(&self) -> Dialect;
    /// Runs a statement; returns the rows it changed.
    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, DbError>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, params: &[P<'_>]) -> Result<Vec<Row>, DbError>;
}

impl dyn Tx + '_ {
    /// The first row of a query, if any.
    pub(crate) fn query_opt(
        &mut self,
        sql: &str,
        params: &[P<'_>],
    ) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The one row of a query.
    pub(crate) fn query_one(&mut self, sql: &str, params: &[P<'_>]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| DbError::Type(format!("no row from {sql}")))
    }

    /// The integer a query answers (`count(*)`, `EXISTS`…).
    pub(crate) fn scalar(&mut self, sql: &str, params: &[P<'_>]) -> Result<i64, DbError> {
        self.query_one(sql, params)?.i64(0)
    }

    /// `FOR UPDATE` on PostgreSQL (the row stays locked until the transaction ends); nothing
    /// on SQLite, whose write transactions already exclude each other.
    pub(crate) fn for_update(&self) -> &'static str {
        match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// `FOR SHARE` on PostgreSQL; nothing on SQLite.
    pub(crate) fn for_share(&self) -> &'static str {
        match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR SHARE",
        }
    }

    /// Serialises the transactions that name the same `key` until they end (a
    /// transaction-scoped advisory lock on PostgreSQL; SQLite's write transactions are serial
    /// already).
    pub(crate) fn lock_key(&mut self, key: &str) -> Result<(), DbError> {
        if self.dialect() == Dialect::Postgres {
            self.query(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                &[P::T(key)],
            )?;
        }
        Ok(())
    }
}

/// Which kind of transaction a closure runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Reads only.
    Read,
    /// Reads and writes (SQLite: `BEGIN IMMEDIATE`, the write lock from the start).
    Write,
}

/// How often a write that lost a race with another transaction (PostgreSQL deadlock or
/// serialisation failure) is run again before the error is answered.
const RETRIES: usize = 5;

/// A shared handle to the database.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    vacuum_fault: Arc<AtomicBool>,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Db),
    Postgres(postgres::Pg),
}

/// The schema version this build migrates databases to (the same on both engines).
pub const SCHEMA_VERSION: i64 = 5;

/// Below this much free space on the database's disk the health check says `degraded`.
pub const MIN_FREE_BYTES: u64 = 64 * 1024 * 1024;

impl Store {
    /// Opens the database `spec` names: a `postgres://` or `postgresql://` URL, else an
    /// SQLite file (created if needed). Applies any pending migrations.
    pub fn open(spec: &str) -> Result<Store, DbError> {
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            Self::open_postgres(spec)
        } else {
            Self::open_sqlite(std::path::Path::new(spec))
        }
    }

    /// Opens (creating if needed) the SQLite file at `path`, in WAL mode, migrated.
    pub fn open_sqlite(path: &std::path::Path) -> Result<Store, DbError> {
        Ok(Self::with(Backend::Sqlite(sqlite::Db::open(path)?)))
    }

    /// Opens a private in-memory SQLite database, migrated, for tests.
    pub fn open_in_memory() -> Result<Store, DbError> {
        Ok(Self::with(Backend::Sqlite(sqlite::Db::open_in_memory()?)))
    }

    /// Connects to the PostgreSQL database at `url` (a pool of connections), migrated.
    pub fn open_postgres(url: &str) -> Result<Store, DbError> {
        let pg = off_runtime(|| postgres::Pg::open(url))?;
        Ok(Self::with(Backend::Postgres(pg)))
    }

    fn with(backend: Backend) -> Store {
        Store {
            backend,
            vacuum_fault: Arc::default(),
        }
    }

    /// The engine.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite backend, when this is one (backups, and tests that play a disk attacker).
    pub fn sqlite(&self) -> Option<&sqlite::Db> {
        match &self.backend {
            Backend::Sqlite(db) => Some(db),
            Backend::Postgres(_) => None,
        }
    }

    /// Fault injection for tests: the next rewrite of the count fails as on a full disk.
    /// Nothing in the server calls it; no request can reach it.
    #[doc(hidden)]
    pub fn fail_next_vacuum(&self) {
        self.vacuum_fault.store(true, Ordering::SeqCst);
    }

    /// Runs `f` in one transaction, here and now (call it from blocking code). A write is
    /// committed before this returns; an error rolls everything back. On PostgreSQL a write
    /// that lost a race with another transaction is run again, up to [`RETRIES`] times.
    pub(crate) fn run_blocking<T>(
        &self,
        mode: Mode,
        mut f: impl FnMut(&mut dyn Tx) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        match &self.backend {
            Backend::Sqlite(db) => db.run(mode, &mut f),
            Backend::Postgres(pg) => {
                let mut attempt = 0;
                loop {
                    match pg.run(mode, &mut f) {
                        Err(AppError::Raced(e)) if attempt < RETRIES => {
                            attempt += 1;
                            tracing::debug!(error = %e, attempt, "transaction lost a race; again");
                        }
                        other => return other,
                    }
                }
            }
        }
    }

    /// [`Store::run_blocking`] on a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        mode: Mode,
        f: impl FnMut(&mut dyn Tx) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.run_blocking(mode, f)).await?
    }

    /// Runs `f` in a read transaction on a blocking thread.
    pub(crate) async fn read<T: Send + 'static>(
        &self,
        f: impl FnMut(&mut dyn Tx) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        self.run(Mode::Read, f).await
    }

    /// Runs `f` in a write transaction on a blocking thread; it is committed before this
    /// returns.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        f: impl FnMut(&mut dyn Tx) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        self.run(Mode::Write, f).await
    }

    /// The health check: a real write (the probe row), the schema version, and (SQLite) the
    /// journal mode and the free space on the database's disk. Blocking.
    pub fn health(&self) -> Result<plotwise_api::DatabaseHealth, DbError> {
        match &self.backend {
            Backend::Sqlite(db) => db.health(),
            Backend::Postgres(pg) => off_runtime(|| pg.health()),
        }
    }

    /// The count's third step: rewrite what holds the envelopes and the order of arrival so
    /// that no page, frame or dead row keeps them (see each backend). An error leaves the
    /// vote open for a retry. Blocking.
    pub(crate) fn forget_arrival_order(&self) -> Result<(), DbError> {
        if self.vacuum_fault.swap(false, Ordering::SeqCst) {
            return Err(DbError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL),
                Some("database or disk is full (injected by a test)".into()),
            )));
        }
        match &self.backend {
            Backend::Sqlite(db) => db.forget_arrival_order(),
            Backend::Postgres(pg) => pg.forget_arrival_order(),
        }
    }

    /// After the vote is closed: empties the WAL again (the phase change is no secret; a
    /// failure is only logged). Blocking.
    pub(crate) fn checkpoint(&self) {
        let done = match &self.backend {
            Backend::Sqlite(db) => db.checkpoint(),
            Backend::Postgres(pg) => pg.checkpoint(),
        };
        if let Err(e) = done {
            tracing::warn!(error = %e, "checkpoint after closing the vote");
        }
    }

    /// Runs one statement outside the server's code paths and returns its rows: for tests
    /// that read or change the database as an attacker or a faulty disk would. No request
    /// can reach it.
    #[doc(hidden)]
    pub fn sql(&self, sql: &str) -> Result<Vec<Vec<Value>>, DbError> {
        let rows = off_runtime(|| self.run_blocking(Mode::Write, |tx| Ok(tx.query(sql, &[])?)))
            .map_err(|e| DbError::Type(e.to_string()))?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The one integer a statement answers (tests).
    #[doc(hidden)]
    pub fn sql_i64(&self, sql: &str) -> i64 {
        match self.sql(sql).as_deref() {
            Ok([row, ..]) => match row.first() {
                Some(Value::Int(v)) => *v,
                other => panic!("{sql}: {other:?}"),
            },
            other => panic!("{sql}: {other:?}"),
        }
    }
}

/// Runs `f` here, or, when called on a thread that drives async tasks (where the blocking
/// PostgreSQL client may not wait), on a thread of its own. For the few entry points that
/// may be called from anywhere (opening, the setup code, health, tests); the request paths
/// already run on blocking threads.
pub(crate) fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// `$1`, `$2`… as SQLite's `?1`, `?2`… (outside quoted text).
pub(crate) fn numbered_to_sqlite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '$' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_sqlite_ones_outside_quotes() {
        assert_eq!(
            numbered_to_sqlite("SELECT '$1', $2 FROM t WHERE a = $10"),
            "SELECT '$1', ?2 FROM t WHERE a = ?10"
        );
    }
}
