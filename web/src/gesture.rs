//! Gestures on the drawing as plain data: a pointer's presses, moves and releases, the
//! committed layout, the active tool and the snap options go in; the live preview and the
//! one [`Edit`] a gesture makes come out, as [`Effect`]s. No yew and no DOM: the canvas
//! turns DOM events into calls here (with the plan point under the pointer and what it hit)
//! and the effects into actions, and the tests below drive it natively.
//!
//! Every drag has a way without dragging (WCAG 2.5.7): a tap with the rectangle tool sets a
//! corner and the next tap the opposite one; a tap on a corner handle picks the corner up
//! and the next tap puts it down; moving, turning and resizing have the inspector's buttons
//! and the keyboard; panning and zooming have the buttons under the drawing.
//!
//! Zones and the buildings around the plot are both outlines ([`Shape`]): they are drawn,
//! moved, turned, resized and reshaped corner by corner the same way.

use geo::Coord;
use plotwise_plan::catalogue::Footprint;
use plotwise_plan::edit::Target;
use plotwise_plan::ids::BuildingId;
use plotwise_plan::model::Building;
use plotwise_plan::model::{Layout, ObjectRef, Size};
use plotwise_plan::snap::{SnapOptions, snap};
use plotwise_plan::{Catalogue, Edit, Element, ElementId, Outline, Zone, ZoneId};

use crate::state::{Draw, NEW_BUILDING_HEIGHT_M, Tool};
use crate::view::{Mapping, ViewBox};

/// A pointer that moves less than this (CSS px) between press and release made a tap.
pub const TAP_PX: f64 = 6.0;
/// Snapping reaches corners this far, CSS px.
pub const SNAP_PX: f64 = 10.0;
/// A tap this near the first corner (CSS px) closes the shape being drawn.
pub const CLOSE_PX: f64 = 12.0;
/// The smallest width or depth a resize leaves, m.
pub const MIN_SIZE_M: f64 = 0.1;
/// How far resize handles sit outside the box, px (clear of a zone's corner handles).
pub const RESIZE_OUT_PX: f64 = 16.0;
/// How far the turning handle sits beyond the shape, px.
pub const ROTATE_OUT_PX: f64 = 52.0;

/// A zone or a building: an outline the gestures reshape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Which object.
    pub of: ObjectRef,
    /// Its outline (a zone's) or footprint (a building's).
    pub outline: Outline,
}

impl Shape {
    /// The zone or building `of` of `layout`, if it is one and exists.
    pub fn of(layout: &Layout, of: &ObjectRef) -> Option<Shape> {
        let outline = match of {
            ObjectRef::Zone(id) => &layout.zone(id)?.outline,
            ObjectRef::Building(id) => &layout.building(id)?.outline,
            ObjectRef::Element(_) => return None,
        };
        Some(Shape {
            of: of.clone(),
            outline: outline.clone(),
        })
    }

    /// The zone or building of `layout` with this id.
    pub fn by_id(layout: &Layout, id: &str) -> Option<Shape> {
        Shape::of(layout, &ObjectRef::Zone(ZoneId(id.to_owned())))
            .or_else(|| Shape::of(layout, &ObjectRef::Building(BuildingId(id.to_owned()))))
    }

    /// Its id.
    pub fn id(&self) -> &str {
        match &self.of {
            ObjectRef::Zone(id) => id.as_str(),
            ObjectRef::Building(id) => id.as_str(),
            ObjectRef::Element(id) => id.as_str(),
        }
    }

    /// The edit target.
    fn target(&self) -> Target {
        crate::state::target_of(&self.of)
    }

    /// The edit that gives it `outline`.
    pub fn reshape(&self, outline: Outline) -> Edit {
        match &self.of {
            ObjectRef::Building(id) => Edit::ReshapeBuilding {
                building: id.clone(),
                outline,
            },
            _ => Edit::Reshape {
                zone: ZoneId(self.id().to_owned()),
                outline,
            },
        }
    }
}

/// Resize handles: name (`data-arg`) and direction in the box's frame (x east, y north).
pub const RESIZE_DIRS: [(&str, f64, f64); 8] = [
    ("ne", 1.0, 1.0),
    ("se", 1.0, -1.0),
    ("sw", -1.0, -1.0),
    ("nw", -1.0, 1.0),
    ("n", 0.0, 1.0),
    ("e", 1.0, 0.0),
    ("s", 0.0, -1.0),
    ("w", -1.0, 0.0),
];

/// A handle of the selection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HandleKind {
    /// The turning handle on its stalk.
    Rotate,
    /// Corner `vertex` of polygon `poly` of a zone's (or building's) outline.
    Vertex {
        /// The polygon's index in the outline.
        poly: usize,
        /// The corner's index in its exterior ring.
        vertex: usize,
    },
    /// A side or corner of the bounding box, by its direction (−1, 0 or 1 each way).
    Resize {
        /// East (1), west (−1) or the middle (0).
        hx: f64,
        /// North (1), south (−1) or the middle (0).
        hy: f64,
    },
}

impl HandleKind {
    /// The handle named by the DOM attributes `data-handle` and `data-arg`.
    pub fn parse(kind: &str, arg: &str) -> Option<HandleKind> {
        match kind {
            "rotate" => Some(HandleKind::Rotate),
            "vertex" => {
                let (poly, vertex) = arg.split_once(':')?;
                Some(HandleKind::Vertex {
                    poly: poly.parse().ok()?,
                    vertex: vertex.parse().ok()?,
                })
            }
            "resize" => {
                let &(_, hx, hy) = RESIZE_DIRS.iter().find(|(n, _, _)| *n == arg)?;
                Some(HandleKind::Resize { hx, hy })
            }
            _ => None,
        }
    }

    /// `data-handle`.
    pub fn name(self) -> &'static str {
        match self {
            HandleKind::Rotate => "rotate",
            HandleKind::Vertex { .. } => "vertex",
            HandleKind::Resize { .. } => "resize",
        }
    }

    /// `data-arg`.
    pub fn arg(self) -> String {
        match self {
            HandleKind::Rotate => String::new(),
            HandleKind::Vertex { poly, vertex } => format!("{poly}:{vertex}"),
            HandleKind::Resize { hx, hy } => RESIZE_DIRS
                .iter()
                .find(|(_, x, y)| *x == hx && *y == hy)
                .map_or(String::new(), |(n, _, _)| (*n).to_owned()),
        }
    }
}

/// What a press landed on.
#[derive(Clone, Debug, PartialEq)]
pub enum Hit {
    /// A handle of object `target` (a zone's, building's or element's id).
    Handle {
        /// Which handle.
        kind: HandleKind,
        /// The object's id.
        target: String,
    },
    /// An element.
    Element(ElementId),
    /// A zone.
    Zone(ZoneId),
    /// A building around the plot.
    Building(BuildingId),
    /// The ground: the plot or the space around it.
    Ground,
}

/// A pointer at one moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pointer {
    /// The pointer's id (one per finger).
    pub id: i32,
    /// Screen position, CSS px.
    pub screen: (f64, f64),
    /// Shift held (resizes keep proportions).
    pub shift: bool,
}

/// What a gesture needs to know besides the pointer.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The committed layout (gestures start from it and edit it).
    pub base: &'a Layout,
    /// The active tool.
    pub tool: &'a Tool,
    /// Grid step, m (0 = off).
    pub grid: f64,
    /// The view and how it is drawn on the screen.
    pub mapping: Mapping,
    /// The catalogue (element footprints).
    pub catalogue: &'a Catalogue,
}

