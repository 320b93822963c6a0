//! Counting what the store holds: every count and every threshold is `plotwise-vote`'s; this
//! module reads the stored ballots (through the store) into its types, and builds the
//! results, digests and exports that [`crate::policy`] lets a viewer see.

use std::collections::HashMap;
use std::sync::Arc;

use plotwise_api::{
    Choice, Digests, OptionBallot, OptionResult, Participation, Phase, ResolutionResult, Results,
    Round, Settings, TieBreak, TieBreakRecord,
};
use plotwise_vote::{
    AnyProfile, Ballot, BallotKind, Electorate, Lang, Outcome, Profile, ProfileBuilder, Votes,
};

use crate::ballot::{approval, ranking, resolution_rule, scores};
use crate::error::AppError;
use crate::policy::{
    Viewer, option_ballots_visible, resolution_participation_visible, resolution_result_visible,
};
use crate::store::{Tx, boxes, consultations, reads};
use crate::util::{label, sha256_hex};

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
}

fn option_names(tx: &mut dyn Tx, id: i64) -> Result<Vec<String>, AppError> {
    Ok(consultations::options(tx, id)?
        .into_iter()
        .map(|o| o.label)
        .collect())
}

/// The opened option ballots as a `plotwise-vote` profile of the method's ballot kind.
pub(crate) fn load_ballots(
    tx: &mut dyn Tx,
    id: i64,
    settings: &Settings,
) -> Result<AnyProfile, AppError> {
    let names = option_names(tx, id)?;
    if names.is_empty() {
        return Err(AppError::wrong_phase(
            "the consultation has no frozen options",
        ));
    }
    let m = names.len();
    let rows = reads::option_ballots(tx, id)?;
    let mismatch = || internal("a stored ballot does not match the method");
    Ok(match settings.method.ballot_kind() {
        BallotKind::Ranked => AnyProfile::Ranked(profile(names, &rows, |b| match b {
            OptionBallot::Ranking { groups } => ranking(&groups, m).map_err(internal),
            _ => Err(mismatch()),
        })?),
        BallotKind::Approval => AnyProfile::Approval(profile(names, &rows, |b| match b {
            OptionBallot::Approval { approved } => approval(&approved, m).map_err(internal),
            _ => Err(mismatch()),
        })?),
        BallotKind::Score => AnyProfile::Scores(profile(names, &rows, |b| match b {
            OptionBallot::Scores { scores: s } => Ok(scores(&s)),
            _ => Err(mismatch()),
        })?),
    })
}

/// The stored ballots `rows` (JSON) read by `read` into a profile over `names`.
fn profile<B: Ballot>(
    names: Vec<String>,
    rows: &[String],
    read: impl Fn(OptionBallot) -> Result<B, AppError>,
) -> Result<Profile<B>, AppError> {
    let mut builder = ProfileBuilder::<B>::new(names).map_err(internal)?;
    for row in rows {
        let ballot = read(serde_json::from_str(row).map_err(internal)?)?;
        builder.add_one(&ballot).map_err(internal)?;
    }
    Ok(builder.build())
}

/// Counts the option vote and breaks a tie by the rule chosen before the vote (or by the
/// committee's recorded decision, `decision`).
fn count_and_break(
    tx: &mut dyn Tx,
    id: i64,
    decision: Option<u32>,
) -> Result<(Outcome, Option<TieBreakRecord>), AppError> {
    let settings = consultations::settings(tx, id)?;
    let ballots = load_ballots(tx, id, &settings)?;
    let outcome = plotwise_vote::count(settings.method, &ballots).map_err(internal)?;
    let rule = match (&settings.tie_break, decision) {
        (TieBreak::Committee, Some(d)) => TieBreak::Decision { winner: label(d) },
        (rule, _) => rule.clone(),
    };
    let record = plotwise_vote::break_tie(&outcome, &rule)
        .map_err(|e| AppError::BadRequest(format!("tie-break: {e}")))?;
    Ok((outcome, record))
}

