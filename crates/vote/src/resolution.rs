//! Formal resolutions (yes / no / abstain) under PRC Civil Code art. 278, in exact arithmetic.
//!
//! Art. 278: a decision needs the participation of owners holding at least 2/3 of the exclusive
//! area AND at least 2/3 of the owners by headcount; major matters (altering buildings and their
//! ancillary facilities, changing the use of common parts, …) then need at least 3/4 of the
//! participating area AND headcount, other matters more than half of both. Art. 1259: "以上"
//! (at least) includes the number itself, "过半数" (more than half) does not.
//!
//! Participation is the share of all eligible (area and heads) that took part; approval is the
//! share of those taking part who said yes (abstaining is taking part without agreeing); support
//! is the share of all eligible who said yes. A unit that is not in the votes did not take part.
//!
//! Headcount ([`HeadcountRule`]): by owner (one owner of several units counts once; the owner
//! takes part when any of their units voted, and their units must not vote differently: that is
//! an error naming the owner) or by unit. Area always counts every unit that voted.
//!
//! Rules ([`Rule`]):
//! - `art278-ordinary`: participation ≥ 2/3 area and ≥ 2/3 headcount; pass when approval
//!   > 1/2 of area and > 1/2 of headcount;
//! - `art278-major`: the same participation; pass when approval ≥ 3/4 of both;
//! - `building-two-thirds` (one building B): the eligible are B's units; no quorum; pass when
//!   yes comes from more than 2/3 of B's heads (support by headcount, counted by the headcount
//!   rule within B);
//! - `support-10`: no quorum; pass when yes comes from at least 10 % of all eligible heads;
//! - `custom`: quorum conditions on participation and pass conditions on approval, written
//!   `area>=2/3,headcount>=2/3` (`>=` or `≥` at least, `>` more than; thresholds as `p/q`,
//!   decimals or percentages).
//!
//! A resolution passes only when its quorum is met and every pass condition holds.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Zero};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::electorate::{
    Electorate, HeadcountRule, decimal_string, normalize_unit_id, parse_decimal,
};

/// A vote on a resolution. Its JSON form is `"yes"`, `"no"` or `"abstain"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// For.
    Yes,
    /// Against.
    No,
    /// Takes part without agreeing.
    Abstain,
}

impl Choice {
    /// `yes`, `no` or `abstain`: the choice's name in JSON, in storage and in CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }
}

impl FromStr for Choice {
    type Err = String;

    /// `yes`, `no`, `abstain` (any case), or 同意 / 反对 / 弃权.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "同意" => Ok(Choice::Yes),
            "no" | "反对" => Ok(Choice::No),
            "abstain" | "弃权" => Ok(Choice::Abstain),
            _ => Err(format!("choice {s:?}: expected yes, no or abstain")),
        }
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error in the votes or in applying a rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ResolutionError {
    /// A line of the votes file is wrong (the header is line 1).
    #[error("line {line}: {problem}")]
    Line {
        /// The 1-based line.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A vote names a unit that is not in the electorate.
    #[error("unit {0:?} is not in the electorate")]
    UnknownUnit(String),
    /// A unit voted twice.
    #[error("unit {0:?} voted twice")]
    DuplicateVote(String),
    /// With headcount by owner, an owner's units voted differently.
    #[error("owner {owner:?} holds units that voted differently ({})", .votes.iter().map(|(u, c)| format!("{u}: {c}")).collect::<Vec<_>>().join(", "))]
    OwnerSplit {
        /// The owner's key.
        owner: String,
        /// The owner's units that voted, with their choices.
        votes: Vec<(String, Choice)>,
    },
    /// `building-two-thirds` names a building with no units.
    #[error("building {0:?} has no units in the electorate")]
    UnknownBuilding(String),
}

/// The votes on one resolution: a choice per unit that took part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Votes {
    choices: HashMap<String, Choice>,
}

impl Votes {
    /// Collects votes; every unit must be in the electorate and vote once (unit ids are
    /// normalised: `1－101` is `1-101`).
    pub fn new(
        electorate: &Electorate,
        votes: impl IntoIterator<Item = (String, Choice)>,
    ) -> Result<Self, ResolutionError> {
        let mut choices = HashMap::new();
        for (unit, choice) in votes {
            let Some(u) = electorate.unit(&unit) else {
                return Err(ResolutionError::UnknownUnit(unit));
            };
            if choices.contains_key(&u.id) {
                return Err(ResolutionError::DuplicateVote(unit));
            }
            choices.insert(u.id.clone(), choice);
        }
        Ok(Votes { choices })
    }

