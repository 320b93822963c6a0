//! GeoJSON layouts (RFC 7946, WGS84) → [`Layout`] in local metres.
//!
//! Every feature's `role` property says what it is: `plot`, `entrance`, `keep_tree`,
//! `no_build`, `zone`, `element` or `building` (see DESIGN.md, "GeoJSON layouts"). A feature's `id`
//! (top-level or in properties) becomes the object's id; features without one get
//! `<role>-<n>` in file order, underscores as hyphens (`keep-tree-2`), and `plot` for the plot.
//! The local projection is a transverse Mercator centred on the middle of the plot's
//! bounding box; it is kept in [`Plot::projection`] so the layout can be exported back.
//!
//! Properties read (others are ignored): plot `name`, `name_zh`, `kind` (`ground` by
//! default), `reference_area_m2`, `note`, and for rooftops `floor_level`, `drop_height_m`,
//! `parapet_height_m`, `declared_slab_capacity_kn_m2`; entrance `name`, `name_zh`, `width_m`
//! (1.0 when missing), `step_free` (false when missing: a door is not assumed step-free);
//! keep_tree `canopy_radius_m`, `protect_radius_m` (one of them required; the other defaults
//! to it), `height_m` (optional, > 0: the top of the crown, for the summer shade); no_build `name`, `name_zh`, `reason`; zone `kind` (required), `surface`,
//! `soil_depth_m`, `name`, `name_zh`; building `height_m` (required, > 0: above the plot's
//! ground, for a rooftop above the roof surface), `name`, `name_zh` (Polygon or MultiPolygon
//! footprint, usually outside the plot); element `type` (required; `kind` accepted too),
//! `rotation_deg` (0), `width_m`/`depth_m` (a size replacing the catalogue's), `name`.
//! Numbers given as strings (as QGIS sometimes writes them) are accepted. Outlines that are
//! invalid only because of clipping slivers thinner than 1 cm are cleaned
//! ([`Outline::new_tolerant`]); any other invalid outline is refused, naming the feature.

use std::str::FromStr;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{Feature, GeoJson, GeometryValue, JsonObject, JsonValue, Position, feature::Id};

use super::ImportError;
use crate::geom::Outline;
use crate::model::{
    Building, Element, Entrance, KeepTree, Layout, NoBuildArea, Plot, PlotKind, Rooftop, Size,
    Surface, Zone, ZoneKind,
};
use crate::projection::{LocalProjection, LonLat};

