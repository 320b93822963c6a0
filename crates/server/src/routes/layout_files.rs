//! Layout files made on the server for the browser: the PDF board and DXF (whose crates are
//! too heavy for the wasm bundle, DESIGN.md invariant 1), SVG, GeoJSON and CSV (kept out of
//! the bundle for its size budget), and GeoJSON and DXF files read in.
//!
//! The browser posts the layout it holds; nothing is stored. The same `plotwise-plan` code as
//! `plotwise export` and `plotwise import` does the work, so a file from the editor and one
//! from the command line are the same.
//!
//! - `POST /api/export/{format}` with a layout document (JSON) as the body, `format` one of
//!   `pdf`, `dxf`, `svg`, `geojson`, `csv` (bill of quantities): answers the file as an
//!   attachment. The editor gets all five here, so its bundle carries no exporter.
//! - `POST /api/import/dxf` with the DXF file as the body, or `POST /api/import/geojson` with
//!   a GeoJSON layout: answers a layout document (JSON). A file that does not read gets a 400
//!   whose message (English and Chinese) names the feature and field.
//! - `GET /api/samples/{id}`: one of plan's sample plots as a layout document. The browser
//!   keeps only the list of samples, not their texts or the GeoJSON reader (bundle budget).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plotwise_plan::LayoutDocument;
use plotwise_plan::catalogue::Catalogue;
use plotwise_plan::export::svg::BoardOptions;
use plotwise_plan::rules::RuleSet;

use crate::error::AppError;
use crate::layout_jobs::{file_job, read_layout_document};

/// The largest layout document or DXF file accepted (the 1 km strip with 1,000 elements is
/// well under 1 MB as JSON; surveyed DXF boundaries can carry more).
/// The route's body limit is a little more, so that a file just over it gets the JSON
/// answer naming the limit (`plotwise_plan::limits::MAX_FILE_BYTES`) rather than axum's.
pub const MAX_UPLOAD_BYTES: usize = plotwise_plan::limits::MAX_FILE_BYTES + 64 * 1024;

/// `GET /api/consultations/{id}/comparison` ([`plotwise_api::OptionComparison`]): the frozen
/// options measured side by side (public, like their layouts). The options are frozen, so the
/// comparison is computed once per set of option digests, in the file-job pool (it runs every
/// rule, sun included, on every option), and then answered from memory as its JSON (the same
/// in every server process: it depends only on the frozen bytes).
pub(crate) async fn option_comparison(
    axum::extract::State(ctx): axum::extract::State<crate::ctx::Ctx>,
    crate::ctx::ApiPath(id): crate::ctx::ApiPath<i64>,
) -> Result<Response, AppError> {
    type Key = (i64, Vec<String>);
    static MEMO: std::sync::Mutex<Vec<(Key, Arc<str>)>> = std::sync::Mutex::new(Vec::new());
    /// Comparisons kept (one per consultation whose home is being read).
    const KEPT: usize = 16;

    let digests: Vec<String> = ctx
        .store
        .read(move |tx| {
            Ok(crate::store::consultations::options(tx, id)?
                .into_iter()
                .map(|o| o.sha256)
                .collect())
        })
        .await?;
    if digests.is_empty() {
        return Err(AppError::NotFound);
    }
    let key: Key = (id, digests);
    let hit = {
        let m = MEMO.lock().unwrap_or_else(|p| p.into_inner());
        m.iter().find(|(k, _)| *k == key).map(|(_, c)| c.clone())
    };
    let json = match hit {
        Some(json) => json,
        None => {
            let layouts = ctx
                .store
                .read(move |tx| Ok(crate::store::consultations::option_layouts(tx, id)?))
                .await?;
            let json: Arc<str> = file_job(move || {
                serde_json::to_string(&compare_options(&layouts))
                    .map(Into::into)
                    .map_err(|e| AppError::Internal(e.to_string()))
            })
            .await?;
            let mut m = MEMO.lock().unwrap_or_else(|p| p.into_inner());
            if m.len() >= KEPT {
                m.remove(0);
            }
            m.push((key, json.clone()));
            json
        }
    };
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        json.to_string(),
    )
        .into_response())
}