    /// Parses the CSV `unit,choice` against the electorate; errors name the line.
    pub fn parse_csv(text: &str, electorate: &Electorate) -> Result<Self, ResolutionError> {
        let recs = crate::csv::records(text).map_err(|e| ResolutionError::Line {
            line: e.line,
            problem: e.kind.to_string(),
        })?;
        let Some((hline, head)) = recs.first() else {
            return Err(ResolutionError::Line {
                line: 1,
                problem: "the file is empty: the header unit,choice is needed".into(),
            });
        };
        let head: Vec<String> = head.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
        if head != ["unit", "choice"] {
            return Err(ResolutionError::Line {
                line: *hline,
                problem: format!(
                    "the header must be unit,choice (found {:?})",
                    head.join(",")
                ),
            });
        }
        let mut choices = HashMap::new();
        // Normalised id → (first line, id as written there).
        let mut first_line: HashMap<String, (usize, String)> = HashMap::new();
        for (line, row) in &recs[1..] {
            let bad = |problem: String| ResolutionError::Line {
                line: *line,
                problem,
            };
            if row.len() != 2 {
                return Err(bad(format!(
                    "{} cells, expected 2 (unit,choice)",
                    row.len()
                )));
            }
            let written = row[0].trim();
            let choice: Choice = row[1].parse().map_err(bad)?;
            let unit = normalize_unit_id(written);
            if electorate.unit(&unit).is_none() {
                return Err(bad(format!("unit {written:?} is not in the electorate")));
            }
            if let Some((first, first_written)) = first_line.get(&unit) {
                return Err(bad(if first_written == written {
                    format!("unit {written:?} already voted on line {first}")
                } else {
                    format!(
                        "unit {written:?} already voted on line {first} (written {first_written:?} there; both are {unit:?} once full-width characters are read as half-width)"
                    )
                }));
            }
            first_line.insert(unit.clone(), (*line, written.to_owned()));
            choices.insert(unit, choice);
        }
        Ok(Votes { choices })
    }

    /// The choice of a unit, if it voted (the id normalised first).
    pub fn choice(&self, unit: &str) -> Option<Choice> {
        if let Some(c) = self.choices.get(unit) {
            return Some(*c);
        }
        self.choices.get(&normalize_unit_id(unit)).copied()
    }

    /// The number of units that voted.
    pub fn len(&self) -> usize {
        self.choices.len()
    }

    /// True when nobody voted.
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }
}

/// What a condition measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Exclusive area.
    Area,
    /// Heads (owners or units, per the headcount rule).
    Headcount,
}

/// What a share is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Base {
    /// Those taking part, of all eligible.
    Participation,
    /// Yes, of those taking part.
    Approval,
    /// Yes, of all eligible.
    Support,
}

/// A comparison with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    /// At least (以上): ≥.
    #[serde(rename = ">=")]
    AtLeast,
    /// More than (过半数, 超过): >.
    #[serde(rename = ">")]
    MoreThan,
}

impl Cmp {
    fn holds(self, value: &BigRational, threshold: &BigRational) -> bool {
        match self {
            Cmp::AtLeast => value >= threshold,
            Cmp::MoreThan => value > threshold,
        }
    }

    /// `>=` or `>`.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::AtLeast => ">=",
            Cmp::MoreThan => ">",
        }
    }
}

/// An exact fraction, written `p/q` in lowest terms (`0/1`, `1/1` included); in JSON the
/// string `"p/q"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fraction(pub BigRational);

impl Fraction {
    /// The fraction as a float (for drawing a bar; decisions use the exact value).
    pub fn to_f64(&self) -> f64 {
        num_traits::ToPrimitive::to_f64(&self.0).unwrap_or(f64::NAN)
    }
}

impl FromStr for Fraction {
    type Err = String;

    /// `p/q` or a whole number `p`; reduced to lowest terms.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse::<BigRational>()
            .map(Fraction)
            .map_err(|_| format!("fraction {s:?}: expected p/q with q > 0"))
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0.numer(), self.0.denom())
    }
}

impl Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fraction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One threshold condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// What the share is of.
    pub base: Base,
    /// Area or headcount.
    pub measure: Measure,
    /// ≥ or >.
    pub cmp: Cmp,
    /// The threshold, from 0 to 1.
    pub threshold: Fraction,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self.measure {
            Measure::Area => "area",
            Measure::Headcount => "headcount",
        };
        write!(f, "{m}{}{}", self.cmp.symbol(), self.threshold)
    }
}

/// A rule that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RuleError {
    /// Unknown preset name.
    #[error(
        "unknown rule {0:?} (expected art278-ordinary, art278-major, building-two-thirds, support-10 or custom)"
    )]
    Unknown(String),
    /// `building-two-thirds` without a building.
    #[error("building-two-thirds needs --building B")]
    NeedsBuilding,
    /// `custom` without pass conditions.
    #[error("custom needs --pass, e.g. \"area>1/2,headcount>1/2\"")]
    NeedsPass,
    /// An option that the rule does not use.
    #[error("{0} is only used with {1}")]
    Unused(&'static str, &'static str),
    /// A condition cannot be read.
    #[error("condition {text:?}: {problem}")]
    Condition {
        /// The condition as written.
        text: String,
        /// What is wrong.
        problem: String,
    },
}

/// Parses a threshold: `p/q`, a decimal, or a percentage; it must lie in [0, 1].
pub fn parse_threshold(s: &str) -> Option<BigRational> {
    let s = s.trim();
    let r = if let Some(pct) = s.strip_suffix('%') {
        parse_decimal(pct)? / BigRational::from_integer(BigInt::from(100u8))
    } else if let Some((p, q)) = s.split_once('/') {
        let p: BigInt = p.trim().parse().ok()?;
        let q: BigInt = q.trim().parse().ok()?;
        if q.is_zero() || p < BigInt::zero() || q < BigInt::zero() {
            return None;
        }
        BigRational::new(p, q)
    } else {
        parse_decimal(s)?
    };
    (r <= BigRational::one()).then_some(r)
}

