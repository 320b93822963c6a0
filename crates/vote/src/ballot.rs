//! Ballots (ranked with ties, approval, score, categorical) and profiles: ballots with counts.
//!
//! Alternatives are numbered `0..m` in the order of the profile's names. A profile stores each
//! distinct ballot once with its multiplicity (as PrefLib files do), so a million ballots over a
//! handful of alternatives take a few thousand entries.

use std::collections::HashMap;
use std::hash::Hash;

use thiserror::Error;

/// The largest number of alternatives a profile can hold. Consultations choose among a
/// handful of layouts; the cap keeps the pairwise matrix (m²) and Schulze's path search (m³)
/// small whatever a file declares.
pub const MAX_ALTERNATIVES: usize = 1000;

/// The largest number of voters in a profile: 2^53 − 1, so every count is exact as a JSON
/// number in a browser.
pub const MAX_VOTERS: u64 = (1 << 53) - 1;

/// A ballot that cannot be built or does not fit its profile.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BallotError {
    /// An alternative index is not below the number of alternatives.
    #[error("alternative {index} does not exist (there are {count} alternatives)")]
    UnknownAlternative {
        /// The 0-based index given.
        index: usize,
        /// The number of alternatives.
        count: usize,
    },
    /// The same alternative appears twice on one ballot.
    #[error("alternative {index} appears twice on one ballot")]
    Duplicate {
        /// The 0-based index that repeats.
        index: usize,
    },
    /// A categorical ballot has more categories than [`MAX_ALTERNATIVES`].
    #[error("{0} categories is more than the {MAX_ALTERNATIVES} supported")]
    TooManyCategories(usize),
    /// A score ballot has the wrong number of scores.
    #[error("a score ballot has {got} scores, expected {expected}")]
    ScoreCount {
        /// Scores given.
        got: usize,
        /// Alternatives in the profile.
        expected: usize,
    },
}

/// A profile that cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// A profile needs at least one alternative.
    #[error("there are no alternatives")]
    NoAlternatives,
    /// More alternatives than [`MAX_ALTERNATIVES`].
    #[error("{0} alternatives is more than the {MAX_ALTERNATIVES} supported")]
    TooManyAlternatives(usize),
    /// An alternative's name is empty.
    #[error("alternative {0} has an empty name")]
    EmptyName(usize),
    /// Two alternatives share a name.
    #[error("two alternatives are named {0:?}")]
    DuplicateName(String),
    /// A ballot does not fit.
    #[error(transparent)]
    Ballot(#[from] BallotError),
    /// The voters add up to more than [`MAX_VOTERS`].
    #[error("more than {MAX_VOTERS} voters")]
    TooManyVoters,
}

/// What a ballot needs from its profile: a check that it fits `m` alternatives.
pub trait Ballot: Clone + Eq + Hash + Ord {
    /// Checks that the ballot only names alternatives below `m`.
    fn check(&self, m: usize) -> Result<(), BallotError>;
}

fn index_of(a: usize, m: usize) -> Result<u16, BallotError> {
    if a >= m || a >= MAX_ALTERNATIVES {
        return Err(BallotError::UnknownAlternative { index: a, count: m });
    }
    // The bound above makes this lossless.
    Ok(a as u16)
}

/// A ranked ballot: a weak order, possibly incomplete.
///
/// Groups run from the most preferred down; alternatives in one group are tied; alternatives
/// in no group are unranked (below every ranked one, tied among themselves, for the methods
/// that compare them; exhausted for instant-runoff). Groups are stored sorted, so two ballots
/// that mean the same thing are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ranking {
    /// The ranked alternatives, group after group, followed by the end (exclusive) of each
    /// group in that list: one allocation per ballot.
    cells: Box<[u16]>,
    /// How many ranked alternatives `cells` starts with.
    ranked: u16,
}

impl Ranking {
    /// Joins the ranked alternatives and the group ends into one allocation.
    fn from_parts(mut order: Vec<u16>, ends: &[u16]) -> Self {
        // At most MAX_ALTERNATIVES entries, so the length fits.
        let ranked = order.len() as u16;
        order.extend_from_slice(ends);
        Ranking {
            cells: order.into_boxed_slice(),
            ranked,
        }
    }

    fn order(&self) -> &[u16] {
        &self.cells[..self.ranked as usize]
    }

    fn ends(&self) -> &[u16] {
        &self.cells[self.ranked as usize..]
    }

