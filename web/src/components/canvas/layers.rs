//! The layers of the drawing, bottom to top: the plot and what it must respect (boundary,
//! grid, no-build areas, kept trees, entrances), the buildings around it (with their
//! heights), zones, elements, the dragged object,
//! [extra layers](super::CanvasProps::children), the highlighted finding, the selection's
//! handles, the shape being drawn, and the scale bar and north arrow. Each is a function of
//! data or a small component that yew skips when its layout has not changed.

use std::collections::HashSet;
use std::rc::Rc;

use geo::Coord;
use plotwise_plan::model::Building;
use plotwise_plan::model::{Layout, ObjectRef};
use plotwise_plan::{Catalogue, Element, Zone};
use yew::prelude::*;

use crate::derive::catalogue;
use crate::draw::{fmt_len, geometry_d, multi_polygon_d, n3, nice_length, polygon_d, zone_fill};
use crate::gesture::{Gestures, HandleSpot};
use crate::i18n::{Lang, Msg, pick, tr};
use crate::view::ViewBox;

/// The plot: its boundary (with the grid over it), no-build areas, kept trees and entrances.
pub fn plot_layer(layout: &Layout, grid: f64, unit: f64, l: Lang) -> Html {
    let plot_d = multi_polygon_d(layout.plot.outline.multi_polygon());
    let no_build: Html = layout
        .plot
        .no_build
        .iter()
        .map(|n| {
            html! { <path class="no-build" data-id={n.id.0.clone()}
            d={multi_polygon_d(n.outline.multi_polygon())} /> }
        })
        .collect();
    let trees: Html = layout
        .plot
        .keep_trees
        .iter()
        .map(|t| {
            html! { <g class="keep-tree" data-id={t.id.0.clone()}>
                <circle class="protect" cx={n3(t.position.x)} cy={n3(-t.position.y)}
                        r={n3(t.protect_radius_m)} />
                <circle class="canopy" cx={n3(t.position.x)} cy={n3(-t.position.y)}
                        r={n3(t.canopy_radius_m)} />
            </g> }
        })
        .collect();
    let entrances: Html = layout
        .plot
        .entrances
        .iter()
        .map(|en| {
            // A marker as wide as the opening, and a label readable at any zoom.
            let r = (en.width_m / 2.0).clamp(0.3, 1.5);
            let label = format!(
                "{}{}",
                tr(l, Msg::Entrance),
                if en.step_free { " ♿" } else { "" }
            );
            html! { <g class={classes!("entrance", en.step_free.then_some("step-free"))} data-id={en.id.0.clone()}>
                <circle cx={n3(en.position.x)} cy={n3(-en.position.y)} r={n3(r)} />
                <text x={n3(en.position.x)} y={n3(-en.position.y - r - unit * 0.012)}
                      font-size={n3(unit * 0.045)} text-anchor="middle">{ label }</text>
            </g> }
        })
        .collect();
    html! {
        <>
        { grid_pattern(grid, unit) }
        <path class="plot-boundary" d={plot_d.clone()} fill-rule="evenodd" />
        if grid > 0.0 {
            <path class="grid" d={plot_d} fill="url(#grid)" fill-rule="evenodd" />
        }
        { no_build }
        { trees }
        { entrances }
        </>
    }
}

fn grid_pattern(grid: f64, unit: f64) -> Html {
    if grid <= 0.0 {
        return html! {};
    }
    // Too fine to see at this zoom: draw every 10th line.
    let g = if grid * 8.0 < unit / 40.0 {
        grid * 10.0
    } else {
        grid
    };
    html! {
        <defs>
            <pattern id="grid" width={n3(g)} height={n3(g)} patternUnits="userSpaceOnUse">
                <path d={format!("M {g:.3} 0 L 0 0 0 {g:.3}")} class="grid-line" />
            </pattern>
        </defs>
    }
}

/// One zone.
pub fn zone_node(z: &Zone, l: Lang, sel: bool, err: bool) -> Html {
    html! {
        <path key={z.id.0.clone()} class={classes!("zone", sel.then_some("selected"), err.then_some("has-error"))}
            data-zone={z.id.0.clone()} data-kind={z.kind.key()}
            fill={zone_fill(z.kind)} fill-rule="evenodd"
            d={multi_polygon_d(z.outline.multi_polygon())}>
            <title>{ format!("{} {}", pick(l, &z.kind.label()), z.id) }</title>
        </path>
    }
}

