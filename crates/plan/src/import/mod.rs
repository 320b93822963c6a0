//! Import: GeoJSON layouts (the whole layout vocabulary of DESIGN.md) and WKT boundaries.
//!
//! DXF boundaries are imported behind the `dxf` feature (native only).

#[cfg(feature = "dxf")]
pub mod dxf;
pub mod geojson;
pub mod wkt;

use thiserror::Error;

use crate::geom::InvalidOutline;
use crate::text::Text;

/// Why an import failed. Messages name the feature (index and id) and the field.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The text is not GeoJSON (or WKT).
    #[error("cannot parse {format}: {detail}")]
    Parse {
        /// `GeoJSON` or `WKT`.
        format: &'static str,
        /// The parser's message.
        detail: String,
    },
    /// No feature has `role: plot`.
    #[error("no feature with role `plot` (the plot boundary is required)")]
    NoPlot,
    /// More than one plot.
    #[error("feature {index}: a second feature with role `plot` (the first is feature {first})")]
    SecondPlot {
        /// Index of the second plot feature.
        index: usize,
        /// Index of the first.
        first: usize,
    },
    /// A feature has a problem; `field` says where.
    #[error("feature {index}{}: field `{field}`: {problem}", id.as_ref().map(|i| format!(" (id `{i}`)")).unwrap_or_default())]
    Feature {
        /// Index of the feature in the collection (0-based).
        index: usize,
        /// The feature's id, if it has one.
        id: Option<String>,
        /// The field (`role`, `geometry`, `width_m`, …).
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// A building's `height_m` is missing or not a positive number.
    #[error("feature {index}{}: field `height_m`: {}", id.as_ref().map(|i| format!(" (id `{i}`)")).unwrap_or_default(), match found { None => "missing (a building needs its height above the plot's ground in metres, > 0)".to_owned(), Some(v) => format!("must be a positive number of metres (found {v})") })]
    BuildingHeight {
        /// Index of the feature in the collection (0-based).
        index: usize,
        /// The feature's id, if it has one.
        id: Option<String>,
        /// The value found (as written), or `None` when missing.
        found: Option<String>,
    },
    /// Two objects share an id.
    #[error("feature {index}: id `{id}` is already used by another feature")]
    DuplicateId {
        /// Index of the second feature with that id.
        index: usize,
        /// The id.
        id: String,
    },
    /// A WKT boundary is not a usable polygon.
    #[error("boundary: {0}")]
    Boundary(InvalidOutline),
    /// A WKT geometry of another type.
    #[error("boundary: expected a POLYGON or MULTIPOLYGON, found {0}")]
    NotAPolygon(String),
    /// A DXF drawing without a usable boundary.
    #[error("DXF: {0}")]
    Dxf(String),
}

impl ImportError {
    /// The message in English and Chinese (the details, which come from parsers, stay English).
    pub fn message(&self) -> Text {
        let en = self.to_string();
        let zh = match self {
            ImportError::Parse { format, detail } => format!("无法解析 {format}：{detail}"),
            ImportError::NoPlot => "没有 role 为 plot 的要素（必须有地块边界）".to_owned(),
            ImportError::SecondPlot { index, first } => {
                format!("要素 {index}：第二个 role 为 plot 的要素（第一个是要素 {first}）")
            }
            ImportError::Feature {
                index,
                id,
                field,
                problem,
            } => format!(
                "要素 {index}{}：字段 `{field}`：{problem}",
                id.as_ref()
                    .map(|i| format!("（id `{i}`）"))
                    .unwrap_or_default()
            ),
            ImportError::BuildingHeight { index, id, found } => format!(
                "要素 {index}{}：字段 `height_m`：{}",
                id.as_ref()
                    .map(|i| format!("（id `{i}`）"))
                    .unwrap_or_default(),
                match found {
                    None => "缺失（建筑需给出高出地块地面的高度，单位米，须大于 0）".to_owned(),
                    Some(v) => format!("须为大于 0 的米数（实为 {v}）"),
                }
            ),
            ImportError::DuplicateId { index, id } => {
                format!("要素 {index}：id `{id}` 已被其他要素使用")
            }
            ImportError::Boundary(e) => format!("边界：{e}"),
            ImportError::NotAPolygon(t) => format!("边界：应为 POLYGON 或 MULTIPOLYGON，实为 {t}"),
            ImportError::Dxf(detail) => format!("DXF：找不到可用的地块边界（{detail}）"),
        };
        Text::new(en, zh)
    }
}
