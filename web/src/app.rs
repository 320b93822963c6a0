//! The editor bundle's top-level component: the header and the editor page (drawing, tools,
//! palette, figures, findings, inspector, export, plots and drafts). Drafts are saved in the
//! browser after every edit. The comparison page is its own bundle (`compare_app`).

use std::collections::HashSet;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::storage::{LocalStorage, Storage};
use plotwise_plan::edit::Target;
use plotwise_plan::model::{Layout, ObjectRef};
use plotwise_plan::{Edit, LayoutDocument, Outline, Plot, Severity, Text, ZoneKind};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::canvas::Canvas;
use crate::components::drafts_panel::DraftsPanel;
use crate::components::export::ExportPanel;
use crate::components::findings::FindingsPanel;
use crate::components::header::{Header, Page, use_prefs};
use crate::components::inspector::Inspector;
use crate::components::palette::Palette;
use crate::components::summary::{SummaryPanel, yuan};
use crate::components::toolbar::Toolbar;
use crate::derive::report;
use crate::drafts;
use crate::files::{download, file_stem, get, layout_from, post, read_bytes};
use crate::i18n::{Msg, pick, tr};
use crate::state::{Action, EditorState, Notice, Tool, named, plain};

const SAMPLE_KEY: &str = "plotwise.sample";
const DEFAULT_SAMPLE: &str = "guonian-lot";

/// A sample plot, as the server reads it with crates/plan (the bundle carries only the list
/// of samples, not their GeoJSON texts or the GeoJSON reader).
async fn sample_layout(id: &str) -> Result<Layout, Text> {
    layout_from(get(&format!("/api/samples/{id}")).await)
}

/// The draft to open at start: the one open last time, else a new one, and whether this is
/// a first visit (no draft yet). A first visit then opens the default sample plot (see `App`);
/// a 20 × 15 m rectangle stands in until it comes.
fn initial_state() -> (EditorState, bool) {
    if let Some((id, layout)) = drafts::current() {
        return (EditorState::new(id, Rc::new(layout)), false);
    }
    let layout = Outline::rect(
        geo::Coord { x: 0.0, y: 0.0 },
        geo::Coord { x: 20.0, y: 15.0 },
    )
    .map(|o| Layout::new(Plot::new("plot", o)))
    .expect("a rectangle is a valid outline");
    let mut s = EditorState::new(drafts::new_id(), Rc::new(layout));
    s.saved_rev = 1;
    (s, true)
}

/// Opens sample plot `id` (read by the server) as a new draft, or in place of an untouched
/// one, and remembers the choice; tells the user if it cannot be read.
async fn open_sample(
    id: String,
    open_new: Callback<Layout>,
    sample: UseStateHandle<Option<String>>,
    notify: Callback<Option<Notice>>,
) {
    match sample_layout(&id).await {
        Ok(layout) => {
            let _ = LocalStorage::set(SAMPLE_KEY, &id);
            sample.set(Some(id));
            open_new.emit(layout);
        }
        Err(e) => notify.emit(Some(Notice {
            msg: Msg::LoadFailed,
            detail: Some(e),
            problem: true,
        })),
    }
}

