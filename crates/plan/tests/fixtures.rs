//! Every sample fixture imports, with areas matching the reference areas.

use geo::GeodesicArea;
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::samples::SAMPLES;

#[test]
fn every_sample_imports_with_reference_area_within_0_1_percent() {
    let mut with_reference = 0;
    for s in SAMPLES {
        let layout = import_layout(s.geojson()).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        let area = layout.plot.area_m2();
        if let Some(reference) = layout.plot.reference_area_m2 {
            with_reference += 1;
            let rel = (area - reference).abs() / reference;
            assert!(
                rel < 0.001,
                "{}: area {area} vs reference {reference} ({rel})",
                s.id
            );
        }
        assert_eq!(layout.plot.id.as_str(), "plot");
        assert!(!layout.plot.entrances.is_empty(), "{}", s.id);
    }
    assert_eq!(with_reference, 6);
}

#[test]
fn areas_agree_with_geodesic_area_on_the_ellipsoid() {
    // An independent oracle: geo's geodesic area (Karney) of the WGS84 polygon.
    for s in SAMPLES {
        let layout = import_layout(s.geojson()).unwrap();
        let gj: geojson::GeoJson = s.geojson().parse().unwrap();
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            panic!()
        };
        let plot = fc
            .features
            .iter()
            .find(|f| f.property("role").and_then(|r| r.as_str()) == Some("plot"))
            .unwrap();
        let poly: geo::Polygon<f64> = plot.geometry.clone().unwrap().try_into().unwrap();
        let geodesic = poly.geodesic_area_unsigned();
        let rel = (layout.plot.area_m2() - geodesic).abs() / geodesic;
        assert!(
            rel < 1e-5,
            "{}: {} vs geodesic {geodesic}",
            s.id,
            layout.plot.area_m2()
        );
    }
}

#[test]
fn guonian_example_has_every_role() {
    let l = import_layout(
        plotwise_plan::samples::sample("guonian-layout-example")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    assert_eq!(l.zones.len(), 7);
    assert_eq!(l.elements.len(), 8);
    assert_eq!(l.plot.keep_trees.len(), 2);
    assert_eq!(l.plot.entrances[0].id.as_str(), "gate");
    assert!(l.zone(&"path-cross".into()).is_some());
    assert_eq!(l.element(&"station-1".into()).unwrap().rotation_deg, 90.0);
}

#[test]
fn rooftop_data_is_kept() {
    let l = import_layout(
        plotwise_plan::samples::sample("yifuyuan-rooftop")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    let r = l.plot.rooftop().expect("rooftop");
    assert_eq!(r.drop_height_m, Some(12.0));
    assert_eq!(r.parapet_height_m, Some(1.05));
    assert_eq!(r.declared_slab_capacity_kn_m2, Some(3.5));
    assert_eq!(l.plot.no_build.len(), 3);
}

#[test]
fn every_sample_is_checked_without_failing() {
    use plotwise_plan::{Catalogue, RuleSet, check};
    for s in SAMPLES {
        let layout = import_layout(s.geojson()).unwrap();
        let findings = check(&layout, &RuleSet::default(), &Catalogue::builtin());
        for f in &findings {
            assert!(!f.message.en.is_empty() && !f.message.zh.is_empty());
            assert!(
                plotwise_plan::rules::rule_info(&f.rule).is_some(),
                "{}",
                f.rule
            );
            for id in &f.ids {
                assert!(
                    layout.id_in_use(id),
                    "{}: finding names unknown id {id}",
                    s.id
                );
            }
        }
        eprintln!(
            "{}: {:?}",
            s.id,
            findings
                .iter()
                .map(|f| (&f.rule, &f.ids, f.severity))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_sample_survives_the_document_round_trip() {
    use plotwise_plan::LayoutDocument;
    for s in SAMPLES {
        let layout = import_layout(s.geojson()).unwrap();
        let json = LayoutDocument::new(layout.clone()).to_json();
        let back = LayoutDocument::from_json(&json).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        assert_eq!(back.layout, layout, "{}", s.id);
    }
}

#[test]
fn guonian_example_findings_are_the_known_ones() {
    use plotwise_plan::{Catalogue, RuleSet, Severity, evaluate};
    let l = import_layout(
        plotwise_plan::samples::sample("guonian-layout-example")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    let r = evaluate(&l, &RuleSet::default(), &Catalogue::builtin());
    // The fitness corner is 0.45 m away from the cross path, and the cross path is cut in two
    // by the west tree's protection circle, so its west half (and the play area) hangs loose.
    let unreachable: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "step-free-route")
        .map(|f| f.ids[0].as_str())
        .collect();
    assert_eq!(unreachable, ["fit-1", "play-1"]);
    assert_eq!(r.metrics.unreachable_zones, ["fit-1", "play-1"]);
    assert_eq!(r.metrics.reachable_zones, ["seat-1"]);
    // The cross path is squeezed to well under 1.20 m where it bends round the east tree.
    let pinch = r
        .findings
        .iter()
        .find(|f| f.rule == "path-width" && f.severity == Severity::Error)
        .expect("pinch at the east tree");
    assert!(pinch.value.unwrap() < 1.0);
    assert_eq!(r.metrics.seats, 10);
    assert_eq!(r.metrics.fitness_stations, 2);
    assert!((r.metrics.green_ratio - 0.2026).abs() < 0.001);
    assert!(r.metrics.cost.total > 0.0);
}

#[test]
fn empty_layouts_have_plain_zeros() {
    use plotwise_plan::{Catalogue, RuleSet, evaluate};
    let l = import_layout(
        plotwise_plan::samples::sample("yifuyuan-rooftop")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    let r = evaluate(&l, &RuleSet::default(), &Catalogue::builtin());
    let json = serde_json::to_string(&r.metrics).unwrap();
    assert!(!json.contains("-0.0"), "{json}");
    // The bare roof carries only the live load: 2.0 / 3.5 kN/m².
    assert_eq!(r.metrics.roof_peak_utilisation_pct, Some(57.14));
}
