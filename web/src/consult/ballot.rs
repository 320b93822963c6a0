//! The residents' ballot: open it with the code from the QR sheet (or type the code), look
//! at the options, mark the ballot (approve, rank, score, or yes / no / abstain in the
//! formal resolution), check it on a confirmation screen, and get a receipt once the server
//! has written it to disk. Made for a phone and for people who do not use phones much: one
//! thing per screen, big buttons, plain words, nothing that moves by itself.

use std::rc::Rc;

use plotwise_api::{
    BallotPage as Page, BallotReceipt, Choice, ConsultationOption, OnlineBallot, OptionComparison,
    OptionFigures, Round, TokenQuery,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::ballot_machine::{Ballot, BallotAction, Step};
pub use super::ballot_machine::{Kind, Mark, Marks};
use super::draw::{
    Loaded, common_extent, figures_of, loaded_card_body, use_comparison, use_layouts,
};
use super::widgets::{option_name, use_shared};
use crate::api::{self, Load, Verb, use_api_when};
use crate::api::{failure_box, loading};
use crate::i18n::Lang;
use crate::i18n::{M, tr, tr_n};
use crate::routes::Route;

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
    /// A tap.
    pub on_mark: Callback<Mark>,
    /// Interface language.
    pub lang: Lang,
}

/// The buttons that mark one option.
#[function_component(MarkButtons)]
pub fn mark_buttons(p: &MarkProps) -> Html {
    let l = p.lang;
    let i = p.index;
    let tap = |m: Mark| p.on_mark.reform(move |_: MouseEvent| m);
    match p.kind {
        Kind::Approval => {
            let on = p.marks.approved.contains(&i);
            html! {
                <>
                <button type="button" class={classes!("mark", "approve", on.then_some("on"))} aria-pressed={on.to_string()} onclick={tap(Mark::Toggle(i))}>
                    { if on { format!("✓ {}", tr(l, M::Approved)) } else { tr(l, M::Approve).to_owned() } }
                </button>
                if on { <p class="hint">{ tr(l, M::TapAgainToUndo) }</p> }
                </>
            }
        }
        Kind::Single => {
            let on = p.marks.order.first() == Some(&i);
            html! {
                <button type="button" class={classes!("mark", "choose", on.then_some("on"))} aria-pressed={on.to_string()} onclick={tap(Mark::Choose(i))}>
                    { if on { format!("✓ {}", tr(l, M::ThisIsMyChoice)) } else { tr(l, M::ChooseThis).to_owned() } }
                </button>
            }
        }
        Kind::Ranked => match p.marks.order.iter().position(|&a| a == i) {
            Some(k) => html! {
                <div class="ranked">
                    <p class="rank-badge" data-rank={(k + 1).to_string()}><span aria-hidden="true">{ "✓ " }</span>{ tr_n(l, M::ChoiceN, k + 1) }</p>
                    <button type="button" class="mark undo" onclick={tap(Mark::Unrank(i))}>{ tr(l, M::RemoveChoice) }</button>
                </div>
            },
            None => html! {
                <button type="button" class="mark rank" onclick={tap(Mark::Rank(i))}>{ tr_n(l, M::MakeChoiceN, p.marks.order.len() + 1) }</button>
            },
        },
        Kind::Scores => score_buttons(p, &tap),
    }
}

