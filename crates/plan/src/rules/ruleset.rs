//! Rule thresholds as data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::ZoneKind;
use crate::rules::{RuleId, Severity};
use crate::sun::{Clock, ClockTime, Date, SunError, SunWindow, UtcOffset, dahan, dashu};

/// Thresholds and switches of the rules. `RuleSet::default()` is DESIGN.md's default rule
/// set; a city or project can load its own from JSON (missing fields take the defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleSet {
    /// Rules switched off (by stable id in JSON; an unknown id is an error).
    pub disabled: Vec<RuleId>,
    /// Severities replacing the defaults, by rule (stable id in JSON).
    pub severity_overrides: BTreeMap<RuleId, Severity>,
    /// Pieces thinner than this are slivers from coordinate rounding and are ignored, m.
    pub sliver_tolerance_m: f64,
    /// `path-width` error below this clear width, m (GB 55019-2021 2.2.2).
    pub path_width_min_m: f64,
    /// `path-width` warning below this clear width outdoors, m (GB 50763-2012 3.5.1).
    pub path_width_recommended_m: f64,
    /// `step-free-route`: the least width of a connection between zones, m.
    pub connection_width_min_m: f64,
    /// How far from an entrance point a zone may start and still be reached from it, m.
    pub entrance_reach_m: f64,
    /// `turning-space`: diameter of the turning circle, m (GB 50763-2012 3.5.3).
    pub turning_diameter_m: f64,
    /// `fitness-clearance`: free space around a fitness station's footprint, m.
    pub fitness_clearance_m: f64,
    /// `play-clearance`: obstacle-free distance around play equipment, m (EN 1176).
    pub play_clearance_m: f64,
    /// `roof-load`: saturated unit weight of ordinary planting soil, kN/m³.
    pub soil_unit_weight_kn_m3: f64,
    /// `roof-load`: saturated unit weight of a light substrate, kN/m³.
    pub light_substrate_unit_weight_kn_m3: f64,
    /// `roof-load`: live load of an accessible roof, kN/m² (GB 50009-2012 table 5.3.1).
    pub live_load_kn_m2: f64,
    /// `roof-load`: an element's weight is spread over at least this area, m² (a slab
    /// distributes a small heavy object's load; without this a 0.3 m lamp base would read as
    /// a huge pressure). An assumption of this tool, not from a standard.
    pub roof_load_min_area_m2: f64,
    /// `roof-load`: warning above this utilisation (0.85 = 85 %).
    pub roof_load_warning_ratio: f64,
    /// `roof-load`: error above this utilisation (1.0 = 100 %).
    pub roof_load_error_ratio: f64,
    /// `parapet`: least guard height where the drop is under `parapet_high_drop_m`, m.
    pub parapet_min_m: f64,
    /// `parapet`: least guard height where the drop is `parapet_high_drop_m` or more, m.
    pub parapet_min_high_m: f64,
    /// `parapet`: the drop from which the higher guard applies, m.
    pub parapet_high_drop_m: f64,
    /// `green-ratio`: least share of planting and lawn (0.30; 0.25 for renewal areas).
    pub green_ratio_min: f64,
    /// `seat-spacing`: greatest walking distance (within accessible paths and plazas) from a
    /// point of an accessible path to a seat, m.
    pub seat_spacing_max_m: f64,
    /// `seat-spacing`: grid cell for walking distances, m (8-neighbour steps overestimate a
    /// straight walk by at most 8 %).
    pub seat_spacing_sample_m: f64,
    /// `seat-spacing`: a seat serves the path cells within this distance of it, m (benches
    /// stand beside paths, not on them).
    pub seat_reach_m: f64,
    /// `overlap`: pairs of zone kinds that may overlap (in either order). Shade may overlap
    /// anything (it is overhead).
    pub overlap_allowed: Vec<[ZoneKind; 2]>,
    /// `green-sunlight`, `activity-sunlight` and the sun metrics: the standard day, window,
    /// hours and share, with their source.
    pub sunlight: Sunlight,
    /// The summer shade measure at seats (a metric, no rule): its day, window and the heights
    /// of what casts shade.
    pub summer_shade: SummerShade,
}

