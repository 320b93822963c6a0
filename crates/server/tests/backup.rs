//! Backups taken during a vote are consistent; restoring an old one is refused unless forced,
//! and says what it would lose.

mod common;

use std::time::Instant;

use axum::http::StatusCode;
use common::{Client, irv_settings, ranking};
use plotwise_server::Store;
use plotwise_server::backup::{BackupError, backup, restore};
use serde_json::json;

fn zhengwen() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/zhengwen-electorate.csv"),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_during_the_vote_is_one_commit_and_an_old_one_is_not_restored_by_accident() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let mut c = Client::with_db(Store::open_sqlite(&live).unwrap());
    c.setup().await;
    let id = c.open_vote(irv_settings(), &zhengwen()).await;
    let tokens = c.tokens(id, "option").await;
    assert_eq!(tokens.len(), 324);
    // Half the units vote; then a backup is taken while the other half vote.
    for (_, t) in &tokens[..162] {
        let a = c
            .resident()
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[0], [1]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let mid = dir.path().join("mid.db");
    let (live2, mid2) = (live.clone(), mid.clone());
    let copier = std::thread::spawn(move || backup(&live2, &mid2).unwrap());
    for (_, t) in &tokens[162..] {
        let a = c
            .resident()
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[1], [0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let mid_report = copier.join().unwrap();
    assert!((162..=324).contains(&mid_report.ballots), "{mid_report:?}");
    // The copy is one commit's state: every unit that voted has its envelope and its spent
    // token, nothing more, nothing less.
    {
        let snap = rusqlite::Connection::open(&mid).unwrap();
        let n = |sql: &str| -> i64 { snap.query_row(sql, [], |r| r.get(0)).unwrap() };
        let voted = n("SELECT count(*) FROM participation");
        assert_eq!(voted, mid_report.ballots);
        assert_eq!(voted, n("SELECT count(*) FROM sealed_ballots"));
        assert_eq!(voted, n("SELECT count(*) FROM tokens WHERE used = 1"));
        let ok: String = snap
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
    }
    // A full backup after the vote: the figures for the note.
    let full = dir.path().join("full.db");
    let t = Instant::now();
    let report = backup(&live, &full).unwrap();
    println!(
        "backup of the 324-unit electorate with all ballots: {} bytes in {:.3} s (report {:.3} s)",
        report.bytes,
        t.elapsed().as_secs_f64(),
        report.elapsed.as_secs_f64()
    );
    assert_eq!(report.ballots, 324);
    // A backup never overwrites.
    assert!(matches!(backup(&live, &full), Err(BackupError::Exists(_))));
    drop(c);
    // Restoring the mid-vote copy would lose ballots and revive their tokens: refused.
    let lost = 324 - mid_report.ballots;
    match restore(&mid, &live, false) {
        Err(BackupError::Older { ballots, tokens }) => {
            assert_eq!((ballots, tokens), (lost, lost));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Nothing changed by the refusal.
    let c = Client::with_db(Store::open_sqlite(&live).unwrap());
    assert_eq!(
        c.db.sqlite()
            .unwrap()
            .lock()
            .unwrap()
            .query_row("SELECT count(*) FROM participation", [], |r| r
                .get::<_, i64>(0))
            .unwrap(),
        324
    );
    drop(c);
    // The full backup restores without complaint; the old one only with force, saying what
    // it cost.
    assert_eq!(restore(&full, &live, false).unwrap().ballots, 324);
    let forced = restore(&mid, &live, true).unwrap();
    assert_eq!((forced.lost_ballots, forced.revived_tokens), (lost, lost));
    let c = Client::with_db(Store::open_sqlite(&live).unwrap());
    assert_eq!(
        c.db.sqlite()
            .unwrap()
            .lock()
            .unwrap()
            .query_row("SELECT count(*) FROM participation", [], |r| r
                .get::<_, i64>(0))
            .unwrap(),
        mid_report.ballots
    );
    // Something that is not a Plotwise database is refused.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    assert!(restore(&junk, &live, true).is_err());
}
