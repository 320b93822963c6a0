//! Two `plotwise serve` processes on one PostgreSQL database serve one consultation: 200
//! voters at once spread over both, every unit that also sends its ballot to the other server
//! at the same moment (or is marked at the other server's paper desk) is refused there, and
//! the published result is the one a single server computes from the same ballots.
//!
//! Needs a PostgreSQL cluster (`cargo xtask test` starts one and names it in
//! `PLOTWISE_TEST_POSTGRES`); ignored under a plain `cargo test`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::binary;

const POSTGRES_ENV: &str = "PLOTWISE_TEST_POSTGRES";
const UNITS: usize = 200;

/// A new database on the test cluster; its URL.
fn new_database(tag: &str) -> String {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        panic!(
            "needs PostgreSQL: cargo xtask test (or cargo xtask with-postgres cargo test …) sets \
             {POSTGRES_ENV} to a throwaway cluster"
        );
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("two_{tag}_{}_{nanos}", std::process::id());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={admin}: {e}"));
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// A `plotwise serve` process; killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(db: &str) -> Server {
        let mut child = Command::new(binary())
            .args(["serve", "--addr", "127.0.0.1:0", "--db", db])
            .env("RUST_LOG", "warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("plotwise serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let mut stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let addr = loop {
            line.clear();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "plotwise serve exited: {}",
                log.lock().unwrap()
            );
            if let Some(i) = line.find("http://") {
                let rest = &line[i + 7..];
                let end = rest.find('/').unwrap();
                break rest[..end].parse().unwrap();
            }
        };
        Server { child, addr, log }
    }

    /// The one-time setup code this process printed (while no account existed).
    fn setup_code(&self) -> String {
        let log = self.log.lock().unwrap().clone();
        let at = log.find("setup_code=").expect("a setup code in the log") + 11;
        log[at..at + 24].to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client of one server, with a committee session or none.
#[derive(Clone)]
struct Http {
    addr: SocketAddr,
    session: Option<(String, String)>,
}

impl Http {
    fn new(addr: SocketAddr) -> Http {
        Http {
            addr,
            session: None,
        }
    }

    /// One request on a fresh connection; status, `Set-Cookie` and body.
    fn send(
        &self,
        method: &str,
        path: &str,
        body: &str,
        ctype: &str,
    ) -> (u16, Option<String>, String) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        if let Some((cookie, csrf)) = &self.session {
            req.push_str(&format!("Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"));
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        let text = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let cookie = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
            .map(|l| l[11..].trim().split(';').next().unwrap().to_owned());
        (status, cookie, body.to_owned())
    }

    fn json(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let (status, _, text) = self.send(method, path, &body.to_string(), "application/json");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let (status, v) = self.json(method, path, body);
        assert_eq!(status, 200, "{method} {path}: {v}");
        v
    }
}

/// Sets up the committee and a consultation open for the option vote; returns the signed-in
/// client, the consultation, its tokens by unit, and the scrutineers' codes.
fn prepare(server: &Server) -> (Http, i64, HashMap<String, String>, Value) {
    let mut c = Http::new(server.addr);
    let (status, cookie, text) = c.send(
        "POST",
        "/api/setup",
        &json!({"setup_code": server.setup_code(), "username": "alice", "password": "correct horse battery"})
            .to_string(),
        "application/json",
    );
    assert_eq!(status, 200, "{text}");
    let csrf = serde_json::from_str::<Value>(&text).unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    c.session = Some((cookie.unwrap(), csrf));
    let settings = json!({"method": "schulze", "tie_break": {"rule": "shortlist_order"},
        "resolution": {"rule": "art278-major"}, "headcount": "owner"});
    let id = c.ok(
        "POST",
        "/api/consultations",
        json!({"title": "两台服务器 two servers", "settings": settings}),
    )["id"]
        .as_i64()
        .unwrap();
    let mut csv = String::from("unit,building,area_m2,owner\n");
    for i in 0..UNITS {
        csv.push_str(&format!("u{i:03},{},{}.5,o{i}\n", i % 7, 50 + i % 40));
    }
    let (status, _, text) = c.send(
        "PUT",
        &format!("/api/consultations/{id}/electorate"),
        &csv,
        "text/csv",
    );
    assert_eq!(status, 200, "{text}");
    c.ok(
        "POST",
        &format!("/api/consultations/{id}/transition"),
        json!({"to": "collecting"}),
    );
    let public = Http::new(server.addr);
    let ids: Vec<i64> = ["花园 Garden", "健身 Fitness", "停车 Parking"]
        .iter()
        .map(|t| {
            public.ok(
                "POST",
                &format!("/api/consultations/{id}/proposals"),
                json!({"title": t, "author": "王阿姨", "layout": {"schema": 1, "title": t}}),
            )["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    c.ok(
        "POST",
        &format!("/api/consultations/{id}/transition"),
        json!({"to": "frozen", "proposal_ids": ids}),
    );
    let opened = c.ok(
        "POST",
        &format!("/api/consultations/{id}/open-vote"),
        json!({}),
    );
    let tokens = c.ok(
        "POST",
        &format!("/api/consultations/{id}/tokens"),
        json!({"round": "option", "base_url": "http://127.0.0.1"}),
    )["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["unit"].as_str().unwrap().to_owned(),
                t["token"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (c, id, tokens, opened["codes"].clone())
}

/// Unit `i`'s ballot: a ranking that depends on the unit only.
fn ballot(i: usize) -> Value {
    let orders = [[0, 1, 2], [1, 0, 2], [2, 1, 0], [0, 2, 1], [1, 2, 0]];
    let o = orders[(i * 7 + i / 3) % orders.len()];
    json!({"round": "option", "ballot": {"kind": "ranking", "groups": [[o[0]], [o[1]], [o[2]]]}})
}

/// Counts, moves to published and returns the public results, less what differs between
/// two runs of the same ballots (the receipt codes: each envelope is sealed afresh).
fn count_and_publish(c: &Http, id: i64, codes: &Value) -> Value {
    c.ok(
        "POST",
        &format!("/api/consultations/{id}/count"),
        json!({"codes": codes, "paper_ballots": [], "spoiled": 0}),
    );
    for to in ["resolution", "validated", "published"] {
        c.ok(
            "POST",
            &format!("/api/consultations/{id}/transition"),
            json!({"to": to}),
        );
    }
    let mut r = Http::new(c.addr).ok(
        "GET",
        &format!("/api/consultations/{id}/results"),
        json!({}),
    );
    let receipts = r["receipts"].as_array().unwrap().len();
    assert_eq!(receipts, UNITS, "one receipt per online ballot");
    r["receipts"] = Value::Null;
    r["digests"]["receipts_sha256"] = Value::Null;
    r
}

#[test]
#[ignore = "needs PostgreSQL: cargo xtask test"]
fn two_servers_on_one_postgres_database_serve_one_consultation() {
    let shared = new_database("shared");
    let first = Server::start(&shared);
    let second = Server::start(&shared);
    let (committee, id, tokens, codes) = prepare(&first);
    let servers = [first.addr, second.addr];
    // 200 voters at once, alternately on each server; every fifth unit's ballot also goes to
    // the other server at the same moment, and every seventh unit is also marked at the other
    // server's paper desk.
    let barrier = Arc::new(Barrier::new(UNITS));
    let started = Instant::now();
    let outcomes: Vec<(usize, Vec<(u16, String)>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..UNITS)
            .map(|i| {
                let unit = format!("u{i:03}");
                let token = tokens[&unit].clone();
                let barrier = barrier.clone();
                let mut desk = committee.clone();
                desk.addr = servers[(i + 1) % 2];
                s.spawn(move || {
                    let body = json!({"token": token, "vote": ballot(i)});
                    barrier.wait();
                    let mine = Http::new(servers[i % 2]);
                    let other = Http::new(servers[(i + 1) % 2]);
                    let mut answers = Vec::new();
                    std::thread::scope(|inner| {
                        let a = inner.spawn(|| mine.json("POST", "/api/ballots", body.clone()));
                        let b = (i % 5 == 0).then(|| {
                            inner.spawn(|| other.json("POST", "/api/ballots", body.clone()))
                        });
                        let c = (i % 7 == 0).then(|| {
                            inner.spawn(|| {
                                desk.json(
                                    "POST",
                                    &format!("/api/consultations/{id}/paper-voters"),
                                    json!({"unit": unit}),
                                )
                            })
                        });
                        for h in [Some(a), b, c].into_iter().flatten() {
                            let (status, v) = h.join().unwrap();
                            answers.push((status, v["code"].as_str().unwrap_or("").to_owned()));
                        }
                    });
                    (i, answers)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    println!(
        "{UNITS} voters over two servers ({} double attempts) in {:.2} s",
        outcomes.iter().map(|(_, a)| a.len() - 1).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    // Exactly one ballot per unit was accepted; every other attempt was refused as a double.
    let mut paper = Vec::new();
    for (i, answers) in &outcomes {
        let accepted = answers.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(accepted, 1, "unit u{i:03}: {answers:?}");
        for (status, code) in answers.iter().filter(|(s, _)| *s != 200) {
            assert_eq!(
                (*status, code.as_str()),
                (409, "already_voted"),
                "unit u{i:03}"
            );
        }
        if i % 7 == 0 && answers.last().is_some_and(|(s, _)| *s == 200) {
            paper.push(*i);
        }
    }
    // Both servers see the same participation.
    let voted = |addr: SocketAddr| -> Value {
        let mut c = committee.clone();
        c.addr = addr;
        c.ok(
            "GET",
            &format!("/api/consultations/{id}/participation?round=option"),
            json!({}),
        )
    };
    assert_eq!(voted(first.addr), voted(second.addr));
    assert_eq!(voted(first.addr).as_array().unwrap().len(), UNITS);
    // The paper desk won a few races: those units' ballots are paper ballots from the box.
    let box_ballots: Vec<Value> = paper.iter().map(|&i| ballot(i)["ballot"].clone()).collect();
    let mut on_second = committee.clone();
    on_second.addr = second.addr;
    on_second.ok(
        "POST",
        &format!("/api/consultations/{id}/count"),
        json!({"codes": codes, "paper_ballots": box_ballots, "spoiled": 0}),
    );
    for to in ["resolution", "validated", "published"] {
        committee.ok(
            "POST",
            &format!("/api/consultations/{id}/transition"),
            json!({"to": to}),
        );
    }
    let results = |addr: SocketAddr| -> Value {
        let mut r = Http::new(addr).ok(
            "GET",
            &format!("/api/consultations/{id}/results"),
            json!({}),
        );
        assert_eq!(r["receipts"].as_array().unwrap().len() + paper.len(), UNITS);
        r["receipts"] = Value::Null;
        r["digests"]["receipts_sha256"] = Value::Null;
        r["counted"] = Value::Null;
        r["option_participation"]["online"] = Value::Null;
        r["option_participation"]["paper"] = Value::Null;
        r
    };
    let two = results(first.addr);
    assert_eq!(
        two,
        results(second.addr),
        "both servers publish the same result"
    );
    drop((first, second));

    // The same ballots, all online, on a single server: the same result.
    let single_db = new_database("single");
    let single = Server::start(&single_db);
    let (c, id1, tokens, codes) = prepare(&single);
    assert_eq!(id1, id);
    for i in 0..UNITS {
        let token = &tokens[&format!("u{i:03}")];
        Http::new(single.addr).ok(
            "POST",
            "/api/ballots",
            json!({"token": token, "vote": ballot(i)}),
        );
    }
    let mut one = count_and_publish(&c, id, &codes);
    one["counted"] = Value::Null;
    one["option_participation"]["online"] = Value::Null;
    one["option_participation"]["paper"] = Value::Null;
    assert_eq!(two, one, "two servers count what one server counts");
    assert!(two["option_result"]["ballots"].as_u64() == Some(UNITS as u64));
}

/// The count on one server while the other keeps taking ballots: every ballot acknowledged
/// is among those counted (its receipt is listed), and every ballot after the box was opened
/// is refused. The box and its phase live in the database, so no ballot slips in between.
#[test]
#[ignore = "needs PostgreSQL: cargo xtask test"]
fn a_count_on_one_server_while_the_other_takes_ballots_loses_no_acknowledged_ballot() {
    let shared = new_database("race");
    let first = Server::start(&shared);
    let second = Server::start(&shared);
    let (committee, id, tokens, codes) = prepare(&first);
    let voters: Vec<(String, String)> = {
        let mut v: Vec<_> = tokens.into_iter().collect();
        v.sort();
        v
    };
    let in_box = std::sync::atomic::AtomicUsize::new(0);
    let (acked, refused) = std::thread::scope(|s| {
        // Four voters' threads on the second server, one after another each, a ballot every
        // 20 ms or so: the count lands in the middle of the stream.
        let handles: Vec<_> = (0..4)
            .map(|k| {
                let mine: Vec<(String, String)> =
                    voters.iter().skip(k).step_by(4).cloned().collect();
                let http = Http::new(second.addr);
                let in_box = &in_box;
                s.spawn(move || {
                    let mut acked = Vec::new();
                    let mut refused = 0;
                    for (unit, token) in mine {
                        let i: usize = unit[1..].parse().unwrap();
                        let (status, v) = http.json(
                            "POST",
                            "/api/ballots",
                            json!({"token": token, "vote": ballot(i)}),
                        );
                        match status {
                            200 => {
                                acked.push(v["receipt"].as_str().unwrap().to_owned());
                                in_box.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            }
                            // After the count: 409 (the box is opened), and once this address
                            // has 30 refusals (counted in the database, for both servers
                            // alike), 429 without any more database work.
                            409 | 429 => refused += 1,
                            other => panic!("unit {unit}: {other} {v}"),
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    (acked, refused)
                })
            })
            .collect();
        // Meanwhile, once some ballots are in, the first server counts.
        let t0 = Instant::now();
        while in_box.load(std::sync::atomic::Ordering::SeqCst) < 20 {
            assert!(t0.elapsed() < Duration::from_secs(60), "no ballot came in");
            std::thread::sleep(Duration::from_millis(5));
        }
        committee.ok(
            "POST",
            &format!("/api/consultations/{id}/count"),
            json!({"codes": codes, "paper_ballots": [], "spoiled": 0}),
        );
        handles.into_iter().map(|h| h.join().unwrap()).fold(
            (Vec::new(), 0),
            |(mut a, r), (a2, r2)| {
                a.extend(a2);
                (a, r + r2)
            },
        )
    });
    println!(
        "{} ballots acknowledged before the count, {refused} refused after it",
        acked.len()
    );
    assert!(
        refused > 0,
        "every ballot came before the count: no race was tried"
    );
    assert_eq!(acked.len() + refused, UNITS);
    let counted: Vec<String> = serde_json::from_value(
        committee.ok(
            "GET",
            &format!("/api/consultations/{id}/receipts"),
            json!({}),
        )["codes"]
            .clone(),
    )
    .unwrap();
    assert_eq!(
        counted.len(),
        acked.len(),
        "exactly the acknowledged ballots"
    );
    for r in &acked {
        assert!(
            counted.contains(r),
            "acknowledged ballot {r} was not counted"
        );
    }
}
