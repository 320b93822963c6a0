//! The sun and shade analysis: properties (no building → the whole window while the sun is up;
//! raising a building never adds sun; inside a footprint → 0), agreement with an independent
//! ray test (segment against polygon, no shadow polygons), the sunlight rules and metrics on
//! the samples, and buildings through import and export.

mod export_common;

use export_common::sample;
use geo::{Coord, Intersects, Line, LineString, MultiPolygon, Polygon};
use plotwise_plan::model::Building;
use plotwise_plan::projection::LonLat;
use plotwise_plan::sun::{
    Clock, Date, SunAnalysis, SunTrack, SunWindow, UtcOffset, sun_hours, sweep_pieces, swept,
};
use plotwise_plan::{Catalogue, Layout, Outline, Plot, RuleSet, Zone, ZoneKind, evaluate};
use proptest::prelude::*;

/// A 30 × 20 m ground plot in Shanghai (georeferenced).
fn plot_layout() -> Layout {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"plot"},
      "geometry":{"type":"Polygon","coordinates":[[[121.47,31.23],[121.4703151,31.23],[121.4703151,31.2301804],[121.47,31.2301804],[121.47,31.23]]]}}]}"#;
    plotwise_plan::import::geojson::import_layout(text).unwrap()
}

fn dahan() -> SunWindow {
    SunWindow::on(Date::new(2026, 1, 20).unwrap())
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Outline {
    Outline::rect(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 }).unwrap()
}

/// An L-shaped (non-convex) footprint with its corner at (x, y).
fn ell(x: f64, y: f64, w: f64, d: f64, arm: f64) -> Outline {
    Outline::from_polygon(Polygon::new(
        LineString::from(vec![
            (x, y),
            (x + w, y),
            (x + w, y + arm),
            (x + arm, y + arm),
            (x + arm, y + d),
            (x, y + d),
            (x, y),
        ]),
        vec![],
    ))
    .unwrap()
}

/// The independent oracle: at each sample, is the segment from `p` toward the sun, as long
/// as the roof is reached at that elevation, touching the footprint (closed)? No shadow
/// polygons, no boolean operations.
fn oracle_minutes(track: &SunTrack, buildings: &[Building], p: Coord<f64>) -> u32 {
    let mut n = 0;
    for s in &track.samples {
        let e = s.position.elevation_deg;
        if e <= 0.0 {
            continue;
        }
        let az = s.position.azimuth_deg.to_radians();
        let shaded = buildings.iter().any(|b| {
            let len = (b.height_m / e.to_radians().tan()).min(10_000.0);
            let end = Coord {
                x: p.x + len * az.sin(),
                y: p.y + len * az.cos(),
            };
            b.outline.multi_polygon().intersects(&Line::new(p, end))
        });
        if !shaded {
            n += track.window.step_min;
        }
    }
    n
}

#[test]
fn shanghai_dahan_window_is_sunny_throughout_without_buildings() {
    let l = plot_layout();
    let w = dahan();
    let pts = [Coord { x: 0.0, y: 0.0 }, Coord { x: -10.0, y: 7.0 }];
    let h = sun_hours(&l, &w, &pts).unwrap();
    // 08:00–16:00 true solar time on 大寒 in Shanghai: the sun is up all the time.
    assert_eq!(h, vec![8.0, 8.0]);
    let a = SunAnalysis::new(&l, &w, None).unwrap();
    assert_eq!(a.track.samples.len(), 480);
    // The window starts at about 08:05 Beijing time (longitude 121.47°, E ≈ −11 min).
    let (from, to) = a.track.standard_window();
    assert!(
        (from - 485.0).abs() < 1.0 && (to - 965.0).abs() < 1.0,
        "{from} {to}"
    );
    // Midpoint samples: the first is half a step after the start.
    assert!((a.track.samples[0].standard_min - from - 0.5).abs() < 1e-9);
    // Solar noon is the middle of the window: the sun is due south there.
    let noon = &a.track.samples[240].position;
    assert!((noon.azimuth_deg - 180.0).abs() < 0.2, "{noon:?}");
}

