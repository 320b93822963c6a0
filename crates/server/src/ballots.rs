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
//! An online option ballot is sealed to the consultation's ballot box (module `sealing`) in
//! the transaction that marks its unit as having voted, and stored sealed under a random id
//! (`sealed_ballots`). Someone holding the database file, its WAL or a backup made during the
//! vote can see which unit's commit carried which sealed envelope, but not what is inside:
//! only the two scrutineers' codes open the box, at the count (module `count`), which
//! shuffles the opened ballots into `option_ballots` without unit, time or order and erases
//! the envelopes and the key. The voter gets the envelope's receipt code.
//!
//! An option-vote paper ballot is never entered with its unit: the desk marks the unit as
//! having voted on paper ([`Cast::PaperMark`]) and the box's ballots are entered at the
//! count, anonymously. The server process itself necessarily sees a token and its online
//! ballot together in memory while sealing it; it logs neither.
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
    BallotReceipt, Method, OnlineBallot, OptionBallot, PaperBallot, PaperVoter, Phase, Round,
    Settings, Vote,
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

/// What a job casts.
enum Cast {
    /// A ballot: online in either round, or a signed paper ballot of the formal resolution.
    Vote(Vote),
    /// The paper desk's mark that a unit has put its option-vote ballot in the box.
    PaperMark,
}

/// An accepted ballot.
pub(crate) struct Accepted {
    round: Round,
    receipt: Option<String>,
}

struct Job {
    voter: Voter,
    cast: Cast,
    reply: oneshot::Sender<Result<Accepted, AppError>>,
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

    async fn submit(&self, voter: Voter, cast: Cast) -> Result<Accepted, AppError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job { voter, cast, reply })
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
        // A panic inside a batch (a bug) fails that batch, not the writer: the transaction
        // rolled back as it unwound, and the next batch is written as usual.
        let written =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write_batch(&db, &batch)))
                .unwrap_or_else(|_| Err(AppError::Internal("the ballot writer panicked".into())));
        let outcomes = match written {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, ballots = batch.len(), "ballot batch failed; none written");
                let each = |e: &AppError| match e {
                    AppError::Unavailable { code, message } => AppError::Unavailable {
                        code,
                        message: message.clone(),
                    },
                    _ => AppError::Internal("ballot batch failed".into()),
                };
                batch.iter().map(|_| Err(each(&e))).collect()
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
    /// The option vote's ballot box.
    ballot_box: BoxState,
}

/// A ballot box as the writer sees it.
enum BoxState {
    /// No box (the vote never opened), or one already opened at the count.
    Closed,
    /// Sealed to this public key.
    Sealed([u8; 32]),
    /// A vote opened before sealed boxes existed: ballots go in unsealed.
    Unsealed,
}

fn box_state(conn: &Connection, consultation: i64) -> Result<BoxState, AppError> {
    let row: Option<(String, Option<Vec<u8>>)> = conn
        .prepare_cached("SELECT state, public_key FROM ballot_boxes WHERE consultation_id = ?1")?
        .query_row([consultation], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((state, Some(key))) if state == "sealed" => BoxState::Sealed(
            key.try_into()
                .map_err(|_| AppError::Internal("stored public key is not 32 bytes".into()))?,
        ),
        Some((state, _)) if state == "unsealed" => BoxState::Unsealed,
        _ => BoxState::Closed,
    })
}

/// A refusal to be written to the audit log.
struct Logged {
    consultation: i64,
    actor: String,
    detail: String,
}

