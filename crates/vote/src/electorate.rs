//! The electorate: units with their building, exclusive floor area and owner.
//!
//! Areas are parsed from decimal text straight into exact rationals (never through `f64`), so a
//! sum of areas compared with 2/3 of the total is exact to the last digit.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

/// A unit id as the electorate keeps it: NFKC-normalised (Unicode compatibility composition)
/// and trimmed, so the full-width `１－１０１` or `1－101` typed with a Chinese input method is
/// the unit `1-101`. Every unit id read (electorate, votes, lookups) goes through this.
///
/// # Examples
/// ```
/// use plotwise_vote::electorate::normalize_unit_id;
/// assert_eq!(normalize_unit_id("1－101"), "1-101");
/// assert_eq!(normalize_unit_id("\u{3000}３－２０１ "), "3-201");
/// assert_eq!(normalize_unit_id("甲-1"), "甲-1");
/// ```
pub fn normalize_unit_id(id: &str) -> String {
    let id = id.trim();
    if id.is_ascii() {
        return id.to_owned();
    }
    let n: String = id.nfkc().collect();
    n.trim().to_owned()
}

/// A unit id as given, or normalised when it needs it (no allocation for ASCII ids).
fn normalized(id: &str) -> std::borrow::Cow<'_, str> {
    if id.is_ascii() && id.trim() == id {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(normalize_unit_id(id))
    }
}

/// One unit (专有部分): a flat, shop or other part with its own exclusive area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The unit's id, unique in the electorate (e.g. `3-201`).
    pub id: String,
    /// The building it is in.
    pub building: String,
    /// Its exclusive floor area in m², exact.
    pub area: BigRational,
    /// Its owner's key; units with the same key have the same owner.
    pub owner: String,
}

/// How heads are counted. Its JSON form is `"owner"` or `"unit"`, as a consultation's settings
/// store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeadcountRule {
    /// One owner counts once, however many units they hold (the Supreme People's Court's
    /// interpretation on building ownership, art. 9).
    #[default]
    Owner,
    /// Every unit counts once.
    Unit,
}

impl HeadcountRule {
    /// `owner` or `unit`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeadcountRule::Owner => "owner",
            HeadcountRule::Unit => "unit",
        }
    }
}

impl FromStr for HeadcountRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(HeadcountRule::Owner),
            "unit" => Ok(HeadcountRule::Unit),
            _ => Err(format!("headcount {s:?}: expected owner or unit")),
        }
    }
}

/// A problem with one line of an electorate, or with the electorate as a whole (line 0).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}{kind}", if *.line > 0 { format!("line {}: ", .line) } else { String::new() })]
pub struct ElectorateError {
    /// The 1-based line (the header is line 1), or 0.
    pub line: usize,
    /// What is wrong.
    pub kind: ElectorateErrorKind,
}

/// What is wrong in an electorate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ElectorateErrorKind {
    /// The CSV itself cannot be read.
    #[error("{0}")]
    Csv(String),
    /// The header is not `unit,building,area_m2,owner`.
    #[error("the header must be unit,building,area_m2,owner (found {0:?})")]
    Header(String),
    /// A row does not have four cells.
    #[error("{0} cells, expected 4 (unit,building,area_m2,owner)")]
    Width(usize),
    /// A required cell is empty.
    #[error("the {0} is empty")]
    Empty(&'static str),
    /// The area is not a positive decimal.
    #[error("area_m2 {0:?} is not a positive decimal number of square metres (e.g. 87.01)")]
    Area(String),
    /// The area has more digits than [`MAX_AREA_DIGITS`] (the count of them).
    #[error(
        "area_m2 has {0} digits, more than the {MAX_AREA_DIGITS} an area can have (e.g. 87.01)"
    )]
    AreaDigits(usize),
    /// A unit id appears twice.
    #[error("unit {unit:?} is listed twice (first on line {first})")]
    Duplicate {
        /// The unit id.
        unit: String,
        /// The line of its first listing.
        first: usize,
    },
    /// Two unit ids written differently are the same id once normalised (full-width and
    /// half-width characters: [`normalize_unit_id`]).
    #[error(
        "unit {written:?} is the same unit as {first_written:?} on line {first} (both are {unit:?} once full-width characters are read as half-width, NFKC)"
    )]
    NormalizedDuplicate {
        /// The id as written on this line.
        written: String,
        /// The id as written on the first line.
        first_written: String,
        /// The line of the first listing.
        first: usize,
        /// The normalised id both become.
        unit: String,
    },
    /// The electorate has no units.
    #[error("the electorate has no units")]
    NoUnits,
}

