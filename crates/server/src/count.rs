//! Opening the option vote with a sealed ballot box, and the supervised count that opens it.
//!
//! # Opening
//!
//! `POST /api/consultations/{id}/open-vote` makes the box (module `sealing`): a key pair whose
//! secret half is stored only under both scrutineers' codes, which the answer shows once.
//! Until the first ballot is in the box, calling it again makes a new box and new codes (for
//! a lost sheet); afterwards the codes cannot be replaced.
//!
//! # The count (唱票/计票)
//!
//! `POST /api/consultations/{id}/count` takes both codes and the paper ballots found in the
//! physical box, and in one step that either completes or leaves the vote open and retryable:
//!
//! 1. checks that the paper ballots (plus spoiled ones) are exactly as many as the units the
//!    desk marked as voting on paper, and that the box holds one envelope per online voter;
//! 2. opens every envelope, shuffles the online and paper ballots together and stores them
//!    under random ids with no unit, time, channel or order; stores the online envelopes'
//!    receipt codes apart, keyed by the code; erases the envelopes and the box's key
//!    (transaction 1; the box is then `opened` and takes no more ballots);
//! 3. rewrites the database file (VACUUM) and empties the WAL (a truncating checkpoint that
//!    must not be busy), so no page or frame keeps the envelopes or the order of arrival;
//! 4. only then moves the phase to `closed` (transaction 2), after which results and digests
//!    appear.
//!
//! If step 3 fails (a full disk, a reader holding the WAL) the answer is an error (503
//! `count_incomplete`), the phase is still `voting` with nothing published, and the same
//! request again (codes no longer needed: the key is gone) finishes steps 3 and 4.

use axum::Json;
use axum::extract::State;
use plotwise_api::{
    CountReport, CountRequest, CountSummary, OpenedVote, OptionBallot, Phase, Round,
};
use rand::seq::SliceRandom;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::ApiPath as Path;
use crate::auth::Committee;
use crate::ballots::normalize_ballot;
use crate::consult::{check_settings, electorate_of, load, require_phase, settings_of};
use crate::sealing::{self, CodeError, SealError, StoredBox};
use crate::util::{random_bytes, sha256_hex};
use crate::{ApiJson, AppError, Ctx, audit, blocking};

/// `POST /api/consultations/{id}/open-vote` (committee): from `frozen` to `voting`, with a
/// new sealed ballot box; or, while no ballot is in it yet, a new box and new codes.
pub(crate) async fn open_vote(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<OpenedVote>, AppError> {
    // The key pair and the Argon2id run (64 MiB) happen before the database is locked.
    let (stored, codes) = tokio::task::spawn_blocking(move || sealing::new_box(id))
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let fingerprint = sha256_hex(&stored.public_key)[..16].to_owned();
    let consultation = blocking(&ctx.db, move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let phase = require_phase(&tx, id, &[Phase::Frozen, Phase::Voting], "opening the vote")?;
        let detail = if phase == Phase::Frozen {
            if electorate_of(&tx, id)?.is_none() {
                return Err(AppError::wrong_phase(
                    "import the electorate before opening the vote",
                ));
            }
            check_settings(&settings_of(&tx, id)?)?;
            tx.execute(
                "UPDATE consultations SET phase = 'voting' WHERE id = ?1",
                [id],
            )?;
            format!("ballot box sealed (public key {fingerprint}…); two scrutineers' codes shown once")
        } else {
            let state: Option<String> = tx
                .query_row(
                    "SELECT state FROM ballot_boxes WHERE consultation_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let voted: i64 = tx.query_row(
                "SELECT count(*) FROM participation WHERE consultation_id = ?1 AND round = 'option'",
                [id],
                |r| r.get(0),
            )?;
            if state.as_deref() != Some("sealed") || voted > 0 {
                return Err(AppError::Conflict {
                    code: "box_in_use",
                    message: format!(
                        "the vote is open and {voted} units have voted: the ballot box and its \
                         codes can no longer be replaced"
                    ),
                });
            }
            tx.execute("DELETE FROM ballot_boxes WHERE consultation_id = ?1", [id])?;
            format!(
                "ballot box replaced before any ballot (public key {fingerprint}…); the earlier codes no longer open it"
            )
        };
        tx.execute(
            "INSERT INTO ballot_boxes (consultation_id, state, public_key, sealed_key, kdf)
             VALUES (?1, 'sealed', ?2, ?3, ?4)",
            params![
                id,
                stored.public_key.as_slice(),
                stored.sealed_key,
                stored.kdf
            ],
        )?;
        audit(&tx, Some(id), &who.username, "phase_voting", &detail)?;
        let c = load(&tx, id)?;
        tx.commit()?;
        Ok(c)
    })
    .await?;
    Ok(Json(OpenedVote {
        consultation,
        codes,
    }))
}

