//! The PostgreSQL backend: a pool of connections (`r2d2` over the `postgres` client, each
//! connection with its own cache of prepared statements), migrations recorded in
//! `schema_version` and applied under an advisory lock (two servers may start at once), and
//! the count's rewrite (`VACUUM FULL`, `CHECKPOINT`).
//!
//! Every schema change is a numbered SQL file in `migrations/postgres/`, the same numbers
//! as SQLite's, expressed for PostgreSQL (`BIGINT`, `BYTEA`, `BOOLEAN`).
//!
//! Writes run at READ COMMITTED with explicit row locks (see the store's docs); reads run
//! as one REPEATABLE READ, READ ONLY snapshot, so a page of results is one state of the
//! database. A commit returns after PostgreSQL has flushed its WAL (`synchronous_commit`
//! on, the default): an acknowledged ballot is on disk.
//!
//! # What the count can and cannot erase
//!
//! The count deletes the envelopes and the box's key, then rewrites the tables that held
//! them or the order of arrival (`VACUUM FULL`: new files, the old ones unlinked) and
//! forces a checkpoint. PostgreSQL's write-ahead log is not rewritten: the WAL segments
//! written during the vote hold each ballot's transaction (the unit's participation row, its
//! token and its sealed envelope together) and the box's sealed key until the segments are
//! recycled and overwritten, and for ever in a WAL archive or a base backup taken during
//! the vote. The envelopes only open with both scrutineers' codes, so on PostgreSQL those
//! code sheets must be destroyed after the count (on SQLite the file and its WAL keep
//! nothing once the count is done). See the README's secrecy invariant.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::str::FromStr;
use std::time::Duration;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Statement};

use super::{DbError, Dialect, Mode, P, Row, SCHEMA_VERSION, Tx, Value};
use crate::error::AppError;

/// The migrations, in order (the same numbers as SQLite's).
const MIGRATIONS: [(&str, &str); SCHEMA_VERSION as usize] = [
    (
        "0001_init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        "0002_consultations",
        include_str!("../../migrations/postgres/0002_consultations.sql"),
    ),
    (
        "0003_sealed_ballot_box",
        include_str!("../../migrations/postgres/0003_sealed_ballot_box.sql"),
    ),
    (
        "0004_hardening",
        include_str!("../../migrations/postgres/0004_hardening.sql"),
    ),
    (
        "0005_instances",
        include_str!("../../migrations/postgres/0005_instances.sql"),
    ),
];

/// Connections per server process. A compound's server needs few; PostgreSQL's default
/// `max_connections` (100) leaves room for several processes.
const POOL_SIZE: u32 = 12;

/// A connection and its prepared statements.
pub(crate) struct Conn {
    /// `None` only while the connection is being dropped.
    client: Option<Client>,
    statements: HashMap<String, Statement>,
}

impl Conn {
    fn client(&mut self) -> Result<&mut Client, DbError> {
        self.client
            .as_mut()
            .ok_or_else(|| DbError::Pool("a closed connection".into()))
    }
}

impl Drop for Conn {
    /// The blocking client owns a small runtime, which may not be dropped on a thread that
    /// drives async tasks (a pool dropped at the end of an async test or request): such a
    /// connection is closed on a thread of its own.
    fn drop(&mut self) {
        if let (Some(client), Ok(_)) = (self.client.take(), tokio::runtime::Handle::try_current()) {
            drop(std::thread::spawn(move || drop(client)));
        }
    }
}

