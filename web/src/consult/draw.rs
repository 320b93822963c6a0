//! The frozen options' layouts: fetched byte for byte from the server, read with
//! crates/plan (`LayoutDocument`) and drawn read-only in SVG at one common scale, with the
//! server's comparison of them (`GET /api/consultations/{id}/comparison`: plan's comparison
//! with every rule, sun included, made once on the server, so these bundles carry no rule
//! engine). Drawing helpers are the editor's (`crate::draw`).

use std::rc::Rc;

use plotwise_api::{ConsultationOption, OptionComparison, OptionFigures};
use plotwise_plan::LayoutDocument;
use plotwise_plan::model::Layout;
use yew::prelude::*;

use crate::api::{self, use_api};
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

/// The server's comparison of the options of consultation `id` (`None` while it loads or
/// when it cannot be had: the drawings stand without it).
#[hook]
pub fn use_comparison(id: i64, options: &[ConsultationOption]) -> Option<Rc<OptionComparison>> {
    let key: Vec<String> = options.iter().map(|o| o.sha256.clone()).collect();
    let table = use_api((id, key), |(id, key)| async move {
        if key.is_empty() {
            return Err(api::Failure::local("no_options", "no options yet"));
        }
        api::get::<OptionComparison>(&format!("/api/consultations/{id}/comparison"))
            .await
            .map(Rc::new)
    });
    table.ready().cloned()
}

/// The figures of option `index` in `comparison`, if it has them.
pub fn figures_of(comparison: Option<&OptionComparison>, index: u32) -> Option<&OptionFigures> {
    comparison.and_then(|c| c.options.iter().find(|f| f.index == index))
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
/// green share, estimated cost) from the server's comparison, once it is here.
pub fn legend_and_figures(layout: &Layout, figures: Option<&OptionFigures>, lang: Lang) -> Html {
    let mut kinds = Vec::new();
    for z in &layout.zones {
        if !kinds.contains(&z.kind) {
            kinds.push(z.kind);
        }
    }
    html! {
        <>
        <ul class="legend" aria-label={tr(lang, M::Legend)}>
            { for kinds.iter().map(|k| html! {
                <li><span class="swatch" style={format!("background:{}", zone_fill(*k))}></span>{ pick(lang, &k.label()).to_owned() }</li>
            }) }
        </ul>
        if let Some(m) = figures {
            <dl class="figures">
                <div><dt>{ tr(lang, M::Seats) }</dt><dd>{ m.seats }</dd></div>
                <div><dt>{ tr(lang, M::GreenShare) }</dt><dd>{ format!("{:.0} %", m.green_ratio * 100.0) }</dd></div>
                <div><dt>{ tr(lang, M::Cost) }</dt><dd>{ crate::components::summary::yuan(m.cost_total) }</dd></div>
            </dl>
        }
        </>
    }
}

/// The drawing of one loaded option with its legend and figures, or a line saying why there
/// is none.
pub fn loaded_card_body(
    loaded: Option<&Loaded>,
    figures: Option<&OptionFigures>,
    extent: (f64, f64),
    lang: Lang,
    label: &str,
) -> Html {
    match loaded {
        Some(Loaded::Ready(layout)) => {
            html! { <>{ plan_svg(layout, extent, lang, label) }{ legend_and_figures(layout, figures, lang) }</> }
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

/// The server's metrics table of the options (nothing until it is here).
pub fn metrics_table(
    options: &[ConsultationOption],
    comparison: Option<&OptionComparison>,
    lang: Lang,
) -> Html {
    let Some(table) = comparison else {
        return html! {};
    };
    html! {
        <div class="table-wrap">
        <table id="option-metrics" class="metrics-table">
            <caption>{ tr(lang, M::MetricsCaption) }</caption>
            <thead><tr>
                <th scope="col">{ tr(lang, M::Figure) }</th>
                { for options.iter().map(|o| html! { <th scope="col">{ format!("{} · {}", o.label, o.title) }</th> }) }
            </tr></thead>
            <tbody>
            { for table.rows.iter().map(|row| html! {
                <tr data-row={row.key.clone()}>
                    <th scope="row">{ if lang == Lang::ZhCn { row.label_zh.clone() } else { row.label_en.clone() } }</th>
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
