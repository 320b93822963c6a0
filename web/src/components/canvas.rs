//! The drawing you edit: the plot to scale (1 SVG unit = 1 m, north up) with its zones and
//! elements, a scale bar and a north arrow that stay in view, pan and zoom (mouse drag, wheel,
//! two-finger pinch), and the drawing tools. It sends edits; it never changes the layout itself.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use geo::Coord;
use plotwise_plan::model::{Layout, ObjectRef, Size};
use plotwise_plan::{Catalogue, Element, ElementId, Outline, Zone, ZoneId};
use wasm_bindgen::JsCast;
use web_sys::{Element as DomElement, PointerEvent, WheelEvent};
use yew::prelude::*;

use crate::derive::catalogue;
use crate::draw::{fmt_len, geometry_d, multi_polygon_d, n3, nice_length, polygon_d, zone_fill};
use crate::i18n::{Lang, Msg, tr};
use crate::state::{Action, Tool};
use plotwise_plan::Edit;
use plotwise_plan::catalogue::Footprint;
use plotwise_plan::edit::Target;
use plotwise_plan::snap::SnapOptions;

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
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// A new plot boundary was drawn (starts a new draft on it).
    pub on_boundary: Callback<Outline>,
}

/// The visible window in SVG units: x, y (y = −north), width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewBox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl ViewBox {
    fn fit(layout: &Layout) -> ViewBox {
        let (x0, y0, x1, y1) = crate::draw::plot_bounds(layout);
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let m = w.max(h) * 0.08;
        ViewBox {
            x: x0 - m,
            y: -y1 - m,
            w: w + 2.0 * m,
            h: h + 2.0 * m,
        }
    }

    /// Scale (px per unit) and the screen position of the viewBox origin for the SVG element
    /// `el`, drawn with `preserveAspectRatio="xMidYMid meet"`.
    fn mapping(&self, el: &DomElement) -> (f64, f64, f64) {
        // The drawing fills the content box: the bounding box less the border.
        let rect = el.get_bounding_client_rect();
        let (left, top) = (
            rect.left() + f64::from(el.client_left()),
            rect.top() + f64::from(el.client_top()),
        );
        let (width, height) = (f64::from(el.client_width()), f64::from(el.client_height()));
        let s = (width / self.w).min(height / self.h).max(1e-9);
        let ox = left + (width - self.w * s) / 2.0;
        let oy = top + (height - self.h * s) / 2.0;
        (s, ox, oy)
    }

    fn zoom_at(&self, p: Coord<f64>, factor: f64) -> ViewBox {
        let factor = factor.clamp(0.2, 5.0);
        let w = (self.w * factor).clamp(0.5, 5000.0);
        let f = w / self.w;
        let (sx, sy) = (p.x, -p.y);
        ViewBox {
            x: sx - (sx - self.x) * f,
            y: sy - (sy - self.y) * f,
            w,
            h: self.h * f,
        }
    }
}

/// A gesture in progress.
#[derive(Clone, Debug)]
enum Gesture {
    None,
    Pan {
        start: (f64, f64),
        vb: ViewBox,
    },
    MoveElement {
        start: Coord<f64>,
        orig: Element,
        moved: bool,
    },
    MoveZone {
        start: Coord<f64>,
        orig: Zone,
        moved: bool,
    },
    Rotate {
        orig: Element,
    },
    /// Turning a zone about its centroid by `angle` degrees (counter-clockwise).
    RotateZone {
        orig: Zone,
        angle: f64,
    },
    /// Dragging side or corner `(hx, hy)` of a zone's bounding box; `grab` is the pointer's
    /// offset from that point when the drag began.
    ResizeZone {
        orig: Zone,
        hx: f64,
        hy: f64,
        grab: Coord<f64>,
    },
    /// Dragging corner `(hx, hy)` of an element's `w` × `d` footprint box, in its own frame.
    ResizeElement {
        orig: Element,
        w: f64,
        d: f64,
        hx: f64,
        hy: f64,
        grab: Coord<f64>,
    },
    Vertex {
        orig: Zone,
        poly: usize,
        vertex: usize,
    },
    Rect {
        start: Coord<f64>,
    },
    Pinch {
        dist: f64,
    },
}

/// Pointer-local state that must not trigger renders.
struct Live {
    gesture: Gesture,
    pointers: HashMap<i32, (f64, f64)>,
    last_edit: Option<Edit>,
}

