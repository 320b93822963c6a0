//! Attacks on the HTTP side, against the real accept loop over loopback: clients that send
//! their headers or bodies a trickle at a time, more connections than the server takes, and
//! the security headers every answer must carry.

#[macro_use]
mod common;

use std::net::SocketAddr;
use std::time::Duration;

use common::{Client, SMALL, irv_settings, ranking};
use plotwise_server::{AppState, Limits, serve_with};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// A served database with an open vote; returns the address, a stop handle and the tokens.
async fn served(
    engine: common::Engine,
    limits: Limits,
) -> (SocketAddr, oneshot::Sender<()>, Vec<(String, String)>) {
    let db = engine.fresh();
    let mut c = Client::with_db(db.clone());
    c.setup().await;
    let id = c.open_vote(irv_settings(), SMALL).await;
    let tokens = c.tokens(id, "option").await;
    let (stop, stopped) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = oneshot::channel();
    tokio::spawn(async move {
        serve_with(
            AppState {
                store: db,
                web_dir: None,
            },
            "127.0.0.1:0".parse().unwrap(),
            limits,
            async move {
                let _ = stopped.await;
            },
            move |addr| {
                let _ = ready_tx.send(addr);
            },
        )
        .await
        .unwrap();
    });
    (ready_rx.await.unwrap(), stop, tokens)
}

/// One request on a fresh connection; returns the status line and the whole answer.
async fn request(addr: SocketAddr, raw: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut answer))
        .await
        .expect("the server answers")
        .unwrap();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn post(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Whether the server closes `s` (EOF or reset) within `within`.
async fn closed_by_server(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(within, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar before the close is fine.
            Ok(Ok(_)) => {}
        }
    }
}

on_both! {
    multi_thread;
    async fn a_hundred_slow_clients_neither_stall_ballots_nor_keep_their_connections(engine) {
        let limits = Limits {
            header_read: Duration::from_secs(1),
            ..Limits::default()
        };
        let (addr, _stop, tokens) = served(engine, limits).await;
        // A hundred clients send half a request line each and then nothing.
        let mut slow = Vec::new();
        for _ in 0..100 {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
                .await
                .unwrap();
            slow.push(s);
        }
        // Meanwhile the health check and a ballot are answered.
        let (status, body) = request(
            addr,
            "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let ballot = json!({"token": tokens[0].1, "vote": ranking(json!([[0], [1]]))}).to_string();
        let (status, body) = request(addr, &post("/api/ballots", &ballot)).await;
        assert_eq!(status, 200, "{body}");
        // And the server hangs up on every slow client (its header timer ran out).
        for (i, s) in slow.iter_mut().enumerate() {
            assert!(
                closed_by_server(s, Duration::from_secs(10)).await,
                "slow client {i} still connected"
            );
        }
    }
}

#[tokio::test]
async fn connections_beyond_the_limit_are_closed_and_the_rest_still_served() {
    let limits = Limits {
        connections: 8,
        ..Limits::default()
    };
    let (addr, _stop, _) = served(common::Engine::Sqlite, limits).await;
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    // Let the server accept them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let _ = extra
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    assert!(
        closed_by_server(&mut extra, Duration::from_secs(5)).await,
        "a ninth connection was kept"
    );
    // Once one goes, a new one is served.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, _) = request(
        addr,
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_body_sent_a_trickle_at_a_time_is_stopped_with_408() {
    let limits = Limits {
        request: Duration::from_secs(1),
        ..Limits::default()
    };
    let (addr, _stop, _) = served(common::Engine::Sqlite, limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /api/ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    for _ in 0..30 {
        let _ = s.write_all(b" ").await;
        match tokio::time::timeout(Duration::from_millis(200), s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if !answer.is_empty() {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"timeout\""), "{text}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (addr, _stop, _) = served(common::Engine::Sqlite, Limits::default()).await;
    for raw in [
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_owned(),
        post("/api/ballots", "{not json"),
    ] {
        let (_, text) = request(addr, &raw).await;
        let head = text.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
        for h in [
            "content-security-policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval';",
            "x-content-type-options: nosniff",
            "x-frame-options: sameorigin",
            "referrer-policy: no-referrer",
        ] {
            assert!(head.contains(h), "{raw:?}: no {h}\n{head}");
        }
        assert!(
            !head.contains("strict-transport-security"),
            "no HSTS over http"
        );
    }
    // Behind a TLS proxy: HSTS.
    let (_, text) = request(
        addr,
        "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(
        text.to_ascii_lowercase()
            .contains("strict-transport-security: max-age=31536000"),
        "{text}"
    );
}
