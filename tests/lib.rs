//! Shared helpers for Plotwise's cross-crate tests: where the repository is. The tests live in
//! `integration/` (one test binary), `e2e/` (browser tests run by node) and, for the
//! command-line contract, `crates/cli/tests/`; `fixtures/` and `oracles/` serve them all.

use std::path::{Path, PathBuf};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}
