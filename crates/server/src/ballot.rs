//! The rules of a vote as the wire states them, checked and turned into `plotwise-vote`'s
//! types: option ballots against the method and the shortlist (read here and nowhere else),
//! the settings, the resolution rule (parsed here and nowhere else). The method, the
//! headcount and tie-break rules are `plotwise-vote`'s own types on the wire already.

use plotwise_api::{Method, OptionBallot, Settings, TieBreak};
use plotwise_vote::{Approval, BallotError, BallotKind, Ranking, Scores};

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

/// Checks settings: the highest score of the score method, the tie-break rule, and the
/// resolution rule.
pub(crate) fn check_settings(s: &Settings) -> Result<(), AppError> {
    match s.tie_break {
        TieBreak::Committee | TieBreak::Seed { .. } | TieBreak::ShortlistOrder => {}
        // An order names options before they exist; a decision is taken after the count.
        TieBreak::Order { .. } | TieBreak::Decision { .. } => {
            return Err(AppError::BadRequest(
                "settings.tie_break: a consultation breaks ties by committee, seed or shortlist_order"
                    .into(),
            ));
        }
    }
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

/// A stored or sent ranking of `m` options as `plotwise-vote`'s [`Ranking`].
pub(crate) fn ranking(groups: &[Vec<u32>], m: usize) -> Result<Ranking, BallotError> {
    Ranking::new(groups.iter().map(|g| g.iter().map(|&a| a as usize)), m)
}

/// A stored or sent approval of `m` options as `plotwise-vote`'s [`Approval`].
pub(crate) fn approval(approved: &[u32], m: usize) -> Result<Approval, BallotError> {
    Approval::new(approved.iter().map(|&a| a as usize), m)
}

/// Scores as `plotwise-vote`'s [`Scores`] (their range is checked by [`normalize`]).
pub(crate) fn scores(scores: &[i64]) -> Scores {
    Scores::new(scores.to_vec())
}

/// Checks an option ballot against the method and the shortlist of `m` options and returns
/// it in normal form.
pub(crate) fn normalize(
    b: &OptionBallot,
    settings: &Settings,
    m: usize,
) -> Result<OptionBallot, AppError> {
    let kind = settings.method.ballot_kind();
    let bad = |e: BallotError| AppError::BadRequest(format!("ballot: {e}"));
    match (b, kind) {
        (OptionBallot::Ranking { groups }, BallotKind::Ranked) => {
            let r = ranking(groups, m).map_err(bad)?;
            Ok(OptionBallot::Ranking {
                groups: r
                    .to_groups()
                    .into_iter()
                    .map(|g| g.into_iter().map(|a| a as u32).collect())
                    .collect(),
            })
        }
        (OptionBallot::Approval { approved }, BallotKind::Approval) => {
            let a = approval(approved, m).map_err(bad)?;
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
            settings.method,
            match kind {
                BallotKind::Ranked => "ranking",
                BallotKind::Approval => "approval",
                BallotKind::Score => "scores",
            }
        ))),
    }
}
