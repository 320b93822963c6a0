//! The frozen options' layouts: fetched byte for byte from the server, read with
//! crates/plan (`LayoutDocument`), drawn read-only in SVG at one common scale, and measured
//! with plan's comparison table. Drawing helpers are the editor's (`crate::draw`).

use std::rc::Rc;

use plotwise_api::ConsultationOption;
use plotwise_plan::LayoutDocument;
use plotwise_plan::compare::compare;
use plotwise_plan::model::Layout;
use yew::prelude::*;

use crate::api::{self, use_api};
use crate::derive::{catalogue, rules};
use crate::draw::{
    category_fill, elements_by_category, fmt_len, multi_polygon_d, n3, nice_length, plot_bounds,
    zone_fill,
};
use crate::i18n::{Common, M, tr};
use crate::i18n::{Lang, pick};

/// One option's layout as loaded: still loading, read, or why it could not be.
#[derive(Clone, PartialEq)]
pub enum Loaded {
    /// Not here yet.
    Pending,
    /// Read with crates/plan.
    Ready(Rc<Layout>),
    /// The server did not give it, or it is not a layout document.
    Failed(String),
}

/// Loads the frozen layout of every option of consultation `id`.
#[hook]
pub fn use_layouts(id: i64, options: Vec<ConsultationOption>) -> Rc<Vec<Loaded>> {
    let n = options.len();
    let key: Vec<(u32, String)> = options
        .iter()
        .map(|o| (o.index, o.sha256.clone()))
        .collect();
    let loaded = use_api((id, key), |(id, key)| async move {
        let mut out = Vec::with_capacity(key.len());
        for (index, _) in &key {
            let path = format!("/api/consultations/{id}/options/{index}/layout");
            out.push(match api::get_text(&path).await {
                Ok(text) => match LayoutDocument::from_json(&text) {
                    Ok(doc) => Loaded::Ready(Rc::new(doc.layout)),
                    Err(e) => Loaded::Failed(e.to_string()),
                },
                Err(e) => Loaded::Failed(e.message),
            });
        }
        Ok::<_, api::Failure>(Rc::new(out))
    });
    loaded
        .ready()
        .cloned()
        .unwrap_or_else(|| Rc::new(vec![Loaded::Pending; n]))
}

/// The size in metres (width, height) of a window that holds every loaded plot.
pub fn common_extent(layouts: &[Loaded]) -> (f64, f64) {
    let mut w: f64 = 1.0;
    let mut h: f64 = 1.0;
    for l in layouts {
        if let Loaded::Ready(l) = l {
            let (x0, y0, x1, y1) = plot_bounds(l);
            if (x1 - x0).is_finite() && (y1 - y0).is_finite() {
                w = w.max(x1 - x0);
                h = h.max(y1 - y0);
            }
        }
    }
    let m = w.max(h) * 0.06;
    (w + 2.0 * m, h + 2.0 * m)
}

/// A read-only drawing of `layout` in a window of `extent` metres centred on its plot, so
/// drawings made with the same extent share one scale.
pub fn plan_svg(layout: &Layout, extent: (f64, f64), lang: Lang, label: &str) -> Html {
    let (x0, y0, x1, y1) = plot_bounds(layout);
    let (w, h) = extent;
    let cx = (x0 + x1) / 2.0;
    let cy = (y0 + y1) / 2.0;
    let (x, y) = (cx - w / 2.0, -cy - h / 2.0);
    let unit = w.min(h);
    let text = w.max(h) * 0.03;
    let bar = nice_length(w / 4.0);
    html! {
        <svg class="plan" viewBox={format!("{x:.3} {y:.3} {w:.3} {h:.3}")} role="img"
             aria-label={format!("{}{}{label}", tr(lang, M::DrawingOf), tr(lang, M::Colon))}>
            <path class="plot-boundary" d={multi_polygon_d(layout.plot.outline.multi_polygon())} fill-rule="evenodd" />
            { for layout.zones.iter().map(|z| html! {
                <path class="zone" data-kind={z.kind.key()} fill={zone_fill(z.kind)} d={multi_polygon_d(z.outline.multi_polygon())} />
            }) }
            { for elements_by_category(layout).into_iter().map(|(c, d)| html! {
                <path class="element" fill={category_fill(c)} d={d} />
            }) }
            <g class="scale-bar" data-metres={fmt_len(bar)}>
                <rect x={n3(x + unit * 0.04)} y={n3(y + h - unit * 0.04 - text * 1.4)}
                      width={n3(bar)} height={n3(text * 0.3)} />
                <text x={n3(x + unit * 0.04)} y={n3(y + h - unit * 0.04)}
                      font-size={n3(text)}>{ format!("{} m", fmt_len(bar)) }</text>
            </g>
        </svg>
    }
}

