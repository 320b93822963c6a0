//! Small pieces the consultation pages share: the error box, phase names and the phase
//! stepper, fractions, participation bars against the quorum, option names.

use plotwise_api::{ConsultationOption, Method, Participation, Phase};
use yew::prelude::*;

use super::api::Failure;
use super::i18n::{M, tr};
use crate::i18n::Lang;

/// The page's shared state (language, session); panics never: a default when missing.
#[hook]
pub fn use_shared() -> super::Shared {
    use_context::<super::Shared>().unwrap_or_else(|| super::Shared {
        lang: Lang::initial(),
        session: None,
        session_known: true,
        set_session: Callback::noop(),
    })
}

/// The headline of a failure in plain words, by the server's code.
pub fn failure_headline(l: Lang, f: &Failure) -> &'static str {
    let m = match f.code.as_str() {
        "already_voted" => M::ErrAlreadyVoted,
        "wrong_phase" => M::ErrWrongPhase,
        "unauthorized" => M::ErrUnauthorized,
        "csrf" => M::ErrCsrf,
        "rate_limited" => M::ErrRateLimited,
        "invalid_file" => M::ErrInvalidFile,
        "tie" => M::ErrTie,
        "cannot_count" => M::ErrCannotCount,
        "owner_split" => M::ErrOwnerSplit,
        "not_found" => M::ErrNotFound,
        "bad_request" => M::ErrBadRequest,
        "conflict" => M::ErrConflict,
        "network" => M::ErrNetwork,
        "file" => M::ErrFile,
        "form" => M::ErrForm,
        "internal" => M::ErrInternal,
        "forbidden" => M::ErrForbidden,
        "already_set_up" => M::ErrAlreadySetUp,
        "wrong_codes" => M::ErrWrongCodes,
        "paper_mismatch" => M::ErrPaperMismatch,
        "count_incomplete" => M::ErrCountIncomplete,
        "box_in_use" => M::ErrBoxInUse,
        "box_mismatch" => M::ErrBoxMismatch,
        "bad_file" => M::ErrBadFile,
        "storage" => M::ErrStorage,
        "timeout" => M::ErrTimeout,
        "busy" => M::ErrBusy,
        _ => M::ErrOther,
    };
    tr(l, m)
}