#[test]
fn a_clock_window_and_a_night_window() {
    let l = plot_layout();
    let mut w = dahan();
    w.clock = Clock::Standard;
    w.from = "06:00".parse().unwrap();
    w.to = "08:00".parse().unwrap();
    // Sunrise in Shanghai on 20 January is about 06:52 Beijing time.
    let h = sun_hours(&l, &w, &[Coord { x: 0.0, y: 0.0 }]).unwrap()[0];
    assert!((1.0..1.25).contains(&h), "{h}");
    w.from = "22:00".parse().unwrap();
    w.to = "24:00".parse().unwrap();
    assert_eq!(
        sun_hours(&l, &w, &[Coord { x: 0.0, y: 0.0 }]).unwrap()[0],
        0.0
    );
    // The UTC offset only converts under a solar clock.
    let mut a = dahan();
    a.utc_offset = UtcOffset::from_minutes(0).unwrap();
    let mut l2 = l.clone();
    l2.plot
        .buildings
        .push(Building::new("b", rect(-5.0, -30.0, 5.0, -12.0), 18.0));
    let p = [Coord { x: 0.0, y: 0.0 }];
    let x = sun_hours(&l2, &a, &p).unwrap()[0];
    let y = sun_hours(&l2, &dahan(), &p).unwrap()[0];
    assert!((x - y).abs() <= 1.0 / 60.0, "{x} vs {y}");
}

#[test]
fn a_south_block_shades_the_lot_at_noon_but_not_a_north_block() {
    let mut l = plot_layout();
    l.plot.buildings.push(Building::new(
        "south",
        rect(-40.0, -40.0, 40.0, -28.0),
        18.0,
    ));
    l.plot
        .buildings
        .push(Building::new("north", rect(-40.0, 25.0, 40.0, 37.0), 18.0));
    let a = SunAnalysis::new(&l, &dahan(), None).unwrap();
    let near = Coord { x: 0.0, y: -20.0 };
    let far = Coord { x: 0.0, y: 20.0 };
    // Noon elevation ≈ 35.6°: an 18 m block's shadow reaches ≈ 25 m north of it.
    assert!(!a.shadows.sunny_at(240, near));
    assert!(a.shadows.sunny_at(240, far));
    assert!(a.hours_at(near) < a.hours_at(far));
    // The shadow drawn at noon contains the shaded point.
    assert!(a.shadows.shadow_at(240).intersects(&near));
}

#[test]
fn matches_the_independent_ray_test() {
    let mut l = plot_layout();
    l.plot.buildings = vec![
        Building::new("slab", rect(-30.0, -35.0, 25.0, -23.0), 18.0),
        Building::new("ell", ell(18.0, -5.0, 14.0, 16.0, 5.0), 24.0),
        Building::new("low", rect(-22.0, 2.0, -17.0, 6.0), 4.5),
    ];
    let w = dahan();
    let a = SunAnalysis::new(&l, &w, None).unwrap();
    let mut worst = 0i64;
    let mut differing = 0;
    let mut n = 0;
    let pts: Vec<Coord<f64>> = (-10..=10)
        .flat_map(|j| {
            (-15..=15).map(move |i| Coord {
                x: f64::from(i) + 0.37,
                y: f64::from(j) + 0.21,
            })
        })
        .collect();
    // Many points at once (pieces finding points) = one point at a time.
    let many = a.shadows.sun_minutes_many(&pts);
    for (p, m) in pts.iter().zip(&many) {
        assert_eq!(*m, a.shadows.sun_minutes(*p), "{p:?}");
    }
    for j in -10..=10 {
        for i in -15..=15 {
            let p = Coord {
                x: f64::from(i) + 0.37,
                y: f64::from(j) + 0.21,
            };
            let ours = a.shadows.sun_minutes(p);
            let theirs = oracle_minutes(&a.track, &l.plot.buildings, p);
            worst = worst.max((i64::from(ours) - i64::from(theirs)).abs());
            differing += usize::from(ours != theirs);
            n += 1;
        }
    }
    // The issue's tolerance is ±3 minutes; the two constructions agree sample by sample
    // except where a point lies within rounding of a shadow's edge.
    assert!(worst <= 1, "worst difference {worst} min");
    assert!(differing * 50 <= n, "{differing} of {n} points differ");
}

fn building_strategy() -> impl Strategy<Value = (f64, f64, f64, f64, f64, bool)> {
    (
        -40.0..40.0f64,
        -40.0..10.0f64,
        4.0..25.0f64,
        4.0..20.0f64,
        3.0..40.0f64,
        any::<bool>(),
    )
}

