//! The sun bundle's top-level component (`#/sun`): the open draft with the buildings around
//! it, the server's heat map of hours of sun on the standard day, the shadows at the moment
//! the time slider shows, and the sun each zone gets. The drawing and its tools are the
//! editor's (draw and move buildings and zones, type a building's height, undo), and every
//! change is saved to the same draft, so the editor shows it when the resident goes back.
//!
//! Why a page of its own: the editor runs plan's design rules in the browser on every drag;
//! with the sun view beside them its bundle would pass the 400 KB budget (measured 420 KB
//! gzipped). Here the rules are left out (the editor and the server's check have them), and
//! the sun comes from the server (`POST /api/sun`), which runs plan's sun code.

use std::collections::HashSet;
use std::rc::Rc;

use plotwise_plan::LayoutDocument;
use yew::prelude::*;

use crate::app::{notice, use_autosave, use_shortcuts};
use crate::components::canvas::Canvas;
use crate::components::header::{Header, Page, use_prefs};
use crate::components::inspector::Inspector;
use crate::components::sun::{SunPanelProps, heat, shadow, sun_panel};
use crate::components::toolbar::Toolbar;
use crate::drafts;
use crate::i18n::{Msg, Sn, tr};
use crate::routes::Route;
use crate::state::{Action, EditorState, plain};
use crate::sun::{SunAction, SunView};

/// The draft the editor has open; `None` without one.
fn initial_state() -> Option<Rc<EditorState>> {
    let (id, layout) = drafts::current()?;
    let mut s = EditorState::new(id, Rc::new(layout));
    s.drafts = drafts::list();
    Some(Rc::new(s))
}

/// The sun view as the page's second reducer, beside the drawing's state (the editor's
/// state knows nothing of the sun, so the editor bundle carries none of it).
struct Sun(SunView);

impl Reducible for Sun {
    type Action = SunAction;

    fn reduce(self: Rc<Self>, action: SunAction) -> Rc<Self> {
        let mut v = self.0.clone();
        v.apply(action);
        Rc::new(Sun(v))
    }
}

/// The sun view of what `state` shows: it follows every change (a drag's preview too) and
/// sends its request to the server when there is a new one ([`SunView`] decides when), and
/// hands the answer back.
#[hook]
fn use_sun(state: &UseReducerHandle<EditorState>) -> UseReducerHandle<Sun> {
    let first = state.shown().clone();
    let sun = use_reducer(move || Sun(SunView::open_on(&first)));
    {
        let (sun, shown) = (sun.clone(), state.shown().clone());
        use_effect_with(state.rev, move |_| sun.dispatch(SunAction::Follow(shown)));
    }
    let req = sun.0.request.clone();
    let handle = sun.clone();
    use_effect_with(req.as_ref().map(|r| r.seq), move |_| {
        if let Some(r) = req {
            yew::platform::spawn_local(async move {
                let body = LayoutDocument::new((*r.layout).clone()).to_json();
                let path = format!("/api/sun?cell_m={}", r.cell_m);
                let answer = crate::api::post_bytes(&path, "application/json", body.as_bytes())
                    .await
                    .map_err(|f| f.text())
                    .and_then(|b| crate::sun::decode(&String::from_utf8_lossy(&b)).map_err(plain));
                handle.dispatch(SunAction::Answered(r.seq, answer.map(Rc::new)));
            });
        }
    });
    sun
}

/// What "whole plot" frames here: the plot and the buildings around it (their shadows are
/// what this page is about; the editor frames the plot), as the page was opened (a building
/// moved later does not move the view).
#[hook]
fn use_extent(state: &EditorState) -> (f64, f64, f64, f64) {
    let layout = state.layout.clone();
    let plot = crate::draw::plot_bounds(&layout);
    let key = (
        state.draft_id.clone(),
        format!("{:.2},{:.2},{:.2},{:.2}", plot.0, plot.1, plot.2, plot.3),
    );
    *use_memo(key, move |_| {
        layout.plot.buildings.iter().fold(plot, |e, b| {
            let r = b.outline.bounding_rect();
            (
                e.0.min(r.min().x),
                e.1.min(r.min().y),
                e.2.max(r.max().x),
                e.3.max(r.max().y),
            )
        })
    })
}

