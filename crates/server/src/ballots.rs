//! Ballots: online (with a one-time token) and on paper (entered by the committee), written by
//! one writer thread with group commit.
//!
//! # One unit, one ballot
//!
//! A unit votes once per round, by whichever channel comes first: the first ballot inserts the
//! unit's row in `participation`; a second one, online or on paper, finds the row, is refused
//! with 409 `already_voted` and the refusal is written to the audit log.
//!
//! # Secrecy
//!
//! An option ballot is stored in `option_ballots` under a random id, with no unit and no time;
//! the unit's `participation` row (keyed by the unit) and the ballot are written in the same
//! transaction, so nothing in the database links them. While the vote is open the physical
//! layout of the pages still follows arrival order; closing the vote rewrites the file
//! (VACUUM) and truncates the WAL, after which nothing on disk does (see
//! `consult::forget_arrival_order`). The server process itself necessarily sees a token and
//! its ballot together in memory; it logs neither.
//!
//! # Durability and group commit
//!
//! Handlers do not write ballots themselves: they send them to the writer thread and wait.
//! The writer takes every ballot waiting (up to [`MAX_BATCH`]), checks and writes each one in
//! its own savepoint inside one transaction, commits (SQLite `synchronous=FULL` in WAL mode:
//! the WAL is fsync'd before the commit returns), and only then answers each handler. So a
//! ballot is on disk before it is acknowledged, and one fsync serves a whole batch.

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;

use crate::ApiPath as Path;
use plotwise_api::{
    BallotReceipt, Method, OnlineBallot, OptionBallot, PaperBallot, Phase, Round, Settings, Vote,
};
use plotwise_vote::{Approval, BallotKind, Ranking};
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use crate::auth::Committee;
use crate::consult::{label, phase_of, settings_of};
use crate::db::Db;
use crate::tokens::{invalid_token, token_hmac};
use crate::util::{normalize_token, random_bytes};
use crate::{ApiJson, AppError, Ctx, audit, blocking};

/// The most ballots written in one transaction.
pub(crate) const MAX_BATCH: usize = 1024;
/// Ballots that may wait for the writer before senders wait too.
const QUEUE: usize = 16 * 1024;

/// Who cast a ballot.
enum Voter {
    /// A resident with a token (its keyed hash).
    Online { hmac: [u8; 32] },
    /// A paper ballot entered by a committee member.
    Paper {
        consultation: i64,
        unit: String,
        actor: String,
    },
}

struct Job {
    voter: Voter,
    vote: Vote,
    reply: oneshot::Sender<Result<Round, AppError>>,
}

/// The handle to the writer thread.
#[derive(Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread; it ends when every handle is dropped.
    pub(crate) fn start(db: Db) -> Writer {
        let (tx, rx) = mpsc::channel(QUEUE);
        if let Err(e) = std::thread::Builder::new()
            .name("ballot-writer".into())
            .spawn(move || run(db, rx))
        {
            // Without the thread the receiver is gone and every ballot gets a 500.
            tracing::error!(error = %e, "cannot start the ballot writer");
        }
        Writer { tx }
    }

    async fn submit(&self, voter: Voter, vote: Vote) -> Result<Round, AppError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job { voter, vote, reply })
            .await
            .map_err(|_| AppError::Internal("the ballot writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::Internal("the ballot writer dropped a ballot".into()))?
    }
}

fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let outcomes = match write_batch(&db, &batch) {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, ballots = batch.len(), "ballot batch failed; none written");
                batch
                    .iter()
                    .map(|_| Err(AppError::Internal("ballot batch failed".into())))
                    .collect()
            }
        };
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // The handler may have gone (client disconnected); the ballot stands regardless.
            let _ = job.reply.send(outcome);
        }
    }
}

/// What the writer needs to know of a consultation, read once per batch.
struct Known {
    phase: Phase,
    settings: Settings,
    options: usize,
}

/// A refusal to be written to the audit log.
struct Logged {
    consultation: i64,
    actor: String,
    detail: String,
}

fn write_batch(db: &Db, batch: &[Job]) -> Result<Vec<Result<Round, AppError>>, AppError> {
    let mut conn = db.lock()?;
    let mut tx = conn.transaction()?;
    let mut known = HashMap::new();
    let mut out = Vec::with_capacity(batch.len());
    for job in batch {
        let sp = tx.savepoint()?;
        let outcome = match cast(&sp, job, &mut known) {
            Ok(round) => {
                sp.commit()?;
                Ok(round)
            }
            Err((e, logged)) => {
                drop(sp); // Rolls back this ballot only.
                if let Some(l) = logged {
                    audit(
                        &tx,
                        Some(l.consultation),
                        &l.actor,
                        "double_vote_refused",
                        &l.detail,
                    )?;
                }
                Err(e)
            }
        };
        out.push(outcome);
    }
    tx.commit()?;
    Ok(out)
}

type Refusal = (AppError, Option<Logged>);

fn plain(e: impl Into<AppError>) -> Refusal {
    (e.into(), None)
}

fn round_name(r: Round) -> &'static str {
    match r {
        Round::Option => "option vote",
        Round::Resolution => "formal resolution",
    }
}

