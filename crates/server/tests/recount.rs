//! Anyone can recount: the exported ballots, read back with `plotwise-vote`'s readers and
//! counted again, give the server's result, for ranked, approval and score votes.

mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, irv_settings};
use serde_json::{Value, json};

/// Casts the paper ballots, closes the vote, and returns the server's winners and the
/// export of `file`.
async fn run(settings: Value, ballots: &[(&str, Value)], file: &str) -> (Value, String) {
    let mut c = Client::new();
    c.setup().await;
    let id = c.open_vote(settings, SMALL).await;
    for (unit, ballot) in ballots {
        let a = c
            .post(
                &format!("/api/consultations/{id}/paper-ballots"),
                json!({"unit": unit, "vote": {"round": "option", "ballot": ballot}}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
    assert_eq!(
        c.to(id, json!({"to": "closed"})).await.status,
        StatusCode::OK
    );
    let r = c
        .get(&format!("/api/consultations/{id}/results"))
        .await
        .json();
    let export = c
        .get(&format!("/api/consultations/{id}/export/{file}"))
        .await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    (r["option_result"].clone(), export.text)
}

fn names(winners: &[usize]) -> Value {
    json!(winners)
}

#[tokio::test]
async fn schulze_ballots_in_preflib_recount_to_the_same_winners() {
    let mut s = irv_settings();
    s["method"] = json!("schulze");
    let r = |g: Value| json!({"kind": "ranking", "groups": g});
    let ballots = [
        ("1-101", r(json!([[1], [0]]))),
        ("1-102", r(json!([[1], [0]]))),
        ("1-201", r(json!([[0], [1]]))),
        ("2-101", r(json!([[0, 1]]))),
    ];
    let (result, text) = run(s, &ballots, "ballots.toc").await;
    let f = plotwise_vote::preflib::parse(&text, None).unwrap();
    let recount = plotwise_vote::schulze(&f.ranked());
    assert_eq!(recount.voters, 4);
    assert_eq!(result["winners"], names(&recount.winner_indices));
    assert_eq!(result["winners"], json!([1]));
    assert_eq!(
        result["explanation"],
        serde_json::to_value(&recount.explanation).unwrap()
    );
}

#[tokio::test]
async fn approval_ballots_in_preflib_cat_and_csv_recount_to_the_same_winners() {
    let mut s = irv_settings();
    s["method"] = json!("approval");
    let a = |v: Value| json!({"kind": "approval", "approved": v});
    let ballots = [
        ("1-101", a(json!([0, 1]))),
        ("1-102", a(json!([1]))),
        ("1-201", a(json!([]))),
        ("2-102", a(json!([1, 0]))),
    ];
    let (result, cat) = run(s.clone(), &ballots, "ballots.cat").await;
    let f = plotwise_vote::preflib::parse(&cat, None).unwrap();
    let recount = plotwise_vote::approval(&f.approval().unwrap());
    assert_eq!(result["winners"], names(&recount.winner_indices));
    assert_eq!(result["winners"], json!([1]));
    let (_, csv) = run(s, &ballots, "ballots.csv").await;
    let recount = plotwise_vote::approval(&plotwise_vote::csv::read_approval(&csv).unwrap());
    assert_eq!(recount.voters, 4);
    assert_eq!(result["winners"], names(&recount.winner_indices));
}

#[tokio::test]
async fn score_ballots_in_csv_recount_and_out_of_range_scores_are_refused() {
    let mut s = irv_settings();
    s["method"] = json!("score");
    s["max_score"] = json!(5);
    let sc = |v: Value| json!({"kind": "scores", "scores": v});
    let ballots = [
        ("1-101", sc(json!([5, 1]))),
        ("1-102", sc(json!([0, 4]))),
        ("2-101", sc(json!([3, 2]))),
    ];
    let (result, csv) = run(s.clone(), &ballots, "ballots.csv").await;
    let recount = plotwise_vote::score(&plotwise_vote::csv::read_scores(&csv).unwrap());
    assert_eq!(result["winners"], names(&recount.winner_indices));
    assert_eq!(result["winners"], json!([0]));

    let mut c = Client::new();
    c.setup().await;
    let id = c.open_vote(s, SMALL).await;
    for bad in [json!([6, 0]), json!([-1, 0]), json!([1])] {
        let a = c
            .post(
                &format!("/api/consultations/{id}/paper-ballots"),
                json!({"unit": "1-101", "vote": {"round": "option", "ballot": sc(bad.clone())}}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.text);
    }
}
