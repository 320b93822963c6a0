//! A throwaway PostgreSQL cluster for the server's tests, benchmarks and the browser walk on
//! PostgreSQL: Debian's `postgresql` package (installed when missing), `initdb` in a fresh
//! temporary folder (as the `postgres` user when we are root: initdb refuses root), started on
//! a free loopback port, stopped and deleted when the [`Cluster`] is dropped, also when a step
//! failed.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{have, is_root, run_cmd, step};

/// A running cluster; stopped and removed on drop.
pub struct Cluster {
    bin: PathBuf,
    root: PathBuf,
    data: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// The folder of PostgreSQL's programs (`initdb`, `pg_ctl`), the newest version installed.
fn bin_dir() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop()
}

/// Installs Debian's `postgresql` when its programs are missing (idempotent).
pub fn ensure_installed() -> Result<PathBuf> {
    if let Some(bin) = bin_dir() {
        return Ok(bin);
    }
    if !have("apt-get") {
        bail!("PostgreSQL is needed for the server tests and apt-get is not available");
    }
    step(
        "setup: installing the Debian package postgresql (a throwaway cluster for the server tests)",
    );
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = if is_root() {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        run_cmd(cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args))
    };
    apt(&["update", "-q"])?;
    apt(&[
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "postgresql",
    ])?;
    bin_dir().context("postgresql was installed but no /usr/lib/postgresql/*/bin/initdb exists")
}

/// A free TCP port on 127.0.0.1 (bound and released; the cluster takes it at once).
fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(l.local_addr()?.port())
}

impl Cluster {
    /// Starts a new cluster. `durable`: fsync at every commit, as in production (benchmarks);
    /// otherwise fsync is off (tests: the server's durability is its own commit-before-answer,
    /// which the tests check; the cluster's own crash safety is not under test).
    pub fn start(durable: bool) -> Result<Cluster> {
        let bin = ensure_installed()?;
        let as_postgres = is_root();
        let root = std::env::temp_dir().join(format!("plotwise-pg-{}", std::process::id()));
        if root.exists() {
            std::fs::remove_dir_all(&root).ok();
        }
        std::fs::create_dir_all(&root).with_context(|| format!("{}", root.display()))?;
        if as_postgres {
            // initdb runs as `postgres`, which must own the folder (and reach it: /tmp is
            // world-searchable).
            run_cmd(Command::new("chown").args(["postgres:postgres"]).arg(&root))?;
        }
        let mut cluster = Cluster {
            data: root.join("data"),
            bin,
            root,
            port: 0,
            as_postgres,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data.display().to_string(),
                "-U",
                "plotwise",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
        )?;
        let port = free_port()?;
        cluster.port = port;
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=300 -c shared_buffers=64MB",
            cluster.root.display()
        );
        if !durable {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        let log = cluster.root.join("postgres.log");
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster.data.display().to_string(),
                "-l",
                &log.display().to_string(),
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        )?;
        println!(
            "PostgreSQL cluster at {} ({}), log {}",
            cluster.url("postgres"),
            if durable { "fsync on" } else { "fsync off" },
            log.display()
        );
        Ok(cluster)
    }

    /// The URL of database `db` on the cluster (user `plotwise`, no password: trust on
    /// loopback in a throwaway cluster).
    pub fn url(&self, db: &str) -> String {
        format!("postgres://plotwise@127.0.0.1:{}/{db}", self.port)
    }

    /// The `createdb` program (a client: any user may run it against the cluster).
    pub fn createdb(&self) -> PathBuf {
        self.bin.join("createdb")
    }

    /// Runs one of PostgreSQL's programs (as `postgres` when we are root).
    fn run(&self, program: &str, args: &[&str]) -> Result<()> {
        let exe = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(&self.root);
        run_cmd(&mut cmd)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        if let Err(e) = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]) {
            eprintln!("xtask: could not stop the PostgreSQL cluster in {data}: {e:#}");
        }
        if let Err(e) = std::fs::remove_dir_all(&self.root) {
            eprintln!("xtask: could not remove {}: {e}", self.root.display());
        }
    }
}
