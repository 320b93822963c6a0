//! The Plotwise server.
//!
//! `plotwise-server` is the axum application: [`app`] builds the router (the JSON API under
//! `/api` and the built web app from `web/dist`), [`db`] owns the SQLite database and its
//! migrations, and [`serve`] runs it until Ctrl+C. It is the only crate that knows the
//! database; the wire types come from `plotwise-api`, the rules and counts from
//! `plotwise-plan` and `plotwise-vote`. It is not a library for other programs: the `plotwise`
//! binary (`plotwise serve`) is its one user, besides tests.
//!
//! # The first committee account
//!
//! While no account exists, the server makes a one-time setup code at start and writes it to
//! its log (`plotwise serve` prints it on stderr). `POST /api/setup` with that code, a user
//! name and a password creates the first account and signs it in; afterwards `/api/setup`
//! answers 409 and further accounts are made by a signed-in member (`POST /api/accounts`).
//! Someone who can read the server's log can therefore take the first account, and nobody
//! else: keep the log private until the committee has set up.
//!
//! # Endpoints
//!
//! "committee" means a valid session cookie, plus the `X-CSRF-Token` header on every method
//! but GET; "public" needs nothing; "token" means a one-time ballot token in the body.
//! Bodies and answers are the types of `plotwise-api`; errors are `ApiError`.
//!
//! | method and path | who | body → answer |
//! |---|---|---|
//! | `GET /api/health` | public | → `Health` |
//! | `POST /api/setup` | setup code | `SetupRequest` → `SessionInfo` + cookie |
//! | `POST /api/login` | public, rate-limited | `Credentials` → `SessionInfo` + cookie |
//! | `POST /api/logout` | committee | → 204 |
//! | `GET /api/session` | committee | → `SessionInfo` |
//! | `GET, POST /api/accounts` | committee | `Credentials` → `Account` |
//! | `POST /api/accounts/{id}/disable`, `/enable`, `/revoke-sessions` | committee | → `Account` (disabling ends its sessions; not the last enabled account) |
//! | `PUT /api/session/password` | committee | `PasswordChange` → 204 (the account's other sessions end) |
//! | `GET /api/audit` | committee | → `[AuditEntry]`: sign-ins, failed sign-ins, account changes |
//! | `GET /api/consultations` | public (drafts: committee only) | → `[Consultation]` |
//! | `POST /api/consultations` | committee | `NewConsultation` → `Consultation` |
//! | `GET /api/consultations/{id}` | public (a draft: committee only, else 404) | → `Consultation` |
//! | `PUT /api/consultations/{id}/settings` | committee, before voting | `Settings` → `Consultation` |
//! | `POST /api/consultations/{id}/transition` | committee | `Transition` → `Consultation` (not to `voting` or `closed`: the two requests below) |
//! | `POST /api/consultations/{id}/open-vote` | committee, frozen (or voting before any ballot: new codes) | → `OpenedVote` (the scrutineers' two codes, shown once) |
//! | `POST /api/consultations/{id}/count` | committee, voting | `CountRequest` → `CountReport` (403 `wrong_codes`, 409 `paper_mismatch`, 503 `count_incomplete`: retry) |
//! | `GET /api/consultations/{id}/proposals` | public | → `[Proposal]` |
//! | `POST /api/consultations/{id}/proposals` | public, while collecting; 30 per address per 15 min | `NewProposal` → `Proposal` |
//! | `GET /api/consultations/{id}/options/{index}/layout` | public | → the frozen layout JSON |
//! | `PUT /api/consultations/{id}/electorate` | committee, before voting | CSV text → `ElectorateSummary` (422 with one error per bad line) |
//! | `GET /api/consultations/{id}/electorate` | committee | → `[Unit]` |
//! | `POST /api/consultations/{id}/tokens[?format=sheet]` | committee; option tokens while frozen or voting, resolution tokens from frozen to resolution | `IssueTokens` → `IssuedTokens`, or an HTML sheet of QR codes |
//! | `POST /api/ballot-page` | token | `TokenQuery` → `BallotPage` |
//! | `POST /api/ballots` | token | `OnlineBallot` → `BallotReceipt` with a receipt code (409 `already_voted`) |
//! | `POST /api/consultations/{id}/paper-voters` | committee, voting | `PaperVoter` → `BallotReceipt` (the unit put its option-vote ballot in the box; 409 `already_voted`) |
//! | `POST /api/consultations/{id}/paper-ballots` | committee, resolution | `PaperBallot` (formal resolution only: signed) → `BallotReceipt` (409 `already_voted`) |
//! | `GET /api/consultations/{id}/results` | committee from voting on (participation only until the count); public once published | → `Results` |
//! | `GET /api/consultations/{id}/receipts` | committee once counted; public once published | → `Receipts` |
//! | `GET /api/consultations/{id}/sheet` | as results | → the printable result sheet (HTML, zh-CN and English, with the digests) |
//! | `GET /api/consultations/{id}/export/ballots.{csv,soc,soi,toc,toi,cat}` | committee once closed; public once published | → the option ballots |
//! | `GET /api/consultations/{id}/export/register.csv` | committee, or an owner's token in `X-Ballot-Token`, once validated | → `unit,building,area_m2,owner,choice` |
//! | `GET /api/consultations/{id}/participation?round=option\|resolution` | committee | → `[Voted]` (who voted and how, never what) |
//! | `GET /api/consultations/{id}/audit` | committee | → `[AuditEntry]` |
//!
//! # Storage, durability, secrecy
//!
//! The schema is in `migrations/` (one commented SQL file per version). Ballots go through one
//! writer thread with group commit (module `ballots`): a ballot is answered only after the
//! transaction holding it is committed with `synchronous=FULL` in WAL mode.
//!
//! The option vote is a sealed ballot box (modules `sealing`, `count`, `policy`): each online
//! ballot is sealed to the consultation's box in the transaction that marks its unit as having
//! voted; paper ballots are marked at the desk by unit and entered at the count without one;
//! the box's key opens only with both scrutineers' codes, at the count, which shuffles all
//! ballots into storage without unit, time, channel or order, erases the envelopes and the
//! key, rewrites the file and empties the WAL, and only then closes the vote. Until then
//! nobody sees a count or a digest of the ballots, only participation. Formal-resolution
//! votes are signed (`resolution_votes`: unit, choice).
//!
//! # Security notes
//!
//! The session cookie is `HttpOnly; SameSite=Strict` (and `Secure` when the app was loaded
//! over https); state-changing committee requests also need the session's CSRF token in a
//! header. Login attempts are limited per account and per client address (see [`auth`]);
//! behind a reverse proxy every client has the proxy's address, so the per-address limit then
//! applies to all of them together.

