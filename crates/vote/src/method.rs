//! Counting methods: plurality, approval, score, Borda, instant-runoff and Schulze.
//!
//! Each method returns an [`Outcome`]: every tied winner, in the order of the alternatives, and
//! an [`Explanation`] with the numbers behind it (scores, rounds, matrices). Ties are never
//! broken here; see [`crate::tiebreak`].
//!
//! The conventions follow the reference implementations (pref_voting, preflibtools), so results
//! can be compared:
//! - plurality: a ballot whose first place is a tie gives a full point to each tied
//!   alternative; [`Explanation::Plurality::tied_first_ballots`] counts such ballots;
//! - instant-runoff: each round, every alternative tied for the fewest votes is eliminated at
//!   once; a ballot counts for its highest-ranked alternatives still in the race (a tie there
//!   gives each a full vote); a ballot with none left is exhausted; when a round would eliminate
//!   everyone still in the race, they are the tied winners;
//! - Borda: with m alternatives the first of a strict order scores m−1 and the last 0; a tied
//!   group, and the unranked rest, share the average of the positions they span;
//! - Schulze: a ranked alternative is preferred to an unranked one; the pairwise margins are
//!   the edges (only positive margins), a path is as strong as its weakest margin, and an
//!   alternative wins when no other has a stronger path to it than it has back (pref_voting's
//!   `beat_path` with its default margin strength).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::ballot::{Approval, Profile, Ranking, Scores};

/// A counting method. Its JSON form is its name (`"irv"`), as a consultation's settings store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Most first places.
    Plurality,
    /// Most approvals.
    Approval,
    /// Highest total score.
    Score,
    /// Highest Borda count.
    Borda,
    /// Instant-runoff (ranked choice, alternative vote).
    Irv,
    /// Schulze (beat path).
    Schulze,
}

/// The kind of ballot a method counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotKind {
    /// Rankings with ties ([`Ranking`]).
    Ranked,
    /// Approval sets ([`Approval`]).
    Approval,
    /// Integer scores ([`Scores`]).
    Score,
}

impl BallotKind {
    /// `ranked`, `approval` or `score`.
    pub fn as_str(self) -> &'static str {
        match self {
            BallotKind::Ranked => "ranked",
            BallotKind::Approval => "approval",
            BallotKind::Score => "score",
        }
    }
}

impl fmt::Display for BallotKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Method {
    /// Every method, in the order of DESIGN.md.
    pub const ALL: [Method; 6] = [
        Method::Plurality,
        Method::Approval,
        Method::Score,
        Method::Borda,
        Method::Irv,
        Method::Schulze,
    ];

    /// The method's name on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Plurality => "plurality",
            Method::Approval => "approval",
            Method::Score => "score",
            Method::Borda => "borda",
            Method::Irv => "irv",
            Method::Schulze => "schulze",
        }
    }

    /// The kind of ballot the method counts.
    pub fn ballot_kind(self) -> BallotKind {
        match self {
            Method::Approval => BallotKind::Approval,
            Method::Score => BallotKind::Score,
            _ => BallotKind::Ranked,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown method name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown method {0:?} (expected plurality, approval, score, borda, irv or schulze)")]
pub struct UnknownMethod(pub String);

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| UnknownMethod(s.to_owned()))
    }
}

/// A method asked to count ballots of the wrong kind.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{method} counts {} ballots, not {given} ballots", method.ballot_kind())]
pub struct WrongBallotKind {
    /// The method asked for.
    pub method: Method,
    /// The kind of the ballots given.
    pub given: BallotKind,
}

/// A profile of whichever kind of ballot: what [`count`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyProfile {
    /// Ranked ballots (plurality, Borda, instant-runoff, Schulze).
    Ranked(Profile<Ranking>),
    /// Approval ballots.
    Approval(Profile<Approval>),
    /// Score ballots.
    Scores(Profile<Scores>),
}

impl AnyProfile {
    /// The kind of its ballots.
    pub fn kind(&self) -> BallotKind {
        match self {
            AnyProfile::Ranked(_) => BallotKind::Ranked,
            AnyProfile::Approval(_) => BallotKind::Approval,
            AnyProfile::Scores(_) => BallotKind::Score,
        }
    }
}

