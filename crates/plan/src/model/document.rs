//! The stored layout document: `{"schema_version": N, "layout": {…}}`, with migrations.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

use crate::model::Layout;

/// The schema version this crate writes.
///
/// History: 0, the unversioned draft shape; 1, `{"schema_version", "layout"}` with element
/// kinds under `kind`; 2, the plot may carry `buildings` (footprint and height of the blocks
/// around it, for the sun and shade analysis).
pub const CURRENT_SCHEMA_VERSION: u32 = 2;

/// A layout as stored: the schema version and the layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutDocument {
    /// The schema version of `layout`.
    pub schema_version: u32,
    /// The layout.
    pub layout: Layout,
}

/// Why a document could not be loaded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// Not JSON at all.
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
    /// A version this crate does not know (written by a newer Plotwise).
    #[error(
        "schema_version {0} is newer than this program understands (up to {CURRENT_SCHEMA_VERSION})"
    )]
    TooNew(u64),
    /// `schema_version` is not a non-negative integer.
    #[error("field schema_version: expected a non-negative integer")]
    BadVersion,
    /// A field is missing or wrong; the message names it (`layout.zones[2].outline: …`).
    #[error("{0}")]
    Field(String),
}

impl DocumentError {
    /// The message in English and Chinese (details from the JSON parser stay English).
    pub fn message(&self) -> crate::text::Text {
        let en = self.to_string();
        let zh = match self {
            DocumentError::Json(e) => format!("不是有效的 JSON：{e}"),
            DocumentError::TooNew(v) => {
                format!(
                    "schema_version {v} 比本程序支持的版本（最高 {CURRENT_SCHEMA_VERSION}）更新"
                )
            }
            DocumentError::BadVersion => "字段 schema_version：应为非负整数".to_owned(),
            DocumentError::Field(f) => format!("字段错误：{f}"),
        };
        crate::text::Text::new(en, zh)
    }
}

impl LayoutDocument {
    /// Wraps a layout at the current schema version.
    pub fn new(layout: Layout) -> Self {
        LayoutDocument {
            schema_version: CURRENT_SCHEMA_VERSION,
            layout,
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Loads a document of any known version, migrating older ones.
    ///
    /// Version 0 is the unversioned draft shape: the layout's fields at the top level (no
    /// `layout` wrapper, no `schema_version`) and element kinds under `type`. Version 1 has no
    /// `buildings` (its plots have none). Geometry is validated while loading, so an invalid outline is
    /// refused here.
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let value: Value = serde_json::from_str(text).map_err(DocumentError::Json)?;
        Self::from_value(value)
    }

    /// As [`from_json`](Self::from_json), from a parsed value.
    pub fn from_value(mut value: Value) -> Result<Self, DocumentError> {
        let version = match value.get("schema_version") {
            None => 0,
            Some(v) => v.as_u64().ok_or(DocumentError::BadVersion)?,
        };
        if version > u64::from(CURRENT_SCHEMA_VERSION) {
            return Err(DocumentError::TooNew(version));
        }
        if version == 0 {
            value = migrate_0_to_1(value);
        }
        if version <= 1 {
            value = migrate_1_to_2(value);
        }
        let doc: LayoutDocument = serde_path_to_error(value)?;
        doc.layout.check_values().map_err(DocumentError::Field)?;
        if let Some(dup) = doc.layout.duplicate_id() {
            return Err(DocumentError::Field(format!(
                "layout: id `{dup}` is used twice"
            )));
        }
        Ok(LayoutDocument {
            schema_version: CURRENT_SCHEMA_VERSION,
            layout: doc.layout,
        })
    }
}

fn migrate_0_to_1(value: Value) -> Value {
    let mut layout = value;
    if let Some(elements) = layout.get_mut("elements").and_then(Value::as_array_mut) {
        for e in elements {
            if let Some(obj) = e.as_object_mut()
                && !obj.contains_key("kind")
                && let Some(t) = obj.remove("type")
            {
                obj.insert("kind".into(), t);
            }
        }
    }
    serde_json::json!({ "schema_version": 1, "layout": layout })
}

/// Version 2 added the plot's `buildings` (empty when missing): a version 1 layout is a
/// version 2 layout without buildings.
fn migrate_1_to_2(mut value: Value) -> Value {
    if let Some(obj) = value.as_object_mut() {
        obj.insert("schema_version".into(), Value::from(2));
    }
    value
}

/// Deserialises, turning serde's error into one naming the field path where possible.
fn serde_path_to_error(value: Value) -> Result<LayoutDocument, DocumentError> {
    // Try the whole document; on failure, narrow down to the first failing zone or element
    // so the message names it.
    match serde_json::from_value::<LayoutDocument>(value.clone()) {
        Ok(d) => Ok(d),
        Err(e) => {
            let layout = value.get("layout");
            let Some(layout) = layout else {
                return Err(DocumentError::Field("field layout: missing".into()));
            };
            for (list, ty) in [("zones", "zone"), ("elements", "element")] {
                if let Some(items) = layout.get(list).and_then(Value::as_array) {
                    for (i, item) in items.iter().enumerate() {
                        let r = if ty == "zone" {
                            serde_json::from_value::<crate::model::Zone>(item.clone()).err()
                        } else {
                            serde_json::from_value::<crate::model::Element>(item.clone()).err()
                        };
                        if let Some(err) = r {
                            let id = item.get("id").and_then(Value::as_str).unwrap_or("?");
                            return Err(DocumentError::Field(format!(
                                "layout.{list}[{i}] (id `{id}`): {err}"
                            )));
                        }
                    }
                }
            }
            if let Some(plot) = layout.get("plot")
                && let Err(err) = serde_json::from_value::<crate::model::Plot>(plot.clone())
            {
                return Err(DocumentError::Field(format!("layout.plot: {err}")));
            }
            Err(DocumentError::Field(format!("layout: {e}")))
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geom::Outline;
    use crate::model::{Element, Plot};
    use geo::Coord;

    fn layout() -> Layout {
        let plot = Plot::new(
            "plot",
            Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 8.0 }).unwrap(),
        );
        let mut l = Layout::new(plot);
        l.title = "方案 A".into();
        l.elements
            .push(Element::new("b1", "bench", Coord { x: 2.0, y: 3.0 }));
        l
    }

    #[test]
    fn round_trip_at_the_current_version() {
        let doc = LayoutDocument::new(layout());
        let json = doc.to_json();
        assert!(json.contains("\"schema_version\": 2"));
        assert_eq!(LayoutDocument::from_json(&json).unwrap(), doc);
    }

    #[test]
    fn version_0_drafts_are_migrated() {
        let v0 = r#"{"title":"old draft","plot":{"id":"plot","kind":{"type":"ground"},
            "outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},
            "elements":[{"id":"b1","type":"bench","position":[2,3]}]}"#;
        let doc = LayoutDocument::from_json(v0).unwrap();
        assert_eq!(doc.schema_version, CURRENT_SCHEMA_VERSION);
        assert_eq!(doc.layout.title, "old draft");
        assert_eq!(doc.layout.elements[0].kind, "bench");
    }

