//! The residents' ballot: open it with the code from the QR sheet (or type the code), look
//! at the options, mark the ballot (approve, rank, score, or yes / no / abstain in the
//! formal resolution), check it on a confirmation screen, and get a receipt once the server
//! has written it to disk. Made for a phone and for people who do not use phones much: one
//! thing per screen, big buttons, plain words, nothing that moves by itself.

use std::rc::Rc;

use plotwise_api::{
    BallotPage as Page, BallotReceipt, Choice, ConsultationOption, Method, OnlineBallot,
    OptionBallot, OptionFigures, Round, TokenQuery, Vote,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::api::{self, Failure, Verb};
use super::draw::{
    Loaded, common_extent, figures_of, loaded_card_body, use_comparison, use_layouts,
};
use super::i18n::{M, tr, tr_n};
use super::widgets::{failure_box, loading, option_name, option_name_at, use_shared};
use crate::i18n::Lang;

/// The kind of marks a method takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Approve any number of options.
    Approval,
    /// Choose one option (plurality).
    Single,
    /// Rank options in order of preference.
    Ranked,
    /// Give each option a score.
    Scores,
}

impl Kind {
    /// The kind of `method`.
    pub fn of(method: Method) -> Kind {
        match method {
            Method::Approval => Kind::Approval,
            Method::Plurality => Kind::Single,
            Method::Score => Kind::Scores,
            Method::Borda | Method::Irv | Method::Schulze => Kind::Ranked,
        }
    }
}

/// The marks on an option ballot, for every kind.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Marks {
    /// Approval: approved option indices (in the order they were tapped).
    pub approved: Vec<u32>,
    /// Single and ranked: option indices, most preferred first.
    pub order: Vec<u32>,
    /// Scores: one per option, `None` until given.
    pub scores: Vec<Option<i64>>,
}

impl Marks {
    /// Empty marks for `n` options.
    pub fn new(n: usize) -> Marks {
        Marks {
            approved: vec![],
            order: vec![],
            scores: vec![None; n],
        }
    }
}

/// The wire ballot for these marks, or the message saying what is missing.
pub fn to_ballot(kind: Kind, marks: &Marks, n: usize) -> Result<OptionBallot, M> {
    Ok(match kind {
        Kind::Approval => {
            let mut approved = marks.approved.clone();
            approved.sort_unstable();
            approved.dedup();
            OptionBallot::Approval { approved }
        }
        Kind::Single => OptionBallot::Ranking {
            groups: marks
                .order
                .first()
                .map(|&i| vec![vec![i]])
                .unwrap_or_default(),
        },
        Kind::Ranked => OptionBallot::Ranking {
            groups: marks.order.iter().map(|&i| vec![i]).collect(),
        },
        Kind::Scores => {
            if marks.scores.len() != n || marks.scores.iter().any(Option::is_none) {
                return Err(M::ScoreEveryOption);
            }
            OptionBallot::Scores {
                scores: marks.scores.iter().map(|s| s.unwrap_or(0)).collect(),
            }
        }
    })
}

/// The marks in plain words, one line per option or choice, for the confirmation.
pub fn summary(l: Lang, kind: Kind, marks: &Marks, options: &[ConsultationOption]) -> Vec<String> {
    match kind {
        Kind::Approval if marks.approved.is_empty() => vec![tr(l, M::BlankApproval).to_owned()],
        Kind::Approval => {
            let mut a = marks.approved.clone();
            a.sort_unstable();
            a.iter()
                .map(|&i| format!("✓ {} {}", tr(l, M::YouApprove), option_name_at(options, i)))
                .collect()
        }
        Kind::Single => match marks.order.first() {
            Some(&i) => vec![format!(
                "✓ {} {}",
                tr(l, M::YourChoice),
                option_name_at(options, i)
            )],
            None => vec![tr(l, M::BlankRanking).to_owned()],
        },
        Kind::Ranked if marks.order.is_empty() => vec![tr(l, M::BlankRanking).to_owned()],
        Kind::Ranked => {
            let mut v: Vec<String> = marks
                .order
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    format!(
                        "{}{}{}",
                        tr_n(l, M::ChoiceN, k + 1),
                        tr(l, M::Colon),
                        option_name_at(options, i)
                    )
                })
                .collect();
            let rest: Vec<String> = options
                .iter()
                .filter(|o| !marks.order.contains(&o.index))
                .map(option_name)
                .collect();
            if !rest.is_empty() {
                v.push(format!(
                    "{}{}{}",
                    tr(l, M::NotRanked),
                    tr(l, M::Colon),
                    rest.join("、")
                ));
            }
            v
        }
        Kind::Scores => options
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let s = marks.scores.get(k).copied().flatten();
                format!(
                    "{}{}{}",
                    option_name(o),
                    tr(l, M::Colon),
                    s.map_or_else(|| "—".to_owned(), |s| tr_n(l, M::ScorePoints, s as usize))
                )
            })
            .collect(),
    }
}

