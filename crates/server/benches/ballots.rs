//! Durable ballots per second over loopback, on SQLite and on PostgreSQL, with one server
//! process and with two on one PostgreSQL database.
//!
//! Run with `cargo bench -p plotwise-server --bench ballots` (SQLite only), or with
//! `cargo xtask bench`, which starts a throwaway PostgreSQL cluster with fsync on (as in
//! production) and names it in `PLOTWISE_BENCH_POSTGRES`, so every row of the table runs.
//!
//! For each configuration the server runs in its own processes (this binary again) on
//! 127.0.0.1, over a fresh database (an SQLite file with `synchronous=FULL` in WAL mode, or a
//! new PostgreSQL database); the bench prepares a consultation whose electorate has one unit
//! per ballot, issues the tokens, then submits every ballot over `PLOTWISE_BENCH_CONNECTIONS`
//! concurrent keep-alive HTTP/1.1 connections (default 64), spread over the server processes,
//! and reports ballots/s and latency percentiles. `PLOTWISE_BENCH_BALLOTS` (default 20,000)
//! bounds the count and a run stops after 120 s whatever happens. Every ballot is
//! acknowledged only after its commit, and the count in the database is checked at the end.
//! A second pass holds 200 voters at once (200 connections) and reports each server process's
//! peak resident set.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plotwise_server::{AppState, Store, app, prepare_setup_code};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tower::ServiceExt;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One in-process request (for the set-up only).
async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    session: &Option<(String, String)>,
    body: String,
    ctype: &str,
) -> (StatusCode, Value, Option<String>) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, ctype);
    if let Some((cookie, csrf)) = session {
        req = req
            .header(header::COOKIE, cookie)
            .header("x-csrf-token", csrf);
    }
    let res = router
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = res.status();
    let cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(status.is_success(), "{uri}: {status} {json}");
    (status, json, cookie)
}

/// What the count needs after the run.
struct Prepared {
    tokens: Vec<String>,
    id: i64,
    session: Option<(String, String)>,
    codes: Value,
}