fn outline_of(b: (f64, f64, f64, f64, f64, bool)) -> Outline {
    let (x, y, w, d, _, l_shaped) = b;
    if l_shaped {
        ell(x, y, w, d, (w.min(d) / 2.5).max(1.0))
    } else {
        rect(x, y, x + w, y + d)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_building_gives_the_whole_window_while_the_sun_is_up(
        month in 1u32..=12, day in 1u32..=28, from in 0u32..20, len in 1u32..5,
        x in -15.0..15.0f64, y in -10.0..10.0f64,
    ) {
        let l = plot_layout();
        let mut w = SunWindow::on(Date::new(2026, month, day).unwrap());
        w.clock = Clock::Standard;
        w.from = format!("{from:02}:00").parse().unwrap();
        w.to = format!("{:02}:00", from + len).parse().unwrap();
        w.step_min = 5;
        let a = SunAnalysis::new(&l, &w, None).unwrap();
        let up = a.track.sun_up_samples();
        prop_assert_eq!(a.shadows.sun_minutes(Coord { x, y }), up * 5);
        if (10..14).contains(&from) && from + len <= 14 {
            // Around noon in Shanghai the sun is always up: exactly to − from.
            prop_assert_eq!(a.hours_at(Coord { x, y }), f64::from(len));
        }
    }

    #[test]
    fn raising_a_building_never_adds_sun(
        bs in prop::collection::vec(building_strategy(), 1..4),
        which in 0usize..4, extra in 0.5..30.0f64,
        pts in prop::collection::vec((-15.0..15.0f64, -10.0..10.0f64), 1..12),
    ) {
        let mut l = plot_layout();
        l.plot.buildings = bs.iter().enumerate()
            .map(|(i, b)| Building::new(format!("b{i}"), outline_of(*b), b.4))
            .collect();
        let mut w = dahan();
        w.step_min = 10;
        let pts: Vec<Coord<f64>> = pts.into_iter().map(|(x, y)| Coord { x, y }).collect();
        let before = sun_hours(&l, &w, &pts).unwrap();
        let k = which % l.plot.buildings.len();
        // (The remembered shadows of the lower building must not answer for the raised one.)
        l.plot.buildings[k].height_m += extra;
        let after = sun_hours(&l, &w, &pts).unwrap();
        for (b, a) in before.iter().zip(&after) {
            prop_assert!(a <= b, "{} h became {} h", b, a);
        }
    }

    #[test]
    fn a_point_inside_a_footprint_gets_no_sun(
        b in building_strategy(), u in 0.05..0.95f64, v in 0.05..0.95f64,
    ) {
        let mut l = plot_layout();
        let outline = outline_of(b);
        let r = outline.bounding_rect();
        let p = Coord { x: r.min().x + u * r.width(), y: r.min().y + v * r.height() };
        prop_assume!(outline.multi_polygon().intersects(&p));
        l.plot.buildings.push(Building::new("b", outline, b.4));
        let mut w = dahan();
        w.step_min = 10;
        prop_assert_eq!(sun_hours(&l, &w, &[p]).unwrap()[0], 0.0);
    }

    #[test]
    fn the_sweep_contains_the_footprint_and_its_translate(
        b in building_strategy(), vx in -30.0..30.0f64, vy in -30.0..30.0f64,
    ) {
        let outline = outline_of(b);
        // The pieces the point tests use hold the footprint's corners and their translates
        // exactly (a shadow's edge is shade); their union is the drawn shadow.
        let s = MultiPolygon::new(sweep_pieces(outline.multi_polygon(), Coord { x: vx, y: vy }));
        let drawn = MultiPolygon::new(swept(outline.multi_polygon(), Coord { x: vx, y: vy }));
        let swept_area = geo::Area::unsigned_area(&drawn);
        // Area of a sweep: at least the footprint's, at most that of its bounding box's sweep
        // (which holds it). Not footprint + |v| × extent: a line along v can cross an L twice
        // (v pointing into its notch), and then the sweep fills the notch. The union snaps its
        // vertices to a grid (~1e-8 m here), so the bounds hold to a relative 1e-6, not exactly.
        let r = outline.bounding_rect();
        let box_sweep = r.width() * r.height() + vx.abs() * r.height() + vy.abs() * r.width();
        let tol = 1e-6 * box_sweep;
        prop_assert!(swept_area + tol >= outline.area_m2(), "{} < {}", swept_area, outline.area_m2());
        prop_assert!(swept_area <= box_sweep + tol, "{} > {}", swept_area, box_sweep);
        for c in &outline.multi_polygon().0[0].exterior().0 {
            let moved = Coord { x: c.x + vx, y: c.y + vy };
            prop_assert!(s.intersects(c));
            prop_assert!(s.intersects(&moved));
        }
    }
}

#[test]
fn buildings_survive_geojson_export_and_import() {
    let l = sample("guonian-layout-example");
    assert_eq!(l.plot.buildings.len(), 2);
    let text = plotwise_plan::export::geojson::layout_geojson(&l).unwrap();
    let back = plotwise_plan::import::geojson::import_layout(&text).unwrap();
    assert_eq!(back.plot.buildings.len(), 2);
    for (a, b) in l.plot.buildings.iter().zip(&back.plot.buildings) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.height_m, b.height_m);
        assert_eq!(a.name_zh, b.name_zh);
        assert!((a.outline.area_m2() - b.outline.area_m2()).abs() < 1e-6);
    }
}

