//! The inspector: exact position, size and turn of the selected object (a building's height),
//! typed in; and a list of everything on the plan, so the plan can be used from the keyboard
//! or a screen reader.

use std::rc::Rc;

use geo::Coord;
use plotwise_plan::model::{Layout, ObjectRef, Size};
use plotwise_plan::{Element, ZoneKind};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::derive::catalogue;
use crate::gesture::Shape;
use crate::i18n::{Lang, Msg, pick, tr};
use crate::state::{Action, Notice};
use plotwise_plan::Edit;
use plotwise_plan::edit::{BuildingProps, ZoneProps};
use plotwise_plan::model::Building;

/// What the inspector shows.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The layout (committed).
    pub layout: Rc<Layout>,
    /// Bumped on every change.
    pub rev: u64,
    /// The selection.
    pub selected: Option<ObjectRef>,
    /// The step of the move and size buttons, m (the grid, else 10 cm).
    pub step: f64,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// Buttons that move, turn and resize the selection by steps: what a drag on the drawing
/// does, without dragging (WCAG 2.5.7).
fn step_buttons(step: f64, l: Lang, d: &Callback<Action>) -> Html {
    let b = |id: &'static str, text: &'static str, label: Msg, a: Action| {
        let d = d.clone();
        let onclick = Callback::from(move |_: MouseEvent| d.emit(a.clone()));
        html! { <button id={id} {onclick} aria-label={tr(l, label)} title={tr(l, label)}>{ text }</button> }
    };
    html! {
        <div class="step-buttons" role="group" aria-label={tr(l, Msg::MoveGroup)}>
            { b("move-west", "←", Msg::MoveWest, Action::Nudge(-step, 0.0)) }
            { b("move-north", "↑", Msg::MoveNorth, Action::Nudge(0.0, step)) }
            { b("move-south", "↓", Msg::MoveSouth, Action::Nudge(0.0, -step)) }
            { b("move-east", "→", Msg::MoveEast, Action::Nudge(step, 0.0)) }
            { b("turn-left", "⟲", Msg::TurnLeft, Action::Turn(15.0)) }
            { b("turn-right", "⟳", Msg::TurnRight, Action::Turn(-15.0)) }
            { b("grow-w", "⇔+", Msg::Wider, Action::Grow(step, 0.0)) }
            { b("shrink-w", "⇔−", Msg::Narrower, Action::Grow(-step, 0.0)) }
            { b("grow-d", "⇕+", Msg::Deeper, Action::Grow(0.0, step)) }
            { b("shrink-d", "⇕−", Msg::Shallower, Action::Grow(0.0, -step)) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct NumberProps {
    id: AttrValue,
    label: &'static str,
    value: f64,
    onchange: Callback<f64>,
}

#[function_component(NumberField)]
fn number_field(p: &NumberProps) -> Html {
    let cb = p.onchange.clone();
    let onchange = Callback::from(move |e: Event| {
        let i: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = i.value().trim().replace(',', ".").parse::<f64>()
            && v.is_finite()
        {
            cb.emit(v);
        }
    });
    html! {
        <label class="field">
            <span>{ p.label }</span>
            <input id={p.id.clone()} type="number" inputmode="decimal" step="0.1"
                value={format!("{:.2}", p.value)} {onchange} />
        </label>
    }
}

/// Changes one field of an element.
type Setter = Rc<dyn Fn(&mut Element, f64)>;

/// The edit that puts an element where `e` says.
fn place(e: &Element) -> Edit {
    Edit::Place {
        element: e.id.clone(),
        position: e.position,
        rotation_deg: e.rotation_deg,
        size: e.size,
    }
}

/// The selected element: position, size and turn, typed or stepped.
fn element_body(e: &Element, props: &InspectorProps, cat: &plotwise_plan::Catalogue) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let d = props.dispatch.clone();
    let set = |f: Setter| {
        let d = d.clone();
        let e = e.clone();
        Callback::from(move |v: f64| {
            let mut n = e.clone();
            f(&mut n, v);
            if n != e {
                d.emit(Action::Apply(place(&n)));
            }
        })
    };
    let (w, dep) = cat
        .size_of(e)
        .map_or((1.0, 1.0), |s| (s.width_m, s.depth_m));
    let name = cat
        .item(&e.kind)
        .map(|i| pick(l, &i.name).to_owned())
        .unwrap_or_else(|| e.kind.clone());
    let rotate = {
        let d = d.clone();
        let e = e.clone();
        Callback::from(move |_: MouseEvent| {
            let mut n = e.clone();
            n.rotation_deg = (n.rotation_deg + 90.0).rem_euclid(360.0);
            d.emit(Action::Apply(place(&n)));
        })
    };
    html! {
        <div class="inspector-body" data-selected={e.id.0.clone()}>
            <p class="selected-name"><strong>{ name }</strong>{ format!(" · {}", e.id) }</p>
            <div class="fields">
                <NumberField id="insp-x" label={t(Msg::PositionX)} value={e.position.x}
                    onchange={set(Rc::new(|n, v| n.position.x = v))} />
                <NumberField id="insp-y" label={t(Msg::PositionY)} value={e.position.y}
                    onchange={set(Rc::new(|n, v| n.position.y = v))} />
                <NumberField id="insp-w" label={t(Msg::Width)} value={w}
                    onchange={set(Rc::new(move |n, v| if v > 0.05 { n.size = Some(Size { width_m: v, depth_m: n.size.map_or(dep, |s| s.depth_m) }) }))} />
                <NumberField id="insp-d" label={t(Msg::Depth)} value={dep}
                    onchange={set(Rc::new(move |n, v| if v > 0.05 { n.size = Some(Size { width_m: n.size.map_or(w, |s| s.width_m), depth_m: v }) }))} />
                <NumberField id="insp-rot" label={t(Msg::Rotation)} value={e.rotation_deg}
                    onchange={set(Rc::new(|n, v| n.rotation_deg = v.rem_euclid(360.0)))} />
            </div>
            <button id="rotate-90" onclick={rotate}>{ "⟲ " }{ t(Msg::Rotate90) }</button>
            { step_buttons(props.step, l, &d) }
        </div>
    }
}

/// The bounds of a zone or building, typed (a move and a stretch); plan validates the new
/// outline.
fn bounds_fields(
    shape: &Shape,
    props: &InspectorProps,
    invalid: impl Fn(String) + Clone + 'static,
) -> Html {
    let t = |m| tr(props.lang, m);
    let r = shape.outline.bounding_rect();
    let (x0, y0, w0, h0) = (r.min().x, r.min().y, r.width(), r.height());
    let reshape = |which: u8| {
        let d = props.dispatch.clone();
        let shape = shape.clone();
        let invalid = invalid.clone();
        Callback::from(move |v: f64| {
            let (mut x, mut y, mut w, mut h) = (x0, y0, w0, h0);
            match which {
                0 => x = v,
                1 => y = v,
                2 => w = v,
                _ => h = v,
            }
            if w < 0.1 || h < 0.1 || w0 <= 0.0 || h0 <= 0.0 {
                return;
            }
            let (sx, sy) = (w / w0, h / h0);
            match shape.outline.map_coords(move |c| Coord {
                x: x + (c.x - x0) * sx,
                y: y + (c.y - y0) * sy,
            }) {
                Ok(outline) => d.emit(Action::Apply(shape.reshape(outline))),
                Err(e) => invalid(e.to_string()),
            }
        })
    };
    html! {
        <div class="fields">
            <NumberField id="insp-x" label={t(Msg::PositionX)} value={x0} onchange={reshape(0)} />
            <NumberField id="insp-y" label={t(Msg::PositionY)} value={y0} onchange={reshape(1)} />
            <NumberField id="insp-w" label={t(Msg::Width)} value={w0} onchange={reshape(2)} />
            <NumberField id="insp-d" label={t(Msg::Depth)} value={h0} onchange={reshape(3)} />
        </div>
    }
}

/// The selected zone: type, area, bounds typed (a move and a stretch) or stepped.
fn zone_body(
    z: &plotwise_plan::Zone,
    props: &InspectorProps,
    invalid: impl Fn(String) + Clone + 'static,
) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let d = props.dispatch.clone();
    let on_kind = {
        let d = d.clone();
        let z = z.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = ZoneKind::from_key(&s.value()) {
                d.emit(Action::Apply(Edit::SetZone {
                    zone: z.id.clone(),
                    props: ZoneProps {
                        kind,
                        surface: z.surface,
                        soil_depth_m: z.soil_depth_m,
                        name: z.name.clone(),
                        name_zh: z.name_zh.clone(),
                    },
                }));
            }
        })
    };
    let shape = Shape {
        of: ObjectRef::Zone(z.id.clone()),
        outline: z.outline.clone(),
    };
    html! {
        <div class="inspector-body" data-selected={z.id.0.clone()}>
            <p class="selected-name"><strong>{ pick(l, &z.kind.label()).to_owned() }</strong>{ format!(" · {}", z.id) }</p>
            <p>{ t(Msg::Area) }{ t(Msg::Colon) }<span class="metric" id="insp-area">{ format!("{:.1} m²", z.outline.area_m2()) }</span></p>
            <label class="field"><span>{ t(Msg::Kind) }</span>
                <select id="insp-kind" onchange={on_kind}>
                    { for ZoneKind::ALL.iter().map(|k| html! {
                        <option value={k.key()} selected={*k == z.kind}>{ pick(l, &k.label()).to_owned() }</option>
                    }) }
                </select>
            </label>
            { bounds_fields(&shape, props, invalid) }
            { step_buttons(props.step, l, &d) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HeightProps {
    building: Building,
    lang: Lang,
    dispatch: Callback<Action>,
}

/// A building's height, typed: a number of metres above 0, or a message saying so (the
/// building keeps its height).
#[function_component(HeightField)]
fn height_field(p: &HeightProps) -> Html {
    let wrong = use_state(|| false);
    {
        // Another building selected, or the height changed (undo): no message.
        let wrong = wrong.clone();
        use_effect_with(
            (p.building.id.clone(), p.building.height_m.to_bits()),
            move |_| wrong.set(false),
        );
    }
    let onchange = {
        let (b, d, wrong) = (p.building.clone(), p.dispatch.clone(), wrong.clone());
        Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            match crate::sun::parse_height(&i.value()) {
                Some(h) => {
                    wrong.set(false);
                    if h != b.height_m {
                        d.emit(Action::Apply(Edit::SetBuilding {
                            building: b.id.clone(),
                            props: BuildingProps {
                                height_m: h,
                                name: b.name.clone(),
                                name_zh: b.name_zh.clone(),
                            },
                        }));
                    }
                }
                None => wrong.set(true),
            }
        })
    };
    let l = p.lang;
    html! {
        <>
        <label class="field">
            <span>{ tr(l, Msg::Height) }</span>
            <input id="insp-height" type="number" inputmode="decimal" min="0.1" step="0.5"
                value={format!("{:.1}", p.building.height_m)} {onchange}
                aria-invalid={if *wrong { "true" } else { "false" }}
                aria-describedby={wrong.then_some("insp-height-error")} />
        </label>
        if *wrong {
            <p id="insp-height-error" class="field-error" role="alert">{ tr(l, Msg::HeightInvalid) }</p>
        }
        </>
    }
}

