//! The element catalogue and unit prices: data shipped with the crate, overridable by users.
//!
//! The built-in catalogue is `data/catalogue.json` in this crate. A user's file in the same
//! shape can replace it ([`Catalogue::from_json`]) or override some entries
//! ([`Catalogue::with_overrides`]). Every price carries its `source`, or `"estimate"`.

use std::collections::BTreeMap;

use geo::{Coord, Polygon};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::geom::{circle, oriented_rect};
use crate::model::{Element, Size, Surface, ZoneKind};
use crate::text::Text;

/// The built-in catalogue's file, for tests: programs get it compiled (see `build.rs`).
#[cfg(test)]
const BUILTIN: &str = include_str!("../data/catalogue.json");

/// The catalogue: element types, surface prices, and the surface assumed for a zone kind
/// when a zone has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    /// Currency of every price (`CNY`).
    pub currency: String,
    /// A note to show with prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Element types.
    pub items: Vec<CatalogueItem>,
    /// Surface prices per m².
    #[serde(default)]
    pub surfaces: Vec<SurfacePrice>,
    /// The surface used for costing a zone that has none.
    #[serde(default)]
    pub default_surfaces: BTreeMap<ZoneKind, Surface>,
}

/// One element type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueItem {
    /// Key used by elements (`bench`).
    pub key: String,
    /// Name to show.
    pub name: Text,
    /// What it is for (decides which rules apply).
    pub category: Category,
    /// Footprint on the ground.
    pub footprint: Footprint,
    /// Free space to keep around the footprint (fitness free space, play impact area), m.
    #[serde(default)]
    pub clearance_m: f64,
    /// Weight, kN.
    #[serde(default)]
    pub weight_kn: f64,
    /// Seats it offers.
    #[serde(default)]
    pub seats: u32,
    /// Whether it stands up from the ground (false for painted games): obstacles narrow paths
    /// and must stay out of play and fitness free space.
    #[serde(default = "yes")]
    pub obstacle: bool,
    /// Whether it is overhead (a pergola's roof): may stand over other elements and zones.
    #[serde(default)]
    pub overhead: bool,
    /// The part of it that casts shade (a tree's crown, a pergola's roof), for the summer
    /// shade measure; `None` for what casts none worth counting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shade: Option<Shade>,
    /// Unit price.
    pub price: Price,
    /// A note (how the weight was estimated, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

fn yes() -> bool {
    true
}

/// The shading part of an element: a slab between two heights over its footprint, or over a
/// round crown centred on it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Shade {
    /// Height of the underside, m (a crown's lowest branches, a pergola's beams).
    pub from_m: f64,
    /// Height of the top, m.
    pub to_m: f64,
    /// Diameter of a round crown, m; the element's footprint when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crown_diameter_m: Option<f64>,
}

/// What an element is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Benches, tables with seats.
    Seating,
    /// Fitness stations (fitness-clearance applies).
    Fitness,
    /// Play equipment (play-clearance applies).
    Play,
    /// Sports tables and the like (their own play space applies like play-clearance).
    Sport,
    /// Planters, trees.
    Planting,
    /// Pergolas.
    Shade,
    /// Lamps, bins, racks.
    Furniture,
}

/// A footprint shape.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Footprint {
    /// A rectangle, `width_m` along the element's x axis.
    Rect {
        /// Width, m.
        width_m: f64,
        /// Depth, m.
        depth_m: f64,
    },
    /// A circle.
    Circle {
        /// Diameter, m.
        diameter_m: f64,
    },
}

/// A price with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// Amount in the catalogue's currency.
    pub amount: f64,
    /// `each` or `m2`.
    pub unit: String,
    /// The source, or `estimate`.
    pub source: String,
}

impl Price {
    /// Whether the price is an estimate rather than sourced.
    pub fn is_estimate(&self) -> bool {
        self.source.starts_with("estimate")
    }
}

/// A surface's price per m².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurfacePrice {
    /// The surface.
    pub surface: Surface,
    /// Price per m².
    pub price: Price,
}

