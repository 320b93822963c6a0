//! Each rule on small inline shapes (local metres).

use geo::{Centroid, Coord, Geometry, wkt};
use plotwise_plan::model::{Entrance, KeepTree, Rooftop};
use plotwise_plan::{
    Catalogue, Element, Finding, Layout, Outline, Plot, PlotKind, RuleSet, Severity, Zone,
    ZoneKind, check,
};

fn c(x: f64, y: f64) -> Coord<f64> {
    Coord { x, y }
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Outline {
    Outline::rect(c(x0, y0), c(x1, y1)).unwrap()
}

fn plot(w: f64, h: f64) -> Layout {
    Layout::new(Plot::new("plot", rect(0.0, 0.0, w, h)))
}

fn entrance(id: &str, x: f64, y: f64, step_free: bool) -> Entrance {
    Entrance {
        id: id.into(),
        name: None,
        name_zh: None,
        position: c(x, y),
        width_m: 1.5,
        step_free,
    }
}

fn run(l: &Layout) -> Vec<Finding> {
    check(l, &RuleSet::default(), &Catalogue::builtin())
}

fn of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    f.iter().filter(|x| x.rule == rule).collect()
}

fn centre(f: &Finding) -> Coord<f64> {
    match f.highlight.as_ref().unwrap() {
        Geometry::MultiPolygon(mp) => mp.centroid().unwrap().0,
        Geometry::Polygon(p) => p.centroid().unwrap().0,
        g => panic!("unexpected highlight {g:?}"),
    }
}

#[test]
fn a_1_1_m_pinch_in_a_3_m_path_is_found_and_located() {
    let mut l = plot(20.0, 5.0);
    let path = Outline::from_polygon(wkt! {
        POLYGON((0. 0.,20. 0.,20. 3.,11. 3.,11. 1.1,9. 1.1,9. 3.,0. 3.,0. 0.))
    })
    .unwrap();
    l.zones
        .push(Zone::new("spine", ZoneKind::AccessiblePath, path));
    let f = run(&l);
    let pw = of(&f, "path-width");
    let errors: Vec<_> = pw
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{pw:#?}");
    let e = errors[0];
    assert_eq!(e.ids, ["spine"]);
    let at = centre(e);
    assert!((at.x - 10.0).abs() < 0.6 && at.y < 1.2, "located at {at:?}");
    let w = e.value.unwrap();
    assert!((w - 1.1).abs() < 0.03, "measured width {w}");
    assert!(e.message.en.contains("1.10"), "{}", e.message.en);
    assert!(e.message.zh.contains("无障碍通道"));
}

#[test]
fn a_1_3_m_pinch_is_a_warning_and_a_wide_path_is_fine() {
    let mut l = plot(20.0, 5.0);
    let path = Outline::from_polygon(wkt! {
        POLYGON((0. 0.,20. 0.,20. 3.,11. 3.,11. 1.3,9. 1.3,9. 3.,0. 3.,0. 0.))
    })
    .unwrap();
    l.zones.push(Zone::new("p", ZoneKind::AccessiblePath, path));
    let f = run(&l);
    let pw = of(&f, "path-width");
    assert!(
        pw.iter().all(|f| f.severity == Severity::Warning),
        "{pw:#?}"
    );
    assert_eq!(pw.len(), 1);

    let mut ok = plot(20.0, 5.0);
    ok.zones.push(Zone::new(
        "p",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 20.0, 1.5),
    ));
    assert!(of(&run(&ok), "path-width").is_empty());
    let mut exact = plot(20.0, 5.0);
    exact.zones.push(Zone::new(
        "p",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 20.0, 1.2),
    ));
    let f = run(&exact);
    assert!(
        of(&f, "path-width")
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
}

#[test]
fn a_bench_on_the_path_narrows_the_clear_width() {
    let mut l = plot(20.0, 5.0);
    l.zones.push(Zone::new(
        "p",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 20.0, 2.0),
    ));
    // A 0.6 m deep bench along the edge leaves 1.4 m; one across the middle leaves less.
    let mut b = Element::new("bench-1", "bench", c(10.0, 1.0));
    b.rotation_deg = 90.0;
    l.elements.push(b);
    let f = run(&l);
    let errors: Vec<_> = of(&f, "path-width")
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(!errors.is_empty());
    assert!(errors[0].ids.contains(&"bench-1".to_string()));
}

