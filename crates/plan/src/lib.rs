//! Plotwise's shared geometry and design engine.
//!
//! `plotwise-plan` holds plots, zones, catalogue elements and layouts in a local metric plane,
//! the edits that change them (each returning its inverse), the design rules that check them
//! (returning findings, never failing), metrics and costs, comparison, and import and export.
//! It does no I/O and knows nothing of yew, axum or SQL: the browser editor and the server run
//! exactly this code, natively and on `wasm32-unknown-unknown`. The heavy exporters (PDF, DXF)
//! sit behind the `pdf` and `dxf` features, which the web build leaves off.
//!
//! # Brief overview
//!
//! - [`geom`]: [`Outline`], a validated (multi)polygon in local metres (x east, y north).
//! - [`projection`]: [`LocalProjection`], a transverse Mercator centred on the plot.
//! - [`model`]: [`Plot`], [`Zone`], [`Element`], [`Layout`] and the versioned
//!   [`LayoutDocument`].
//! - [`catalogue`]: [`Catalogue`], element dimensions, weights and prices as data.
//! - [`edit`]: [`Edit`]; [`Layout::apply`] returns the inverse edit (exact undo/redo).
//! - [`rules`]: [`check`] → [`Finding`]s, thresholds in a [`RuleSet`]; never fails.
//! - [`metrics`](mod@metrics): [`metrics()`](metrics::metrics) → [`Metrics`] with a bill of quantities;
//!   [`evaluate`] gives findings and metrics in one pass (what `plotwise check` prints).
//! - [`compare`]: a metrics table of N layouts ([`compare::compare`]) and the difference of
//!   two ([`compare::diff`]).
//! - [`import`]: GeoJSON layouts ([`import::geojson::import_layout`]) and WKT boundaries
//!   ([`import::wkt::import_boundary`]).
//! - [`export`]: SVG, PDF, DXF, GeoJSON and CSV (PDF and DXF behind features).
//! - [`limits`]: the size limits on outside input and a cheap pre-check of a file against
//!   them, for the server.
//! - [`palette`]: the colours of zone kinds, one palette for the screen and the boards.
//! - [`samples`]: the sample plots shipped with the crate.
//! - [`snap`]: snapping a point to corners, edges and the grid while drawing.
//! - [`sun`]: sun position (NREL SPA), building shadows and hours of direct sun.
//!
//! Helpful terminology: a *plot* is the site (ground lot or rooftop); a *zone* is a drawn area
//! with one use (planting, accessible path, …); an *element* is a catalogue object placed at a
//! point (bench, fitness station, …); a *layout* is one design for one plot.

pub mod catalogue;
pub mod compare;
pub mod edit;
pub mod export;
pub mod geom;
pub mod ids;
pub mod import;
pub mod limits;
pub mod metrics;
pub mod model;
pub mod palette;
pub mod projection;
pub mod rules;
pub mod samples;
pub mod snap;
pub mod sun;
pub mod text;

pub use catalogue::{Catalogue, CatalogueItem};
pub use edit::{Edit, EditError};
pub use geom::{InvalidOutline, Outline};
pub use ids::{ElementId, EntranceId, NoBuildId, PlotId, TreeId, ZoneId};
pub use metrics::{Metrics, Report, evaluate, metrics};
pub use model::{
    DocumentError, Element, Entrance, KeepTree, Layout, LayoutDocument, NoBuildArea, Plot,
    PlotKind, Rooftop, Surface, Zone, ZoneKind,
};
pub use projection::LocalProjection;
pub use rules::{Finding, RuleSet, Severity, check};
pub use text::Text;
