//! Helpers shared by the export tests: samples and golden files.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::PathBuf;

use plotwise_plan::Layout;
use plotwise_plan::import::geojson::import_layout;
use plotwise_plan::samples::SAMPLES;

/// Every sample, imported.
pub fn samples() -> Vec<(&'static str, Layout)> {
    SAMPLES
        .iter()
        .map(|s| {
            (
                s.id,
                import_layout(s.geojson()).unwrap_or_else(|e| panic!("{}: {e}", s.id)),
            )
        })
        .collect()
}

/// One sample, imported.
pub fn sample(id: &str) -> Layout {
    let s = plotwise_plan::samples::sample(id).expect("sample exists");
    import_layout(s.geojson()).expect("sample imports")
}

/// The golden file directory.
pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Compares `actual` with the golden file `name`. On a difference (or when the golden file
/// does not exist yet) writes `<name>.new` next to it and fails: review the new file (render
/// it, diff it) and rename it over the golden file only if it is right. Never regenerated
/// automatically.
pub fn golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    let new = golden_dir().join(format!("{name}.new"));
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {
            let _ = std::fs::remove_file(&new);
        }
        Ok(expected) => {
            std::fs::write(&new, actual).expect("write .new golden");
            let first = expected
                .lines()
                .zip(actual.lines())
                .position(|(a, b)| a != b)
                .map(|i| i + 1)
                .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()) + 1);
            panic!(
                "{} differs from the golden file (first difference at line {first}); the new output is in {}: review it (render it, diff it) and move it over the golden file only if it is right",
                path.display(),
                new.display()
            );
        }
        Err(_) => {
            std::fs::write(&new, actual).expect("write .new golden");
            panic!(
                "no golden file {}; the output is in {}: review it and rename it if it is right",
                path.display(),
                new.display()
            );
        }
    }
}
