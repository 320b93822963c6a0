//! The O(n log n) outline validation (`plotwise_plan::geom::check_validation`) against geo's
//! `Validation`, its reference: on random small polygons, valid and invalid (bow-ties, spikes,
//! repeated points, touching and crossing holes, nested and overlapping parts, degenerate
//! triangles, empty rings), both must give the same result, error for error. And
//! `Outline::new` must accept and refuse exactly what it did when it called geo's check.

#![cfg(feature = "fast-validation")]

use geo::{
    Area, Coord, LineString, MultiPolygon, Polygon, Validation,
    orient::{Direction, Orient},
};
use plotwise_plan::Outline;
use plotwise_plan::geom::{InvalidOutline, check_validation};
use proptest::prelude::*;

/// A coordinate on a small grid (halves included): collinear points, shared vertices and
/// touching segments are common.
fn grid(max: i32) -> impl Strategy<Value = Coord<f64>> {
    (0..=2 * max, 0..=2 * max).prop_map(|(x, y)| Coord {
        x: f64::from(x) / 2.0,
        y: f64::from(y) / 2.0,
    })
}

/// A ring of 0–8 grid points; points are sometimes repeated on purpose.
fn ring(max: i32) -> impl Strategy<Value = LineString<f64>> {
    prop_oneof![
        9 => prop::collection::vec(grid(max), 1..9),
        // Spikes and repeated points: a point list with one point repeated later on.
        3 => (prop::collection::vec(grid(max), 3..7), any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(mut v, a, b)| {
                let p = v[a.index(v.len())];
                let at = b.index(v.len() + 1);
                v.insert(at, p);
                v
            }),
        1 => Just(vec![]),
    ]
    .prop_map(LineString::new)
}

/// An axis-aligned box with corners on the grid (a plausible exterior), possibly rotated by
/// swapping the winding.
fn boxed(max: i32) -> impl Strategy<Value = LineString<f64>> {
    (grid(max), grid(max), any::<bool>()).prop_map(|(a, b, rev)| {
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        let mut v = vec![
            Coord { x: x0, y: y0 },
            Coord { x: x1, y: y0 },
            Coord { x: x1, y: y1 },
            Coord { x: x0, y: y1 },
        ];
        if rev {
            v.reverse();
        }
        LineString::new(v)
    })
}

fn polygon(max: i32) -> impl Strategy<Value = Polygon<f64>> {
    (
        prop_oneof![2 => ring(max), 1 => boxed(max)],
        prop::collection::vec(prop_oneof![2 => ring(max), 1 => boxed(max)], 0..3),
    )
        .prop_map(|(ext, holes)| Polygon::new(ext, holes))
}

/// A big box with holes and islands drawn inside it: what plots with no-build holes and
/// multi-part zones look like, with every kind of touching.
fn holey(max: i32) -> impl Strategy<Value = MultiPolygon<f64>> {
    (
        prop::collection::vec(prop_oneof![ring(max), boxed(max)], 0..4),
        prop::collection::vec(prop_oneof![ring(max), boxed(max)], 0..3),
    )
        .prop_map(move |(holes, islands)| {
            let m = f64::from(max) + 1.0;
            let ext = LineString::new(vec![
                Coord { x: -1.0, y: -1.0 },
                Coord { x: m, y: -1.0 },
                Coord { x: m, y: m },
                Coord { x: -1.0, y: m },
            ]);
            let mut polys = vec![Polygon::new(ext, holes)];
            polys.extend(islands.into_iter().map(|r| Polygon::new(r, vec![])));
            MultiPolygon::new(polys)
        })
}

fn multi(max: i32) -> impl Strategy<Value = MultiPolygon<f64>> {
    prop_oneof![
        2 => prop::collection::vec(polygon(max), 1..4).prop_map(MultiPolygon::new),
        2 => holey(max),
    ]
}

