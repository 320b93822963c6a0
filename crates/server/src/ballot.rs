//! The rules of a vote as the wire states them, checked and turned into `plotwise-vote`'s
//! types: option ballots against the method and the shortlist, the settings, the
//! resolution rule (parsed here and nowhere else).

use plotwise_api::{Method, OptionBallot, Settings};
use plotwise_vote::{Approval, BallotKind, Ranking};

use crate::error::AppError;
use crate::util::label;

/// The largest score a score ballot may give.
const MAX_SCORE_LIMIT: u32 = 1000;

/// The resolution rule of these settings, parsed by `plotwise-vote`.
pub(crate) fn resolution_rule(s: &Settings) -> Result<plotwise_vote::Rule, AppError> {
    let r = &s.resolution;
    plotwise_vote::resolution::Rule::parse(
        &r.rule,
        r.building.as_deref(),
        r.quorum.as_deref(),
        r.pass.as_deref(),
    )
    .map_err(|e| AppError::BadRequest(format!("settings.resolution: {e}")))
}

/// Checks settings: the highest score of the score method, and the resolution rule.
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
    resolution_rule(s)?;
    Ok(())
}

/// The headcount rule of `plotwise-vote` for these settings.
pub(crate) fn headcount(settings: &Settings) -> plotwise_vote::HeadcountRule {
    match settings.headcount {
        plotwise_api::Headcount::Owner => plotwise_vote::HeadcountRule::Owner,
        plotwise_api::Headcount::Unit => plotwise_vote::HeadcountRule::Unit,
    }
}

/// The tie-break rule of `plotwise-vote` for these settings and option names.
pub(crate) fn tie_break(
    t: &plotwise_api::TieBreak,
    names: &[String],
) -> Option<plotwise_vote::TieBreak> {
    match t {
        plotwise_api::TieBreak::Committee => None,
        plotwise_api::TieBreak::Seed { seed } => Some(plotwise_vote::TieBreak::Seed(*seed)),
        plotwise_api::TieBreak::ShortlistOrder => {
            Some(plotwise_vote::TieBreak::Order(names.to_vec()))
        }
    }
}

/// Checks an option ballot against the method and the shortlist of `m` options and returns
/// it in normal form.
pub(crate) fn normalize(
    b: &OptionBallot,
    settings: &Settings,
    m: usize,
) -> Result<OptionBallot, AppError> {
    let kind = vote_method(settings.method).ballot_kind();
    let bad = |e: plotwise_vote::BallotError| AppError::BadRequest(format!("ballot: {e}"));
    let to_usize = |v: &[u32]| v.iter().map(|&a| a as usize).collect::<Vec<_>>();
    match (b, kind) {
        (OptionBallot::Ranking { groups }, BallotKind::Ranked) => {
            let r = Ranking::new(groups.iter().map(|g| to_usize(g)), m).map_err(bad)?;
            Ok(OptionBallot::Ranking {
                groups: r
                    .to_groups()
                    .into_iter()
                    .map(|g| g.into_iter().map(|a| a as u32).collect())
                    .collect(),
            })
        }
        (OptionBallot::Approval { approved }, BallotKind::Approval) => {
            let a = Approval::new(to_usize(approved), m).map_err(bad)?;
            Ok(OptionBallot::Approval {
                approved: a.approved().iter().map(|&i| u32::from(i)).collect(),
            })
        }
        (OptionBallot::Scores { scores }, BallotKind::Score) => {
            let max = i64::from(settings.max_score.unwrap_or(0));
            if scores.len() != m {
                return Err(AppError::BadRequest(format!(
                    "ballot: {} scores for {m} options",
                    scores.len()
                )));
            }
            if let Some((i, s)) = scores
                .iter()
                .enumerate()
                .find(|(_, s)| !(0..=max).contains(*s))
            {
                return Err(AppError::BadRequest(format!(
                    "ballot: option {} has score {s}; scores run from 0 to {max}",
                    label(i as u32)
                )));
            }
            Ok(b.clone())
        }
        _ => Err(AppError::BadRequest(format!(
            "ballot: this vote ({}) takes {} ballots",
            vote_method(settings.method),
            match kind {
                BallotKind::Ranked => "ranking",
                BallotKind::Approval => "approval",
                BallotKind::Score => "scores",
            }
        ))),
    }
}

/// The `plotwise-vote` method for the wire method.
pub(crate) fn vote_method(m: Method) -> plotwise_vote::Method {
    match m {
        Method::Plurality => plotwise_vote::Method::Plurality,
        Method::Approval => plotwise_vote::Method::Approval,
        Method::Score => plotwise_vote::Method::Score,
        Method::Borda => plotwise_vote::Method::Borda,
        Method::Irv => plotwise_vote::Method::Irv,
        Method::Schulze => plotwise_vote::Method::Schulze,
    }
}
