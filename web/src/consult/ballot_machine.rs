//! The ballot as a state machine, without yew or the network: the marks (approve, choose,
//! rank, score, or yes / no / abstain in the formal resolution), the steps (marking →
//! checking → sending → recorded, or back to marking), what is missing before the check,
//! and the wire [`Vote`] the marks make. The ballot page renders it and forwards taps; the
//! committee's count uses the same marks for the paper ballots. Tested natively below.

use plotwise_api::{Choice, ConsultationOption, Method, OptionBallot, Round, Vote};
use yew::Reducible;

use super::widgets::{option_name, option_name_at};
use crate::api::Failure;
use crate::i18n::Lang;
use crate::i18n::{M, tr, tr_n};

/// The kind of marks a method takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Approve any number of options.
    Approval,
    /// Choose one option (plurality).
    Single,
    /// Rank options in order of preference.
    Ranked,
    /// Give each option a score.
    Scores,
}

impl Kind {
    /// The kind of `method`.
    pub fn of(method: Method) -> Kind {
        match method {
            Method::Approval => Kind::Approval,
            Method::Plurality => Kind::Single,
            Method::Score => Kind::Scores,
            Method::Borda | Method::Irv | Method::Schulze => Kind::Ranked,
        }
    }

    /// What to do, in one sentence.
    pub fn help(self) -> M {
        match self {
            Kind::Approval => M::HelpApproval,
            Kind::Single => M::HelpSingle,
            Kind::Ranked => M::HelpRanked,
            Kind::Scores => M::HelpScores,
        }
    }
}

/// The marks on an option ballot, for every kind.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Marks {
    /// Approval: approved option indices (in the order they were tapped).
    pub approved: Vec<u32>,
    /// Single and ranked: option indices, most preferred first.
    pub order: Vec<u32>,
    /// Scores: one per option position, `None` until given.
    pub scores: Vec<Option<i64>>,
}

/// A tap on a marking button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Approve option `i`, or take the approval back.
    Toggle(u32),
    /// Choose option `i` (plurality: the one choice).
    Choose(u32),
    /// Make option `i` the next choice.
    Rank(u32),
    /// Take option `i` out of the ranking (the later ones move up).
    Unrank(u32),
    /// Give the option at position `pos` the score `s`.
    Score(usize, i64),
    /// Clear every mark.
    Restart,
}

impl Marks {
    /// Empty marks for `n` options.
    pub fn new(n: usize) -> Marks {
        Marks {
            approved: vec![],
            order: vec![],
            scores: vec![None; n],
        }
    }

    /// The marks after tap `m`.
    pub fn apply(&mut self, m: Mark) {
        match m {
            Mark::Toggle(i) => match self.approved.iter().position(|&a| a == i) {
                Some(k) => {
                    self.approved.remove(k);
                }
                None => self.approved.push(i),
            },
            Mark::Choose(i) => self.order = vec![i],
            Mark::Rank(i) => {
                if !self.order.contains(&i) {
                    self.order.push(i);
                }
            }
            Mark::Unrank(i) => self.order.retain(|&a| a != i),
            Mark::Score(pos, s) => {
                if let Some(slot) = self.scores.get_mut(pos) {
                    *slot = Some(s);
                }
            }
            Mark::Restart => *self = Marks::new(self.scores.len()),
        }
    }

    /// The marks a wire ballot carries (for listing paper ballots entered at the count).
    pub fn of_ballot(b: &OptionBallot, n: usize) -> Marks {
        let mut marks = Marks::new(n);
        match b {
            OptionBallot::Approval { approved } => marks.approved = approved.clone(),
            OptionBallot::Ranking { groups } => {
                marks.order = groups.iter().flatten().copied().collect();
            }
            OptionBallot::Scores { scores } => {
                for (slot, s) in marks.scores.iter_mut().zip(scores) {
                    *slot = Some(*s);
                }
            }
        }
        marks
    }

    /// Whether option `index` (at `position`) carries a mark.
    pub fn is_marked(&self, kind: Kind, index: u32, position: usize) -> bool {
        match kind {
            Kind::Approval => self.approved.contains(&index),
            Kind::Single => self.order.first() == Some(&index),
            Kind::Ranked => self.order.contains(&index),
            Kind::Scores => self.scores.get(position).copied().flatten().is_some(),
        }
    }