pub mod auth;
pub mod backup;
mod ballots;
mod consult;
mod count;
pub mod db;
pub mod error;
pub mod layout_files;
mod net;
mod policy;
mod results;
mod sealing;
mod tokens;
mod util;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::response::Html;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use plotwise_api::Health;
use rusqlite::Connection;
use serde::de::DeserializeOwned;
use tower_http::services::{ServeDir, ServeFile};

pub use crate::auth::prepare_setup_code;
pub use crate::ballots::REFUSED_PER_WINDOW;
pub use crate::db::Db;
pub use crate::error::AppError;
pub use crate::net::Limits;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The folder of the built web app (`web/dist`), if there is one.
    pub web_dir: Option<PathBuf>,
}

/// The state the handlers see: the [`AppState`] plus the ballot writer (group commit).
#[derive(Clone)]
pub(crate) struct Ctx {
    db: Db,
    ballots: ballots::Writer,
    key: Arc<std::sync::OnceLock<[u8; 32]>>,
    /// Argon2 runs at once (19 MiB each): their own small pool, apart from the database.
    argon2: Arc<tokio::sync::Semaphore>,
    /// Final results, computed once per phase.
    results: results::ResultsCache,
}

/// Argon2 hashes computed at once.
const ARGON2_AT_ONCE: usize = 2;

impl Ctx {
    /// Runs an Argon2 job (`f`) on a blocking thread, at most [`ARGON2_AT_ONCE`] at a time.
    async fn argon2<T: Send + 'static>(
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

