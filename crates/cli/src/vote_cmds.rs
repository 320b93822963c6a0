//! `plotwise tally` and `resolve`: glue around `plotwise-vote`.
//!
//! Both read their files, hand the text to the library, and print JSON (or, with
//! `--format text`, the explanation in English then Chinese) on stdout. Bad input is one line
//! on stderr naming the file and line or the option, and exit code 2.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use clap::Args;
use plotwise_vote::preflib::{self, PreflibKind};
use plotwise_vote::{
    AnyProfile, BallotKind, Electorate, HeadcountRule, Lang, Method, Rule, TieBreak, Votes,
};
use serde_json::json;

use crate::Failure;

#[derive(Args)]
pub struct TallyArgs {
    /// Ballots: a PrefLib file (.soc/.soi/.toc/.toi/.cat) or CSV.
    ballots: PathBuf,
    /// The counting method: plurality, approval, score, borda, irv or schulze.
    #[arg(long)]
    method: String,
    /// How to break a tie for the win: none, order:A,B,… or seed:N.
    #[arg(long, default_value = "none")]
    tie_break: String,
    /// Output format: json or text.
    #[arg(long, default_value = "json")]
    format: String,
}

#[derive(Args)]
pub struct ResolveArgs {
    /// Votes: CSV with the header `unit,choice` (yes, no or abstain).
    votes: PathBuf,
    /// The electorate: CSV with the header `unit,building,area_m2,owner`.
    #[arg(long)]
    electorate: PathBuf,
    /// The rule: art278-ordinary, art278-major, building-two-thirds, support-10 or custom.
    #[arg(long)]
    rule: String,
    /// Headcount by owner (default) or by unit.
    #[arg(long, default_value = "owner")]
    headcount: String,
    /// The building, for building-two-thirds.
    #[arg(long)]
    building: Option<String>,
    /// Quorum conditions for custom, e.g. "area>=2/3,headcount>=2/3".
    #[arg(long)]
    quorum: Option<String>,
    /// Pass conditions for custom, e.g. "area>1/2,headcount>1/2".
    #[arg(long)]
    pass: Option<String>,
    /// Output format: json or text.
    #[arg(long, default_value = "json")]
    format: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
}

fn parse_format(s: &str) -> anyhow::Result<Format> {
    match s {
        "json" => Ok(Format::Json),
        "text" => Ok(Format::Text),
        _ => Err(anyhow!("--format {s:?}: expected json or text")),
    }
}

