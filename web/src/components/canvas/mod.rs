//! The drawing you edit: the plot to scale (1 SVG unit = 1 m, north up) with its zones and
//! elements, a scale bar and a north arrow that stay in view, pan and zoom (mouse drag,
//! wheel, two-finger pinch, and buttons and keys for each), and the drawing tools. It sends
//! edits; it never changes the layout itself.
//!
//! The component only forwards events: [`crate::gesture`] decides what a press, a move or
//! a release does, [`crate::view`] maps the screen to the plan, and [`layers`] draws.
//!
//! Extra layers (a sun-hours heat map, shadows, neighbouring buildings) come as
//! [`CanvasProps::children`]: SVG in plan units, drawn above the zones and elements and
//! below the handles, reading the current view from the [`CanvasView`] context (to size
//! strokes and labels in screen pixels). [`CanvasProps::extent`] widens what "whole plot"
//! shows, so shapes around the plot can be fitted too.

mod layers;

use std::collections::HashSet;
use std::rc::Rc;

use plotwise_plan::Outline;
use plotwise_plan::model::{Layout, ObjectRef};
use wasm_bindgen::JsCast;
use web_sys::{Element as DomElement, PointerEvent, WheelEvent};
use yew::prelude::*;

use crate::derive::catalogue;
use crate::gesture::{Ctx, Effect, Gestures, HandleKind, Hit, Pointer, Shape};
use crate::i18n::{Lang, Msg, tr};
use crate::state::{Action, Notice, Tool, arrow, plain};
use crate::view::{Mapping, Screen, ViewBox};
use layers::{
    ElementLayer, ZoneLayer, dragged_node, drawing_layer, handles_layer, highlight, plot_layer,
    scale_and_north,
};

/// What the canvas needs.
#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    /// The layout to draw (the preview while dragging).
    pub layout: Rc<Layout>,
    /// The committed layout (drags start from it).
    pub base: Rc<Layout>,
    /// Changes when another draft is opened (the view is fitted again).
    pub draft_id: String,
    /// Bumped on every change (avoids comparing layouts).
    pub rev: u64,
    /// The selection.
    pub selected: Option<ObjectRef>,
    /// The active tool.
    pub tool: Tool,
    /// Grid step, m (0 = off).
    pub grid: f64,
    /// The highlighted finding's geometry, if any.
    pub highlight: Option<Rc<geo::Geometry<f64>>>,
    /// Ids named by error findings (drawn with a red outline).
    pub error_ids: Rc<HashSet<String>>,
    /// Large text (and 60 px touch targets) on.
    #[prop_or_default]
    pub large: bool,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// A new plot boundary was drawn (starts a new draft on it).
    pub on_boundary: Callback<Outline>,
    /// Extra layers, in plan units (see the module docs).
    #[prop_or_default]
    pub children: Html,
    /// What "whole plot" frames, `(min x, min y, max x, max y)`, when more than the plot.
    #[prop_or_default]
    pub extent: Option<(f64, f64, f64, f64)>,
}

/// The view of the drawing, for extra layers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CanvasView {
    /// The visible window.
    pub view: ViewBox,
    /// Metres per CSS px at this zoom.
    pub m_per_px: f64,
}

/// The touch target of a handle, CSS px across: 44 px, 60 px in large text, with a little
/// to spare (the drawing's scale is read from its box, to a pixel or so).
fn hit_px(large: bool) -> f64 {
    if large { 64.0 } else { 48.0 }
}

/// The drawing's content box on the screen (its bounding box less the border).
fn screen_of(svg: &NodeRef) -> Option<Screen> {
    let el = svg.cast::<DomElement>()?;
    let rect = el.get_bounding_client_rect();
    Some(Screen {
        left: rect.left() + f64::from(el.client_left()),
        top: rect.top() + f64::from(el.client_top()),
        width: f64::from(el.client_width()),
        height: f64::from(el.client_height()),
    })
}

/// How `view` is drawn now (as if 600 px across before the drawing is laid out).
fn mapping_of(svg: &NodeRef, view: ViewBox) -> Mapping {
    screen_of(svg)
        .filter(|s| s.width > 0.0 && s.height > 0.0)
        .map_or_else(|| Mapping::unlaid(view), |s| view.mapping(s))
}

fn pointer_of(e: &PointerEvent) -> Pointer {
    Pointer {
        id: e.pointer_id(),
        screen: (f64::from(e.client_x()), f64::from(e.client_y())),
        shift: e.shift_key(),
    }
}