/// Why a catalogue file was refused.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// Not a catalogue.
    #[error("catalogue: {0}")]
    Json(#[from] serde_json::Error),
    /// An item's numbers make no sense.
    #[error("catalogue item `{key}`: field `{field}` must be a positive finite number")]
    BadNumber {
        /// The item.
        key: String,
        /// The field.
        field: &'static str,
    },
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::builtin()
    }
}

impl Catalogue {
    /// The built-in catalogue (`data/catalogue.json`, compiled into the crate by `build.rs`
    /// and tested equal to the file as [`Catalogue::from_json`] reads it).
    pub fn builtin() -> Self {
        include!(concat!(env!("OUT_DIR"), "/builtin_catalogue.rs"))
    }

    /// A whole catalogue from JSON (the shape of `data/catalogue.json`), validated.
    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        let c: Catalogue = serde_json::from_str(text)?;
        c.validate()?;
        Ok(c)
    }

    /// This catalogue with entries of `text` (a JSON object with optional `items`, `surfaces`
    /// and `default_surfaces`) replacing those with the same key, and new ones added.
    pub fn with_overrides(&self, text: &str) -> Result<Self, CatalogueError> {
        #[derive(Deserialize)]
        struct Overrides {
            #[serde(default)]
            items: Vec<CatalogueItem>,
            #[serde(default)]
            surfaces: Vec<SurfacePrice>,
            #[serde(default)]
            default_surfaces: BTreeMap<ZoneKind, Surface>,
        }
        let o: Overrides = serde_json::from_str(text)?;
        let mut c = self.clone();
        for item in o.items {
            match c.items.iter_mut().find(|i| i.key == item.key) {
                Some(slot) => *slot = item,
                None => c.items.push(item),
            }
        }
        for s in o.surfaces {
            match c.surfaces.iter_mut().find(|x| x.surface == s.surface) {
                Some(slot) => *slot = s,
                None => c.surfaces.push(s),
            }
        }
        c.default_surfaces.extend(o.default_surfaces);
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        for i in &self.items {
            let bad = |field| CatalogueError::BadNumber {
                key: i.key.clone(),
                field,
            };
            match i.footprint {
                Footprint::Rect { width_m, depth_m } => {
                    if !(width_m.is_finite() && width_m > 0.0) {
                        return Err(bad("width_m"));
                    }
                    if !(depth_m.is_finite() && depth_m > 0.0) {
                        return Err(bad("depth_m"));
                    }
                }
                Footprint::Circle { diameter_m } => {
                    if !(diameter_m.is_finite() && diameter_m > 0.0) {
                        return Err(bad("diameter_m"));
                    }
                }
            }
            if !(i.clearance_m.is_finite() && i.clearance_m >= 0.0) {
                return Err(bad("clearance_m"));
            }
            if !(i.weight_kn.is_finite() && i.weight_kn >= 0.0) {
                return Err(bad("weight_kn"));
            }
            if !(i.price.amount.is_finite() && i.price.amount >= 0.0) {
                return Err(bad("price.amount"));
            }
        }
        Ok(())
    }

    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&CatalogueItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// The price of a surface per m².
    pub fn surface_price(&self, s: Surface) -> Option<&Price> {
        self.surfaces
            .iter()
            .find(|p| p.surface == s)
            .map(|p| &p.price)
    }

    /// The surface to cost a zone of this kind by when it has none.
    pub fn default_surface(&self, kind: ZoneKind) -> Option<Surface> {
        self.default_surfaces.get(&kind).copied()
    }

    /// The element's clearance zone (footprint grown by the item's `clearance_m`: fitness free
    /// space, play impact area), or `None` for an unknown kind or an item without clearance.
    pub fn clearance_zone(&self, e: &Element) -> Option<Polygon<f64>> {
        let item = self.item(&e.kind)?;
        (item.clearance_m > 0.0).then(|| {
            item.grown_at(
                e.position,
                e.rotation_deg,
                e.size.map(|s| (s.width_m, s.depth_m)),
                item.clearance_m,
            )
        })
    }

    /// The element's size as drawn: its own size if it has one, else the catalogue's (a round
    /// item's diameter both ways); `None` for an unknown kind.
    pub fn size_of(&self, e: &Element) -> Option<Size> {
        let item = self.item(&e.kind)?;
        Some(e.size.unwrap_or(match item.footprint {
            Footprint::Rect { width_m, depth_m } => Size { width_m, depth_m },
            Footprint::Circle { diameter_m } => Size {
                width_m: diameter_m,
                depth_m: diameter_m,
            },
        }))
    }

    /// The element's footprint in local metres, or `None` for an unknown kind.
    pub fn footprint(&self, e: &Element) -> Option<Polygon<f64>> {
        let item = self.item(&e.kind)?;
        Some(item.footprint_at(
            e.position,
            e.rotation_deg,
            e.size.map(|s| (s.width_m, s.depth_m)),
        ))
    }
}

