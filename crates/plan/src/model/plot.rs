//! The plot: the site being redesigned.

use geo::Coord;
use serde::{Deserialize, Serialize};

use crate::geom::{Outline, coord_serde};
use crate::ids::{BuildingId, EntranceId, NoBuildId, PlotId, TreeId};
use crate::projection::LocalProjection;

/// The site: a ground lot or a rooftop, with its boundary and what must be respected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plot {
    /// The plot's id (`plot` for GeoJSON imports).
    pub id: PlotId,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// Ground lot or rooftop (with the rooftop's data).
    pub kind: PlotKind,
    /// The boundary in local metres.
    pub outline: Outline,
    /// Ways in.
    #[serde(default)]
    pub entrances: Vec<Entrance>,
    /// Existing trees to keep.
    #[serde(default)]
    pub keep_trees: Vec<KeepTree>,
    /// Areas to keep clear (drains, skylights, manholes).
    #[serde(default)]
    pub no_build: Vec<NoBuildArea>,
    /// Buildings around the plot (usually neighbouring blocks outside it) that cast shadow on
    /// it: the sun and shade analysis ([`crate::sun`]) and the sunlight rules use them.
    /// Added in schema version 2; left out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buildings: Vec<Building>,
    /// The local projection, for georeferenced plots (imported from WGS84): local `(0, 0)` is
    /// its origin. `None` for plots drawn or imported in plain metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<LocalProjection>,
    /// An area to compare against, as given by the source (m²), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_area_m2: Option<f64>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Plot {
    /// A ground plot with the given outline and nothing else.
    pub fn new(id: impl Into<PlotId>, outline: Outline) -> Self {
        Plot {
            id: id.into(),
            name: None,
            name_zh: None,
            kind: PlotKind::Ground,
            outline,
            entrances: vec![],
            keep_trees: vec![],
            no_build: vec![],
            buildings: vec![],
            projection: None,
            reference_area_m2: None,
            note: None,
        }
    }

    /// The plot's area in m² (in the local plane: true ground area).
    pub fn area_m2(&self) -> f64 {
        self.outline.area_m2()
    }

    /// The rooftop data, if this is a rooftop.
    pub fn rooftop(&self) -> Option<&Rooftop> {
        match &self.kind {
            PlotKind::Rooftop(r) => Some(r),
            PlotKind::Ground => None,
        }
    }
}

/// Ground lot or rooftop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PlotKind {
    /// A lot at ground level.
    Ground,
    /// A roof or podium platform.
    Rooftop(Rooftop),
}

/// What the rules need to know about a rooftop.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rooftop {
    /// Floor level (e.g. 4 for a fourth-floor platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_level: Option<i32>,
    /// Height of the drop beyond the edge, m (decides the guard height).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_height_m: Option<f64>,
    /// Height of the parapet or guard, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parapet_height_m: Option<f64>,
    /// Declared slab capacity for added loads, kN/m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_slab_capacity_kn_m2: Option<f64>,
}

/// A way into the plot: a point on (or next to) the boundary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entrance {
    /// Id.
    pub id: EntranceId,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// Position, local metres.
    #[serde(with = "coord_serde")]
    pub position: Coord<f64>,
    /// Clear width, m.
    pub width_m: f64,
    /// Whether a wheelchair user can get through without a step.
    pub step_free: bool,
}

/// An existing tree to keep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepTree {
    /// Id.
    pub id: TreeId,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// Trunk position, local metres.
    #[serde(with = "coord_serde")]
    pub position: Coord<f64>,
    /// Canopy radius, m.
    pub canopy_radius_m: f64,
    /// Radius around the trunk where roots must be protected, m.
    pub protect_radius_m: f64,
    /// Height of the tree's top, m, when surveyed (the summer shade measure takes
    /// `summer_shade.keep_tree_height_m` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_m: Option<f64>,
}

/// An area to keep clear: drain, skylight, manhole, …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoBuildArea {
    /// Id.
    pub id: NoBuildId,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// Why (`drain`, `skylight`, `manhole`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The area, local metres.
    pub outline: Outline,
}

/// A building that casts shadow on the plot: a footprint extruded to a flat roof (a prism).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Building {
    /// Id.
    pub id: BuildingId,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// The footprint, local metres (may be non-convex, with holes, several parts).
    pub outline: Outline,
    /// Height of the flat roof above the plot's ground (for a rooftop plot, above the roof
    /// surface), m; positive.
    pub height_m: f64,
}

impl Building {
    /// A building with this footprint and height (the height is checked by
    /// [`crate::Layout::check_values`], which loading and editing run).
    pub fn new(id: impl Into<BuildingId>, outline: Outline, height_m: f64) -> Self {
        Building {
            id: id.into(),
            name: None,
            name_zh: None,
            outline,
            height_m,
        }
    }
}
