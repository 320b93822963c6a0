//! Who may see what and do what, in which phase: pure functions, the one place these rules
//! live. The routes ask here; the store only reads and writes.
//!
//! The secrecy of the option vote rests here. While the vote is open nobody, the committee
//! included, may see a count, a partial result or a digest of the ballots: with all other
//! ballots known, a digest after each new ballot would give that ballot away by trying every
//! possible one. Participation (who has voted, by which channel) is the committee's from the
//! opening on: the paper desk needs it.

use plotwise_api::{Phase, Round};

use crate::error::AppError;

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Viewer {
    /// Anyone: a resident, a passer-by.
    Public,
    /// A signed-in committee member.
    Committee,
}

/// `phase` is `from` or later in the life cycle.
pub(crate) fn at_or_after(phase: Phase, from: Phase) -> bool {
    let pos = |p| Phase::ALL.iter().position(|&x| x == p);
    pos(phase) >= pos(from)
}

/// The results page and the printable sheet: the committee from the opening of the vote on
/// (participation only until the box is opened), everyone once published.
pub(crate) fn can_see_results(phase: Phase, who: Viewer) -> bool {
    match who {
        Viewer::Public => phase == Phase::Published,
        Viewer::Committee => at_or_after(phase, Phase::Voting),
    }
}

/// The option vote's count, its ballots' digest, the receipt list and the ballots' export:
/// once the box has been opened at the count (the phase is then `closed`).
pub(crate) fn option_ballots_visible(phase: Phase, who: Viewer) -> bool {
    can_see_results(phase, who) && at_or_after(phase, Phase::Closed)
}

/// The formal resolution's totals and the digest of its register: once validated.
pub(crate) fn resolution_result_visible(phase: Phase, who: Viewer) -> bool {
    can_see_results(phase, who) && at_or_after(phase, Phase::Validated)
}

/// Participation in the formal resolution: from its opening.
pub(crate) fn resolution_participation_visible(phase: Phase, who: Viewer) -> bool {
    can_see_results(phase, who) && at_or_after(phase, Phase::Resolution)
}

/// The signed register (unit, area, choice): the committee and the compound's owners, once
/// the result is validated.
pub(crate) fn register_visible(phase: Phase, committee_or_owner: bool) -> bool {
    committee_or_owner && at_or_after(phase, Phase::Validated)
}

/// A consultation's page, proposals and options: drafts are the committee's only.
pub(crate) fn can_see_consultation(phase: Phase, who: Viewer) -> bool {
    who == Viewer::Committee || phase != Phase::Draft
}

/// Refuses (409 `wrong_phase`) unless `phase` is one of `allowed`, saying what needs which.
pub(crate) fn require(phase: Phase, allowed: &[Phase], what: &str) -> Result<(), AppError> {
    if allowed.contains(&phase) {
        return Ok(());
    }
    let names: Vec<&str> = allowed.iter().map(|p| p.as_str()).collect();
    Err(AppError::wrong_phase(format!(
        "{what} needs the consultation to be {}; it is {}",
        names.join(" or "),
        phase.as_str()
    )))
}

/// The phases in which the rules (settings) may change and the electorate be imported:
/// before the vote opens.
pub(crate) const BEFORE_THE_VOTE: [Phase; 3] = [Phase::Draft, Phase::Collecting, Phase::Frozen];

/// The phases in which ballot tokens for `round` may be issued: option tokens while the
/// shortlist is frozen or the vote open; resolution tokens from the frozen shortlist to the
/// resolution.
pub(crate) fn token_phases(round: Round) -> &'static [Phase] {
    match round {
        Round::Option => &[Phase::Frozen, Phase::Voting],
        Round::Resolution => &[
            Phase::Frozen,
            Phase::Voting,
            Phase::Closed,
            Phase::Resolution,
        ],
    }
}

/// The phase in which `round` takes ballots.
pub(crate) fn open_phase(round: Round) -> Phase {
    match round {
        Round::Option => Phase::Voting,
        Round::Resolution => Phase::Resolution,
    }
}

