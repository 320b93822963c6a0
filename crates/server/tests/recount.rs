//! Anyone can recount: the exported ballots, read back with `plotwise-vote`'s readers and
//! counted again, give the server's result, for ranked, approval and score votes.

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, irv_settings};
use serde_json::{Value, json};

/// Marks the units as voting on paper, counts their ballots from the box, and returns the
/// server's winners and the export of `file`.
async fn run(
    engine: common::Engine,
    settings: Value,
    ballots: &[(&str, Value)],
    file: &str,
) -> (Value, String) {
    let mut c = Client::on(engine);
    c.setup().await;
    let id = c.open_vote(settings, SMALL).await;
    for (unit, _) in ballots {
        let a = c.mark_paper(id, unit).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
    let paper: Vec<Value> = ballots.iter().map(|(_, b)| b.clone()).collect();
    let a = c.count_with(id, json!(paper), 0).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
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

on_both! {
    async fn schulze_ballots_in_preflib_recount_to_the_same_winners(engine) {
        let mut s = irv_settings();
        s["method"] = json!("schulze");
        let r = |g: Value| json!({"kind": "ranking", "groups": g});
        let ballots = [
            ("1-101", r(json!([[1], [0]]))),
            ("1-102", r(json!([[1], [0]]))),
            ("1-201", r(json!([[0], [1]]))),
            ("2-101", r(json!([[0, 1]]))),
        ];
        let (result, text) = run(engine, s, &ballots, "ballots.toc").await;
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
}

on_both! {
    async fn approval_ballots_in_preflib_cat_and_csv_recount_to_the_same_winners(engine) {
        let mut s = irv_settings();
        s["method"] = json!("approval");
        let a = |v: Value| json!({"kind": "approval", "approved": v});
        let ballots = [
            ("1-101", a(json!([0, 1]))),
            ("1-102", a(json!([1]))),
            ("1-201", a(json!([]))),
            ("2-102", a(json!([1, 0]))),
        ];
        let (result, cat) = run(engine, s.clone(), &ballots, "ballots.cat").await;
        let f = plotwise_vote::preflib::parse(&cat, None).unwrap();
        let recount = plotwise_vote::approval(&f.approval().unwrap());
        assert_eq!(result["winners"], names(&recount.winner_indices));
        assert_eq!(result["winners"], json!([1]));
        let (_, csv) = run(engine, s, &ballots, "ballots.csv").await;
        let recount = plotwise_vote::approval(&plotwise_vote::csv::read_approval(&csv).unwrap());
        assert_eq!(recount.voters, 4);
        assert_eq!(result["winners"], names(&recount.winner_indices));
    }
}

on_both! {
    async fn score_ballots_in_csv_recount_and_out_of_range_scores_are_refused(engine) {
        let mut s = irv_settings();
        s["method"] = json!("score");
        s["max_score"] = json!(5);
        let sc = |v: Value| json!({"kind": "scores", "scores": v});
        let ballots = [
            ("1-101", sc(json!([5, 1]))),
            ("1-102", sc(json!([0, 4]))),
            ("2-101", sc(json!([3, 2]))),
        ];
        let (result, csv) = run(engine, s.clone(), &ballots, "ballots.csv").await;
        let recount = plotwise_vote::score(&plotwise_vote::csv::read_scores(&csv).unwrap());
        assert_eq!(result["winners"], names(&recount.winner_indices));
        assert_eq!(result["winners"], json!([0]));

        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(s, SMALL).await;
        assert_eq!(c.mark_paper(id, "1-101").await.status, StatusCode::OK);
        assert_eq!(c.mark_paper(id, "1-102").await.status, StatusCode::OK);
        for bad in [json!([6, 0]), json!([-1, 0]), json!([1])] {
            let a = c
                .count_with(id, json!([sc(json!([1, 1])), sc(bad.clone())]), 0)
                .await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}: {}", a.text);
            assert!(a.text.contains("paper ballot 2"), "{}", a.text);
        }
        // A refused count changed nothing: the vote is open and the box sealed.
        let now = c.get(&format!("/api/consultations/{id}")).await.json();
        assert_eq!(
            (&now["phase"], &now["ballot_box"]),
            (&json!("voting"), &json!("sealed"))
        );
        // One spoiled ballot and one good one reconcile with the two marked units.
        let a = c.count_with(id, json!([sc(json!([1, 1]))]), 1).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(
            a.json()["counted"],
            json!({"online": 0, "paper": 1, "spoiled": 1})
        );
    }
}
