//! Counting for residents' consultations.
//!
//! `plotwise-vote` holds electorates (units, buildings, exclusive areas, owners), ballots, the
//! counting methods (plurality, approval, score, Borda, instant-runoff, Schulze) with
//! explanations a committee can read, formal resolutions under PRC Civil Code art. 278 in exact
//! rational arithmetic, and the PrefLib and CSV audit formats. It does no I/O, knows nothing of
//! geometry (`plotwise-plan`), and builds for native and `wasm32-unknown-unknown`.
//!
//! # Brief overview
//!
//! - Ballots: [`Ranking`] (weak orders, possibly incomplete), [`Approval`], [`Scores`],
//!   [`Categorized`] (PrefLib `.cat`), gathered with counts in a [`Profile`] (or a
//!   [`ProfileBuilder`] that merges identical ballots as they arrive).
//! - Methods: [`plurality`], [`approval()`], [`score()`], [`borda`], [`instant_runoff`],
//!   [`schulze`] (or [`count()`] by [`Method`], for an [`AnyProfile`]) return an [`Outcome`]:
//!   every tied winner and an [`Explanation`], which [`render`] turns into text in English or
//!   Chinese.
//! - Ties: [`break_tie`] by a [`TieBreak`] rule (fixed order, the alternatives' order,
//!   published seed, committee's decision), giving a [`TieBreakRecord`].
//! - JSON: the types a server sends and a browser reads ([`Method`], [`Choice`],
//!   [`HeadcountRule`], [`TieBreak`], [`TieBreakRecord`], [`Explanation`], [`Fraction`],
//!   [`Check`]) derive serde both ways; `plotwise-api` re-exports them as wire types.
//! - Resolutions: [`Electorate`] (from CSV with [`Electorate::parse_csv`]), [`Votes`],
//!   [`Rule`] presets of art. 278 and custom thresholds, [`evaluate`] → [`Resolution`].
//! - Formats: [`preflib`] (read and write `.soc/.soi/.toc/.toi/.cat`) and [`csv`] (ballot
//!   tables).

pub mod ballot;
pub mod csv;
pub mod electorate;
pub mod explain;
pub mod method;
pub mod preflib;
pub mod resolution;
pub mod tiebreak;

pub use ballot::{
    Approval, Ballot, BallotError, Categorized, MAX_ALTERNATIVES, MAX_VOTERS, Profile,
    ProfileBuilder, ProfileError, Ranking, Scores,
};
pub use electorate::{Electorate, ElectorateError, HeadcountRule, Unit};
pub use explain::{Lang, render};
pub use method::{
    AnyProfile, BallotKind, Explanation, HalfPoints, IrvRound, Method, Outcome, WrongBallotKind,
    approval, borda, count, count_ranked, instant_runoff, margins, plurality, schulze, score,
};
pub use resolution::{
    Base, Check, Choice, Cmp, Condition, Fraction, Measure, Resolution, ResolutionError, Rule,
    RuleError, Shares, Totals, Votes, evaluate,
};
pub use tiebreak::{TieBreak, TieBreakError, TieBreakRecord, break_tie, splitmix64};
