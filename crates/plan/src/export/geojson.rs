//! GeoJSON export (RFC 7946, WGS84): the layout vocabulary of DESIGN.md, the inverse of
//! [`import_layout`](crate::import::geojson::import_layout).
//!
//! Every object becomes a feature whose `role` says what it is (`plot`, `entrance`,
//! `keep_tree`, `no_build`, `building`, `zone`, `element`), with its id both as the feature's `id` and as
//! `properties.id` (QGIS keeps only the latter), and the properties the importer reads
//! (`kind`, `surface`, `soil_depth_m`, `height_m`, `type`, `rotation_deg`, `width_m`, …). The layout's
//! title, author and notes are members of the collection. Coordinates are converted from local
//! metres with the plot's [`LocalProjection`](crate::LocalProjection) and written at full
//! precision, so import → export → import gives the same ids and the same areas.
//!
//! A plot without a projection (drawn in plain metres, or imported from WKT or DXF) has no
//! place on Earth: exporting it is refused with [`ExportError::NoProjection`] rather than
//! writing metres where every GeoJSON reader expects degrees.

use geo::{Coord, MultiPolygon};
use serde_json::{Map, Value, json};

use super::ExportError;
use crate::model::{Layout, PlotKind};
use crate::projection::LocalProjection;

/// The layout as a GeoJSON FeatureCollection (pretty-printed).
///
/// # Errors
/// [`ExportError::NoProjection`] when the plot is not georeferenced.
///
/// # Examples
/// ```
/// use plotwise_plan::import::geojson::import_layout;
/// use plotwise_plan::export::geojson::layout_geojson;
/// let layout = import_layout(plotwise_plan::samples::sample("lantian-rest").unwrap().geojson()).unwrap();
/// let text = layout_geojson(&layout).unwrap();
/// let back = import_layout(&text).unwrap();
/// assert!((back.plot.area_m2() / layout.plot.area_m2() - 1.0).abs() < 1e-6);
/// ```
pub fn layout_geojson(layout: &Layout) -> Result<String, ExportError> {
    let value = layout_geojson_value(layout)?;
    // Plain data with string keys: serialising cannot fail.
    Ok(serde_json::to_string_pretty(&value).unwrap_or_default())
}

