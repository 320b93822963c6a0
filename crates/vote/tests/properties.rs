//! Property tests of the counting methods, formats and resolutions.

use num_rational::BigRational;
use plotwise_vote::preflib::{self, PreflibMeta};
use plotwise_vote::{
    Approval, Categorized, Choice, Electorate, Explanation, HeadcountRule, Method, Outcome,
    Profile, Ranking, Rule, TieBreak, Votes, break_tie, count_ranked, evaluate, instant_runoff,
    schulze, splitmix64,
};
use proptest::prelude::*;

fn names(m: usize) -> Vec<String> {
    (0..m).map(|i| format!("Option {i}")).collect()
}

/// A weak order, possibly incomplete, over `m` alternatives, drawn from `seed`.
fn ranking(m: usize, seed: u64, strict: bool, complete: bool) -> Ranking {
    let mut s = seed;
    let mut next = |n: u64| splitmix64(&mut s) % n;
    let mut order: Vec<usize> = (0..m).collect();
    for i in (1..m).rev() {
        order.swap(i, next(i as u64 + 1) as usize);
    }
    let len = if complete || next(3) > 0 {
        m
    } else {
        next(m as u64 + 1) as usize
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &a in &order[..len] {
        match groups.last_mut() {
            Some(g) if !strict && next(4) == 0 => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    Ranking::new(groups, m).unwrap()
}

/// Ballot seeds with counts; `m` alternatives.
fn profile_strategy() -> impl Strategy<Value = (usize, Vec<(u64, u64)>, bool, bool)> {
    (
        2usize..7,
        prop::collection::vec((any::<u64>(), 1u64..6), 0..25),
        any::<bool>(),
        any::<bool>(),
    )
}

fn build(m: usize, seeds: &[(u64, u64)], strict: bool, complete: bool) -> Profile<Ranking> {
    Profile::from_counts(
        names(m),
        seeds
            .iter()
            .map(|&(s, c)| (ranking(m, s, strict, complete), c)),
    )
    .unwrap()
}

const RANKED: [Method; 4] = [
    Method::Plurality,
    Method::Borda,
    Method::Irv,
    Method::Schulze,
];

fn all_outcomes(p: &Profile<Ranking>) -> Vec<Outcome> {
    RANKED
        .iter()
        .map(|&m| count_ranked(m, p).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn irv_elects_a_majoritys_first_choice(
        (m, seeds, strict, complete) in profile_strategy(),
        pick in any::<prop::sample::Index>(),
        extra in 1u64..4,
    ) {
        let others = build(m, &seeds, strict, complete);
        let c = pick.index(m);
        // A strict majority ranks c alone at the top (the rest of each ballot is arbitrary).
        let majority = others.voters() + extra;
        let mut entries: Vec<(Ranking, u64)> = others.entries().to_vec();
        let mut rest: Vec<usize> = (0..m).filter(|&a| a != c).collect();
        rest.reverse();
        let mut order = vec![c];
        order.extend(rest);
        entries.push((Ranking::strict(&order, m).unwrap(), majority));
        let p = Profile::from_counts(names(m), entries).unwrap();
        let want = vec![format!("Option {c}")];
        prop_assert_eq!(&instant_runoff(&p).winners, &want);
        // A majority's first choice is also the Condorcet winner, so Schulze and plurality agree.
        prop_assert_eq!(&schulze(&p).winners, &want);
        prop_assert_eq!(&plotwise_vote::plurality(&p).winners, &want);
    }

    #[test]
    fn schulze_elects_the_condorcet_winner((m, seeds, strict, complete) in profile_strategy()) {
        let p = build(m, &seeds, strict, complete);
        // Pairwise preferences counted here, independently of the crate: ranked above
        // unranked, a smaller group index above a larger one.
        let mut beats = vec![vec![0i64; m]; m];
        for (r, n) in p.entries() {
            let pos = r.positions(m);
            for a in 0..m {
                for b in 0..m {
                    if pos[a] < pos[b] {
                        beats[a][b] += *n as i64;
                    }
                }
            }
        }
        let condorcet = (0..m).find(|&a| (0..m).all(|b| b == a || beats[a][b] > beats[b][a]));
        let o = schulze(&p);
        if let Some(c) = condorcet {
            prop_assert_eq!(o.winners, vec![format!("Option {c}")]);
        } else {
            prop_assert!(!o.winners.is_empty(), "Schulze always has a winner");
        }
    }

    #[test]
    fn results_do_not_depend_on_ballot_order(
        (m, seeds, strict, complete) in profile_strategy(),
        shuffle in any::<u64>(),
    ) {
        // One entry per voter, in the order given, then shuffled, then split into pieces.
        let mut voters: Vec<Ranking> = Vec::new();
        for &(s, c) in &seeds {
            for _ in 0..c {
                voters.push(ranking(m, s, strict, complete));
            }
        }
        let a = Profile::from_ballots(names(m), voters.clone()).unwrap();
        let mut st = shuffle;
        for i in (1..voters.len()).rev() {
            voters.swap(i, (splitmix64(&mut st) % (i as u64 + 1)) as usize);
        }
        let b = Profile::from_ballots(names(m), voters.clone()).unwrap();
        let c = Profile::from_counts(names(m), voters.into_iter().rev().map(|r| (r, 1))).unwrap();
        prop_assert_eq!(all_outcomes(&a), all_outcomes(&b));
        prop_assert_eq!(all_outcomes(&a), all_outcomes(&c));
    }

    #[test]
    fn borda_hands_out_a_fixed_total((m, seeds, strict, complete) in profile_strategy()) {
        let p = build(m, &seeds, strict, complete);
        let o = plotwise_vote::borda(&p);
        let Explanation::Borda { scores } = &o.explanation else { unreachable!() };
        let total: u128 = scores.iter().map(|s| s.0).sum();
        // Each ballot hands out 0 + 1 + … + (m−1) points (doubled here).
        prop_assert_eq!(total, u128::from(p.voters()) * (m * (m - 1)) as u128);
    }

    #[test]
    fn irv_rounds_account_for_every_strict_ballot((m, seeds, _s, complete) in profile_strategy()) {
        let p = build(m, &seeds, true, complete);
        let o = instant_runoff(&p);
        let Explanation::Irv { rounds } = &o.explanation else { unreachable!() };
        for r in rounds {
            let counted: u64 = r.votes.iter().flatten().sum();
            prop_assert_eq!(counted + r.exhausted, p.voters());
        }
        // The exhausted pile only grows; each round eliminates someone or ends the count.
        for w in rounds.windows(2) {
            prop_assert!(w[0].exhausted <= w[1].exhausted);
            prop_assert!(!w[0].eliminated.is_empty());
        }
        prop_assert!(!o.winners.is_empty());
    }

    #[test]
    fn preflib_write_read_round_trip((m, seeds, strict, complete) in profile_strategy()) {
        let p = build(m, &seeds, strict, complete);
        let (kind, text) = preflib::write_orders(&p, &PreflibMeta::default());
        let back = preflib::parse(&text, None).unwrap();
        prop_assert_eq!(back.kind, kind);
        prop_assert_eq!(back.ranked(), p.clone());
        // CSV too.
        let csv = plotwise_vote::csv::write_ranked(&p);
        let from_csv = plotwise_vote::csv::read_ranked(&csv).unwrap();
        // An empty ballot is a row of empty cells ("," for two alternatives), read back as is.
        prop_assert_eq!(from_csv, p);
    }

    #[test]
    fn cat_and_approval_round_trip(m in 1usize..8, ballots in prop::collection::vec((any::<u64>(), 1u64..4), 0..20)) {
        let approvals: Vec<(Approval, u64)> = ballots
            .iter()
            .map(|&(s, c)| (Approval::new((0..m).filter(|a| s >> a & 1 == 1), m).unwrap(), c))
            .collect();
        let p = Profile::from_counts(names(m), approvals).unwrap();
        let text = preflib::write_approval(&p, &PreflibMeta::default());
        prop_assert_eq!(preflib::parse(&text, None).unwrap().approval().unwrap(), p.clone());
        let cats: Vec<(Categorized, u64)> = ballots
            .iter()
            .map(|&(s, c)| {
                let sets: Vec<Vec<usize>> = (0..3)
                    .map(|k| (0..m).filter(|a| (s >> (2 * a)) % 4 == k).collect())
                    .collect();
                (Categorized::new(&sets, m).unwrap(), c)
            })
            .collect();
        let cp = Profile::from_counts(names(m), cats).unwrap();
        let cnames = vec!["Yes".to_string(), "Maybe".to_string(), "No".to_string()];
        let text = preflib::write_categories(&cp, &cnames, &PreflibMeta::default());
        let back = preflib::parse(&text, None).unwrap();
        prop_assert_eq!(back.data, preflib::PreflibData::Categories { names: cnames, profile: cp });
    }

    #[test]
    fn tie_breaks_pick_a_tied_winner((m, seeds, strict, complete) in profile_strategy(), seed in any::<u64>()) {
        let p = build(m, &seeds, strict, complete);
        for o in all_outcomes(&p) {
            let r = break_tie(&o, &TieBreak::Seed { seed }).unwrap();
            prop_assert_eq!(r.is_some(), o.is_tie());
            if let Some(r) = r {
                prop_assert!(o.winners.iter().any(|w| w == r.winner()));
            }
            let order: Vec<String> = names(m).into_iter().rev().collect();
            if let Some(r) = break_tie(&o, &TieBreak::Order { order: order.clone() }).unwrap() {
                let first = order.iter().find(|n| o.winners.contains(n)).unwrap();
                prop_assert_eq!(r.winner(), first.as_str());
            }
        }
    }

    #[test]
    fn one_more_yes_never_undoes_a_pass(
        areas in prop::collection::vec(1u32..20_000, 3..12),
        choices in prop::collection::vec(0u8..4, 12),
        newcomer in any::<prop::sample::Index>(),
    ) {
        // Units with areas in hundredths of m² (exact decimals), one owner each.
        let mut text = String::from("unit,building,area_m2,owner\n");
        for (i, a) in areas.iter().enumerate() {
            text.push_str(&format!("u{i},1,{}.{:02},o{i}\n", a / 100 + 1, a % 100));
        }
        let e = Electorate::parse_csv(&text).unwrap();
        let pick = |c: u8| match c { 0 => Some(Choice::Yes), 1 => Some(Choice::No), 2 => Some(Choice::Abstain), _ => None };
        let mut votes: Vec<(String, Choice)> = (0..areas.len())
            .filter_map(|i| pick(choices[i]).map(|c| (format!("u{i}"), c)))
            .collect();
        let absent: Vec<usize> = (0..areas.len()).filter(|&i| pick(choices[i]).is_none()).collect();
        for rule in [Rule::Art278Ordinary, Rule::Art278Major, Rule::Support10] {
            let before = evaluate(&rule, &e, &Votes::new(&e, votes.clone()).unwrap(), HeadcountRule::Unit).unwrap();
            // Shares are fractions in [0, 1] in lowest terms.
            for f in [&before.participation.area, &before.approval.headcount, &before.support.area] {
                prop_assert!(f.0 >= BigRational::from_integer(0.into()) && f.0 <= BigRational::from_integer(1.into()));
            }
            if let (true, false) = (before.passed, absent.is_empty()) {
                let mut more = votes.clone();
                more.push((format!("u{}", absent[newcomer.index(absent.len())]), Choice::Yes));
                let after = evaluate(&rule, &e, &Votes::new(&e, more).unwrap(), HeadcountRule::Unit).unwrap();
                prop_assert!(after.passed, "{:?} passed, then failed with one more yes", rule);
            }
        }
        votes.clear();
    }
}