/// A failure as a box: the headline in the interface language, the server's detail (in
/// Chinese when the server wrote it so, else in English), and one line per bad line of a file.
pub fn failure_box(l: Lang, f: &Failure) -> Html {
    html! {
        <div class="error-box" role="alert" data-code={f.code.clone()}>
            <p class="headline">{ failure_headline(l, f) }</p>
            if !f.message.is_empty() {
                <p class="detail">{ format!("{}{}", tr(l, M::Detail), match (l, &f.message_zh) {
                    (Lang::ZhCn, Some(zh)) => zh,
                    _ => &f.message,
                }) }</p>
            }
            if !f.errors.is_empty() {
                <ul class="line-errors" id="line-errors">
                    { for f.errors.iter().map(|e| html! {
                        <li data-line={e.line.to_string()}>
                            <strong>{ format!("{} {}", tr(l, M::Line), e.line) }</strong>{ format!(": {}", e.message) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// The name of a phase.
pub fn phase_name(l: Lang, p: Phase) -> &'static str {
    tr(
        l,
        match p {
            Phase::Draft => M::PhaseDraft,
            Phase::Collecting => M::PhaseCollecting,
            Phase::Frozen => M::PhaseFrozen,
            Phase::Voting => M::PhaseVoting,
            Phase::Closed => M::PhaseClosed,
            Phase::Resolution => M::PhaseResolution,
            Phase::Validated => M::PhaseValidated,
            Phase::Published => M::PhasePublished,
        },
    )
}

/// What a phase means for a resident, in one sentence.
pub fn phase_explained(l: Lang, p: Phase) -> &'static str {
    tr(
        l,
        match p {
            Phase::Draft => M::PhaseDraftText,
            Phase::Collecting => M::PhaseCollectingText,
            Phase::Frozen => M::PhaseFrozenText,
            Phase::Voting => M::PhaseVotingText,
            Phase::Closed => M::PhaseClosedText,
            Phase::Resolution => M::PhaseResolutionText,
            Phase::Validated => M::PhaseValidatedText,
            Phase::Published => M::PhasePublishedText,
        },
    )
}

/// The life cycle as a list with the current phase marked.
pub fn stepper(l: Lang, current: Phase) -> Html {
    let pos = Phase::ALL.iter().position(|&p| p == current).unwrap_or(0);
    html! {
        <ol class="stepper" aria-label={tr(l, M::LifeCycle)}>
            { for Phase::ALL.iter().enumerate().map(|(i, &p)| {
                let class = if i < pos { "done" } else if i == pos { "current" } else { "todo" };
                html! {
                    <li class={class} data-phase={p.as_str()} aria-current={if i == pos { "step" } else { "false" }}>
                        <span class="n">{ i + 1 }</span><span>{ phase_name(l, p) }</span>
                    </li>
                }
            }) }
        </ol>
    }
}

/// The name of a counting method.
pub fn method_name(l: Lang, m: Method) -> &'static str {
    tr(
        l,
        match m {
            Method::Plurality => M::MethodPlurality,
            Method::Approval => M::MethodApproval,
            Method::Score => M::MethodScore,
            Method::Borda => M::MethodBorda,
            Method::Irv => M::MethodIrv,
            Method::Schulze => M::MethodSchulze,
        },
    )
}

/// The letter of the option at 0-based position `k` (`A`, `B`, …), as the server labels them.
pub fn option_label(k: usize) -> String {
    u32::try_from(k)
        .ok()
        .and_then(|k| char::from_u32('A' as u32 + k))
        .map_or_else(|| format!("#{k}"), String::from)
}

/// `"A · title"` for an option.
pub fn option_name(o: &ConsultationOption) -> String {
    format!("{} · {}", o.label, o.title)
}

/// The option with index `i` among `options`, named; `#i` when unknown.
pub fn option_name_at(options: &[ConsultationOption], i: u32) -> String {
    options
        .iter()
        .find(|o| o.index == i)
        .map(option_name)
        .unwrap_or_else(|| format!("#{i}"))
}

/// A fraction `p/q` (or an integer) as a number; `None` when it does not parse or q is 0.
pub fn fraction(s: &str) -> Option<f64> {
    let s = s.trim();
    let (p, q) = match s.split_once('/') {
        Some((p, q)) => (p.trim().parse::<f64>().ok()?, q.trim().parse::<f64>().ok()?),
        None => (s.parse::<f64>().ok()?, 1.0),
    };
    (q > 0.0 && p.is_finite() && q.is_finite()).then_some(p / q)
}

/// A share as a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// One condition of a quorum or pass rule, e.g. `area>=2/3`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// `area` or `headcount`.
    pub dim: String,
    /// `>=` or `>`.
    pub op: String,
    /// The threshold.
    pub value: f64,
    /// The threshold as written.
    pub text: String,
}

/// Parses `area>=2/3,headcount>=2/3`; unknown parts are skipped.
pub fn conditions(s: &str) -> Vec<Condition> {
    s.split(',')
        .filter_map(|part| {
            let part = part.trim();
            let (dim, rest, op) = if let Some((d, r)) = part.split_once(">=") {
                (d, r, ">=")
            } else if let Some((d, r)) = part.split_once('>') {
                (d, r, ">")
            } else {
                return None;
            };
            Some(Condition {
                dim: dim.trim().to_owned(),
                op: op.to_owned(),
                value: fraction(rest)?,
                text: rest.trim().to_owned(),
            })
        })
        .collect()
}

/// A horizontal bar of `value` (0..1) with a marker at `threshold`.
pub fn bar(
    l: Lang,
    id: &str,
    label: &str,
    value_text: &str,
    value: f64,
    threshold: Option<&Condition>,
    met: Option<bool>,
) -> Html {
    let w = (value.clamp(0.0, 1.0) * 100.0).max(0.0);
    let class = match met {
        Some(true) => "met",
        Some(false) => "unmet",
        None => "plain",
    };
    html! {
        <div class={classes!("bar-row", class)} id={id.to_owned()} data-value={format!("{value:.6}")}>
            <div class="bar-label">
                <span>{ label.to_owned() }</span>
                <strong>{ format!("{} ({value_text})", pct(value)) }</strong>
            </div>
            <div class="bar" role="img" aria-label={format!("{label}: {}", pct(value))}>
                <div class="fill" style={format!("width:{w:.2}%")}></div>
                if let Some(c) = threshold {
                    <div class="threshold" style={format!("left:{:.2}%", (c.value.clamp(0.0, 1.0) * 100.0))}
                         title={format!("{} {} {}", tr(l, M::Needed), c.op, c.text)}></div>
                }
            </div>
            if let Some(c) = threshold {
                <div class="bar-need">
                    { format!("{} {} {} ({})", tr(l, M::Needed), c.op.replace(">=", "≥"), c.text, pct(c.value)) }
                    { match met { Some(true) => format!(" · ✓ {}", tr(l, M::Reached)), Some(false) => format!(" · ✗ {}", tr(l, M::NotReached)), None => String::new() } }
                </div>
            }
        </div>
    }
}

/// Participation against the quorum, by area and by headcount.
pub fn participation_bars(l: Lang, prefix: &str, p: &Participation) -> Html {
    let conds = conditions(&p.quorum);
    let find = |dim: &str| conds.iter().find(|c| c.dim == dim).cloned();
    let row = |dim: &str, label: M, text: &str| {
        let v = fraction(text).unwrap_or(0.0);
        let c = find(dim);
        let met = c.as_ref().map(|c| {
            if c.op == ">=" {
                v >= c.value - 1e-12
            } else {
                v > c.value + 1e-12
            }
        });
        bar(
            l,
            &format!("{prefix}-{dim}"),
            tr(l, label),
            text,
            v,
            c.as_ref(),
            met,
        )
    };
    html! {
        <div class="participation">
            <p class="big-number">
                { format!("{} / {} {}", p.units_voted, p.units_total, tr(l, M::UnitsVoted)) }
                <span class="muted">{ format!(" ({} {} · {} {})", tr(l, M::Online), p.online, tr(l, M::Paper), p.paper) }</span>
            </p>
            { row("area", M::ByArea, &p.area) }
            { row("headcount", M::ByHeadcount, &p.headcount) }
            <p class={classes!("verdict", if p.quorum_met { "ok" } else { "no" })} id={format!("{prefix}-quorum")}>
                { if p.quorum_met { tr(l, M::QuorumMet) } else { tr(l, M::QuorumNotMet) } }
            </p>
        </div>
    }
}

/// "Loading…".
pub fn loading(l: Lang) -> Html {
    html! { <p class="loading-line" role="status">{ tr(l, M::Loading) }</p> }
}