/// Imports a GeoJSON layout: a FeatureCollection (or a single Feature, or a bare Polygon
/// geometry taken as the plot). A file with only a plot gives an empty layout.
///
/// # Examples
/// ```
/// let layout = plotwise_plan::import::geojson::import_layout(
///     plotwise_plan::samples::sample("lantian-rest").unwrap().geojson(),
/// ).unwrap();
/// assert!((layout.plot.area_m2() - 39.99).abs() < 0.04);
/// assert_eq!(layout.plot.entrances[0].id.as_str(), "entrance-1");
/// ```
pub fn import_layout(text: &str) -> Result<Layout, ImportError> {
    let gj = GeoJson::from_str(text).map_err(|e| ImportError::Parse {
        format: "GeoJSON",
        detail: e.to_string(),
    })?;
    let (features, members) = match gj {
        GeoJson::FeatureCollection(fc) => (fc.features, fc.foreign_members.unwrap_or_default()),
        GeoJson::Feature(f) => (vec![f], JsonObject::new()),
        GeoJson::Geometry(g) => {
            let mut props = JsonObject::new();
            props.insert("role".into(), JsonValue::from("plot"));
            let f = Feature {
                bbox: None,
                geometry: Some(g),
                id: None,
                properties: Some(props),
                foreign_members: None,
            };
            (vec![f], JsonObject::new())
        }
    };

    // Roles first: a lone role-less polygon is the plot.
    let mut roles = Vec::with_capacity(features.len());
    for (index, f) in features.iter().enumerate() {
        let ctx = Ctx::new(index, f);
        let role = match f.property("role") {
            Some(JsonValue::String(s)) => s.clone(),
            Some(_) => return Err(ctx.err("role", "expected a string")),
            None if features.len() == 1 => "plot".to_owned(),
            None => {
                return Err(ctx.err(
                    "role",
                    "missing (one of plot, entrance, keep_tree, no_build, zone, element, building)",
                ));
            }
        };
        roles.push(role);
    }
    let mut plot_index = None;
    for (index, role) in roles.iter().enumerate() {
        if role == "plot" {
            if let Some(first) = plot_index {
                return Err(ImportError::SecondPlot { index, first });
            }
            plot_index = Some(index);
        }
    }
    let plot_index = plot_index.ok_or(ImportError::NoPlot)?;

    // The projection: centred on the middle of the plot's bounding box in degrees.
    let plot_feature = &features[plot_index];
    let plot_ctx = Ctx::new(plot_index, plot_feature);
    let projection = {
        let polys = polygons_lonlat(&plot_ctx, plot_feature)?;
        let (mut min_lon, mut min_lat, mut max_lon, mut max_lat) =
            (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for ring in polys.iter().flatten() {
            for p in ring {
                min_lon = min_lon.min(p.lon);
                max_lon = max_lon.max(p.lon);
                min_lat = min_lat.min(p.lat);
                max_lat = max_lat.max(p.lat);
            }
        }
        LocalProjection::new(LonLat {
            lon: (min_lon + max_lon) / 2.0,
            lat: (min_lat + max_lat) / 2.0,
        })
    };

    let mut plot = build_plot(&plot_ctx, plot_feature, &projection)?;
    let mut layout_zones = Vec::new();
    let mut layout_elements = Vec::new();
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    used.insert(plot.id.0.clone());
    let mut role_counts: std::collections::HashMap<&str, usize> = Default::default();
    // The last number generated per role: the next one starts after it, so generating ids
    // stays linear even when explicit ids take a long run of numbers (`zone-1` … `zone-N`).
    let mut last_generated: std::collections::HashMap<&str, usize> = Default::default();

    // Explicit ids are reserved first so generated ones never take them.
    for f in &features {
        if let Some(id) = explicit_id(f) {
            used.insert(id);
        }
    }
    let mut seen_explicit: std::collections::HashSet<String> = Default::default();
    seen_explicit.insert(plot.id.0.clone());

    for (index, f) in features.iter().enumerate() {
        let role = roles[index].as_str();
        let n = role_counts.entry(role).or_insert(0);
        *n += 1;
        if index == plot_index {
            continue;
        }
        let ctx = Ctx::new(index, f);
        let id = match explicit_id(f) {
            Some(id) => {
                if !seen_explicit.insert(id.clone()) {
                    return Err(ImportError::DuplicateId { index, id });
                }
                id
            }
            None => {
                // The smallest k ≥ n not in use. Every number from an earlier feature's n up to
                // the number it got was in use then (and still is), so the search can start
                // after that number.
                let prefix = role.replace('_', "-");
                let last = last_generated.get(role).copied().unwrap_or(0);
                let mut k = (*n).max(last + 1);
                let mut id = format!("{prefix}-{k}");
                while used.contains(&id) {
                    k += 1;
                    id = format!("{prefix}-{k}");
                }
                last_generated.insert(role, k);
                used.insert(id.clone());
                id
            }
        };
        match role {
            "entrance" => {
                let c = point(&ctx, f, &projection)?;
                plot.entrances.push(Entrance {
                    id: id.into(),
                    name: ctx.opt_str("name")?,
                    name_zh: ctx.opt_str("name_zh")?,
                    position: c,
                    width_m: ctx.opt_positive("width_m")?.unwrap_or(1.0),
                    step_free: ctx.opt_bool("step_free")?.unwrap_or(false),
                });
            }
            "keep_tree" => {
                let c = point(&ctx, f, &projection)?;
                let canopy = ctx.opt_non_negative("canopy_radius_m")?;
                let protect = ctx.opt_non_negative("protect_radius_m")?;
                let protect = match (protect, canopy) {
                    (Some(p), _) => p,
                    (None, Some(c)) => c,
                    (None, None) => {
                        return Err(ctx.err(
                            "protect_radius_m",
                            "missing (give protect_radius_m or canopy_radius_m)",
                        ));
                    }
                };
                plot.keep_trees.push(KeepTree {
                    id: id.into(),
                    name: ctx.opt_str("name")?,
                    name_zh: ctx.opt_str("name_zh")?,
                    position: c,
                    canopy_radius_m: canopy.unwrap_or(protect),
                    protect_radius_m: protect,
                    height_m: ctx.opt_positive("height_m")?,
                });
            }
            "no_build" => {
                let outline = outline(&ctx, f, &projection)?;
                plot.no_build.push(NoBuildArea {
                    id: id.into(),
                    name: ctx.opt_str("name")?,
                    name_zh: ctx.opt_str("name_zh")?,
                    reason: ctx.opt_str("reason")?,
                    outline,
                });
            }
            "building" => {
                let height_m = ctx.height()?;
                let outline = outline(&ctx, f, &projection)?;
                plot.buildings.push(Building {
                    id: id.into(),
                    name: ctx.opt_str("name")?,
                    name_zh: ctx.opt_str("name_zh")?,
                    outline,
                    height_m,
                });
            }
            "zone" => {
                let kind_s = ctx
                    .opt_str("kind")?
                    .ok_or_else(|| ctx.err("kind", "missing (the zone's kind)"))?;
                let kind = ZoneKind::from_key(&kind_s).ok_or_else(|| {
                    ctx.err(
                        "kind",
                        format!(
                            "unknown zone kind `{kind_s}` (one of {})",
                            ZoneKind::ALL.map(|k| k.key()).join(", ")
                        ),
                    )
                })?;
                let surface = match ctx.opt_str("surface")? {
                    None => None,
                    Some(s) => Some(Surface::from_key(&s).ok_or_else(|| {
                        ctx.err(
                            "surface",
                            format!(
                                "unknown surface `{s}` (one of {})",
                                Surface::ALL.map(|k| k.key()).join(", ")
                            ),
                        )
                    })?),
                };
                let outline = outline(&ctx, f, &projection)?;
                layout_zones.push(Zone {
                    id: id.into(),
                    kind,
                    outline,
                    surface,
                    soil_depth_m: ctx.opt_non_negative("soil_depth_m")?,
                    name: ctx.opt_str("name")?,
                    name_zh: ctx.opt_str("name_zh")?,
                });
            }
            "element" => {
                let kind = match ctx.opt_str("type")? {
                    Some(t) => t,
                    None => ctx.opt_str("kind")?.ok_or_else(|| {
                        ctx.err("type", "missing (a catalogue key such as `bench`)")
                    })?,
                };
                let position = point(&ctx, f, &projection)?;
                let rotation_deg = ctx.opt_f64("rotation_deg")?.unwrap_or(0.0);
                let size = match (ctx.opt_positive("width_m")?, ctx.opt_positive("depth_m")?) {
                    (None, None) => None,
                    (Some(w), Some(d)) => Some(Size {
                        width_m: w,
                        depth_m: d,
                    }),
                    (Some(w), None) => Some(Size {
                        width_m: w,
                        depth_m: w,
                    }),
                    (None, Some(_)) => return Err(ctx.err("width_m", "missing (depth_m is given)")),
                };
                layout_elements.push(Element {
                    id: id.into(),
                    kind,
                    position,
                    rotation_deg,
                    size,
                    name: ctx.opt_str("name")?,
                });
            }
            other => {
                return Err(ctx.err(
                    "role",
                    format!(
                        "unknown role `{other}` (one of plot, entrance, keep_tree, no_build, zone, element, building)"
                    ),
                ));
            }
        }
    }

    let member_str = |k: &str| {
        members
            .get(k)
            .and_then(JsonValue::as_str)
            .map(str::to_owned)
    };
    let title = member_str("title")
        .or_else(|| plot.name.clone())
        .or_else(|| member_str("name"))
        .unwrap_or_default();
    Ok(Layout {
        title,
        author: member_str("author").unwrap_or_default(),
        notes: member_str("notes").unwrap_or_default(),
        plot: {
            plot.projection = Some(projection);
            plot
        },
        zones: layout_zones,
        elements: layout_elements,
    })
}

fn explicit_id(f: &Feature) -> Option<String> {
    let from_value = |v: &JsonValue| match v {
        JsonValue::String(s) if !s.is_empty() => Some(s.clone()),
        JsonValue::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match &f.id {
        Some(Id::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Id::Number(n)) => Some(n.to_string()),
        _ => f.property("id").and_then(from_value),
    }
}

fn build_plot(ctx: &Ctx, f: &Feature, projection: &LocalProjection) -> Result<Plot, ImportError> {
    let outline = outline(ctx, f, projection)?;
    let kind = match ctx.opt_str("kind")?.as_deref() {
        None | Some("ground") => PlotKind::Ground,
        Some("rooftop") => PlotKind::Rooftop(Rooftop {
            floor_level: ctx.opt_f64("floor_level")?.map(|v| v.round() as i32),
            drop_height_m: ctx.opt_non_negative("drop_height_m")?,
            parapet_height_m: ctx.opt_non_negative("parapet_height_m")?,
            declared_slab_capacity_kn_m2: ctx.opt_positive("declared_slab_capacity_kn_m2")?,
        }),
        Some(other) => {
            return Err(ctx.err(
                "kind",
                format!("unknown plot kind `{other}` (ground or rooftop)"),
            ));
        }
    };
    let mut plot = Plot::new(explicit_id(f).unwrap_or_else(|| "plot".to_owned()), outline);
    plot.name = ctx.opt_str("name")?;
    plot.name_zh = ctx.opt_str("name_zh")?;
    plot.kind = kind;
    plot.reference_area_m2 = ctx.opt_positive("reference_area_m2")?;
    plot.note = ctx.opt_str("note")?;
    Ok(plot)
}

/// Where we are, for error messages.
struct Ctx<'a> {
    index: usize,
    id: Option<String>,
    props: Option<&'a JsonObject>,
}

impl<'a> Ctx<'a> {
    fn new(index: usize, f: &'a Feature) -> Self {
        Ctx {
            index,
            id: explicit_id(f),
            props: f.properties.as_ref(),
        }
    }

    fn err(&self, field: &str, problem: impl Into<String>) -> ImportError {
        ImportError::Feature {
            index: self.index,
            id: self.id.clone(),
            field: field.to_owned(),
            problem: problem.into(),
        }
    }

    fn get(&self, key: &str) -> Option<&'a JsonValue> {
        self.props.and_then(|p| p.get(key)).filter(|v| !v.is_null())
    }

    fn opt_str(&self, key: &str) -> Result<Option<String>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(JsonValue::String(s)) => Ok(Some(s.clone())),
            Some(JsonValue::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(self.err(key, "expected a string")),
        }
    }

    fn opt_f64(&self, key: &str) -> Result<Option<f64>, ImportError> {
        let v = match self.get(key) {
            None => return Ok(None),
            Some(JsonValue::Number(n)) => n.as_f64(),
            // QGIS sometimes writes numbers as strings.
            Some(JsonValue::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        match v {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(self.err(key, "expected a number")),
        }
    }

    fn opt_non_negative(&self, key: &str) -> Result<Option<f64>, ImportError> {
        match self.opt_f64(key)? {
            Some(x) if x < 0.0 => Err(self.err(key, format!("must not be negative (found {x})"))),
            v => Ok(v),
        }
    }

    fn opt_positive(&self, key: &str) -> Result<Option<f64>, ImportError> {
        match self.opt_f64(key)? {
            Some(x) if x <= 0.0 => Err(self.err(key, format!("must be positive (found {x})"))),
            v => Ok(v),
        }
    }

    /// A building's `height_m`: required, a positive number (strings as QGIS writes them
    /// accepted).
    fn height(&self) -> Result<f64, ImportError> {
        let bad = |found: Option<String>| ImportError::BuildingHeight {
            index: self.index,
            id: self.id.clone(),
            found,
        };
        let v = self.get("height_m").ok_or_else(|| bad(None))?;
        let x = match v {
            JsonValue::Number(n) => n.as_f64(),
            JsonValue::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match x {
            Some(x) if x.is_finite() && x > 0.0 => Ok(x),
            _ => Err(bad(Some(v.to_string()))),
        }
    }

    fn opt_bool(&self, key: &str) -> Result<Option<bool>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(JsonValue::Bool(b)) => Ok(Some(*b)),
            Some(JsonValue::Number(n)) if n.as_f64() == Some(1.0) => Ok(Some(true)),
            Some(JsonValue::Number(n)) if n.as_f64() == Some(0.0) => Ok(Some(false)),
            Some(JsonValue::String(s)) => match s.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Ok(Some(true)),
                "false" | "no" | "0" => Ok(Some(false)),
                _ => Err(self.err(key, "expected true or false")),
            },
            Some(_) => Err(self.err(key, "expected true or false")),
        }
    }
}

