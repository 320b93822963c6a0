//! Committee accounts, consultations, electorates, ballot tokens, ballots and results.
//!
//! Who may call what is documented on each endpoint in `plotwise-server`'s crate docs; these
//! are only the shapes. What a count is made of (the method, a resolution choice, the headcount
//! and tie-break rules, an explanation, a tie-break record, exact fractions, checked thresholds)
//! is `plotwise-vote`'s own types, re-exported here: the server sends what `plotwise-vote`
//! computed and the browser reads the same types, with no mapping in between.

use serde::{Deserialize, Serialize};

pub use plotwise_vote::{
    Base, Check, Choice, Cmp, Condition, Explanation, Fraction, HalfPoints, HeadcountRule,
    IrvRound, Measure, Method, TieBreak, TieBreakRecord,
};

// ----- Committee accounts and sessions -----

/// `POST /api/setup`: creates the first committee account. Accepted only while no account
/// exists, and only with the one-time setup code the server prints to its log at start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupRequest {
    /// The setup code from the server's log.
    pub setup_code: String,
    /// The new account's user name.
    pub username: String,
    /// The new account's password (at least 10 characters).
    pub password: String,
}

/// `POST /api/login` and `POST /api/accounts`: a user name and a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The user name.
    pub username: String,
    /// The password.
    pub password: String,
}

/// The signed-in committee member (`POST /api/login`, `GET /api/session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The user name.
    pub username: String,
    /// Send this value in the `X-CSRF-Token` header of every state-changing request.
    pub csrf_token: String,
}

/// A committee account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The account's id.
    pub id: i64,
    /// The user name.
    pub username: String,
    /// Disabled: it cannot sign in and its sessions no longer work.
    #[serde(default)]
    pub disabled: bool,
}

/// `PUT /api/session/password`: the signed-in member changes their own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    /// The password now.
    pub current: String,
    /// The new one (at least 10 characters).
    pub new: String,
}

// ----- Consultations -----

/// Where a consultation is in its life cycle. Each phase leads only to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being set up by the committee.
    Draft,
    /// Residents submit layouts as proposals.
    Collecting,
    /// The shortlist is frozen: each option's exact layout and its SHA-256 are fixed.
    Frozen,
    /// The option vote is open.
    Voting,
    /// The option vote is closed.
    Closed,
    /// The formal resolution (yes / no / abstain on the adopted option) is open.
    Resolution,
    /// The committee has validated the result.
    Validated,
    /// The result is published.
    Published,
}

impl Phase {
    /// Every phase, in order.
    pub const ALL: [Phase; 8] = [
        Phase::Draft,
        Phase::Collecting,
        Phase::Frozen,
        Phase::Voting,
        Phase::Closed,
        Phase::Resolution,
        Phase::Validated,
        Phase::Published,
    ];

    /// The phase's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Draft => "draft",
            Phase::Collecting => "collecting",
            Phase::Frozen => "frozen",
            Phase::Voting => "voting",
            Phase::Closed => "closed",
            Phase::Resolution => "resolution",
            Phase::Validated => "validated",
            Phase::Published => "published",
        }
    }

    /// The phase named `s`, if any.
    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The phase that follows this one.
    pub fn next(self) -> Option<Phase> {
        let i = Phase::ALL.iter().position(|&p| p == self)?;
        Phase::ALL.get(i + 1).copied()
    }
}

/// The formal resolution's rule (the presets of `plotwise resolve`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionRule {
    /// `art278-ordinary`, `art278-major`, `building-two-thirds`, `support-10` or `custom`.
    pub rule: String,
    /// The building, for `building-two-thirds`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    /// The quorum, for `custom`, e.g. `"area>=2/3,headcount>=2/3"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<String>,
    /// The pass threshold, for `custom`, e.g. `"area>1/2,headcount>1/2"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
}

