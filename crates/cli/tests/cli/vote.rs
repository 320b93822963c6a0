//! `plotwise tally` and `plotwise resolve` through the built binary: the command-line contract
//! of DESIGN.md, and differential tests against pref_voting (tests/oracles/pref_voting_oracle.py)
//! on real PrefLib files (tests/fixtures/elections, copied from ../shared/data/elections) and on
//! seeded random profiles.
//!
//! The oracle runs in the Python found at `PLOTWISE_PYTHON`, else `<repo>/.venv/bin/python`
//! (made by the xtask: `pip install pref_voting`). The oracle tests are `#[ignore]`d under a
//! plain `cargo test`; `cargo xtask test` makes the venv and runs them with
//! `--include-ignored`. Run without the venv they fail saying how to make it: they never
//! pass without having compared anything.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{repo_root, run};
use plotwise_vote::preflib::{PreflibMeta, write_orders};
use plotwise_vote::{Approval, Profile, Ranking, Scores, splitmix64};
use serde_json::Value;

/// Runs a command that must succeed and returns its JSON output.
fn run_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "plotwise {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "plotwise {args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Runs a command that must fail with exit code 2 and one line on stderr; returns the line.
fn run_bad(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "plotwise {args:?} should exit 2; stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).trim_end().to_owned();
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    err
}

fn elections() -> PathBuf {
    repo_root().join("tests/fixtures/elections")
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|s| s.as_str().expect("a name").to_owned())
        .collect()
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

/// Runs the oracle on files; returns each file's `winners` object.
fn oracle(python: &Path, files: &[PathBuf]) -> BTreeMap<String, Value> {
    let script = repo_root().join("tests/oracles/pref_voting_oracle.py");
    let out = Command::new(python)
        .arg(&script)
        .args(files)
        .output()
        .expect("the oracle runs");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("oracle JSON");
    v.as_object()
        .expect("an object")
        .iter()
        .map(|(k, v)| (k.clone(), v["winners"].clone()))
        .collect()
}

/// Compares `plotwise tally` with the oracle for every method the oracle answered; returns
/// (agreements, lines describing each comparison, disagreements).
fn compare(
    files: &[PathBuf],
    answers: &BTreeMap<String, Value>,
) -> (usize, Vec<String>, Vec<String>) {
    let mut agree = 0;
    let mut table = Vec::new();
    let mut disagree = Vec::new();
    for file in files {
        let key = file.to_str().expect("UTF-8 path");
        let winners = &answers[key];
        for method in ["plurality", "irv", "schulze", "borda", "approval", "score"] {
            let Some(expected) = winners.get(method) else {
                continue;
            };
            if expected.is_null() {
                table.push(format!("{key} {method}: oracle refuses (tie at the top)"));
                continue;
            }
            let expected = str_list(expected);
            let ours = run_json(&["tally", key, "--method", method]);
            assert_eq!(ours["method"], method);
            assert!(ours["tie_broken_by"].is_null());
            let got = str_list(&ours["winners"]);
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or(key);
            if got == expected {
                agree += 1;
                table.push(format!("{name} {method}: {got:?} (agree)"));
            } else {
                disagree.push(format!(
                    "{name} {method}: plotwise {got:?}, oracle {expected:?}"
                ));
            }
        }
    }
    (agree, table, disagree)
}

#[test]
#[ignore = "needs the oracle venv: cargo xtask test"]
fn tally_agrees_with_pref_voting_on_real_preflib_files() {
    let python = oracle_python();
    let mut files: Vec<PathBuf> = std::fs::read_dir(elections())
        .expect("tests/fixtures/elections")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("soc" | "soi" | "toc" | "toi" | "cat")
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 9, "PrefLib fixtures missing: {files:?}");
    let answers = oracle(&python, &files);
    let (agree, table, disagree) = compare(&files, &answers);
    for line in &table {
        println!("{line}");
    }
    assert!(
        disagree.is_empty(),
        "disagreements:\n{}",
        disagree.join("\n")
    );
    // 9 files × 4 ranked methods + approval on the .cat file.
    assert_eq!(agree, 37, "{table:#?}");
}

