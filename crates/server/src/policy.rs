//! Who may see what, in which phase: pure functions, the one place these rules live.
//!
//! The secrecy of the option vote rests here. While the vote is open nobody, the committee
//! included, may see a count, a partial result or a digest of the ballots: with all other
//! ballots known, a digest after each new ballot would give that ballot away by trying every
//! possible one. Participation (who has voted, by which channel) is the committee's from the
//! opening on: the paper desk needs it.

use plotwise_api::Phase;

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
}
