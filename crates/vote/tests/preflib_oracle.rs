//! Our PrefLib exports read by PrefLib's reference reader, preflibtools
//! (tests/oracles/preflibtools_read.py): every export (.soc, .soi, .toc, .toi, .cat) with nasty
//! option names (line breaks, `#`, commas, quotes, Chinese, control characters, names that
//! collide once cleaned) must read back to the same ballots, the same counts and the names
//! our own reader gives.
//!
//! The oracle runs in the Python found at `PLOTWISE_PYTHON`, else `<repo>/.venv/bin/python`
//! (made by `cargo xtask setup` from tests/oracles/requirements.txt). The test is `#[ignore]`d
//! under a plain `cargo test`; `cargo xtask test` makes the venv and runs it with
//! `--include-ignored`. Run without the venv it fails saying how to make one: it never passes
//! without having compared anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use plotwise_vote::preflib::{
    PreflibData, PreflibKind, PreflibMeta, header_names, parse, write_categories, write_orders_as,
};
use plotwise_vote::{Categorized, Profile, Ranking, splitmix64};
use serde_json::Value;

/// A file written, the ballots in it, the names our reader gives, and its categories' names.
type Expected = (
    PathBuf,
    BTreeMap<Groups, u64>,
    Vec<String>,
    Option<Vec<String>>,
);

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

/// The oracle's Python; panics (the test fails) when there is none.
fn oracle_python() -> PathBuf {
    let python = std::env::var_os("PLOTWISE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        python.exists(),
        "needs the oracle venv: no Python at {} (run `cargo xtask setup`, or set PLOTWISE_PYTHON \
         to a Python with tests/oracles/requirements.txt installed)",
        python.display()
    );
    python
}

fn nasty_names(m: usize) -> Vec<String> {
    let pool = [
        "Garden\n# NUMBER VOTERS: 999\n5: 1,2",
        "Car park, north side",
        "\"Plaza\" #2: the big one",
        "花园\r\n方案 A（社区）",
        "  padded\t",
        "Garden # NUMBER VOTERS: 999 5: 1,2",
        "\u{2028}\u{85}\u{b}\u{c}\u{1}",
        "line\u{1c}break\u{2029}end",
        "{1,2}: 3",
        "# ALTERNATIVE NAME 1: forged",
        "微更新：休憩点 #1, \"老人\"",
        "tab\tand\u{7f}delete",
    ];
    (0..m).map(|i| pool[i % pool.len()].to_owned()).collect()
}

