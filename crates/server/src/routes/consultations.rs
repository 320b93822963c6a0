//! Consultations: creation, settings, the life cycle, proposals, the frozen shortlist and the
//! electorate.
//!
//! The life cycle is a line: each phase leads only to the next (see [`Phase`] and
//! [`crate::policy::transition`]). A request that needs another phase is refused with 409
//! `wrong_phase`, saying which phase it needs.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use plotwise_api::{
    Consultation, ElectorateSummary, LineError, NewConsultation, NewProposal, Phase, Proposal,
    Settings, Transition, Unit,
};
use plotwise_vote::Electorate;
use serde_json::{Map, Value};

use crate::ballot::check_settings;
use crate::ctx::{ApiJson, ApiPath as Path, Committee, Ctx, client_key, viewer};
use crate::error::AppError;
use crate::policy::{self, BEFORE_THE_VOTE, can_see_consultation};
use crate::store::{Tx, audit, consultations, limits};
use crate::tally;
use crate::util::{label, sha256_hex};

/// Proposals accepted from one address per rate-limit window (15 minutes).
const PROPOSALS_PER_WINDOW: i64 = 30;
/// The most options a shortlist may hold.
const MAX_OPTIONS: usize = 26;

fn check_text(field: &str, s: &str, max: usize, required: bool) -> Result<(), AppError> {
    if required && s.trim().is_empty() {
        return Err(AppError::BadRequest(format!("{field}: must not be empty")));
    }
    if s.chars().count() > max {
        return Err(AppError::BadRequest(format!(
            "{field}: at most {max} characters"
        )));
    }
    Ok(())
}

/// `GET /api/consultations` (public; drafts only for the committee).
pub(crate) async fn list(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
) -> Result<Json<Vec<Consultation>>, AppError> {
    let committee = who.is_ok();
    let list = ctx
        .store
        .read(move |tx| {
            consultations::ids(tx, committee)?
                .into_iter()
                .map(|id| consultations::load(tx, id))
                .collect()
        })
        .await?;
    Ok(Json(list))
}

/// `POST /api/consultations` (committee).
pub(crate) async fn create(
    State(ctx): State<Ctx>,
    who: Committee,
    ApiJson(new): ApiJson<NewConsultation>,
) -> Result<Json<Consultation>, AppError> {
    check_text("title", &new.title, 200, true)?;
    check_text("description", &new.description, 10_000, false)?;
    check_settings(&new.settings)?;
    let settings =
        serde_json::to_string(&new.settings).map_err(|e| AppError::Internal(e.to_string()))?;
    let c = ctx
        .store
        .write(move |tx| {
            let id = consultations::create(tx, &new.title, &new.description, &settings)?;
            audit::log(tx, Some(id), &who.username, "created", &new.title)?;
            consultations::load(tx, id)
        })
        .await?;
    Ok(Json(c))
}

/// `GET /api/consultations/{id}` (public; a draft only for the committee).
pub(crate) async fn get_one(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<Consultation>, AppError> {
    let viewer = viewer(&who);
    Ok(Json(
        ctx.store
            .read(move |tx| {
                let c = consultations::load(tx, id)?;
                if !can_see_consultation(c.phase, viewer) {
                    return Err(AppError::NotFound);
                }
                Ok(c)
            })
            .await?,
    ))
}

/// `PUT /api/consultations/{id}/settings` (committee; before the vote opens).
pub(crate) async fn update_settings(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(settings): ApiJson<Settings>,
) -> Result<Json<Consultation>, AppError> {
    check_settings(&settings)?;
    let text = serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
    let c = ctx
        .store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, &BEFORE_THE_VOTE, "changing the rules")?;
            consultations::set_settings(tx, id, &text)?;
            audit::log(tx, Some(id), &who.username, "settings_changed", &text)?;
            consultations::load(tx, id)
        })
        .await?;
    Ok(Json(c))
}

