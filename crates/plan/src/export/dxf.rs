//! DXF for CAD (feature `dxf`): R2018 (AC1032), where text and layer names are UTF-8, in
//! metres (`$INSUNITS` = 6), in the plot's local plane (x east, y north).
//!
//! One layer per zone kind (`ZONE-SEATING-休憩座椅区`, …) plus `PLOT`, `NO_BUILD`, `TREES`,
//! `ENTRANCES`, `ELEMENTS` and `TEXT` (and `BUILDINGS`, the blocks around the plot, when
//! there are any), so a designer can switch each on and off. Outlines are
//! closed LWPOLYLINEs (holes too); trees are circles for the canopy and the protection radius;
//! elements are their catalogue footprints; labels carry ids and names in both languages.
//! Written with the `dxf` crate, not by hand.

use dxf::entities::{Circle, Entity, EntityType, LwPolyline, Text as DxfText};
use dxf::enums::{AcadVersion, Units};
use dxf::tables::Layer;
use dxf::{Color, Drawing, LwPolylineVertex, Point};
use geo::{LineString, Polygon};

use super::ExportError;
use crate::catalogue::Catalogue;
use crate::model::{Layout, ZoneKind};

/// Layer of the buildings around the plot (footprints; the label gives the height). Present
/// only when the layout has buildings.
pub const LAYER_BUILDINGS: &str = "BUILDINGS-周边建筑";
/// Layer of the plot boundary.
pub const LAYER_PLOT: &str = "PLOT-地块边界";
/// Layer of no-build areas.
pub const LAYER_NO_BUILD: &str = "NO_BUILD-禁建区";
/// Layer of kept trees.
pub const LAYER_TREES: &str = "TREES-保留树木";
/// Layer of entrances.
pub const LAYER_ENTRANCES: &str = "ENTRANCES-出入口";
/// Layer of element footprints.
pub const LAYER_ELEMENTS: &str = "ELEMENTS-设施";
/// Layer of labels.
pub const LAYER_TEXT: &str = "TEXT-标注";

/// The layer name of a zone kind: `ZONE-<KEY>-<Chinese name>`.
pub fn zone_layer(kind: ZoneKind) -> String {
    format!("ZONE-{}-{}", kind.key().to_uppercase(), kind.label().zh)
}

/// AutoCAD colour index of a zone kind's layer.
fn zone_colour(kind: ZoneKind) -> u8 {
    match kind {
        ZoneKind::Planting | ZoneKind::Lawn => 3,
        ZoneKind::AccessiblePath | ZoneKind::Path | ZoneKind::Plaza => 8,
        ZoneKind::Fitness | ZoneKind::Play => 1,
        ZoneKind::Seating | ZoneKind::Shade => 30,
        _ => 5,
    }
}

