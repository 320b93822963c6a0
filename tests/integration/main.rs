//! Cross-crate integration tests. Each module is one area.