/// The standard day of the sunlight rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SunDay {
    /// 大寒 (Greater Cold) of [`Sunlight::year`], about 20 January (GB/T 50947). `"dahan"`
    /// in JSON.
    Dahan,
    /// 大暑 (Greater Heat) of the year, about 22 July. `"dashu"` in JSON.
    Dashu,
    /// A fixed date, `"YYYY-MM-DD"` in JSON.
    Date(Date),
}

impl SunDay {
    /// The date this day falls on in `year`.
    pub fn date(self, year: i32) -> Result<Date, SunError> {
        match self {
            SunDay::Dahan => dahan(year),
            SunDay::Dashu => dashu(year),
            SunDay::Date(d) => Ok(d),
        }
    }
}

impl Serialize for SunDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            SunDay::Dahan => s.serialize_str("dahan"),
            SunDay::Dashu => s.serialize_str("dashu"),
            SunDay::Date(d) => s.collect_str(d),
        }
    }
}

impl<'de> Deserialize<'de> for SunDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "dahan" => return Ok(SunDay::Dahan),
            "dashu" => return Ok(SunDay::Dashu),
            _ => {}
        }
        s.parse::<Date>()
            .map(SunDay::Date)
            .map_err(|e| serde::de::Error::custom(format!("{e} (or \"dahan\", \"dashu\")")))
    }
}

/// Settings of the sunlight rules (GB 50180-2018 §4.0.7: at least 1/3 of the green space
/// outside the standard sunlight shadow line, the elderly's and children's activity areas in
/// that part; the line is the one housing sunlight uses, GB/T 50947: 大寒日 08:00–16:00 true
/// solar time, ≥ 2 h).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sunlight {
    /// The standard day.
    pub day: SunDay,
    /// The year of `day` when it is 大寒 (the plot's design year; the sun's path differs
    /// only slightly from year to year).
    pub year: i32,
    /// Start of the window.
    pub from: ClockTime,
    /// End of the window.
    pub to: ClockTime,
    /// The clock of `from` and `to` (true solar time by default).
    pub clock: Clock,
    /// The zone's UTC offset (converts only, under a solar clock).
    pub utc_offset: UtcOffset,
    /// Sampling step, minutes.
    pub step_min: u32,
    /// A spot counts as sunlit with at least this many hours of direct sun.
    pub min_hours: f64,
    /// `green-sunlight`: least share of the green area (planting ∪ lawn, within the plot)
    /// that is sunlit (1/3).
    pub green_share_min: f64,
    /// Grid cell for measuring zones, m (a spot is a cell's centre).
    pub grid_m: f64,
    /// Where these values come from (shown with the findings and metrics).
    pub source: String,
}

impl Default for Sunlight {
    fn default() -> Self {
        Sunlight {
            day: SunDay::Dahan,
            year: 2026,
            from: ClockTime::EIGHT,
            to: ClockTime::SIXTEEN,
            clock: Clock::Solar,
            utc_offset: UtcOffset::BEIJING,
            step_min: 1,
            min_hours: 2.0,
            green_share_min: 1.0 / 3.0,
            grid_m: 0.5,
            source: "GB 50180-2018 §4.0.7 (≥ 1/3 of green space outside the standard sunlight shadow line; elderly and children's activity areas in that part); GB/T 50947-2014 (大寒日 08:00–16:00 true solar time, ≥ 2 h)".into(),
        }
    }
}

impl Sunlight {
    /// The window these settings describe.
    pub fn window(&self) -> Result<SunWindow, SunError> {
        Ok(SunWindow {
            date: self.day.date(self.year)?,
            from: self.from,
            to: self.to,
            clock: self.clock,
            utc_offset: self.utc_offset,
            step_min: self.step_min,
        })
    }
}

