//! The figures from crates/plan's metrics: plot area, zone areas, green share, seats,
//! step-free reach and the cost total with its bill of quantities.

use std::rc::Rc;

use plotwise_plan::Metrics;
use yew::prelude::*;

use crate::i18n::{Lang, Msg, pick, tr};

/// What the panel shows.
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The metrics of the shown layout.
    pub metrics: Rc<Metrics>,
    /// Interface language.
    pub lang: Lang,
}

/// Formats an amount of yuan with thousands separators.
pub fn yuan(v: f64) -> String {
    let n = v.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("¥{}{out}", if n < 0 { "-" } else { "" })
}

/// The figures panel.
#[function_component(SummaryPanel)]
pub fn summary_panel(props: &SummaryProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let m = &props.metrics;
    html! {
        <section class="panel metrics" aria-labelledby="metrics-h">
            <h2 id="metrics-h">{ t(Msg::Metrics) }</h2>
            <p id="plot-area">{ t(Msg::PlotArea) }{ t(Msg::Colon) }
                <span class="metric">{ format!("{:.1} m²", m.plot_area_m2) }</span></p>
            <dl id="metrics-list">
                { for m.zones.iter().map(|k| html! {
                    <div data-metric={format!("area_{}", k.kind.key())}>
                        <dt>{ pick(l, &k.kind.label()).to_owned() }</dt>
                        <dd>{ format!("{:.1} m² · {:.0} %", k.area_m2, k.share * 100.0) }</dd>
                    </div>
                }) }
                <div data-metric="green_ratio"><dt>{ t(Msg::GreenRatio) }</dt><dd>{ format!("{:.0} %", m.green_ratio * 100.0) }</dd></div>
                <div data-metric="seats"><dt>{ t(Msg::Seats) }</dt><dd id="metric-seats">{ m.seats }</dd></div>
                <div data-metric="elements"><dt>{ t(Msg::ElementCount) }</dt><dd>{ m.elements }</dd></div>
                <div data-metric="reachability"><dt>{ t(Msg::StepFreeReach) }</dt><dd>{ format!("{:.0} %", m.reachability * 100.0) }</dd></div>
                if let Some(u) = m.roof_peak_utilisation_pct {
                    <div data-metric="roof_peak"><dt>{ t(Msg::RoofLoad) }</dt><dd>{ format!("{u:.0} %") }</dd></div>
                }
                <div data-metric="cost"><dt>{ t(Msg::TotalCost) }</dt><dd>{ yuan(m.cost.total) }</dd></div>
            </dl>
            <details class="bill">
                <summary>{ t(Msg::BillOfQuantities) }</summary>
                <table>
                    <tbody>
                    { for m.cost.lines.iter().map(|c| html! {
                        <tr>
                            <td>{ pick(l, &c.description).to_owned() }</td>
                            <td class="num">{ if c.unit == "m2" { format!("{:.1} m²", c.quantity) } else { format!("{:.0}", c.quantity) } }</td>
                            <td class="num">{ yuan(c.total) }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            </details>
            if m.cost.has_estimates {
                <p class="muted small">{ t(Msg::CostEstimateNote) }</p>
            }
        </section>
    }
}
