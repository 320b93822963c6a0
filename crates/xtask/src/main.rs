//! Build chores for Plotwise, in Rust (the cargo-xtask pattern).
//!
//! `cargo xtask run` builds the web app and serves it; `cargo xtask test` runs every check
//! CI runs. Whatever they need is installed by `setup` (idempotent, saying what it installs):
//! the wasm32 rustup target, Debian's chromium, fonts, poppler and postgresql, npm's binaryen and
//! playwright-core (pinned in package-lock files), and a Python venv of test oracles. Nothing
//! is downloaded from outside the package registries; wasm-bindgen runs as a library at the
//! exact version in Cargo.lock, so there is no CLI to install.
//!
//! This is not part of the product: it only drives cargo, npm, apt and node.

mod fuzz;
mod postgres;
mod web;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  run [--release] [--addr A] [--db F]   build the web app and serve it (default 127.0.0.1:8080)
  test                                  everything CI checks: fmt, clippy, tests, wasm32 builds,
                                        web build and browser end-to-end tests
  ci                                    the same as test (what .ci/run calls)
  setup                                 install what the other tasks need (idempotent)
  build-web [--names]                   build web/dist (wasm, bindgen, wasm-opt); --names keeps
                                        function names in the wasm, for `twiggy top` size analysis
  e2e                                   the browser tests only (builds web and server first)
  with-postgres [--durable] CMD ARGS...  run CMD with PLOTWISE_TEST_POSTGRES set to a throwaway
                                        cluster (e.g. cargo test -p plotwise-server --
                                        --include-ignored postgres), stopped afterwards;
                                        --durable: fsync on, as in production
  bench                                 criterion benchmarks of plan and vote, and the server's
                                        ballot benchmark on SQLite and PostgreSQL
  fuzz [--time S] [--merge] [TARGET...] fuzz every reader of outside input (cargo-fuzz, installed
                                        on first use), S seconds per target (default 30, a smoke
                                        run); --merge minimises what was found into fuzz/corpus
";

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        print!("{USAGE}");
        return Ok(());
    };
    let rest = &args[1..];
    std::env::set_current_dir(repo_root()).context("cannot enter the repository root")?;
    match task.as_str() {
        "run" => run_app(rest),
        "test" | "ci" => test_all(),
        "setup" => setup(Needs::all()),
        "build-web" => {
            setup(Needs::web())?;
            let names = match rest {
                [] => false,
                [flag] if flag == "--names" => true,
                _ => bail!("build-web takes only --names, got {rest:?}"),
            };
            web::build_with(web::Options { names })
        }
        "e2e" => {
            setup(Needs::all())?;
            web::build()?;
            cargo(SERVER_BUILD)?;
            e2e(None)?;
            let pg = postgres::Cluster::start(false)?;
            e2e(Some(&pg))
        }
        "bench" => bench(),
        "with-postgres" => {
            let (durable, rest) = match rest.split_first() {
                Some((flag, more)) if flag == "--durable" => (true, more),
                _ => (false, rest),
            };
            let (program, args) = rest
                .split_first()
                .context("with-postgres needs a command to run")?;
            let pg = postgres::Cluster::start(durable)?;
            run_cmd(
                Command::new(program)
                    .args(args)
                    .env(TEST_POSTGRES_ENV, pg.url("postgres")),
            )
        }
        "fuzz" => fuzz::fuzz(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task `{other}`\n{USAGE}"),
    }
}

/// The repository root: two levels above this crate's manifest.
pub fn repo_root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR for the process too: prefer it to the path compiled
    // in, which is stale when the checkout was moved or built from another worktree.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Prints a step's heading.
pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Runs a command, failing with its name when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Runs cargo with these arguments.
pub fn cargo(args: &[&str]) -> Result<()> {
    run_cmd(Command::new(cargo_bin()).args(args))
}

fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// What a task needs installed.
#[derive(Clone, Copy)]
struct Needs {
    wasm: bool,
    browser: bool,
    oracles: bool,
}

impl Needs {
    fn all() -> Self {
        Needs {
            wasm: true,
            browser: true,
            oracles: true,
        }
    }
    fn web() -> Self {
        Needs {
            wasm: true,
            browser: false,
            oracles: false,
        }
    }
}

