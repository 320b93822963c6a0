//! A layout: one design for one plot.

use serde::{Deserialize, Serialize};

use crate::ids::{BuildingId, ElementId, ZoneId};
use crate::model::{Building, Element, Plot, Zone};

/// One design for one plot: zones and elements, with a title, author and notes.
///
/// Ids are unique within a layout (zones and elements share one namespace with the plot's
/// entrances, trees and no-build areas, so a finding's `ids` are never ambiguous).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Title, e.g. "Garden option A".
    #[serde(default)]
    pub title: String,
    /// Who drew it.
    #[serde(default)]
    pub author: String,
    /// Free text.
    #[serde(default)]
    pub notes: String,
    /// The plot, with its entrances, trees and no-build areas.
    pub plot: Plot,
    /// Zones, in drawing order.
    #[serde(default)]
    pub zones: Vec<Zone>,
    /// Elements, in drawing order.
    #[serde(default)]
    pub elements: Vec<Element>,
}

/// A reference to a zone, an element or a building of a layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum ObjectRef {
    /// A zone.
    Zone(ZoneId),
    /// An element.
    Element(ElementId),
    /// A building around the plot.
    Building(BuildingId),
}

impl Layout {
    /// An empty layout for `plot`.
    pub fn new(plot: Plot) -> Self {
        Layout {
            title: String::new(),
            author: String::new(),
            notes: String::new(),
            plot,
            zones: vec![],
            elements: vec![],
        }
    }

    /// The zone with this id.
    pub fn zone(&self, id: &ZoneId) -> Option<&Zone> {
        self.zones.iter().find(|z| &z.id == id)
    }

    /// The element with this id.
    pub fn element(&self, id: &ElementId) -> Option<&Element> {
        self.elements.iter().find(|e| &e.id == id)
    }

    /// The building (around the plot) with this id.
    pub fn building(&self, id: &BuildingId) -> Option<&Building> {
        self.plot.buildings.iter().find(|b| &b.id == id)
    }

    /// Whether any object of the layout (plot, entrance, tree, no-build area, zone, element)
    /// already uses `id`.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.plot.id.as_str() == id
            || self.plot.entrances.iter().any(|e| e.id.as_str() == id)
            || self.plot.keep_trees.iter().any(|t| t.id.as_str() == id)
            || self.plot.no_build.iter().any(|n| n.id.as_str() == id)
            || self.plot.buildings.iter().any(|b| b.id.as_str() == id)
            || self.zones.iter().any(|z| z.id.as_str() == id)
            || self.elements.iter().any(|e| e.id.as_str() == id)
    }

    /// A fresh id `<prefix>-<n>` (the smallest n ≥ 1 not in use).
    pub fn fresh_id(&self, prefix: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| !self.id_in_use(id))
            .unwrap_or_else(|| prefix.to_owned())
    }

    /// Checks the numbers that serde cannot: sizes, widths, radii and building heights positive
    /// and finite, soil depths not negative. Returns the path of the first bad field and what is wrong.
    pub fn check_values(&self) -> Result<(), String> {
        let ok_pos = |v: f64| v.is_finite() && v > 0.0;
        let ok_nonneg = |v: f64| v.is_finite() && v >= 0.0;
        for (i, e) in self.plot.entrances.iter().enumerate() {
            if !ok_pos(e.width_m) {
                return Err(format!(
                    "layout.plot.entrances[{i}] (id `{}`).width_m: must be positive",
                    e.id
                ));
            }
        }
        for (i, t) in self.plot.keep_trees.iter().enumerate() {
            if !ok_nonneg(t.protect_radius_m) || !ok_nonneg(t.canopy_radius_m) {
                return Err(format!(
                    "layout.plot.keep_trees[{i}] (id `{}`): radii must not be negative",
                    t.id
                ));
            }
            if t.height_m.is_some_and(|h| !ok_pos(h)) {
                return Err(format!(
                    "layout.plot.keep_trees[{i}] (id `{}`).height_m: must be a positive number of metres",
                    t.id
                ));
            }
        }
        for (i, b) in self.plot.buildings.iter().enumerate() {
            if !ok_pos(b.height_m) {
                return Err(format!(
                    "layout.plot.buildings[{i}] (id `{}`).height_m: must be a positive number of metres",
                    b.id
                ));
            }
        }
        for (i, z) in self.zones.iter().enumerate() {
            if let Some(d) = z.soil_depth_m
                && !ok_nonneg(d)
            {
                return Err(format!(
                    "layout.zones[{i}] (id `{}`).soil_depth_m: must not be negative",
                    z.id
                ));
            }
        }
        for (i, e) in self.elements.iter().enumerate() {
            if !e.rotation_deg.is_finite() {
                return Err(format!(
                    "layout.elements[{i}] (id `{}`).rotation_deg: not a number",
                    e.id
                ));
            }
            if let Some(s) = e.size
                && !(ok_pos(s.width_m) && ok_pos(s.depth_m))
            {
                return Err(format!(
                    "layout.elements[{i}] (id `{}`).size: must be positive",
                    e.id
                ));
            }
        }
        if let Some(r) = self.plot.rooftop() {
            for (name, v) in [
                ("drop_height_m", r.drop_height_m),
                ("parapet_height_m", r.parapet_height_m),
                (
                    "declared_slab_capacity_kn_m2",
                    r.declared_slab_capacity_kn_m2,
                ),
            ] {
                if let Some(v) = v
                    && !ok_nonneg(v)
                {
                    return Err(format!("layout.plot.kind.{name}: must not be negative"));
                }
            }
        }
        Ok(())
    }

    /// The first id used twice, if any.
    pub fn duplicate_id(&self) -> Option<String> {
        let mut seen = std::collections::HashSet::new();
        let all = std::iter::once(self.plot.id.as_str())
            .chain(self.plot.entrances.iter().map(|e| e.id.as_str()))
            .chain(self.plot.keep_trees.iter().map(|t| t.id.as_str()))
            .chain(self.plot.no_build.iter().map(|n| n.id.as_str()))
            .chain(self.plot.buildings.iter().map(|b| b.id.as_str()))
            .chain(self.zones.iter().map(|z| z.id.as_str()))
            .chain(self.elements.iter().map(|e| e.id.as_str()));
        for id in all {
            if !seen.insert(id) {
                return Some(id.to_owned());
            }
        }
        None
    }
}