/// A seeded random ballot: a weak order of some alternatives (strict and/or complete when
/// asked).
fn random_ranking(state: &mut u64, m: usize, strict: bool, complete: bool) -> Ranking {
    let mut order: Vec<usize> = (0..m).collect();
    for i in (1..m).rev() {
        order.swap(i, (splitmix64(state) % (i as u64 + 1)) as usize);
    }
    let len = if complete {
        m
    } else {
        1 + (splitmix64(state) % m as u64) as usize
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &a in &order[..len] {
        let tie = !strict && splitmix64(state).is_multiple_of(3);
        match groups.last_mut() {
            Some(g) if tie => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    Ranking::new(groups, m).expect("a valid ranking")
}

fn orders(seed: u64, m: usize, kind: PreflibKind) -> Profile<Ranking> {
    let strict = matches!(kind, PreflibKind::Soc | PreflibKind::Soi);
    let complete = matches!(kind, PreflibKind::Soc | PreflibKind::Toc);
    let mut state = seed;
    let ballots: Vec<(Ranking, u64)> = (0..25)
        .map(|_| {
            let r = random_ranking(&mut state, m, strict, complete);
            (r, 1 + splitmix64(&mut state) % 4)
        })
        .collect();
    Profile::from_counts(nasty_names(m), ballots).expect("a valid profile")
}

fn categories(seed: u64, m: usize, c: u16) -> Profile<Categorized> {
    let mut state = seed;
    let ballots: Vec<(Categorized, u64)> = (0..20)
        .map(|_| {
            let mut groups: Vec<Vec<usize>> = vec![Vec::new(); c as usize];
            for a in 0..m {
                groups[(splitmix64(&mut state) % u64::from(c)) as usize].push(a);
            }
            let b = Categorized::new(&groups, m).expect("a valid ballot");
            (b, 1 + splitmix64(&mut state) % 3)
        })
        .collect();
    Profile::from_counts(nasty_names(m), ballots).expect("a valid profile")
}

/// A ballot as the oracle prints it: groups of 1-based alternatives.
type Groups = Vec<Vec<u64>>;

fn our_orders(p: &Profile<Ranking>) -> BTreeMap<Groups, u64> {
    p.entries()
        .iter()
        .map(|(r, n)| {
            let g = r
                .groups()
                .map(|g| g.iter().map(|&a| u64::from(a) + 1).collect())
                .collect();
            (g, *n)
        })
        .collect()
}

fn our_categories(p: &Profile<Categorized>, c: u16) -> BTreeMap<Groups, u64> {
    p.entries()
        .iter()
        .map(|(b, n)| {
            let g = (0..c)
                .map(|k| b.members(k).iter().map(|&a| a as u64 + 1).collect())
                .collect();
            (g, *n)
        })
        .collect()
}

fn oracle_ballots(entry: &Value) -> BTreeMap<Groups, u64> {
    entry["ballots"]
        .as_array()
        .expect("ballots")
        .iter()
        .map(|b| {
            let groups: Groups = b[1]
                .as_array()
                .expect("groups")
                .iter()
                .map(|g| {
                    let mut g: Vec<u64> = g
                        .as_array()
                        .expect("a group")
                        .iter()
                        .map(|a| a.as_u64().expect("an alternative"))
                        .collect();
                    g.sort_unstable();
                    g
                })
                .collect();
            (groups, b[0].as_u64().expect("a count"))
        })
        .collect()
}

fn names_of(entry: &Value, key: &str) -> Vec<String> {
    let map = entry[key].as_object().expect("names");
    (1..=map.len())
        .map(|i| {
            map.get(&i.to_string())
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no name {i} in {entry}"))
                .to_owned()
        })
        .collect()
}

#[test]
#[ignore = "needs the oracle venv: cargo xtask test"]
fn every_export_reads_back_through_preflibtools() {
    let python = oracle_python();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("preflib-oracle");
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let meta = PreflibMeta {
        file_name: "audit\nexport".into(),
        title: "方案投票\n# NUMBER VOTERS: 1".into(),
        description: "Option vote, \"final\"\r\n2: 1".into(),
        publication_date: "2026-05-20".into(),
        modification_date: "2026-05-20".into(),
    };
    // (file, the ballots we wrote, the names our reader gives, categories' names).
    let mut expected: Vec<Expected> = Vec::new();
    for (round, m) in [3usize, 5, 12].into_iter().enumerate() {
        for kind in [
            PreflibKind::Soc,
            PreflibKind::Soi,
            PreflibKind::Toc,
            PreflibKind::Toi,
        ] {
            let p = orders(round as u64 * 97 + m as u64, m, kind);
            let text = write_orders_as(&p, kind, &meta).expect("the ballots fit the type");
            let back = parse(&text, None).expect("our reader reads our export");
            assert_eq!(back.ranked().entries(), p.entries(), "{text}");
            let path = dir.join(format!("r{round}-m{m}.{}", kind.as_str()));
            std::fs::write(&path, &text).expect("written");
            let names = header_names(p.alternatives(), "Alternative");
            assert_eq!(back.alternatives(), names.as_slice());
            expected.push((path, our_orders(&p), names, None));
        }
        for c in [1u16, 2, 3] {
            let p = categories(round as u64 * 31 + u64::from(c), m, c);
            let cat_names: Vec<String> =
                ["Yes\n# NUMBER CATEGORIES: 9", "No, never", "也许 \"maybe\""][..c as usize]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
            let text = write_categories(&p, &cat_names, &meta);
            let back = parse(&text, None).expect("our reader reads our export");
            let PreflibData::Categories { names, profile } = &back.data else {
                panic!("a .cat file reads as categories")
            };
            assert_eq!(profile.entries(), p.entries(), "{text}");
            let path = dir.join(format!("r{round}-m{m}-c{c}.cat"));
            std::fs::write(&path, &text).expect("written");
            expected.push((
                path,
                our_categories(&p, c),
                back.alternatives().to_vec(),
                Some(names.clone()),
            ));
        }
    }
    let script = repo_root().join("tests/oracles/preflibtools_read.py");
    let out = Command::new(&python)
        .arg(&script)
        .args(expected.iter().map(|e| &e.0))
        .output()
        .expect("the oracle runs");
    assert!(
        out.status.success(),
        "preflibtools could not read our exports: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Value = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    for (path, ballots, names, cat_names) in &expected {
        let key = path.to_str().expect("UTF-8 path");
        let entry = &answers[key];
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .expect("an extension");
        assert_eq!(entry["data_type"], ext, "{key}");
        assert_eq!(entry["num_alternatives"], names.len(), "{key}");
        assert_eq!(
            entry["num_voters"].as_u64(),
            Some(ballots.values().sum::<u64>()),
            "{key}"
        );
        assert_eq!(&names_of(entry, "alternatives"), names, "{key}");
        if let Some(cn) = cat_names {
            assert_eq!(&names_of(entry, "categories"), cn, "{key}");
        }
        assert_eq!(&oracle_ballots(entry), ballots, "{key}");
    }
    assert_eq!(expected.len(), 3 * (4 + 3));
}
