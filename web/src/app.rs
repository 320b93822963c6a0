//! The editor bundle's top-level component: the header and the editor page (drawing, tools,
//! palette, figures, findings, inspector, export, plots and drafts). The state is one
//! reducer ([`crate::state`]); this component does what the reducer cannot (the browser's
//! storage, the server, the keyboard) and hands the results in as actions. Drafts are saved
//! in the browser after every edit. The comparison page (`compare_app`) and the sun view
//! (`sun_app`) are bundles of their own, reading the same drafts; the sun page shares this
//! module's hooks for saving and shortcuts.

use std::collections::HashSet;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::storage::{LocalStorage, Storage};
use plotwise_plan::model::Layout;
use plotwise_plan::{LayoutDocument, Metrics, Outline, Plot, Severity, Text};
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
use crate::files::{download, file_stem, layout_from, read_bytes};
use crate::i18n::{Lang, Msg, pick, tr};
use crate::state::{
    Action, EditorState, KeyPress, Notice, Tool, copy_title, named, plain, shortcut,
};

const SAMPLE_KEY: &str = "plotwise.sample";
const DEFAULT_SAMPLE: &str = "guonian-lot";

/// The draft to open at start: the one open last time, else a 20 × 15 m rectangle standing
/// in for the default sample plot, which a first visit (`booting`) then asks the server for.
fn initial_state() -> EditorState {
    let mut s = match drafts::current() {
        Some((id, layout)) => EditorState::new(id, Rc::new(layout)),
        None => {
            let layout = Outline::rect(
                geo::Coord { x: 0.0, y: 0.0 },
                geo::Coord { x: 20.0, y: 15.0 },
            )
            .map(|o| Layout::new(Plot::new("plot", o)))
            .expect("a rectangle is a valid outline");
            let mut s = EditorState::new(drafts::new_id(), Rc::new(layout));
            s.saved_rev = 1;
            s.booting = true;
            s
        }
    };
    s.sample = LocalStorage::get::<String>(SAMPLE_KEY).ok();
    s.drafts = drafts::list();
    s
}

/// A problem to show.
pub(crate) fn problem(msg: Msg, detail: Option<Text>) -> Action {
    Action::Notify(Some(Notice {
        msg,
        detail,
        problem: true,
    }))
}

/// Opens `layout` as a new draft (or in place of an untouched one).
fn open_new(state: &UseReducerHandle<EditorState>, layout: Layout) {
    state.dispatch(Action::OpenNew {
        layout: Rc::new(layout),
        fresh_id: drafts::new_id(),
    });
}

/// Opens sample plot `id`, read by the server with crates/plan (the bundle carries only the
/// list of samples, not their GeoJSON texts or the reader); says so if it cannot be read.
/// Of several samples chosen quickly, the last one opens ([`Action::SampleArrived`]).
async fn open_sample(state: UseReducerHandle<EditorState>, id: String) {
    state.dispatch(Action::AskSample(id.clone()));
    let answer = crate::api::get_bytes(&format!("/api/samples/{id}")).await;
    match layout_from(answer) {
        Ok(layout) => state.dispatch(Action::SampleArrived {
            id,
            layout: Rc::new(layout),
            fresh_id: drafts::new_id(),
        }),
        Err(e) => state.dispatch(Action::SampleFailed(id, e)),
    }
}

/// Keeps the sample the draft came from for the next visit.
#[hook]
fn use_remember_sample(state: &EditorState) {
    use_effect_with(state.sample.clone(), |sample| match sample {
        Some(id) => {
            let _ = LocalStorage::set(SAMPLE_KEY, id);
        }
        None => LocalStorage::delete(SAMPLE_KEY),
    });
}

/// Saves after every committed change (and when another draft is opened).
#[hook]
pub(crate) fn use_autosave(state: &UseReducerHandle<EditorState>) {
    let state = state.clone();
    use_effect_with((state.draft_id.clone(), state.saved_rev), move |(id, _)| {
        if drafts::save(id, &state.layout).is_err() {
            state.dispatch(problem(Msg::SaveFailed, None));
        }
        state.dispatch(Action::SetDrafts(drafts::list()));
    });
}

/// A first visit opens the default sample plot, which comes from the server.
#[hook]
fn use_boot(state: &UseReducerHandle<EditorState>) {
    let state = state.clone();
    use_effect_with((), move |_| {
        if state.booting {
            yew::platform::spawn_local(async move {
                open_sample(state.clone(), DEFAULT_SAMPLE.to_owned()).await;
                state.dispatch(Action::Booted);
            });
        }
    });
}

/// The keyboard shortcuts ([`shortcut`]), anywhere on the page.
#[hook]
pub(crate) fn use_shortcuts(state: &UseReducerHandle<EditorState>) {
    let state = state.clone();
    use_effect_with((state.rev, state.selected.clone(), state.grid), move |_| {
        let listener = EventListener::new(&gloo::utils::document(), "keydown", move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                });
            let key = KeyPress {
                key: e.key(),
                ctrl: e.ctrl_key() || e.meta_key(),
                shift: e.shift_key(),
                in_field,
            };
            if let Some(actions) = shortcut(&state, &key) {
                if key.key != "Escape" {
                    e.prevent_default();
                }
                for a in actions {
                    state.dispatch(a);
                }
            }
        });
        move || drop(listener)
    });
}