/// Scores 0 to the highest as a row of buttons, or − and + when there are more than 11.
fn score_buttons(p: &MarkProps, tap: &dyn Fn(Mark) -> Callback<MouseEvent>) -> Html {
    let l = p.lang;
    let pos = p.position;
    let current = p.marks.scores.get(pos).copied().flatten();
    let max = i64::from(p.max_score);
    if max <= 10 {
        html! {
            <>
            <div class="score-row" role="group" aria-label={tr(l, M::GiveScore)}>
                { for (0..=max).map(|s| html! {
                    <button type="button" class={classes!("mark", "score", (current == Some(s)).then_some("on"))}
                        aria-pressed={(current == Some(s)).to_string()} data-score={s.to_string()} onclick={tap(Mark::Score(pos, s))}>{ s }</button>
                }) }
            </div>
            <p class="score-ends"><span>{ format!("0 = {}", tr(l, M::ScoreLow)) }</span><span>{ format!("{max} = {}", tr(l, M::ScoreHigh)) }</span></p>
            </>
        }
    } else {
        let v = current.unwrap_or(0);
        html! {
            <div class="score-step" role="group" aria-label={tr(l, M::GiveScore)}>
                <button type="button" class="mark" aria-label="−" onclick={tap(Mark::Score(pos, (v - 1).max(0)))}>{ "−" }</button>
                <output class="score-value">{ current.map_or_else(|| "—".to_owned(), |s| s.to_string()) }</output>
                <button type="button" class="mark" aria-label="+" onclick={tap(Mark::Score(pos, (v + 1).min(max)))}>{ "+" }</button>
                <span class="muted">{ format!("0–{max}") }</span>
            </div>
        }
    }
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
    use_effect_with(props.token.clone(), |token| {
        // The token leaves the address bar and the browser's history as soon as it is read:
        // a shared screen, a history list or a synced browser never shows it. (This page
        // keeps it in memory; a reload asks for the code again.)
        if token.is_some()
            && let Ok(history) = gloo::utils::window().history()
        {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&Route::Ballot(None).href()),
            );
        }
    });
    let page = use_api_when(props.token.clone(), |token| async move {
        // The page loader asked for it already, while this code downloaded (a phone on a
        // slow network opens its ballot a round trip sooner).
        // If that one could not reach the server, this asks again.
        match api::early_answer("plotwiseEarlyBallot", &token).await {
            Some(Err(f)) if f.code == "network" => {}
            Some(early) => return early,
            None => {}
        }
        api::send::<_, Page>(Verb::Post, "/api/ballot-page", &TokenQuery { token }, None).await
    });
    let Some(token) = props.token.clone() else {
        return html! { <TokenEntry /> };
    };
    match page.load() {
        Load::Loading => html! { <main class="consult ballot">{ loading(l) }</main> },
        Load::Failed(e) => html! {
            <main class="consult ballot" id="ballot-error">
                <h1>{ tr(l, if e.code == "unauthorized" { M::CodeNotValid } else { M::BallotCannotOpen }) }</h1>
                if e.code == "unauthorized" { <p class="lead">{ tr(l, M::CodeNotValidHelp) }</p> } else { { failure_box(l, e) } }
                <p><a class="btn big" href={Route::Ballot(None).href()}>{ tr(l, M::TypeCode) }</a></p>
            </main>
        },
        Load::Ready(p) => html! { <BallotView page={Rc::new(p.clone())} token={token} /> },
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
                    .set_hash(&Route::Ballot(Some(v)).href());
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

#[function_component(BallotView)]
fn ballot_view(props: &BallotInnerProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let p = &props.page;
    let b = {
        let (round, method, n) = (p.round, p.method, p.options.len());
        use_reducer(move || Ballot::new(round, method, n))
    };
    let layouts = use_layouts(p.consultation_id, p.options.clone());
    let comparison = use_comparison(p.consultation_id, &p.options);
    // Every step starts at the top of the screen.
    use_effect_with(b.step.clone(), |_| {
        gloo::utils::window().scroll_to_with_x_and_y(0.0, 0.0)
    });
    let header = html! {
        <div class="ballot-head">
            <p class="muted">{ tr(l, if p.round == Round::Option { M::OptionVote } else { M::FormalResolution }) }</p>
            <h1 id="ballot-title">{ p.title.clone() }</h1>
        </div>
    };
    if let Step::Recorded { at, receipt } = &b.step {
        return receipt_view(l, p, at, receipt.as_deref());
    }
    if p.already_voted {
        return notice_view(
            l,
            "already-voted",
            header,
            M::AlreadyVotedTitle,
            M::AlreadyVotedText,
            None,
        );
    }
    if !p.open {
        let about =
            html! { <p><a class="btn" href={home_href(p)}>{ tr(l, M::AboutConsultation) }</a></p> };
        return notice_view(
            l,
            "not-open",
            header,
            M::NotOpenTitle,
            M::NotOpenText,
            Some(about),
        );
    }
    if matches!(b.step, Step::Confirming | Step::Sending) {
        return confirm_view(l, p, &b, &props.token, header);
    }
    marking_view(l, p, &b, (&layouts, comparison.as_deref()), header)
}

/// The consultation's home page.
fn home_href(p: &Page) -> String {
    Route::Home(p.consultation_id).href()
}

/// The receipt: recorded, when, and the receipt code to check the count with.
fn receipt_view(l: Lang, p: &Page, at: &str, receipt: Option<&str>) -> Html {
    let t = |m| tr(l, m);
    html! {
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
                        <p class="receipt-code" id="receipt-code">{ r.to_owned() }</p>
                        <p class="muted">{ t(M::ReceiptHelp) }</p>
                    </div>
                }
                <p>{ t(M::YouCanClose) }</p>
            </div>
        </main>
    }
}

