//! The committee's page state, without yew's hooks or the network: the page (which version
//! of the consultation is shown, the scrutineers' codes while on screen), a step that cannot
//! be undone (armed by a first tap, done by a second), a form sent to the server, the
//! shortlist of proposals, and the ballot tokens to issue. The components render these and
//! forward taps; the tests below run them natively.

use std::rc::Rc;

use plotwise_api::{IssuedToken, Phase, Round};
use yew::Reducible;

use crate::api::Failure;

/// The committee's page for one consultation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// Bumped after every change, so every section reloads.
    pub version: u32,
    /// The scrutineers' codes, from the moment the box is sealed until both have their card.
    pub codes: Option<[String; 2]>,
}

/// What happens on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// Something changed on the server: load again.
    Reload,
    /// The vote opened and the box is sealed with these codes (shown once).
    Opened([String; 2]),
    /// Both scrutineers have their card: the codes leave the page.
    CodesDone,
}

impl Reducible for Page {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut p = Rc::unwrap_or_clone(self);
        match action {
            PageAction::Reload => p.version += 1,
            PageAction::Opened(codes) => {
                p.codes = Some(codes);
                p.version += 1;
            }
            PageAction::CodesDone => p.codes = None,
        }
        Rc::new(p)
    }
}

/// A step that cannot be undone: a first tap arms it, a second does it (or Cancel).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TwoStep {
    /// Armed: the "yes, do it" button is shown.
    pub armed: bool,
    /// Sent, waiting for the server.
    pub busy: bool,
    /// Why the server refused the last try.
    pub problem: Option<Failure>,
}

/// What happens to a [`TwoStep`].
#[derive(Clone, Debug, PartialEq)]
pub enum TwoStepAction {
    /// The first tap.
    Arm,
    /// Not now.
    Cancel,
    /// The second tap: sent.
    Start,
    /// The server's answer.
    Done(Result<(), Failure>),
}

impl TwoStep {
    /// Whether the second tap may send now.
    pub fn can_start(&self) -> bool {
        self.armed && !self.busy
    }
}

impl Reducible for TwoStep {
    type Action = TwoStepAction;

    fn reduce(self: Rc<Self>, action: TwoStepAction) -> Rc<Self> {
        let mut s = Rc::unwrap_or_clone(self);
        match action {
            TwoStepAction::Arm if !s.busy => s.armed = true,
            TwoStepAction::Cancel if !s.busy => s.armed = false,
            TwoStepAction::Start if s.can_start() => s.busy = true,
            TwoStepAction::Done(r) if s.busy => {
                s.busy = false;
                s.armed = false;
                s.problem = r.err();
            }
            _ => {}
        }
        Rc::new(s)
    }
}

/// A form sent to the server (rules, electorate, a proposal, tokens).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    /// Sent, waiting for the answer.
    pub busy: bool,
    /// Why the last try failed (the server's answer, or a field left empty).
    pub problem: Option<Failure>,
    /// The last try succeeded (and nothing changed since).
    pub done: bool,
}

/// What happens to a [`Form`].
#[derive(Clone, Debug, PartialEq)]
pub enum FormAction {
    /// A field changed: the last success no longer holds.
    Edited,
    /// Sent.
    Start,
    /// The answer, or a check in the browser that failed.
    Done(Result<(), Failure>),
}

impl Reducible for Form {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut f = Rc::unwrap_or_clone(self);
        match action {
            FormAction::Edited => f.done = false,
            FormAction::Start => {
                f.busy = true;
                f.done = false;
            }
            FormAction::Done(r) => {
                f.busy = false;
                f.done = r.is_ok();
                f.problem = r.err();
            }
        }
        Rc::new(f)
    }
}

/// The shortlist: the proposals picked, in the order picked (the options' letters follow it).
pub fn toggle_pick(picked: &[i64], id: i64) -> Vec<i64> {
    let mut v = picked.to_vec();
    match v.iter().position(|&x| x == id) {
        Some(k) => {
            v.remove(k);
        }
        None => v.push(id),
    }
    v
}

/// What the last issue of tokens gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Issued {
    /// A printable sheet (an object URL of its HTML) with this many cards.
    Sheet {
        /// The sheet's object URL.
        url: String,
        /// How many cards it holds.
        cards: usize,
    },
    /// A list.
    List(Vec<IssuedToken>),
}

