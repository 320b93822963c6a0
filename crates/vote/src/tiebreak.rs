//! Breaking a tie for the win: a separate step, by a rule chosen before the vote, and recorded.
//!
//! Rules (as text on the command line, and as JSON in a consultation's settings):
//! - `none` (`{"rule": "committee"}`): the tie stands; every tied winner is reported, and a
//!   committee names the winner afterwards by its decision.
//! - `order:A,B,…` (`{"rule": "order", "order": [...]}`): a fixed order of priority published
//!   beforehand; the tied alternative that comes first in it wins. Every tied alternative must
//!   appear in the order.
//! - the alternatives' own order (`{"rule": "shortlist_order"}`): a consultation's shortlist,
//!   option A before B before …; the same as `order:` listing every alternative as counted.
//! - `seed:N` (`{"rule": "seed", "seed": N}`): a published seed N (an unsigned 64-bit integer).
//!   The tied alternatives' names are sorted by Unicode code points (byte order of their UTF-8);
//!   one number `z` is drawn from SplitMix64 started at state N, and the name at index `z mod k`
//!   wins (k = number of tied alternatives). SplitMix64, as published by Steele, Lea and Flood
//!   (2014): `state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
//!   z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^= z >> 31` (all arithmetic modulo 2^64).
//!   Anyone can redo the draw in a few lines of any language.
//! - a committee's decision ([`TieBreak::Decision`], `{"rule": "decision", "winner": ...}`): the
//!   committee names the winner among the tied, and the record says so.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::method::Outcome;

/// How to break a tie for the win. Its JSON form is what a consultation's settings store
/// (`{"rule": "seed", "seed": 42}`), so the names of the variants on the wire stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum TieBreak {
    /// No rule: the tie stands and every tied winner is reported, for the committee to decide
    /// ([`TieBreak::Decision`]). `none` on the command line.
    #[serde(alias = "none")]
    Committee,
    /// A fixed priority order of alternative names, highest first.
    Order {
        /// The names, highest priority first.
        order: Vec<String>,
    },
    /// The alternatives' own order, first listed first (a consultation's shortlist order).
    ShortlistOrder,
    /// A published seed for the SplitMix64 draw described in the module documentation.
    Seed {
        /// The seed, published before the vote.
        seed: u64,
    },
    /// The committee's decision: the named alternative wins the tie.
    Decision {
        /// The alternative the committee chose.
        winner: String,
    },
}

/// A tie-break rule that cannot be read or applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TieBreakError {
    /// The text is not `none`, `order:A,B,…` or `seed:N`.
    #[error("tie-break {0:?}: expected none, order:A,B,… or seed:N")]
    Syntax(String),
    /// The seed is not an unsigned 64-bit integer.
    #[error("tie-break seed {0:?} is not an integer from 0 to 18446744073709551615")]
    Seed(String),
    /// A name in the order is not an alternative.
    #[error("tie-break order names {0:?}, which is not an alternative")]
    UnknownName(String),
    /// A name appears twice in the order.
    #[error("tie-break order names {0:?} twice")]
    RepeatedName(String),
    /// A tied alternative is missing from the order.
    #[error("tie-break order does not place {0:?}, one of the tied winners")]
    MissingTied(String),
    /// The committee's choice is not one of the tied winners.
    #[error("the committee's choice {0:?} is not one of the tied winners")]
    NotTied(String),
}

impl FromStr for TieBreak {
    type Err = TieBreakError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s == "none" {
            return Ok(TieBreak::Committee);
        }
        if let Some(list) = s.strip_prefix("order:") {
            let names: Vec<String> = list.split(',').map(|n| n.trim().to_owned()).collect();
            if names.iter().any(|n| n.is_empty()) {
                return Err(TieBreakError::Syntax(s.to_owned()));
            }
            return Ok(TieBreak::Order { order: names });
        }
        if let Some(seed) = s.strip_prefix("seed:") {
            return seed
                .trim()
                .parse::<u64>()
                .map(|seed| TieBreak::Seed { seed })
                .map_err(|_| TieBreakError::Seed(seed.to_owned()));
        }
        Err(TieBreakError::Syntax(s.to_owned()))
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TieBreak::Committee => f.write_str("none"),
            TieBreak::Order { order } => write!(f, "order:{}", order.join(",")),
            TieBreak::ShortlistOrder => f.write_str("shortlist-order"),
            TieBreak::Seed { seed } => write!(f, "seed:{seed}"),
            TieBreak::Decision { winner } => write!(f, "decision:{winner}"),
        }
    }
}

