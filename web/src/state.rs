//! The editor's state as one reducer: the open draft, its undo and redo stacks, the
//! selection, the tool and zone type, the live preview while dragging, the list of drafts,
//! the sample the draft came from and the message shown (the sun page keeps its sun view
//! beside this state: [`crate::sun`]).
//! Every change to the layout goes through an [`Edit`]. Pure: the app component does the storage and the network, and hands
//! their results in as actions, so everything here is tested natively.

use std::rc::Rc;

use geo::Coord;
use plotwise_plan::edit::Target;
use plotwise_plan::model::{Layout, ObjectRef, Size};
use plotwise_plan::{Catalogue, Text, ZoneKind};
use yew::prelude::*;

use crate::drafts::DraftMeta;
use crate::i18n::Msg;
use plotwise_plan::Edit;

/// What the rectangle and corner tools draw: a zone of a kind, or a building around the
/// plot (it casts shadow).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Draw {
    /// A zone.
    Zone(ZoneKind),
    /// A neighbouring building.
    Building,
}

/// The height a drawn building starts with, m (six storeys of an old Shanghai block; the
/// inspector asks for the real one).
pub const NEW_BUILDING_HEIGHT_M: f64 = 18.0;

impl Draw {
    /// The choice a key names.
    pub fn from_key(key: &str) -> Option<Draw> {
        match key {
            "building" => Some(Draw::Building),
            k => ZoneKind::from_key(k).map(Draw::Zone),
        }
    }
}

/// What a click or drag on the drawing does.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    /// Select, move, drag vertices, pan.
    Select,
    /// Drag out a rectangle (a zone or a building).
    Rect(Draw),
    /// Click the corners of a zone or a building.
    Polygon(Draw),
    /// Click to place a catalogue element (its key).
    Place(String),
    /// Click the corners of a new plot boundary.
    Boundary,
}

/// The editor's state.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    /// The draft's storage id.
    pub draft_id: String,
    /// The layout as edited (committed).
    pub layout: Rc<Layout>,
    /// While dragging: the layout as it would be if dropped here.
    pub preview: Option<Rc<Layout>>,
    /// Edits that undo the last changes, newest last.
    pub undo: Vec<Edit>,
    /// Edits that redo undone changes, newest last.
    pub redo: Vec<Edit>,
    /// The selected zone or element.
    pub selected: Option<ObjectRef>,
    /// Index of the finding being highlighted, if any.
    pub highlighted: Option<usize>,
    /// The active tool.
    pub tool: Tool,
    /// Grid step for snapping, m (0 = off).
    pub grid: f64,
    /// Bumped on every change of what is drawn (layout or preview).
    pub rev: u64,
    /// Bumped on every committed change (triggers a save).
    pub saved_rev: u64,
    /// A message to show (a refused edit, a failed import).
    pub notice: Option<Notice>,
    /// What the rectangle and corner tools draw.
    pub draw: Draw,
    /// The sample plot the draft started from, if any.
    pub sample: Option<String>,
    /// The sample asked for last and not here yet (an answer to an older ask is dropped).
    pub pending_sample: Option<String>,
    /// A first visit waiting for the default sample from the server.
    pub booting: bool,
    /// My drafts, newest first (as last read from the browser's storage).
    pub drafts: Vec<DraftMeta>,
}

/// A message for the user, with optional detail (e.g. a parser's message).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The message.
    pub msg: Msg,
    /// Detail, shown after it, in both languages (a parser's message, a file name).
    pub detail: Option<Text>,
    /// Whether it reports a problem (else: information).
    pub problem: bool,
}

