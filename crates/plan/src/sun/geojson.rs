//! `plotwise sun`'s GeoJSON: points back with `sun_hours`, or a grid of cells with a summary
//! per zone (WGS84, RFC 7946).

use geo::Coord;
use serde_json::{Map, Value, json};
use thiserror::Error;

use super::{SunAnalysis, SunError, SunTrack, SunWindow, grid_of};
use crate::import::ImportError;
use crate::model::Layout;
use crate::projection::LonLat;
use crate::text::Text;

/// Why `plotwise sun` could not answer.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SunFileError {
    /// The points file is not usable (names the feature and field).
    #[error("{0}")]
    Points(ImportError),
    /// The analysis itself (window, position, grid).
    #[error("{0}")]
    Sun(SunError),
}

impl SunFileError {
    /// The message in English and Chinese.
    pub fn message(&self) -> Text {
        match self {
            SunFileError::Points(e) => e.message(),
            SunFileError::Sun(e) => e.message(),
        }
    }
}

impl From<SunError> for SunFileError {
    fn from(e: SunError) -> Self {
        SunFileError::Sun(e)
    }
}

fn minutes_hhmm(m: f64) -> String {
    let m = m.round() as i64;
    let day = m.div_euclid(1440);
    let r = m.rem_euclid(1440);
    let s = format!("{:02}:{:02}", r / 60, r % 60);
    match day {
        0 => s,
        d if d < 0 => format!("{s} (previous day)"),
        _ => format!("{s} (next day)"),
    }
}

/// The window and sun details written with every answer (`sun` member of the collection).
fn describe(track: &SunTrack) -> Value {
    let w = &track.window;
    let (a, b) = track.standard_window();
    json!({
        "date": w.date.to_string(),
        "from": w.from.to_string(),
        "to": w.to.to_string(),
        "clock": w.clock.as_str(),
        "utc_offset": w.utc_offset.to_string(),
        "step_min": w.step_min,
        "samples": track.samples.len(),
        "sun_up_samples": track.sun_up_samples(),
        "standard_from": minutes_hhmm(a),
        "standard_to": minutes_hhmm(b),
        "equation_of_time_min": (track.equation_of_time_min * 1000.0).round() / 1000.0,
        "location": [track.location.lon, track.location.lat],
        "sun_position": "NREL SPA (solar-positioning), apparent elevation, standard atmosphere",
    })
}

fn feature_id(f: &Value) -> Option<String> {
    let from = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    f.get("id")
        .and_then(from)
        .or_else(|| f.get("properties").and_then(|p| p.get("id")).and_then(from))
}

