//! Cross-crate integration tests. Each module is one area.
mod plan_cli;
mod vote_cli;