/// The frozen options (index, layout document as stored) measured side by side with plan's
/// comparison under the default rule set and the built-in catalogue, as the public pages show
/// them. An option whose stored document does not read as a layout (proposals are stored as
/// the residents sent them) has no figures and a blank (`null`) in every row.
pub(crate) fn compare_options(options: &[(u32, String)]) -> plotwise_api::OptionComparison {
    let read: Vec<(u32, plotwise_plan::Layout)> = options
        .iter()
        .filter_map(|(index, text)| {
            LayoutDocument::from_json(text)
                .ok()
                .map(|doc| (*index, doc.layout))
        })
        .collect();
    let refs: Vec<&plotwise_plan::Layout> = read.iter().map(|(_, l)| l).collect();
    let table = plotwise_plan::compare::compare(&refs, &RuleSet::default(), &Catalogue::builtin());
    let column_of = |index: u32| read.iter().position(|(i, _)| *i == index);
    plotwise_api::OptionComparison {
        same_plot: table.same_plot,
        options: read
            .iter()
            .zip(&table.columns)
            .map(|((index, _), c)| plotwise_api::OptionFigures {
                index: *index,
                seats: c.metrics.seats,
                green_ratio: c.metrics.green_ratio,
                cost_total: c.metrics.cost.total,
                errors: c.findings.errors,
                warnings: c.findings.warnings,
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .map(|row| {
                let value = |index: u32| column_of(index).and_then(|k| row.values[k]);
                plotwise_api::ComparisonRow {
                    key: row.key.clone(),
                    label_en: row.label.en.clone(),
                    label_zh: row.label.zh.clone(),
                    unit: row.unit.clone(),
                    values: options.iter().map(|(i, _)| value(*i)).collect(),
                    best: options
                        .iter()
                        .map(|(i, _)| *i)
                        .filter(|i| column_of(*i).is_some() && row.is_best(value(*i)))
                        .collect(),
                }
            })
            .collect(),
    }
}

/// Where the CJK font for PDF boards is: `PLOTWISE_CJK_FONT`, else Debian's WenQuanYi Micro
/// Hei (package `fonts-wqy-microhei`, installed by `cargo xtask setup`).
pub fn cjk_font_path() -> PathBuf {
    std::env::var_os("PLOTWISE_CJK_FONT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"))
}

/// The font's bytes, read once per process.
fn cjk_font() -> Result<Arc<[u8]>, AppError> {
    static FONT: OnceLock<Result<Arc<[u8]>, String>> = OnceLock::new();
    FONT.get_or_init(|| {
        let path = cjk_font_path();
        std::fs::read(&path)
            .map(Arc::from)
            .map_err(|e| format!("{}: {e}", path.display()))
    })
    .clone()
    .map_err(|e| {
        AppError::Internal(format!(
            "no CJK font for PDF boards ({e}); install fonts-wqy-microhei or set PLOTWISE_CJK_FONT"
        ))
    })
}

/// `POST /api/export/{format}`.
/// Parsing and validating the document happen in the file pool too, not on the async
/// threads (a large outline takes real CPU to validate).
pub async fn export(Path(format): Path<String>, body: Bytes) -> Result<Response, AppError> {
    let (bytes, mime, ext, stem) = file_job(move || -> Result<_, AppError> {
        let layout = read_layout_document(&body)?;
        let stem = file_stem(if layout.title.trim().is_empty() {
            layout.plot.id.as_str()
        } else {
            &layout.title
        });
        let catalogue = Catalogue::builtin();
        let rules = RuleSet::default();
        let bad = |e: plotwise_plan::export::ExportError| AppError::BadRequest(e.to_string());
        let (bytes, mime, ext) = match format.as_str() {
            "pdf" => {
                let findings = plotwise_plan::rules::check(&layout, &rules, &catalogue);
                let options = BoardOptions {
                    findings,
                    catalogue,
                    rules,
                    ..BoardOptions::default()
                };
                let font = cjk_font()?;
                let pdf =
                    plotwise_plan::export::pdf::board_pdf(&layout, &options, &font).map_err(bad)?;
                (pdf, "application/pdf", "pdf")
            }
            "svg" => {
                let findings = plotwise_plan::rules::check(&layout, &rules, &catalogue);
                let options = BoardOptions {
                    findings,
                    catalogue,
                    rules,
                    ..BoardOptions::default()
                };
                let svg = plotwise_plan::export::svg::board_svg(&layout, &options).map_err(bad)?;
                (svg.into_bytes(), "image/svg+xml", "svg")
            }
            "dxf" => (
                plotwise_plan::export::dxf::layout_dxf(&layout, &catalogue).map_err(bad)?,
                "application/dxf",
                "dxf",
            ),
            "geojson" => {
                let json = plotwise_plan::export::geojson::layout_geojson(&layout).map_err(bad)?;
                (json.into_bytes(), "application/geo+json", "geojson")
            }
            "csv" => {
                let csv =
                    plotwise_plan::export::csv::bill_of_quantities_csv(&layout, &rules, &catalogue);
                (csv.into_bytes(), "text/csv; charset=utf-8", "csv")
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "unknown export format `{other}` (pdf, dxf, svg, geojson or csv)"
                )));
            }
        };
        Ok((bytes, mime, ext, stem))
    })
    .await?;
    let disposition = format!(
        "attachment; filename=\"{}.{ext}\"; filename*=UTF-8''{}.{ext}",
        ascii_fallback(&stem),
        percent_encode(&stem)
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `POST /api/import/dxf`: the plot boundary of a DXF file, as a layout document.
pub async fn import_dxf(body: Bytes) -> Result<Response, AppError> {
    let layout = file_job(move || {
        plotwise_plan::limits::check_file_bytes(body.len())?;
        plotwise_plan::limits::precheck_dxf(&body)?;
        plotwise_plan::import::dxf::import_boundary(&body)
            .map_err(|e| AppError::BadFile(e.message()))
    })
    .await?;
    Ok(document_response(layout))
}

/// `POST /api/import/geojson`: a GeoJSON layout (plot, zones, elements…), as a layout document.
pub async fn import_geojson(body: Bytes) -> Result<Response, AppError> {
    let layout = file_job(move || {
        plotwise_plan::limits::check_file_bytes(body.len())?;
        let text = std::str::from_utf8(&body).map_err(|e| {
            AppError::BadFile(plotwise_plan::Text::new(
                format!("the file is not UTF-8 text (byte {})", e.valid_up_to()),
                format!("文件不是 UTF-8 文本（第 {} 字节）", e.valid_up_to()),
            ))
        })?;
        plotwise_plan::limits::precheck_json(text, plotwise_plan::limits::JsonKind::GeoJson)?;
        plotwise_plan::import::geojson::import_layout(text)
            .map_err(|e| AppError::BadFile(e.message()))
    })
    .await?;
    Ok(document_response(layout))
}

/// `GET /api/samples/{id}`: a sample plot, as a layout document.
pub async fn sample(Path(id): Path<String>) -> Result<Response, AppError> {
    let sample = plotwise_plan::samples::sample(&id).ok_or(AppError::NotFound)?;
    let layout = tokio::task::spawn_blocking(move || {
        plotwise_plan::import::geojson::import_layout(sample.geojson())
    })
    .await?
    // The samples are tested in crates/plan: failing here is the server's fault.
    .map_err(|e| AppError::Internal(format!("sample {}: {e}", sample.id)))?;
    Ok(document_response(layout))
}

/// A layout document as a JSON answer (the same text `plotwise import` writes).
fn document_response(layout: plotwise_plan::model::Layout) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        LayoutDocument::new(layout).to_json(),
    )
        .into_response()
}

/// A file name from a title: no path separators or control characters, at most 80 chars.
fn file_stem(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(80)
        .collect();
    let cleaned = cleaned.trim().trim_matches('.').to_owned();
    if cleaned.is_empty() {
        "layout".to_owned()
    } else {
        cleaned
    }
}

/// The name for old clients that do not read `filename*`: ASCII only.
fn ascii_fallback(stem: &str) -> String {
    let s: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.chars().all(|c| c == '_' || c == ' ') {
        "layout".to_owned()
    } else {
        s
    }
}

/// RFC 5987 percent-encoding of UTF-8.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_both_forms() {
        assert_eq!(file_stem("../etc/passwd"), "_etc_passwd");
        assert_eq!(file_stem("  "), "layout");
        assert_eq!(ascii_fallback("国权路 方案A"), "___ __A");
        assert_eq!(ascii_fallback("国权路"), "layout");
        assert_eq!(percent_encode("方案 A"), "%E6%96%B9%E6%A1%88%20A");
    }
}