/// One building around the plot, with its height written on it (in a size that fits it).
pub fn building_node(b: &Building, l: Lang, sel: bool) -> Html {
    let r = b.outline.bounding_rect();
    let c = b.outline.centroid();
    let font = (r.width().min(r.height()) * 0.3).clamp(0.3, 4.0);
    let height = format!("{} m", crate::draw::fmt_len(b.height_m));
    html! {
        <g key={b.id.0.clone()} class={classes!("building", sel.then_some("selected"))}
            data-building={b.id.0.clone()} data-height={b.height_m.to_string()}>
            <path fill-rule="evenodd" d={multi_polygon_d(b.outline.multi_polygon())} />
            <text x={n3(c.x)} y={n3(-c.y + font * 0.35)} font-size={n3(font)}
                text-anchor="middle">{ height.clone() }</text>
            <title>{ format!("{} {} · {height}", tr(l, Msg::Building), b.id) }</title>
        </g>
    }
}

/// One element: its catalogue footprint, or a small square for an unknown kind.
pub fn element_node(e: &Element, cat: &Catalogue, sel: bool, err: bool) -> Html {
    let (fill, d) = match (cat.item(&e.kind), cat.footprint(e)) {
        (Some(item), Some(fp)) => {
            let mut d = String::new();
            polygon_d(&fp, &mut d);
            (crate::draw::category_fill(item.category), d)
        }
        _ => (
            "#000",
            format!(
                "M{:.3} {:.3} h0.5 v0.5 h-0.5 Z",
                e.position.x - 0.25,
                -e.position.y - 0.25
            ),
        ),
    };
    html! {
        <path key={e.id.0.clone()} class={classes!("element", sel.then_some("selected"), err.then_some("has-error"))}
            data-element={e.id.0.clone()} data-kind={e.kind.clone()} fill={fill} d={d} />
    }
}

/// What a layer of shapes draws.
#[derive(Properties)]
pub struct LayerProps {
    /// The layout.
    pub layout: Rc<Layout>,
    /// An object left out (the one being dragged, drawn on top from the preview).
    pub hidden: Option<ObjectRef>,
    /// The selected object's id.
    #[prop_or_default]
    pub selected: Option<String>,
    /// Ids named by error findings.
    pub error_ids: Rc<HashSet<String>>,
    /// Interface language.
    #[prop_or(Lang::En)]
    pub lang: Lang,
}

impl PartialEq for LayerProps {
    fn eq(&self, o: &Self) -> bool {
        // The same layout object means the same shapes: no deep comparison of 1,000 elements.
        Rc::ptr_eq(&self.layout, &o.layout)
            && self.hidden == o.hidden
            && self.selected == o.selected
            && self.error_ids == o.error_ids
            && self.lang == o.lang
    }
}

/// The buildings around the plot, then the zones.
#[function_component(ZoneLayer)]
pub fn zone_layer(p: &LayerProps) -> Html {
    let hidden = p.hidden.as_ref();
    let sel = |id: &str| p.selected.as_deref() == Some(id);
    html! {
        <>
        <g class="buildings">
        { for p.layout.plot.buildings.iter()
            .filter(|b| hidden != Some(&ObjectRef::Building(b.id.clone())))
            .map(|b| building_node(b, p.lang, sel(b.id.as_str()))) }
        </g>
        <g class="zones">
        { for p.layout.zones.iter().filter(|z| hidden != Some(&ObjectRef::Zone(z.id.clone()))).map(|z| {
            zone_node(z, p.lang, sel(z.id.as_str()), p.error_ids.contains(z.id.as_str()))
        }) }
        </g>
        </>
    }
}

/// The elements.
#[function_component(ElementLayer)]
pub fn element_layer(p: &LayerProps) -> Html {
    let cat = catalogue();
    let hidden = match &p.hidden {
        Some(ObjectRef::Element(id)) => Some(id),
        _ => None,
    };
    html! {
        <g class="elements">
        { for p.layout.elements.iter().filter(|e| Some(&e.id) != hidden).map(|e| {
            element_node(e, &cat, p.selected.as_deref() == Some(e.id.as_str()), p.error_ids.contains(e.id.as_str()))
        }) }
        </g>
    }
}

/// The object being dragged, from the preview `layout`.
pub fn dragged_node(
    layout: &Layout,
    dragged: Option<&ObjectRef>,
    error_ids: &HashSet<String>,
    l: Lang,
) -> Html {
    match dragged {
        Some(ObjectRef::Element(id)) => layout
            .element(id)
            .map(|e| element_node(e, &catalogue(), true, error_ids.contains(id.as_str())))
            .unwrap_or_default(),
        Some(ObjectRef::Zone(id)) => layout
            .zone(id)
            .map(|z| zone_node(z, l, true, error_ids.contains(id.as_str())))
            .unwrap_or_default(),
        Some(ObjectRef::Building(id)) => layout
            .building(id)
            .map(|b| building_node(b, l, true))
            .unwrap_or_default(),
        None => html! {},
    }
}

/// The highlighted finding's geometry.
pub fn highlight(g: Option<&geo::Geometry<f64>>, unit: f64) -> Html {
    g.map(|g| html! { <path class="finding-highlight" d={geometry_d(g, unit * 0.03)} /> })
        .unwrap_or_default()
}