/// Props of [`MarkButtons`].
#[derive(Properties, PartialEq)]
pub struct MarkProps {
    /// The kind of marks.
    pub kind: Kind,
    /// The option's index.
    pub index: u32,
    /// Its position among the options (for scores).
    pub position: usize,
    /// The highest score.
    pub max_score: u32,
    /// The marks so far.
    pub marks: Marks,
    /// New marks.
    pub on_change: Callback<Marks>,
    /// Interface language.
    pub lang: Lang,
}

/// The buttons that mark one option.
#[function_component(MarkButtons)]
pub fn mark_buttons(p: &MarkProps) -> Html {
    let l = p.lang;
    let i = p.index;
    let change = |f: Rc<dyn Fn(&mut Marks)>| {
        let marks = p.marks.clone();
        let on_change = p.on_change.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = marks.clone();
            f(&mut m);
            on_change.emit(m);
        })
    };
    match p.kind {
        Kind::Approval => {
            let on = p.marks.approved.contains(&i);
            let toggle = change(Rc::new(move |m: &mut Marks| {
                if let Some(k) = m.approved.iter().position(|&a| a == i) {
                    m.approved.remove(k);
                } else {
                    m.approved.push(i);
                }
            }));
            html! {
                <>
                <button type="button" class={classes!("mark", "approve", on.then_some("on"))} aria-pressed={on.to_string()} onclick={toggle}>
                    { if on { format!("✓ {}", tr(l, M::Approved)) } else { tr(l, M::Approve).to_owned() } }
                </button>
                if on { <p class="hint">{ tr(l, M::TapAgainToUndo) }</p> }
                </>
            }
        }
        Kind::Single => {
            let on = p.marks.order.first() == Some(&i);
            let choose = change(Rc::new(move |m: &mut Marks| m.order = vec![i]));
            html! {
                <button type="button" class={classes!("mark", "choose", on.then_some("on"))} aria-pressed={on.to_string()} onclick={choose}>
                    { if on { format!("✓ {}", tr(l, M::ThisIsMyChoice)) } else { tr(l, M::ChooseThis).to_owned() } }
                </button>
            }
        }
        Kind::Ranked => match p.marks.order.iter().position(|&a| a == i) {
            Some(k) => {
                let remove = change(Rc::new(move |m: &mut Marks| m.order.retain(|&a| a != i)));
                html! {
                    <div class="ranked">
                        <p class="rank-badge" data-rank={(k + 1).to_string()}><span aria-hidden="true">{ "✓ " }</span>{ tr_n(l, M::ChoiceN, k + 1) }</p>
                        <button type="button" class="mark undo" onclick={remove}>{ tr(l, M::RemoveChoice) }</button>
                    </div>
                }
            }
            None => {
                let n = p.marks.order.len() + 1;
                let add = change(Rc::new(move |m: &mut Marks| m.order.push(i)));
                html! {
                    <button type="button" class="mark rank" onclick={add}>{ tr_n(l, M::MakeChoiceN, n) }</button>
                }
            }
        },
        Kind::Scores => {
            let pos = p.position;
            let current = p.marks.scores.get(pos).copied().flatten();
            let set = |s: i64| {
                change(Rc::new(move |m: &mut Marks| {
                    if let Some(slot) = m.scores.get_mut(pos) {
                        *slot = Some(s);
                    }
                }))
            };
            let max = i64::from(p.max_score);
            if max <= 10 {
                html! {
                    <>
                    <div class="score-row" role="group" aria-label={tr(l, M::GiveScore)}>
                        { for (0..=max).map(|s| html! {
                            <button type="button" class={classes!("mark", "score", (current == Some(s)).then_some("on"))}
                                aria-pressed={(current == Some(s)).to_string()} data-score={s.to_string()} onclick={set(s)}>{ s }</button>
                        }) }
                    </div>
                    <p class="score-ends"><span>{ format!("0 = {}", tr(l, M::ScoreLow)) }</span><span>{ format!("{max} = {}", tr(l, M::ScoreHigh)) }</span></p>
                    </>
                }
            } else {
                let v = current.unwrap_or(0);
                html! {
                    <div class="score-step" role="group" aria-label={tr(l, M::GiveScore)}>
                        <button type="button" class="mark" aria-label="−" onclick={set((v - 1).max(0))}>{ "−" }</button>
                        <output class="score-value">{ current.map_or_else(|| "—".to_owned(), |s| s.to_string()) }</output>
                        <button type="button" class="mark" aria-label="+" onclick={set((v + 1).min(max))}>{ "+" }</button>
                        <span class="muted">{ format!("0–{max}") }</span>
                    </div>
                }
            }
        }
    }
}