/// What a press landed on, from the `data-` attributes of the SVG under the pointer.
fn hit_of(e: &PointerEvent) -> Hit {
    let target: Option<DomElement> = e.target().and_then(|t| t.dyn_into().ok());
    let attr = |sel: &str, attr: &str| -> Option<String> {
        target
            .as_ref()
            .and_then(|t| t.closest(sel).ok().flatten())
            .and_then(|el| el.get_attribute(attr))
    };
    if let (Some(kind), Some(target), Some(arg)) = (
        attr("[data-handle]", "data-handle"),
        attr("[data-handle]", "data-target"),
        attr("[data-handle]", "data-arg"),
    ) && let Some(kind) = HandleKind::parse(&kind, &arg)
    {
        return Hit::Handle { kind, target };
    }
    if let Some(id) = attr("[data-element]", "data-element") {
        return Hit::Element(plotwise_plan::ElementId(id));
    }
    if let Some(id) = attr("[data-zone]", "data-zone") {
        return Hit::Zone(plotwise_plan::ZoneId(id));
    }
    if let Some(id) = attr("[data-building]", "data-building") {
        return Hit::Building(plotwise_plan::ids::BuildingId(id));
    }
    Hit::Ground
}

/// The gesture machine and what it needs, shared by the event handlers.
#[derive(Clone)]
struct Wiring {
    gestures: Rc<std::cell::RefCell<Gestures>>,
    svg: NodeRef,
    view: UseStateHandle<ViewBox>,
    redraw: UseForceUpdateHandle,
    base: Rc<Layout>,
    tool: Tool,
    grid: f64,
    dispatch: Callback<Action>,
    on_boundary: Callback<Outline>,
}

