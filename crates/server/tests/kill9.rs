//! No acknowledged ballot is lost when the server is killed with SIGKILL.
//!
//! The test runs the server in a child process (this test binary again, running the ignored
//! test `child_serves_until_killed`), sends ballots over loopback from several connections,
//! kills the child with SIGKILL while ballots are in flight, and then reads the database file:
//! every acknowledged ballot must be there, and sealed ballots and participation rows must
//! match. Then a new server on the same file counts: the box opens with the scrutineers'
//! codes, every acknowledged ballot is counted and every acknowledged receipt is listed.

#[macro_use]
mod common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Client, irv_settings};
use plotwise_server::{AppState, Store, app};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const CHILD_ENV: &str = "PLOTWISE_KILL9_CHILD_DB";
const PORT_ENV: &str = "PLOTWISE_KILL9_CHILD_PORT_FILE";

/// The child: serves the database named in the environment until it is killed.
#[tokio::test]
#[ignore = "run by kill9_loses_no_acknowledged_ballot as a child process"]
async fn child_serves_until_killed() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let spec = path.to_str().unwrap().to_owned();
    let db = Store::open(&spec).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = app(AppState {
        store: db,
        web_dir: None,
    });
    let port_file = std::env::var_os(PORT_ENV).unwrap();
    std::fs::write(port_file, port.to_string()).unwrap();
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
    .unwrap();
}

async fn post(stream: &mut BufReader<TcpStream>, body: &str) -> std::io::Result<(u16, String)> {
    let req = format!(
        "POST /api/ballots HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.get_mut().write_all(req.as_bytes()).await?;
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0usize;
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == "\r\n" {
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
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

on_both! {
    multi_thread;
    async fn kill9_loses_no_acknowledged_ballot(engine) {
        kill9(engine).await
    }
}

async fn kill9(engine: common::Engine) {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let place = engine.reopenable();
    let dir = tempfile::tempdir().unwrap();
    let units = 3000;
    let mut electorate = String::from("unit,building,area_m2,owner\n");
    for i in 0..units {
        electorate.push_str(&format!("u{i},{},{}.25,o{i}\n", i % 9, 40 + i % 50));
    }
    let (id, tokens, codes) = {
        let mut c = Client::with_db(place.open());
        c.setup().await;
        let id = c.open_vote(irv_settings(), &electorate).await;
        (id, c.tokens(id, "option").await, c.codes_of(id))
    };
    assert_eq!(tokens.len(), units);

    let port_file = dir.path().join("port");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_serves_until_killed",
            "--exact",
            "--ignored",
            "--quiet",
        ])
        .env(CHILD_ENV, &place.spec)
        .env(PORT_ENV, &port_file)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let port: u16 = loop {
        if let Ok(p) = std::fs::read_to_string(&port_file)
            && let Ok(p) = p.trim().parse()
        {
            break p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the child did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();

    // Eight connections vote; the ones acknowledged are remembered.
    let acked = Arc::new(Mutex::new(HashSet::new()));
    let receipts = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for c in 0..8 {
        let mine: Vec<(String, String)> = tokens.iter().skip(c).step_by(8).cloned().collect();
        let acked = acked.clone();
        let receipts = receipts.clone();
        tasks.push(tokio::spawn(async move {
            let Ok(s) = TcpStream::connect(addr).await else { return };
            let mut s = BufReader::new(s);
            for (unit, t) in mine {
                let body = format!(
                    r#"{{"token":"{t}","vote":{{"round":"option","ballot":{{"kind":"ranking","groups":[[1],[0]]}}}}}}"#
                );
                match post(&mut s, &body).await {
                    Ok((200, body)) => {
                        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                        receipts
                            .lock()
                            .unwrap()
                            .push(v["receipt"].as_str().unwrap().to_owned());
                        acked.lock().unwrap().insert(unit);
                    }
                    Ok((other, body)) => panic!("unit {unit}: status {other}: {body}"),
                    Err(_) => return, // The server is gone.
                }
            }
        }));
    }
    // Kill the server while ballots are in flight.
    while acked.lock().unwrap().len() < 500 {
        assert!(start.elapsed() < Duration::from_secs(60), "too slow");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    child.kill().unwrap(); // SIGKILL on Unix.
    child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 500 && acked.len() < units,
        "{} acknowledged",
        acked.len()
    );

    // After the crash: every acknowledged unit voted, and ballots match participation.
    let db = place.open();
    let voted: HashSet<String> =
        common::texts(&db, "SELECT unit FROM participation WHERE round = 'option'")
            .into_iter()
            .collect();
    let ballots = db.sql_i64("SELECT count(*) FROM sealed_ballots");
    let lost: Vec<&String> = acked.difference(&voted).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged ballots lost: {lost:?}",
        lost.len()
    );
    assert_eq!(
        ballots as usize,
        voted.len(),
        "a ballot without its unit's participation, or the reverse"
    );
    println!(
        "{} acknowledged, {} on disk after SIGKILL",
        acked.len(),
        voted.len()
    );
    drop(db);

    // A restart, then the count: every ballot on disk opens, and every acknowledged receipt
    // is among the counted.
    let mut c = Client::with_db(place.open());
    c.login().await;
    c.codes.lock().unwrap().insert(id, codes);
    let report = c.count(id).await.json();
    assert_eq!(report["counted"]["online"], voted.len());
    let listed: HashSet<String> = serde_json::from_value(
        c.get(&format!("/api/consultations/{id}/receipts"))
            .await
            .json()["codes"]
            .clone(),
    )
    .unwrap();
    let receipts = receipts.lock().unwrap().clone();
    assert_eq!(receipts.len(), acked.len());
    let missing: Vec<&String> = receipts.iter().filter(|r| !listed.contains(*r)).collect();
    assert!(missing.is_empty(), "receipts not counted: {missing:?}");
    assert_eq!(listed.len(), voted.len());
}