#[test]
fn step_free_route_names_unreachable_zones() {
    let mut l = plot(30.0, 20.0);
    l.plot.entrances.push(entrance("door", 0.0, 1.0, true));
    l.plot.entrances.push(entrance("stairs", 30.0, 19.0, false));
    l.zones.push(Zone::new(
        "path",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 15.0, 2.0),
    ));
    // Seating touching the path end over 2 m: reachable.
    l.zones.push(Zone::new(
        "seat-ok",
        ZoneKind::Seating,
        rect(15.0, 0.0, 19.0, 4.0),
    ));
    // Fitness touching the path only over 0.8 m: not reachable.
    l.zones.push(Zone::new(
        "fit-far",
        ZoneKind::Fitness,
        rect(14.2, 2.0, 18.0, 6.0),
    ));
    // Play area far away, near the stepped entrance only.
    l.zones.push(Zone::new(
        "play-far",
        ZoneKind::Play,
        rect(25.0, 15.0, 30.0, 20.0),
    ));
    let f = run(&l);
    let sf = of(&f, "step-free-route");
    let ids: Vec<_> = sf.iter().map(|f| f.ids[0].as_str()).collect();
    assert_eq!(ids, ["fit-far", "play-far"], "{sf:#?}");
    assert!(sf[0].message.en.contains("fit-far"));
}

#[test]
fn a_chain_of_plaza_and_paths_connects() {
    let mut l = plot(40.0, 10.0);
    l.plot.entrances.push(entrance("door", 0.0, 1.0, true));
    l.zones.push(Zone::new(
        "a",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 10.0, 1.5),
    ));
    l.zones.push(Zone::new(
        "plaza",
        ZoneKind::Plaza,
        rect(9.0, 0.0, 20.0, 8.0),
    ));
    l.zones.push(Zone::new(
        "b",
        ZoneKind::AccessiblePath,
        rect(20.0, 3.0, 30.0, 4.5),
    ));
    l.zones.push(Zone::new(
        "shade",
        ZoneKind::Shade,
        rect(30.0, 2.0, 35.0, 7.0),
    ));
    let f = run(&l);
    assert!(of(&f, "step-free-route").is_empty(), "{f:#?}");
}

#[test]
fn no_step_free_entrance_is_said() {
    let mut l = plot(10.0, 10.0);
    l.plot.entrances.push(entrance("stairs", 0.0, 1.0, false));
    l.zones.push(Zone::new(
        "seat",
        ZoneKind::Seating,
        rect(0.0, 0.0, 3.0, 3.0),
    ));
    let f = run(&l);
    let sf = of(&f, "step-free-route");
    assert_eq!(sf.len(), 1);
    assert!(sf[0].message.en.contains("no step-free entrance"));
}

#[test]
fn turning_space_at_dead_ends() {
    let mut l = plot(30.0, 10.0);
    l.plot.entrances.push(entrance("door", 0.0, 0.6, true));
    l.zones.push(Zone::new(
        "narrow",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 20.0, 1.2),
    ));
    let f = run(&l);
    let ts = of(&f, "turning-space");
    // Both the entrance and the far dead end lack a 1.5 m circle.
    assert!(ts.iter().any(|f| f.ids == ["door"]), "{ts:#?}");
    assert!(ts.iter().any(|f| f.ids == ["narrow"]), "{ts:#?}");

    let mut wide = plot(30.0, 10.0);
    wide.plot.entrances.push(entrance("door", 0.0, 0.9, true));
    wide.zones.push(Zone::new(
        "wide",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 20.0, 1.8),
    ));
    assert!(of(&run(&wide), "turning-space").is_empty());
}