/// Parses `area>=2/3,headcount>1/2` into conditions on `base`; empty text gives none.
pub fn parse_conditions(text: &str, base: Base) -> Result<Vec<Condition>, RuleError> {
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = |problem: &str| RuleError::Condition {
            text: part.to_owned(),
            problem: problem.to_owned(),
        };
        let (measure, rest) = if let Some(r) = part.strip_prefix("area") {
            (Measure::Area, r)
        } else if let Some(r) = part.strip_prefix("headcount") {
            (Measure::Headcount, r)
        } else {
            return Err(bad("expected area or headcount first"));
        };
        let rest = rest.trim_start();
        let (cmp, value) = if let Some(v) = rest.strip_prefix(">=") {
            (Cmp::AtLeast, v)
        } else if let Some(v) = rest.strip_prefix('≥') {
            (Cmp::AtLeast, v)
        } else if let Some(v) = rest.strip_prefix('>') {
            (Cmp::MoreThan, v)
        } else {
            return Err(bad("expected >= (at least) or > (more than)"));
        };
        let threshold = parse_threshold(value).ok_or_else(|| {
            bad("the threshold must be a fraction p/q, a decimal or a percentage from 0 to 1")
        })?;
        out.push(Condition {
            base,
            measure,
            cmp,
            threshold: Fraction(threshold),
        });
    }
    Ok(out)
}

/// A decision rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// Art. 278, ordinary matters.
    Art278Ordinary,
    /// Art. 278, major matters (3/4).
    Art278Major,
    /// Yes from more than 2/3 of one building's heads.
    BuildingTwoThirds(String),
    /// Yes from at least 10 % of all eligible heads.
    Support10,
    /// Custom quorum (on participation) and pass (on approval) conditions.
    Custom {
        /// Quorum conditions, all required.
        quorum: Vec<Condition>,
        /// Pass conditions, all required.
        pass: Vec<Condition>,
    },
}

fn frac(p: i64, q: i64) -> Fraction {
    Fraction(BigRational::new(p.into(), q.into()))
}

fn cond(base: Base, measure: Measure, cmp: Cmp, p: i64, q: i64) -> Condition {
    Condition {
        base,
        measure,
        cmp,
        threshold: frac(p, q),
    }
}

impl Rule {
    /// Reads a rule from its name and the options of `plotwise resolve`.
    pub fn parse(
        name: &str,
        building: Option<&str>,
        quorum: Option<&str>,
        pass: Option<&str>,
    ) -> Result<Rule, RuleError> {
        if name != "custom" {
            if quorum.is_some() {
                return Err(RuleError::Unused("--quorum", "custom"));
            }
            if pass.is_some() {
                return Err(RuleError::Unused("--pass", "custom"));
            }
        }
        if name != "building-two-thirds" && building.is_some() {
            return Err(RuleError::Unused("--building", "building-two-thirds"));
        }
        Ok(match name {
            "art278-ordinary" => Rule::Art278Ordinary,
            "art278-major" => Rule::Art278Major,
            "building-two-thirds" => {
                Rule::BuildingTwoThirds(building.ok_or(RuleError::NeedsBuilding)?.to_owned())
            }
            "support-10" => Rule::Support10,
            "custom" => Rule::Custom {
                quorum: parse_conditions(quorum.unwrap_or(""), Base::Participation)?,
                pass: {
                    let p = parse_conditions(pass.ok_or(RuleError::NeedsPass)?, Base::Approval)?;
                    if p.is_empty() {
                        return Err(RuleError::NeedsPass);
                    }
                    p
                },
            },
            other => return Err(RuleError::Unknown(other.to_owned())),
        })
    }

    /// The rule's name.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::Art278Ordinary => "art278-ordinary",
            Rule::Art278Major => "art278-major",
            Rule::BuildingTwoThirds(_) => "building-two-thirds",
            Rule::Support10 => "support-10",
            Rule::Custom { .. } => "custom",
        }
    }

    /// The quorum conditions.
    pub fn quorum(&self) -> Vec<Condition> {
        use Base::Participation as P;
        match self {
            Rule::Art278Ordinary | Rule::Art278Major => vec![
                cond(P, Measure::Area, Cmp::AtLeast, 2, 3),
                cond(P, Measure::Headcount, Cmp::AtLeast, 2, 3),
            ],
            Rule::BuildingTwoThirds(_) | Rule::Support10 => Vec::new(),
            Rule::Custom { quorum, .. } => quorum.clone(),
        }
    }

    /// The pass conditions.
    pub fn pass(&self) -> Vec<Condition> {
        use Base::{Approval as A, Support as S};
        match self {
            Rule::Art278Ordinary => vec![
                cond(A, Measure::Area, Cmp::MoreThan, 1, 2),
                cond(A, Measure::Headcount, Cmp::MoreThan, 1, 2),
            ],
            Rule::Art278Major => vec![
                cond(A, Measure::Area, Cmp::AtLeast, 3, 4),
                cond(A, Measure::Headcount, Cmp::AtLeast, 3, 4),
            ],
            Rule::BuildingTwoThirds(_) => vec![cond(S, Measure::Headcount, Cmp::MoreThan, 2, 3)],
            Rule::Support10 => vec![cond(S, Measure::Headcount, Cmp::AtLeast, 1, 10)],
            Rule::Custom { pass, .. } => pass.clone(),
        }
    }
}