    /// Builds a ranking from groups of 0-based alternative indices, top first. Empty groups
    /// are skipped; an index must be below `m` and appear once.
    ///
    /// # Examples
    /// ```
    /// use plotwise_vote::Ranking;
    /// // a > {b, c}, d unranked.
    /// let r = Ranking::new(vec![vec![0], vec![2, 1]], 4).unwrap();
    /// assert_eq!(r.to_groups(), vec![vec![0], vec![1, 2]]);
    /// assert!(!r.is_complete(4));
    /// ```
    pub fn new<G, I>(groups: G, m: usize) -> Result<Self, BallotError>
    where
        G: IntoIterator<Item = I>,
        I: IntoIterator<Item = usize>,
    {
        let mut seen = vec![false; m.min(MAX_ALTERNATIVES)];
        // Room for the ends too, which `from_parts` appends.
        let mut order = Vec::with_capacity(2 * m.min(MAX_ALTERNATIVES));
        let mut ends = Vec::new();
        for group in groups {
            let start = order.len();
            for a in group {
                let i = index_of(a, m)?;
                if seen[a] {
                    return Err(BallotError::Duplicate { index: a });
                }
                seen[a] = true;
                order.push(i);
            }
            if order.len() > start {
                order[start..].sort_unstable();
                // At most MAX_ALTERNATIVES entries, so this fits.
                ends.push(order.len() as u16);
            }
        }
        Ok(Ranking::from_parts(order, &ends))
    }

    /// A strict ranking: `order[0]` first, then `order[1]`, …
    pub fn strict(order: &[usize], m: usize) -> Result<Self, BallotError> {
        Ranking::new(order.iter().map(|&a| [a]), m)
    }

    /// Builds a ranking from one rank per alternative (`None` = unranked); a smaller rank is
    /// preferred and equal ranks are tied. Ranks need not be consecutive.
    pub fn from_ranks(ranks: &[Option<u64>]) -> Result<Self, BallotError> {
        let mut ranked: Vec<(u64, usize)> = ranks
            .iter()
            .enumerate()
            .filter_map(|(a, r)| r.map(|r| (r, a)))
            .collect();
        ranked.sort_unstable();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut last = None;
        for (r, a) in ranked {
            if last == Some(r) {
                if let Some(g) = groups.last_mut() {
                    g.push(a);
                }
            } else {
                groups.push(vec![a]);
                last = Some(r);
            }
        }
        Ranking::new(groups, ranks.len())
    }

    /// The groups, top first; each is a sorted slice of alternative indices.
    pub fn groups(&self) -> impl Iterator<Item = &[u16]> + '_ {
        let mut start = 0usize;
        self.ends().iter().map(move |&end| {
            let g = &self.order()[start..end as usize];
            start = end as usize;
            g
        })
    }

    /// The groups as plain vectors of indices.
    pub fn to_groups(&self) -> Vec<Vec<usize>> {
        self.groups()
            .map(|g| g.iter().map(|&a| a as usize).collect())
            .collect()
    }

    /// The number of ranked alternatives.
    pub fn ranked_len(&self) -> usize {
        self.order().len()
    }

    /// The number of groups (distinct ranks).
    pub fn group_count(&self) -> usize {
        self.ends().len()
    }

    /// True when every one of `m` alternatives is ranked.
    pub fn is_complete(&self, m: usize) -> bool {
        self.order().len() == m
    }

    /// True when no two alternatives are tied.
    pub fn is_strict(&self) -> bool {
        self.order().len() == self.ends().len()
    }

    /// True when the ballot ranks nobody.
    pub fn is_empty(&self) -> bool {
        self.order().is_empty()
    }

    /// The group index of every alternative (`u32::MAX` when unranked), for `m` alternatives.
    pub fn positions(&self, m: usize) -> Vec<u32> {
        let mut pos = vec![u32::MAX; m];
        self.fill_positions(&mut pos);
        pos
    }

    /// Writes the group index of every ranked alternative into `pos` (the caller clears it).
    pub(crate) fn fill_positions(&self, pos: &mut [u32]) {
        for (gi, g) in self.groups().enumerate() {
            for &a in g {
                pos[a as usize] = gi as u32;
            }
        }
    }
}

