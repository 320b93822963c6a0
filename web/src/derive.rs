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

/// Findings and metrics of `layout`. The time it took is left in `window.__plotwiseEvalMs`
/// for the measurement script (tests/e2e/scripts/measure.mjs).
pub fn report(layout: &Layout) -> Report {
    let perf = gloo::utils::window().performance();
    let t0 = perf.as_ref().map(|p| p.now());
    let r = evaluate(layout, &rules(), &catalogue());
    if let (Some(p), Some(t0)) = (perf, t0) {
        let _ = js_sys::Reflect::set(
            &gloo::utils::window(),
            &"__plotwiseEvalMs".into(),
            &(p.now() - t0).into(),
        );
    }
    r
}