/// Consecutive repeated points removed, as `Outline::new` does before validating.
fn dedup(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let d = |r: &LineString<f64>| {
        let mut v = r.0.clone();
        v.dedup();
        LineString::new(v)
    };
    MultiPolygon::new(
        mp.0.iter()
            .map(|p| Polygon::new(d(p.exterior()), p.interiors().iter().map(d).collect()))
            .collect(),
    )
}

/// `Outline::new` as it was with geo's quadratic check: the reference for the constructor.
fn outline_before(mp: MultiPolygon<f64>) -> Result<MultiPolygon<f64>, InvalidOutline> {
    if mp.0.is_empty() {
        return Err(InvalidOutline::Empty);
    }
    for (p, poly) in mp.0.iter().enumerate() {
        for (r, ring) in std::iter::once(poly.exterior())
            .chain(poly.interiors())
            .enumerate()
        {
            if let Some(index) = ring
                .0
                .iter()
                .position(|c| !c.x.is_finite() || !c.y.is_finite())
            {
                return Err(InvalidOutline::NonFinite {
                    polygon: p,
                    ring: r,
                    index,
                });
            }
        }
    }
    let cleaned = dedup(&mp);
    cleaned
        .check_validation()
        .map_err(InvalidOutline::Invalid)?;
    if cleaned.unsigned_area() <= 0.0 {
        return Err(InvalidOutline::ZeroArea);
    }
    Ok(cleaned.orient(Direction::Default))
}

/// geo's check, or `None` when it panics: geo's `relate` has debug assertions that degenerate
/// rings trip (a one-point exterior with holes, a triangle on one line; release builds carry
/// on). Ours calls the same `relate` there, so such cases are skipped (`Outline::new` refuses
/// those rings before validating: see `outline_new_is_unchanged`).
fn geo_check(
    mp: &MultiPolygon<f64>,
) -> Option<Result<(), geo::algorithm::validation::InvalidMultiPolygon>> {
    std::panic::catch_unwind(|| mp.check_validation()).ok()
}

/// Ours against geo's, error for error.
fn agree(mp: &MultiPolygon<f64>) -> Result<(), TestCaseError> {
    let Some(theirs) = geo_check(mp) else {
        return Ok(());
    };
    prop_assert_eq!(check_validation(mp), theirs, "{:?}", mp);
    Ok(())
}

