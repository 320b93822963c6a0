//! `plotwise import` and `plotwise check` through the built binary: the command-line contract
//! of DESIGN.md (JSON field names, exit codes 0/1/2, one-line errors naming file and field) on
//! every sample plot shipped in crates/plan/samples.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{repo_root, run};
use serde_json::Value;

fn samples() -> Vec<PathBuf> {
    let dir = repo_root().join("crates/plan/samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
        .collect();
    v.sort();
    assert_eq!(v.len(), 7, "six plots and the layout example");
    v
}

fn sample(name: &str) -> PathBuf {
    repo_root()
        .join("crates/plan/samples")
        .join(format!("{name}.geojson"))
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Exit code 2 with exactly one line on stderr; returns the line.
fn bad(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "plotwise {args:?}: {out:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn check_report_shape(report: &Value) {
    let findings = report["findings"].as_array().expect("findings array");
    for f in findings {
        assert!(f["rule"].is_string());
        assert!(
            matches!(f["severity"].as_str(), Some("error" | "warning" | "info")),
            "{f}"
        );
        assert!(f["ids"].as_array().is_some_and(|a| !a.is_empty()), "{f}");
        assert!(
            f["message"]["en"].as_str().is_some_and(|m| !m.is_empty()),
            "{f}"
        );
        assert!(
            f["message"]["zh-CN"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{f}"
        );
        assert!(f["standard"].is_string(), "{f}");
    }
    assert!(
        report["metrics"]["plot_area_m2"]
            .as_f64()
            .is_some_and(|a| a > 0.0)
    );
}

#[test]
fn import_then_check_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    for geojson in samples() {
        let name = geojson.file_stem().unwrap().to_str().unwrap();
        let doc = dir.path().join(format!("{name}.json"));
        let out = run(&["import", s(&geojson), "-o", s(&doc)]);
        assert!(
            out.status.success(),
            "import {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let document: Value =
            serde_json::from_str(&std::fs::read_to_string(&doc).unwrap()).unwrap();
        assert_eq!(
            document["schema_version"],
            plotwise_plan::model::CURRENT_SCHEMA_VERSION
        );
        assert_eq!(document["layout"]["plot"]["id"], "plot");

        let out = run(&["check", s(&doc)]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "check {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report = json(&out);
        check_report_shape(&report);
        let area = report["metrics"]["plot_area_m2"].as_f64().unwrap();
        if let Some(reference) = document["layout"]["plot"]["reference_area_m2"].as_f64() {
            assert!(
                (area - reference).abs() / reference < 0.001,
                "{name}: {area} vs {reference}"
            );
        }
        // Checking the GeoJSON directly gives the same report.
        let direct = json(&run(&["check", s(&geojson)]));
        assert_eq!(direct, report, "{name}");
    }
}

#[test]
fn import_to_stdout() {
    let out = run(&["import", s(&sample("lantian-rest"))]);
    assert!(out.status.success());
    assert_eq!(
        json(&out)["layout"]["plot"]["entrances"][0]["id"],
        "entrance-1"
    );
}

#[test]
fn fail_on_turns_findings_into_exit_1() {
    let example = sample("guonian-layout-example");
    // Error findings are data: exit 0 without --fail-on.
    let out = run(&["check", s(&example)]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"step-free-route"), "{rules:?}");
    let out = run(&["check", s(&example), "--fail-on", "error"]);
    assert_eq!(out.status.code(), Some(1));
    check_report_shape(&json(&out));

    // The bare rest stop has only a warning (green ratio).
    let rest = sample("lantian-rest");
    assert_eq!(
        run(&["check", s(&rest), "--fail-on", "error"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", s(&rest), "--fail-on", "warning"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn rule_set_and_catalogue_files() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.json");
    std::fs::write(&rules, r#"{"green_ratio_min": 0.0}"#).unwrap();
    let out = run(&[
        "check",
        s(&sample("lantian-rest")),
        "--rules",
        s(&rules),
        "--fail-on",
        "warning",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cat = dir.path().join("cat.json");
    std::fs::write(
        &cat,
        r#"{"items":[{"key":"bench","name":{"en":"Bench","zh-CN":"长椅"},"category":"seating",
        "footprint":{"shape":"rect","width_m":1.8,"depth_m":0.6},"seats":3,
        "price":{"amount":999,"unit":"each","source":"quote"}}]}"#,
    )
    .unwrap();
    let report = json(&run(&[
        "check",
        s(&sample("guonian-layout-example")),
        "--catalogue",
        s(&cat),
    ]));
    let bench = report["metrics"]["cost"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "bench")
        .unwrap()
        .clone();
    assert_eq!(bench["unit_price"], 999.0);
    assert_eq!(bench["total"], 1998.0);
}

#[test]
fn wkt_boundaries_import() {
    let dir = tempfile::tempdir().unwrap();
    let wkt = dir.path().join("plot.wkt");
    std::fs::write(&wkt, "POLYGON((0 0,8 0,8 5,0 5,0 0))").unwrap();
    let doc = dir.path().join("plot.json");
    assert!(run(&["import", s(&wkt), "-o", s(&doc)]).status.success());
    let report = json(&run(&["check", s(&doc)]));
    assert_eq!(report["metrics"]["plot_area_m2"], 40.0);
}

#[test]
fn dxf_boundaries_import() {
    let dir = tempfile::tempdir().unwrap();
    let layout = plotwise_plan::import::geojson::import_layout(
        &std::fs::read_to_string(sample("guonian-lot")).unwrap(),
    )
    .unwrap();
    let bytes = plotwise_plan::export::dxf::layout_dxf(
        &layout,
        &plotwise_plan::catalogue::Catalogue::builtin(),
    )
    .unwrap();
    let dxf = dir.path().join("survey.dxf");
    std::fs::write(&dxf, bytes).unwrap();
    let doc = dir.path().join("plot.json");
    let out = run(&["import", s(&dxf), "-o", s(&doc)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&run(&["check", s(&doc)]));
    let area = report["metrics"]["plot_area_m2"].as_f64().unwrap();
    // The report rounds areas to the centimetre.
    assert!((area - layout.plot.area_m2()).abs() < 0.01, "{area}");

    let open = dir.path().join("open.dxf");
    std::fs::write(&open, "0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n").unwrap();
    let msg = bad(&["import", s(&open)]);
    assert!(msg.contains("open.dxf") && msg.contains("DXF"), "{msg}");
}

#[test]
fn bad_input_exits_2_with_one_line_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    assert!(bad(&["check", s(&missing)]).contains("missing.json"));

    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "hello").unwrap();
    assert!(bad(&["check", s(&not_json)]).contains("notes.json"));

    let bad_kind = dir.path().join("bad-kind.geojson");
    std::fs::write(
        &bad_kind,
        r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"role":"plot"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5002,31.3],[121.5002,31.3002],[121.5,31.3]]]}},
        {"type":"Feature","id":"pool","properties":{"role":"zone","kind":"swimming_pool"},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5001,31.3],[121.5001,31.3001],[121.5,31.3]]]}}]}"#,
    )
    .unwrap();
    for cmd in ["import", "check"] {
        let line = bad(&[cmd, s(&bad_kind)]);
        assert!(
            line.contains("bad-kind.geojson") && line.contains("pool") && line.contains("`kind`"),
            "{line}"
        );
    }

    let bowtie = dir.path().join("bowtie.wkt");
    std::fs::write(&bowtie, "POLYGON((0 0,4 3,4 0,0 3,0 0))").unwrap();
    assert!(bad(&["import", s(&bowtie)]).contains("self-intersection"));

    let doc = dir.path().join("bad-doc.json");
    std::fs::write(
        &doc,
        r#"{"schema_version":1,"layout":{"plot":{"id":"plot","kind":{"type":"ground"},
        "outline":[[[[0,0],[10,0],[10,8],[0,8],[0,0]]]]},
        "zones":[{"id":"z1","kind":"lawn","outline":[[[[0,0],[4,3],[4,0],[0,3],[0,0]]]]}]}}"#,
    )
    .unwrap();
    let line = bad(&["check", s(&doc)]);
    assert!(
        line.contains("bad-doc.json") && line.contains("zones[0]") && line.contains("z1"),
        "{line}"
    );

    let dxf = dir.path().join("plot.dxf");
    std::fs::write(&dxf, "0\nEOF\n").unwrap();
    assert!(bad(&["import", s(&dxf)]).contains("plot.dxf"));
}
