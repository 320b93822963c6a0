//! The Plotwise server.
//!
//! `plotwise-server` is the axum application: [`app`] builds the router (the JSON API under
//! `/api` and the built web app from `web/dist`), [`db`] owns the SQLite database and its
//! migrations, and [`serve`] runs it until Ctrl+C. It is the only crate that knows the
//! database; the wire types come from `plotwise-api`, the rules and counts from
//! `plotwise-plan` and `plotwise-vote`. It is not a library for other programs: the `plotwise`
//! binary (`plotwise serve`) is its one user, besides tests.

pub mod db;
pub mod error;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use plotwise_api::Health;
use tower_http::services::{ServeDir, ServeFile};

pub use crate::db::Db;
pub use crate::error::AppError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The folder of the built web app (`web/dist`), if there is one.
    pub web_dir: Option<PathBuf>,
}

/// Builds the application's router: the API under `/api`, the web app everywhere else.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .fallback(api_not_found);
    let router = Router::new().nest("/api", api);
    let router = match &state.web_dir {
        Some(dir) if dir.join("index.html").is_file() => {
            // Unknown paths get the app's page (200), so deep links work in the browser.
            let spa = ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")));
            router.fallback_service(spa)
        }
        _ => router.fallback(web_app_missing),
    };
    router.with_state(state)
}

async fn health(State(state): State<AppState>) -> Json<Health> {
    let db = state.db.clone();
    let database = tokio::task::spawn_blocking(move || {
        let conn = db.lock()?;
        db::health(&conn)
    })
    .await;
    let database = match database {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: database failed");
            plotwise_api::DatabaseHealth {
                ok: false,
                schema_version: -1,
                journal_mode: String::new(),
                sqlite_version: String::new(),
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "health check task failed");
            plotwise_api::DatabaseHealth {
                ok: false,
                schema_version: -1,
                journal_mode: String::new(),
                sqlite_version: String::new(),
            }
        }
    };
    Json(Health {
        status: if database.ok { "ok" } else { "degraded" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database,
    })
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
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    on_ready(local);
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
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
    async fn without_a_built_app_the_root_says_how_to_build_it() {
        let (status, body) = get(app(state(None)), "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("cargo xtask run"), "{body}");
    }
}