/// Installs what is missing. Each step checks first, so a second run installs nothing.
fn setup(needs: Needs) -> Result<()> {
    if needs.wasm {
        ensure_wasm_target()?;
        ensure_npm("web")?;
    }
    if needs.browser || needs.oracles {
        ensure_debian_packages()?;
    }
    if needs.browser {
        ensure_npm("tests/e2e")?;
    }
    if needs.oracles {
        ensure_python_venv()?;
        // The server tests' PostgreSQL variants (a throwaway cluster per run).
        postgres::ensure_installed()?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    match out {
        Ok(out) if String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown") => {
            Ok(())
        }
        Ok(_) => {
            step("setup: installing the rustup target wasm32-unknown-unknown");
            run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        }
        Err(_) => {
            // No rustup: the target must come with the toolchain; the wasm build will say so.
            println!(
                "setup: rustup not found; assuming the wasm32-unknown-unknown target is installed"
            );
            Ok(())
        }
    }
}

/// Debian packages: chromium (browser tests), fonts-wqy-microhei (Chinese glyphs in PDF
/// boards), poppler-utils (pdftoppm, to check PDFs), python3-venv (test oracles).
fn ensure_debian_packages() -> Result<()> {
    let wanted: [(&str, &str); 4] = [
        ("chromium", "/usr/bin/chromium"),
        (
            "fonts-wqy-microhei",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        ),
        ("poppler-utils", "/usr/bin/pdftoppm"),
        ("python3-venv", ""),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(pkg, file)| {
            if file.is_empty() {
                !dpkg_installed(pkg)
            } else {
                !Path::new(file).exists()
            }
        })
        .map(|(pkg, _)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        bail!(
            "these Debian packages are needed and apt-get is not available: {}",
            missing.join(" ")
        );
    }
    step(&format!(
        "setup: installing Debian packages: {}",
        missing.join(" ")
    ));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let mut update = Command::new(sudo.first().copied().unwrap_or("apt-get"));
    if !sudo.is_empty() {
        update.arg("apt-get");
    }
    run_cmd(update.args(["update", "-q"]))?;
    let mut install = Command::new(sudo.first().copied().unwrap_or("apt-get"));
    if !sudo.is_empty() {
        install.arg("apt-get");
    }
    install
        .env("DEBIAN_FRONTEND", "noninteractive")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing);
    run_cmd(&mut install)
}

fn dpkg_installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// `npm ci` in a folder whose package-lock.json pins the versions, unless node_modules is
/// already at that lock.
fn ensure_npm(dir: &str) -> Result<()> {
    let lock = Path::new(dir).join("package-lock.json");
    let installed = Path::new(dir).join("node_modules/.package-lock.json");
    let up_to_date = match (std::fs::read(&lock), std::fs::read(&installed)) {
        (Ok(_), Ok(_)) => {
            let lock_time = std::fs::metadata(&lock).and_then(|m| m.modified()).ok();
            let inst_time = std::fs::metadata(&installed)
                .and_then(|m| m.modified())
                .ok();
            matches!((lock_time, inst_time), (Some(l), Some(i)) if i >= l)
        }
        _ => false,
    };
    if up_to_date {
        return Ok(());
    }
    if !have("npm") {
        bail!("npm is needed for {dir} (install Debian's nodejs and npm)");
    }
    step(&format!(
        "setup: npm ci in {dir} (pinned in its package-lock.json)"
    ));
    run_cmd(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(dir),
    )
}

