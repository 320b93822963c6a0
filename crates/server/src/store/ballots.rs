//! Writing ballots: a batch of ballots (online with a token, paper marks and signed paper
//! resolution ballots) checked and written in one transaction (the ballot writer's group
//! commit calls [`write_batch`]).
//!
//! # One unit, one ballot
//!
//! A unit votes once per round, by whichever channel comes first: the first ballot claims
//! the unit's row in `participation` (`INSERT … ON CONFLICT DO NOTHING`); a ballot that
//! finds the row taken, by an earlier ballot or by another server process's ballot committed
//! meanwhile, is refused with 409 `already_voted`. The claim comes after every check and
//! before any other write, so a refused ballot writes nothing but its audit line.
//!
//! # Secrecy
//!
//! An online option ballot is sealed to the consultation's ballot box in the transaction that
//! marks its unit as having voted, and stored sealed under a random id (`sealed_ballots`).
//! Paper option ballots are never entered here with their unit: the desk only marks the unit
//! ([`Cast::PaperMark`]); the box's ballots are entered at the count, anonymously.

use std::collections::HashMap;

use plotwise_api::{HeadcountRule, OptionBallot, Phase, Round, Settings, Vote};

use super::{DbError, Dialect, P, Tx, audit, consultations, meta, tokens};
use crate::ballot::normalize;
use crate::error::AppError;
use crate::policy;
use crate::util::random_bytes;

/// Who cast a ballot.
pub(crate) enum Voter {
    /// A resident with a token (its keyed hash).
    Online {
        /// HMAC of the token.
        hmac: [u8; 32],
    },
    /// A paper ballot or mark entered by a committee member.
    Paper {
        /// The consultation.
        consultation: i64,
        /// The unit at the desk.
        unit: String,
        /// The member.
        actor: String,
    },
}

/// What a job casts.
pub(crate) enum Cast {
    /// A ballot: online in either round, or a signed paper ballot of the formal resolution.
    Vote(Vote),
    /// The paper desk's mark that a unit has put its option-vote ballot in the box.
    PaperMark,
}

/// A ballot accepted.
#[derive(Debug)]
pub(crate) struct Accepted {
    /// The round it was cast in.
    pub round: Round,
    /// The receipt code of a sealed online ballot.
    pub receipt: Option<String>,
}

/// What the writer needs to know of a consultation, read once per batch.
struct Known {
    phase: Phase,
    settings: Settings,
    options: usize,
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

fn box_state(tx: &mut dyn Tx, consultation: i64) -> Result<BoxState, AppError> {
    let row = tx.query_opt(
        "SELECT state, public_key FROM ballot_boxes WHERE consultation_id = $1",
        &[P::I(consultation)],
    )?;
    Ok(match row {
        Some(r) => match (r.text(0)?.as_str(), r.opt_blob(1)?) {
            ("sealed", Some(key)) => BoxState::Sealed(
                key.try_into()
                    .map_err(|_| AppError::Internal("stored public key is not 32 bytes".into()))?,
            ),
            ("unsealed", _) => BoxState::Unsealed,
            _ => BoxState::Closed,
        },
        None => BoxState::Closed,
    })
}

/// A refusal to be written to the audit log.
struct Logged {
    consultation: i64,
    actor: String,
    detail: String,
}

type Refusal = (AppError, Option<Logged>);

fn plain(e: impl Into<AppError>) -> Refusal {
    (e.into(), None)
}

/// The round's name in messages.
pub(crate) fn round_name(r: Round) -> &'static str {
    match r {
        Round::Option => "option vote",
        Round::Resolution => "formal resolution",
    }
}

/// The answer for a token that is not (or no longer) valid.
pub(crate) fn invalid_token() -> AppError {
    AppError::Unauthorized("this ballot token is not valid".into())
}

