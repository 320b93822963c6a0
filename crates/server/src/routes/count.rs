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

use crate::ballot::{check_settings, normalize};
use crate::ctx::{ApiJson, ApiPath as Path, Committee, Ctx};
use crate::error::AppError;
use crate::policy;
use crate::sealing::{self, CodeError, SealError};
use crate::store::boxes::{self, Stored};
use crate::store::{Tx, audit, consultations};
use crate::util::sha256_hex;

/// `POST /api/consultations/{id}/open-vote` (committee): from `frozen` to `voting`, with a
/// new sealed ballot box; or, while no ballot is in it yet, a new box and new codes.
pub(crate) async fn open_vote(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<OpenedVote>, AppError> {
    // The key pair and the Argon2id run (64 MiB) happen before the database is touched.
    let (stored, codes) = tokio::task::spawn_blocking(move || sealing::new_box(id))
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let fingerprint = sha256_hex(&stored.public_key)[..16].to_owned();
    let consultation = ctx
        .store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, &[Phase::Frozen, Phase::Voting], "opening the vote")?;
            let detail = if phase == Phase::Frozen {
                if consultations::electorate(tx, id)?.is_none() {
                    return Err(AppError::wrong_phase(
                        "import the electorate before opening the vote",
                    ));
                }
                check_settings(&consultations::settings(tx, id)?)?;
                consultations::set_phase(tx, id, Phase::Voting)?;
                format!(
                    "ballot box sealed (public key {fingerprint}…); two scrutineers' codes shown once"
                )
            } else {
                let state = boxes::state(tx, id)?;
                let voted = boxes::voted(tx, id, Round::Option, None)?;
                if state.as_deref() != Some("sealed") || voted > 0 {
                    return Err(AppError::Conflict {
                        code: "box_in_use",
                        message: format!(
                            "the vote is open and {voted} units have voted: the ballot box and its \
                             codes can no longer be replaced"
                        ),
                    });
                }
                format!(
                    "ballot box replaced before any ballot (public key {fingerprint}…); the earlier codes no longer open it"
                )
            };
            boxes::make(tx, id, &stored)?;
            audit::log(tx, Some(id), &who.username, "phase_voting", &detail)?;
            consultations::load(tx, id)
        })
        .await?;
    Ok(Json(OpenedVote {
        consultation,
        codes,
    }))
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
    let stored = ctx
        .store
        .read(move |tx| {
            policy::require(consultations::phase(tx, id)?, &[Phase::Voting], "the count")?;
            boxes::read(tx, id)
        })
        .await?;
    // The box key, from both codes (Argon2id, off the async threads, outside any transaction).
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
    let store = ctx.store.clone();
    let (consultation, counted) = tokio::task::spawn_blocking(move || {
        if !resumed {
            store.run_blocking(crate::store::Mode::Write, |tx| {
                open_box(tx, id, secret.as_ref(), &req, &username)
            })?;
        }
        store.forget_arrival_order().map_err(|e| incomplete(&e))?;
        let closed = store.run_blocking(crate::store::Mode::Write, |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, &[Phase::Voting], "the count")?;
            let counted = boxes::count_summary(tx, id)?.ok_or_else(|| {
                AppError::Internal("the ballot box is not opened after opening it".into())
            })?;
            consultations::set_phase(tx, id, Phase::Closed)?;
            audit::log(
                tx,
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
            Ok((consultations::load(tx, id)?, counted))
        })?;
        // The phase change is no secret; a busy checkpoint now only leaves it in the WAL.
        store.checkpoint();
        Ok::<_, AppError>(closed)
    })
    .await??;
    Ok(Json(CountReport {
        consultation,
        counted,
        resumed,
    }))
}

/// Step 2: opens the envelopes, shuffles all ballots into storage, keeps the receipts,
/// erases the envelopes and the key (one transaction).
fn open_box(
    tx: &mut dyn Tx,
    id: i64,
    secret: Option<&(crypto_box::SecretKey, [u8; 32])>,
    req: &CountRequest,
    actor: &str,
) -> Result<(), AppError> {
    let phase = consultations::lock(tx, id)?;
    policy::require(phase, &[Phase::Voting], "the count")?;
    // Between reading the box and now, another count may have opened it.
    match (boxes::read(tx, id)?, secret) {
        (Stored::Sealed(b), Some((_, pk))) if b.public_key == *pk => {}
        (Stored::Unsealed, None) => {}
        _ => {
            return Err(AppError::Conflict {
                code: "box_changed",
                message: "the ballot box changed while the count started: count again".into(),
            });
        }
    }
    let settings = consultations::settings(tx, id)?;
    let m = consultations::option_count(tx, id)?;
    let marked_paper = boxes::voted(tx, id, Round::Option, Some("paper"))?;
    let voted_online = boxes::voted(tx, id, Round::Option, Some("online"))?;
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
        let n = normalize(b, &settings, m).map_err(|e| match e {
            AppError::BadRequest(msg) => {
                AppError::BadRequest(format!("paper ballot {}: {msg}", i + 1))
            }
            other => other,
        })?;
        ballots.push(serde_json::to_string(&n).map_err(|e| AppError::Internal(e.to_string()))?);
    }
    let mut receipts = Vec::new();
    let online: Vec<String> = match secret {
        Some((key, _)) => {
            let sealed = boxes::envelopes(tx, id)?;
            let mut out = Vec::with_capacity(sealed.len());
            for envelope in &sealed {
                let plain = sealing::unseal(key, envelope).map_err(|_| tampered(id))?;
                let b: OptionBallot = serde_json::from_slice(&plain).map_err(|_| tampered(id))?;
                let n = normalize(&b, &settings, m).map_err(|_| tampered(id))?;
                out.push(serde_json::to_string(&n).map_err(|e| AppError::Internal(e.to_string()))?);
                receipts.push(sealing::receipt(envelope));
            }
            out
        }
        None => boxes::unsealed_ballots(tx, id)?,
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
    receipts.sort();
    boxes::store_opened(tx, id, &ballots, &receipts, &counted)?;
    audit::log(
        tx,
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
    Ok(())
}

fn tampered(id: i64) -> AppError {
    AppError::Internal(format!(
        "consultation {id}: a sealed ballot does not open or is not a valid ballot; the box may \
         have been tampered with; the count stops and nothing was changed"
    ))
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
