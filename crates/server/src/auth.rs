//! Committee accounts, sessions, CSRF protection and the login rate limit.
//!
//! - Passwords are hashed with argon2id (default parameters, a random salt per hash).
//! - A session is a random 256-bit id in an `HttpOnly; SameSite=Strict` cookie; the database
//!   keeps only its SHA-256, so a copy of the database does not hand out sessions.
//! - Every state-changing request of a committee member (any method but GET and HEAD) must
//!   carry the session's CSRF token in the `X-CSRF-Token` header, else 403 `csrf`.
//! - Login attempts are counted in the database before the password is checked, per account
//!   *and* client address (5 per 15 minutes) and per client address (20 per 15 minutes); over
//!   either limit the answer is 429 without checking the password. There is deliberately no
//!   limit per account alone: it would let anyone lock a member out by typing wrong passwords
//!   for her name. Guessing one account from many addresses is slowed instead: past 5 recent
//!   failures for an account, each attempt waits half a second more (at most 5 s) before its
//!   password is checked, so the member herself still gets in after a short wait. A
//!   successful login clears the account's counts.
//! - Every login, failed login and account change is in the audit log (`GET /api/audit`);
//!   an account can be disabled (its sessions end), a member can change their password (their
//!   other sessions end), and any member's sessions can be revoked.
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
/// Failed or pending attempts allowed per account and client address in the window.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Recent failures for an account (from anywhere) after which each attempt is delayed.
pub const DELAY_AFTER: i64 = 5;
/// The delay added per failure past [`DELAY_AFTER`], and its cap.
const DELAY_STEP_MS: u64 = 500;
const DELAY_MAX_MS: u64 = 5_000;
/// Failed or pending attempts allowed per client address in the window.
pub const ADDRESS_LIMIT: i64 = 20;
const MIN_PASSWORD: usize = 10;

/// A signed-in committee member. Extracting it checks the session cookie and, for
/// state-changing methods, the CSRF header.
#[derive(Debug, Clone)]
pub(crate) struct Committee {
    /// The account's user name.
    pub username: String,
    /// The account's id.
    pub account_id: i64,
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
                    "SELECT a.username, s.csrf_token, a.id FROM sessions s JOIN accounts a ON a.id = s.account_id
                     WHERE s.id_sha256 = ?1 AND s.expires_at > ?2 AND a.disabled = 0",
                    params![sha256(sid.as_bytes()).as_slice(), now_unix()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
                )
                .optional()?)
        })
        .await?;
        let Some((username, csrf, account_id)) = found else {
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
        Ok(Committee {
            username,
            account_id,
        })
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

/// Attempts recorded under `key` in the current window.
pub(crate) fn attempts(conn: &Connection, key: &str) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM login_attempts WHERE key = ?1 AND at > ?2")?
        .query_row(params![key, now_unix() - WINDOW_SECONDS], |r| r.get(0))?)
}

