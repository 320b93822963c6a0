//! The rules, one entry each: id, default severity, names in both languages, standard,
//! confidence and the check that runs it.
//!
//! Adding a rule is adding one entry to the `rules!` list below: the [`RuleId`] variant, its
//! [`RuleInfo`] in [`RULES`], its place in the report order and the function [`check`]
//! runs all come from that entry. Findings name their rule by [`RuleId`], so a misspelt rule
//! cannot compile; rule sets read from JSON name rules by their stable id, and an unknown id
//! there is a parse error, not a silently ignored setting.
//!
//! [`check`]: super::check

use serde::{Deserialize, Serialize};

use super::context::Context;
use super::{Confidence, Finding, Severity};
use super::{access, amenity, clearance, place, roof, sun};

/// A rule's id, names, default severity, standard and confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// The severity of its findings (the worse one, for a rule with two levels such as
    /// `path-width` or `roof-load`); a rule set may override it.
    pub severity: Severity,
    /// Standard and clause, or the practice it follows.
    pub standard: &'static str,
    /// Confidence of the default values.
    pub confidence: Confidence,
}

type CheckFn = fn(&Context, &mut Vec<Finding>);

macro_rules! rules {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            id: $id:literal,
            severity: $sev:ident,
            name: ($en:literal, $zh:literal),
            standard: $std:literal,
            confidence: $conf:ident,
            check: $check:path $(,)?
        }
    ),* $(,)?) => {
        /// Every rule, in report order. Serialised as its stable id (`path-width`).
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[non_exhaustive]
        pub enum RuleId {
            $( $(#[$doc])* #[serde(rename = $id)] $variant, )*
        }

        /// Every rule's entry, in report order.
        pub const RULES: &[RuleInfo] = &[$(
            RuleInfo {
                id: $id,
                name_en: $en,
                name_zh: $zh,
                severity: Severity::$sev,
                standard: $std,
                confidence: Confidence::$conf,
            },
        )*];

        impl RuleId {
            /// Every rule, in report order (the order of [`RULES`]).
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The rule's entry.
            pub const fn info(self) -> &'static RuleInfo {
                &RULES[self as usize]
            }

            /// The function that checks the rule.
            pub(crate) fn check_fn(self) -> CheckFn {
                match self {
                    $(RuleId::$variant => $check,)*
                }
            }
        }
    };
}

