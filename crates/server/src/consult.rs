//! Consultations: creation, settings, the life cycle, proposals, the frozen shortlist and the
//! electorate.
//!
//! The life cycle is a line: each phase leads only to the next (see [`Phase`]). A request
//! that needs another phase is refused with 409 `wrong_phase`, saying which phase it needs.

use axum::Json;
use axum::extract::State;

use crate::ApiPath as Path;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use plotwise_api::{
    BallotBox, Consultation, ConsultationOption, ElectorateSummary, LineError, Method,
    NewConsultation, NewProposal, Phase, Proposal, Settings, TieBreak, Transition, Unit,
};
use plotwise_vote::Electorate;
use rusqlite::{Connection, OptionalExtension, params};

use std::net::SocketAddr;

use axum::Extension;
use axum::extract::ConnectInfo;

use crate::auth::{Committee, client_key, take_attempt};
use crate::policy::{Viewer, can_see_consultation};
use crate::util::sha256_hex;
use crate::{ApiJson, AppError, Ctx, audit, blocking};

/// The largest score a score ballot may give.
const MAX_SCORE_LIMIT: u32 = 1000;
/// Proposals accepted from one address per rate-limit window (15 minutes).
const PROPOSALS_PER_WINDOW: i64 = 30;
/// The most options a shortlist may hold.
const MAX_OPTIONS: usize = 26;

/// The option's letter (`A` for 0).
pub(crate) fn label(index: u32) -> String {
    char::from_u32('A' as u32 + index).map_or_else(|| format!("#{index}"), String::from)
}

/// The phase of consultation `id`; 404 when there is none.
pub(crate) fn phase_of(conn: &Connection, id: i64) -> Result<Phase, AppError> {
    let phase: Option<String> = conn
        .prepare_cached("SELECT phase FROM consultations WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let phase = phase.ok_or(AppError::NotFound)?;
    Phase::parse(&phase).ok_or_else(|| AppError::Internal(format!("stored phase {phase:?}")))
}

/// Refuses (409) unless the consultation is in one of `allowed`.
pub(crate) fn require_phase(
    conn: &Connection,
    id: i64,
    allowed: &[Phase],
    what: &str,
) -> Result<Phase, AppError> {
    let phase = phase_of(conn, id)?;
    if allowed.contains(&phase) {
        return Ok(phase);
    }
    let names: Vec<&str> = allowed.iter().map(|p| p.as_str()).collect();
    Err(AppError::wrong_phase(format!(
        "{what} needs the consultation to be {}; it is {}",
        names.join(" or "),
        phase.as_str()
    )))
}

/// Reads the consultation's settings.
pub(crate) fn settings_of(conn: &Connection, id: i64) -> Result<Settings, AppError> {
    let text: String = conn
        .prepare_cached("SELECT settings FROM consultations WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or(AppError::NotFound)?;
    serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("stored settings: {e}")))
}