/// Shares by area and by headcount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shares {
    /// By exclusive area.
    pub area: Fraction,
    /// By heads.
    pub headcount: Fraction,
}

/// Totals behind the shares (areas as exact decimals in m²).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Units eligible.
    pub eligible_units: usize,
    /// Heads eligible.
    pub eligible_heads: usize,
    /// Area eligible.
    pub eligible_area_m2: String,
    /// Units that voted.
    pub voted_units: usize,
    /// Heads that took part.
    pub participating_heads: usize,
    /// Area that took part.
    pub participating_area_m2: String,
    /// Heads voting yes.
    pub yes_heads: usize,
    /// Area voting yes.
    pub yes_area_m2: String,
    /// Heads voting no.
    pub no_heads: usize,
    /// Area voting no.
    pub no_area_m2: String,
    /// Heads abstaining.
    pub abstain_heads: usize,
    /// Area abstaining.
    pub abstain_area_m2: String,
}

/// One condition checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The condition.
    #[serde(flatten)]
    pub condition: Condition,
    /// The measured share.
    pub value: Fraction,
    /// Whether it holds.
    pub met: bool,
}

/// The result of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    /// The rule's name.
    pub rule: String,
    /// `owner` or `unit`.
    pub headcount_rule: &'static str,
    /// The building, for `building-two-thirds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    /// Every quorum condition holds (true when the rule has none).
    pub quorum_met: bool,
    /// The quorum is met and every pass condition holds.
    pub passed: bool,
    /// Those taking part, of all eligible.
    pub participation: Shares,
    /// Yes, of those taking part (0/1 when nobody took part).
    pub approval: Shares,
    /// Yes, of all eligible.
    pub support: Shares,
    /// The counts behind the shares.
    pub totals: Totals,
    /// The quorum conditions, checked.
    pub quorum: Vec<Check>,
    /// The pass conditions, checked.
    pub pass: Vec<Check>,
}

fn share(part: &BigRational, whole: &BigRational) -> Fraction {
    if whole.is_zero() {
        Fraction(BigRational::zero())
    } else {
        Fraction(part / whole)
    }
}

fn count_share(part: usize, whole: usize) -> Fraction {
    share(
        &BigRational::from_integer(part.into()),
        &BigRational::from_integer(whole.into()),
    )
}

/// Decides a resolution.
///
/// # Examples
/// ```
/// use plotwise_vote::{evaluate, Electorate, HeadcountRule, Rule, Votes};
/// let e = Electorate::parse_csv("unit,building,area_m2,owner\na,1,30,o1\nb,1,30,o2\nc,1,40,o3\n").unwrap();
/// let v = Votes::parse_csv("unit,choice\na,yes\nb,yes\nc,no\n", &e).unwrap();
/// let r = evaluate(&Rule::Art278Major, &e, &v, HeadcountRule::Owner).unwrap();
/// assert!(r.quorum_met);
/// assert_eq!(r.approval.area.to_string(), "3/5");
/// assert!(!r.passed); // 3/5 of the area is less than 3/4.
/// ```
pub fn evaluate(
    rule: &Rule,
    electorate: &Electorate,
    votes: &Votes,
    headcount: HeadcountRule,
) -> Result<Resolution, ResolutionError> {
    let building = match rule {
        Rule::BuildingTwoThirds(b) => Some(b.clone()),
        _ => None,
    };
    let eligible: Vec<&crate::Unit> = electorate
        .units()
        .iter()
        .filter(|u| building.as_ref().is_none_or(|b| &u.building == b))
        .collect();
    if let (Some(b), true) = (&building, eligible.is_empty()) {
        return Err(ResolutionError::UnknownBuilding(b.clone()));
    }

    let zero = BigRational::zero;
    let (mut all_area, mut part_area, mut yes_area, mut no_area, mut abst_area) =
        (zero(), zero(), zero(), zero(), zero());
    let mut voted_units = 0usize;
    // Heads in first-seen order: key -> the votes of its units.
    let mut heads: BTreeMap<&str, Vec<(&str, Choice)>> = BTreeMap::new();
    for u in &eligible {
        all_area += &u.area;
        let key = match headcount {
            HeadcountRule::Owner => u.owner.as_str(),
            HeadcountRule::Unit => u.id.as_str(),
        };
        let entry = heads.entry(key).or_default();
        if let Some(c) = votes.choice(&u.id) {
            voted_units += 1;
            part_area += &u.area;
            match c {
                Choice::Yes => yes_area += &u.area,
                Choice::No => no_area += &u.area,
                Choice::Abstain => abst_area += &u.area,
            }
            entry.push((u.id.as_str(), c));
        }
    }
    let (mut part_heads, mut yes_heads, mut no_heads, mut abst_heads) = (0, 0, 0, 0);
    for (key, vs) in &heads {
        let Some(&(_, first)) = vs.first() else {
            continue;
        };
        if vs.iter().any(|&(_, c)| c != first) {
            return Err(ResolutionError::OwnerSplit {
                owner: (*key).to_owned(),
                votes: vs.iter().map(|&(u, c)| (u.to_owned(), c)).collect(),
            });
        }
        part_heads += 1;
        match first {
            Choice::Yes => yes_heads += 1,
            Choice::No => no_heads += 1,
            Choice::Abstain => abst_heads += 1,
        }
    }
    let all_heads = heads.len();

    let participation = Shares {
        area: share(&part_area, &all_area),
        headcount: count_share(part_heads, all_heads),
    };
    let approval = Shares {
        area: share(&yes_area, &part_area),
        headcount: count_share(yes_heads, part_heads),
    };
    let support = Shares {
        area: share(&yes_area, &all_area),
        headcount: count_share(yes_heads, all_heads),
    };
    let check = |c: Condition| {
        let shares = match c.base {
            Base::Participation => &participation,
            Base::Approval => &approval,
            Base::Support => &support,
        };
        let value = match c.measure {
            Measure::Area => shares.area.clone(),
            Measure::Headcount => shares.headcount.clone(),
        };
        let met = c.cmp.holds(&value.0, &c.threshold.0);
        Check {
            condition: c,
            value,
            met,
        }
    };
    let quorum: Vec<Check> = rule.quorum().into_iter().map(check).collect();
    let pass: Vec<Check> = rule.pass().into_iter().map(check).collect();
    let quorum_met = quorum.iter().all(|c| c.met);
    let passed = quorum_met && pass.iter().all(|c| c.met);
    Ok(Resolution {
        rule: rule.name().to_owned(),
        headcount_rule: headcount.as_str(),
        building,
        quorum_met,
        passed,
        totals: Totals {
            eligible_units: eligible.len(),
            eligible_heads: all_heads,
            eligible_area_m2: decimal_string(&all_area),
            voted_units,
            participating_heads: part_heads,
            participating_area_m2: decimal_string(&part_area),
            yes_heads,
            yes_area_m2: decimal_string(&yes_area),
            no_heads,
            no_area_m2: decimal_string(&no_area),
            abstain_heads: abst_heads,
            abstain_area_m2: decimal_string(&abst_area),
        },
        participation,
        approval,
        support,
        quorum,
        pass,
    })
}

