//! Helpers shared by the server tests: an app over a fresh database, driven with `oneshot`.

#![allow(
    dead_code,
    missing_docs,
    clippy::new_without_default,
    reason = "test helpers; each test binary uses a different part of them"
)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plotwise_server::{AppState, Dialect, Store, app, prepare_setup_code};
use serde_json::{Value, json};
use tower::ServiceExt;

/// The environment variable with the PostgreSQL cluster the tests' PostgreSQL variants use
/// (a URL of its `postgres` database); `cargo xtask test` starts a cluster and sets it.
pub const POSTGRES_ENV: &str = "PLOTWISE_TEST_POSTGRES";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLite (in memory, or a file in a temporary folder).
    Sqlite,
    /// A new database on the PostgreSQL cluster named by [`POSTGRES_ENV`].
    Postgres,
}

/// A database that can be opened again (a restart, a second server process).
pub struct Reopenable {
    /// What `Store::open` takes: a file path or a PostgreSQL URL.
    pub spec: String,
    /// The SQLite file, if it is one.
    pub path: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

impl Reopenable {
    /// Opens it (migrating a new one).
    pub fn open(&self) -> Store {
        Store::open(&self.spec).unwrap_or_else(|e| panic!("{}: {e}", self.spec))
    }
}

impl Engine {
    /// A fresh database: SQLite in memory, or a new PostgreSQL database.
    pub fn fresh(self) -> Store {
        match self {
            Engine::Sqlite => Store::open_in_memory().unwrap(),
            Engine::Postgres => self.reopenable().open(),
        }
    }

    /// A fresh database that can be opened again: an SQLite file, or a new PostgreSQL
    /// database.
    pub fn reopenable(self) -> Reopenable {
        match self {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("p.db");
                Reopenable {
                    spec: path.to_str().unwrap().to_owned(),
                    path: Some(path),
                    _dir: Some(dir),
                }
            }
            Engine::Postgres => Reopenable {
                spec: new_postgres_database(),
                path: None,
                _dir: None,
            },
        }
    }
}