/// The result of a count: every tied winner and how they were found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The method used.
    pub method: Method,
    /// The alternatives' names; the explanation's vectors follow this order.
    pub alternatives: Vec<String>,
    /// The number of ballots counted.
    pub voters: u64,
    /// The winners' indices, ascending: every tied winner.
    #[serde(skip)]
    pub winner_indices: Vec<usize>,
    /// The winners' names, in the order of `alternatives`.
    pub winners: Vec<String>,
    /// The numbers behind the result.
    pub explanation: Explanation,
}

impl Outcome {
    fn new(
        method: Method,
        alternatives: &[String],
        voters: u64,
        winner_indices: Vec<usize>,
        explanation: Explanation,
    ) -> Self {
        Outcome {
            method,
            alternatives: alternatives.to_vec(),
            voters,
            winners: winner_indices
                .iter()
                .map(|&i| alternatives[i].clone())
                .collect(),
            winner_indices,
            explanation,
        }
    }

    /// True when more than one alternative is tied for the win.
    pub fn is_tie(&self) -> bool {
        self.winner_indices.len() > 1
    }
}

/// A Borda count, stored doubled so halves stay exact; serialized as a decimal string
/// (`"12.5"`, `"12"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfPoints(pub u128);

impl fmt::Display for HalfPoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

impl Serialize for HalfPoints {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for HalfPoints {
    type Err = String;

    /// A whole number or one with `.5` (`"12"`, `"12.5"`), as [`HalfPoints`] prints.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("Borda points {s:?}: expected a whole number or one ending in .5");
        let (whole, half) = match s.split_once('.') {
            None => (s, 0),
            Some((w, "5")) => (w, 1),
            Some(_) => return Err(bad()),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        whole
            .parse::<u128>()
            .ok()
            .and_then(|w| w.checked_mul(2)?.checked_add(half))
            .map(HalfPoints)
            .ok_or_else(bad)
    }
}

impl<'de> Deserialize<'de> for HalfPoints {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl HalfPoints {
    /// The points as a float (for drawing; the exact value is the decimal text).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 2.0
    }
}

/// One round of instant-runoff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IrvRound {
    /// Votes per alternative this round; `None` for those already eliminated.
    pub votes: Vec<Option<u64>>,
    /// Ballots with no alternative left in the race.
    pub exhausted: u64,
    /// Alternatives eliminated at the end of this round (tied for the fewest votes).
    pub eliminated: Vec<usize>,
    /// True when everyone still in the race is tied: they are the winners and nobody is
    /// eliminated.
    pub all_tied: bool,
}

/// The numbers behind an [`Outcome`], per method. Vectors follow the alternatives' order. Its
/// JSON form (`{"kind": "irv", "rounds": [...]}`) is what the server's results carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Explanation {
    /// Plurality.
    Plurality {
        /// First-place points per alternative.
        scores: Vec<u64>,
        /// Ballots whose first place was a tie (each tied alternative got a full point).
        tied_first_ballots: u64,
        /// Ballots that ranked nobody.
        empty_ballots: u64,
    },
    /// Approval.
    Approval {
        /// Approvals per alternative.
        scores: Vec<u64>,
    },
    /// Score voting.
    Score {
        /// Total score per alternative.
        #[serde(deserialize_with = "wide_totals")]
        totals: Vec<i128>,
    },
    /// Borda.
    Borda {
        /// Borda count per alternative.
        scores: Vec<HalfPoints>,
    },
    /// Instant-runoff, round by round.
    Irv {
        /// The rounds, first to last.
        rounds: Vec<IrvRound>,
    },
    /// Schulze.
    Schulze {
        /// `margins[a][b]`: voters preferring a to b minus voters preferring b to a.
        margins: Vec<Vec<i64>>,
        /// `strengths[a][b]`: the strength of the strongest path from a to b (`None`: no path
        /// of positive margins, and on the diagonal).
        strengths: Vec<Vec<Option<i64>>>,
    },
}