/// A consultation's rules, fixed when the option vote opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The option vote's counting method.
    pub method: Method,
    /// The highest score, for [`Method::Score`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<u32>,
    /// How ties are broken: [`TieBreak::Committee`], [`TieBreak::Seed`] or
    /// [`TieBreak::ShortlistOrder`] (the server refuses the others in settings).
    pub tie_break: TieBreak,
    /// The formal resolution's rule.
    pub resolution: ResolutionRule,
    /// How headcount is counted.
    pub headcount: HeadcountRule,
}

/// `POST /api/consultations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewConsultation {
    /// The title shown to residents.
    pub title: String,
    /// A longer description.
    #[serde(default)]
    pub description: String,
    /// The rules.
    pub settings: Settings,
}

/// An option of the frozen shortlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationOption {
    /// The option's 0-based index: the number used on ballots.
    pub index: u32,
    /// The option's letter on paper ballots (`A`, `B`, …).
    pub label: String,
    /// The proposal's title.
    pub title: String,
    /// The proposal's author.
    pub author: String,
    /// Lower-case hex SHA-256 of the exact layout JSON bytes stored
    /// (`GET /api/consultations/{id}/options/{index}/layout`).
    pub sha256: String,
}

/// `GET /api/consultations/{id}/comparison`: the frozen options measured side by side by the
/// server with `plotwise-plan`'s comparison (the same rules, sun included, as
/// `plotwise check`), so the public pages carry no rule engine of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionComparison {
    /// Whether every option has the same plot outline (otherwise areas are not comparable).
    pub same_plot: bool,
    /// Key figures of each option, in option order.
    pub options: Vec<OptionFigures>,
    /// The metrics table: one row per measure, one value per option (in option order).
    pub rows: Vec<ComparisonRow>,
}

/// The key figures of one option (shown under its drawing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionFigures {
    /// The option's index.
    pub index: u32,
    /// Seats.
    pub seats: u32,
    /// Planting and lawn over the plot area (0–1).
    pub green_ratio: f64,
    /// The bill of quantities' total, CNY.
    pub cost_total: f64,
    /// Error findings.
    pub errors: u32,
    /// Warning findings.
    pub warnings: u32,
}

/// One row of [`OptionComparison`]'s table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Stable key (`green_ratio`).
    pub key: String,
    /// The label in English.
    pub label_en: String,
    /// The label in Chinese.
    pub label_zh: String,
    /// Unit (`m²`, `%`, `CNY`, …; empty for counts).
    pub unit: String,
    /// One value per option (`null` where it does not apply).
    pub values: Vec<Option<f64>>,
    /// The option indices whose value is this row's best (empty when the row has no
    /// direction or every option has the same value).
    #[serde(default)]
    pub best: Vec<u32>,
}

/// What the server knows about a consultation's electorate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ElectorateSummary {
    /// Units.
    pub units: u64,
    /// Distinct buildings.
    pub buildings: u64,
    /// Distinct owners.
    pub owners: u64,
    /// Total exclusive area in m², as the exact decimal sum.
    pub total_area_m2: String,
}

/// A consultation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    /// Its id.
    pub id: i64,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The phase.
    pub phase: Phase,
    /// The rules.
    pub settings: Settings,
    /// The frozen shortlist (empty before [`Phase::Frozen`]).
    pub options: Vec<ConsultationOption>,
    /// The option put to the formal resolution, once chosen.
    pub adopted_option: Option<u32>,
    /// The electorate.
    pub electorate: ElectorateSummary,
    /// The option vote's ballot box.
    #[serde(default)]
    pub ballot_box: BallotBox,
}

/// The state of a consultation's ballot box for the option vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotBox {
    /// No box: the vote has not opened.
    #[default]
    None,
    /// Sealed: ballots are sealed to its key, which only both scrutineers' codes open.
    Sealed,
    /// Opened at the count: the ballots are shuffled and stored without their units.
    Opened,
    /// A vote opened by a Plotwise older than the sealed box: its ballots were stored
    /// unsealed (still without units); it is counted without codes.
    Unsealed,
}

