//! One-time ballot tokens: only HMAC-SHA-256(server key, token) is stored. This is the one
//! place a token is looked up.

use plotwise_api::Round;

use super::{DbError, P, Tx};
use crate::util::{hmac_sha256, new_token};

/// What a token names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenRow {
    /// The consultation.
    pub consultation: i64,
    /// The round it votes in.
    pub round: Round,
    /// The unit it votes for.
    pub unit: String,
    /// How the unit has voted in that round already (`online`, `paper`), if it has.
    pub voted: Option<String>,
}

/// The keyed hash of a normalised token.
pub(crate) fn hmac(key: &[u8; 32], token: &str) -> [u8; 32] {
    hmac_sha256(key, token.as_bytes())
}

fn round(s: &str) -> Result<Round, DbError> {
    match s {
        "option" => Ok(Round::Option),
        "resolution" => Ok(Round::Resolution),
        other => Err(DbError::Type(format!("stored round {other:?}"))),
    }
}

/// The token whose keyed hash is `hmac`, if any (used or not), and whether its unit has
/// voted in its round (one query: a ballot's first round trip).
pub(crate) fn find(tx: &mut dyn Tx, hmac: &[u8; 32]) -> Result<Option<TokenRow>, DbError> {
    tx.query_opt(
        "SELECT t.consultation_id, t.round, t.unit, p.channel FROM tokens t
           LEFT JOIN participation p ON p.consultation_id = t.consultation_id
                                    AND p.round = t.round AND p.unit = t.unit
         WHERE t.hmac = $1",
        &[P::B(hmac)],
    )?
    .map(|r| {
        Ok(TokenRow {
            consultation: r.i64(0)?,
            round: round(&r.text(1)?)?,
            unit: r.text(2)?,
            voted: r.opt_text(3)?,
        })
    })
    .transpose()
}

/// The units (and their buildings) in electorate order that have no token for `round` yet.
pub(crate) fn units_without(
    tx: &mut dyn Tx,
    id: i64,
    round: Round,
) -> Result<Vec<(String, String)>, DbError> {
    tx.query(
        "SELECT u.unit, u.building FROM units u WHERE u.consultation_id = $1
         AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.consultation_id = u.consultation_id
                         AND t.round = $2 AND t.unit = u.unit)
         ORDER BY u.position",
        &[P::I(id), P::T(round.as_str())],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .collect()
}

/// The unit `unit` and its building, if it is in the electorate.
pub(crate) fn unit_building(
    tx: &mut dyn Tx,
    id: i64,
    unit: &str,
) -> Result<Option<(String, String)>, DbError> {
    tx.query_opt(
        "SELECT unit, building FROM units WHERE consultation_id = $1 AND unit = $2",
        &[P::I(id), P::T(unit)],
    )?
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .transpose()
}

/// A new token for `unit` in `round` (the unit's earlier one, if any, stops working);
/// returns the token, which is stored only as its keyed hash.
pub(crate) fn issue(
    tx: &mut dyn Tx,
    key: &[u8; 32],
    id: i64,
    round: Round,
    unit: &str,
) -> Result<String, DbError> {
    tx.execute(
        "DELETE FROM tokens WHERE consultation_id = $1 AND round = $2 AND unit = $3",
        &[P::I(id), P::T(round.as_str()), P::T(unit)],
    )?;
    let token = new_token();
    tx.execute(
        "INSERT INTO tokens (hmac, consultation_id, round, unit) VALUES ($1, $2, $3, $4)",
        &[
            P::B(&hmac(key, &token)),
            P::I(id),
            P::T(round.as_str()),
            P::T(unit),
        ],
    )?;
    Ok(token)
}

/// Marks the unit's token for `round` as spent (whichever channel it voted by).
pub(crate) fn spend(tx: &mut dyn Tx, id: i64, round: Round, unit: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE tokens SET used = TRUE WHERE consultation_id = $1 AND round = $2 AND unit = $3",
        &[P::I(id), P::T(round.as_str()), P::T(unit)],
    )?;
    Ok(())
}
