//! The two languages of the app, zh-CN and en: every string a user sees is here.
//!
//! A plain `match` per key keeps the wasm small (a fluent bundle would add ~43 KB gzipped
//! for plural rules Chinese does not have). The choice is kept in `localStorage`.

use gloo::storage::{LocalStorage, Storage};

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese, the first language of most residents.
    ZhCn,
    /// English.
    En,
}

const STORAGE_KEY: &str = "plotwise.lang";

impl Lang {
    /// The BCP 47 tag, as used in `<html lang>` and the language menu.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag; anything starting with `zh` is Chinese, `en` English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The saved choice, else the browser's language, else Chinese.
    pub fn initial() -> Lang {
        if let Some(lang) = LocalStorage::get::<String>(STORAGE_KEY)
            .ok()
            .and_then(|t| Lang::from_tag(&t))
        {
            return lang;
        }
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .and_then(|t| Lang::from_tag(&t))
            .unwrap_or(Lang::ZhCn)
    }

    /// Saves the choice and sets `<html lang>` so screen readers and fonts follow it.
    pub fn apply(self) {
        // Storage can be full or disabled (private mode): the choice then lasts this visit.
        let _ = LocalStorage::set(STORAGE_KEY, self.tag());
        if let Some(html) = gloo::utils::document().document_element() {
            let _ = html.set_attribute("lang", self.tag());
        }
    }
}

/// Every message of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant names its text")]
pub enum Msg {
    AppTitle,
    Language,
    LargeText,
    SamplePlot,
    PlotArea,
    ScaleBar,
    North,
    PlotDrawing,
    LoadFailed,
    Colon,
}

/// The text of `key` in `lang`.
pub fn tr(lang: Lang, key: Msg) -> &'static str {
    use Msg::*;
    match (lang, key) {
        (Lang::ZhCn, AppTitle) => "Plotwise 微空间规划",
        (Lang::En, AppTitle) => "Plotwise small-space planner",
        (Lang::ZhCn, Language) => "语言",
        (Lang::En, Language) => "Language",
        (Lang::ZhCn, LargeText) => "大字",
        (Lang::En, LargeText) => "Large text",
        (Lang::ZhCn, SamplePlot) => "示例地块",
        (Lang::En, SamplePlot) => "Sample plot",
        (Lang::ZhCn, PlotArea) => "地块面积",
        (Lang::En, PlotArea) => "Plot area",
        (Lang::ZhCn, ScaleBar) => "比例尺",
        (Lang::En, ScaleBar) => "Scale bar",
        (Lang::ZhCn, North) => "北",
        (Lang::En, North) => "N",
        (Lang::ZhCn, PlotDrawing) => "地块平面图",
        (Lang::En, PlotDrawing) => "Plan of the plot",
        (Lang::ZhCn, LoadFailed) => "无法读取地块",
        (Lang::En, LoadFailed) => "The plot could not be read",
        (Lang::ZhCn, Colon) => "：",
        (Lang::En, Colon) => ": ",
    }
}