fn write_batch(db: &Db, batch: &[Job]) -> Result<Vec<Result<Accepted, AppError>>, AppError> {
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
                if tx.is_autocommit() {
                    // A full disk or an I/O error made SQLite roll back the whole
                    // transaction: none of this batch is written, and every ballot in it
                    // gets this error (a 503 for a storage failure).
                    return Err(e);
                }
                // One line per unit, round and channel: repeating a refused ballot adds
                // nothing to the log (nor a write to the database).
                if let Some(l) = logged
                    && !already_logged(&tx, &l)?
                {
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

fn already_logged(conn: &Connection, l: &Logged) -> Result<bool, rusqlite::Error> {
    conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE consultation_id = ?1
                        AND action = 'double_vote_refused' AND detail = ?2)",
    )?
    .query_row(params![l.consultation, l.detail], |r| r.get(0))
}

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
fn cast(
    conn: &Connection,
    job: &Job,
    known: &mut HashMap<i64, Known>,
) -> Result<Accepted, Refusal> {
    let round = match job.cast {
        Cast::Vote(Vote::Option { .. }) | Cast::PaperMark => Round::Option,
        Cast::Vote(Vote::Resolution { .. }) => Round::Resolution,
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
            ballot_box: box_state(conn, consultation).map_err(plain)?,
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
            "unit {unit}: {channel} ballot in the {} refused; the unit already voted ({first}); \
             repeats are not logged again",
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
    if round == Round::Option && matches!(k.ballot_box, BoxState::Closed) {
        return Err(plain(AppError::wrong_phase(
            "the ballot box has been opened for the count: no more ballots",
        )));
    }
    let mut receipt = None;
    match &job.cast {
        Cast::PaperMark => {}
        Cast::Vote(Vote::Option { ballot }) => {
            let normalized = normalize_ballot(ballot, &k.settings, k.options).map_err(plain)?;
            let json = serde_json::to_string(&normalized)
                .map_err(|e| plain(AppError::Internal(e.to_string())))?;
            match &k.ballot_box {
                BoxState::Sealed(public_key) => {
                    let sealed = crate::sealing::seal(public_key, json.as_bytes())
                        .map_err(|e| plain(AppError::Internal(e.to_string())))?;
                    conn.prepare_cached(
                        "INSERT INTO sealed_ballots (consultation_id, id, sealed) VALUES (?1, ?2, ?3)",
                    )
                    .and_then(|mut st| {
                        st.execute(params![
                            consultation,
                            random_bytes::<16>().as_slice(),
                            sealed
                        ])
                    })
                    .map_err(plain)?;
                    receipt = Some(crate::sealing::receipt(&sealed));
                }
                BoxState::Unsealed => {
                    conn.prepare_cached(
                        "INSERT INTO option_ballots (consultation_id, id, ballot) VALUES (?1, ?2, ?3)",
                    )
                    .and_then(|mut st| {
                        st.execute(params![consultation, random_bytes::<16>().as_slice(), json])
                    })
                    .map_err(plain)?;
                }
                BoxState::Closed => {
                    return Err(plain(AppError::Internal("no ballot box".into())));
                }
            }
        }
        Cast::Vote(Vote::Resolution { choice }) => {
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
        // Who entered which unit's paper ballot or mark (never what a ballot says).
        let (action, detail) = match job.cast {
            Cast::PaperMark => (
                "paper_voter_marked",
                format!(
                    "unit {unit} put its paper ballot in the box ({})",
                    round_name(round)
                ),
            ),
            Cast::Vote(_) => (
                "paper_ballot_entered",
                format!("unit {unit}, {}", round_name(round)),
            ),
        };
        audit(conn, Some(consultation), actor, action, &detail).map_err(plain)?;
    }
    // Whichever channel came first, the unit's token for this round is spent.
    conn.prepare_cached(
        "UPDATE tokens SET used = 1 WHERE consultation_id = ?1 AND round = ?2 AND unit = ?3",
    )
    .and_then(|mut st| st.execute(params![consultation, round.as_str(), unit]))
    .map_err(plain)?;
    // Counted for backups: a restore refuses a snapshot with fewer.
    conn.prepare_cached(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'ballots_accepted'",
    )
    .and_then(|mut st| st.execute([]))
    .map_err(plain)?;
    Ok(Accepted { round, receipt })
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
///
/// Ballots refused for a bad token or a unit that already voted are counted per client
/// address; past [`REFUSED_PER_WINDOW`] in 15 minutes that address gets 429 without any
/// database work. (Residents behind one address rarely get refused at all.)
pub(crate) async fn submit_online(
    State(ctx): State<Ctx>,
    addr: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    ApiJson(b): ApiJson<OnlineBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let token = normalize_token(&b.token).ok_or_else(invalid_token)?;
    let limit_key = format!("ballot-refused:{}", crate::auth::client_key(addr));
    let k = limit_key.clone();
    let over = blocking(&ctx.db, move |conn| {
        Ok(crate::auth::attempts(conn, &k)? >= REFUSED_PER_WINDOW)
    })
    .await?;
    if over {
        return Err(AppError::TooManyRequests);
    }
    let answer = cast_online(&ctx, token, b.vote).await;
    if let Err(AppError::Unauthorized(_) | AppError::Conflict { .. }) = &answer {
        blocking(&ctx.db, move |conn| {
            crate::auth::note_attempt(conn, &limit_key)?;
            Ok(())
        })
        .await?;
    }
    answer
}

/// Refused online ballots allowed per client address in the rate-limit window.
pub const REFUSED_PER_WINDOW: i64 = 30;

async fn cast_online(
    ctx: &Ctx,
    token: String,
    vote: Vote,
) -> Result<Json<BallotReceipt>, AppError> {
    let key = match ctx.key.get() {
        Some(k) => *k,
        None => {
            let c = ctx.clone();
            blocking(&ctx.db, move |conn| c.ballot_key(conn)).await?
        }
    };
    let a = ctx
        .ballots
        .submit(
            Voter::Online {
                hmac: token_hmac(&key, &token),
            },
            Cast::Vote(vote),
        )
        .await?;
    Ok(Json(BallotReceipt {
        round: a.round,
        receipt: a.receipt,
    }))
}

/// The unit named at the paper desk, checked.
fn desk_unit(unit: &str) -> Result<String, AppError> {
    let unit = unit.trim().to_owned();
    if unit.is_empty() || unit.len() > 200 {
        return Err(AppError::BadRequest("unit: must name a unit".into()));
    }
    Ok(unit)
}

/// `POST /api/consultations/{id}/paper-ballots` (committee): a signed paper ballot of the
/// formal resolution. Option-vote paper ballots are refused here: they are anonymous.
pub(crate) async fn submit_paper(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PaperBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let unit = desk_unit(&b.unit)?;
    if matches!(b.vote, Vote::Option { .. }) {
        return Err(AppError::BadRequest(
            "an option-vote paper ballot is secret and is never entered with its unit: mark the \
             unit with POST /api/consultations/{id}/paper-voters, and enter the box's ballots at \
             the count"
                .into(),
        ));
    }
    let a = ctx
        .ballots
        .submit(
            Voter::Paper {
                consultation: id,
                unit,
                actor: who.username,
            },
            Cast::Vote(b.vote),
        )
        .await?;
    Ok(Json(BallotReceipt {
        round: a.round,
        receipt: None,
    }))
}

/// `POST /api/consultations/{id}/paper-voters` (committee): the unit at the desk has put its
/// option-vote ballot in the paper box.
pub(crate) async fn mark_paper_voter(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(v): ApiJson<PaperVoter>,
) -> Result<Json<BallotReceipt>, AppError> {
    let unit = desk_unit(&v.unit)?;
    let a = ctx
        .ballots
        .submit(
            Voter::Paper {
                consultation: id,
                unit,
                actor: who.username,
            },
            Cast::PaperMark,
        )
        .await?;
    Ok(Json(BallotReceipt {
        round: a.round,
        receipt: None,
    }))
}