fn lonlat(ctx: &Ctx, p: &Position) -> Result<LonLat, ImportError> {
    let s = p.as_slice();
    if s.len() < 2 {
        return Err(ctx.err("geometry", "a position has fewer than 2 numbers"));
    }
    let (lon, lat) = (s[0], s[1]);
    if !(lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat))
    {
        return Err(ctx.err(
            "geometry",
            format!("position [{lon}, {lat}] is not WGS84 longitude/latitude (RFC 7946)"),
        ));
    }
    Ok(LonLat { lon, lat })
}

fn polygons_lonlat(ctx: &Ctx, f: &Feature) -> Result<Vec<Vec<Vec<LonLat>>>, ImportError> {
    let g = f
        .geometry
        .as_ref()
        .ok_or_else(|| ctx.err("geometry", "missing (expected a Polygon or MultiPolygon)"))?;
    let polys: Vec<&Vec<Vec<Position>>> = match &g.value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(ctx.err(
                "geometry",
                format!(
                    "expected a Polygon or MultiPolygon, found {}",
                    other.type_name()
                ),
            ));
        }
    };
    polys
        .into_iter()
        .map(|rings| {
            rings
                .iter()
                .map(|ring| ring.iter().map(|p| lonlat(ctx, p)).collect())
                .collect()
        })
        .collect()
}