/// What can happen to the state.
#[derive(Debug, Clone)]
pub enum Action {
    /// Open a layout as draft `id` (history starts empty).
    Load(String, Rc<Layout>),
    /// Apply an edit (pushes its inverse on the undo stack).
    Apply(Edit),
    /// Show the layout as if `edit` were applied, without committing it.
    Preview(Edit),
    /// Drop the preview.
    CancelPreview,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Select an object (or nothing).
    Select(Option<ObjectRef>),
    /// Highlight finding `i` (and select what it concerns).
    Highlight(Option<usize>, Option<ObjectRef>),
    /// Change the tool.
    SetTool(Tool),
    /// Change the grid.
    SetGrid(f64),
    /// Show a message.
    Notify(Option<Notice>),
    /// Open `layout` as a new draft `fresh_id`, or in place of the open draft when that one is
    /// untouched (no zones, no elements, no history: not kept as clutter).
    OpenNew {
        /// The layout.
        layout: Rc<Layout>,
        /// An unused draft id, for when the open draft is kept.
        fresh_id: String,
    },
    /// Remove the selected zone or element.
    DeleteSelected,
    /// Move the selection by (dx, dy) m (the arrow keys and buttons).
    Nudge(f64, f64),
    /// Turn the selection counter-clockwise by this many degrees (R and the turn buttons).
    Turn(f64),
    /// Make the selection wider and deeper by (dw, dd) m, keeping its south-west corner (an
    /// element: its centre) (the size buttons).
    Grow(f64, f64),
    /// Change what the rectangle and corner tools draw (and the active tool's).
    SetDraw(Draw),
    /// Sample plot `id` is asked for (the server reads it).
    AskSample(String),
    /// Sample plot `id` has come: open it as [`Action::OpenNew`] does, unless another sample
    /// or plot was opened since it was asked for.
    SampleArrived {
        /// The sample's id.
        id: String,
        /// Its layout.
        layout: Rc<Layout>,
        /// An unused draft id.
        fresh_id: String,
    },
    /// Sample plot `id` could not be read (said unless it is no longer wanted).
    SampleFailed(String, Text),
    /// The first visit's default sample has come (or failed).
    Booted,
    /// The drafts as now stored.
    SetDrafts(Vec<DraftMeta>),
}

impl EditorState {
    /// A state showing `layout` as draft `id`.
    pub fn new(id: String, layout: Rc<Layout>) -> Self {
        EditorState {
            draft_id: id,
            layout,
            preview: None,
            undo: vec![],
            redo: vec![],
            selected: None,
            highlighted: None,
            tool: Tool::Select,
            grid: 0.5,
            rev: 0,
            saved_rev: 0,
            notice: None,
            draw: Draw::Zone(ZoneKind::Seating),
            sample: None,
            pending_sample: None,
            booting: false,
            drafts: vec![],
        }
    }

    /// Whether the open draft is untouched: no zones, no elements, no history.
    pub fn untouched(&self) -> bool {
        self.layout.zones.is_empty() && self.layout.elements.is_empty() && self.undo.is_empty()
    }

    /// The edit target of the selection, if any.
    pub fn target(&self) -> Option<Target> {
        self.selected.as_ref().map(target_of)
    }

    /// A step for the arrow keys and buttons: the grid, else 10 cm.
    pub fn step(&self) -> f64 {
        if self.grid > 0.0 { self.grid } else { 0.1 }
    }

    /// The edit that grows the selection by (dw, dd) m, if it can.
    fn grow_edit(&self, dw: f64, dd: f64, cat: &Catalogue) -> Option<Edit> {
        match self.selected.as_ref()? {
            ObjectRef::Element(id) => {
                let e = self.layout.element(id)?;
                let s = cat.size_of(e)?;
                let (w, d) = (s.width_m + dw, s.depth_m + dd);
                (w >= 0.1 && d >= 0.1).then(|| Edit::Place {
                    element: e.id.clone(),
                    position: e.position,
                    rotation_deg: e.rotation_deg,
                    size: Some(Size {
                        width_m: w,
                        depth_m: d,
                    }),
                })
            }
            ObjectRef::Zone(id) => {
                let z = self.layout.zone(id)?;
                Some(Edit::Reshape {
                    zone: z.id.clone(),
                    outline: grown(&z.outline, dw, dd)?,
                })
            }
            ObjectRef::Building(id) => {
                let b = self.layout.building(id)?;
                Some(Edit::ReshapeBuilding {
                    building: b.id.clone(),
                    outline: grown(&b.outline, dw, dd)?,
                })
            }
        }
    }

    /// The layout to draw and check: the preview while dragging, else the layout.
    pub fn shown(&self) -> &Rc<Layout> {
        self.preview.as_ref().unwrap_or(&self.layout)
    }