impl CatalogueItem {
    /// The footprint placed at `centre`, rotated counter-clockwise by `rotation_deg`, with an
    /// optional size `(width, depth)` replacing the catalogue's.
    pub fn footprint_at(
        &self,
        centre: Coord<f64>,
        rotation_deg: f64,
        size: Option<(f64, f64)>,
    ) -> Polygon<f64> {
        match (self.footprint, size) {
            (Footprint::Rect { .. }, Some((w, d))) => oriented_rect(centre, w, d, rotation_deg),
            (Footprint::Rect { width_m, depth_m }, None) => {
                oriented_rect(centre, width_m, depth_m, rotation_deg)
            }
            (Footprint::Circle { .. }, Some((w, _))) => circle(centre, w / 2.0, 16),
            (Footprint::Circle { diameter_m }, None) => circle(centre, diameter_m / 2.0, 16),
        }
    }

    /// The footprint grown by `margin` on every side (a rectangle with square corners, or a
    /// bigger circle): what the editor draws as free space or impact area.
    pub fn grown_at(
        &self,
        centre: Coord<f64>,
        rotation_deg: f64,
        size: Option<(f64, f64)>,
        margin: f64,
    ) -> Polygon<f64> {
        let m2 = 2.0 * margin;
        match (self.footprint, size) {
            (Footprint::Rect { .. }, Some((w, d))) => {
                oriented_rect(centre, w + m2, d + m2, rotation_deg)
            }
            (Footprint::Rect { width_m, depth_m }, None) => {
                oriented_rect(centre, width_m + m2, depth_m + m2, rotation_deg)
            }
            (Footprint::Circle { .. }, Some((w, _))) => circle(centre, w / 2.0 + margin, 24),
            (Footprint::Circle { diameter_m }, None) => {
                circle(centre, diameter_m / 2.0 + margin, 24)
            }
        }
    }