/// Settings of the summer shade measure: the share of seats in shade through the hottest
/// hours of 大暑 (Greater Heat), when buildings, kept trees' crowns, new trees, pergolas and
/// shade zones' roofs cast shade (the winter sunlight rules count buildings only). Not from a
/// standard: residents ask for shade on summer afternoons as much as for winter sun.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummerShade {
    /// The day.
    pub day: SunDay,
    /// The year of `day` when it is 大暑.
    pub year: i32,
    /// Start of the window.
    pub from: ClockTime,
    /// End of the window.
    pub to: ClockTime,
    /// The clock of `from` and `to` (standard time by default: the hours people keep).
    pub clock: Clock,
    /// The zone's UTC offset.
    pub utc_offset: UtcOffset,
    /// Sampling step, minutes.
    pub step_min: u32,
    /// A seat counts as shaded when it is out of direct sun for at least this share of the
    /// window's sunny samples (0.5: half the afternoon).
    pub shaded_share_min: f64,
    /// Top of a kept tree's crown when the survey gives no `height_m`, m.
    pub keep_tree_height_m: f64,
    /// Height of the lowest branches of kept trees, m (the crown casts shade between this
    /// and the top).
    pub keep_tree_crown_base_m: f64,
    /// Height of the roof of a shade zone (pavilion, shelter), m; a 0.2 m slab below it.
    pub shade_zone_roof_m: f64,
    /// Where these values come from (shown with the metric).
    pub source: String,
}

impl Default for SummerShade {
    fn default() -> Self {
        SummerShade {
            day: SunDay::Dashu,
            year: 2026,
            from: ClockTime::THIRTEEN,
            to: ClockTime::SIXTEEN,
            clock: Clock::Standard,
            utc_offset: UtcOffset::BEIJING,
            step_min: 5,
            shaded_share_min: 0.5,
            keep_tree_height_m: 8.0,
            keep_tree_crown_base_m: 2.5,
            shade_zone_roof_m: 2.8,
            source: "Plotwise's summer comfort measure, not a standard: 大暑 13:00–16:00 Beijing time (the hottest hours); crown and roof heights are estimates (catalogue; kept trees 2.5–8 m unless surveyed)".into(),
        }
    }
}

impl SummerShade {
    /// The window these settings describe.
    pub fn window(&self) -> Result<SunWindow, SunError> {
        Ok(SunWindow {
            date: self.day.date(self.year)?,
            from: self.from,
            to: self.to,
            clock: self.clock,
            utc_offset: self.utc_offset,
            step_min: self.step_min,
        })
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        use ZoneKind::*;
        RuleSet {
            disabled: vec![],
            severity_overrides: BTreeMap::new(),
            sliver_tolerance_m: 0.01,
            path_width_min_m: 1.20,
            path_width_recommended_m: 1.50,
            connection_width_min_m: 1.20,
            entrance_reach_m: 0.5,
            turning_diameter_m: 1.50,
            fitness_clearance_m: 1.0,
            play_clearance_m: 1.5,
            soil_unit_weight_kn_m3: 18.0,
            light_substrate_unit_weight_kn_m3: 12.0,
            live_load_kn_m2: 2.0,
            roof_load_min_area_m2: 1.0,
            roof_load_warning_ratio: 0.85,
            roof_load_error_ratio: 1.0,
            parapet_min_m: 1.05,
            parapet_min_high_m: 1.10,
            parapet_high_drop_m: 24.0,
            green_ratio_min: 0.30,
            seat_spacing_max_m: 50.0,
            seat_spacing_sample_m: 1.0,
            seat_reach_m: 3.0,
            overlap_allowed: vec![
                [AccessiblePath, AccessiblePath],
                [AccessiblePath, Path],
                [AccessiblePath, Plaza],
                [Path, Path],
                [Path, Plaza],
                [Plaza, Plaza],
                [Planting, Lawn],
            ],
            sunlight: Sunlight::default(),
            summer_shade: SummerShade::default(),
        }
    }
}

impl RuleSet {
    /// The default rule set with the green-ratio target for old-area renewal (25 % instead of
    /// 30 %, GB 50180-93 as quoted; M).
    pub fn renewal_area() -> Self {
        RuleSet {
            green_ratio_min: 0.25,
            ..RuleSet::default()
        }
    }

    /// Whether zones of kinds `a` and `b` may overlap.
    pub fn may_overlap(&self, a: ZoneKind, b: ZoneKind) -> bool {
        a == ZoneKind::Shade
            || b == ZoneKind::Shade
            || self
                .overlap_allowed
                .iter()
                .any(|[x, y]| (*x == a && *y == b) || (*x == b && *y == a))
    }

    /// Loads a rule set from JSON; missing fields take the defaults.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}
