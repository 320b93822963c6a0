//! What the panels show, computed by crates/plan: findings and metrics with the bill of
//! quantities (`plan::evaluate`), with the built-in catalogue and rule set.

use std::rc::Rc;

use plotwise_plan::model::Layout;
use plotwise_plan::{Catalogue, Report, RuleSet, evaluate};

thread_local! {
    static CATALOGUE: Rc<Catalogue> = Rc::new(Catalogue::builtin());
    static RULES: Rc<RuleSet> = Rc::new(RuleSet::default());
}

/// The built-in catalogue (parsed once).
pub fn catalogue() -> Rc<Catalogue> {
    CATALOGUE.with(Rc::clone)
}

/// The default rule set.
pub fn rules() -> Rc<RuleSet> {
    RULES.with(Rc::clone)
}

/// Findings and metrics of `layout`.
pub fn report(layout: &Layout) -> Report {
    evaluate(layout, &rules(), &catalogue())
}
