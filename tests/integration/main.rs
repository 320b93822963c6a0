//! Cross-crate integration tests. Each module is one area.
mod vote_cli;