    /// How many marks, in a sentence ("You approve 2 option(s)").
    pub fn status(&self, l: Lang, kind: Kind) -> String {
        match kind {
            Kind::Approval => tr_n(l, M::ApprovedCount, self.approved.len()),
            Kind::Single | Kind::Ranked => tr_n(l, M::ChosenCount, self.order.len()),
            Kind::Scores => tr_n(l, M::ScoredCount, self.scores.iter().flatten().count()),
        }
    }
}

/// The wire ballot for these marks, or the message saying what is missing.
pub fn to_ballot(kind: Kind, marks: &Marks, n: usize) -> Result<OptionBallot, M> {
    Ok(match kind {
        Kind::Approval => {
            let mut approved = marks.approved.clone();
            approved.sort_unstable();
            approved.dedup();
            OptionBallot::Approval { approved }
        }
        Kind::Single => OptionBallot::Ranking {
            groups: marks
                .order
                .first()
                .map(|&i| vec![vec![i]])
                .unwrap_or_default(),
        },
        Kind::Ranked => OptionBallot::Ranking {
            groups: marks.order.iter().map(|&i| vec![i]).collect(),
        },
        Kind::Scores => {
            if marks.scores.len() != n || marks.scores.iter().any(Option::is_none) {
                return Err(M::ScoreEveryOption);
            }
            OptionBallot::Scores {
                scores: marks.scores.iter().map(|s| s.unwrap_or(0)).collect(),
            }
        }
    })
}

/// The marks in plain words, one line per option or choice, for the confirmation.
pub fn summary(l: Lang, kind: Kind, marks: &Marks, options: &[ConsultationOption]) -> Vec<String> {
    let line = |a: String, b: &str| format!("{a}{}{b}", tr(l, M::Colon));
    match kind {
        Kind::Approval if marks.approved.is_empty() => vec![tr(l, M::BlankApproval).to_owned()],
        Kind::Approval => {
            let mut a = marks.approved.clone();
            a.sort_unstable();
            a.iter()
                .map(|&i| format!("✓ {} {}", tr(l, M::YouApprove), option_name_at(options, i)))
                .collect()
        }
        Kind::Single => match marks.order.first() {
            Some(&i) => vec![format!(
                "✓ {} {}",
                tr(l, M::YourChoice),
                option_name_at(options, i)
            )],
            None => vec![tr(l, M::BlankRanking).to_owned()],
        },
        Kind::Ranked if marks.order.is_empty() => vec![tr(l, M::BlankRanking).to_owned()],
        Kind::Ranked => {
            let mut v: Vec<String> = marks
                .order
                .iter()
                .enumerate()
                .map(|(k, &i)| line(tr_n(l, M::ChoiceN, k + 1), &option_name_at(options, i)))
                .collect();
            let rest: Vec<String> = options
                .iter()
                .filter(|o| !marks.order.contains(&o.index))
                .map(option_name)
                .collect();
            if !rest.is_empty() {
                v.push(line(tr(l, M::NotRanked).to_owned(), &rest.join("、")));
            }
            v
        }
        Kind::Scores => options
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let s = marks.scores.get(k).copied().flatten();
                let s = s.map_or_else(|| "—".to_owned(), |s| tr_n(l, M::ScorePoints, s as usize));
                line(option_name(o), &s)
            })
            .collect(),
    }
}

/// Where the resident is.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Marking the ballot.
    Marking,
    /// Checking the marks before sending.
    Confirming,
    /// Sent, waiting for the server.
    Sending,
    /// On disk: when (as the phone says), and the receipt code of the sealed ballot.
    Recorded {
        /// When, in the phone's words.
        at: String,
        /// The receipt code, when the ballot box is sealed.
        receipt: Option<String>,
    },
}

/// One ballot being filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Ballot {
    /// The option vote or the formal resolution.
    pub round: Round,
    /// The kind of marks (option vote).
    pub kind: Kind,
    /// How many options.
    pub n: usize,
    /// The marks (option vote).
    pub marks: Marks,
    /// Yes, no or abstain (formal resolution).
    pub choice: Option<Choice>,
    /// The step.
    pub step: Step,
    /// What is missing before the check, if the resident asked for it too early.
    pub missing: Option<M>,
    /// Why the server did not take the ballot.
    pub problem: Option<Failure>,
}

/// What the resident does.
#[derive(Clone, Debug, PartialEq)]
pub enum BallotAction {
    /// A tap on an option's buttons.
    Mark(Mark),
    /// Yes, no or abstain.
    Choose(Choice),
    /// "Next: check my vote".
    Next,
    /// "Go back and change".
    Back,
    /// "Cast my vote": only from the check, with a complete ballot.
    Send,
    /// The server's answer: recorded (when, receipt) or refused.
    Sent(Result<(String, Option<String>), Failure>),
}

