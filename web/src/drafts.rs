//! Drafts kept in the browser's `localStorage`: an index of my drafts and one stored
//! `LayoutDocument` (plan's versioned JSON) per draft, saved after every edit.

use gloo::storage::{LocalStorage, Storage};
use plotwise_plan::LayoutDocument;
use plotwise_plan::model::Layout;
use serde::{Deserialize, Serialize};

const INDEX_KEY: &str = "plotwise.drafts";
const CURRENT_KEY: &str = "plotwise.current-draft";
const DOC_PREFIX: &str = "plotwise.draft.";

/// One entry of the list of my drafts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftMeta {
    /// Storage id (`d<timestamp>`).
    pub id: String,
    /// The layout's title at the last save.
    pub title: String,
    /// The plot's id, to group drafts of one plot for comparison.
    pub plot_id: String,
    /// The plot's name (English, Chinese), if it has one.
    #[serde(default)]
    pub plot_name: (Option<String>, Option<String>),
    /// Plot area, m² (tells plots with the same id apart).
    #[serde(default)]
    pub plot_area_m2: f64,
    /// Last saved, ms since the epoch.
    pub updated_ms: f64,
    /// Counts shown in the list.
    #[serde(default)]
    pub zones: usize,
    /// Counts shown in the list.
    #[serde(default)]
    pub elements: usize,
}

/// The list of drafts, newest first.
pub fn list() -> Vec<DraftMeta> {
    let mut v: Vec<DraftMeta> = LocalStorage::get(INDEX_KEY).unwrap_or_default();
    v.sort_unstable_by(|a, b| {
        b.updated_ms
            .total_cmp(&a.updated_ms)
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

/// A fresh draft id.
pub fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let mut id = format!("d{now}");
    let existing = list();
    let mut n = 1;
    while existing.iter().any(|d| d.id == id) {
        id = format!("d{now}-{n}");
        n += 1;
    }
    id
}

/// Why a save failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveFailed;

/// Saves `layout` as draft `id` and updates the index.
pub fn save(id: &str, layout: &Layout) -> Result<(), SaveFailed> {
    let json = LayoutDocument::new(layout.clone()).to_json();
    let storage = LocalStorage::raw();
    storage
        .set_item(&format!("{DOC_PREFIX}{id}"), &json)
        .map_err(|_| SaveFailed)?;
    let mut index: Vec<DraftMeta> = LocalStorage::get(INDEX_KEY).unwrap_or_default();
    let meta = DraftMeta {
        id: id.to_owned(),
        title: layout.title.clone(),
        plot_id: layout.plot.id.0.clone(),
        plot_name: (layout.plot.name.clone(), layout.plot.name_zh.clone()),
        plot_area_m2: layout.plot.area_m2(),
        updated_ms: js_sys::Date::now(),
        zones: layout.zones.len(),
        elements: layout.elements.len(),
    };
    match index.iter_mut().find(|d| d.id == id) {
        Some(slot) => *slot = meta,
        None => index.push(meta),
    }
    LocalStorage::set(INDEX_KEY, &index).map_err(|_| SaveFailed)?;
    let _ = LocalStorage::set(CURRENT_KEY, id);
    Ok(())
}

/// Loads draft `id`, if it exists and reads.
pub fn load(id: &str) -> Option<Layout> {
    let json = LocalStorage::raw()
        .get_item(&format!("{DOC_PREFIX}{id}"))
        .ok()
        .flatten()?;
    LayoutDocument::from_json(&json).ok().map(|d| d.layout)
}

/// The stored JSON of draft `id` (for "save as file").
pub fn load_json(id: &str) -> Option<String> {
    LocalStorage::raw()
        .get_item(&format!("{DOC_PREFIX}{id}"))
        .ok()
        .flatten()
}

/// Removes draft `id`.
pub fn delete(id: &str) {
    let _ = LocalStorage::raw().remove_item(&format!("{DOC_PREFIX}{id}"));
    let mut index: Vec<DraftMeta> = LocalStorage::get(INDEX_KEY).unwrap_or_default();
    index.retain(|d| d.id != id);
    let _ = LocalStorage::set(INDEX_KEY, &index);
}

/// The draft open last time, if it still exists.
pub fn current() -> Option<(String, Layout)> {
    let id: String = LocalStorage::get(CURRENT_KEY).ok()?;
    let layout = load(&id)?;
    Some((id, layout))
}
