//! Results, audit exports and the audit log. Every count and every threshold is
//! `plotwise-vote`'s: this module only reads the stored ballots into its types.

use axum::Json;
use axum::extract::State;

use crate::ApiPath as Path;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use plotwise_api::{
    AuditEntry, Choice, Digests, OptionBallot, OptionResult, Participation, Phase,
    ResolutionResult, Results, Round, Settings, TieBreak,
};
use plotwise_vote::preflib::{PreflibKind, PreflibMeta};
use plotwise_vote::{
    Approval, Electorate, HeadcountRule, Lang, Outcome, Profile, ProfileBuilder, Ranking, Rule,
    Scores, TieBreakRecord, Votes,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::auth::Committee;
use crate::ballots::vote_method;
use crate::consult::{
    electorate_of, label, load, options_of, phase_of, settings_of, vote_tie_break,
};
use crate::policy::{
    Viewer, can_see_results, option_ballots_visible, register_visible,
    resolution_participation_visible, resolution_result_visible,
};
use crate::tokens::token_hmac;
use crate::util::{html_escape, normalize_token, sha256_hex};
use crate::{AppError, Ctx, blocking};
use std::collections::HashMap;
use std::sync::Arc;

/// Days after publication during which the compound's owners may read the signed register
/// with one of their ballot tokens (the notice period of the result); the committee always
/// may.
pub(crate) const REGISTER_NOTICE_DAYS: i64 = 30;

/// The stored option ballots as a profile of the method's ballot kind.
enum Ballots {
    Ranked(Profile<Ranking>),
    Approval(Profile<Approval>),
    Scores(Profile<Scores>),
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

fn option_names(conn: &Connection, id: i64) -> Result<Vec<String>, AppError> {
    Ok(options_of(conn, id)?.into_iter().map(|o| o.label).collect())
}

fn load_ballots(conn: &Connection, id: i64, settings: &Settings) -> Result<Ballots, AppError> {
    let names = option_names(conn, id)?;
    if names.is_empty() {
        return Err(AppError::wrong_phase(
            "the consultation has no frozen options",
        ));
    }
    let m = names.len();
    let mut st =
        conn.prepare("SELECT ballot FROM option_ballots WHERE consultation_id = ?1 ORDER BY id")?;
    let rows = st.query_map([id], |r| r.get::<_, String>(0))?;
    let kind = vote_method(settings.method).ballot_kind();
    let mut ranked = ProfileBuilder::<Ranking>::new(names.clone()).map_err(internal)?;
    let mut approval = ProfileBuilder::<Approval>::new(names.clone()).map_err(internal)?;
    let mut scores = ProfileBuilder::<Scores>::new(names).map_err(internal)?;
    for row in rows {
        let b: OptionBallot = serde_json::from_str(&row?).map_err(internal)?;
        let to_usize = |v: &[u32]| v.iter().map(|&a| a as usize).collect::<Vec<_>>();
        match (b, kind) {
            (OptionBallot::Ranking { groups }, plotwise_vote::BallotKind::Ranked) => {
                let r = Ranking::new(groups.iter().map(|g| to_usize(g)), m).map_err(internal)?;
                ranked.add_one(&r).map_err(internal)?;
            }
            (OptionBallot::Approval { approved }, plotwise_vote::BallotKind::Approval) => {
                let a = Approval::new(to_usize(&approved), m).map_err(internal)?;
                approval.add_one(&a).map_err(internal)?;
            }
            (OptionBallot::Scores { scores: s }, plotwise_vote::BallotKind::Score) => {
                scores.add_one(&Scores::new(s)).map_err(internal)?;
            }
            _ => return Err(internal("a stored ballot does not match the method")),
        }
    }
    Ok(match kind {
        plotwise_vote::BallotKind::Ranked => Ballots::Ranked(ranked.build()),
        plotwise_vote::BallotKind::Approval => Ballots::Approval(approval.build()),
        plotwise_vote::BallotKind::Score => Ballots::Scores(scores.build()),
    })
}

fn count(ballots: &Ballots, settings: &Settings) -> Result<Outcome, AppError> {
    Ok(match ballots {
        Ballots::Ranked(p) => {
            plotwise_vote::count_ranked(vote_method(settings.method), p).map_err(internal)?
        }
        Ballots::Approval(p) => plotwise_vote::approval(p),
        Ballots::Scores(p) => plotwise_vote::score(p),
    })
}

/// Counts the option vote and breaks a tie by the rule chosen before the vote (or by the
/// committee's recorded decision, `decision`).
fn count_and_break(
    conn: &Connection,
    id: i64,
    decision: Option<u32>,
) -> Result<(Outcome, Option<TieBreakRecord>), AppError> {
    let settings = settings_of(conn, id)?;
    let ballots = load_ballots(conn, id, &settings)?;
    let outcome = count(&ballots, &settings)?;
    let rule = match (&settings.tie_break, decision) {
        (TieBreak::Committee, Some(d)) => Some(plotwise_vote::TieBreak::Decision(label(d))),
        (t, _) => vote_tie_break(t, &outcome.alternatives),
    };
    let record = match rule {
        Some(rule) => plotwise_vote::break_tie(&outcome, &rule)
            .map_err(|e| AppError::BadRequest(format!("tie-break: {e}")))?,
        None => None,
    };
    Ok((outcome, record))
}

/// The option put to the formal resolution: the single winner, or the winner after the
/// tie-break chosen before the vote, or (tie-break by the committee) `requested`, which must be
/// one of the tied winners. Returns the option and how it was chosen.
pub(crate) fn adopted_option(
    conn: &Connection,
    id: i64,
    requested: Option<u32>,
) -> Result<(u32, String), AppError> {
    let settings = settings_of(conn, id)?;
    let committee = settings.tie_break == TieBreak::Committee;
    let (outcome, record) = count_and_break(conn, id, if committee { requested } else { None })?;
    let winner = match (&record, outcome.winner_indices.as_slice()) {
        (Some(r), _) => outcome.index_of_name(r.winner()),
        (None, [one]) => Some(*one),
        (None, _) => None,
    };
    let Some(winner) = winner.and_then(|w| u32::try_from(w).ok()) else {
        return Err(AppError::Conflict {
            code: "tie",
            message: format!(
                "the option vote is tied between {}; name the committee's choice in \"option\"",
                outcome.winners.join(", ")
            ),
        });
    };
    if let Some(r) = requested
        && r != winner
    {
        return Err(AppError::BadRequest(format!(
            "option: {} is not the winner of the option vote ({})",
            label(r),
            label(winner)
        )));
    }
    let how = match &record {
        None => "the winner of the option vote".to_owned(),
        Some(TieBreakRecord::Decision { .. }) => "tie broken by the committee's decision".into(),
        Some(TieBreakRecord::Order { .. }) => "tie broken by the shortlist order".into(),
        Some(TieBreakRecord::Seed { seed, .. }) => {
            format!("tie broken by the published seed {seed}")
        }
    };
    Ok((winner, how))
}

trait IndexOfName {
    fn index_of_name(&self, name: &str) -> Option<usize>;
}

impl IndexOfName for Outcome {
    fn index_of_name(&self, name: &str) -> Option<usize> {
        self.alternatives.iter().position(|n| n == name)
    }
}

fn vote_rule(settings: &Settings) -> Result<Rule, AppError> {
    let r = &settings.resolution;
    Rule::parse(
        &r.rule,
        r.building.as_deref(),
        r.quorum.as_deref(),
        r.pass.as_deref(),
    )
    .map_err(|e| AppError::BadRequest(format!("settings.resolution: {e}")))
}

fn headcount(settings: &Settings) -> HeadcountRule {
    match settings.headcount {
        plotwise_api::Headcount::Owner => HeadcountRule::Owner,
        plotwise_api::Headcount::Unit => HeadcountRule::Unit,
    }
}

/// Participation in `round`, measured by `plotwise-vote` against the rule's quorum (every
/// participating unit counted as taking part).
fn participation(
    conn: &Connection,
    id: i64,
    round: Round,
    electorate: &Electorate,
    settings: &Settings,
) -> Result<Participation, AppError> {
    let mut st = conn.prepare(
        "SELECT unit, channel FROM participation WHERE consultation_id = ?1 AND round = ?2",
    )?;
    let rows: Vec<(String, String)> = st
        .query_map(params![id, round.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let online = rows.iter().filter(|(_, c)| c == "online").count() as u64;
    let votes = Votes::new(
        electorate,
        rows.iter()
            .map(|(u, _)| (u.clone(), plotwise_vote::Choice::Abstain)),
    )
    .map_err(internal)?;
    let rule = vote_rule(settings)?;
    let r =
        plotwise_vote::evaluate(&rule, electorate, &votes, headcount(settings)).map_err(|e| {
            AppError::Conflict {
                code: "cannot_count",
                message: e.to_string(),
            }
        })?;
    Ok(Participation {
        units_voted: rows.len() as u64,
        online,
        paper: rows.len() as u64 - online,
        units_total: electorate.units().len() as u64,
        area: r.participation.area.to_string(),
        headcount: r.participation.headcount.to_string(),
        quorum: rule
            .quorum()
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(","),
        quorum_met: r.quorum_met,
    })
}

fn register(conn: &Connection, id: i64) -> Result<Vec<(String, Choice)>, AppError> {
    let mut st = conn.prepare(
        "SELECT v.unit, v.choice FROM resolution_votes v JOIN units u
           ON u.consultation_id = v.consultation_id AND u.unit = v.unit
         WHERE v.consultation_id = ?1 ORDER BY u.position",
    )?;
    let rows = st
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .map(|r| {
            let (u, c) = r?;
            let c = match c.as_str() {
                "yes" => Choice::Yes,
                "no" => Choice::No,
                _ => Choice::Abstain,
            };
            Ok((u, c))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(rows)
}

fn vote_choice(c: Choice) -> plotwise_vote::Choice {
    match c {
        Choice::Yes => plotwise_vote::Choice::Yes,
        Choice::No => plotwise_vote::Choice::No,
        Choice::Abstain => plotwise_vote::Choice::Abstain,
    }
}

/// The formal resolution decided by `plotwise-vote`.
pub(crate) fn resolution_result(conn: &Connection, id: i64) -> Result<ResolutionResult, AppError> {
    let settings = settings_of(conn, id)?;
    let electorate = electorate_of(conn, id)?
        .ok_or_else(|| AppError::wrong_phase("the consultation has no electorate"))?;
    let reg = register(conn, id)?;
    let votes = Votes::new(
        &electorate,
        reg.iter().map(|(u, c)| (u.clone(), vote_choice(*c))),
    )
    .map_err(internal)?;
    let rule = vote_rule(&settings)?;
    let r =
        plotwise_vote::evaluate(&rule, &electorate, &votes, headcount(&settings)).map_err(|e| {
            AppError::Conflict {
                code: "cannot_count",
                message: e.to_string(),
            }
        })?;
    let n = |c: Choice| reg.iter().filter(|(_, x)| *x == c).count() as u64;
    Ok(ResolutionResult {
        rule: settings.resolution.clone(),
        yes: n(Choice::Yes),
        no: n(Choice::No),
        abstain: n(Choice::Abstain),
        quorum_met: r.quorum_met,
        passed: r.passed,
        approval_area: r.approval.area.to_string(),
        approval_headcount: r.approval.headcount.to_string(),
    })
}

/// The option ballots as CSV (`plotwise-vote`'s writer): one row per ballot, in an order
/// that depends only on the ballots.
fn ballots_csv(conn: &Connection, id: i64) -> Result<String, AppError> {
    let settings = settings_of(conn, id)?;
    Ok(match load_ballots(conn, id, &settings)? {
        Ballots::Ranked(p) => plotwise_vote::csv::write_ranked(&p),
        Ballots::Approval(p) => plotwise_vote::csv::write_approval(&p),
        Ballots::Scores(p) => plotwise_vote::csv::write_scores(&p),
    })
}

/// The register as CSV: `unit,building,area_m2,owner,choice`, in electorate order, each
/// text cell through `plotwise-csv` (quoting and the formula guard: owner names and unit ids
/// come from the committee's file).
fn register_csv(conn: &Connection, id: i64) -> Result<String, AppError> {
    let mut st = conn.prepare(
        "SELECT u.unit, u.building, u.area_m2, u.owner, v.choice FROM resolution_votes v JOIN units u
           ON u.consultation_id = v.consultation_id AND u.unit = v.unit
         WHERE v.consultation_id = ?1 ORDER BY u.position",
    )?;
    let mut out = String::new();
    plotwise_csv::push_row(
        &mut out,
        &["unit", "building", "area_m2", "owner", "choice"],
    );
    let rows = st.query_map([id], |r| {
        Ok([
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ])
    })?;
    for row in rows {
        let [unit, building, area, owner, choice] = row?;
        plotwise_csv::push_row(
            &mut out,
            &[
                plotwise_csv::text(&unit),
                plotwise_csv::text(&building),
                plotwise_csv::number(&area).into(),
                plotwise_csv::text(&owner),
                plotwise_csv::number(&choice).into(),
            ],
        );
    }
    Ok(out)
}

/// The receipt codes of the counted online ballots, sorted.
fn receipt_codes(conn: &Connection, id: i64) -> Result<Vec<String>, AppError> {
    let codes = conn
        .prepare("SELECT code FROM receipts WHERE consultation_id = ?1 ORDER BY code")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(codes)
}

/// The receipt list as digested: one code per line.
fn receipts_text(codes: &[String]) -> String {
    codes.iter().map(|c| format!("{c}\n")).collect()
}

/// The digests `who` may see in `phase` (see [`crate::policy`]).
fn digests(conn: &Connection, id: i64, phase: Phase, who: Viewer) -> Result<Digests, AppError> {
    let mut lines = String::new();
    for o in options_of(conn, id)? {
        lines.push_str(&format!("{} {} {}\n", o.index, o.label, o.sha256));
    }
    let ballots_open = option_ballots_visible(phase, who) && !lines.is_empty();
    Ok(Digests {
        options_sha256: sha256_hex(lines.as_bytes()),
        option_ballots_sha256: if ballots_open {
            Some(sha256_hex(ballots_csv(conn, id)?.as_bytes()))
        } else {
            None
        },
        receipts_sha256: if ballots_open {
            Some(sha256_hex(
                receipts_text(&receipt_codes(conn, id)?).as_bytes(),
            ))
        } else {
            None
        },
        resolution_register_sha256: if resolution_result_visible(phase, who) {
            Some(sha256_hex(register_csv(conn, id)?.as_bytes()))
        } else {
            None
        },
    })
}

/// Everything on the result sheet that `who` may see, for the phase the consultation is in.
pub(crate) fn compute(conn: &Connection, id: i64, who: Viewer) -> Result<Results, AppError> {
    let c = load(conn, id)?;
    let settings = &c.settings;
    let electorate = electorate_of(conn, id)?
        .ok_or_else(|| AppError::wrong_phase("the consultation has no electorate yet"))?;
    let option_participation = participation(conn, id, Round::Option, &electorate, settings)?;
    let option_result = if option_ballots_visible(c.phase, who) {
        let (outcome, record) = count_and_break(conn, id, c.adopted_option)?;
        Some(OptionResult {
            method: settings.method,
            ballots: outcome.voters,
            winners: outcome
                .winner_indices
                .iter()
                .filter_map(|&w| u32::try_from(w).ok())
                .collect(),
            tie_broken_by: record
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(internal)?,
            explanation: serde_json::to_value(&outcome.explanation).map_err(internal)?,
            explanation_text: format!(
                "{}\n\n{}",
                plotwise_vote::render(&outcome, record.as_ref(), Lang::ZhCn),
                plotwise_vote::render(&outcome, record.as_ref(), Lang::En)
            ),
        })
    } else {
        None
    };
    let resolution_participation = if resolution_participation_visible(c.phase, who) {
        Some(participation(
            conn,
            id,
            Round::Resolution,
            &electorate,
            settings,
        )?)
    } else {
        None
    };
    let resolution = if resolution_result_visible(c.phase, who) {
        Some(resolution_result(conn, id)?)
    } else {
        None
    };
    Ok(Results {
        consultation_id: id,
        phase: c.phase,
        option_participation,
        counted: if option_ballots_visible(c.phase, who) {
            crate::count::count_summary(conn, id)?
        } else {
            None
        },
        option_result,
        resolution_participation,
        resolution,
        receipts: if option_ballots_visible(c.phase, who) {
            Some(receipt_codes(conn, id)?)
        } else {
            None
        },
        digests: digests(conn, id, c.phase, who)?,
    })
}

/// `GET /api/consultations/{id}/results`: the committee from the vote's opening on; everyone
/// once published.
pub(crate) async fn results(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<Results>, AppError> {
    let who = viewer(&who);
    let cache = ctx.results.clone();
    let r = blocking(&ctx.db, move |conn| {
        let phase = phase_of(conn, id)?;
        if !can_see_results(phase, who) {
            return Err(if who == Viewer::Committee {
                AppError::wrong_phase("results exist once the option vote is open")
            } else {
                AppError::Unauthorized("the results are not published yet".into())
            });
        }
        cached(&cache, conn, id, phase, who)
    })
    .await?;
    Ok(Json((*r).clone()))
}

/// The results once computed for a phase in which they cannot change any more (closed,
/// validated, published: no ballot comes in), so public reads of a published result do not
/// recount under the database lock. Keyed by phase, so a phase change is a new entry.
#[derive(Clone, Default)]
pub(crate) struct ResultsCache(Arc<std::sync::Mutex<HashMap<ResultsKey, Arc<Results>>>>);

/// A consultation, its phase, and who asks.
type ResultsKey = (i64, Phase, Viewer);

/// The results of `id` in `phase` for `who`, from the cache when they are final.
fn cached(
    cache: &ResultsCache,
    conn: &Connection,
    id: i64,
    phase: Phase,
    who: Viewer,
) -> Result<Arc<Results>, AppError> {
    let fin = matches!(phase, Phase::Closed | Phase::Validated | Phase::Published);
    let key = (id, phase, who);
    if fin
        && let Some(r) = cache
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
    {
        return Ok(r.clone());
    }
    let r = Arc::new(compute(conn, id, who)?);
    if fin {
        let mut map = cache
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Final results are small; a server holds few consultations. Bound it anyway.
        if map.len() > 4096 {
            map.clear();
        }
        map.insert(key, r.clone());
    }
    Ok(r)
}

/// `GET /api/consultations/{id}/export/{file}`.
pub(crate) async fn export(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    headers: HeaderMap,
    Path((id, file)): Path<(i64, String)>,
) -> Result<impl IntoResponse, AppError> {
    let committee = who.is_ok();
    let viewer = self::viewer(&who);
    let owner_token = headers
        .get("x-ballot-token")
        .and_then(|v| v.to_str().ok())
        .and_then(normalize_token);
    let ctx2 = ctx.clone();
    let (content_type, body) = blocking(&ctx.db, move |conn| {
        let phase = phase_of(conn, id)?;
        if file == "register.csv" {
            // Signed votes: the committee, and the compound's owners (a token of theirs for
            // this consultation) during the notice period; each owner's reading is logged.
            let owner_unit: Option<String> = match owner_token {
                Some(t) => {
                    let key = ctx2.ballot_key(conn)?;
                    conn.query_row(
                        "SELECT unit FROM tokens WHERE hmac = ?1 AND consultation_id = ?2",
                        params![token_hmac(&key, &t).as_slice(), id],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()?
                }
                None => None,
            };
            if !(committee || owner_unit.is_some()) {
                return Err(AppError::Unauthorized(
                    "the register is shown only to the committee and the compound's owners".into(),
                ));
            }
            if !register_visible(phase, true) {
                return Err(AppError::wrong_phase(
                    "the register is shown once the result is validated",
                ));
            }
            if let (false, Some(unit)) = (committee, &owner_unit) {
                let published: Option<String> = conn
                    .query_row(
                        "SELECT at FROM audit_log WHERE consultation_id = ?1 AND action = 'phase_published'
                         ORDER BY id DESC LIMIT 1",
                        [id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(at) = &published {
                    let over: bool = conn.query_row(
                        "SELECT julianday('now') - julianday(?1) > ?2",
                        params![at, REGISTER_NOTICE_DAYS],
                        |r| r.get(0),
                    )?;
                    if over {
                        return Err(AppError::Forbidden {
                            code: "notice_over",
                            message: format!(
                                "the register was open to owners for {REGISTER_NOTICE_DAYS} days after the result was published (from {at}); ask the committee"
                            ),
                        });
                    }
                }
                crate::audit(
                    conn,
                    Some(id),
                    "owner",
                    "register_read",
                    &format!("with the ballot token of unit {unit}"),
                )?;
            }
            return Ok(("text/csv; charset=utf-8", register_csv(conn, id)?));
        }
        if !option_ballots_visible(phase, viewer) {
            return Err(if committee {
                AppError::wrong_phase("the ballots are exported once the option vote is closed")
            } else {
                AppError::Unauthorized("the ballots are not published yet".into())
            });
        }
        let settings = settings_of(conn, id)?;
        let c = load(conn, id)?;
        let meta = PreflibMeta {
            file_name: file.clone(),
            title: c.title.clone(),
            description: c
                .options
                .iter()
                .map(|o| format!("{}: {} (sha256 {})", o.label, o.title, o.sha256))
                .collect::<Vec<_>>()
                .join("; "),
            publication_date: String::new(),
            modification_date: String::new(),
        };
        let ballots = load_ballots(conn, id, &settings)?;
        let ext = file.strip_prefix("ballots.").ok_or(AppError::NotFound)?;
        let text = match (ext, &ballots) {
            ("csv", _) => ballots_csv(conn, id)?,
            ("cat", Ballots::Approval(p)) => plotwise_vote::preflib::write_approval(p, &meta),
            (ext, Ballots::Ranked(p)) => {
                let (kind, text) = plotwise_vote::preflib::write_orders(p, &meta);
                if kind.as_str() != ext {
                    return Err(AppError::BadRequest(format!(
                        "these ballots are PrefLib {0}: ask for ballots.{0}",
                        kind.as_str()
                    )));
                }
                text
            }
            _ => {
                let which = match ballots {
                    Ballots::Ranked(ref p) => PreflibKind::narrowest(p).as_str(),
                    Ballots::Approval(_) => "cat",
                    Ballots::Scores(_) => "csv",
                };
                return Err(AppError::BadRequest(format!(
                    "these ballots are exported as ballots.csv or ballots.{which}"
                )));
            }
        };
        Ok(("text/plain; charset=utf-8", text))
    })
    .await?;
    Ok(([(CONTENT_TYPE, content_type)], body))
}

/// `GET /api/consultations/{id}/audit` (committee).
pub(crate) async fn audit_log(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    let rows = blocking(&ctx.db, move |conn| {
        phase_of(conn, id)?;
        let mut st = conn.prepare(
            "SELECT id, at, actor, action, detail FROM audit_log WHERE consultation_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([id], |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await?;
    Ok(Json(rows))
}

/// A `p/q` share as a percentage for drawing (display only; the exact fraction is printed).
fn percent(share: &str) -> f64 {
    let (p, q) = share.split_once('/').unwrap_or(("0", "1"));
    let (p, q) = (
        p.parse::<f64>().unwrap_or(0.0),
        q.parse::<f64>().unwrap_or(1.0),
    );
    if q > 0.0 {
        (100.0 * p / q).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

fn participation_html(title: &str, p: &Participation) -> String {
    let bar = |label: &str, share: &str| {
        format!(
            "<div class=\"row\"><span class=\"lbl\">{label}</span><span class=\"bar\"><span style=\"width:{:.1}%\"></span></span> <b>{}</b> ({:.1}%)</div>",
            percent(share),
            html_escape(share),
            percent(share)
        )
    };
    format!(
        "<h3>{title}</h3><p>{} / {} 户参与 units took part (网上 online {}, 纸质 paper {})</p>{}{}<p>法定参与要求 quorum: <code>{}</code> — {}</p>",
        p.units_voted,
        p.units_total,
        p.online,
        p.paper,
        bar("面积 area", &p.area),
        bar("人数 headcount", &p.headcount),
        html_escape(&p.quorum),
        if p.quorum_met {
            "已达到 met"
        } else {
            "未达到 not met"
        }
    )
}

/// The printable result sheet (zh-CN and English) with the digests.
fn sheet_html(c: &plotwise_api::Consultation, r: &Results) -> String {
    let mut h = format!(
        concat!(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{t} — 结果 / result</title>",
            "<style>body{{font-family:\"Noto Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:190mm;margin:auto}}",
            "table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:2px 6px}}",
            ".row{{margin:2px 0}}.lbl{{display:inline-block;width:9em}}",
            ".bar{{display:inline-block;width:50%;height:0.9em;border:1px solid #333;vertical-align:middle}}",
            ".bar span{{display:block;height:100%;background:#444}}",
            "code,pre{{font-size:9pt;white-space:pre-wrap;word-break:break-all}}</style>",
            "<h1>{t}</h1><p>状态 phase: <b>{phase}</b></p>"
        ),
        t = html_escape(&c.title),
        phase = c.phase.as_str()
    );
    h.push_str("<h2>方案 Options</h2><table><tr><th></th><th>方案 option</th><th>提出人 author</th><th>SHA-256</th></tr>");
    for o in &c.options {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            html_escape(&o.label),
            html_escape(&o.title),
            html_escape(&o.author),
            html_escape(&o.sha256)
        ));
    }
    h.push_str("</table>");
    h.push_str("<h2>方案投票 Option vote</h2>");
    h.push_str(&participation_html(
        "参与 Participation",
        &r.option_participation,
    ));
    if let Some(n) = &r.counted {
        h.push_str(&format!(
            "<p>开箱计票 count: 网上 online <b>{}</b>, 纸质 paper <b>{}</b>, 废票 spoiled <b>{}</b></p>",
            n.online, n.paper, n.spoiled
        ));
    }
    if let Some(o) = &r.option_result {
        let winners: Vec<String> = o.winners.iter().map(|&w| label(w)).collect();
        h.push_str(&format!(
            "<p>计票方法 method: <b>{}</b>; 有效票 ballots: <b>{}</b>; 得胜 winner(s): <b>{}</b></p><pre>{}</pre>",
            vote_method(o.method),
            o.ballots,
            html_escape(&winners.join(", ")),
            html_escape(&o.explanation_text)
        ));
    }
    if let Some(p) = &r.resolution_participation {
        h.push_str("<h2>表决 Formal resolution</h2>");
        if let Some(a) = c.adopted_option {
            h.push_str(&format!(
                "<p>表决方案 option put to the vote: <b>{}</b></p>",
                label(a)
            ));
        }
        h.push_str(&participation_html("参与 Participation", p));
    }
    if let Some(res) = &r.resolution {
        h.push_str(&format!(
            "<p>规则 rule: <b>{}</b>; 同意 yes {} · 反对 no {} · 弃权 abstain {}</p>",
            html_escape(&res.rule.rule),
            res.yes,
            res.no,
            res.abstain
        ));
        h.push_str(&format!(
            "<p>同意占参与者 approval of participants: 面积 area <b>{}</b>, 人数 headcount <b>{}</b></p><p><b>{}</b></p>",
            html_escape(&res.approval_area),
            html_escape(&res.approval_headcount),
            match (res.quorum_met, res.passed) {
                (false, _) => "未达到参与要求，决议未通过 / quorum not met: not adopted",
                (true, true) => "决议通过 / adopted",
                (true, false) => "决议未通过 / not adopted",
            }
        ));
    }
    let or_later = |d: &Option<String>, zh: &str, en: &str| match d {
        Some(d) => format!("<code>{}</code>", html_escape(d)),
        None => format!("<i>{zh} / {en}</i>"),
    };
    let at_count = (
        "票箱开启计票后公布",
        "shown once the ballot box is opened at the count",
    );
    h.push_str(&format!(
        concat!(
            "<h2>校验 Digests (SHA-256)</h2><p>方案 options: <code>{}</code><br>",
            "方案投票选票 option ballots (<code>export/ballots.csv</code>): {}<br>",
            "投票回执 receipts (<code>receipts</code>): {}<br>",
            "表决登记 resolution register (<code>export/register.csv</code>): {}</p></html>"
        ),
        r.digests.options_sha256,
        or_later(&r.digests.option_ballots_sha256, at_count.0, at_count.1),
        or_later(&r.digests.receipts_sha256, at_count.0, at_count.1),
        or_later(
            &r.digests.resolution_register_sha256,
            "表决结果确认后公布",
            "shown once the resolution is validated"
        ),
    ));
    h
}

/// `GET /api/consultations/{id}/sheet`: the printable result sheet (HTML); who may see it is
/// as for the results.
pub(crate) async fn sheet(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    let who = viewer(&who);
    let cache = ctx.results.clone();
    let html = blocking(&ctx.db, move |conn| {
        let phase = phase_of(conn, id)?;
        if !can_see_results(phase, who) {
            return Err(if who == Viewer::Committee {
                AppError::wrong_phase("the result sheet exists once the option vote is open")
            } else {
                AppError::Unauthorized("the results are not published yet".into())
            });
        }
        let r = cached(&cache, conn, id, phase, who)?;
        Ok(sheet_html(&load(conn, id)?, &r))
    })
    .await?;
    Ok(([(CONTENT_TYPE, "text/html; charset=utf-8")], html))
}

/// The `round` query parameter.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RoundQuery {
    round: Round,
}

/// `GET /api/consultations/{id}/participation?round=option|resolution` (committee): which
/// units have voted, by which channel, in electorate order; for the paper-ballot desk.
pub(crate) async fn voted(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
    crate::ApiQuery(q): crate::ApiQuery<RoundQuery>,
) -> Result<Json<Vec<plotwise_api::Voted>>, AppError> {
    let rows = blocking(&ctx.db, move |conn| {
        phase_of(conn, id)?;
        let mut st = conn.prepare(
            "SELECT p.unit, p.channel FROM participation p JOIN units u
               ON u.consultation_id = p.consultation_id AND u.unit = p.unit
             WHERE p.consultation_id = ?1 AND p.round = ?2 ORDER BY u.position",
        )?;
        let rows = st
            .query_map(params![id, q.round.as_str()], |r| {
                Ok(plotwise_api::Voted {
                    unit: r.get(0)?,
                    channel: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    })
    .await?;
    Ok(Json(rows))
}

/// The viewer behind an optional committee session.
fn viewer(who: &Result<Committee, AppError>) -> Viewer {
    if who.is_ok() {
        Viewer::Committee
    } else {
        Viewer::Public
    }
}

/// `GET /api/consultations/{id}/receipts`: the receipt codes of the counted online ballots,
/// sorted; seen as the ballots are (the committee once counted, everyone once published).
pub(crate) async fn receipts(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<plotwise_api::Receipts>, AppError> {
    let who = viewer(&who);
    let codes = blocking(&ctx.db, move |conn| {
        let phase = phase_of(conn, id)?;
        if !option_ballots_visible(phase, who) {
            return Err(if who == Viewer::Committee {
                AppError::wrong_phase("the receipts are listed once the ballot box is opened")
            } else {
                AppError::Unauthorized("the results are not published yet".into())
            });
        }
        receipt_codes(conn, id)
    })
    .await?;
    Ok(Json(plotwise_api::Receipts { codes }))
}