impl Ballot {
    /// A blank ballot for `n` options counted by `method` in `round`.
    pub fn new(round: Round, method: Method, n: usize) -> Ballot {
        Ballot {
            round,
            kind: Kind::of(method),
            n,
            marks: Marks::new(n),
            choice: None,
            step: Step::Marking,
            missing: None,
            problem: None,
        }
    }

    /// The vote these marks make, or what is missing.
    pub fn vote(&self) -> Result<Vote, M> {
        match self.round {
            Round::Option => {
                to_ballot(self.kind, &self.marks, self.n).map(|ballot| Vote::Option { ballot })
            }
            Round::Resolution => self
                .choice
                .map(|choice| Vote::Resolution { choice })
                .ok_or(M::PickYesNo),
        }
    }

    /// The vote in plain words, for the check.
    pub fn lines(&self, l: Lang, options: &[ConsultationOption]) -> Vec<String> {
        match self.round {
            Round::Option => summary(l, self.kind, &self.marks, options),
            Round::Resolution => vec![match self.choice {
                Some(Choice::Yes) => format!("✓ {}", tr(l, M::Yes)),
                Some(Choice::No) => format!("✗ {}", tr(l, M::No)),
                Some(Choice::Abstain) => format!("○ {}", tr(l, M::Abstain)),
                None => "—".to_owned(),
            }],
        }
    }

    /// Whether the server's refusal is final (the ballot cannot be sent again).
    pub fn refused_for_good(&self) -> bool {
        self.problem.as_ref().is_some_and(|e| {
            matches!(
                e.code.as_str(),
                "already_voted" | "wrong_phase" | "unauthorized"
            )
        })
    }
}

impl Reducible for Ballot {
    type Action = BallotAction;