    fn selection_exists(&self) -> bool {
        match &self.selected {
            None => true,
            Some(ObjectRef::Zone(id)) => self.layout.zone(id).is_some(),
            Some(ObjectRef::Element(id)) => self.layout.element(id).is_some(),
            Some(ObjectRef::Building(id)) => self.layout.building(id).is_some(),
        }
    }
}

/// `outline` made (dw, dd) m wider and deeper, keeping its south-west corner; never below
/// 10 cm.
fn grown(outline: &plotwise_plan::Outline, dw: f64, dd: f64) -> Option<plotwise_plan::Outline> {
    let r = outline.bounding_rect();
    let (w0, h0) = (r.width(), r.height());
    let (w, h) = (w0 + dw, h0 + dd);
    if w < 0.1 || h < 0.1 || w0 <= 0.0 || h0 <= 0.0 {
        return None;
    }
    let (x0, y0) = (r.min().x, r.min().y);
    let (sx, sy) = (w / w0, h / h0);
    outline
        .map_coords(move |c| Coord {
            x: x0 + (c.x - x0) * sx,
            y: y0 + (c.y - y0) * sy,
        })
        .ok()
}

/// The edit target of a selected object.
pub fn target_of(o: &ObjectRef) -> Target {
    match o {
        ObjectRef::Zone(id) => Target::Zone(id.clone()),
        ObjectRef::Element(id) => Target::Element(id.clone()),
        ObjectRef::Building(id) => Target::Building(id.clone()),
    }
}

/// The edit that turns `target` by `deg` counter-clockwise (an element about its centre, a
/// zone about its centroid).
fn turn_edit(layout: &Layout, target: Target, deg: f64) -> Option<Edit> {
    match &target {
        Target::Element(id) => {
            let e = layout.element(id)?;
            Some(Edit::Place {
                element: e.id.clone(),
                position: e.position,
                rotation_deg: (e.rotation_deg + deg).rem_euclid(360.0),
                size: e.size,
            })
        }
        _ => Some(Edit::Rotate {
            target,
            angle_deg: deg,
        }),
    }
}

/// A key pressed, as the shortcuts need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPress {
    /// `KeyboardEvent.key`.
    pub key: String,
    /// Ctrl (or ⌘) held.
    pub ctrl: bool,
    /// Shift held.
    pub shift: bool,
    /// The focus is in a text field (shortcuts other than Escape stay out of its way).
    pub in_field: bool,
}

/// The direction (east, north) of an arrow key.
pub fn arrow(key: &str) -> Option<(f64, f64)> {
    match key {
        "ArrowLeft" => Some((-1.0, 0.0)),
        "ArrowRight" => Some((1.0, 0.0)),
        "ArrowUp" => Some((0.0, 1.0)),
        "ArrowDown" => Some((0.0, -1.0)),
        _ => None,
    }
}

/// The editor's keyboard shortcuts: Escape, undo and redo, Delete, the arrows (move the
/// selection by a grid step; with nothing selected the drawing pans, see the canvas), R
/// (turn 15°; Shift: back). The actions to take, in order.
pub fn shortcut(s: &EditorState, k: &KeyPress) -> Option<Vec<Action>> {
    let one = |a: Action| Some(vec![a]);
    if k.key == "Escape" {
        return Some(vec![Action::SetTool(Tool::Select), Action::CancelPreview]);
    }
    if k.in_field {
        return None;
    }
    match (k.key.as_str(), arrow(&k.key)) {
        ("z" | "Z", _) if k.ctrl && k.shift => one(Action::Redo),
        ("z" | "Z", _) if k.ctrl => one(Action::Undo),
        ("y" | "Y", _) if k.ctrl => one(Action::Redo),
        ("Delete" | "Backspace", _) if s.selected.is_some() => one(Action::DeleteSelected),
        (_, Some((x, y))) if !k.ctrl && s.selected.is_some() => {
            one(Action::Nudge(x * s.step(), y * s.step()))
        }
        ("r" | "R", _) if !k.ctrl && s.selected.is_some() => {
            one(Action::Turn(if k.shift { -15.0 } else { 15.0 }))
        }
        _ => None,
    }
}

