//! Check + metrics on two fixtures: the rooftop with 60 elements (target < 1 ms) and the
//! 1 km strip with 1,000 elements (target < 5 ms). Elements and zones are generated here. The
//! samples carry the buildings around them, so the sunlight rules and metrics run too; the
//! variants without buildings and without a position show what the sun analysis costs.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::{BooleanOps, Contains, Coord, Densify, Euclidean, MultiPolygon, Rect};
use plotwise_plan::geom::erode;
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::{Catalogue, Element, Layout, Outline, RuleSet, Zone, ZoneKind, evaluate};

const KINDS: [&str; 6] = [
    "bench",
    "planter",
    "lamp",
    "bin",
    "table_seats",
    "fitness_station",
];

/// The rooftop with a 1.5 m accessible path from the step-free door, a planting bed and
/// 60 elements on a 2 m grid, kept off the path (as a designer places them: beside it).
fn rooftop_60() -> Layout {
    rooftop(false)
}

/// A worst case: the same grid ignoring the path, so a dozen elements narrow it and each
/// narrow piece is measured.
fn rooftop_60_on_path() -> Layout {
    rooftop(true)
}

fn rooftop(on_path: bool) -> Layout {
    let mut l = import_layout(
        plotwise_plan::samples::sample("yifuyuan-rooftop")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    let plot = l.plot.outline.multi_polygon().clone();
    let r = l.plot.outline.bounding_rect();
    let door = l
        .plot
        .entrances
        .iter()
        .find(|e| e.step_free)
        .unwrap()
        .position;
    let band = Rect::new(
        Coord {
            x: door.x - 0.75,
            y: r.min().y - 1.0,
        },
        Coord {
            x: door.x + 0.75,
            y: r.max().y + 1.0,
        },
    );
    let path = plot.intersection(&MultiPolygon::new(vec![band.to_polygon()]));
    l.zones.push(Zone::new(
        "path",
        ZoneKind::AccessiblePath,
        Outline::new(path).unwrap(),
    ));
    let bed = Rect::new(
        Coord {
            x: r.min().x,
            y: r.min().y,
        },
        Coord {
            x: r.min().x + 4.0,
            y: r.min().y + 6.0,
        },
    );
    let bed = plot.intersection(&MultiPolygon::new(vec![bed.to_polygon()]));
    let mut bed = Zone::new("bed", ZoneKind::Planting, Outline::new(bed).unwrap());
    bed.soil_depth_m = Some(0.3);
    l.zones.push(bed);
    let inner = erode(&plot, 1.0);
    let mut n = 0;
    let mut y = r.min().y + 1.5;
    while y < r.max().y && n < 60 {
        let mut x = r.min().x + 1.5;
        while x < r.max().x && n < 60 {
            let c = Coord { x, y };
            if inner.contains(&c) && (on_path || (c.x - door.x).abs() > 2.0) {
                l.elements
                    .push(Element::new(format!("e{n}"), KINDS[n % KINDS.len()], c));
                n += 1;
            }
            x += 2.0;
        }
        y += 2.0;
    }
    assert_eq!(n, 60, "room for 60 elements");
    l
}

/// The strip with a 2 m accessible path down the middle and 1,000 elements along both
/// edges, 0.75 m in from the boundary.
fn strip_1000() -> Layout {
    let mut l = import_layout(
        plotwise_plan::samples::sample("sanxiang-strip")
            .unwrap()
            .geojson(),
    )
    .unwrap();
    let plot = l.plot.outline.multi_polygon().clone();
    let path = erode(&plot, 1.5);
    l.zones.push(Zone::new(
        "walk",
        ZoneKind::AccessiblePath,
        Outline::new(path).unwrap(),
    ));
    let ring = erode(&plot, 0.75);
    let line = ring.0[0].exterior();
    let len: f64 = geo::Length::length(&Euclidean, line);
    let step = len / 1000.0;
    let dense = Euclidean.densify(line, step / 4.0);
    let mut along = 0.0;
    let mut next = 0.0;
    let mut n = 0;
    for w in dense.0.windows(2) {
        let (a, b) = (w[0], w[1]);
        let seg = (b.x - a.x).hypot(b.y - a.y);
        while next <= along + seg && n < 1000 {
            let t = (next - along) / seg;
            let c = Coord {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            };
            let kind = ["bench", "lamp", "bin", "planter"][n % 4];
            let mut e = Element::new(format!("e{n}"), kind, c);
            e.rotation_deg = (b.y - a.y).atan2(b.x - a.x).to_degrees();
            if kind == "bench" {
                // Benches along the edge: 1.2 m long so they fit between their neighbours.
                e.size = Some(plotwise_plan::model::Size {
                    width_m: 1.2,
                    depth_m: 0.5,
                });
            }
            l.elements.push(e);
            n += 1;
            next += step;
        }
        along += seg;
    }
    assert_eq!(n, 1000);
    l
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::default();
    let catalogue = Catalogue::builtin();
    let roof = rooftop_60();
    let strip = strip_1000();
    let worst = rooftop_60_on_path();
    let r = evaluate(&roof, &rules, &catalogue);
    eprintln!(
        "rooftop: {} elements, {} findings",
        roof.elements.len(),
        r.findings.len()
    );
    let s = evaluate(&strip, &rules, &catalogue);
    eprintln!(
        "strip: {} elements, {} findings",
        strip.elements.len(),
        s.findings.len()
    );
    c.bench_function("check+metrics rooftop 60 elements", |b| {
        b.iter(|| evaluate(black_box(&roof), &rules, &catalogue))
    });
    let w = evaluate(&worst, &rules, &catalogue);
    eprintln!(
        "rooftop, elements on the path: {} findings",
        w.findings.len()
    );
    c.bench_function(
        "check+metrics rooftop 60 elements, worst case on the path",
        |b| b.iter(|| evaluate(black_box(&worst), &rules, &catalogue)),
    );
    c.bench_function("check+metrics strip 1000 elements", |b| {
        b.iter(|| evaluate(black_box(&strip), &rules, &catalogue))
    });
    // What the sun analysis costs: the same layouts without their buildings (the sun still
    // sets the metrics) and without a geographic position (no sun analysis at all).
    for (name, layout) in [
        ("rooftop 60 elements", &roof),
        ("strip 1000 elements", &strip),
    ] {
        let mut bare = layout.clone();
        bare.plot.buildings.clear();
        c.bench_function(&format!("check+metrics {name}, no buildings"), |b| {
            b.iter(|| evaluate(black_box(&bare), &rules, &catalogue))
        });
        bare.plot.projection = None;
        c.bench_function(
            &format!("check+metrics {name}, no position (no sun)"),
            |b| b.iter(|| evaluate(black_box(&bare), &rules, &catalogue)),
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