#[test]
fn containment_tolerates_slivers() {
    let mut l = plot(10.0, 10.0);
    l.zones.push(Zone::new(
        "sliver",
        ZoneKind::Lawn,
        rect(5.0, 5.0, 10.004, 9.0),
    ));
    l.zones.push(Zone::new(
        "out",
        ZoneKind::Planting,
        rect(-0.5, 0.0, 3.0, 3.0),
    ));
    l.elements.push(Element::new("bin-1", "bin", c(9.9, 1.0)));
    let f = run(&l);
    let ids: Vec<_> = of(&f, "containment")
        .iter()
        .map(|f| f.ids[0].clone())
        .collect();
    assert_eq!(ids, ["bin-1", "out"]);
}

#[test]
fn overlap_by_kind_and_between_elements() {
    let mut l = plot(20.0, 20.0);
    l.zones.push(Zone::new(
        "bed",
        ZoneKind::Planting,
        rect(0.0, 0.0, 5.0, 5.0),
    ));
    l.zones
        .push(Zone::new("lawn", ZoneKind::Lawn, rect(4.0, 0.0, 9.0, 5.0)));
    l.zones.push(Zone::new(
        "seat",
        ZoneKind::Seating,
        rect(10.0, 0.0, 15.0, 5.0),
    ));
    l.zones.push(Zone::new(
        "play",
        ZoneKind::Play,
        rect(14.0, 0.0, 19.0, 5.0),
    ));
    // Overlapping the seating area by 4 mm (coordinate rounding): tolerated.
    l.zones.push(Zone::new(
        "touch",
        ZoneKind::Fitness,
        rect(10.0, 4.996, 15.0, 9.0),
    ));
    l.elements.push(Element::new("b1", "bench", c(5.0, 15.0)));
    l.elements.push(Element::new("b2", "bench", c(5.5, 15.2)));
    l.elements
        .push(Element::new("hop", "hopscotch", c(15.0, 15.0)));
    l.elements
        .push(Element::new("pergola", "pergola", c(5.0, 15.0)));
    let f = run(&l);
    let pairs: Vec<_> = of(&f, "overlap").iter().map(|f| f.ids.join("+")).collect();
    assert_eq!(pairs, ["b1+b2", "seat+play"]);
}

#[test]
fn fitness_clearance_from_elements_trees_and_edge() {
    let mut l = plot(20.0, 20.0);
    l.elements
        .push(Element::new("fs", "fitness_station", c(10.0, 10.0)));
    l.elements
        .push(Element::new("bench", "bench", c(10.0, 11.2)));
    l.elements
        .push(Element::new("fs-edge", "fitness_station", c(1.0, 10.0)));
    l.elements
        .push(Element::new("fs-ok", "fitness_station", c(15.0, 15.0)));
    l.plot.keep_trees.push(KeepTree {
        id: "old-tree".into(),
        name: None,
        name_zh: None,
        position: c(15.0, 13.8),
        canopy_radius_m: 3.0,
        protect_radius_m: 0.5,
        height_m: None,
    });
    let f = run(&l);
    let ids: Vec<_> = of(&f, "fitness-clearance")
        .iter()
        .map(|f| f.ids.join("+"))
        .collect();
    assert_eq!(
        ids,
        ["fs+bench", "fs-edge+plot", "fs-ok+old-tree"],
        "{ids:?}"
    );
}

#[test]
fn play_clearance_from_obstacles() {
    let mut l = plot(20.0, 20.0);
    l.elements
        .push(Element::new("sand", "sandpit", c(10.0, 10.0)));
    l.elements.push(Element::new("lamp", "lamp", c(12.5, 10.0)));
    l.elements
        .push(Element::new("hop", "hopscotch", c(10.0, 16.0)));
    let f = run(&l);
    let ids: Vec<_> = of(&f, "play-clearance")
        .iter()
        .map(|f| f.ids.join("+"))
        .collect();
    // The lamp is 1.0 m from the sandpit edge and 1.9 m from the hopscotch's; the painted
    // hopscotch itself is no obstacle.
    assert_eq!(ids, ["sand+lamp"]);
}