/// A page that says why there is nothing to mark (already voted, not open).
fn notice_view(
    l: Lang,
    id: &'static str,
    header: Html,
    title: M,
    text: M,
    more: Option<Html>,
) -> Html {
    html! {
        <main class="consult ballot narrow" id={id}>
            { header }
            <div class="notice-box" role="status">
                <h2>{ tr(l, title) }</h2>
                <p class="lead">{ tr(l, text) }</p>
                { more.unwrap_or_default() }
            </div>
        </main>
    }
}

/// The check: the vote in plain words, cast it or go back.
fn confirm_view(
    l: Lang,
    p: &Page,
    b: &UseReducerHandle<Ballot>,
    token: &str,
    header: Html,
) -> Html {
    let t = |m| tr(l, m);
    let sending = b.step == Step::Sending;
    let back = b
        .dispatcher()
        .to_callback()
        .reform(|_: MouseEvent| BallotAction::Back);
    let send = {
        let b = b.clone();
        let token = token.to_owned();
        Callback::from(move |_: MouseEvent| {
            let Ok(vote) = b.vote() else { return };
            b.dispatch(BallotAction::Send);
            let (b, body) = (
                b.clone(),
                OnlineBallot {
                    token: token.clone(),
                    vote,
                },
            );
            yew::platform::spawn_local(async move {
                let r = api::send_padded::<_, BallotReceipt>("/api/ballots", &body).await;
                let now = js_sys::Date::new_0();
                let at =
                    String::from(now.to_locale_string(l.tag(), &wasm_bindgen::JsValue::UNDEFINED));
                b.dispatch(BallotAction::Sent(r.map(|receipt| (at, receipt.receipt))));
            });
        })
    };
    html! {
        <main class="consult ballot narrow" id="confirm">
            { header }
            <h2 class="step-title">{ t(M::CheckYourVote) }</h2>
            <ul class="summary" id="vote-summary">
                { for b.lines(l, &p.options).into_iter().map(|s| html! { <li>{ s }</li> }) }
            </ul>
            <p class="warn-line">{ t(M::CannotChangeAfter) }</p>
            if let Some(e) = &b.problem {
                { failure_box(l, e) }
            }
            if b.refused_for_good() {
                <p><a class="btn big" href={home_href(p)}>{ t(M::AboutConsultation) }</a></p>
            } else {
                <div class="confirm-buttons">
                    <button type="button" id="cast" class="btn primary huge" disabled={sending} onclick={send}>
                        { if sending { t(M::Sending) } else { t(M::CastVote) } }
                    </button>
                    <button type="button" id="change" class="btn huge" disabled={sending} onclick={back}>{ t(M::GoBackChange) }</button>
                </div>
            }
        </main>
    }
}