/// `POST /api/consultations/{id}/transition` (committee): to the next phase only.
pub(crate) async fn transition(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(t): ApiJson<Transition>,
) -> Result<Json<Consultation>, AppError> {
    let c = ctx
        .store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::transition(phase, t.to, id)?;
            let detail = match t.to {
                Phase::Frozen => freeze(tx, id, &t.proposal_ids)?,
                Phase::Resolution => {
                    let (option, how) = tally::adopted_option(tx, id, t.option)?;
                    consultations::set_adopted(tx, id, option)?;
                    format!(
                        "option {} put to the formal resolution ({how})",
                        label(option)
                    )
                }
                Phase::Validated => {
                    // The committee validates a result that counts: refused (409) if it cannot.
                    let r = tally::resolution_result(tx, id)?;
                    format!(
                        "resolution {}: yes {}, no {}, abstain {}; quorum met {}; approval area {}, headcount {}",
                        if r.passed { "passed" } else { "not passed" },
                        r.yes,
                        r.no,
                        r.abstain,
                        r.quorum_met,
                        r.approval_area,
                        r.approval_headcount
                    )
                }
                _ => String::new(),
            };
            consultations::set_phase(tx, id, t.to)?;
            let action = format!("phase_{}", t.to.as_str());
            audit::log(tx, Some(id), &who.username, &action, &detail)?;
            consultations::load(tx, id)
        })
        .await?;
    Ok(Json(c))
}

