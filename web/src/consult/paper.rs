//! Paper ballots entered by the committee, and the refusals the server logged (a unit that
//! had already voted, online or on paper). The marks use the residents' buttons, without
//! the drawings.

use plotwise_api::{AuditEntry, BallotReceipt, Choice, Consultation, PaperBallot, Round, Vote};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::{self, Failure, Verb};
use super::ballot::{Kind, MarkButtons, Marks, summary, to_ballot};
use super::i18n::{M, tr};
use super::widgets::{failure_box, failure_headline, option_name};
use crate::i18n::Lang;

/// Props of [`PaperEntry`].
#[derive(Properties, PartialEq)]
pub struct PaperProps {
    /// The consultation.
    pub consultation: Consultation,
    /// The vote the ballots are for.
    pub round: Round,
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

/// The paper-ballot form.
#[function_component(PaperEntry)]
pub fn paper_entry(p: &PaperProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let c = &p.consultation;
    let n = c.options.len();
    let kind = Kind::of(c.settings.method);
    let unit = use_node_ref();
    let marks = use_state(|| Marks::new(n));
    let choice = use_state(|| None::<Choice>);
    let missing = use_state(|| None::<M>);
    let log = use_state(Vec::<Entered>::new);
    let busy = use_state(|| false);
    let on_marks = {
        let marks = marks.clone();
        Callback::from(move |m: Marks| marks.set(m))
    };
    let submit = {
        let (unit, marks, choice, missing, log, busy) = (
            unit.clone(),
            marks.clone(),
            choice.clone(),
            missing.clone(),
            log.clone(),
            busy.clone(),
        );
        let (id, round, csrf, on_entered) = (c.id, p.round, p.csrf.clone(), p.on_entered.clone());
        let summary_lines = match p.round {
            Round::Option => summary(l, kind, &marks, &c.options).join("; "),
            Round::Resolution => String::new(),
        };
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
            let vote = match round {
                Round::Option => to_ballot(kind, &marks, n).map(|ballot| Vote::Option { ballot }),
                Round::Resolution => (*choice)
                    .map(|choice| Vote::Resolution { choice })
                    .ok_or(M::PickYesNo),
            };
            let vote = match vote {
                Ok(v) => v,
                Err(m) => return missing.set(Some(m)),
            };
            missing.set(None);
            let what = match &vote {
                Vote::Resolution { choice } => choice.as_str().to_owned(),
                Vote::Option { .. } => summary_lines.clone(),
            };
            let body = PaperBallot {
                unit: u.clone(),
                vote,
            };
            let (log, busy, csrf, on_entered, marks, choice, unit) = (
                log.clone(),
                busy.clone(),
                csrf.clone(),
                on_entered.clone(),
                marks.clone(),
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
                    marks.set(Marks::new(n));
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
        <section class="panel" id={format!("paper-{}", p.round.as_str())}>
            <h2>{ t(M::PaperBallots) }</h2>
            <p class="muted">{ t(M::PaperHelp) }</p>
            <form class="form paper-form" onsubmit={submit}>
                <label class="field"><span>{ t(M::Unit) }</span>
                    <input id="paper-unit" ref={unit} autocomplete="off" placeholder="1-101" /></label>
                { match p.round {
                    Round::Option => html! {
                        <ul class="paper-options">
                            { for c.options.iter().enumerate().map(|(k, o)| html! {
                                <li data-option={o.label.clone()}><span class="opt-name">{ option_name(o) }</span>
                                    <MarkButtons kind={kind} index={o.index} position={k} max_score={c.settings.max_score.unwrap_or(0)}
                                        marks={(*marks).clone()} on_change={on_marks.clone()} lang={l} /></li>
                            }) }
                        </ul>
                    },
                    Round::Resolution => html! { <div class="yesno-row">{ yesno(Choice::Yes, M::Yes) }{ yesno(Choice::No, M::No) }{ yesno(Choice::Abstain, M::Abstain) }</div> },
                } }
                if let Some(m) = *missing { <p class="error-box" role="alert">{ t(m) }</p> }
                <button type="submit" class="btn primary big" id="paper-submit" disabled={*busy}>{ t(M::EnterPaper) }</button>
            </form>
            <ul class="paper-log" id="paper-log">
                { for log.iter().map(|e| match &e.outcome {
                    Ok(what) => html! { <li class="ok" data-unit={e.unit.clone()}>{ format!("✓ {} {}{}{what}", t(M::Recorded), e.unit, t(M::Colon)) }</li> },
                    Err(f) if f.code == "already_voted" => html! {
                        <li class="refused" data-unit={e.unit.clone()} role="alert">
                            <strong>{ format!("✗ {} {}", t(M::Refused), e.unit) }</strong>{ format!(" — {} ({})", failure_headline(l, f), f.message) }</li>
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
    let entries = use_state(|| None::<Result<Vec<AuditEntry>, Failure>>);
    {
        let entries = entries.clone();
        use_effect_with((p.id, p.version), move |&(id, _)| {
            yew::platform::spawn_local(async move {
                entries.set(Some(
                    api::get::<Vec<AuditEntry>>(&format!("/api/consultations/{id}/audit")).await,
                ));
            });
        });
    }
    let list: Vec<AuditEntry> = match &*entries {
        Some(Ok(v)) => v
            .iter()
            .filter(|e| e.action == "double_vote_refused")
            .cloned()
            .collect(),
        _ => vec![],
    };
    html! {
        <section class="panel" id="refusals">
            <h2>{ tr(l, M::RefusalsTitle) }</h2>
            if let Some(Err(e)) = &*entries { { failure_box(l, e) } }
            if list.is_empty() {
                <p class="muted">{ tr(l, M::NoRefusals) }</p>
            } else {
                <ul class="refusal-list">
                    { for list.iter().map(|e| html! { <li>{ format!("{} · {} · {}", e.at, e.actor, e.detail) }</li> }) }
                </ul>
            }
        </section>
    }
}
