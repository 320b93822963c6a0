//! The summer shade measure at seats: floating casters (crowns, pergola roofs) against an
//! independent ray test, the metric on layouts, and that it changes neither `plotwise sun`'s
//! answers nor the winter sunlight rules.

#![cfg(feature = "sun")]

use geo::{Coord, Intersects, Line, LineString, MultiPolygon, Polygon, Rect};
use plotwise_plan::model::{Building, Element, KeepTree, Zone, ZoneKind};
use plotwise_plan::rules::{RuleSet, SunDay};
use plotwise_plan::sun::{Caster, Clock, Shadows, SunTrack, SunWindow, dashu, location, sun_hours};
use plotwise_plan::{Catalogue, Layout, Outline, evaluate};
use proptest::prelude::*;

/// A 30 × 20 m ground plot in Shanghai (georeferenced), centred on the local origin.
fn plot_layout() -> Layout {
    let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"role":"plot"},
      "geometry":{"type":"Polygon","coordinates":[[[121.47,31.23],[121.4703151,31.23],[121.4703151,31.2301804],[121.47,31.2301804],[121.47,31.23]]]}}]}"#;
    plotwise_plan::import::geojson::import_layout(text).unwrap()
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Outline {
    Outline::rect(Coord { x: x0, y: y0 }, Coord { x: x1, y: y1 }).unwrap()
}

fn element(id: &str, kind: &str, x: f64, y: f64) -> Element {
    Element::new(id, kind, Coord { x, y })
}

/// 13:00–16:00 Beijing time on 大暑 2026, 5-minute samples (the measure's defaults).
fn afternoon() -> SunWindow {
    RuleSet::default().summer_shade.window().unwrap()
}

/// The independent oracle: at each sample, does the ray from `p` toward the sun pass through
/// a caster's slab, i.e. does the ground segment between the distances at which the ray is at
/// the slab's underside and at its top touch the footprint (closed)? No shadow polygons.
fn oracle_shaded(track: &SunTrack, casters: &[Caster], p: Coord<f64>) -> Vec<bool> {
    track
        .samples
        .iter()
        .map(|s| {
            let e = s.position.elevation_deg;
            if e <= 0.0 {
                return false;
            }
            let (sin, cos) = s.position.azimuth_deg.to_radians().sin_cos();
            let tan_e = e.to_radians().tan();
            casters.iter().any(|c| {
                let at = |d: f64| Coord {
                    x: p.x + d * sin,
                    y: p.y + d * cos,
                };
                let seg = Line::new(at(c.base_m / tan_e), at(c.top_m / tan_e));
                c.footprint.intersects(&seg)
            })
        })
        .collect()
}

fn square(cx: f64, cy: f64, half: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![Polygon::new(
        LineString::from(vec![
            (cx - half, cy - half),
            (cx + half, cy - half),
            (cx + half, cy + half),
            (cx - half, cy + half),
            (cx - half, cy - half),
        ]),
        vec![],
    )])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Floating slabs (a crown from 2.5 to 8 m, a roof at 2.4–2.7 m) and ground prisms shade
    /// exactly the points the ray test says, sample by sample.
    #[test]
    fn floating_casters_match_the_ray_test(
        slabs in prop::collection::vec(
            (-12.0..12.0f64, -8.0..8.0f64, 0.5..4.0f64, 0.0..6.0f64, 0.2..6.0f64), 1..4),
        pts in prop::collection::vec((-15.0..15.0f64, -10.0..10.0f64), 1..16),
    ) {
        let casters: Vec<Caster> = slabs
            .iter()
            .map(|&(x, y, half, base, thick)| Caster {
                footprint: square(x, y, half),
                base_m: base,
                top_m: base + thick,
            })
            .collect();
        let l = plot_layout();
        let track = SunTrack::new(location(&l).unwrap(), &afternoon()).unwrap();
        let extent = Rect::new(Coord { x: -16.0, y: -11.0 }, Coord { x: 16.0, y: 11.0 });
        let shadows = Shadows::of_casters(&casters, &track, extent);
        for (x, y) in pts {
            let p = Coord { x, y };
            let want = oracle_shaded(&track, &casters, p);
            let mut differ = 0;
            for (i, w) in want.iter().enumerate() {
                differ += usize::from(shadows.sunny_at(i, p) == *w);
            }
            // A point within rounding of a shadow's edge may differ in one sample.
            prop_assert!(differ <= 1, "{p:?}: {differ} samples differ");
        }
    }
}