/// Records one attempt under `key` (and forgets those out of the window).
pub(crate) fn note_attempt(conn: &Connection, key: &str) -> Result<(), DbError> {
    let now = now_unix();
    conn.execute(
        "DELETE FROM login_attempts WHERE at <= ?1",
        [now - WINDOW_SECONDS],
    )?;
    conn.execute(
        "INSERT INTO login_attempts (key, at) VALUES (?1, ?2)",
        params![key, now],
    )?;
    Ok(())
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

/// Whether `sent` is the stored setup code and no account exists yet.
fn setup_allowed(conn: &Connection, sent: &str) -> Result<Result<(), AppError>, DbError> {
    if count_accounts(conn)? > 0 {
        return Ok(Err(AppError::Conflict {
            code: "already_set_up",
            message: "a committee account exists already; sign in instead".into(),
        }));
    }
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'setup_code_sha256'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let sent = sha256_hex(sent.trim().as_bytes());
    if !stored.is_some_and(|s| ct_eq(s.as_bytes(), sent.as_bytes())) {
        return Ok(Err(AppError::Forbidden {
            code: "forbidden",
            message: "wrong setup code (the server prints it to its log at start)".into(),
        }));
    }
    Ok(Ok(()))
}

/// `POST /api/setup`: the first committee account (no session needed; the setup code is).
/// The code and the absence of accounts are checked before the password is hashed, so
/// requests without the code cost no Argon2 run.
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
    let code = req.setup_code.clone();
    blocking(&ctx.db, move |conn| {
        if take_attempt(conn, &[(setup_key.as_str(), ACCOUNT_LIMIT)])?.is_none() {
            return Err(AppError::TooManyRequests);
        }
        setup_allowed(conn, &code)?
    })
    .await?;
    let hash = ctx
        .argon2(hash_password_owned(creds.password.clone()))
        .await?;
    let username = creds.username.clone();
    let (sid, csrf) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        // Checked again in the transaction: two setups may race.
        setup_allowed(&tx, &req.setup_code)??;
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

fn hash_password_owned(password: String) -> impl FnOnce() -> Result<String, AppError> + Send {
    move || hash_password(&password)
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
    let pair_key = format!("{user_key}|{ip}");
    let username = creds.username.clone();
    let ip2 = ip.clone();
    let (attempts, account, recent) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        let recent: i64 = tx.query_row(
            "SELECT count(*) FROM login_attempts WHERE key = ?1",
            [&user_key],
            |r| r.get(0),
        )?;
        let ids = take_attempt(
            &tx,
            &[
                (pair_key.as_str(), ACCOUNT_LIMIT),
                (ip2.as_str(), ADDRESS_LIMIT),
                (user_key.as_str(), i64::MAX),
            ],
        )?;
        let account: Option<(i64, String, bool)> = if ids.is_some() {
            tx.query_row(
                "SELECT id, password_hash, disabled FROM accounts WHERE username = ?1",
                [&username],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
        } else {
            None
        };
        tx.commit()?;
        Ok((ids, account, recent))
    })
    .await?;
    let Some(attempts) = attempts else {
        tracing::warn!(username = %creds.username, %ip, "login rate-limited");
        return Err(AppError::TooManyRequests);
    };
    // Many recent failures for this account from anywhere: slow every attempt down.
    let over = u64::try_from(recent - DELAY_AFTER).unwrap_or(0);
    if over > 0 {
        let ms = (over * DELAY_STEP_MS).min(DELAY_MAX_MS);
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    let password = creds.password;
    let known = account.is_some();
    let (ok, account_id, disabled) = ctx
        .argon2(move || {
            Ok(match account {
                Some((id, hash, disabled)) => (verify_password(&password, &hash), id, disabled),
                None => {
                    verify_password(&password, dummy_hash());
                    (false, 0, false)
                }
            })
        })
        .await?;
    let name = creds.username.clone();
    if !ok || disabled {
        // Only someone with the right password learns that the account is disabled.
        let detail = match (known, ok) {
            (false, _) => format!("unknown user name, from {ip}"),
            (true, true) => format!("{name}: the account is disabled, from {ip}"),
            (true, false) => format!("{name}: wrong password, from {ip}"),
        };
        blocking(&ctx.db, move |conn| {
            audit(conn, None, "system", "login_failed", &detail)?;
            Ok(())
        })
        .await?;
        return Err(if ok {
            AppError::Forbidden {
                code: "disabled",
                message: "this account is disabled; ask another committee member".into(),
            }
        } else {
            AppError::Unauthorized("wrong user name or password".into())
        });
    }
    let user_key = format!("user:{}", creds.username);
    let (sid, csrf) = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "DELETE FROM login_attempts WHERE key = ?1 OR key LIKE ?2 ESCAPE '\\'",
            params![user_key, format!("{}|%", like_escape(&user_key))],
        )?;
        for id in attempts {
            tx.execute("DELETE FROM login_attempts WHERE id = ?1", [id])?;
        }
        let s = new_session(&tx, account_id)?;
        audit(&tx, None, &name, "login", &format!("signed in from {ip}"))?;
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

/// `s` with LIKE's wildcards escaped (by `\`).
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
    let hash = ctx
        .argon2(hash_password_owned(creds.password.clone()))
        .await?;
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
        Ok(Ok(Account {
            id,
            username,
            disabled: false,
        }))
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
        let mut st = conn.prepare("SELECT id, username, disabled FROM accounts ORDER BY id")?;
        let rows = st
            .query_map([], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    disabled: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await?;
    Ok(Json(list))
}

/// `POST /api/accounts/{id}/disable` and `/enable` (committee). Disabling ends the account's
/// sessions; the last enabled account cannot be disabled.
pub(crate) async fn set_disabled(
    State(ctx): State<Ctx>,
    who: Committee,
    crate::ApiPath((id, action)): crate::ApiPath<(i64, String)>,
) -> Result<Json<Account>, AppError> {
    let disable = match action.as_str() {
        "disable" => true,
        "enable" => false,
        "revoke-sessions" => return revoke(ctx, who, id).await,
        _ => return Err(AppError::NotFound),
    };
    let account = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        let username: String = tx
            .query_row("SELECT username FROM accounts WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(AppError::NotFound)?;
        if disable {
            let others: i64 = tx.query_row(
                "SELECT count(*) FROM accounts WHERE disabled = 0 AND id <> ?1",
                [id],
                |r| r.get(0),
            )?;
            if others == 0 {
                return Err(AppError::Conflict {
                    code: "last_account",
                    message: "this is the last enabled committee account; make another first"
                        .into(),
                });
            }
        }
        tx.execute(
            "UPDATE accounts SET disabled = ?1 WHERE id = ?2",
            params![disable, id],
        )?;
        let ended = if disable {
            tx.execute("DELETE FROM sessions WHERE account_id = ?1", [id])?
        } else {
            0
        };
        audit(
            &tx,
            None,
            &who.username,
            if disable {
                "account_disabled"
            } else {
                "account_enabled"
            },
            &if disable {
                format!("{username}; {ended} sessions ended")
            } else {
                username.clone()
            },
        )?;
        tx.commit()?;
        Ok(Account {
            id,
            username,
            disabled: disable,
        })
    })
    .await?;
    Ok(Json(account))
}