impl Wiring {
    /// Runs `f` on the gesture machine with the current context, then carries out its
    /// effects.
    fn run(&self, f: impl FnOnce(&mut Gestures, &Ctx<'_>) -> Vec<Effect>) {
        let cat = catalogue();
        let ctx = Ctx {
            base: &self.base,
            tool: &self.tool,
            grid: self.grid,
            mapping: mapping_of(&self.svg, *self.view),
            catalogue: &cat,
        };
        let effects = f(&mut self.gestures.borrow_mut(), &ctx);
        for e in effects {
            self.carry_out(e);
        }
    }

    fn carry_out(&self, e: Effect) {
        let d = &self.dispatch;
        match e {
            Effect::Preview(edit) => d.emit(Action::Preview(edit)),
            Effect::CancelPreview => d.emit(Action::CancelPreview),
            Effect::Commit(edit) => d.emit(Action::Apply(edit)),
            Effect::Select(sel) => d.emit(Action::Select(sel)),
            Effect::ToolDone => d.emit(Action::SetTool(Tool::Select)),
            Effect::View(v) => self.view.set(v),
            Effect::NewPlot(o) => self.on_boundary.emit(o),
            Effect::Invalid(why) => d.emit(Action::Notify(Some(Notice {
                msg: Msg::ShapeInvalid,
                detail: Some(plain(why)),
                problem: true,
            }))),
            Effect::Redraw => self.redraw.force_update(),
        }
    }

    fn pointer(
        &self,
        f: fn(&mut Gestures, Pointer, &Ctx<'_>) -> Vec<Effect>,
    ) -> Callback<PointerEvent> {
        let w = self.clone();
        Callback::from(move |e: PointerEvent| w.run(|g, ctx| f(g, pointer_of(&e), ctx)))
    }
}

/// The editor drawing.
#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let svg = use_node_ref();
    let extent = props
        .extent
        .unwrap_or_else(|| crate::draw::plot_bounds(&props.layout));
    let view = use_state(|| ViewBox::fit(extent));
    {
        // Fit the view again when another draft (or another plot) is opened.
        let view = view.clone();
        let key = (
            props.draft_id.clone(),
            props.layout.plot.id.clone(),
            format!(
                "{:.2},{:.2},{:.2},{:.2}",
                extent.0, extent.1, extent.2, extent.3
            ),
        );
        use_effect_with(key, move |_| view.set(ViewBox::fit(extent)));
    }
    let gestures = use_mut_ref(Gestures::default);
    let redraw = use_force_update();
    {
        // Switching tools drops a half-drawn shape.
        let (gestures, redraw) = (gestures.clone(), redraw.clone());
        use_effect_with(props.tool.clone(), move |_| {
            gestures.borrow_mut().reset_drawing();
            redraw.force_update();
        });
    }
    let w = Wiring {
        gestures: gestures.clone(),
        svg: svg.clone(),
        view: view.clone(),
        redraw,
        base: props.base.clone(),
        tool: props.tool.clone(),
        grid: props.grid,
        dispatch: props.dispatch.clone(),
        on_boundary: props.on_boundary.clone(),
    };
    let onpointerdown = {
        let w = w.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() > 0 {
                return;
            }
            if let Some(el) = w.svg.cast::<DomElement>() {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            w.run(|g, ctx| g.down(pointer_of(&e), hit_of(&e), ctx));
        })
    };
    let onpointermove = w.pointer(Gestures::moved);
    let onpointerup = w.pointer(Gestures::up);
    let onpointercancel = {
        let w = w.clone();
        Callback::from(move |e: PointerEvent| w.run(|g, _| g.cancel(e.pointer_id())))
    };
    let onwheel = {
        let w = w.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let m = mapping_of(&w.svg, *w.view);
            let p = m.to_world(f64::from(e.client_x()), f64::from(e.client_y()));
            w.view.set(w.view.zoom_at(p, (e.delta_y() * 0.0015).exp()));
        })
    };
    let finish = {
        let w = w.clone();
        Callback::from(move |_: ()| w.run(|g, ctx| g.finish_shape(ctx)))
    };
    let ondblclick = finish.reform(|_: MouseEvent| ());
    let onkeydown = {
        let (w, finish, selected) = (w.clone(), finish.clone(), props.selected.is_some());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" && w.gestures.borrow().points.len() >= 3 {
                finish.emit(());
            } else if key == "Escape" {
                w.gestures.borrow_mut().reset_drawing();
                w.redraw.force_update();
            } else if let Some((x, y)) = arrow(&key).filter(|_| !selected && !e.ctrl_key()) {
                // Nothing selected: the arrows show more of the plan that way.
                e.prevent_default();
                w.view.set(w.view.stepped(x * 0.2, y * 0.2));
            }
        })
    };
    let cancel_drawing = {
        let w = w.clone();
        Callback::from(move |_: MouseEvent| {
            w.gestures.borrow_mut().reset_drawing();
            w.dispatch.emit(Action::CancelPreview);
            w.dispatch.emit(Action::SetTool(Tool::Select));
            w.redraw.force_update();
        })
    };

    let l = props.lang;
    let v = *view;
    let m = mapping_of(&svg, v);
    let px = m.m_per_px();
    let g = gestures.borrow();
    let hint = hint(&props.tool, &g);
    let body = drawing(props, &g, v, px);
    let buttons = view_buttons(&view, extent, l);
    let drawing_now = matches!(props.tool, Tool::Polygon(_) | Tool::Boundary);
    let n = g.points.len();
    html! {
        <div class="canvas-wrap">
            <p class="hint" aria-live="polite">{ tr(l, hint) }</p>
            <svg id="plot" ref={svg} tabindex="0"
                 style={format!("aspect-ratio: {:.3}", (v.w / v.h).clamp(0.75, 2.2))}
                 class={classes!(format!("tool-{}", tool_class(&props.tool)))}
                 viewBox={v.attr()}
                 role="img" aria-label={tr(l, Msg::PlotDrawing)} preserveAspectRatio="xMidYMid meet"
                 {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {onwheel} {ondblclick} {onkeydown}>
                <ContextProvider<CanvasView> context={CanvasView { view: v, m_per_px: px }}>
                    { body }
                </ContextProvider<CanvasView>>
            </svg>
            <div class="canvas-buttons">
                { buttons }
                if drawing_now {
                    <button id="finish-shape" class="primary" disabled={n < 3}
                        onclick={finish.reform(|_: MouseEvent| ())}>
                        { tr(l, Msg::FinishShape) }{ format!(" ({n})") }
                    </button>
                    <button id="cancel-shape" onclick={cancel_drawing}>{ tr(l, Msg::Cancel) }</button>
                }
            </div>
        </div>
    }
}