/// Where the resident is.
#[derive(Clone, PartialEq)]
enum Step {
    Marking,
    Confirming,
    Sending,
    /// On disk: when (as the phone says), and the receipt code of the sealed ballot.
    Recorded(String, Option<String>),
}

/// Props of [`BallotPage`].
#[derive(Properties, PartialEq)]
pub struct BallotProps {
    /// The token from the address, if any.
    pub token: Option<String>,
}

/// The ballot page.
#[function_component(BallotPage)]
pub fn ballot_page(props: &BallotProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let page = use_state(|| None::<Result<Page, Failure>>);
    {
        let page = page.clone();
        use_effect_with(props.token.clone(), move |token| {
            page.set(None);
            if let Some(token) = token.clone() {
                // The token leaves the address bar and the browser's history as soon as it is
                // read: a shared screen, a history list or a synced browser never shows it.
                // (This page keeps it in memory; a reload asks for the code again.)
                if let Ok(history) = gloo::utils::window().history() {
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some("#/ballot"),
                    );
                }
                yew::platform::spawn_local(async move {
                    let r = api::send::<_, Page>(
                        Verb::Post,
                        "/api/ballot-page",
                        &TokenQuery { token },
                        None,
                    )
                    .await;
                    page.set(Some(r));
                });
            }
        });
    }
    let Some(token) = props.token.clone() else {
        return html! { <TokenEntry /> };
    };
    match &*page {
        None => html! { <main class="consult ballot">{ loading(l) }</main> },
        Some(Err(e)) => html! {
            <main class="consult ballot" id="ballot-error">
                <h1>{ tr(l, if e.code == "unauthorized" { M::CodeNotValid } else { M::BallotCannotOpen }) }</h1>
                if e.code == "unauthorized" { <p class="lead">{ tr(l, M::CodeNotValidHelp) }</p> } else { { failure_box(l, e) } }
                <p><a class="btn big" href="#/ballot">{ tr(l, M::TypeCode) }</a></p>
            </main>
        },
        Some(Ok(p)) => html! { <Ballot page={Rc::new(p.clone())} token={token} /> },
    }
}