#[test]
fn burlington_2009_plurality_irv_and_condorcet_differ() {
    let file = elections().join("00005-00000002.toi");
    let file = file.to_str().expect("UTF-8");
    let winner = |m: &str| str_list(&run_json(&["tally", file, "--method", m])["winners"]);
    // Wright led on first choices, Kiss won the instant-runoff, Montroll was the Condorcet
    // winner (he beats every rival head to head, so Schulze elects him).
    assert_eq!(winner("plurality"), ["Kurt Wright"]);
    assert_eq!(winner("irv"), ["Bob Kiss"]);
    assert_eq!(winner("schulze"), ["Andy Montroll"]);
    let irv = run_json(&["tally", file, "--method", "irv"]);
    let rounds = irv["explanation"]["rounds"].as_array().expect("rounds");
    // The final head-to-head: Kiss ahead of Wright, with the ballots that ran out counted.
    let last_two = &rounds[rounds.len() - 2];
    assert_eq!(last_two["eliminated"], serde_json::json!([4]));
    assert!(last_two["exhausted"].as_u64().expect("exhausted") > 0);
    let schulze = run_json(&["tally", file, "--method", "schulze"]);
    let margins = &schulze["explanation"]["margins"];
    for rival in [0, 2, 3, 4, 5] {
        assert!(
            margins[1][rival].as_i64().expect("margin") > 0,
            "Montroll vs {rival}"
        );
    }
    let plurality = run_json(&["tally", file, "--method", "plurality"]);
    // Some .toi ballots tie two candidates at the top; each got a full point.
    assert!(plurality["tied_first_ballots"].as_u64().expect("count") > 0);
}

/// Small seeded random profiles with ties, truncation and repeated ballots, so that ties
/// for the win and exhausted ballots happen often.
fn random_ranked(seed: u64) -> Profile<Ranking> {
    let mut s = seed;
    let mut next = |n: u64| splitmix64(&mut s) % n;
    let m = 3 + next(4) as usize;
    let names: Vec<String> = (0..m)
        .map(|i| {
            if i == 1 {
                "花园 Garden".to_string()
            } else {
                format!("Option {}", char::from(b'A' + i as u8))
            }
        })
        .collect();
    let distinct = 1 + next(10);
    let mut entries = Vec::new();
    for _ in 0..distinct {
        let mut order: Vec<usize> = (0..m).collect();
        for i in (1..m).rev() {
            order.swap(i, next(i as u64 + 1) as usize);
        }
        let len = if next(3) == 0 {
            1 + next(m as u64) as usize
        } else {
            m
        };
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for &a in &order[..len] {
            match groups.last_mut() {
                Some(g) if next(4) == 0 => g.push(a),
                _ => groups.push(vec![a]),
            }
        }
        entries.push((Ranking::new(groups, m).expect("valid"), 1 + next(4)));
    }
    Profile::from_counts(names, entries).expect("valid profile")
}

#[test]
#[ignore = "needs the oracle venv: cargo xtask test"]
fn tally_agrees_with_pref_voting_on_random_profiles() {
    let python = oracle_python();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for seed in 0..40u64 {
        let p = random_ranked(seed);
        if seed % 2 == 0 {
            let (kind, text) = write_orders(&p, &PreflibMeta::default());
            let path = dir.path().join(format!("random-{seed}.{}", kind.as_str()));
            std::fs::write(&path, text).expect("write");
            files.push(path);
        } else {
            let path = dir.path().join(format!("random-{seed}.csv"));
            std::fs::write(&path, plotwise_vote::csv::write_ranked(&p)).expect("write");
            files.push(path);
        }
    }
    for seed in 0..10u64 {
        let mut s = 1000 + seed;
        let mut next = |n: u64| splitmix64(&mut s) % n;
        let m = 2 + next(4) as usize;
        let names: Vec<String> = (0..m).map(|i| format!("Plan {i}")).collect();
        let voters = 1 + next(12);
        let approvals =
            (0..voters).map(|_| Approval::new((0..m).filter(|_| next(2) == 0), m).expect("valid"));
        let ap =
            Profile::from_ballots(names.clone(), approvals.collect::<Vec<_>>()).expect("valid");
        let path = dir.path().join(format!("random-{seed}.approval.csv"));
        std::fs::write(&path, plotwise_vote::csv::write_approval(&ap)).expect("write");
        files.push(path);
        let scores: Vec<Scores> = (0..voters)
            .map(|_| Scores::new((0..m).map(|_| next(6) as i64).collect()))
            .collect();
        let sp = Profile::from_ballots(names, scores).expect("valid");
        let path = dir.path().join(format!("random-{seed}.score.csv"));
        std::fs::write(&path, plotwise_vote::csv::write_scores(&sp)).expect("write");
        files.push(path);
    }
    let answers = oracle(&python, &files);
    let (agree, table, disagree) = compare(&files, &answers);
    let ties = table.iter().filter(|l| l.contains("\", \"")).count();
    println!(
        "{agree} agreements, {ties} of them tied wins; {} skipped",
        table.len() - agree
    );
    assert!(
        disagree.is_empty(),
        "disagreements:\n{}",
        disagree.join("\n")
    );
    assert!(agree >= 150, "too few comparisons: {agree}");
    assert!(
        ties >= 5,
        "the random profiles should produce tied wins: {ties}"
    );
}