/// The editor drawing.
#[function_component(Canvas)]
pub fn canvas(props: &CanvasProps) -> Html {
    let svg_ref = use_node_ref();
    let vb = use_state(|| ViewBox::fit(&props.layout));
    {
        // Fit the view again when another draft (or another plot) is opened.
        let vb = vb.clone();
        let layout = props.layout.clone();
        let key = (props.draft_id.clone(), layout.plot.id.clone(), {
            let (a, b, c, d) = crate::draw::plot_bounds(&layout);
            format!("{a:.2},{b:.2},{c:.2},{d:.2}")
        });
        use_effect_with(key, move |_| vb.set(ViewBox::fit(&layout)));
    }
    let live = use_mut_ref(|| Live {
        gesture: Gesture::None,
        pointers: HashMap::new(),
        last_edit: None,
    });
    // Corners clicked so far with the polygon and boundary tools, and the pointer position.
    let points = use_state(Vec::<Coord<f64>>::new);
    let hover = use_state(|| None::<Coord<f64>>);
    let rect_preview = use_state(|| None::<(Coord<f64>, Coord<f64>)>);
    {
        // Switching tools drops a half-drawn shape.
        let points = points.clone();
        let rect_preview = rect_preview.clone();
        use_effect_with(props.tool.clone(), move |_| {
            points.set(vec![]);
            rect_preview.set(None);
        });
    }

    // Screen → plan coordinates (x east, y north).
    let to_world = {
        let svg_ref = svg_ref.clone();
        let vb = *vb;
        move |cx: f64, cy: f64| -> Option<Coord<f64>> {
            let el = svg_ref.cast::<DomElement>()?;
            let (s, ox, oy) = vb.mapping(&el);
            Some(Coord {
                x: vb.x + (cx - ox) / s,
                y: -(vb.y + (cy - oy) / s),
            })
        }
    };
    let px_to_m = {
        let svg_ref = svg_ref.clone();
        let vb = *vb;
        // Before the drawing is laid out, a 600 px view of the plot.
        move || -> f64 {
            svg_ref
                .cast::<DomElement>()
                .map(|el| vb.mapping(&el).0)
                .filter(|s| *s > 1e-6)
                .map_or(vb.w.min(vb.h) / 600.0, |s| 1.0 / s)
        }
    };

    // Snapping (crates/plan): to a corner of another shape within 10 px, else onto an
    // edge, else to the grid.
    let snap = {
        let layout = props.base.clone();
        let grid = props.grid;
        let px_to_m = px_to_m.clone();
        move |p: Coord<f64>, skip: Option<&str>| -> Coord<f64> {
            let options = SnapOptions {
                tolerance_m: 10.0 * px_to_m(),
                grid_m: grid,
                skip_zone: skip,
            };
            plotwise_plan::snap::snap(&layout, p, options).0
        }
    };
    let snap_delta = {
        let grid = props.grid;
        move |d: f64| -> f64 {
            if grid > 0.0 {
                (d / grid).round() * grid
            } else {
                d
            }
        }
    };

    let finish_polygon = {
        let points = points.clone();
        let tool = props.tool.clone();
        let base = props.base.clone();
        let dispatch = props.dispatch.clone();
        let on_boundary = props.on_boundary.clone();
        Callback::from(move |_: ()| {
            let pts = (*points).clone();
            points.set(vec![]);
            if pts.len() < 3 {
                return;
            }
            let mut ring = pts.clone();
            ring.push(pts[0]);
            let poly = geo::Polygon::new(geo::LineString::new(ring), vec![]);
            let outline = match Outline::from_polygon(poly) {
                Ok(o) => o,
                Err(e) => {
                    dispatch.emit(Action::Notify(Some(crate::state::Notice {
                        msg: Msg::ShapeInvalid,
                        detail: Some(crate::state::plain(e.to_string())),
                        problem: true,
                    })));
                    return;
                }
            };
            match &tool {
                Tool::Polygon(kind) => {
                    let id = base.fresh_id(&kind.key().replace('_', "-"));
                    dispatch.emit(Action::Apply(Edit::AddZone {
                        zone: Zone::new(ZoneId(id.clone()), *kind, outline),
                        index: None,
                    }));
                    dispatch.emit(Action::Select(Some(ObjectRef::Zone(ZoneId(id)))));
                }
                Tool::Boundary => on_boundary.emit(outline),
                _ => {}
            }
            dispatch.emit(Action::SetTool(Tool::Select));
        })
    };

    let onpointerdown = {
        let live = live.clone();
        let to_world = to_world.clone();
        let snap = snap.clone();
        let props_tool = props.tool.clone();
        let base = props.base.clone();
        let dispatch = props.dispatch.clone();
        let points = points.clone();
        let finish_polygon = finish_polygon.clone();
        let px_to_m = px_to_m.clone();
        let vb = *vb;
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() > 0 {
                return;
            }
            let mut live = live.borrow_mut();
            live.pointers
                .insert(e.pointer_id(), (e.client_x() as f64, e.client_y() as f64));
            if let Some(svg) = svg_ref.cast::<DomElement>() {
                let _ = svg.set_pointer_capture(e.pointer_id());
            }
            if live.pointers.len() == 2 {
                // A second finger: pinch zoom replaces whatever the first one started.
                let d = pointer_distance(&live.pointers);
                live.gesture = Gesture::Pinch { dist: d };
                dispatch.emit(Action::CancelPreview);
                return;
            }
            let Some(p) = to_world(e.client_x() as f64, e.client_y() as f64) else {
                return;
            };
            let target: Option<DomElement> = e.target().and_then(|t| t.dyn_into().ok());
            let hit = |sel: &str, attr: &str| -> Option<String> {
                target
                    .as_ref()
                    .and_then(|t| t.closest(sel).ok().flatten())
                    .and_then(|el| el.get_attribute(attr))
            };
            match &props_tool {
                Tool::Select => {
                    if let (Some(kind), Some(id), Some(arg)) = (
                        hit("[data-handle]", "data-handle"),
                        hit("[data-handle]", "data-target"),
                        hit("[data-handle]", "data-arg"),
                    ) && let Some(g) = handle_gesture(&kind, &id, &arg, &base, p)
                    {
                        live.gesture = g;
                        return;
                    }
                    if let Some(id) = hit("[data-element]", "data-element")
                        && let Some(el) = base.element(&ElementId(id.clone()))
                    {
                        dispatch.emit(Action::Select(Some(ObjectRef::Element(ElementId(id)))));
                        live.gesture = Gesture::MoveElement {
                            start: p,
                            orig: el.clone(),
                            moved: false,
                        };
                        return;
                    }
                    if let Some(id) = hit("[data-zone]", "data-zone")
                        && let Some(z) = base.zone(&ZoneId(id.clone()))
                    {
                        dispatch.emit(Action::Select(Some(ObjectRef::Zone(ZoneId(id)))));
                        live.gesture = Gesture::MoveZone {
                            start: p,
                            orig: z.clone(),
                            moved: false,
                        };
                        return;
                    }
                    dispatch.emit(Action::Select(None));
                    live.gesture = Gesture::Pan {
                        start: (e.client_x() as f64, e.client_y() as f64),
                        vb,
                    };
                }
                Tool::Rect(_) => {
                    live.gesture = Gesture::Rect {
                        start: snap(p, None),
                    };
                }
                Tool::Polygon(_) | Tool::Boundary => {
                    let q = snap(p, None);
                    let pts = (*points).clone();
                    // A click on the first corner closes the shape.
                    let close = pts.len() >= 3 && {
                        let f = pts[0];
                        ((f.x - q.x).powi(2) + (f.y - q.y).powi(2)).sqrt() <= 12.0 * px_to_m()
                    };
                    if close {
                        drop(live);
                        finish_polygon.emit(());
                        return;
                    }
                    let mut pts = pts;
                    if pts.last() != Some(&q) {
                        pts.push(q);
                    }
                    points.set(pts);
                }
                Tool::Place(kind) => {
                    let q = snap(p, None);
                    let id = base.fresh_id(&kind.replace('_', "-"));
                    dispatch.emit(Action::Apply(Edit::AddElement {
                        element: Element::new(ElementId(id.clone()), kind.clone(), q),
                        index: None,
                    }));
                    dispatch.emit(Action::Select(Some(ObjectRef::Element(ElementId(id)))));
                    dispatch.emit(Action::SetTool(Tool::Select));
                }
            }
        })
    };

    let onpointermove = {
        let live = live.clone();
        let to_world = to_world.clone();
        let snap = snap.clone();
        let dispatch = props.dispatch.clone();
        let vb_state = vb.clone();
        let hover = hover.clone();
        let rect_preview = rect_preview.clone();
        let tool = props.tool.clone();
        let svg_ref = svg_ref.clone();
        let grid_on = props.grid > 0.0;
        Callback::from(move |e: PointerEvent| {
            let mut live = live.borrow_mut();
            let (cx, cy) = (e.client_x() as f64, e.client_y() as f64);
            if live.pointers.contains_key(&e.pointer_id()) {
                live.pointers.insert(e.pointer_id(), (cx, cy));
            }
            let Some(p) = to_world(cx, cy) else { return };
            let gesture = live.gesture.clone();
            match gesture {
                Gesture::None => {
                    if matches!(tool, Tool::Polygon(_) | Tool::Boundary) {
                        hover.set(Some(snap(p, None)));
                    }
                }
                Gesture::Pan { start, vb } => {
                    if let Some(el) = svg_ref.cast::<DomElement>() {
                        let (s, _, _) = vb.mapping(&el);
                        vb_state.set(ViewBox {
                            x: vb.x - (cx - start.0) / s,
                            y: vb.y - (cy - start.1) / s,
                            ..vb
                        });
                    }
                }
                Gesture::Pinch { dist } => {
                    if live.pointers.len() >= 2 {
                        let d = pointer_distance(&live.pointers);
                        let mid = pointer_mid(&live.pointers);
                        if d > 0.0
                            && let Some(m) = to_world(mid.0, mid.1)
                        {
                            vb_state.set(vb_state.zoom_at(m, dist / d));
                            live.gesture = Gesture::Pinch { dist: d };
                        }
                    }
                }
                Gesture::MoveElement { start, orig, .. } => {
                    let target = Coord {
                        x: orig.position.x + (p.x - start.x),
                        y: orig.position.y + (p.y - start.y),
                    };
                    let edit = Edit::Place {
                        element: orig.id.clone(),
                        position: snap(target, None),
                        rotation_deg: orig.rotation_deg,
                        size: orig.size,
                    };
                    live.gesture = Gesture::MoveElement {
                        start,
                        orig,
                        moved: true,
                    };
                    live.last_edit = Some(edit.clone());
                    dispatch.emit(Action::Preview(edit));
                }
                Gesture::MoveZone { start, orig, .. } => {
                    let (dx, dy) = (snap_delta(p.x - start.x), snap_delta(p.y - start.y));
                    let edit = Edit::Move {
                        target: Target::Zone(orig.id.clone()),
                        dx,
                        dy,
                    };
                    live.last_edit = Some(edit.clone());
                    dispatch.emit(Action::Preview(edit));
                    live.gesture = Gesture::MoveZone {
                        start,
                        orig,
                        moved: true,
                    };
                }
                Gesture::Rotate { orig } => {
                    // The handle points along the element's own +y axis.
                    let c = orig.position;
                    let edit = Edit::Place {
                        element: orig.id.clone(),
                        position: c,
                        rotation_deg: pointer_angle(c, p, grid_on).rem_euclid(360.0),
                        size: orig.size,
                    };
                    live.last_edit = Some(edit.clone());
                    dispatch.emit(Action::Preview(edit));
                    live.gesture = Gesture::Rotate { orig };
                }
                Gesture::RotateZone { orig, .. } => {
                    // The handle starts north of the centroid, so its angle is the turn.
                    let angle = pointer_angle(orig.outline.centroid(), p, grid_on);
                    let edit = (angle.rem_euclid(360.0) != 0.0).then(|| Edit::Rotate {
                        target: Target::Zone(orig.id.clone()),
                        angle_deg: angle,
                    });
                    live.last_edit = edit.clone();
                    dispatch.emit(edit.map_or(Action::CancelPreview, Action::Preview));
                    live.gesture = Gesture::RotateZone { orig, angle };
                }
                Gesture::ResizeZone {
                    ref orig,
                    hx,
                    hy,
                    grab,
                } => {
                    // The opposite side stays put; an edge handle keeps the other axis (or,
                    // with Shift, scales it about the middle line to keep proportions).
                    let r = orig.outline.bounding_rect();
                    let (lo, hi) = (r.min(), r.max());
                    let q = snap(p - grab, Some(orig.id.as_str()));
                    let (ax, ay) = (side(-hx, lo.x, hi.x), side(-hy, lo.y, hi.y));
                    let factor = |h: f64, q: f64, a: f64, len: f64| {
                        if h == 0.0 {
                            1.0
                        } else {
                            ((q - a) * h).max(MIN_SIZE_M) / len
                        }
                    };
                    let (mut sx, mut sy) = (
                        factor(hx, q.x, ax, r.width()),
                        factor(hy, q.y, ay, r.height()),
                    );
                    if e.shift_key() {
                        let s = if hx == 0.0 {
                            sy
                        } else if hy == 0.0 {
                            sx
                        } else {
                            sx.max(sy)
                        };
                        let s = s.max(MIN_SIZE_M / r.width()).max(MIN_SIZE_M / r.height());
                        (sx, sy) = (s, s);
                    }
                    if let Ok(outline) = orig.outline.map_coords(move |c| Coord {
                        x: ax + (c.x - ax) * sx,
                        y: ay + (c.y - ay) * sy,
                    }) {
                        let edit = Edit::Reshape {
                            zone: orig.id.clone(),
                            outline,
                        };
                        live.last_edit = Some(edit.clone());
                        dispatch.emit(Action::Preview(edit));
                    }
                }
                Gesture::ResizeElement {
                    ref orig,
                    w,
                    d,
                    hx,
                    hy,
                    grab,
                } => {
                    // In the element's own frame; the opposite corner stays put. Square to
                    // the plan, the corner snaps like any point; turned, the sizes snap.
                    let (c, deg) = (orig.position, orig.rotation_deg);
                    let square = (deg / 90.0 - (deg / 90.0).round()).abs() < 1e-9;
                    let q = if square {
                        snap(p - grab, None)
                    } else {
                        p - grab
                    };
                    let l = turn(q - c, -deg);
                    let a = Coord {
                        x: -hx * w / 2.0,
                        y: -hy * d / 2.0,
                    };
                    let len = |v: f64| {
                        if square {
                            v.max(MIN_SIZE_M)
                        } else {
                            snap_delta(v).max(MIN_SIZE_M)
                        }
                    };
                    let (mut nw, mut nd) = (len((l.x - a.x) * hx), len((l.y - a.y) * hy));
                    if e.shift_key() {
                        let s = (nw / w).max(nd / d);
                        (nw, nd) = (w * s, d * s);
                    }
                    let mid = Coord {
                        x: a.x + hx * nw / 2.0,
                        y: a.y + hy * nd / 2.0,
                    };
                    let edit = Edit::Place {
                        element: orig.id.clone(),
                        position: c + turn(mid, deg),
                        rotation_deg: deg,
                        size: Some(Size {
                            width_m: nw,
                            depth_m: nd,
                        }),
                    };
                    live.last_edit = Some(edit.clone());
                    dispatch.emit(Action::Preview(edit));
                }
                Gesture::Vertex { orig, poly, vertex } => {
                    let q = snap(p, Some(orig.id.as_str()));
                    let mut mp = orig.outline.multi_polygon().clone();
                    if let Some(pg) = mp.0.get_mut(poly) {
                        pg.exterior_mut(|ring| {
                            let n = ring.0.len();
                            if vertex < n {
                                ring.0[vertex] = q;
                                // The closing coordinate repeats the first.
                                if vertex == 0 && n > 1 {
                                    ring.0[n - 1] = q;
                                }
                            }
                        });
                    }
                    if let Ok(outline) = Outline::new(mp) {
                        let edit = Edit::Reshape {
                            zone: orig.id.clone(),
                            outline,
                        };
                        live.last_edit = Some(edit.clone());
                        dispatch.emit(Action::Preview(edit));
                    }
                }
                Gesture::Rect { start } => {
                    rect_preview.set(Some((start, snap(p, None))));
                }
            }
        })
    };

    let onpointerup = {
        let live = live.clone();
        let to_world = to_world.clone();
        let snap = snap.clone();
        let dispatch = props.dispatch.clone();
        let rect_preview = rect_preview.clone();
        let tool = props.tool.clone();
        let base = props.base.clone();
        Callback::from(move |e: PointerEvent| {
            let mut live = live.borrow_mut();
            live.pointers.remove(&e.pointer_id());
            let gesture = std::mem::replace(&mut live.gesture, Gesture::None);
            let last = live.last_edit.take();
            match gesture {
                Gesture::MoveElement { moved: true, .. }
                | Gesture::MoveZone { moved: true, .. }
                | Gesture::Rotate { .. }
                | Gesture::RotateZone { .. }
                | Gesture::ResizeZone { .. }
                | Gesture::ResizeElement { .. }
                | Gesture::Vertex { .. } => match last {
                    Some(edit) => dispatch.emit(Action::Apply(edit)),
                    None => dispatch.emit(Action::CancelPreview),
                },
                Gesture::Rect { start } => {
                    rect_preview.set(None);
                    let Some(p) = to_world(e.client_x() as f64, e.client_y() as f64) else {
                        return;
                    };
                    let q = snap(p, None);
                    let min = Coord {
                        x: start.x.min(q.x),
                        y: start.y.min(q.y),
                    };
                    let max = Coord {
                        x: start.x.max(q.x),
                        y: start.y.max(q.y),
                    };
                    if max.x - min.x < 0.1 || max.y - min.y < 0.1 {
                        return;
                    }
                    if let (Tool::Rect(kind), Ok(outline)) = (&tool, Outline::rect(min, max)) {
                        let id = base.fresh_id(&kind.key().replace('_', "-"));
                        dispatch.emit(Action::Apply(Edit::AddZone {
                            zone: Zone::new(ZoneId(id.clone()), *kind, outline),
                            index: None,
                        }));
                        dispatch.emit(Action::Select(Some(ObjectRef::Zone(ZoneId(id)))));
                        dispatch.emit(Action::SetTool(Tool::Select));
                    }
                }
                _ => {}
            }
        })
    };
    let onpointercancel = {
        let live = live.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: PointerEvent| {
            let mut live = live.borrow_mut();
            live.pointers.remove(&e.pointer_id());
            live.gesture = Gesture::None;
            live.last_edit = None;
            dispatch.emit(Action::CancelPreview);
        })
    };
    let onwheel = {
        let vb_state = vb.clone();
        let to_world = to_world.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            if let Some(p) = to_world(e.client_x() as f64, e.client_y() as f64) {
                vb_state.set(vb_state.zoom_at(p, (e.delta_y() * 0.0015).exp()));
            }
        })
    };
    let ondblclick = {
        let finish = finish_polygon.clone();
        Callback::from(move |_: MouseEvent| finish.emit(()))
    };

    // Zoom buttons: keyboard and one-finger users need them too.
    let zoom = |factor: f64| {
        let vb = vb.clone();
        Callback::from(move |_: MouseEvent| {
            let c = Coord {
                x: vb.x + vb.w / 2.0,
                y: -(vb.y + vb.h / 2.0),
            };
            vb.set(vb.zoom_at(c, factor));
        })
    };
    let fit = {
        let vb = vb.clone();
        let layout = props.layout.clone();
        Callback::from(move |_: MouseEvent| vb.set(ViewBox::fit(&layout)))
    };
    let cancel_drawing = {
        let points = points.clone();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            points.set(vec![]);
            dispatch.emit(Action::SetTool(Tool::Select));
        })
    };
    let onkeydown = {
        let finish = finish_polygon.clone();
        let points = points.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" if points.len() >= 3 => finish.emit(()),
            _ => {}
        })
    };

    let l = props.lang;
    let layout = &props.layout;
    let v = *vb;
    let unit = v.w.min(v.h);
    let cat = catalogue();

    // The plot and what it must respect.
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

    let selected_zone = match &props.selected {
        Some(ObjectRef::Zone(id)) => Some(id.0.clone()),
        _ => None,
    };
    let selected_element = match &props.selected {
        Some(ObjectRef::Element(id)) => Some(id.0.clone()),
        _ => None,
    };
    // While something is dragged, the layers draw the committed layout (unchanged, so yew
    // skips them) without the dragged object, which is drawn on top from the preview.
    // The zone being turned and by how much so far (its handles follow the angle).
    let turning = match &live.borrow().gesture {
        Gesture::RotateZone { orig, angle } => Some((orig.clone(), *angle)),
        _ => None,
    };
    let dragged = match &live.borrow().gesture {
        Gesture::MoveElement { orig, .. }
        | Gesture::Rotate { orig }
        | Gesture::ResizeElement { orig, .. } => Some(ObjectRef::Element(orig.id.clone())),
        Gesture::MoveZone { orig, .. }
        | Gesture::Vertex { orig, .. }
        | Gesture::RotateZone { orig, .. }
        | Gesture::ResizeZone { orig, .. } => Some(ObjectRef::Zone(orig.id.clone())),
        _ => None,
    };
    let dragging = dragged.is_some() && !Rc::ptr_eq(&props.layout, &props.base);
    let layer_layout = if dragging {
        props.base.clone()
    } else {
        props.layout.clone()
    };
    let hidden = if dragging { dragged.clone() } else { None };
    let zones = html! {
        <ZoneLayer layout={layer_layout.clone()} hidden={hidden.clone()} selected={selected_zone.clone()}
            error_ids={props.error_ids.clone()} lang={l} />
    };
    let elements = html! {
        <ElementLayer layout={layer_layout} hidden={hidden.clone()} selected={selected_element.clone()}
            error_ids={props.error_ids.clone()} />
    };
    let dragged_node = match (&hidden, dragging) {
        (Some(ObjectRef::Element(id)), true) => layout
            .element(id)
            .map(|e| element_node(e, &cat, true, props.error_ids.contains(id.as_str())))
            .unwrap_or_default(),
        (Some(ObjectRef::Zone(id)), true) => layout
            .zone(id)
            .map(|z| zone_node(z, l, true, props.error_ids.contains(id.as_str())))
            .unwrap_or_default(),
        _ => html! {},
    };

    // Handles of the selection, sized in screen pixels: resize (zone: corners and sides of
    // its bounding box; element: corners of its footprint box in its own frame), corners of
    // a zone, and a turning handle on a stalk beyond the +y side. Hit circles lie under all
    // marks, so a mark is never covered by a neighbour's hit circle.
    let px = px_to_m();
    let mut marks: Vec<(Html, Html)> = vec![];
    let mut stalk = None;
    let resize_label = tr(l, Msg::HandleResize);
    let rotate_label = tr(l, Msg::HandleRotate);
    if let Some(z) = selected_zone
        .as_ref()
        .and_then(|id| layout.zone(&ZoneId(id.clone())))
    {
        let turning = turning.as_ref().filter(|(orig, _)| orig.id == z.id);
        if turning.is_none() {
            let r = z.outline.bounding_rect();
            let o = RESIZE_OUT_PX * px;
            for (name, hx, hy) in RESIZE_DIRS {
                let c = Coord {
                    x: side(hx, r.min().x - o, r.max().x + o),
                    y: side(hy, r.min().y - o, r.max().y + o),
                };
                marks.push(handle("resize", &z.id.0, name, c, 6.0, px, resize_label));
            }
        }
        for (pi, poly) in z.outline.multi_polygon().iter().enumerate() {
            let ring = &poly.exterior().0;
            for (vi, c) in ring[..ring.len().saturating_sub(1)].iter().enumerate() {
                let arg = format!("{pi}:{vi}");
                marks.push(handle(
                    "vertex",
                    &z.id.0,
                    &arg,
                    *c,
                    8.0,
                    px,
                    tr(l, Msg::HandleVertex),
                ));
            }
        }
        // Turning: from the committed zone, by the angle dragged so far.
        let (orig, angle) = turning.map_or((z, 0.0), |(orig, angle)| (orig, *angle));
        let c = orig.outline.centroid();
        let reach = orig.outline.bounding_rect().max().y - c.y + ROTATE_OUT_PX * px;
        stalk = Some((c, c + turn(Coord { x: 0.0, y: reach }, angle), &z.id.0));
    } else if let Some(e) = selected_element
        .as_ref()
        .and_then(|id| layout.element(&ElementId(id.clone())))
    {
        let size = resizable_size(e, &cat);
        if let Some((w, d)) = size {
            let o = RESIZE_OUT_PX * px;
            for (name, hx, hy) in &RESIZE_DIRS[..4] {
                let local = Coord {
                    x: hx * (w / 2.0 + o),
                    y: hy * (d / 2.0 + o),
                };
                let c = e.position + turn(local, e.rotation_deg);
                marks.push(handle("resize", &e.id.0, name, c, 6.0, px, resize_label));
            }
        }
        let d = cat.size_of(e).map_or(0.5, |s| s.depth_m);
        let reach = d / 2.0 + ROTATE_OUT_PX * px;
        let tip = e.position + turn(Coord { x: 0.0, y: reach }, e.rotation_deg);
        stalk = Some((e.position, tip, &e.id.0));
    }
    let stalk_line = stalk
        .map(|(a, b, id)| {
            marks.push(handle("rotate", id, "", b, 10.0, px, rotate_label));
            html! { <line class="rotate-stalk" x1={n3(a.x)} y1={n3(-a.y)}
            x2={n3(b.x)} y2={n3(-b.y)} /> }
        })
        .unwrap_or_default();
    let (hits, marks): (Vec<Html>, Vec<Html>) = marks.into_iter().unzip();
    let handles = html! { <g class="handles">{ stalk_line }{ for hits }{ for marks }</g> };
    let handle_r = 9.0 * px;

    let highlight = props
        .highlight
        .as_ref()
        .map(|g| html! { <path class="finding-highlight" d={geometry_d(g, unit * 0.03)} /> })
        .unwrap_or_default();

    // The shape being drawn.
    let drawing = {
        let mut pts = (*points).clone();
        if !pts.is_empty()
            && let Some(h) = *hover
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
        let dots: Html = points
            .iter()
            .map(|c| html! { <circle class="drawing-dot" cx={n3(c.x)} cy={n3(-c.y)} r={n3(handle_r * 0.7)} /> })
            .collect();
        let rect = rect_preview
            .map(|(a, b)| {
                html! { <rect class="drawing" x={n3(a.x.min(b.x))} y={n3(-a.y.max(b.y))}
                width={n3((a.x - b.x).abs())} height={n3((a.y - b.y).abs())} /> }
            })
            .unwrap_or_default();
        html! { <>{poly}{dots}{rect}</> }
    };

    // Scale bar and north arrow, kept at the corners of the current view.
    let bar = nice_length(v.w / 4.0);
    let font = unit * 0.04;
    let bar_x = v.x + unit * 0.04;
    let bar_y = v.y + v.h - unit * 0.09;
    let arrow_x = v.x + v.w - unit * 0.06;
    let arrow_y = v.y + unit * 0.04;

    let drawing_now = matches!(props.tool, Tool::Polygon(_) | Tool::Boundary);
    let hint = match &props.tool {
        Tool::Select => Msg::HintSelect,
        Tool::Rect(_) => Msg::HintRect,
        Tool::Polygon(_) | Tool::Boundary => Msg::HintPolygon,
        Tool::Place(_) => Msg::HintPlace,
    };
    let grid_pattern = if props.grid > 0.0 {
        let g = if props.grid * 8.0 < unit / 40.0 {
            // Too fine to see at this zoom: draw every 10th line.
            props.grid * 10.0
        } else {
            props.grid
        };
        html! {
            <defs>
                <pattern id="grid" width={n3(g)} height={n3(g)} patternUnits="userSpaceOnUse">
                    <path d={format!("M {g:.3} 0 L 0 0 0 {g:.3}")} class="grid-line" />
                </pattern>
            </defs>
        }
    } else {
        html! {}
    };

    html! {
        <div class="canvas-wrap">
            <p class="hint" aria-live="polite">{ tr(l, hint) }</p>
            <svg id="plot" ref={svg_ref} tabindex="0"
                 style={format!("aspect-ratio: {:.3}", (v.w / v.h).clamp(0.75, 2.2))}
                 class={classes!(format!("tool-{}", tool_class(&props.tool)))}
                 viewBox={format!("{:.3} {:.3} {:.3} {:.3}", v.x, v.y, v.w, v.h)}
                 role="img" aria-label={tr(l, Msg::PlotDrawing)} preserveAspectRatio="xMidYMid meet"
                 {onpointerdown} {onpointermove} {onpointerup} {onpointercancel} {onwheel} {ondblclick} {onkeydown}>
                { grid_pattern }
                <path class="plot-boundary" d={plot_d.clone()} fill-rule="evenodd" />
                if props.grid > 0.0 {
                    <path class="grid" d={plot_d} fill="url(#grid)" fill-rule="evenodd" />
                }
                { no_build }
                { zones }
                { trees }
                { entrances }
                <g class="elements">{ elements }</g>
                { dragged_node }
                { highlight }
                { handles }
                { drawing }
                <g class="scale-bar" data-metres={fmt_len(bar)} aria-label={tr(l, Msg::ScaleBar)}>
                    <rect x={n3(bar_x)} y={n3(bar_y)}
                          width={n3(bar)} height={n3(unit * 0.012)} />
                    <text x={n3(bar_x)} y={n3(bar_y + unit * 0.012 + font * 1.1)}
                          font-size={n3(font)}>{ format!("{} m", fmt_len(bar)) }</text>
                </g>
                <g class="north-arrow">
                    <path d={format!("M {arrow_x:.3} {arrow_y:.3} l {w:.3} {h:.3} l {mw:.3} 0 z",
                        w = font * 0.5, h = font * 1.5, mw = -font)} />
                    <text x={n3(arrow_x)} y={n3(arrow_y + font * 2.6)}
                          font-size={n3(font)} text-anchor="middle">{ tr(l, Msg::North) }</text>
                </g>
            </svg>
            <div class="canvas-buttons">
                <button id="zoom-in" onclick={zoom(0.8)} aria-label={tr(l, Msg::ZoomIn)} title={tr(l, Msg::ZoomIn)}>{"+"}</button>
                <button id="zoom-out" onclick={zoom(1.25)} aria-label={tr(l, Msg::ZoomOut)} title={tr(l, Msg::ZoomOut)}>{"−"}</button>
                <button id="zoom-fit" onclick={fit}>{ tr(l, Msg::ZoomFit) }</button>
                if drawing_now {
                    <button id="finish-shape" class="primary" disabled={points.len() < 3}
                        onclick={let f = finish_polygon.clone(); Callback::from(move |_: MouseEvent| f.emit(()))}>
                        { tr(l, Msg::FinishShape) }{ format!(" ({})", points.len()) }
                    </button>
                    <button id="cancel-shape" onclick={cancel_drawing}>{ tr(l, Msg::Cancel) }</button>
                }
            </div>
        </div>
    }
}

