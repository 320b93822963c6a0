//! Faults during the count: it either completes or leaves the vote open and retryable, and
//! a failure is an error, never a 200.
//!
//! Two faults: a real one, another program holding a read transaction on the database (the
//! WAL cannot be emptied); and a VACUUM that fails as on a full disk, injected through
//! `Store::fail_next_vacuum` (SQLite 3.54 gave no way to make VACUUM alone fail from outside
//! the process that was reliable here).

#[macro_use]
mod common;

use std::path::Path;

use axum::http::StatusCode;
use common::{Client, SMALL, irv_settings, ranking};
use plotwise_server::Store;
use serde_json::json;

/// Votes in a new consultation on a file database; returns its id and the codes.
async fn voted(path: &Path) -> (i64, [String; 2]) {
    voted_in(Store::open_sqlite(path).unwrap()).await
}

/// Votes in a new consultation in `db`; returns its id and the codes.
async fn voted_in(db: Store) -> (i64, [String; 2]) {
    let mut c = Client::with_db(db);
    c.setup().await;
    let id = c.open_vote(irv_settings(), SMALL).await;
    for (_, t) in c.tokens(id, "option").await {
        let a = c
            .resident()
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[1], [0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    (id, c.codes_of(id))
}

fn wal_len(path: &Path) -> u64 {
    std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len())
}

#[tokio::test]
async fn a_count_that_cannot_empty_the_wal_is_an_error_and_is_finished_by_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let (id, codes) = voted(&path).await;
    let mut c = Client::with_db(Store::open_sqlite(&path).unwrap());
    c.login().await;
    c.codes.lock().unwrap().insert(id, codes);
    // Another program (a backup tool, an SQLite browser) holds a read transaction.
    let reader = rusqlite::Connection::open(&path).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM participation", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 5);
    let a = c.count_with(id, json!([]), 0).await;
    assert_eq!(
        (a.status, a.code().as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "count_incomplete"),
        "{}",
        a.text
    );
    // Nothing is published and the vote is still open, with the box opened: no ballot can
    // come in, no result can be seen.
    let now = c.get(&format!("/api/consultations/{id}")).await.json();
    assert_eq!(
        (&now["phase"], &now["ballot_box"]),
        (&json!("voting"), &json!("opened"))
    );
    let r = c
        .get(&format!("/api/consultations/{id}/results"))
        .await
        .json();
    assert!(r["option_result"].is_null() && r["digests"]["option_ballots_sha256"].is_null());
    assert_eq!(
        c.get(&format!("/api/consultations/{id}/receipts"))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let a = c.mark_paper(id, "1-101").await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text);
    // The reader goes away; the same request again finishes the count (the key is gone, so
    // the codes are not even needed).
    reader.execute_batch("COMMIT").unwrap();
    drop(reader);
    let a = c
        .post(
            &format!("/api/consultations/{id}/count"),
            json!({"codes": ["", ""]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let report = a.json();
    assert_eq!(report["resumed"], true);
    assert_eq!(report["consultation"]["phase"], "closed");
    assert_eq!(report["counted"]["online"], 5);
    assert_eq!(wal_len(&path), 0, "the WAL is emptied");
    let r = c
        .get(&format!("/api/consultations/{id}/results"))
        .await
        .json();
    assert_eq!(r["option_result"]["ballots"], 5);
    assert_eq!(r["option_result"]["winners"], json!([1]));
}

on_both! {
    /// The rewrite fails (an injected full disk): 503, the vote stays open with the box
    /// opened, and after a restart of the server the same request finishes the count.
    async fn a_count_whose_vacuum_fails_leaves_the_vote_open_and_retries_after_a_restart(engine) {
        let place = engine.reopenable();
        let (id, codes) = voted_in(place.open()).await;
        let db = place.open();
        let mut c = Client::with_db(db.clone());
        c.login().await;
        c.codes.lock().unwrap().insert(id, codes.clone());
        db.fail_next_vacuum();
        let a = c.count_with(id, json!([]), 0).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::SERVICE_UNAVAILABLE, "count_incomplete"),
            "{}",
            a.text
        );
        assert!(a.text.contains("Count again"), "{}", a.text);
        let now = c.get(&format!("/api/consultations/{id}")).await.json();
        assert_eq!(
            (&now["phase"], &now["ballot_box"]),
            (&json!("voting"), &json!("opened"))
        );
        // The server restarts (the operator frees the disk), and the count is pressed again.
        drop(c);
        drop(db);
        let mut c = Client::with_db(place.open());
        c.login().await;
        c.codes.lock().unwrap().insert(id, codes);
        let report = c.count(id).await.json();
        assert_eq!(report["resumed"], true);
        assert_eq!(report["consultation"]["phase"], "closed");
        assert_eq!(report["counted"]["online"], 5);
        if let Some(path) = &place.path {
            assert_eq!(wal_len(path), 0);
        }
        assert_eq!(
            (
                c.db.sql_i64("SELECT count(*) FROM option_ballots"),
                c.db.sql_i64("SELECT count(*) FROM sealed_ballots")
            ),
            (5, 0)
        );
        // The audit log tells the story: opened once, closed once, after an earlier attempt.
        let log = c
            .get(&format!("/api/consultations/{id}/audit"))
            .await
            .json();
        let actions: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| **a == "ballot_box_opened")
                .count(),
            1
        );
        assert_eq!(actions.iter().filter(|a| **a == "phase_closed").count(), 1);
    }
}

