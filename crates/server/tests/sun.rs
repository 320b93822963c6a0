//! `POST /api/sun`, the editor's sun view: the same hours as `plotwise sun --grid-m`
//! (`plan::sun::grid`) on the same document, the shadows plan computes, and clear refusals
//! (both languages) of a plot without a position, a grid too large and a window that does
//! not work.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use geo::{Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use http_body_util::BodyExt;
use plotwise_api::{ApiError, SunAnswer};
use plotwise_plan::LayoutDocument;
use plotwise_plan::model::Layout;
use plotwise_plan::sun::{Date, SunAnalysis, SunWindow, grid};
use plotwise_server::{AppState, Store, app};
use tower::ServiceExt;

async fn post(path: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let state = AppState {
        store: Store::open_in_memory().unwrap(),
        web_dir: None,
    };
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let res = app(state).oneshot(req).await.unwrap();
    let status = res.status();
    (
        status,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

fn sample(id: &str) -> Layout {
    let s = plotwise_plan::samples::sample(id).unwrap();
    plotwise_plan::import::geojson::import_layout(s.geojson()).unwrap()
}

fn document(l: &Layout) -> Vec<u8> {
    LayoutDocument::new(l.clone()).to_json().into_bytes()
}

async fn answer(path: &str, l: &Layout) -> SunAnswer {
    let (status, body) = post(path, document(l)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

async fn refusal(path: &str, body: Vec<u8>) -> (StatusCode, ApiError) {
    let (status, body) = post(path, body).await;
    let e = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("not an ApiError: {}", String::from_utf8_lossy(&body)));
    (status, e)
}

/// Every cell of the answer with its centre and minutes.
fn cells(a: &SunAnswer) -> Vec<(Coord<f64>, u32)> {
    let g = &a.grid;
    let mut out = vec![];
    for row in &g.rows {
        for (k, m) in row.sun_min.iter().enumerate() {
            if let Some(m) = m {
                let i = f64::from(row.i0) + k as f64;
                out.push((
                    Coord {
                        x: g.x0 + (i + 0.5) * g.cell_m,
                        y: g.y0 + (f64::from(row.j) + 0.5) * g.cell_m,
                    },
                    *m,
                ));
            }
        }
    }
    out
}

fn dahan_2026() -> SunWindow {
    SunWindow::on(Date::new(2026, 1, 20).unwrap())
}

fn multi(shadow: &[Vec<Vec<[f64; 2]>>]) -> MultiPolygon<f64> {
    MultiPolygon::new(
        shadow
            .iter()
            .map(|rings| {
                let ring = |r: &Vec<[f64; 2]>| {
                    LineString::new(r.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
                };
                Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
            })
            .collect(),
    )
}

fn perimeter(mp: &MultiPolygon<f64>) -> f64 {
    mp.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.lines())
        .map(|l| (l.end.x - l.start.x).hypot(l.end.y - l.start.y))
        .sum()
}

#[tokio::test]
async fn the_grid_is_plans_grid_on_the_same_document_with_the_shadows_every_quarter_hour() {
    let layout = sample("guonian-layout-example");
    assert!(!layout.plot.buildings.is_empty() && !layout.zones.is_empty());
    let a = answer("/api/sun", &layout).await;
    // The default: the sunlight rules' standard day, 大寒 2026, 08:00–16:00 true solar time.
    assert_eq!(
        (
            a.window.date.as_str(),
            a.window.dahan,
            a.window.clock.as_str()
        ),
        ("2026-01-20", true, "solar")
    );
    assert_eq!(
        (a.window.from.as_str(), a.window.to.as_str()),
        ("08:00", "16:00")
    );
    assert_eq!((a.window.step_min, a.min_hours), (1, 2.0));
    assert_eq!(
        a.window.full_sun_min, 480,
        "the sun is up all through the window"
    );
    assert!(a.source.contains("GB 50180"), "{}", a.source);

    let expected = grid(&layout, &dahan_2026(), 0.5).unwrap();
    let got = cells(&a);
    assert_eq!(got.len(), expected.cells.len());
    assert_eq!(a.grid.cells as usize, expected.cells.len());
    for ((c, m), e) in got.iter().zip(&expected.cells) {
        assert!((c.x - e.centre.x).abs() < 1e-9 && (c.y - e.centre.y).abs() < 1e-9);
        assert_eq!(f64::from(*m) / 60.0, e.sun_hours, "at {c:?}");
    }
    // The buildings shade part of the plot: the hours differ from cell to cell.
    let (lo, hi) = got
        .iter()
        .fold((u32::MAX, 0), |(lo, hi), (_, m)| (lo.min(*m), hi.max(*m)));
    assert!(lo < 120 && hi > lo + 180, "{lo}..{hi} minutes");
    assert_eq!(a.zones.len(), expected.zones.len());
    for (z, e) in a.zones.iter().zip(&expected.zones) {
        assert_eq!(z.id, e.id);
        assert_eq!(z.kind, e.kind.key());
        assert_eq!(z.points, e.points);
        assert_eq!(
            [
                z.mean_sun_hours,
                z.min_sun_hours,
                z.max_sun_hours,
                z.median_sun_hours
            ],
            [
                e.mean_sun_hours,
                e.min_sun_hours,
                e.max_sun_hours,
                e.median_sun_hours
            ]
        );
    }

    // A shadow every 15 minutes: 32 frames from 08:00 true solar time, which is about
    // 08:05 Beijing time in Shanghai on 20 January.
    assert_eq!(a.frames.len(), 32);
    assert_eq!(a.frames[0].solar_min, 480.0);
    assert_eq!(a.frames[31].solar_min, 480.0 + 31.0 * 15.0);
    let beijing = a.frames[0].standard_min;
    assert!((beijing - 485.0).abs() < 3.0, "{beijing}");
    assert_eq!(
        a.frames[0].solar_min - a.frames[0].standard_min,
        a.window.solar_minus_standard_min
    );
    let analysis = SunAnalysis::new(&layout, &dahan_2026(), None).unwrap();
    for (k, f) in a.frames.iter().enumerate() {
        let i = k * 15;
        let p = analysis.track.samples[i].position;
        assert_eq!(
            (f.elevation_deg, f.azimuth_deg),
            (p.elevation_deg, p.azimuth_deg)
        );
        // plan's shadow at that sample, to the centimetre the answer rounds to.
        let theirs = analysis.shadows.shadow_at(i);
        let ours = multi(&f.shadow);
        let apart = ours.xor(&theirs).unsigned_area();
        // Rounding moves each edge by at most half a centimetre.
        assert!(
            apart <= 0.005 * perimeter(&theirs) + 1e-9,
            "frame {k}: {apart} m² apart"
        );
        assert!(theirs.unsigned_area() > 1.0, "frame {k}: a shadow");
    }
    // Morning shadows fall to the west, afternoon ones to the east.
    let centre = |f: &plotwise_api::SunFrame| {
        use geo::Centroid;
        multi(&f.shadow).centroid().unwrap().x()
    };
    assert!(centre(&a.frames[0]) < centre(&a.frames[31]));
}

#[tokio::test]
async fn the_query_changes_the_day_window_cell_and_frames() {
    let layout = sample("guonian-layout-example");
    let a = answer(
        "/api/sun?date=2026-06-21&from=10:00&to=14:00&clock=standard&step_min=5&frame_min=30&cell_m=1",
        &layout,
    )
    .await;
    assert_eq!(
        (
            a.window.date.as_str(),
            a.window.dahan,
            a.window.clock.as_str()
        ),
        ("2026-06-21", false, "standard")
    );
    assert_eq!(
        (a.window.step_min, a.grid.cell_m, a.frames.len()),
        (5, 1.0, 8)
    );
    // Standard time: the frames start at 10:00 Beijing time.
    assert_eq!(a.frames[0].standard_min, 600.0);
    let window = SunWindow {
        date: Date::new(2026, 6, 21).unwrap(),
        from: "10:00".parse().unwrap(),
        to: "14:00".parse().unwrap(),
        clock: plotwise_plan::sun::Clock::Standard,
        utc_offset: plotwise_plan::sun::UtcOffset::BEIJING,
        step_min: 5,
    };
    let expected = grid(&layout, &window, 1.0).unwrap();
    let got = cells(&a);
    assert_eq!(got.len(), expected.cells.len());
    for ((_, m), e) in got.iter().zip(&expected.cells) {
        assert_eq!(f64::from(*m) / 60.0, e.sun_hours);
    }
}

#[tokio::test]
async fn a_plot_without_a_position_is_refused_in_both_languages() {
    let mut layout = sample("guonian-layout-example");
    layout.plot.projection = None;
    let (status, e) = refusal("/api/sun", document(&layout)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e.code, "no_location");
    assert!(e.message.contains("geographic position"), "{}", e.message);
    assert!(e.message_zh.unwrap().contains("地理位置"));
}

#[tokio::test]
async fn too_many_cells_are_refused_before_any_work() {
    // The 1 km strip on 10 cm cells.
    let layout = sample("sanxiang-strip");
    let (status, e) = refusal("/api/sun?cell_m=0.1", document(&layout)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e.code, "too_many_cells");
    assert!(e.message.contains("use larger cells"), "{}", e.message);
    assert!(e.message_zh.unwrap().contains("更大的格子"));
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field() {
    let doc = document(&sample("guonian-layout-example"));
    for (query, code, field) in [
        ("to=07:00", "bad_window", "to"),
        ("from=8h", "bad_window", "from"),
        ("date=2026-02-30", "bad_window", "date"),
        ("clock=lunar", "bad_window", "clock"),
        ("utc_offset=8", "bad_window", "utc_offset"),
        ("step_min=7", "bad_window", "step_min"),
        ("frame_min=7", "bad_window", "frame_min"),
        ("frame_min=0", "bad_window", "frame_min"),
        ("cell_m=0", "bad_cell", "cell_m"),
        ("cell_m=NaN", "bad_cell", "cell_m"),
    ] {
        let (status, e) = refusal(&format!("/api/sun?{query}"), doc.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {e:?}");
        assert_eq!(e.code, code, "{query}");
        assert!(e.message.starts_with(field), "{query}: {}", e.message);
        assert!(e.message_zh.is_some(), "{query}");
    }
    // A query that is not numbers where numbers go.
    let (status, _) = refusal("/api/sun?cell_m=half", doc.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A body that is not a layout document, or not text.
    let (status, e) = refusal(
        "/api/sun",
        b"{\"schema_version\": 1, \"layout\": 3}".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e.message.starts_with("layout document:"), "{}", e.message);
    let (status, _) = refusal("/api/sun", vec![0xff, 0xfe]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A document over plan's size limit: 413, naming the limit.
    let big = vec![b' '; plotwise_plan::limits::MAX_FILE_BYTES + 1];
    let (status, e) = refusal("/api/sun", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(e.code, "too_large");
}