/// A CSV ballot file with a three-way tie under plurality.
fn tied_csv(dir: &Path) -> PathBuf {
    let path = dir.join("tied.csv");
    std::fs::write(&path, "Lawn,Garden,Pergola\n1,2,3\n2,1,3\n3,2,1\n").expect("write");
    path
}

#[test]
fn tie_break_is_a_separate_recorded_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = tied_csv(dir.path());
    let file = file.to_str().expect("UTF-8");
    let none = run_json(&["tally", file, "--method", "plurality"]);
    assert_eq!(str_list(&none["winners"]), ["Lawn", "Garden", "Pergola"]);
    assert!(none["tie_broken_by"].is_null());

    let order = run_json(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "order:Pergola,Lawn,Garden",
    ]);
    assert_eq!(str_list(&order["winners"]), ["Pergola"]);
    assert_eq!(
        str_list(&order["tied_winners"]),
        ["Lawn", "Garden", "Pergola"]
    );
    assert_eq!(order["tie_broken_by"]["rule"], "order");

    let seeded = run_json(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "seed:2026",
    ]);
    let record = &seeded["tie_broken_by"];
    assert_eq!(record["rule"], "seed");
    assert_eq!(record["seed"], 2026);
    // Anyone can redo the draw: SplitMix64 from state 2026, modulo 3, over the sorted names.
    let mut state = 2026u64;
    let draw = splitmix64(&mut state);
    assert_eq!(record["draw"], draw);
    let sorted = ["Garden", "Lawn", "Pergola"];
    assert_eq!(str_list(&seeded["winners"]), [sorted[(draw % 3) as usize]]);
    // Same seed, same answer.
    let again = run_json(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "seed:2026",
    ]);
    assert_eq!(again, seeded);

    let text = run(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "seed:2026",
        "--format",
        "text",
    ]);
    let text = String::from_utf8(text.stdout).expect("UTF-8");
    assert!(
        text.contains("Tied winners: Lawn, Garden, Pergola."),
        "{text}"
    );
    assert!(text.contains("并列当选：Lawn、Garden、Pergola。"), "{text}");
    assert!(text.contains("published seed 2026"), "{text}");

    let err = run_bad(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "order:Lawn,Garden",
    ]);
    assert!(err.contains("Pergola"), "{err}");
    let err = run_bad(&[
        "tally",
        file,
        "--method",
        "plurality",
        "--tie-break",
        "coin",
    ]);
    assert!(err.contains("--tie-break"), "{err}");
}

#[test]
fn tally_text_explains_rounds_in_both_languages() {
    let file = elections().join("00023-00000001.toi");
    let out = run(&[
        "tally",
        file.to_str().expect("UTF-8"),
        "--method",
        "irv",
        "--format",
        "text",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("Round 1:") && text.contains("第 1 轮："),
        "{text}"
    );
    assert!(
        text.contains("Winner: Reuben Snipper.") && text.contains("当选：Reuben Snipper。"),
        "{text}"
    );
}

#[test]
fn tally_bad_input_names_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad_csv = dir.path().join("bad.csv");
    std::fs::write(&bad_csv, "A,B\n1,2\n1,x\n").expect("write");
    let err = run_bad(&["tally", bad_csv.to_str().expect("UTF-8"), "--method", "irv"]);
    assert!(err.contains("bad.csv") && err.contains("line 3"), "{err}");

    let bad_toc = dir.path().join("bad.toc");
    std::fs::write(
        &bad_toc,
        "# DATA TYPE: toc\n# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n3: 1,2\n2: 1\n",
    )
    .expect("write");
    let err = run_bad(&[
        "tally",
        bad_toc.to_str().expect("UTF-8"),
        "--method",
        "borda",
    ]);
    assert!(err.contains("bad.toc") && err.contains("line 6"), "{err}");

    let toi = elections().join("00023-00000001.toi");
    let toi = toi.to_str().expect("UTF-8");
    let err = run_bad(&["tally", toi, "--method", "approval"]);
    assert!(err.contains(".cat"), "{err}");
    let err = run_bad(&["tally", toi, "--method", "stv"]);
    assert!(err.contains("--method"), "{err}");
    let err = run_bad(&["tally", "/nonexistent/ballots.toc", "--method", "irv"]);
    assert!(err.contains("/nonexistent/ballots.toc"), "{err}");
}

