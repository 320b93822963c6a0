//! Faults of the machine: a read-only disk, a full disk, a panic while the database was
//! locked. The server must say so plainly, save nothing by halves, and carry on afterwards.

mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, irv_settings, ranking, token_of};
use plotwise_server::Store;
use serde_json::json;

fn file_client() -> (tempfile::TempDir, Client) {
    let dir = tempfile::tempdir().unwrap();
    let db = Store::open_sqlite(&dir.path().join("p.db")).unwrap();
    (dir, Client::with_db(db))
}

fn count(c: &Client, sql: &str) -> i64 {
    c.db.sqlite()
        .unwrap()
        .lock()
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn health_writes_for_real_and_says_degraded_when_it_cannot() {
    let (_dir, c) = file_client();
    let a = c.get("/api/health").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let h = a.json();
    assert_eq!(h["status"], "ok");
    assert!(h["database"]["free_bytes"].as_u64().unwrap() > 0);
    let before = count(&c, "SELECT at FROM health");
    assert!(before > 0, "the probe row was written");
    // The disk becomes read-only: reads still work, the health check says why it is degraded.
    c.db.sqlite()
        .unwrap()
        .lock()
        .unwrap()
        .pragma_update(None, "query_only", true)
        .unwrap();
    let a = c.get("/api/health").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text);
    let h = a.json();
    assert_eq!(h["status"], "degraded");
    assert!(
        h["database"]["reason"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{h}"
    );
    // A write request meanwhile: a clear 503, not a 500.
    let a = c
        .post(
            "/api/consultations/1/proposals",
            json!({"title": "t", "author": "a", "layout": {}}),
        )
        .await;
    assert!(
        matches!(
            a.status,
            StatusCode::NOT_FOUND | StatusCode::SERVICE_UNAVAILABLE
        ),
        "{}",
        a.text
    );
    c.db.sqlite()
        .unwrap()
        .lock()
        .unwrap()
        .pragma_update(None, "query_only", false)
        .unwrap();
    assert_eq!(c.get("/api/health").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_ballot_on_a_full_disk_fails_clearly_and_leaves_nothing_behind() {
    let (_dir, mut c) = file_client();
    c.setup().await;
    let mut electorate = String::from("unit,building,area_m2,owner\n");
    for i in 0..400 {
        electorate.push_str(&format!("u{i},1,50,o{i}\n"));
    }
    let id = c.open_vote(irv_settings(), &electorate).await;
    let tokens = c.tokens(id, "option").await;
    // The disk is full: the database may not grow by a page.
    {
        let conn = c.db.sqlite().unwrap().lock().unwrap();
        let pages: i64 = conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
    }
    let mut refused = None;
    for (unit, token) in &tokens {
        let a = c
            .resident()
            .post(
                "/api/ballots",
                json!({"token": token, "vote": ranking(json!([[0], [1]]))}),
            )
            .await;
        if a.status != StatusCode::OK {
            assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text);
            assert_eq!(a.code(), "storage");
            assert!(a.text.contains("the disk is full"), "{}", a.text);
            assert!(a.text.contains("nothing of it was saved"), "{}", a.text);
            refused = Some(unit.clone());
            break;
        }
    }
    let refused = refused.expect("the disk filled up");
    // Nothing by halves: every stored ballot has its unit's row and spent token, and the
    // refused unit has neither.
    let voted = count(&c, "SELECT count(*) FROM participation");
    assert_eq!(voted, count(&c, "SELECT count(*) FROM sealed_ballots"));
    assert_eq!(
        voted,
        count(&c, "SELECT count(*) FROM tokens WHERE used = 1")
    );
    let theirs: i64 =
        c.db.sqlite()
            .unwrap()
            .lock()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM participation WHERE unit = ?1",
                [&refused],
                |r| r.get(0),
            )
            .unwrap();
    assert_eq!(theirs, 0);
    // Room again: the same resident votes with the same token.
    c.db.sqlite()
        .unwrap()
        .lock()
        .unwrap()
        .pragma_update(None, "max_page_count", 1_000_000_000i64)
        .unwrap();
    let a = c
        .resident()
        .post(
            "/api/ballots",
            json!({"token": token_of(&tokens, &refused), "vote": ranking(json!([[1]]))}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
}

#[tokio::test]
async fn a_panic_while_the_database_was_locked_does_not_break_later_requests() {
    let (_dir, mut c) = file_client();
    c.setup().await;
    let id = c.open_vote(irv_settings(), SMALL).await;
    let tokens = c.tokens(id, "option").await;
    // A bug panics in the middle of a transaction while holding the connection.
    let db = c.db.clone();
    let crashed = std::thread::spawn(move || {
        let mut conn = db.sqlite().unwrap().lock().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute("DELETE FROM participation", []).unwrap();
        panic!("a bug");
    })
    .join();
    assert!(crashed.is_err());
    // Every later request works, and the half-done transaction left nothing.
    let a = c.get(&format!("/api/consultations/{id}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    let a = c
        .resident()
        .post(
            "/api/ballots",
            json!({"token": token_of(&tokens, "1-101"), "vote": ranking(json!([[0]]))}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(c.get("/api/health").await.status, StatusCode::OK);
}
