//! Signed paper ballots of the formal resolution entered by the committee, and the refusals
//! the server logged (a unit that had already voted, online or on paper). Option-vote paper
//! ballots are secret and never entered with their unit: see `count`.

use plotwise_api::{AuditEntry, BallotReceipt, Choice, Consultation, PaperBallot, Vote};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::failure_box;
use crate::api::{self, Failure, Load, Verb, use_api_with};
use crate::i18n::Lang;
use crate::i18n::{Cm, M, tr};

/// Props of [`PaperEntry`].
#[derive(Properties, PartialEq)]
pub struct PaperProps {
    /// The consultation.
    pub consultation: Consultation,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called after each attempt (the counters and refusals reload).
    pub on_entered: Callback<()>,
}

/// One attempt, for the list under the form.
#[derive(Clone, PartialEq)]
struct Entered {
    unit: String,
    outcome: Result<String, Failure>,
}

/// The paper-ballot form of the formal resolution.
#[function_component(PaperEntry)]
pub fn paper_entry(p: &PaperProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let c = &p.consultation;
    let unit = use_node_ref();
    let choice = use_state(|| None::<Choice>);
    let missing = use_state(|| None::<M>);
    let log = use_state(Vec::<Entered>::new);
    let busy = use_state(|| false);
    let submit = {
        let (unit, choice, missing, log, busy) = (
            unit.clone(),
            choice.clone(),
            missing.clone(),
            log.clone(),
            busy.clone(),
        );
        let (id, csrf, on_entered) = (c.id, p.csrf.clone(), p.on_entered.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let u = unit
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default()
                .trim()
                .to_owned();
            if u.is_empty() {
                missing.set(Some(M::TypeUnit));
                return;
            }
            let Some(choice_now) = *choice else {
                return missing.set(Some(M::PickYesNo));
            };
            let vote = Vote::Resolution { choice: choice_now };
            missing.set(None);
            let what = choice_now.as_str().to_owned();
            let body = PaperBallot {
                unit: u.clone(),
                vote,
            };
            let (log, busy, csrf, on_entered, choice, unit) = (
                log.clone(),
                busy.clone(),
                csrf.clone(),
                on_entered.clone(),
                choice.clone(),
                unit.clone(),
            );
            busy.set(true);
            yew::platform::spawn_local(async move {
                let r = api::send::<_, BallotReceipt>(
                    Verb::Post,
                    &format!("/api/consultations/{id}/paper-ballots"),
                    &body,
                    csrf.as_deref(),
                )
                .await;
                let ok = r.is_ok();
                let mut v = (*log).clone();
                v.insert(
                    0,
                    Entered {
                        unit: u,
                        outcome: r.map(|_| what),
                    },
                );
                log.set(v);
                if ok {
                    choice.set(None);
                    if let Some(i) = unit.cast::<HtmlInputElement>() {
                        i.set_value("");
                        let _ = i.focus();
                    }
                }
                busy.set(false);
                on_entered.emit(());
            });
        })
    };
    let yesno = |ch: Choice, m: M| {
        let choice = choice.clone();
        let on = *choice == Some(ch);
        let onclick = Callback::from(move |_: MouseEvent| choice.set(Some(ch)));
        html! { <button type="button" class={classes!("mark", "yesno", ch.as_str(), on.then_some("on"))} aria-pressed={on.to_string()}
        id={format!("paper-{}", ch.as_str())} onclick={onclick}>{ t(m) }</button> }
    };
    html! {
        <section class="panel" id="paper-resolution">
            <h2>{ tr(l, Cm::PaperBallots) }</h2>
            <p class="muted">{ tr(l, Cm::PaperHelp) }</p>
            <form class="form paper-form" onsubmit={submit}>
                <label class="field"><span>{ tr(l, Cm::Unit) }</span>
                    <input id="paper-unit" ref={unit} autocomplete="off" placeholder="1-101" /></label>
                <div class="yesno-row">{ yesno(Choice::Yes, M::Yes) }{ yesno(Choice::No, M::No) }{ yesno(Choice::Abstain, M::Abstain) }</div>
                if let Some(m) = *missing { <p class="error-box" role="alert">{ t(m) }</p> }
                <button type="submit" class="btn primary big" id="paper-submit" disabled={*busy}>{ tr(l, Cm::EnterPaper) }</button>
            </form>
            <ul class="paper-log" id="paper-log">
                { for log.iter().map(|e| match &e.outcome {
                    Ok(what) => html! { <li class="ok" data-unit={e.unit.clone()}>{ format!("✓ {} {}{}{what}", tr(l, Cm::Recorded), e.unit, t(M::Colon)) }</li> },
                    Err(f) if f.code == "already_voted" => html! {
                        <li class="refused" data-unit={e.unit.clone()} role="alert">
                            <strong>{ format!("✗ {} {}", tr(l, Cm::Refused), e.unit) }</strong>{ format!(" — {} ({})", tr(l, f.headline()), f.message) }</li>
                    },
                    Err(f) => html! { <li class="failed" data-unit={e.unit.clone()}>{ failure_box(l, f) }</li> },
                }) }
            </ul>
        </section>
    }
}

/// Props of [`Refusals`].
#[derive(Properties, PartialEq)]
pub struct RefusalsProps {
    /// The consultation.
    pub id: i64,
    /// Bumped to reload.
    pub version: u32,
    /// Interface language.
    pub lang: Lang,
}

/// The double votes the server refused, from its audit log.
#[function_component(Refusals)]
pub fn refusals(p: &RefusalsProps) -> Html {
    let l = p.lang;
    let entries = use_api_with(Some(p.id), p.version, |id| async move {
        api::get::<Vec<AuditEntry>>(&format!("/api/consultations/{id}/audit")).await
    });
    let list: Vec<AuditEntry> = match entries.load() {
        Load::Ready(v) => v
            .iter()
            .filter(|e| e.action == "double_vote_refused")
            .cloned()
            .collect(),
        _ => vec![],
    };
    html! {
        <section class="panel" id="refusals">
            <h2>{ tr(l, Cm::RefusalsTitle) }</h2>
            if let Load::Failed(e) = entries.load() { { failure_box(l, e) } }
            if list.is_empty() {
                <p class="muted">{ tr(l, Cm::NoRefusals) }</p>
            } else {
                <ul class="refusal-list">
                    { for list.iter().map(|e| html! { <li>{ format!("{} · {} · {}", e.at, e.actor, e.detail) }</li> }) }
                </ul>
            }
        </section>
    }
}