impl Issued {
    /// Whether nothing new was issued (every unit already had a code).
    pub fn is_empty(&self) -> bool {
        match self {
            Issued::Sheet { cards, .. } => *cards == 0,
            Issued::List(v) => v.is_empty(),
        }
    }
}

/// The number of cards in a QR sheet's HTML.
pub fn cards_in(sheet_html: &str) -> usize {
    sheet_html.matches("class=\"card\"").count()
}

/// The units typed for replacement codes: separated by commas (either width), spaces, new
/// lines or 、.
pub fn units_typed(text: &str) -> Vec<String> {
    text.split([',', '，', '\n', ' ', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The votes tokens can be issued for in `phase`, and the one offered first.
pub fn token_rounds(phase: Phase) -> (Vec<Round>, Round) {
    match phase {
        Phase::Frozen | Phase::Voting => (vec![Round::Option, Round::Resolution], Round::Option),
        _ => (vec![Round::Resolution], Round::Resolution),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<R: Reducible + Clone>(r: R, actions: Vec<R::Action>) -> Rc<R> {
        actions.into_iter().fold(Rc::new(r), |r, a| r.reduce(a))
    }

    #[test]
    fn a_step_that_cannot_be_undone_takes_two_taps() {
        use TwoStepAction::*;
        // The second button alone does nothing.
        let s = run(TwoStep::default(), vec![Start]);
        assert!(!s.busy);
        let s = run(TwoStep::default(), vec![Arm, Cancel, Start]);
        assert!(!s.busy && !s.armed);
        let s = run(TwoStep::default(), vec![Arm, Start, Start]);
        assert!(s.busy, "sent once");
        // Refused: the reason stays, the button is back to its first state.
        let s = run((*s).clone(), vec![Done(Err(Failure::local("tie", "tied")))]);
        assert!(!s.busy && !s.armed);
        assert_eq!(s.problem.as_ref().map(|p| p.code.as_str()), Some("tie"));
        let s = run((*s).clone(), vec![Arm, Start, Done(Ok(()))]);
        assert_eq!(*s, TwoStep::default());
    }

    #[test]
    fn a_form_says_saved_until_edited_again() {
        use FormAction::*;
        let f = run(Form::default(), vec![Start]);
        assert!(f.busy && !f.done);
        let f = run((*f).clone(), vec![Done(Ok(()))]);
        assert!(f.done && !f.busy && f.problem.is_none());
        let f = run((*f).clone(), vec![Edited]);
        assert!(!f.done);
        let f = run(
            (*f).clone(),
            vec![Done(Err(Failure::local("form", "empty")))],
        );
        assert!(!f.done && f.problem.is_some());
    }

    #[test]
    fn the_page_reloads_and_shows_the_codes_once() {
        let p = run(
            Page::default(),
            vec![
                PageAction::Reload,
                PageAction::Opened(["1".into(), "2".into()]),
            ],
        );
        assert_eq!(p.version, 2);
        assert!(p.codes.is_some());
        let p = run((*p).clone(), vec![PageAction::CodesDone]);
        assert_eq!((p.version, p.codes.clone()), (2, None));
    }

    #[test]
    fn the_shortlist_keeps_the_order_picked() {
        let v = toggle_pick(&[], 7);
        let v = toggle_pick(&v, 3);
        let v = toggle_pick(&v, 9);
        assert_eq!(toggle_pick(&v, 3), [7, 9]);
    }

    #[test]
    fn tokens_units_cards_and_rounds() {
        assert_eq!(
            units_typed("1-101, 2-304，3-1\n4-2、 5-5 "),
            ["1-101", "2-304", "3-1", "4-2", "5-5"]
        );
        assert!(units_typed(" ,， ").is_empty());
        assert_eq!(
            cards_in(r#"<div class="card">a</div><div class="card">b</div>"#),
            2
        );
        assert!(
            Issued::Sheet {
                url: String::new(),
                cards: 0
            }
            .is_empty()
        );
        assert_eq!(token_rounds(Phase::Voting).1, Round::Option);
        assert_eq!(
            token_rounds(Phase::Closed),
            (vec![Round::Resolution], Round::Resolution)
        );
    }
}