impl Ballot for Ranking {
    fn check(&self, m: usize) -> Result<(), BallotError> {
        match self.order().iter().find(|&&a| a as usize >= m) {
            Some(&a) => Err(BallotError::UnknownAlternative {
                index: a as usize,
                count: m,
            }),
            None => Ok(()),
        }
    }
}

/// An approval ballot: the set of approved alternatives (possibly none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Approval {
    approved: Box<[u16]>,
}

impl Approval {
    /// Builds an approval ballot from approved 0-based indices, each below `m`, each once.
    pub fn new(approved: impl IntoIterator<Item = usize>, m: usize) -> Result<Self, BallotError> {
        let mut v = Vec::new();
        for a in approved {
            v.push(index_of(a, m)?);
        }
        v.sort_unstable();
        if let Some(w) = v.windows(2).find(|w| w[0] == w[1]) {
            return Err(BallotError::Duplicate {
                index: w[0] as usize,
            });
        }
        Ok(Approval {
            approved: v.into_boxed_slice(),
        })
    }

    /// The approved alternatives, sorted.
    pub fn approved(&self) -> &[u16] {
        &self.approved
    }
}

impl Ballot for Approval {
    fn check(&self, m: usize) -> Result<(), BallotError> {
        match self.approved.last() {
            Some(&a) if a as usize >= m => Err(BallotError::UnknownAlternative {
                index: a as usize,
                count: m,
            }),
            _ => Ok(()),
        }
    }
}

/// A score ballot: one integer score per alternative (an alternative left blank scores 0).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scores {
    scores: Box<[i64]>,
}

impl Scores {
    /// Builds a score ballot; it must have one score per alternative of its profile.
    pub fn new(scores: Vec<i64>) -> Self {
        Scores {
            scores: scores.into_boxed_slice(),
        }
    }

    /// The scores, one per alternative.
    pub fn scores(&self) -> &[i64] {
        &self.scores
    }
}

impl Ballot for Scores {
    fn check(&self, m: usize) -> Result<(), BallotError> {
        if self.scores.len() == m {
            Ok(())
        } else {
            Err(BallotError::ScoreCount {
                got: self.scores.len(),
                expected: m,
            })
        }
    }
}

/// A categorical ballot (PrefLib `.cat`): each alternative's category, 0 = the first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Categorized {
    /// Category per alternative; [`Categorized::NONE`] when the ballot leaves it out.
    category_of: Box<[u16]>,
}

impl Categorized {
    /// Marks an alternative placed in no category.
    pub const NONE: u16 = u16::MAX;

    /// Builds a categorical ballot from one set of alternatives per category, first category
    /// first. An alternative may appear in at most one category.
    pub fn new(categories: &[Vec<usize>], m: usize) -> Result<Self, BallotError> {
        if categories.len() > MAX_ALTERNATIVES {
            return Err(BallotError::TooManyCategories(categories.len()));
        }
        let mut category_of = vec![Self::NONE; m.min(MAX_ALTERNATIVES)];
        for (c, set) in categories.iter().enumerate() {
            for &a in set {
                index_of(a, m)?;
                if category_of[a] != Self::NONE {
                    return Err(BallotError::Duplicate { index: a });
                }
                // Below MAX_ALTERNATIVES (checked above), so this is lossless.
                category_of[a] = c as u16;
            }
        }
        Ok(Categorized {
            category_of: category_of.into_boxed_slice(),
        })
    }

    /// Two categories: approved alternatives in the first, the other `m − …` in the second.
    pub fn from_approval(b: &Approval, m: usize) -> Self {
        let mut category_of = vec![1u16; m.min(MAX_ALTERNATIVES)];
        for &a in b.approved() {
            if let Some(c) = category_of.get_mut(a as usize) {
                *c = 0;
            }
        }
        Categorized {
            category_of: category_of.into_boxed_slice(),
        }
    }

    /// The category of each alternative ([`Categorized::NONE`] when not placed).
    pub fn category_of(&self) -> &[u16] {
        &self.category_of
    }

    /// The alternatives of category `c`, sorted.
    pub fn members(&self, c: u16) -> Vec<usize> {
        (0..self.category_of.len())
            .filter(|&a| self.category_of[a] == c)
            .collect()
    }

    /// Approval reading: the first category is "approved".
    pub fn to_approval(&self) -> Approval {
        Approval {
            approved: (0..self.category_of.len())
                .filter(|&a| self.category_of[a] == 0)
                .map(|a| a as u16)
                .collect(),
        }
    }