/// The title of a copy of a draft titled `title` (`untitled` for none): "… (copy)".
pub fn copy_title(title: &str, untitled: &str, suffix: &str) -> String {
    let base = if title.is_empty() { untitled } else { title };
    format!("{base} {suffix}")
}

/// A detail that reads the same in both languages (a file name, a server's answer).
pub fn plain(s: impl Into<String>) -> Text {
    let s = s.into();
    Text::new(s.clone(), s)
}

/// `name: detail` in both languages.
pub fn named(name: &str, t: Text) -> Text {
    Text::new(format!("{name}: {}", t.en), format!("{name}：{}", t.zh))
}

impl Reducible for EditorState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            Action::Load(id, layout) => s.load(id, layout),
            Action::OpenNew { layout, fresh_id } => {
                // A plot opened now wins over a sample still on its way.
                s.pending_sample = None;
                s.sample = None;
                s.open_new(layout, fresh_id);
            }
            Action::AskSample(id) => s.pending_sample = Some(id),
            Action::SampleArrived {
                id,
                layout,
                fresh_id,
            } => {
                if s.pending_sample.as_ref() == Some(&id) {
                    s.pending_sample = None;
                    s.sample = Some(id);
                    s.open_new(layout, fresh_id);
                }
            }
            Action::SampleFailed(id, why) => {
                if s.pending_sample.as_ref() == Some(&id) {
                    s.pending_sample = None;
                    s.notice = Some(Notice {
                        msg: Msg::LoadFailed,
                        detail: Some(why),
                        problem: true,
                    });
                }
            }
            Action::DeleteSelected => {
                if let Some(target) = s.target() {
                    s.apply(Edit::Remove { target });
                    s.selected = None;
                }
            }
            Action::Nudge(dx, dy) => {
                if let Some(target) = s.target() {
                    s.apply(Edit::Move { target, dx, dy });
                }
            }
            Action::Turn(deg) => {
                if let Some(edit) = s.target().and_then(|t| turn_edit(&s.layout, t, deg)) {
                    s.apply(edit);
                }
            }
            Action::Grow(dw, dd) => {
                if let Some(edit) = s.grow_edit(dw, dd, &crate::derive::catalogue()) {
                    s.apply(edit);
                }
            }
            Action::SetDraw(k) => {
                s.draw = k;
                // Keep drawing with the new choice if a drawing tool is active.
                s.tool = match s.tool {
                    Tool::Rect(_) => Tool::Rect(k),
                    Tool::Polygon(_) => Tool::Polygon(k),
                    t => t,
                };
            }
            Action::Booted => s.booting = false,
            Action::SetDrafts(list) => s.drafts = list,
            Action::Apply(edit) => s.apply(edit),
            Action::Preview(edit) => {
                let mut layout = (*s.layout).clone();
                if layout.apply(edit).is_ok() {
                    s.preview = Some(Rc::new(layout));
                    s.rev += 1;
                }
            }
            Action::CancelPreview => {
                if s.preview.take().is_some() {
                    s.rev += 1;
                }
            }
            Action::Undo | Action::Redo => s.undo_redo(matches!(action, Action::Undo)),
            Action::Select(sel) => {
                s.selected = sel;
                s.highlighted = None;
            }
            Action::Highlight(i, sel) => {
                s.highlighted = i;
                if sel.is_some() {
                    s.selected = sel;
                }
            }
            Action::SetTool(t) => s.tool = t,
            Action::SetGrid(g) => s.grid = g,
            Action::Notify(n) => s.notice = n,
        }
        Rc::new(s)
    }
}

impl EditorState {
    /// Opens `layout` as a new draft `fresh_id`, or in place of the open draft when that one
    /// is untouched (not kept as clutter).
    fn open_new(&mut self, layout: Rc<Layout>, fresh_id: String) {
        let id = if self.untouched() {
            self.draft_id.clone()
        } else {
            fresh_id
        };
        self.load(id, layout);
    }