fn outline(ctx: &Ctx, f: &Feature, projection: &LocalProjection) -> Result<Outline, ImportError> {
    let polys = polygons_lonlat(ctx, f)?;
    let mut out = Vec::with_capacity(polys.len());
    for rings in polys {
        let mut rings = rings.into_iter().map(|ring| {
            LineString::new(
                ring.into_iter()
                    .map(|p| projection.to_local(p))
                    .collect::<Vec<Coord<f64>>>(),
            )
        });
        let Some(ext) = rings.next() else {
            return Err(ctx.err("geometry", "a polygon has no rings"));
        };
        out.push(Polygon::new(ext, rings.collect()));
    }
    Outline::new_tolerant(MultiPolygon::new(out), crate::geom::SLIVER_M)
        .map_err(|e| ctx.err("geometry", e.to_string()))
}

fn point(ctx: &Ctx, f: &Feature, projection: &LocalProjection) -> Result<Coord<f64>, ImportError> {
    let g = f
        .geometry
        .as_ref()
        .ok_or_else(|| ctx.err("geometry", "missing (expected a Point)"))?;
    match &g.value {
        GeometryValue::Point { coordinates } => Ok(projection.to_local(lonlat(ctx, coordinates)?)),
        other => Err(ctx.err(
            "geometry",
            format!("expected a Point, found {}", other.type_name()),
        )),
    }
}

