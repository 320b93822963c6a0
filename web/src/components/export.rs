//! Export buttons: the SVG board is made here by crates/plan's exporter; the PDF board and
//! the DXF come from the server (the same plan code with its native-only features).

use std::rc::Rc;

use plotwise_plan::export::csv::bill_of_quantities_csv;
use plotwise_plan::export::geojson::layout_geojson;
use plotwise_plan::export::svg::{BoardOptions, board_svg};
use plotwise_plan::{Finding, LayoutDocument, model::Layout};
use yew::prelude::*;

use crate::derive::{catalogue, rules};
use crate::files::{download, file_stem, post};
use crate::i18n::{Lang, Msg, tr};
use crate::state::Notice;

/// What the panel needs.
#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// The layout to export.
    pub layout: Rc<Layout>,
    /// Its findings (numbered on the board).
    pub findings: Rc<Vec<Finding>>,
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

    let on_svg = {
        let layout = props.layout.clone();
        let findings = props.findings.clone();
        let notice = props.on_notice.clone();
        let stem = stem.clone();
        Callback::from(move |_: MouseEvent| {
            let options = BoardOptions {
                findings: (*findings).clone(),
                catalogue: (*catalogue()).clone(),
                rules: (*rules()).clone(),
                ..BoardOptions::default()
            };
            match board_svg(&layout, &options) {
                Ok(svg) => download(&format!("{stem}.svg"), "image/svg+xml", svg.as_bytes()),
                Err(e) => notice.emit(Some(Notice {
                    msg: Msg::ExportFailed,
                    detail: Some(e.message()),
                    problem: true,
                })),
            }
        })
    };
    let on_geojson = {
        let layout = props.layout.clone();
        let notice = props.on_notice.clone();
        let stem = stem.clone();
        Callback::from(move |_: MouseEvent| match layout_geojson(&layout) {
            Ok(text) => download(
                &format!("{stem}.geojson"),
                "application/geo+json",
                text.as_bytes(),
            ),
            Err(e) => notice.emit(Some(Notice {
                msg: Msg::ExportFailed,
                detail: Some(e.message()),
                problem: true,
            })),
        })
    };
    let on_csv = {
        let layout = props.layout.clone();
        let stem = stem.clone();
        Callback::from(move |_: MouseEvent| {
            let csv = bill_of_quantities_csv(&layout, &rules(), &catalogue());
            download(
                &format!("{stem}.csv"),
                "text/csv;charset=utf-8",
                csv.as_bytes(),
            );
        })
    };
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
                match post(path, "application/json", json.as_bytes()).await {
                    Ok(bytes) => {
                        download(&format!("{stem}.{ext}"), mime, &bytes);
                        notice.emit(None);
                    }
                    Err(e) => notice.emit(Some(Notice {
                        msg: Msg::ExportServerFailed,
                        detail: Some(e),
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
                <button id="export-svg" onclick={on_svg}>{ t(Msg::ExportSvg) }</button>
                <button id="export-geojson" onclick={on_geojson}>{ t(Msg::ExportGeojson) }</button>
                <button id="export-csv" onclick={on_csv}>{ t(Msg::ExportCsv) }</button>
                <button id="export-pdf" disabled={*busy}
                    onclick={server("/api/export/pdf", "pdf", "application/pdf")}>{ t(Msg::ExportPdf) }</button>
                <button id="export-dxf" disabled={*busy}
                    onclick={server("/api/export/dxf", "dxf", "application/dxf")}>{ t(Msg::ExportDxf) }</button>
            </div>
            if *busy { <p class="muted" aria-live="polite">{ t(Msg::Working) }</p> }
        </section>
    }
}