/// The selected building: its height, bounds typed or stepped.
fn building_body(
    b: &Building,
    props: &InspectorProps,
    invalid: impl Fn(String) + Clone + 'static,
) -> Html {
    let l = props.lang;
    let shape = Shape {
        of: ObjectRef::Building(b.id.clone()),
        outline: b.outline.clone(),
    };
    html! {
        <div class="inspector-body" data-selected={b.id.0.clone()}>
            <p class="selected-name"><strong>{ tr(l, Msg::Building) }</strong>{ format!(" · {}", b.id) }</p>
            <HeightField building={b.clone()} lang={l} dispatch={props.dispatch.clone()} />
            <p class="muted small">{ tr(l, Msg::HeightNote) }</p>
            { bounds_fields(&shape, props, invalid) }
            { step_buttons(props.step, l, &props.dispatch) }
        </div>
    }
}

/// The inspector.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let d = props.dispatch.clone();
    let cat = catalogue();
    let invalid = {
        let d = d.clone();
        move |e: String| {
            d.emit(Action::Notify(Some(Notice {
                msg: Msg::ShapeInvalid,
                detail: Some(crate::state::plain(e)),
                problem: true,
            })))
        }
    };

    let body = match &props.selected {
        Some(ObjectRef::Element(id)) => props
            .layout
            .element(id)
            .map(|e| element_body(e, props, &cat))
            .unwrap_or_default(),
        Some(ObjectRef::Zone(id)) => props
            .layout
            .zone(id)
            .map(|z| zone_body(z, props, invalid.clone()))
            .unwrap_or_default(),
        Some(ObjectRef::Building(id)) => props
            .layout
            .building(id)
            .map(|b| building_body(b, props, invalid.clone()))
            .unwrap_or_default(),
        None => html! { <p class="muted">{ t(Msg::NothingSelected) }</p> },
    };

    let layout = &props.layout;
    let selected = props.selected.clone();
    let item = |r: ObjectRef, label: String| {
        let d = d.clone();
        let is = selected.as_ref() == Some(&r);
        let rr = r.clone();
        let onclick = Callback::from(move |_: MouseEvent| d.emit(Action::Select(Some(rr.clone()))));
        html! { <li><button class="link" aria-current={if is {"true"} else {"false"}} {onclick}>{ label }</button></li> }
    };
    // A long list (the 1 km strip has 1,000 elements) is cut to the first 60.
    let list: Html = layout
        .zones
        .iter()
        .map(|z| {
            item(
                ObjectRef::Zone(z.id.clone()),
                format!("{} · {}", pick(l, &z.kind.label()), z.id),
            )
        })
        .chain(layout.elements.iter().map(|e| {
            let name = cat
                .item(&e.kind)
                .map(|i| pick(l, &i.name).to_owned())
                .unwrap_or_else(|| e.kind.clone());
            item(
                ObjectRef::Element(e.id.clone()),
                format!("{name} · {}", e.id),
            )
        }))
        .chain(layout.plot.buildings.iter().map(|b| {
            item(
                ObjectRef::Building(b.id.clone()),
                format!("{} · {}", t(Msg::Building), b.id),
            )
        }))
        .take(60)
        .collect();

    html! {
        <section class="panel inspector" aria-labelledby="inspector-h">
            <h2 id="inspector-h">{ t(Msg::Inspector) }</h2>
            { body }
            <details class="objects">
                <summary>{ t(Msg::Objects) }{ format!(" ({})", layout.zones.len() + layout.elements.len() + layout.plot.buildings.len()) }</summary>
                <ul>{ list }</ul>
            </details>
        </section>
    }
}