#[cfg(test)]
mod test {
    use super::*;

    fn fc(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    const PLOT: &str = r#"{"type":"Feature","properties":{"role":"plot"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5002,31.3],[121.5002,31.3002],[121.5,31.3002],[121.5,31.3]]]}}"#;

    #[test]
    fn ids_are_generated_per_role() {
        let ent = r#"{"type":"Feature","properties":{"role":"entrance","width_m":1.5,"step_free":true},"geometry":{"type":"Point","coordinates":[121.5001,31.3]}}"#;
        let tree = r#"{"type":"Feature","properties":{"role":"keep_tree","protect_radius_m":2},"geometry":{"type":"Point","coordinates":[121.5001,31.3001]}}"#;
        let l = import_layout(&fc(&format!("{PLOT},{ent},{ent},{tree}"))).unwrap();
        assert_eq!(l.plot.id.as_str(), "plot");
        let ids: Vec<_> = l.plot.entrances.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["entrance-1", "entrance-2"]);
        assert_eq!(l.plot.keep_trees[0].id.as_str(), "keep-tree-1");
        assert!(l.plot.entrances[0].step_free);
    }

    #[test]
    fn generated_ids_skip_explicit_ones_in_linear_time() {
        let ent = |id: &str| {
            format!(
                r#"{{"type":"Feature","id":"{id}","properties":{{"role":"entrance"}},"geometry":{{"type":"Point","coordinates":[121.5001,31.3]}}}}"#
            )
        };
        let zone = r#"{"type":"Feature","properties":{"role":"zone","kind":"lawn"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5001,31.3],[121.5001,31.3001],[121.5,31.3]]]}}"#;
        // Small: explicit ids zone-1, zone-2, zone-4 are skipped.
        let small = [PLOT.to_owned(), ent("zone-1"), ent("zone-2"), ent("zone-4")]
            .into_iter()
            .chain(std::iter::repeat_n(zone.to_owned(), 3))
            .collect::<Vec<_>>()
            .join(",");
        let l = import_layout(&fc(&small)).unwrap();
        let ids: Vec<&str> = l.zones.iter().map(|z| z.id.as_str()).collect();
        assert_eq!(ids, ["zone-3", "zone-5", "zone-6"]);
        // Large: 20,000 explicit ids taking zone-1 … zone-20000, then 20,000 zones without
        // ids. Each generated id used to be searched from its zone's number up (400 million
        // lookups); now the search resumes after the last generated number.
        let n = 20_000;
        let mut parts = vec![PLOT.to_owned()];
        parts.extend((1..=n).map(|k| ent(&format!("zone-{k}"))));
        parts.extend(std::iter::repeat_n(zone.to_owned(), n));
        let start = std::time::Instant::now();
        let l = import_layout(&fc(&parts.join(","))).unwrap();
        assert_eq!(l.zones.len(), n);
        assert_eq!(l.zones[0].id.as_str(), "zone-20001");
        assert_eq!(l.zones[n - 1].id.as_str(), "zone-40000");
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    #[test]
    fn errors_name_feature_and_field() {
        let bad = r#"{"type":"Feature","id":"z9","properties":{"role":"zone","kind":"swimming_pool"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5001,31.3],[121.5001,31.3001],[121.5,31.3]]]}}"#;
        let e = import_layout(&fc(&format!("{PLOT},{bad}")))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("feature 1 (id `z9`)") && e.contains("field `kind`"),
            "{e}"
        );

        let bowtie = r#"{"type":"Feature","properties":{"role":"zone","kind":"lawn"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5001,31.3001],[121.5001,31.3],[121.5,31.3001],[121.5,31.3]]]}}"#;
        let e = import_layout(&fc(&format!("{PLOT},{bowtie}")))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("feature 1") && e.contains("`geometry`") && e.contains("self-intersection"),
            "{e}"
        );