/// The point features of `points` (a FeatureCollection or one Feature of Points, WGS84) with a
/// property `sun_hours` added: hours of direct sun at each point within `window`. Every other
/// member is kept, so features are matched by their `id`.
pub fn points_geojson(
    layout: &Layout,
    window: &SunWindow,
    points: &str,
) -> Result<String, SunFileError> {
    let proj = layout.plot.projection.ok_or(SunError::NoLocation)?;
    let parse_err = |detail: String| {
        SunFileError::Points(ImportError::Parse {
            format: "GeoJSON",
            detail,
        })
    };
    let mut doc: Value = serde_json::from_str(points).map_err(|e| parse_err(e.to_string()))?;
    let single = doc.get("type").and_then(Value::as_str) == Some("Feature");
    let features: Vec<&mut Value> = if single {
        vec![&mut doc]
    } else if doc.get("type").and_then(Value::as_str) == Some("FeatureCollection") {
        match doc.get_mut("features").and_then(Value::as_array_mut) {
            Some(a) => a.iter_mut().collect(),
            None => {
                return Err(parse_err(
                    "a FeatureCollection without a `features` array".into(),
                ));
            }
        }
    } else {
        return Err(parse_err(
            "expected a FeatureCollection (or a Feature) of Points".into(),
        ));
    };
    let mut coords = Vec::with_capacity(features.len());
    for (index, f) in features.iter().enumerate() {
        let err = |field: &str, problem: String| {
            SunFileError::Points(ImportError::Feature {
                index,
                id: feature_id(f),
                field: field.into(),
                problem,
            })
        };
        let g = f
            .get("geometry")
            .filter(|g| !g.is_null())
            .ok_or_else(|| err("geometry", "missing (expected a Point)".into()))?;
        if g.get("type").and_then(Value::as_str) != Some("Point") {
            let t = g.get("type").and_then(Value::as_str).unwrap_or("?");
            return Err(err("geometry", format!("expected a Point, found {t}")));
        }
        let c = g
            .get("coordinates")
            .and_then(Value::as_array)
            .filter(|a| a.len() >= 2)
            .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
            .ok_or_else(|| err("geometry", "a Point needs [longitude, latitude]".into()))?;
        let (lon, lat) = c;
        if !(lon.is_finite()
            && lat.is_finite()
            && (-180.0..=180.0).contains(&lon)
            && (-90.0..=90.0).contains(&lat))
        {
            return Err(err(
                "geometry",
                format!("position [{lon}, {lat}] is not WGS84 longitude/latitude (RFC 7946)"),
            ));
        }
        if f.get("properties")
            .is_some_and(|p| !p.is_null() && !p.is_object())
        {
            return Err(err("properties", "expected an object or null".into()));
        }
        coords.push(proj.to_local(LonLat { lon, lat }));
    }
    let extent = coords
        .iter()
        .map(|p| geo::Rect::new(*p, *p))
        .reduce(super::union_rect);
    let a = SunAnalysis::new(layout, window, extent)?;
    for (f, hours) in features.into_iter().zip(a.hours_at_many(&coords)) {
        if let Some(obj) = f.as_object_mut() {
            let props = obj
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if props.is_null() {
                *props = Value::Object(Map::new());
            }
            if let Some(p) = props.as_object_mut() {
                p.insert("sun_hours".into(), json!(hours));
            }
        }
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("sun".into(), describe(&a.track));
    }
    Ok(serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// A FeatureCollection of `cell_m` square cells over the plot (those whose centre lies in
/// it), each with `sun_hours` at its centre, and a `zones` member summarising each zone.
pub fn grid_geojson(
    layout: &Layout,
    window: &SunWindow,
    cell_m: f64,
) -> Result<String, SunFileError> {
    let proj = layout.plot.projection.ok_or(SunError::NoLocation)?;
    let a = SunAnalysis::new(layout, window, None)?;
    let g = grid_of(layout, &a, cell_m)?;
    let track = &a.track;
    let h = cell_m / 2.0;
    let pos = |c: Coord<f64>| {
        let ll = proj.to_wgs84(c);
        json!([ll.lon, ll.lat])
    };
    let features: Vec<Value> = g
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (x, y) = (c.centre.x, c.centre.y);
            let ring: Vec<Value> = [(-h, -h), (h, -h), (h, h), (-h, h), (-h, -h)]
                .iter()
                .map(|(dx, dy)| {
                    pos(Coord {
                        x: x + dx,
                        y: y + dy,
                    })
                })
                .collect();
            json!({
                "type": "Feature",
                "id": format!("cell-{}", i + 1),
                "geometry": { "type": "Polygon", "coordinates": [ring] },
                "properties": { "sun_hours": c.sun_hours },
            })
        })
        .collect();
    let zones: Vec<Value> = g
        .zones
        .iter()
        .map(|z| {
            json!({
                "id": z.id,
                "kind": z.kind.key(),
                "points": z.points,
                "mean_sun_hours": z.mean_sun_hours,
                "min_sun_hours": z.min_sun_hours,
                "max_sun_hours": z.max_sun_hours,
                "median_sun_hours": z.median_sun_hours,
            })
        })
        .collect();
    let doc = json!({
        "type": "FeatureCollection",
        "sun": describe(track),
        "cell_m": cell_m,
        "zones": zones,
        "features": features,
    });
    Ok(serde_json::to_string_pretty(&doc).unwrap_or_default())
}