/// Every problem found in an electorate file, one per bad line, in line order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct ElectorateErrors(pub Vec<ElectorateError>);

impl fmt::Display for ElectorateErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [] => f.write_str("invalid electorate"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(
                f,
                "{first} (and {} more bad line{})",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
        }
    }
}

/// The most digits a decimal area may have, before and after the point together: far more
/// than any measured area needs, and a bound on the exact arithmetic one cell can cost
/// (reading a 100,000-digit area took 14 s; found while fuzzing the electorate reader).
pub const MAX_AREA_DIGITS: usize = 30;

/// Parses a non-negative decimal (`87`, `87.01`) of at most [`MAX_AREA_DIGITS`] digits into
/// an exact rational; `None` otherwise.
///
/// # Examples
/// ```
/// use plotwise_vote::electorate::parse_decimal;
/// let a = parse_decimal("70.59").unwrap();
/// assert_eq!(a.to_string(), "7059/100");
/// assert!(parse_decimal("1e3").is_none());
/// ```
pub fn parse_decimal(s: &str) -> Option<BigRational> {
    let s = s.trim();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (s.contains('.') && !digits(frac)) {
        return None;
    }
    if int.len() + frac.len() > MAX_AREA_DIGITS {
        return None;
    }
    let numer: BigInt = format!("{int}{frac}").parse().ok()?;
    let denom = num_traits::pow(BigInt::from(10u8), frac.len());
    Some(BigRational::new(numer, denom))
}

/// Writes an exact rational as a decimal when it terminates (as sums of decimal areas do),
/// else as `p/q`.
pub fn decimal_string(r: &BigRational) -> String {
    let mut d = r.denom().clone();
    let two = BigInt::from(2u8);
    let five = BigInt::from(5u8);
    let mut twos = 0usize;
    let mut fives = 0usize;
    while (&d % &two).is_zero() {
        d /= &two;
        twos += 1;
    }
    while (&d % &five).is_zero() {
        d /= &five;
        fives += 1;
    }
    if d != BigInt::from(1u8) {
        return format!("{}/{}", r.numer(), r.denom());
    }
    let places = twos.max(fives);
    let scaled = r * BigRational::from_integer(num_traits::pow(BigInt::from(10u8), places));
    let n = scaled.to_integer();
    let neg = n.is_negative();
    let digits = n.abs().to_string();
    let body = if places == 0 {
        digits
    } else {
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (i, f) = padded.split_at(padded.len() - places);
        format!("{i}.{f}")
    };
    if neg { format!("-{body}") } else { body }
}

/// The electorate: units in a fixed order, looked up by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Electorate {
    units: Vec<Unit>,
    by_id: HashMap<String, usize>,
}