        let e = import_layout(&fc(
            r#"{"type":"Feature","properties":{"role":"zone"},"geometry":null}"#,
        ))
        .unwrap_err();
        assert_eq!(e, ImportError::NoPlot);

        let e = import_layout("{not json").unwrap_err().to_string();
        assert!(e.starts_with("cannot parse GeoJSON"), "{e}");

        let degrees = r#"{"type":"Feature","properties":{"role":"plot"},"geometry":{"type":"Polygon","coordinates":[[[500000,3460000],[500010,3460000],[500010,3460010],[500000,3460000]]]}}"#;
        let e = import_layout(&fc(degrees)).unwrap_err().to_string();
        assert!(e.contains("not WGS84"), "{e}");
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let a = r#"{"type":"Feature","id":"x","properties":{"role":"entrance"},"geometry":{"type":"Point","coordinates":[121.5001,31.3]}}"#;
        let e = import_layout(&fc(&format!("{PLOT},{a},{a}"))).unwrap_err();
        assert_eq!(
            e,
            ImportError::DuplicateId {
                index: 2,
                id: "x".into()
            }
        );
    }

    #[test]
    fn a_single_feature_and_a_multipolygon_zone() {
        let l = import_layout(PLOT).unwrap();
        assert_eq!(l.plot.id.as_str(), "plot");
        let mp = r#"{"type":"Feature","properties":{"role":"zone","kind":"lawn","soil_depth_m":"0.3"},"geometry":{"type":"MultiPolygon","coordinates":[[[[121.5,31.3],[121.5001,31.3],[121.5001,31.3001],[121.5,31.3]]],[[[121.50015,31.3],[121.5002,31.3],[121.5002,31.3001],[121.50015,31.3]]]]}}"#;
        let l = import_layout(&fc(&format!("{PLOT},{mp}"))).unwrap();
        assert_eq!(l.zones[0].id.as_str(), "zone-1");
        assert_eq!(l.zones[0].outline.multi_polygon().0.len(), 2);
        assert_eq!(l.zones[0].soil_depth_m, Some(0.3));
    }

    #[test]
    fn buildings_are_imported_and_bad_heights_name_the_feature() {
        let b = |props: &str| {
            format!(
                r#"{{"type":"Feature","id":"blk","properties":{{"role":"building"{props}}},"geometry":{{"type":"Polygon","coordinates":[[[121.5,31.3003],[121.5002,31.3003],[121.5002,31.3004],[121.5,31.3004],[121.5,31.3003]]]}}}}"#
            )
        };
        let l = import_layout(&fc(&format!(
            "{PLOT},{}",
            b(r#","height_m":"18","name_zh":"6号楼""#)
        )))
        .unwrap();
        let bl = &l.plot.buildings[0];
        assert_eq!((bl.id.as_str(), bl.height_m), ("blk", 18.0));
        assert_eq!(bl.name_zh.as_deref(), Some("6号楼"));
        assert!((bl.outline.area_m2() - 19.0 * 11.1).abs() < 5.0);
        // Generated ids follow the role.
        let anon = b(r#","height_m":9"#).replace(r#""id":"blk","#, "");
        let l = import_layout(&fc(&format!("{PLOT},{anon}"))).unwrap();
        assert_eq!(l.plot.buildings[0].id.as_str(), "building-1");

        for (props, found) in [
            ("", "missing"),
            (r#","height_m":0"#, "found 0"),
            (r#","height_m":-3.5"#, "found -3.5"),
            (r#","height_m":"tall""#, "found \"tall\""),
            (r#","height_m":true"#, "found true"),
        ] {
            let e = import_layout(&fc(&format!("{PLOT},{}", b(props)))).unwrap_err();
            let m = e.message();
            assert!(
                m.en.contains("feature 1 (id `blk`)")
                    && m.en.contains("`height_m`")
                    && m.en.contains(found),
                "{}",
                m.en
            );
            assert!(
                m.zh.contains("要素 1（id `blk`）") && m.zh.contains("`height_m`"),
                "{}",
                m.zh
            );
        }
    }

    #[test]
    fn bare_polygon_is_a_plot() {
        let g = r#"{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5002,31.3],[121.5002,31.3002],[121.5,31.3]]]}"#;
        let l = import_layout(g).unwrap();
        assert!(l.zones.is_empty() && l.plot.area_m2() > 100.0);
    }
}