/// Checks and writes one ballot.
fn cast(conn: &Connection, job: &Job, known: &mut HashMap<i64, Known>) -> Result<Round, Refusal> {
    let round = match job.vote {
        Vote::Option { .. } => Round::Option,
        Vote::Resolution { .. } => Round::Resolution,
    };
    let (consultation, unit, channel, actor) = match &job.voter {
        Voter::Online { hmac } => {
            let row: Option<(i64, String, String)> = conn
                .prepare_cached("SELECT consultation_id, round, unit FROM tokens WHERE hmac = ?1")
                .and_then(|mut st| {
                    st.query_row([hmac.as_slice()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .optional()
                })
                .map_err(plain)?;
            let (c, token_round, unit) = row.ok_or_else(|| plain(invalid_token()))?;
            if token_round != round.as_str() {
                return Err(plain(AppError::BadRequest(format!(
                    "this token is for the {}",
                    if token_round == "option" {
                        "option vote"
                    } else {
                        "formal resolution"
                    }
                ))));
            }
            (c, unit, "online", "online".to_owned())
        }
        Voter::Paper {
            consultation,
            unit,
            actor,
        } => {
            let exists: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM units WHERE consultation_id = ?1 AND unit = ?2)",
                )
                .and_then(|mut st| st.query_row(params![consultation, unit], |r| r.get(0)))
                .map_err(plain)?;
            if !exists {
                // Also covers a consultation that does not exist.
                phase_of(conn, *consultation).map_err(plain)?;
                return Err(plain(AppError::BadRequest(format!(
                    "unit {unit:?} is not in the electorate"
                ))));
            }
            (*consultation, unit.clone(), "paper", actor.clone())
        }
    };
    if let std::collections::hash_map::Entry::Vacant(slot) = known.entry(consultation) {
        let phase = phase_of(conn, consultation).map_err(plain)?;
        let settings = settings_of(conn, consultation).map_err(plain)?;
        let options: i64 = conn
            .prepare_cached("SELECT count(*) FROM options WHERE consultation_id = ?1")
            .and_then(|mut st| st.query_row([consultation], |r| r.get(0)))
            .map_err(plain)?;
        slot.insert(Known {
            phase,
            settings,
            options: usize::try_from(options).unwrap_or(0),
        });
    }
    let k = &known[&consultation];
    let open_phase = match round {
        Round::Option => Phase::Voting,
        Round::Resolution => Phase::Resolution,
    };
    if k.phase != open_phase {
        return Err(plain(AppError::wrong_phase(format!(
            "the {} is not open (the consultation is {})",
            round_name(round),
            k.phase.as_str()
        ))));
    }
    let first: Option<String> = conn
        .prepare_cached(
            "SELECT channel FROM participation WHERE consultation_id = ?1 AND round = ?2 AND unit = ?3",
        )
        .and_then(|mut st| {
            st.query_row(params![consultation, round.as_str(), unit], |r| r.get(0))
                .optional()
        })
        .map_err(plain)?;
    if let Some(first) = first {
        let detail = format!(
            "unit {unit}: {channel} ballot in the {} refused; the unit already voted ({first})",
            round_name(round)
        );
        return Err((
            AppError::Conflict {
                code: "already_voted",
                message: format!(
                    "unit {unit} has already voted in the {} ({first})",
                    round_name(round)
                ),
            },
            Some(Logged {
                consultation,
                actor,
                detail,
            }),
        ));
    }
    match &job.vote {
        Vote::Option { ballot } => {
            let normalized = normalize_ballot(ballot, &k.settings, k.options).map_err(plain)?;
            let json = serde_json::to_string(&normalized)
                .map_err(|e| plain(AppError::Internal(e.to_string())))?;
            conn.prepare_cached(
                "INSERT INTO option_ballots (consultation_id, id, ballot) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut st| {
                st.execute(params![consultation, random_bytes::<16>().as_slice(), json])
            })
            .map_err(plain)?;
        }
        Vote::Resolution { choice } => {
            if k.settings.headcount == plotwise_api::Headcount::Owner {
                // An owner of several units counts once by headcount, so plotwise-vote refuses
                // to count their units voting differently; refuse that now, not at validation.
                let other: Option<(String, String)> = conn
                    .prepare_cached(
                        "SELECT v.unit, v.choice FROM resolution_votes v
                           JOIN units u ON u.consultation_id = v.consultation_id AND u.unit = v.unit
                         WHERE v.consultation_id = ?1 AND v.choice <> ?2 AND u.owner =
                           (SELECT owner FROM units WHERE consultation_id = ?1 AND unit = ?3)
                         LIMIT 1",
                    )
                    .and_then(|mut st| {
                        st.query_row(params![consultation, choice.as_str(), unit], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()
                    })
                    .map_err(plain)?;
                if let Some((other_unit, other_choice)) = other {
                    return Err(plain(AppError::Conflict {
                        code: "owner_split",
                        message: format!(
                            "the owner of unit {unit} voted {other_choice} with unit {other_unit}; \
                             an owner of several units counts once by headcount and votes the same way for all of them"
                        ),
                    }));
                }
            }
            conn.prepare_cached(
                "INSERT INTO resolution_votes (consultation_id, unit, choice) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut st| st.execute(params![consultation, unit, choice.as_str()]))
            .map_err(plain)?;
        }
    }
    conn.prepare_cached(
        "INSERT INTO participation (consultation_id, round, unit, channel) VALUES (?1, ?2, ?3, ?4)",
    )
    .and_then(|mut st| st.execute(params![consultation, round.as_str(), unit, channel]))
    .map_err(plain)?;
    if let Voter::Paper { actor, .. } = &job.voter {
        // Who entered which unit's paper ballot (not what it says).
        audit(
            conn,
            Some(consultation),
            actor,
            "paper_ballot_entered",
            &format!("unit {unit}, {}", round_name(round)),
        )
        .map_err(plain)?;
    }
    // Whichever channel came first, the unit's token for this round is spent.
    conn.prepare_cached(
        "UPDATE tokens SET used = 1 WHERE consultation_id = ?1 AND round = ?2 AND unit = ?3",
    )
    .and_then(|mut st| st.execute(params![consultation, round.as_str(), unit]))
    .map_err(plain)?;
    Ok(round)
}

/// Checks an option ballot against the method and the shortlist (with `plotwise-vote`'s
/// ballot types) and returns it in normal form.
pub(crate) fn normalize_ballot(
    b: &OptionBallot,
    settings: &Settings,
    m: usize,
) -> Result<OptionBallot, AppError> {
    let kind = vote_method(settings.method).ballot_kind();
    let bad = |e: plotwise_vote::BallotError| AppError::BadRequest(format!("ballot: {e}"));
    let to_usize = |v: &[u32]| v.iter().map(|&a| a as usize).collect::<Vec<_>>();
    match (b, kind) {
        (OptionBallot::Ranking { groups }, BallotKind::Ranked) => {
            let r = Ranking::new(groups.iter().map(|g| to_usize(g)), m).map_err(bad)?;
            Ok(OptionBallot::Ranking {
                groups: r
                    .to_groups()
                    .into_iter()
                    .map(|g| g.into_iter().map(|a| a as u32).collect())
                    .collect(),
            })
        }
        (OptionBallot::Approval { approved }, BallotKind::Approval) => {
            let a = Approval::new(to_usize(approved), m).map_err(bad)?;
            Ok(OptionBallot::Approval {
                approved: a.approved().iter().map(|&i| u32::from(i)).collect(),
            })
        }
        (OptionBallot::Scores { scores }, BallotKind::Score) => {
            let max = i64::from(settings.max_score.unwrap_or(0));
            if scores.len() != m {
                return Err(AppError::BadRequest(format!(
                    "ballot: {} scores for {m} options",
                    scores.len()
                )));
            }
            if let Some((i, s)) = scores
                .iter()
                .enumerate()
                .find(|(_, s)| !(0..=max).contains(*s))
            {
                return Err(AppError::BadRequest(format!(
                    "ballot: option {} has score {s}; scores run from 0 to {max}",
                    label(i as u32)
                )));
            }
            Ok(b.clone())
        }
        _ => Err(AppError::BadRequest(format!(
            "ballot: this vote ({}) takes {} ballots",
            vote_method(settings.method),
            match kind {
                BallotKind::Ranked => "ranking",
                BallotKind::Approval => "approval",
                BallotKind::Score => "scores",
            }
        ))),
    }
}

/// The `plotwise-vote` method for the wire method.
pub(crate) fn vote_method(m: Method) -> plotwise_vote::Method {
    match m {
        Method::Plurality => plotwise_vote::Method::Plurality,
        Method::Approval => plotwise_vote::Method::Approval,
        Method::Score => plotwise_vote::Method::Score,
        Method::Borda => plotwise_vote::Method::Borda,
        Method::Irv => plotwise_vote::Method::Irv,
        Method::Schulze => plotwise_vote::Method::Schulze,
    }
}

/// `POST /api/ballots` (a token).
pub(crate) async fn submit_online(
    State(ctx): State<Ctx>,
    ApiJson(b): ApiJson<OnlineBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let token = normalize_token(&b.token).ok_or_else(invalid_token)?;
    let key = match ctx.key.get() {
        Some(k) => *k,
        None => {
            let c = ctx.clone();
            blocking(&ctx.db, move |conn| c.ballot_key(conn)).await?
        }
    };
    let round = ctx
        .ballots
        .submit(
            Voter::Online {
                hmac: token_hmac(&key, &token),
            },
            b.vote,
        )
        .await?;
    Ok(Json(BallotReceipt { round }))
}

/// `POST /api/consultations/{id}/paper-ballots` (committee).
pub(crate) async fn submit_paper(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PaperBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let unit = b.unit.trim().to_owned();
    if unit.is_empty() || unit.len() > 200 {
        return Err(AppError::BadRequest("unit: must name a unit".into()));
    }
    let round = ctx
        .ballots
        .submit(
            Voter::Paper {
                consultation: id,
                unit,
                actor: who.username,
            },
            b.vote,
        )
        .await?;
    Ok(Json(BallotReceipt { round }))
}