/// What the colours of a drawing mean (the zone kinds it has) and its key figures (seats,
/// green share, estimated cost), from plan's metrics.
pub fn legend_and_figures(layout: &Layout, lang: Lang) -> Html {
    let mut kinds = Vec::new();
    for z in &layout.zones {
        if !kinds.contains(&z.kind) {
            kinds.push(z.kind);
        }
    }
    // The figures alone (no rule checks): the ballot needs no rule engine.
    let m = plotwise_plan::metrics(layout, &rules(), &catalogue());
    html! {
        <>
        <ul class="legend" aria-label={tr(lang, M::Legend)}>
            { for kinds.iter().map(|k| html! {
                <li><span class="swatch" style={format!("background:{}", zone_fill(*k))}></span>{ pick(lang, &k.label()).to_owned() }</li>
            }) }
        </ul>
        <dl class="figures">
            <div><dt>{ tr(lang, M::Seats) }</dt><dd>{ m.seats }</dd></div>
            <div><dt>{ tr(lang, M::GreenShare) }</dt><dd>{ format!("{:.0} %", m.green_ratio * 100.0) }</dd></div>
            <div><dt>{ tr(lang, M::Cost) }</dt><dd>{ crate::components::summary::yuan(m.cost.total) }</dd></div>
        </dl>
        </>
    }
}

/// The drawing of one loaded option with its legend and figures, or a line saying why there
/// is none.
pub fn loaded_card_body(
    loaded: Option<&Loaded>,
    extent: (f64, f64),
    lang: Lang,
    label: &str,
) -> Html {
    match loaded {
        Some(Loaded::Ready(layout)) => {
            html! { <>{ plan_svg(layout, extent, lang, label) }{ legend_and_figures(layout, lang) }</> }
        }
        other => loaded_svg(other, extent, lang, label),
    }
}

/// The drawing of one loaded option, or a line saying why there is none.
pub fn loaded_svg(loaded: Option<&Loaded>, extent: (f64, f64), lang: Lang, label: &str) -> Html {
    match loaded {
        Some(Loaded::Ready(layout)) => plan_svg(layout, extent, lang, label),
        Some(Loaded::Failed(e)) => html! {
            <p class="plan-missing">{ format!("{}{}{e}", tr(lang, M::CannotDraw), tr(lang, M::Colon)) }</p>
        },
        _ => {
            html! { <div class="plan-pending" aria-busy="true">{ tr(lang, Common::Loading) }</div> }
        }
    }
}

/// plan's metrics table for the options that could be read.
pub fn metrics_table(options: &[ConsultationOption], layouts: &[Loaded], lang: Lang) -> Html {
    let ready: Vec<(&ConsultationOption, &Layout)> = options
        .iter()
        .zip(layouts)
        .filter_map(|(o, l)| match l {
            Loaded::Ready(l) => Some((o, &**l)),
            _ => None,
        })
        .collect();
    if ready.is_empty() {
        return html! {};
    }
    let refs: Vec<&Layout> = ready.iter().map(|(_, l)| *l).collect();
    let table = compare(&refs, &rules(), &catalogue());
    html! {
        <div class="table-wrap">
        <table id="option-metrics" class="metrics-table">
            <caption>{ tr(lang, M::MetricsCaption) }</caption>
            <thead><tr>
                <th scope="col">{ tr(lang, M::Figure) }</th>
                { for ready.iter().map(|(o, _)| html! { <th scope="col">{ format!("{} · {}", o.label, o.title) }</th> }) }
            </tr></thead>
            <tbody>
            { for table.rows.iter().map(|row| html! {
                <tr data-row={row.key.clone()}>
                    <th scope="row">{ pick(lang, &row.label).to_owned() }</th>
                    { for row.values.iter().map(|v| html! {
                        <td class="num">{ match v {
                            None => "—".to_owned(),
                            Some(v) if row.unit == "CNY" => crate::components::summary::yuan(*v),
                            Some(v) if row.unit.is_empty() => format!("{v:.0}"),
                            Some(v) => format!("{v:.1} {}", row.unit),
                        } }</td>
                    }) }
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}
