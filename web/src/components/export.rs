//! Export buttons: the server makes every file (SVG and PDF boards, DXF, GeoJSON, the bill of
//! quantities as CSV) from the layout posted to it, with the same crates/plan code as
//! `plotwise export`. Keeping the exporters out of the editor's bundle saves about a twentieth
//! of its download (wasm + js, gzipped), and one code path makes all five.

use std::rc::Rc;

use plotwise_plan::{LayoutDocument, model::Layout};
use yew::prelude::*;

use crate::api::post_bytes;
use crate::files::{download, file_stem};
use crate::i18n::{Lang, Msg, tr};
use crate::state::Notice;

/// What the panel needs.
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The layout to export.
    pub layout: Rc<Layout>,
    /// Interface language.
    pub lang: Lang,
    /// Shows a message.
    pub on_notice: Callback<Option<Notice>>,
}

/// The export panel.
#[function_component(ExportPanel)]
pub fn export_panel(props: &ExportProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let busy = use_state(|| false);
    let stem = file_stem(if props.layout.title.is_empty() {
        props.layout.plot.id.as_str()
    } else {
        &props.layout.title
    });

    let server = |path: &'static str, ext: &'static str, mime: &'static str| {
        let layout = props.layout.clone();
        let notice = props.on_notice.clone();
        let busy = busy.clone();
        let stem = stem.clone();
        Callback::from(move |_: MouseEvent| {
            let json = LayoutDocument::new((*layout).clone()).to_json();
            let notice = notice.clone();
            let busy = busy.clone();
            let stem = stem.clone();
            busy.set(true);
            yew::platform::spawn_local(async move {
                match post_bytes(path, "application/json", json.as_bytes()).await {
                    Ok(bytes) => {
                        download(&format!("{stem}.{ext}"), mime, &bytes);
                        notice.emit(None);
                    }
                    Err(e) => notice.emit(Some(Notice {
                        msg: Msg::ExportServerFailed,
                        detail: Some(e.text()),
                        problem: true,
                    })),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="panel export" aria-labelledby="export-h">
            <h2 id="export-h">{ t(Msg::Export) }</h2>
            <div class="buttons">
                <button id="export-svg" disabled={*busy}
                    onclick={server("/api/export/svg", "svg", "image/svg+xml")}>{ t(Msg::ExportSvg) }</button>
                <button id="export-geojson" disabled={*busy}
                    onclick={server("/api/export/geojson", "geojson", "application/geo+json")}>{ t(Msg::ExportGeojson) }</button>
                <button id="export-csv" disabled={*busy}
                    onclick={server("/api/export/csv", "csv", "text/csv;charset=utf-8")}>{ t(Msg::ExportCsv) }</button>
                <button id="export-pdf" disabled={*busy}
                    onclick={server("/api/export/pdf", "pdf", "application/pdf")}>{ t(Msg::ExportPdf) }</button>
                <button id="export-dxf" disabled={*busy}
                    onclick={server("/api/export/dxf", "dxf", "application/dxf")}>{ t(Msg::ExportDxf) }</button>
            </div>
            if *busy { <p class="muted" aria-live="polite">{ t(Msg::Working) }</p> }
        </section>
    }
}