/// Reads score totals. A tagged enum is read through serde's buffer, which has no 128-bit
/// integers, so each total is read as whichever 64-bit integer it fits (every real total does:
/// scores are bounded by the server, voters by [`crate::MAX_VOTERS`]).
fn wide_totals<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<i128>, D::Error> {
    struct Wide(i128);
    impl<'de> Deserialize<'de> for Wide {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Wide;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an integer total")
                }
                fn visit_i64<E>(self, v: i64) -> Result<Wide, E> {
                    Ok(Wide(v.into()))
                }
                fn visit_u64<E>(self, v: u64) -> Result<Wide, E> {
                    Ok(Wide(v.into()))
                }
                fn visit_i128<E>(self, v: i128) -> Result<Wide, E> {
                    Ok(Wide(v))
                }
            }
            d.deserialize_any(V)
        }
    }
    Ok(Vec::<Wide>::deserialize(d)?
        .into_iter()
        .map(|w| w.0)
        .collect())
}

/// Indices of the maxima of `v` (all of them when `v` is all equal).
fn argmax<T: Ord + Copy>(v: &[T]) -> Vec<usize> {
    match v.iter().max() {
        Some(&best) => (0..v.len()).filter(|&i| v[i] == best).collect(),
        None => Vec::new(),
    }
}

/// Counts `ballots` by `method`: the one dispatch from a method to its count, used by the
/// command line, the server and the tests. The ballots must be of the method's kind
/// ([`Method::ballot_kind`]).
///
/// # Examples
/// ```
/// use plotwise_vote::{count, AnyProfile, Method, Profile, Ranking};
/// let names = vec!["garden".to_string(), "parking".to_string()];
/// let b = |o: &[usize]| Ranking::strict(o, 2).unwrap();
/// let p = AnyProfile::Ranked(Profile::from_ballots(names, vec![b(&[1, 0]), b(&[1])]).unwrap());
/// assert_eq!(count(Method::Schulze, &p).unwrap().winners, vec!["parking"]);
/// assert!(count(Method::Approval, &p).is_err());
/// ```
pub fn count(method: Method, ballots: &AnyProfile) -> Result<Outcome, WrongBallotKind> {
    Ok(match (method, ballots) {
        (Method::Approval, AnyProfile::Approval(p)) => approval(p),
        (Method::Score, AnyProfile::Scores(p)) => score(p),
        (_, AnyProfile::Ranked(p)) => count_ranked(method, p)?,
        _ => {
            return Err(WrongBallotKind {
                method,
                given: ballots.kind(),
            });
        }
    })
}

/// Counts a ranked profile with a ranked method.
pub fn count_ranked(method: Method, p: &Profile<Ranking>) -> Result<Outcome, WrongBallotKind> {
    Ok(match method {
        Method::Plurality => plurality(p),
        Method::Borda => borda(p),
        Method::Irv => instant_runoff(p),
        Method::Schulze => schulze(p),
        Method::Approval | Method::Score => {
            return Err(WrongBallotKind {
                method,
                given: BallotKind::Ranked,
            });
        }
    })
}

/// Plurality: the most first places; a tie for first gives each tied alternative a point.
///
/// # Examples
/// ```
/// use plotwise_vote::{plurality, Profile, Ranking};
/// let names = vec!["garden".to_string(), "parking".to_string()];
/// let b = |o: &[usize]| Ranking::strict(o, 2).unwrap();
/// let p = Profile::from_ballots(names, vec![b(&[0, 1]), b(&[0, 1]), b(&[1, 0])]).unwrap();
/// assert_eq!(plurality(&p).winners, vec!["garden"]);
/// ```
pub fn plurality(p: &Profile<Ranking>) -> Outcome {
    let m = p.alternatives().len();
    let mut scores = vec![0u64; m];
    let mut tied_first_ballots = 0;
    let mut empty_ballots = 0;
    for (r, count) in p.entries() {
        match r.groups().next() {
            None => empty_ballots += count,
            Some(top) => {
                if top.len() > 1 {
                    tied_first_ballots += count;
                }
                for &a in top {
                    scores[a as usize] += count;
                }
            }
        }
    }
    let winners = argmax(&scores);
    Outcome::new(
        Method::Plurality,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Plurality {
            scores,
            tied_first_ballots,
            empty_ballots,
        },
    )
}

