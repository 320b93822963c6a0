//! Helpers shared by the CLI tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root folder.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `plotwise` binary cargo built for these tests (always the current code).
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_plotwise"))
}

/// Runs `plotwise` with these arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .output()
        .expect("the plotwise binary runs")
}