/// Typing the code from the paper.
#[function_component(TokenEntry)]
fn token_entry() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let input = use_node_ref();
    let empty = use_state(|| false);
    let onsubmit = {
        let input = input.clone();
        let empty = empty.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let v: String = v
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if v.is_empty() {
                empty.set(true);
            } else {
                let _ = gloo::utils::window()
                    .location()
                    .set_hash(&format!("#/ballot/{v}"));
            }
        })
    };
    html! {
        <main class="consult ballot narrow" id="token-entry">
            <h1>{ tr(l, M::VoteTitle) }</h1>
            <p class="lead">{ tr(l, M::TokenHelp) }</p>
            <form onsubmit={onsubmit} class="token-form">
                <label for="token-input" class="big-label">{ tr(l, M::YourCode) }</label>
                <input id="token-input" ref={input} type="text" autocomplete="off" autocapitalize="off" spellcheck="false"
                    inputmode="text" aria-describedby="token-hint" />
                <p id="token-hint" class="hint-left">{ tr(l, M::TokenFormat) }</p>
                if *empty { <p class="error-box" role="alert">{ tr(l, M::TypeTheCode) }</p> }
                <button type="submit" class="btn primary big">{ tr(l, M::OpenBallot) }</button>
            </form>
        </main>
    }
}

/// Props of [`Ballot`].
#[derive(Properties, PartialEq)]
struct BallotInnerProps {
    page: Rc<Page>,
    token: String,
}