fn rooftop(parapet: Option<f64>, drop: f64) -> Layout {
    let mut l = plot(20.0, 20.0);
    l.plot.kind = PlotKind::Rooftop(Rooftop {
        floor_level: Some(4),
        drop_height_m: Some(drop),
        parapet_height_m: parapet,
        declared_slab_capacity_kn_m2: Some(3.5),
    });
    l
}

#[test]
fn roof_load_utilisation() {
    let mut l = rooftop(Some(1.2), 12.0);
    let mut bed = Zone::new("bed", ZoneKind::Planting, rect(0.0, 0.0, 5.0, 5.0));
    bed.soil_depth_m = Some(0.3);
    l.zones.push(bed);
    let mut thin = Zone::new("sedum", ZoneKind::Planting, rect(6.0, 0.0, 10.0, 5.0));
    thin.soil_depth_m = Some(0.08);
    thin.surface = Some(plotwise_plan::Surface::LightSubstrate);
    l.zones.push(thin);
    l.elements
        .push(Element::new("bench-1", "bench", c(15.0, 15.0)));
    let f = run(&l);
    let rl = of(&f, "roof-load");
    // 0.3 × 18 + 2.0 = 7.4 kN/m² = 211 % of 3.5; 0.08 × 12 + 2 = 2.96 = 85 % (not above);
    // bench 0.3/1.08 + 2 = 2.28 = 65 %.
    assert_eq!(rl.len(), 1, "{rl:#?}");
    assert_eq!(rl[0].ids, ["bed"]);
    assert_eq!(rl[0].severity, Severity::Error);
    assert!((rl[0].value.unwrap() - 211.43).abs() < 0.01);
    // A lamp (1.0 kN on a Ø 0.3 m base) is spread over at least 1 m²: 1.0 + 2.0 = 3.0 kN/m²
    // = 86 % of 3.5: a warning, not a 400 % error.
    l.elements
        .push(Element::new("lamp-1", "lamp", c(18.0, 18.0)));
    let f = run(&l);
    let lamp: Vec<_> = of(&f, "roof-load")
        .into_iter()
        .filter(|f| f.ids == ["lamp-1"])
        .collect();
    assert_eq!(lamp.len(), 1);
    assert_eq!(lamp[0].severity, Severity::Warning);
    assert!((lamp[0].value.unwrap() - 85.714).abs() < 0.01);
}

#[test]
fn parapet_height_by_drop() {
    assert!(of(&run(&rooftop(Some(1.05), 12.0)), "parapet").is_empty());
    let f = run(&rooftop(Some(1.05), 30.0));
    let p = of(&f, "parapet");
    assert_eq!((p.len(), p[0].severity), (1, Severity::Error));
    assert_eq!(p[0].limit, Some(1.10));
    let f = run(&rooftop(None, 12.0));
    assert_eq!(of(&f, "parapet")[0].severity, Severity::Warning);
    assert!(of(&run(&plot(5.0, 5.0)), "parapet").is_empty());
}

#[test]
fn green_ratio_counts_overlaps_once() {
    let mut l = plot(10.0, 10.0);
    l.zones.push(Zone::new(
        "bed",
        ZoneKind::Planting,
        rect(0.0, 0.0, 5.0, 5.0),
    ));
    l.zones
        .push(Zone::new("lawn", ZoneKind::Lawn, rect(0.0, 0.0, 5.0, 5.0)));
    let f = run(&l);
    let g = of(&f, "green-ratio");
    assert_eq!(g.len(), 1);
    assert!((g[0].value.unwrap() - 25.0).abs() < 1e-6);
    assert!(
        of(
            &check(&l, &RuleSet::renewal_area(), &Catalogue::builtin()),
            "green-ratio"
        )
        .is_empty()
    );
    let mut more = plot(10.0, 10.0);
    more.zones
        .push(Zone::new("lawn", ZoneKind::Lawn, rect(0.0, 0.0, 10.0, 3.0)));
    assert!(of(&run(&more), "green-ratio").is_empty());
}

