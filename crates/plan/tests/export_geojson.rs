//! GeoJSON export: parsed by the geojson crate, and import → export → import round trips on
//! every sample.

mod export_common;

use std::collections::BTreeMap;

use export_common::samples;
use plotwise_plan::export::ExportError;
use plotwise_plan::export::geojson::layout_geojson;
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::{Layout, Outline, Plot};

/// Every object's id with its area (0 for points) and, for points, its position.
fn inventory(l: &Layout) -> BTreeMap<String, (f64, f64, f64)> {
    let mut m = BTreeMap::new();
    let c = l.plot.outline.centroid();
    m.insert(l.plot.id.0.clone(), (l.plot.area_m2(), c.x, c.y));
    for e in &l.plot.entrances {
        m.insert(e.id.0.clone(), (0.0, e.position.x, e.position.y));
    }
    for t in &l.plot.keep_trees {
        m.insert(t.id.0.clone(), (0.0, t.position.x, t.position.y));
    }
    for n in &l.plot.no_build {
        let c = n.outline.centroid();
        m.insert(n.id.0.clone(), (n.outline.area_m2(), c.x, c.y));
    }
    for z in &l.zones {
        let c = z.outline.centroid();
        m.insert(z.id.0.clone(), (z.outline.area_m2(), c.x, c.y));
    }
    for e in &l.elements {
        m.insert(e.id.0.clone(), (0.0, e.position.x, e.position.y));
    }
    m
}

#[test]
fn every_sample_round_trips() {
    for (id, layout) in samples() {
        let text = layout_geojson(&layout).unwrap_or_else(|e| panic!("{id}: {e}"));
        // A real GeoJSON parser reads it.
        let gj: geojson::GeoJson = text.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            panic!("{id}: not a FeatureCollection")
        };
        for f in &fc.features {
            assert!(f.property("role").is_some(), "{id}: a feature without role");
            assert!(f.id.is_some(), "{id}: a feature without id");
        }
        let back = import_layout(&text).unwrap_or_else(|e| panic!("{id}: re-import: {e}"));
        let (a, b) = (inventory(&layout), inventory(&back));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{id}: ids"
        );
        for (k, (area, x, y)) in &a {
            let (area2, x2, y2) = b[k];
            if *area > 0.0 {
                assert!(
                    (area2 / area - 1.0).abs() < 1e-6,
                    "{id}/{k}: area {area} -> {area2}"
                );
            }
            assert!(
                (x - x2).abs() < 1e-4 && (y - y2).abs() < 1e-4,
                "{id}/{k}: moved"
            );
        }
        // Everything else survives too: kinds, surfaces, types, rotations, names, plot kind.
        assert_eq!(layout.title, back.title, "{id}");
        assert_eq!(layout.plot.kind, back.plot.kind, "{id}");
        assert_eq!(layout.plot.name_zh, back.plot.name_zh, "{id}");
        for (z, z2) in layout.zones.iter().zip(&back.zones) {
            assert_eq!(
                (z.kind, z.surface, z.soil_depth_m, &z.name, &z.name_zh),
                (z2.kind, z2.surface, z2.soil_depth_m, &z2.name, &z2.name_zh),
                "{id}/{}",
                z.id
            );
        }
        for (e, e2) in layout.elements.iter().zip(&back.elements) {
            assert_eq!(e.kind, e2.kind, "{id}/{}", e.id);
            assert!((e.rotation_deg - e2.rotation_deg).abs() < 1e-9);
            assert_eq!(e.size, e2.size);
        }
        for (t, t2) in layout.plot.keep_trees.iter().zip(&back.plot.keep_trees) {
            assert_eq!(
                (t.canopy_radius_m, t.protect_radius_m),
                (t2.canopy_radius_m, t2.protect_radius_m)
            );
        }
        for (e, e2) in layout.plot.entrances.iter().zip(&back.plot.entrances) {
            assert_eq!((e.width_m, e.step_free), (e2.width_m, e2.step_free));
        }
    }
}

#[test]
fn author_notes_and_chinese_survive() {
    let mut layout = export_common::sample("guonian-layout-example");
    layout.title = "方案 A <花园> & \"park\"".into();
    layout.author = "韩梅梅".into();
    layout.notes = "第一行\n第二行".into();
    let back = import_layout(&layout_geojson(&layout).unwrap()).unwrap();
    assert_eq!(
        (back.title, back.author, back.notes),
        (layout.title, layout.author, layout.notes)
    );
}

#[test]
fn a_plot_without_projection_is_refused() {
    let outline = Outline::rect((0.0, 0.0).into(), (10.0, 5.0).into()).unwrap();
    let layout = Layout::new(Plot::new("yard", outline));
    let e = layout_geojson(&layout).unwrap_err();
    assert_eq!(e, ExportError::NoProjection("yard".into()));
    assert!(e.to_string().contains("`yard`") && e.to_string().contains("WGS84"));
}
