//! Durable ballots per second over loopback.
//!
//! Run with `cargo bench -p plotwise-server --bench ballots`.
//!
//! Starts the server in its own process on 127.0.0.1 (an ephemeral port) over a database file
//! on disk
//! (`synchronous=FULL`, WAL), prepares a consultation whose electorate has one unit per ballot,
//! issues the tokens, then submits every ballot over `PLOTWISE_BENCH_CONNECTIONS` concurrent
//! keep-alive HTTP/1.1 connections (default 64) and reports ballots/s and latency percentiles.
//! `PLOTWISE_BENCH_BALLOTS` (default 20,000) bounds the count and the run stops after 120 s
//! whatever happens. Every ballot is acknowledged only after its group commit, and the count in
//! the database is checked at the end.

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

/// The server side, in its own process: serves the database in `PLOTWISE_BENCH_SERVE_DB` on
/// an ephemeral loopback port, written to `<db>.port`, until killed.
async fn serve_child(path: std::path::PathBuf) {
    let db = Store::open_sqlite(&path).expect("db");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::fs::write(path.with_extension("port"), port.to_string()).expect("port file");
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

async fn bench() {
    let n = env_usize("PLOTWISE_BENCH_BALLOTS", 20_000);
    let conns = env_usize("PLOTWISE_BENCH_CONNECTIONS", 64).max(1);
    let dir = tempfile::tempdir_in(std::env::temp_dir()).expect("temp dir");
    let path = dir.path().join("bench.db");
    let t0 = Instant::now();
    let prepared = {
        let db = Store::open_sqlite(&path).expect("db");
        let router = app(AppState {
            store: db.clone(),
            web_dir: None,
        });
        prepare(&router, &db, n).await
    };
    let tokens = &prepared.tokens;
    println!(
        "prepared {} units and tokens in {:.1} s (database {})",
        tokens.len(),
        t0.elapsed().as_secs_f64(),
        path.display()
    );

    // The server runs in its own process (this binary again), so its memory is measured
    // alone; both processes share the machine's cores.
    let mut server = std::process::Command::new(std::env::current_exe().expect("exe"))
        .env("PLOTWISE_BENCH_SERVE_DB", &path)
        .spawn()
        .expect("server process");
    let port_file = path.with_extension("port");
    let port: u16 = loop {
        if let Ok(p) = std::fs::read_to_string(&port_file)
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
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let idle_rss = peak_rss(server.id());

    let ballots = [
        r#"{"kind":"ranking","groups":[[0],[1],[2],[3]]}"#,
        r#"{"kind":"ranking","groups":[[2],[0],[1]]}"#,
        r#"{"kind":"ranking","groups":[[1,3],[0]]}"#,
    ];
    let deadline = Instant::now() + Duration::from_secs(120);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..conns {
        let mine: Vec<String> = tokens.iter().skip(c).step_by(conns).cloned().collect();
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
    let busy_rss = peak_rss(server.id());
    let _ = server.kill();
    let _ = server.wait();
    latencies.sort_unstable();
    let stored: i64 = rusqlite::Connection::open(&path)
        .expect("db")
        .query_row("SELECT count(*) FROM sealed_ballots", [], |r| r.get(0))
        .expect("count");
    let ok = latencies.len() - failures;
    println!(
        "{ok} durable ballots acknowledged ({failures} refused) over {conns} connections in {:.2} s: {:.0} ballots/s",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; sealed ballots in the database: {stored}",
        percentile(&latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    println!("server peak resident set: {idle_rss} before the run, {busy_rss} after it");
    assert_eq!(stored as usize, ok, "every acknowledged ballot is stored");

    // The supervised count of the whole box: Argon2id, opening every envelope, the shuffle,
    // VACUUM and the truncating checkpoint, in this process on the same file.
    let db = Store::open_sqlite(&path).expect("db");
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
        "the count of {} sealed ballots took {:.2} s; database file {} kB after it",
        report["counted"]["online"],
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&path).map_or(0, |m| m.len() / 1024)
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match std::env::var_os("PLOTWISE_BENCH_SERVE_DB") {
        Some(db) => runtime.block_on(serve_child(db.into())),
        None => runtime.block_on(bench()),
    }
}