/// Marking: the options with their drawings and buttons, or the yes / no / abstain choice.
fn marking_view(
    l: Lang,
    p: &Page,
    b: &UseReducerHandle<Ballot>,
    (layouts, comparison): (&[Loaded], Option<&OptionComparison>),
    header: Html,
) -> Html {
    let t = |m| tr(l, m);
    let d = b.dispatcher().to_callback();
    let extent = common_extent(layouts);
    let body = match p.round {
        Round::Option => {
            let kind = b.kind;
            let on_mark = d.reform(BallotAction::Mark);
            html! {
                <>
                <p class="instructions" id="instructions">{ t(kind.help()) }
                    if kind == Kind::Scores { { format!(" (0–{})", p.max_score.unwrap_or(0)) } }</p>
                <div class="ballot-options">
                    { for p.options.iter().enumerate().map(|(k, o)| option_card(l, o, layouts.get(k), figures_of(comparison, o.index), extent, b.marks.is_marked(kind, o.index, k), html! {
                        <MarkButtons kind={kind} index={o.index} position={k} max_score={p.max_score.unwrap_or(0)}
                            marks={b.marks.clone()} on_mark={on_mark.clone()} lang={l} />
                    })) }
                </div>
                if kind == Kind::Ranked && !b.marks.order.is_empty() {
                    <p><button type="button" class="btn" id="restart" onclick={d.reform(|_: MouseEvent| BallotAction::Mark(Mark::Restart))}>{ t(M::StartAgain) }</button></p>
                }
                </>
            }
        }
        Round::Resolution => resolution_choice(l, p, b, (layouts, comparison), extent),
    };
    let status = match p.round {
        Round::Option => b.marks.status(l, b.kind),
        Round::Resolution => String::new(),
    };
    html! {
        <main class="consult ballot" id="ballot" data-method={p.method.as_str()} data-round={p.round.as_str()}>
            { header }
            { body }
            <div class="next-bar">
                if let Some(m) = b.missing { <p class="error-box" role="alert">{ t(m) }</p> }
                if !status.is_empty() { <p class="status" aria-live="polite">{ status }</p> }
                <button type="button" id="next" class="btn primary huge" onclick={d.reform(|_: MouseEvent| BallotAction::Next)}>{ t(M::NextCheck) }</button>
            </div>
        </main>
    }
}

/// The formal resolution: the adopted option's drawing, and yes / no / abstain.
fn resolution_choice(
    l: Lang,
    p: &Page,
    b: &UseReducerHandle<Ballot>,
    (layouts, comparison): (&[Loaded], Option<&OptionComparison>),
    extent: (f64, f64),
) -> Html {
    let t = |m| tr(l, m);
    let adopted = p
        .adopted_option
        .and_then(|a| p.options.iter().position(|o| o.index == a));
    let btn = |c: Choice, m: M, class: &'static str| {
        let on = b.choice == Some(c);
        html! {
            <button type="button" class={classes!("mark", "yesno", class, on.then_some("on"))} aria-pressed={on.to_string()}
                id={format!("choice-{}", c.as_str())} onclick={b.dispatcher().to_callback().reform(move |_: MouseEvent| BallotAction::Choose(c))}>
                { if on { format!("✓ {}", t(m)) } else { t(m).to_owned() } }
            </button>
        }
    };
    html! {
        <>
        if let Some(k) = adopted {
            <p class="instructions">{ format!("{} {}{}", t(M::DoYouAgree), option_name(&p.options[k]), t(M::QuestionMark)) }</p>
            <div class="ballot-options single">{ option_card(l, &p.options[k], layouts.get(k), figures_of(comparison, p.options[k].index), extent, false, html! {}) }</div>
        }
        <div class="yesno-row" role="group" aria-label={t(M::YourAnswer)}>
            { btn(Choice::Yes, M::Yes, "yes") }
            { btn(Choice::No, M::No, "no") }
            { btn(Choice::Abstain, M::Abstain, "abstain") }
        </div>
        </>
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
