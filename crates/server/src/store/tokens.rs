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

/// The columns [`row`] reads, joined to the unit's participation in the token's round.
const FIND: &str = "SELECT t.consultation_id, t.round, t.unit, p.channel, t.hmac FROM tokens t
       LEFT JOIN participation p ON p.consultation_id = t.consultation_id
                                AND p.round = t.round AND p.unit = t.unit";

fn row(r: &super::Row) -> Result<TokenRow, DbError> {
    Ok(TokenRow {
        consultation: r.i64(0)?,
        round: round(&r.text(1)?)?,
        unit: r.text(2)?,
        voted: r.opt_text(3)?,
    })
}

/// The token whose keyed hash is `hmac`, if any (used or not), and whether its unit has
/// voted in its round (one query).
pub(crate) fn find(tx: &mut dyn Tx, hmac: &[u8; 32]) -> Result<Option<TokenRow>, DbError> {
    tx.query_opt(&format!("{FIND} WHERE t.hmac = $1"), &[P::B(hmac)])?
        .map(|r| row(&r))
        .transpose()
}

/// [`find`] for many tokens at once (a batch of ballots: one round trip on PostgreSQL),
/// by keyed hash.
pub(crate) fn find_many(
    tx: &mut dyn Tx,
    hmacs: &[&[u8; 32]],
) -> Result<std::collections::HashMap<[u8; 32], TokenRow>, DbError> {
    let mut out = std::collections::HashMap::with_capacity(hmacs.len());
    match tx.dialect() {
        super::Dialect::Postgres => {
            let list: Vec<&[u8]> = hmacs.iter().map(|h| h.as_slice()).collect();
            for r in tx.query(
                &format!("{FIND} WHERE t.hmac = ANY($1)"),
                &[P::BlobList(&list)],
            )? {
                let key: [u8; 32] = r
                    .blob(4)?
                    .try_into()
                    .map_err(|_| DbError::Type("a token's hmac is not 32 bytes".into()))?;
                out.insert(key, row(&r)?);
            }
        }
        super::Dialect::Sqlite => {
            for h in hmacs {
                if let Some(t) = find(tx, h)? {
                    out.insert(**h, t);
                }
            }
        }
    }
    Ok(out)
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
