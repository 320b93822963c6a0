//! The Plotwise server.
//!
//! `plotwise-server` is the axum application: [`app`] builds the router (the JSON API under
//! `/api` and the built web app from `web/dist`), [`store`] holds every SQL statement over
//! SQLite (the default) or PostgreSQL and their migrations, and [`serve`] runs it until
//! Ctrl+C. It is the only crate that knows the database; the wire types come from
//! `plotwise-api`, the rules and counts from `plotwise-plan` and `plotwise-vote`. It is not a
//! library for other programs: the `plotwise` binary (`plotwise serve`) is its one user,
//! besides tests.
//!
//! # Where things are
//!
//! - `routes/`: the handlers, one module per concern, none using another;
//! - `policy`: who may see and do what in which phase (pure functions);
//! - `store/`: every SQL statement, returning `plotwise-api` and `plotwise-vote` types; its
//!   backends `store::sqlite` and `store::postgres`;
//! - `tally`: counting the stored ballots with `plotwise-vote`; `ballot`: the vote's rules
//!   (ballots, settings, the resolution rule) as `plotwise-vote` types;
//! - `ballot_writer`: the group-commit thread; `sealing`: the ballot box's cryptography;
//! - `ctx`: what handlers share and extract; `net`: the accept loop and its bounds.
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
//! The schema is in `migrations/sqlite/` and `migrations/postgres/` (one commented SQL file
//! per version, the same versions for both). Ballots go through one writer thread with group
//! commit (module `ballot_writer`): a ballot is answered only after the transaction holding
//! it is committed (SQLite: `synchronous=FULL` in WAL mode; PostgreSQL: the WAL flushed at
//! commit). Several `plotwise serve` processes may share one PostgreSQL database: nothing
//! they could disagree on is kept in memory (see [`store`]).
//!
//! The option vote is a sealed ballot box (modules `sealing`, `routes::count`, `policy`): each online
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

mod ballot;
mod ballot_writer;
mod ctx;
pub mod error;
mod layout_jobs;
mod net;
mod policy;
mod routes;
mod sealing;
pub mod store;
mod tally;
mod util;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::response::Html;
use tower_http::services::{ServeDir, ServeFile};

pub use crate::ctx::{CSRF_HEADER, SESSION_COOKIE};
pub use crate::error::AppError;
pub use crate::net::Limits;
pub use crate::routes::ballots::REFUSED_PER_WINDOW;
pub use crate::routes::layout_files;
pub use crate::store::sqlite::backup;
pub use crate::store::{DbError, Dialect, Store};

/// The login limits (see `POST /api/login`).
pub mod auth {
    pub use crate::routes::accounts::{ACCOUNT_LIMIT, ADDRESS_LIMIT, DELAY_AFTER};
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The folder of the built web app (`web/dist`), if there is one.
    pub web_dir: Option<PathBuf>,
}

/// While no committee account exists, makes a new one-time setup code, stores its SHA-256
/// and returns it; `None` once an account exists. The server calls this at start and writes
/// the code to its log; `POST /api/setup` needs it. Every server process on one database
/// makes its own; any of them works, once, until the first account exists.
pub fn prepare_setup_code(store: &Store) -> Result<Option<String>, AppError> {
    store::off_runtime(|| {
        store.run_blocking(store::Mode::Write, |tx| {
            Ok(store::meta::new_setup_code(tx)?)
        })
    })
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
    let router = Router::new().nest("/api", routes::api(ctx::Ctx::new(state.store.clone())));
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
    let store = state.store.clone();
    let code = tokio::task::spawn_blocking(move || prepare_setup_code(&store))
        .await
        .map_err(std::io::Error::other)?;
    match code {
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
            store: Store::open_in_memory().unwrap(),
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
        let h: plotwise_api::Health = serde_json::from_str(&body).unwrap();
        assert_eq!(h.status, "ok");
        assert_eq!(h.version, env!("CARGO_PKG_VERSION"));
        assert!(h.database.ok);
        assert_eq!(h.database.schema_version, store::SCHEMA_VERSION);
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
