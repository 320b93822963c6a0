//! `plotwise sun` through the built binary: points back with `sun_hours` matched by id, a grid
//! with a per-zone summary, the defaults (08:00–16:00 true solar time, 1-minute steps), and
//! exit code 2 with one line naming the option, file or feature.

use std::path::{Path, PathBuf};

use crate::common::{repo_root, run};
use serde_json::Value;

fn sample(name: &str) -> PathBuf {
    repo_root()
        .join("crates/plan/samples")
        .join(format!("{name}.geojson"))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn ok_json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "plotwise {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn bad(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "plotwise {args:?}: {out:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Three points by the Guonian lot: north edge (sunny), south edge (under the south block's
/// shadow most of the day) and inside the south block (no sun at all).
const POINTS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","id":"north","properties":{"note":"kept"},"geometry":{"type":"Point","coordinates":[121.51516,31.3021]}},
 {"type":"Feature","properties":{"id":"south"},"geometry":{"type":"Point","coordinates":[121.51516,31.30201]}},
 {"type":"Feature","id":7,"properties":null,"geometry":{"type":"Point","coordinates":[121.51516,31.30183]}}]}"#;

fn hours(fc: &Value) -> Vec<(String, f64)> {
    fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f
                .get("id")
                .filter(|v| !v.is_null())
                .or_else(|| f["properties"].get("id"))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .unwrap();
            (
                id,
                f["properties"]["sun_hours"]
                    .as_f64()
                    .expect("sun_hours is a number"),
            )
        })
        .collect()
}

#[test]
fn points_come_back_with_sun_hours() {
    let dir = tempfile::tempdir().unwrap();
    let pts = dir.path().join("points.geojson");
    std::fs::write(&pts, POINTS).unwrap();
    let lot = sample("guonian-lot");
    let fc = ok_json(&["sun", s(&lot), "--date", "2026-01-20", "--points", s(&pts)]);
    let h = hours(&fc);
    assert_eq!(
        h.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>(),
        ["north", "south", "7"]
    );
    let (north, south, inside) = (h[0].1, h[1].1, h[2].1);
    assert!(north > south, "{h:?}");
    assert!(north > 2.0 && north <= 8.0, "{h:?}");
    assert_eq!(inside, 0.0);
    // Other members are kept.
    assert_eq!(fc["features"][0]["properties"]["note"], "kept");
    // The defaults: 08:00–16:00 true solar time, 1-minute steps; 08:00 solar ≈ 08:05 Beijing.
    let sun = &fc["sun"];
    assert_eq!(
        (sun["from"].as_str(), sun["to"].as_str()),
        (Some("08:00"), Some("16:00"))
    );
    assert_eq!(sun["clock"], "solar");
    assert_eq!(sun["step_min"], 1);
    assert_eq!(sun["samples"], 480);
    assert_eq!(sun["standard_from"], "08:05");
    // Whole minutes: hours are multiples of 1/60.
    for (_, v) in &h {
        assert!(((v * 60.0) - (v * 60.0).round()).abs() < 1e-9);
    }

    // The same window on Beijing time, in 10-minute steps.
    let fc = ok_json(&[
        "sun",
        s(&lot),
        "--date",
        "2026-01-20",
        "--points",
        s(&pts),
        "--clock",
        "standard",
        "--from",
        "08:05",
        "--to",
        "16:05",
        "--step-min",
        "10",
        "--utc-offset",
        "+08:00",
    ]);
    let h2 = hours(&fc);
    for ((_, a), (_, b)) in h.iter().zip(&h2) {
        assert!((a - b).abs() <= 0.34, "{h:?} vs {h2:?}");
    }
    // Summer: more sun at the south edge.
    let fc = ok_json(&["sun", s(&lot), "--date", "2026-06-21", "--points", s(&pts)]);
    assert!(hours(&fc)[1].1 > south);

    // Without its buildings the lot is sunny all day.
    let bare = sample("siping-corner");
    let one = dir.path().join("one.geojson");
    std::fs::write(
        &one,
        r#"{"type":"Feature","id":"p","properties":{},"geometry":{"type":"Point","coordinates":[121.51208,31.29603]}}"#,
    )
    .unwrap();
    let f = ok_json(&["sun", s(&bare), "--date", "2026-01-20", "--points", s(&one)]);
    assert_eq!(f["properties"]["sun_hours"], 8.0);
}

#[test]
fn a_grid_with_a_summary_per_zone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid.geojson");
    let example = sample("guonian-layout-example");
    let o = run(&[
        "sun",
        s(&example),
        "--date",
        "2026-01-20",
        "--grid-m",
        "1",
        "-o",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let fc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let cells = fc["features"].as_array().unwrap();
    // ~325 m² at 1 m: about as many cells.
    assert!((300..350).contains(&cells.len()), "{}", cells.len());
    assert!(cells.iter().all(|c| {
        c["geometry"]["type"] == "Polygon"
            && c["properties"]["sun_hours"]
                .as_f64()
                .is_some_and(|h| (0.0..=8.0).contains(&h))
    }));
    let zones = fc["zones"].as_array().unwrap();
    let seat = zones.iter().find(|z| z["id"] == "seat-1").unwrap();
    assert!(seat["median_sun_hours"].as_f64().unwrap() < 2.0, "{seat}");
    assert!(zones.iter().any(|z| z["id"] == "lawn-e"));
    // The check agrees: the seating area is flagged.
    let report = ok_json(&["check", s(&example)]);
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "activity-sunlight" && f["ids"][0] == "seat-1")
    );
    assert!(report["metrics"]["sunlit_green_share"].as_f64().is_some());
}