/// Rings that `Outline::new` now refuses before geo's checks: empty, fewer than 4
/// coordinates, or three points on one line.
fn has_degenerate_ring(mp: &MultiPolygon<f64>) -> bool {
    use geo::{GeoNum, Kernel, Orientation};
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .any(|r| {
            let c = &r.0;
            c.len() < 4
                || (c.len() == 4
                    && <f64 as GeoNum>::Ker::orient2d(c[0], c[1], c[2]) == Orientation::Collinear)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// The same answer as geo, error for error, on what `Outline::new` validates (repeated
    /// consecutive points removed) and on the raw input (where repeated points make the
    /// check fall back to geo's own).
    #[test]
    fn agrees_with_geo(mp in multi(4)) {
        agree(&dedup(&mp))?;
        // Raw input with repeated points goes to geo's own check.
        agree(&mp)?;
    }

    /// On a finer grid, fewer coincidences and more proper crossings.
    #[test]
    fn agrees_with_geo_on_a_finer_grid(mp in multi(12)) {
        agree(&dedup(&mp))?;
    }

    /// `Outline::new` accepts and refuses exactly what it did before, with the same message,
    /// except for degenerate rings (empty, too few points, three points on one line), which
    /// it now refuses first (geo's validation could accept a flat triangle, and trips debug
    /// assertions on them): those are refused, and never with a panic.
    #[test]
    fn outline_new_is_unchanged(mp in multi(4)) {
        let now = std::panic::catch_unwind(|| Outline::new(mp.clone()).map(Outline::into_multi_polygon));
        prop_assert!(now.is_ok(), "Outline::new panicked on {:?}", mp);
        let now = now.unwrap_or(Err(InvalidOutline::Empty));
        if has_degenerate_ring(&dedup(&mp)) {
            prop_assert!(now.is_err(), "{:?}", mp);
        } else {
            let before = outline_before(mp);
            prop_assert_eq!(
                now.as_ref().map_err(ToString::to_string),
                before.as_ref().map_err(ToString::to_string)
            );
            prop_assert_eq!(now, before);
        }
    }
}

/// Cases that random grids rarely draw.
#[test]
fn hand_picked_cases_agree() {
    use geo::wkt;
    let cases: Vec<MultiPolygon<f64>> = vec![
        // Bow-tie, spike out and back, spike into the interior.
        MultiPolygon::new(vec![wkt! { POLYGON((0. 0.,4. 3.,4. 0.,0. 3.,0. 0.)) }]),
        MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,10. 0.,10. 5.,12. 5.,10. 5.,10. 10.,0. 10.,0. 0.)) },
        ]),
        MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,10. 0.,10. 5.,8. 5.,10. 5.,10. 10.,0. 10.,0. 0.)) },
        ]),
        // A ring that touches itself at a vertex (figure eight through one point).
        MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,2. 0.,2. 2.,4. 2.,4. 4.,2. 4.,2. 2.,0. 2.,0. 0.)) },
        ]),
        // A vertex of the ring on another side (touching without sharing a vertex).
        MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,4. 0.,4. 4.,2. 0.5,0. 4.,0. 0.)) },
        ]),
        MultiPolygon::new(vec![wkt! { POLYGON((0. 0.,4. 0.,2. 0.,2. 2.,0. 0.)) }]),
        // Collinear triangle, and a square with a collinear extra vertex.
        MultiPolygon::new(vec![wkt! { POLYGON((0. 0.,1. 0.,2. 0.,0. 0.)) }]),
        MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,1. 0.,2. 0.,2. 2.,0. 2.,0. 0.)) },
        ]),
        // Vertical sides sharing a line, holes touching each other at a point and on a line.
        MultiPolygon::new(vec![wkt! { POLYGON(
            (0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),
            (1. 1.,3. 1.,3. 3.,1. 3.,1. 1.),
            (3. 3.,5. 3.,5. 5.,3. 5.,3. 3.)
        ) }]),
        MultiPolygon::new(vec![wkt! { POLYGON(
            (0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),
            (1. 1.,3. 1.,3. 3.,1. 3.,1. 1.),
            (3. 1.,5. 1.,5. 3.,3. 3.,3. 1.)
        ) }]),
        // A hole outside, a hole crossing the exterior, nested holes.
        MultiPolygon::new(vec![wkt! { POLYGON(
            (0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),
            (20. 20.,21. 20.,21. 21.,20. 20.)
        ) }]),
        MultiPolygon::new(vec![wkt! { POLYGON(
            (0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),
            (8. 8.,12. 8.,12. 12.,8. 12.,8. 8.)
        ) }]),
        // Parts: nested, crossing, sharing a side, sharing a corner, one inside the other's hole.
        wkt! { MULTIPOLYGON(((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.)),((2. 2.,3. 2.,3. 3.,2. 2.))) },
        wkt! { MULTIPOLYGON(((0. 0.,2. 0.,2. 2.,0. 2.,0. 0.)),((1. 1.,3. 1.,3. 3.,1. 3.,1. 1.))) },
        wkt! { MULTIPOLYGON(((0. 0.,1. 0.,1. 1.,0. 1.,0. 0.)),((1. 0.,2. 0.,2. 1.,1. 1.,1. 0.))) },
        wkt! { MULTIPOLYGON(((0. 0.,1. 0.,1. 1.,0. 1.,0. 0.)),((1. 1.,2. 1.,2. 2.,1. 2.,1. 1.))) },
        wkt! { MULTIPOLYGON(
            ((0. 0.,10. 0.,10. 10.,0. 10.,0. 0.),(2. 2.,8. 2.,8. 8.,2. 8.,2. 2.)),
            ((3. 3.,7. 3.,7. 7.,3. 7.,3. 3.))
        ) },
        // An empty polygon next to a real one, an empty hole.
        MultiPolygon::new(vec![
            Polygon::new(LineString::new(vec![]), vec![]),
            wkt! { POLYGON((0. 0.,1. 0.,1. 1.,0. 0.)) },
        ]),
        MultiPolygon::new(vec![Polygon::new(
            wkt! { LINESTRING(0. 0.,4. 0.,4. 4.,0. 4.,0. 0.) },
            vec![LineString::new(vec![])],
        )]),
    ];
    for mp in cases {
        assert_eq!(check_validation(&mp), mp.check_validation(), "{mp:?}");
    }
}

