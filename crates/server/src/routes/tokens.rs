//! One-time ballot tokens and their printable QR sheet.
//!
//! A token is 128 random bits written as 26 base32 characters. The server stores only
//! HMAC-SHA-256(server key, token): not argon2, which is for human passwords and would cap
//! ballots at a few per second. The token is shown once, in the answer that issues it: as
//! JSON, or as an HTML sheet with one QR code (SVG, `qrcode` crate) per unit to print and cut.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use plotwise_api::{BallotPage, IssueTokens, IssuedToken, IssuedTokens, Round, TokenQuery};
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use crate::ctx::{ApiJson, ApiPath as Path, ApiQuery as Query, Committee, Ctx};
use crate::error::AppError;
use crate::policy;
use crate::store::ballots::invalid_token;
use crate::store::{audit, consultations, tokens};
use crate::util::{html_escape, normalize_token};

/// The `format` query parameter of `POST /api/consultations/{id}/tokens`.
#[derive(Debug, Deserialize)]
pub(crate) struct Format {
    format: Option<String>,
}

fn check_base_url(s: &str) -> Result<String, AppError> {
    let s = s.trim().trim_end_matches('/');
    let ok = (s.starts_with("http://") || s.starts_with("https://"))
        && s.len() <= 200
        && s.len() > "https://".len()
        && s.bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"'<>\\`#?".contains(&b));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(AppError::BadRequest(
            "base_url: an http:// or https:// address such as https://plotwise.example.org".into(),
        ))
    }
}

/// `POST /api/consultations/{id}/tokens[?format=sheet]` (committee).
pub(crate) async fn issue(
    State(ctx): State<Ctx>,
    who: Committee,
    Path(id): Path<i64>,
    Query(format): Query<Format>,
    ApiJson(req): ApiJson<IssueTokens>,
) -> Result<Response, AppError> {
    let sheet = match format.format.as_deref() {
        None | Some("json") => false,
        Some("sheet") => true,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "format {other:?}: expected json or sheet"
            )));
        }
    };
    let base = check_base_url(&req.base_url)?;
    let round = req.round;
    let key = ctx.ballot_key().await?;
    let (title, tokens) = ctx
        .store
        .write(move |tx| {
            let phase = consultations::lock(tx, id)?;
            policy::require(phase, policy::token_phases(round), "issuing ballot tokens")?;
            let title = consultations::load_light(tx, id)?.title;
            let wanted: Vec<(String, String)> = match &req.units {
                None => tokens::units_without(tx, id, round)?,
                Some(units) => {
                    let mut out = Vec::new();
                    for u in units {
                        match tokens::unit_building(tx, id, u)? {
                            Some(r) if !out.contains(&r) => out.push(r),
                            Some(_) => {}
                            None => {
                                return Err(AppError::BadRequest(format!(
                                    "units: {u:?} is not in the electorate"
                                )));
                            }
                        }
                    }
                    out
                }
            };
            let mut issued = Vec::with_capacity(wanted.len());
            for (unit, building) in wanted {
                let token = tokens::issue(tx, &key, id, round, &unit)?;
                // In the fragment, so the token never reaches a server log or a Referer
                // header; `#/ballot/…` follows the web app's hash routes.
                let url = plotwise_api::routes::ballot_url(&base, &token);
                issued.push(IssuedToken {
                    unit,
                    building,
                    token,
                    url,
                });
            }
            let detail = match &req.units {
                None => format!("{} {} tokens issued", issued.len(), round.as_str()),
                Some(_) => format!(
                    "{} tokens reissued for units {}",
                    round.as_str(),
                    issued
                        .iter()
                        .map(|t| t.unit.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            audit::log(tx, Some(id), &who.username, "tokens_issued", &detail)?;
            Ok((title, issued))
        })
        .await?;
    if sheet {
        let html = sheet_html(&title, round, &tokens)?;
        Ok(([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
    } else {
        Ok(Json(IssuedTokens { round, tokens }).into_response())
    }
}

/// A QR code of `text` as an inline SVG element.
fn qr_svg(text: &str) -> Result<String, AppError> {
    let code =
        QrCode::new(text.as_bytes()).map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in HTML: drop the XML declaration.
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_owned(),
        None => svg,
    })
}

/// The printable sheet: one card per unit with its QR code and its token in words.
fn sheet_html(title: &str, round: Round, tokens: &[IssuedToken]) -> Result<String, AppError> {
    let (round_zh, round_en) = match round {
        Round::Option => ("方案投票", "option vote"),
        Round::Resolution => ("表决", "formal resolution"),
    };
    let mut html = format!(
        concat!(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\">",
            "<title>{t} — 投票凭证 / ballot tokens</title>",
            "<style>body{{font-family:\"Noto Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif}}",
            ".grid{{display:grid;grid-template-columns:repeat(3,1fr);gap:6mm}}",
            ".card{{border:1px dashed #888;padding:4mm;break-inside:avoid;text-align:center}}",
            ".tok{{font-family:monospace;font-size:11pt;letter-spacing:1px}}",
            "@media print{{h1{{font-size:12pt}}}}</style>",
            "<h1>{t} · {rz} / {re}</h1>",
            "<p>每户一张，仅可使用一次。扫码投票，或在投票页输入凭证。 ",
            "One per unit, valid once. Scan to vote, or type the token on the ballot page.</p>",
            "<div class=\"grid\">"
        ),
        t = html_escape(title),
        rz = round_zh,
        re = round_en
    );
    for t in tokens {
        let spaced: Vec<&str> = (0..t.token.len())
            .step_by(5)
            .map(|i| &t.token[i..(i + 5).min(t.token.len())])
            .collect();
        html.push_str(&format!(
            "<div class=\"card\"><div><b>{}</b> · {} {}</div>{}<div class=\"tok\">{}</div></div>",
            html_escape(&t.unit),
            html_escape(&t.building),
            "栋 / building",
            qr_svg(&t.url)?,
            spaced.join("-")
        ));
    }
    html.push_str("</div></html>");
    Ok(html)
}

/// `POST /api/ballot-page` (a token): what the token opens.
pub(crate) async fn ballot_page(
    State(ctx): State<Ctx>,
    ApiJson(q): ApiJson<TokenQuery>,
) -> Result<Json<BallotPage>, AppError> {
    let token = normalize_token(&q.token).ok_or_else(invalid_token)?;
    let hmac = tokens::hmac(&ctx.ballot_key().await?, &token);
    let page = ctx
        .store
        .read(move |tx| {
            let t = tokens::find(tx, &hmac)?.ok_or_else(invalid_token)?;
            let already_voted = t.voted.is_some();
            let c = consultations::load_light(tx, t.consultation)?;
            let open = c.phase == policy::open_phase(t.round);
            Ok(BallotPage {
                consultation_id: t.consultation,
                title: c.title,
                round: t.round,
                open,
                already_voted,
                method: c.settings.method,
                max_score: c.settings.max_score,
                options: c.options,
                adopted_option: c.adopted_option,
            })
        })
        .await?;
    Ok(Json(page))
}