impl Resolution {
    /// A short text account of the decision in English or Chinese.
    pub fn render(&self, lang: crate::Lang) -> String {
        use std::fmt::Write as _;
        let en = lang == crate::Lang::En;
        let mut out = String::new();
        let t = &self.totals;
        let _ = if en {
            writeln!(
                out,
                "Rule {} (headcount by {}): {} of {} heads took part, holding {} of {} m².",
                self.rule,
                self.headcount_rule,
                t.participating_heads,
                t.eligible_heads,
                t.participating_area_m2,
                t.eligible_area_m2
            )
        } else {
            writeln!(
                out,
                "规则 {}（人数按{}计）：{} 人中 {} 人参与表决，专有面积 {} m² 中 {} m² 参与。",
                self.rule,
                if self.headcount_rule == "owner" {
                    "业主"
                } else {
                    "户"
                },
                t.eligible_heads,
                t.participating_heads,
                t.eligible_area_m2,
                t.participating_area_m2
            )
        };
        let _ = if en {
            writeln!(
                out,
                "Yes {} heads / {} m²; no {} / {} m²; abstain {} / {} m².",
                t.yes_heads,
                t.yes_area_m2,
                t.no_heads,
                t.no_area_m2,
                t.abstain_heads,
                t.abstain_area_m2
            )
        } else {
            writeln!(
                out,
                "同意 {} 人 / {} m²；反对 {} 人 / {} m²；弃权 {} 人 / {} m²。",
                t.yes_heads,
                t.yes_area_m2,
                t.no_heads,
                t.no_area_m2,
                t.abstain_heads,
                t.abstain_area_m2
            )
        };
        for (stage, checks) in [("quorum", &self.quorum), ("pass", &self.pass)] {
            for c in checks.iter() {
                let base = match (c.condition.base, en) {
                    (Base::Participation, true) => "participation",
                    (Base::Approval, true) => "yes of those taking part",
                    (Base::Support, true) => "yes of all eligible",
                    (Base::Participation, false) => "参与率",
                    (Base::Approval, false) => "参与者中同意的比例",
                    (Base::Support, false) => "全体中同意的比例",
                };
                let measure = match (c.condition.measure, en) {
                    (Measure::Area, true) => "area",
                    (Measure::Headcount, true) => "headcount",
                    (Measure::Area, false) => "面积",
                    (Measure::Headcount, false) => "人数",
                };
                let cmp = match (c.condition.cmp, en) {
                    (Cmp::AtLeast, true) => "at least",
                    (Cmp::MoreThan, true) => "more than",
                    (Cmp::AtLeast, false) => "不少于",
                    (Cmp::MoreThan, false) => "超过",
                };
                let stage = match (stage, en) {
                    ("quorum", true) => "Quorum",
                    (_, true) => "Pass",
                    ("quorum", false) => "参与条件",
                    (_, false) => "通过条件",
                };
                let _ = writeln!(
                    out,
                    "{stage}: {base} ({measure}) {} {cmp} {}: {}",
                    c.value,
                    c.condition.threshold,
                    match (c.met, en) {
                        (true, true) => "met",
                        (false, true) => "not met",
                        (true, false) => "满足",
                        (false, false) => "不满足",
                    }
                );
            }
        }
        let _ = match (self.passed, en) {
            (true, true) => writeln!(out, "Passed."),
            (false, true) => writeln!(out, "Not passed."),
            (true, false) => writeln!(out, "通过。"),
            (false, false) => writeln!(out, "未通过。"),
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An electorate of `n` units, one owner each, with the given areas.
    fn electorate(areas: &[&str]) -> Electorate {
        let mut text = String::from("unit,building,area_m2,owner\n");
        for (i, a) in areas.iter().enumerate() {
            text.push_str(&format!(
                "u{i},{},{a},o{i}\n",
                if i % 2 == 0 { "A" } else { "B" }
            ));
        }
        Electorate::parse_csv(&text).unwrap()
    }

    fn votes(e: &Electorate, v: &[(usize, Choice)]) -> Votes {
        Votes::new(e, v.iter().map(|&(i, c)| (format!("u{i}"), c))).unwrap()
    }

    use Choice::{Abstain as A, No as N, Yes as Y};

    #[test]
    fn exactly_two_thirds_participation_is_a_quorum() {
        // 3 equal units: 2 voting is exactly 2/3 of area and heads.
        let e = electorate(&["50.5", "50.5", "50.5"]);
        let r = evaluate(
            &Rule::Art278Ordinary,
            &e,
            &votes(&e, &[(0, Y), (1, Y)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.participation.area.to_string(), "2/3");
        assert_eq!(r.participation.headcount.to_string(), "2/3");
        assert!(r.quorum_met);
        assert!(r.passed);
        // A hair below 2/3 by area (the voters hold 0.01 m² less): no quorum.
        let e = electorate(&["50.50", "50.49", "50.51"]);
        let r = evaluate(
            &Rule::Art278Ordinary,
            &e,
            &votes(&e, &[(0, Y), (1, Y)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.participation.area.to_string(), "10099/15150");
        assert!(!r.quorum_met);
        assert!(!r.passed);
        // A hair above: quorum.
        let e = electorate(&["50.50", "50.51", "50.49"]);
        let r = evaluate(
            &Rule::Art278Ordinary,
            &e,
            &votes(&e, &[(0, Y), (1, Y)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert!(r.quorum_met);
    }

    #[test]
    fn two_thirds_by_headcount_on_both_sides() {
        // 6 equal units; area participation is the same as headcount here.
        let e = electorate(&["10"; 6]);
        let four = votes(&e, &[(0, Y), (1, Y), (2, Y), (3, Y)]);
        let three = votes(&e, &[(0, Y), (1, Y), (2, Y)]);
        let r4 = evaluate(&Rule::Art278Major, &e, &four, HeadcountRule::Unit).unwrap();
        assert_eq!(r4.participation.headcount.to_string(), "2/3");
        assert!(r4.quorum_met && r4.passed);
        let r3 = evaluate(&Rule::Art278Major, &e, &three, HeadcountRule::Unit).unwrap();
        assert!(!r3.quorum_met && !r3.passed);
    }

    #[test]
    fn exactly_three_quarters_passes_a_major_matter() {
        // 4 equal units all voting: 3 yes = exactly 3/4 of area and heads.
        let e = electorate(&["80", "80", "80", "80"]);
        let r = evaluate(
            &Rule::Art278Major,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, Y), (3, N)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.approval.area.to_string(), "3/4");
        assert_eq!(r.approval.headcount.to_string(), "3/4");
        assert!(r.passed);
        // An abstention counts as taking part without agreeing: 3/4 still, then below.
        let r = evaluate(
            &Rule::Art278Major,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, Y), (3, A)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert!(r.passed);
        // Just below 3/4 by area: the "no" unit is 0.01 m² larger.
        let e = electorate(&["80", "80", "79.99", "80.01"]);
        let r = evaluate(
            &Rule::Art278Major,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, Y), (3, N)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.approval.headcount.to_string(), "3/4");
        assert!(!r.passed, "{:?}", r.approval);
        // Just above by area: passes.
        let e = electorate(&["80", "80", "80.01", "79.99"]);
        let r = evaluate(
            &Rule::Art278Major,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, Y), (3, N)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert!(r.passed);
        // 2 of 3 yes by headcount (< 3/4) fails even with 3/4 of the area.
        let e = electorate(&["50", "25", "25"]);
        let r = evaluate(
            &Rule::Art278Major,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, N)]),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.approval.area.to_string(), "3/4");
        assert!(!r.passed);
    }

    #[test]
    fn exactly_half_does_not_pass_an_ordinary_matter() {
        let e = electorate(&["10", "10", "10", "10"]);
        let half = votes(&e, &[(0, Y), (1, Y), (2, N), (3, A)]);
        let r = evaluate(&Rule::Art278Ordinary, &e, &half, HeadcountRule::Owner).unwrap();
        assert_eq!(r.approval.headcount.to_string(), "1/2");
        assert!(r.quorum_met && !r.passed);
        let more = votes(&e, &[(0, Y), (1, Y), (2, Y), (3, A)]);
        assert!(
            evaluate(&Rule::Art278Ordinary, &e, &more, HeadcountRule::Owner)
                .unwrap()
                .passed
        );
    }

    #[test]
    fn building_two_thirds_is_more_than() {
        // Building A holds u0, u2, u4 (even indices) of 6 units.
        let e = electorate(&["10"; 6]);
        let rule = Rule::BuildingTwoThirds("A".into());
        let exactly = votes(&e, &[(0, Y), (2, Y), (4, N), (1, Y), (3, Y)]);
        let r = evaluate(&rule, &e, &exactly, HeadcountRule::Unit).unwrap();
        assert_eq!(r.support.headcount.to_string(), "2/3");
        assert_eq!(r.totals.eligible_units, 3);
        assert!(r.quorum_met && !r.passed);
        let all = votes(&e, &[(0, Y), (2, Y), (4, Y)]);
        assert!(
            evaluate(&rule, &e, &all, HeadcountRule::Unit)
                .unwrap()
                .passed
        );
        assert_eq!(
            evaluate(
                &Rule::BuildingTwoThirds("Z".into()),
                &e,
                &all,
                HeadcountRule::Unit
            ),
            Err(ResolutionError::UnknownBuilding("Z".into()))
        );
    }

    #[test]
    fn support_ten_percent_is_at_least() {
        let e = electorate(&["10"; 20]);
        let two = votes(&e, &[(0, Y), (1, Y), (2, N)]);
        let r = evaluate(&Rule::Support10, &e, &two, HeadcountRule::Owner).unwrap();
        assert_eq!(r.support.headcount.to_string(), "1/10");
        assert!(r.passed);
        let one = votes(&e, &[(0, Y), (1, N)]);
        assert!(
            !evaluate(&Rule::Support10, &e, &one, HeadcountRule::Owner)
                .unwrap()
                .passed
        );
    }

    #[test]
    fn owner_counts_once_and_must_agree() {
        let e =
            Electorate::parse_csv("unit,building,area_m2,owner\na,1,10,o1\nb,1,10,o1\nc,1,10,o2\n")
                .unwrap();
        let v = Votes::new(&e, [("a".into(), Y), ("b".into(), Y)]).unwrap();
        let r = evaluate(&Rule::Art278Ordinary, &e, &v, HeadcountRule::Owner).unwrap();
        assert_eq!(r.participation.headcount.to_string(), "1/2");
        assert_eq!(r.participation.area.to_string(), "2/3");
        let r = evaluate(&Rule::Art278Ordinary, &e, &v, HeadcountRule::Unit).unwrap();
        assert_eq!(r.participation.headcount.to_string(), "2/3");
        let split = Votes::new(&e, [("a".into(), Y), ("b".into(), N)]).unwrap();
        let err = evaluate(&Rule::Art278Ordinary, &e, &split, HeadcountRule::Owner).unwrap_err();
        assert!(err.to_string().contains("owner \"o1\""), "{err}");
        assert!(evaluate(&Rule::Art278Ordinary, &e, &split, HeadcountRule::Unit).is_ok());
    }

    #[test]
    fn custom_rules_parse_and_apply() {
        let rule = Rule::parse(
            "custom",
            None,
            Some("area>=2/3,headcount>=2/3"),
            Some("area>1/2, headcount ≥ 50%"),
        )
        .unwrap();
        assert_eq!(rule.quorum().len(), 2);
        assert_eq!(rule.pass()[1].cmp, Cmp::AtLeast);
        assert_eq!(rule.pass()[1].threshold.to_string(), "1/2");
        let e = electorate(&["10"; 4]);
        let r = evaluate(
            &rule,
            &e,
            &votes(&e, &[(0, Y), (1, Y), (2, N)]),
            HeadcountRule::Unit,
        )
        .unwrap();
        assert!(r.quorum_met && r.passed);
        assert!(Rule::parse("custom", None, None, None).is_err());
        assert!(Rule::parse("custom", None, None, Some("volume>1/2")).is_err());
        assert!(Rule::parse("custom", None, None, Some("area>3/2")).is_err());
        assert!(Rule::parse("custom", None, None, Some("area=1/2")).is_err());
        assert!(Rule::parse("art278-major", None, Some("area>=1/2"), None).is_err());
        assert!(Rule::parse("building-two-thirds", None, None, None).is_err());
        assert!(Rule::parse("art278-minor", None, None, None).is_err());
    }

    #[test]
    fn custom_at_exactly_two_thirds_and_three_quarters() {
        // 12 equal units: 8 voting is exactly 2/3 participation; 6 yes of 8 is exactly 3/4.
        let e = electorate(&["7.25"; 12]);
        let v = votes(
            &e,
            &[
                (0, Y),
                (1, Y),
                (2, Y),
                (3, Y),
                (4, Y),
                (5, Y),
                (6, N),
                (7, A),
            ],
        );
        let run = |q: &str, p: &str| {
            let rule = Rule::parse("custom", None, Some(q), Some(p)).unwrap();
            let r = evaluate(&rule, &e, &v, HeadcountRule::Owner).unwrap();
            (r.quorum_met, r.passed)
        };
        assert_eq!(
            run("area>=2/3,headcount>=2/3", "area>=3/4,headcount>=3/4"),
            (true, true)
        );
        assert_eq!(run("area>2/3", "area>=3/4"), (false, false));
        assert_eq!(run("headcount>2/3", "area>=3/4"), (false, false));
        assert_eq!(run("area>=2/3", "area>3/4"), (true, false));
        assert_eq!(run("area>=2/3", "headcount>3/4"), (true, false));
        assert_eq!(run("area>=0.6666", "headcount>=75%"), (true, true));
        assert_eq!(run("area>=0.6667", "headcount>=75%"), (false, false));
    }

    #[test]
    fn votes_csv_errors_name_lines() {
        let e = electorate(&["10"; 3]);
        let err = Votes::parse_csv("unit,choice\nu0,yes\nu9,no\n", &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: unit \"u9\" is not in the electorate"
        );
        let err = Votes::parse_csv("unit,choice\nu0,yes\nu0,no\n", &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: unit \"u0\" already voted on line 2"
        );
        let err = Votes::parse_csv("unit,choice\nu0,maybe\n", &e).unwrap_err();
        assert!(err.to_string().starts_with("line 2:"));
        assert!(Votes::parse_csv("unit,vote\n", &e).is_err());
        let v = Votes::parse_csv("unit,choice\nu0,同意\nu1,ABSTAIN\n", &e).unwrap();
        assert_eq!(v.choice("u1"), Some(Choice::Abstain));
    }

    #[test]
    fn votes_read_unit_ids_normalised() {
        let e =
            Electorate::parse_csv("unit,building,area_m2,owner\n1-101,1,60,o1\n1-102,1,40,o2\n")
                .unwrap();
        // Full-width hyphen and digits, as a Chinese input method writes them.
        let v = Votes::parse_csv("unit,choice\n1－101,yes\n１-１０２,no\n", &e).unwrap();
        assert_eq!(v.choice("1-101"), Some(Choice::Yes));
        assert_eq!(v.choice("1－102"), Some(Choice::No));
        let r = evaluate(&Rule::Art278Ordinary, &e, &v, HeadcountRule::Unit).unwrap();
        assert_eq!(r.totals.voted_units, 2);
        // The same unit twice, spelled two ways: both lines and spellings named.
        let err = Votes::parse_csv("unit,choice\n1-101,yes\n1－101,no\n", &e).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: unit \"1－101\" already voted on line 2 (written \"1-101\" there; both are \"1-101\" once full-width characters are read as half-width)"
        );
        let err = Votes::new(
            &e,
            [("1-102".into(), Choice::Yes), ("1－102".into(), Choice::No)],
        )
        .unwrap_err();
        assert_eq!(err, ResolutionError::DuplicateVote("1－102".into()));
        let v = Votes::new(&e, [("1－101".into(), Choice::Abstain)]).unwrap();
        assert_eq!(v.choice("1-101"), Some(Choice::Abstain));
    }

    #[test]
    fn nobody_voting_gives_zero_shares() {
        let e = electorate(&["10"; 3]);
        let r = evaluate(
            &Rule::Art278Ordinary,
            &e,
            &Votes::default(),
            HeadcountRule::Owner,
        )
        .unwrap();
        assert_eq!(r.participation.area.to_string(), "0/1");
        assert_eq!(r.approval.headcount.to_string(), "0/1");
        assert!(!r.quorum_met && !r.passed);
    }

    #[test]
    fn wire_forms_read_back() {
        let f: Fraction = serde_json::from_str(r#""659/800""#).unwrap();
        assert_eq!(f, frac(659, 800));
        assert_eq!(serde_json::to_string(&f).unwrap(), r#""659/800""#);
        // Read in lowest terms, as written.
        assert_eq!(
            serde_json::from_str::<Fraction>(r#""2/4""#).unwrap(),
            frac(1, 2)
        );
        assert_eq!(
            serde_json::from_str::<Fraction>(r#""0""#).unwrap(),
            frac(0, 1)
        );
        assert!((frac(2, 3).to_f64() - 2.0 / 3.0).abs() < 1e-15);
        for bad in [r#""1/0""#, r#""a/b""#, r#""""#, "0.5"] {
            assert!(serde_json::from_str::<Fraction>(bad).is_err(), "{bad}");
        }
        for c in [Choice::Yes, Choice::No, Choice::Abstain] {
            let text = serde_json::to_string(&c).unwrap();
            assert_eq!(text, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Choice>(&text).unwrap(), c);
        }
        for h in [HeadcountRule::Owner, HeadcountRule::Unit] {
            let text = serde_json::to_string(&h).unwrap();
            assert_eq!(text, format!("\"{}\"", h.as_str()));
            assert_eq!(serde_json::from_str::<HeadcountRule>(&text).unwrap(), h);
        }
        let check = Check {
            condition: cond(Base::Participation, Measure::Area, Cmp::AtLeast, 2, 3),
            value: frac(3, 4),
            met: true,
        };
        let text = serde_json::to_string(&check).unwrap();
        assert_eq!(
            text,
            r#"{"base":"participation","measure":"area","cmp":">=","threshold":"2/3","value":"3/4","met":true}"#
        );
        assert_eq!(serde_json::from_str::<Check>(&text).unwrap(), check);
    }
}