/// The selection's handles: a transparent hit circle `hit_px` across under each visible
/// mark (hit circles lie under all marks, so a mark is never covered by a neighbour's hit
/// circle), the turning handle's stalk, and a picked-up corner ringed. `px`: metres per px.
pub fn handles_layer(
    spots: &[HandleSpot],
    stalk: Option<(Coord<f64>, Coord<f64>)>,
    picked: Option<Coord<f64>>,
    px: f64,
    hit_px: f64,
    l: Lang,
) -> Html {
    let label = |s: &HandleSpot| match s.kind.name() {
        "rotate" => tr(l, Msg::HandleRotate),
        "vertex" => tr(l, Msg::HandleVertex),
        _ => tr(l, Msg::HandleResize),
    };
    let hits = spots.iter().map(|s| {
        html! { <circle class="handle-hit" data-handle={s.kind.name()} data-target={s.target.clone()}
            data-arg={s.kind.arg()} cx={n3(s.at.x)} cy={n3(-s.at.y)} r={n3(hit_px / 2.0 * px)} /> }
    });
    let marks = spots.iter().map(|s| {
        let name = s.kind.name();
        html! { <circle class={format!("{name}-handle")} data-handle={name} data-target={s.target.clone()}
            data-arg={s.kind.arg()} cx={n3(s.at.x)} cy={n3(-s.at.y)} r={n3(s.r_px * px)}
            aria-label={label(s)}><title>{ label(s) }</title></circle> }
    });
    let stalk = stalk
        .map(|(a, b)| {
            html! { <line class="rotate-stalk" x1={n3(a.x)} y1={n3(-a.y)} x2={n3(b.x)} y2={n3(-b.y)} /> }
        })
        .unwrap_or_default();
    let picked = picked
        .map(|c| html! { <circle class="picked-corner" cx={n3(c.x)} cy={n3(-c.y)} r={n3(14.0 * px)} /> })
        .unwrap_or_default();
    html! { <g class="handles">{ stalk }{ for hits }{ for marks }{ picked }</g> }
}

/// The shape being drawn: the corners so far and the line to the pointer, or the rectangle.
pub fn drawing_layer(g: &Gestures, dot_r: f64) -> Html {
    let mut pts = g.points.clone();
    if !pts.is_empty()
        && let Some(h) = g.hover
    {
        pts.push(h);
    }
    let poly = if pts.is_empty() {
        html! {}
    } else {
        let d: String = pts
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}{:.3} {:.3} ", if i == 0 { "M" } else { "L" }, c.x, -c.y))
            .collect();
        html! { <path class="drawing" d={d} /> }
    };
    let dots: Html = g
        .points
        .iter()
        .chain(g.anchor.iter())
        .map(|c| html! { <circle class="drawing-dot" cx={n3(c.x)} cy={n3(-c.y)} r={n3(dot_r)} /> })
        .collect();
    let rect = g
        .rect
        .or_else(|| g.anchor.zip(g.hover))
        .map(|(a, b)| {
            html! { <rect class="drawing" x={n3(a.x.min(b.x))} y={n3(-a.y.max(b.y))}
            width={n3((a.x - b.x).abs())} height={n3((a.y - b.y).abs())} /> }
        })
        .unwrap_or_default();
    html! { <>{poly}{dots}{rect}</> }
}

/// The scale bar and the north arrow, kept at the corners of the view.
pub fn scale_and_north(v: &ViewBox, l: Lang) -> Html {
    let unit = v.w.min(v.h);
    let bar = nice_length(v.w / 4.0);
    let font = unit * 0.04;
    let bar_x = v.x + unit * 0.04;
    let bar_y = v.y + v.h - unit * 0.09;
    let arrow_x = v.x + v.w - unit * 0.06;
    let arrow_y = v.y + unit * 0.04;
    html! {
        <>
        <g class="scale-bar" data-metres={fmt_len(bar)} aria-label={tr(l, Msg::ScaleBar)}>
            <rect x={n3(bar_x)} y={n3(bar_y)} width={n3(bar)} height={n3(unit * 0.012)} />
            <text x={n3(bar_x)} y={n3(bar_y + unit * 0.012 + font * 1.1)}
                  font-size={n3(font)}>{ format!("{} m", fmt_len(bar)) }</text>
        </g>
        <g class="north-arrow">
            <path d={format!("M {arrow_x:.3} {arrow_y:.3} l {w:.3} {h:.3} l {mw:.3} 0 z",
                w = font * 0.5, h = font * 1.5, mw = -font)} />
            <text x={n3(arrow_x)} y={n3(arrow_y + font * 2.6)}
                  font-size={n3(font)} text-anchor="middle">{ tr(l, Msg::North) }</text>
        </g>
        </>
    }
}
