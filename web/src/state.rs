//! The editor's state: the open draft, its undo and redo stacks, the selection, the tool and
//! the live preview while dragging. Every change to the layout goes through an [`Edit`].

use std::rc::Rc;

use plotwise_plan::model::{Layout, ObjectRef};
use plotwise_plan::{Text, ZoneKind};
use yew::prelude::*;

use crate::i18n::Msg;
use plotwise_plan::Edit;

/// What a click or drag on the drawing does.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    /// Select, move, drag vertices, pan.
    Select,
    /// Drag out a rectangular zone.
    Rect(ZoneKind),
    /// Click the corners of a zone.
    Polygon(ZoneKind),
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
        }
    }
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
            Action::Load(id, layout) => {
                let (grid, rev, saved_rev) = (s.grid, s.rev, s.saved_rev);
                s = EditorState::new(id, layout);
                s.grid = grid;
                // Both counters only grow, so the new layout is drawn and saved even when it
                // replaces an untouched draft under the same id.
                s.rev = rev + 1;
                s.saved_rev = saved_rev + 1;
            }
            Action::Apply(edit) => {
                s.preview = None;
                let layout = Rc::make_mut(&mut s.layout);
                match layout.apply(edit) {
                    Ok(inverse) => {
                        s.undo.push(inverse);
                        s.redo.clear();
                        s.notice = None;
                        s.highlighted = None;
                        s.saved_rev += 1;
                    }
                    Err(e) => {
                        s.notice = Some(Notice {
                            msg: Msg::EditRefused,
                            detail: Some(e.message()),
                            problem: true,
                        });
                    }
                }
                s.rev += 1;
            }
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
            Action::Undo | Action::Redo => {
                let undo = matches!(action, Action::Undo);
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
