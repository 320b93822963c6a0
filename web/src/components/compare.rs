//! The comparison page: the plot as it is now (option 0) and 1–3 drafts of the same plot,
//! drawn side by side at one scale, crates/plan's metrics table with the best value of each
//! row marked, and an overlay of what changed between two options (plan's diff).

use std::rc::Rc;

use plotwise_plan::compare::{Better, compare, diff};
use plotwise_plan::model::Layout;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::derive::{catalogue, rules};
use crate::drafts::{self, DraftMeta};
use crate::draw::{
    category_fill, elements_by_category, fmt_len, geometry_d, multi_polygon_d, n3, nice_length,
    plot_bounds, zone_fill,
};
use crate::i18n::{Lang, Msg, pick, tr};

/// What the page needs.
#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// My drafts.
    pub drafts: Vec<DraftMeta>,
    /// The open draft (its plot decides which drafts can be compared).
    pub current: String,
    /// The open draft's layout.
    pub layout: Rc<Layout>,
    /// Interface language.
    pub lang: Lang,
}

fn same_plot(d: &DraftMeta, l: &Layout) -> bool {
    d.plot_id == l.plot.id.0 && (d.plot_area_m2 - l.plot.area_m2()).abs() < 0.01
}

/// A read-only drawing of a layout at the scale given by `view`.
fn mini(layout: &Layout, view: (f64, f64, f64, f64), lang: Lang, class: &str) -> Html {
    let (x, y, w, h) = view;
    let unit = w.min(h);
    let bar = nice_length(w / 4.0);
    html! {
        <svg class={classes!("mini", class.to_owned())} viewBox={format!("{x:.3} {y:.3} {w:.3} {h:.3}")}
             role="img" aria-label={tr(lang, Msg::PlotDrawing)}>
            <path class="plot-boundary" d={multi_polygon_d(layout.plot.outline.multi_polygon())} fill-rule="evenodd" />
            { for layout.zones.iter().map(|z| html! {
                <path class="zone" fill={zone_fill(z.kind)} d={multi_polygon_d(z.outline.multi_polygon())} />
            }) }
            { for elements_by_category(layout).into_iter().map(|(c, d)| html! {
                <path class="element" fill={category_fill(c)} d={d} />
            }) }
            <g class="scale-bar" data-metres={fmt_len(bar)}>
                <rect x={n3(x + unit * 0.04)} y={n3(y + h - unit * 0.08)}
                      width={n3(bar)} height={n3(unit * 0.012)} />
                <text x={n3(x + unit * 0.04)} y={n3(y + h - unit * 0.02)}
                      font-size={n3(unit * 0.045)}>{ format!("{} m", fmt_len(bar)) }</text>
            </g>
        </svg>
    }
}

/// The comparison page.
#[function_component(ComparePage)]
pub fn compare_page(props: &CompareProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let candidates: Vec<DraftMeta> = props
        .drafts
        .iter()
        .filter(|d| same_plot(d, &props.layout))
        .cloned()
        .collect();
    let chosen = use_state(|| {
        let mut v: Vec<String> = vec![props.current.clone()];
        v.extend(
            candidates
                .iter()
                .filter(|d| d.id != props.current)
                .map(|d| d.id.clone())
                .take(1),
        );
        v
    });
    let pair = use_state(|| (0usize, 1usize));

    // Option 0 is the plot as it is now: the same plot with nothing drawn on it.
    let existing = Layout::new(props.layout.plot.clone());
    let mut layouts: Vec<(String, Layout)> = vec![(format!("0 · {}", t(Msg::Existing)), existing)];
    for id in chosen.iter() {
        let layout = if *id == props.current {
            Some((*props.layout).clone())
        } else {
            drafts::load(id)
        };
        if let Some(layout) = layout {
            let n = layouts.len();
            let title = if layout.title.is_empty() {
                t(Msg::Untitled).to_owned()
            } else {
                layout.title.clone()
            };
            layouts.push((format!("{n} · {title}"), layout));
        }
    }
    let refs: Vec<&Layout> = layouts.iter().map(|(_, l)| l).collect();
    let table = compare(&refs, &rules(), &catalogue());

    let (x0, y0, x1, y1) = plot_bounds(&props.layout);
    let m = (x1 - x0).max(y1 - y0) * 0.06;
    let view = (x0 - m, -y1 - m, x1 - x0 + 2.0 * m, y1 - y0 + 2.0 * m);

    let toggle = |id: String| {
        let chosen = chosen.clone();
        Callback::from(move |_: Event| {
            let mut v = (*chosen).clone();
            if let Some(i) = v.iter().position(|c| *c == id) {
                v.remove(i);
            } else if v.len() < 3 {
                v.push(id.clone());
            }
            chosen.set(v);
        })
    };
    let n = layouts.len();
    let (a, b) = (pair.0.min(n - 1), pair.1.min(n - 1));
    let pick_side = |first: bool| {
        let pair = pair.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let v: usize = s.value().parse().unwrap_or(0);
            pair.set(if first { (v, pair.1) } else { (pair.0, v) });
        })
    };
    let d = diff(&layouts[a].1, &layouts[b].1, &catalogue());
    let overlay = overlay_svg(&layouts[b].1, &d, view, l);

    html! {
        <main id="compare" class="compare">
            <h2>{ t(Msg::CompareTitle) }</h2>
            <p>{ t(Msg::CompareHelp) }</p>
            <fieldset class="panel choose">
                <legend>{ t(Msg::Drafts) }</legend>
                { for props.drafts.iter().map(|dm| {
                    let ok = same_plot(dm, &props.layout);
                    let on = chosen.contains(&dm.id);
                    let title = if dm.title.is_empty() { t(Msg::Untitled).to_owned() } else { dm.title.clone() };
                    html! {
                        <label class="check">
                            <input type="checkbox" class="compare-pick" data-draft={dm.id.clone()} checked={on}
                                disabled={!ok || (!on && chosen.len() >= 3)} onchange={toggle(dm.id.clone())} />
                            <span>{ title }{ if ok { String::new() } else { format!(" ({})", t(Msg::NotSamePlot)) } }</span>
                        </label>
                    }
                }) }
            </fieldset>
            <div class="side-by-side">
                { for layouts.iter().map(|(title, layout)| html! {
                    <figure class="option">
                        { mini(layout, view, l, "") }
                        <figcaption>{ title.clone() }</figcaption>
                    </figure>
                }) }
            </div>
            { metrics_table(&layouts, &table, l) }
            <section class="panel">
                <h3>{ t(Msg::Overlay) }</h3>
                <div class="pair">
                    <label class="field"><span>{ t(Msg::OverlayA) }</span>
                        <select id="overlay-a" onchange={pick_side(true)}>
                            { for layouts.iter().enumerate().map(|(i, (title, _))| html! { <option value={i.to_string()} selected={i == a}>{ title.clone() }</option> }) }
                        </select></label>
                    <label class="field"><span>{ t(Msg::OverlayB) }</span>
                        <select id="overlay-b" onchange={pick_side(false)}>
                            { for layouts.iter().enumerate().map(|(i, (title, _))| html! { <option value={i.to_string()} selected={i == b}>{ title.clone() }</option> }) }
                        </select></label>
                </div>
                { overlay }
                <p class="legend">
                    <span class="swatch added"></span>{ format!("{} {} ", d.added.len(), t(Msg::Added)) }
                    <span class="swatch removed"></span>{ format!("{} {} ", d.removed.len(), t(Msg::Removed)) }
                    <span class="swatch changed"></span>{ format!("{} {}", d.moved.len() + d.reshaped.len() + d.changed.len(), t(Msg::Changed)) }
                </p>
            </section>
        </main>
    }
}