/// Findings and metrics of what is shown, recomputed on every change (also while dragging),
/// and the ids named by errors.
struct Figures {
    findings: Rc<Vec<plotwise_plan::Finding>>,
    metrics: Rc<Metrics>,
    error_ids: Rc<HashSet<String>>,
}

#[hook]
fn use_figures(state: &EditorState) -> Rc<Figures> {
    let shown = state.shown().clone();
    use_memo((state.rev, state.draft_id.clone()), move |_| {
        let r = report(&shown);
        let error_ids = r
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .flat_map(|f| f.ids.iter().cloned())
            .collect();
        Figures {
            findings: Rc::new(r.findings),
            metrics: Rc::new(r.metrics),
            error_ids: Rc::new(error_ids),
        }
    })
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let prefs = use_prefs();
    let state = use_reducer(initial_state);
    use_autosave(&state);
    use_boot(&state);
    use_shortcuts(&state);
    use_remember_sample(&state);
    let figures = use_figures(&state);
    let l = *prefs.lang;
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let header = html! { <Header page={Page::Editor} prefs={prefs.clone()} /> };
    if state.booting {
        return html! {
            <>
            { header }
            <main class="editor"><p class="muted" role="status" id="loading-sample">{ tr(l, Msg::LoadingSample) }</p></main>
            </>
        };
    }
    let on_boundary = {
        let state = state.clone();
        Callback::from(move |o: Outline| open_new(&state, Layout::new(Plot::new("plot", o))))
    };
    let highlight = state
        .highlighted
        .and_then(|i| figures.findings.get(i))
        .and_then(|f| f.highlight.clone())
        .map(Rc::new);
    html! {
        <>
        <a class="skip-link" href="#plot">{ tr(l, Msg::SkipLink) }</a>
        { header }
        { status_bar(&figures, l) }
        { notice(&state, l) }
        <main class="editor">
            <section class="stage" aria-label={tr(l, Msg::PlotDrawing)}>
                <Toolbar tool={state.tool.clone()} draw={state.draw} grid={state.grid}
                    can_undo={!state.undo.is_empty()} can_redo={!state.redo.is_empty()}
                    has_selection={state.selected.is_some()} sun_page={false} lang={l}
                    dispatch={dispatch.clone()} />
                <Canvas layout={state.shown().clone()} base={state.layout.clone()}
                    draft_id={state.draft_id.clone()} rev={state.rev} selected={state.selected.clone()}
                    tool={state.tool.clone()} grid={state.grid} highlight={highlight}
                    error_ids={figures.error_ids.clone()} large={*prefs.large} lang={l} dispatch={dispatch.clone()}
                    on_boundary={on_boundary} />
                <p class="muted small shortcuts">{ tr(l, Msg::Shortcuts) }</p>
                <Palette tool={state.tool.clone()} lang={l} dispatch={dispatch.clone()} />
            </section>
            <aside class="side">
                <SummaryPanel metrics={figures.metrics.clone()} lang={l} />
                <FindingsPanel findings={figures.findings.clone()} layout={state.shown().clone()}
                    highlighted={state.highlighted} lang={l} dispatch={dispatch.clone()} />
                <Inspector layout={state.layout.clone()} rev={state.rev} selected={state.selected.clone()}
                    step={state.step()} lang={l} dispatch={dispatch.clone()} />
                <ExportPanel layout={state.layout.clone()} lang={l}
                    on_notice={dispatch.reform(Action::Notify)} />
                { drafts_panel(&state, l) }
            </aside>
        </main>
        </>
    }
}

/// The cost and the counts of problems, always in view.
fn status_bar(f: &Figures, l: Lang) -> Html {
    let t = |key| tr(l, key);
    let count = |s: Severity| f.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    html! {
        <div class="status-bar" role="status">
            <span class="cost">{ t(Msg::TotalCost) }{ t(Msg::Colon) }<strong id="cost-total">{ yuan(f.metrics.cost.total) }</strong></span>
            <span id="finding-counts" class={classes!("counts", (errors > 0).then_some("has-errors"))}>
                { format!("{errors} {} · {warnings} {}", t(Msg::ErrorsCount), t(Msg::WarningsCount)) }
            </span>
            <span class="saved muted small" id="saved">{ t(Msg::Saved) }</span>
        </div>
    }
}

/// The message of the moment, with a button to close it.
pub(crate) fn notice(state: &UseReducerHandle<EditorState>, l: Lang) -> Html {
    let Some(n) = &state.notice else {
        return html! {};
    };
    let close = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Notify(None)))
    };
    let detail = n
        .detail
        .as_ref()
        .map(|d| format!("{}{}", tr(l, Msg::Colon), pick(l, d)))
        .unwrap_or_default();
    html! {
        <div id="notice" class={classes!("notice", n.problem.then_some("problem"))} role="alert">
            <span>{ tr(l, n.msg) }{ detail }</span>
            <button class="close" onclick={close} aria-label={tr(l, Msg::Close)}>{ "✕" }</button>
        </div>
    }
}

