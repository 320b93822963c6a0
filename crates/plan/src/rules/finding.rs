//! Findings and the table of rules.

use geo::Geometry;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information.
    Info,
    /// Should be fixed ("should" in the standard, or a low-confidence value).
    Warning,
    /// Must be fixed.
    Error,
}

/// How sure we are of the value behind a rule (reference/design-rules.md): H = clause text
/// read, M = quoted by a secondary source, L = vendor or blog page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// High.
    H,
    /// Medium.
    M,
    /// Low.
    L,
}

/// One problem found in a layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable rule id (`path-width`).
    pub rule: String,
    /// How bad.
    pub severity: Severity,
    /// The ids of the zones, elements, entrances, trees, no-build areas or the plot involved.
    pub ids: Vec<String>,
    /// What is wrong, in English and Chinese.
    pub message: Text,
    /// The standard and clause (or the practice) the rule comes from.
    pub standard: String,
    /// How sure the value is.
    pub confidence: Confidence,
    /// What to highlight, in local metres (serialised as a GeoJSON geometry object).
    #[serde(
        with = "crate::geom::geometry_serde::option",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub highlight: Option<Geometry<f64>>,
    /// The measured value, when there is one (width in m, utilisation in %, ratio in %, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The limit it was compared with, in the same unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
}

impl Finding {
    /// A finding of rule `rule` (its standard and confidence come from [`RULES`]).
    pub(crate) fn new(
        rule: &'static str,
        severity: Severity,
        ids: Vec<String>,
        message: Text,
    ) -> Self {
        let info = rule_info(rule);
        Finding {
            rule: rule.to_owned(),
            severity,
            ids,
            message,
            standard: info.map(|i| i.standard.to_owned()).unwrap_or_default(),
            confidence: info.map(|i| i.confidence).unwrap_or(Confidence::L),
            highlight: None,
            value: None,
            limit: None,
        }
    }

    pub(crate) fn highlight(mut self, g: impl Into<Geometry<f64>>) -> Self {
        self.highlight = Some(g.into());
        self
    }

    pub(crate) fn measured(mut self, value: f64, limit: f64) -> Self {
        self.value = Some(round3(value));
        self.limit = Some(limit);
        self
    }
}

pub(crate) fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0 + 0.0
}

/// A rule's id, name, standard and confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// Standard and clause, or the practice it follows.
    pub standard: &'static str,
    /// Confidence of the default values.
    pub confidence: Confidence,
}

/// Every rule, in report order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        id: "unknown-element",
        name_en: "Element not in the catalogue",
        name_zh: "目录中没有的元素",
        standard: "Plotwise catalogue",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "containment",
        name_en: "Inside the plot",
        name_zh: "位于地块内",
        standard: "Site boundary",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "no-build",
        name_en: "Clear of no-build areas",
        name_zh: "避让禁建区",
        standard: "Site survey (drains, skylights, manholes)",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "overlap",
        name_en: "No conflicting overlaps",
        name_zh: "无冲突重叠",
        standard: "Layout consistency",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "path-width",
        name_en: "Accessible path clear width",
        name_zh: "无障碍通道净宽",
        standard: "GB 55019-2021 2.2.2 (≥ 1.20 m); GB 50763-2012 3.5.1 (outdoors should be ≥ 1.50 m)",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "step-free-route",
        name_en: "Step-free route from an entrance",
        name_zh: "从入口出发的无障碍路线",
        standard: "GB 55019-2021 2.2.2; GB 50763-2012 3.5",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "turning-space",
        name_en: "Wheelchair turning space Ø 1.50 m",
        name_zh: "轮椅回转空间 Ø1.50 m",
        standard: "GB 50763-2012 3.5.3",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "fitness-clearance",
        name_en: "Fitness free space",
        name_zh: "健身器材安全空间",
        standard: "EN 16630 free space; Chinese installation practice (≥ 1 m between stations)",
        confidence: Confidence::M,
    },
    RuleInfo {
        id: "play-clearance",
        name_en: "Play impact area free of obstacles",
        name_zh: "游戏设施冲击区无障碍物",
        standard: "EN 1176-1 (impact area ≥ 1.5 m)",
        confidence: Confidence::M,
    },
    RuleInfo {
        id: "roof-load",
        name_en: "Roof load against slab capacity",
        name_zh: "屋面荷载与楼板承载力",
        standard: "GB 50009-2012 table 5.3.1 (accessible roof 2.0 kN/m²); soil unit weight 18 kN/m³ (practice)",
        confidence: Confidence::L,
    },
    RuleInfo {
        id: "parapet",
        name_en: "Parapet height",
        name_zh: "女儿墙（栏杆）高度",
        standard: "GB 50352-2019 6.7.3",
        confidence: Confidence::H,
    },
    RuleInfo {
        id: "green-ratio",
        name_en: "Green ratio",
        name_zh: "绿地率",
        standard: "GB 50180-93 (new ≥ 30 %, renewal ≥ 25 %)",
        confidence: Confidence::M,
    },
    RuleInfo {
        id: "seat-spacing",
        name_en: "A seat every 50 m",
        name_zh: "每 50 m 设座椅",
        standard: "Inclusive Mobility (UK DfT): seats every ≤ 50 m",
        confidence: Confidence::M,
    },
    RuleInfo {
        id: "tree-protection",
        name_en: "Kept trees' protection radius",
        name_zh: "保留树木保护范围",
        standard: "Tree protection practice (root protection area)",
        confidence: Confidence::M,
    },
];

/// The rule with this id.
pub fn rule_info(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.id == id)
}
