//! Floods of refused ballots: a spent token sent again and again, or made-up tokens, from one
//! address. The audit log gets one line per unit and channel, the address is slowed to 429,
//! and everyone else still votes.

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, irv_settings, ranking, token_of};
use serde_json::json;

on_both! {
    async fn refused_ballots_neither_flood_the_audit_log_nor_go_on_for_ever(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let tokens = c.tokens(id, "option").await;
        let attacker = c.resident();
        let spent = token_of(&tokens, "1-101");
        let a = attacker
            .post(
                "/api/ballots",
                json!({"token": spent, "vote": ranking(json!([[0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
        let mut statuses = Vec::new();
        for i in 0..100 {
            // Spent tokens and made-up ones, alternately.
            let token = if i % 2 == 0 {
                spent.to_owned()
            } else {
                format!("{:a<26}", format!("zz{i}")).replace(|c: char| c.is_ascii_digit(), "q")
            };
            let a = attacker
                .post(
                    "/api/ballots",
                    json!({"token": token, "vote": ranking(json!([[1]]))}),
                )
                .await;
            statuses.push(a.status);
        }
        let refused = statuses
            .iter()
            .filter(|s| matches!(**s, StatusCode::CONFLICT | StatusCode::UNAUTHORIZED))
            .count();
        let limited = statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!(
            refused as i64,
            plotwise_server::REFUSED_PER_WINDOW,
            "{statuses:?}"
        );
        assert_eq!(refused + limited, 100);
        // One audit line for 1-101's repeated online ballot, however many came.
        let log = c
            .get(&format!("/api/consultations/{id}/audit"))
            .await
            .json();
        let lines = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "double_vote_refused")
            .count();
        assert_eq!(lines, 1);
        // Residents at other addresses still vote.
        let mut neighbour = c.resident();
        neighbour.peer = "203.0.113.30:1".parse().unwrap();
        let a = neighbour
            .post(
                "/api/ballots",
                json!({"token": token_of(&tokens, "1-102"), "vote": ranking(json!([[1]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    }
}
