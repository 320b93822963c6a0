//! Replays every committed fuzz input through the same functions the fuzz targets run, so a
//! plain `cargo test` (and CI) keeps every reader crash and slow input fixed: the seeds
//! (`fuzz/seeds/<target>/`), the minimised corpus (`fuzz/corpus/<target>/`) and the inputs
//! that once crashed or hung a reader (`fuzz/regressions/<target>/`).

use std::path::{Path, PathBuf};

use plotwise_fuzz::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files directly in `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(kind: &str) -> usize {
    let mut replayed = 0;
    for target in TARGETS {
        for path in inputs(&fuzz_dir().join(kind).join(target.name)) {
            let data = std::fs::read(&path).expect("a committed input reads");
            // A panic names the file, so it can be run again with the fuzz target alone.
            let outcome = std::panic::catch_unwind(|| (target.run)(&data));
            assert!(
                outcome.is_ok(),
                "{} fails on {}",
                target.name,
                path.display()
            );
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn every_target_has_a_fuzz_target_file_and_seeds() {
    for target in TARGETS {
        let file = fuzz_dir()
            .join("fuzz_targets")
            .join(format!("{}.rs", target.name));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(
            text.contains(&format!("plotwise_fuzz::{}(data)", target.name)),
            "{} does not run plotwise_fuzz::{}",
            file.display(),
            target.name
        );
        assert!(
            !inputs(&fuzz_dir().join("seeds").join(target.name)).is_empty(),
            "no seeds for {}",
            target.name
        );
    }
}

#[test]
fn seeds_replay() {
    assert!(replay("seeds") > 0);
}

#[test]
fn corpus_replays() {
    assert!(replay("corpus") > 0);
}

#[test]
fn crash_regressions_replay() {
    replay("regressions");
}