fn zhengwen() -> String {
    repo_root()
        .join("tests/fixtures/zhengwen-electorate.csv")
        .to_str()
        .expect("UTF-8")
        .to_owned()
}

/// Writes a votes file: `choice(i, unit)` for each unit of the electorate (None = absent).
fn votes_file(
    dir: &Path,
    name: &str,
    choice: impl Fn(usize, &str) -> Option<&'static str>,
) -> String {
    let units = std::fs::read_to_string(zhengwen()).expect("electorate");
    let mut out = String::from("unit,choice\n");
    for (i, line) in units.lines().skip(1).enumerate() {
        let unit = line.split(',').next().expect("unit");
        if let Some(c) = choice(i, unit) {
            out.push_str(&format!("{unit},{c}\n"));
        }
    }
    let path = dir.join(name);
    std::fs::write(&path, out).expect("write");
    path.to_str().expect("UTF-8").to_owned()
}

#[test]
fn resolve_on_the_zhengwen_electorate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let e = zhengwen();
    // Everyone votes yes: participation and approval are 1/1 by area and by headcount.
    let all_yes = votes_file(dir.path(), "all.csv", |_, _| Some("yes"));
    let r = run_json(&[
        "resolve",
        &all_yes,
        "--electorate",
        &e,
        "--rule",
        "art278-major",
    ]);
    assert_eq!(r["rule"], "art278-major");
    assert_eq!(r["quorum_met"], true);
    assert_eq!(r["passed"], true);
    assert_eq!(r["participation"]["area"], "1/1");
    assert_eq!(r["participation"]["headcount"], "1/1");
    assert_eq!(r["approval"]["headcount"], "1/1");
    // 324 units, 6 owners hold two each: 318 heads by owner, 324 by unit.
    assert_eq!(r["totals"]["eligible_heads"], 318);
    let by_unit = run_json(&[
        "resolve",
        &all_yes,
        "--electorate",
        &e,
        "--rule",
        "art278-major",
        "--headcount",
        "unit",
    ]);
    assert_eq!(by_unit["totals"]["eligible_heads"], 324);

    // Only every other unit votes (O0012's two units are 1-601 and 1-602, rows 10 and 11, so
    // one of them votes): about half take part, below the 2/3 quorum.
    let half = votes_file(dir.path(), "half.csv", |i, _| (i % 2 == 0).then_some("yes"));
    let r = run_json(&[
        "resolve",
        &half,
        "--electorate",
        &e,
        "--rule",
        "art278-ordinary",
    ]);
    assert_eq!(r["quorum_met"], false);
    assert_eq!(r["passed"], false);
    // Counted by hand from the file: the owners with a voting unit, of all owners.
    let units = std::fs::read_to_string(zhengwen()).expect("electorate");
    let rows: Vec<Vec<&str>> = units
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let owners: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[3]).collect();
    let voting: std::collections::BTreeSet<&str> = rows.iter().step_by(2).map(|r| r[3]).collect();
    assert_eq!(owners.len(), 318);
    let gcd = |mut a: usize, mut b: usize| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let g = gcd(voting.len(), owners.len());
    assert_eq!(
        r["participation"]["headcount"],
        format!("{}/{}", voting.len() / g, owners.len() / g)
    );

    // The owner of 1-601 and 1-602 votes both ways: an error naming the owner.
    let split = votes_file(dir.path(), "split.csv", |_, u| {
        Some(if u == "1-602" { "no" } else { "yes" })
    });
    let err = run_bad(&[
        "resolve",
        &split,
        "--electorate",
        &e,
        "--rule",
        "art278-ordinary",
    ]);
    assert!(err.contains("O0012"), "{err}");
    // By unit the same votes are fine.
    let r = run_json(&[
        "resolve",
        &split,
        "--electorate",
        &e,
        "--rule",
        "art278-ordinary",
        "--headcount",
        "unit",
    ]);
    assert_eq!(r["passed"], true);

    // Building 1 has 12 units and 11 owners; 8 unit-heads of 12 is exactly 2/3: not "more than".
    let eight = votes_file(dir.path(), "b1.csv", |_, u| {
        u.strip_prefix("1-")
            .filter(|rest| ["101", "102", "201", "202", "301", "302", "401", "402"].contains(rest))
            .map(|_| "yes")
    });
    let r = run_json(&[
        "resolve",
        &eight,
        "--electorate",
        &e,
        "--rule",
        "building-two-thirds",
        "--building",
        "1",
        "--headcount",
        "unit",
    ]);
    assert_eq!(r["support"]["headcount"], "2/3");
    assert_eq!(r["passed"], false);
    let nine = votes_file(dir.path(), "b1-9.csv", |_, u| {
        u.strip_prefix("1-")
            .filter(|rest| {
                [
                    "101", "102", "201", "202", "301", "302", "401", "402", "501",
                ]
                .contains(rest)
            })
            .map(|_| "yes")
    });
    let r = run_json(&[
        "resolve",
        &nine,
        "--electorate",
        &e,
        "--rule",
        "building-two-thirds",
        "--building",
        "1",
        "--headcount",
        "unit",
    ]);
    assert_eq!(r["passed"], true);

    // Custom thresholds.
    let r = run_json(&[
        "resolve",
        &all_yes,
        "--electorate",
        &e,
        "--rule",
        "custom",
        "--quorum",
        "area>=2/3,headcount>=2/3",
        "--pass",
        "area>1/2,headcount>1/2",
    ]);
    assert_eq!(r["rule"], "custom");
    assert_eq!(r["passed"], true);
    assert_eq!(r["quorum"].as_array().expect("checks").len(), 2);

    // The readable account, in English then Chinese.
    let out = run(&[
        "resolve",
        &half,
        "--electorate",
        &e,
        "--rule",
        "art278-ordinary",
        "--format",
        "text",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("Not passed.") && text.contains("未通过。"),
        "{text}"
    );
    assert!(text.contains("Quorum: participation (area)"), "{text}");
}

