//! Small pieces the consultation pages share: phase names and the phase
//! stepper, shares as bars against their thresholds, participation against the quorum,
//! option names.

use plotwise_api::{
    Check, Cmp, ConsultationOption, Fraction, Measure, Method, Participation, Phase, ResolutionRule,
};
use yew::prelude::*;

use crate::i18n::Lang;
use crate::i18n::{M, tr};

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

/// A share as a percentage with one decimal.
pub fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// `≥` or `>`.
fn cmp_sign(c: Cmp) -> &'static str {
    match c {
        Cmp::AtLeast => "≥",
        Cmp::MoreThan => ">",
    }
}

/// A horizontal bar of the share `share` (0..1), with a marker at the threshold of `check`
/// (the server's, checked exactly by `plotwise-vote`) when there is one.
pub fn bar(l: Lang, id: &str, label: &str, share: &Fraction, check: Option<&Check>) -> Html {
    let value = share.to_f64();
    let w = (value.clamp(0.0, 1.0) * 100.0).max(0.0);
    let met = check.map(|c| c.met);
    let class = match met {
        Some(true) => "met",
        Some(false) => "unmet",
        None => "plain",
    };
    let threshold = check.map(|c| {
        let t = &c.condition.threshold;
        (t.to_f64(), cmp_sign(c.condition.cmp), t.to_string())
    });
    html! {
        <div class={classes!("bar-row", class)} id={id.to_owned()} data-value={format!("{value:.6}")}>
            <div class="bar-label">
                <span>{ label.to_owned() }</span>
                <strong>{ format!("{} ({share})", pct(value)) }</strong>
            </div>
            <div class="bar" role="img" aria-label={format!("{label}: {}", pct(value))}>
                <div class="fill" style={format!("width:{w:.2}%")}></div>
                if let Some((at, sign, text)) = &threshold {
                    <div class="threshold" style={format!("left:{:.2}%", (at.clamp(0.0, 1.0) * 100.0))}
                         title={format!("{} {sign} {text}", tr(l, M::Needed))}></div>
                }
            </div>
            if let Some((at, sign, text)) = &threshold {
                <div class="bar-need">
                    { format!("{} {sign} {text} ({})", tr(l, M::Needed), pct(*at)) }
                    { match met { Some(true) => format!(" · ✓ {}", tr(l, M::Reached)), Some(false) => format!(" · ✗ {}", tr(l, M::NotReached)), None => String::new() } }
                </div>
            }
        </div>
    }
}

/// The check of `checks` on `measure`, if the rule has one.
fn check_on(checks: &[Check], measure: Measure) -> Option<&Check> {
    checks.iter().find(|c| c.condition.measure == measure)
}

/// Participation against the quorum, by area and by headcount.
pub fn participation_bars(l: Lang, prefix: &str, p: &Participation) -> Html {
    let row = |measure: Measure, dim: &str, label: M, share: &Fraction| {
        let id = format!("{prefix}-{dim}");
        bar(l, &id, tr(l, label), share, check_on(&p.quorum, measure))
    };
    html! {
        <div class="participation">
            <p class="big-number">
                { format!("{} / {} {}", p.units_voted, p.units_total, tr(l, M::UnitsVoted)) }
                <span class="muted">{ format!(" ({} {} · {} {})", tr(l, M::Online), p.online, tr(l, M::Paper), p.paper) }</span>
            </p>
            { row(Measure::Area, "area", M::ByArea, &p.area) }
            { row(Measure::Headcount, "headcount", M::ByHeadcount, &p.headcount) }
            <p class={classes!("verdict", if p.quorum_met { "ok" } else { "no" })} id={format!("{prefix}-quorum")}>
                { if p.quorum_met { tr(l, M::QuorumMet) } else { tr(l, M::QuorumNotMet) } }
            </p>
        </div>
    }
}

/// The name of a resolution rule, with its building or thresholds.
pub fn rule_name(l: Lang, r: &ResolutionRule) -> String {
    let base = tr(
        l,
        match r.rule.as_str() {
            "art278-ordinary" => M::RuleOrdinary,
            "art278-major" => M::RuleMajor,
            "building-two-thirds" => M::RuleBuilding,
            "support-10" => M::RuleSupport10,
            "custom" => M::RuleCustom,
            _ => M::RuleOther,
        },
    );
    let mut s = format!("{base} ({})", r.rule);
    if let Some(b) = &r.building {
        s.push_str(&format!(" · {} {b}", tr(l, M::Building)));
    }
    if let Some(q) = &r.quorum {
        s.push_str(&format!(" · {} {q}", tr(l, M::Quorum)));
    }
    if let Some(p) = &r.pass {
        s.push_str(&format!(" · {} {p}", tr(l, M::PassRule)));
    }
    s
}