/// Everything inside the drawing, layer by layer (see [`layers`]).
fn drawing(props: &CanvasProps, g: &Gestures, v: ViewBox, px: f64) -> Html {
    let l = props.lang;
    let unit = v.w.min(v.h);
    // Zones and buildings share one layer (and, with elements, one namespace of ids).
    let id_of = |element: bool| match &props.selected {
        Some(ObjectRef::Element(id)) if element => Some(id.0.clone()),
        Some(ObjectRef::Zone(id)) if !element => Some(id.0.clone()),
        Some(ObjectRef::Building(id)) if !element => Some(id.0.clone()),
        _ => None,
    };
    // While something is dragged, the layers draw the committed layout (unchanged, so yew
    // skips them) without the dragged object, which is drawn on top from the preview.
    let dragged = g.dragged();
    let dragging = dragged.is_some() && !Rc::ptr_eq(&props.layout, &props.base);
    let layer_layout = if dragging {
        props.base.clone()
    } else {
        props.layout.clone()
    };
    let hidden = if dragging { dragged } else { None };
    let cat = catalogue();
    let (spots, stalk) = crate::gesture::handles(
        &props.layout,
        props.selected.as_ref(),
        g.turning(),
        &cat,
        px,
    );
    let picked = g.picked.as_ref().and_then(|p| {
        Shape::of(&props.base, &p.of)?
            .outline
            .multi_polygon()
            .0
            .get(p.poly)?
            .exterior()
            .0
            .get(p.vertex)
            .copied()
    });
    html! {
        <>
        { plot_layer(&props.layout, props.grid, unit, l) }
        <ZoneLayer layout={layer_layout.clone()} hidden={hidden.clone()} selected={id_of(false)}
            error_ids={props.error_ids.clone()} lang={l} />
        <ElementLayer layout={layer_layout} hidden={hidden.clone()} selected={id_of(true)}
            error_ids={props.error_ids.clone()} />
        { dragged_node(&props.layout, hidden.as_ref(), &props.error_ids, l) }
        { props.children.clone() }
        { highlight(props.highlight.as_deref(), unit) }
        { handles_layer(&spots, stalk, picked, px, hit_px(props.large), l) }
        { drawing_layer(g, 9.0 * 0.7 * px) }
        { scale_and_north(&v, l) }
        </>
    }
}

/// What a tap does now, in a sentence.
fn hint(tool: &Tool, g: &Gestures) -> Msg {
    match tool {
        Tool::Select if g.picked.is_some() => Msg::HintPickedCorner,
        Tool::Select => Msg::HintSelect,
        Tool::Rect(_) if g.anchor.is_some() => Msg::HintRectSecond,
        Tool::Rect(_) => Msg::HintRect,
        Tool::Polygon(_) | Tool::Boundary => Msg::HintPolygon,
        Tool::Place(_) => Msg::HintPlace,
    }
}

/// Zoom and pan buttons (keyboard and one-finger users need them too), and "whole plot".
fn view_buttons(view: &UseStateHandle<ViewBox>, extent: (f64, f64, f64, f64), l: Lang) -> Html {
    let set = |f: Rc<dyn Fn(ViewBox) -> ViewBox>| {
        let view = view.clone();
        Callback::from(move |_: MouseEvent| view.set(f(*view)))
    };
    let button = |id: &'static str,
                  text: &'static str,
                  label: Msg,
                  f: Rc<dyn Fn(ViewBox) -> ViewBox>| {
        html! { <button id={id} onclick={set(f)} aria-label={tr(l, label)} title={tr(l, label)}>{ text }</button> }
    };
    html! {
        <>
        { button("zoom-in", "+", Msg::ZoomIn, Rc::new(|v| v.zoom(0.8))) }
        { button("zoom-out", "−", Msg::ZoomOut, Rc::new(|v| v.zoom(1.25))) }
        <button id="zoom-fit" onclick={set(Rc::new(move |_| ViewBox::fit(extent)))}>{ tr(l, Msg::ZoomFit) }</button>
        <span class="pan-buttons" role="group" aria-label={tr(l, Msg::PanGroup)}>
            { button("pan-west", "←", Msg::PanWest, Rc::new(|v| v.stepped(-0.2, 0.0))) }
            { button("pan-north", "↑", Msg::PanNorth, Rc::new(|v| v.stepped(0.0, 0.2))) }
            { button("pan-south", "↓", Msg::PanSouth, Rc::new(|v| v.stepped(0.0, -0.2))) }
            { button("pan-east", "→", Msg::PanEast, Rc::new(|v| v.stepped(0.2, 0.0))) }
        </span>
        </>
    }
}

fn tool_class(t: &Tool) -> &'static str {
    match t {
        Tool::Select => "select",
        Tool::Rect(_) => "rect",
        Tool::Polygon(_) => "polygon",
        Tool::Place(_) => "place",
        Tool::Boundary => "boundary",
    }
}
