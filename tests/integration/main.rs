//! Cross-crate integration tests. Each module is one area.

// The README's architecture invariants, read from the resolved dependency graph.
mod architecture;