impl Ctx<'_> {
    fn world(&self, p: &Pointer) -> Coord<f64> {
        self.mapping.to_world(p.screen.0, p.screen.1)
    }

    /// `p` snapped to a corner within 10 px, else onto an edge, else to the grid.
    pub fn snap(&self, p: Coord<f64>, skip: Option<&str>) -> Coord<f64> {
        let options = SnapOptions {
            tolerance_m: SNAP_PX * self.mapping.m_per_px(),
            grid_m: self.grid,
            skip_zone: skip,
        };
        snap(self.base, p, options).0
    }

    /// A length snapped to the grid (unchanged with the grid off).
    pub fn snap_len(&self, d: f64) -> f64 {
        if self.grid > 0.0 {
            (d / self.grid).round() * self.grid
        } else {
            d
        }
    }
}

/// What the canvas must do after an event.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Show the layout as if this edit were made.
    Preview(Edit),
    /// Show the committed layout again.
    CancelPreview,
    /// Make this edit (one undo step).
    Commit(Edit),
    /// Select an object, or nothing.
    Select(Option<ObjectRef>),
    /// Go back to the select tool.
    ToolDone,
    /// Show another part of the plan.
    View(ViewBox),
    /// Start a new draft on this plot boundary.
    NewPlot(Outline),
    /// The shape drawn is not valid (the reason, from plan).
    Invalid(String),
    /// The shape being drawn changed: draw again.
    Redraw,
}

/// A gesture in progress.
#[derive(Clone, Debug, Default, PartialEq)]
enum Gesture {
    #[default]
    None,
    Pan {
        start: (f64, f64),
        view: ViewBox,
    },
    Pinch {
        dist: f64,
    },
    MoveElement {
        start: Coord<f64>,
        orig: Element,
    },
    MoveShape {
        start: Coord<f64>,
        orig: Shape,
    },
    RotateElement {
        orig: Element,
    },
    /// Turning a zone or building about its centroid by `angle` degrees (counter-clockwise).
    RotateShape {
        orig: Shape,
        angle: f64,
    },
    /// Dragging side or corner `(hx, hy)` of a shape's bounding box; `grab` is the pointer's
    /// offset from that point when the drag began.
    ResizeShape {
        orig: Shape,
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
        orig: Shape,
        poly: usize,
        vertex: usize,
    },
    Rect {
        start: Coord<f64>,
    },
}

/// A corner of a zone or building picked up by a tap, to put down by the next tap.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    /// The zone or building.
    pub of: ObjectRef,
    /// The polygon's index in its outline.
    pub poly: usize,
    /// The corner's index.
    pub vertex: usize,
}

/// The gestures on one drawing: the one in progress, the fingers down, and what is being
/// drawn (corners so far, the rectangle, a picked-up corner).
#[derive(Clone, Debug, Default)]
pub struct Gestures {
    gesture: Gesture,
    pointers: Vec<(i32, (f64, f64))>,
    /// Where the first pointer went down (a tap moves less than [`TAP_PX`] from it).
    down_at: Option<(f64, f64)>,
    /// Whether the pointer has left [`TAP_PX`] around `down_at`.
    dragged: bool,
    last_edit: Option<Edit>,
    /// Corners placed so far with the polygon and boundary tools.
    pub points: Vec<Coord<f64>>,
    /// The snapped pointer while drawing (the next corner, or the rectangle's other corner).
    pub hover: Option<Coord<f64>>,
    /// The rectangle tool's first corner, set by a tap (the next tap finishes it).
    pub anchor: Option<Coord<f64>>,
    /// The rectangle being dragged out.
    pub rect: Option<(Coord<f64>, Coord<f64>)>,
    /// A zone's or building's corner picked up by a tap.
    pub picked: Option<Picked>,
}

impl Gestures {
    fn current(&self) -> &Gesture {
        &self.gesture
    }

    fn set(&mut self, g: Gesture) {
        self.gesture = g;
    }

    fn take(&mut self) -> Gesture {
        std::mem::take(&mut self.gesture)
    }

    /// The object being dragged (drawn on top from the preview), if any.
    pub fn dragged(&self) -> Option<ObjectRef> {
        match self.current() {
            Gesture::MoveElement { orig, .. }
            | Gesture::RotateElement { orig }
            | Gesture::ResizeElement { orig, .. } => Some(ObjectRef::Element(orig.id.clone())),
            Gesture::MoveShape { orig, .. }
            | Gesture::Vertex { orig, .. }
            | Gesture::RotateShape { orig, .. }
            | Gesture::ResizeShape { orig, .. } => Some(orig.of.clone()),
            _ => None,
        }
    }

    /// The shape being turned as committed and the angle so far (its handles follow it).
    pub fn turning(&self) -> Option<(&Shape, f64)> {
        match self.current() {
            Gesture::RotateShape { orig, angle } => Some((orig, *angle)),
            _ => None,
        }
    }

    /// Drops what is being drawn (a new tool, Escape, Cancel).
    pub fn reset_drawing(&mut self) {
        self.points.clear();
        self.hover = None;
        self.anchor = None;
        self.rect = None;
        self.picked = None;
    }

    /// A pointer went down on `hit`.
    pub fn down(&mut self, p: Pointer, hit: Hit, ctx: &Ctx<'_>) -> Vec<Effect> {
        self.pointers.retain(|(id, _)| *id != p.id);
        self.pointers.push((p.id, p.screen));
        if self.pointers.len() == 2 {
            // A second finger: pinch zoom replaces whatever the first one started.
            self.set(Gesture::Pinch {
                dist: self.pointer_distance(),
            });
            self.last_edit = None;
            return vec![Effect::CancelPreview];
        }
        if self.pointers.len() > 2 {
            return vec![];
        }
        self.down_at = Some(p.screen);
        self.dragged = false;
        let at = ctx.world(&p);
        match ctx.tool {
            Tool::Select => self.press_select(p, at, hit, ctx),
            Tool::Rect(_) => {
                let q = ctx.snap(at, None);
                if let Some(a) = self.anchor.take() {
                    self.hover = None;
                    return finish_rect(a, q, ctx);
                }
                self.set(Gesture::Rect { start: q });
                vec![]
            }
            Tool::Polygon(_) | Tool::Boundary => self.press_corner(at, ctx),
            Tool::Place(kind) => {
                let q = ctx.snap(at, None);
                let id = ElementId(ctx.base.fresh_id(&kind.replace('_', "-")));
                vec![
                    Effect::Commit(Edit::AddElement {
                        element: Element::new(id.clone(), kind.clone(), q),
                        index: None,
                    }),
                    Effect::Select(Some(ObjectRef::Element(id))),
                    Effect::ToolDone,
                ]
            }
        }
    }

