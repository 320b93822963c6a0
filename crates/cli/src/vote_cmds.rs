//! `plotwise tally` and `resolve`: glue around `plotwise-vote`.

use std::path::PathBuf;

use clap::Args;

use crate::Failure;

#[derive(Args)]
pub struct TallyArgs {
    /// Ballots: a PrefLib file (.soc/.soi/.toc/.toi/.cat) or CSV.
    ballots: PathBuf,
    /// The counting method.
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
}

pub fn tally(args: TallyArgs) -> Result<(), Failure> {
    let _ = (args.ballots, args.method, args.tie_break, args.format);
    Err(anyhow::anyhow!("tally: not built yet (issue 5)").into())
}

pub fn resolve(args: ResolveArgs) -> Result<(), Failure> {
    let _ = (
        args.votes,
        args.electorate,
        args.rule,
        args.headcount,
        args.building,
    );
    Err(anyhow::anyhow!("resolve: not built yet (issue 5)").into())
}