fn zone_node(z: &Zone, l: Lang, sel: bool, err: bool) -> Html {
    html! {
        <path key={z.id.0.clone()} class={classes!("zone", sel.then_some("selected"), err.then_some("has-error"))}
            data-zone={z.id.0.clone()} data-kind={z.kind.key()}
            fill={zone_fill(z.kind)} fill-rule="evenodd"
            d={multi_polygon_d(z.outline.multi_polygon())}>
            <title>{ format!("{} {}", crate::i18n::pick(l, &z.kind.label()), z.id) }</title>
        </path>
    }
}

fn element_node(e: &Element, cat: &Catalogue, sel: bool, err: bool) -> Html {
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
struct LayerProps {
    layout: Rc<Layout>,
    hidden: Option<ObjectRef>,
    #[prop_or_default]
    selected: Option<String>,
    error_ids: Rc<HashSet<String>>,
    #[prop_or(Lang::En)]
    lang: Lang,
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

#[function_component(ZoneLayer)]
fn zone_layer(p: &LayerProps) -> Html {
    let hidden = match &p.hidden {
        Some(ObjectRef::Zone(id)) => Some(id),
        _ => None,
    };
    html! {
        <g class="zones">
        { for p.layout.zones.iter().filter(|z| Some(&z.id) != hidden).map(|z| {
            zone_node(z, p.lang, p.selected.as_deref() == Some(z.id.as_str()), p.error_ids.contains(z.id.as_str()))
        }) }
        </g>
    }
}

#[function_component(ElementLayer)]
fn element_layer(p: &LayerProps) -> Html {
    let cat = catalogue();
    let hidden = match &p.hidden {
        Some(ObjectRef::Element(id)) => Some(id),
        _ => None,
    };
    html! {
        <>
        { for p.layout.elements.iter().filter(|e| Some(&e.id) != hidden).map(|e| {
            element_node(e, &cat, p.selected.as_deref() == Some(e.id.as_str()), p.error_ids.contains(e.id.as_str()))
        }) }
        </>
    }
}

/// Half the touch target of a handle, CSS px (44 px across: the house rule for touch).
const HIT_PX: f64 = 22.0;
/// How far resize handles sit outside the box, px (clear of a zone's corner handles).
const RESIZE_OUT_PX: f64 = 16.0;
/// How far the turning handle sits beyond the shape, px.
const ROTATE_OUT_PX: f64 = 52.0;
/// The smallest width or depth a resize leaves, m.
const MIN_SIZE_M: f64 = 0.1;
/// Resize handles: name (`data-arg`) and direction in the box's frame (x east, y north).
const RESIZE_DIRS: [(&str, f64, f64); 8] = [
    ("ne", 1.0, 1.0),
    ("se", 1.0, -1.0),
    ("sw", -1.0, -1.0),
    ("nw", -1.0, 1.0),
    ("n", 0.0, 1.0),
    ("e", 1.0, 0.0),
    ("s", 0.0, -1.0),
    ("w", -1.0, 0.0),
];

/// `lo`, `hi` or the middle, for a direction `h` of −1, 1 or 0.
fn side(h: f64, lo: f64, hi: f64) -> f64 {
    if h > 0.0 {
        hi
    } else if h < 0.0 {
        lo
    } else {
        (lo + hi) / 2.0
    }
}

/// `v` turned counter-clockwise by `deg`.
fn turn(v: Coord<f64>, deg: f64) -> Coord<f64> {
    let (sn, cs) = deg.to_radians().sin_cos();
    Coord {
        x: v.x * cs - v.y * sn,
        y: v.x * sn + v.y * cs,
    }
}

/// The turn, degrees counter-clockwise from north, of `p` seen from `c`: in 15° steps with a
/// grid, 1° without.
fn pointer_angle(c: Coord<f64>, p: Coord<f64>, grid_on: bool) -> f64 {
    let raw = (p.y - c.y).atan2(p.x - c.x).to_degrees() - 90.0;
    let step = if grid_on { 15.0 } else { 1.0 };
    (raw / step).round() * step
}

/// The footprint box (width, depth) of an element that handles may resize: one with a
/// rectangular catalogue footprint, sized by its own size or else the catalogue's. Round
/// footprints (one diameter) and unknown kinds get no resize handles.
fn resizable_size(e: &Element, cat: &Catalogue) -> Option<(f64, f64)> {
    match cat.item(&e.kind)?.footprint {
        Footprint::Rect { .. } => cat.size_of(e).map(|s| (s.width_m, s.depth_m)),
        Footprint::Circle { .. } => None,
    }
}

/// The gesture a press on handle `kind` of object `id` starts (`arg`: which corner or side).
fn handle_gesture(
    kind: &str,
    id: &str,
    arg: &str,
    base: &Layout,
    p: Coord<f64>,
) -> Option<Gesture> {
    let zone = base.zone(&ZoneId(id.to_owned()));
    let element = base.element(&ElementId(id.to_owned()));
    match kind {
        "rotate" => match (element, zone) {
            (Some(e), _) => Some(Gesture::Rotate { orig: e.clone() }),
            (None, Some(z)) => Some(Gesture::RotateZone {
                orig: z.clone(),
                angle: 0.0,
            }),
            _ => None,
        },
        "vertex" => {
            let (poly, vertex) = arg.split_once(':')?;
            Some(Gesture::Vertex {
                orig: zone?.clone(),
                poly: poly.parse().ok()?,
                vertex: vertex.parse().ok()?,
            })
        }
        "resize" => {
            let &(_, hx, hy) = RESIZE_DIRS.iter().find(|(n, _, _)| *n == arg)?;
            if let Some(z) = zone {
                let r = z.outline.bounding_rect();
                let at = Coord {
                    x: side(hx, r.min().x, r.max().x),
                    y: side(hy, r.min().y, r.max().y),
                };
                return Some(Gesture::ResizeZone {
                    orig: z.clone(),
                    hx,
                    hy,
                    grab: p - at,
                });
            }
            let e = element?;
            let (w, d) = resizable_size(e, &catalogue())?;
            let at = e.position
                + turn(
                    Coord {
                        x: hx * w / 2.0,
                        y: hy * d / 2.0,
                    },
                    e.rotation_deg,
                );
            Some(Gesture::ResizeElement {
                orig: e.clone(),
                w,
                d,
                hx,
                hy,
                grab: p - at,
            })
        }
        _ => None,
    }
}

/// A drag handle at `c` for object `id`: the visible mark (radius `r_px`) and a transparent
/// circle 44 px across under it to hit by touch, both sized in screen pixels (`px`: metres
/// per pixel). `data-handle`, `data-target` and `data-arg` say what a press on it drags.
fn handle(
    kind: &'static str,
    id: &str,
    arg: &str,
    c: Coord<f64>,
    r_px: f64,
    px: f64,
    label: &'static str,
) -> (Html, Html) {
    let (x, y) = (n3(c.x), n3(-c.y));
    let (id, arg) = (
        AttrValue::from(id.to_owned()),
        AttrValue::from(arg.to_owned()),
    );
    let hit = html! { <circle class="handle-hit" data-handle={kind} data-target={id.clone()} data-arg={arg.clone()}
    cx={x.clone()} cy={y.clone()} r={n3(HIT_PX * px)} /> };
    let mark = html! { <circle class={format!("{kind}-handle")} data-handle={kind} data-target={id} data-arg={arg}
    cx={x} cy={y} r={n3(r_px * px)} aria-label={label}><title>{ label }</title></circle> };
    (hit, mark)
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

fn pointer_distance(p: &HashMap<i32, (f64, f64)>) -> f64 {
    let v: Vec<_> = p.values().take(2).collect();
    if v.len() < 2 {
        return 0.0;
    }
    ((v[0].0 - v[1].0).powi(2) + (v[0].1 - v[1].1).powi(2)).sqrt()
}

fn pointer_mid(p: &HashMap<i32, (f64, f64)>) -> (f64, f64) {
    let v: Vec<_> = p.values().take(2).collect();
    if v.len() < 2 {
        return (0.0, 0.0);
    }
    ((v[0].0 + v[1].0) / 2.0, (v[0].1 + v[1].1) / 2.0)
}