/// Prepares a consultation with `n` units in the open option vote.
async fn prepare(router: &axum::Router, db: &Store, n: usize) -> Prepared {
    let code = prepare_setup_code(db).expect("db").expect("fresh db");
    let (_, s, cookie) = call(
        router,
        "POST",
        "/api/setup",
        &None,
        json!({"setup_code": code, "username": "bench", "password": "bench bench bench"})
            .to_string(),
        "application/json",
    )
    .await;
    let session = Some((
        cookie.expect("cookie"),
        s["csrf_token"].as_str().expect("csrf").to_owned(),
    ));
    let settings = json!({"method": "schulze", "tie_break": {"rule": "shortlist_order"},
        "resolution": {"rule": "art278-major"}, "headcount": "owner"});
    let (_, c, _) = call(
        router,
        "POST",
        "/api/consultations",
        &session,
        json!({"title": "bench", "settings": settings}).to_string(),
        "application/json",
    )
    .await;
    let id = c["id"].as_i64().expect("id");
    let mut csv = String::from("unit,building,area_m2,owner\n");
    for i in 0..n {
        csv.push_str(&format!("u{i},{},{}.5,o{i}\n", i % 40, 50 + i % 60));
    }
    let base = format!("/api/consultations/{id}");
    call(
        router,
        "PUT",
        &format!("{base}/electorate"),
        &session,
        csv,
        "text/csv",
    )
    .await;
    let to = |phase: Value| (format!("{base}/transition"), phase.to_string());
    let (u, b) = to(json!({"to": "collecting"}));
    call(router, "POST", &u, &session, b, "application/json").await;
    let mut ids = Vec::new();
    for t in ["A", "B", "C", "D"] {
        let (_, p, _) = call(
            router,
            "POST",
            &format!("{base}/proposals"),
            &None,
            json!({"title": t, "author": "x", "layout": {"t": t}}).to_string(),
            "application/json",
        )
        .await;
        ids.push(p["id"].as_i64().expect("id"));
    }
    let (u, b) = to(json!({"to": "frozen", "proposal_ids": ids}));
    call(router, "POST", &u, &session, b, "application/json").await;
    // Opening seals the ballot box: every ballot below is sealed, as in a real vote.
    let (_, opened, _) = call(
        router,
        "POST",
        &format!("{base}/open-vote"),
        &session,
        "{}".to_owned(),
        "application/json",
    )
    .await;
    let (_, t, _) = call(
        router,
        "POST",
        &format!("{base}/tokens"),
        &session,
        json!({"round": "option", "base_url": "http://127.0.0.1"}).to_string(),
        "application/json",
    )
    .await;
    let tokens = t["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["token"].as_str().expect("token").to_owned())
        .collect();
    Prepared {
        tokens,
        id,
        session,
        codes: opened["codes"].clone(),
    }
}

/// Sends one request on a keep-alive connection and reads the answer's status.
async fn post(
    stream: &mut BufReader<TcpStream>,
    addr: SocketAddr,
    body: &str,
) -> std::io::Result<u16> {
    let req = format!(
        "POST /api/ballots HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    stream.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        stream.read_line(&mut line).await?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).await?;
    Ok(status)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The server side, in its own process: serves the database `PLOTWISE_BENCH_SERVE_DB` (a file
/// or a PostgreSQL URL) on an ephemeral loopback port, written to `PLOTWISE_BENCH_PORT_FILE`,
/// until killed.
async fn serve_child(spec: String) {
    let db = Store::open(&spec).expect("db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let port_file = std::env::var("PLOTWISE_BENCH_PORT_FILE").expect("port file name");
    std::fs::write(port_file, port.to_string()).expect("port file");
    let router = app(AppState {
        store: db,
        web_dir: None,
    });
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .expect("serve");
}

/// The peak resident set of process `pid`, from /proc.
fn peak_rss(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// CPU time (user + system, in clock ticks of 10 ms) of process `pid`, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // The fields after the command name (which may hold spaces) in parentheses.
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0)
}

/// CPU ticks of every PostgreSQL process on the machine (the cluster's backends).
fn postgres_ticks() -> u64 {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
                .filter(|pid| {
                    std::fs::read_to_string(format!("/proc/{pid}/comm"))
                        .is_ok_and(|c| c.trim() == "postgres")
                })
                .map(cpu_ticks)
                .sum()
        })
        .unwrap_or(0)
}

/// One configuration of the table.
struct Config {
    name: &'static str,
    /// `None`: SQLite; else the cluster's admin URL.
    postgres: Option<String>,
    instances: usize,
}

/// What one run measured.
struct Row {
    /// CPU milliseconds per ballot: server processes, PostgreSQL, the bench's clients.
    cpu_ms: [f64; 3],
    ballots_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    rss: Vec<String>,
}

/// A fresh database for `config`: its spec (file path or URL).
fn fresh_database(config: &Config, dir: &std::path::Path, tag: &str) -> String {
    match &config.postgres {
        None => dir
            .join(format!("{tag}.db"))
            .to_str()
            .expect("utf-8")
            .to_owned(),
        Some(admin) => {
            let name = format!("bench_{tag}_{}", std::process::id());
            let admin = admin.clone();
            std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("cluster");
                c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                    .expect("drop");
                c.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create");
                let (base, _) = admin.rsplit_once('/').expect("a URL");
                format!("{base}/{name}")
            })
            .join()
            .expect("createdb")
        }
    }
}