/// The option put to the formal resolution: the single winner, or the winner after the
/// tie-break chosen before the vote, or (tie-break by the committee) `requested`, which must be
/// one of the tied winners. Returns the option and how it was chosen.
pub(crate) fn adopted_option(
    tx: &mut dyn Tx,
    id: i64,
    requested: Option<u32>,
) -> Result<(u32, String), AppError> {
    let settings = consultations::settings(tx, id)?;
    let committee = settings.tie_break == TieBreak::Committee;
    let (outcome, record) = count_and_break(tx, id, if committee { requested } else { None })?;
    let index_of = |name: &str| outcome.alternatives.iter().position(|n| n == name);
    let winner = match (&record, outcome.winner_indices.as_slice()) {
        (Some(r), _) => index_of(r.winner()),
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

/// Participation in `round`, measured by `plotwise-vote` against the rule's quorum (every
/// participating unit counted as taking part).
fn participation(
    tx: &mut dyn Tx,
    id: i64,
    round: Round,
    electorate: &Electorate,
    settings: &Settings,
) -> Result<Participation, AppError> {
    let rows = reads::participation(tx, id, round)?;
    let online = rows.iter().filter(|(_, c)| c == "online").count() as u64;
    let votes = Votes::new(
        electorate,
        rows.iter().map(|(u, _)| (u.clone(), Choice::Abstain)),
    )
    .map_err(internal)?;
    let r = evaluate(settings, electorate, &votes)?;
    Ok(Participation {
        units_voted: rows.len() as u64,
        online,
        paper: rows.len() as u64 - online,
        units_total: electorate.units().len() as u64,
        area: r.participation.area,
        headcount: r.participation.headcount,
        quorum: r.quorum,
        quorum_met: r.quorum_met,
    })
}

/// The settings' resolution rule decided by `plotwise-vote` on `votes`.
fn evaluate(
    settings: &Settings,
    electorate: &Electorate,
    votes: &Votes,
) -> Result<plotwise_vote::Resolution, AppError> {
    let rule = resolution_rule(settings)?;
    plotwise_vote::evaluate(&rule, electorate, votes, settings.headcount).map_err(|e| {
        AppError::Conflict {
            code: "cannot_count",
            message: e.to_string(),
        }
    })
}

/// The formal resolution decided by `plotwise-vote`.
pub(crate) fn resolution_result(tx: &mut dyn Tx, id: i64) -> Result<ResolutionResult, AppError> {
    let settings = consultations::settings(tx, id)?;
    let electorate = consultations::electorate(tx, id)?
        .ok_or_else(|| AppError::wrong_phase("the consultation has no electorate"))?;
    let reg = reads::register(tx, id)?;
    let votes = Votes::new(&electorate, reg.iter().cloned()).map_err(internal)?;
    let r = evaluate(&settings, &electorate, &votes)?;
    let n = |c: Choice| reg.iter().filter(|(_, x)| *x == c).count() as u64;
    Ok(ResolutionResult {
        rule: settings.resolution.clone(),
        yes: n(Choice::Yes),
        no: n(Choice::No),
        abstain: n(Choice::Abstain),
        quorum_met: r.quorum_met,
        passed: r.passed,
        approval_area: r.approval.area,
        approval_headcount: r.approval.headcount,
        pass: r.pass,
    })
}

/// The option ballots as CSV (`plotwise-vote`'s writer): one row per ballot, in an order
/// that depends only on the ballots.
pub(crate) fn ballots_csv(tx: &mut dyn Tx, id: i64) -> Result<String, AppError> {
    let settings = consultations::settings(tx, id)?;
    Ok(match load_ballots(tx, id, &settings)? {
        AnyProfile::Ranked(p) => plotwise_vote::csv::write_ranked(&p),
        AnyProfile::Approval(p) => plotwise_vote::csv::write_approval(&p),
        AnyProfile::Scores(p) => plotwise_vote::csv::write_scores(&p),
    })
}

/// The register as CSV: `unit,building,area_m2,owner,choice`, in electorate order, each
/// text cell through `plotwise-csv` (quoting and the formula guard: owner names and unit ids
/// come from the committee's file).
pub(crate) fn register_csv(tx: &mut dyn Tx, id: i64) -> Result<String, AppError> {
    let mut out = String::new();
    plotwise_csv::push_row(
        &mut out,
        &["unit", "building", "area_m2", "owner", "choice"],
    );
    for [unit, building, area, owner, choice] in reads::register_rows(tx, id)? {
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

/// The receipt list as digested: one code per line.
fn receipts_text(codes: &[String]) -> String {
    codes.iter().map(|c| format!("{c}\n")).collect()
}

/// The digests `who` may see in `phase` (see [`crate::policy`]).
fn digests(tx: &mut dyn Tx, id: i64, phase: Phase, who: Viewer) -> Result<Digests, AppError> {
    let mut lines = String::new();
    for o in consultations::options(tx, id)? {
        lines.push_str(&format!("{} {} {}\n", o.index, o.label, o.sha256));
    }
    let ballots_open = option_ballots_visible(phase, who) && !lines.is_empty();
    Ok(Digests {
        options_sha256: sha256_hex(lines.as_bytes()),
        option_ballots_sha256: if ballots_open {
            Some(sha256_hex(ballots_csv(tx, id)?.as_bytes()))
        } else {
            None
        },
        receipts_sha256: if ballots_open {
            Some(sha256_hex(
                receipts_text(&reads::receipts(tx, id)?).as_bytes(),
            ))
        } else {
            None
        },
        resolution_register_sha256: if resolution_result_visible(phase, who) {
            Some(sha256_hex(register_csv(tx, id)?.as_bytes()))
        } else {
            None
        },
    })
}

/// Everything on the result sheet that `who` may see, for the phase the consultation is in.
pub(crate) fn compute(tx: &mut dyn Tx, id: i64, who: Viewer) -> Result<Results, AppError> {
    let c = consultations::load_light(tx, id)?;
    let settings = &c.settings;
    let electorate = consultations::electorate(tx, id)?
        .ok_or_else(|| AppError::wrong_phase("the consultation has no electorate yet"))?;
    let option_participation = participation(tx, id, Round::Option, &electorate, settings)?;
    let option_result = if option_ballots_visible(c.phase, who) {
        let (outcome, record) = count_and_break(tx, id, c.adopted_option)?;
        Some(OptionResult {
            method: settings.method,
            ballots: outcome.voters,
            winners: outcome
                .winner_indices
                .iter()
                .filter_map(|&w| u32::try_from(w).ok())
                .collect(),
            explanation_text: format!(
                "{}\n\n{}",
                plotwise_vote::render(&outcome, record.as_ref(), Lang::ZhCn),
                plotwise_vote::render(&outcome, record.as_ref(), Lang::En)
            ),
            tie_broken_by: record,
            explanation: outcome.explanation,
        })
    } else {
        None
    };
    let resolution_participation = if resolution_participation_visible(c.phase, who) {
        Some(participation(
            tx,
            id,
            Round::Resolution,
            &electorate,
            settings,
        )?)
    } else {
        None
    };
    let resolution = if resolution_result_visible(c.phase, who) {
        Some(resolution_result(tx, id)?)
    } else {
        None
    };
    Ok(Results {
        consultation_id: id,
        phase: c.phase,
        option_participation,
        counted: if option_ballots_visible(c.phase, who) {
            boxes::count_summary(tx, id)?
        } else {
            None
        },
        option_result,
        resolution_participation,
        resolution,
        receipts: if option_ballots_visible(c.phase, who) {
            Some(reads::receipts(tx, id)?)
        } else {
            None
        },
        digests: digests(tx, id, c.phase, who)?,
    })
}

/// The results once computed for a phase in which they cannot change any more (see
/// [`crate::policy::results_are_final`]), so public reads of a published result do not
/// recount. Keyed by phase, which only moves forward, so every server process on the same
/// database caches the same results and none goes stale.
#[derive(Clone, Default)]
pub(crate) struct ResultsCache(Arc<std::sync::Mutex<HashMap<ResultsKey, Arc<Results>>>>);

/// A consultation, its phase, and who asks.
type ResultsKey = (i64, Phase, Viewer);

impl ResultsCache {
    /// The results of `id` in `phase` for `who`, from the cache when they are final.
    pub(crate) fn get(
        &self,
        tx: &mut dyn Tx,
        id: i64,
        phase: Phase,
        who: Viewer,
    ) -> Result<Arc<Results>, AppError> {
        let fin = crate::policy::results_are_final(phase);
        let key = (id, phase, who);
        if fin
            && let Some(r) = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(&key)
        {
            return Ok(r.clone());
        }
        let r = Arc::new(compute(tx, id, who)?);
        if fin {
            let mut map = self
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
}
