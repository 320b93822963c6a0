//! The consultation pages: a consultation's home (options side by side at one scale with
//! their metrics), the residents' ballot page, the results and the printable result sheet,
//! and the committee's pages for the whole life cycle (setup, sign-in, create, proposals,
//! freeze, electorate, tokens, voting, paper ballots, resolution, validation, publication).
//!
//! Routes are hash routes, like the editor's, so the ballot links the server prints
//! (`{base}/#/ballot/{token}`) open here and the token never reaches a server log:
//!
//! | address | page |
//! |---|---|
//! | `#/consult` | the consultations |
//! | `#/consult/{id}` | a consultation's home |
//! | `#/consult/{id}/results` | its results |
//! | `#/consult/{id}/sheet` | its printable result sheet |
//! | `#/ballot/{token}`, `#/ballot` | the ballot (a token from the QR code, or typed) |
//! | `#/consult/committee` | committee: first account, sign-in, consultations, new one |
//! | `#/consult/committee/{id}` | committee: one consultation's life cycle |
//!
//! Every other address is the editor's ([`crate::app::App`]).

mod accounts;
mod ballot;
mod ballot_machine;
mod committee;
mod count;
mod draw;
mod home;
mod manage;
mod manage_state;
mod paper;
mod proposal_form;
mod results;
mod widgets;

use gloo::events::EventListener;
use plotwise_api::SessionInfo;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api;
use crate::i18n::Lang;
use crate::i18n::{M, tr};

/// A page of the consultation part of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `#/consult`.
    List,
    /// `#/consult/{id}`.
    Home(i64),
    /// `#/consult/{id}/results`.
    Results(i64),
    /// `#/consult/{id}/sheet`.
    Sheet(i64),
    /// `#/ballot/{token}` or `#/ballot`.
    Ballot(Option<String>),
    /// `#/consult/committee`.
    Committee,
    /// `#/consult/committee/{id}`.
    Manage(i64),
    /// A consultation address that means nothing.
    NotFound,
}

impl Route {
    /// The route of a location hash (`#/consult/3`), or `None` for the editor's pages.
    pub fn parse(hash: &str) -> Option<Route> {
        let path = hash.trim_start_matches('#');
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let id = |s: &str| s.parse::<i64>().ok().filter(|&n| n > 0);
        Some(match parts.as_slice() {
            ["ballot"] => Route::Ballot(None),
            ["ballot", token] => Route::Ballot(Some((*token).to_owned())),
            ["ballot", ..] => Route::NotFound,
            ["consult"] => Route::List,
            ["consult", "committee"] => Route::Committee,
            ["consult", "committee", n] => id(n).map_or(Route::NotFound, Route::Manage),
            ["consult", n] => id(n).map_or(Route::NotFound, Route::Home),
            ["consult", n, "results"] => id(n).map_or(Route::NotFound, Route::Results),
            ["consult", n, "sheet"] => id(n).map_or(Route::NotFound, Route::Sheet),
            ["consult", ..] => Route::NotFound,
            _ => return None,
        })
    }

    fn current() -> Option<Route> {
        Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
    }
}

/// What every consultation page shares: the language and the committee session.
#[derive(Clone, PartialEq)]
pub struct Shared {
    /// The interface language.
    pub lang: Lang,
    /// The signed-in committee member, if any (with the CSRF token).
    pub session: Option<SessionInfo>,
    /// Whether the session has been asked for yet.
    pub session_known: bool,
    /// Sets (or clears) the session.
    pub set_session: Callback<Option<SessionInfo>>,
}

impl Shared {
    /// The CSRF token of the session, if signed in.
    pub fn csrf(&self) -> Option<String> {
        self.session.as_ref().map(|s| s.csrf_token.clone())
    }
}

/// The current route, following the address.
#[hook]
fn use_route() -> UseStateHandle<Option<Route>> {
    let route = use_state(Route::current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                route.set(Route::current())
            });
            move || drop(listener)
        });
    }
    route
}

/// The root of the consultation bundle: the public consultation pages on their addresses
/// (index.html loads another bundle for the editor's, the ballot's and the committee's).
#[function_component(Root)]
pub fn root() -> Html {
    let route = use_route();
    let page = match &*route {
        // Other bundles' addresses: index.html reloads into them.
        None | Some(Route::Ballot(_) | Route::Committee | Route::Manage(_)) => return html! {},
        Some(Route::List) => html! { <home::ListPage /> },
        Some(Route::Home(id)) => html! { <home::HomePage id={*id} /> },
        Some(Route::Results(id)) => html! { <results::ResultsPage id={*id} /> },
        Some(Route::Sheet(id)) => html! { <results::SheetPage id={*id} /> },
        Some(Route::NotFound) => html! { <NotFound /> },
    };
    html! { <Pages route={(*route).clone().unwrap_or(Route::NotFound)} page={page} /> }
}

