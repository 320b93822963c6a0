//! Opening a plot (sample, boundary file, drawn or typed) and the list of my drafts.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::drafts::DraftMeta;
use crate::i18n::{Lang, Msg, tr};

/// What the panel shows and can do.
#[derive(Properties, PartialEq)]
pub struct DraftsPanelProps {
    /// My drafts, newest first.
    pub drafts: Vec<DraftMeta>,
    /// The open draft.
    pub current: String,
    /// The open draft's title.
    pub title: String,
    /// The sample the open draft started from, if any.
    pub sample: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Start a draft from a sample plot.
    pub on_sample: Callback<String>,
    /// Open a boundary file (GeoJSON or DXF).
    pub on_import: Callback<web_sys::File>,
    /// Start a draft on a typed rectangle (width, depth).
    pub on_rect_plot: Callback<(f64, f64)>,
    /// Redraw the boundary by clicking.
    pub on_draw_boundary: Callback<()>,
    /// Open a draft.
    pub on_open: Callback<String>,
    /// Duplicate a draft.
    pub on_duplicate: Callback<String>,
    /// Delete a draft.
    pub on_delete: Callback<String>,
    /// Save a draft as a file.
    pub on_save_file: Callback<String>,
    /// Open a draft file.
    pub on_load_file: Callback<web_sys::File>,
    /// Rename the open draft.
    pub on_title: Callback<String>,
}

fn file_of(e: &Event) -> Option<web_sys::File> {
    let input: HtmlInputElement = e.target_unchecked_into();
    let f = input.files().and_then(|l| l.get(0));
    input.set_value("");
    f
}

/// The panel.
#[function_component(DraftsPanel)]
pub fn drafts_panel(props: &DraftsPanelProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let width = use_state(|| "20".to_owned());
    let depth = use_state(|| "15".to_owned());

    let on_sample = {
        let cb = props.on_sample.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            cb.emit(s.value());
        })
    };
    let on_import = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            if let Some(f) = file_of(&e) {
                cb.emit(f)
            }
        })
    };
    let on_load = {
        let cb = props.on_load_file.clone();
        Callback::from(move |e: Event| {
            if let Some(f) = file_of(&e) {
                cb.emit(f)
            }
        })
    };
    let text_input = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            s.set(i.value());
        })
    };
    let on_rect = {
        let cb = props.on_rect_plot.clone();
        let (w, d) = (width.clone(), depth.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let p = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
            if let (Some(w), Some(d)) = (p(&w), p(&d))
                && w > 0.5
                && d > 0.5
                && w < 10_000.0
                && d < 10_000.0
            {
                cb.emit((w, d));
            }
        })
    };
    let on_title = {
        let cb = props.on_title.clone();
        Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            cb.emit(i.value());
        })
    };
    let draw = {
        let cb = props.on_draw_boundary.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let per = |cb: &Callback<String>, id: &str| {
        let cb = cb.clone();
        let id = id.to_owned();
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };

    html! {
        <section class="panel drafts" aria-labelledby="drafts-h">
            <h2 id="drafts-h">{ t(Msg::OpenPlot) }</h2>
            <label class="field">
                <span>{ t(Msg::NewFromSample) }</span>
                <select id="sample" onchange={on_sample}>
                    <option value="" selected={props.sample.is_none()} disabled=true>{ "—" }</option>
                    { for plotwise_plan::samples::SAMPLES.iter().map(|s| html! {
                        <option value={s.id} selected={props.sample.as_deref() == Some(s.id)}>
                            { if l == Lang::ZhCn { s.name_zh } else { s.name_en } }
                        </option>
                    }) }
                </select>
            </label>
            <label class="field file">
                <span>{ t(Msg::ImportBoundary) }</span>
                <input id="import-boundary" type="file" accept=".geojson,.json,.dxf" onchange={on_import} />
            </label>
            <button id="draw-boundary" onclick={draw}>{ t(Msg::DrawBoundary) }</button>
            <form class="rect-plot" onsubmit={on_rect}>
                <span>{ t(Msg::TypeBoundary) }</span>
                <label class="field"><span>{ t(Msg::Width) }</span>
                    <input id="plot-width" type="number" inputmode="decimal" min="1" step="0.1" value={(*width).clone()} oninput={text_input(&width)} /></label>
                <label class="field"><span>{ t(Msg::Depth) }</span>
                    <input id="plot-depth" type="number" inputmode="decimal" min="1" step="0.1" value={(*depth).clone()} oninput={text_input(&depth)} /></label>
                <button id="make-rect-plot" type="submit">{ t(Msg::MakeRect) }</button>
            </form>

            <h2 id="my-drafts-h">{ t(Msg::Drafts) }</h2>
            <label class="field">
                <span>{ t(Msg::Title) }</span>
                <input id="draft-title" type="text" value={props.title.clone()}
                    placeholder={t(Msg::Untitled)} onchange={on_title} />
            </label>
            <ul id="draft-list" aria-labelledby="my-drafts-h">
                { for props.drafts.iter().map(|d| {
                    let current = d.id == props.current;
                    let title = if d.title.is_empty() { t(Msg::Untitled).to_owned() } else { d.title.clone() };
                    let plot = if l == Lang::ZhCn { d.plot_name.1.clone().or(d.plot_name.0.clone()) } else { d.plot_name.0.clone().or(d.plot_name.1.clone()) };
                    html! {
                        <li class={classes!("draft", current.then_some("current"))} data-draft={d.id.clone()}>
                            <div class="draft-title"><strong>{ title }</strong>
                                if current { <span class="badge">{ t(Msg::CurrentDraft) }</span> }</div>
                            <div class="muted small">{ format!("{} · {} {} · {} {}",
                                plot.unwrap_or_else(|| d.plot_id.clone()), d.zones, t(Msg::ZonesCount), d.elements, t(Msg::ElementsCount)) }</div>
                            <div class="draft-actions">
                                if !current { <button class="open" onclick={per(&props.on_open, &d.id)}>{ t(Msg::Open) }</button> }
                                <button class="duplicate" onclick={per(&props.on_duplicate, &d.id)}>{ t(Msg::Duplicate) }</button>
                                <button class="save-file" onclick={per(&props.on_save_file, &d.id)}>{ t(Msg::SaveFile) }</button>
                                if !current { <button class="delete" onclick={per(&props.on_delete, &d.id)}>{ t(Msg::Delete) }</button> }
                            </div>
                        </li>
                    }
                }) }
            </ul>
            <label class="field file">
                <span>{ t(Msg::LoadFile) }</span>
                <input id="load-draft-file" type="file" accept=".json,.plotwise.json" onchange={on_load} />
            </label>
        </section>
    }
}
