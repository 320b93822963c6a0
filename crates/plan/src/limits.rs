//! Limits on the size of outside input, and a cheap pre-check a server applies before parsing.
//!
//! Parsing and validating are O(n log n) in the number of vertices (measured natively on
//! 200,000-vertex plots: GeoJSON import 0.14 s, the layout document reader 0.15 s, WKT 0.09 s,
//! DXF 0.19 s, validation alone 0.09 s), so these limits are generous: a surveyed 1 km
//! curved wall from CAD has some 20,000 vertices, a whole layout far fewer. They bound the
//! work one request can cause, not what a real plot needs.
//!
//! The pre-checks ([`precheck_json`], [`precheck_wkt`], [`precheck_dxf`]) read the text once
//! without building anything (a byte scan, linear time, no allocation beyond a stack as
//! deep as the JSON nesting) and return what they counted, or a [`LimitError`] naming the limit
//! in English and Chinese ([`LimitError::message`]). They do not check that the input is
//! well-formed: the readers do that, with their own messages. A server answers a
//! [`Limit::FileBytes`] error with 413 (payload too large) and the others with 422.

use thiserror::Error;

use crate::text::Text;

/// The largest file accepted: 16 MiB (GeoJSON, layout document, WKT or DXF).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// The most vertices in one file or layout: every position of every ring, point and element
/// position counted once. About 0.6 s of import and validation natively at this size.
pub const MAX_VERTICES: u64 = 500_000;

/// The most rings (exteriors and holes of all outlines) in one file or layout. Rings that
/// touch each other are compared pairwise by geo's `relate`, so their number is bounded
/// separately from the vertices.
pub const MAX_RINGS: u64 = 20_000;

/// The most features in a GeoJSON file, or objects with an id (plot, entrances, trees,
/// no-build areas, buildings, zones, elements) in a layout document.
pub const MAX_FEATURES: u64 = 20_000;

/// Which limit an input is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`MAX_FILE_BYTES`].
    FileBytes,
    /// [`MAX_VERTICES`].
    Vertices,
    /// [`MAX_RINGS`].
    Rings,
    /// [`MAX_FEATURES`].
    Features,
}

impl Limit {
    /// A stable key for the limit (for JSON error bodies): `max_file_bytes`, `max_vertices`,
    /// `max_rings`, `max_features`.
    pub fn key(self) -> &'static str {
        match self {
            Limit::FileBytes => "max_file_bytes",
            Limit::Vertices => "max_vertices",
            Limit::Rings => "max_rings",
            Limit::Features => "max_features",
        }
    }

    /// The limit's value.
    pub fn max(self) -> u64 {
        match self {
            Limit::FileBytes => MAX_FILE_BYTES as u64,
            Limit::Vertices => MAX_VERTICES,
            Limit::Rings => MAX_RINGS,
            Limit::Features => MAX_FEATURES,
        }
    }
}

/// An input over a limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message().en)]
pub struct LimitError {
    /// The limit.
    pub limit: Limit,
    /// What the input has (for [`Limit::FileBytes`], its size in bytes; for the counts, how
    /// many were counted when the scan stopped at the limit: at least `limit.max() + 1`).
    pub found: u64,
}

impl LimitError {
    /// The message in English and Chinese, naming the limit and its value.
    pub fn message(&self) -> Text {
        let max = self.limit.max();
        let found = self.found;
        match self.limit {
            Limit::FileBytes => Text::new(
                format!(
                    "the file is {found} bytes, more than the limit of {max} bytes (16 MiB, {})",
                    self.limit.key()
                ),
                format!(
                    "文件大小为 {found} 字节，超过上限 {max} 字节（16 MiB，{}）",
                    self.limit.key()
                ),
            ),
            Limit::Vertices => Text::new(
                format!(
                    "the file has more than {max} vertices (at least {found}), the limit for one layout ({})",
                    self.limit.key()
                ),
                format!(
                    "文件的顶点超过 {max} 个（至少 {found} 个），超过一个方案的上限（{}）",
                    self.limit.key()
                ),
            ),
            Limit::Rings => Text::new(
                format!(
                    "the file has more than {max} rings (outlines and holes; at least {found}), the limit for one layout ({})",
                    self.limit.key()
                ),
                format!(
                    "文件的环（轮廓与洞）超过 {max} 个（至少 {found} 个），超过一个方案的上限（{}）",
                    self.limit.key()
                ),
            ),
            Limit::Features => Text::new(
                format!(
                    "the file has more than {max} features (at least {found}), the limit for one layout ({})",
                    self.limit.key()
                ),
                format!(
                    "文件的要素超过 {max} 个（至少 {found} 个），超过一个方案的上限（{}）",
                    self.limit.key()
                ),
            ),
        }
    }
}

