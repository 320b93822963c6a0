//! The signed register of a formal resolution: owners may read it with one of their ballot
//! tokens only during the notice period after publication, and every such reading is
//! logged; the committee may always.

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, choice, irv_settings, token_of};
use serde_json::json;

async fn get_with_token(c: &Client, path: &str, token: &str) -> (StatusCode, String) {
    let req = axum::http::Request::get(path)
        .header("x-ballot-token", token)
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(c.app.clone(), req)
        .await
        .unwrap();
    let status = res.status();
    let bytes = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

on_both! {
    async fn owners_read_the_register_only_in_the_notice_period_and_each_reading_is_logged(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        // An owner "name" that a spreadsheet would run as a formula.
        let electorate = SMALL.replace(
            "1-101,1,80,o1",
            "1-101,1,80,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        );
        let id = c.open_vote(irv_settings(), &electorate).await;
        let tokens = c.tokens(id, "option").await;
        c.count(id).await;
        let a = c.to(id, json!({"to": "resolution", "option": 0})).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let a = c
            .post(
                &format!("/api/consultations/{id}/paper-ballots"),
                json!({"unit": "1-101", "vote": choice("yes")}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        for to in ["validated", "published"] {
            assert_eq!(c.to(id, json!({"to": to})).await.status, StatusCode::OK);
        }
        let path = format!("/api/consultations/{id}/export/register.csv");
        // An owner with a token of this consultation reads it; the reading is logged.
        let (status, text) = get_with_token(&c, &path, token_of(&tokens, "2-102")).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert!(text.contains("1-101"), "{text}");
        // It reaches the register as text, not as a formula.
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            "{text}"
        );
        assert!(!text.contains(",=HYPERLINK"), "{text}");
        let log = c.get(&format!("/api/consultations/{id}/audit")).await.text;
        assert!(
            log.contains("register_read") && log.contains("unit 2-102"),
            "{log}"
        );
        // A made-up token, or none: no.
        let (status, _) = get_with_token(&c, &path, "aaaaaaaaaaaaaaaaaaaaaaaaaa").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // Forty days after publication the notice period is over for owners, not the committee.
        let forty_days_ago = match c.db.dialect() {
            plotwise_server::Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-40 days')",
            plotwise_server::Dialect::Postgres => {
                "to_char(now() AT TIME ZONE 'UTC' - interval '40 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            }
        };
        c.db.sql(&format!(
            "UPDATE audit_log SET at = {forty_days_ago} WHERE action = 'phase_published'"
        ))
        .unwrap();
        let (status, text) = get_with_token(&c, &path, token_of(&tokens, "2-102")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
        assert!(
            text.contains("notice_over") && text.contains("30 days"),
            "{text}"
        );
        assert_eq!(c.get(&path).await.status, StatusCode::OK);
    }
}
