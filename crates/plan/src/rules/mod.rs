//! Design rules: [`check`] turns a layout into [`Finding`]s and never fails.
//!
//! Rule ids are stable (DESIGN.md): `containment`, `no-build`, `overlap`, `path-width`,
//! `step-free-route`, `turning-space`, `fitness-clearance`, `play-clearance`, `roof-load`,
//! `parapet`, `green-ratio`, `seat-spacing`, `tree-protection`, plus `unknown-element` for an
//! element whose kind is not in the catalogue. Thresholds are data: [`RuleSet`].

mod access;
mod amenity;
mod clearance;
pub(crate) mod context;
mod finding;
mod place;
mod roof;
mod ruleset;

pub use finding::{Confidence, Finding, RULES, RuleInfo, Severity, rule_info};
pub use ruleset::RuleSet;

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
/// let layout = import_layout(plotwise_plan::samples::sample("yifuyuan-rooftop").unwrap().geojson).unwrap();
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
    place::unknown_elements(ctx, &mut out);
    place::containment(ctx, &mut out);
    place::no_build(ctx, &mut out);
    place::overlap(ctx, &mut out);
    access::path_width(ctx, &mut out);
    access::step_free_route(ctx, &mut out);
    access::turning_space(ctx, &mut out);
    clearance::fitness(ctx, &mut out);
    clearance::play(ctx, &mut out);
    roof::roof_load(ctx, &mut out);
    roof::parapet(ctx, &mut out);
    amenity::green_ratio(ctx, &mut out);
    amenity::seat_spacing(ctx, &mut out);
    clearance::tree_protection(ctx, &mut out);
    out.retain(|f| !ctx.rules.disabled.iter().any(|d| d == &f.rule));
    for f in &mut out {
        if let Some(s) = ctx.rules.severity_overrides.get(&f.rule) {
            f.severity = *s;
        }
    }
    let order = |r: &str| RULES.iter().position(|i| i.id == r).unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        order(&a.rule)
            .cmp(&order(&b.rule))
            .then_with(|| a.ids.cmp(&b.ids))
    });
    out
}