/// The root of the committee bundle (`#/consult/committee…`): sign-in, the consultations and
/// each one's life cycle, used on a PC by a few people; the public pages stay smaller.
#[function_component(CommitteeRoot)]
pub fn committee_root() -> Html {
    let route = use_route();
    let page = match &*route {
        Some(Route::Committee) => html! { <committee::CommitteePage /> },
        Some(Route::Manage(id)) => html! { <manage::ManagePage id={*id} /> },
        // Other bundles' addresses: index.html reloads into them.
        _ => return html! {},
    };
    html! { <Pages route={(*route).clone().unwrap_or(Route::NotFound)} page={page} /> }
}

/// An address no page has.
#[function_component(NotFound)]
fn not_found() -> Html {
    let l = use_context::<Shared>().map_or(Lang::ZhCn, |s| s.lang);
    let t = |m| tr(l, m);
    html! {
        <main class="consult narrow"><h1>{ t(M::NotFoundTitle) }</h1>
            <p>{ t(M::NotFoundText) }</p>
            <p><a class="btn" href="#/consult">{ t(M::NavConsultations) }</a></p></main>
    }
}

/// The root of the ballot bundle (`#/ballot…`): the page a resident opens from the QR code
/// on a phone, without the committee's pages, so it downloads a fraction of the code.
#[function_component(BallotRoot)]
pub fn ballot_root() -> Html {
    let route = use_route();
    match &*route {
        Some(r @ Route::Ballot(token)) => html! {
            <Pages route={r.clone()} page={html! { <ballot::BallotPage token={token.clone()} /> }} />
        },
        // Other bundles' addresses: index.html reloads into them.
        _ => html! {},
    }
}

/// Props of [`Pages`].
#[derive(Properties, PartialEq)]
pub struct PagesProps {
    /// The page's route.
    pub route: Route,
    /// The page (made by the bundle's root, so each bundle links only its own pages).
    pub page: Html,
}

/// The consultation pages with their header.
#[function_component(Pages)]
pub fn pages(props: &PagesProps) -> Html {
    // The editor's language and "large text" choices, shared: same keys, same effects.
    let crate::components::header::Prefs { lang, large } = crate::components::header::use_prefs();
    // The session as the server knows it at start, until a sign-in or sign-out here.
    let asked = api::use_api((), |_| api::get::<SessionInfo>("/api/session"));
    let changed = use_state(|| None::<Option<SessionInfo>>);
    let session = match (&*changed, asked.load()) {
        (Some(s), _) => s.clone(),
        (None, api::Load::Ready(s)) => Some(s.clone()),
        (None, _) => None,
    };
    let session_known = changed.is_some() || !matches!(asked.load(), api::Load::Loading);
    // Each page starts at the top.
    use_effect_with(props.route.clone(), |_| {
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    let l = *lang;
    let set_session = {
        let changed = changed.clone();
        Callback::from(move |s: Option<SessionInfo>| changed.set(Some(s)))
    };
    let shared = Shared {
        lang: l,
        session,
        session_known,
        set_session,
    };
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Lang::from_tag(&select.value()) {
                lang.set(l);
            }
        })
    };
    let on_logout = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let shared = shared.clone();
            yew::platform::spawn_local(async move {
                // Signed out locally whatever the server says (an expired session is gone too).
                let _ = api::post_empty("/api/logout", shared.csrf().as_deref()).await;
                shared.set_session.emit(None);
            });
        })
    };
    let on_large = {
        let large = large.clone();
        Callback::from(move |_: MouseEvent| large.set(!*large))
    };
    let t = |m| tr(l, m);
    let is_ballot = matches!(props.route, Route::Ballot(_));
    let page = props.page.clone();
    html! {
        <ContextProvider<Shared> context={shared.clone()}>
            <div class={classes!("consult-app", is_ballot.then_some("ballot-app"))}>
                <header class="consult-top no-print">
                    <a class="brand" href="#/consult">{ t(M::Brand) }</a>
                    if !is_ballot {
                        <nav aria-label={t(M::Menu)}>
                            <a href="#/consult" id="nav-consultations">{ t(M::NavConsultations) }</a>
                            <a href="#/consult/committee" id="nav-committee">{ t(M::NavCommittee) }</a>
                            <a href="#/">{ t(M::NavEditor) }</a>
                        </nav>
                    }
                    <label class="lang">
                        <span class="sr-only">{ t(M::Language) }</span>
                        <select id="consult-lang" onchange={on_lang} aria-label={t(M::Language)}>
                            <option value="zh-CN" selected={l == Lang::ZhCn}>{ "中文" }</option>
                            <option value="en" selected={l == Lang::En}>{ "English" }</option>
                        </select>
                    </label>
                    <button id="consult-large-text" class="btn small" aria-pressed={large.to_string()} onclick={on_large}>
                        { t(M::LargeText) }
                    </button>
                    if let (Some(s), false) = (&shared.session, is_ballot) {
                        <span class="who">{ format!("{} {}", t(M::SignedInAs), s.username) }</span>
                        <button id="logout" class="btn small" onclick={on_logout}>{ t(M::SignOut) }</button>
                    }
                </header>
                { page }
            </div>
        </ContextProvider<Shared>>
    }
}
