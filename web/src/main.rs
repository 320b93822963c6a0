//! The Plotwise browser app (yew, client-side rendered).
//!
//! It is the only crate that knows yew. All geometry, rules, metrics and exports come from
//! `plotwise-plan`, the same code the server and the CLI run; this crate holds the pages,
//! the interface state and the two languages (zh-CN and en), and nothing of its own about
//! geometry or rules.

mod app;
mod components;
mod consult;
mod derive;
mod drafts;
mod draw;
mod files;
mod i18n;
mod state;

fn main() {
    if let Some(loading) = gloo::utils::document().get_element_by_id("loading") {
        loading.remove();
    }
    // The consultation pages (`#/consult…`, `#/ballot…`) or else the editor (`app::App`).
    yew::Renderer::<consult::Root>::new().render();
}