/// The answer to `POST /api/consultations/{id}/open-vote`: the vote is open, and the two
/// scrutineers' codes are shown this once (the server keeps neither).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenedVote {
    /// The consultation, now `voting`.
    pub consultation: Consultation,
    /// One code per scrutineer (24 digits in groups of four); both open the box at the count.
    pub codes: [String; 2],
}

/// `POST /api/consultations/{id}/count`: the supervised count. The scrutineers' codes open
/// the box; the paper ballots from the physical box come in as one anonymous batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRequest {
    /// Both scrutineers' codes, in either order.
    pub codes: [String; 2],
    /// The paper ballots found in the box, without units.
    #[serde(default)]
    pub paper_ballots: Vec<OptionBallot>,
    /// Paper ballots found in the box that could not be read (spoiled); they count towards
    /// the number of envelopes, not for any option.
    #[serde(default)]
    pub spoiled: u32,
}

/// What the count found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CountSummary {
    /// Online ballots opened.
    pub online: u64,
    /// Paper ballots entered.
    pub paper: u64,
    /// Spoiled paper ballots.
    pub spoiled: u64,
}

/// The answer to [`CountRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountReport {
    /// The consultation, now `closed`.
    pub consultation: Consultation,
    /// The numbers, which reconcile with participation.
    pub counted: CountSummary,
    /// The box had already been opened by an earlier attempt that failed afterwards; this
    /// one finished it (its codes and paper ballots were not needed).
    pub resumed: bool,
}

/// The receipt codes of the counted online ballots (`GET /api/consultations/{id}/receipts`),
/// in code order: a voter checks that theirs is among them. They name sealed envelopes, not
/// choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipts {
    /// The codes, sorted.
    pub codes: Vec<String>,
}

/// `POST /api/consultations/{id}/proposals`: a resident's layout, while proposals are collected.
///
/// `L` is the layout document, a JSON object: `plotwise-plan`'s `LayoutDocument`, which this
/// crate does not know. The web app sends `NewProposal<LayoutDocument>`; the server reads the
/// layout as a JSON object, checks it against the layout bounds, and stores it byte for byte
/// as it serialises it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProposal<L> {
    /// Its title.
    pub title: String,
    /// Who proposes it.
    pub author: String,
    /// The layout document.
    pub layout: L,
}

/// A submitted proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Who proposed it.
    pub author: String,
    /// SHA-256 of the stored layout JSON.
    pub sha256: String,
}

/// `POST /api/consultations/{id}/transition`: move to the next phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The phase to move to; it must be the next one.
    pub to: Phase,
    /// For `frozen`: the proposals to shortlist, in the order of the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposal_ids: Vec<i64>,
    /// For `resolution`: the option put to the formal vote (by default the single winner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<u32>,
}

/// A unit of the electorate as the committee sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// The unit id.
    pub unit: String,
    /// Its building.
    pub building: String,
    /// Its exclusive area (the decimal as imported).
    pub area_m2: String,
    /// Its owner key.
    pub owner: String,
}

// ----- Tokens and ballots -----

/// Which of a consultation's two votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// The secret option vote.
    Option,
    /// The signed formal resolution.
    Resolution,
}

impl Round {
    /// The round's name on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Round::Option => "option",
            Round::Resolution => "resolution",
        }
    }
}

/// `POST /api/consultations/{id}/tokens[?format=sheet]`: issue one-time ballot tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueTokens {
    /// The vote the tokens are for.
    pub round: Round,
    /// The address printed in the QR codes, e.g. `https://plotwise.example.org`.
    pub base_url: String,
    /// Only these units (to replace lost tokens: their unused old token stops working);
    /// every unit without a token when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<Vec<String>>,
}

/// One issued token. The server keeps only its keyed hash: this is the one time it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The unit.
    pub unit: String,
    /// The unit's building.
    pub building: String,
    /// The token (26 characters of base32, 128 random bits).
    pub token: String,
    /// The ballot page's address with the token, as put in the QR code:
    /// `{base_url}/#/ballot/{token}` (the token stays in the fragment, out of server logs).
    pub url: String,
}

