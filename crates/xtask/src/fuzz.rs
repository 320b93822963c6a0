//! `cargo xtask fuzz`: coverage-guided fuzzing of every reader of outside input, with
//! cargo-fuzz and libFuzzer, outside CI.
//!
//! The targets are `fuzz/fuzz_targets/*.rs`, each one line around a function of
//! `crates/fuzz` (the readers called as the CLI and server call them, with their properties);
//! `fuzz/` is its own cargo workspace, so the normal build, clippy and CI never compile it.
//! Each target fuzzes into `fuzz/work/<target>/` (not committed), reading the committed
//! `fuzz/corpus/<target>/`, `fuzz/seeds/<target>/` and `fuzz/regressions/<target>/`; an input
//! that panics, or takes over a second (`-timeout=1`), or over 2 GB, is written to
//! `fuzz/artifacts/<target>/` and the task fails naming it. `--merge` then minimises what the
//! run found into `fuzz/corpus/<target>/` (libFuzzer's `-set_cover_merge=1`), to commit.
//!
//! Why cargo-fuzz with no sanitizer (`-s none`): libFuzzer's coverage guidance finds what
//! random inputs never reach (a `# DATA TYPE:` line, a closed ring), and its instrumentation
//! is stable `-C` flags, so it builds with the stable toolchain as it is. AddressSanitizer
//! would need `-Zsanitizer` (a nightly toolchain, or `RUSTC_BOOTSTRAP=1` on stable) and halve
//! the speed, for memory errors that Plotwise's code, which forbids `unsafe`, cannot make.
//! What it needs is installed on first use: cargo-fuzz at [`CARGO_FUZZ_VERSION`] (`cargo
//! install --locked`, about 3 minutes) and, if missing, a C++ compiler (Debian's `g++`) for
//! libFuzzer itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::{HOST, have, is_root, run_cmd, step};

/// The cargo-fuzz release installed (crates.io).
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Seconds per target when `--time` is not given: a smoke run.
const SMOKE_SECONDS: u64 = 30;

/// Options of `cargo xtask fuzz`.
struct Options {
    seconds: u64,
    merge: bool,
    targets: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut o = Options {
        seconds: SMOKE_SECONDS,
        merge: false,
        targets: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--time" => {
                let v = it.next().context("--time needs a number of seconds")?;
                o.seconds = v
                    .parse()
                    .ok()
                    .filter(|&s| s > 0)
                    .with_context(|| format!("--time {v:?}: expected whole seconds > 0"))?;
            }
            "--merge" => o.merge = true,
            flag if flag.starts_with('-') => bail!("fuzz: unknown option `{flag}`"),
            target => o.targets.push(target.to_owned()),
        }
    }
    Ok(o)
}

/// The targets: the file stems in `fuzz/fuzz_targets`, sorted.
fn all_targets() -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir("fuzz/fuzz_targets")
        .context("fuzz/fuzz_targets")?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let p = e.path();
            (p.extension()? == "rs").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    Ok(names)
}

/// What one run found, read from libFuzzer's final statistics.
#[derive(Default)]
struct Stats {
    execs: u64,
    per_sec: u64,
    coverage: String,
    slowest_s: u64,
}