/// The Python venv of test oracles (pref_voting for counts, preflibtools for PrefLib files,
/// ezdxf for DXF), pinned in
/// tests/oracles/requirements.txt.
fn ensure_python_venv() -> Result<()> {
    let req = Path::new("tests/oracles/requirements.txt");
    let stamp = Path::new(".venv/.requirements-installed");
    let wanted = std::fs::read_to_string(req).with_context(|| format!("{}", req.display()))?;
    if std::fs::read_to_string(stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    step("setup: Python venv .venv with the test oracles (tests/oracles/requirements.txt)");
    if !Path::new(".venv/bin/python").exists() {
        run_cmd(Command::new("python3").args(["-m", "venv", ".venv"]))?;
    }
    run_cmd(Command::new(".venv/bin/python").args([
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-r",
        "tests/oracles/requirements.txt",
    ]))?;
    std::fs::write(stamp, wanted).context("cannot write the venv stamp")?;
    Ok(())
}

fn run_app(args: &[String]) -> Result<()> {
    let mut release = false;
    let mut serve_args: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--release" => release = true,
            "--addr" | "--db" => {
                let v = it.next().with_context(|| format!("{a} needs a value"))?;
                serve_args.push(a.clone());
                serve_args.push(v.clone());
            }
            other => bail!("run: unknown option `{other}`\n{USAGE}"),
        }
    }
    setup(Needs::web())?;
    web::build()?;
    step("building the server");
    let mut build = SERVER_BUILD.to_vec();
    if release {
        build.push("--release");
    }
    cargo(&build)?;
    let bin = target_dir()
        .join(if release { "release" } else { "debug" })
        .join("plotwise");
    step("starting plotwise serve");
    run_cmd(
        Command::new(bin)
            .arg("serve")
            .args(&serve_args)
            .env("PLOTWISE_WEB_DIR", "web/dist"),
    )
}

/// Cargo's target folder (honours CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}

/// The arguments of the native test run: every test, the ones that need the oracle venv
/// (`#[ignore = "needs the oracle venv…"]`) included, except the kill -9 test's child, which
/// is not a test of its own (its parent runs it in a child process).
const TEST_ARGS: &[&str] = &[
    "test",
    "--workspace",
    "--locked",
    "--",
    "--include-ignored",
    "--skip",
    "child_serves_until_killed",
];

/// The server binary's build, the same in `run`, `test` and `e2e`, so that none of them
/// rebuilds what another built (`cargo test --workspace` unifies features across the whole
/// workspace and its dev-dependencies, so its `plotwise` is another build).
const SERVER_BUILD: &[&str] = &["build", "--locked", "-p", "plotwise"];

/// One step of `cargo xtask test`: its name, the one command that reruns just it, and what
/// it does.
struct Step {
    name: &'static str,
    rerun: String,
    run: Box<dyn Fn() -> Result<()>>,
}

