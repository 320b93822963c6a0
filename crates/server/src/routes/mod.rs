//! The HTTP handlers, one module per concern. A handler parses the request, asks
//! [`crate::policy`] what may be done and seen, and does it through [`crate::store`] (and
//! [`crate::tally`] for counts, the ballot writer for ballots). No route module uses
//! another; none holds SQL (both checked by `tests/integration/architecture.rs`).

pub(crate) mod accounts;
pub(crate) mod ballots;
pub(crate) mod consultations;
pub(crate) mod count;
pub(crate) mod health;
pub mod layout_files;
pub(crate) mod results;
pub(crate) mod sun;
pub(crate) mod tokens;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

use crate::ctx::Ctx;
use crate::error::AppError;

/// The API's routes (below `/api`).
pub(crate) fn api(ctx: Ctx) -> Router {
    let c = "/consultations/{id}";
    let upload = || DefaultBodyLimit::max(layout_files::MAX_UPLOAD_BYTES);
    Router::new()
        .route("/health", get(health::health))
        .route("/setup", post(accounts::setup))
        .route("/login", post(accounts::login))
        .route("/logout", post(accounts::logout))
        .route("/session", get(accounts::session))
        .route("/session/password", put(accounts::change_password))
        .route(
            "/accounts",
            get(accounts::list_accounts).post(accounts::create_account),
        )
        .route("/accounts/{id}/{action}", post(accounts::set_disabled))
        .route("/audit", get(accounts::server_audit))
        .route(
            "/consultations",
            get(consultations::list).post(consultations::create),
        )
        .route(c, get(consultations::get_one))
        .route(
            &format!("{c}/settings"),
            put(consultations::update_settings),
        )
        .route(&format!("{c}/transition"), post(consultations::transition))
        .route(&format!("{c}/open-vote"), post(count::open_vote))
        .route(&format!("{c}/count"), post(count::count))
        .route(
            &format!("{c}/proposals"),
            get(consultations::list_proposals).post(consultations::submit_proposal),
        )
        .route(
            &format!("{c}/options/{{index}}/layout"),
            get(consultations::option_layout),
        )
        .route(
            &format!("{c}/comparison"),
            get(layout_files::option_comparison),
        )
        .route(
            &format!("{c}/electorate"),
            get(consultations::get_electorate).put(consultations::import_electorate),
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
            post(layout_files::import_dxf).layer(upload()),
        )
        .route(
            "/import/geojson",
            post(layout_files::import_geojson).layer(upload()),
        )
        .route("/samples/{id}", get(layout_files::sample))
        .route("/sun", post(sun::sun).layer(upload()))
        .route(
            "/export/{format}",
            post(layout_files::export).layer(upload()),
        )
        .fallback(api_not_found)
        .with_state(ctx)
}

async fn api_not_found() -> AppError {
    AppError::NotFound
}
