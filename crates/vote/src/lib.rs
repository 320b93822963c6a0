//! Counting for residents' consultations.
//!
//! `plotwise-vote` holds electorates (units, buildings, exclusive areas, owners), ballots, the
//! counting methods (plurality, approval, score, Borda, instant-runoff, Schulze) with
//! explanations a committee can read, formal resolutions under PRC Civil Code art. 278 in exact
//! rational arithmetic, and the PrefLib and CSV audit formats. It does no I/O, knows nothing of
//! geometry (`plotwise-plan`), and builds for native and `wasm32-unknown-unknown`.