fn cargo_step(name: &'static str, args: &'static [&'static str]) -> Step {
    Step {
        name,
        rerun: format!("cargo {}", args.join(" ")),
        run: Box::new(move || cargo(args)),
    }
}

/// The PostgreSQL cluster of a `cargo xtask test` run: started by its own step, used by the
/// test and e2e steps, stopped when the run ends (passed or failed).
type SharedCluster = std::rc::Rc<std::cell::RefCell<Option<postgres::Cluster>>>;

/// The environment variable that gives the server tests their PostgreSQL (a URL of the
/// cluster's `postgres` database; each test makes its own database). Without it the tests'
/// PostgreSQL variants fail when run (`--include-ignored`), saying so.
const TEST_POSTGRES_ENV: &str = "PLOTWISE_TEST_POSTGRES";

fn test_steps(pg: &SharedCluster) -> Vec<Step> {
    let (pg_start, pg_test, pg_e2e) = (pg.clone(), pg.clone(), pg.clone());
    vec![
        Step {
            name: "setup",
            rerun: "cargo xtask setup".into(),
            run: Box::new(|| setup(Needs::all())),
        },
        // Every crate of the platforms the project builds, before anything reads the lock file
        // offline (the architecture test reads the resolved graph of both platforms).
        cargo_step(
            "cargo fetch (host and wasm32)",
            &[
                "fetch",
                "--locked",
                "--target",
                HOST,
                "--target",
                "wasm32-unknown-unknown",
            ],
        ),
        cargo_step("cargo fmt --check", &["fmt", "--all", "--", "--check"]),
        cargo_step(
            "cargo clippy -D warnings",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step {
            name: "PostgreSQL cluster for the server tests",
            rerun: "cargo xtask test (the cluster lives as long as the run)".into(),
            run: Box::new(move || {
                *pg_start.borrow_mut() = Some(postgres::Cluster::start(false)?);
                Ok(())
            }),
        },
        Step {
            name: "cargo test (native, oracles and PostgreSQL included)",
            rerun: format!(
                "{TEST_POSTGRES_ENV}=postgres://USER@HOST:PORT/postgres cargo {}",
                TEST_ARGS.join(" ")
            ),
            run: Box::new(move || {
                let pg = pg_test.borrow();
                let url = pg
                    .as_ref()
                    .context("no PostgreSQL cluster")?
                    .url("postgres");
                run_cmd(
                    Command::new(cargo_bin())
                        .args(TEST_ARGS)
                        .env(TEST_POSTGRES_ENV, url),
                )
            }),
        },
        cargo_step(
            "wasm32 build of plan and vote",
            &[
                "build",
                "--locked",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "plotwise-plan",
                "-p",
                "plotwise-vote",
            ],
        ),
        Step {
            name: "web build",
            rerun: "cargo xtask build-web".into(),
            run: Box::new(web::build),
        },
        cargo_step("server build (as cargo xtask run builds it)", SERVER_BUILD),
        Step {
            name: "browser end-to-end tests",
            rerun: "cargo xtask e2e".into(),
            run: Box::new(|| e2e(None)),
        },
        Step {
            name: "browser end-to-end tests, the server on PostgreSQL",
            rerun: "cargo xtask e2e".into(),
            run: Box::new(move || e2e(pg_e2e.borrow().as_ref())),
        },
    ]
}

/// The host's target triple, for `cargo fetch --target` (cargo fetch has no "host" value).
const HOST: &str = env!("XTASK_HOST");

fn test_all() -> Result<()> {
    let started = Instant::now();
    let mut timings: Vec<(&str, f64)> = Vec::new();
    let print_times = |timings: &[(&str, f64)]| {
        for (name, secs) in timings {
            println!("  {secs:7.1} s  {name}");
        }
    };
    let pg = SharedCluster::default();
    for s in test_steps(&pg) {
        let t = Instant::now();
        step(s.name);
        if let Err(e) = (s.run)() {
            timings.push((s.name, t.elapsed().as_secs_f64()));
            println!(
                "\nxtask test: FAILED at step \"{}\" after {:.0} s in all",
                s.name,
                started.elapsed().as_secs_f64()
            );
            print_times(&timings);
            println!("\nTo rerun just this step:\n  {}\n", s.rerun);
            return Err(e.context(format!("step \"{}\" failed", s.name)));
        }
        timings.push((s.name, t.elapsed().as_secs_f64()));
    }
    println!(
        "\nxtask test: all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    print_times(&timings);
    Ok(())
}

/// Runs tests/e2e with node's test runner against the debug server binary (built by
/// [`SERVER_BUILD`]), with each server on a fresh SQLite file, or (`pg`) on a fresh
/// database of that PostgreSQL cluster.
fn e2e(pg: Option<&postgres::Cluster>) -> Result<()> {
    let bin = std::fs::canonicalize(target_dir().join("debug/plotwise"))
        .context("target/debug/plotwise is missing: build it first (cargo build -p plotwise)")?;
    let dist = std::fs::canonicalize("web/dist")
        .context("web/dist is missing: build the web app first")?;
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-concurrency=1"])
        .arg("tests/")
        .current_dir("tests/e2e")
        .env("PLOTWISE_BIN", bin)
        .env("PLOTWISE_WEB_DIR", dist);
    if let Some(pg) = pg {
        // The harness makes one database per server with this createdb.
        cmd.env("PLOTWISE_E2E_POSTGRES", pg.url(""))
            .env("PLOTWISE_E2E_CREATEDB", pg.createdb());
    }
    run_cmd(&mut cmd)
}

fn bench() -> Result<()> {
    step("criterion benchmarks");
    cargo(&[
        "bench",
        "-p",
        "plotwise-plan",
        "-p",
        "plotwise-vote",
        // Only the criterion benches: the libraries' own test harness refuses criterion's
        // options, and `--benches` runs it too (a lib is a bench target by default).
        "--bench",
        "*",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        "3",
    ])?;
    step("server: durable ballots on SQLite and PostgreSQL (a cluster with fsync on)");
    let pg = postgres::Cluster::start(true)?;
    run_cmd(
        Command::new(cargo_bin())
            .args(["bench", "-p", "plotwise-server", "--bench", "ballots"])
            .env("PLOTWISE_BENCH_POSTGRES", pg.url("postgres")),
    )
}