/// Whether a committee's `transition` request may move `phase` to `to`: only to the next
/// phase, and never to `voting` or `closed`, which have their own requests (they seal and
/// open the ballot box).
pub(crate) fn transition(phase: Phase, to: Phase, id: i64) -> Result<(), AppError> {
    if phase.next() != Some(to) {
        return Err(AppError::wrong_phase(format!(
            "a consultation that is {} cannot move to {}{}",
            phase.as_str(),
            to.as_str(),
            phase
                .next()
                .map(|n| format!(" (only to {})", n.as_str()))
                .unwrap_or_default()
        )));
    }
    match to {
        Phase::Voting => Err(AppError::wrong_phase(format!(
            "the vote opens with POST /api/consultations/{id}/open-vote, which seals the ballot box and shows the scrutineers' codes"
        ))),
        Phase::Closed => Err(AppError::wrong_phase(format!(
            "the vote closes with the count, POST /api/consultations/{id}/count, which opens the ballot box with the scrutineers' codes"
        ))),
        _ => Ok(()),
    }
}

/// Final results: computed once in these phases and kept (no ballot can come in, and the
/// life cycle never returns to an earlier phase), so every server process computes the same.
pub(crate) fn results_are_final(phase: Phase) -> bool {
    matches!(phase, Phase::Closed | Phase::Validated | Phase::Published)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every phase × viewer, against the table in the crate docs.
    #[test]
    fn visibility_by_phase_and_viewer() {
        use Phase::*;
        use Viewer::*;
        for phase in Phase::ALL {
            for who in [Public, Committee] {
                let results = can_see_results(phase, who);
                let ballots = option_ballots_visible(phase, who);
                let resolution = resolution_result_visible(phase, who);
                let expected_results = match who {
                    Public => phase == Published,
                    Committee => {
                        matches!(phase, Voting | Closed | Resolution | Validated | Published)
                    }
                };
                assert_eq!(results, expected_results, "{phase:?} {who:?}");
                // While the vote is open: participation only, for everyone.
                if matches!(phase, Draft | Collecting | Frozen | Voting) {
                    assert!(!ballots, "{phase:?} {who:?}: ballots before the count");
                }
                assert_eq!(
                    ballots,
                    expected_results && !matches!(phase, Voting),
                    "{phase:?} {who:?}"
                );
                assert_eq!(
                    resolution,
                    expected_results && matches!(phase, Validated | Published),
                    "{phase:?} {who:?}"
                );
                assert_eq!(
                    resolution_participation_visible(phase, who),
                    expected_results && matches!(phase, Resolution | Validated | Published),
                    "{phase:?} {who:?}"
                );
                assert_eq!(
                    can_see_consultation(phase, who),
                    who == Committee || phase != Draft
                );
            }
            assert_eq!(
                register_visible(phase, true),
                matches!(phase, Validated | Published)
            );
            assert!(!register_visible(phase, false));
        }
    }

    /// Every phase × every request that changes one: only the next phase, voting and
    /// closed only by their own requests; rules and electorate only before the vote; tokens
    /// and ballots only in their phases.
    #[test]
    fn phase_rules_on_every_phase() {
        use Phase::*;
        for phase in Phase::ALL {
            for to in Phase::ALL {
                let ok = transition(phase, to, 1).is_ok();
                let expected = phase.next() == Some(to) && !matches!(to, Voting | Closed);
                assert_eq!(ok, expected, "{phase:?} -> {to:?}");
            }
            assert_eq!(
                require(phase, &BEFORE_THE_VOTE, "x").is_ok(),
                matches!(phase, Draft | Collecting | Frozen),
                "{phase:?}"
            );
            assert_eq!(
                token_phases(Round::Option).contains(&phase),
                matches!(phase, Frozen | Voting)
            );
            assert_eq!(
                token_phases(Round::Resolution).contains(&phase),
                matches!(phase, Frozen | Voting | Closed | Resolution)
            );
            assert_eq!(
                results_are_final(phase),
                matches!(phase, Closed | Validated | Published)
            );
        }
        assert_eq!(open_phase(Round::Option), Voting);
        assert_eq!(open_phase(Round::Resolution), Resolution);
        let e = require(Voting, &[Draft, Frozen], "changing the rules").unwrap_err();
        assert_eq!(
            e.to_string(),
            "changing the rules needs the consultation to be draft or frozen; it is voting"
        );
    }
}
