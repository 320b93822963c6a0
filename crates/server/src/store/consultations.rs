//! Consultations: their rows, settings, the frozen shortlist, proposals and the electorate.

use plotwise_api::{
    BallotBox, Consultation, ConsultationOption, ElectorateSummary, Phase, Proposal, Settings, Unit,
};
use plotwise_vote::Electorate;

use super::{DbError, P, Row, Tx};
use crate::error::AppError;
use crate::util::label;

fn parse_phase(s: &str) -> Result<Phase, AppError> {
    Phase::parse(s).ok_or_else(|| AppError::Internal(format!("stored phase {s:?}")))
}

/// The phase of consultation `id`; 404 when there is none.
pub(crate) fn phase(tx: &mut dyn Tx, id: i64) -> Result<Phase, AppError> {
    let row = tx
        .query_opt("SELECT phase FROM consultations WHERE id = $1", &[P::I(id)])?
        .ok_or(AppError::NotFound)?;
    parse_phase(&row.text(0)?)
}

/// The phase of consultation `id`, its row locked until the transaction ends: every change
/// that depends on the phase takes this first, so phase changes and the work of other
/// server processes on the same consultation happen one after the other.
pub(crate) fn lock(tx: &mut dyn Tx, id: i64) -> Result<Phase, AppError> {
    let sql = format!(
        "SELECT phase FROM consultations WHERE id = $1{}",
        tx.for_update()
    );
    let row = tx.query_opt(&sql, &[P::I(id)])?.ok_or(AppError::NotFound)?;
    parse_phase(&row.text(0)?)
}

/// The phase of consultation `id`, its row share-locked until the transaction ends (ballots:
/// many at once, but never beside a phase change or the count).
pub(crate) fn share(tx: &mut dyn Tx, id: i64) -> Result<Option<Phase>, AppError> {
    let sql = format!(
        "SELECT phase FROM consultations WHERE id = $1{}",
        tx.for_share()
    );
    tx.query_opt(&sql, &[P::I(id)])?
        .map(|r| parse_phase(&r.text(0)?))
        .transpose()
}

/// Moves the consultation to `phase`.
pub(crate) fn set_phase(tx: &mut dyn Tx, id: i64, phase: Phase) -> Result<(), DbError> {
    tx.execute(
        "UPDATE consultations SET phase = $1 WHERE id = $2",
        &[P::T(phase.as_str()), P::I(id)],
    )?;
    Ok(())
}

/// The consultation's settings.
pub(crate) fn settings(tx: &mut dyn Tx, id: i64) -> Result<Settings, AppError> {
    let text = tx
        .query_opt(
            "SELECT settings FROM consultations WHERE id = $1",
            &[P::I(id)],
        )?
        .ok_or(AppError::NotFound)?
        .text(0)?;
    serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("stored settings: {e}")))
}

/// Replaces the consultation's settings.
pub(crate) fn set_settings(tx: &mut dyn Tx, id: i64, settings: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE consultations SET settings = $1 WHERE id = $2",
        &[P::T(settings), P::I(id)],
    )?;
    Ok(())
}

/// The frozen options, in order.
pub(crate) fn options(tx: &mut dyn Tx, id: i64) -> Result<Vec<ConsultationOption>, DbError> {
    tx.query(
        "SELECT idx, title, author, sha256 FROM options WHERE consultation_id = $1 ORDER BY idx",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| {
        let index = r.u32(0)?;
        Ok(ConsultationOption {
            index,
            label: label(index),
            title: r.text(1)?,
            author: r.text(2)?,
            sha256: r.text(3)?,
        })
    })
    .collect()
}