#[test]
fn boards_and_drawings_show_the_buildings_on_their_own_layer() {
    let l = sample("guonian-layout-example");
    let opt = plotwise_plan::export::svg::BoardOptions::default();
    let svg = plotwise_plan::export::svg::board_svg(&l, &opt).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let layer = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("buildings"))
        .expect("a buildings layer");
    let ids: Vec<&str> = layer
        .children()
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    assert_eq!(ids, ["block-s", "block-n"]);
    assert!(
        doc.descendants()
            .all(|n| n.attribute("id") != Some("sun-hours"))
    );

    // With the sun layer: one cell per grid cell of the plot, classed by hours.
    let rules = RuleSet::default();
    let w = rules.sunlight.window().unwrap();
    let grid = plotwise_plan::sun::grid(&l, &w, 1.0).unwrap();
    let opt = plotwise_plan::export::svg::BoardOptions {
        sun: Some(grid.clone()),
        ..Default::default()
    };
    let svg = plotwise_plan::export::svg::board_svg(&l, &opt).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let sun = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("sun-hours"))
        .expect("a sun layer");
    assert_eq!(
        sun.children().filter(|n| n.is_element()).count(),
        grid.cells.len()
    );
    assert!(svg.contains("日照时数 sun hours 2026-01-20"));
    // Both ends of the scale occur on this shaded lot.
    assert!(grid.cells.iter().any(|c| c.sun_hours < 1.0));
    assert!(grid.cells.iter().any(|c| c.sun_hours >= 4.0));
}

#[cfg(feature = "dxf")]
#[test]
fn dxf_has_a_buildings_layer() {
    let l = sample("guonian-lot");
    let bytes = plotwise_plan::export::dxf::layout_dxf(&l, &Catalogue::builtin()).unwrap();
    let d = dxf::Drawing::load(&mut std::io::Cursor::new(bytes)).unwrap();
    assert!(
        d.layers()
            .any(|x| x.name == plotwise_plan::export::dxf::LAYER_BUILDINGS)
    );
    let on_layer = d
        .entities()
        .filter(|e| e.common.layer == plotwise_plan::export::dxf::LAYER_BUILDINGS)
        .count();
    assert_eq!(on_layer, 2);
}

fn report(l: &Layout) -> plotwise_plan::Report {
    evaluate(l, &RuleSet::default(), &Catalogue::builtin())
}

#[test]
fn sunlight_rules_fire_only_with_buildings_and_name_the_zone() {
    let mut l = plot_layout();
    // Planting along the south edge, a lawn along the north edge; seating in the south-west.
    l.zones.push(Zone::new(
        "bed-south",
        ZoneKind::Planting,
        rect(-15.0, -10.0, 15.0, -6.0),
    ));
    l.zones.push(Zone::new(
        "lawn-north",
        ZoneKind::Lawn,
        rect(-15.0, 7.0, 15.0, 10.0),
    ));
    l.zones.push(Zone::new(
        "rest",
        ZoneKind::Seating,
        rect(-12.0, -5.0, -6.0, -1.0),
    ));
    l.elements.push(plotwise_plan::Element::new(
        "bench-1",
        "bench",
        Coord { x: -9.0, y: -3.0 },
    ));
    let sun_rules = |r: &plotwise_plan::Report| -> Vec<(String, Vec<String>)> {
        r.findings
            .iter()
            .filter(|f| f.rule.ends_with("-sunlight"))
            .map(|f| (f.rule.clone(), f.ids.clone()))
            .collect()
    };
    let bare = report(&l);
    assert!(sun_rules(&bare).is_empty());
    assert_eq!(bare.metrics.sunlit_green_share, Some(1.0));
    assert_eq!(bare.metrics.seat_sun_hours_mean, Some(8.0));
    assert_eq!(bare.metrics.sunlight.as_ref().unwrap().day, "2026-01-20");

    // A low wall-side shed south of the plot: everything still gets its 2 hours.
    l.plot
        .buildings
        .push(Building::new("shed", rect(-20.0, -14.0, 20.0, -12.0), 2.5));
    let low = report(&l);
    assert!(sun_rules(&low).is_empty(), "{:?}", sun_rules(&low));

    // An 11-storey slab close to the south: the southern bed and the seating are in shade.
    l.plot.buildings[0] = Building::new("slab", rect(-40.0, -30.0, 40.0, -16.0), 33.0);
    let r = report(&l);
    let rules = sun_rules(&r);
    assert!(
        rules.contains(&("activity-sunlight".into(), vec!["rest".into()])),
        "{rules:?}"
    );
    let share = r.metrics.sunlit_green_share.unwrap();
    assert!(share < 1.0 / 3.0, "{share}");
    assert!(
        rules.contains(&("green-sunlight".into(), vec!["plot".into()])),
        "{rules:?}"
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "activity-sunlight")
        .unwrap();
    assert!(f.message.en.contains("rest") && f.message.zh.contains("rest"));
    assert!(f.message.zh.contains("大寒"));
    assert!(f.standard.contains("GB 50180-2018"));
    assert!(r.metrics.seat_sun_hours_min.unwrap() < 2.0);

    // Switched off by id; the severity can be raised.
    let mut rs = RuleSet::default();
    rs.disabled
        .push(plotwise_plan::rules::RuleId::GreenSunlight);
    rs.severity_overrides.insert(
        plotwise_plan::rules::RuleId::ActivitySunlight,
        plotwise_plan::Severity::Error,
    );
    let r = evaluate(&l, &rs, &Catalogue::builtin());
    assert!(r.findings.iter().all(|f| f.rule != "green-sunlight"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "activity-sunlight" && f.severity == plotwise_plan::Severity::Error)
    );
}

