//! DXF export checked by a real DXF reader: ezdxf's audit (tests/oracles/ezdxf_audit.py, in the
//! Python of `PLOTWISE_PYTHON`, else `<repo>/.venv/bin/python`, made by `cargo xtask setup`),
//! and read back with the `dxf` crate.
//!
//! The ezdxf test is `#[ignore]`d under a plain `cargo test` (it needs that venv);
//! `cargo xtask test` makes the venv and runs it with `--include-ignored`. Run on its own
//! without the venv, it fails saying how to make one: it never passes without having run.
#![cfg(feature = "dxf")]

use std::path::{Path, PathBuf};
use std::process::Command;

use plotwise_plan::catalogue::Catalogue;
use plotwise_plan::export::dxf::{LAYER_PLOT, layout_dxf, zone_layer};
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::samples::SAMPLES;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The oracle venv's Python; panics (the test fails) when there is none.
fn python() -> PathBuf {
    let candidate = std::env::var_os("PLOTWISE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        candidate.exists(),
        "needs the oracle venv: no Python at {} (run `cargo xtask setup`, or `cargo xtask test`)",
        candidate.display()
    );
    candidate
}

#[test]
#[ignore = "needs the oracle venv: cargo xtask test"]
fn every_sample_is_read_by_ezdxf_without_audit_errors() {
    let python = python();
    let dir = tempfile::tempdir().unwrap();
    let script = repo_root().join("tests/oracles/ezdxf_audit.py");
    for sample in SAMPLES {
        let layout = import_layout(sample.geojson()).unwrap();
        let bytes = layout_dxf(&layout, &Catalogue::builtin()).unwrap();
        let path = dir.path().join(format!("{}.dxf", sample.id));
        std::fs::write(&path, bytes).unwrap();
        let out = Command::new(&python)
            .arg(&script)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: ezdxf failed: {}",
            sample.id,
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["version"], "AC1032", "{}", sample.id);
        assert_eq!(report["insunits"], 6, "{}: metres", sample.id);
        assert_eq!(report["recover_errors"], 0, "{}: {report}", sample.id);
        assert_eq!(report["audit_errors"], 0, "{}: {report}", sample.id);
        assert_eq!(
            report["closed_polylines"][LAYER_PLOT],
            layout.plot.outline.multi_polygon().0.len(),
            "{}: one closed boundary per part",
            sample.id
        );
        let layers: Vec<&str> = report["layers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        for z in &layout.zones {
            assert!(
                layers.contains(&zone_layer(z.kind).as_str()),
                "{}",
                sample.id
            );
            assert!(
                report["closed_polylines"][zone_layer(z.kind)].as_u64() >= Some(1),
                "{}: zone {} drawn on its layer",
                sample.id,
                z.id
            );
        }
        // Chinese survives as UTF-8 text.
        let texts = report["texts"].to_string();
        if let Some(zh) = layout.zones.first().map(|z| z.kind.label().zh) {
            assert!(texts.contains(&zh), "{}: {texts}", sample.id);
        }
    }
}

#[test]
fn the_dxf_crate_reads_back_layers_and_metres() {
    let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
    let layout = import_layout(sample.geojson()).unwrap();
    let bytes = layout_dxf(&layout, &Catalogue::builtin()).unwrap();
    let d = dxf::Drawing::load(&mut std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(d.header.version, dxf::enums::AcadVersion::R2018);
    assert_eq!(d.header.default_drawing_units, dxf::enums::Units::Meters);
    let polylines = d
        .entities()
        .filter(|e| matches!(e.specific, dxf::entities::EntityType::LwPolyline(_)))
        .count();
    let rings: usize = layout
        .zones
        .iter()
        .map(|z| {
            z.outline
                .multi_polygon()
                .0
                .iter()
                .map(|p| 1 + p.interiors().len())
                .sum::<usize>()
        })
        .sum();
    assert!(
        polylines > rings,
        "{polylines} polylines for {rings} zone rings"
    );
}
