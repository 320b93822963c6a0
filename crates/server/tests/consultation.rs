//! Consultations: the life cycle, the electorate import, tokens, ballots, secrecy and results.

#[macro_use]
mod common;

use axum::http::StatusCode;
use common::{Client, SMALL, approval, choice, irv_settings, ranking, token_of};
use serde_json::json;
use sha2::{Digest, Sha256};

on_both! {
    async fn the_life_cycle_refuses_requests_in_the_wrong_phase(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.consultation(irv_settings()).await;
        // Skipping a phase, going back, or voting in a draft: 409 wrong_phase.
        for to in ["frozen", "voting", "published", "draft"] {
            let a = c.to(id, json!({"to": to})).await;
            assert_eq!(
                (a.status, a.code().as_str()),
                (StatusCode::CONFLICT, "wrong_phase"),
                "{to}"
            );
        }
        let a = c
            .resident()
            .post(
                &format!("/api/consultations/{id}/proposals"),
                json!({"title": "x", "author": "y", "layout": {}}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        assert!(
            a.json()["message"].as_str().unwrap().contains("collecting"),
            "{}",
            a.text
        );

        assert_eq!(
            c.to(id, json!({"to": "collecting"})).await.status,
            StatusCode::OK
        );
        let layout = json!({"schema": 1, "zones": [{"id": "z1", "kind": "lawn"}], "名称": "花园"});
        let mut ids = Vec::new();
        for t in ["A plan", "B plan"] {
            let a = c
                .resident()
                .post(
                    &format!("/api/consultations/{id}/proposals"),
                    json!({"title": t, "author": "李", "layout": layout}),
                )
                .await;
            ids.push(a.json()["id"].as_i64().unwrap());
        }
        // A shortlist of one, or of someone else's proposal, is refused.
        let a = c
            .to(id, json!({"to": "frozen", "proposal_ids": [ids[0]]}))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = c
            .to(id, json!({"to": "frozen", "proposal_ids": [ids[0], 999]}))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = c
            .to(
                id,
                json!({"to": "frozen", "proposal_ids": [ids[1], ids[0]]}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let options = a.json()["options"].clone();
        assert_eq!(options[0]["label"], "A");
        assert_eq!(options[0]["title"], "B plan");
        // Each option's hash is the SHA-256 of the exact bytes served for it.
        for o in options.as_array().unwrap() {
            let bytes = c
                .get(&format!(
                    "/api/consultations/{id}/options/{}/layout",
                    o["index"]
                ))
                .await
                .text;
            assert_eq!(
                o["sha256"].as_str().unwrap(),
                hex::encode(Sha256::digest(&bytes))
            );
            let back: serde_json::Value = serde_json::from_str(&bytes).unwrap();
            assert_eq!(back, layout);
        }
        // Proposals are closed once frozen; the vote cannot open without an electorate.
        let a = c
            .resident()
            .post(
                &format!("/api/consultations/{id}/proposals"),
                json!({"title": "late", "author": "y", "layout": {}}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        let open = format!("/api/consultations/{id}/open-vote");
        let a = c.post(&open, json!({})).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        c.put_text(&format!("/api/consultations/{id}/electorate"), SMALL)
            .await;
        // The plain transition does not open the vote: the box must be sealed.
        let a = c.to(id, json!({"to": "voting"})).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        assert!(a.text.contains("open-vote"), "{}", a.text);
        let opened = c.open_box(id).await.json();
        assert_eq!(opened["consultation"]["phase"], "voting");
        assert_eq!(opened["consultation"]["ballot_box"], "sealed");
        // Two codes of 24 digits in six groups, each checked by its last digit.
        for code in opened["codes"].as_array().unwrap() {
            let code = code.as_str().unwrap();
            assert_eq!(code.len(), 29, "{code}");
            assert_eq!(code.split(' ').count(), 6, "{code}");
        }
        assert_ne!(opened["codes"][0], opened["codes"][1]);
        // Neither code is stored anywhere.
        {
            let sealed_keys = common::blobs(&c.db, "SELECT sealed_key FROM ballot_boxes");
            let kdfs = common::texts(&c.db, "SELECT kdf FROM ballot_boxes");
            assert_eq!((sealed_keys.len(), kdfs.len()), (1, 1));
            for code in opened["codes"].as_array().unwrap() {
                let digits: String = code.as_str().unwrap().replace(' ', "");
                assert!(!kdfs[0].contains(&digits));
                assert!(
                    !sealed_keys[0]
                        .windows(digits.len())
                        .any(|w| w == digits.as_bytes())
                );
            }
        }
        // Nor may the vote be closed without the count.
        let a = c.to(id, json!({"to": "closed"})).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        assert!(a.text.contains("/count"), "{}", a.text);
        // Once voting, the rules and the electorate are fixed.
        let a = c
            .put(&format!("/api/consultations/{id}/settings"), irv_settings())
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        let a = c
            .put_text(&format!("/api/consultations/{id}/electorate"), SMALL)
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        // Every transition is in the audit log.
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
        for a in [
            "created",
            "phase_collecting",
            "phase_frozen",
            "electorate_imported",
            "phase_voting",
        ] {
            assert!(actions.contains(&a), "{actions:?}");
        }
    }
}

on_both! {
    async fn settings_are_checked_with_the_vote_crates_rules(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let mut s = irv_settings();
        s["resolution"] = json!({"rule": "art278-majr"});
        let a = c
            .post("/api/consultations", json!({"title": "t", "settings": s}))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let mut s = irv_settings();
        s["method"] = json!("score");
        let a = c
            .post("/api/consultations", json!({"title": "t", "settings": s}))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "score needs max_score");
        // plotwise-vote's tie-break rules that name options (an order, a decision) are not
        // settings: the options do not exist yet when the rules are set.
        for rule in [
            json!({"rule": "order", "order": ["A", "B"]}),
            json!({"rule": "decision", "winner": "A"}),
        ] {
            let mut s = irv_settings();
            s["tie_break"] = rule.clone();
            let a = c
                .post("/api/consultations", json!({"title": "t", "settings": s}))
                .await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{rule}: {}", a.text);
            assert!(a.text.contains("settings.tie_break"), "{}", a.text);
        }
    }
}

on_both! {
    async fn an_electorate_with_bad_lines_is_refused_whole_with_one_error_per_line(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.consultation(irv_settings()).await;
        let bad = "unit,building,area_m2,owner\n1-101,1,80,o1\n1-102,1,-3,o2\n1-103,1,70,o3\n1-101,1,60,o4\n1-104,1\n";
        let a = c
            .put_text(&format!("/api/consultations/{id}/electorate"), bad)
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_file")
        );
        let lines: Vec<u64> = a.json()["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, [3, 5, 6]);
        // Nothing was imported.
        let units = c
            .get(&format!("/api/consultations/{id}/electorate"))
            .await
            .json();
        assert_eq!(units.as_array().unwrap().len(), 0);
        // The real fixture: 324 units in 27 buildings.
        let fixture = include_str!("../../../tests/fixtures/zhengwen-electorate.csv");
        let a = c
            .put_text(&format!("/api/consultations/{id}/electorate"), fixture)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(
            (a.json()["units"].as_u64(), a.json()["buildings"].as_u64()),
            (Some(324), Some(27))
        );
        // A bad file after a good one leaves the good one in place.
        let a = c
            .put_text(&format!("/api/consultations/{id}/electorate"), bad)
            .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        let units = c
            .get(&format!("/api/consultations/{id}/electorate"))
            .await
            .json();
        assert_eq!(units.as_array().unwrap().len(), 324);
        // Residents do not see the electorate.
        let a = c
            .resident()
            .get(&format!("/api/consultations/{id}/electorate"))
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
}

on_both! {
    async fn tokens_are_random_stored_only_as_hmacs_printable_as_qr_and_single_use(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let tokens = c.tokens(id, "option").await;
        assert_eq!(tokens.len(), 5);
        let urls = c
            .post(
                &format!("/api/consultations/{id}/tokens"),
                json!({"round": "resolution", "base_url": "https://plotwise.example.org/"}),
            )
            .await
            .json();
        let first = &urls["tokens"][0];
        assert_eq!(
            first["url"].as_str().unwrap(),
            format!(
                "https://plotwise.example.org/#/ballot/{}",
                first["token"].as_str().unwrap()
            )
        );
        let a = c
            .post(
                &format!("/api/consultations/{id}/tokens"),
                json!({"round": "resolution", "base_url": "javascript:alert(1)"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        for (_, t) in &tokens {
            assert_eq!(t.len(), 26, "128 bits in base32");
        }
        // The database holds 32-byte HMACs and no token text.
        {
            let hmacs = common::blobs(&c.db, "SELECT hmac FROM tokens WHERE round = 'option'");
            assert_eq!(hmacs.len(), 5);
            for h in &hmacs {
                assert_eq!(h.len(), 32);
                for (_, t) in &tokens {
                    assert!(
                        !h.windows(t.len().min(h.len()))
                            .any(|w| w == &t.as_bytes()[..w.len()])
                    );
                }
            }
            let dump: String = common::dump(&c.db)
                .into_iter()
                .filter(|(t, _)| t == "tokens")
                .map(|(_, row)| row)
                .collect();
            for (_, t) in &tokens {
                assert!(!dump.contains(t.as_str()));
            }
        }
        // A second issue gives nothing new (every unit has one); reissuing one unit replaces it.
        assert!(c.tokens(id, "option").await.is_empty());
        let a = c
            .post(
                &format!("/api/consultations/{id}/tokens?format=sheet"),
                json!({"round": "option", "base_url": "https://plotwise.example.org", "units": ["1-101"]}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert_eq!(a.text.matches("<svg").count(), 1);
        assert!(a.text.contains("1-101"));
        let r = c.resident();
        // The old token of 1-101 no longer works.
        let a = r
            .post(
                "/api/ballots",
                json!({"token": token_of(&tokens, "1-101"), "vote": ranking(json!([[0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        // A token opens its ballot page, votes once, and is spent.
        let t = token_of(&tokens, "1-102");
        let page = r.post("/api/ballot-page", json!({"token": t})).await.json();
        assert_eq!(
            (page["open"].as_bool(), page["already_voted"].as_bool()),
            (Some(true), Some(false))
        );
        assert_eq!(page["options"].as_array().unwrap().len(), 2);
        // A ballot of the wrong kind or naming a missing option is refused and does not spend it.
        let a = r
            .post("/api/ballots", json!({"token": t, "vote": approval(json!([0]))}))
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        let a = r
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[0], [7]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        let a = r
            .post("/api/ballots", json!({"token": t, "vote": choice("yes")}))
            .await;
        assert_eq!(
            a.status,
            StatusCode::BAD_REQUEST,
            "an option token cannot vote in the resolution"
        );
        // Typed by hand, in capitals with dashes, it still works.
        let typed = format!("{}-{}", t[..13].to_uppercase(), &t[13..]);
        let a = r
            .post(
                "/api/ballots",
                json!({"token": typed, "vote": ranking(json!([[1], [0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        // The voter gets the receipt code of the sealed envelope.
        let receipt = a.json()["receipt"].as_str().unwrap().to_owned();
        assert_eq!(receipt.len(), 11, "{receipt}");
        assert_eq!(&receipt[5..6], "-");
        let a = r
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[0]]))}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "already_voted")
        );
        let page = r.post("/api/ballot-page", json!({"token": t})).await.json();
        assert_eq!(page["already_voted"], true);
        // Junk and unknown tokens.
        for bad in ["", "abc", "aaaaaaaaaaaaaaaaaaaaaaaaaa"] {
            let a = r
                .post(
                    "/api/ballots",
                    json!({"token": bad, "vote": ranking(json!([[0]]))}),
                )
                .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{bad}");
        }
        // The one ballot is in the box, sealed; nothing is readable before the count.
        assert_eq!(count(&c, "SELECT count(*) FROM sealed_ballots"), 1);
        assert_eq!(count(&c, "SELECT count(*) FROM option_ballots"), 0);
    }
}

fn count(c: &Client, sql: &str) -> i64 {
    c.db.sql_i64(sql)
}

on_both! {
    async fn paper_and_online_one_unit_one_ballot_whichever_first_and_refusals_are_logged(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let tokens = c.tokens(id, "option").await;
        let r = c.resident();
        // An option-vote paper ballot is never entered with its unit.
        let a = c
            .post(
                &format!("/api/consultations/{id}/paper-ballots"),
                json!({"unit": "1-201", "vote": ranking(json!([[0]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        assert!(a.text.contains("paper-voters"), "{}", a.text);
        // Paper first, then online: refused.
        let a = c.mark_paper(id, "1-201").await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let a = r
            .post(
                "/api/ballots",
                json!({"token": token_of(&tokens, "1-201"), "vote": ranking(json!([[1]]))}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "already_voted")
        );
        // Online first, then paper: refused.
        let a = r
            .post(
                "/api/ballots",
                json!({"token": token_of(&tokens, "2-101"), "vote": ranking(json!([[1]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
        let a = c.mark_paper(id, "2-101").await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "already_voted")
        );
        // Paper twice: refused. A unit not in the electorate: 400. Paper needs the committee.
        let a = c.mark_paper(id, "1-201").await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        let a = c.mark_paper(id, "9-999").await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = r.mark_paper(id, "1-101").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        // One sealed online ballot, two units voted, three refusals logged with the unit and
        // the channel.
        assert_eq!(count(&c, "SELECT count(*) FROM sealed_ballots"), 1);
        assert_eq!(count(&c, "SELECT count(*) FROM participation"), 2);
        let log = c
            .get(&format!("/api/consultations/{id}/audit"))
            .await
            .json();
        let refused: Vec<String> = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "double_vote_refused")
            .map(|e| e["detail"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(refused.len(), 3, "{refused:?}");
        let entered = log
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "paper_voter_marked")
            .count();
        assert_eq!(entered, 1, "one paper voter was marked");
        assert!(
            refused[0].contains("1-201")
                && refused[0].contains("online")
                && refused[0].contains("(paper)")
        );
        assert!(
            refused[1].contains("2-101")
                && refused[1].contains("paper")
                && refused[1].contains("(online)")
        );
        // The desk's list: who voted and how, in electorate order, never what.
        let voted = c
            .get(&format!(
                "/api/consultations/{id}/participation?round=option"
            ))
            .await
            .json();
        assert_eq!(
            voted,
            json!([{"unit": "1-201", "channel": "paper"}, {"unit": "2-101", "channel": "online"}])
        );
        let a = r
            .get(&format!(
                "/api/consultations/{id}/participation?round=option"
            ))
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        // The online voter's ballot page says so too.
        let page = r
            .post(
                "/api/ballot-page",
                json!({"token": token_of(&tokens, "1-201")}),
            )
            .await
            .json();
        assert_eq!(page["already_voted"], true);
    }
}

on_both! {
    async fn an_option_ballot_is_stored_without_anything_that_links_it_to_its_unit(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let tokens = c.tokens(id, "option").await;
        for (unit, t) in &tokens {
            let a = c
                .resident()
                .post(
                    "/api/ballots",
                    json!({"token": t, "vote": ranking(json!([[0], [1]]))}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{unit}: {}", a.text);
        }
        {
            // While voting: the envelopes have a random id and sealed bytes, nothing else.
            assert_eq!(
                common::columns(&c.db, "sealed_ballots"),
                ["consultation_id", "id", "sealed"]
            );
            let envelopes = common::blobs(&c.db, "SELECT sealed FROM sealed_ballots");
            assert_eq!(envelopes.len(), 5);
            let clear = envelopes
                .iter()
                .filter(|e| e.windows(7).any(|w| w == b"ranking"))
                .count();
            assert_eq!(clear, 0, "an envelope holds its ballot in clear");
        }
        c.count(id).await;
        assert_eq!(
            c.db.sql_i64("SELECT count(*) FROM sealed_ballots"),
            0,
            "the envelopes are erased at the count"
        );
        let columns = |table: &str| common::columns(&c.db, table);
        // The ballot table: no unit, no time, no token; the participation table: no ballot.
        assert_eq!(
            columns("option_ballots"),
            ["consultation_id", "id", "ballot"]
        );
        assert_eq!(
            columns("participation"),
            ["consultation_id", "round", "unit", "channel"]
        );
        // No SQLite table keeps arrival order: all are WITHOUT ROWID. (PostgreSQL's tables
        // are heaps in the order rows were written: the count writes the ballots shuffled.)
        if let Some(db) = c.db.sqlite() {
            let conn = db.lock().unwrap();
            for t in [
                "option_ballots",
                "participation",
                "sealed_ballots",
                "receipts",
            ] {
                assert!(
                    conn.prepare(&format!("SELECT rowid FROM {t}")).is_err(),
                    "{t} has a rowid"
                );
            }
        }
        // Ballot ids are random 16-byte values, not a sequence.
        let ids = common::blobs(&c.db, "SELECT id FROM option_ballots");
        assert_eq!(ids.len(), 5);
        assert!(ids.iter().all(|i| i.len() == 16));
        // No stored ballot text mentions a unit.
        let texts = common::texts(&c.db, "SELECT ballot FROM option_ballots");
        for t in &texts {
            assert!(!t.contains("1-") && !t.contains("2-"), "{t}");
        }
    }
}

on_both! {
    async fn a_whole_consultation_counts_with_the_vote_crate_and_publishes_with_digests(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let option_tokens = c.tokens(id, "option").await;
        let resolution_tokens = c.tokens(id, "resolution").await;
        let r = c.resident();
        let paper = format!("/api/consultations/{id}/paper-ballots");
        let mut receipts = Vec::new();
        for (unit, groups) in [
            ("1-101", json!([[0], [1]])),
            ("1-102", json!([[1], [0]])),
            ("2-101", json!([[0], [1]])),
        ] {
            let a = r
                .post(
                    "/api/ballots",
                    json!({"token": token_of(&option_tokens, unit), "vote": ranking(groups)}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
            receipts.push(a.json()["receipt"].as_str().unwrap().to_owned());
        }
        assert_eq!(c.mark_paper(id, "1-201").await.status, StatusCode::OK);
        // Before publication residents see no results; during the vote the committee sees
        // participation but no count.
        let results = format!("/api/consultations/{id}/results");
        assert_eq!(r.get(&results).await.status, StatusCode::UNAUTHORIZED);
        let during = c.get(&results).await.json();
        assert_eq!(during["option_participation"]["units_voted"], 4);
        assert_eq!(during["option_participation"]["paper"], 1);
        assert_eq!(during["option_participation"]["area"], "681/800");
        assert_eq!(during["option_participation"]["quorum_met"], true);
        // The quorum as plotwise-vote checked it: art. 278's two conditions on participation.
        assert_eq!(
            during["option_participation"]["quorum"],
            json!([
                {"base": "participation", "measure": "area", "cmp": ">=", "threshold": "2/3",
                 "value": "681/800", "met": true},
                {"base": "participation", "measure": "headcount", "cmp": ">=", "threshold": "2/3",
                 "value": "1/1", "met": true}
            ])
        );
        assert!(during["option_result"].is_null());
        assert!(during["counted"].is_null());
        assert!(during["digests"]["option_ballots_sha256"].is_null());
        assert!(during["digests"]["receipts_sha256"].is_null());
        assert!(during["digests"]["resolution_register_sha256"].is_null());
        let receipts_url = format!("/api/consultations/{id}/receipts");
        assert_eq!(c.get(&receipts_url).await.status, StatusCode::CONFLICT);
        // Resolution ballots are refused while the option vote is open.
        let a = r
            .post(
                "/api/ballots",
                json!({"token": token_of(&resolution_tokens, "1-101"), "vote": choice("yes")}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );

        // The count: the paper box holds one ballot, and it must match the one marked unit.
        let a = c.count_with(id, json!([]), 0).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "paper_mismatch"),
            "{}",
            a.text
        );
        let a = c
            .count_with(id, json!([common::paper_ranking(json!([[0]]))]), 0)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let report = a.json();
        assert_eq!(report["consultation"]["phase"], "closed");
        assert_eq!(report["consultation"]["ballot_box"], "opened");
        assert_eq!(
            report["counted"],
            json!({"online": 3, "paper": 1, "spoiled": 0})
        );
        assert_eq!(report["resumed"], false);
        // The vote is closed: no more ballots.
        let a = r
            .post(
                "/api/ballots",
                json!({"token": token_of(&option_tokens, "2-102"), "vote": ranking(json!([[1]]))}),
            )
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "wrong_phase")
        );
        let closed = c.get(&results).await.json();
        // IRV: A has 3 first choices of 4.
        assert_eq!(closed["option_result"]["winners"], json!([0]));
        assert_eq!(closed["option_result"]["ballots"], 4);
        assert_eq!(closed["option_result"]["explanation"]["kind"], "irv");
        assert!(
            !closed["option_result"]["explanation_text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        // Putting B to the resolution is refused: A won.
        let a = c.to(id, json!({"to": "resolution", "option": 1})).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        let a = c.to(id, json!({"to": "resolution"})).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(a.json()["adopted_option"], 0);

        for (unit, ch) in [
            ("1-101", "yes"),
            ("1-102", "no"),
            ("2-101", "yes"),
            ("2-102", "yes"),
        ] {
            let a = r
                .post(
                    "/api/ballots",
                    json!({"token": token_of(&resolution_tokens, unit), "vote": choice(ch)}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        }
        let a = c
            .post(&paper, json!({"unit": "1-201", "vote": choice("yes")}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let a = c
            .post(&paper, json!({"unit": "1-201", "vote": choice("no")}))
            .await;
        assert_eq!(a.status, StatusCode::CONFLICT);
        // The register is hidden until validated.
        let register = format!("/api/consultations/{id}/export/register.csv");
        assert_eq!(c.get(&register).await.status, StatusCode::CONFLICT);

        assert_eq!(
            c.to(id, json!({"to": "validated"})).await.status,
            StatusCode::OK
        );
        let validated = c.get(&results).await.json();
        let res = &validated["resolution"];
        // Yes: 80 + 90 + 100 + 59.5 = 329.5 of 400 m² → 659/800 ≥ 3/4; owners o1, o3, o4 of four.
        assert_eq!(res["approval_area"], "659/800");
        assert_eq!(res["approval_headcount"], "3/4");
        // The major matter's pass conditions (at least 3/4 of both), checked exactly.
        assert_eq!(
            res["pass"],
            json!([
                {"base": "approval", "measure": "area", "cmp": ">=", "threshold": "3/4",
                 "value": "659/800", "met": true},
                {"base": "approval", "measure": "headcount", "cmp": ">=", "threshold": "3/4",
                 "value": "3/4", "met": true}
            ])
        );
        assert_eq!(
            (res["yes"].as_u64(), res["no"].as_u64()),
            (Some(4), Some(1))
        );
        assert_eq!(
            (res["quorum_met"].as_bool(), res["passed"].as_bool()),
            (Some(true), Some(true))
        );
        assert_eq!(r.get(&results).await.status, StatusCode::UNAUTHORIZED);

        let sheet = format!("/api/consultations/{id}/sheet");
        assert_eq!(r.get(&sheet).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            c.to(id, json!({"to": "published"})).await.status,
            StatusCode::OK
        );
        let printed = r.get(&sheet).await;
        assert_eq!(printed.status, StatusCode::OK);
        assert!(
            printed.text.contains("决议通过 / adopted"),
            "{}",
            printed.text
        );
        assert!(printed.text.contains("659/800"), "{}", printed.text);
        let published = r.get(&results).await;
        assert_eq!(published.status, StatusCode::OK);
        let published = published.json();
        // The digests are the SHA-256 of what anyone can download.
        let csv = r
            .get(&format!("/api/consultations/{id}/export/ballots.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(
            csv.text.lines().count(),
            5,
            "a header and four ballots: {}",
            csv.text
        );
        assert_eq!(
            published["digests"]["option_ballots_sha256"]
                .as_str()
                .unwrap(),
            hex::encode(Sha256::digest(csv.text.as_bytes()))
        );
        let options = c.get(&format!("/api/consultations/{id}")).await.json()["options"].clone();
        let lines: String = options
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                format!(
                    "{} {} {}\n",
                    o["index"],
                    o["label"].as_str().unwrap(),
                    o["sha256"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            published["digests"]["options_sha256"].as_str().unwrap(),
            hex::encode(Sha256::digest(lines.as_bytes()))
        );
        // PrefLib: complete strict orders except the paper ballot, so .soi.
        let soi = r
            .get(&format!("/api/consultations/{id}/export/ballots.soi"))
            .await;
        assert_eq!(soi.status, StatusCode::OK, "{}", soi.text);
        assert!(soi.text.contains("# ALTERNATIVE NAME 1: A"), "{}", soi.text);
        let soc = r
            .get(&format!("/api/consultations/{id}/export/ballots.soc"))
            .await;
        assert_eq!(soc.status, StatusCode::BAD_REQUEST);
        // The signed register: not for the public, yes for the committee and for an owner's token.
        assert_eq!(r.get(&register).await.status, StatusCode::UNAUTHORIZED);
        let reg = c.get(&register).await;
        assert_eq!(reg.status, StatusCode::OK);
        assert!(
            reg.text.starts_with(
                "unit,building,area_m2,owner,choice\r\n1-101,1,80,o1,yes\r\n1-102,1,70.5,o2,no\r\n"
            ),
            "{}",
            reg.text
        );
        let mut owner = c.resident();
        owner.cookie = None;
        let a = owner.send("GET", &register, None, "application/json").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        let with_token = axum::http::Request::get(&register)
            .header("x-ballot-token", token_of(&option_tokens, "2-102"))
            .body(axum::body::Body::empty())
            .unwrap();
        let res = tower::ServiceExt::oneshot(c.app.clone(), with_token)
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        // Every online voter finds their receipt among the counted ones.
        let listed = r.get(&receipts_url).await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
        let listed: Vec<String> = serde_json::from_value(listed.json()["codes"].clone()).unwrap();
        receipts.sort();
        assert_eq!(listed, receipts);
        let receipt_lines: String = listed.iter().map(|c| format!("{c}\n")).collect();
        assert_eq!(
            published["digests"]["receipts_sha256"].as_str().unwrap(),
            hex::encode(Sha256::digest(receipt_lines.as_bytes()))
        );
        assert_eq!(published["counted"]["paper"], 1);
        for d in [
            "options_sha256",
            "option_ballots_sha256",
            "receipts_sha256",
            "resolution_register_sha256",
        ] {
            let digest = published["digests"][d].as_str().unwrap();
            assert!(printed.text.contains(digest), "{d} on the sheet");
        }
        assert_eq!(
            published["digests"]["resolution_register_sha256"]
                .as_str()
                .unwrap(),
            hex::encode(Sha256::digest(reg.text.as_bytes()))
        );
    }
}

on_both! {
    async fn a_tie_left_to_the_committee_needs_its_recorded_decision(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let mut s = irv_settings();
        s["method"] = json!("plurality");
        s["tie_break"] = json!({"rule": "committee"});
        let id = c.open_vote(s, SMALL).await;
        assert_eq!(c.mark_paper(id, "1-101").await.status, StatusCode::OK);
        assert_eq!(c.mark_paper(id, "1-102").await.status, StatusCode::OK);
        let a = c
            .count_with(
                id,
                json!([
                    common::paper_ranking(json!([[0]])),
                    common::paper_ranking(json!([[1]]))
                ]),
                0,
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let a = c.to(id, json!({"to": "resolution"})).await;
        assert_eq!((a.status, a.code().as_str()), (StatusCode::CONFLICT, "tie"));
        let a = c.to(id, json!({"to": "resolution", "option": 1})).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(a.json()["adopted_option"], 1);
        let r = c
            .get(&format!("/api/consultations/{id}/results"))
            .await
            .json();
        assert_eq!(r["option_result"]["winners"], json!([0, 1]));
        let tie = &r["option_result"]["tie_broken_by"];
        assert_eq!(
            (&tie["rule"], &tie["winner"], &tie["tied"]),
            (&json!("decision"), &json!("B"), &json!(["A", "B"]))
        );
    }
}

#[tokio::test]
async fn an_acknowledged_ballot_is_already_in_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let mut c = Client::with_db(plotwise_server::Store::open_sqlite(&path).unwrap());
    c.setup().await;
    let id = c.open_vote(irv_settings(), SMALL).await;
    let tokens = c.tokens(id, "option").await;
    let a = c
        .resident()
        .post(
            "/api/ballots",
            json!({"token": token_of(&tokens, "1-101"), "vote": ranking(json!([[1]]))}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    // A separate connection (as after a restart) sees the sealed ballot and the spent token.
    let other = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = other
        .query_row("SELECT count(*) FROM sealed_ballots", [], |r| r.get(0))
        .unwrap();
    let used: i64 = other
        .query_row("SELECT count(*) FROM tokens WHERE used = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((n, used), (1, 1));
    let sync: i64 =
        c.db.sqlite()
            .unwrap()
            .lock()
            .unwrap()
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
}

on_both! {
    async fn one_owners_units_cannot_vote_differently_in_a_resolution(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.open_vote(irv_settings(), SMALL).await;
        let paper = format!("/api/consultations/{id}/paper-ballots");
        assert_eq!(c.mark_paper(id, "1-101").await.status, StatusCode::OK);
        let a = c
            .count_with(id, json!([common::paper_ranking(json!([[0]]))]), 0)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        assert_eq!(
            c.to(id, json!({"to": "resolution"})).await.status,
            StatusCode::OK
        );
        // o4 holds 2-101 and 2-102 and counts once by headcount: both units vote alike.
        let a = c
            .post(&paper, json!({"unit": "2-101", "vote": choice("yes")}))
            .await;
        assert_eq!(a.status, StatusCode::OK);
        let a = c
            .post(&paper, json!({"unit": "2-102", "vote": choice("no")}))
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "owner_split")
        );
        assert!(
            a.json()["message"].as_str().unwrap().contains("2-101"),
            "{}",
            a.text
        );
        let a = c
            .post(&paper, json!({"unit": "2-102", "vote": choice("yes")}))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        // Should a split reach the database anyway, plotwise-vote refuses to count it and the
        // committee cannot validate.
        c.db.sql("UPDATE resolution_votes SET choice = 'no' WHERE unit = '2-102'")
            .unwrap();
        let a = c.to(id, json!({"to": "validated"})).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::CONFLICT, "cannot_count")
        );
        assert!(
            a.json()["message"].as_str().unwrap().contains("o4"),
            "{}",
            a.text
        );
        let phase = c.get(&format!("/api/consultations/{id}")).await.json()["phase"].clone();
        assert_eq!(phase, "resolution");
    }
}

on_both! {
    async fn drafts_are_listed_only_for_the_committee_and_proposals_are_rate_limited(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.consultation(irv_settings()).await;
        let public = c.resident().get("/api/consultations").await.json();
        assert_eq!(public.as_array().unwrap().len(), 0);
        let all = c.get("/api/consultations").await.json();
        assert_eq!(all.as_array().unwrap().len(), 1);
        c.to(id, json!({"to": "collecting"})).await;
        assert_eq!(
            c.resident()
                .get("/api/consultations")
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let r = c.resident();
        let url = format!("/api/consultations/{id}/proposals");
        let p = json!({"title": "t", "author": "a", "layout": {}});
        for _ in 0..30 {
            assert_eq!(r.post(&url, p.clone()).await.status, StatusCode::OK);
        }
        let a = r.post(&url, p.clone()).await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        );
        let mut other = c.resident();
        other.peer = "203.0.113.77:9".parse().unwrap();
        assert_eq!(other.post(&url, p).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn closing_the_option_vote_rewrites_the_file_and_empties_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.db");
    let mut c = Client::with_db(plotwise_server::Store::open_sqlite(&path).unwrap());
    c.setup().await;
    let id = c.open_vote(irv_settings(), SMALL).await;
    let tokens = c.tokens(id, "option").await;
    for (_, t) in &tokens {
        let a = c
            .resident()
            .post(
                "/api/ballots",
                json!({"token": t, "vote": ranking(json!([[0], [1]]))}),
            )
            .await;
        assert_eq!(a.status, StatusCode::OK);
    }
    let wal = dir.path().join("p.db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let a = c.count_with(id, json!([]), 0).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    assert_eq!(
        std::fs::metadata(&wal).unwrap().len(),
        0,
        "the WAL is truncated"
    );
    let other = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = other
        .query_row("SELECT count(*) FROM option_ballots", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 5);
}

on_both! {
    async fn malformed_paths_and_non_utf8_files_get_json_errors(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let a = c.get("/api/consultations/not-a-number").await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
        let a = c
            .get("/api/consultations/1/participation?round=maybe")
            .await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::BAD_REQUEST, "bad_request")
        );
        let id = c.consultation(irv_settings()).await;
        // "单元" in GBK.
        let gbk: Vec<u8> = b"unit,building,area_m2,owner\n\xb5\xa5\xd4\xaa,1,80,o1\n".to_vec();
        let a = c
            .send(
                "PUT",
                &format!("/api/consultations/{id}/electorate"),
                Some(axum::body::Body::from(gbk)),
                "text/csv",
            )
            .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.json()["message"].as_str().unwrap().contains("UTF-8"));
        // Not found is JSON too.
        let a = c.get("/api/consultations/999").await;
        assert_eq!(
            (a.status, a.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
}

on_both! {
    async fn a_tie_is_broken_by_the_rule_chosen_before_the_vote(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let mut s = irv_settings();
        s["method"] = json!("plurality");
        s["tie_break"] = json!({"rule": "shortlist_order"});
        let id = c.open_vote(s, SMALL).await;
        assert_eq!(c.mark_paper(id, "1-101").await.status, StatusCode::OK);
        assert_eq!(c.mark_paper(id, "1-102").await.status, StatusCode::OK);
        let a = c
            .count_with(
                id,
                json!([
                    common::paper_ranking(json!([[1]])),
                    common::paper_ranking(json!([[0]]))
                ]),
                0,
            )
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        // The committee may not pick B: the published order puts A first.
        let a = c.to(id, json!({"to": "resolution", "option": 1})).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.text);
        let a = c.to(id, json!({"to": "resolution"})).await;
        assert_eq!(a.json()["adopted_option"], 0);
        let log = c
            .get(&format!("/api/consultations/{id}/audit"))
            .await
            .json();
        let detail = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "phase_resolution")
            .unwrap()["detail"]
            .clone();
        assert!(
            detail.as_str().unwrap().contains("shortlist order"),
            "{detail}"
        );
        let r = c
            .get(&format!("/api/consultations/{id}/results"))
            .await
            .json();
        assert_eq!(r["option_result"]["winners"], json!([0, 1]));
        assert_eq!(r["option_result"]["tie_broken_by"]["rule"], "order");
        assert_eq!(r["option_result"]["tie_broken_by"]["winner"], "A");
    }
}

on_both! {
    async fn a_draft_is_not_found_by_the_public(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.consultation(irv_settings()).await;
        let r = c.resident();
        for path in [
            format!("/api/consultations/{id}"),
            format!("/api/consultations/{id}/proposals"),
        ] {
            let a = r.get(&path).await;
            assert_eq!(
                (a.status, a.code().as_str()),
                (StatusCode::NOT_FOUND, "not_found"),
                "{path}"
            );
            assert_eq!(
                c.get(&path).await.status,
                StatusCode::OK,
                "{path}: the committee sees it"
            );
        }
        // As for an id that does not exist: the answer does not tell a draft from nothing.
        let a = r.get("/api/consultations/999").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
}

on_both! {
    /// The public pages show the frozen options measured by the server (every rule, sun
    /// included), so their bundles carry no rule engine: the table must be plan's comparison of
    /// exactly the frozen documents, with blanks for an option that is not a layout.
    async fn the_options_are_compared_by_the_server(engine) {
        let mut c = Client::on(engine);
        c.setup().await;
        let id = c.consultation(irv_settings()).await;
        let path = format!("/api/consultations/{id}/comparison");
        // Nothing to compare before the shortlist (a draft or a collecting consultation).
        assert_eq!(c.get(&path).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            c.to(id, json!({"to": "collecting"})).await.status,
            StatusCode::OK
        );
        let example = c.get("/api/samples/guonian-layout-example").await.json();
        let bare = c.get("/api/samples/guonian-lot").await.json();
        let mut ids = Vec::new();
        for (title, layout) in [
            ("example", example.clone()),
            ("not a layout", json!({"名称": "花园"})),
            ("bare lot", bare.clone()),
        ] {
            let a = c
                .resident()
                .post(
                    &format!("/api/consultations/{id}/proposals"),
                    json!({"title": title, "author": "李", "layout": layout}),
                )
                .await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.text);
            ids.push(a.json()["id"].as_i64().unwrap());
        }
        assert_eq!(c.get(&path).await.status, StatusCode::NOT_FOUND);
        let a = c.to(id, json!({"to": "frozen", "proposal_ids": ids})).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);

        let a = c.resident().get(&path).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text);
        let got: plotwise_api::OptionComparison = serde_json::from_str(&a.text).unwrap();
        // The same numbers as plan's own comparison of the two documents that read.
        let read = |v: &serde_json::Value| {
            plotwise_plan::LayoutDocument::from_json(&v.to_string())
                .unwrap()
                .layout
        };
        let (ex, lot) = (read(&example), read(&bare));
        let want = plotwise_plan::compare::compare(
            &[&ex, &lot],
            &plotwise_plan::rules::RuleSet::default(),
            &plotwise_plan::catalogue::Catalogue::builtin(),
        );
        assert_eq!(got.same_plot, want.same_plot);
        assert_eq!(
            got.options.iter().map(|f| f.index).collect::<Vec<_>>(),
            [0, 2]
        );
        assert_eq!(got.options[0].seats, want.columns[0].metrics.seats);
        assert_eq!(got.options[0].errors, want.columns[0].findings.errors);
        assert_eq!(
            got.options[1].cost_total,
            want.columns[1].metrics.cost.total
        );
        assert_eq!(got.rows.len(), want.rows.len());
        for (g, w) in got.rows.iter().zip(&want.rows) {
            assert_eq!(g.key, w.key);
            assert_eq!(
                (g.label_en.as_str(), g.label_zh.as_str()),
                (w.label.en.as_str(), w.label.zh.as_str())
            );
            assert_eq!(g.values, vec![w.values[0], None, w.values[1]], "{}", g.key);
            assert!(!g.best.contains(&1), "{}", g.key);
        }
        // The server's check has the sun: the example's plot has buildings around it.
        assert!(
            got.rows
                .iter()
                .any(|r| r.key == "sunlit_green_share" && r.values[0].is_some()),
            "{:?}",
            got.rows.iter().map(|r| &r.key).collect::<Vec<_>>()
        );
        let seats = got.rows.iter().find(|r| r.key == "seats").unwrap();
        if seats.values[0] != seats.values[2] {
            assert_eq!(seats.best.len(), 1);
        }
        // Asked again, the same bytes (made once, answered from memory).
        assert_eq!(c.get(&path).await.text, a.text);
    }
}
