//! The findings panel: what crates/plan's rules found, worst first; a click selects and
//! highlights what a finding is about.

use std::rc::Rc;

use plotwise_plan::model::{Layout, ObjectRef};
use plotwise_plan::rules::Confidence;
use plotwise_plan::{ElementId, Finding, Severity, ZoneId};
use yew::prelude::*;

use crate::i18n::{Lang, Msg, pick, tr};
use crate::state::Action;

/// What the panel shows.
#[derive(Properties, PartialEq)]
pub struct FindingsProps {
    /// The findings of the shown layout.
    pub findings: Rc<Vec<Finding>>,
    /// The layout (to tell zones from elements among a finding's ids).
    pub layout: Rc<Layout>,
    /// The highlighted finding.
    pub highlighted: Option<usize>,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

const SHOWN: usize = 40;

/// The findings panel.
#[function_component(FindingsPanel)]
pub fn findings_panel(props: &FindingsProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let show_all = use_state(|| false);
    let mut order: Vec<usize> = (0..props.findings.len()).collect();
    order.sort_unstable_by_key(|&i| (std::cmp::Reverse(props.findings[i].severity), i));
    // A long list (hundreds on a 1 km strip) is shown 40 at a time, worst first.
    let hidden = if *show_all {
        0
    } else {
        order.len().saturating_sub(SHOWN)
    };
    let items: Html = order
        .into_iter()
        .take(if *show_all { usize::MAX } else { SHOWN })
        .map(|i| {
            let f = &props.findings[i];
            let target = f.ids.iter().find_map(|id| {
                if props.layout.zone(&ZoneId(id.clone())).is_some() {
                    Some(ObjectRef::Zone(ZoneId(id.clone())))
                } else if props.layout.element(&ElementId(id.clone())).is_some() {
                    Some(ObjectRef::Element(ElementId(id.clone())))
                } else {
                    None
                }
            });
            let d = props.dispatch.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                d.emit(Action::Highlight(Some(i), target.clone()));
                crate::components::palette::show_plan();
            });
            let (sev_class, sev) = match f.severity {
                Severity::Error => ("error", t(Msg::Error)),
                Severity::Warning => ("warning", t(Msg::Warning)),
                Severity::Info => ("info", t(Msg::Info)),
            };
            let conf = t(match f.confidence {
                Confidence::H => Msg::ConfidenceHigh,
                Confidence::M => Msg::ConfidenceMedium,
                Confidence::L => Msg::ConfidenceLow,
            });
            let active = props.highlighted == Some(i);
            html! {
                <li class={classes!("finding", sev_class, active.then_some("active"))} data-rule={f.rule.clone()}>
                    <button class="finding-button" {onclick} aria-pressed={if active {"true"} else {"false"}}>
                        <span class="sev">{ sev }</span>
                        <span class="msg">{ pick(l, &f.message).to_owned() }</span>
                        <span class="std" title={t(Msg::Confidence)}>{ format!("{} · {conf}", f.standard) }</span>
                    </button>
                </li>
            }
        })
        .collect();
    html! {
        <section class="panel findings" aria-labelledby="findings-h">
            <h2 id="findings-h">{ t(Msg::Findings) }{ format!(" ({})", props.findings.len()) }</h2>
            if props.findings.is_empty() {
                <p class="ok">{ t(Msg::NoFindings) }</p>
            } else {
                <ul id="findings-list" aria-live="polite">{ items }</ul>
                if hidden > 0 {
                    <button id="findings-all" onclick={let s = show_all.clone(); Callback::from(move |_: MouseEvent| s.set(true))}>
                        { format!("{} ({hidden})", t(Msg::ShowAll)) }
                    </button>
                }
            }
        </section>
    }
}