rules! {
    /// An element whose kind is not in the catalogue.
    UnknownElement {
        id: "unknown-element",
        severity: Warning,
        name: ("Element not in the catalogue", "目录中没有的元素"),
        standard: "Plotwise catalogue",
        confidence: H,
        check: place::unknown_elements,
    },
    /// A zone or element outside the plot.
    Containment {
        id: "containment",
        severity: Error,
        name: ("Inside the plot", "位于地块内"),
        standard: "Site boundary",
        confidence: H,
        check: place::containment,
    },
    /// A zone or element on a no-build area.
    NoBuild {
        id: "no-build",
        severity: Error,
        name: ("Clear of no-build areas", "避让禁建区"),
        standard: "Site survey (drains, skylights, manholes)",
        confidence: H,
        check: place::no_build,
    },
    /// Zones or elements overlapping where their kinds exclude each other.
    Overlap {
        id: "overlap",
        severity: Error,
        name: ("No conflicting overlaps", "无冲突重叠"),
        standard: "Layout consistency",
        confidence: H,
        check: place::overlap,
    },
    /// Clear width of accessible paths.
    PathWidth {
        id: "path-width",
        severity: Error,
        name: ("Accessible path clear width", "无障碍通道净宽"),
        standard: "GB 55019-2021 2.2.2 (≥ 1.20 m); GB 50763-2012 3.5.1 (outdoors should be ≥ 1.50 m)",
        confidence: H,
        check: access::path_width,
    },
    /// A destination zone without a step-free route from a step-free entrance.
    StepFreeRoute {
        id: "step-free-route",
        severity: Error,
        name: ("Step-free route from an entrance", "从入口出发的无障碍路线"),
        standard: "GB 55019-2021 2.2.2; GB 50763-2012 3.5",
        confidence: H,
        check: access::step_free_route,
    },
    /// No wheelchair turning circle at a dead end or a step-free entrance.
    TurningSpace {
        id: "turning-space",
        severity: Warning,
        name: ("Wheelchair turning space Ø 1.50 m", "轮椅回转空间 Ø1.50 m"),
        standard: "GB 50763-2012 3.5.3",
        confidence: H,
        check: access::turning_space,
    },
    /// Free space around fitness stations.
    FitnessClearance {
        id: "fitness-clearance",
        severity: Error,
        name: ("Fitness free space", "健身器材安全空间"),
        standard: "EN 16630 free space; Chinese installation practice (≥ 1 m between stations)",
        confidence: M,
        check: clearance::fitness,
    },
    /// Obstacles in a play impact area.
    PlayClearance {
        id: "play-clearance",
        severity: Error,
        name: ("Play impact area free of obstacles", "游戏设施冲击区无障碍物"),
        standard: "EN 1176-1 (impact area ≥ 1.5 m)",
        confidence: M,
        check: clearance::play,
    },
    /// Rooftop load against the declared slab capacity.
    RoofLoad {
        id: "roof-load",
        severity: Error,
        name: ("Roof load against slab capacity", "屋面荷载与楼板承载力"),
        standard: "GB 50009-2012 table 5.3.1 (accessible roof 2.0 kN/m²); soil unit weight 18 kN/m³ (practice)",
        confidence: L,
        check: roof::roof_load,
    },
    /// Rooftop parapet height.
    Parapet {
        id: "parapet",
        severity: Error,
        name: ("Parapet height", "女儿墙（栏杆）高度"),
        standard: "GB 50352-2019 6.7.3",
        confidence: H,
        check: roof::parapet,
    },
    /// Share of planting and lawn.
    GreenRatio {
        id: "green-ratio",
        severity: Warning,
        name: ("Green ratio", "绿地率"),
        standard: "GB 50180-93 (new ≥ 30 %, renewal ≥ 25 %)",
        confidence: M,
        check: amenity::green_ratio,
    },
    /// A seat at least every 50 m along accessible paths.
    SeatSpacing {
        id: "seat-spacing",
        severity: Warning,
        name: ("A seat every 50 m", "每 50 m 设座椅"),
        standard: "Inclusive Mobility (UK DfT): seats every ≤ 50 m",
        confidence: M,
        check: amenity::seat_spacing,
    },
    /// Hard surfaces and elements inside a kept tree's protection radius.
    TreeProtection {
        id: "tree-protection",
        severity: Error,
        name: ("Kept trees' protection radius", "保留树木保护范围"),
        standard: "Tree protection practice (root protection area)",
        confidence: M,
        check: clearance::tree_protection,
    },
    /// Less than the required share of the green area in sun on the standard day.
    GreenSunlight {
        id: "green-sunlight",
        severity: Warning,
        name: ("Green space in sunlight on the standard day", "绿地日照（标准日）"),
        standard: "GB 50180-2018 §4.0.7 (≥ 1/3 of green space outside the standard sunlight shadow line); GB/T 50947-2014 (大寒日 08:00–16:00 true solar time, ≥ 2 h)",
        confidence: M,
        check: sun::green_sunlight,
    },
    /// A seating or play zone with too little sun on the standard day.
    ActivitySunlight {
        id: "activity-sunlight",
        severity: Warning,
        name: ("Sun on seating and play areas", "休憩与儿童活动场地日照"),
        standard: "GB 50180-2018 §4.0.7 (elderly and children's activity areas outside the standard sunlight shadow line); GB/T 50947-2014 (大寒日 08:00–16:00 true solar time, ≥ 2 h)",
        confidence: M,
        check: sun::activity_sunlight,
    },
}

impl RuleId {
    /// The stable id (`path-width`).
    pub const fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule with this stable id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The rule with this id.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RuleId::from_id(id).map(RuleId::info)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn entries_line_up_and_ids_are_unique() {
        assert_eq!(RuleId::ALL.len(), RULES.len());
        for (i, r) in RuleId::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
            assert_eq!(r.info().id, RULES[i].id);
            assert_eq!(RuleId::from_id(r.id()), Some(*r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::Value::from(r.id())
            );
            assert!(!r.info().name_en.is_empty() && !r.info().name_zh.is_empty());
            assert!(!r.info().standard.is_empty());
        }
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert_eq!(RuleId::from_id("path_width"), None);
    }

    #[test]
    fn design_md_ids_are_kept() {
        for id in [
            "containment",
            "no-build",
            "overlap",
            "path-width",
            "step-free-route",
            "turning-space",
            "fitness-clearance",
            "play-clearance",
            "roof-load",
            "parapet",
            "green-ratio",
            "seat-spacing",
            "tree-protection",
            "green-sunlight",
            "activity-sunlight",
        ] {
            assert!(rule_info(id).is_some(), "{id}");
        }
    }
}