    /// Opens `layout` as draft `id` with an empty history, keeping the grid, the zone type,
    /// the drafts and the sample.
    fn load(&mut self, id: String, layout: Rc<Layout>) {
        let mut n = EditorState::new(id, layout.clone());
        n.grid = self.grid;
        n.draw = self.draw;
        n.sample = self.sample.take();
        n.pending_sample = self.pending_sample.take();
        n.drafts = std::mem::take(&mut self.drafts);
        // Both counters only grow, so the new layout is drawn and saved even when it
        // replaces an untouched draft under the same id.
        n.rev = self.rev + 1;
        n.saved_rev = self.saved_rev + 1;
        *self = n;
    }

    /// Makes `edit` (its inverse goes on the undo stack), or says why it was refused.
    fn apply(&mut self, edit: Edit) {
        self.preview = None;
        self.rev += 1;
        match Rc::make_mut(&mut self.layout).apply(edit) {
            Ok(inverse) => {
                self.undo.push(inverse);
                self.redo.clear();
                self.notice = None;
                self.highlighted = None;
                self.saved_rev += 1;
            }
            Err(e) => {
                self.notice = Some(Notice {
                    msg: Msg::EditRefused,
                    detail: Some(e.message()),
                    problem: true,
                });
            }
        }
    }

