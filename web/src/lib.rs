//! The Plotwise browser app (yew, client-side rendered).
//!
//! It is the only crate that knows yew. All geometry, rules, metrics and exports come from
//! `plotwise-plan`, the same code the server and the CLI run; this crate holds the pages,
//! the interface state and the two languages (zh-CN and en), and nothing of its own about
//! geometry or rules.
//!
//! It builds seven bundles from this one library, so each page loads only its own code: the
//! editor (`src/bin/editor.rs`: drawing, checking, drafts, exports), the comparison of drafts
//! (`src/bin/compare.rs`, `#/compare`), the sun and shade of the open draft (`src/bin/sun.rs`,
//! `#/sun`: the editor's drawing and tools with the server's sun view), the ballot a resident opens from a QR code on a phone
//! (`src/bin/ballot.rs`, `#/ballot…`), the committee's pages (`src/bin/committee.rs`,
//! `#/consult/committee…`), the public consultation pages (`src/bin/consult.rs`,
//! `#/consult…`: consultations, a consultation's home and proposals) and the results
//! (`src/bin/results.rs`, `#/consult/{id}/results` and `…/sheet`). `static/boot.js` loads the
//! bundle the address asks for, by crates/api's route table ([`routes`]), and reloads when an
//! address needs another one. They share data only through the
//! browser's storage (drafts, language, large text) and the server.

mod api;
mod app;
mod compare_app;
mod components;
mod consult;
mod derive;
mod drafts;
mod draw;
mod files;
mod gesture;
mod i18n;
mod routes;
mod state;
mod sun;
mod sun_app;
mod view;

/// Removes the "loading" note that index.html shows until a bundle starts, and renders the
/// bundle's root component `C` into the page.
fn start<C: yew::BaseComponent<Properties = ()>>() {
    if let Some(loading) = gloo::utils::document().get_element_by_id("loading") {
        loading.remove();
    }
    yew::Renderer::<C>::new().render();
}

/// Starts the layout editor (every address no other bundle takes).
pub fn start_editor() {
    start::<app::App>();
}

/// Starts the comparison page (`#/compare`).
pub fn start_compare() {
    start::<compare_app::CompareApp>();
}

/// Starts the sun and shade page (`#/sun`).
pub fn start_sun() {
    start::<sun_app::SunApp>();
}

/// Starts the ballot (`#/ballot…`), the consultation page residents open on a phone.
pub fn start_ballot() {
    start::<consult::BallotRoot>();
}

/// Starts the committee's pages (`#/consult/committee…`).
pub fn start_committee() {
    start::<consult::CommitteeRoot>();
}

/// Starts the public consultation pages (`#/consult…`).
pub fn start_consult() {
    start::<consult::Root>();
}

/// Starts a consultation's results and printable sheet (`#/consult/{id}/results`, `…/sheet`).
pub fn start_results() {
    start::<consult::ResultsRoot>();
}