#[test]
fn the_board_can_carry_a_sun_layer() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.svg");
    let example = sample("guonian-layout-example");
    let o = run(&[
        "export",
        s(&example),
        "--format",
        "svg",
        "--sun",
        "-o",
        s(&out),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(r#"id="sun-hours""#) && svg.contains(r#"id="buildings""#));
    let line = bad(&["export", s(&example), "--format", "csv", "--sun"]);
    assert!(line.contains("--sun"), "{line}");
}

#[test]
fn bad_input_exits_2_naming_the_option_file_or_feature() {
    let dir = tempfile::tempdir().unwrap();
    let lot = sample("guonian-lot");
    let l = s(&lot);
    for (args, expect) in [
        (vec!["--date", "2026-02-30", "--grid-m", "1"], "--date"),
        (vec!["--date", "20260120", "--grid-m", "1"], "--date"),
        (
            vec!["--date", "2026-01-20", "--from", "8am", "--grid-m", "1"],
            "--from",
        ),
        (
            vec!["--date", "2026-01-20", "--to", "25:00", "--grid-m", "1"],
            "--to",
        ),
        (
            vec![
                "--date",
                "2026-01-20",
                "--from",
                "16:00",
                "--to",
                "08:00",
                "--grid-m",
                "1",
            ],
            "--to",
        ),
        (
            vec!["--date", "2026-01-20", "--clock", "lunar", "--grid-m", "1"],
            "--clock",
        ),
        (
            vec!["--date", "2026-01-20", "--utc-offset", "8", "--grid-m", "1"],
            "--utc-offset",
        ),
        (
            vec!["--date", "2026-01-20", "--step-min", "0", "--grid-m", "1"],
            "--step-min",
        ),
        (
            vec!["--date", "2026-01-20", "--step-min", "7", "--grid-m", "1"],
            "--step-min",
        ),
        (vec!["--date", "2026-01-20", "--grid-m", "-1"], "--grid-m"),
        (vec!["--date", "2026-01-20", "--grid-m", "0.0001"], "cells"),
        (vec!["--date", "2026-01-20"], "--points"),
        (vec!["--grid-m", "1"], "--date"),
    ] {
        let mut a = vec!["sun", l];
        a.extend(args);
        let line = bad(&a);
        assert!(line.contains(expect), "{a:?}: {line}");
    }
    // Chinese too.
    assert!(bad(&["sun", l, "--date", "2026-02-30", "--grid-m", "1"]).contains("日期"));

    let not_points = dir.path().join("lines.geojson");
    std::fs::write(
        &not_points,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"a","properties":{},"geometry":{"type":"Point","coordinates":[121.5,31.3]}},
        {"type":"Feature","id":"edge","properties":{},"geometry":{"type":"LineString","coordinates":[[121.5,31.3],[121.6,31.3]]}}]}"#,
    )
    .unwrap();
    let line = bad(&["sun", l, "--date", "2026-01-20", "--points", s(&not_points)]);
    assert!(
        line.contains("lines.geojson")
            && line.contains("feature 1")
            && line.contains("edge")
            && line.contains("`geometry`"),
        "{line}"
    );
    let garbage = dir.path().join("garbage.geojson");
    std::fs::write(&garbage, "{").unwrap();
    assert!(
        bad(&["sun", l, "--date", "2026-01-20", "--points", s(&garbage)])
            .contains("garbage.geojson")
    );
    let missing = dir.path().join("missing.geojson");
    assert!(
        bad(&["sun", l, "--date", "2026-01-20", "--points", s(&missing)])
            .contains("missing.geojson")
    );

    // A building with a bad height: the import error names the feature and the field.
    let bad_height = dir.path().join("bad-height.geojson");
    std::fs::write(
        &bad_height,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"role":"plot"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5002,31.3],[121.5002,31.3002],[121.5,31.3]]]}},
        {"type":"Feature","id":"tower","properties":{"role":"building","height_m":-18},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3003],[121.5001,31.3003],[121.5001,31.3004],[121.5,31.3003]]]}}]}"#,
    )
    .unwrap();
    for cmd in [
        vec!["import"],
        vec!["check"],
        vec!["sun", "--date", "2026-01-20", "--grid-m", "1"],
    ] {
        let mut a = vec![cmd[0], s(&bad_height)];
        a.extend(&cmd[1..]);
        let line = bad(&a);
        assert!(
            line.contains("bad-height.geojson")
                && line.contains("feature 1 (id `tower`)")
                && line.contains("`height_m`")
                && line.contains("要素 1"),
            "{line}"
        );
    }
    // A plot in plain metres has no place under the sun.
    let wkt = dir.path().join("plot.wkt");
    std::fs::write(&wkt, "POLYGON((0 0,8 0,8 5,0 5,0 0))").unwrap();
    let doc = dir.path().join("plot.json");
    assert!(run(&["import", s(&wkt), "-o", s(&doc)]).status.success());
    let line = bad(&["sun", s(&doc), "--date", "2026-01-20", "--grid-m", "1"]);
    assert!(
        line.contains("plot.json") && line.contains("geographic position"),
        "{line}"
    );
}
