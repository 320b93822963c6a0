//! The page header shared by the editor and the comparison page (separate bundles): title, the
//! pages, the language and large text. Both choices persist in `localStorage`.

use gloo::storage::{LocalStorage, Storage};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{Lang, Msg, tr};

const LARGE_TEXT_KEY: &str = "plotwise.large-text";

/// Which page the header is on (marked for screen readers with `aria-current`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The layout editor (`#/`).
    Editor,
    /// The comparison of drafts (`#/compare`).
    Compare,
}

/// The interface language and the large-text mode, as the header sets them.
#[derive(Clone, PartialEq)]
pub struct Prefs {
    /// The interface language.
    pub lang: UseStateHandle<Lang>,
    /// Large text (and larger touch targets) on or off.
    pub large: UseStateHandle<bool>,
}

/// The interface language and the large-text mode, applied to the document whenever they
/// change and kept for the next visit.
#[hook]
pub fn use_prefs() -> Prefs {
    let lang = use_state(Lang::initial);
    let large = use_state(|| LocalStorage::get::<bool>(LARGE_TEXT_KEY).unwrap_or(false));
    use_effect_with(*lang, move |lang| lang.apply());
    use_effect_with(*large, move |large| {
        // Storage can be full or disabled (private mode): the choice then lasts this visit.
        let _ = LocalStorage::set(LARGE_TEXT_KEY, *large);
        if let Some(html) = gloo::utils::document().document_element() {
            let _ = html.class_list().toggle_with_force("large-text", *large);
        }
    });
    Prefs { lang, large }
}

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The page shown.
    pub page: Page,
    /// The language and large text (set here).
    pub prefs: Prefs,
}

/// The header.
#[function_component(Header)]
pub fn header(p: &HeaderProps) -> Html {
    let l = *p.prefs.lang;
    let t = |key| tr(l, key);
    let on_lang = {
        let lang = p.prefs.lang.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Lang::from_tag(&select.value()) {
                lang.set(l);
            }
        })
    };
    let on_large = {
        let large = p.prefs.large.clone();
        Callback::from(move |_| large.set(!*large))
    };
    let current = |page: Page| if p.page == page { "page" } else { "false" };
    html! {
        <header class="top">
            <h1>{ t(Msg::AppTitle) }</h1>
            <nav aria-label={t(Msg::Menu)}>
                <a href="#/" id="nav-editor" aria-current={current(Page::Editor)}>{ t(Msg::PageEditor) }</a>
                <a href="#/compare" id="nav-compare" aria-current={current(Page::Compare)}>{ t(Msg::PageCompare) }</a>
                <a href="#/consult" id="nav-consult">{ t(Msg::PageConsult) }</a>
            </nav>
            <label>
                <span class="sr-only">{ t(Msg::Language) }</span>
                <select id="lang" onchange={on_lang} aria-label={t(Msg::Language)}>
                    <option value="zh-CN" selected={l == Lang::ZhCn}>{ "中文" }</option>
                    <option value="en" selected={l == Lang::En}>{ "English" }</option>
                </select>
            </label>
            <button id="large-text" aria-pressed={p.prefs.large.to_string()} onclick={on_large}>
                { t(Msg::LargeText) }
            </button>
        </header>
    }
}
