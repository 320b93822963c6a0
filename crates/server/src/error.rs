//! One error type for every handler, turned into a JSON answer.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plotwise_api::{ApiError, LineError};

/// Why a request failed. Client mistakes say what was wrong; server faults are logged
/// and answered without internal details.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request was malformed or invalid; the message names the field.
    #[error("{0}")]
    BadRequest(String),
    /// A file the user sent does not read; the message comes from `crates/plan` in both
    /// languages and names the feature, field or line.
    #[error("{}", .0.en)]
    BadFile(plotwise_plan::Text),
    /// The thing asked for does not exist.
    #[error("not found")]
    NotFound,
    /// No valid session (or ballot token) came with the request.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller may not do this; `code` says why (`csrf`, `forbidden`).
    #[error("{message}")]
    Forbidden {
        /// A stable code.
        code: &'static str,
        /// The explanation.
        message: String,
    },
    /// The request conflicts with the current state: a consultation in the wrong phase
    /// (`wrong_phase`), a unit that has already voted (`already_voted`), …
    #[error("{message}")]
    Conflict {
        /// A stable code.
        code: &'static str,
        /// The explanation.
        message: String,
    },
    /// The server could not finish now (a full disk, a busy database file); nothing was
    /// lost and the same request may be sent again.
    #[error("{message}")]
    Unavailable {
        /// A stable code.
        code: &'static str,
        /// The explanation.
        message: String,
    },
    /// A file or layout over one of `plotwise_plan::limits` (413 for its size in bytes, 422
    /// for its vertices, rings or features); the message names the limit in both languages.
    #[error("{}", .text.en)]
    OverLimit {
        /// Whether the limit is the size in bytes.
        bytes: bool,
        /// The message.
        text: plotwise_plan::Text,
    },
    /// A field of the request does not read; `code` names the kind (`bad_window`), the
    /// message (both languages) the field. 400.
    #[error("{}", .text.en)]
    BadField {
        /// A stable code.
        code: &'static str,
        /// The message (boxed: every `Result` of the server carries this enum).
        text: Box<plotwise_plan::Text>,
    },
    /// A well-formed request that cannot be answered as asked: a sun analysis of a plot
    /// without a geographic position (`no_location`), a grid of too many cells
    /// (`too_many_cells`). The message in both languages. 422.
    #[error("{}", .text.en)]
    Unprocessable {
        /// A stable code.
        code: &'static str,
        /// The message (boxed, as above).
        text: Box<plotwise_plan::Text>,
    },
    /// Too many failed attempts; try again later.
    #[error("too many attempts; try again in a few minutes")]
    TooManyRequests,
    /// An uploaded file has errors, one per bad line.
    #[error("{message}")]
    InvalidFile {
        /// A summary.
        message: String,
        /// One error per bad line.
        errors: Vec<LineError>,
    },
    /// The database failed; the text is logged, never sent.
    #[error("database: {0}")]
    Db(String),
    /// The transaction lost a race with another one (a deadlock or serialisation failure on
    /// PostgreSQL); the store runs it again, and answers this (503 `busy`) only if it keeps
    /// losing.
    #[error("the database is busy: {0}")]
    Raced(String),
    /// A blocking task panicked or was cancelled.
    #[error("internal task failed")]
    Join(#[from] tokio::task::JoinError),
    /// Something else failed inside the server; the text is logged, never sent.
    #[error("{0}")]
    Internal(String),
}

impl From<plotwise_plan::limits::LimitError> for AppError {
    fn from(e: plotwise_plan::limits::LimitError) -> Self {
        AppError::OverLimit {
            bytes: e.limit == plotwise_plan::limits::Limit::FileBytes,
            text: e.message(),
        }
    }
}

impl AppError {
    /// A 409 answer for a consultation in the wrong phase.
    pub(crate) fn wrong_phase(message: impl Into<String>) -> Self {
        AppError::Conflict {
            code: "wrong_phase",
            message: message.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut errors = Vec::new();
        let mut message_zh = None;
        let (status, code, message) = match self {
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "bad_request", msg),
            AppError::BadFile(text) => {
                message_zh = Some(text.zh);
                (StatusCode::BAD_REQUEST, "bad_file", text.en)
            }
            AppError::BadField { code, text } => {
                let plotwise_plan::Text { en, zh } = *text;
                message_zh = Some(zh);
                (StatusCode::BAD_REQUEST, code, en)
            }
            AppError::Unprocessable { code, text } => {
                let plotwise_plan::Text { en, zh } = *text;
                message_zh = Some(zh);
                (StatusCode::UNPROCESSABLE_ENTITY, code, en)
            }
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "not found".to_owned()),
            AppError::Unauthorized(msg) => (StatusCode::UNAUTHORIZED, "unauthorized", msg),
            AppError::Forbidden { code, message } => (StatusCode::FORBIDDEN, code, message),
            AppError::Conflict { code, message } => (StatusCode::CONFLICT, code, message),
            AppError::OverLimit { bytes, text } => {
                message_zh = Some(text.zh);
                (
                    if bytes {
                        StatusCode::PAYLOAD_TOO_LARGE
                    } else {
                        StatusCode::UNPROCESSABLE_ENTITY
                    },
                    "too_large",
                    text.en,
                )
            }
            AppError::Raced(e) => {
                tracing::warn!(error = %e, "a transaction kept losing races with others");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "the server is busy; nothing was saved. Try again in a moment".to_owned(),
                )
            }
            AppError::Unavailable { code, message } => {
                tracing::warn!(code, "request could not finish: {message}");
                (StatusCode::SERVICE_UNAVAILABLE, code, message)
            }
            AppError::TooManyRequests => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                AppError::TooManyRequests.to_string(),
            ),
            AppError::InvalidFile { message, errors: e } => {
                errors = e;
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file", message)
            }
            e @ (AppError::Db(_) | AppError::Join(_) | AppError::Internal(_)) => {
                // Internal details go to the log, never to the client.
                tracing::error!(error = %e, "request failed");
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
            message_zh,
            errors,
        };
        (status, Json(body)).into_response()
    }
}
