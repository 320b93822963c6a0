//! Ballots: online (with a one-time token) and on paper (entered by the committee). The
//! ballot writer (group commit) writes them; see [`crate::store::ballots`] for one unit one
//! ballot and the sealing of option ballots.
//!
//! An option-vote paper ballot is never entered with its unit: the desk marks the unit as
//! having voted on paper, and the box's ballots are entered at the count, anonymously. The
//! server process itself necessarily sees a token and its online ballot together in memory
//! while sealing it; it logs neither.

use axum::Json;
use axum::extract::{ConnectInfo, State};
use plotwise_api::{BallotReceipt, OnlineBallot, PaperBallot, PaperVoter, Vote};

use crate::ctx::{ApiJson, ApiPath as Path, Committee, Ctx, client_key};
use crate::error::AppError;
use crate::store::ballots::{Cast, Voter, invalid_token};
use crate::store::{limits, tokens};
use crate::util::normalize_token;

/// Refused online ballots allowed per client address in the rate-limit window.
pub const REFUSED_PER_WINDOW: i64 = 30;

/// `POST /api/ballots` (a token).
///
/// Ballots refused for a bad token or a unit that already voted are counted per client
/// address (in the database, so every server process counts them); past
/// [`REFUSED_PER_WINDOW`] in 15 minutes that address gets 429 without any further database
/// work. (Residents behind one address rarely get refused at all.)
pub(crate) async fn submit_online(
    State(ctx): State<Ctx>,
    addr: Option<axum::Extension<ConnectInfo<std::net::SocketAddr>>>,
    ApiJson(b): ApiJson<OnlineBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let token = normalize_token(&b.token).ok_or_else(invalid_token)?;
    let limit_key = format!("ballot-refused:{}", client_key(addr));
    let k = limit_key.clone();
    let over = ctx
        .store
        .read(move |tx| Ok(limits::count(tx, &k)? >= REFUSED_PER_WINDOW))
        .await?;
    if over {
        return Err(AppError::TooManyRequests);
    }
    let hmac = tokens::hmac(&ctx.ballot_key().await?, &token);
    let answer = ctx
        .ballots
        .submit(Voter::Online { hmac }, Cast::Vote(b.vote))
        .await
        .map(|a| {
            Json(BallotReceipt {
                round: a.round,
                receipt: a.receipt,
            })
        });
    if let Err(AppError::Unauthorized(_) | AppError::Conflict { .. }) = &answer {
        ctx.store
            .write(move |tx| Ok(limits::note(tx, &limit_key)?))
            .await?;
    }
    answer
}

/// The unit named at the paper desk, checked.
fn desk_unit(unit: &str) -> Result<String, AppError> {
    let unit = unit.trim().to_owned();
    if unit.is_empty() || unit.len() > 200 {
        return Err(AppError::BadRequest("unit: must name a unit".into()));
    }
    Ok(unit)
}

/// `POST /api/consultations/{id}/paper-ballots` (committee): a signed paper ballot of the
/// formal resolution. Option-vote paper ballots are refused here: they are anonymous.
pub(crate) async fn submit_paper(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<PaperBallot>,
) -> Result<Json<BallotReceipt>, AppError> {
    let unit = desk_unit(&b.unit)?;
    if matches!(b.vote, Vote::Option { .. }) {
        return Err(AppError::BadRequest(
            "an option-vote paper ballot is secret and is never entered with its unit: mark the \
             unit with POST /api/consultations/{id}/paper-voters, and enter the box's ballots at \
             the count"
                .into(),
        ));
    }
    let a = ctx
        .ballots
        .submit(
            Voter::Paper {
                consultation: id,
                unit,
                actor: who.username,
            },
            Cast::Vote(b.vote),
        )
        .await?;
    Ok(Json(BallotReceipt {
        round: a.round,
        receipt: None,
    }))
}

/// `POST /api/consultations/{id}/paper-voters` (committee): the unit at the desk has put its
/// option-vote ballot in the paper box.
pub(crate) async fn mark_paper_voter(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    ApiJson(v): ApiJson<PaperVoter>,
) -> Result<Json<BallotReceipt>, AppError> {
    let unit = desk_unit(&v.unit)?;
    let a = ctx
        .ballots
        .submit(
            Voter::Paper {
                consultation: id,
                unit,
                actor: who.username,
            },
            Cast::PaperMark,
        )
        .await?;
    Ok(Json(BallotReceipt {
        round: a.round,
        receipt: None,
    }))
}
