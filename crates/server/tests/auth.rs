//! Committee accounts: setup, passwords, sessions, CSRF and the login rate limit.

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::{Client, irv_settings};
use plotwise_server::prepare_setup_code;
use serde_json::json;

on_both! {
    async fn the_first_account_needs_the_setup_code_and_setup_works_once(engine) {
        let mut c = Client::on(engine);
        let code = prepare_setup_code(&c.db).unwrap().unwrap();
        let creds = |code: &str| json!({"setup_code": code, "username": "alice", "password": "correct horse battery"});
        let a = c.post("/api/setup", creds("0000")).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::FORBIDDEN, "forbidden")
        );
        // A short password is refused before anything else.
        let a = c
            .post(
                "/api/setup",
                json!({"setup_code": code, "username": "alice", "password": "short"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = c.post("/api/setup", creds(&code)).await;
        let cookie = a.headers["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        c.remember(&a);
        // The code is spent, and no new one is made once an account exists.
        let a = c.post("/api/setup", creds(&code)).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "already_set_up")
        );
        assert_eq!(prepare_setup_code(&c.db).unwrap(), None);
        let a = c.get("/api/session").await;
        assert_eq!(a.json()["username"], "alice");
    }
}

on_both! {
    async fn passwords_are_stored_as_argon2id_and_checked(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let a = c
            .post(
                "/api/accounts",
                json!({"username": "bob", "password": "another long password"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let hashes = common::texts(&c.db, "SELECT password_hash FROM accounts");
        assert_eq!(hashes.len(), 2);
        for h in &hashes {
            assert!(h.starts_with("$argon2id$"), "{h}");
            assert!(!h.contains("password"), "{h}");
        }
        let mut bob = c.resident();
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "another long passworD"}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::UNAUTHORIZED, "unauthorized")
        );
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "another long password"}),
            )
            .await;
        bob.remember(&a);
        assert_eq!(bob.get("/api/session").await.json()["username"], "bob");
        // Logging out ends the session.
        assert_eq!(
            bob.post("/api/logout", json!({})).await.status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            bob.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

on_both! {
    async fn committee_requests_need_a_session_and_state_changes_need_the_csrf_header(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let body = json!({"title": "t", "settings": irv_settings()});
        // No session at all.
        let a = c.resident().post("/api/consultations", body.clone()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        // A session cookie but no CSRF header (what a forged cross-site request would carry).
        let csrf = c.csrf.take();
        let a = c.post("/api/consultations", body.clone()).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::FORBIDDEN, "csrf")
        );
        // A wrong CSRF token.
        c.csrf = Some("0".repeat(64));
        let a = c.post("/api/consultations", body.clone()).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::FORBIDDEN, "csrf")
        );
        // GET needs no CSRF header.
        assert_eq!(c.get("/api/accounts").await.status, StatusCode::OK);
        c.csrf = csrf;
        assert_eq!(
            c.post("/api/consultations", body).await.status,
            StatusCode::OK
        );
        // A made-up session cookie is refused.
        let mut forged = c.resident();
        forged.cookie = Some(format!("plotwise_session={}", "ab".repeat(32)));
        forged.csrf = c.csrf.clone();
        assert_eq!(
            forged.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

on_both! {
    async fn login_attempts_are_limited_per_account_and_address_and_a_stranger_cannot_lock_a_member_out(engine)
     {
        let mut c = Client::on(engine);
        c.setup().await;
        let wrong = json!({"username": "alice", "password": "not the password"});
        let right = json!({"username": "alice", "password": "correct horse battery"});
        let r = c.resident();
        for _ in 0..plotwise_server::auth::ACCOUNT_LIMIT {
            assert_eq!(
                r.post("/api/login", wrong.clone()).await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Over the limit for alice from this address: even the right password is refused here.
        let a = r.post("/api/login", right.clone()).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        );
        // But the stranger has not locked alice out: from her own address she signs in.
        let mut elsewhere = c.resident();
        elsewhere.peer = "203.0.113.9:1".parse().unwrap();
        assert_eq!(
            elsewhere.post("/api/login", right.clone()).await.status,
            StatusCode::OK
        );
        // Nor can strangers at many addresses: past a few failures each attempt is slowed,
        // never refused, and alice still gets in.
        for i in 0..8u8 {
            let mut s = c.resident();
            s.peer = format!("198.18.0.{i}:3").parse().unwrap();
            assert_eq!(
                s.post("/api/login", wrong.clone()).await.status,
                StatusCode::UNAUTHORIZED
            );
        }
        let mut home = c.resident();
        home.peer = "203.0.113.10:1".parse().unwrap();
        assert_eq!(
            home.post("/api/login", right.clone()).await.status,
            StatusCode::OK
        );
        // Every sign-in and failure is in the server's audit log, without the typed passwords.
        let log = c.get("/api/audit").await;
        assert_eq!(log.status, StatusCode::OK, "{}", log.text);
        let entries = log.json();
        let actions: Vec<&str> = entries
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions.iter().filter(|a| **a == "login").count(), 2);
        assert_eq!(actions.iter().filter(|a| **a == "login_failed").count(), 13);
        assert!(!log.text.contains("not the password"));
        assert!(
            log.text
                .contains("alice: wrong password, from ip:198.18.0.3"),
            "{}",
            log.text
        );

        // Per address: many user names from one address.
        let mut spray = c.resident();
        spray.peer = "203.0.113.50:2".parse().unwrap();
        for i in 0..plotwise_server::auth::ADDRESS_LIMIT {
            let a = spray
                .post(
                    "/api/login",
                    json!({"username": format!("u{i}"), "password": "guess guess"}),
                )
                .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        let a = spray
            .post(
                "/api/login",
                json!({"username": "someone-new", "password": "guess guess"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
        // Another address is not affected.
        let a = elsewhere
            .post(
                "/api/login",
                json!({"username": "someone-new", "password": "guess guess"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
}

on_both! {
    async fn the_cookie_is_secure_when_the_app_was_served_over_https(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let body = json!({"username": "alice", "password": "correct horse battery"}).to_string();
        let req = |origin: &str| {
            axum::http::Request::post("/api/login")
                .header("content-type", "application/json")
                .header("origin", origin)
                .body(axum::body::Body::from(body.clone()))
                .unwrap()
        };
        let res = tower::ServiceExt::oneshot(c.app.clone(), req("https://plotwise.example.org"))
            .await
            .unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(cookie.ends_with("; Secure"), "{cookie}");
        let res = tower::ServiceExt::oneshot(c.app.clone(), req("http://127.0.0.1:8080"))
            .await
            .unwrap();
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(!cookie.contains("Secure"), "{cookie}");
    }
}

on_both! {
    async fn accounts_can_be_disabled_passwords_changed_and_sessions_revoked_all_in_the_audit(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let a = c
            .post(
                "/api/accounts",
                json!({"username": "bob", "password": "bob's long password"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let bob_id = a.json()["id"].as_i64().unwrap();
        let mut bob = c.resident();
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "bob's long password"}),
            )
            .await;
        bob.remember(&a);
        assert_eq!(bob.get("/api/session").await.status, StatusCode::OK);
        // Revoking bob's sessions signs him out everywhere.
        let a = c
            .post(
                &format!("/api/accounts/{bob_id}/revoke-sessions"),
                json!({}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(
            bob.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED
        );
        // Disabled: he cannot sign in, even with the right password, and is told so.
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "bob's long password"}),
            )
            .await;
        bob.remember(&a);
        let a = c
            .post(&format!("/api/accounts/{bob_id}/disable"), json!({}))
            .await;
        assert_eq!(a.json()["disabled"], true);
        assert_eq!(
            bob.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED
        );
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "bob's long password"}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::FORBIDDEN, "disabled")
        );
        let a = bob
            .post(
                "/api/login",
                json!({"username": "bob", "password": "a wrong guess!!"}),
            )
            .await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "a wrong password says nothing more"
        );
        // alice cannot disable herself while she is the last enabled account.
        let alice_id = c.get("/api/accounts").await.json()[0]["id"]
            .as_i64()
            .unwrap();
        let a = c
            .post(&format!("/api/accounts/{alice_id}/disable"), json!({}))
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "last_account")
        );
        // A password change needs the current password and ends the other sessions.
        let mut other = c.resident();
        other.peer = "203.0.113.20:1".parse().unwrap();
        let a = other
            .post(
                "/api/login",
                json!({"username": "alice", "password": "correct horse battery"}),
            )
            .await;
        other.remember(&a);
        let a = c
            .put(
                "/api/session/password",
                json!({"current": "not it", "new": "a brand new passphrase"}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::FORBIDDEN, "wrong_password")
        );
        let a = c
            .put(
                "/api/session/password",
                json!({"current": "correct horse battery", "new": "a brand new passphrase"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{}", a.text);
        assert_eq!(
            c.get("/api/session").await.status,
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(
            other.get("/api/session").await.status,
            StatusCode::UNAUTHORIZED,
            "the other session ended"
        );
        let a = c
            .post(
                "/api/login",
                json!({"username": "alice", "password": "a brand new passphrase"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
        // Every account change is in the server's audit log, with who did it.
        let log = c.get("/api/audit").await.json();
        let seen: Vec<(String, String)> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap().to_owned(),
                    e["action"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (actor, action) in [
            ("alice", "account_created"),
            ("alice", "sessions_revoked"),
            ("alice", "account_disabled"),
            ("alice", "password_change_refused"),
            ("alice", "password_changed"),
            ("system", "login_failed"),
            ("bob", "login"),
        ] {
            assert!(
                seen.contains(&(actor.to_owned(), action.to_owned())),
                "{actor} {action} missing: {seen:?}"
            );
        }
        // And the server's audit log is the committee's only.
        assert_eq!(
            c.resident().get("/api/audit").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}