/// Checks and writes a batch of ballots in the transaction `tx`. Each ballot gets its own
/// answer; a database failure fails the whole batch (nothing of it is written).
pub(crate) fn write_batch(
    tx: &mut dyn Tx,
    batch: &[(&Voter, &Cast)],
) -> Result<Vec<Result<Accepted, AppError>>, AppError> {
    let mut known = HashMap::new();
    let mut out = Vec::with_capacity(batch.len());
    let mut accepted = 0;
    // Every online ballot's token at once. A unit that votes twice in one batch is found to
    // have voted by its claim (below), not by this read.
    let hmacs: Vec<&[u8; 32]> = batch
        .iter()
        .filter_map(|(v, _)| match v {
            Voter::Online { hmac } => Some(hmac),
            Voter::Paper { .. } => None,
        })
        .collect();
    let found = tokens::find_many(tx, &hmacs)?;
    for (voter, cast) in batch {
        let outcome = match cast_one(tx, voter, cast, &found, &mut known) {
            Ok(a) => {
                accepted += 1;
                Ok(a)
            }
            // The database failed: the transaction is lost, and with it the batch.
            Err((AppError::Db(e), _)) => return Err(AppError::Db(e)),
            Err((e @ (AppError::Raced(_) | AppError::Unavailable { .. }), _)) => return Err(e),
            Err((e, logged)) => {
                // One line per unit, round and channel: repeating a refused ballot adds
                // nothing to the log (nor a write to the database).
                if let Some(l) = logged
                    && !audit::logged(tx, l.consultation, "double_vote_refused", &l.detail)?
                {
                    audit::log(
                        tx,
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
    if accepted > 0 {
        // Counted for backups: a restore refuses a snapshot with fewer.
        meta::count_ballots(tx, accepted)?;
    }
    Ok(out)
}

/// Checks and writes one ballot.
fn cast_one(
    tx: &mut dyn Tx,
    voter: &Voter,
    cast: &Cast,
    found: &HashMap<[u8; 32], tokens::TokenRow>,
    known: &mut HashMap<i64, Known>,
) -> Result<Accepted, Refusal> {
    let round = match cast {
        Cast::Vote(Vote::Option { .. }) | Cast::PaperMark => Round::Option,
        Cast::Vote(Vote::Resolution { .. }) => Round::Resolution,
    };
    let (consultation, unit, channel, actor, voted) = match voter {
        Voter::Online { hmac } => {
            let t = found
                .get(hmac)
                .cloned()
                .ok_or_else(|| plain(invalid_token()))?;
            if t.round != round {
                return Err(plain(AppError::BadRequest(format!(
                    "this token is for the {}",
                    round_name(t.round)
                ))));
            }
            (
                t.consultation,
                t.unit,
                "online",
                "online".to_owned(),
                t.voted,
            )
        }
        Voter::Paper {
            consultation,
            unit,
            actor,
        } => {
            if !consultations::has_unit(tx, *consultation, unit).map_err(plain)? {
                // Also covers a consultation that does not exist.
                consultations::phase(tx, *consultation).map_err(plain)?;
                return Err(plain(AppError::BadRequest(format!(
                    "unit {unit:?} is not in the electorate"
                ))));
            }
            let voted = first_channel(tx, *consultation, round, unit).map_err(plain)?;
            (*consultation, unit.clone(), "paper", actor.clone(), voted)
        }
    };
    if let std::collections::hash_map::Entry::Vacant(slot) = known.entry(consultation) {
        let phase = consultations::share(tx, consultation)
            .map_err(plain)?
            .ok_or_else(|| plain(AppError::NotFound))?;
        let settings = consultations::settings(tx, consultation).map_err(plain)?;
        let options = consultations::option_count(tx, consultation).map_err(plain)?;
        slot.insert(Known {
            phase,
            settings,
            options,
            ballot_box: box_state(tx, consultation).map_err(plain)?,
        });
    }
    let k = &known[&consultation];
    if k.phase != policy::open_phase(round) {
        return Err(plain(AppError::wrong_phase(format!(
            "the {} is not open (the consultation is {})",
            round_name(round),
            k.phase.as_str()
        ))));
    }
    let refused = |tx: &mut dyn Tx| -> Result<Refusal, Refusal> {
        let first = first_channel(tx, consultation, round, &unit)
            .map_err(plain)?
            .unwrap_or_else(|| channel.to_owned());
        let detail = format!(
            "unit {unit}: {channel} ballot in the {} refused; the unit already voted ({first}); \
             repeats are not logged again",
            round_name(round)
        );
        Ok((
            AppError::Conflict {
                code: "already_voted",
                message: format!(
                    "unit {unit} has already voted in the {} ({first})",
                    round_name(round)
                ),
            },
            Some(Logged {
                consultation,
                actor: actor.clone(),
                detail,
            }),
        ))
    };
    if voted.is_some() {
        return Err(refused(tx)?);
    }
    if round == Round::Option && matches!(k.ballot_box, BoxState::Closed) {
        return Err(plain(AppError::wrong_phase(
            "the ballot box has been opened for the count: no more ballots",
        )));
    }
    // Every check that needs no write, before the unit is claimed.
    let ballot = match cast {
        Cast::PaperMark => None,
        Cast::Vote(Vote::Option { ballot }) => {
            let normalized = normalize(ballot, &k.settings, k.options).map_err(plain)?;
            Some(OptionRow::new(&normalized, &k.ballot_box).map_err(plain)?)
        }
        Cast::Vote(Vote::Resolution { choice }) => {
            if k.settings.headcount == HeadcountRule::Owner {
                owner_split(tx, consultation, &unit, choice.as_str())?;
            }
            None
        }
    };
    // The hot path on PostgreSQL, an online ballot into a sealed box: the claim, the envelope
    // and the spent token in one statement (one round trip instead of three).
    if let (Dialect::Postgres, Voter::Online { .. }, Some(OptionRow::Sealed(sealed))) =
        (tx.dialect(), voter, &ballot)
    {
        let claimed = tx
            .scalar(
                "WITH claim AS (
                   INSERT INTO participation (consultation_id, round, unit, channel)
                   VALUES ($1, $2, $3, 'online')
                   ON CONFLICT (consultation_id, round, unit) DO NOTHING RETURNING unit),
                 envelope AS (
                   INSERT INTO sealed_ballots (consultation_id, id, sealed)
                   SELECT $1, $4, $5 FROM claim),
                 spent AS (
                   UPDATE tokens SET used = TRUE
                   WHERE consultation_id = $1 AND round = $2 AND unit = $3
                     AND EXISTS (SELECT 1 FROM claim))
                 SELECT count(*) FROM claim",
                &[
                    P::I(consultation),
                    P::T(round.as_str()),
                    P::T(&unit),
                    P::B(&random_bytes::<16>()),
                    P::B(sealed),
                ],
            )
            .map_err(plain)?;
        if claimed == 0 {
            return Err(refused(tx)?);
        }
        return Ok(Accepted {
            round,
            receipt: Some(crate::sealing::receipt(sealed)),
        });
    }
    // The claim: the unit's participation row. Taken already (another server process's
    // ballot, committed since the check above): refused.
    let claimed = tx
        .execute(
            "INSERT INTO participation (consultation_id, round, unit, channel) VALUES ($1, $2, $3, $4)
             ON CONFLICT (consultation_id, round, unit) DO NOTHING",
            &[
                P::I(consultation),
                P::T(round.as_str()),
                P::T(&unit),
                P::T(channel),
            ],
        )
        .map_err(plain)?;
    if claimed == 0 {
        return Err(refused(tx)?);
    }
    let mut receipt = None;
    match (cast, ballot) {
        (Cast::Vote(Vote::Option { .. }), Some(row)) => {
            receipt = row.insert(tx, consultation).map_err(plain)?;
        }
        (Cast::Vote(Vote::Resolution { choice }), _) => {
            tx.execute(
                "INSERT INTO resolution_votes (consultation_id, unit, choice) VALUES ($1, $2, $3)",
                &[P::I(consultation), P::T(&unit), P::T(choice.as_str())],
            )
            .map_err(plain)?;
        }
        _ => {}
    }
    if let Voter::Paper { actor, .. } = voter {
        // Who entered which unit's paper ballot or mark (never what a ballot says).
        let (action, detail) = match cast {
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
        audit::log(tx, Some(consultation), actor, action, &detail).map_err(plain)?;
    }
    // Whichever channel came first, the unit's token for this round is spent.
    tokens::spend(tx, consultation, round, &unit).map_err(plain)?;
    Ok(Accepted { round, receipt })
}

/// The channel by which `unit` voted in `round`, if it did.
pub(crate) fn first_channel(
    tx: &mut dyn Tx,
    consultation: i64,
    round: Round,
    unit: &str,
) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT channel FROM participation WHERE consultation_id = $1 AND round = $2 AND unit = $3",
        &[P::I(consultation), P::T(round.as_str()), P::T(unit)],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// An owner of several units counts once by headcount, so `plotwise-vote` refuses to count
/// their units voting differently; refuse that now, not at validation.
fn owner_split(
    tx: &mut dyn Tx,
    consultation: i64,
    unit: &str,
    choice: &str,
) -> Result<(), Refusal> {
    let other = tx
        .query_opt(
            "SELECT v.unit, v.choice FROM resolution_votes v
               JOIN units u ON u.consultation_id = v.consultation_id AND u.unit = v.unit
             WHERE v.consultation_id = $1 AND v.choice <> $2 AND u.owner =
               (SELECT owner FROM units WHERE consultation_id = $1 AND unit = $3)
             LIMIT 1",
            &[P::I(consultation), P::T(choice), P::T(unit)],
        )
        .map_err(plain)?;
    if let Some(r) = other {
        let (other_unit, other_choice) = (r.text(0).map_err(plain)?, r.text(1).map_err(plain)?);
        return Err(plain(AppError::Conflict {
            code: "owner_split",
            message: format!(
                "the owner of unit {unit} voted {other_choice} with unit {other_unit}; \
                 an owner of several units counts once by headcount and votes the same way for all of them"
            ),
        }));
    }
    Ok(())
}

/// An option ballot ready to be stored: sealed to the box, or in clear in an unsealed box.
enum OptionRow {
    Sealed(Vec<u8>),
    Clear(String),
}

impl OptionRow {
    fn new(ballot: &OptionBallot, b: &BoxState) -> Result<OptionRow, AppError> {
        let json = serde_json::to_string(ballot).map_err(|e| AppError::Internal(e.to_string()))?;
        match b {
            BoxState::Sealed(public_key) => Ok(OptionRow::Sealed(
                crate::sealing::seal(public_key, json.as_bytes())
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )),
            BoxState::Unsealed => Ok(OptionRow::Clear(json)),
            BoxState::Closed => Err(AppError::Internal("no ballot box".into())),
        }
    }

    /// Stores the ballot under a random id; returns the receipt of a sealed one.
    fn insert(self, tx: &mut dyn Tx, consultation: i64) -> Result<Option<String>, DbError> {
        let id = random_bytes::<16>();
        match self {
            OptionRow::Sealed(sealed) => {
                tx.execute(
                    "INSERT INTO sealed_ballots (consultation_id, id, sealed) VALUES ($1, $2, $3)",
                    &[P::I(consultation), P::B(&id), P::B(&sealed)],
                )?;
                Ok(Some(crate::sealing::receipt(&sealed)))
            }
            OptionRow::Clear(json) => {
                tx.execute(
                    "INSERT INTO option_ballots (consultation_id, id, ballot) VALUES ($1, $2, $3)",
                    &[P::I(consultation), P::B(&id), P::T(&json)],
                )?;
                Ok(None)
            }
        }
    }
}