    fn reduce(self: std::rc::Rc<Self>, action: BallotAction) -> std::rc::Rc<Self> {
        let mut b = std::rc::Rc::unwrap_or_clone(self);
        // Marks change only while marking; sending and the receipt are final.
        let marking = b.step == Step::Marking;
        match action {
            BallotAction::Mark(m) if marking => {
                b.marks.apply(m);
                b.missing = None;
            }
            BallotAction::Choose(c) if marking => {
                b.choice = Some(c);
                b.missing = None;
            }
            BallotAction::Next if marking => match b.vote() {
                Ok(_) => {
                    b.missing = None;
                    b.step = Step::Confirming;
                }
                Err(m) => b.missing = Some(m),
            },
            BallotAction::Back if b.step == Step::Confirming => {
                b.problem = None;
                b.step = Step::Marking;
            }
            BallotAction::Send
                if b.step == Step::Confirming && b.vote().is_ok() && !b.refused_for_good() =>
            {
                b.problem = None;
                b.step = Step::Sending;
            }
            BallotAction::Sent(r) if b.step == Step::Sending => match r {
                Ok((at, receipt)) => b.step = Step::Recorded { at, receipt },
                Err(e) => {
                    b.problem = Some(e);
                    b.step = Step::Confirming;
                }
            },
            _ => {}
        }
        std::rc::Rc::new(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    fn options(n: u32) -> Vec<ConsultationOption> {
        (0..n)
            .map(|i| ConsultationOption {
                index: i,
                label: ["A", "B", "C"][i as usize].into(),
                title: ["Garden", "Quiet", "Parking"][i as usize].into(),
                author: "王".into(),
                sha256: String::new(),
            })
            .collect()
    }

    fn run(b: Ballot, actions: impl IntoIterator<Item = BallotAction>) -> Rc<Ballot> {
        actions.into_iter().fold(Rc::new(b), |b, a| b.reduce(a))
    }

    fn refusal(code: &str) -> Failure {
        Failure::local(code, "no")
    }

    #[test]
    fn a_ranking_goes_through_check_send_and_receipt() {
        use BallotAction::*;
        let b = run(
            Ballot::new(Round::Option, Method::Irv, 3),
            [Mark(self::Mark::Rank(0)), Mark(self::Mark::Rank(1)), Next],
        );
        assert_eq!(b.step, Step::Confirming);
        assert_eq!(
            b.lines(Lang::En, &options(3)),
            [
                "Choice 1: A · Garden",
                "Choice 2: B · Quiet",
                "Not ranked: C · Parking"
            ]
        );
        // While checking, a tap on the marks changes nothing; going back keeps them.
        let b = run((*b).clone(), [Mark(self::Mark::Rank(2)), Back]);
        assert_eq!(
            (b.step.clone(), b.marks.order.clone()),
            (Step::Marking, vec![0, 1])
        );
        let b = run((*b).clone(), [Next, Send]);
        assert_eq!(b.step, Step::Sending);
        assert_eq!(
            b.vote(),
            Ok(Vote::Option {
                ballot: OptionBallot::Ranking {
                    groups: vec![vec![0], vec![1]]
                }
            })
        );
        let b = run(
            (*b).clone(),
            [Sent(Ok(("10:00".into(), Some("abcde-fghij".into()))))],
        );
        assert!(matches!(&b.step, Step::Recorded { receipt: Some(r), .. } if r == "abcde-fghij"));
        // Recorded is final.
        let b = run((*b).clone(), [Back, Mark(self::Mark::Restart), Send]);
        assert!(matches!(b.step, Step::Recorded { .. }));
    }

    #[test]
    fn scores_must_all_be_given_before_the_check() {
        use BallotAction::*;
        let b = run(
            Ballot::new(Round::Option, Method::Score, 3),
            [
                Mark(self::Mark::Score(0, 5)),
                Mark(self::Mark::Score(2, 3)),
                Next,
            ],
        );
        assert_eq!(
            (b.step.clone(), b.missing),
            (Step::Marking, Some(M::ScoreEveryOption))
        );
        let b = run((*b).clone(), [Mark(self::Mark::Score(1, 0))]);
        assert_eq!(b.missing, None, "a new mark clears the message");
        let b = run((*b).clone(), [Next]);
        assert_eq!(b.step, Step::Confirming);
        assert_eq!(
            b.lines(Lang::ZhCn, &options(3)),
            ["A · Garden：5 分", "B · Quiet：0 分", "C · Parking：3 分"]
        );
    }

    #[test]
    fn approvals_toggle_and_a_blank_approval_is_allowed() {
        let mut m = Marks::new(3);
        for i in [0, 1, 2, 1] {
            m.apply(Mark::Toggle(i));
        }
        assert_eq!(
            to_ballot(Kind::Approval, &m, 3),
            Ok(OptionBallot::Approval {
                approved: vec![0, 2]
            })
        );
        assert!(m.is_marked(Kind::Approval, 2, 2) && !m.is_marked(Kind::Approval, 1, 1));
        assert_eq!(
            m.status(Lang::En, Kind::Approval),
            "You approve 2 option(s)"
        );
        let blank = Marks::new(3);
        assert_eq!(
            summary(Lang::ZhCn, Kind::Approval, &blank, &options(3)),
            ["您没有同意任何方案（空白票）"]
        );
    }

    #[test]
    fn a_single_choice_replaces_the_last_and_unranking_moves_the_rest_up() {
        let mut m = Marks::new(3);
        m.apply(Mark::Choose(2));
        m.apply(Mark::Choose(1));
        assert_eq!(m.order, [1]);
        let mut r = Marks::new(3);
        for i in [2, 0, 1] {
            r.apply(Mark::Rank(i));
        }
        r.apply(Mark::Rank(0));
        r.apply(Mark::Unrank(0));
        assert_eq!(r.order, [2, 1]);
        r.apply(Mark::Restart);
        assert_eq!(r, Marks::new(3));
        // A wire ballot reads back into the same marks.
        let b = to_ballot(
            Kind::Ranked,
            &Marks {
                order: vec![2, 1],
                ..Marks::new(3)
            },
            3,
        )
        .unwrap();
        assert_eq!(Marks::of_ballot(&b, 3).order, [2, 1]);
    }

    #[test]
    fn the_resolution_needs_an_answer_and_a_final_refusal_cannot_be_resent() {
        use BallotAction::*;
        let b = run(Ballot::new(Round::Resolution, Method::Approval, 1), [Next]);
        assert_eq!(b.missing, Some(M::PickYesNo));
        let b = run((*b).clone(), [Choose(Choice::No), Next, Send]);
        assert_eq!(b.lines(Lang::En, &options(1)), ["✗ No"]);
        // A network fault: back to the check, and the same ballot can go again.
        let b = run((*b).clone(), [Sent(Err(refusal("network")))]);
        assert_eq!(b.step, Step::Confirming);
        let b = run((*b).clone(), [Send]);
        assert_eq!(b.step, Step::Sending);
        // Already voted: final.
        let b = run((*b).clone(), [Sent(Err(refusal("already_voted"))), Send]);
        assert_eq!(b.step, Step::Confirming);
        assert!(b.refused_for_good());
    }
}