/// The difference between two layouts drawn over the second: added in green, removed in
/// red, reshaped outlined.
fn overlay_svg(
    after: &Layout,
    d: &plotwise_plan::compare::LayoutDiff,
    view: (f64, f64, f64, f64),
    l: Lang,
) -> Html {
    let dot = view.2.min(view.3) * 0.02;
    html! {
        <svg id="diff-overlay" class="mini overlay" viewBox={format!("{:.3} {:.3} {:.3} {:.3}", view.0, view.1, view.2, view.3)}
             role="img" aria-label={tr(l, Msg::Overlay)}>
            <path class="plot-boundary" d={multi_polygon_d(after.plot.outline.multi_polygon())} fill-rule="evenodd" />
            { for after.zones.iter().map(|z| html! {
                <path class="zone faint" fill={zone_fill(z.kind)} d={multi_polygon_d(z.outline.multi_polygon())} />
            }) }
            { for d.removed.iter().map(|o| html! { <path class="diff-removed" d={geometry_d(&o.geometry, dot)} /> }) }
            { for d.added.iter().map(|o| html! { <path class="diff-added" d={geometry_d(&o.geometry, dot)} /> }) }
            { for d.moved.iter().map(|o| html! { <>
                <path class="diff-removed" d={geometry_d(&o.before, dot)} />
                <path class="diff-added" d={geometry_d(&o.after, dot)} />
            </> }) }
            { for d.reshaped.iter().map(|o| html! { <>
                <path class="diff-removed" d={geometry_d(&o.lost, dot)} />
                <path class="diff-added" d={geometry_d(&o.gained, dot)} />
                <path class="diff-changed" d={geometry_d(&o.after, dot)} />
            </> }) }
        </svg>
    }
}

/// plan's comparison table, the best value of each row starred.
fn metrics_table(
    layouts: &[(String, Layout)],
    table: &plotwise_plan::compare::Comparison,
    l: Lang,
) -> Html {
    let t = |m| tr(l, m);
    html! {
        <div class="panel table-wrap">
        <table id="compare-table">
            <thead><tr>
                <th scope="col">{ t(Msg::Row) }</th>
                { for layouts.iter().map(|(title, _)| html! { <th scope="col">{ title.clone() }</th> }) }
            </tr></thead>
            <tbody>
            { for table.rows.iter().map(|row| {
                html! {
                    <tr data-row={row.key.clone()}>
                        <th scope="row">{ pick(l, &row.label).to_owned() }
                            { match row.better { Some(Better::Higher) => html!{ <span class="muted small">{ format!(" ({})", t(Msg::HigherBetter)) }</span> },
                                          Some(Better::Lower) => html!{ <span class="muted small">{ format!(" ({})", t(Msg::LowerBetter)) }</span> },
                                          None => html!{} } }</th>
                        { for row.values.iter().map(|v| {
                            let is_best = row.is_best(*v);
                            // `+ 0.0` shows −0.0 as 0.0.
                            let text = match v.map(|v| v + 0.0).as_ref() {
                                None => "—".to_owned(),
                                Some(v) if row.unit == "CNY" => crate::components::summary::yuan(*v),
                                Some(v) if row.unit.is_empty() => format!("{v:.0}"),
                                Some(v) => format!("{v:.1} {}", row.unit),
                            };
                            html! { <td class={classes!("num", is_best.then_some("best"))}>
                                { text }
                                if is_best { <span class="best-mark">{ format!(" ★ {}", t(Msg::Best)) }</span> }
                            </td> }
                        }) }
                    </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
    }
}