/// Makes pool connections.
struct Manager(postgres::Config);

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Conn, postgres::Error> {
        Ok(Conn {
            client: Some(self.0.connect(NoTls)?),
            statements: HashMap::new(),
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), postgres::Error> {
        match conn.client.as_mut() {
            Some(c) => c.simple_query("").map(|_| ()),
            None => Ok(()),
        }
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.client.as_ref().is_none_or(Client::is_closed)
    }
}

/// The PostgreSQL database: a pool of connections.
#[derive(Clone)]
pub struct Pg {
    pool: r2d2::Pool<Manager>,
}

impl Pg {
    /// Connects to `url` and applies any pending migrations.
    pub(super) fn open(url: &str) -> Result<Pg, DbError> {
        let mut config = postgres::Config::from_str(url)?;
        if config.get_application_name().is_none() {
            config.application_name("plotwise");
        }
        config.connect_timeout(Duration::from_secs(10));
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(2))
            // A broken connection is found when it is used (and replaced): no extra round
            // trip on every checkout.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager(config))
            .map_err(|e| DbError::Pool(e.to_string()))?;
        let pg = Pg { pool };
        pg.migrate()?;
        Ok(pg)
    }

    fn conn(&self) -> Result<r2d2::PooledConnection<Manager>, DbError> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Applies every migration newer than the recorded version, one transaction each, under
    /// an advisory lock so that servers starting together migrate once.
    fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.conn()?;
        let mut tx = conn.client()?.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(7061726)", &[])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let current: i64 = match tx.query_opt("SELECT version FROM schema_version", &[])? {
            Some(r) => r.get(0),
            None => {
                tx.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
                0
            }
        };
        if current > SCHEMA_VERSION {
            return Err(DbError::TooNew {
                found: current,
                supported: SCHEMA_VERSION,
            });
        }
        for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(current as usize) {
            let version = index as i64 + 1;
            tx.batch_execute(sql)?;
            tx.execute("UPDATE schema_version SET version = $1", &[&version])?;
            tracing::info!(migration = name, version, "applied database migration");
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one transaction on a pooled connection.
    pub(super) fn run<T>(
        &self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Tx) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn()?;
        let Conn { client, statements } = &mut *conn;
        let client = client
            .as_mut()
            .ok_or_else(|| DbError::Pool("a closed connection".into()))?;
        let builder = client.build_transaction();
        let builder = match mode {
            Mode::Read => builder
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true),
            Mode::Write => builder.isolation_level(IsolationLevel::ReadCommitted),
        };
        let tx = builder.start().map_err(DbError::from)?;
        let mut t = PgTx { tx, statements };
        let out = f(&mut t)?;
        t.tx.commit().map_err(DbError::from)?;
        Ok(out)
    }

    /// The health check: a real write (the probe row) and the schema version.
    pub(super) fn health(&self) -> Result<plotwise_api::DatabaseHealth, DbError> {
        let mut conn = self.conn()?;
        let client = conn.client()?;
        let schema_version: i64 = client
            .query_one("SELECT version FROM schema_version", &[])?
            .get(0);
        let probe = (|| -> Result<(), postgres::Error> {
            let mut tx = client.transaction()?;
            tx.execute(
                "UPDATE health SET at = $1 WHERE id = 1",
                &[&crate::util::now_unix()],
            )?;
            tx.commit()
        })();
        let reason = probe.err().map(|e| {
            format!(
                "the database cannot be written: {}",
                storage_words(&e).unwrap_or_else(|| e.to_string())
            )
        });
        Ok(plotwise_api::DatabaseHealth {
            ok: reason.is_none(),
            reason,
            free_bytes: None,
            schema_version,
            // PostgreSQL's own write-ahead log, flushed at every commit.
            journal_mode: "wal".into(),
            sqlite_version: rusqlite::version().to_owned(),
        })
    }

    /// The count's rewrite: `VACUUM FULL` of the tables that held the envelopes, the key or
    /// the order of arrival (each is rewritten into a new file and the old file unlinked, so
    /// no dead row of an envelope stays in a table), then a `CHECKPOINT`. What this cannot
    /// erase is in the module docs.
    pub(super) fn forget_arrival_order(&self) -> Result<(), DbError> {
        let mut conn = self.conn()?;
        // VACUUM cannot run inside a transaction: plain statements, each on its own.
        let client = conn.client()?;
        // One statement per call: several in one message run as one implicit transaction.
        client.batch_execute("SET lock_timeout = '20s'")?;
        let vacuum = client.batch_execute(
            "VACUUM FULL sealed_ballots, option_ballots, receipts, ballot_boxes, participation, tokens",
        );
        client.batch_execute("RESET lock_timeout")?;
        vacuum?;
        client.batch_execute("CHECKPOINT")?;
        Ok(())
    }

    /// A checkpoint.
    pub(super) fn checkpoint(&self) -> Result<(), DbError> {
        self.conn()?.client()?.batch_execute("CHECKPOINT")?;
        Ok(())
    }
}