#[test]
fn seat_spacing_along_a_long_path() {
    let mut l = plot(130.0, 5.0);
    l.zones.push(Zone::new(
        "walk",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 130.0, 1.5),
    ));
    l.elements.push(Element::new("b1", "bench", c(10.0, 3.0)));
    let f = run(&l);
    assert_eq!(of(&f, "seat-spacing").len(), 1);
    l.elements.push(Element::new("b2", "bench", c(60.0, 3.0)));
    l.elements.push(Element::new("b3", "bench", c(110.0, 3.0)));
    assert!(of(&run(&l), "seat-spacing").is_empty());
}

#[test]
fn tree_protection_for_hard_zones_and_elements() {
    let mut l = plot(20.0, 20.0);
    l.plot.keep_trees.push(KeepTree {
        id: "t".into(),
        name: None,
        name_zh: None,
        position: c(10.0, 10.0),
        canopy_radius_m: 4.0,
        protect_radius_m: 2.0,
        height_m: None,
    });
    l.zones.push(Zone::new(
        "bed",
        ZoneKind::Planting,
        rect(8.0, 8.0, 12.0, 12.0),
    ));
    l.zones.push(Zone::new(
        "plaza",
        ZoneKind::Plaza,
        rect(11.0, 0.0, 20.0, 9.0),
    ));
    l.elements
        .push(Element::new("bench", "bench", c(10.0, 11.5)));
    l.elements.push(Element::new("far", "bench", c(10.0, 13.5)));
    let f = run(&l);
    let ids: Vec<_> = of(&f, "tree-protection")
        .iter()
        .map(|f| f.ids.join("+"))
        .collect();
    assert_eq!(ids, ["t+bench", "t+plaza"]);
}

#[test]
fn rule_set_switches_and_severities_are_data() {
    let mut l = plot(10.0, 10.0);
    l.zones.push(Zone::new(
        "seat",
        ZoneKind::Seating,
        rect(0.0, 0.0, 3.0, 3.0),
    ));
    let rs: RuleSet = RuleSet::from_json(
        r#"{"disabled":["step-free-route"],"severity_overrides":{"green-ratio":"error"},"green_ratio_min":0.25}"#,
    )
    .unwrap();
    let f = check(&l, &rs, &Catalogue::builtin());
    assert!(of(&f, "step-free-route").is_empty());
    let g = of(&f, "green-ratio");
    assert_eq!(g[0].severity, Severity::Error);
    assert_eq!(g[0].limit, Some(25.0));
    assert_eq!(rs.path_width_min_m, 1.2);
}

#[test]
fn unknown_elements_are_reported_not_fatal() {
    let mut l = plot(10.0, 10.0);
    l.elements
        .push(Element::new("x", "trampoline", c(5.0, 5.0)));
    let f = run(&l);
    assert_eq!(of(&f, "unknown-element").len(), 1);
}

#[test]
fn bent_and_convex_paths_agree_on_width() {
    // The convex fast path and the general opening give the same answer around 1.20 m.
    for (w, expect_error) in [(1.18, true), (1.20, false), (1.25, false)] {
        let mut l = plot(30.0, 30.0);
        l.zones.push(Zone::new(
            "straight",
            ZoneKind::AccessiblePath,
            rect(0.0, 0.0, 20.0, w),
        ));
        let bent = Outline::from_polygon(geo::Polygon::new(
            geo::LineString::from(vec![
                (0.0, 10.0),
                (20.0, 10.0),
                (20.0, 25.0),
                (20.0 - w, 25.0),
                (20.0 - w, 10.0 + w),
                (0.0, 10.0 + w),
                (0.0, 10.0),
            ]),
            vec![],
        ))
        .unwrap();
        l.zones
            .push(Zone::new("bent", ZoneKind::AccessiblePath, bent));
        let f = run(&l);
        for id in ["straight", "bent"] {
            let has = of(&f, "path-width")
                .iter()
                .any(|f| f.severity == Severity::Error && f.ids[0] == id);
            assert_eq!(has, expect_error, "{id} at {w} m");
        }
    }
}