/// The layout as DXF bytes.
///
/// # Errors
/// [`ExportError::Dxf`] if the `dxf` crate fails to write (a bug, not the user's input).
pub fn layout_dxf(layout: &Layout, catalogue: &Catalogue) -> Result<Vec<u8>, ExportError> {
    let mut d = Drawing::new();
    d.header.version = AcadVersion::R2018;
    d.header.default_drawing_units = Units::Meters;
    let mut layers: Vec<(String, u8)> = vec![
        (LAYER_PLOT.to_owned(), 7),
        (LAYER_NO_BUILD.to_owned(), 1),
        (LAYER_TREES.to_owned(), 3),
        (LAYER_ENTRANCES.to_owned(), 4),
        (LAYER_ELEMENTS.to_owned(), 6),
        (LAYER_TEXT.to_owned(), 7),
    ];
    if !layout.plot.buildings.is_empty() {
        layers.push((LAYER_BUILDINGS.to_owned(), 8));
    }
    layers.extend(
        ZoneKind::ALL
            .iter()
            .map(|&k| (zone_layer(k), zone_colour(k))),
    );
    for (name, colour) in layers {
        d.add_layer(Layer {
            name,
            color: Color::from_index(colour),
            ..Default::default()
        });
    }

    let text_height = text_height(layout);
    for p in layout.plot.outline.multi_polygon() {
        add_polygon(&mut d, p, LAYER_PLOT);
    }
    let title = if layout.title.trim().is_empty() {
        layout.plot.id.as_str().to_owned()
    } else {
        layout.title.clone()
    };
    let b = layout.plot.outline.bounding_rect();
    add_text(
        &mut d,
        b.min().x,
        b.max().y + text_height * 2.0,
        text_height * 1.5,
        &title,
    );
    for nb in &layout.plot.no_build {
        for p in nb.outline.multi_polygon() {
            add_polygon(&mut d, p, LAYER_NO_BUILD);
        }
        let c = nb.outline.centroid();
        add_text(
            &mut d,
            c.x,
            c.y,
            text_height,
            &label(nb.id.as_str(), &nb.name, &nb.name_zh),
        );
    }
    for b in &layout.plot.buildings {
        for p in b.outline.multi_polygon() {
            add_polygon(&mut d, p, LAYER_BUILDINGS);
        }
        let c = b.outline.centroid();
        add_text(
            &mut d,
            c.x,
            c.y,
            text_height,
            &format!(
                "{} H={} m",
                label(b.id.as_str(), &b.name, &b.name_zh),
                (b.height_m * 100.0).round() / 100.0
            ),
        );
    }
    for t in &layout.plot.keep_trees {
        for r in [t.canopy_radius_m, t.protect_radius_m] {
            if r > 0.0 {
                add_circle(&mut d, t.position.x, t.position.y, r, LAYER_TREES);
            }
        }
        add_text(
            &mut d,
            t.position.x,
            t.position.y,
            text_height,
            &label(t.id.as_str(), &t.name, &t.name_zh),
        );
    }
    for e in &layout.plot.entrances {
        add_circle(
            &mut d,
            e.position.x,
            e.position.y,
            (e.width_m / 2.0).max(0.1),
            LAYER_ENTRANCES,
        );
        let access = if e.step_free {
            " 无障碍 step-free"
        } else {
            ""
        };
        add_text(
            &mut d,
            e.position.x,
            e.position.y,
            text_height,
            &format!("{}{access}", label(e.id.as_str(), &e.name, &e.name_zh)),
        );
    }
    for z in &layout.zones {
        let layer = zone_layer(z.kind);
        for p in z.outline.multi_polygon() {
            add_polygon(&mut d, p, &layer);
        }
        let c = z.outline.centroid();
        let kind = z.kind.label();
        add_text(
            &mut d,
            c.x,
            c.y,
            text_height,
            &format!("{} {} {}", z.id.as_str(), kind.zh, kind.en),
        );
    }
    for e in &layout.elements {
        if let Some(fp) = catalogue.footprint(e) {
            add_polygon(&mut d, &fp, LAYER_ELEMENTS);
        } else {
            add_circle(&mut d, e.position.x, e.position.y, 0.25, LAYER_ELEMENTS);
        }
        let name = catalogue
            .item(&e.kind)
            .map(|i| format!("{} {}", i.name.zh, i.name.en))
            .unwrap_or_else(|| e.kind.clone());
        add_text(
            &mut d,
            e.position.x,
            e.position.y,
            text_height * 0.6,
            &format!("{} {name}", e.id.as_str()),
        );
    }

    let mut out = Vec::new();
    d.save(&mut out)
        .map_err(|e| ExportError::Dxf(e.to_string()))?;
    Ok(out)
}

/// Label height: readable at the scale the plot is likely printed, 0.3 m to 2 m.
fn text_height(layout: &Layout) -> f64 {
    let r = layout.plot.outline.bounding_rect();
    (r.width().max(r.height()) / 150.0).clamp(0.3, 2.0)
}

fn label(id: &str, en: &Option<String>, zh: &Option<String>) -> String {
    [Some(id), zh.as_deref(), en.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn add_polygon(d: &mut Drawing, p: &Polygon<f64>, layer: &str) {
    add_ring(d, p.exterior(), layer);
    for hole in p.interiors() {
        add_ring(d, hole, layer);
    }
}

fn add_ring(d: &mut Drawing, ring: &LineString<f64>, layer: &str) {
    let mut pts: Vec<_> = ring.coords().copied().collect();
    // A closed LWPOLYLINE does not repeat its first vertex.
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    let mut poly = LwPolyline::default();
    poly.set_is_closed(true);
    poly.vertices = pts
        .into_iter()
        .map(|c| LwPolylineVertex {
            x: c.x,
            y: c.y,
            ..Default::default()
        })
        .collect();
    let mut e = Entity::new(EntityType::LwPolyline(poly));
    e.common.layer = layer.to_owned();
    d.add_entity(e);
}

fn add_circle(d: &mut Drawing, x: f64, y: f64, r: f64, layer: &str) {
    let mut e = Entity::new(EntityType::Circle(Circle::new(Point::new(x, y, 0.0), r)));
    e.common.layer = layer.to_owned();
    d.add_entity(e);
}

fn add_text(d: &mut Drawing, x: f64, y: f64, height: f64, value: &str) {
    let t = DxfText {
        location: Point::new(x, y, 0.0),
        text_height: height,
        value: value.to_owned(),
        ..Default::default()
    };
    let mut e = Entity::new(EntityType::Text(t));
    e.common.layer = LAYER_TEXT.to_owned();
    d.add_entity(e);
}
