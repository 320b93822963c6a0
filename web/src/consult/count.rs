//! The sealed ballot box on the committee's page: opening the vote (the two scrutineers'
//! codes, shown once, each on its own printable card), the paper desk's first step (mark
//! the unit that put its ballot in the box; never what it says), and the supervised count
//! (the box's paper ballots entered without units, both codes typed, the box opened).

use plotwise_api::{
    ConsultationOption, CountReport, CountRequest, OpenedVote, OptionBallot, PaperVoter, Results,
    Settings,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::ballot::{Kind, Mark, MarkButtons, Marks};
use super::ballot_machine::{summary, to_ballot};
use super::widgets::option_name;
use crate::api::failure_box;
use std::rc::Rc;

use super::manage_state::{TwoStep, TwoStepAction};
use crate::api::{self, Failure, Verb, use_api_with};
use crate::i18n::Lang;
use crate::i18n::{Cm, M, tr, tr_n};

/// Props of [`OpenVote`].
#[derive(Properties, PartialEq)]
pub struct OpenVoteProps {
    /// The consultation.
    pub id: i64,
    /// The button's words (open the vote, or make new codes), in the interface language.
    pub label: &'static str,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called with the codes once the box is sealed.
    pub on_opened: Callback<[String; 2]>,
}

/// Seals the ballot box (after a second "yes" click) and hands the codes up.
#[function_component(OpenVote)]
pub fn open_vote(p: &OpenVoteProps) -> Html {
    let l = p.lang;
    let step = use_reducer(TwoStep::default);
    let d = step.dispatcher().to_callback();
    let go = {
        let step = step.clone();
        let (id, csrf, on_opened) = (p.id, p.csrf.clone(), p.on_opened.clone());
        Callback::from(move |_: MouseEvent| {
            if !step.can_start() {
                return;
            }
            step.dispatch(TwoStepAction::Start);
            let (step, csrf, on_opened) = (step.clone(), csrf.clone(), on_opened.clone());
            yew::platform::spawn_local(async move {
                let path = format!("/api/consultations/{id}/open-vote");
                let r = api::send::<_, OpenedVote>(
                    Verb::Post,
                    &path,
                    &serde_json::json!({}),
                    csrf.as_deref(),
                )
                .await;
                let codes = r.as_ref().ok().map(|o| o.codes.clone());
                step.dispatch(TwoStepAction::Done(r.map(|_| ())));
                if let Some(codes) = codes {
                    on_opened.emit(codes);
                }
            });
        })
    };
    html! {
        <div class="transition">
            if step.armed {
                <p class="warn-line">{ tr(l, Cm::OpenVoteWarn) }</p>
                <button type="button" class="btn primary big" id="open-vote-confirm" disabled={step.busy} onclick={go}>{ format!("{} ✓", p.label) }</button>
                { " " }<button type="button" class="btn" onclick={d.reform(|_: MouseEvent| TwoStepAction::Cancel)}>{ tr(l, Cm::Cancel) }</button>
            } else {
                <button type="button" class="btn primary big" id="open-vote" onclick={d.reform(|_: MouseEvent| TwoStepAction::Arm)}>{ p.label }</button>
            }
            if let Some(e) = &step.problem { { failure_box(l, e) } }
        </div>
    }
}

/// Props of [`ScrutineerCodes`].
#[derive(Properties, PartialEq)]
pub struct CodesProps {
    /// The two codes.
    pub codes: [String; 2],
    /// The consultation's title, printed on the cards.
    pub title: String,
    /// Interface language.
    pub lang: Lang,
    /// Called when the member confirms both scrutineers have their card.
    pub on_done: Callback<()>,
}

/// The two codes, each on a card to print or copy by hand, shown this once.
#[function_component(ScrutineerCodes)]
pub fn scrutineer_codes(p: &CodesProps) -> Html {
    let l = p.lang;
    let print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let done = {
        let on_done = p.on_done.clone();
        Callback::from(move |_: MouseEvent| on_done.emit(()))
    };
    html! {
        <section class="panel codes-panel" id="scrutineer-codes" role="alert">
            <h2>{ tr(l, Cm::CodesTitle) }</h2>
            <p class="lead">{ tr(l, Cm::CodesLead) }</p>
            <div class="code-cards">
                { for p.codes.iter().enumerate().map(|(i, code)| html! {
                    <div class="code-card" id={format!("code-card-{}", i + 1)}>
                        <p class="muted">{ p.title.clone() }</p>
                        <h3>{ tr_n(l, Cm::ScrutineerN, i + 1) }</h3>
                        <p class="code" data-code={code.clone()}>{ code.clone() }</p>
                        <p class="muted">{ tr(l, Cm::CodeCardHelp) }</p>
                    </div>
                }) }
            </div>
            <p><button type="button" class="btn big" id="print-codes" onclick={print}>{ tr(l, Cm::PrintCodes) }</button></p>
            <p class="warn-line">{ tr(l, Cm::CodesOnce) }</p>
            <button type="button" class="btn primary big" id="codes-done" onclick={done}>{ tr(l, Cm::CodesDone) }</button>
        </section>
    }
}

/// Props of [`PaperDesk`].
#[derive(Properties, PartialEq)]
pub struct DeskProps {
    /// The consultation.
    pub id: i64,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called after each attempt.
    pub on_marked: Callback<()>,
}

/// One desk attempt, for the list under the form.
#[derive(Clone, PartialEq)]
struct Marked {
    unit: String,
    outcome: Result<(), Failure>,
}

/// The paper desk: the unit puts its ballot in the box; the desk marks the unit as voted.
#[function_component(PaperDesk)]
pub fn paper_desk(p: &DeskProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let unit = use_node_ref();
    let log = use_state(Vec::<Marked>::new);
    let busy = use_state(|| false);
    let missing = use_state(|| false);
    let submit = {
        let (unit, log, busy, missing) = (unit.clone(), log.clone(), busy.clone(), missing.clone());
        let (id, csrf, on_marked) = (p.id, p.csrf.clone(), p.on_marked.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = unit.cast::<HtmlInputElement>();
            let u = input
                .as_ref()
                .map(|i| i.value())
                .unwrap_or_default()
                .trim()
                .to_owned();
            if u.is_empty() {
                missing.set(true);
                return;
            }
            missing.set(false);
            // Cleared now, not when the answer comes: the desk may already be typing the next
            // unit by then.
            if let Some(i) = &input {
                i.set_value("");
                let _ = i.focus();
            }
            let (log, busy, csrf, on_marked) =
                (log.clone(), busy.clone(), csrf.clone(), on_marked.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                let r = api::send::<_, plotwise_api::BallotReceipt>(
                    Verb::Post,
                    &format!("/api/consultations/{id}/paper-voters"),
                    &PaperVoter { unit: u.clone() },
                    csrf.as_deref(),
                )
                .await;
                let failed = matches!(&r, Err(f) if f.code != "already_voted");
                let mut v = (*log).clone();
                v.insert(
                    0,
                    Marked {
                        unit: u.clone(),
                        outcome: r.map(|_| ()),
                    },
                );
                log.set(v);
                // Not recorded for a reason the desk can fix (a typo, a network fault): give the
                // unit back to correct, unless the next one is being typed.
                if failed
                    && let Some(i) = input
                    && i.value().is_empty()
                {
                    i.set_value(&u);
                }
                busy.set(false);
                on_marked.emit(());
            });
        })
    };
    html! {
        <section class="panel" id="paper-desk">
            <h2>{ tr(l, Cm::PaperDeskTitle) }</h2>
            <p class="muted">{ tr(l, Cm::PaperDeskHelp) }</p>
            <form class="form paper-form" onsubmit={submit}>
                <label class="field"><span>{ tr(l, Cm::Unit) }</span>
                    <input id="paper-unit" ref={unit} autocomplete="off" placeholder="1-101" /></label>
                if *missing { <p class="error-box" role="alert">{ t(M::TypeUnit) }</p> }
                <button type="submit" class="btn primary big" id="paper-mark" disabled={*busy}>{ tr(l, Cm::MarkPaperVoter) }</button>
            </form>
            <ul class="paper-log" id="paper-log">
                { for log.iter().map(|e| match &e.outcome {
                    Ok(()) => html! { <li class="ok" data-unit={e.unit.clone()}>{ format!("✓ {} {}", e.unit, tr(l, Cm::MarkedPaper)) }</li> },
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

/// The paper ballots entered at the count, kept in the browser's storage while the count
/// goes on (they carry no unit), so a reload loses nothing.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Batch {
    ballots: Vec<OptionBallot>,
    spoiled: u32,
}

impl Batch {
    /// With one more readable ballot.
    fn with(&self, b: OptionBallot) -> Batch {
        let mut next = self.clone();
        next.ballots.push(b);
        next
    }

    /// With `delta` more (or fewer) spoiled ballots, never below none.
    fn spoiled_by(&self, delta: i32) -> Batch {
        let mut next = self.clone();
        next.spoiled = next.spoiled.saturating_add_signed(delta);
        next
    }

    /// Without ballot `i`.
    fn without(&self, i: usize) -> Batch {
        let mut next = self.clone();
        if i < next.ballots.len() {
            next.ballots.remove(i);
        }
        next
    }

    /// How many ballots came out of the box, spoiled included.
    fn entered(&self) -> u64 {
        self.ballots.len() as u64 + u64::from(self.spoiled)
    }
}

fn batch_key(id: i64) -> String {
    format!("plotwise.count.{id}")
}

fn load_batch(id: i64) -> Batch {
    use gloo::storage::Storage;
    gloo::storage::LocalStorage::get(batch_key(id)).unwrap_or_default()
}

fn save_batch(id: i64, b: &Batch) {
    use gloo::storage::Storage;
    if b == &Batch::default() {
        gloo::storage::LocalStorage::delete(batch_key(id));
    } else {
        let _ = gloo::storage::LocalStorage::set(batch_key(id), b);
    }
}

/// One paper ballot as its marks read, for the list ("A 1st, B 2nd").
fn ballot_line(l: Lang, kind: Kind, b: &OptionBallot, options: &[ConsultationOption]) -> String {
    summary(l, kind, &Marks::of_ballot(b, options.len()), options).join("; ")
}

/// Props of [`CountPanel`].
#[derive(Properties, PartialEq)]
pub struct CountProps {
    /// The consultation.
    pub id: i64,
    /// Its options.
    pub options: Vec<ConsultationOption>,
    /// Its rules.
    pub settings: Settings,
    /// Whether the box is unsealed (a vote opened before sealed boxes): no codes needed.
    pub unsealed: bool,
    /// Bumped when participation changes.
    pub version: u32,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called with the report once counted.
    pub on_counted: Callback<CountReport>,
}

/// The count: the box's paper ballots (no units), both codes, then the box is opened.
#[function_component(CountPanel)]
pub fn count_panel(p: &CountProps) -> Html {
    let l = p.lang;
    let n = p.options.len();
    let kind = Kind::of(p.settings.method);
    let batch = use_state(|| load_batch(p.id));
    let marks = use_state(|| Marks::new(n));
    let mark_problem = use_state(|| None::<M>);
    let codes = [use_node_ref(), use_node_ref()];
    let step = use_reducer(TwoStep::default);
    let results = use_api_with(Some(p.id), p.version, |id| async move {
        api::get::<Results>(&format!("/api/consultations/{id}/results")).await
    });
    let marked_paper = results.ready().map(|r| r.option_participation.paper);
    let set_batch = {
        let (batch, id) = (batch.clone(), p.id);
        Callback::from(move |b: Batch| {
            save_batch(id, &b);
            batch.set(b);
        })
    };
    let on_mark = {
        let marks = marks.clone();
        Callback::from(move |m: Mark| {
            let mut next = (*marks).clone();
            next.apply(m);
            marks.set(next);
        })
    };
    let add = {
        let (marks, batch, set_batch, mark_problem) = (
            marks.clone(),
            batch.clone(),
            set_batch.clone(),
            mark_problem.clone(),
        );
        Callback::from(move |_: MouseEvent| match to_ballot(kind, &marks, n) {
            Ok(b) => {
                set_batch.emit(batch.with(b));
                marks.set(Marks::new(n));
                mark_problem.set(None);
            }
            Err(m) => mark_problem.set(Some(m)),
        })
    };
    let change = |f: Rc<dyn Fn(&Batch) -> Batch>| {
        let (batch, set_batch) = (batch.clone(), set_batch.clone());
        Callback::from(move |_: MouseEvent| set_batch.emit(f(&batch)))
    };
    let go = count_go(p, &batch, &step, codes.clone());
    let reconciles = marked_paper == Some(batch.entered());
    html! {
        <section class="panel" id="count">
            <h2>{ tr(l, Cm::CountTitle) }</h2>
            <p class="muted">{ tr(l, Cm::CountHelp) }</p>
            <h3>{ tr(l, Cm::CountPaperTitle) }</h3>
            <ul class="paper-options">
                { for p.options.iter().enumerate().map(|(k, o)| html! {
                    <li data-option={o.label.clone()}><span class="opt-name">{ option_name(o) }</span>
                        <MarkButtons kind={kind} index={o.index} position={k} max_score={p.settings.max_score.unwrap_or(0)}
                            marks={(*marks).clone()} on_mark={on_mark.clone()} lang={l} /></li>
                }) }
            </ul>
            if let Some(m) = *mark_problem { <p class="error-box" role="alert">{ tr(l, m) }</p> }
            <p><button type="button" class="btn primary big" id="count-add" onclick={add}>{ tr(l, Cm::AddPaperBallot) }</button></p>
            <div class="spoiled-row">
                <span>{ tr(l, M::Spoiled) }</span>
                <button type="button" class="btn" id="spoiled-minus" aria-label={tr(l, Cm::SpoiledLess)} onclick={change(Rc::new(|b| b.spoiled_by(-1)))}>{ "−" }</button>
                <output id="spoiled-count">{ batch.spoiled }</output>
                <button type="button" class="btn" id="spoiled-plus" aria-label={tr(l, Cm::SpoiledMore)} onclick={change(Rc::new(|b| b.spoiled_by(1)))}>{ "+" }</button>
            </div>
            <ol class="count-batch" id="count-batch">
                { for batch.ballots.iter().enumerate().map(|(i, b)| html! {
                    <li>{ ballot_line(l, kind, b, &p.options) }{ " " }
                        <button type="button" class="btn small" onclick={change(Rc::new(move |b| b.without(i)))}>{ tr(l, Cm::Remove) }</button></li>
                }) }
            </ol>
            <p id="count-reconcile" class={if reconciles { "ok-line" } else { "warn-line" }} data-ok={reconciles.to_string()}>
                { marked_paper.map(|m| format!("{}{}", tr_n(l, Cm::MarkedOnPaperN, m as usize), tr_n(l, Cm::EnteredN, batch.entered() as usize))).unwrap_or_default() }
            </p>
            if !p.unsealed { { code_inputs(l, &codes) } }
            { count_buttons(l, &step, go) }
        </section>
    }
}

/// The two scrutineers' code fields.
fn code_inputs(l: Lang, codes: &[NodeRef; 2]) -> Html {
    html! {
        <>
        <h3>{ tr(l, Cm::CountCodesTitle) }</h3>
        <div class="code-inputs">
            { for codes.iter().enumerate().map(|(i, r)| html! {
                <label class="field"><span>{ tr_n(l, Cm::ScrutineerN, i + 1) }</span>
                    <input id={format!("count-code-{}", i + 1)} ref={r.clone()} inputmode="numeric" autocomplete="off" spellcheck="false"
                        placeholder="0000 0000 0000 0000 0000 0000" /></label>
            }) }
        </div>
        </>
    }
}

/// "Open the box and count", then "yes" (a count cannot be undone).
fn count_buttons(l: Lang, step: &UseReducerHandle<TwoStep>, go: Callback<MouseEvent>) -> Html {
    let d = step.dispatcher().to_callback();
    html! {
        <div class="transition">
            if step.armed {
                <p class="warn-line">{ tr(l, Cm::CountWarn) }</p>
                <button type="button" class="btn primary big" id="count-confirm" disabled={step.busy} onclick={go}>{ format!("{} ✓", tr(l, Cm::OpenBoxAndCount)) }</button>
                { " " }<button type="button" class="btn" onclick={d.reform(|_: MouseEvent| TwoStepAction::Cancel)}>{ tr(l, Cm::Cancel) }</button>
            } else {
                <button type="button" class="btn primary big" id="count-start" onclick={d.reform(|_: MouseEvent| TwoStepAction::Arm)}>{ tr(l, Cm::OpenBoxAndCount) }</button>
            }
            if step.busy { <p class="muted" role="status">{ tr(l, Cm::Counting) }</p> }
            if let Some(e) = &step.problem { { failure_box(l, e) } }
        </div>
    }
}

/// Sends the count: the codes typed, the paper ballots entered; on success the entered
/// ballots leave this browser.
fn count_go(
    p: &CountProps,
    batch: &UseStateHandle<Batch>,
    step: &UseReducerHandle<TwoStep>,
    codes: [NodeRef; 2],
) -> Callback<MouseEvent> {
    let (batch, step) = (batch.clone(), step.clone());
    let (id, csrf, on_counted) = (p.id, p.csrf.clone(), p.on_counted.clone());
    Callback::from(move |_: MouseEvent| {
        if !step.can_start() {
            return;
        }
        let read = |r: &NodeRef| {
            r.cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default()
        };
        let body = CountRequest {
            codes: [read(&codes[0]), read(&codes[1])],
            paper_ballots: batch.ballots.clone(),
            spoiled: batch.spoiled,
        };
        step.dispatch(TwoStepAction::Start);
        let (step, csrf, on_counted) = (step.clone(), csrf.clone(), on_counted.clone());
        yew::platform::spawn_local(async move {
            let path = format!("/api/consultations/{id}/count");
            let r = api::send::<_, CountReport>(Verb::Post, &path, &body, csrf.as_deref()).await;
            let report = r.as_ref().ok().cloned();
            step.dispatch(TwoStepAction::Done(r.map(|_| ())));
            if let Some(report) = report {
                save_batch(id, &Batch::default());
                on_counted.emit(report);
            }
        });
    })
}