/// A transaction on a pooled connection.
struct PgTx<'a> {
    tx: postgres::Transaction<'a>,
    statements: &'a mut HashMap<String, Statement>,
}

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.tx.prepare(sql)?;
        // A bound on the cache: the server has a fixed set of statements, tests add a few.
        if self.statements.len() > 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), st.clone());
        Ok(st)
    }
}

/// A parameter, converted to the type PostgreSQL inferred for its place.
#[derive(Debug)]
struct Param<'a>(P<'a>);

type BoxError = Box<dyn StdError + Sync + Send>;

fn int_to_sql(v: i64, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT8 => v.to_sql(ty, out),
        Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
        Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
        Type::BOOL => (v != 0).to_sql(ty, out),
        Type::FLOAT8 => (v as f64).to_sql(ty, out),
        Type::TEXT | Type::VARCHAR => v.to_string().as_str().to_sql(ty, out),
        _ => Err(format!("an integer cannot be bound as {ty}").into()),
    }
}

fn text_to_sql(v: &str, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => v.to_sql(ty, out),
        _ => Err(format!("text cannot be bound as {ty}").into()),
    }
}

fn bytes_to_sql(v: &[u8], ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::BYTEA => v.to_sql(ty, out),
        _ => Err(format!("bytes cannot be bound as {ty}").into()),
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            P::I(v) | P::OptI(Some(v)) => int_to_sql(v, ty, out),
            P::T(v) | P::OptT(Some(v)) => text_to_sql(v, ty, out),
            P::B(v) | P::OptB(Some(v)) => bytes_to_sql(v, ty, out),
            P::Bool(v) => match *ty {
                Type::BOOL => v.to_sql(ty, out),
                _ => int_to_sql(i64::from(v), ty, out),
            },
            P::OptI(None) | P::OptT(None) | P::OptB(None) => Ok(IsNull::Yes),
            P::BlobList(v) => match *ty {
                Type::BYTEA_ARRAY => v.to_sql(ty, out),
                _ => Err(format!("a list of bytes cannot be bound as {ty}").into()),
            },
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }
}

fn value(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    let ty = row.columns()[i].type_().clone();
    let v = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map(|v| Value::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        }
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob),
        Type::VOID => None,
        other => return Err(DbError::Type(format!("column {i} of type {other}"))),
    };
    Ok(v.unwrap_or(Value::Null))
}

impl Tx for PgTx<'_> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&mut self, sql: &str, params: &[P<'_>]) -> Result<u64, DbError> {
        let st = self.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(|p| Param(*p)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        Ok(self.tx.execute(&st, &refs)?)
    }

    fn query(&mut self, sql: &str, params: &[P<'_>]) -> Result<Vec<Row>, DbError> {
        let st = self.statement(sql)?;
        let params: Vec<Param<'_>> = params.iter().map(|p| Param(*p)).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.tx.query(&st, &refs)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| value(r, i))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }
}

/// A PostgreSQL error in words: the server's message (and detail) when it sent one, the
/// client's otherwise.
pub(crate) fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => e.to_string(),
    }
}

/// The SQLSTATE of a PostgreSQL error, if it has one.
fn code(e: &postgres::Error) -> Option<&postgres::error::SqlState> {
    e.code()
}

/// A storage failure in plain words (a full disk, a read-only database, an I/O error);
/// `None` for anything else.
pub(crate) fn storage_words(e: &postgres::Error) -> Option<String> {
    use postgres::error::SqlState;
    let c = code(e)?;
    Some(if *c == SqlState::DISK_FULL {
        "the disk is full".into()
    } else if *c == SqlState::READ_ONLY_SQL_TRANSACTION {
        "the database or its disk is read-only".into()
    } else if *c == SqlState::IO_ERROR || *c == SqlState::DATA_CORRUPTED {
        "the disk reported an error".into()
    } else {
        return None;
    })
}

/// A deadlock or a serialisation failure: the transaction may be run again.
pub(crate) fn is_retryable(e: &postgres::Error) -> bool {
    use postgres::error::SqlState;
    matches!(code(e), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE)
}
