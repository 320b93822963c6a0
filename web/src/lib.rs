//! The Plotwise browser app (yew, client-side rendered).
//!
//! It is the only crate that knows yew. All geometry, rules, metrics and exports come from
//! `plotwise-plan`, the same code the server and the CLI run; this crate holds the pages,
//! the interface state and the two languages (zh-CN and en), and nothing of its own about
//! geometry or rules.
//!
//! It builds five bundles from this one library, so each page loads only its own code: the
//! editor (`src/bin/editor.rs`: drawing, checking, drafts, exports), the comparison of drafts
//! (`src/bin/compare.rs`, `#/compare`), the ballot a resident opens from a QR code on a phone
//! (`src/bin/ballot.rs`, `#/ballot…`), the committee's pages (`src/bin/committee.rs`,
//! `#/consult/committee…`) and the public consultation pages (`src/bin/consult.rs`,
//! `#/consult…`: consultations, proposals, results). `static/index.html` loads the bundle the address asks
//! for and reloads when an address needs another one. They share data only through the
//! browser's storage (drafts, language, large text) and the server.

mod app;
mod compare_app;
mod components;
mod consult;
mod derive;
mod drafts;
mod draw;
mod files;
mod i18n;
mod state;

/// Removes the "loading" note that index.html shows until a bundle starts.
fn remove_loading_note() {
    if let Some(loading) = gloo::utils::document().get_element_by_id("loading") {
        loading.remove();
    }
}

/// Starts the layout editor (every address but the consultation's).
pub fn start_editor() {
    remove_loading_note();
    yew::Renderer::<app::App>::new().render();
}

/// Starts the comparison page (`#/compare`).
pub fn start_compare() {
    remove_loading_note();
    yew::Renderer::<compare_app::CompareApp>::new().render();
}

/// Starts the ballot (`#/ballot…`), the consultation page residents open on a phone.
pub fn start_ballot() {
    remove_loading_note();
    yew::Renderer::<consult::BallotRoot>::new().render();
}

/// Starts the committee's pages (`#/consult/committee…`).
pub fn start_committee() {
    remove_loading_note();
    yew::Renderer::<consult::CommitteeRoot>::new().render();
}

/// Starts the consultation pages (`#/consult…`, `#/ballot…`).
pub fn start_consult() {
    remove_loading_note();
    yew::Renderer::<consult::Root>::new().render();
}
