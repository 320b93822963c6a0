//! The one header of every page (each bundle draws it): the name, the pages, the language
//! and large text, and on the committee's pages who is signed in. The ballot's header has
//! no menu (a resident opening a QR code needs only the ballot). Both choices persist in
//! `localStorage` and apply to the whole document (`<html lang>`, `.large-text`).

use gloo::storage::{LocalStorage, Storage};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{Lang, Nav, tr};
use crate::routes::Route;

const LARGE_TEXT_KEY: &str = "plotwise.large-text";

/// Which part of the app the header is on (marked for screen readers with `aria-current`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The layout editor.
    Editor,
    /// The comparison of drafts.
    Compare,
    /// The sun and shade of the open draft.
    Sun,
    /// The public consultation pages.
    Consult,
    /// The committee's pages.
    Committee,
    /// The ballot (no menu).
    Ballot,
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

/// Who is signed in, and how to sign out (the committee's pages).
#[derive(Clone, PartialEq)]
pub struct SignedIn {
    /// The member's name.
    pub username: String,
    /// Signs out.
    pub on_logout: Callback<()>,
}

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The page shown.
    pub page: Page,
    /// The language and large text (set here).
    pub prefs: Prefs,
    /// The member signed in, if any.
    #[prop_or_default]
    pub signed_in: Option<SignedIn>,
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
        Callback::from(move |_: MouseEvent| large.set(!*large))
    };
    let link = |page: Page, id: &'static str, route: Route, text: Nav| {
        let current = if p.page == page { "page" } else { "false" };
        html! { <a href={route.href()} id={id} aria-current={current}>{ t(text) }</a> }
    };
    // The editor has no heading of its own: the app's name is its heading.
    let brand = html! { <a class="brand" href={Route::Editor.href()}>{ t(Nav::AppTitle) }</a> };
    html! {
        <header class="top no-print">
            if p.page == Page::Editor { <h1>{ brand }</h1> } else { <p class="brand-line">{ brand }</p> }
            if p.page != Page::Ballot {
                <nav aria-label={t(Nav::Menu)}>
                    { link(Page::Editor, "nav-editor", Route::Editor, Nav::PageEditor) }
                    { link(Page::Sun, "nav-sun", Route::Sun, Nav::PageSun) }
                    { link(Page::Compare, "nav-compare", Route::Compare, Nav::PageCompare) }
                    { link(Page::Consult, "nav-consult", Route::Consultations, Nav::PageConsult) }
                    { link(Page::Committee, "nav-committee", Route::Committee, Nav::PageCommittee) }
                </nav>
            }
            <label class="lang">
                <span class="sr-only">{ t(Nav::Language) }</span>
                <select id="lang" onchange={on_lang}>
                    <option value="zh-CN" lang="zh-CN" selected={l == Lang::ZhCn}>{ "中文" }</option>
                    <option value="en" lang="en" selected={l == Lang::En}>{ "English" }</option>
                </select>
            </label>
            <button type="button" id="large-text" aria-pressed={p.prefs.large.to_string()} onclick={on_large}>
                { t(Nav::LargeText) }
            </button>
            if let Some(s) = &p.signed_in {
                <span class="who">{ format!("{} {}", t(Nav::SignedInAs), s.username) }</span>
                <button type="button" id="logout" onclick={s.on_logout.reform(|_: MouseEvent| ())}>{ t(Nav::SignOut) }</button>
            }
        </header>
    }
}
