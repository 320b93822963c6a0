//! The command-line contract of DESIGN.md, through the built `plotwise` binary: one module per
//! group of commands.

mod common;
// `plotwise export` in every format.
mod export;
// `plotwise import` and `check` on every sample plot.
mod plan;
// `plotwise sun`: points, grids, defaults and errors.
mod sun;
// `plotwise tally` and `resolve`, with differential tests against pref_voting.
mod vote;
// `plotwise backup` and `restore`.
mod backup;
// Two `plotwise serve` processes on one PostgreSQL database.
mod instances;
