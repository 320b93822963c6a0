//! `check` and `metrics` never fail or panic, whatever valid layout they get.

use geo::{ConvexHull, Coord, MultiPoint, Point};
use plotwise_plan::geom::oriented_rect;
use plotwise_plan::model::{Entrance, KeepTree, Rooftop, Size};
use plotwise_plan::{
    Catalogue, Element, Layout, Outline, Plot, PlotKind, RuleSet, Zone, ZoneKind, evaluate,
};
use proptest::prelude::*;

fn zone_shape() -> impl Strategy<Value = Outline> {
    prop_oneof![
        (
            0.0..40.0f64,
            0.0..40.0f64,
            0.05..20.0f64,
            0.05..20.0f64,
            0.0..180.0f64
        )
            .prop_filter_map("valid", |(x, y, w, d, r)| Outline::from_polygon(
                oriented_rect(Coord { x, y }, w, d, r)
            )
            .ok()),
        prop::collection::vec((0.0..40.0f64, 0.0..40.0f64), 3..9).prop_filter_map("valid", |pts| {
            let mp = MultiPoint::new(pts.into_iter().map(|(x, y)| Point::new(x, y)).collect());
            Outline::from_polygon(mp.convex_hull()).ok()
        }),
    ]
}

fn layout() -> impl Strategy<Value = Layout> {
    let kinds = prop::sample::select(ZoneKind::ALL.to_vec());
    let element_kinds = prop::sample::select(vec![
        "bench",
        "fitness_station",
        "planter",
        "tree",
        "table_seats",
        "pergola",
        "lamp",
        "bin",
        "bike_rack",
        "sandpit",
        "hopscotch",
        "table_tennis",
        "unknown_thing",
    ]);
    (
        zone_shape(),
        prop::collection::vec((kinds, zone_shape(), prop::option::of(0.0..1.0f64)), 0..8),
        prop::collection::vec(
            (
                element_kinds,
                0.0..40.0f64,
                0.0..40.0f64,
                0.0..360.0f64,
                prop::option::of(0.05..5.0f64),
            ),
            0..25,
        ),
        prop::collection::vec(
            (0.0..40.0f64, 0.0..40.0f64, any::<bool>(), 0.5..4.0f64),
            0..3,
        ),
        prop::collection::vec((0.0..40.0f64, 0.0..40.0f64, 0.0..3.0f64), 0..3),
        any::<bool>(),
    )
        .prop_map(|(plot, zones, elements, entrances, trees, rooftop)| {
            let mut p = Plot::new("plot", plot);
            if rooftop {
                p.kind = PlotKind::Rooftop(Rooftop {
                    floor_level: Some(4),
                    drop_height_m: Some(30.0),
                    parapet_height_m: Some(1.0),
                    declared_slab_capacity_kn_m2: Some(3.5),
                });
            }
            for (i, (x, y, step_free, w)) in entrances.into_iter().enumerate() {
                p.entrances.push(Entrance {
                    id: format!("entrance-{i}").into(),
                    name: None,
                    name_zh: None,
                    position: Coord { x, y },
                    width_m: w,
                    step_free,
                });
            }
            for (i, (x, y, r)) in trees.into_iter().enumerate() {
                p.keep_trees.push(KeepTree {
                    id: format!("tree-{i}").into(),
                    name: None,
                    name_zh: None,
                    position: Coord { x, y },
                    canopy_radius_m: r,
                    protect_radius_m: r,
                    height_m: None,
                });
            }
            let mut l = Layout::new(p);
            for (i, (kind, outline, depth)) in zones.into_iter().enumerate() {
                let mut z = Zone::new(format!("z{i}"), kind, outline);
                z.soil_depth_m = depth;
                l.zones.push(z);
            }
            for (i, (kind, x, y, rot, size)) in elements.into_iter().enumerate() {
                let mut e = Element::new(format!("e{i}"), kind, Coord { x, y });
                e.rotation_deg = rot;
                e.size = size.map(|w| Size {
                    width_m: w,
                    depth_m: w / 2.0,
                });
                l.elements.push(e);
            }
            l
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn evaluate_never_panics_and_names_real_ids(l in layout()) {
        let r = evaluate(&l, &RuleSet::default(), &Catalogue::builtin());
        for f in &r.findings {
            prop_assert!(plotwise_plan::rules::rule_info(&f.rule).is_some());
            prop_assert!(!f.ids.is_empty());
            for id in &f.ids {
                prop_assert!(l.id_in_use(id), "unknown id {}", id);
            }
        }
        prop_assert!(r.metrics.green_ratio >= 0.0 && r.metrics.green_ratio <= 1.0 + 1e-9);
        prop_assert!(r.metrics.reachability >= 0.0 && r.metrics.reachability <= 1.0);
        prop_assert!(r.metrics.cost.total >= 0.0);
        // The report serialises (it is what `plotwise check` prints).
        prop_assert!(serde_json::to_string(&r).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// The same far from the origin (a WKT in UTM metres has coordinates in the millions).
    #[test]
    fn evaluate_never_panics_far_from_the_origin(l in layout()) {
        use geo::Translate;
        let (dx, dy) = (500_000.0, 3_460_000.0);
        let mut far = l.clone();
        far.plot.outline = Outline::new(l.plot.outline.multi_polygon().translate(dx, dy)).unwrap();
        for z in &mut far.zones {
            z.outline = Outline::new(z.outline.multi_polygon().translate(dx, dy)).unwrap();
        }
        for e in &mut far.elements {
            e.position = Coord { x: e.position.x + dx, y: e.position.y + dy };
        }
        for e in &mut far.plot.entrances {
            e.position = Coord { x: e.position.x + dx, y: e.position.y + dy };
        }
        for t in &mut far.plot.keep_trees {
            t.position = Coord { x: t.position.x + dx, y: t.position.y + dy };
        }
        let near = evaluate(&l, &RuleSet::default(), &Catalogue::builtin());
        let r = evaluate(&far, &RuleSet::default(), &Catalogue::builtin());
        // Same rules fire for the same objects (geometry is only translated).
        let key = |f: &plotwise_plan::Finding| (f.rule.clone(), f.ids.clone());
        let mut a: Vec<_> = near.findings.iter().map(key).collect();
        let mut b: Vec<_> = r.findings.iter().map(key).collect();
        a.dedup();
        b.dedup();
        prop_assert_eq!(a.is_empty(), b.is_empty());
        prop_assert!((near.metrics.plot_area_m2 - r.metrics.plot_area_m2).abs() < 0.05);
    }
}