/// A new, empty database on the test cluster; its URL.
pub fn new_postgres_database() -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        panic!(
            "needs PostgreSQL: cargo xtask test (or cargo xtask with-postgres cargo test …) \
             sets {POSTGRES_ENV} to a throwaway cluster"
        );
    };
    let name = format!(
        "t_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    // The blocking client may not run on an async test's thread: on a thread of its own.
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut client = postgres::Client::connect(&admin, postgres::NoTls)
                    .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={admin}: {e}"));
                client
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap();
            })
            .join()
            .unwrap();
    });
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// Runs a test's body on SQLite, and (ignored under a plain `cargo test`, run by `cargo
/// xtask test`) on PostgreSQL: `on_both! { async fn name(engine) { … } }` makes
/// `name::sqlite` and `name::postgres`. `on_both! { multi_thread; async fn … }` runs them on
/// two worker threads.
#[allow(
    unused_macros,
    reason = "a test file without PostgreSQL variants does not use it"
)]
macro_rules! on_both {
    ($(#[$m:meta])* async fn $name:ident($engine:ident) $body:block) => {
        on_both!(@make [tokio::test] $(#[$m])* $name $engine $body);
    };
    (multi_thread; $(#[$m:meta])* async fn $name:ident($engine:ident) $body:block) => {
        on_both!(@make [tokio::test(flavor = "multi_thread", worker_threads = 2)] $(#[$m])* $name $engine $body);
    };
    (@make [$($test:tt)*] $(#[$m:meta])* $name:ident $engine:ident $body:block) => {
        $(#[$m])*
        mod $name {
            #[allow(unused_imports, reason = "each test uses a different part of its file")]
            use super::*;

            async fn body($engine: common::Engine) $body

            #[$($test)*]
            async fn sqlite() {
                body(common::Engine::Sqlite).await
            }

            #[$($test)*]
            #[ignore = "needs PostgreSQL: cargo xtask test"]
            async fn postgres() {
                body(common::Engine::Postgres).await
            }
        }
    };
}

/// The names of a table's columns, in order.
pub fn columns(store: &Store, table: &str) -> Vec<String> {
    let sql = match store.dialect() {
        Dialect::Sqlite => format!("SELECT name FROM pragma_table_info('{table}')"),
        Dialect::Postgres => format!(
            "SELECT column_name::text FROM information_schema.columns WHERE table_name = '{table}' \
             AND table_schema = 'public' ORDER BY ordinal_position"
        ),
    };
    texts(store, &sql)
}

/// The text column of a query's rows.
pub fn texts(store: &Store, sql: &str) -> Vec<String> {
    store
        .sql(sql)
        .unwrap()
        .into_iter()
        .map(|r| match &r[0] {
            plotwise_server::store::Value::Text(t) => t.clone(),
            other => panic!("{sql}: {other:?}"),
        })
        .collect()
}

/// The bytes column of a query's rows.
pub fn blobs(store: &Store, sql: &str) -> Vec<Vec<u8>> {
    store
        .sql(sql)
        .unwrap()
        .into_iter()
        .map(|r| match &r[0] {
            plotwise_server::store::Value::Blob(b) => b.clone(),
            other => panic!("{sql}: {other:?}"),
        })
        .collect()
}

/// Every value of every table, one line per row, with the table's name.
pub fn dump(store: &Store) -> Vec<(String, String)> {
    let tables = match store.dialect() {
        Dialect::Sqlite => texts(store, "SELECT name FROM sqlite_schema WHERE type = 'table'"),
        Dialect::Postgres => texts(
            store,
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
        ),
    };
    let mut out = Vec::new();
    for t in tables {
        for row in store.sql(&format!("SELECT * FROM \"{t}\"")).unwrap() {
            let line: String = row.iter().map(|v| format!("{v:?}|")).collect();
            out.push((t.clone(), line));
        }
    }
    out
}

/// A small electorate: 5 units in 2 buildings, 400 m², owner o4 holds two units.
pub const SMALL: &str = "unit,building,area_m2,owner\n1-101,1,80,o1\n1-102,1,70.5,o2\n1-201,1,90,o3\n2-101,2,100,o4\n2-102,2,59.5,o4\n";

/// An answer: status, headers and body.
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
}

impl Answer {
    /// The body as JSON (panics when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    /// The `code` of an `ApiError` body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }
}

/// An app and a client with an optional committee session.
pub struct Client {
    pub app: Router,
    pub db: Store,
    pub cookie: Option<String>,
    pub csrf: Option<String>,
    pub peer: SocketAddr,
    /// The scrutineers' codes of each ballot box this client opened.
    pub codes: Arc<Mutex<HashMap<i64, [String; 2]>>>,
}

impl Client {
    pub fn new() -> Self {
        Self::with_db(Store::open_in_memory().unwrap())
    }

    /// A client of an app over a fresh database of `engine`.
    pub fn on(engine: Engine) -> Self {
        Self::with_db(engine.fresh())
    }

    pub fn with_db(db: Store) -> Self {
        Client {
            app: app(AppState {
                store: db.clone(),
                web_dir: None,
            }),
            db,
            cookie: None,
            csrf: None,
            peer: "192.0.2.1:5000".parse().unwrap(),
            codes: Arc::default(),
        }
    }

    /// Sends a request; `body` is JSON, or text when it is a JSON string and `raw` is set.
    pub async fn send(&self, method: &str, uri: &str, body: Option<Body>, ctype: &str) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = &self.cookie {
            req = req.header(header::COOKIE, c);
        }
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        req = req.header(header::CONTENT_TYPE, ctype);
        let mut req = req.body(body.unwrap_or_else(Body::empty)).unwrap();
        req.extensions_mut().insert(ConnectInfo(self.peer));
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            text: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send("GET", uri, None, "application/json").await
    }

    pub async fn post(&self, uri: &str, body: Value) -> Answer {
        self.send(
            "POST",
            uri,
            Some(Body::from(body.to_string())),
            "application/json",
        )
        .await
    }

    pub async fn put(&self, uri: &str, body: Value) -> Answer {
        self.send(
            "PUT",
            uri,
            Some(Body::from(body.to_string())),
            "application/json",
        )
        .await
    }

    pub async fn put_text(&self, uri: &str, text: &str) -> Answer {
        self.send("PUT", uri, Some(Body::from(text.to_owned())), "text/csv")
            .await
    }

    /// Keeps the session cookie and CSRF token of a login or setup answer.
    pub fn remember(&mut self, a: &Answer) {
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let cookie = a.headers[header::SET_COOKIE].to_str().unwrap();
        self.cookie = Some(cookie.split(';').next().unwrap().to_owned());
        self.csrf = Some(a.json()["csrf_token"].as_str().unwrap().to_owned());
    }

    /// Creates the first committee account (`alice`) and signs in.
    pub async fn setup(&mut self) {
        let code = prepare_setup_code(&self.db).unwrap().unwrap();
        let a = self
            .post(
                "/api/setup",
                json!({"setup_code": code, "username": "alice", "password": "correct horse battery"}),
            )
            .await;
        self.remember(&a);
    }

    /// Signs `alice` in again (after a restart, on a database already set up).
    pub async fn login(&mut self) {
        let a = self
            .post(
                "/api/login",
                json!({"username": "alice", "password": "correct horse battery"}),
            )
            .await;
        self.remember(&a);
    }

    /// A client of the same app without a session (a resident).
    pub fn resident(&self) -> Client {
        Client {
            app: self.app.clone(),
            db: self.db.clone(),
            cookie: None,
            csrf: None,
            peer: "198.51.100.7:6000".parse().unwrap(),
            codes: self.codes.clone(),
        }
    }

    /// Creates a consultation with these settings and returns its id.
    pub async fn consultation(&self, settings: Value) -> i64 {
        let a = self
            .post(
                "/api/consultations",
                json!({"title": "北门空地 North gate lot", "description": "", "settings": settings}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.json()["id"].as_i64().unwrap()
    }

    pub async fn to(&self, id: i64, body: Value) -> Answer {
        self.post(&format!("/api/consultations/{id}/transition"), body)
            .await
    }

    /// Takes a consultation to the open option vote with two options and the electorate.
    pub async fn open_vote(&self, settings: Value, electorate: &str) -> i64 {
        self.open_vote_with(settings, electorate, &["花园 Garden", "停车 Parking"])
            .await
    }

    /// Takes a consultation to the open option vote with these options and the electorate.
    pub async fn open_vote_with(&self, settings: Value, electorate: &str, titles: &[&str]) -> i64 {
        let id = self.consultation(settings).await;
        let a = self
            .put_text(&format!("/api/consultations/{id}/electorate"), electorate)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(
            self.to(id, json!({"to": "collecting"})).await.status,
            StatusCode::OK
        );
        let mut ids = Vec::new();
        for title in titles {
            let a = self
                .resident()
                .post(
                    &format!("/api/consultations/{id}/proposals"),
                    json!({"title": title, "author": "王阿姨", "layout": {"schema": 1, "title": title}}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
            ids.push(a.json()["id"].as_i64().unwrap());
        }
        let a = self
            .to(id, json!({"to": "frozen", "proposal_ids": ids}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        self.open_box(id).await;
        id
    }

    /// Opens the vote (`open-vote`), keeping the scrutineers' codes; returns the answer.
    pub async fn open_box(&self, id: i64) -> Answer {
        let a = self
            .post(&format!("/api/consultations/{id}/open-vote"), json!({}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let codes = a.json()["codes"].clone();
        let codes = [
            codes[0].as_str().unwrap().to_owned(),
            codes[1].as_str().unwrap().to_owned(),
        ];
        self.codes.lock().unwrap().insert(id, codes);
        a
    }

    /// The scrutineers' codes of consultation `id`.
    pub fn codes_of(&self, id: i64) -> [String; 2] {
        self.codes.lock().unwrap()[&id].clone()
    }

    /// The count: opens the box with its codes, with these paper ballots (JSON ballots,
    /// without units) and spoiled ones.
    pub async fn count_with(&self, id: i64, paper: Value, spoiled: u32) -> Answer {
        let codes = self.codes_of(id);
        self.post(
            &format!("/api/consultations/{id}/count"),
            json!({"codes": codes, "paper_ballots": paper, "spoiled": spoiled}),
        )
        .await
    }

    /// The count with no paper ballots; must succeed.
    pub async fn count(&self, id: i64) -> Answer {
        let a = self.count_with(id, json!([]), 0).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a
    }

    /// Marks `unit` at the paper desk as having put its option-vote ballot in the box.
    pub async fn mark_paper(&self, id: i64, unit: &str) -> Answer {
        self.post(
            &format!("/api/consultations/{id}/paper-voters"),
            json!({"unit": unit}),
        )
        .await
    }

    /// Issues tokens for `round` and returns (unit, token) pairs.
    pub async fn tokens(&self, id: i64, round: &str) -> Vec<(String, String)> {
        let a = self
            .post(
                &format!("/api/consultations/{id}/tokens"),
                json!({"round": round, "base_url": "http://127.0.0.1:8080"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        a.json()["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["unit"].as_str().unwrap().to_owned(),
                    t["token"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

/// IRV with ties broken by the shortlist order, art. 278 major matter, owners counted once.
pub fn irv_settings() -> Value {
    json!({
        "method": "irv",
        "tie_break": {"rule": "shortlist_order"},
        "resolution": {"rule": "art278-major"},
        "headcount": "owner"
    })
}

/// The token of `unit`.
pub fn token_of<'a>(tokens: &'a [(String, String)], unit: &str) -> &'a str {
    &tokens.iter().find(|(u, _)| u == unit).unwrap().1
}

/// A ranking ballot.
pub fn ranking(groups: Value) -> Value {
    json!({"round": "option", "ballot": {"kind": "ranking", "groups": groups}})
}

/// An approval ballot.
pub fn approval(approved: Value) -> Value {
    json!({"round": "option", "ballot": {"kind": "approval", "approved": approved}})
}

/// A ranking ballot as entered at the count (no round: paper ballots of the option vote).
pub fn paper_ranking(groups: Value) -> Value {
    json!({"kind": "ranking", "groups": groups})
}

/// A resolution ballot.
pub fn choice(c: &str) -> Value {
    json!({"round": "resolution", "choice": c})
}