/// Large rings: a 50,000-vertex circle and a star with long spikes (bounding boxes of nearly
/// all sides overlap, the worst case for an R-tree of segments) are valid; pulling one vertex
/// across makes them invalid. geo would take minutes here; the check must be quick even in a
/// debug build.
#[test]
fn large_rings_are_checked_quickly() {
    let n = 50_000;
    let circle = plotwise_plan::geom::circle(Coord { x: 0.0, y: 0.0 }, 100.0, n);
    let star: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let r = if i % 2 == 0 { 100.0 } else { 1.0 };
            Coord {
                x: r * a.cos(),
                y: r * a.sin(),
            }
        })
        .collect();
    let star = Polygon::new(LineString::new(star), vec![]);
    let start = std::time::Instant::now();
    for p in [circle, star] {
        let mp = MultiPolygon::new(vec![p.clone()]);
        assert_eq!(check_validation(&mp), Ok(()));
        let mut pts = p.exterior().0.clone();
        pts[n / 4] = Coord { x: -150.0, y: 0.3 };
        let bad = MultiPolygon::new(vec![Polygon::new(LineString::new(pts), vec![])]);
        let e = check_validation(&bad).unwrap_err();
        assert!(e.to_string().contains("self-intersection"), "{e}");
    }
    let took = start.elapsed();
    assert!(took.as_secs_f64() < 20.0, "took {took:?}");
}

/// `n` thin triangles around the origin, touching one another only there.
fn fan(n: usize) -> MultiPolygon<f64> {
    let at = |a: f64| Coord {
        x: 100.0 * a.cos(),
        y: 100.0 * a.sin(),
    };
    MultiPolygon::new(
        (0..n)
            .map(|i| {
                let a = std::f64::consts::TAU * i as f64 / n as f64;
                let b = a + std::f64::consts::TAU / n as f64 / 2.0;
                let o = Coord { x: 0.0, y: 0.0 };
                Polygon::new(LineString::new(vec![o, at(a), at(b), o]), vec![])
            })
            .collect(),
    )
}

/// Polygons that touch one another are compared pair by pair where their bounding boxes meet:
/// around one shared point that is every pair, quadratic (found while fuzzing: a thousand
/// thin triangles took 2.7 s, twenty thousand would take many minutes). Past the budget
/// the outline is refused with a clear error; below it the answer is geo's.
#[test]
fn rings_touching_in_too_many_places_are_refused_within_a_budget() {
    let small = fan(40);
    assert_eq!(check_validation(&small), small.check_validation());
    assert!(Outline::new(small).is_ok());
    let big = fan(3000);
    let budget = plotwise_plan::geom::comparison_budget(&big);
    assert_eq!(budget, 3000 * 16 + 4096);
    match Outline::new(big) {
        Err(e @ InvalidOutline::TooManyContacts { .. }) => {
            assert_eq!(e, InvalidOutline::TooManyContacts { budget });
            assert!(e.to_string().contains("touch one another"), "{e}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Without a budget the same check answers (slowly): the outline is valid.
    assert_eq!(
        plotwise_plan::geom::check_validation_within(&fan(120), usize::MAX),
        Ok(Ok(()))
    );
}