/// What a pre-check counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InputSize {
    /// Bytes.
    pub bytes: u64,
    /// Vertices (positions).
    pub vertices: u64,
    /// Rings (arrays of positions).
    pub rings: u64,
    /// Features (GeoJSON) or objects with an id (layout documents). 0 for WKT and DXF.
    pub features: u64,
}

/// What a JSON text holds, for counting its features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// A GeoJSON layout: features are objects whose `type` is `"Feature"`.
    GeoJson,
    /// A layout document (`{"schema_version", "layout"}`): features are objects with an `id`.
    LayoutDocument,
}

/// Refuses input longer than [`MAX_FILE_BYTES`].
///
/// # Examples
/// ```
/// use plotwise_plan::limits::{check_file_bytes, Limit, MAX_FILE_BYTES};
/// assert!(check_file_bytes(1000).is_ok());
/// assert_eq!(check_file_bytes(MAX_FILE_BYTES + 1).unwrap_err().limit, Limit::FileBytes);
/// ```
pub fn check_file_bytes(len: usize) -> Result<(), LimitError> {
    if len > MAX_FILE_BYTES {
        return Err(LimitError {
            limit: Limit::FileBytes,
            found: len as u64,
        });
    }
    Ok(())
}

fn over(limit: Limit, found: u64) -> Result<(), LimitError> {
    if found > limit.max() {
        return Err(LimitError { limit, found });
    }
    Ok(())
}