/// The sun page.
#[function_component(SunApp)]
pub fn sun_app() -> Html {
    let prefs = use_prefs();
    let l = *prefs.lang;
    // Read once: the draft is this page's from here on (and saved after every change).
    let start = use_memo((), |_| initial_state());
    let header = html! { <Header page={Page::Sun} prefs={prefs.clone()} /> };
    match &*start {
        Some(s) => html! {
            <>
            { header }
            <SunPage state={s.clone()} large={*prefs.large} lang={l} />
            </>
        },
        None => html! {
            <>
            { header }
            <main id="sun-page" class="compare">
                <h2>{ tr(l, Msg::SunToggle) }</h2>
                <p id="no-drafts">{ tr(l, Sn::SunNoDraft) }</p>
                <p><a class="button" href={Route::Editor.href()}>{ tr(l, Msg::BackToPlan) }</a></p>
            </main>
            </>
        },
    }
}

/// Props of [`SunPage`].
#[derive(Properties, PartialEq)]
struct SunPageProps {
    /// The state to start from.
    state: Rc<EditorState>,
    /// Large text.
    large: bool,
    /// Interface language.
    lang: crate::i18n::Lang,
}

/// The drawing with the sun view, the panel and the inspector.
#[function_component(SunPage)]
fn sun_page(p: &SunPageProps) -> Html {
    let start = p.state.clone();
    let state = use_reducer(move || (*start).clone());
    use_autosave(&state);
    use_shortcuts(&state);
    let sun = use_sun(&state);
    let extent = use_extent(&state);
    // The heat map is made once per answer, not on every frame of a drag.
    let sun_heat = {
        let a = sun.0.answer.clone();
        use_memo(a.as_ref().map(|a| Rc::as_ptr(a) as usize), move |_| {
            a.as_deref().map(heat).unwrap_or_default()
        })
    };
    let no_errors = use_memo((), |_| HashSet::new());
    let l = p.lang;
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let sun_dispatch = {
        let sun = sun.clone();
        Callback::from(move |a: SunAction| sun.dispatch(a))
    };
    html! {
        <>
        { notice(&state, l) }
        <main class="editor sun-page">
            <section class="stage" aria-label={tr(l, Msg::PlotDrawing)}>
                <Toolbar tool={state.tool.clone()} draw={state.draw} grid={state.grid}
                    can_undo={!state.undo.is_empty()} can_redo={!state.redo.is_empty()}
                    has_selection={state.selected.is_some()} sun_page={true} lang={l}
                    dispatch={dispatch.clone()} />
                <Canvas layout={state.shown().clone()} base={state.layout.clone()}
                    draft_id={state.draft_id.clone()} rev={state.rev} selected={state.selected.clone()}
                    tool={state.tool.clone()} grid={state.grid} highlight={None}
                    error_ids={no_errors} large={p.large} lang={l} dispatch={dispatch.clone()}
                    on_boundary={Callback::noop()} extent={Some(extent)}>
                    if let Some(a) = &sun.0.answer {
                        <g class="sun-layers">
                            { (*sun_heat).clone() }
                            { a.frames.get(sun.0.frame).map(shadow).unwrap_or_default() }
                        </g>
                    }
                </Canvas>
                { sun_panel(SunPanelProps { answer: sun.0.answer.as_deref(),
                    frame: sun.0.frame, busy: sun.0.busy(), error: sun.0.error.as_ref(),
                    lang: l, dispatch: &sun_dispatch }) }
                <p class="muted small shortcuts">{ tr(l, Msg::Shortcuts) }</p>
            </section>
            <aside class="side">
                <Inspector layout={state.layout.clone()} rev={state.rev} selected={state.selected.clone()}
                    step={state.step()} lang={l} dispatch={dispatch.clone()} />
            </aside>
        </main>
        </>
    }
}