    fn press_select(&mut self, p: Pointer, at: Coord<f64>, hit: Hit, ctx: &Ctx<'_>) -> Vec<Effect> {
        // A corner picked up by a tap goes down where the next press is, whatever lies there
        // (the preview follows the pointer, so its own handle is under it).
        if let Some(pick) = self.picked.take() {
            self.hover = None;
            return match moved_vertex(ctx, &pick, at) {
                Some(edit) => vec![Effect::Commit(edit), Effect::Redraw],
                None => vec![Effect::CancelPreview, Effect::Redraw],
            };
        }
        match hit {
            Hit::Handle { kind, target } => {
                if let Some(g) = handle_gesture(kind, &target, ctx, at) {
                    self.set(g);
                }
                vec![]
            }
            Hit::Element(id) => match ctx.base.element(&id) {
                Some(e) => {
                    self.set(Gesture::MoveElement {
                        start: at,
                        orig: e.clone(),
                    });
                    vec![Effect::Select(Some(ObjectRef::Element(id)))]
                }
                None => vec![],
            },
            Hit::Zone(_) | Hit::Building(_) => {
                let of = match hit {
                    Hit::Zone(id) => ObjectRef::Zone(id),
                    Hit::Building(id) => ObjectRef::Building(id),
                    _ => return vec![],
                };
                match Shape::of(ctx.base, &of) {
                    Some(orig) => {
                        self.set(Gesture::MoveShape { start: at, orig });
                        vec![Effect::Select(Some(of))]
                    }
                    None => vec![],
                }
            }
            Hit::Ground => {
                self.set(Gesture::Pan {
                    start: p.screen,
                    view: ctx.mapping.view,
                });
                vec![Effect::Select(None)]
            }
        }
    }

    /// A corner of a polygon or boundary being drawn; a tap on the first corner closes it.
    fn press_corner(&mut self, at: Coord<f64>, ctx: &Ctx<'_>) -> Vec<Effect> {
        let q = ctx.snap(at, None);
        let close = self.points.len() >= 3 && {
            let f = self.points[0];
            (f.x - q.x).hypot(f.y - q.y) <= CLOSE_PX * ctx.mapping.m_per_px()
        };
        if close {
            return self.finish_shape(ctx);
        }
        if self.points.last() != Some(&q) {
            self.points.push(q);
        }
        vec![Effect::Redraw]
    }

    /// Closes the polygon or boundary drawn so far (the Finish button, a double tap, Enter).
    pub fn finish_shape(&mut self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let pts = std::mem::take(&mut self.points);
        self.hover = None;
        if pts.len() < 3 {
            return vec![Effect::Redraw];
        }
        let mut ring = pts.clone();
        ring.push(pts[0]);
        let poly = geo::Polygon::new(geo::LineString::new(ring), vec![]);
        let outline = match Outline::from_polygon(poly) {
            Ok(o) => o,
            Err(e) => return vec![Effect::Redraw, Effect::Invalid(e.to_string())],
        };
        match ctx.tool {
            Tool::Polygon(draw) => {
                let mut out = add_shape(*draw, outline, ctx);
                out.push(Effect::Redraw);
                out
            }
            Tool::Boundary => vec![Effect::NewPlot(outline), Effect::ToolDone, Effect::Redraw],
            _ => vec![Effect::Redraw],
        }
    }

    /// A pointer moved.
    pub fn moved(&mut self, p: Pointer, ctx: &Ctx<'_>) -> Vec<Effect> {
        if let Some(slot) = self.pointers.iter_mut().find(|(id, _)| *id == p.id) {
            slot.1 = p.screen;
        }
        if let Some(d) = self.down_at
            && (p.screen.0 - d.0).hypot(p.screen.1 - d.1) > TAP_PX
        {
            self.dragged = true;
        }
        let at = ctx.world(&p);
        match self.current().clone() {
            Gesture::None => self.hover(at, ctx),
            Gesture::Pan { start, view } => vec![Effect::View(view.panned(
                p.screen.0 - start.0,
                p.screen.1 - start.1,
                ctx.mapping.scale,
            ))],
            Gesture::Pinch { dist } => self.pinch(dist, ctx),
            Gesture::Rect { start } => {
                self.rect = Some((start, ctx.snap(at, None)));
                vec![Effect::Redraw]
            }
            // A pointer that has not left the tap circle moves nothing (a tap selects).
            _ if !self.dragged => vec![],
            g => {
                let (edit, g) = drag_edit(g, at, p.shift, ctx);
                self.set(g);
                self.last_edit = edit.clone();
                vec![edit.map_or(Effect::CancelPreview, Effect::Preview)]
            }
        }
    }

