//! `GET /api/health`: a real write, the schema version, the disk's free space.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use plotwise_api::Health;

use crate::ctx::Ctx;

/// `GET /api/health` (public): 200 `ok`, or 503 `degraded` with the reason (a read-only or
/// full disk, a database that cannot be reached).
pub(crate) async fn health(State(ctx): State<Ctx>) -> (StatusCode, Json<Health>) {
    let store = ctx.store.clone();
    let database = tokio::task::spawn_blocking(move || store.health()).await;
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
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
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