/// Copies the shortlisted proposals' exact layouts into the options.
fn freeze(tx: &mut dyn Tx, id: i64, proposal_ids: &[i64]) -> Result<String, AppError> {
    if proposal_ids.len() < 2 || proposal_ids.len() > MAX_OPTIONS {
        return Err(AppError::BadRequest(format!(
            "proposal_ids: a shortlist has 2 to {MAX_OPTIONS} proposals"
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut lines = Vec::new();
    for (idx, &pid) in proposal_ids.iter().enumerate() {
        if !seen.insert(pid) {
            return Err(AppError::BadRequest(format!(
                "proposal_ids: proposal {pid} is listed twice"
            )));
        }
        let (title, author, layout, sha) =
            consultations::proposal(tx, id, pid)?.ok_or_else(|| {
                AppError::BadRequest(format!(
                    "proposal_ids: proposal {pid} is not a proposal of this consultation"
                ))
            })?;
        // The hash is recomputed from the bytes being frozen, not trusted from earlier.
        let fresh = sha256_hex(layout.as_bytes());
        if fresh != sha {
            return Err(AppError::Internal(format!(
                "proposal {pid}: stored hash does not match its layout"
            )));
        }
        let idx = idx as u32;
        consultations::add_option(tx, id, idx, pid, (&title, &author, &layout, &fresh))?;
        lines.push(format!("{} {}", label(idx), fresh));
    }
    Ok(lines.join("; "))
}

/// `GET /api/consultations/{id}/proposals` (public; a draft's: committee only, else 404).
pub(crate) async fn list_proposals(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Proposal>>, AppError> {
    let viewer = viewer(&who);
    let list = ctx
        .store
        .read(move |tx| {
            if !can_see_consultation(consultations::phase(tx, id)?, viewer) {
                return Err(AppError::NotFound);
            }
            Ok(consultations::proposals(tx, id)?)
        })
        .await?;
    Ok(Json(list))
}

/// `POST /api/consultations/{id}/proposals` (public, while collecting).
pub(crate) async fn submit_proposal(
    State(ctx): State<Ctx>,
    Path(id): Path<i64>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(p): ApiJson<NewProposal<Map<String, Value>>>,
) -> Result<Json<Proposal>, AppError> {
    let limit_key = format!("proposal:{}", client_key(addr));
    check_text("title", &p.title, 200, true)?;
    check_text("author", &p.author, 100, true)?;
    // The layout is any JSON object here (plan's bounds are checked on its text below); it is
    // stored as the server writes it (compact, keys in order), whatever spacing the client sent.
    let layout = serde_json::to_string(&p.layout).map_err(|e| AppError::Internal(e.to_string()))?;
    // A proposal is a layout document: as bounded as any layout file.
    plotwise_plan::limits::precheck_json(&layout, plotwise_plan::limits::JsonKind::LayoutDocument)?;
    let sha = sha256_hex(layout.as_bytes());
    let (title, author) = (p.title, p.author);
    let proposal = ctx
        .store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, &[Phase::Collecting], "submitting a proposal")?;
            if limits::take(tx, &[(limit_key.as_str(), PROPOSALS_PER_WINDOW)])?.is_none() {
                return Err(AppError::TooManyRequests);
            }
            let pid = consultations::add_proposal(tx, id, &title, &author, &layout, &sha)?;
            audit::log(
                tx,
                Some(id),
                &author,
                "proposal_submitted",
                &format!("{pid} {sha}"),
            )?;
            Ok(Proposal {
                id: pid,
                title: title.clone(),
                author: author.clone(),
                sha256: sha.clone(),
            })
        })
        .await?;
    Ok(Json(proposal))
}

/// `GET /api/consultations/{id}/options/{index}/layout` (public): the frozen bytes.
pub(crate) async fn option_layout(
    State(ctx): State<Ctx>,
    Path((id, index)): Path<(i64, u32)>,
) -> Result<impl IntoResponse, AppError> {
    let layout = ctx
        .store
        .read(move |tx| consultations::option_layout(tx, id, index)?.ok_or(AppError::NotFound))
        .await?;
    Ok(([(CONTENT_TYPE, "application/json")], layout))
}

/// `GET /api/consultations/{id}/electorate` (committee).
pub(crate) async fn get_electorate(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Unit>>, AppError> {
    let units = ctx
        .store
        .read(move |tx| {
            consultations::phase(tx, id)?;
            Ok(consultations::units(tx, id)?)
        })
        .await?;
    Ok(Json(units))
}

/// `PUT /api/consultations/{id}/electorate` (committee; before the vote opens): replaces the
/// electorate with the CSV `unit,building,area_m2,owner`, all or nothing.
pub(crate) async fn import_electorate(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Json<ElectorateSummary>, AppError> {
    let Ok(body) = std::str::from_utf8(&body) else {
        // Spreadsheets in China often save CSV as GBK; say how to fix it.
        return Err(AppError::BadRequest(
            "the electorate file is not UTF-8 text: save it as \"CSV UTF-8\" (逗号分隔 UTF-8)"
                .into(),
        ));
    };
    // Parsing (by plotwise-vote) happens before the database is touched.
    let electorate = Electorate::parse_csv(body).map_err(|errs| AppError::InvalidFile {
        message: format!("the electorate has errors: {errs}"),
        errors: errs
            .0
            .iter()
            .map(|e| LineError {
                line: e.line as u64,
                message: e.kind.to_string(),
            })
            .collect(),
    })?;
    let s = consultations::summary(Some(&electorate));
    let detail = format!(
        "{} units, {} buildings, {} m²",
        s.units, s.buildings, s.total_area_m2
    );
    ctx.store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, &BEFORE_THE_VOTE, "importing the electorate")?;
            // Keep each area exactly as written (trimmed), for the register and the exports.
            let units: Vec<_> = electorate
                .units()
                .iter()
                .map(|u| (u, plotwise_vote::electorate::decimal_string(&u.area)))
                .collect();
            let revoked = consultations::replace_electorate(tx, id, &units)?;
            let detail = if revoked > 0 {
                format!("{detail}; {revoked} earlier ballot tokens revoked")
            } else {
                detail.clone()
            };
            audit::log(tx, Some(id), &who.username, "electorate_imported", &detail)?;
            Ok(())
        })
        .await?;
    Ok(Json(s))
}