    /// The pointer moving with no button down: where the next corner would go.
    fn hover(&mut self, at: Coord<f64>, ctx: &Ctx<'_>) -> Vec<Effect> {
        match ctx.tool {
            Tool::Polygon(_) | Tool::Boundary => {
                self.hover = Some(ctx.snap(at, None));
                vec![Effect::Redraw]
            }
            Tool::Rect(_) if self.anchor.is_some() => {
                self.hover = Some(ctx.snap(at, None));
                vec![Effect::Redraw]
            }
            Tool::Select => match &self.picked {
                Some(pick) => match moved_vertex(ctx, pick, at) {
                    Some(edit) => vec![Effect::Preview(edit)],
                    None => vec![],
                },
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn pinch(&mut self, dist: f64, ctx: &Ctx<'_>) -> Vec<Effect> {
        if self.pointers.len() < 2 {
            return vec![];
        }
        let d = self.pointer_distance();
        if d <= 0.0 || dist <= 0.0 {
            return vec![];
        }
        let (a, b) = (self.pointers[0].1, self.pointers[1].1);
        let mid = ctx.mapping.to_world((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        self.set(Gesture::Pinch { dist: d });
        vec![Effect::View(ctx.mapping.view.zoom_at(mid, dist / d))]
    }

    /// A pointer went up.
    pub fn up(&mut self, p: Pointer, ctx: &Ctx<'_>) -> Vec<Effect> {
        self.pointers.retain(|(id, _)| *id != p.id);
        let tap = !self.dragged;
        let gesture = self.take();
        let last = self.last_edit.take();
        match gesture {
            Gesture::Vertex { orig, poly, vertex } if tap => {
                self.picked = Some(Picked {
                    of: orig.of,
                    poly,
                    vertex,
                });
                vec![Effect::CancelPreview, Effect::Redraw]
            }
            Gesture::MoveElement { .. }
            | Gesture::MoveShape { .. }
            | Gesture::RotateElement { .. }
            | Gesture::RotateShape { .. }
            | Gesture::ResizeShape { .. }
            | Gesture::ResizeElement { .. }
            | Gesture::Vertex { .. } => match last {
                Some(edit) => vec![Effect::Commit(edit)],
                None => vec![Effect::CancelPreview],
            },
            Gesture::Rect { start } => {
                self.rect = None;
                if tap {
                    // A tap sets the first corner; the next tap sets the other one.
                    self.anchor = Some(start);
                    self.hover = Some(start);
                    return vec![Effect::Redraw];
                }
                let mut out = finish_rect(start, ctx.snap(ctx.world(&p), None), ctx);
                out.push(Effect::Redraw);
                out
            }
            _ => vec![],
        }
    }

    /// The browser took the pointer away (a scroll, a system gesture).
    pub fn cancel(&mut self, id: i32) -> Vec<Effect> {
        self.pointers.retain(|(p, _)| *p != id);
        self.take();
        self.last_edit = None;
        self.rect = None;
        vec![Effect::CancelPreview, Effect::Redraw]
    }

    fn pointer_distance(&self) -> f64 {
        match self.pointers.as_slice() {
            [a, b, ..] => (a.1.0 - b.1.0).hypot(a.1.1 - b.1.1),
            _ => 0.0,
        }
    }
}

/// The zone or building drawn by the rectangle tool between corners `a` and `b`, if it is
/// at least 0.1 m each way.
fn finish_rect(a: Coord<f64>, b: Coord<f64>, ctx: &Ctx<'_>) -> Vec<Effect> {
    let min = Coord {
        x: a.x.min(b.x),
        y: a.y.min(b.y),
    };
    let max = Coord {
        x: a.x.max(b.x),
        y: a.y.max(b.y),
    };
    if max.x - min.x < MIN_SIZE_M || max.y - min.y < MIN_SIZE_M {
        return vec![Effect::Redraw];
    }
    let (Tool::Rect(draw), Ok(outline)) = (ctx.tool, Outline::rect(min, max)) else {
        return vec![Effect::Redraw];
    };
    let mut out = add_shape(*draw, outline, ctx);
    out.push(Effect::Redraw);
    out
}

/// Adds the zone or building drawn (a building starts [`NEW_BUILDING_HEIGHT_M`] high) and
/// selects it.
fn add_shape(draw: Draw, outline: Outline, ctx: &Ctx<'_>) -> Vec<Effect> {
    let fresh = |key: &str| ctx.base.fresh_id(&key.replace('_', "-"));
    let (edit, of) = match draw {
        Draw::Zone(kind) => {
            let id = ZoneId(fresh(kind.key()));
            (
                Edit::AddZone {
                    zone: Zone::new(id.clone(), kind, outline),
                    index: None,
                },
                ObjectRef::Zone(id),
            )
        }
        Draw::Building => {
            let id = BuildingId(fresh("building"));
            (
                Edit::AddBuilding {
                    building: Building::new(id.clone(), outline, NEW_BUILDING_HEIGHT_M),
                    index: None,
                },
                ObjectRef::Building(id),
            )
        }
    };
    vec![
        Effect::Commit(edit),
        Effect::Select(Some(of)),
        Effect::ToolDone,
    ]
}

/// The reshape that puts a picked-up corner at `at` (snapped), if the outline stays valid.
fn moved_vertex(ctx: &Ctx<'_>, pick: &Picked, at: Coord<f64>) -> Option<Edit> {
    let shape = Shape::of(ctx.base, &pick.of)?;
    let q = ctx.snap(at, Some(shape.id()));
    vertex_edit(&shape, pick.poly, pick.vertex, q)
}

/// The reshape that puts corner `vertex` of polygon `poly` of `shape` at `q`.
fn vertex_edit(shape: &Shape, poly: usize, vertex: usize, q: Coord<f64>) -> Option<Edit> {
    let mut mp = shape.outline.multi_polygon().clone();
    let pg = mp.0.get_mut(poly)?;
    let mut ok = false;
    pg.exterior_mut(|ring| {
        let n = ring.0.len();
        if vertex + 1 < n {
            ring.0[vertex] = q;
            // The closing coordinate repeats the first.
            if vertex == 0 {
                ring.0[n - 1] = q;
            }
            ok = true;
        }
    });
    if !ok {
        return None;
    }
    Outline::new(mp).ok().map(|outline| shape.reshape(outline))
}

/// The gesture a press on handle `kind` of object `id` starts.
fn handle_gesture(kind: HandleKind, id: &str, ctx: &Ctx<'_>, p: Coord<f64>) -> Option<Gesture> {
    let shape = Shape::by_id(ctx.base, id);
    let element = ctx.base.element(&ElementId(id.to_owned()));
    match kind {
        HandleKind::Rotate => match (element, shape) {
            (Some(e), _) => Some(Gesture::RotateElement { orig: e.clone() }),
            (None, Some(orig)) => Some(Gesture::RotateShape { orig, angle: 0.0 }),
            _ => None,
        },
        HandleKind::Vertex { poly, vertex } => Some(Gesture::Vertex {
            orig: shape?,
            poly,
            vertex,
        }),
        HandleKind::Resize { hx, hy } => {
            if let Some(orig) = shape {
                let r = orig.outline.bounding_rect();
                let at = Coord {
                    x: side(hx, r.min().x, r.max().x),
                    y: side(hy, r.min().y, r.max().y),
                };
                return Some(Gesture::ResizeShape {
                    orig,
                    hx,
                    hy,
                    grab: p - at,
                });
            }
            let e = element?;
            let (w, d) = resizable_size(e, ctx.catalogue)?;
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
    }
}

/// The edit a drag of `g` to plan point `p` makes (if any), and the gesture to carry on.
fn drag_edit(g: Gesture, p: Coord<f64>, shift: bool, ctx: &Ctx<'_>) -> (Option<Edit>, Gesture) {
    let edit = match &g {
        Gesture::MoveElement { start, orig } => Some(Edit::Place {
            element: orig.id.clone(),
            position: ctx.snap(orig.position + (p - *start), None),
            rotation_deg: orig.rotation_deg,
            size: orig.size,
        }),
        Gesture::MoveShape { start, orig } => Some(Edit::Move {
            target: orig.target(),
            dx: ctx.snap_len(p.x - start.x),
            dy: ctx.snap_len(p.y - start.y),
        }),
        Gesture::RotateElement { orig } => Some(Edit::Place {
            element: orig.id.clone(),
            position: orig.position,
            // The handle points along the element's own +y axis.
            rotation_deg: pointer_angle(orig.position, p, ctx.grid > 0.0).rem_euclid(360.0),
            size: orig.size,
        }),
        Gesture::RotateShape { orig, .. } => {
            // The handle starts north of the centroid, so its angle is the turn.
            let angle = pointer_angle(orig.outline.centroid(), p, ctx.grid > 0.0);
            let edit = (angle.rem_euclid(360.0) != 0.0).then(|| Edit::Rotate {
                target: orig.target(),
                angle_deg: angle,
            });
            let g = Gesture::RotateShape {
                orig: orig.clone(),
                angle,
            };
            return (edit, g);
        }
        Gesture::ResizeShape { orig, hx, hy, grab } => {
            resize_shape(orig, *hx, *hy, ctx.snap(p - *grab, Some(orig.id())), shift)
        }
        Gesture::ResizeElement {
            orig,
            w,
            d,
            hx,
            hy,
            grab,
        } => Some(resize_element(
            orig,
            (*w, *d),
            (*hx, *hy),
            p - *grab,
            shift,
            ctx,
        )),
        Gesture::Vertex { orig, poly, vertex } => {
            vertex_edit(orig, *poly, *vertex, ctx.snap(p, Some(orig.id())))
        }
        _ => None,
    };
    (edit, g)
}

/// Side or corner `(hx, hy)` of `shape`'s bounding box dragged to `q`: the opposite side
/// stays put; an edge handle keeps the other axis (or, with Shift, scales it about the
/// middle line to keep proportions); never below [`MIN_SIZE_M`], never flipped.
pub fn resize_shape(shape: &Shape, hx: f64, hy: f64, q: Coord<f64>, shift: bool) -> Option<Edit> {
    let r = shape.outline.bounding_rect();
    let (lo, hi) = (r.min(), r.max());
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
    if shift {
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
    let outline = shape
        .outline
        .map_coords(move |c| Coord {
            x: ax + (c.x - ax) * sx,
            y: ay + (c.y - ay) * sy,
        })
        .ok()?;
    Some(shape.reshape(outline))
}

/// Corner `(hx, hy)` of element `e`'s `w` × `d` footprint box dragged to `q`, in the
/// element's own frame: the opposite corner stays put. Square to the plan, the corner snaps
/// like any point; turned, the sizes snap to the grid.
fn resize_element(
    e: &Element,
    (w, d): (f64, f64),
    (hx, hy): (f64, f64),
    q: Coord<f64>,
    shift: bool,
    ctx: &Ctx<'_>,
) -> Edit {
    let (c, deg) = (e.position, e.rotation_deg);
    let square = (deg / 90.0 - (deg / 90.0).round()).abs() < 1e-9;
    let q = if square { ctx.snap(q, None) } else { q };
    let l = turn(q - c, -deg);
    let a = Coord {
        x: -hx * w / 2.0,
        y: -hy * d / 2.0,
    };
    let len = |v: f64| {
        if square {
            v.max(MIN_SIZE_M)
        } else {
            ctx.snap_len(v).max(MIN_SIZE_M)
        }
    };
    let (mut nw, mut nd) = (len((l.x - a.x) * hx), len((l.y - a.y) * hy));
    if shift {
        let s = (nw / w).max(nd / d);
        (nw, nd) = (w * s, d * s);
    }
    let mid = Coord {
        x: a.x + hx * nw / 2.0,
        y: a.y + hy * nd / 2.0,
    };
    Edit::Place {
        element: e.id.clone(),
        position: c + turn(mid, deg),
        rotation_deg: deg,
        size: Some(Size {
            width_m: nw,
            depth_m: nd,
        }),
    }
}

/// `lo`, `hi` or the middle, for a direction `h` of −1, 1 or 0.
pub fn side(h: f64, lo: f64, hi: f64) -> f64 {
    if h > 0.0 {
        hi
    } else if h < 0.0 {
        lo
    } else {
        (lo + hi) / 2.0
    }
}

/// `v` turned counter-clockwise by `deg`.
pub fn turn(v: Coord<f64>, deg: f64) -> Coord<f64> {
    let (sn, cs) = deg.to_radians().sin_cos();
    Coord {
        x: v.x * cs - v.y * sn,
        y: v.x * sn + v.y * cs,
    }
}

/// The turn, degrees counter-clockwise from north, of `p` seen from `c`: in 15° steps with a
/// grid, 1° without.
pub fn pointer_angle(c: Coord<f64>, p: Coord<f64>, grid_on: bool) -> f64 {
    let raw = (p.y - c.y).atan2(p.x - c.x).to_degrees() - 90.0;
    let step = if grid_on { 15.0 } else { 1.0 };
    (raw / step).round() * step
}

/// The footprint box (width, depth) of an element that handles may resize: one with a
/// rectangular catalogue footprint, sized by its own size or else the catalogue's. Round
/// footprints (one diameter) and unknown kinds get no resize handles.
pub fn resizable_size(e: &Element, cat: &Catalogue) -> Option<(f64, f64)> {
    match cat.item(&e.kind)?.footprint {
        Footprint::Rect { .. } => cat.size_of(e).map(|s| (s.width_m, s.depth_m)),
        Footprint::Circle { .. } => None,
    }
}

/// A handle to draw: what it is, whose, where (plan point) and the radius of its mark, px.
#[derive(Clone, Debug, PartialEq)]
pub struct HandleSpot {
    /// Which handle.
    pub kind: HandleKind,
    /// The object's id.
    pub target: String,
    /// Its centre.
    pub at: Coord<f64>,
    /// The visible mark's radius, CSS px.
    pub r_px: f64,
}

/// The turning handle's stalk: its foot (the centre) and its tip (the handle).
pub type Stalk = (Coord<f64>, Coord<f64>);

/// The handles of the selection, sized in screen pixels (`px`: metres per pixel): resize
/// (zone or building: corners and sides of its bounding box; element: corners of its
/// footprint box in its own frame), corners of a zone or building, and a turning handle on a
/// stalk beyond the +y side (returned as the stalk's foot and tip). A shape being turned
/// shows its stalk at the angle so far and no resize handles.
pub fn handles(
    layout: &Layout,
    selected: Option<&ObjectRef>,
    turning: Option<(&Shape, f64)>,
    cat: &Catalogue,
    px: f64,
) -> (Vec<HandleSpot>, Option<Stalk>) {
    let mut out = vec![];
    let spot = |kind, target: &str, at, r_px| HandleSpot {
        kind,
        target: target.to_owned(),
        at,
        r_px,
    };
    match selected {
        Some(of @ (ObjectRef::Zone(_) | ObjectRef::Building(_))) => {
            let Some(z) = Shape::of(layout, of) else {
                return (out, None);
            };
            let id = z.id();
            let turning = turning.filter(|(orig, _)| orig.of == z.of);
            if turning.is_none() {
                let r = z.outline.bounding_rect();
                let o = RESIZE_OUT_PX * px;
                for (_, hx, hy) in RESIZE_DIRS {
                    let at = Coord {
                        x: side(hx, r.min().x - o, r.max().x + o),
                        y: side(hy, r.min().y - o, r.max().y + o),
                    };
                    out.push(spot(HandleKind::Resize { hx, hy }, id, at, 6.0));
                }
            }
            for (poly, pg) in z.outline.multi_polygon().iter().enumerate() {
                let ring = &pg.exterior().0;
                for (vertex, c) in ring[..ring.len().saturating_sub(1)].iter().enumerate() {
                    out.push(spot(HandleKind::Vertex { poly, vertex }, id, *c, 8.0));
                }
            }
            // Turning: from the committed shape, by the angle dragged so far.
            let (orig, angle) = turning.unwrap_or((&z, 0.0));
            let c = orig.outline.centroid();
            let reach = orig.outline.bounding_rect().max().y - c.y + ROTATE_OUT_PX * px;
            let tip = c + turn(Coord { x: 0.0, y: reach }, angle);
            out.push(spot(HandleKind::Rotate, id, tip, 10.0));
            (out, Some((c, tip)))
        }
        Some(ObjectRef::Element(id)) => {
            let Some(e) = layout.element(id) else {
                return (out, None);
            };
            if let Some((w, d)) = resizable_size(e, cat) {
                let o = RESIZE_OUT_PX * px;
                for (_, hx, hy) in &RESIZE_DIRS[..4] {
                    let local = Coord {
                        x: hx * (w / 2.0 + o),
                        y: hy * (d / 2.0 + o),
                    };
                    let at = e.position + turn(local, e.rotation_deg);
                    out.push(spot(
                        HandleKind::Resize { hx: *hx, hy: *hy },
                        &e.id.0,
                        at,
                        6.0,
                    ));
                }
            }
            let d = cat.size_of(e).map_or(0.5, |s| s.depth_m);
            let reach = d / 2.0 + ROTATE_OUT_PX * px;
            let tip = e.position + turn(Coord { x: 0.0, y: reach }, e.rotation_deg);
            out.push(spot(HandleKind::Rotate, &e.id.0, tip, 10.0));
            (out, Some((e.position, tip)))
        }
        None => (out, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Screen;
    use plotwise_plan::{Plot, ZoneKind};

    /// A 10 × 10 m plot seen at 40 px per metre, the plot's south-west corner at screen
    /// (100, 500), north up.
    fn plot() -> Layout {
        let o = Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 10.0 }).unwrap();
        Layout::new(Plot::new("plot", o))
    }

    fn mapping() -> Mapping {
        let view = ViewBox {
            x: 0.0,
            y: -10.0,
            w: 10.0,
            h: 10.0,
        };
        view.mapping(Screen {
            left: 100.0,
            top: 100.0,
            width: 400.0,
            height: 400.0,
        })
    }

    /// The screen point of plan point (x, y).
    fn at(x: f64, y: f64) -> (f64, f64) {
        mapping().to_screen(Coord { x, y })
    }

    fn ptr(x: f64, y: f64) -> Pointer {
        Pointer {
            id: 1,
            screen: at(x, y),
            shift: false,
        }
    }

    struct Rig {
        layout: Layout,
        tool: Tool,
        grid: f64,
        cat: Catalogue,
        g: Gestures,
    }

    impl Rig {
        fn new(layout: Layout, tool: Tool) -> Rig {
            Rig {
                layout,
                tool,
                grid: 0.5,
                cat: Catalogue::builtin(),
                g: Gestures::default(),
            }
        }
        fn finish(&mut self) -> Vec<Effect> {
            let ctx = Ctx {
                base: &self.layout,
                tool: &self.tool,
                grid: self.grid,
                mapping: mapping(),
                catalogue: &self.cat,
            };
            self.g.finish_shape(&ctx)
        }
        fn down(&mut self, p: Pointer, hit: Hit) -> Vec<Effect> {
            let ctx = Ctx {
                base: &self.layout,
                tool: &self.tool,
                grid: self.grid,
                mapping: mapping(),
                catalogue: &self.cat,
            };
            self.g.down(p, hit, &ctx)
        }
        fn moved(&mut self, p: Pointer) -> Vec<Effect> {
            let ctx = Ctx {
                base: &self.layout,
                tool: &self.tool,
                grid: self.grid,
                mapping: mapping(),
                catalogue: &self.cat,
            };
            self.g.moved(p, &ctx)
        }
        fn up(&mut self, p: Pointer) -> Vec<Effect> {
            let ctx = Ctx {
                base: &self.layout,
                tool: &self.tool,
                grid: self.grid,
                mapping: mapping(),
                catalogue: &self.cat,
            };
            self.g.up(p, &ctx)
        }
        /// Applies every committed edit to the layout (as the editor's state would).
        fn commit(&mut self, effects: &[Effect]) -> usize {
            let mut n = 0;
            for e in effects {
                if let Effect::Commit(edit) = e {
                    self.layout.apply(edit.clone()).expect("a valid edit");
                    n += 1;
                }
            }
            n
        }
        /// A drag from plan point a to b in five steps; returns the release's effects.
        fn drag(&mut self, hit: Hit, a: (f64, f64), b: (f64, f64)) -> Vec<Effect> {
            self.down(ptr(a.0, a.1), hit);
            for i in 1..=5 {
                let f = f64::from(i) / 5.0;
                self.moved(ptr(a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f));
            }
            self.up(ptr(b.0, b.1))
        }
    }

    fn zone_bounds(l: &Layout, id: &str) -> (f64, f64, f64, f64) {
        let r = l.zone(&ZoneId(id.into())).unwrap().outline.bounding_rect();
        (r.min().x, r.min().y, r.max().x, r.max().y)
    }

    fn close4(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9
            && (a.1 - b.1).abs() < 1e-9
            && (a.2 - b.2).abs() < 1e-9
            && (a.3 - b.3).abs() < 1e-9
    }

    fn with_lawn() -> Layout {
        let mut l = plot();
        let o = Outline::rect(Coord { x: 2.0, y: 6.0 }, Coord { x: 5.0, y: 8.0 }).unwrap();
        l.apply(Edit::AddZone {
            zone: Zone::new(ZoneId("lawn-1".into()), ZoneKind::Lawn, o),
            index: None,
        })
        .unwrap();
        l
    }

    #[test]
    fn a_rectangle_dragged_out_is_one_zone_on_the_grid() {
        let mut r = Rig::new(plot(), Tool::Rect(Draw::Zone(ZoneKind::Seating)));
        let out = r.drag(Hit::Ground, (2.1, 2.2), (5.9, 4.1));
        assert_eq!(r.commit(&out), 1, "one edit: {out:?}");
        assert!(out.contains(&Effect::ToolDone));
        assert!(close4(
            zone_bounds(&r.layout, "seating-1"),
            (2.0, 2.0, 6.0, 4.0)
        ));
    }

    #[test]
    fn a_rectangle_by_two_taps_without_dragging() {
        let mut r = Rig::new(plot(), Tool::Rect(Draw::Zone(ZoneKind::Lawn)));
        r.down(ptr(1.0, 1.0), Hit::Ground);
        assert_eq!(r.up(ptr(1.0, 1.0)), vec![Effect::Redraw]);
        assert_eq!(r.g.anchor, Some(Coord { x: 1.0, y: 1.0 }));
        // The pointer hovering shows the other corner; nothing is made yet.
        r.moved(ptr(3.0, 2.0));
        assert_eq!(r.g.hover, Some(Coord { x: 3.0, y: 2.0 }));
        assert!(r.layout.zones.is_empty());
        let out = r.down(ptr(4.0, 3.0), Hit::Ground);
        r.up(ptr(4.0, 3.0));
        assert_eq!(r.commit(&out), 1);
        assert!(close4(
            zone_bounds(&r.layout, "lawn-1"),
            (1.0, 1.0, 4.0, 3.0)
        ));
        assert_eq!(r.g.anchor, None);
    }

    #[test]
    fn a_polygon_by_taps_closes_on_its_first_corner() {
        let mut r = Rig::new(plot(), Tool::Polygon(Draw::Zone(ZoneKind::Path)));
        for (x, y) in [(1.0, 8.0), (3.0, 8.0), (3.0, 8.6)] {
            r.down(ptr(x, y), Hit::Ground);
            r.up(ptr(x, y));
        }
        assert_eq!(r.g.points.len(), 3);
        let out = r.down(ptr(1.0, 8.0), Hit::Ground);
        assert_eq!(r.commit(&out), 1);
        assert!(r.g.points.is_empty());
        assert!(out.contains(&Effect::Select(Some(ObjectRef::Zone(ZoneId(
            "path-1".into()
        ))))));
    }

    #[test]
    fn a_crossed_polygon_is_refused_with_plans_reason() {
        let mut r = Rig::new(plot(), Tool::Polygon(Draw::Zone(ZoneKind::Path)));
        for (x, y) in [(1.0, 1.0), (4.0, 4.0), (4.0, 1.0), (1.0, 4.0)] {
            r.down(ptr(x, y), Hit::Ground);
            r.up(ptr(x, y));
        }
        let out = r.finish();
        assert!(
            out.iter().any(|e| matches!(e, Effect::Invalid(_))),
            "{out:?}"
        );
        assert!(!out.iter().any(|e| matches!(e, Effect::Commit(_))));
    }

    #[test]
    fn a_boundary_drawn_opens_a_new_plot() {
        let mut r = Rig::new(plot(), Tool::Boundary);
        for (x, y) in [(0.0, 0.0), (8.0, 0.0), (8.0, 6.0)] {
            r.down(ptr(x, y), Hit::Ground);
            r.up(ptr(x, y));
        }
        let out = r.finish();
        let Some(Effect::NewPlot(o)) = out.first() else {
            panic!("{out:?}")
        };
        assert!((o.area_m2() - 24.0).abs() < 1e-9);
    }

    #[test]
    fn dragging_a_zone_previews_then_commits_one_move_on_the_grid() {
        let mut r = Rig::new(with_lawn(), Tool::Select);
        let hit = Hit::Zone(ZoneId("lawn-1".into()));
        let first = r.down(ptr(3.0, 7.0), hit);
        assert_eq!(
            first,
            vec![Effect::Select(Some(ObjectRef::Zone(ZoneId(
                "lawn-1".into()
            ))))]
        );
        let mid = r.moved(ptr(4.2, 7.0));
        assert!(matches!(
            mid.as_slice(),
            [Effect::Preview(Edit::Move { .. })]
        ));
        assert_eq!(
            r.g.dragged(),
            Some(ObjectRef::Zone(ZoneId("lawn-1".into())))
        );
        let out = r.up(ptr(4.2, 7.0));
        assert_eq!(r.commit(&out), 1);
        // 1.2 m east snaps to 1 m on the 0.5 m grid.
        assert!(close4(
            zone_bounds(&r.layout, "lawn-1"),
            (3.0, 6.0, 6.0, 8.0)
        ));
        assert_eq!(r.g.dragged(), None);
    }

    #[test]
    fn a_tap_on_a_zone_selects_it_and_moves_nothing() {
        let mut r = Rig::new(with_lawn(), Tool::Select);
        r.down(ptr(3.0, 7.0), Hit::Zone(ZoneId("lawn-1".into())));
        assert!(r.moved(ptr(3.02, 7.02)).is_empty(), "within the tap circle");
        assert_eq!(r.up(ptr(3.02, 7.02)), vec![Effect::CancelPreview]);
    }

    #[test]
    fn resizing_a_zone_by_its_corner_keeps_the_opposite_corner() {
        let mut r = Rig::new(with_lawn(), Tool::Select);
        let ne = Hit::Handle {
            kind: HandleKind::Resize { hx: 1.0, hy: 1.0 },
            target: "lawn-1".into(),
        };
        // The handle sits 16 px (0.4 m) outside the corner (5, 8).
        let out = r.drag(ne, (5.4, 8.4), (6.4, 9.4));
        assert_eq!(r.commit(&out), 1);
        assert!(close4(
            zone_bounds(&r.layout, "lawn-1"),
            (2.0, 6.0, 6.0, 9.0)
        ));
        // Past the opposite side: the smallest size, never flipped.
        let e = Hit::Handle {
            kind: HandleKind::Resize { hx: 1.0, hy: 0.0 },
            target: "lawn-1".into(),
        };
        let out = r.drag(e, (6.4, 7.5), (-3.0, 7.5));
        r.commit(&out);
        let b = zone_bounds(&r.layout, "lawn-1");
        assert!((b.2 - b.0 - MIN_SIZE_M).abs() < 1e-9, "{b:?}");
    }

    #[test]
    fn shift_keeps_a_zones_proportions() {
        let z = Shape::of(&with_lawn(), &ObjectRef::Zone(ZoneId("lawn-1".into()))).unwrap();
        let Some(Edit::Reshape { outline, .. }) =
            resize_shape(&z, 1.0, 0.0, Coord { x: 8.0, y: 7.0 }, true)
        else {
            panic!()
        };
        let r = outline.bounding_rect();
        // The east side from 5 to 8: 3 → 6 m wide doubles the depth too, about the middle
        // line (y = 7), while the west side stays.
        assert!((r.width() - 6.0).abs() < 1e-9 && (r.height() - 4.0).abs() < 1e-9);
        assert!((r.min().x - 2.0).abs() < 1e-9 && (r.min().y - 5.0).abs() < 1e-9);
    }

    #[test]
    fn turning_a_zone_by_its_handle_in_15_degree_steps() {
        let mut r = Rig::new(with_lawn(), Tool::Select);
        let hit = Hit::Handle {
            kind: HandleKind::Rotate,
            target: "lawn-1".into(),
        };
        // From north of the centroid (3.5, 7) round to the west: a quarter turn.
        r.down(ptr(3.5, 9.0), hit);
        r.moved(ptr(2.2, 8.3));
        assert!(r.g.turning().is_some());
        r.moved(ptr(1.5, 7.05));
        let out = r.up(ptr(1.5, 7.05));
        let [Effect::Commit(Edit::Rotate { angle_deg, .. })] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert_eq!(*angle_deg, 90.0);
    }

    #[test]
    fn a_corner_dragged_or_picked_up_and_put_down_by_taps() {
        let mut r = Rig::new(with_lawn(), Tool::Select);
        let corner = Hit::Handle {
            kind: HandleKind::Vertex { poly: 0, vertex: 0 },
            target: "lawn-1".into(),
        };
        let ring0 = |l: &Layout| {
            l.zone(&ZoneId("lawn-1".into()))
                .unwrap()
                .outline
                .multi_polygon()
                .0[0]
                .exterior()
                .0
                .clone()
        };
        let c0 = ring0(&r.layout)[0];
        // A tap picks it up (nothing changes)…
        r.down(ptr(c0.x, c0.y), corner.clone());
        let out = r.up(ptr(c0.x, c0.y));
        assert!(!out.iter().any(|e| matches!(e, Effect::Commit(_))));
        assert!(r.g.picked.is_some());
        // …the pointer shows where it would go…
        let hover = r.moved(ptr(c0.x - 1.0, c0.y - 1.0));
        assert!(matches!(
            hover.as_slice(),
            [Effect::Preview(Edit::Reshape { .. })]
        ));
        // …and the next tap puts it down there: one edit (the preview draws the corner's
        // handle under the pointer, so that is what the tap hits).
        let own = Hit::Handle {
            kind: HandleKind::Vertex { poly: 0, vertex: 0 },
            target: "lawn-1".into(),
        };
        let out = r.down(ptr(c0.x - 1.0, c0.y - 1.0), own);
        assert_eq!(r.commit(&out), 1);
        let ring = ring0(&r.layout);
        assert_eq!(
            ring[0],
            Coord {
                x: c0.x - 1.0,
                y: c0.y - 1.0
            }
        );
        assert_eq!(ring[0], *ring.last().unwrap(), "the ring stays closed");
        assert!(r.g.picked.is_none());
        // Dragged instead: the same edit by one gesture.
        let c = ring[0];
        let hit = Hit::Handle {
            kind: HandleKind::Vertex { poly: 0, vertex: 0 },
            target: "lawn-1".into(),
        };
        let out = r.drag(hit, (c.x, c.y), (c0.x, c0.y));
        assert_eq!(r.commit(&out), 1);
        assert_eq!(ring0(&r.layout)[0], c0);
    }

    #[test]
    fn placing_an_element_and_dragging_it() {
        let mut r = Rig::new(plot(), Tool::Place("bench".into()));
        let out = r.down(ptr(5.0, 5.0), Hit::Ground);
        assert_eq!(r.commit(&out), 1);
        r.tool = Tool::Select;
        let id = ElementId("bench-1".into());
        let out = r.drag(Hit::Element(id.clone()), (5.0, 5.0), (6.0, 5.5));
        assert_eq!(r.commit(&out), 1);
        assert_eq!(
            r.layout.element(&id).unwrap().position,
            Coord { x: 6.0, y: 5.5 }
        );
    }

    #[test]
    fn resizing_a_turned_bench_in_its_own_frame() {
        let mut l = plot();
        let mut bench = Element::new(
            ElementId("bench-1".into()),
            "bench",
            Coord { x: 5.0, y: 5.0 },
        );
        bench.rotation_deg = 90.0;
        l.apply(Edit::AddElement {
            element: bench,
            index: None,
        })
        .unwrap();
        let mut r = Rig::new(l, Tool::Select);
        // The catalogue's 1.8 × 0.6 m bench turned a quarter: its local north-east corner is
        // at (4.7, 5.9); dragged to (3.5, 6) the far corner (5.3, 4.1) stays.
        let hit = Hit::Handle {
            kind: HandleKind::Resize { hx: 1.0, hy: 1.0 },
            target: "bench-1".into(),
        };
        let out = r.drag(hit, (4.7, 5.9), (3.5, 6.0));
        r.commit(&out);
        let b = r.layout.element(&ElementId("bench-1".into())).unwrap();
        let s = b.size.unwrap();
        assert!(
            (s.width_m - 1.9).abs() < 1e-9 && (s.depth_m - 1.8).abs() < 1e-9,
            "{s:?}"
        );
        assert!((b.position.x - 4.4).abs() < 1e-9 && (b.position.y - 5.05).abs() < 1e-9);
    }

    #[test]
    fn dragging_the_ground_pans_and_two_fingers_zoom() {
        let mut r = Rig::new(plot(), Tool::Select);
        let down = r.down(ptr(5.0, 5.0), Hit::Ground);
        assert_eq!(down, vec![Effect::Select(None)]);
        let out = r.moved(ptr(6.0, 5.0));
        let [Effect::View(v)] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert!((v.x - -1.0).abs() < 1e-9 && (v.w - 10.0).abs() < 1e-9);
        // A second finger: pinching apart zooms in about the fingers.
        let two = r.down(
            Pointer {
                id: 2,
                screen: at(7.0, 5.0),
                shift: false,
            },
            Hit::Ground,
        );
        assert_eq!(two, vec![Effect::CancelPreview]);
        let out = r.moved(Pointer {
            id: 2,
            screen: at(8.0, 5.0),
            shift: false,
        });
        let [Effect::View(z)] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert!(z.w < 10.0, "zoomed in: {z:?}");
    }

    fn footprint(l: &Layout, id: &str) -> (f64, f64, f64, f64) {
        let r = l
            .building(&BuildingId(id.into()))
            .unwrap()
            .outline
            .bounding_rect();
        (r.min().x, r.min().y, r.max().x, r.max().y)
    }

    #[test]
    fn a_building_dragged_out_or_tapped_corner_to_corner_starts_18_m_high() {
        let mut r = Rig::new(plot(), Tool::Rect(Draw::Building));
        // South of the plot, outside it: buildings may lie around the plot.
        let out = r.drag(Hit::Ground, (1.0, -1.0), (6.0, -4.0));
        assert_eq!(r.commit(&out), 1, "{out:?}");
        assert!(
            out.contains(&Effect::Select(Some(ObjectRef::Building(BuildingId(
                "building-1".into()
            )))))
        );
        assert!(close4(
            footprint(&r.layout, "building-1"),
            (1.0, -4.0, 6.0, -1.0)
        ));
        assert_eq!(r.layout.plot.buildings[0].height_m, NEW_BUILDING_HEIGHT_M);
        // The two-tap way.
        r.tool = Tool::Rect(Draw::Building);
        r.down(ptr(7.0, -1.0), Hit::Ground);
        r.up(ptr(7.0, -1.0));
        let out = r.down(ptr(9.0, -3.0), Hit::Ground);
        r.up(ptr(9.0, -3.0));
        assert_eq!(r.commit(&out), 1);
        assert!(close4(
            footprint(&r.layout, "building-2"),
            (7.0, -3.0, 9.0, -1.0)
        ));
    }

    #[test]
    fn a_building_by_its_corners_then_moved_resized_and_reshaped() {
        let mut r = Rig::new(plot(), Tool::Polygon(Draw::Building));
        // An L-shaped block south-west of the plot.
        for (x, y) in [
            (0.0, -6.0),
            (4.0, -6.0),
            (4.0, -4.0),
            (2.0, -4.0),
            (2.0, -1.0),
            (0.0, -1.0),
        ] {
            r.down(ptr(x, y), Hit::Ground);
            r.up(ptr(x, y));
        }
        let out = r.finish();
        assert_eq!(r.commit(&out), 1, "{out:?}");
        let id = BuildingId("building-1".into());
        assert!((r.layout.building(&id).unwrap().outline.area_m2() - 14.0).abs() < 1e-9);
        r.tool = Tool::Select;
        // Dragged by its body: one Move of the building.
        let out = r.drag(Hit::Building(id.clone()), (1.0, -5.0), (2.0, -5.0));
        let [Effect::Commit(Edit::Move { target, dx, .. })] = out.as_slice() else {
            panic!("{out:?}")
        };
        assert_eq!((target, *dx), (&Target::Building(id.clone()), 1.0));
        r.commit(&out);
        assert!(close4(
            footprint(&r.layout, "building-1"),
            (1.0, -6.0, 5.0, -1.0)
        ));
        // Its north-east resize handle (0.4 m out): the south-west corner stays.
        let ne = Hit::Handle {
            kind: HandleKind::Resize { hx: 1.0, hy: 1.0 },
            target: "building-1".into(),
        };
        let out = r.drag(ne, (5.4, -0.6), (7.4, -0.6));
        assert!(matches!(
            out.as_slice(),
            [Effect::Commit(Edit::ReshapeBuilding { .. })]
        ));
        r.commit(&out);
        assert!(close4(
            footprint(&r.layout, "building-1"),
            (1.0, -6.0, 7.0, -1.0)
        ));
        // A corner picked up by a tap and put down by the next.
        let corner = Hit::Handle {
            kind: HandleKind::Vertex { poly: 0, vertex: 0 },
            target: "building-1".into(),
        };
        let c0 = r.layout.building(&id).unwrap().outline.multi_polygon().0[0]
            .exterior()
            .0[0];
        r.down(ptr(c0.x, c0.y), corner.clone());
        r.up(ptr(c0.x, c0.y));
        assert_eq!(
            r.g.picked.as_ref().map(|p| &p.of),
            Some(&ObjectRef::Building(id.clone()))
        );
        let out = r.down(ptr(c0.x, c0.y - 1.0), corner);
        assert_eq!(r.commit(&out), 1);
        let (handles_now, _) = handles(
            &r.layout,
            Some(&ObjectRef::Building(id)),
            None,
            &r.cat,
            0.025,
        );
        assert_eq!(
            handles_now
                .iter()
                .filter(|h| h.kind.name() == "vertex")
                .count(),
            6
        );
    }

    #[test]
    fn handles_follow_the_selection() {
        let l = with_lawn();
        let cat = Catalogue::builtin();
        let sel = ObjectRef::Zone(ZoneId("lawn-1".into()));
        let (spots, stalk) = handles(&l, Some(&sel), None, &cat, 0.025);
        let count = |k: &str| spots.iter().filter(|s| s.kind.name() == k).count();
        assert_eq!(
            (count("resize"), count("vertex"), count("rotate")),
            (8, 4, 1)
        );
        let (foot, tip) = stalk.unwrap();
        assert!((foot.x - 3.5).abs() < 1e-9 && tip.y > 8.0);
        // Every handle names itself the way the DOM does.
        for s in &spots {
            assert_eq!(
                HandleKind::parse(s.kind.name(), &s.kind.arg()),
                Some(s.kind)
            );
        }
        // A lamp is round: it turns but has no resize handles.
        let mut l = plot();
        l.apply(Edit::AddElement {
            element: Element::new(ElementId("lamp-1".into()), "lamp", Coord { x: 1.0, y: 1.0 }),
            index: None,
        })
        .unwrap();
        let sel = ObjectRef::Element(ElementId("lamp-1".into()));
        let (spots, _) = handles(&l, Some(&sel), None, &cat, 0.025);
        assert_eq!(spots.len(), 1);
    }
}