/// Approval: the most approvals.
pub fn approval(p: &Profile<Approval>) -> Outcome {
    let mut scores = vec![0u64; p.alternatives().len()];
    for (b, count) in p.entries() {
        for &a in b.approved() {
            scores[a as usize] += count;
        }
    }
    let winners = argmax(&scores);
    Outcome::new(
        Method::Approval,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Approval { scores },
    )
}

/// Score voting: the highest total score.
pub fn score(p: &Profile<Scores>) -> Outcome {
    let mut totals = vec![0i128; p.alternatives().len()];
    for (b, count) in p.entries() {
        for (t, &s) in totals.iter_mut().zip(b.scores()) {
            *t += i128::from(s) * i128::from(*count);
        }
    }
    let winners = argmax(&totals);
    Outcome::new(
        Method::Score,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Score { totals },
    )
}

/// Borda: m−1 for a first place down to 0 for the last; a tied group and the unranked rest
/// share the average of the positions they span.
pub fn borda(p: &Profile<Ranking>) -> Outcome {
    let m = p.alternatives().len() as u128;
    let mut doubled = vec![0u128; p.alternatives().len()];
    for (r, count) in p.entries() {
        let count = u128::from(*count);
        let mut pos = 0u128;
        for g in r.groups() {
            let k = g.len() as u128;
            // Positions pos..pos+k-1 score m-1-pos … m-pos-k; twice their average is
            // 2(m-1-pos) - (k-1).
            let pts = 2 * (m - 1 - pos) - (k - 1);
            for &a in g {
                doubled[a as usize] += pts * count;
            }
            pos += k;
        }
        let k = m - pos;
        if k > 0 {
            let pts = 2 * (m - 1 - pos) - (k - 1);
            let ranked = r.positions(p.alternatives().len());
            for (a, &gi) in ranked.iter().enumerate() {
                if gi == u32::MAX {
                    doubled[a] += pts * count;
                }
            }
        }
    }
    let scores: Vec<HalfPoints> = doubled.into_iter().map(HalfPoints).collect();
    let winners = argmax(&scores);
    Outcome::new(
        Method::Borda,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Borda { scores },
    )
}

/// Instant-runoff, round by round (see the module documentation for the conventions).
///
/// # Examples
/// ```
/// use plotwise_vote::{instant_runoff, Explanation, Profile, Ranking};
/// let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
/// let b = |o: &[usize], n: u64| (Ranking::strict(o, 3).unwrap(), n);
/// // c is eliminated first; its ballots go to b, who then beats a 5 to 4.
/// let p = Profile::from_counts(names, vec![b(&[0, 1, 2], 4), b(&[1, 0, 2], 3), b(&[2, 1, 0], 2)]).unwrap();
/// let o = instant_runoff(&p);
/// assert_eq!(o.winners, vec!["b"]);
/// let Explanation::Irv { rounds } = &o.explanation else { unreachable!() };
/// assert_eq!(rounds[0].eliminated, vec![2]);
/// ```
pub fn instant_runoff(p: &Profile<Ranking>) -> Outcome {
    let m = p.alternatives().len();
    let mut in_race = vec![true; m];
    let mut remaining = m;
    let mut rounds = Vec::new();
    let winners = loop {
        let mut votes = vec![0u64; m];
        let mut exhausted = 0u64;
        for (r, count) in p.entries() {
            let mut counted = false;
            for g in r.groups() {
                for &a in g {
                    if in_race[a as usize] {
                        votes[a as usize] += count;
                        counted = true;
                    }
                }
                if counted {
                    break;
                }
            }
            if !counted {
                exhausted += count;
            }
        }
        let fewest = (0..m)
            .filter(|&a| in_race[a])
            .map(|a| votes[a])
            .min()
            .unwrap_or(0);
        let lowest: Vec<usize> = (0..m)
            .filter(|&a| in_race[a] && votes[a] == fewest)
            .collect();
        let all_tied = lowest.len() == remaining;
        let shown: Vec<Option<u64>> = (0..m).map(|a| in_race[a].then_some(votes[a])).collect();
        if all_tied || remaining <= 1 {
            rounds.push(IrvRound {
                votes: shown,
                exhausted,
                eliminated: Vec::new(),
                all_tied: remaining > 1,
            });
            break (0..m).filter(|&a| in_race[a]).collect::<Vec<_>>();
        }
        for &a in &lowest {
            in_race[a] = false;
        }
        remaining -= lowest.len();
        rounds.push(IrvRound {
            votes: shown,
            exhausted,
            eliminated: lowest,
            all_tied: false,
        });
    };
    Outcome::new(
        Method::Irv,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Irv { rounds },
    )
}

