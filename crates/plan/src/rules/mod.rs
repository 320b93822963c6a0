//! Design rules: [`check`] turns a layout into [`Finding`]s and never fails.
//!
//! Rule ids are stable (DESIGN.md): `containment`, `no-build`, `overlap`, `path-width`,
//! `step-free-route`, `turning-space`, `fitness-clearance`, `play-clearance`, `roof-load`,
//! `parapet`, `green-ratio`, `seat-spacing`, `tree-protection`, `green-sunlight`,
//! `activity-sunlight`, plus `unknown-element` for an element whose kind is not in the
//! catalogue. Each rule is one entry of [`RuleId`] (id, severity, names, standard,
//! confidence and the check that runs it). Thresholds are data: [`RuleSet`].
//!
//! How each rule measures (all in local metres; pieces thinner than the 1 cm sliver tolerance
//! are ignored everywhere):
//!
//! | rule | measure |
//! |---|---|
//! | `containment`, `no-build`, `overlap` | boolean difference / intersection of outlines and footprints; overlaps allowed between kinds listed in [`RuleSet::overlap_allowed`], shade with anything, overhead elements (pergola) with anything |
//! | `path-width` | clear path = accessible path minus standing element footprints; a morphological opening (erode by half the width, dilate back) loses exactly the parts narrower than the width; necks and narrow arms are errors with the measured gap, tapering tips warnings |
//! | `step-free-route` | graph of accessible path and plaza polygons; an edge where two touch or overlap along at least 1.20 m; start from zones within 0.5 m of a step-free entrance |
//! | `turning-space` | a Ø 1.50 m circle fits where the eroded walkable area (network and destinations minus obstacles) comes within 1.50 m of each step-free entrance and each dead end of a path (where its outline turns round by 150° within 4 m, joining nothing) |
//! | `fitness-clearance`, `play-clearance` | distance from the footprint to other elements, kept trees' trunks (and, for fitness, the plot edge) |
//! | `roof-load` | soil depth × unit weight (+ live load) per zone; element weight over max(footprint, 1 m²) (+ live load); against the declared slab capacity |
//! | `parapet` | parapet height against 1.05 m (drop < 24 m) or 1.10 m |
//! | `green-ratio` | union of planting and lawn inside the plot over the plot area |
//! | `seat-spacing` | walking distance within accessible paths and plazas (1 m grid, 8 neighbours) from each path cell to the nearest element with seats (serving cells within 3 m of it); cells farther than 50 m are highlighted; parts of the network that no seat serves are measured in a straight line |
//! | `tree-protection` | hard zones and any element inside a kept tree's protection circle |
//! | `green-sunlight`, `activity-sunlight` | hours of direct sun on the standard day (大寒, 08:00–16:00 true solar time) at the centres of a 0.5 m grid, from the plot's buildings ([`crate::sun`]); share of (planting ∪ lawn) ∩ plot with ≥ 2 h, and each seating or play zone's median hours; only with buildings |

mod access;
mod amenity;
mod clearance;
pub(crate) mod context;
mod finding;
mod place;
mod registry;
mod roof;
mod ruleset;
#[cfg_attr(
    not(feature = "sun"),
    allow(
        dead_code,
        unused_imports,
        reason = "without the sun feature the sunlight rules compute nothing"
    )
)]
pub(crate) mod sun;

pub use finding::{Confidence, Finding, Severity};
pub use registry::{RULES, RuleId, RuleInfo, rule_info};
pub use ruleset::{RuleSet, SummerShade, SunDay, Sunlight};

pub(crate) use access::reach;
pub(crate) use amenity::green_area;
pub(crate) use context::Context;
pub(crate) use roof::roof_loads;

use crate::catalogue::Catalogue;
use crate::model::Layout;

/// Checks a layout against a rule set. Never fails: problems are findings, sorted by rule
/// (in the order of [`RULES`]) and then by the ids involved.
///
/// # Examples
/// ```
/// use plotwise_plan::{check, Catalogue, RuleSet};
/// use plotwise_plan::import::geojson::import_layout;
/// let layout = import_layout(plotwise_plan::samples::sample("yifuyuan-rooftop").unwrap().geojson()).unwrap();
/// let findings = check(&layout, &RuleSet::default(), &Catalogue::builtin());
/// // An empty rooftop has no planting: the green ratio is 0 %.
/// assert!(findings.iter().any(|f| f.rule == "green-ratio"));
/// ```
pub fn check(layout: &Layout, rules: &RuleSet, catalogue: &Catalogue) -> Vec<Finding> {
    let ctx = Context::new(layout, rules, catalogue);
    check_with(&ctx)
}

pub(crate) fn check_with(ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    for &rule in RuleId::ALL {
        if !ctx.rules.disabled.contains(&rule) {
            rule.check_fn()(ctx, &mut out);
        }
    }
    for f in &mut out {
        if let Some(s) = RuleId::from_id(&f.rule).and_then(|r| ctx.rules.severity_overrides.get(&r))
        {
            f.severity = *s;
        }
    }
    // Every finding is made by `Finding::new` from a `RuleId`, so its rule has an entry.
    let order = |r: &str| RuleId::from_id(r).map_or(usize::MAX, |r| r as usize);
    out.sort_by(|a, b| {
        order(&a.rule)
            .cmp(&order(&b.rule))
            .then_with(|| a.ids.cmp(&b.ids))
    });
    out
}
