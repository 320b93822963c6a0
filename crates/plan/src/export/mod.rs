//! Export: an SVG board to scale, a PDF board made from it, DXF with layers, GeoJSON in WGS84
//! and a CSV bill of quantities.
//!
//! Everything here is a pure function from a [`Layout`](crate::Layout) (plus options) to a
//! string or bytes: no I/O. [`svg`], [`geojson`] and [`csv`] build for
//! `wasm32-unknown-unknown` without features, so the browser makes them itself; [`pdf`]
//! (feature `pdf`) and [`dxf`] (feature `dxf`) are native only, and the browser gets them
//! from the server, which runs the same code.
//!
//! - [`svg::board_svg`]: the board (plot, zones, elements, entrances, trees, no-build areas,
//!   legend, scale bar, north arrow, title block, optional findings) in millimetres on paper,
//!   at a standard scale.
//! - [`pdf::board_pdf`]: the same board as a PDF, with the CJK font the caller passes embedded
//!   (subset).
//! - [`dxf::layout_dxf`]: R2007+ DXF in metres, one layer per zone kind.
//! - [`geojson::layout_geojson`]: the GeoJSON layout vocabulary, the inverse of
//!   [`import::geojson::import_layout`](crate::import::geojson::import_layout).
//! - [`csv::bill_of_quantities_csv`]: the bill of quantities for a spreadsheet.

pub mod csv;
#[cfg(feature = "dxf")]
pub mod dxf;
pub mod geojson;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod svg;

use geo::{Closest, ClosestPoint, Coord, MultiPolygon, Point};
use thiserror::Error;

use crate::text::Text;

/// Why an export failed.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The drawing does not fit the paper at the requested scale (or at any standard scale).
    #[error(
        "the plot ({width_m:.1} m × {height_m:.1} m) does not fit {paper} at {}; choose larger paper or a smaller scale",
        scale.map(|s| format!("1:{s}")).unwrap_or_else(|| "any standard scale up to 1:5000".to_owned())
    )]
    DoesNotFit {
        /// Width of what is drawn, m.
        width_m: f64,
        /// Height of what is drawn, m.
        height_m: f64,
        /// The paper, e.g. `A3 landscape`.
        paper: String,
        /// The requested scale denominator, or `None` when every standard one was tried.
        scale: Option<u32>,
    },
    /// A scale denominator of zero.
    #[error("scale 1:{0} is not a drawing scale (give a positive denominator such as 200)")]
    BadScale(u32),
    /// GeoJSON export needs WGS84 coordinates, which need the plot's projection.
    #[error(
        "plot `{0}` has no geographic reference (it was drawn or imported in local metres), so it cannot be written as WGS84 GeoJSON; export DXF or SVG instead"
    )]
    NoProjection(String),
    /// The font given for the PDF could not be used.
    #[error("font: {0}")]
    Font(String),
    /// The PDF could not be made (a usvg or svg2pdf failure: a bug in the board).
    #[error("PDF: {0}")]
    Pdf(String),
    /// The DXF could not be written (a bug in the writer).
    #[error("DXF: {0}")]
    Dxf(String),
}

impl ExportError {
    /// The message in English and Chinese.
    pub fn message(&self) -> Text {
        let en = self.to_string();
        let zh = match self {
            ExportError::DoesNotFit {
                width_m,
                height_m,
                paper,
                scale,
            } => format!(
                "地块（{width_m:.1} 米 × {height_m:.1} 米）在 {paper} 上按{}放不下；请选更大的图纸或更小的比例",
                scale
                    .map(|s| format!(" 1:{s} "))
                    .unwrap_or_else(|| "任何不大于 1:5000 的标准比例".to_owned())
            ),
            ExportError::BadScale(s) => format!("比例 1:{s} 无效（请给出正的分母，如 200）"),
            ExportError::NoProjection(id) => {
                format!(
                    "地块 `{id}` 没有地理坐标参考（以本地米制绘制或导入），无法写出 WGS84 GeoJSON；请导出 DXF 或 SVG"
                )
            }
            ExportError::Font(d) => format!("字体：{d}"),
            ExportError::Pdf(d) => format!("PDF：{d}"),
            ExportError::Dxf(d) => format!("DXF：{d}"),
        };
        Text::new(en, zh)
    }
}

/// Escapes text for XML content and attribute values (`&`, `<`, `>`, `"`, `'`), and drops
/// the control characters XML 1.0 cannot carry at all (a user's stray `\u{1}` would otherwise
/// make the whole document unreadable).
///
/// # Examples
/// ```
/// use plotwise_plan::export::xml_escape;
/// assert_eq!(xml_escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
/// assert_eq!(xml_escape("花园\u{1}A"), "花园A");
/// ```
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Where an entrance opens in the boundary: the nearest point `q` on the plot's exterior, the
/// two ends of an opening `width` long along that edge, and the unit normal pointing into the
/// plot (exterior rings are counter-clockwise, so the inside is on the left).
pub(crate) struct Opening {
    pub(crate) at: Coord<f64>,
    pub(crate) ends: (Coord<f64>, Coord<f64>),
    pub(crate) inward: Coord<f64>,
}

pub(crate) fn entrance_opening(
    boundary: &MultiPolygon<f64>,
    at: Coord<f64>,
    width: f64,
) -> Option<Opening> {
    let mut best: Option<(f64, Coord<f64>, Coord<f64>)> = None;
    for p in &boundary.0 {
        for seg in p.exterior().lines() {
            let q = match seg.closest_point(&Point::from(at)) {
                Closest::SinglePoint(q) | Closest::Intersection(q) => q.0,
                Closest::Indeterminate => seg.start,
            };
            let d = (q.x - at.x).hypot(q.y - at.y);
            if best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, q, seg.end - seg.start));
            }
        }
    }
    let (_, q, dir) = best?;
    let len = dir.x.hypot(dir.y);
    if len <= 0.0 || !len.is_finite() {
        return None;
    }
    let u = Coord {
        x: dir.x / len,
        y: dir.y / len,
    };
    let h = width / 2.0;
    Some(Opening {
        at: q,
        ends: (
            Coord {
                x: q.x - u.x * h,
                y: q.y - u.y * h,
            },
            Coord {
                x: q.x + u.x * h,
                y: q.y + u.y * h,
            },
        ),
        inward: Coord { x: -u.y, y: u.x },
    })
}