/// One open JSON container during the scan.
enum Frame {
    Array {
        /// Numbers directly in this array.
        numbers: u32,
        /// Positions (arrays of numbers) directly in this array.
        positions: u32,
        /// Anything else directly in it (strings, objects, other arrays, literals).
        other: bool,
    },
    Object {
        /// The next string is a key.
        want_key: bool,
        /// The last key read.
        key: Key,
        /// Counted as a feature already.
        counted: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Type,
    Id,
    Other,
}

/// Pre-checks GeoJSON or a layout document: size, then vertices, rings and features, stopping
/// at the first limit passed.
///
/// A position is an array of two or more numbers; a ring an array of positions (a point's
/// position and an element's position count as vertices too, a bounding box as one).
///
/// # Examples
/// ```
/// use plotwise_plan::limits::{precheck_json, JsonKind, Limit, MAX_VERTICES};
/// let ok = precheck_json(plotwise_plan::samples::sample("lantian-rest").unwrap().geojson(), JsonKind::GeoJson).unwrap();
/// assert!(ok.vertices > 4 && ok.features >= 1);
/// let ring: Vec<String> = (0..=MAX_VERTICES).map(|i| format!("[{i},0]")).collect();
/// let big = format!(r#"{{"type":"Polygon","coordinates":[[{}]]}}"#, ring.join(","));
/// let e = precheck_json(&big, JsonKind::GeoJson).unwrap_err();
/// assert_eq!(e.limit, Limit::Vertices);
/// assert!(e.message().zh.contains("顶点"));
/// ```
pub fn precheck_json(text: &str, kind: JsonKind) -> Result<InputSize, LimitError> {
    check_file_bytes(text.len())?;
    let bytes = text.as_bytes();
    let mut size = InputSize {
        bytes: bytes.len() as u64,
        ..InputSize::default()
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'[' => {
                mark_other_in_array(&mut stack);
                stack.push(Frame::Array {
                    numbers: 0,
                    positions: 0,
                    other: false,
                });
            }
            b'{' => {
                mark_other_in_array(&mut stack);
                stack.push(Frame::Object {
                    want_key: true,
                    key: Key::Other,
                    counted: false,
                });
            }
            b']' => {
                if let Some(Frame::Array {
                    numbers,
                    positions,
                    other,
                }) = stack.last()
                {
                    let (numbers, positions, other) = (*numbers, *positions, *other);
                    stack.pop();
                    let is_position = numbers >= 2 && positions == 0 && !other;
                    if is_position {
                        size.vertices += 1;
                        over(Limit::Vertices, size.vertices)?;
                    } else if positions > 0 {
                        size.rings += 1;
                        over(Limit::Rings, size.rings)?;
                    }
                    if let Some(Frame::Array { positions: p, .. }) = stack.last_mut()
                        && is_position
                    {
                        *p += 1;
                    }
                }
            }
            b'}' => {
                if let Some(Frame::Object { .. }) = stack.last() {
                    stack.pop();
                }
            }
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b',' => {
                if let Some(Frame::Object { want_key, key, .. }) = stack.last_mut() {
                    *want_key = true;
                    *key = Key::Other;
                }
            }
            b'"' => {
                let (s, end) = read_string(bytes, i);
                i = end;
                match stack.last_mut() {
                    Some(Frame::Object {
                        want_key,
                        key,
                        counted,
                    }) => {
                        if *want_key {
                            *key = match s {
                                b"type" => Key::Type,
                                b"id" => Key::Id,
                                _ => Key::Other,
                            };
                            if kind == JsonKind::LayoutDocument && *key == Key::Id && !*counted {
                                *counted = true;
                                size.features += 1;
                                over(Limit::Features, size.features)?;
                            }
                        } else if kind == JsonKind::GeoJson
                            && *key == Key::Type
                            && s == b"Feature"
                            && !*counted
                        {
                            *counted = true;
                            size.features += 1;
                            over(Limit::Features, size.features)?;
                        }
                    }
                    Some(Frame::Array { other, .. }) => *other = true,
                    None => {}
                }
                continue;
            }
            b'-' | b'0'..=b'9' => {
                // A number: skip it whole.
                let mut j = i + 1;
                while j < bytes.len()
                    && matches!(bytes[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    j += 1;
                }
                if let Some(Frame::Array { numbers, .. }) = stack.last_mut() {
                    *numbers = numbers.saturating_add(1);
                }
                i = j;
                continue;
            }
            b't' | b'f' | b'n' => {
                // true, false, null: not numbers.
                mark_other_in_array(&mut stack);
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(size)
}

/// Anything but a number inside an array makes that array not a position.
fn mark_other_in_array(stack: &mut [Frame]) {
    if let Some(Frame::Array { other, .. }) = stack.last_mut() {
        *other = true;
    }
}

/// Reads a JSON string starting at the quote at `start`: its raw bytes (escapes left as
/// written) and the index after the closing quote (or the end of the text).
fn read_string(bytes: &[u8], start: usize) -> (&[u8], usize) {
    let mut j = start + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return (&bytes[start + 1..j], j + 1),
            _ => j += 1,
        }
    }
    (&bytes[(start + 1).min(bytes.len())..], bytes.len())
}

/// Pre-checks WKT: size, then vertices (coordinate tuples: separated by commas inside the
/// innermost parentheses) and rings (innermost parenthesised lists).
///
/// # Examples
/// ```
/// use plotwise_plan::limits::precheck_wkt;
/// let s = precheck_wkt("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))").unwrap();
/// assert_eq!((s.vertices, s.rings), (8, 2));
/// ```
pub fn precheck_wkt(text: &str) -> Result<InputSize, LimitError> {
    check_file_bytes(text.len())?;
    let mut size = InputSize {
        bytes: text.len() as u64,
        ..InputSize::default()
    };
    // Inside the innermost parentheses: count tuples (commas + 1) when they close.
    let mut tuples_here: u64 = 0;
    let mut innermost = false;
    for b in text.bytes() {
        match b {
            b'(' => {
                innermost = true;
                tuples_here = 1;
            }
            b',' if innermost => tuples_here += 1,
            b')' => {
                if innermost {
                    size.vertices += tuples_here;
                    size.rings += 1;
                    over(Limit::Vertices, size.vertices)?;
                    over(Limit::Rings, size.rings)?;
                }
                innermost = false;
            }
            _ => {}
        }
    }
    Ok(size)
}

/// Pre-checks DXF: size, then (ASCII DXF) vertices, counted as the x coordinates of
/// polyline vertices (group code 10 in the ENTITIES of LWPOLYLINE and VERTEX records; every
/// group code 10 is counted, an upper bound). Binary DXF is checked for size only.
///
/// # Examples
/// ```
/// use plotwise_plan::limits::precheck_dxf;
/// let s = precheck_dxf(b"  0\nSECTION\n  2\nENTITIES\n  0\nLWPOLYLINE\n 10\n0.0\n 20\n0.0\n 10\n1.0\n 20\n0.0\n  0\nEOF\n").unwrap();
/// assert_eq!(s.vertices, 2);
/// ```
pub fn precheck_dxf(bytes: &[u8]) -> Result<InputSize, LimitError> {
    check_file_bytes(bytes.len())?;
    let mut size = InputSize {
        bytes: bytes.len() as u64,
        ..InputSize::default()
    };
    if bytes.starts_with(b"AutoCAD Binary DXF") {
        return Ok(size);
    }
    // Group code lines and value lines alternate.
    for (k, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if k % 2 == 0 && line.trim_ascii() == b"10" {
            size.vertices += 1;
            over(Limit::Vertices, size.vertices)?;
        }
    }
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_counts_positions_rings_and_features() {
        let gj = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"a","properties":{"role":"plot","note":"[1,2] in a string","type":"x"},
             "geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.2]]]]}},
            {"type":"Feature","properties":{"role":"element","type":"bench"},"geometry":{"type":"Point","coordinates":[0.5,0.5e-1]}}
        ]}"#;
        let s = precheck_json(gj, JsonKind::GeoJson).unwrap();
        assert_eq!((s.vertices, s.rings, s.features), (9, 2, 2));
        let doc = crate::LayoutDocument::new(
            crate::import::geojson::import_layout(
                crate::samples::sample("guonian-layout-example")
                    .unwrap()
                    .geojson(),
            )
            .unwrap(),
        );
        let l = &doc.layout;
        let objects = 1
            + l.plot.entrances.len()
            + l.plot.keep_trees.len()
            + l.plot.no_build.len()
            + l.plot.buildings.len()
            + l.zones.len()
            + l.elements.len();
        let s = precheck_json(&doc.to_json(), JsonKind::LayoutDocument).unwrap();
        assert_eq!(s.features, objects as u64);
        assert!(s.rings > l.zones.len() as u64);
    }