/// As [`layout_geojson`], as a JSON value.
pub fn layout_geojson_value(layout: &Layout) -> Result<Value, ExportError> {
    let plot = &layout.plot;
    let proj = plot
        .projection
        .ok_or_else(|| ExportError::NoProjection(plot.id.0.clone()))?;
    let mut features = Vec::new();

    let mut props = base("plot", plot.id.as_str());
    opt_str(&mut props, "name", plot.name.as_deref());
    opt_str(&mut props, "name_zh", plot.name_zh.as_deref());
    match &plot.kind {
        PlotKind::Ground => {
            props.insert("kind".into(), json!("ground"));
        }
        PlotKind::Rooftop(r) => {
            props.insert("kind".into(), json!("rooftop"));
            if let Some(v) = r.floor_level {
                props.insert("floor_level".into(), json!(v));
            }
            opt_num(&mut props, "drop_height_m", r.drop_height_m);
            opt_num(&mut props, "parapet_height_m", r.parapet_height_m);
            opt_num(
                &mut props,
                "declared_slab_capacity_kn_m2",
                r.declared_slab_capacity_kn_m2,
            );
        }
    }
    opt_num(&mut props, "reference_area_m2", plot.reference_area_m2);
    opt_str(&mut props, "note", plot.note.as_deref());
    features.push(feature(
        plot.id.as_str(),
        polygons(&proj, plot.outline.multi_polygon()),
        props,
    ));

    for e in &plot.entrances {
        let mut props = base("entrance", e.id.as_str());
        opt_str(&mut props, "name", e.name.as_deref());
        opt_str(&mut props, "name_zh", e.name_zh.as_deref());
        opt_num(&mut props, "width_m", Some(e.width_m));
        props.insert("step_free".into(), json!(e.step_free));
        features.push(feature(e.id.as_str(), point(&proj, e.position), props));
    }
    for t in &plot.keep_trees {
        let mut props = base("keep_tree", t.id.as_str());
        opt_str(&mut props, "name", t.name.as_deref());
        opt_str(&mut props, "name_zh", t.name_zh.as_deref());
        opt_num(&mut props, "canopy_radius_m", Some(t.canopy_radius_m));
        opt_num(&mut props, "protect_radius_m", Some(t.protect_radius_m));
        opt_num(&mut props, "height_m", t.height_m);
        features.push(feature(t.id.as_str(), point(&proj, t.position), props));
    }
    for nb in &plot.no_build {
        let mut props = base("no_build", nb.id.as_str());
        opt_str(&mut props, "name", nb.name.as_deref());
        opt_str(&mut props, "name_zh", nb.name_zh.as_deref());
        opt_str(&mut props, "reason", nb.reason.as_deref());
        features.push(feature(
            nb.id.as_str(),
            polygons(&proj, nb.outline.multi_polygon()),
            props,
        ));
    }
    for b in &plot.buildings {
        let mut props = base("building", b.id.as_str());
        opt_str(&mut props, "name", b.name.as_deref());
        opt_str(&mut props, "name_zh", b.name_zh.as_deref());
        opt_num(&mut props, "height_m", Some(b.height_m));
        features.push(feature(
            b.id.as_str(),
            polygons(&proj, b.outline.multi_polygon()),
            props,
        ));
    }
    for z in &layout.zones {
        let mut props = base("zone", z.id.as_str());
        props.insert("kind".into(), json!(z.kind.key()));
        opt_str(&mut props, "surface", z.surface.map(|s| s.key()));
        opt_num(&mut props, "soil_depth_m", z.soil_depth_m);
        opt_str(&mut props, "name", z.name.as_deref());
        opt_str(&mut props, "name_zh", z.name_zh.as_deref());
        features.push(feature(
            z.id.as_str(),
            polygons(&proj, z.outline.multi_polygon()),
            props,
        ));
    }
    for e in &layout.elements {
        let mut props = base("element", e.id.as_str());
        props.insert("type".into(), json!(e.kind));
        opt_num(&mut props, "rotation_deg", Some(e.rotation_deg));
        if let Some(s) = e.size {
            opt_num(&mut props, "width_m", Some(s.width_m));
            opt_num(&mut props, "depth_m", Some(s.depth_m));
        }
        opt_str(&mut props, "name", e.name.as_deref());
        features.push(feature(e.id.as_str(), point(&proj, e.position), props));
    }

    let mut fc = Map::new();
    fc.insert("type".into(), json!("FeatureCollection"));
    if !layout.title.is_empty() {
        fc.insert("title".into(), json!(layout.title));
    }
    if !layout.author.is_empty() {
        fc.insert("author".into(), json!(layout.author));
    }
    if !layout.notes.is_empty() {
        fc.insert("notes".into(), json!(layout.notes));
    }
    fc.insert("features".into(), Value::Array(features));
    Ok(Value::Object(fc))
}

fn base(role: &str, id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("role".into(), json!(role));
    m
}

fn opt_str(m: &mut Map<String, Value>, key: &str, v: Option<&str>) {
    if let Some(v) = v {
        m.insert(key.into(), json!(v));
    }
}

fn opt_num(m: &mut Map<String, Value>, key: &str, v: Option<f64>) {
    // Model values are finite (validated on the way in); a NaN would become null.
    if let Some(v) = v.filter(|v| v.is_finite()) {
        m.insert(key.into(), json!(v));
    }
}

fn feature(id: &str, geometry: Value, props: Map<String, Value>) -> Value {
    json!({
        "type": "Feature",
        "id": id,
        "geometry": geometry,
        "properties": props,
    })
}

fn position(proj: &LocalProjection, c: Coord<f64>) -> Value {
    let ll = proj.to_wgs84(c);
    json!([ll.lon, ll.lat])
}

fn point(proj: &LocalProjection, c: Coord<f64>) -> Value {
    json!({ "type": "Point", "coordinates": position(proj, c) })
}

fn polygons(proj: &LocalProjection, mp: &MultiPolygon<f64>) -> Value {
    let polys: Vec<Value> =
        mp.0.iter()
            .map(|p| {
                // RFC 7946: exteriors counter-clockwise, holes clockwise, as outlines already are.
                Value::Array(
                    std::iter::once(p.exterior())
                        .chain(p.interiors())
                        .map(|r| Value::Array(r.0.iter().map(|c| position(proj, *c)).collect()))
                        .collect(),
                )
            })
            .collect();
    if polys.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polys[0] })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polys })
    }
}
