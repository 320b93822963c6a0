//! Sun hours on a grid, 1-minute steps on 大寒 (08:00–16:00 true solar time), with the
//! samples' buildings: the 450 m² Yifuyuan rooftop on a 0.5 m grid (target < 200 ms native)
//! and the 1 km Sanxiang strip on a 1 m grid (reported). The "cold" benchmarks compute, each
//! iteration, the sun's positions (SPA, 480 samples), every building's shadow at every sample
//! and every cell's hours; the `grid` ones call `sun::grid` as a program would, where the
//! track and the shadows are remembered after the first call (as when re-checking a drag).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use geo::BoundingRect;
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::sun::{Date, Shadows, SunTrack, SunWindow, grid, location};

fn bench(c: &mut Criterion) {
    let window = SunWindow::on(Date::new(2026, 1, 20).unwrap_or_else(|| unreachable!()));
    for (id, cell, name) in [
        (
            "yifuyuan-rooftop",
            0.5,
            "sun grid rooftop 450 m², 0.5 m, 1 min",
        ),
        ("sanxiang-strip", 1.0, "sun grid strip 1 km, 1 m, 1 min"),
    ] {
        let sample = plotwise_plan::samples::sample(id).expect("sample");
        let layout = import_layout(sample.geojson()).expect("imports");
        let g = grid(&layout, &window, cell).expect("grid");
        let mean = g.cells.iter().map(|c| c.sun_hours).sum::<f64>() / g.cells.len() as f64;
        eprintln!(
            "{id}: {} buildings, {} cells, mean {mean:.2} h",
            layout.plot.buildings.len(),
            g.cells.len()
        );
        let at = location(&layout).expect("georeferenced");
        let centres: Vec<geo::Coord<f64>> = g.cells.iter().map(|c| c.centre).collect();
        let extent = layout
            .plot
            .outline
            .multi_polygon()
            .bounding_rect()
            .expect("extent");
        c.bench_function(&format!("{name}, cold"), |b| {
            b.iter(|| {
                let track = SunTrack::new(black_box(at), &window).expect("track");
                let shadows = Shadows::new(&layout.plot.buildings, &track, extent);
                shadows.sun_minutes_many(&centres)
            })
        });
        c.bench_function(&format!("{name}, grid (remembered)"), |b| {
            b.iter(|| grid(black_box(&layout), &window, cell))
        });
        if id == "yifuyuan-rooftop" {
            c.bench_function("sun positions only (SPA, 480 samples)", |b| {
                b.iter(|| SunTrack::new(black_box(at), &window))
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
