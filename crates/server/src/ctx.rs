//! What every handler shares ([`Ctx`]), and what it extracts from a request: JSON bodies,
//! paths and queries whose errors are answered as `ApiError`, the signed-in committee member
//! (session cookie and CSRF header), the client's address.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::{Extension, Json};
use serde::de::DeserializeOwned;

use crate::ballot_writer::Writer;
use crate::error::AppError;
use crate::policy::Viewer;
use crate::store::{Store, accounts, meta};
use crate::tally::ResultsCache;
use crate::util::ct_eq;

/// Argon2 hashes computed at once.
const ARGON2_AT_ONCE: usize = 2;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "plotwise_session";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The state the handlers see.
#[derive(Clone)]
pub(crate) struct Ctx {
    /// The database.
    pub store: Store,
    /// The ballot writer (group commit).
    pub ballots: Writer,
    /// The ballot-token HMAC key, read once (it never changes once made).
    key: Arc<std::sync::OnceLock<[u8; 32]>>,
    /// Argon2 runs at once (19 MiB each): their own small pool, apart from the database.
    argon2: Arc<tokio::sync::Semaphore>,
    /// Final results, computed once per phase.
    pub results: ResultsCache,
}

impl Ctx {
    /// The context of one app over `store`; starts its ballot writer.
    pub(crate) fn new(store: Store) -> Ctx {
        Ctx {
            ballots: Writer::start(store.clone()),
            store,
            key: Arc::default(),
            argon2: Arc::new(tokio::sync::Semaphore::new(ARGON2_AT_ONCE)),
            results: ResultsCache::default(),
        }
    }

    /// Runs an Argon2 job (`f`) on a blocking thread, at most [`ARGON2_AT_ONCE`] at a time.
    pub(crate) async fn argon2<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .argon2
            .acquire()
            .await
            .map_err(|_| AppError::Internal("argon2 pool closed".into()))?;
        tokio::task::spawn_blocking(f).await?
    }

    /// The ballot-token HMAC key (made on first use by whichever server process comes first).
    pub(crate) async fn ballot_key(&self) -> Result<[u8; 32], AppError> {
        if let Some(k) = self.key.get() {
            return Ok(*k);
        }
        let k = self.store.write(|tx| Ok(meta::ballot_key(tx)?)).await?;
        Ok(*self.key.get_or_init(|| k))
    }
}

/// A JSON body whose errors are answered as [`plotwise_api::ApiError`].
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(AppError::BadRequest(rejection.body_text())),
        }
    }
}

/// A path parameter whose errors are answered as [`plotwise_api::ApiError`].
pub(crate) struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(rejection) => Err(AppError::BadRequest(rejection.body_text())),
        }
    }
}

/// A query string whose errors are answered as [`plotwise_api::ApiError`].
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => Err(AppError::BadRequest(rejection.body_text())),
        }
    }
}

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
        let found = ctx
            .store
            .read(move |tx| Ok(accounts::session(tx, &sid)?))
            .await?;
        let Some(s) = found else {
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
            if !ct_eq(sent.as_bytes(), s.csrf.as_bytes()) {
                return Err(AppError::Forbidden {
                    code: "csrf",
                    message: "missing or wrong X-CSRF-Token header".into(),
                });
            }
        }
        Ok(Committee {
            username: s.username,
            account_id: s.account_id,
        })
    }
}

/// The session id from the `Cookie` header, if it has the right shape.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The viewer behind an optional committee session.
pub(crate) fn viewer(who: &Result<Committee, AppError>) -> Viewer {
    if who.is_ok() {
        Viewer::Committee
    } else {
        Viewer::Public
    }
}

/// The rate-limit key of the client's address.
pub(crate) fn client_key(addr: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    match addr {
        Some(Extension(ConnectInfo(a))) => format!("ip:{}", a.ip()),
        None => "ip:unknown".to_owned(),
    }
}