#[test]
fn dashu_afternoon_is_the_hot_part_of_the_day() {
    let w = afternoon();
    assert_eq!(w.date, dashu(2026).unwrap());
    assert_eq!(w.clock, Clock::Standard);
    assert_eq!(
        (w.from.to_string(), w.to.to_string()),
        ("13:00".into(), "16:00".into())
    );
    let l = plot_layout();
    let t = SunTrack::new(location(&l).unwrap(), &w).unwrap();
    // In Shanghai the sun stands high (about 74° at 13:00) and lower toward the west later.
    let first = &t.samples[0].position;
    let last = &t.samples[t.samples.len() - 1].position;
    assert!(
        first.elevation_deg > 65.0 && last.elevation_deg < 45.0,
        "{first:?} {last:?}"
    );
    assert!(last.azimuth_deg > 260.0, "{last:?}");
}

fn share(l: &Layout) -> (Option<f64>, Option<f64>) {
    let m = evaluate(l, &RuleSet::default(), &Catalogue::builtin()).metrics;
    (m.summer_shaded_seat_share, m.seat_summer_shade_hours_mean)
}

#[test]
fn seats_in_the_open_get_no_shade_and_a_block_to_the_west_shades_them() {
    let mut l = plot_layout();
    // No seats: no measure.
    assert_eq!(share(&l), (None, None));
    l.elements.push(element("bench-1", "bench", -8.0, 0.0));
    assert_eq!(share(&l), (Some(0.0), Some(0.0)));
    // A 10 m block 3 m west of the bench: its shadow reaches the bench from about 13:40.
    l.plot
        .buildings
        .push(Building::new("west", rect(-15.0, -10.0, -11.0, 10.0), 10.0));
    let (s, h) = share(&l);
    assert_eq!(s, Some(1.0));
    let h = h.unwrap();
    assert!((1.5..3.0).contains(&h), "{h} h of shade");
    let m = evaluate(&l, &RuleSet::default(), &Catalogue::builtin()).metrics;
    let basis = m.summer_shade.unwrap();
    assert_eq!(
        (basis.day.as_str(), basis.from.as_str()),
        ("2026-07-23", "13:00")
    );
    assert!(basis.source.contains("大暑"));
}

#[test]
fn pergolas_trees_and_shelters_add_shade_and_never_take_it() {
    let mut l = plot_layout();
    l.elements.push(element("bench-1", "bench", 0.0, 0.0));
    l.elements.push(element("bench-2", "bench", 8.0, 5.0));
    l.elements
        .push(element("table-1", "table_seats", -8.0, -5.0));
    let base = share(&l).1.unwrap();
    assert_eq!(base, 0.0);
    // A pergola over the first bench: its roof shades the bench while the sun is high.
    l.elements.push(element("pergola-1", "pergola", 0.0, 0.0));
    let with_pergola = share(&l).1.unwrap();
    assert!(with_pergola > base, "{with_pergola}");
    // A new tree just south-west of the second bench.
    l.elements.push(element("tree-1", "tree", 7.0, 4.0));
    let with_tree = share(&l).1.unwrap();
    assert!(with_tree > with_pergola, "{with_tree}");
    // A kept tree (surveyed 12 m) west of the table, and a shelter over nothing.
    l.plot.keep_trees.push(KeepTree {
        id: "camphor".into(),
        name: None,
        name_zh: Some("香樟".into()),
        position: Coord { x: -11.0, y: -5.0 },
        canopy_radius_m: 4.0,
        protect_radius_m: 2.0,
        height_m: Some(12.0),
    });
    let with_camphor = share(&l);
    assert!(with_camphor.1.unwrap() > with_tree, "{with_camphor:?}");
    // The table's four seats of ten are in shade for most of the afternoon.
    assert!(with_camphor.0.unwrap() >= 0.4, "{with_camphor:?}");
    l.zones.push(Zone::new(
        "shelter",
        ZoneKind::Shade,
        rect(10.0, -9.0, 14.0, -5.0),
    ));
    assert_eq!(share(&l), with_camphor);
}