    /// The ballot-token HMAC key (made on first use).
    fn ballot_key(&self, conn: &Connection) -> Result<[u8; 32], AppError> {
        if let Some(k) = self.key.get() {
            return Ok(*k);
        }
        let k = db::ballot_key(conn)?;
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

/// Runs `f` with the locked connection on a blocking thread.
pub(crate) async fn blocking<T, F>(db: &Db, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
{
    let db = db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.lock()?;
        f(&mut conn)
    })
    .await?
}

/// Appends a line to the audit log.
pub(crate) fn audit(
    conn: &Connection,
    consultation: Option<i64>,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO audit_log (consultation_id, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(rusqlite::params![consultation, actor, action, detail])?;
    Ok(())
}

/// Builds the application's router: the API under `/api`, the web app everywhere else, with
/// the default [`Limits`].
///
/// Each call starts its own ballot writer thread, which ends when the router (and every
/// clone of it) is dropped.
pub fn app(state: AppState) -> Router {
    app_with(state, Limits::default())
}

/// [`app`] with these limits (request time, requests at once).
pub fn app_with(state: AppState, limits: Limits) -> Router {
    let ctx = Ctx {
        ballots: ballots::Writer::start(state.db.clone()),
        db: state.db.clone(),
        key: Arc::default(),
        argon2: Arc::new(tokio::sync::Semaphore::new(ARGON2_AT_ONCE)),
        results: results::ResultsCache::default(),
    };
    let c = "/consultations/{id}";
    let api = Router::new()
        .route("/health", get(health))
        .route("/setup", post(auth::setup))
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/session", get(auth::session))
        .route("/session/password", put(auth::change_password))
        .route(
            "/accounts",
            get(auth::list_accounts).post(auth::create_account),
        )
        .route("/accounts/{id}/{action}", post(auth::set_disabled))
        .route("/audit", get(auth::server_audit))
        .route("/consultations", get(consult::list).post(consult::create))
        .route(c, get(consult::get_one))
        .route(&format!("{c}/settings"), put(consult::update_settings))
        .route(&format!("{c}/transition"), post(consult::transition))
        .route(&format!("{c}/open-vote"), post(count::open_vote))
        .route(&format!("{c}/count"), post(count::count))
        .route(
            &format!("{c}/proposals"),
            get(consult::list_proposals).post(consult::submit_proposal),
        )
        .route(
            &format!("{c}/options/{{index}}/layout"),
            get(consult::option_layout),
        )
        .route(&format!("{c}/comparison"), get(consult::option_comparison))
        .route(
            &format!("{c}/electorate"),
            get(consult::get_electorate).put(consult::import_electorate),
        )
        .route(&format!("{c}/tokens"), post(tokens::issue))
        .route("/ballot-page", post(tokens::ballot_page))
        .route("/ballots", post(ballots::submit_online))
        .route(&format!("{c}/paper-ballots"), post(ballots::submit_paper))
        .route(
            &format!("{c}/paper-voters"),
            post(ballots::mark_paper_voter),
        )
        .route(&format!("{c}/receipts"), get(results::receipts))
        .route(&format!("{c}/results"), get(results::results))
        .route(&format!("{c}/export/{{file}}"), get(results::export))
        .route(&format!("{c}/sheet"), get(results::sheet))
        .route(&format!("{c}/participation"), get(results::voted))
        .route(&format!("{c}/audit"), get(results::audit_log))
        .route(
            "/import/dxf",
            post(layout_files::import_dxf)
                .layer(DefaultBodyLimit::max(layout_files::MAX_UPLOAD_BYTES)),
        )
        .route(
            "/import/geojson",
            post(layout_files::import_geojson)
                .layer(DefaultBodyLimit::max(layout_files::MAX_UPLOAD_BYTES)),
        )
        .route("/samples/{id}", get(layout_files::sample))
        .route(
            "/export/{format}",
            post(layout_files::export).layer(DefaultBodyLimit::max(layout_files::MAX_UPLOAD_BYTES)),
        )
        .fallback(api_not_found)
        .with_state(ctx);
    let router = Router::new().nest("/api", api);
    let router = match &state.web_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            // Unknown paths get the app's page (200), so deep links work in the browser.
            // The web build writes .br and .gz beside each asset; browsers get the smallest
            // they accept (the wasm is about a fifth smaller as brotli than as gzip).
            let spa = ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa)
        }
        _ => router.fallback(web_app_missing),
    };
    let timeout = limits.request;
    router
        .layer(axum::middleware::from_fn(move |req, next| {
            net::request_timeout(timeout, req, next)
        }))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            limits.requests,
        ))
        .layer(axum::middleware::from_fn(net::security_headers))
}

async fn health(State(ctx): State<Ctx>) -> (axum::http::StatusCode, Json<Health>) {
    let db = ctx.db.clone();
    let database = tokio::task::spawn_blocking(move || {
        let free = db.free_bytes();
        let mut conn = db.lock()?;
        db::health(&mut conn, free)
    })
    .await;
    let failed = |reason: String| plotwise_api::DatabaseHealth {
        ok: false,
        reason: Some(reason),
        free_bytes: None,
        schema_version: -1,
        journal_mode: String::new(),
        sqlite_version: String::new(),
    };
    let database = match database {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database failed");
            failed(format!("the database cannot be read: {e}"))
        }
        Err(e) => {
            tracing::error!(error = %e, "health check task failed");
            failed("the health check failed inside the server".into())
        }
    };
    if let Some(reason) = &database.reason {
        tracing::warn!(reason, "health: degraded");
    }
    let status = if database.ok {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            status: if database.ok { "ok" } else { "degraded" }.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database,
        }),
    )
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}

