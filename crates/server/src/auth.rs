//! Committee accounts, sessions, CSRF protection and the login rate limit.
//!
//! - Passwords are hashed with argon2id (default parameters, a random salt per hash).
//! - A session is a random 256-bit id in an `HttpOnly; SameSite=Strict` cookie; the database
//!   keeps only its SHA-256, so a copy of the database does not hand out sessions.
//! - Every state-changing request of a committee member (any method but GET and HEAD) must
//!   carry the session's CSRF token in the `X-CSRF-Token` header, else 403 `csrf`.
//! - Login attempts are counted in the database before the password is checked, per account
//!   (5 per 15 minutes) and per client address (20 per 15 minutes); over the limit the answer is
//!   429 without checking the password. A successful login clears the account's count.
//! - The first account: `POST /api/setup` with the one-time setup code that the server writes
//!   to its log at start while no account exists ([`prepare_setup_code`]).

use std::net::SocketAddr;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{AppendHeaders, IntoResponse};
use axum::{Extension, Json};
use plotwise_api::{Account, Credentials, SessionInfo, SetupRequest};
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::{Db, DbError};
use crate::util::{ct_eq, now_unix, random_bytes, sha256, sha256_hex};
use crate::{ApiJson, AppError, Ctx, audit, blocking};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "plotwise_session";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts, in seconds (12 hours).
const SESSION_SECONDS: i64 = 12 * 3600;
/// The window of the login rate limit, in seconds.
const WINDOW_SECONDS: i64 = 15 * 60;
/// Failed or pending attempts allowed per account in the window.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failed or pending attempts allowed per client address in the window.
pub const ADDRESS_LIMIT: i64 = 20;
const MIN_PASSWORD: usize = 10;

/// A signed-in committee member. Extracting it checks the session cookie and, for
/// state-changing methods, the CSRF header.
#[derive(Debug, Clone)]
pub(crate) struct Committee {
    /// The account's user name.
    pub username: String,
}

impl FromRequestParts<Ctx> for Committee {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, AppError> {
        let Some(sid) = session_id(&parts.headers) else {
            return Err(AppError::Unauthorized(
                "sign in as a committee member".into(),
            ));
        };
        let found = blocking(&ctx.db, move |conn| {
            Ok(conn
                .query_row(
                    "SELECT a.username, s.csrf_token FROM sessions s JOIN accounts a ON a.id = s.account_id
                     WHERE s.id_sha256 = ?1 AND s.expires_at > ?2",
                    params![sha256(sid.as_bytes()).as_slice(), now_unix()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?)
        })
        .await?;
        let Some((username, csrf)) = found else {
            return Err(AppError::Unauthorized(
                "the session has expired; sign in again".into(),
            ));
        };
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !ct_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(AppError::Forbidden {
                    code: "csrf",
                    message: "missing or wrong X-CSRF-Token header".into(),
                });
            }
        }
        Ok(Committee { username })
    }
}

/// The session id from the `Cookie` header, if it has the right shape.
fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so that a wrong user name
/// takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"plotwise-no-such-account")
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

fn check_new_credentials(c: &Credentials) -> Result<(), AppError> {
    let name = c.username.trim();
    if name.is_empty() || name.chars().count() > 64 || name != c.username {
        return Err(AppError::BadRequest(
            "username: 1 to 64 characters, no surrounding spaces".into(),
        ));
    }
    if c.password.chars().count() < MIN_PASSWORD || c.password.len() > 1024 {
        return Err(AppError::BadRequest(format!(
            "password: at least {MIN_PASSWORD} characters"
        )));
    }
    Ok(())
}

fn count_accounts(conn: &Connection) -> Result<i64, DbError> {
    Ok(conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?)
}

/// While no committee account exists, makes a new one-time setup code, stores its SHA-256
/// (replacing any earlier code) and returns it; `None` once an account exists. The server
/// calls this at start and writes the code to its log; `POST /api/setup` needs it.
pub fn prepare_setup_code(db: &Db) -> Result<Option<String>, DbError> {
    let conn = db.lock()?;
    if count_accounts(&conn)? > 0 {
        return Ok(None);
    }
    let code = hex::encode(random_bytes::<12>());
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('setup_code_sha256', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [sha256_hex(code.as_bytes())],
    )?;
    Ok(Some(code))
}

pub(crate) fn client_key(addr: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    match addr {
        Some(Extension(ConnectInfo(a))) => format!("ip:{}", a.ip()),
        None => "ip:unknown".to_owned(),
    }
}

