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
//!   to its log at start while no account exists ([`crate::prepare_setup_code`]).

use std::net::SocketAddr;
use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse};
use axum::{Extension, Json};
use plotwise_api::{Account, Credentials, SessionInfo, SetupRequest};

use crate::ctx::{ApiJson, ApiPath, Committee, Ctx, SESSION_COOKIE, client_key, session_id};
use crate::error::AppError;
use crate::store::{Tx, accounts, audit, limits, meta};
use crate::util::sha256;

/// How long a session lasts, in seconds (12 hours).
const SESSION_SECONDS: i64 = 12 * 3600;
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

/// Whether `sent` is a stored setup code and no account exists yet.
fn setup_allowed(tx: &mut dyn Tx, sent: &str) -> Result<(), AppError> {
    if meta::has_accounts(tx)? {
        return Err(AppError::Conflict {
            code: "already_set_up",
            message: "a committee account exists already; sign in instead".into(),
        });
    }
    if !meta::setup_code_valid(tx, sent)? {
        return Err(AppError::Forbidden {
            code: "forbidden",
            message: "wrong setup code (the server prints it to its log at start)".into(),
        });
    }
    Ok(())
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
    let setup_key = format!("setup:{}", client_key(addr));
    let code = req.setup_code.clone();
    ctx.store
        .write(move |tx| {
            if limits::take(tx, &[(setup_key.as_str(), ACCOUNT_LIMIT)])?.is_none() {
                return Err(AppError::TooManyRequests);
            }
            Ok(())
        })
        .await?;
    ctx.store.read(move |tx| setup_allowed(tx, &code)).await?;
    let hash = ctx
        .argon2(hash_password_owned(creds.password.clone()))
        .await?;
    let username = creds.username.clone();
    let code = req.setup_code;
    let (sid, csrf) = ctx
        .store
        .write(move |tx| {
            // Checked again, under the accounts lock: two setups may race (on two servers).
            accounts::lock(tx)?;
            setup_allowed(tx, &code)?;
            let id = accounts::create(tx, &username, &hash)?;
            meta::drop_setup_codes(tx)?;
            audit::log(
                tx,
                None,
                &username,
                "account_created",
                "first committee account (setup)",
            )?;
            Ok(accounts::new_session(tx, id, SESSION_SECONDS)?)
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
    let (attempts, account, recent) = ctx
        .store
        .write(move |tx| {
            let recent = limits::count(tx, &user_key)?;
            let ids = limits::take(
                tx,
                &[
                    (pair_key.as_str(), ACCOUNT_LIMIT),
                    (ip2.as_str(), ADDRESS_LIMIT),
                    (user_key.as_str(), i64::MAX),
                ],
            )?;
            let account = if ids.is_some() {
                accounts::by_name(tx, &username)?
            } else {
                None
            };
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
        ctx.store
            .write(move |tx| Ok(audit::log(tx, None, "system", "login_failed", &detail)?))
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
    let (sid, csrf) = ctx
        .store
        .write(move |tx| {
            limits::clear_account(tx, &user_key, &attempts)?;
            let s = accounts::new_session(tx, account_id, SESSION_SECONDS)?;
            audit::log(tx, None, &name, "login", &format!("signed in from {ip}"))?;
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
        ctx.store
            .write(move |tx| Ok(accounts::end_session(tx, &sid)?))
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
    let csrf = ctx
        .store
        .read(move |tx| accounts::csrf_of(tx, &sid)?.ok_or(AppError::NotFound))
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
    let account = ctx
        .store
        .write(move |tx| {
            accounts::lock(tx)?;
            if accounts::exists(tx, &username)? {
                return Err(AppError::Conflict {
                    code: "exists",
                    message: format!("an account named {username:?} exists already"),
                });
            }
            let id = accounts::create(tx, &username, &hash)?;
            audit::log(tx, None, &who.username, "account_created", &username)?;
            Ok(Account {
                id,
                username: username.clone(),
                disabled: false,
            })
        })
        .await?;
    Ok(Json(account))
}

/// `GET /api/accounts` (committee).
pub(crate) async fn list_accounts(
    State(ctx): State<Ctx>,
    _who: Committee,
) -> Result<Json<Vec<Account>>, AppError> {
    Ok(Json(ctx.store.read(|tx| Ok(accounts::list(tx)?)).await?))
}

/// `POST /api/accounts/{id}/disable` and `/enable` (committee). Disabling ends the account's
/// sessions; the last enabled account cannot be disabled.
pub(crate) async fn set_disabled(
    State(ctx): State<Ctx>,
    who: Committee,
    ApiPath((id, action)): ApiPath<(i64, String)>,
) -> Result<Json<Account>, AppError> {
    let disable = match action.as_str() {
        "disable" => true,
        "enable" => false,
        "revoke-sessions" => return revoke(ctx, who, id).await,
        _ => return Err(AppError::NotFound),
    };
    let account = ctx
        .store
        .write(move |tx| {
            accounts::lock(tx)?;
            let username = accounts::by_id(tx, id)?.ok_or(AppError::NotFound)?.username;
            if disable && accounts::other_enabled(tx, id)? == 0 {
                return Err(AppError::Conflict {
                    code: "last_account",
                    message: "this is the last enabled committee account; make another first"
                        .into(),
                });
            }
            accounts::set_disabled(tx, id, disable)?;
            let ended = if disable {
                accounts::end_sessions(tx, id, None)?
            } else {
                0
            };
            audit::log(
                tx,
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
    let account = ctx
        .store
        .write(move |tx| {
            let account = accounts::by_id(tx, id)?.ok_or(AppError::NotFound)?;
            let ended = accounts::end_sessions(tx, id, None)?;
            audit::log(
                tx,
                None,
                &who.username,
                "sessions_revoked",
                &format!("{}: {ended} sessions ended", account.username),
            )?;
            Ok(account)
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
    let stored = ctx
        .store
        .read(move |tx| Ok(accounts::password_hash(tx, id)?))
        .await?;
    let current = change.current;
    let ok = ctx
        .argon2(move || Ok(verify_password(&current, &stored)))
        .await?;
    if !ok {
        let name = who.username.clone();
        ctx.store
            .write(move |tx| {
                Ok(audit::log(
                    tx,
                    None,
                    &name,
                    "password_change_refused",
                    "the current password was wrong",
                )?)
            })
            .await?;
        return Err(AppError::Forbidden {
            code: "wrong_password",
            message: "current: that is not your current password".into(),
        });
    }
    let hash = ctx.argon2(hash_password_owned(change.new)).await?;
    let keep = session_id(&headers).map(|s| sha256(s.as_bytes()).to_vec());
    ctx.store
        .write(move |tx| {
            accounts::set_password(tx, id, &hash)?;
            let ended = accounts::end_sessions(tx, id, keep.as_deref())?;
            audit::log(
                tx,
                None,
                &who.username,
                "password_changed",
                &format!("{ended} other sessions ended"),
            )?;
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
    Ok(Json(ctx.store.read(|tx| Ok(audit::of_server(tx)?)).await?))
}
