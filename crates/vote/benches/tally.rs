//! One million ranked ballots over 8 options through instant-runoff and Schulze (DESIGN.md's
//! target: each under 1 s native, under 200 MB).
//!
//! Run with `cargo bench -p plotwise-vote --bench tally`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use plotwise_vote::{Profile, ProfileBuilder, Ranking, instant_runoff, schulze, splitmix64};

const VOTERS: u64 = 1_000_000;
const OPTIONS: usize = 8;

/// The `i`-th of a million seeded ballots: 70 % complete strict orders, 20 % truncated, 10 %
/// with ties, drawn with SplitMix64 (so the profile has tens of thousands of distinct ballots).
fn ballot(state: &mut u64) -> Ranking {
    let mut order: [usize; OPTIONS] = std::array::from_fn(|i| i);
    for i in (1..OPTIONS).rev() {
        order.swap(i, (splitmix64(state) % (i as u64 + 1)) as usize);
    }
    let kind = splitmix64(state) % 10;
    let len = if (7..9).contains(&kind) {
        1 + (splitmix64(state) % OPTIONS as u64) as usize
    } else {
        OPTIONS
    };
    if kind == 9 {
        // Pairs tied: {a, b} > {c, d} > …
        Ranking::new(order.chunks(2).map(|c| c.iter().copied()), OPTIONS).expect("valid")
    } else {
        Ranking::strict(&order[..len], OPTIONS).expect("valid")
    }
}

fn names() -> Vec<String> {
    (1..=OPTIONS).map(|i| format!("Layout {i}")).collect()
}

/// Streams a million ballots into a profile, merging identical ones as they arrive.
fn aggregate() -> Profile<Ranking> {
    let mut state = 2026;
    let mut b = ProfileBuilder::new(names()).expect("names");
    for _ in 0..VOTERS {
        b.add(ballot(&mut state), 1).expect("fits");
    }
    b.build()
}

fn benches(c: &mut Criterion) {
    let profile = aggregate();
    eprintln!(
        "{} voters, {} distinct ballots",
        profile.voters(),
        profile.entries().len()
    );
    let mut g = c.benchmark_group("tally_1M_ballots_8_options");
    g.sample_size(10);
    g.bench_function("aggregate", |b| b.iter(|| black_box(aggregate())));
    g.bench_function("irv_counted", |b| {
        b.iter(|| black_box(instant_runoff(black_box(&profile))))
    });
    g.bench_function("schulze_counted", |b| {
        b.iter(|| black_box(schulze(black_box(&profile))))
    });
    g.bench_function("irv_end_to_end", |b| {
        b.iter(|| black_box(instant_runoff(&aggregate())))
    });
    g.bench_function("schulze_end_to_end", |b| {
        b.iter(|| black_box(schulze(&aggregate())))
    });
    g.finish();
}

criterion_group!(tally, benches);
criterion_main!(tally);