#[test]
fn only_buildings_count_for_winter_sun_and_plotwise_sun() {
    let mut l = plot_layout();
    l.plot.buildings.push(Building::new(
        "south",
        rect(-40.0, -40.0, 40.0, -28.0),
        18.0,
    ));
    l.zones.push(Zone::new(
        "lawn",
        ZoneKind::Lawn,
        rect(-14.0, -9.0, 14.0, 0.0),
    ));
    l.elements.push(element("bench-1", "bench", 0.0, 2.0));
    let pts = [Coord { x: 0.0, y: 2.0 }, Coord { x: 5.0, y: -4.0 }];
    let winter = SunWindow::on(plotwise_plan::sun::dahan(2026).unwrap());
    let rules = RuleSet::default();
    let cat = Catalogue::builtin();
    let before = (
        sun_hours(&l, &winter, &pts).unwrap(),
        evaluate(&l, &rules, &cat),
    );
    l.elements.push(element("pergola-1", "pergola", 0.0, 2.0));
    l.elements.push(element("tree-1", "tree", 5.0, -2.0));
    l.zones.push(Zone::new(
        "shelter",
        ZoneKind::Shade,
        rect(3.0, -6.0, 7.0, -2.0),
    ));
    let after = (
        sun_hours(&l, &winter, &pts).unwrap(),
        evaluate(&l, &rules, &cat),
    );
    assert_eq!(before.0, after.0);
    let m = |r: &plotwise_plan::Report| {
        (
            r.metrics.sunlit_green_share,
            r.metrics.seat_sun_hours_mean,
            r.findings
                .iter()
                .filter(|f| f.rule.contains("sunlight"))
                .map(|f| f.message.en.clone())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(m(&before.1), m(&after.1));
    // And the summer measure did see the pergola.
    assert!(
        after.1.metrics.seat_summer_shade_hours_mean
            > before.1.metrics.seat_summer_shade_hours_mean
    );
}

#[test]
fn the_summer_day_window_and_heights_are_rule_set_data() {
    let rules = RuleSet::from_json(
        r#"{"summer_shade": {"day": "2026-08-07", "from": "14:00", "to": "17:00", "keep_tree_height_m": 15}}"#,
    )
    .unwrap();
    assert_eq!(
        rules.summer_shade.day,
        SunDay::Date("2026-08-07".parse().unwrap())
    );
    assert_eq!(rules.summer_shade.keep_tree_height_m, 15.0);
    assert_eq!(rules.summer_shade.shaded_share_min, 0.5);
    let back: RuleSet =
        serde_json::from_str(&serde_json::to_string(&RuleSet::default()).unwrap()).unwrap();
    assert_eq!(back, RuleSet::default());
    assert!(
        serde_json::to_string(&RuleSet::default())
            .unwrap()
            .contains(r#""day":"dashu""#)
    );
    let mut l = plot_layout();
    l.elements.push(element("bench-1", "bench", 0.0, 0.0));
    let m = evaluate(&l, &rules, &Catalogue::builtin()).metrics;
    let b = m.summer_shade.unwrap();
    assert_eq!(
        (b.day.as_str(), b.from.as_str(), b.to.as_str()),
        ("2026-08-07", "14:00", "17:00")
    );
}

#[test]
fn kept_tree_heights_come_from_geojson_and_bad_ones_are_refused() {
    let f = |h: &str| {
        format!(
            r#"{{"type":"FeatureCollection","features":[
            {{"type":"Feature","properties":{{"role":"plot"}},"geometry":{{"type":"Polygon","coordinates":[[[121.47,31.23],[121.4703151,31.23],[121.4703151,31.2301804],[121.47,31.2301804],[121.47,31.23]]]}}}},
            {{"type":"Feature","id":"camphor","properties":{{"role":"keep_tree","canopy_radius_m":4{h}}},"geometry":{{"type":"Point","coordinates":[121.4701,31.2301]}}}}]}}"#
        )
    };
    let l = plotwise_plan::import::geojson::import_layout(&f(r#","height_m":"12.5""#)).unwrap();
    assert_eq!(l.plot.keep_trees[0].height_m, Some(12.5));
    let back = plotwise_plan::export::geojson::layout_geojson_value(&l).unwrap();
    let tree = back["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["role"] == "keep_tree")
        .unwrap();
    assert_eq!(tree["properties"]["height_m"], 12.5);
    let again = plotwise_plan::import::geojson::import_layout(&back.to_string()).unwrap();
    assert_eq!(again.plot.keep_trees[0].height_m, Some(12.5));
    let none = plotwise_plan::import::geojson::import_layout(&f("")).unwrap();
    assert_eq!(none.plot.keep_trees[0].height_m, None);
    let e = plotwise_plan::import::geojson::import_layout(&f(r#","height_m":-3"#)).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("camphor") && msg.contains("height_m"), "{msg}");
}