    /// Undoes (or redoes) the last edit; a selection that no longer exists is dropped.
    fn undo_redo(&mut self, undo: bool) {
        let s = self;
        let (from, to) = if undo {
            (&mut s.undo, &mut s.redo)
        } else {
            (&mut s.redo, &mut s.undo)
        };
        if let Some(edit) = from.pop() {
            let layout = Rc::make_mut(&mut s.layout);
            if let Ok(inverse) = layout.apply(edit) {
                to.push(inverse);
            }
            s.preview = None;
            s.highlighted = None;
            s.rev += 1;
            s.saved_rev += 1;
            if !s.selection_exists() {
                s.selected = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotwise_plan::{Element, ElementId, Outline, Plot, Zone, ZoneId};

    fn plot(w: f64, d: f64) -> Rc<Layout> {
        let o = Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: w, y: d }).unwrap();
        Rc::new(Layout::new(Plot::new("plot", o)))
    }

    fn state() -> Rc<EditorState> {
        Rc::new(EditorState::new("d1".into(), plot(10.0, 10.0)))
    }

    fn lawn() -> Edit {
        let o = Outline::rect(Coord { x: 2.0, y: 6.0 }, Coord { x: 5.0, y: 8.0 }).unwrap();
        Edit::AddZone {
            zone: Zone::new(ZoneId("lawn-1".into()), ZoneKind::Lawn, o),
            index: None,
        }
    }

    fn bench() -> Edit {
        Edit::AddElement {
            element: Element::new(
                ElementId("bench-1".into()),
                "bench",
                Coord { x: 5.0, y: 5.0 },
            ),
            index: None,
        }
    }

    fn bounds(s: &EditorState) -> (f64, f64, f64, f64) {
        let r = s.layout.zones[0].outline.bounding_rect();
        (r.min().x, r.min().y, r.width(), r.height())
    }

    fn key(k: &str) -> KeyPress {
        KeyPress {
            key: k.into(),
            ctrl: false,
            shift: false,
            in_field: false,
        }
    }

    fn run(s: Rc<EditorState>, sc: Option<Vec<Action>>) -> Rc<EditorState> {
        sc.unwrap_or_default()
            .into_iter()
            .fold(s, |s, a| s.reduce(a))
    }

    #[test]
    fn edits_undo_and_redo_exactly_and_a_refused_edit_says_why() {
        let s = state().reduce(Action::Apply(lawn()));
        assert_eq!((s.layout.zones.len(), s.undo.len(), s.saved_rev), (1, 1, 1));
        let s = s.reduce(Action::Undo);
        assert!(s.layout.zones.is_empty() && s.redo.len() == 1);
        let s = s.reduce(Action::Redo);
        assert_eq!(s.layout.zones.len(), 1);
        // The same zone again: plan refuses the duplicate id and the state says so.
        let s = s.reduce(Action::Apply(lawn()));
        assert_eq!(s.layout.zones.len(), 1);
        assert_eq!(s.notice.as_ref().map(|n| n.msg), Some(Msg::EditRefused));
        assert_eq!(s.undo.len(), 1, "a refused edit is no undo step");
    }

    #[test]
    fn a_preview_shows_without_committing() {
        let s = state().reduce(Action::Preview(lawn()));
        assert!(s.layout.zones.is_empty());
        assert_eq!(s.shown().zones.len(), 1);
        let s = s.reduce(Action::CancelPreview);
        assert!(s.shown().zones.is_empty() && s.undo.is_empty());
    }

    #[test]
    fn an_untouched_draft_is_replaced_a_worked_one_kept() {
        let s = state().reduce(Action::OpenNew {
            layout: plot(20.0, 15.0),
            fresh_id: "d2".into(),
        });
        assert_eq!(s.draft_id, "d1", "untouched: replaced under its id");
        let s = s.reduce(Action::Apply(lawn())).reduce(Action::OpenNew {
            layout: plot(5.0, 5.0),
            fresh_id: "d3".into(),
        });
        assert_eq!(s.draft_id, "d3");
        assert!(s.undo.is_empty() && s.layout.zones.is_empty());
    }

    #[test]
    fn the_sample_asked_for_last_wins_whatever_order_the_answers_come_in() {
        let arrived = |id: &str, w: f64| Action::SampleArrived {
            id: id.into(),
            layout: plot(w, 10.0),
            fresh_id: format!("d-{id}"),
        };
        let s = state()
            .reduce(Action::AskSample("a".into()))
            .reduce(Action::AskSample("b".into()))
            .reduce(arrived("b", 30.0))
            .reduce(arrived("a", 20.0));
        assert_eq!(s.sample.as_deref(), Some("b"));
        assert!((s.layout.plot.area_m2() - 300.0).abs() < 1e-6);
        // A plot opened meanwhile wins over a sample still on its way, and its failure is
        // not shown.
        let s = s
            .reduce(Action::AskSample("c".into()))
            .reduce(Action::OpenNew {
                layout: plot(5.0, 5.0),
                fresh_id: "d9".into(),
            })
            .reduce(arrived("c", 40.0))
            .reduce(Action::SampleFailed("c".into(), plain("gone")));
        assert!((s.layout.plot.area_m2() - 25.0).abs() < 1e-6);
        assert_eq!((s.sample.clone(), s.notice.clone()), (None, None));
        let s = s
            .reduce(Action::AskSample("d".into()))
            .reduce(Action::SampleFailed("d".into(), plain("gone")));
        assert_eq!(s.notice.as_ref().map(|n| n.msg), Some(Msg::LoadFailed));
    }

    #[test]
    fn keys_move_turn_delete_undo_and_stay_out_of_text_fields() {
        let s = state().reduce(Action::Apply(lawn()));
        // Nothing selected: the arrows are the drawing's (it pans).
        assert!(shortcut(&s, &key("ArrowLeft")).is_none());
        let s = s.reduce(Action::Select(Some(ObjectRef::Zone(ZoneId(
            "lawn-1".into(),
        )))));
        let s = run(s.clone(), shortcut(&s, &key("ArrowRight")));
        assert_eq!(bounds(&s), (2.5, 6.0, 3.0, 2.0), "one grid step east");
        let s = run(s.clone(), shortcut(&s, &key("r")));
        let (_, _, w, h) = bounds(&s);
        assert!(w > 3.0 && h > 2.0, "turned 15°: a wider box");
        let typing = KeyPress {
            in_field: true,
            ..key("Delete")
        };
        assert!(shortcut(&s, &typing).is_none());
        let s = run(s.clone(), shortcut(&s, &key("Delete")));
        assert!(s.layout.zones.is_empty() && s.selected.is_none());
        let undo = KeyPress {
            ctrl: true,
            ..key("z")
        };
        let s = run(s.clone(), shortcut(&s, &undo));
        assert_eq!(s.layout.zones.len(), 1);
        let redo = KeyPress {
            ctrl: true,
            shift: true,
            ..key("Z")
        };
        assert!(matches!(
            shortcut(&s, &redo).as_deref(),
            Some([Action::Redo])
        ));
        // Escape drops the tool even while typing.
        let esc = KeyPress {
            in_field: true,
            ..key("Escape")
        };
        assert!(shortcut(&s, &esc).is_some());
    }

    #[test]
    fn buttons_move_turn_and_resize_without_dragging() {
        let s = state().reduce(Action::Apply(bench()));
        let s = s.reduce(Action::Select(Some(ObjectRef::Element(ElementId(
            "bench-1".into(),
        )))));
        let s = s
            .reduce(Action::Nudge(0.5, -0.5))
            .reduce(Action::Turn(-15.0));
        let e = &s.layout.elements[0];
        assert_eq!(e.position, Coord { x: 5.5, y: 4.5 });
        assert_eq!(e.rotation_deg, 345.0);
        let s = s.reduce(Action::Grow(0.5, 0.0));
        let size = s.layout.elements[0].size.unwrap();
        assert!((size.width_m - 2.3).abs() < 1e-9 && (size.depth_m - 0.6).abs() < 1e-9);
        // A zone grows from its south-west corner; never below 10 cm.
        let s = s.reduce(Action::Apply(lawn()));
        let s = s.reduce(Action::Select(Some(ObjectRef::Zone(ZoneId(
            "lawn-1".into(),
        )))));
        let s = s.reduce(Action::Grow(1.0, -0.5));
        assert_eq!(bounds(&s), (2.0, 6.0, 4.0, 1.5));
        let before = s.undo.len();
        let s = s.reduce(Action::Grow(-10.0, 0.0));
        assert_eq!(s.undo.len(), before);
        assert_eq!(s.undo.len(), 6, "each button press is one undo step");
    }

    #[test]
    fn the_zone_type_follows_into_the_active_zone_tool() {
        let s = state().reduce(Action::SetTool(Tool::Rect(Draw::Zone(ZoneKind::Seating))));
        let s = s.reduce(Action::SetDraw(Draw::Zone(ZoneKind::Play)));
        assert_eq!(s.tool, Tool::Rect(Draw::Zone(ZoneKind::Play)));
        let s = s.reduce(Action::SetDraw(Draw::Building));
        assert_eq!(s.tool, Tool::Rect(Draw::Building));
        let s = s
            .reduce(Action::SetTool(Tool::Select))
            .reduce(Action::SetDraw(Draw::Zone(ZoneKind::Lawn)));
        assert_eq!(
            (s.tool.clone(), s.draw),
            (Tool::Select, Draw::Zone(ZoneKind::Lawn))
        );
        assert_eq!(Draw::from_key("building"), Some(Draw::Building));
        assert_eq!(Draw::from_key("lawn"), Some(Draw::Zone(ZoneKind::Lawn)));
        assert_eq!(Draw::from_key("moat"), None);
    }

    fn building() -> Edit {
        let o = Outline::rect(Coord { x: 0.0, y: -12.0 }, Coord { x: 10.0, y: -2.0 }).unwrap();
        Edit::AddBuilding {
            building: plotwise_plan::model::Building::new("building-1", o, 18.0),
            index: None,
        }
    }

    #[test]
    fn a_building_is_moved_resized_and_deleted_like_a_zone_with_undo() {
        let id = ObjectRef::Building("building-1".into());
        let s = state()
            .reduce(Action::Apply(building()))
            .reduce(Action::Select(Some(id.clone())));
        let s = s
            .reduce(Action::Nudge(0.5, 0.0))
            .reduce(Action::Grow(2.0, 0.0));
        let r = s.layout.plot.buildings[0].outline.bounding_rect();
        assert_eq!((r.min().x, r.width()), (0.5, 12.0));
        let s = s.reduce(Action::DeleteSelected);
        assert!(s.layout.plot.buildings.is_empty() && s.selected.is_none());
        let s = s
            .reduce(Action::Undo)
            .reduce(Action::Undo)
            .reduce(Action::Undo);
        let r = s.layout.plot.buildings[0].outline.bounding_rect();
        assert_eq!((r.min().x, r.width()), (0.0, 10.0));
    }

    #[test]
    fn a_copys_title() {
        assert_eq!(copy_title("", "Untitled", "(copy)"), "Untitled (copy)");
        assert_eq!(copy_title("花园", "未命名", "（副本）"), "花园 （副本）");
    }
}