/// Counts an attempt against `keys` unless one of them is over its limit; returns the
/// rowids of the attempts recorded, or `None` when limited.
pub(crate) fn take_attempt(
    conn: &Connection,
    keys: &[(&str, i64)],
) -> Result<Option<Vec<i64>>, DbError> {
    let now = now_unix();
    conn.execute(
        "DELETE FROM login_attempts WHERE at <= ?1",
        [now - WINDOW_SECONDS],
    )?;
    for (key, limit) in keys {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM login_attempts WHERE key = ?1",
            [key],
            |r| r.get(0),
        )?;
        if n >= *limit {
            return Ok(None);
        }
    }
    let mut ids = Vec::new();
    for (key, _) in keys {
        conn.execute(
            "INSERT INTO login_attempts (key, at) VALUES (?1, ?2)",
            params![key, now],
        )?;
        ids.push(conn.last_insert_rowid());
    }
    Ok(Some(ids))
}

fn new_session(conn: &Connection, account_id: i64) -> Result<(String, String), DbError> {
    let sid = hex::encode(random_bytes::<32>());
    let csrf = hex::encode(random_bytes::<32>());
    let now = now_unix();
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?;
    conn.execute(
        "INSERT INTO sessions (id_sha256, account_id, csrf_token, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256(sid.as_bytes()).as_slice(), account_id, csrf, now + SESSION_SECONDS],
    )?;
    Ok((sid, csrf))
}

/// The `Set-Cookie` header of a session. `Secure` is added when the page that sent the
/// request was served over HTTPS (its `Origin`), so the cookie also works on plain
/// `http://127.0.0.1` during development.
fn session_cookie(
    headers: &HeaderMap,
    sid: &str,
    max_age: i64,
) -> AppendHeaders<[(axum::http::HeaderName, HeaderValue); 1]> {
    let secure = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|o| o.starts_with("https://"));
    let value = format!(
        "{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    // Hex and ASCII only, so always a valid header value.
    let value = HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""));
    AppendHeaders([(SET_COOKIE, value)])
}

/// `POST /api/setup`: the first committee account (no session needed; the setup code is).
pub(crate) async fn setup(
    State(ctx): State<Ctx>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SetupRequest>,
) -> Result<impl IntoResponse, AppError> {
    let creds = Credentials {
        username: req.username,
        password: req.password,
    };
    check_new_credentials(&creds)?;
    let ip = client_key(addr);
    let setup_key = format!("setup:{ip}");
    let allowed = blocking(&ctx.db, move |conn| {
        Ok(take_attempt(conn, &[(setup_key.as_str(), ACCOUNT_LIMIT)])?)
    })
    .await?;
    if allowed.is_none() {
        return Err(AppError::TooManyRequests);
    }
    let hash = {
        let pw = creds.password.clone();
        tokio::task::spawn_blocking(move || hash_password(&pw)).await??
    };
    let username = creds.username.clone();
    let (sid, csrf) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        if count_accounts(&tx)? > 0 {
            return Ok(Err(AppError::Conflict {
                code: "already_set_up",
                message: "a committee account exists already; sign in instead".into(),
            }));
        }
        let stored: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'setup_code_sha256'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let sent = sha256_hex(req.setup_code.trim().as_bytes());
        if !stored.is_some_and(|s| ct_eq(s.as_bytes(), sent.as_bytes())) {
            return Ok(Err(AppError::Forbidden {
                code: "forbidden",
                message: "wrong setup code (the server prints it to its log at start)".into(),
            }));
        }
        tx.execute(
            "INSERT INTO accounts (username, password_hash) VALUES (?1, ?2)",
            params![username, hash],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute("DELETE FROM meta WHERE key = 'setup_code_sha256'", [])?;
        audit(
            &tx,
            None,
            &username,
            "account_created",
            "first committee account (setup)",
        )?;
        let s = new_session(&tx, id)?;
        tx.commit()?;
        Ok(Ok(s))
    })
    .await??;
    Ok((
        session_cookie(&headers, &sid, SESSION_SECONDS),
        Json(SessionInfo {
            username: creds.username,
            csrf_token: csrf,
        }),
    ))
}