#[test]
fn rule_sets_name_sunlight_settings_and_refuse_unknown_rules() {
    let rs = RuleSet::from_json(
        r#"{"sunlight":{"day":"2026-12-22","min_hours":3,"from":"09:00","to":"15:00"}}"#,
    )
    .unwrap();
    let w = rs.sunlight.window().unwrap();
    assert_eq!(w.date.to_string(), "2026-12-22");
    assert_eq!(rs.sunlight.min_hours, 3.0);
    assert_eq!(rs.sunlight.grid_m, 0.5);
    // 大寒 of another year.
    let rs = RuleSet::from_json(r#"{"sunlight":{"year":2025}}"#).unwrap();
    assert_eq!(rs.sunlight.window().unwrap().date.to_string(), "2025-01-20");
    // A misspelt rule id is an error, not a silently ignored setting.
    let e = RuleSet::from_json(r#"{"disabled":["green-sunlite"]}"#).unwrap_err();
    assert!(e.to_string().contains("green-sunlite"), "{e}");
    assert!(RuleSet::from_json(r#"{"severity_overrides":{"pathwidth":"error"}}"#).is_err());
}

#[test]
fn samples_with_buildings_run_the_rules_and_metrics() {
    for id in [
        "guonian-lot",
        "guonian-layout-example",
        "sanxiang-strip",
        "yifuyuan-rooftop",
    ] {
        let l = sample(id);
        assert!(!l.plot.buildings.is_empty(), "{id}");
        let r = report(&l);
        assert!(r.metrics.sunlight.is_some(), "{id}");
    }
    // The Guonian example: the six-storey block south of the wall shades the seating area.
    let r = report(&sample("guonian-layout-example"));
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "activity-sunlight" && f.ids == ["seat-1"])
    );
    let share = r.metrics.sunlit_green_share.unwrap();
    assert!((0.0..=1.0).contains(&share));
    // Without its buildings, the same layout has no sunlight findings.
    let mut l = sample("guonian-layout-example");
    l.plot.buildings.clear();
    let r = report(&l);
    assert!(r.findings.iter().all(|f| !f.rule.ends_with("-sunlight")));
}

#[test]
fn plots_without_a_position_have_no_sun() {
    let l = Layout::new(Plot::new("plot", rect(0.0, 0.0, 10.0, 10.0)));
    let r = report(&l);
    assert!(r.metrics.sunlight.is_none() && r.metrics.sunlit_green_share.is_none());
    let e = sun_hours(&l, &dahan(), &[Coord { x: 1.0, y: 1.0 }]).unwrap_err();
    assert!(e.message().zh.contains("地理位置"));
    // The SPA track itself needs no layout.
    let t = SunTrack::new(
        LonLat {
            lon: 121.47,
            lat: 31.23,
        },
        &dahan(),
    )
    .unwrap();
    assert_eq!(t.sun_up_samples(), 480);
}
