//! Health checks and ballots while the server is under attack: four clients posting
//! 200,000-vertex layouts over and over, and a hundred clients holding connections open by
//! sending their headers a trickle at a time.
//!
//! Run with `cargo bench -p plotwise-server --bench under_load`. Serves the real app (the
//! accept loop of `plotwise serve`) on 127.0.0.1 over a database file, then measures
//! `PLOTWISE_BENCH_SAMPLES` (default 200) health checks and as many ballots, each on a fresh
//! connection, and prints p50, p99 and max. The target (issue: the server under attack) is
//! p99 < 1 s for both.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use plotwise_server::{AppState, Limits, Store, prepare_setup_code, serve_with};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One request on a fresh connection: status and body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    session: Option<&(String, String)>,
    body: &str,
) -> (u16, Option<String>, String) {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some((cookie, csrf)) = session {
        req.push_str(&format!("Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"));
    }
    req.push_str("\r\n");
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(req.as_bytes()).await.expect("write");
    s.write_all(body.as_bytes()).await.expect("write body");
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.expect("read");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    (status, cookie, body.to_owned())
}

async fn json_call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    session: &(String, String),
    body: Value,
) -> Value {
    let (status, _, text) = http(addr, method, path, Some(session), &body.to_string()).await;
    assert!(status == 200, "{path}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// A GeoJSON plot whose boundary is a circle of `n` vertices.
fn circle_plot(n: usize) -> String {
    let (lon, lat, r) = (121.5, 31.3, 0.0004);
    let mut coords = String::with_capacity(n * 40);
    for i in 0..=n {
        let a = (i % n) as f64 / n as f64 * std::f64::consts::TAU;
        if i > 0 {
            coords.push(',');
        }
        coords.push_str(&format!(
            "[{:.9},{:.9}]",
            lon + r * a.cos(),
            lat + r * a.sin()
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"role":"plot"}},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}]}}"#
    )
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort_unstable();
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.5), at(0.99), at(1.0))
}

async fn bench() {
    let samples: usize = std::env::var("PLOTWISE_BENCH_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Store::open_sqlite(&dir.path().join("load.db")).expect("db");
    let db2 = db.clone();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        serve_with(
            AppState {
                store: db,
                web_dir: None,
            },
            "127.0.0.1:0".parse().expect("addr"),
            Limits::default(),
            std::future::pending(),
            move |a| {
                let _ = ready_tx.send(a);
            },
        )
        .await
        .expect("serve");
    });
    let addr = ready_rx.await.expect("ready");
    // After the server's start (which makes its own code for its log).
    let code = prepare_setup_code(&db2).expect("db").expect("fresh");

    // A consultation with an open vote and a token per sample.
    let (_, cookie, body) = http(
        addr,
        "POST",
        "/api/setup",
        None,
        &json!({"setup_code": code, "username": "bench", "password": "bench bench bench"})
            .to_string(),
    )
    .await;
    let csrf = serde_json::from_str::<Value>(&body).expect("json")["csrf_token"]
        .as_str()
        .expect("csrf")
        .to_owned();
    let session = (cookie.expect("cookie"), csrf);
    let settings = json!({"method": "irv", "tie_break": {"rule": "shortlist_order"},
        "resolution": {"rule": "art278-major"}, "headcount": "owner"});
    let c = json_call(
        addr,
        "POST",
        "/api/consultations",
        &session,
        json!({"title": "load", "settings": settings}),
    )
    .await;
    let id = c["id"].as_i64().expect("id");
    let mut csv = String::from("unit,building,area_m2,owner\n");
    for i in 0..samples {
        csv.push_str(&format!("u{i},{},60,o{i}\n", i % 10));
    }
    let (status, _, text) = http(
        addr,
        "PUT",
        &format!("/api/consultations/{id}/electorate"),
        Some(&session),
        &csv,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let transition = format!("/api/consultations/{id}/transition");
    json_call(
        addr,
        "POST",
        &transition,
        &session,
        json!({"to": "collecting"}),
    )
    .await;
    let mut ids = Vec::new();
    for t in ["A", "B"] {
        let (_, _, p) = http(
            addr,
            "POST",
            &format!("/api/consultations/{id}/proposals"),
            None,
            &json!({"title": t, "author": "x", "layout": {"t": t}}).to_string(),
        )
        .await;
        ids.push(serde_json::from_str::<Value>(&p).expect("json")["id"].clone());
    }
    json_call(
        addr,
        "POST",
        &transition,
        &session,
        json!({"to": "frozen", "proposal_ids": ids}),
    )
    .await;
    json_call(
        addr,
        "POST",
        &format!("/api/consultations/{id}/open-vote"),
        &session,
        json!({}),
    )
    .await;
    let tokens = json_call(
        addr,
        "POST",
        &format!("/api/consultations/{id}/tokens"),
        &session,
        json!({"round": "option", "base_url": "http://127.0.0.1"}),
    )
    .await;
    let tokens: Vec<String> = tokens["tokens"]
        .as_array()
        .expect("tokens")
        .iter()
        .map(|t| t["token"].as_str().expect("token").to_owned())
        .collect();

    // The attack: four posters of 200k-vertex files, a hundred slow clients.
    let stop = Arc::new(AtomicBool::new(false));
    let posted = Arc::new(AtomicUsize::new(0));
    let big = Arc::new(circle_plot(200_000));
    println!("each large post: {} bytes, 200,000 vertices", big.len());
    let mut attackers = Vec::new();
    for _ in 0..4 {
        let (stop, posted, big) = (stop.clone(), posted.clone(), big.clone());
        attackers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let (status, _, _) = http(addr, "POST", "/api/import/geojson", None, &big).await;
                if status == 200 || status == 503 {
                    posted.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for _ in 0..100 {
        let stop = stop.clone();
        attackers.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut s) = TcpStream::connect(addr).await else {
                    continue;
                };
                let _ = s
                    .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
                    .await;
                let mut buf = [0u8; 256];
                // Held until the server's header timer hangs up.
                let _ = s.read(&mut buf).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;

    let mut health = Vec::with_capacity(samples);
    let mut ballots = Vec::with_capacity(samples);
    let started = Instant::now();
    for token in &tokens {
        let t = Instant::now();
        let (status, _, text) = http(addr, "GET", "/api/health", None, "").await;
        health.push(t.elapsed());
        assert_eq!(status, 200, "health: {text}");
        let t = Instant::now();
        let body = json!({"token": token, "vote": {"round": "option", "ballot": {"kind": "ranking", "groups": [[0], [1]]}}});
        let (status, _, text) = http(addr, "POST", "/api/ballots", None, &body.to_string()).await;
        ballots.push(t.elapsed());
        assert_eq!(status, 200, "ballot: {text}");
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (h50, h99, hmax) = percentiles(health);
    let (b50, b99, bmax) = percentiles(ballots);
    println!(
        "under 4 posters of 200k-vertex files ({} posts answered in {:.1} s) and 100 slow clients:",
        posted.load(Ordering::Relaxed),
        elapsed.as_secs_f64()
    );
    println!(
        "  /api/health  p50 {h50:.1} ms, p99 {h99:.1} ms, max {hmax:.1} ms ({samples} samples)"
    );
    println!(
        "  /api/ballots p50 {b50:.1} ms, p99 {b99:.1} ms, max {bmax:.1} ms ({samples} samples)"
    );
    for a in attackers {
        a.abort();
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench());
}