/// The box as stored.
enum Stored {
    Sealed(StoredBox),
    Opened,
    Unsealed,
}

/// A `ballot_boxes` row: state, public key, sealed key, KDF.
type BoxRow = (String, Option<Vec<u8>>, Option<Vec<u8>>, Option<String>);

fn read_box(conn: &Connection, id: i64) -> Result<Stored, AppError> {
    let row: Option<BoxRow> = conn
        .query_row(
            "SELECT state, public_key, sealed_key, kdf FROM ballot_boxes WHERE consultation_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let broken = || AppError::Internal(format!("consultation {id}: ballot box row is damaged"));
    match row {
        None => Err(AppError::Internal(format!(
            "consultation {id} is voting without a ballot box"
        ))),
        Some((state, ..)) if state == "opened" => Ok(Stored::Opened),
        Some((state, ..)) if state == "unsealed" => Ok(Stored::Unsealed),
        Some((_, Some(pk), Some(sealed_key), Some(kdf))) => Ok(Stored::Sealed(StoredBox {
            public_key: pk.try_into().map_err(|_| broken())?,
            sealed_key,
            kdf,
        })),
        Some(_) => Err(broken()),
    }
}

fn code_error(which: usize, e: CodeError) -> AppError {
    let (en, zh) = match e {
        CodeError::Length(n) => (
            format!("code {which}: a scrutineer's code has 24 digits; this one has {n}"),
            format!("第 {which} 个监票码：应为 24 位数字，这里有 {n} 位"),
        ),
        CodeError::Group(g) => (
            format!("code {which}: group {g} has a typing mistake (its last digit does not check)"),
            format!("第 {which} 个监票码：第 {g} 组有输入错误（校验位不符）"),
        ),
    };
    AppError::BadFile(plotwise_plan::Text { en, zh })
}

/// `POST /api/consultations/{id}/count` (committee): opens the box and closes the vote.
pub(crate) async fn count(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<CountRequest>,
) -> Result<Json<CountReport>, AppError> {
    let stored = blocking(&ctx.db, move |conn| {
        require_phase(conn, id, &[Phase::Voting], "the count")?;
        read_box(conn, id)
    })
    .await?;
    // The box key, from both codes (Argon2id, off the async threads, outside the lock).
    let secret = match &stored {
        Stored::Sealed(b) => {
            let a = sealing::parse_code(&req.codes[0]).map_err(|e| code_error(1, e))?;
            let c = sealing::parse_code(&req.codes[1]).map_err(|e| code_error(2, e))?;
            let public_key = b.public_key;
            let b = b.clone();
            let key = tokio::task::spawn_blocking(move || sealing::open_key(id, &b, &a, &c))
                .await?
                .map_err(|e| match e {
                    SealError::WrongCodes => AppError::Forbidden {
                        code: "wrong_codes",
                        message: "these two codes do not open this ballot box: check both \
                                  scrutineers' sheets"
                            .into(),
                    },
                    other => AppError::Internal(other.to_string()),
                })?;
            Some((key, public_key))
        }
        Stored::Opened | Stored::Unsealed => None,
    };
    let resumed = matches!(stored, Stored::Opened);
    let username = who.username.clone();
    let db = ctx.db.clone();
    let (consultation, counted) = blocking(&ctx.db, move |conn| {
        if !resumed {
            open_box(conn, id, secret, &req, &username)?;
        }
        forget_arrival_order(conn, db.take_vacuum_fault())?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        require_phase(&tx, id, &[Phase::Voting], "the count")?;
        let counted = count_summary(&tx, id)?.ok_or_else(|| {
            AppError::Internal("the ballot box is not opened after opening it".into())
        })?;
        tx.execute(
            "UPDATE consultations SET phase = 'closed' WHERE id = ?1",
            [id],
        )?;
        audit(
            &tx,
            Some(id),
            &username,
            "phase_closed",
            &format!(
                "counted {} online and {} paper ballots ({} spoiled){}",
                counted.online,
                counted.paper,
                counted.spoiled,
                if resumed {
                    "; finished after an earlier attempt"
                } else {
                    ""
                }
            ),
        )?;
        let c = load(&tx, id)?;
        tx.commit()?;
        // The phase change is no secret; a busy checkpoint now only leaves it in the WAL.
        if let Err(e) = checkpoint(conn) {
            tracing::warn!(error = %e, "checkpoint after closing the vote");
        }
        Ok((c, counted))
    })
    .await?;
    Ok(Json(CountReport {
        consultation,
        counted,
        resumed,
    }))
}

/// What the count found, once the box is opened.
pub(crate) fn count_summary(conn: &Connection, id: i64) -> Result<Option<CountSummary>, AppError> {
    let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = conn
        .prepare_cached(
            "SELECT online, paper, spoiled FROM ballot_boxes WHERE consultation_id = ?1 AND state = 'opened'",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let n = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
    Ok(row.map(|(o, p, s)| CountSummary {
        online: n(o),
        paper: n(p),
        spoiled: n(s),
    }))
}

/// Step 2: opens the envelopes, shuffles all ballots into `option_ballots`, keeps the
/// receipts, erases the envelopes and the key (one transaction).
fn open_box(
    conn: &mut Connection,
    id: i64,
    secret: Option<(crypto_box::SecretKey, [u8; 32])>,
    req: &CountRequest,
    actor: &str,
) -> Result<(), AppError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    require_phase(&tx, id, &[Phase::Voting], "the count")?;
    // Between reading the box and now, another count may have opened it.
    match (read_box(&tx, id)?, &secret) {
        (Stored::Sealed(b), Some((_, pk))) if b.public_key == *pk => {}
        (Stored::Unsealed, None) => {}
        _ => {
            return Err(AppError::Conflict {
                code: "box_changed",
                message: "the ballot box changed while the count started: count again".into(),
            });
        }
    }
    let settings = settings_of(&tx, id)?;
    let m: i64 = tx.query_row(
        "SELECT count(*) FROM options WHERE consultation_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let m = usize::try_from(m).unwrap_or(0);
    let by_channel = |channel: &str| -> Result<u64, AppError> {
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM participation WHERE consultation_id = ?1 AND round = ?2 AND channel = ?3",
            params![id, Round::Option.as_str(), channel],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let (marked_paper, voted_online) = (by_channel("paper")?, by_channel("online")?);
    let entered = req.paper_ballots.len() as u64 + u64::from(req.spoiled);
    if entered != marked_paper {
        return Err(AppError::Conflict {
            code: "paper_mismatch",
            message: format!(
                "the desk marked {marked_paper} units as voting on paper, but {} paper ballots \
                 and {} spoiled ones were entered ({entered} in all): count the box again",
                req.paper_ballots.len(),
                req.spoiled
            ),
        });
    }
    let mut ballots: Vec<String> = Vec::new();
    for (i, b) in req.paper_ballots.iter().enumerate() {
        let n = normalize_ballot(b, &settings, m).map_err(|e| match e {
            AppError::BadRequest(msg) => {
                AppError::BadRequest(format!("paper ballot {}: {msg}", i + 1))
            }
            other => other,
        })?;
        ballots.push(serde_json::to_string(&n).map_err(|e| AppError::Internal(e.to_string()))?);
    }
    let mut receipts = Vec::new();
    let online: Vec<String> = match &secret {
        Some((key, _)) => {
            let sealed: Vec<Vec<u8>> = tx
                .prepare("SELECT sealed FROM sealed_ballots WHERE consultation_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut out = Vec::with_capacity(sealed.len());
            for envelope in &sealed {
                let plain = sealing::unseal(key, envelope).map_err(|_| tampered(id))?;
                let b: OptionBallot = serde_json::from_slice(&plain).map_err(|_| tampered(id))?;
                let n = normalize_ballot(&b, &settings, m).map_err(|_| tampered(id))?;
                out.push(serde_json::to_string(&n).map_err(|e| AppError::Internal(e.to_string()))?);
                receipts.push(sealing::receipt(envelope));
            }
            out
        }
        None => tx
            .prepare("SELECT ballot FROM option_ballots WHERE consultation_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?,
    };
    if online.len() as u64 != voted_online {
        return Err(AppError::Conflict {
            code: "box_mismatch",
            message: format!(
                "the ballot box holds {} online ballots but {voted_online} units voted online: \
                 the count stops; nothing was changed",
                online.len()
            ),
        });
    }
    let counted = CountSummary {
        online: online.len() as u64,
        paper: req.paper_ballots.len() as u64,
        spoiled: u64::from(req.spoiled),
    };
    ballots.extend(online);
    // The order of the ballots from here on is a fresh random permutation (thread CSPRNG).
    ballots.shuffle(&mut rand::rng());
    tx.execute(
        "DELETE FROM option_ballots WHERE consultation_id = ?1",
        [id],
    )?;
    {
        let mut ins = tx.prepare(
            "INSERT INTO option_ballots (consultation_id, id, ballot) VALUES (?1, ?2, ?3)",
        )?;
        for b in &ballots {
            ins.execute(params![id, random_bytes::<16>().as_slice(), b])?;
        }
        receipts.sort();
        let mut ins =
            tx.prepare("INSERT OR IGNORE INTO receipts (consultation_id, code) VALUES (?1, ?2)")?;
        for r in &receipts {
            ins.execute(params![id, r])?;
        }
    }
    tx.execute(
        "DELETE FROM sealed_ballots WHERE consultation_id = ?1",
        [id],
    )?;
    tx.execute(
        "UPDATE ballot_boxes SET state = 'opened', public_key = NULL, sealed_key = NULL, kdf = NULL,
                online = ?2, paper = ?3, spoiled = ?4
         WHERE consultation_id = ?1",
        params![
            id,
            counted.online as i64,
            counted.paper as i64,
            counted.spoiled as i64
        ],
    )?;
    audit(
        &tx,
        Some(id),
        actor,
        "ballot_box_opened",
        &format!(
            "{} with both scrutineers' codes: {} online and {} paper ballots ({} spoiled), as many as the units that voted",
            if secret.is_some() {
                "opened"
            } else {
                "an unsealed box (opened before sealed boxes) counted"
            },
            counted.online,
            counted.paper,
            counted.spoiled
        ),
    )?;
    tx.commit()?;
    Ok(())
}

fn tampered(id: i64) -> AppError {
    AppError::Internal(format!(
        "consultation {id}: a sealed ballot does not open or is not a valid ballot; the box may \
         have been tampered with; the count stops and nothing was changed"
    ))
}

/// Step 3: rewrites the file and empties the WAL, or fails.
///
/// While ballots arrive SQLite places each new row in the free space of its page, so the
/// physical layout of a page and the WAL's frames follow arrival order, and the WAL keeps the
/// erased envelopes' old pages. VACUUM rewrites every table in key order (ballots by random
/// id, participation by unit) and the truncating checkpoint drops the WAL's history.
fn forget_arrival_order(conn: &Connection, injected_fault: bool) -> Result<(), AppError> {
    if injected_fault {
        return Err(incomplete(&"database or disk is full (injected by a test)"));
    }
    conn.execute_batch("VACUUM").map_err(|e| incomplete(&e))?;
    checkpoint(conn).map_err(|e| incomplete(&e))
}

/// A truncating checkpoint that must complete: `busy` or frames left behind are errors.
fn checkpoint(conn: &Connection) -> Result<(), rusqlite::Error> {
    let (busy, log, done): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    // In memory there is no WAL: the checkpoint reports busy = 0 and -1 frames.
    if busy != 0 || log != done {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
            Some(format!(
                "the WAL could not be emptied (busy {busy}, {log} frames, {done} checkpointed): another reader holds it"
            )),
        ));
    }
    Ok(())
}

fn incomplete(e: &dyn std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "the count could not rewrite the database file");
    AppError::Unavailable {
        code: "count_incomplete",
        message: format!(
            "the ballot box is open and its ballots are stored shuffled, but the database file \
             could not be rewritten yet ({e}); nothing is published and the vote is still \
             open. Free disk space or stop other programs reading the database, then press \
             Count again."
        ),
    }
}