#[test]
fn resolve_bad_input_names_file_line_or_option() {
    let dir = tempfile::tempdir().expect("temp dir");
    let e = zhengwen();
    let unknown = dir.path().join("unknown.csv");
    std::fs::write(&unknown, "unit,choice\n1-101,yes\n99-999,no\n").expect("write");
    let unknown = unknown.to_str().expect("UTF-8");
    let err = run_bad(&[
        "resolve",
        unknown,
        "--electorate",
        &e,
        "--rule",
        "art278-major",
    ]);
    assert!(
        err.contains("unknown.csv") && err.contains("line 3") && err.contains("99-999"),
        "{err}"
    );

    let bad_units = dir.path().join("units.csv");
    std::fs::write(
        &bad_units,
        "unit,building,area_m2,owner\na,1,12.5,o\nb,1,1e3,o2\na,1,3,o3\n",
    )
    .expect("write");
    let err = run_bad(&[
        "resolve",
        unknown,
        "--electorate",
        bad_units.to_str().expect("UTF-8"),
        "--rule",
        "art278-major",
    ]);
    assert!(
        err.contains("units.csv") && err.contains("line 3") && err.contains("1 more"),
        "{err}"
    );

    let err = run_bad(&[
        "resolve",
        unknown,
        "--electorate",
        &e,
        "--rule",
        "art278-minor",
    ]);
    assert!(err.contains("--rule"), "{err}");
    let err = run_bad(&[
        "resolve",
        unknown,
        "--electorate",
        &e,
        "--rule",
        "custom",
        "--pass",
        "area>7/4",
    ]);
    assert!(err.contains("area>7/4"), "{err}");
    let err = run_bad(&[
        "resolve",
        unknown,
        "--electorate",
        &e,
        "--rule",
        "art278-major",
        "--headcount",
        "family",
    ]);
    assert!(err.contains("--headcount"), "{err}");
}
