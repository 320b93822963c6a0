//! Findings.

use geo::Geometry;
use serde::{Deserialize, Serialize};

use super::RuleId;
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
    /// A finding of rule `rule` (its id, standard and confidence come from the rule's entry
    /// in [`RuleId`]; a rule that does not exist cannot be named).
    pub(crate) fn new(rule: RuleId, severity: Severity, ids: Vec<String>, message: Text) -> Self {
        let info = rule.info();
        Finding {
            rule: info.id.to_owned(),
            severity,
            ids,
            message,
            standard: info.standard.to_owned(),
            confidence: info.confidence,
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
