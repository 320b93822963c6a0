//! The wire types of Plotwise's HTTP JSON API.
//!
//! `plotwise-api` is the only crate that defines the JSON exchanged between the server
//! (`plotwise-server`) and the browser app (`web/`). It holds plain serde types, the web
//! app's address table ([`routes`], which the server's ballot links use too), and re-exports
//! `plotwise-vote`'s counting types that travel as they are (method, choice, headcount and
//! tie-break rules, explanation, tie-break record, fraction, checked condition), and nothing
//! else: no handlers, no storage, no geometry logic. It does not depend on `serde_json`, so no
//! wire type can hold a loosely typed `serde_json::Value` (tests/integration/architecture.rs
//! keeps it so).

use serde::{Deserialize, Serialize};

/// The answer of `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when the server can write its database and its disk has room, `"degraded"`
    /// otherwise (answered with HTTP 503).
    pub status: String,
    /// The server's version (the workspace version).
    pub version: String,
    /// The state of the database.
    pub database: DatabaseHealth,
}

/// What the server knows of its database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseHealth {
    /// Whether a write was committed just now and the disk has room.
    pub ok: bool,
    /// Why not, when not (a read-only or full disk, a damaged file…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Free bytes on the disk of the database file, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_bytes: Option<u64>,
    /// The schema version the database is at after migrations.
    pub schema_version: i64,
    /// SQLite's journal mode (`"wal"` in normal operation).
    pub journal_mode: String,
    /// The SQLite library version linked into the server.
    pub sqlite_version: String,
}

/// The body of every error answer from the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable machine-readable code, such as `"not_found"` or `"bad_request"`.
    pub code: String,
    /// A human-readable message in English; never internal details.
    pub message: String,
    /// The same message in Chinese (zh-CN), when the server has it (files read by
    /// `crates/plan`, whose messages are bilingual); clients fall back to `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    /// One entry per bad line or field, when the request was a file with several errors
    /// (an electorate CSV); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<LineError>,
}

/// One error in an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    /// The 1-based line number in the file (the header is line 1).
    pub line: u64,
    /// What is wrong with that line.
    pub message: String,
}

pub mod consult;
pub mod routes;
pub mod sun;
pub use consult::*;
pub use sun::*;