#[test]
fn a_loop_path_has_no_dead_ends() {
    let mut l = plot(30.0, 30.0);
    let ring = Outline::from_polygon(geo::wkt! {
        POLYGON((0. 0.,20. 0.,20. 20.,0. 20.,0. 0.),(1.3 1.3,1.3 18.7,18.7 18.7,18.7 1.3,1.3 1.3))
    })
    .unwrap();
    l.zones
        .push(Zone::new("loop", ZoneKind::AccessiblePath, ring));
    let f = run(&l);
    assert!(of(&f, "turning-space").is_empty(), "{f:#?}");
    assert!(
        of(&f, "path-width")
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
}

#[test]
fn seat_spacing_is_walking_distance_not_straight_line() {
    // A U-shaped path: 62 m along the top, down the bend, 62 m back along the bottom. A bench
    // by the top leg's start is 9 m in a straight line from the bottom leg's start, but about
    // 125 m away on foot.
    let mut l = plot(70.0, 20.0);
    let u = Outline::from_polygon(geo::wkt! {
        POLYGON((0. 0.,62. 0.,62. 8.,0. 8.,0. 6.5,60.5 6.5,60.5 1.5,0. 1.5,0. 0.))
    })
    .unwrap();
    l.zones.push(Zone::new("u", ZoneKind::AccessiblePath, u));
    l.elements.push(Element::new("b1", "bench", c(2.0, 9.0)));
    let f = run(&l);
    let s = of(&f, "seat-spacing");
    assert_eq!(s.len(), 1);
    let far: Vec<_> = match s[0].highlight.as_ref().unwrap() {
        Geometry::MultiPoint(mp) => mp.0.iter().map(|p| (p.x(), p.y())).collect(),
        g => panic!("{g:?}"),
    };
    assert!(
        far.iter().any(|&(x, y)| x < 2.0 && y < 1.5),
        "the bottom leg's start is far on foot"
    );
    assert!(
        far.iter().all(|&(x, y)| y < 1.5 || x > 50.0),
        "the top leg within 50 m of the bench is served: {far:?}"
    );
    // A second bench inside the U, beside the bottom leg at x = 45, serves the rest.
    l.elements.push(Element::new("b2", "bench", c(45.0, 3.0)));
    let left = run(&l);
    assert!(
        of(&left, "seat-spacing").is_empty(),
        "{:?}",
        of(&left, "seat-spacing")
    );
}

#[test]
fn a_path_cut_off_from_the_seats_is_measured_in_a_straight_line() {
    // Two path pieces 3 m apart (a tree between them): the bench serves the first by walking
    // and the second, unreachable along paths, by straight-line distance.
    let mut l = plot(40.0, 10.0);
    l.zones.push(Zone::new(
        "a",
        ZoneKind::AccessiblePath,
        rect(0.0, 0.0, 10.0, 1.5),
    ));
    l.zones.push(Zone::new(
        "b",
        ZoneKind::AccessiblePath,
        rect(13.0, 0.0, 23.0, 1.5),
    ));
    l.elements.push(Element::new("b1", "bench", c(5.0, 3.0)));
    assert!(of(&run(&l), "seat-spacing").is_empty());
}

#[test]
fn every_end_of_a_t_shaped_path_is_checked() {
    // A 1.2 m T: the stem from the door at the bottom, the bar with two dead ends.
    let mut l = plot(30.0, 30.0);
    l.plot.entrances.push(entrance("door", 10.0, 0.0, true));
    let t = Outline::from_polygon(geo::wkt! {
        POLYGON((9.4 0.,10.6 0.,10.6 10.,20. 10.,20. 11.2,0. 11.2,0. 10.,9.4 10.,9.4 0.))
    })
    .unwrap();
    l.zones.push(Zone::new("t", ZoneKind::AccessiblePath, t));
    let f = run(&l);
    let ends: Vec<_> = of(&f, "turning-space")
        .into_iter()
        .filter(|f| f.ids == ["t"])
        .map(centre)
        .collect();
    assert_eq!(ends.len(), 2, "{ends:?}");
    assert!(
        ends.iter().any(|c| c.x < 1.0) && ends.iter().any(|c| c.x > 19.0),
        "{ends:?}"
    );
}