/// A vote opened by an older Plotwise (schema 2, no ballot box) keeps working after the
/// upgrade: its unsealed ballots are counted, shuffled, without codes.
#[tokio::test]
async fn a_vote_opened_before_sealed_boxes_is_counted_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/sqlite/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/sqlite/0002_consultations.sql"))
            .unwrap();
        conn.execute_batch(
            r#"PRAGMA user_version = 2;
            INSERT INTO consultations (id, title, description, phase, settings) VALUES
              (1, 'old', '', 'voting', '{"method":"irv","tie_break":{"rule":"shortlist_order"},"resolution":{"rule":"art278-major"},"headcount":"owner"}');
            INSERT INTO proposals (id, consultation_id, title, author, layout, sha256) VALUES
              (1, 1, 'A', 'x', '{}', '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'),
              (2, 1, 'B', 'x', '{}', '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
            INSERT INTO options VALUES (1, 0, 1, 'A', 'x', '{}', '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'),
                                       (1, 1, 2, 'B', 'x', '{}', '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
            INSERT INTO units VALUES (1, '1-101', '1', '80', 'o1', 0), (1, '1-102', '1', '70', 'o2', 1);
            INSERT INTO participation VALUES (1, 'option', '1-101', 'online');
            INSERT INTO option_ballots VALUES (1, x'00112233445566778899aabbccddeeff', '{"kind":"ranking","groups":[[1],[0]]}');"#,
        )
        .unwrap();
    }
    let mut c = Client::with_db(Store::open_sqlite(&path).unwrap());
    c.setup().await;
    let now = c.get("/api/consultations/1").await.json();
    assert_eq!(
        (&now["phase"], &now["ballot_box"]),
        (&json!("voting"), &json!("unsealed"))
    );
    assert_eq!(c.mark_paper(1, "1-102").await.status, StatusCode::OK);
    let a = c
        .post(
            "/api/consultations/1/count",
            json!({"codes": ["", ""], "paper_ballots": [{"kind": "ranking", "groups": [[1]]}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(
        a.json()["counted"],
        json!({"online": 1, "paper": 1, "spoiled": 0})
    );
    let r = c.get("/api/consultations/1/results").await.json();
    assert_eq!(r["option_result"]["winners"], json!([1]));
    assert_eq!(r["option_result"]["ballots"], 2);
}