/// Ends every session of account `id`.
async fn revoke(ctx: Ctx, who: Committee, id: i64) -> Result<Json<Account>, AppError> {
    let account = blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        let (username, disabled): (String, bool) = tx
            .query_row(
                "SELECT username, disabled FROM accounts WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(AppError::NotFound)?;
        let ended = tx.execute("DELETE FROM sessions WHERE account_id = ?1", [id])?;
        audit(
            &tx,
            None,
            &who.username,
            "sessions_revoked",
            &format!("{username}: {ended} sessions ended"),
        )?;
        tx.commit()?;
        Ok(Account {
            id,
            username,
            disabled,
        })
    })
    .await?;
    Ok(Json(account))
}

/// `PUT /api/session/password` (committee): a new password for the signed-in member, after
/// the current one; every other session of the account ends.
pub(crate) async fn change_password(
    State(ctx): State<Ctx>,
    who: Committee,
    headers: HeaderMap,
    ApiJson(change): ApiJson<plotwise_api::PasswordChange>,
) -> Result<axum::http::StatusCode, AppError> {
    check_new_credentials(&Credentials {
        username: who.username.clone(),
        password: change.new.clone(),
    })
    .map_err(|_| AppError::BadRequest(format!("new: at least {MIN_PASSWORD} characters")))?;
    let id = who.account_id;
    let stored: String = blocking(&ctx.db, move |conn| {
        Ok(conn.query_row(
            "SELECT password_hash FROM accounts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    })
    .await?;
    let current = change.current;
    let ok = ctx
        .argon2(move || Ok(verify_password(&current, &stored)))
        .await?;
    if !ok {
        let name = who.username.clone();
        blocking(&ctx.db, move |conn| {
            audit(
                conn,
                None,
                &name,
                "password_change_refused",
                "the current password was wrong",
            )?;
            Ok(())
        })
        .await?;
        return Err(AppError::Forbidden {
            code: "wrong_password",
            message: "current: that is not your current password".into(),
        });
    }
    let hash = ctx.argon2(hash_password_owned(change.new)).await?;
    let keep = session_id(&headers).map(|s| sha256(s.as_bytes()).to_vec());
    blocking(&ctx.db, move |conn| {
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE accounts SET password_hash = ?1 WHERE id = ?2",
            params![hash, id],
        )?;
        let ended = tx.execute(
            "DELETE FROM sessions WHERE account_id = ?1 AND id_sha256 IS NOT ?2",
            params![id, keep],
        )?;
        audit(
            &tx,
            None,
            &who.username,
            "password_changed",
            &format!("{ended} other sessions ended"),
        )?;
        tx.commit()?;
        Ok(())
    })
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `GET /api/audit` (committee): the server's own audit log (accounts, sign-ins), newest
/// last.
pub(crate) async fn server_audit(
    State(ctx): State<Ctx>,
    _who: Committee,
) -> Result<Json<Vec<plotwise_api::AuditEntry>>, AppError> {
    let rows = blocking(&ctx.db, |conn| {
        let mut st = conn.prepare(
            "SELECT id, at, actor, action, detail FROM audit_log WHERE consultation_id IS NULL
             ORDER BY id DESC LIMIT 1000",
        )?;
        let mut rows = st
            .query_map([], |r| {
                Ok(plotwise_api::AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.reverse();
        Ok(rows)
    })
    .await?;
    Ok(Json(rows))
}
