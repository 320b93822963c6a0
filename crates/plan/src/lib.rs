//! Plotwise's shared geometry and design engine.
//!
//! `plotwise-plan` holds plots, zones, catalogue elements and layouts in a local metric plane,
//! the edits that change them (each returning its inverse), the design rules that check them
//! (returning findings, never failing), metrics and costs, comparison, and import and export.
//! It does no I/O and knows nothing of yew, axum or SQL: the browser editor and the server run
//! exactly this code, natively and on `wasm32-unknown-unknown`. The heavy exporters (PDF, DXF)
//! sit behind the `pdf` and `dxf` features, which the web build leaves off.