/// The answer to [`IssueTokens`] in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedTokens {
    /// The vote.
    pub round: Round,
    /// The tokens, by building and unit.
    pub tokens: Vec<IssuedToken>,
}

/// An option-vote ballot. Alternatives are option indices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptionBallot {
    /// For plurality, Borda, instant-runoff and Schulze: groups of options, most preferred
    /// first; options in one group are tied; options in no group are unranked.
    Ranking {
        /// The groups.
        groups: Vec<Vec<u32>>,
    },
    /// For approval: the approved options.
    Approval {
        /// The approved options.
        approved: Vec<u32>,
    },
    /// For score: one score per option, in option order.
    Scores {
        /// The scores.
        scores: Vec<i64>,
    },
}

/// What a ballot says, in either round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "round", rename_all = "snake_case")]
pub enum Vote {
    /// An option-vote ballot.
    Option {
        /// The ballot.
        ballot: OptionBallot,
    },
    /// A formal-resolution ballot.
    Resolution {
        /// The choice.
        choice: Choice,
    },
}

/// `POST /api/ballots`: a resident's online ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineBallot {
    /// The one-time token.
    pub token: String,
    /// The ballot.
    pub vote: Vote,
}

/// `POST /api/consultations/{id}/paper-ballots`: a signed paper ballot of the formal
/// resolution entered by the committee (option-vote paper ballots are anonymous: see
/// [`PaperVoter`] and [`CountRequest`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperBallot {
    /// The unit that cast it.
    pub unit: String,
    /// The ballot.
    pub vote: Vote,
}

/// `POST /api/consultations/{id}/paper-voters`: the paper desk marks that a unit has put its
/// option-vote ballot in the box. What the ballot says is entered at the count, without the
/// unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperVoter {
    /// The unit at the desk.
    pub unit: String,
}

/// The answer to an accepted ballot: it is on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotReceipt {
    /// The round it counts in.
    pub round: Round,
    /// For an online option ballot in a sealed box: the receipt code to check, once the
    /// result is published, that the ballot was counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<String>,
}

/// `POST /api/ballot-page`: what a token opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenQuery {
    /// The token.
    pub token: String,
}

/// The ballot page for a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotPage {
    /// The consultation.
    pub consultation_id: i64,
    /// Its title.
    pub title: String,
    /// The vote this token is for.
    pub round: Round,
    /// Whether that vote is open now.
    pub open: bool,
    /// Whether the unit has already voted in it (online or on paper).
    pub already_voted: bool,
    /// The counting method (option vote).
    pub method: Method,
    /// The highest score (score method).
    pub max_score: Option<u32>,
    /// The options.
    pub options: Vec<ConsultationOption>,
    /// The option put to the formal resolution.
    pub adopted_option: Option<u32>,
}

// ----- Results -----

/// Participation in one vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participation {
    /// Units that voted.
    pub units_voted: u64,
    /// Of which online.
    pub online: u64,
    /// Of which on paper.
    pub paper: u64,
    /// Units in the electorate.
    pub units_total: u64,
    /// Share of all exclusive area that took part (`"p/q"` in lowest terms).
    pub area: Fraction,
    /// Share of the headcount that took part (`"p/q"` in lowest terms).
    pub headcount: Fraction,
    /// The quorum's conditions (on participation), each checked by `plotwise-vote`; empty when
    /// the rule has none.
    pub quorum: Vec<Check>,
    /// Whether the quorum is met (every condition holds).
    pub quorum_met: bool,
}

/// The option vote's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionResult {
    /// The method.
    pub method: Method,
    /// Ballots counted.
    pub ballots: u64,
    /// Every tied winner, by option index.
    pub winners: Vec<u32>,
    /// How a tie was broken, if one was, with options named by their labels.
    pub tie_broken_by: Option<TieBreakRecord>,
    /// The numbers behind the count (scores, rounds, pairwise matrix), per option in option
    /// order.
    pub explanation: Explanation,
    /// The explanation as text a committee can read.
    pub explanation_text: String,
}