    /// The footprint's area, m² (of the drawn polygon).
    pub fn footprint_area_m2(&self, size: Option<(f64, f64)>) -> f64 {
        use geo::Area;
        self.footprint_at(Coord { x: 0.0, y: 0.0 }, 0.0, size)
            .unsigned_area()
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn an_element_is_drawn_at_its_own_size_else_the_catalogues() {
        let c = Catalogue::builtin();
        let mut bench = Element::new("b", "bench", Coord { x: 0.0, y: 0.0 });
        let s = c.size_of(&bench).unwrap();
        assert_eq!((s.width_m, s.depth_m), (1.8, 0.6));
        bench.size = Some(Size {
            width_m: 2.4,
            depth_m: 0.5,
        });
        let s = c.size_of(&bench).unwrap();
        assert_eq!((s.width_m, s.depth_m), (2.4, 0.5));
        let round = c
            .items
            .iter()
            .find_map(|i| match i.footprint {
                Footprint::Circle { diameter_m } => Some((i.key.clone(), diameter_m)),
                Footprint::Rect { .. } => None,
            })
            .expect("a round item");
        let s = c
            .size_of(&Element::new(
                "t",
                round.0.as_str(),
                Coord { x: 0.0, y: 0.0 },
            ))
            .unwrap();
        assert_eq!((s.width_m, s.depth_m), (round.1, round.1));
        assert!(
            c.size_of(&Element::new("x", "no_such_kind", Coord { x: 0.0, y: 0.0 }))
                .is_none()
        );
    }

    #[test]
    fn the_compiled_builtin_is_the_file() {
        let parsed = Catalogue::from_json(BUILTIN).expect("built-in catalogue parses");
        assert_eq!(Catalogue::builtin(), parsed);
        assert!(!parsed.items.is_empty() && !parsed.surfaces.is_empty());
    }

    #[test]
    fn builtin_parses_and_has_design_defaults() {
        let c = Catalogue::from_json(BUILTIN).expect("built-in catalogue parses");
        for key in [
            "bench",
            "fitness_station",
            "planter",
            "tree",
            "table_seats",
            "pergola",
            "lamp",
            "bin",
            "bike_rack",
            "sandpit",
            "hopscotch",
            "table_tennis",
        ] {
            assert!(c.item(key).is_some(), "{key}");
        }
        let bench = c.item("bench").unwrap();
        assert_eq!(
            bench.footprint,
            Footprint::Rect {
                width_m: 1.8,
                depth_m: 0.6
            }
        );
        assert_eq!((bench.seats, bench.weight_kn), (3, 0.3));
        let fit = c.item("fitness_station").unwrap();
        assert_eq!((fit.clearance_m, fit.weight_kn), (1.0, 2.5));
        assert!(!c.item("hopscotch").unwrap().obstacle);
        assert_eq!(c.item("table_tennis").unwrap().clearance_m, 1.5);
        assert_eq!(c.item("table_seats").unwrap().seats, 4);
        for i in &c.items {
            assert!(!i.price.source.is_empty(), "{} has no price source", i.key);
        }
        for k in ZoneKind::ALL {
            let s = c.default_surface(k).expect("default surface");
            assert!(c.surface_price(s).is_some());
        }
    }

    #[test]
    fn footprints_and_clearance_zones() {
        use geo::Area;
        let c = Catalogue::builtin();
        let mut e = Element::new("f", "fitness_station", Coord { x: 0.0, y: 0.0 });
        e.rotation_deg = 90.0;
        assert!((c.footprint(&e).unwrap().unsigned_area() - 0.96).abs() < 1e-9);
        // 1.2 × 0.8 grown by 1.0 m on every side: 3.2 × 2.8.
        assert!((c.clearance_zone(&e).unwrap().unsigned_area() - 8.96).abs() < 1e-9);
        assert!(
            c.clearance_zone(&Element::new("b", "bench", Coord { x: 0.0, y: 0.0 }))
                .is_none()
        );
        assert!(
            c.footprint(&Element::new("x", "unknown", Coord { x: 0.0, y: 0.0 }))
                .is_none()
        );
    }

    #[test]
    fn overrides_replace_and_add() {
        let c = Catalogue::builtin()
            .with_overrides(
                r#"{"items":[{"key":"bench","name":{"en":"Long bench","zh-CN":"长凳"},"category":"seating",
                "footprint":{"shape":"rect","width_m":2.4,"depth_m":0.6},"seats":4,
                "price":{"amount":2500,"unit":"each","source":"supplier quote 2026"}},
                {"key":"swing","name":{"en":"Swing","zh-CN":"秋千"},"category":"play",
                "footprint":{"shape":"rect","width_m":3.0,"depth_m":1.5},"clearance_m":2.0,
                "price":{"amount":9000,"unit":"each","source":"estimate"}}]}"#,
            )
            .unwrap();
        assert_eq!(c.item("bench").unwrap().seats, 4);
        assert!(c.item("swing").is_some());
        assert_eq!(c.items.len(), Catalogue::builtin().items.len() + 1);
        let bad = Catalogue::builtin().with_overrides(
            r#"{"items":[{"key":"x","name":{"en":"x","zh-CN":"x"},"category":"play","footprint":{"shape":"circle","diameter_m":-1},"price":{"amount":1,"unit":"each","source":"estimate"}}]}"#,
        );
        assert!(bad.unwrap_err().to_string().contains("diameter_m"));
    }
}
