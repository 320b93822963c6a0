//! The top-level component: header (title, language, large text), the sample plot picker and
//! the plot drawing with its area.

use std::rc::Rc;

use gloo::storage::{LocalStorage, Storage};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::components::plot_view::PlotView;
use crate::i18n::{Lang, Msg, tr};

const LARGE_TEXT_KEY: &str = "plotwise.large-text";
const SAMPLE_KEY: &str = "plotwise.sample";
const DEFAULT_SAMPLE: &str = "guonian-lot";

/// A plot ready to draw: its boundary in local metres and its area.
#[derive(PartialEq)]
struct LoadedPlot {
    boundary: Rc<Vec<Vec<(f64, f64)>>>,
    area_m2: f64,
}

/// Reads a sample plot with crates/plan (projection and area are plan's, not the UI's).
fn load_sample(id: &str) -> Result<LoadedPlot, String> {
    let sample = plotwise_plan::samples::SAMPLES
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| format!("no sample `{id}`"))?;
    let layout =
        plotwise_plan::import::geojson::import_layout(sample.geojson).map_err(|e| e.to_string())?;
    let boundary = layout
        .plot
        .outline
        .multi_polygon()
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
        .collect();
    Ok(LoadedPlot {
        boundary: Rc::new(boundary),
        area_m2: layout.plot.area_m2(),
    })
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(Lang::initial);
    let large = use_state(|| LocalStorage::get::<bool>(LARGE_TEXT_KEY).unwrap_or(false));
    let sample = use_state(|| {
        LocalStorage::get::<String>(SAMPLE_KEY)
            .ok()
            .filter(|id| plotwise_plan::samples::SAMPLES.iter().any(|s| s.id == id))
            .unwrap_or_else(|| DEFAULT_SAMPLE.to_owned())
    });
    {
        let lang = *lang;
        use_effect_with(lang, move |_| lang.apply());
    }
    {
        let large = *large;
        use_effect_with(large, move |_| {
            let _ = LocalStorage::set(LARGE_TEXT_KEY, large);
            if let Some(html) = gloo::utils::document().document_element() {
                let _ = html.class_list().toggle_with_force("large-text", large);
            }
        });
    }
    let plot = use_memo((*sample).clone(), |id| load_sample(id));

    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Lang::from_tag(&select.value()) {
                lang.set(l);
            }
        })
    };
    let on_large = {
        let large = large.clone();
        Callback::from(move |_| large.set(!*large))
    };
    let on_sample = {
        let sample = sample.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            let _ = LocalStorage::set(SAMPLE_KEY, &id);
            sample.set(id);
        })
    };

    let l = *lang;
    let t = |key| tr(l, key);
    html! {
        <>
        <header class="top">
            <h1>{ t(Msg::AppTitle) }</h1>
            <label>
                <span class="sr-only">{ t(Msg::Language) }</span>
                <select id="lang" onchange={on_lang} aria-label={t(Msg::Language)}>
                    <option value="zh-CN" selected={l == Lang::ZhCn}>{ "中文" }</option>
                    <option value="en" selected={l == Lang::En}>{ "English" }</option>
                </select>
            </label>
            <button id="large-text" aria-pressed={large.to_string()} onclick={on_large}>
                { t(Msg::LargeText) }
            </button>
        </header>
        <main>
            <section class="panel">
                <label>
                    { t(Msg::SamplePlot) }
                    <select id="sample" onchange={on_sample}>
                        { for plotwise_plan::samples::SAMPLES.iter().map(|s| html! {
                            <option value={s.id} selected={s.id == sample.as_str()}>
                                { if l == Lang::ZhCn { s.name_zh } else { s.name_en } }
                            </option>
                        }) }
                    </select>
                </label>
            </section>
            { match &*plot {
                Ok(p) => html! {
                    <section class="panel plot-view">
                        <p id="plot-area">
                            { t(Msg::PlotArea) }{ t(Msg::Colon) }
                            <span class="metric">{ format!("{:.1} m²", p.area_m2) }</span>
                        </p>
                        <PlotView boundary={p.boundary.clone()} lang={l} />
                    </section>
                },
                Err(e) => html! {
                    <section class="panel" role="alert">{ t(Msg::LoadFailed) }{ t(Msg::Colon) }{ e.clone() }</section>
                },
            } }
        </main>
        </>
    }
}