async fn web_app_missing() -> Html<&'static str> {
    Html(concat!(
        "<!doctype html><meta charset=utf-8><title>Plotwise</title>",
        "<p>The web app has not been built. Run <code>cargo xtask run</code>.</p>",
        "<p>网页应用尚未构建。请运行 <code>cargo xtask run</code>。</p>"
    ))
}

/// Where the built web app is: `PLOTWISE_WEB_DIR`, else `web/dist` below the current folder,
/// else `web/dist` of the source tree this binary was built from.
pub fn default_web_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PLOTWISE_WEB_DIR") {
        return Some(PathBuf::from(dir));
    }
    let candidates = [
        PathBuf::from("web/dist"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/dist"),
    ];
    candidates
        .into_iter()
        .find(|dir| dir.join("index.html").is_file())
}

/// Serves the app on `addr` until Ctrl+C (or SIGTERM), then finishes the requests under way.
/// `on_ready` is called with the bound address once the server accepts connections.
pub async fn serve(
    state: AppState,
    addr: SocketAddr,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    serve_with(state, addr, Limits::default(), shutdown_signal(), on_ready).await
}

/// [`serve`] with these limits, until `shutdown` completes.
pub async fn serve_with(
    state: AppState,
    addr: SocketAddr,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    match prepare_setup_code(&state.db) {
        Ok(Some(code)) => tracing::warn!(
            setup_code = %code,
            "no committee account yet: create the first one with POST /api/setup and this one-time code"
        ),
        Ok(None) => {}
        Err(e) => tracing::error!(error = %e, "cannot prepare the setup code"),
    }
    on_ready(local);
    net::serve_with(listener, app_with(state, limits), limits, shutdown).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl+C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn state(web_dir: Option<PathBuf>) -> AppState {
        AppState {
            db: Db::open_in_memory().unwrap(),
            web_dir,
        }
    }

    async fn get(app: Router, uri: &str) -> (StatusCode, String) {
        let res = app
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn health_reports_version_and_database() {
        let (status, body) = get(app(state(None)), "/api/health").await;
        assert_eq!(status, StatusCode::OK);
        let h: Health = serde_json::from_str(&body).unwrap();
        assert_eq!(h.status, "ok");
        assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
        assert!(h.database.ok);
        assert_eq!(h.database.schema_version, db::SCHEMA_VERSION);
    }

    #[tokio::test]
    async fn unknown_api_paths_are_json_404s() {
        let (status, body) = get(app(state(None)), "/api/nope").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let e: plotwise_api::ApiError = serde_json::from_str(&body).unwrap();
        assert_eq!(e.code, "not_found");
    }

    #[tokio::test]
    async fn the_web_app_is_served_with_deep_links_falling_back_to_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<title>Plotwise app</title>").unwrap();
        std::fs::write(dir.path().join("app.js"), "console.log(1)").unwrap();
        let web = Some(dir.path().to_path_buf());
        let (status, body) = get(app(state(web.clone())), "/").await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "<title>Plotwise app</title>")
        );
        let (status, body) = get(app(state(web.clone())), "/app.js").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "console.log(1)"));
        let (status, body) = get(app(state(web)), "/compare/some-draft").await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "<title>Plotwise app</title>")
        );
    }

    #[tokio::test]
    async fn precompressed_assets_go_to_browsers_that_accept_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<title>app</title>").unwrap();
        std::fs::write(dir.path().join("app.wasm"), b"raw wasm").unwrap();
        std::fs::write(dir.path().join("app.wasm.br"), b"brotli wasm").unwrap();
        std::fs::write(dir.path().join("app.wasm.gz"), b"gzip wasm").unwrap();
        let web = Some(dir.path().to_path_buf());
        for (accept, body, encoding) in [
            ("br, gzip", "brotli wasm", Some("br")),
            ("gzip", "gzip wasm", Some("gzip")),
            ("identity", "raw wasm", None),
        ] {
            let res = app(state(web.clone()))
                .oneshot(
                    Request::get("/app.wasm")
                        .header("accept-encoding", accept)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let got_encoding = res
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(got_encoding.as_deref(), encoding, "{accept}");
            assert_eq!(
                res.headers().get("content-type").unwrap(),
                "application/wasm",
                "{accept}"
            );
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            assert_eq!(&bytes[..], body.as_bytes(), "{accept}");
        }
    }

    #[tokio::test]
    async fn without_a_built_app_the_root_says_how_to_build_it() {
        let (status, body) = get(app(state(None)), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("cargo xtask run"), "{body}");
    }
}