    /// Ranked reading: categories in order form a weak order; empty categories are skipped and
    /// alternatives placed nowhere are unranked.
    pub fn to_ranking(&self) -> Ranking {
        let mut pairs: Vec<(u16, u16)> = self
            .category_of
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != Self::NONE)
            .map(|(a, &c)| (c, a as u16))
            .collect();
        pairs.sort_unstable();
        let mut order = Vec::with_capacity(pairs.len());
        let mut ends = Vec::new();
        for (i, &(c, a)) in pairs.iter().enumerate() {
            order.push(a);
            if pairs.get(i + 1).is_none_or(|n| n.0 != c) {
                ends.push(order.len() as u16);
            }
        }
        Ranking::from_parts(order, &ends)
    }
}

impl Ballot for Categorized {
    fn check(&self, m: usize) -> Result<(), BallotError> {
        if self.category_of.len() == m {
            Ok(())
        } else {
            Err(BallotError::UnknownAlternative {
                index: self.category_of.len().saturating_sub(1),
                count: m,
            })
        }
    }
}

/// Ballots of one kind over named alternatives, each distinct ballot stored once with its count.
///
/// Entries are kept in a canonical order (count descending, then ballot), so two profiles with
/// the same ballots are equal whatever order the ballots arrived in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile<B> {
    alternatives: Vec<String>,
    entries: Vec<(B, u64)>,
    voters: u64,
}

/// Checks a list of alternative names: at least one, at most [`MAX_ALTERNATIVES`], each
/// non-empty and distinct.
pub fn check_alternatives(names: &[String]) -> Result<(), ProfileError> {
    if names.is_empty() {
        return Err(ProfileError::NoAlternatives);
    }
    if names.len() > MAX_ALTERNATIVES {
        return Err(ProfileError::TooManyAlternatives(names.len()));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, n) in names.iter().enumerate() {
        if n.trim().is_empty() {
            return Err(ProfileError::EmptyName(i + 1));
        }
        if !seen.insert(n.as_str()) {
            return Err(ProfileError::DuplicateName(n.clone()));
        }
    }
    Ok(())
}

impl<B: Ballot> Profile<B> {
    /// Builds a profile from ballots with counts; identical ballots are merged and entries
    /// with count 0 dropped.
    pub fn from_counts(
        alternatives: Vec<String>,
        entries: impl IntoIterator<Item = (B, u64)>,
    ) -> Result<Self, ProfileError> {
        let mut b = ProfileBuilder::new(alternatives)?;
        for (ballot, count) in entries {
            b.add(ballot, count)?;
        }
        Ok(b.build())
    }

    /// Builds a profile from single ballots (each counts once).
    pub fn from_ballots(
        alternatives: Vec<String>,
        ballots: impl IntoIterator<Item = B>,
    ) -> Result<Self, ProfileError> {
        Self::from_counts(alternatives, ballots.into_iter().map(|b| (b, 1)))
    }

    /// The alternatives' names; index `i` is alternative `i`.
    pub fn alternatives(&self) -> &[String] {
        &self.alternatives
    }

    /// The distinct ballots with their counts (count ≥ 1), in canonical order.
    pub fn entries(&self) -> &[(B, u64)] {
        &self.entries
    }

    /// The number of voters (the sum of the counts).
    pub fn voters(&self) -> u64 {
        self.voters
    }

    /// The index of the alternative with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.alternatives.iter().position(|n| n == name)
    }

    /// Applies `f` to every ballot, merging ballots that become identical.
    pub fn map<C: Ballot>(&self, f: impl Fn(&B) -> C) -> Profile<C> {
        let mut b = ProfileBuilder {
            alternatives: self.alternatives.clone(),
            counts: HashMap::new(),
            voters: 0,
        };
        for (ballot, count) in &self.entries {
            *b.counts.entry(f(ballot)).or_insert(0) += count;
        }
        b.voters = self.voters;
        b.build()
    }
}

/// Collects ballots one by one and merges identical ones; [`ProfileBuilder::build`] gives the
/// [`Profile`]. Memory grows with the number of distinct ballots, not of voters.
#[derive(Debug, Clone)]
pub struct ProfileBuilder<B> {
    alternatives: Vec<String>,
    counts: HashMap<B, u64>,
    voters: u64,
}