/// How a tie was broken, for the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "lowercase")]
pub enum TieBreakRecord {
    /// By a fixed order.
    Order {
        /// The order as published.
        order: Vec<String>,
        /// The tied winners, in the order of the alternatives.
        tied: Vec<String>,
        /// The winner.
        winner: String,
    },
    /// By a seeded draw.
    Seed {
        /// The published seed.
        seed: u64,
        /// The algorithm, as documented in [`crate::tiebreak`] (`splitmix64-mod`).
        algorithm: String,
        /// The tied names sorted by code points: the list the draw indexes.
        sorted_tied: Vec<String>,
        /// The number drawn (first SplitMix64 output).
        draw: u64,
        /// `draw mod k`.
        index: usize,
        /// The winner.
        winner: String,
    },
    /// By the committee's decision.
    Decision {
        /// The tied winners, in the order of the alternatives.
        tied: Vec<String>,
        /// The winner named by the committee.
        winner: String,
    },
}

impl TieBreakRecord {
    /// The winner after the tie-break.
    pub fn winner(&self) -> &str {
        match self {
            TieBreakRecord::Order { winner, .. }
            | TieBreakRecord::Seed { winner, .. }
            | TieBreakRecord::Decision { winner, .. } => winner,
        }
    }
}

/// One step of SplitMix64: advances `state` and returns the next output.
///
/// # Examples
/// ```
/// let mut state = 0;
/// assert_eq!(plotwise_vote::splitmix64(&mut state), 0xE220A8397B1DCDAF);
/// ```
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Breaks a tie in `outcome` by `rule`. Returns `None` when there is nothing to break (one
/// winner, or no winner) or the rule is [`TieBreak::Committee`] (the tie stands).
pub fn break_tie(
    outcome: &Outcome,
    rule: &TieBreak,
) -> Result<Option<TieBreakRecord>, TieBreakError> {
    let tied = &outcome.winners;
    // Check the rule against the alternatives even when there is no tie, so a typo in a
    // published order is caught on every count.
    if let TieBreak::Order { order } = rule {
        let mut seen = std::collections::HashSet::new();
        for n in order {
            if !outcome.alternatives.contains(n) {
                return Err(TieBreakError::UnknownName(n.clone()));
            }
            if !seen.insert(n) {
                return Err(TieBreakError::RepeatedName(n.clone()));
            }
        }
    }
    if tied.len() < 2 {
        return Ok(None);
    }
    Ok(Some(match rule {
        TieBreak::Committee => return Ok(None),
        TieBreak::ShortlistOrder => TieBreakRecord::Order {
            order: outcome.alternatives.clone(),
            tied: tied.clone(),
            winner: tied[0].clone(),
        },
        TieBreak::Order { order } => {
            if let Some(missing) = tied.iter().find(|t| !order.contains(t)) {
                return Err(TieBreakError::MissingTied(missing.clone()));
            }
            let winner = order
                .iter()
                .find(|n| tied.contains(n))
                .cloned()
                .unwrap_or_default();
            TieBreakRecord::Order {
                order: order.clone(),
                tied: tied.clone(),
                winner,
            }
        }
        TieBreak::Seed { seed } => {
            let mut sorted_tied = tied.clone();
            sorted_tied.sort();
            let mut state = *seed;
            let draw = splitmix64(&mut state);
            let index = (draw % sorted_tied.len() as u64) as usize;
            TieBreakRecord::Seed {
                seed: *seed,
                algorithm: "splitmix64-mod".to_owned(),
                winner: sorted_tied[index].clone(),
                sorted_tied,
                draw,
                index,
            }
        }
        TieBreak::Decision { winner } => {
            if !tied.contains(winner) {
                return Err(TieBreakError::NotTied(winner.clone()));
            }
            TieBreakRecord::Decision {
                tied: tied.clone(),
                winner: winner.clone(),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Profile, Ranking, plurality};

    fn tied_outcome() -> Outcome {
        let names: Vec<String> = ["Lawn", "Garden", "Pergola"].map(String::from).to_vec();
        let b = |a: usize| (Ranking::strict(&[a], 3).unwrap(), 2);
        let p = Profile::from_counts(names, vec![b(0), b(1), b(2)]).unwrap();
        plurality(&p)
    }

    #[test]
    fn splitmix64_reference_values() {
        // Reference outputs of SplitMix64 from state 0 (as in Vigna's splitmix64.c).
        let mut s = 0;
        assert_eq!(splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut s), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(splitmix64(&mut s), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn parse_rules() {
        assert_eq!("none".parse::<TieBreak>().unwrap(), TieBreak::Committee);
        assert_eq!(
            "order:B, A".parse::<TieBreak>().unwrap(),
            TieBreak::Order {
                order: vec!["B".into(), "A".into()]
            }
        );
        assert_eq!(
            "seed:42".parse::<TieBreak>().unwrap(),
            TieBreak::Seed { seed: 42 }
        );
        assert!(matches!(
            "seed:-1".parse::<TieBreak>(),
            Err(TieBreakError::Seed(_))
        ));
        assert!(matches!(
            "coin".parse::<TieBreak>(),
            Err(TieBreakError::Syntax(_))
        ));
        assert!("order:A,,B".parse::<TieBreak>().is_err());
    }

    #[test]
    fn order_picks_first_listed_tied() {
        let o = tied_outcome();
        let rule: TieBreak = "order:Pergola,Lawn,Garden".parse().unwrap();
        let r = break_tie(&o, &rule).unwrap().unwrap();
        assert_eq!(r.winner(), "Pergola");
        let bad: TieBreak = "order:Pergola,Lawn".parse().unwrap();
        assert_eq!(
            break_tie(&o, &bad),
            Err(TieBreakError::MissingTied("Garden".into()))
        );
        let typo: TieBreak = "order:Pergola,Lawn,Gardn".parse().unwrap();
        assert_eq!(
            break_tie(&o, &typo),
            Err(TieBreakError::UnknownName("Gardn".into()))
        );
    }

    #[test]
    fn seed_draw_is_documented_arithmetic() {
        let o = tied_outcome();
        let r = break_tie(&o, &TieBreak::Seed { seed: 0 }).unwrap().unwrap();
        // Sorted: Garden, Lawn, Pergola; 0xE220A8397B1DCDAF mod 3.
        let expected = ["Garden", "Lawn", "Pergola"][(0xE220_A839_7B1D_CDAFu64 % 3) as usize];
        assert_eq!(r.winner(), expected);
        // The same seed always gives the same winner, whatever the alternatives' order.
        let again = break_tie(&o, &TieBreak::Seed { seed: 0 }).unwrap().unwrap();
        assert_eq!(r, again);
    }

    #[test]
    fn no_tie_no_record() {
        let names: Vec<String> = ["x", "y"].map(String::from).to_vec();
        let p = Profile::from_counts(names, vec![(Ranking::strict(&[0], 2).unwrap(), 1)]).unwrap();
        assert_eq!(
            break_tie(&plurality(&p), &TieBreak::Seed { seed: 7 }).unwrap(),
            None
        );
    }

    #[test]
    fn committee_decision_must_be_tied() {
        let o = tied_outcome();
        assert_eq!(
            break_tie(
                &o,
                &TieBreak::Decision {
                    winner: "Nope".into()
                }
            ),
            Err(TieBreakError::NotTied("Nope".into()))
        );
        let r = break_tie(
            &o,
            &TieBreak::Decision {
                winner: "Lawn".into(),
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(r.winner(), "Lawn");
    }

    #[test]
    fn shortlist_order_is_the_alternatives_order() {
        // Tied: Lawn, Garden, Pergola (all); the first listed wins, as `order:` listing them.
        let o = tied_outcome();
        let r = break_tie(&o, &TieBreak::ShortlistOrder).unwrap().unwrap();
        let listed = TieBreak::Order {
            order: o.alternatives.clone(),
        };
        assert_eq!(r.winner(), "Lawn");
        assert_eq!(Some(r), break_tie(&o, &listed).unwrap());
    }

    #[test]
    fn json_forms_are_the_stored_settings() {
        // These exact texts are in consultations' stored settings: they must keep reading.
        let stored = [
            (r#"{"rule":"committee"}"#, TieBreak::Committee),
            (r#"{"rule":"seed","seed":42}"#, TieBreak::Seed { seed: 42 }),
            (r#"{"rule":"shortlist_order"}"#, TieBreak::ShortlistOrder),
        ];
        for (text, rule) in stored {
            assert_eq!(serde_json::from_str::<TieBreak>(text).unwrap(), rule);
            assert_eq!(serde_json::to_string(&rule).unwrap(), text);
        }
        assert_eq!(
            serde_json::from_str::<TieBreak>(r#"{"rule":"none"}"#).unwrap(),
            TieBreak::Committee
        );
        assert!(serde_json::from_str::<TieBreak>(r#"{"rule":"coin"}"#).is_err());
        assert!(serde_json::from_str::<TieBreak>(r#"{"rule":"seed","seed":-1}"#).is_err());
    }

    #[test]
    fn records_read_back() {
        let o = tied_outcome();
        for rule in [
            TieBreak::Seed { seed: 3 },
            TieBreak::ShortlistOrder,
            TieBreak::Decision {
                winner: "Garden".into(),
            },
        ] {
            let r = break_tie(&o, &rule).unwrap().unwrap();
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(serde_json::from_str::<TieBreakRecord>(&text).unwrap(), r);
        }
    }
}
