//! The consultations (public list) and a consultation's home: what it is about, where it
//! stands, and the options drawn side by side at one scale with their metrics.

use plotwise_api::{Consultation, Phase, Proposal};
use yew::prelude::*;

use super::draw::{
    common_extent, figures_of, loaded_card_body, metrics_table, use_comparison, use_layouts,
};
use super::proposal_form::ProposalForm;
use super::widgets::{method_name, phase_explained, phase_name, stepper, use_shared};
use crate::api::{self, Load, use_api};
use crate::api::{failure_box, loading};
use crate::i18n::{M, tr};
use crate::routes::Route;

/// The list of consultations (drafts too, for a signed-in committee member).
#[function_component(ListPage)]
pub fn list_page() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    // A signed-in committee member sees the drafts too: ask again on signing in.
    let list = use_api(shared.session.is_some(), |_| {
        api::get::<Vec<Consultation>>("/api/consultations")
    });
    let t = |m| tr(l, m);
    html! {
        <main class="consult" id="consult-list">
            <h1>{ t(M::ConsultationsTitle) }</h1>
            <p class="lead">{ t(M::ConsultationsLead) }</p>
            <p><a class="btn primary big" href={Route::Ballot(None).href()} id="go-vote">{ t(M::IHaveACode) }</a></p>
            { api::view(l, list.load(), |v| if v.is_empty() {
                html! { <p>{ t(M::NoConsultations) }</p> }
            } else {
                html! {
                    <ul class="cards">
                        { for v.iter().map(|c| html! {
                            <li class="card">
                                <a href={Route::Home(c.id).href()}><strong>{ c.title.clone() }</strong></a>
                                <span class={classes!("phase-badge", c.phase.as_str())}>{ phase_name(l, c.phase) }</span>
                                <p class="muted">{ phase_explained(l, c.phase) }</p>
                            </li>
                        }) }
                    </ul>
                }
            }) }
        </main>
    }
}

/// Props of [`HomePage`].
#[derive(Properties, PartialEq)]
pub struct HomeProps {
    /// The consultation.
    pub id: i64,
}

/// A consultation's home page.
#[function_component(HomePage)]
pub fn home_page(props: &HomeProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let c = use_api(props.id, |id| async move {
        api::get::<Consultation>(&format!("/api/consultations/{id}")).await
    });
    let options = c.ready().map(|c| c.options.clone()).unwrap_or_default();
    let comparison = use_comparison(props.id, &options);
    let layouts = use_layouts(props.id, options);
    let t = |m| tr(l, m);
    let c = match c.load() {
        Load::Loading => return html! { <main class="consult">{ loading(l) }</main> },
        Load::Failed(e) => return html! { <main class="consult">{ failure_box(l, e) }</main> },
        Load::Ready(c) => c.clone(),
    };
    let extent = common_extent(&layouts);
    let published = c.phase == Phase::Published;
    html! {
        <main class="consult" id="consult-home" data-phase={c.phase.as_str()}>
            <h1 id="consult-title">{ c.title.clone() }</h1>
            if !c.description.is_empty() { <p class="lead description">{ c.description.clone() }</p> }
            <p class="now"><span class={classes!("phase-badge", c.phase.as_str())} id="phase">{ phase_name(l, c.phase) }</span>
                { " " }{ phase_explained(l, c.phase) }</p>
            { stepper(l, c.phase) }
            <div class="actions">
                if c.phase == Phase::Voting || c.phase == Phase::Resolution {
                    <a class="btn primary big" href={Route::Ballot(None).href()}>{ t(M::GoVote) }</a>
                }
                if published {
                    <a class="btn primary big" id="see-results" href={Route::Results(c.id).href()}>{ t(M::SeeResults) }</a>
                    <a class="btn" href={Route::Sheet(c.id).href()}>{ t(M::PrintableSheet) }</a>
                }
                if shared.session.is_some() {
                    <a class="btn" href={Route::Manage(c.id).href()}>{ t(M::ManageThis) }</a>
                }
            </div>
            <section class="rules panel">
                <h2>{ t(M::Rules) }</h2>
                <p>{ format!("{}{}{}", t(M::Method), t(M::Colon), method_name(l, c.settings.method)) }</p>
                <p>{ format!("{}{}{}", t(M::ResolutionRule), t(M::Colon), super::widgets::rule_name(l, &c.settings.resolution)) }</p>
                if c.electorate.units > 0 {
                    <p>{ format!("{}{}{} {} · {} {} · {} m²", t(M::Electorate), t(M::Colon), c.electorate.units, t(M::Units),
                        c.electorate.buildings, t(M::Buildings), c.electorate.total_area_m2) }</p>
                }
            </section>
            if c.phase == Phase::Collecting {
                <SubmitProposal id={c.id} />
            }
            if c.options.is_empty() {
                <p class="panel">{ t(M::NoOptionsYet) }</p>
            } else {
                <section>
                    <h2>{ t(M::TheOptions) }</h2>
                    <p class="muted">{ t(M::SameScale) }</p>
                    <div class="options-side">
                        { for c.options.iter().enumerate().map(|(i, o)| html! {
                            <figure class="option-card" data-option={o.label.clone()}>
                                <figcaption><span class="letter">{ o.label.clone() }</span>
                                    <span class="title">{ o.title.clone() }</span>
                                    <span class="muted">{ format!("{}{}{}", t(M::Author), t(M::Colon), o.author) }</span></figcaption>
                                { loaded_card_body(layouts.get(i), figures_of(comparison.as_deref(), o.index), extent, l, &o.title) }
                                <p class="hash muted small" title={o.sha256.clone()}>{ format!("SHA-256 {}…", o.sha256.get(..16).unwrap_or(&o.sha256)) }</p>
                            </figure>
                        }) }
                    </div>
                    { metrics_table(&c.options, comparison.as_deref(), l) }
                </section>
            }
        </main>
    }
}

/// Props of [`SubmitProposal`].
#[derive(Properties, PartialEq)]
pub struct SubmitProps {
    /// The consultation.
    pub id: i64,
}

/// A resident submits a layout (a file, or a draft from the editor in this browser).
#[function_component(SubmitProposal)]
fn submit_proposal(p: &SubmitProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let sent = use_state(Vec::<Proposal>::new);
    let on_added = {
        let sent = sent.clone();
        Callback::from(move |pr: Proposal| {
            let mut v = (*sent).clone();
            v.push(pr);
            sent.set(v);
        })
    };
    html! {
        <section class="panel" id="submit-proposal">
            <h2>{ tr(l, M::SubmitYourLayout) }</h2>
            <p class="muted">{ tr(l, M::SubmitHelp) }</p>
            <ProposalForm id={p.id} lang={l} on_added={on_added} />
            { for sent.iter().map(|pr| html! {
                <p class="ok-line received">{ format!("✓ {}{}{} (SHA-256 {}…)", tr(l, M::Received), tr(l, M::Colon), pr.title, pr.sha256.get(..12).unwrap_or(&pr.sha256)) }</p>
            }) }
        </section>
    }
}
