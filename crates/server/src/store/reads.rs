//! What the results, the exports and the paper desk read: stored ballots, participation,
//! the register, the receipts.

use plotwise_api::{Choice, Round, Voted};

use super::{DbError, P, Tx};

/// The opened option ballots (normalised JSON), in the order of their random ids.
pub(crate) fn option_ballots(tx: &mut dyn Tx, id: i64) -> Result<Vec<String>, DbError> {
    tx.query(
        "SELECT ballot FROM option_ballots WHERE consultation_id = $1 ORDER BY id",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// Who took part in `round`: (unit, channel).
pub(crate) fn participation(
    tx: &mut dyn Tx,
    id: i64,
    round: Round,
) -> Result<Vec<(String, String)>, DbError> {
    tx.query(
        "SELECT unit, channel FROM participation WHERE consultation_id = $1 AND round = $2",
        &[P::I(id), P::T(round.as_str())],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .collect()
}

/// Which units voted in `round` and by which channel, in electorate order (the paper desk).
pub(crate) fn voted(tx: &mut dyn Tx, id: i64, round: Round) -> Result<Vec<Voted>, DbError> {
    tx.query(
        "SELECT p.unit, p.channel FROM participation p JOIN units u
           ON u.consultation_id = p.consultation_id AND u.unit = p.unit
         WHERE p.consultation_id = $1 AND p.round = $2 ORDER BY u.position",
        &[P::I(id), P::T(round.as_str())],
    )?
    .iter()
    .map(|r| {
        Ok(Voted {
            unit: r.text(0)?,
            channel: r.text(1)?,
        })
    })
    .collect()
}

/// The signed register: (unit, choice) in electorate order.
pub(crate) fn register(tx: &mut dyn Tx, id: i64) -> Result<Vec<(String, Choice)>, DbError> {
    tx.query(
        "SELECT v.unit, v.choice FROM resolution_votes v JOIN units u
           ON u.consultation_id = v.consultation_id AND u.unit = v.unit
         WHERE v.consultation_id = $1 ORDER BY u.position",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| {
        let choice = r.text(1)?;
        let c = choice
            .parse::<Choice>()
            .map_err(|e| DbError::Type(format!("resolution_votes.choice: {e}")))?;
        Ok((r.text(0)?, c))
    })
    .collect()
}

/// The register with each unit's building, area and owner: `[unit, building, area_m2,
/// owner, choice]` in electorate order.
pub(crate) fn register_rows(tx: &mut dyn Tx, id: i64) -> Result<Vec<[String; 5]>, DbError> {
    tx.query(
        "SELECT u.unit, u.building, u.area_m2, u.owner, v.choice FROM resolution_votes v JOIN units u
           ON u.consultation_id = v.consultation_id AND u.unit = v.unit
         WHERE v.consultation_id = $1 ORDER BY u.position",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| Ok([r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?, r.text(4)?]))
    .collect()
}

/// The receipt codes of the counted online ballots, sorted byte by byte (here, not by the
/// database's collation, so both engines list them alike).
pub(crate) fn receipts(tx: &mut dyn Tx, id: i64) -> Result<Vec<String>, DbError> {
    let mut codes = tx
        .query(
            "SELECT code FROM receipts WHERE consultation_id = $1",
            &[P::I(id)],
        )?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<Vec<_>, _>>()?;
    codes.sort_unstable();
    Ok(codes)
}