/// Opening plots (samples, files, typed or drawn boundaries) and the drafts.
fn drafts_panel(state: &UseReducerHandle<EditorState>, l: Lang) -> Html {
    let with = |f: fn(&UseReducerHandle<EditorState>, Lang, String)| {
        let state = state.clone();
        Callback::from(move |id: String| f(&state, l, id))
    };
    let with_file = |f: fn(UseReducerHandle<EditorState>, web_sys::File)| {
        let state = state.clone();
        Callback::from(move |file: web_sys::File| f(state.clone(), file))
    };
    let on_sample = {
        let state = state.clone();
        Callback::from(move |id: String| yew::platform::spawn_local(open_sample(state.clone(), id)))
    };
    let on_rect_plot = {
        let state = state.clone();
        Callback::from(move |(w, d): (f64, f64)| {
            match Outline::rect(geo::Coord { x: 0.0, y: 0.0 }, geo::Coord { x: w, y: d }) {
                Ok(o) => open_new(&state, Layout::new(Plot::new("plot", o))),
                Err(e) => state.dispatch(problem(Msg::ShapeInvalid, Some(plain(e.to_string())))),
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
    let on_title = {
        let state = state.clone();
        Callback::from(move |title: String| {
            if title != state.layout.title {
                state.dispatch(Action::Apply(plotwise_plan::Edit::SetInfo {
                    title,
                    author: state.layout.author.clone(),
                    notes: state.layout.notes.clone(),
                }));
            }
        })
    };
    html! {
        <DraftsPanel drafts={state.drafts.clone()} current={state.draft_id.clone()}
            title={state.layout.title.clone()} sample={state.sample.clone()} lang={l}
            on_sample={on_sample} on_import={with_file(import_boundary)} on_rect_plot={on_rect_plot}
            on_draw_boundary={on_draw_boundary} on_open={with(open_draft)} on_duplicate={with(duplicate_draft)}
            on_delete={with(delete_draft)} on_save_file={with(save_draft_file)} on_load_file={with_file(load_draft_file)}
            on_title={on_title} />
    }
}

/// Opens a boundary file: the server reads GeoJSON and DXF with crates/plan, as
/// `plotwise import` does.
fn import_boundary(state: UseReducerHandle<EditorState>, file: web_sys::File) {
    let name = file.name().to_ascii_lowercase();
    yew::platform::spawn_local(async move {
        let bytes = match read_bytes(&file).await {
            Ok(b) => b,
            Err(e) => return state.dispatch(problem(Msg::ImportFailed, Some(plain(e)))),
        };
        let (path, mime) = if name.ends_with(".dxf") {
            ("/api/import/dxf", "application/dxf")
        } else {
            ("/api/import/geojson", "application/geo+json")
        };
        match layout_from(crate::api::post_bytes(path, mime, &bytes).await) {
            Ok(layout) => open_new(&state, layout),
            Err(e) => state.dispatch(problem(Msg::ImportFailed, Some(named(&name, e)))),
        }
    });
}

fn open_draft(state: &UseReducerHandle<EditorState>, _: Lang, id: String) {
    match drafts::load(&id) {
        Some(layout) => state.dispatch(Action::Load(id, Rc::new(layout))),
        None => state.dispatch(problem(Msg::ImportFailed, Some(plain(id)))),
    }
}

fn duplicate_draft(state: &UseReducerHandle<EditorState>, l: Lang, id: String) {
    let layout = if id == state.draft_id {
        Some((*state.layout).clone())
    } else {
        drafts::load(&id)
    };
    if let Some(mut layout) = layout {
        layout.title = copy_title(&layout.title, tr(l, Msg::Untitled), tr(l, Msg::CopySuffix));
        state.dispatch(Action::Load(drafts::new_id(), Rc::new(layout)));
    }
}

fn delete_draft(state: &UseReducerHandle<EditorState>, l: Lang, id: String) {
    // A deleted draft cannot be brought back: ask first.
    let sure = gloo::utils::window()
        .confirm_with_message(tr(l, Msg::ConfirmDelete))
        .unwrap_or(false);
    if sure {
        drafts::delete(&id);
        state.dispatch(Action::SetDrafts(drafts::list()));
    }
}

fn save_draft_file(state: &UseReducerHandle<EditorState>, _: Lang, id: String) {
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
}

fn load_draft_file(state: UseReducerHandle<EditorState>, file: web_sys::File) {
    let name = file.name();
    yew::platform::spawn_local(async move {
        let text = match read_bytes(&file).await {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => return state.dispatch(problem(Msg::ImportFailed, Some(plain(e)))),
        };
        match LayoutDocument::from_json(&text) {
            Ok(doc) => state.dispatch(Action::Load(drafts::new_id(), Rc::new(doc.layout))),
            Err(e) => state.dispatch(problem(Msg::ImportFailed, Some(named(&name, e.message())))),
        }
    });
}
