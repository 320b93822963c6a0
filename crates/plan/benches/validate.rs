//! Outline validation and the readers on large input (issue 13: bounded work).
//!
//! - `validate/circle/{2000,20000,200000}`: `geom::check_validation` on a finely sampled
//!   circle (a simple polygon, as a surveyed curved wall gives); target: 200k vertices < 1 s.
//! - `validate/outline_new/200000`: the whole constructor (finiteness, repeated points,
//!   validation, area, orientation).
//! - `validate/star/200000`: a star of long spikes, the worst case for bounding-box indexes.
//! - `validate/geo_check_validation/2000`: geo's own quadratic check, for comparison (20k
//!   vertices take seconds there, so only 2k is measured).
//! - `import/*/200000`: GeoJSON layout import, WKT import, the layout document reader (and
//!   DXF import with `--features dxf`) of a 200k-vertex plot.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use plotwise_plan::geom::{check_validation, circle};
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::import::wkt::{WktUnits, import_boundary};
use plotwise_plan::{LayoutDocument, Outline};

fn circle_mp(n: usize) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![circle(Coord { x: 0.0, y: 0.0 }, 500.0, n)])
}

fn star_mp(n: usize) -> MultiPolygon<f64> {
    let pts: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            let r = if i % 2 == 0 { 500.0 } else { 5.0 };
            Coord {
                x: r * a.cos(),
                y: r * a.sin(),
            }
        })
        .collect();
    MultiPolygon::new(vec![Polygon::new(LineString::new(pts), vec![])])
}

/// A GeoJSON plot: a circle of `n` vertices, 100 m across, in Shanghai.
fn geojson_plot(n: usize) -> String {
    let mut coords = String::with_capacity(n * 40);
    for i in 0..=n {
        let a = std::f64::consts::TAU * (i % n) as f64 / n as f64;
        if i > 0 {
            coords.push(',');
        }
        coords.push_str(&format!(
            "[{:.9},{:.9}]",
            121.5 + 0.0005 * a.cos(),
            31.3 + 0.00045 * a.sin()
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"role":"plot"}},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}]}}"#
    )
}

fn wkt_plot(n: usize) -> String {
    let pts: Vec<String> = (0..=n)
        .map(|i| {
            let a = std::f64::consts::TAU * (i % n) as f64 / n as f64;
            format!("{:.6} {:.6}", 50.0 * a.cos(), 50.0 * a.sin())
        })
        .collect();
    format!("POLYGON(({}))", pts.join(","))
}

fn validation(c: &mut Criterion) {
    let mut g = c.benchmark_group("validate");
    g.sample_size(10);
    for n in [2_000, 20_000, 200_000] {
        let mp = circle_mp(n);
        g.bench_with_input(BenchmarkId::new("circle", n), &mp, |b, mp| {
            b.iter(|| check_validation(black_box(mp)))
        });
    }
    let mp = circle_mp(200_000);
    g.bench_function(BenchmarkId::new("outline_new", 200_000), |b| {
        b.iter(|| Outline::new(black_box(mp.clone())))
    });
    let star = star_mp(200_000);
    g.bench_function(BenchmarkId::new("star", 200_000), |b| {
        b.iter(|| check_validation(black_box(&star)))
    });
    let small = circle_mp(2_000);
    g.bench_function(BenchmarkId::new("geo_check_validation", 2_000), |b| {
        b.iter(|| black_box(&small).check_validation())
    });
    g.finish();
}

fn import(c: &mut Criterion) {
    let n = 200_000;
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    let gj = geojson_plot(n);
    g.bench_function(BenchmarkId::new("geojson", n), |b| {
        b.iter(|| import_layout(black_box(&gj)).map(|l| l.plot.area_m2()))
    });
    let wkt = wkt_plot(n);
    g.bench_function(BenchmarkId::new("wkt", n), |b| {
        b.iter(|| import_boundary(black_box(&wkt), WktUnits::Metres).map(|l| l.plot.area_m2()))
    });
    let layout = import_layout(&gj).expect("the generated plot is valid");
    let doc = LayoutDocument::new(layout).to_json();
    g.bench_function(BenchmarkId::new("document", n), |b| {
        b.iter(|| LayoutDocument::from_json(black_box(&doc)).map(|d| d.layout.plot.area_m2()))
    });
    #[cfg(feature = "dxf")]
    {
        let layout = import_boundary(&wkt, WktUnits::Metres).expect("valid");
        let bytes =
            plotwise_plan::export::dxf::layout_dxf(&layout, &plotwise_plan::Catalogue::builtin())
                .expect("exports");
        g.bench_function(BenchmarkId::new("dxf", n), |b| {
            b.iter(|| {
                plotwise_plan::import::dxf::import_boundary(black_box(&bytes))
                    .map(|l| l.plot.area_m2())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, validation, import);
criterion_main!(benches);
