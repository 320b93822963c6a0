//! The domain model: plots, zones, elements and layouts, all in local metres.

mod document;
mod element;
mod layout;
mod plot;
mod zone;

pub use document::{CURRENT_SCHEMA_VERSION, DocumentError, LayoutDocument};
pub use element::{Element, Size};
pub use layout::{Layout, ObjectRef};
pub use plot::{Building, Entrance, KeepTree, NoBuildArea, Plot, PlotKind, Rooftop};
pub use zone::{Surface, Zone, ZoneKind};