/// The frozen options, in order.
pub(crate) fn options_of(conn: &Connection, id: i64) -> Result<Vec<ConsultationOption>, AppError> {
    let mut st = conn.prepare_cached(
        "SELECT idx, title, author, sha256 FROM options WHERE consultation_id = ?1 ORDER BY idx",
    )?;
    let rows = st
        .query_map([id], |r| {
            let index: u32 = r.get(0)?;
            Ok(ConsultationOption {
                index,
                label: label(index),
                title: r.get(1)?,
                author: r.get(2)?,
                sha256: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The electorate as stored, in import order.
pub(crate) fn units_of(conn: &Connection, id: i64) -> Result<Vec<Unit>, AppError> {
    let mut st = conn.prepare_cached(
        "SELECT unit, building, area_m2, owner FROM units WHERE consultation_id = ?1 ORDER BY position",
    )?;
    let rows = st
        .query_map([id], |r| {
            Ok(Unit {
                unit: r.get(0)?,
                building: r.get(1)?,
                area_m2: r.get(2)?,
                owner: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The stored electorate as a `plotwise-vote` electorate, by re-reading the stored CSV rows
/// with its parser (so the server never parses areas itself).
pub(crate) fn electorate_of(conn: &Connection, id: i64) -> Result<Option<Electorate>, AppError> {
    let units = units_of(conn, id)?;
    if units.is_empty() {
        return Ok(None);
    }
    let mut csv = String::from("unit,building,area_m2,owner\n");
    for u in &units {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            plotwise_vote::csv::quote(&u.unit),
            plotwise_vote::csv::quote(&u.building),
            u.area_m2,
            plotwise_vote::csv::quote(&u.owner)
        ));
    }
    Electorate::parse_csv(&csv)
        .map(Some)
        .map_err(|e| AppError::Internal(format!("stored electorate: {e}")))
}

fn summary(e: Option<&Electorate>) -> ElectorateSummary {
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

/// Reads a whole consultation.
pub(crate) fn load(conn: &Connection, id: i64) -> Result<Consultation, AppError> {
    let mut c = load_light(conn, id)?;
    c.electorate = summary(electorate_of(conn, id)?.as_ref());
    Ok(c)
}

/// Reads a consultation without summing up its electorate (a default summary instead).
pub(crate) fn load_light(conn: &Connection, id: i64) -> Result<Consultation, AppError> {
    let row: Option<(String, String, String, Option<u32>)> = conn
        .prepare_cached(
            "SELECT title, description, phase, adopted_option FROM consultations WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let (title, description, phase, adopted_option) = row.ok_or(AppError::NotFound)?;
    let phase = Phase::parse(&phase)
        .ok_or_else(|| AppError::Internal(format!("stored phase {phase:?}")))?;
    Ok(Consultation {
        id,
        title,
        description,
        phase,
        settings: settings_of(conn, id)?,
        options: options_of(conn, id)?,
        adopted_option,
        electorate: ElectorateSummary::default(),
        ballot_box: ballot_box_of(conn, id)?,
    })
}

/// The state of the option vote's ballot box.
pub(crate) fn ballot_box_of(conn: &Connection, id: i64) -> Result<BallotBox, AppError> {
    let state: Option<String> = conn
        .prepare_cached("SELECT state FROM ballot_boxes WHERE consultation_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(match state.as_deref() {
        None => BallotBox::None,
        Some("sealed") => BallotBox::Sealed,
        Some("opened") => BallotBox::Opened,
        Some("unsealed") => BallotBox::Unsealed,
        Some(other) => return Err(AppError::Internal(format!("stored box state {other:?}"))),
    })
}

/// Checks settings; the resolution rule is checked by `plotwise-vote`'s parser.
pub(crate) fn check_settings(s: &Settings) -> Result<(), AppError> {
    match (s.method, s.max_score) {
        (Method::Score, Some(m)) if (1..=MAX_SCORE_LIMIT).contains(&m) => {}
        (Method::Score, _) => {
            return Err(AppError::BadRequest(format!(
                "settings.max_score: the score method needs a highest score from 1 to {MAX_SCORE_LIMIT}"
            )));
        }
        (_, Some(_)) => {
            return Err(AppError::BadRequest(
                "settings.max_score: only the score method has a highest score".into(),
            ));
        }
        (_, None) => {}
    }
    let r = &s.resolution;
    plotwise_vote::resolution::Rule::parse(
        &r.rule,
        r.building.as_deref(),
        r.quorum.as_deref(),
        r.pass.as_deref(),
    )
    .map_err(|e| AppError::BadRequest(format!("settings.resolution: {e}")))?;
    Ok(())
}

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
    let list = blocking(&ctx.db, move |conn| {
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM consultations WHERE ?1 OR phase <> 'draft' ORDER BY id")?
            .query_map([committee], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| load(conn, id)).collect()
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
    let c = blocking(&ctx.db, move |conn| {
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO consultations (title, description, phase, settings) VALUES (?1, ?2, 'draft', ?3)",
            params![new.title, new.description, settings],
        )?;
        let id = tx.last_insert_rowid();
        audit(&tx, Some(id), &who.username, "created", &new.title)?;
        let c = load(&tx, id)?;
        tx.commit()?;
        Ok(c)
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
    let viewer = if who.is_ok() {
        Viewer::Committee
    } else {
        Viewer::Public
    };
    Ok(Json(
        blocking(&ctx.db, move |conn| {
            let c = load(conn, id)?;
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
    let c = blocking(&ctx.db, move |conn| {
        let tx = conn.transaction()?;
        require_phase(
            &tx,
            id,
            &[Phase::Draft, Phase::Collecting, Phase::Frozen],
            "changing the rules",
        )?;
        tx.execute(
            "UPDATE consultations SET settings = ?1 WHERE id = ?2",
            params![text, id],
        )?;
        audit(&tx, Some(id), &who.username, "settings_changed", &text)?;
        let c = load(&tx, id)?;
        tx.commit()?;
        Ok(c)
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
    let c = blocking(&ctx.db, move |conn| {
        let tx = conn.transaction()?;
        let phase = phase_of(&tx, id)?;
        if phase.next() != Some(t.to) {
            return Err(AppError::wrong_phase(format!(
                "a consultation that is {} cannot move to {}{}",
                phase.as_str(),
                t.to.as_str(),
                phase
                    .next()
                    .map(|n| format!(" (only to {})", n.as_str()))
                    .unwrap_or_default()
            )));
        }
        let detail = match t.to {
            Phase::Frozen => freeze(&tx, id, &t.proposal_ids)?,
            // These two steps seal and open the ballot box: they have their own requests.
            Phase::Voting => {
                return Err(AppError::wrong_phase(format!(
                    "the vote opens with POST /api/consultations/{id}/open-vote, which seals the ballot box and shows the scrutineers' codes"
                )));
            }
            Phase::Closed => {
                return Err(AppError::wrong_phase(format!(
                    "the vote closes with the count, POST /api/consultations/{id}/count, which opens the ballot box with the scrutineers' codes"
                )));
            }
            Phase::Resolution => {
                let option = crate::results::adopted_option(&tx, id, t.option)?;
                tx.execute(
                    "UPDATE consultations SET adopted_option = ?1 WHERE id = ?2",
                    params![option.0, id],
                )?;
                format!(
                    "option {} put to the formal resolution ({})",
                    label(option.0),
                    option.1
                )
            }
            Phase::Validated => {
                // The committee validates a result that counts: refused (409) if it cannot.
                let r = crate::results::resolution_result(&tx, id)?;
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
        tx.execute(
            "UPDATE consultations SET phase = ?1 WHERE id = ?2",
            params![t.to.as_str(), id],
        )?;
        let action = format!("phase_{}", t.to.as_str());
        audit(&tx, Some(id), &who.username, &action, &detail)?;
        let c = load(&tx, id)?;
        tx.commit()?;
        Ok(c)
    })
    .await?;
    Ok(Json(c))
}

/// Copies the shortlisted proposals' exact layouts into the options.
fn freeze(conn: &Connection, id: i64, proposal_ids: &[i64]) -> Result<String, AppError> {
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
        let row: Option<(String, String, String, String)> = conn
            .query_row(
                "SELECT title, author, layout, sha256 FROM proposals WHERE id = ?1 AND consultation_id = ?2",
                params![pid, id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (title, author, layout, sha) = row.ok_or_else(|| {
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
        conn.execute(
            "INSERT INTO options (consultation_id, idx, proposal_id, title, author, layout, sha256)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, idx as i64, pid, title, author, layout, fresh],
        )?;
        lines.push(format!("{} {}", label(idx as u32), fresh));
    }
    Ok(lines.join("; "))
}

/// `GET /api/consultations/{id}/proposals` (public; a draft's: committee only, else 404).
pub(crate) async fn list_proposals(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Proposal>>, AppError> {
    let viewer = if who.is_ok() {
        Viewer::Committee
    } else {
        Viewer::Public
    };
    let list = blocking(&ctx.db, move |conn| {
        if !can_see_consultation(phase_of(conn, id)?, viewer) {
            return Err(AppError::NotFound);
        }
        let rows = conn
            .prepare(
                "SELECT id, title, author, sha256 FROM proposals WHERE consultation_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                Ok(Proposal {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    author: r.get(2)?,
                    sha256: r.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await?;
    Ok(Json(list))
}

/// `POST /api/consultations/{id}/proposals` (public, while collecting).
pub(crate) async fn submit_proposal(
    State(ctx): State<Ctx>,
    Path(id): Path<i64>,
    addr: Option<Extension<ConnectInfo<SocketAddr>>>,
    ApiJson(p): ApiJson<NewProposal>,
) -> Result<Json<Proposal>, AppError> {
    let limit_key = format!("proposal:{}", client_key(addr));
    check_text("title", &p.title, 200, true)?;
    check_text("author", &p.author, 100, true)?;
    if !p.layout.is_object() {
        return Err(AppError::BadRequest("layout: must be a JSON object".into()));
    }
    let layout = serde_json::to_string(&p.layout).map_err(|e| AppError::Internal(e.to_string()))?;
    // A proposal is a layout document: as bounded as any layout file.
    plotwise_plan::limits::precheck_json(&layout, plotwise_plan::limits::JsonKind::LayoutDocument)?;
    let sha = sha256_hex(layout.as_bytes());
    let proposal = blocking(&ctx.db, move |conn| {
        let tx = conn.transaction()?;
        require_phase(&tx, id, &[Phase::Collecting], "submitting a proposal")?;
        if take_attempt(&tx, &[(limit_key.as_str(), PROPOSALS_PER_WINDOW)])?.is_none() {
            return Err(AppError::TooManyRequests);
        }
        tx.execute(
            "INSERT INTO proposals (consultation_id, title, author, layout, sha256) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, p.title, p.author, layout, sha],
        )?;
        let pid = tx.last_insert_rowid();
        audit(&tx, Some(id), &p.author, "proposal_submitted", &format!("{pid} {sha}"))?;
        tx.commit()?;
        Ok(Proposal {
            id: pid,
            title: p.title,
            author: p.author,
            sha256: sha,
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
    let layout: String = blocking(&ctx.db, move |conn| {
        conn.query_row(
            "SELECT layout FROM options WHERE consultation_id = ?1 AND idx = ?2",
            params![id, index],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(([(CONTENT_TYPE, "application/json")], layout))
}

/// `GET /api/consultations/{id}/comparison` ([`plotwise_api::OptionComparison`]): the frozen
/// options measured side by side (public, like their layouts). The options are frozen, so the
/// comparison is computed once per set of option digests, in the file-job pool (it runs every
/// rule, sun included, on every option), and then answered from memory as its JSON.
pub(crate) async fn option_comparison(
    State(ctx): State<Ctx>,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    type Key = (i64, Vec<String>);
    static MEMO: std::sync::Mutex<Vec<(Key, std::sync::Arc<str>)>> =
        std::sync::Mutex::new(Vec::new());
    /// Comparisons kept (one per consultation whose home is being read).
    const KEPT: usize = 16;

    let db = ctx.db.clone();
    let digests: Vec<String> = blocking(&ctx.db, move |conn| {
        let mut st = conn
            .prepare_cached("SELECT sha256 FROM options WHERE consultation_id = ?1 ORDER BY idx")?;
        let rows = st.query_map(params![id], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<String>, _>>()?)
    })
    .await?;
    if digests.is_empty() {
        return Err(AppError::NotFound);
    }
    let key: Key = (id, digests);
    let hit = {
        let m = MEMO.lock().unwrap_or_else(|p| p.into_inner());
        m.iter().find(|(k, _)| *k == key).map(|(_, c)| c.clone())
    };
    let json = match hit {
        Some(json) => json,
        None => {
            let layouts: Vec<(u32, String)> = blocking(&db, move |conn| {
                let mut st = conn.prepare_cached(
                    "SELECT idx, layout FROM options WHERE consultation_id = ?1 ORDER BY idx",
                )?;
                let rows = st.query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<Vec<(u32, String)>, _>>()?)
            })
            .await?;
            let json: std::sync::Arc<str> = crate::layout_files::file_job(move || {
                let table = crate::layout_files::compare_options(&layouts);
                serde_json::to_string(&table)
                    .map(Into::into)
                    .map_err(|e| AppError::Internal(e.to_string()))
            })
            .await?;
            let mut m = MEMO.lock().unwrap_or_else(|p| p.into_inner());
            if m.len() >= KEPT {
                m.remove(0);
            }
            m.push((key, json.clone()));
            json
        }
    };
    Ok(([(CONTENT_TYPE, "application/json")], json.to_string()))
}

/// `GET /api/consultations/{id}/electorate` (committee).
pub(crate) async fn get_electorate(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Unit>>, AppError> {
    let units = blocking(&ctx.db, move |conn| {
        phase_of(conn, id)?;
        units_of(conn, id)
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
    let s = summary(Some(&electorate));
    let detail = format!(
        "{} units, {} buildings, {} m²",
        s.units, s.buildings, s.total_area_m2
    );
    // Keep each area exactly as written (trimmed), for the register and the exports.
    let areas: Vec<String> = electorate
        .units()
        .iter()
        .map(|u| plotwise_vote::electorate::decimal_string(&u.area))
        .collect();
    blocking(&ctx.db, move |conn| {
        let tx = conn.transaction()?;
        require_phase(
            &tx,
            id,
            &[Phase::Draft, Phase::Collecting, Phase::Frozen],
            "importing the electorate",
        )?;
        let revoked = tx.execute("DELETE FROM tokens WHERE consultation_id = ?1", [id])?;
        let detail = if revoked > 0 {
            format!("{detail}; {revoked} earlier ballot tokens revoked")
        } else {
            detail
        };
        tx.execute("DELETE FROM units WHERE consultation_id = ?1", [id])?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO units (consultation_id, unit, building, area_m2, owner, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for (i, (u, area)) in electorate.units().iter().zip(&areas).enumerate() {
                ins.execute(params![id, u.id, u.building, area, u.owner, i as i64])?;
            }
        }
        audit(&tx, Some(id), &who.username, "electorate_imported", &detail)?;
        tx.commit()?;
        Ok(())
    })
    .await?;
    Ok(Json(s))
}

/// The tie-break rule of `plotwise-vote` for these settings and options.
pub(crate) fn vote_tie_break(t: &TieBreak, names: &[String]) -> Option<plotwise_vote::TieBreak> {
    match t {
        TieBreak::Committee => None,
        TieBreak::Seed { seed } => Some(plotwise_vote::TieBreak::Seed(*seed)),
        TieBreak::ShortlistOrder => Some(plotwise_vote::TieBreak::Order(names.to_vec())),
    }
}