impl<B: Ballot> ProfileBuilder<B> {
    /// Starts an empty profile over these alternatives (checked by [`check_alternatives`]).
    pub fn new(alternatives: Vec<String>) -> Result<Self, ProfileError> {
        check_alternatives(&alternatives)?;
        Ok(ProfileBuilder {
            alternatives,
            counts: HashMap::new(),
            voters: 0,
        })
    }

    /// Adds `count` copies of a ballot.
    pub fn add(&mut self, ballot: B, count: u64) -> Result<(), ProfileError> {
        ballot.check(self.alternatives.len())?;
        if count == 0 {
            return Ok(());
        }
        let voters = self
            .voters
            .checked_add(count)
            .filter(|&v| v <= MAX_VOTERS)
            .ok_or(ProfileError::TooManyVoters)?;
        self.voters = voters;
        *self.counts.entry(ballot).or_insert(0) += count;
        Ok(())
    }

    /// Adds one ballot given by reference, cloning it only when it is new.
    pub fn add_one(&mut self, ballot: &B) -> Result<(), ProfileError> {
        if let Some(c) = self.counts.get_mut(ballot) {
            if self.voters >= MAX_VOTERS {
                return Err(ProfileError::TooManyVoters);
            }
            *c += 1;
            self.voters += 1;
            Ok(())
        } else {
            self.add(ballot.clone(), 1)
        }
    }

    /// The voters added so far.
    pub fn voters(&self) -> u64 {
        self.voters
    }

    /// Finishes the profile, in canonical order.
    pub fn build(self) -> Profile<B> {
        let mut entries: Vec<(B, u64)> = self.counts.into_iter().collect();
        entries.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Profile {
            alternatives: self.alternatives,
            entries,
            voters: self.voters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("A{i}")).collect()
    }

    #[test]
    fn ranking_is_canonical() {
        let a = Ranking::new(vec![vec![2, 0], vec![], vec![1]], 3).unwrap();
        let b = Ranking::new(vec![vec![0, 2], vec![1]], 3).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_groups(), vec![vec![0, 2], vec![1]]);
        assert!(a.is_complete(3));
        assert!(!a.is_strict());
        assert_eq!(a.positions(3), vec![0, 1, 0]);
    }

    #[test]
    fn ranking_rejects_bad_indices() {
        assert_eq!(
            Ranking::new(vec![vec![0], vec![3]], 3),
            Err(BallotError::UnknownAlternative { index: 3, count: 3 })
        );
        assert_eq!(
            Ranking::new(vec![vec![0], vec![0]], 3),
            Err(BallotError::Duplicate { index: 0 })
        );
    }

    #[test]
    fn from_ranks_groups_equal_ranks() {
        let r = Ranking::from_ranks(&[Some(2), None, Some(1), Some(2)]).unwrap();
        assert_eq!(r.to_groups(), vec![vec![2], vec![0, 3]]);
    }

    #[test]
    fn builder_merges_and_orders() {
        let r1 = Ranking::strict(&[0, 1], 2).unwrap();
        let r2 = Ranking::strict(&[1, 0], 2).unwrap();
        let p = Profile::from_ballots(names(2), vec![r2.clone(), r1.clone(), r2.clone()]).unwrap();
        assert_eq!(p.voters(), 3);
        assert_eq!(p.entries(), &[(r2, 2), (r1, 1)]);
    }

    #[test]
    fn names_are_checked() {
        assert_eq!(
            check_alternatives(&["a".into(), "a".into()]),
            Err(ProfileError::DuplicateName("a".into()))
        );
        assert_eq!(check_alternatives(&[]), Err(ProfileError::NoAlternatives));
    }

    #[test]
    fn categorized_readings() {
        let c = Categorized::new(&[vec![], vec![1, 2], vec![0]], 4).unwrap();
        assert!(c.to_approval().approved().is_empty());
        assert_eq!(c.to_ranking().to_groups(), vec![vec![1, 2], vec![0]]);
        let d = Categorized::new(&[vec![3], vec![0, 1, 2]], 4).unwrap();
        assert_eq!(d.to_approval().approved(), &[3]);
    }

    #[test]
    fn too_many_voters_is_an_error() {
        let mut b = ProfileBuilder::new(names(2)).unwrap();
        b.add(Approval::new([0], 2).unwrap(), MAX_VOTERS).unwrap();
        assert_eq!(
            b.add(Approval::new([1], 2).unwrap(), 1),
            Err(ProfileError::TooManyVoters)
        );
    }
}