/// Whether the keyboard focus is in a text field (shortcuts then stay out of the way).
fn typing_in_field(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
        .unwrap_or(false)
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let (lang, large) = use_prefs();
    // A first visit (no draft yet) opens the default sample plot, which comes from the server.
    let first_visit = use_mut_ref(|| false);
    let state = {
        let first_visit = first_visit.clone();
        use_reducer(move || {
            let (state, first) = initial_state();
            *first_visit.borrow_mut() = first;
            state
        })
    };
    let booting = use_state(|| *first_visit.borrow());
    let draft_list = use_state(drafts::list);
    let zone_kind = use_state(|| ZoneKind::Seating);
    let sample = use_state(|| LocalStorage::get::<String>(SAMPLE_KEY).ok());

    // Save after every committed change (and when another draft is opened).
    {
        let state = state.clone();
        let draft_list = draft_list.clone();
        use_effect_with((state.draft_id.clone(), state.saved_rev), move |(id, _)| {
            if drafts::save(id, &state.layout).is_err() {
                state.dispatch(Action::Notify(Some(Notice {
                    msg: Msg::SaveFailed,
                    detail: None,
                    problem: true,
                })));
            }
            draft_list.set(drafts::list());
        });
    }
    // Findings and metrics of what is shown, recomputed on every change (also while dragging).
    let rep = {
        let shown = state.shown().clone();
        use_memo((state.rev, state.draft_id.clone()), move |_| report(&shown))
    };
    let findings = use_memo(rep.clone(), |r| Rc::new(r.findings.clone()));
    let metrics = use_memo(rep.clone(), |r| Rc::new(r.metrics.clone()));
    let error_ids = use_memo(rep.clone(), |r| {
        Rc::new(
            r.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .flat_map(|f| f.ids.iter().cloned())
                .collect::<HashSet<String>>(),
        )
    });

    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let notify = {
        let state = state.clone();
        Callback::from(move |n: Option<Notice>| state.dispatch(Action::Notify(n)))
    };
    let delete_selected = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            let target = match &state.selected {
                Some(ObjectRef::Zone(id)) => Target::Zone(id.clone()),
                Some(ObjectRef::Element(id)) => Target::Element(id.clone()),
                None => return,
            };
            state.dispatch(Action::Apply(Edit::Remove { target }));
            state.dispatch(Action::Select(None));
        })
    };

    // Keyboard shortcuts.
    {
        let state = state.clone();
        let delete_selected = delete_selected.clone();
        use_effect_with((state.rev, state.selected.clone(), state.grid), move |_| {
            let listener = EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let ctrl = e.ctrl_key() || e.meta_key();
                let key = e.key();
                if key == "Escape" {
                    state.dispatch(Action::SetTool(Tool::Select));
                    state.dispatch(Action::CancelPreview);
                    return;
                }
                if typing_in_field(e) {
                    return;
                }
                let target = match &state.selected {
                    Some(ObjectRef::Zone(id)) => Some(Target::Zone(id.clone())),
                    Some(ObjectRef::Element(id)) => Some(Target::Element(id.clone())),
                    None => None,
                };
                let step = if state.grid > 0.0 { state.grid } else { 0.1 };
                let action = match key.as_str() {
                    "z" | "Z" if ctrl && e.shift_key() => Some(Action::Redo),
                    "z" | "Z" if ctrl => Some(Action::Undo),
                    "y" | "Y" if ctrl => Some(Action::Redo),
                    "Delete" | "Backspace" if target.is_some() => {
                        delete_selected.emit(());
                        e.prevent_default();
                        None
                    }
                    "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !ctrl => {
                        target.map(|target| {
                            let (dx, dy) = match key.as_str() {
                                "ArrowLeft" => (-step, 0.0),
                                "ArrowRight" => (step, 0.0),
                                "ArrowUp" => (0.0, step),
                                _ => (0.0, -step),
                            };
                            Action::Apply(Edit::Move { target, dx, dy })
                        })
                    }
                    "r" | "R" if !ctrl => target.map(|target| {
                        Action::Apply(Edit::Rotate {
                            target,
                            angle_deg: if e.shift_key() { -15.0 } else { 15.0 },
                        })
                    }),
                    _ => None,
                };
                if let Some(a) = action {
                    e.prevent_default();
                    state.dispatch(a);
                }
            });
            move || drop(listener)
        });
    }

    // Opening plots and drafts.
    let open_new = {
        let state = state.clone();
        Callback::from(move |layout: Layout| {
            // An untouched, unnamed draft is replaced rather than kept as clutter.
            let reuse = state.layout.zones.is_empty()
                && state.layout.elements.is_empty()
                && state.undo.is_empty();
            let id = if reuse {
                state.draft_id.clone()
            } else {
                drafts::new_id()
            };
            state.dispatch(Action::Load(id, Rc::new(layout)));
        })
    };
    let on_sample = {
        let open_new = open_new.clone();
        let notify = notify.clone();
        let sample = sample.clone();
        Callback::from(move |id: String| {
            let task = open_sample(id, open_new.clone(), sample.clone(), notify.clone());
            yew::platform::spawn_local(task);
        })
    };
    {
        let (booting, open_new, sample, notify) = (
            booting.clone(),
            open_new.clone(),
            sample.clone(),
            notify.clone(),
        );
        use_effect_with((), move |_| {
            if *booting {
                yew::platform::spawn_local(async move {
                    // The stand-in rectangle is untouched, so the sample takes its place.
                    open_sample(DEFAULT_SAMPLE.to_owned(), open_new, sample, notify).await;
                    booting.set(false);
                });
            }
        });
    }
    let import_failed = {
        let notify = notify.clone();
        move |detail: Text| {
            notify.emit(Some(Notice {
                msg: Msg::ImportFailed,
                detail: Some(detail),
                problem: true,
            }))
        }
    };
    let l = *lang;
    let on_import = {
        let open_new = open_new.clone();
        let import_failed = import_failed.clone();
        let sample = sample.clone();
        Callback::from(move |file: web_sys::File| {
            let open_new = open_new.clone();
            let import_failed = import_failed.clone();
            let sample = sample.clone();
            let name = file.name().to_ascii_lowercase();
            yew::platform::spawn_local(async move {
                let bytes = match read_bytes(&file).await {
                    Ok(b) => b,
                    Err(e) => return import_failed(plain(e)),
                };
                // The server reads both with crates/plan, as `plotwise import` does.
                let (path, mime) = if name.ends_with(".dxf") {
                    ("/api/import/dxf", "application/dxf")
                } else {
                    ("/api/import/geojson", "application/geo+json")
                };
                let layout = layout_from(post(path, mime, &bytes).await);
                match layout {
                    Ok(layout) => {
                        LocalStorage::delete(SAMPLE_KEY);
                        sample.set(None);
                        open_new.emit(layout);
                    }
                    Err(e) => import_failed(named(&name, e)),
                }
            });
        })
    };
    let on_new_plot = {
        let open_new = open_new.clone();
        let sample = sample.clone();
        Callback::from(move |outline: Outline| {
            LocalStorage::delete(SAMPLE_KEY);
            sample.set(None);
            open_new.emit(Layout::new(Plot::new("plot", outline)));
        })
    };
    let on_rect_plot = {
        let on_new_plot = on_new_plot.clone();
        let notify = notify.clone();
        Callback::from(move |(w, d): (f64, f64)| {
            match Outline::rect(geo::Coord { x: 0.0, y: 0.0 }, geo::Coord { x: w, y: d }) {
                Ok(o) => on_new_plot.emit(o),
                Err(e) => notify.emit(Some(Notice {
                    msg: Msg::ShapeInvalid,
                    detail: Some(plain(e.to_string())),
                    problem: true,
                })),
            }
        })
    };
    let on_draw_boundary = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            state.dispatch(Action::SetTool(Tool::Boundary));
            crate::components::palette::show_plan();
        })
    };
    let on_open = {
        let state = state.clone();
        let import_failed = import_failed.clone();
        Callback::from(move |id: String| match drafts::load(&id) {
            Some(layout) => state.dispatch(Action::Load(id, Rc::new(layout))),
            None => import_failed(plain(id)),
        })
    };
    let on_duplicate = {
        let state = state.clone();
        let draft_list = draft_list.clone();
        Callback::from(move |id: String| {
            let layout = if id == state.draft_id {
                Some((*state.layout).clone())
            } else {
                drafts::load(&id)
            };
            if let Some(mut layout) = layout {
                let base = if layout.title.is_empty() {
                    tr(l, Msg::Untitled).to_owned()
                } else {
                    layout.title.clone()
                };
                layout.title = format!("{base} {}", tr(l, Msg::CopySuffix));
                let new = drafts::new_id();
                state.dispatch(Action::Load(new, Rc::new(layout)));
                draft_list.set(drafts::list());
            }
        })
    };
    let on_delete = {
        let draft_list = draft_list.clone();
        Callback::from(move |id: String| {
            // A deleted draft cannot be brought back: ask first.
            let sure = gloo::utils::window()
                .confirm_with_message(tr(l, Msg::ConfirmDelete))
                .unwrap_or(false);
            if sure {
                drafts::delete(&id);
                draft_list.set(drafts::list());
            }
        })
    };
    let on_save_file = {
        let state = state.clone();
        Callback::from(move |id: String| {
            let json = if id == state.draft_id {
                Some(LayoutDocument::new((*state.layout).clone()).to_json())
            } else {
                drafts::load_json(&id)
            };
            if let Some(json) = json {
                let title = drafts::load(&id).map(|l| l.title).unwrap_or_default();
                let stem = file_stem(if title.is_empty() { &id } else { &title });
                download(
                    &format!("{stem}.plotwise.json"),
                    "application/json",
                    json.as_bytes(),
                );
            }
        })
    };
    let on_load_file = {
        let state = state.clone();
        let import_failed = import_failed.clone();
        Callback::from(move |file: web_sys::File| {
            let state = state.clone();
            let import_failed = import_failed.clone();
            let name = file.name();
            yew::platform::spawn_local(async move {
                let text = match read_bytes(&file).await {
                    Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                    Err(e) => return import_failed(plain(e)),
                };
                match LayoutDocument::from_json(&text) {
                    Ok(doc) => state.dispatch(Action::Load(drafts::new_id(), Rc::new(doc.layout))),
                    Err(e) => import_failed(named(&name, e.message())),
                }
            });
        })
    };
    let on_title = {
        let state = state.clone();
        Callback::from(move |title: String| {
            if title != state.layout.title {
                state.dispatch(Action::Apply(Edit::SetInfo {
                    title,
                    author: state.layout.author.clone(),
                    notes: state.layout.notes.clone(),
                }));
            }
        })
    };
    let on_zone_kind = {
        let zone_kind = zone_kind.clone();
        Callback::from(move |k: ZoneKind| zone_kind.set(k))
    };
    let close_notice = {
        let notify = notify.clone();
        Callback::from(move |_: MouseEvent| notify.emit(None))
    };

    let t = |key| tr(l, key);
    let highlight = state
        .highlighted
        .and_then(|i| findings.get(i))
        .and_then(|f| f.highlight.clone())
        .map(Rc::new);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let notice = state.notice.as_ref().map(|n| {
        html! {
            <div id="notice" class={classes!("notice", n.problem.then_some("problem"))} role="alert">
                <span>{ t(n.msg) }{ n.detail.as_ref().map(|d| format!("{}{}", t(Msg::Colon), pick(l, d))).unwrap_or_default() }</span>
                <button class="close" onclick={close_notice} aria-label={t(Msg::Close)}>{ "✕" }</button>
            </div>
        }
    });

    let header = html! { <Header page={Page::Editor} lang={lang.clone()} large={large.clone()} /> };

    if *booting {
        return html! {
            <>
            { header }
            <main class="editor"><p class="muted" role="status" id="loading-sample">{ t(Msg::LoadingSample) }</p></main>
            </>
        };
    }

    html! {
        <>
        <a class="skip-link" href="#plot">{ t(Msg::SkipLink) }</a>
        { header }
        <div class="status-bar" role="status">
            <span class="cost">{ t(Msg::TotalCost) }{ t(Msg::Colon) }<strong id="cost-total">{ yuan(metrics.cost.total) }</strong></span>
            <span id="finding-counts" class={classes!("counts", (errors > 0).then_some("has-errors"))}>
                { format!("{errors} {} · {warnings} {}", t(Msg::ErrorsCount), t(Msg::WarningsCount)) }
            </span>
            <span class="saved muted small" id="saved">{ t(Msg::Saved) }</span>
        </div>
        { notice }
        <main class="editor">
            <section class="stage" aria-label={t(Msg::PlotDrawing)}>
                <Toolbar tool={state.tool.clone()} zone_kind={*zone_kind} grid={state.grid}
                    can_undo={!state.undo.is_empty()} can_redo={!state.redo.is_empty()}
                    has_selection={state.selected.is_some()} lang={l} dispatch={dispatch.clone()}
                    on_zone_kind={on_zone_kind} on_delete={delete_selected} />
                <Canvas layout={state.shown().clone()} base={state.layout.clone()}
                    draft_id={state.draft_id.clone()} rev={state.rev} selected={state.selected.clone()}
                    tool={state.tool.clone()} grid={state.grid} highlight={highlight}
                    error_ids={(*error_ids).clone()} lang={l} dispatch={dispatch.clone()}
                    on_boundary={on_new_plot} />
                <p class="muted small shortcuts">{ t(Msg::Shortcuts) }</p>
                <Palette tool={state.tool.clone()} lang={l} dispatch={dispatch.clone()} />
            </section>
            <aside class="side">
                <SummaryPanel metrics={(*metrics).clone()} lang={l} />
                <FindingsPanel findings={(*findings).clone()} layout={state.shown().clone()}
                    highlighted={state.highlighted} lang={l} dispatch={dispatch.clone()} />
                <Inspector layout={state.layout.clone()} rev={state.rev} selected={state.selected.clone()}
                    lang={l} dispatch={dispatch.clone()} />
                <ExportPanel layout={state.layout.clone()} lang={l}
                    on_notice={notify.clone()} />
                <DraftsPanel drafts={(*draft_list).clone()} current={state.draft_id.clone()}
                    title={state.layout.title.clone()} sample={(*sample).clone()} lang={l}
                    on_sample={on_sample} on_import={on_import} on_rect_plot={on_rect_plot}
                    on_draw_boundary={on_draw_boundary} on_open={on_open} on_duplicate={on_duplicate}
                    on_delete={on_delete} on_save_file={on_save_file} on_load_file={on_load_file}
                    on_title={on_title} />
            </aside>
        </main>
        </>
    }
}
