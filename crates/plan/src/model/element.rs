//! Elements: catalogue objects placed at a point.

use geo::Coord;
use serde::{Deserialize, Serialize};

use crate::geom::coord_serde;
use crate::ids::ElementId;

/// A catalogue object (bench, fitness station, …) placed in the layout.
///
/// Its footprint comes from the catalogue entry `kind` (or `size`, when resized), centred on
/// `position` and rotated by `rotation_deg`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Element {
    /// Id.
    pub id: ElementId,
    /// The catalogue key (`bench`, `fitness_station`, …).
    pub kind: String,
    /// Centre, local metres.
    #[serde(with = "coord_serde")]
    pub position: Coord<f64>,
    /// Rotation counter-clockwise from east, degrees.
    #[serde(default)]
    pub rotation_deg: f64,
    /// A size that replaces the catalogue's (e.g. a longer planter), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<Size>,
    /// A name to show, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Element {
    /// An element of catalogue kind `kind` at `position`, unrotated.
    pub fn new(id: impl Into<ElementId>, kind: impl Into<String>, position: Coord<f64>) -> Self {
        Element {
            id: id.into(),
            kind: kind.into(),
            position,
            rotation_deg: 0.0,
            size: None,
            name: None,
        }
    }
}

/// A footprint size: `width_m` along the element's own x axis, `depth_m` across it. For round
/// catalogue items the width is the diameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Width, m.
    pub width_m: f64,
    /// Depth, m.
    pub depth_m: f64,
}