/// Starts a server process on `spec`; returns it and its address.
async fn start_server(
    spec: &str,
    port_file: &std::path::Path,
) -> (std::process::Child, SocketAddr) {
    let t0 = Instant::now();
    let _ = std::fs::remove_file(port_file);
    let server = std::process::Command::new(std::env::current_exe().expect("exe"))
        .env("PLOTWISE_BENCH_SERVE_DB", spec)
        .env("PLOTWISE_BENCH_PORT_FILE", port_file)
        .spawn()
        .expect("server process");
    let port: u16 = loop {
        if let Ok(p) = std::fs::read_to_string(port_file)
            && let Ok(p) = p.trim().parse()
        {
            break p;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    (server, ([127, 0, 0, 1], port).into())
}

/// Prepares `n` units, serves them from `config.instances` processes and submits every
/// ballot over `conns` connections.
async fn run(config: &Config, n: usize, conns: usize, tag: &str, count: bool) -> Row {
    let dir = tempfile::tempdir_in(std::env::temp_dir()).expect("temp dir");
    let spec = fresh_database(config, dir.path(), tag);
    let t0 = Instant::now();
    let prepared = {
        let db = Store::open(&spec).expect("db");
        let router = app(AppState {
            store: db.clone(),
            web_dir: None,
        });
        prepare(&router, &db, n).await
    };
    let tokens = &prepared.tokens;
    println!(
        "[{}] prepared {} units and tokens in {:.1} s",
        config.name,
        tokens.len(),
        t0.elapsed().as_secs_f64(),
    );
    let mut servers = Vec::new();
    for i in 0..config.instances {
        servers.push(start_server(&spec, &dir.path().join(format!("port{i}"))).await);
    }
    let addrs: Vec<SocketAddr> = servers.iter().map(|(_, a)| *a).collect();
    let ballots = [
        r#"{"kind":"ranking","groups":[[0],[1],[2],[3]]}"#,
        r#"{"kind":"ranking","groups":[[2],[0],[1]]}"#,
        r#"{"kind":"ranking","groups":[[1,3],[0]]}"#,
    ];
    let deadline = Instant::now() + Duration::from_secs(120);
    let ticks_before = (
        servers.iter().map(|(s, _)| cpu_ticks(s.id())).sum::<u64>(),
        postgres_ticks(),
        cpu_ticks(std::process::id()),
    );
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..conns {
        let mine: Vec<String> = tokens.iter().skip(c).step_by(conns).cloned().collect();
        let addr = addrs[c % addrs.len()];
        tasks.push(tokio::spawn(async move {
            let mut stream = BufReader::new(TcpStream::connect(addr).await?);
            stream.get_mut().set_nodelay(true)?;
            let mut latencies = Vec::with_capacity(mine.len());
            let mut failures = 0usize;
            for (i, t) in mine.iter().enumerate() {
                if Instant::now() > deadline {
                    break;
                }
                let body = format!(
                    r#"{{"token":"{t}","vote":{{"round":"option","ballot":{}}}}}"#,
                    ballots[i % ballots.len()]
                );
                let sent = Instant::now();
                let status = post(&mut stream, addr, &body).await?;
                latencies.push(sent.elapsed());
                if status != 200 {
                    failures += 1;
                }
            }
            Ok::<_, std::io::Error>((latencies, failures))
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    let mut failures = 0;
    for t in tasks {
        match t.await {
            Ok(Ok((l, f))) => {
                latencies.extend(l);
                failures += f;
            }
            Ok(Err(e)) => eprintln!("connection failed: {e}"),
            Err(e) => eprintln!("client task failed: {e}"),
        }
    }
    let elapsed = start.elapsed();
    let ticks_after = (
        servers.iter().map(|(s, _)| cpu_ticks(s.id())).sum::<u64>(),
        postgres_ticks(),
        cpu_ticks(std::process::id()),
    );
    let rss: Vec<String> = servers.iter().map(|(s, _)| peak_rss(s.id())).collect();
    for (mut s, _) in servers {
        let _ = s.kill();
        let _ = s.wait();
    }
    latencies.sort_unstable();
    let db = Store::open(&spec).expect("db");
    let stored = db.sql_i64("SELECT count(*) FROM sealed_ballots");
    let ok = latencies.len() - failures;
    let per_ballot = |a: u64, b: u64| (b.saturating_sub(a) as f64 * 10.0) / ok.max(1) as f64;
    let row = Row {
        cpu_ms: [
            per_ballot(ticks_before.0, ticks_after.0),
            per_ballot(ticks_before.1, ticks_after.1),
            per_ballot(ticks_before.2, ticks_after.2),
        ],
        ballots_per_s: ok as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        p99_ms: percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        rss,
    };
    println!(
        "[{}] {ok} durable ballots acknowledged ({failures} refused) over {conns} connections to {} server process(es) in {:.2} s: {:.0} ballots/s; p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; sealed ballots stored: {stored}; peak RSS {}",
        config.name,
        config.instances,
        elapsed.as_secs_f64(),
        row.ballots_per_s,
        row.p50_ms,
        row.p99_ms,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        row.rss.join(", ")
    );
    println!(
        "[{}] CPU per ballot: server {:.3} ms, PostgreSQL {:.3} ms, the clients {:.3} ms: on two idle cores at most {:.0} ballots/s",
        config.name,
        row.cpu_ms[0],
        row.cpu_ms[1],
        row.cpu_ms[2],
        2000.0 / row.cpu_ms.iter().sum::<f64>().max(1e-3)
    );
    assert_eq!(stored as usize, ok, "every acknowledged ballot is stored");
    if count {
        // The supervised count of the whole box: Argon2id, opening every envelope, the
        // shuffle and the rewrite (SQLite: VACUUM and the truncating checkpoint; PostgreSQL:
        // VACUUM FULL and CHECKPOINT), in this process on the same database.
        let router = app(AppState {
            store: db.clone(),
            web_dir: None,
        });
        let t = Instant::now();
        let (_, report, _) = call(
            &router,
            "POST",
            &format!("/api/consultations/{}/count", prepared.id),
            &prepared.session,
            json!({"codes": prepared.codes}).to_string(),
            "application/json",
        )
        .await;
        println!(
            "[{}] the count of {} sealed ballots took {:.2} s",
            config.name,
            report["counted"]["online"],
            t.elapsed().as_secs_f64(),
        );
    }
    row
}

async fn bench() {
    let n = env_usize("PLOTWISE_BENCH_BALLOTS", 20_000);
    let conns = env_usize("PLOTWISE_BENCH_CONNECTIONS", 64).max(1);
    let pg = std::env::var("PLOTWISE_BENCH_POSTGRES").ok();
    let mut configs = vec![Config {
        name: "SQLite, 1 process",
        postgres: None,
        instances: 1,
    }];
    match &pg {
        Some(url) => {
            configs.push(Config {
                name: "PostgreSQL, 1 process",
                postgres: Some(url.clone()),
                instances: 1,
            });
            configs.push(Config {
                name: "PostgreSQL, 2 processes",
                postgres: Some(url.clone()),
                instances: 2,
            });
        }
        None => println!(
            "PLOTWISE_BENCH_POSTGRES is not set: SQLite only (cargo xtask bench runs PostgreSQL too)"
        ),
    }
    let mut table = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        let row = run(c, n, conns, &format!("run{i}"), true).await;
        // 200 voters at once: the resident set of each server process.
        let held = run(c, n.min(10_000), 200, &format!("held{i}"), false).await;
        table.push((c.name, row, held));
    }
    println!(
        "\n| database, server processes | durable ballots/s | p50 | p99 ({conns} connections) | CPU ms per ballot: server + PostgreSQL + clients | peak RSS per process, 200 voters at once (p99 then) |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, row, held) in &table {
        println!(
            "| {name} | {:.0} | {:.1} ms | {:.1} ms | {:.3} + {:.3} + {:.3} | {} ({:.1} ms) |",
            row.ballots_per_s,
            row.p50_ms,
            row.p99_ms,
            row.cpu_ms[0],
            row.cpu_ms[1],
            row.cpu_ms[2],
            held.rss.join(", "),
            held.p99_ms
        );
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match std::env::var("PLOTWISE_BENCH_SERVE_DB") {
        Ok(spec) => runtime.block_on(serve_child(spec)),
        Err(_) => runtime.block_on(bench()),
    }
}
