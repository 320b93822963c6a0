//! Shared helpers for Plotwise's cross-crate tests: where the fixtures are, and how to run
//! the `plotwise` binary. The tests themselves live in `integration/` (one test binary) and
//! `e2e/` (browser tests run by node).

use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