/// The pairwise margin matrix: `margins[a][b]` = voters preferring a to b minus voters
/// preferring b to a; a ranked alternative is preferred to an unranked one.
pub fn margins(p: &Profile<Ranking>) -> Vec<Vec<i64>> {
    let m = p.alternatives().len();
    let mut support = vec![0u64; m * m];
    let mut pos = vec![u32::MAX; m];
    for (r, count) in p.entries() {
        pos.fill(u32::MAX);
        r.fill_positions(&mut pos);
        for a in 0..m {
            let pa = pos[a];
            if pa == u32::MAX {
                continue;
            }
            let row = &mut support[a * m..(a + 1) * m];
            for (b, s) in row.iter_mut().enumerate() {
                if pa < pos[b] {
                    *s += count;
                }
            }
        }
    }
    (0..m)
        .map(|a| {
            (0..m)
                .map(|b| {
                    // Both are at most MAX_VOTERS < 2^53, so the difference fits.
                    support[a * m + b] as i64 - support[b * m + a] as i64
                })
                .collect()
        })
        .collect()
}

/// Schulze (beat path by margins), with the pairwise matrix and the strongest paths.
pub fn schulze(p: &Profile<Ranking>) -> Outcome {
    let m = p.alternatives().len();
    let margins = margins(p);
    const NONE: i64 = i64::MIN;
    let mut s = vec![NONE; m * m];
    for a in 0..m {
        for b in 0..m {
            if a != b && margins[a][b] > 0 {
                s[a * m + b] = margins[a][b];
            }
        }
    }
    for i in 0..m {
        for j in 0..m {
            if j == i || s[j * m + i] == NONE {
                continue;
            }
            for k in 0..m {
                if k == i || k == j {
                    continue;
                }
                let via = s[j * m + i].min(s[i * m + k]);
                if via > s[j * m + k] {
                    s[j * m + k] = via;
                }
            }
        }
    }
    let winners: Vec<usize> = (0..m)
        .filter(|&a| (0..m).all(|b| b == a || s[b * m + a] <= s[a * m + b]))
        .collect();
    let strengths = (0..m)
        .map(|a| {
            (0..m)
                .map(|b| (a != b && s[a * m + b] != NONE).then_some(s[a * m + b]))
                .collect()
        })
        .collect();
    Outcome::new(
        Method::Schulze,
        p.alternatives(),
        p.voters(),
        winners,
        Explanation::Schulze { margins, strengths },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| char::from(b'a' + i as u8).to_string())
            .collect()
    }

    fn ranked(m: usize, ballots: &[(&[&[usize]], u64)]) -> Profile<Ranking> {
        Profile::from_counts(
            names(m),
            ballots.iter().map(|(g, c)| {
                (
                    Ranking::new(g.iter().map(|g| g.iter().copied()), m).unwrap(),
                    *c,
                )
            }),
        )
        .unwrap()
    }

    #[test]
    fn plurality_counts_tied_tops_fully() {
        let p = ranked(3, &[(&[&[0, 1], &[2]], 2), (&[&[2]], 3), (&[], 1)]);
        let o = plurality(&p);
        assert_eq!(o.winners, vec!["c"]);
        assert_eq!(
            o.explanation,
            Explanation::Plurality {
                scores: vec![2, 2, 3],
                tied_first_ballots: 2,
                empty_ballots: 1
            }
        );
    }

    #[test]
    fn plurality_reports_every_tied_winner() {
        let p = ranked(3, &[(&[&[0]], 2), (&[&[1]], 2), (&[&[2]], 1)]);
        assert_eq!(plurality(&p).winners, vec!["a", "b"]);
    }

    #[test]
    fn borda_averages_ties_and_unranked() {
        // m = 4. Ballot 1: a > {b, c} > d: a 3, b and c 1.5, d 0.
        // Ballot 2: d, rest unranked: d 3, a/b/c share 2,1,0 -> 1 each.
        let p = ranked(4, &[(&[&[0], &[1, 2], &[3]], 1), (&[&[3]], 1)]);
        let o = borda(&p);
        let Explanation::Borda { scores } = &o.explanation else {
            panic!("not borda")
        };
        let shown: Vec<String> = scores.iter().map(|s| s.to_string()).collect();
        assert_eq!(shown, vec!["4", "2.5", "2.5", "3"]);
        assert_eq!(o.winners, vec!["a"]);
    }

    #[test]
    fn irv_eliminates_all_tied_for_fewest_at_once() {
        // a 4, b 3, c 1, d 1: c and d go together; c's ballot moves to b, d's is exhausted.
        let p = ranked(
            4,
            &[(&[&[0]], 4), (&[&[1]], 3), (&[&[2], &[1]], 1), (&[&[3]], 1)],
        );
        let o = instant_runoff(&p);
        let Explanation::Irv { rounds } = &o.explanation else {
            panic!()
        };
        assert_eq!(rounds[0].eliminated, vec![2, 3]);
        assert_eq!(rounds[1].votes, vec![Some(4), Some(4), None, None]);
        assert_eq!(rounds[1].exhausted, 1);
        assert!(rounds[1].all_tied);
        assert_eq!(o.winners, vec!["a", "b"]);
    }

    #[test]
    fn irv_tie_at_top_gives_each_a_full_vote() {
        // {a, b} tied first on 3 ballots; c first on 4. Round 1: a 3, b 3, c 4 -> a and b out,
        // c wins.
        let p = ranked(3, &[(&[&[0, 1], &[2]], 3), (&[&[2]], 4)]);
        let o = instant_runoff(&p);
        assert_eq!(o.winners, vec!["c"]);
        let Explanation::Irv { rounds } = &o.explanation else {
            panic!()
        };
        assert_eq!(rounds[0].votes, vec![Some(3), Some(3), Some(4)]);
        assert_eq!(rounds.len(), 2);
    }

    #[test]
    fn irv_with_no_ballots_ties_everyone() {
        let p = ranked(2, &[]);
        assert_eq!(instant_runoff(&p).winners, vec!["a", "b"]);
    }

    #[test]
    fn schulze_classic_example() {
        // Wikipedia's Schulze example (45 voters, 5 candidates): E wins.
        let (a, b, c, d, e) = (0, 1, 2, 3, 4);
        let rows: Vec<(Vec<usize>, u64)> = vec![
            (vec![a, c, b, e, d], 5),
            (vec![a, d, e, c, b], 5),
            (vec![b, e, d, a, c], 8),
            (vec![c, a, b, e, d], 3),
            (vec![c, a, e, b, d], 7),
            (vec![c, b, a, d, e], 2),
            (vec![d, c, e, b, a], 7),
            (vec![e, b, a, d, c], 8),
        ];
        let p = Profile::from_counts(
            names(5),
            rows.iter()
                .map(|(o, n)| (Ranking::strict(o, 5).unwrap(), *n)),
        )
        .unwrap();
        let o = schulze(&p);
        assert_eq!(o.winners, vec!["e"]);
        let Explanation::Schulze { strengths, .. } = &o.explanation else {
            panic!()
        };
        // E's paths to each rival are at least as strong as theirs back; the diagonal is empty.
        for x in [a, b, c, d] {
            assert!(strengths[e][x] >= strengths[x][e]);
        }
        assert_eq!(strengths[a][a], None);
    }

    #[test]
    fn schulze_ranked_beats_unranked() {
        let p = ranked(3, &[(&[&[1]], 1)]);
        let o = schulze(&p);
        assert_eq!(o.winners, vec!["b"]);
        let Explanation::Schulze { margins, .. } = &o.explanation else {
            panic!()
        };
        assert_eq!(margins[1], vec![1, 0, 1]);
        assert_eq!(margins[0][2], 0);
    }

    #[test]
    fn approval_and_score() {
        let names = names(3);
        let ap = Profile::from_counts(
            names.clone(),
            vec![
                (Approval::new([0, 1], 3).unwrap(), 2),
                (Approval::new([1], 3).unwrap(), 1),
                (Approval::new([], 3).unwrap(), 5),
            ],
        )
        .unwrap();
        let o = approval(&ap);
        assert_eq!(o.winners, vec!["b"]);
        assert_eq!(o.voters, 8);
        let sp = Profile::from_counts(
            names,
            vec![
                (Scores::new(vec![5, -2, 3]), 2),
                (Scores::new(vec![0, 9, 3]), 1),
            ],
        )
        .unwrap();
        let o = score(&sp);
        assert_eq!(
            o.explanation,
            Explanation::Score {
                totals: vec![10, 5, 9]
            }
        );
        assert_eq!(o.winners, vec!["a"]);
    }

    #[test]
    fn method_names_round_trip() {
        for m in Method::ALL {
            assert_eq!(m.as_str().parse::<Method>().unwrap(), m);
        }
        assert!("stv".parse::<Method>().is_err());
    }

    #[test]
    fn one_dispatch_counts_each_kind_and_refuses_the_wrong_one() {
        let ranked = AnyProfile::Ranked(ranked(3, &[(&[&[1], &[0]], 2), (&[&[2]], 1)]));
        for m in [
            Method::Plurality,
            Method::Borda,
            Method::Irv,
            Method::Schulze,
        ] {
            let o = count(m, &ranked).unwrap();
            assert_eq!(o.method, m);
            let AnyProfile::Ranked(p) = &ranked else {
                unreachable!()
            };
            assert_eq!(Ok(o), count_ranked(m, p));
        }
        let approvals = AnyProfile::Approval(
            Profile::from_counts(names(2), vec![(Approval::new([1], 2).unwrap(), 3)]).unwrap(),
        );
        assert_eq!(
            count(Method::Approval, &approvals).unwrap().winners,
            vec!["b"]
        );
        let scores = AnyProfile::Scores(
            Profile::from_counts(names(2), vec![(Scores::new(vec![4, 1]), 1)]).unwrap(),
        );
        assert_eq!(count(Method::Score, &scores).unwrap().winners, vec!["a"]);
        let e = count(Method::Score, &approvals).unwrap_err();
        assert_eq!(
            e.to_string(),
            "score counts score ballots, not approval ballots"
        );
        assert!(count(Method::Irv, &scores).is_err());
        assert!(count(Method::Approval, &ranked).is_err());
    }

    #[test]
    fn half_points_read_what_they_print() {
        for v in [0u128, 1, 2, 25, 4_000_001] {
            let text = HalfPoints(v).to_string();
            assert_eq!(text.parse::<HalfPoints>(), Ok(HalfPoints(v)), "{text}");
        }
        for bad in ["", ".5", "1.25", "1.0", "-1", "+1", "x", "1.5.5"] {
            assert!(bad.parse::<HalfPoints>().is_err(), "{bad}");
        }
        assert_eq!(HalfPoints(25).to_f64(), 12.5);
    }

    #[test]
    fn explanations_read_back_from_json() {
        let p = ranked(
            4,
            &[
                (&[&[0]], 4),
                (&[&[1]], 3),
                (&[&[2], &[1]], 1),
                (&[&[3, 0]], 1),
            ],
        );
        let sp = Profile::from_counts(names(2), vec![(Scores::new(vec![7, -3]), 5)]).unwrap();
        for o in [
            plurality(&p),
            borda(&p),
            instant_runoff(&p),
            schulze(&p),
            score(&sp),
        ] {
            let text = serde_json::to_string(&o.explanation).unwrap();
            let back: Explanation = serde_json::from_str(&text).unwrap();
            assert_eq!(back, o.explanation, "{text}");
        }
        let borda_text = r#"{"kind":"borda","scores":["1.5","0.5"]}"#;
        let Explanation::Borda { scores } = serde_json::from_str(borda_text).unwrap() else {
            panic!("not borda")
        };
        assert_eq!(scores, vec![HalfPoints(3), HalfPoints(1)]);
        assert!(serde_json::from_str::<Explanation>(r#"{"kind":"borda","scores":[1.5]}"#).is_err());
    }
}