    #[test]
    fn each_limit_is_named() {
        let features: Vec<String> = (0..=MAX_FEATURES)
            .map(|_| r#"{"type":"Feature","properties":null,"geometry":null}"#.to_owned())
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let e = precheck_json(&text, JsonKind::GeoJson).unwrap_err();
        assert_eq!(e.limit, Limit::Features);
        assert!(e.to_string().contains("20000 features"), "{e}");
        assert!(
            e.message().zh.contains("要素超过 20000 个"),
            "{}",
            e.message().zh
        );

        let ring = "[[0,0],[1,0],[1,1],[0,0]]";
        let rings: Vec<&str> = std::iter::repeat_n(ring, MAX_RINGS as usize + 1).collect();
        let text = format!(
            r#"{{"type":"Polygon","coordinates":[{}]}}"#,
            rings.join(",")
        );
        assert_eq!(
            precheck_json(&text, JsonKind::GeoJson).unwrap_err().limit,
            Limit::Rings
        );
        let wkt_ring = "(0 0,1 0,1 1,0 0)";
        let many: Vec<&str> = std::iter::repeat_n(wkt_ring, MAX_RINGS as usize + 1).collect();
        assert_eq!(
            precheck_wkt(&format!("POLYGON({})", many.join(",")))
                .unwrap_err()
                .limit,
            Limit::Rings
        );

        let e = check_file_bytes(MAX_FILE_BYTES + 1).unwrap_err();
        assert_eq!(e.found, MAX_FILE_BYTES as u64 + 1);
        assert!(e.message().en.contains("max_file_bytes"));
        assert!(e.message().zh.contains("超过上限"));
    }

    #[test]
    fn malformed_json_never_panics() {
        for text in [
            "", "]]]", "[[[", "{\"a", "\"\\", "[1,2", "{]}[", "[-]", "[tru",
        ] {
            assert!(precheck_json(text, JsonKind::GeoJson).is_ok(), "{text:?}");
            assert!(
                precheck_json(text, JsonKind::LayoutDocument).is_ok(),
                "{text:?}"
            );
            assert!(precheck_wkt(text).is_ok());
            assert!(precheck_dxf(text.as_bytes()).is_ok());
        }
    }
}