#[function_component(Ballot)]
fn ballot(props: &BallotInnerProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let p = &props.page;
    let n = p.options.len();
    let marks = use_state(|| Marks::new(n));
    let choice = use_state(|| None::<Choice>);
    let step = use_state(|| Step::Marking);
    let problem = use_state(|| None::<Failure>);
    let missing = use_state(|| None::<M>);
    let layouts = use_layouts(p.consultation_id, p.options.clone());
    let comparison = use_comparison(p.consultation_id, &p.options);
    let t = |m| tr(l, m);
    // Every step starts at the top of the screen.
    use_effect_with((*step).clone(), |_| {
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0)
    });

    let header = html! {
        <div class="ballot-head">
            <p class="muted">{ t(if p.round == Round::Option { M::OptionVote } else { M::FormalResolution }) }</p>
            <h1 id="ballot-title">{ p.title.clone() }</h1>
        </div>
    };
    if let Step::Recorded(at, receipt) = &*step {
        return html! {
            <main class="consult ballot narrow" id="receipt">
                <div class="receipt" role="status">
                    <div class="tick" aria-hidden="true">{ "✓" }</div>
                    <h1>{ t(M::VoteRecorded) }</h1>
                    <p class="lead">{ t(M::VoteRecordedText) }</p>
                    <p>{ p.title.clone() }</p>
                    <p class="muted">{ format!("{}{}{at}", t(M::RecordedAt), t(M::Colon)) }</p>
                    if let Some(r) = receipt {
                        <div class="receipt-code-box">
                            <p>{ t(M::YourReceipt) }</p>
                            <p class="receipt-code" id="receipt-code">{ r.clone() }</p>
                            <p class="muted">{ t(M::ReceiptHelp) }</p>
                        </div>
                    }
                    <p>{ t(M::YouCanClose) }</p>
                </div>
            </main>
        };
    }
    if p.already_voted {
        return html! {
            <main class="consult ballot narrow" id="already-voted">
                { header }
                <div class="notice-box" role="status">
                    <h2>{ t(M::AlreadyVotedTitle) }</h2>
                    <p class="lead">{ t(M::AlreadyVotedText) }</p>
                </div>
            </main>
        };
    }
    if !p.open {
        return html! {
            <main class="consult ballot narrow" id="not-open">
                { header }
                <div class="notice-box" role="status">
                    <h2>{ t(M::NotOpenTitle) }</h2>
                    <p class="lead">{ t(M::NotOpenText) }</p>
                    <p><a class="btn" href={format!("#/consult/{}", p.consultation_id)}>{ t(M::AboutConsultation) }</a></p>
                </div>
            </main>
        };
    }
    let kind = Kind::of(p.method);
    let vote: Result<Vote, M> = match p.round {
        Round::Option => to_ballot(kind, &marks, n).map(|ballot| Vote::Option { ballot }),
        Round::Resolution => choice
            .map(|choice| Vote::Resolution { choice })
            .ok_or(M::PickYesNo),
    };
    let lines: Vec<String> = match p.round {
        Round::Option => summary(l, kind, &marks, &p.options),
        Round::Resolution => vec![match *choice {
            Some(Choice::Yes) => format!("✓ {}", t(M::Yes)),
            Some(Choice::No) => format!("✗ {}", t(M::No)),
            Some(Choice::Abstain) => format!("○ {}", t(M::Abstain)),
            None => "—".to_owned(),
        }],
    };

    if matches!(*step, Step::Confirming | Step::Sending) {
        let sending = *step == Step::Sending;
        let back = {
            let step = step.clone();
            let problem = problem.clone();
            Callback::from(move |_: MouseEvent| {
                problem.set(None);
                step.set(Step::Marking)
            })
        };
        let send = {
            let step = step.clone();
            let problem = problem.clone();
            let token = props.token.clone();
            let vote = vote.clone();
            Callback::from(move |_: MouseEvent| {
                let Ok(vote) = vote.clone() else { return };
                let step = step.clone();
                let problem = problem.clone();
                let body = OnlineBallot {
                    token: token.clone(),
                    vote,
                };
                step.set(Step::Sending);
                yew::platform::spawn_local(async move {
                    match api::send::<_, BallotReceipt>(Verb::Post, "/api/ballots", &body, None)
                        .await
                    {
                        Ok(receipt) => {
                            let now = js_sys::Date::new_0();
                            let at = String::from(
                                now.to_locale_string(l.tag(), &wasm_bindgen::JsValue::UNDEFINED),
                            );
                            step.set(Step::Recorded(at, receipt.receipt));
                        }
                        Err(e) => {
                            problem.set(Some(e));
                            step.set(Step::Confirming);
                        }
                    }
                });
            })
        };
        return html! {
            <main class="consult ballot narrow" id="confirm">
                { header }
                <h2 class="step-title">{ t(M::CheckYourVote) }</h2>
                <ul class="summary" id="vote-summary">
                    { for lines.iter().map(|s| html! { <li>{ s.clone() }</li> }) }
                </ul>
                <p class="warn-line">{ t(M::CannotChangeAfter) }</p>
                if let Some(e) = &*problem {
                    { failure_box(l, e) }
                }
                if problem.as_ref().is_some_and(|e| e.code == "already_voted" || e.code == "wrong_phase" || e.code == "unauthorized") {
                    <p><a class="btn big" href={format!("#/consult/{}", p.consultation_id)}>{ t(M::AboutConsultation) }</a></p>
                } else {
                    <div class="confirm-buttons">
                        <button type="button" id="cast" class="btn primary huge" disabled={sending} onclick={send}>
                            { if sending { t(M::Sending) } else { t(M::CastVote) } }
                        </button>
                        <button type="button" id="change" class="btn huge" disabled={sending} onclick={back}>{ t(M::GoBackChange) }</button>
                    </div>
                }
            </main>
        };
    }

    let next = {
        let step = step.clone();
        let missing = missing.clone();
        let vote = vote.clone();
        Callback::from(move |_: MouseEvent| match &vote {
            Ok(_) => {
                missing.set(None);
                step.set(Step::Confirming)
            }
            Err(m) => missing.set(Some(*m)),
        })
    };
    let on_marks = {
        let marks = marks.clone();
        let missing = missing.clone();
        Callback::from(move |m: Marks| {
            missing.set(None);
            marks.set(m)
        })
    };
    let extent = common_extent(&layouts);
    let body = match p.round {
        Round::Option => {
            let help = match kind {
                Kind::Approval => M::HelpApproval,
                Kind::Single => M::HelpSingle,
                Kind::Ranked => M::HelpRanked,
                Kind::Scores => M::HelpScores,
            };
            let restart = {
                let marks = marks.clone();
                Callback::from(move |_: MouseEvent| marks.set(Marks::new(n)))
            };
            html! {
                <>
                <p class="instructions" id="instructions">{ t(help) }
                    if kind == Kind::Scores { { format!(" (0–{})", p.max_score.unwrap_or(0)) } }</p>
                <div class="ballot-options">
                    { for p.options.iter().enumerate().map(|(k, o)| option_card(l, o, layouts.get(k), figures_of(&comparison, o.index), extent, is_marked(kind, &marks, o.index, k), html! {
                        <MarkButtons kind={kind} index={o.index} position={k} max_score={p.max_score.unwrap_or(0)}
                            marks={(*marks).clone()} on_change={on_marks.clone()} lang={l} />
                    })) }
                </div>
                if kind == Kind::Ranked && !marks.order.is_empty() {
                    <p><button type="button" class="btn" id="restart" onclick={restart}>{ t(M::StartAgain) }</button></p>
                }
                </>
            }
        }
        Round::Resolution => {
            let adopted = p
                .adopted_option
                .and_then(|a| p.options.iter().position(|o| o.index == a));
            let pick = |c: Choice| {
                let choice = choice.clone();
                let missing = missing.clone();
                Callback::from(move |_: MouseEvent| {
                    missing.set(None);
                    choice.set(Some(c))
                })
            };
            let btn = |c: Choice, m: M, class: &'static str| {
                let on = *choice == Some(c);
                html! {
                    <button type="button" class={classes!("mark", "yesno", class, on.then_some("on"))} aria-pressed={on.to_string()}
                        id={format!("choice-{}", c.as_str())} onclick={pick(c)}>
                        { if on { format!("✓ {}", t(m)) } else { t(m).to_owned() } }
                    </button>
                }
            };
            html! {
                <>
                if let Some(k) = adopted {
                    <p class="instructions">{ format!("{} {}{}", t(M::DoYouAgree), option_name(&p.options[k]), t(M::QuestionMark)) }</p>
                    <div class="ballot-options single">{ option_card(l, &p.options[k], layouts.get(k), figures_of(&comparison, p.options[k].index), extent, false, html! {}) }</div>
                }
                <div class="yesno-row" role="group" aria-label={t(M::YourAnswer)}>
                    { btn(Choice::Yes, M::Yes, "yes") }
                    { btn(Choice::No, M::No, "no") }
                    { btn(Choice::Abstain, M::Abstain, "abstain") }
                </div>
                </>
            }
        }
    };
    let status = match p.round {
        Round::Option => match kind {
            Kind::Approval => tr_n(l, M::ApprovedCount, marks.approved.len()),
            Kind::Single | Kind::Ranked => tr_n(l, M::ChosenCount, marks.order.len()),
            Kind::Scores => tr_n(l, M::ScoredCount, marks.scores.iter().flatten().count()),
        },
        Round::Resolution => String::new(),
    };
    html! {
        <main class="consult ballot" id="ballot" data-method={format!("{:?}", p.method).to_lowercase()} data-round={p.round.as_str()}>
            { header }
            { body }
            <div class="next-bar">
                if let Some(m) = *missing { <p class="error-box" role="alert">{ t(m) }</p> }
                if !status.is_empty() { <p class="status" aria-live="polite">{ status }</p> }
                <button type="button" id="next" class="btn primary huge" onclick={next}>{ t(M::NextCheck) }</button>
            </div>
        </main>
    }
}

/// Whether option `index` (at `position`) carries a mark.
fn is_marked(kind: Kind, marks: &Marks, index: u32, position: usize) -> bool {
    match kind {
        Kind::Approval => marks.approved.contains(&index),
        Kind::Single => marks.order.first() == Some(&index),
        Kind::Ranked => marks.order.contains(&index),
        Kind::Scores => marks.scores.get(position).copied().flatten().is_some(),
    }
}

/// One option as a card: letter, title, author, drawing, and the marking buttons.
fn option_card(
    l: Lang,
    o: &ConsultationOption,
    loaded: Option<&Loaded>,
    figures: Option<&OptionFigures>,
    extent: (f64, f64),
    marked: bool,
    marks: Html,
) -> Html {
    html! {
        <section class={classes!("ballot-option", marked.then_some("marked"))} data-option={o.label.clone()} aria-label={option_name(o)}>
            <h2><span class="letter">{ o.label.clone() }</span>{ o.title.clone() }</h2>
            <p class="muted">{ format!("{}{}{}", tr(l, M::Author), tr(l, M::Colon), o.author) }</p>
            { loaded_card_body(loaded, figures, extent, l, &o.title) }
            <div class="marks">{ marks }</div>
        </section>
    }
}
