//! The consultation pages: a consultation's home (options side by side at one scale with
//! their metrics), the residents' ballot page, the results and the printable result sheet,
//! and the committee's pages for the whole life cycle (setup, sign-in, create, proposals,
//! freeze, electorate, tokens, voting, paper ballots, resolution, validation, publication).
//!
//! Their addresses are [`crate::routes::Route`]'s (the table the server's ballot links and
//! `static/boot.js` read too): hash routes, so a ballot token never reaches a server log.

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
use yew::prelude::*;

use crate::api;
use crate::components::header::{Header, Page, SignedIn, use_prefs};
use crate::i18n::{Lang, M, Nav, tr};
use crate::routes::Route;

fn current_route() -> Route {
    Route::parse(&gloo::utils::window().location().hash().unwrap_or_default())
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
fn use_route() -> UseStateHandle<Route> {
    let route = use_state(current_route);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                route.set(current_route())
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
        Route::Consultations => html! { <home::ListPage /> },
        Route::Home(id) => html! { <home::HomePage id={*id} /> },
        Route::NotFound => html! { <NotFound /> },
        // Other bundles' addresses: the page loader reloads into them.
        _ => return html! {},
    };
    html! { <Pages route={(*route).clone()} page={page} /> }
}

/// The root of the results bundle: a consultation's results and its printable sheet, which
/// residents open after a vote, often on a phone (no drawings, no design rules).
#[function_component(ResultsRoot)]
pub fn results_root() -> Html {
    let route = use_route();
    let page = match &*route {
        Route::Results(id) => html! { <results::ResultsPage id={*id} /> },
        Route::Sheet(id) => html! { <results::SheetPage id={*id} /> },
        // An address the table sends here that means nothing.
        Route::NotFound => html! { <NotFound /> },
        // Other bundles' addresses: the page loader reloads into them.
        _ => return html! {},
    };
    html! { <Pages route={(*route).clone()} page={page} /> }
}

/// The root of the committee bundle (`#/consult/committee…`): sign-in, the consultations and
/// each one's life cycle, used on a PC by a few people; the public pages stay smaller.
#[function_component(CommitteeRoot)]
pub fn committee_root() -> Html {
    let route = use_route();
    let page = match &*route {
        Route::Committee => html! { <committee::CommitteePage /> },
        Route::Manage(id) => html! { <manage::ManagePage id={*id} /> },
        // Other bundles' addresses: the page loader reloads into them.
        _ => return html! {},
    };
    html! { <Pages route={(*route).clone()} page={page} /> }
}

/// An address no page has.
#[function_component(NotFound)]
fn not_found() -> Html {
    let l = use_context::<Shared>().map_or(Lang::ZhCn, |s| s.lang);
    let t = |m| tr(l, m);
    html! {
        <main class="consult narrow"><h1>{ t(M::NotFoundTitle) }</h1>
            <p>{ t(M::NotFoundText) }</p>
            <p><a class="btn" href={Route::Consultations.href()}>{ tr(l, Nav::PageConsult) }</a></p></main>
    }
}

/// The root of the ballot bundle (`#/ballot…`): the page a resident opens from the QR code
/// on a phone, without the committee's pages, so it downloads a fraction of the code.
#[function_component(BallotRoot)]
pub fn ballot_root() -> Html {
    let route = use_route();
    match &*route {
        r @ Route::Ballot(token) => html! {
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
    let prefs = use_prefs();
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
    let set_session = {
        let changed = changed.clone();
        Callback::from(move |s: Option<SessionInfo>| changed.set(Some(s)))
    };
    let shared = Shared {
        lang: *prefs.lang,
        session,
        session_known,
        set_session,
    };
    let is_ballot = matches!(props.route, Route::Ballot(_));
    let page = match props.route.bundle() {
        plotwise_api::routes::Bundle::Ballot => Page::Ballot,
        plotwise_api::routes::Bundle::Committee => Page::Committee,
        _ => Page::Consult,
    };
    let signed_in = shared
        .session
        .as_ref()
        .filter(|_| !is_ballot)
        .map(|s| SignedIn {
            username: s.username.clone(),
            on_logout: {
                let shared = shared.clone();
                Callback::from(move |()| {
                    let shared = shared.clone();
                    yew::platform::spawn_local(async move {
                        // Signed out locally whatever the server says (an expired session is gone too).
                        let _ = api::post_empty("/api/logout", shared.csrf().as_deref()).await;
                        shared.set_session.emit(None);
                    });
                })
            },
        });
    html! {
        <ContextProvider<Shared> context={shared}>
            <div class={classes!("consult-app", is_ballot.then_some("ballot-app"))}>
                <Header page={page} prefs={prefs} signed_in={signed_in} />
                { props.page.clone() }
            </div>
        </ContextProvider<Shared>>
    }
}
