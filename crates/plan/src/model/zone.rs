//! Zones: drawn areas with one use each.

use serde::{Deserialize, Serialize};

use crate::geom::Outline;
use crate::ids::ZoneId;
use crate::text::Text;

/// A drawn area with one use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zone {
    /// Id.
    pub id: ZoneId,
    /// What the zone is for.
    pub kind: ZoneKind,
    /// The area, local metres.
    pub outline: Outline,
    /// Surface material, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
    /// Soil or substrate depth, m (planting, lawn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soil_depth_m: Option<f64>,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
}

impl Zone {
    /// A zone with no surface, soil depth or names.
    pub fn new(id: impl Into<ZoneId>, kind: ZoneKind, outline: Outline) -> Self {
        Zone {
            id: id.into(),
            kind,
            outline,
            surface: None,
            soil_depth_m: None,
            name: None,
            name_zh: None,
        }
    }

    /// Whether rain soaks in: the surface decides; without one, planting and lawn do.
    pub fn is_permeable(&self) -> bool {
        match self.surface {
            Some(s) => s.is_permeable(),
            None => self.kind.is_green(),
        }
    }
}

/// What a zone is for. Serialised in snake_case (`accessible_path`), as in GeoJSON layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneKind {
    /// Outdoor fitness.
    Fitness,
    /// Seating area.
    Seating,
    /// Planting beds.
    Planting,
    /// Lawn.
    Lawn,
    /// A path that must be step-free and wide enough for a wheelchair.
    AccessiblePath,
    /// Any other path.
    Path,
    /// Children's play.
    Play,
    /// Paved open space.
    Plaza,
    /// Shade structure or pavilion.
    Shade,
    /// Drying area (晾晒).
    Drying,
    /// Car or bicycle parking.
    Parking,
}

impl ZoneKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ZoneKind; 11] = [
        ZoneKind::Fitness,
        ZoneKind::Seating,
        ZoneKind::Planting,
        ZoneKind::Lawn,
        ZoneKind::AccessiblePath,
        ZoneKind::Path,
        ZoneKind::Play,
        ZoneKind::Plaza,
        ZoneKind::Shade,
        ZoneKind::Drying,
        ZoneKind::Parking,
    ];

    /// The snake_case key (`accessible_path`).
    pub fn key(self) -> &'static str {
        match self {
            ZoneKind::Fitness => "fitness",
            ZoneKind::Seating => "seating",
            ZoneKind::Planting => "planting",
            ZoneKind::Lawn => "lawn",
            ZoneKind::AccessiblePath => "accessible_path",
            ZoneKind::Path => "path",
            ZoneKind::Play => "play",
            ZoneKind::Plaza => "plaza",
            ZoneKind::Shade => "shade",
            ZoneKind::Drying => "drying",
            ZoneKind::Parking => "parking",
        }
    }

    /// Parses the snake_case key.
    pub fn from_key(key: &str) -> Option<ZoneKind> {
        ZoneKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The name to show.
    pub fn label(self) -> Text {
        let (en, zh) = match self {
            ZoneKind::Fitness => ("fitness area", "健身区"),
            ZoneKind::Seating => ("seating area", "休憩区"),
            ZoneKind::Planting => ("planting", "种植区"),
            ZoneKind::Lawn => ("lawn", "草坪"),
            ZoneKind::AccessiblePath => ("accessible path", "无障碍通道"),
            ZoneKind::Path => ("path", "园路"),
            ZoneKind::Play => ("play area", "儿童游戏区"),
            ZoneKind::Plaza => ("plaza", "铺装广场"),
            ZoneKind::Shade => ("shade / pavilion", "遮阴廊架"),
            ZoneKind::Drying => ("drying area", "晾晒区"),
            ZoneKind::Parking => ("parking", "停车区"),
        };
        Text::new(en, zh)
    }

    /// Planting and lawn: count towards the green ratio.
    pub fn is_green(self) -> bool {
        matches!(self, ZoneKind::Planting | ZoneKind::Lawn)
    }

    /// Seating, fitness, play and shade: need a step-free route from an entrance.
    pub fn needs_step_free_route(self) -> bool {
        matches!(
            self,
            ZoneKind::Seating | ZoneKind::Fitness | ZoneKind::Play | ZoneKind::Shade
        )
    }

    /// Accessible path and plaza: form the step-free network.
    pub fn is_step_free_network(self) -> bool {
        matches!(self, ZoneKind::AccessiblePath | ZoneKind::Plaza)
    }
}

/// Surface materials. Serialised in snake_case (`permeable_paving`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    /// EPDM or poured rubber.
    Rubber,
    /// Permeable pavers or porous concrete.
    PermeablePaving,
    /// Ordinary pavers laid on a bound bed.
    Paving,
    /// Concrete.
    Concrete,
    /// Asphalt.
    Asphalt,
    /// Gravel.
    Gravel,
    /// Timber or composite decking.
    WoodDeck,
    /// Grass.
    Grass,
    /// Ordinary planting soil.
    Soil,
    /// Light roof-garden substrate.
    LightSubstrate,
    /// Bark mulch.
    Mulch,
    /// Sand.
    Sand,
}

impl Surface {
    /// Every surface, in a fixed order.
    pub const ALL: [Surface; 12] = [
        Surface::Rubber,
        Surface::PermeablePaving,
        Surface::Paving,
        Surface::Concrete,
        Surface::Asphalt,
        Surface::Gravel,
        Surface::WoodDeck,
        Surface::Grass,
        Surface::Soil,
        Surface::LightSubstrate,
        Surface::Mulch,
        Surface::Sand,
    ];

    /// The snake_case key.
    pub fn key(self) -> &'static str {
        match self {
            Surface::Rubber => "rubber",
            Surface::PermeablePaving => "permeable_paving",
            Surface::Paving => "paving",
            Surface::Concrete => "concrete",
            Surface::Asphalt => "asphalt",
            Surface::Gravel => "gravel",
            Surface::WoodDeck => "wood_deck",
            Surface::Grass => "grass",
            Surface::Soil => "soil",
            Surface::LightSubstrate => "light_substrate",
            Surface::Mulch => "mulch",
            Surface::Sand => "sand",
        }
    }

    /// Parses the snake_case key.
    pub fn from_key(key: &str) -> Option<Surface> {
        Surface::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether rain soaks through it.
    pub fn is_permeable(self) -> bool {
        matches!(
            self,
            Surface::PermeablePaving
                | Surface::Gravel
                | Surface::Grass
                | Surface::Soil
                | Surface::LightSubstrate
                | Surface::Mulch
                | Surface::Sand
        )
    }
}