fn read(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("{}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{}: not UTF-8 text (byte {} is invalid)",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The PrefLib type given by a file's extension, if any.
fn preflib_extension(path: &Path) -> Option<PreflibKind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    ext.parse().ok()
}

fn print_json(v: &serde_json::Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(v).context("writing JSON")?;
    println!("{text}");
    Ok(())
}

/// The ballots of `args` as a profile of `kind` (the method's), and the file's format.
fn read_ballots(args: &TallyArgs, kind: BallotKind) -> anyhow::Result<(AnyProfile, &'static str)> {
    let path = &args.ballots;
    let shown = path.display();
    let text = read(path)?;
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let hint = preflib_extension(path);
    if is_csv || (hint.is_none() && !text.trim_start().starts_with('#')) {
        let context = || format!("{shown}");
        let ballots = match kind {
            BallotKind::Ranked => {
                AnyProfile::Ranked(plotwise_vote::csv::read_ranked(&text).with_context(context)?)
            }
            BallotKind::Approval => AnyProfile::Approval(
                plotwise_vote::csv::read_approval(&text).with_context(context)?,
            ),
            BallotKind::Score => {
                AnyProfile::Scores(plotwise_vote::csv::read_scores(&text).with_context(context)?)
            }
        };
        return Ok((ballots, "csv"));
    }
    let file = preflib::parse(&text, hint).with_context(|| format!("{shown}"))?;
    let ballots = match kind {
        BallotKind::Ranked => AnyProfile::Ranked(file.ranked()),
        BallotKind::Approval => AnyProfile::Approval(file.approval().ok_or_else(|| {
            anyhow!(
                "{shown}: approval needs approval ballots: a .cat file (first category = approved) or a CSV of 1/0, not a .{} file",
                file.kind.as_str()
            )
        })?),
        BallotKind::Score => {
            return Err(anyhow!(
                "{shown}: score needs a CSV of integer scores; PrefLib files hold no scores"
            ));
        }
    };
    Ok((ballots, file.kind.as_str()))
}

pub fn tally(args: TallyArgs) -> Result<(), Failure> {
    let method: Method = args.method.parse().map_err(|e| anyhow!("--method: {e}"))?;
    let rule: TieBreak = args
        .tie_break
        .parse()
        .map_err(|e| anyhow!("--tie-break: {e}"))?;
    let format = parse_format(&args.format)?;
    let (ballots, source_format) = read_ballots(&args, method.ballot_kind())?;
    let outcome = plotwise_vote::count(method, &ballots).map_err(|e| anyhow!("{e}"))?;
    let record =
        plotwise_vote::break_tie(&outcome, &rule).map_err(|e| anyhow!("--tie-break: {e}"))?;
    match format {
        Format::Text => {
            let en = plotwise_vote::render(&outcome, record.as_ref(), Lang::En);
            let zh = plotwise_vote::render(&outcome, record.as_ref(), Lang::ZhCn);
            print!("{en}\n{zh}");
        }
        Format::Json => {
            let winners: Vec<&str> = match &record {
                Some(r) => vec![r.winner()],
                None => outcome.winners.iter().map(String::as_str).collect(),
            };
            let mut v = json!({
                "method": method.as_str(),
                "winners": winners,
                "tied_winners": outcome.winners,
                "tie_broken_by": record,
                "alternatives": outcome.alternatives,
                "voters": outcome.voters,
                "source": {"file": args.ballots.display().to_string(), "format": source_format},
                "explanation": outcome.explanation,
                "text": {
                    "en": plotwise_vote::render(&outcome, record.as_ref(), Lang::En),
                    "zh-CN": plotwise_vote::render(&outcome, record.as_ref(), Lang::ZhCn),
                },
            });
            if let plotwise_vote::Explanation::Plurality {
                tied_first_ballots, ..
            } = &outcome.explanation
            {
                v["tied_first_ballots"] = json!(tied_first_ballots);
            }
            print_json(&v)?;
        }
    }
    Ok(())
}

pub fn resolve(args: ResolveArgs) -> Result<(), Failure> {
    let format = parse_format(&args.format)?;
    let headcount: HeadcountRule = args
        .headcount
        .parse()
        .map_err(|e: String| anyhow!("--headcount: {e}"))?;
    let rule = Rule::parse(
        &args.rule,
        args.building.as_deref(),
        args.quorum.as_deref(),
        args.pass.as_deref(),
    )
    .map_err(|e| anyhow!("--rule: {e}"))?;
    let units_text = read(&args.electorate)?;
    let electorate = Electorate::parse_csv(&units_text)
        .map_err(|e| anyhow!("{}: {e}", args.electorate.display()))?;
    let votes_text = read(&args.votes)?;
    let votes = Votes::parse_csv(&votes_text, &electorate)
        .map_err(|e| anyhow!("{}: {e}", args.votes.display()))?;
    let result = plotwise_vote::evaluate(&rule, &electorate, &votes, headcount)
        .map_err(|e| anyhow!("{}: {e}", args.votes.display()))?;
    match format {
        Format::Text => {
            print!("{}\n{}", result.render(Lang::En), result.render(Lang::ZhCn));
        }
        Format::Json => {
            let v = serde_json::to_value(&result).context("writing JSON")?;
            print_json(&v)?;
        }
    }
    Ok(())
}