/// `POST /api/login`.
pub(crate) async fn login(
    State(ctx): State<Ctx>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(creds): ApiJson<Credentials>,
) -> Result<impl IntoResponse, AppError> {
    if creds.username.len() > 256 || creds.password.len() > 1024 {
        return Err(AppError::Unauthorized("wrong user name or password".into()));
    }
    let ip = client_key(addr);
    let user_key = format!("user:{}", creds.username);
    let username = creds.username.clone();
    let (attempts, account) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        let ids = take_attempt(
            &tx,
            &[
                (user_key.as_str(), ACCOUNT_LIMIT),
                (ip.as_str(), ADDRESS_LIMIT),
            ],
        )?;
        let account: Option<(i64, String)> = if ids.is_some() {
            tx.query_row(
                "SELECT id, password_hash FROM accounts WHERE username = ?1",
                [&username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
        } else {
            None
        };
        tx.commit()?;
        Ok((ids, account))
    })
    .await?;
    let Some(attempts) = attempts else {
        tracing::warn!(username = %creds.username, "login rate-limited");
        return Err(AppError::TooManyRequests);
    };
    let password = creds.password;
    let (ok, account_id) = tokio::task::spawn_blocking(move || match account {
        Some((id, hash)) => (verify_password(&password, &hash), id),
        None => {
            verify_password(&password, dummy_hash());
            (false, 0)
        }
    })
    .await?;
    if !ok {
        tracing::info!(username = %creds.username, "failed login");
        return Err(AppError::Unauthorized("wrong user name or password".into()));
    }
    let user_key = format!("user:{}", creds.username);
    let (sid, csrf) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        tx.execute("DELETE FROM login_attempts WHERE key = ?1", [&user_key])?;
        for id in attempts {
            tx.execute("DELETE FROM login_attempts WHERE id = ?1", [id])?;
        }
        let s = new_session(&tx, account_id)?;
        tx.commit()?;
        Ok(s)
    })
    .await?;
    Ok((
        session_cookie(&headers, &sid, SESSION_SECONDS),
        Json(SessionInfo {
            username: creds.username,
            csrf_token: csrf,
        }),
    ))
}

/// `POST /api/logout` (committee).
pub(crate) async fn logout(
    State(ctx): State<Ctx>,
    _who: Committee,
    headers: HeaderMap,
) -> Result<impl IntoResponse, AppError> {
    if let Some(sid) = session_id(&headers) {
        blocking(&ctx.db, move |conn| {
            conn.execute(
                "DELETE FROM sessions WHERE id_sha256 = ?1",
                [sha256(sid.as_bytes()).as_slice()],
            )?;
            Ok(())
        })
        .await?;
    }
    Ok((
        session_cookie(&headers, "", 0),
        axum::http::StatusCode::NO_CONTENT,
    ))
}

/// `GET /api/session` (committee): who is signed in, and the CSRF token again.
pub(crate) async fn session(
    State(ctx): State<Ctx>,
    who: Committee,
    headers: HeaderMap,
) -> Result<Json<SessionInfo>, AppError> {
    let sid = session_id(&headers).unwrap_or_default();
    let csrf = blocking(&ctx.db, move |conn| {
        Ok(conn.query_row(
            "SELECT csrf_token FROM sessions WHERE id_sha256 = ?1",
            [sha256(sid.as_bytes()).as_slice()],
            |r| r.get::<_, String>(0),
        )?)
    })
    .await?;
    Ok(Json(SessionInfo {
        username: who.username,
        csrf_token: csrf,
    }))
}

/// `POST /api/accounts` (committee): another committee account.
pub(crate) async fn create_account(
    State(ctx): State<Ctx>,
    who: Committee,
    ApiJson(creds): ApiJson<Credentials>,
) -> Result<Json<Account>, AppError> {
    check_new_credentials(&creds)?;
    let pw = creds.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
    let username = creds.username;
    let account = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE username = ?1)",
            [&username],
            |r| r.get(0),
        )?;
        if exists {
            return Ok(Err(AppError::Conflict {
                code: "exists",
                message: format!("an account named {username:?} exists already"),
            }));
        }
        tx.execute(
            "INSERT INTO accounts (username, password_hash) VALUES (?1, ?2)",
            params![username, hash],
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, None, &who.username, "account_created", &username)?;
        tx.commit()?;
        Ok(Ok(Account { id, username }))
    })
    .await??;
    Ok(Json(account))
}

/// `GET /api/accounts` (committee).
pub(crate) async fn list_accounts(
    State(ctx): State<Ctx>,
    _who: Committee,
) -> Result<Json<Vec<Account>>, AppError> {
    let list = blocking(&ctx.db, |conn| {
        let mut st = conn.prepare("SELECT id, username FROM accounts ORDER BY id")?;
        let rows = st
            .query_map([], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    username: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await?;
    Ok(Json(list))
}