/// The formal resolution's totals (published) and outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolutionResult {
    /// The rule.
    pub rule: ResolutionRule,
    /// Units voting yes, no, abstain.
    pub yes: u64,
    /// Units voting no.
    pub no: u64,
    /// Units abstaining.
    pub abstain: u64,
    /// Whether the quorum is met.
    pub quorum_met: bool,
    /// Whether the resolution passed.
    pub passed: bool,
    /// Approval among participants by area (`"p/q"`).
    pub approval_area: Fraction,
    /// Approval among participants by headcount (`"p/q"`).
    pub approval_headcount: Fraction,
    /// The rule's pass conditions, each checked by `plotwise-vote` (on approval among the
    /// participants, or on support among all eligible, as the rule says).
    pub pass: Vec<Check>,
}

/// Digests printed on the result sheet, so anyone can check the exports. A digest appears
/// only once what it digests may be seen: while a vote is open a digest of its ballots would
/// let anyone who knows all the other ballots find the newest one by trying each possible
/// ballot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digests {
    /// SHA-256 over the frozen options: each option's line `index label sha256\n`, in order.
    pub options_sha256: String,
    /// SHA-256 of the option-vote ballots export (`/export/ballots.csv`) byte for byte, once
    /// the box is opened.
    pub option_ballots_sha256: Option<String>,
    /// SHA-256 of the receipt list (`/receipts`, one code per line), once the box is opened.
    #[serde(default)]
    pub receipts_sha256: Option<String>,
    /// SHA-256 of the resolution register export (`/export/register.csv`) byte for byte, once
    /// the result is validated.
    pub resolution_register_sha256: Option<String>,
}

/// `GET /api/consultations/{id}/results`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// The consultation.
    pub consultation_id: i64,
    /// Its phase when the results were computed.
    pub phase: Phase,
    /// Participation in the option vote.
    pub option_participation: Participation,
    /// The option vote's count (from the closed phase on).
    pub option_result: Option<OptionResult>,
    /// What the count found in the box (from the closed phase on).
    #[serde(default)]
    pub counted: Option<CountSummary>,
    /// Participation in the formal resolution.
    pub resolution_participation: Option<Participation>,
    /// The formal resolution (from the validated phase on).
    pub resolution: Option<ResolutionResult>,
    /// The receipt codes of the counted online ballots, sorted (from the closed phase on):
    /// what a voter checks their receipt against. Also at `/receipts`.
    #[serde(default)]
    pub receipts: Option<Vec<String>>,
    /// The digests.
    pub digests: Digests,
}

/// One line of the audit log (committee only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its sequence number.
    pub id: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who: a committee user name, `online` or `system`.
    pub actor: String,
    /// What happened, e.g. `double_vote_refused`.
    pub action: String,
    /// Details (which unit, which channel).
    pub detail: String,
}