fn read_stats(log: &str) -> Stats {
    let stat = |key: &str| {
        log.lines()
            .find_map(|l| l.strip_prefix(&format!("stat::{key}:")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    // The last progress line: `#N  DONE   cov: C ft: F corp: U/SIZE …`.
    let coverage = log
        .lines()
        .rev()
        .find(|l| l.starts_with('#') && l.contains(" cov: "))
        .and_then(|l| l.find(" cov: ").map(|i| &l[i + 1..]))
        .map(|rest| {
            let words: Vec<&str> = rest.split_whitespace().take(6).collect();
            words.join(" ")
        })
        .unwrap_or_default();
    Stats {
        execs: stat("number_of_executed_units"),
        per_sec: stat("average_exec_per_sec"),
        coverage,
        slowest_s: stat("slowest_unit_time_sec"),
    }
}

/// `cargo xtask fuzz [--time S] [--merge] [TARGET…]`.
pub fn fuzz(args: &[String]) -> Result<()> {
    let o = parse(args)?;
    let all = all_targets()?;
    let targets = if o.targets.is_empty() {
        all.clone()
    } else {
        for t in &o.targets {
            if !all.contains(t) {
                bail!("fuzz: no target `{t}` (targets: {})", all.join(", "));
            }
        }
        o.targets.clone()
    };
    ensure_tools()?;
    step("building the fuzz targets (cargo fuzz build -s none, in fuzz/target)");
    run_cmd(Command::new(crate::cargo_bin()).args([
        "fuzz",
        "build",
        "-s",
        "none",
        "--target",
        HOST,
        "--target-dir",
        "fuzz/target",
    ]))?;
    let bin_dir = Path::new("fuzz/target").join(HOST).join("release");
    let mut failed = Vec::new();
    let mut rows = Vec::new();
    for t in &targets {
        step(&format!("fuzzing {t} for {} s", o.seconds));
        let (ok, stats, log) = run_target(&bin_dir.join(t), t, o.seconds)?;
        if !ok {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            for l in tail.iter().rev() {
                println!("  {l}");
            }
            let artifact = log
                .lines()
                .find_map(|l| l.split("Test unit written to ").nth(1))
                .unwrap_or("(see the log)")
                .trim()
                .to_owned();
            println!(
                "\n{t}: FAILED on {artifact}\n  rerun it: fuzz/target/{HOST}/release/{t} {artifact}\n  log: fuzz/work/{t}.log"
            );
            failed.push(t.clone());
        } else if o.merge {
            merge(&bin_dir.join(t), t)?;
        }
        rows.push((t.clone(), ok, stats));
    }
    println!(
        "\n{:<16} {:>10} {:>8} {:>8}  coverage",
        "target", "execs", "exec/s", "slowest"
    );
    for (t, ok, s) in &rows {
        println!(
            "{t:<16} {:>10} {:>8} {:>7}s  {}{}",
            s.execs,
            s.per_sec,
            s.slowest_s,
            s.coverage,
            if *ok { "" } else { "  FAILED" }
        );
    }
    if !failed.is_empty() {
        bail!("fuzzing found failures in: {}", failed.join(", "));
    }
    Ok(())
}

/// Runs one target for `seconds`, its output in `fuzz/work/<t>.log`.
fn run_target(bin: &Path, t: &str, seconds: u64) -> Result<(bool, Stats, String)> {
    let work = PathBuf::from("fuzz/work").join(t);
    let artifacts = PathBuf::from("fuzz/artifacts").join(t);
    std::fs::create_dir_all(&work).with_context(|| work.display().to_string())?;
    std::fs::create_dir_all(&artifacts).with_context(|| artifacts.display().to_string())?;
    let log_path = PathBuf::from("fuzz/work").join(format!("{t}.log"));
    let log_file =
        std::fs::File::create(&log_path).with_context(|| log_path.display().to_string())?;
    let mut cmd = Command::new(bin);
    cmd.arg(&work);
    for dir in ["corpus", "seeds", "regressions"] {
        let d = Path::new("fuzz").join(dir).join(t);
        if d.is_dir() {
            cmd.arg(d);
        }
    }
    cmd.args([
        format!("-max_total_time={seconds}"),
        "-timeout=1".to_owned(),
        "-rss_limit_mb=2048".to_owned(),
        "-print_final_stats=1".to_owned(),
        format!("-artifact_prefix={}/", artifacts.display()),
    ])
    .stdout(Stdio::from(log_file.try_clone()?))
    .stderr(Stdio::from(log_file));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    Ok((status.success(), read_stats(&log), log))
}

/// Minimises the committed corpus and what this run found into `fuzz/corpus/<t>`: the
/// inputs that, together, reach every coverage edge any of them reaches
/// (libFuzzer's greedy set cover over edges, not hit counts: a few hundred inputs per target
/// instead of thousands, so the committed corpus stays a few MB).
fn merge(bin: &Path, t: &str) -> Result<()> {
    let corpus = PathBuf::from("fuzz/corpus").join(t);
    let merged = PathBuf::from("fuzz/work").join(format!("{t}.merged"));
    let _ = std::fs::remove_dir_all(&merged);
    std::fs::create_dir_all(&merged)?;
    std::fs::create_dir_all(&corpus)?;
    let out = Command::new(bin)
        .args(["-set_cover_merge=1", "-use_counters=0"])
        .arg(&merged)
        .arg(&corpus)
        .arg(PathBuf::from("fuzz/work").join(t))
        .output()
        .with_context(|| format!("cannot start {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "merging the {t} corpus failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::remove_dir_all(&corpus)?;
    std::fs::rename(&merged, &corpus)?;
    let files = std::fs::read_dir(&corpus)?.count();
    println!("  {t}: fuzz/corpus/{t} minimised to {files} inputs");
    Ok(())
}

/// cargo-fuzz at [`CARGO_FUZZ_VERSION`], and a C++ compiler for libFuzzer.
fn ensure_tools() -> Result<()> {
    let version = Command::new(crate::cargo_bin())
        .args(["fuzz", "--version"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !version.split_whitespace().any(|w| w == CARGO_FUZZ_VERSION) {
        step(&format!(
            "setup: installing cargo-fuzz {CARGO_FUZZ_VERSION} from crates.io (cargo install --locked), for the fuzz task only"
        ));
        run_cmd(Command::new(crate::cargo_bin()).args([
            "install",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
            "--locked",
        ]))?;
    }
    if !have("c++") {
        if !have("apt-get") {
            bail!("libFuzzer needs a C++ compiler (c++), and apt-get is not available");
        }
        step("setup: installing Debian's g++ (libfuzzer-sys compiles libFuzzer)");
        let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
        let apt = |args: &[&str]| {
            let mut cmd = Command::new(sudo.first().copied().unwrap_or("apt-get"));
            if !sudo.is_empty() {
                cmd.arg("apt-get");
            }
            cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
            run_cmd(&mut cmd)
        };
        apt(&["update", "-q"])?;
        apt(&["install", "-y", "-q", "--no-install-recommends", "g++"])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_statistics_are_read() {
        let log = "#2\tINITED cov: 10 ft: 11 corp: 1/1b exec/s: 0 rss: 30Mb\n\
                   #74190\tDONE   cov: 1772 ft: 7410 corp: 661/1978Kb lim: 11811 exec/s: 1216 rss: 33Mb\n\
                   Done 74190 runs in 61 second(s)\n\
                   stat::number_of_executed_units: 74190\n\
                   stat::average_exec_per_sec:     1216\n\
                   stat::slowest_unit_time_sec:    0\n";
        let s = read_stats(log);
        assert_eq!((s.execs, s.per_sec, s.slowest_s), (74190, 1216, 0));
        assert_eq!(s.coverage, "cov: 1772 ft: 7410 corp: 661/1978Kb");
        let o = parse(&["--time".into(), "600".into(), "wkt".into()]).unwrap();
        assert_eq!(
            (o.seconds, o.merge, o.targets),
            (600, false, vec!["wkt".to_owned()])
        );
        assert!(parse(&["--time".into(), "0".into()]).is_err());
    }
}
