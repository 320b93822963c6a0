//! One error type for every handler, turned into a JSON answer.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plotwise_api::ApiError;

use crate::db::DbError;

/// Why a request failed. Client mistakes say what was wrong; server faults are logged
/// and answered without internal details.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request was malformed or invalid; the message names the field.
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A blocking task panicked or was cancelled.
    #[error("internal task failed")]
    Join(#[from] tokio::task::JoinError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "bad_request", msg.clone()),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "not found".to_owned()),
            AppError::Db(_) | AppError::Join(_) => {
                // Internal details go to the log, never to the client.
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal server error".to_owned(),
                )
            }
        };
        let body = ApiError {
            code: code.to_owned(),
            message,
        };
        (status, Json(body)).into_response()
    }
}