    #[test]
    fn version_1_documents_are_migrated_and_buildings_round_trip() {
        let v1 = r#"{"schema_version":1,"layout":{"title":"v1","plot":{"id":"plot","kind":{"type":"ground"},
            "outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},
            "elements":[{"id":"b1","kind":"bench","position":[2,3]}]}}"#;
        let doc = LayoutDocument::from_json(v1).unwrap();
        assert_eq!(doc.schema_version, 2);
        assert_eq!(doc.layout.title, "v1");
        assert!(doc.layout.plot.buildings.is_empty());
        // Written back at version 2, without an empty `buildings` list.
        let json = doc.to_json();
        assert!(json.contains("\"schema_version\": 2") && !json.contains("buildings"));

        let mut l = layout();
        l.plot.buildings.push(crate::model::Building::new(
            "block-3",
            Outline::rect(Coord { x: 0.0, y: 12.0 }, Coord { x: 10.0, y: 24.0 }).unwrap(),
            18.0,
        ));
        let doc = LayoutDocument::new(l);
        let back = LayoutDocument::from_json(&doc.to_json()).unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.layout.plot.buildings[0].height_m, 18.0);

        // A height that is not positive is refused, naming the building and the field.
        let bad = doc
            .to_json()
            .replace("\"height_m\": 18.0", "\"height_m\": -3.0");
        let e = LayoutDocument::from_json(&bad).unwrap_err().to_string();
        assert!(
            e.contains("buildings[0]") && e.contains("block-3") && e.contains("height_m"),
            "{e}"
        );
    }

    #[test]
    fn bad_documents_name_the_field() {
        let e = LayoutDocument::from_json(r#"{"schema_version": 99, "layout": {}}"#).unwrap_err();
        assert!(matches!(e, DocumentError::TooNew(99)));
        let bowtie = r#"{"schema_version":1,"layout":{"plot":{"id":"plot","kind":{"type":"ground"},
            "outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},
            "zones":[{"id":"z1","kind":"lawn","outline":[[[[0,0],[4,3],[4,0],[0,3],[0,0]]]]}]}}"#;
        let e = LayoutDocument::from_json(bowtie).unwrap_err().to_string();
        assert!(
            e.contains("layout.zones[0]") && e.contains("z1") && e.contains("self-intersection"),
            "{e}"
        );
        let dup = r#"{"schema_version":1,"layout":{"plot":{"id":"plot","kind":{"type":"ground"},
            "outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},
            "elements":[{"id":"plot","kind":"bench","position":[1,1]}]}}"#;
        assert!(
            LayoutDocument::from_json(dup)
                .unwrap_err()
                .to_string()
                .contains("used twice")
        );
    }
}