/// How many options the shortlist has.
pub(crate) fn option_count(tx: &mut dyn Tx, id: i64) -> Result<usize, DbError> {
    let n = tx.scalar(
        "SELECT count(*) FROM options WHERE consultation_id = $1",
        &[P::I(id)],
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The frozen layout of option `index`, byte for byte.
pub(crate) fn option_layout(
    tx: &mut dyn Tx,
    id: i64,
    index: u32,
) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT layout FROM options WHERE consultation_id = $1 AND idx = $2",
        &[P::I(id), P::I(index.into())],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Every option's frozen layout (index, bytes), in option order.
pub(crate) fn option_layouts(tx: &mut dyn Tx, id: i64) -> Result<Vec<(u32, String)>, DbError> {
    tx.query(
        "SELECT idx, layout FROM options WHERE consultation_id = $1 ORDER BY idx",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| Ok((r.u32(0)?, r.text(1)?)))
    .collect()
}

fn unit(r: &Row) -> Result<Unit, DbError> {
    Ok(Unit {
        unit: r.text(0)?,
        building: r.text(1)?,
        area_m2: r.text(2)?,
        owner: r.text(3)?,
    })
}

/// The electorate as stored, in import order.
pub(crate) fn units(tx: &mut dyn Tx, id: i64) -> Result<Vec<Unit>, DbError> {
    tx.query(
        "SELECT unit, building, area_m2, owner FROM units WHERE consultation_id = $1 ORDER BY position",
        &[P::I(id)],
    )?
    .iter()
    .map(unit)
    .collect()
}

/// Whether `unit` is in the consultation's electorate.
pub(crate) fn has_unit(tx: &mut dyn Tx, id: i64, unit: &str) -> Result<bool, DbError> {
    Ok(tx.scalar(
        "SELECT count(*) FROM units WHERE consultation_id = $1 AND unit = $2",
        &[P::I(id), P::T(unit)],
    )? > 0)
}

/// The stored electorate as a `plotwise-vote` electorate (areas are parsed exactly by
/// `plotwise-vote`); `None` when none was imported.
pub(crate) fn electorate(tx: &mut dyn Tx, id: i64) -> Result<Option<Electorate>, AppError> {
    let units = units(tx, id)?;
    if units.is_empty() {
        return Ok(None);
    }
    let units = units
        .into_iter()
        .map(|u| {
            let area = plotwise_vote::electorate::parse_decimal(&u.area_m2).ok_or_else(|| {
                AppError::Internal(format!("stored area {:?} of unit {}", u.area_m2, u.unit))
            })?;
            Ok(plotwise_vote::electorate::Unit {
                id: u.unit,
                building: u.building,
                area,
                owner: u.owner,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Electorate::new(units)
        .map(Some)
        .map_err(|e| AppError::Internal(format!("stored electorate: {e}")))
}

/// What the consultation page says of an electorate.
pub(crate) fn summary(e: Option<&Electorate>) -> ElectorateSummary {
    match e {
        None => ElectorateSummary {
            total_area_m2: "0".into(),
            ..ElectorateSummary::default()
        },
        Some(e) => ElectorateSummary {
            units: e.units().len() as u64,
            buildings: e.buildings().len() as u64,
            owners: e.headcount(plotwise_vote::HeadcountRule::Owner) as u64,
            total_area_m2: plotwise_vote::electorate::decimal_string(&e.total_area()),
        },
    }
}

/// Replaces the electorate (units in this order, areas as written); revokes every ballot
/// token issued for the earlier one and returns how many.
pub(crate) fn replace_electorate(
    tx: &mut dyn Tx,
    id: i64,
    units: &[(&plotwise_vote::electorate::Unit, String)],
) -> Result<u64, DbError> {
    let revoked = tx.execute("DELETE FROM tokens WHERE consultation_id = $1", &[P::I(id)])?;
    tx.execute("DELETE FROM units WHERE consultation_id = $1", &[P::I(id)])?;
    for (i, (u, area)) in units.iter().enumerate() {
        tx.execute(
            "INSERT INTO units (consultation_id, unit, building, area_m2, owner, position)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                P::I(id),
                P::T(&u.id),
                P::T(&u.building),
                P::T(area),
                P::T(&u.owner),
                P::I(i as i64),
            ],
        )?;
    }
    Ok(revoked)
}

/// Reads a whole consultation.
pub(crate) fn load(tx: &mut dyn Tx, id: i64) -> Result<Consultation, AppError> {
    let mut c = load_light(tx, id)?;
    c.electorate = summary(electorate(tx, id)?.as_ref());
    Ok(c)
}

/// Reads a consultation without summing up its electorate (a default summary instead).
pub(crate) fn load_light(tx: &mut dyn Tx, id: i64) -> Result<Consultation, AppError> {
    let row = tx
        .query_opt(
            "SELECT title, description, phase, adopted_option, settings FROM consultations WHERE id = $1",
            &[P::I(id)],
        )?
        .ok_or(AppError::NotFound)?;
    let settings: Settings = serde_json::from_str(&row.text(4)?)
        .map_err(|e| AppError::Internal(format!("stored settings: {e}")))?;
    Ok(Consultation {
        id,
        title: row.text(0)?,
        description: row.text(1)?,
        phase: parse_phase(&row.text(2)?)?,
        settings,
        options: options(tx, id)?,
        adopted_option: row
            .opt_i64(3)?
            .map(|v| u32::try_from(v).map_err(|_| DbError::Type("adopted_option".into())))
            .transpose()?,
        electorate: ElectorateSummary::default(),
        ballot_box: ballot_box(tx, id)?,
    })
}

/// The state of the option vote's ballot box.
pub(crate) fn ballot_box(tx: &mut dyn Tx, id: i64) -> Result<BallotBox, AppError> {
    let state = tx
        .query_opt(
            "SELECT state FROM ballot_boxes WHERE consultation_id = $1",
            &[P::I(id)],
        )?
        .map(|r| r.text(0))
        .transpose()?;
    Ok(match state.as_deref() {
        None => BallotBox::None,
        Some("sealed") => BallotBox::Sealed,
        Some("opened") => BallotBox::Opened,
        Some("unsealed") => BallotBox::Unsealed,
        Some(other) => return Err(AppError::Internal(format!("stored box state {other:?}"))),
    })
}

/// The ids of the consultations, drafts included or not.
pub(crate) fn ids(tx: &mut dyn Tx, with_drafts: bool) -> Result<Vec<i64>, DbError> {
    tx.query(
        "SELECT id FROM consultations WHERE $1 OR phase <> 'draft' ORDER BY id",
        &[P::Bool(with_drafts)],
    )?
    .iter()
    .map(|r| r.i64(0))
    .collect()
}

/// A new consultation in the draft phase; returns its id.
pub(crate) fn create(
    tx: &mut dyn Tx,
    title: &str,
    description: &str,
    settings: &str,
) -> Result<i64, DbError> {
    tx.query_one(
        "INSERT INTO consultations (title, description, phase, settings) VALUES ($1, $2, 'draft', $3)
         RETURNING id",
        &[P::T(title), P::T(description), P::T(settings)],
    )?
    .i64(0)
}

/// Records the option put to the formal resolution.
pub(crate) fn set_adopted(tx: &mut dyn Tx, id: i64, option: u32) -> Result<(), DbError> {
    tx.execute(
        "UPDATE consultations SET adopted_option = $1 WHERE id = $2",
        &[P::I(option.into()), P::I(id)],
    )?;
    Ok(())
}

/// A proposal's title, author, layout and SHA-256, if it belongs to the consultation.
pub(crate) fn proposal(
    tx: &mut dyn Tx,
    id: i64,
    proposal: i64,
) -> Result<Option<(String, String, String, String)>, DbError> {
    tx.query_opt(
        "SELECT title, author, layout, sha256 FROM proposals WHERE id = $1 AND consultation_id = $2",
        &[P::I(proposal), P::I(id)],
    )?
    .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?)))
    .transpose()
}

/// Adds option `idx` (a copy of proposal `proposal`) to the shortlist.
pub(crate) fn add_option(
    tx: &mut dyn Tx,
    id: i64,
    idx: u32,
    proposal: i64,
    (title, author, layout, sha256): (&str, &str, &str, &str),
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO options (consultation_id, idx, proposal_id, title, author, layout, sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            P::I(id),
            P::I(idx.into()),
            P::I(proposal),
            P::T(title),
            P::T(author),
            P::T(layout),
            P::T(sha256),
        ],
    )?;
    Ok(())
}

/// The consultation's proposals, oldest first.
pub(crate) fn proposals(tx: &mut dyn Tx, id: i64) -> Result<Vec<Proposal>, DbError> {
    tx.query(
        "SELECT id, title, author, sha256 FROM proposals WHERE consultation_id = $1 ORDER BY id",
        &[P::I(id)],
    )?
    .iter()
    .map(|r| {
        Ok(Proposal {
            id: r.i64(0)?,
            title: r.text(1)?,
            author: r.text(2)?,
            sha256: r.text(3)?,
        })
    })
    .collect()
}

/// A new proposal; returns its id.
pub(crate) fn add_proposal(
    tx: &mut dyn Tx,
    id: i64,
    title: &str,
    author: &str,
    layout: &str,
    sha256: &str,
) -> Result<i64, DbError> {
    tx.query_one(
        "INSERT INTO proposals (consultation_id, title, author, layout, sha256) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
        &[P::I(id), P::T(title), P::T(author), P::T(layout), P::T(sha256)],
    )?
    .i64(0)
}