/// One unit that has voted in a round, and how (`GET /api/consultations/{id}/participation`,
/// committee only). Never what it voted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voted {
    /// The unit.
    pub unit: String,
    /// `online` or `paper`: the channel that came first.
    pub channel: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Settings as servers before the typed wire stored them in the database (the old api
    /// types' serialisation, field for field): each must read, and write back the same bytes.
    #[test]
    fn stored_settings_read_and_write_back_byte_for_byte() {
        let stored = [
            r#"{"method":"irv","tie_break":{"rule":"shortlist_order"},"resolution":{"rule":"art278-major"},"headcount":"owner"}"#,
            r#"{"method":"score","max_score":5,"tie_break":{"rule":"seed","seed":18446744073709551615},"resolution":{"rule":"custom","quorum":"area>=2/3,headcount>=2/3","pass":"area>1/2"},"headcount":"unit"}"#,
            r#"{"method":"approval","tie_break":{"rule":"committee"},"resolution":{"rule":"building-two-thirds","building":"3"},"headcount":"owner"}"#,
            r#"{"method":"plurality","tie_break":{"rule":"committee"},"resolution":{"rule":"support-10"},"headcount":"unit"}"#,
            r#"{"method":"borda","tie_break":{"rule":"seed","seed":0},"resolution":{"rule":"art278-ordinary"},"headcount":"owner"}"#,
            r#"{"method":"schulze","tie_break":{"rule":"shortlist_order"},"resolution":{"rule":"art278-ordinary"},"headcount":"owner"}"#,
        ];
        for text in stored {
            let s: Settings = serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(serde_json::to_string(&s).unwrap(), text);
        }
        let s: Settings = serde_json::from_str(stored[1]).unwrap();
        assert_eq!(s.method, Method::Score);
        assert_eq!(s.tie_break, TieBreak::Seed { seed: u64::MAX });
        assert_eq!(s.headcount, HeadcountRule::Unit);
        for bad in [
            r#"{"method":"stv","tie_break":{"rule":"committee"},"resolution":{"rule":"support-10"},"headcount":"unit"}"#,
            r#"{"method":"irv","tie_break":{"rule":"coin"},"resolution":{"rule":"support-10"},"headcount":"unit"}"#,
            r#"{"method":"irv","tie_break":{"rule":"committee"},"resolution":{"rule":"support-10"},"headcount":"flat"}"#,
        ] {
            assert!(serde_json::from_str::<Settings>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ballots_read_as_before() {
        let v: Vote = serde_json::from_str(r#"{"round":"resolution","choice":"abstain"}"#).unwrap();
        assert_eq!(
            v,
            Vote::Resolution {
                choice: Choice::Abstain
            }
        );
        assert!(
            serde_json::from_str::<Vote>(r#"{"round":"resolution","choice":"maybe"}"#).is_err()
        );
        let page: BallotPage = serde_json::from_str(
            r#"{"consultation_id":1,"title":"t","round":"option","open":true,"already_voted":false,"method":"irv","max_score":null,"options":[],"adopted_option":null}"#,
        )
        .unwrap();
        assert_eq!(page.method, Method::Irv);
    }

    #[test]
    fn results_carry_vote_types_as_json_strings_and_objects() {
        let text = r#"{"consultation_id":7,"phase":"published",
            "option_participation":{"units_voted":2,"online":1,"paper":1,"units_total":3,
                "area":"2/3","headcount":"1/2",
                "quorum":[{"base":"participation","measure":"area","cmp":">=","threshold":"2/3","value":"2/3","met":true}],
                "quorum_met":true},
            "option_result":{"method":"irv","ballots":2,"winners":[0],
                "tie_broken_by":{"rule":"seed","seed":5,"algorithm":"splitmix64-mod","sorted_tied":["A","B"],"draw":9,"index":1,"winner":"B"},
                "explanation":{"kind":"irv","rounds":[{"votes":[1,1,null],"exhausted":0,"eliminated":[],"all_tied":true}]},
                "explanation_text":"…"},
            "resolution_participation":null,"resolution":null,
            "digests":{"options_sha256":"x","option_ballots_sha256":null,"resolution_register_sha256":null}}"#;
        let r: Results = serde_json::from_str(text).unwrap();
        assert_eq!(r.option_participation.area.to_string(), "2/3");
        assert!(r.option_participation.quorum[0].met);
        let o = r.option_result.as_ref().unwrap();
        assert_eq!(o.tie_broken_by.as_ref().unwrap().winner(), "B");
        let Explanation::Irv { rounds } = &o.explanation else {
            panic!("not irv")
        };
        assert_eq!(rounds[0].votes, vec![Some(1), Some(1), None]);
        let again: Results = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn a_proposal_carries_its_layout_as_a_json_object() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Doc {
            schema_version: u32,
            zones: Vec<u32>,
        }
        let text = r#"{"title":"t","author":"a","layout":{"schema_version":2,"zones":[1,2]}}"#;
        let p: NewProposal<Doc> = serde_json::from_str(text).unwrap();
        assert_eq!(
            p.layout,
            Doc {
                schema_version: 2,
                zones: vec![1, 2]
            }
        );
        assert_eq!(serde_json::to_string(&p).unwrap(), text);
    }
}