impl Electorate {
    /// Builds an electorate; unit ids must be unique once normalised ([`normalize_unit_id`],
    /// which the ids are replaced by) and areas positive.
    pub fn new(mut units: Vec<Unit>) -> Result<Self, ElectorateError> {
        if units.is_empty() {
            return Err(ElectorateError {
                line: 0,
                kind: ElectorateErrorKind::NoUnits,
            });
        }
        for u in &mut units {
            if let std::borrow::Cow::Owned(n) = normalized(&u.id) {
                u.id = n;
            }
        }
        let mut by_id = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if !u.area.is_positive() {
                return Err(ElectorateError {
                    line: 0,
                    kind: ElectorateErrorKind::Area(u.area.to_string()),
                });
            }
            if let Some(first) = by_id.insert(u.id.clone(), i) {
                return Err(ElectorateError {
                    line: 0,
                    kind: ElectorateErrorKind::Duplicate {
                        unit: u.id.clone(),
                        first: first + 1,
                    },
                });
            }
        }
        Ok(Electorate { units, by_id })
    }

    /// Parses the CSV `unit,building,area_m2,owner`, reporting every bad line.
    ///
    /// # Examples
    /// ```
    /// use plotwise_vote::Electorate;
    /// let e = Electorate::parse_csv("unit,building,area_m2,owner\n1-101,1,70.59,O1\n1-102,1,87.01,O1\n").unwrap();
    /// assert_eq!(e.units().len(), 2);
    /// assert_eq!(plotwise_vote::electorate::decimal_string(&e.total_area()), "157.6");
    /// let bad = Electorate::parse_csv("unit,building,area_m2,owner\n1-101,1,-3,O1\n1-101,1,,O2\n").unwrap_err();
    /// assert_eq!(bad.0.len(), 2);
    /// ```
    pub fn parse_csv(text: &str) -> Result<Self, ElectorateErrors> {
        let recs = crate::csv::records(text).map_err(|e| {
            ElectorateErrors(vec![ElectorateError {
                line: e.line,
                kind: ElectorateErrorKind::Csv(e.kind.to_string()),
            }])
        })?;
        let mut errors = Vec::new();
        let Some((hline, head)) = recs.first() else {
            return Err(ElectorateErrors(vec![ElectorateError {
                line: 1,
                kind: ElectorateErrorKind::Header(String::new()),
            }]));
        };
        let head_norm: Vec<String> = head.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
        if head_norm != ["unit", "building", "area_m2", "owner"] {
            return Err(ElectorateErrors(vec![ElectorateError {
                line: *hline,
                kind: ElectorateErrorKind::Header(head.join(",")),
            }]));
        }
        let mut units = Vec::new();
        // Normalised id → (first line, id as written there).
        let mut first_line: BTreeMap<String, (usize, String)> = BTreeMap::new();
        for (line, row) in &recs[1..] {
            let line = *line;
            let mut fail = |kind| errors.push(ElectorateError { line, kind });
            if row.len() != 4 {
                fail(ElectorateErrorKind::Width(row.len()));
                continue;
            }
            let cells: Vec<&str> = row.iter().map(|c| c.trim()).collect();
            let names = ["unit", "building", "area_m2", "owner"];
            if let Some(i) = (0..4).find(|&i| cells[i].is_empty()) {
                fail(ElectorateErrorKind::Empty(names[i]));
                continue;
            }
            let area_digits = cells[2].bytes().filter(u8::is_ascii_digit).count();
            if area_digits > MAX_AREA_DIGITS {
                fail(ElectorateErrorKind::AreaDigits(area_digits));
                continue;
            }
            let area = match parse_decimal(cells[2]) {
                Some(a) if a.is_positive() => a,
                _ => {
                    fail(ElectorateErrorKind::Area(cells[2].to_owned()));
                    continue;
                }
            };
            let id = normalize_unit_id(cells[0]);
            if let Some((first, first_written)) = first_line.get(&id) {
                fail(if first_written == cells[0] {
                    ElectorateErrorKind::Duplicate {
                        unit: id,
                        first: *first,
                    }
                } else {
                    ElectorateErrorKind::NormalizedDuplicate {
                        written: cells[0].to_owned(),
                        first_written: first_written.clone(),
                        first: *first,
                        unit: id,
                    }
                });
                continue;
            }
            first_line.insert(id.clone(), (line, cells[0].to_owned()));
            units.push(Unit {
                id,
                building: cells[1].to_owned(),
                area,
                owner: cells[3].to_owned(),
            });
        }
        if !errors.is_empty() {
            return Err(ElectorateErrors(errors));
        }
        Electorate::new(units).map_err(|e| ElectorateErrors(vec![e]))
    }

    /// The units, in the order given.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The unit with this id (normalised first: `1－101` finds `1-101`).
    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.position(id).map(|i| &self.units[i])
    }

    /// The position of the unit with this id in [`Electorate::units`] (the id normalised
    /// first).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(normalized(id).as_ref()).copied()
    }

    /// The sum of all exclusive areas.
    pub fn total_area(&self) -> BigRational {
        self.units
            .iter()
            .fold(BigRational::zero(), |acc, u| acc + &u.area)
    }

    /// The number of heads under a headcount rule.
    pub fn headcount(&self, rule: HeadcountRule) -> usize {
        match rule {
            HeadcountRule::Unit => self.units.len(),
            HeadcountRule::Owner => self
                .units
                .iter()
                .map(|u| u.owner.as_str())
                .collect::<std::collections::HashSet<_>>()
                .len(),
        }
    }

    /// The buildings, sorted.
    pub fn buildings(&self) -> Vec<&str> {
        let mut b: Vec<&str> = self.units.iter().map(|u| u.building.as_str()).collect();
        b.sort_unstable();
        b.dedup();
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../../tests/fixtures/zhengwen-electorate.csv");

    #[test]
    fn decimals_are_exact() {
        assert_eq!(
            parse_decimal("0.1").unwrap() + parse_decimal("0.2").unwrap(),
            parse_decimal("0.3").unwrap()
        );
        assert_eq!(
            parse_decimal("120").unwrap(),
            BigRational::from_integer(120.into())
        );
        for bad in ["", ".5", "5.", "1e2", "-1", "1,5", "0x10", " 1 2"] {
            assert!(parse_decimal(bad).is_none(), "{bad}");
        }
        assert_eq!(decimal_string(&parse_decimal("0070.590").unwrap()), "70.59");
        assert_eq!(decimal_string(&parse_decimal("12").unwrap()), "12");
        assert_eq!(decimal_string(&BigRational::new(1.into(), 3.into())), "1/3");
        assert_eq!(
            decimal_string(&BigRational::new((-1).into(), 20.into())),
            "-0.05"
        );
    }

    #[test]
    fn fixture_loads() {
        let e = Electorate::parse_csv(FIXTURE).unwrap();
        assert_eq!(e.units().len(), 324);
        assert_eq!(e.buildings().len(), 27);
        // O0012 holds 1-601 and 1-602, so owners are fewer than units.
        assert!(e.headcount(HeadcountRule::Owner) < e.headcount(HeadcountRule::Unit));
        assert_eq!(e.unit("1-602").unwrap().owner, "O0012");
    }

    #[test]
    fn one_error_per_bad_line() {
        let text = "unit,building,area_m2,owner\n\
                    a,1,10.5,o1\n\
                    b,1,ten,o2\n\
                    a,1,3,o3\n\
                    c,1,3\n\
                    d,,3,o4\n\
                    e,1,0,o5\n";
        let errs = Electorate::parse_csv(text).unwrap_err().0;
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert_eq!(
            errs[1].kind,
            ElectorateErrorKind::Duplicate {
                unit: "a".into(),
                first: 2
            }
        );
        assert!(
            ElectorateErrors(errs)
                .to_string()
                .starts_with("line 3: area_m2 \"ten\"")
        );
    }

    #[test]
    fn full_width_ids_are_the_same_unit() {
        // 1－101 (full-width hyphen from a Chinese input method) is 1-101: a collision names
        // both lines and both spellings.
        let text = "unit,building,area_m2,owner\n1-101,1,70.59,O1\n1－101,1,70.59,O2\n";
        let errs = Electorate::parse_csv(text).unwrap_err().0;
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3);
        assert_eq!(
            errs[0].kind,
            ElectorateErrorKind::NormalizedDuplicate {
                written: "1－101".into(),
                first_written: "1-101".into(),
                first: 2,
                unit: "1-101".into(),
            }
        );
        let msg = errs[0].to_string();
        assert!(
            msg.starts_with("line 3: unit \"1－101\" is the same unit as \"1-101\" on line 2"),
            "{msg}"
        );
        // Full-width digits too; ids are kept normalised and found either way.
        let e = Electorate::parse_csv("unit,building,area_m2,owner\n３－２０１,3,80,O3\n").unwrap();
        assert_eq!(e.units()[0].id, "3-201");
        assert_eq!(e.unit("3-201").unwrap().owner, "O3");
        assert_eq!(e.unit("3－201").unwrap().owner, "O3");
        assert_eq!(e.position("３－２０１"), Some(0));
        assert!(e.unit("3-202").is_none());
        // The same spelling twice is the plain duplicate error, as before.
        let errs = Electorate::parse_csv("unit,building,area_m2,owner\na,1,1,o\na,1,1,o\n")
            .unwrap_err()
            .0;
        assert_eq!(
            errs[0].kind,
            ElectorateErrorKind::Duplicate {
                unit: "a".into(),
                first: 2
            }
        );
        // Built from units: normalised too, and a collision refused.
        let unit = |id: &str| Unit {
            id: id.into(),
            building: "1".into(),
            area: BigRational::from_integer(10.into()),
            owner: "o".into(),
        };
        assert_eq!(
            Electorate::new(vec![unit("1－1")]).unwrap().units()[0].id,
            "1-1"
        );
        assert!(matches!(
            Electorate::new(vec![unit("1-1"), unit("1－1")])
                .unwrap_err()
                .kind,
            ElectorateErrorKind::Duplicate { .. }
        ));
    }

    #[test]
    fn header_is_required() {
        let e = Electorate::parse_csv("id,b,area,owner\nx,1,2,o\n").unwrap_err();
        assert_eq!(e.0[0].line, 1);
        assert!(Electorate::parse_csv("unit,building,area_m2,owner\n").is_err());
    }
}
