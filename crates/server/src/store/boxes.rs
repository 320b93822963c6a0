//! The option vote's ballot box: made when the vote opens, opened at the count.

use plotwise_api::{CountSummary, Round};

use super::{DbError, P, Tx};
use crate::error::AppError;
use crate::sealing::StoredBox;
use crate::util::random_bytes;

/// The box as stored.
pub(crate) enum Stored {
    /// Sealed, with its key material.
    Sealed(StoredBox),
    /// Opened at the count.
    Opened,
    /// A vote opened before sealed boxes existed.
    Unsealed,
}

/// The consultation's box.
pub(crate) fn read(tx: &mut dyn Tx, id: i64) -> Result<Stored, AppError> {
    let row = tx.query_opt(
        "SELECT state, public_key, sealed_key, kdf FROM ballot_boxes WHERE consultation_id = $1",
        &[P::I(id)],
    )?;
    let broken = || AppError::Internal(format!("consultation {id}: ballot box row is damaged"));
    let Some(r) = row else {
        return Err(AppError::Internal(format!(
            "consultation {id} is voting without a ballot box"
        )));
    };
    match (
        r.text(0)?.as_str(),
        r.opt_blob(1)?,
        r.opt_blob(2)?,
        r.opt_text(3)?,
    ) {
        ("opened", ..) => Ok(Stored::Opened),
        ("unsealed", ..) => Ok(Stored::Unsealed),
        (_, Some(pk), Some(sealed_key), Some(kdf)) => Ok(Stored::Sealed(StoredBox {
            public_key: pk.try_into().map_err(|_| broken())?,
            sealed_key,
            kdf,
        })),
        _ => Err(broken()),
    }
}

/// The box's state word (`sealed`, `opened`, `unsealed`), if it has a box.
pub(crate) fn state(tx: &mut dyn Tx, id: i64) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT state FROM ballot_boxes WHERE consultation_id = $1",
        &[P::I(id)],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// A new sealed box for the consultation (replacing one that has no ballot yet).
pub(crate) fn make(tx: &mut dyn Tx, id: i64, stored: &StoredBox) -> Result<(), DbError> {
    tx.execute(
        "DELETE FROM ballot_boxes WHERE consultation_id = $1",
        &[P::I(id)],
    )?;
    tx.execute(
        "INSERT INTO ballot_boxes (consultation_id, state, public_key, sealed_key, kdf)
         VALUES ($1, 'sealed', $2, $3, $4)",
        &[
            P::I(id),
            P::B(&stored.public_key),
            P::B(&stored.sealed_key),
            P::T(&stored.kdf),
        ],
    )?;
    Ok(())
}

/// Units that voted in `round` by `channel` (`None`: by either).
pub(crate) fn voted(
    tx: &mut dyn Tx,
    id: i64,
    round: Round,
    channel: Option<&str>,
) -> Result<u64, DbError> {
    let n = tx.scalar(
        "SELECT count(*) FROM participation WHERE consultation_id = $1 AND round = $2
         AND (CAST($3 AS TEXT) IS NULL OR channel = $3)",
        &[P::I(id), P::T(round.as_str()), P::OptT(channel)],
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The sealed envelopes in the box.
pub(crate) fn envelopes(tx: &mut dyn Tx, id: i64) -> Result<Vec<Vec<u8>>, DbError> {
    tx.query(
        "SELECT sealed FROM sealed_ballots WHERE consultation_id = $1",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| r.blob(0))
    .collect()
}

/// The ballots of an unsealed box (a vote opened before sealed boxes existed).
pub(crate) fn unsealed_ballots(tx: &mut dyn Tx, id: i64) -> Result<Vec<String>, DbError> {
    tx.query(
        "SELECT ballot FROM option_ballots WHERE consultation_id = $1",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// Stores the opened box: `ballots` (already shuffled) under random ids, the receipt codes
/// apart, and erases the envelopes and the key; the box is then `opened`.
pub(crate) fn store_opened(
    tx: &mut dyn Tx,
    id: i64,
    ballots: &[String],
    receipts: &[String],
    counted: &CountSummary,
) -> Result<(), DbError> {
    tx.execute(
        "DELETE FROM option_ballots WHERE consultation_id = $1",
        &[P::I(id)],
    )?;
    for b in ballots {
        tx.execute(
            "INSERT INTO option_ballots (consultation_id, id, ballot) VALUES ($1, $2, $3)",
            &[P::I(id), P::B(&random_bytes::<16>()), P::T(b)],
        )?;
    }
    for r in receipts {
        tx.execute(
            "INSERT INTO receipts (consultation_id, code) VALUES ($1, $2)
             ON CONFLICT (consultation_id, code) DO NOTHING",
            &[P::I(id), P::T(r)],
        )?;
    }
    tx.execute(
        "DELETE FROM sealed_ballots WHERE consultation_id = $1",
        &[P::I(id)],
    )?;
    tx.execute(
        "UPDATE ballot_boxes SET state = 'opened', public_key = NULL, sealed_key = NULL, kdf = NULL,
                online = $2, paper = $3, spoiled = $4
         WHERE consultation_id = $1",
        &[
            P::I(id),
            P::I(counted.online as i64),
            P::I(counted.paper as i64),
            P::I(counted.spoiled as i64),
        ],
    )?;
    Ok(())
}

/// What the count found, once the box is opened.
pub(crate) fn count_summary(tx: &mut dyn Tx, id: i64) -> Result<Option<CountSummary>, DbError> {
    let n = |v: Option<i64>| u64::try_from(v.unwrap_or(0)).unwrap_or(0);
    tx.query_opt(
        "SELECT online, paper, spoiled FROM ballot_boxes WHERE consultation_id = $1 AND state = 'opened'",
        &[P::I(id)],
    )?
    .map(|r| {
        Ok(CountSummary {
            online: n(r.opt_i64(0)?),
            paper: n(r.opt_i64(1)?),
            spoiled: n(r.opt_i64(2)?),
        })
    })
    .transpose()
}
