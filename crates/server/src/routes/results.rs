//! Results, audit exports and the audit log. Every count is `plotwise-vote`'s (through
//! [`crate::tally`]); who sees what when is [`crate::policy`]'s.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use plotwise_api::{AuditEntry, Fraction, Participation, Results, Round};
use plotwise_vote::AnyProfile;
use plotwise_vote::preflib::{PreflibKind, PreflibMeta};

use crate::ctx::{ApiPath as Path, ApiQuery, Committee, Ctx, viewer};
use crate::error::AppError;
use crate::policy::{Viewer, can_see_results, option_ballots_visible, register_visible};
use crate::store::{audit, consultations, reads, tokens};
use crate::tally;
use crate::util::{html_escape, label, normalize_token};

/// Days after publication during which the compound's owners may read the signed register
/// with one of their ballot tokens (the notice period of the result); the committee always
/// may.
pub(crate) const REGISTER_NOTICE_DAYS: i64 = 30;

/// `GET /api/consultations/{id}/results`: the committee from the vote's opening on; everyone
/// once published.
pub(crate) async fn results(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<Results>, AppError> {
    let who = viewer(&who);
    let cache = ctx.results.clone();
    let r = ctx
        .store
        .read(move |tx| {
            let phase = consultations::phase(tx, id)?;
            if !can_see_results(phase, who) {
                return Err(if who == Viewer::Committee {
                    AppError::wrong_phase("results exist once the option vote is open")
                } else {
                    AppError::Unauthorized("the results are not published yet".into())
                });
            }
            cache.get(tx, id, phase, who)
        })
        .await?;
    Ok(Json((*r).clone()))
}

/// `GET /api/consultations/{id}/export/{file}`.
pub(crate) async fn export(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    headers: HeaderMap,
    Path((id, file)): Path<(i64, String)>,
) -> Result<impl IntoResponse, AppError> {
    let committee = who.is_ok();
    let viewer = viewer(&who);
    let owner_hmac = match headers
        .get("x-ballot-token")
        .and_then(|v| v.to_str().ok())
        .and_then(normalize_token)
    {
        Some(t) => Some(tokens::hmac(&ctx.ballot_key().await?, &t)),
        None => None,
    };
    let (content_type, body) = ctx
        .store
        .write(move |tx| {
            let phase = consultations::phase(tx, id)?;
            if file == "register.csv" {
                // Signed votes: the committee, and the compound's owners (a token of theirs
                // for this consultation) during the notice period; each owner's reading is
                // logged.
                let owner_unit = match &owner_hmac {
                    Some(h) => tokens::find(tx, h)?
                        .filter(|t| t.consultation == id)
                        .map(|t| t.unit),
                    None => None,
                };
                if !(committee || owner_unit.is_some()) {
                    return Err(AppError::Unauthorized(
                        "the register is shown only to the committee and the compound's owners"
                            .into(),
                    ));
                }
                if !register_visible(phase, true) {
                    return Err(AppError::wrong_phase(
                        "the register is shown once the result is validated",
                    ));
                }
                if let (false, Some(unit)) = (committee, &owner_unit) {
                    if let Some(at) = audit::published_at(tx, id)?
                        && audit::days_since_over(tx, &at, REGISTER_NOTICE_DAYS)?
                    {
                        return Err(AppError::Forbidden {
                            code: "notice_over",
                            message: format!(
                                "the register was open to owners for {REGISTER_NOTICE_DAYS} days after the result was published (from {at}); ask the committee"
                            ),
                        });
                    }
                    audit::log(
                        tx,
                        Some(id),
                        "owner",
                        "register_read",
                        &format!("with the ballot token of unit {unit}"),
                    )?;
                }
                return Ok(("text/csv; charset=utf-8", tally::register_csv(tx, id)?));
            }
            if !option_ballots_visible(phase, viewer) {
                return Err(if committee {
                    AppError::wrong_phase("the ballots are exported once the option vote is closed")
                } else {
                    AppError::Unauthorized("the ballots are not published yet".into())
                });
            }
            let c = consultations::load_light(tx, id)?;
            let meta = PreflibMeta {
                file_name: file.clone(),
                title: c.title.clone(),
                description: c
                    .options
                    .iter()
                    .map(|o| format!("{}: {} (sha256 {})", o.label, o.title, o.sha256))
                    .collect::<Vec<_>>()
                    .join("; "),
                publication_date: String::new(),
                modification_date: String::new(),
            };
            let ballots = tally::load_ballots(tx, id, &c.settings)?;
            let ext = file.strip_prefix("ballots.").ok_or(AppError::NotFound)?;
            let text = match (ext, &ballots) {
                ("csv", _) => tally::ballots_csv(tx, id)?,
                ("cat", AnyProfile::Approval(p)) => plotwise_vote::preflib::write_approval(p, &meta),
                (ext, AnyProfile::Ranked(p)) => {
                    let (kind, text) = plotwise_vote::preflib::write_orders(p, &meta);
                    if kind.as_str() != ext {
                        return Err(AppError::BadRequest(format!(
                            "these ballots are PrefLib {0}: ask for ballots.{0}",
                            kind.as_str()
                        )));
                    }
                    text
                }
                _ => {
                    let which = match ballots {
                        AnyProfile::Ranked(ref p) => PreflibKind::narrowest(p).as_str(),
                        AnyProfile::Approval(_) => "cat",
                        AnyProfile::Scores(_) => "csv",
                    };
                    return Err(AppError::BadRequest(format!(
                        "these ballots are exported as ballots.csv or ballots.{which}"
                    )));
                }
            };
            Ok(("text/plain; charset=utf-8", text))
        })
        .await?;
    Ok(([(CONTENT_TYPE, content_type)], body))
}

/// `GET /api/consultations/{id}/audit` (committee).
pub(crate) async fn audit_log(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    let rows = ctx
        .store
        .read(move |tx| {
            consultations::phase(tx, id)?;
            Ok(audit::of_consultation(tx, id)?)
        })
        .await?;
    Ok(Json(rows))
}

/// A `p/q` share as a percentage for drawing (display only; the exact fraction is printed).
fn percent(share: &Fraction) -> f64 {
    (100.0 * share.to_f64()).clamp(0.0, 100.0)
}

fn participation_html(title: &str, p: &Participation) -> String {
    let bar = |label: &str, share: &Fraction| {
        format!(
            "<div class=\"row\"><span class=\"lbl\">{label}</span><span class=\"bar\"><span style=\"width:{:.1}%\"></span></span> <b>{share}</b> ({:.1}%)</div>",
            percent(share),
            percent(share)
        )
    };
    let quorum: Vec<String> = p.quorum.iter().map(|c| c.condition.to_string()).collect();
    format!(
        "<h3>{title}</h3><p>{} / {} 户参与 units took part (网上 online {}, 纸质 paper {})</p>{}{}<p>法定参与要求 quorum: <code>{}</code> — {}</p>",
        p.units_voted,
        p.units_total,
        p.online,
        p.paper,
        bar("面积 area", &p.area),
        bar("人数 headcount", &p.headcount),
        html_escape(&quorum.join(",")),
        if p.quorum_met {
            "已达到 met"
        } else {
            "未达到 not met"
        }
    )
}

/// The printable result sheet (zh-CN and English) with the digests.
fn sheet_html(c: &plotwise_api::Consultation, r: &Results) -> String {
    let mut h = format!(
        concat!(
            "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{t} — 结果 / result</title>",
            "<style>body{{font-family:\"Noto Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;max-width:190mm;margin:auto}}",
            "table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:2px 6px}}",
            ".row{{margin:2px 0}}.lbl{{display:inline-block;width:9em}}",
            ".bar{{display:inline-block;width:50%;height:0.9em;border:1px solid #333;vertical-align:middle}}",
            ".bar span{{display:block;height:100%;background:#444}}",
            "code,pre{{font-size:9pt;white-space:pre-wrap;word-break:break-all}}</style>",
            "<h1>{t}</h1><p>状态 phase: <b>{phase}</b></p>"
        ),
        t = html_escape(&c.title),
        phase = c.phase.as_str()
    );
    h.push_str("<h2>方案 Options</h2><table><tr><th></th><th>方案 option</th><th>提出人 author</th><th>SHA-256</th></tr>");
    for o in &c.options {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            html_escape(&o.label),
            html_escape(&o.title),
            html_escape(&o.author),
            html_escape(&o.sha256)
        ));
    }
    h.push_str("</table>");
    h.push_str("<h2>方案投票 Option vote</h2>");
    h.push_str(&participation_html(
        "参与 Participation",
        &r.option_participation,
    ));
    if let Some(n) = &r.counted {
        h.push_str(&format!(
            "<p>开箱计票 count: 网上 online <b>{}</b>, 纸质 paper <b>{}</b>, 废票 spoiled <b>{}</b></p>",
            n.online, n.paper, n.spoiled
        ));
    }
    if let Some(o) = &r.option_result {
        let winners: Vec<String> = o.winners.iter().map(|&w| label(w)).collect();
        h.push_str(&format!(
            "<p>计票方法 method: <b>{}</b>; 有效票 ballots: <b>{}</b>; 得胜 winner(s): <b>{}</b></p><pre>{}</pre>",
            o.method,
            o.ballots,
            html_escape(&winners.join(", ")),
            html_escape(&o.explanation_text)
        ));
    }
    if let Some(p) = &r.resolution_participation {
        h.push_str("<h2>表决 Formal resolution</h2>");
        if let Some(a) = c.adopted_option {
            h.push_str(&format!(
                "<p>表决方案 option put to the vote: <b>{}</b></p>",
                label(a)
            ));
        }
        h.push_str(&participation_html("参与 Participation", p));
    }
    if let Some(res) = &r.resolution {
        h.push_str(&format!(
            "<p>规则 rule: <b>{}</b>; 同意 yes {} · 反对 no {} · 弃权 abstain {}</p>",
            html_escape(&res.rule.rule),
            res.yes,
            res.no,
            res.abstain
        ));
        h.push_str(&format!(
            "<p>同意占参与者 approval of participants: 面积 area <b>{}</b>, 人数 headcount <b>{}</b></p><p><b>{}</b></p>",
            res.approval_area,
            res.approval_headcount,
            match (res.quorum_met, res.passed) {
                (false, _) => "未达到参与要求，决议未通过 / quorum not met: not adopted",
                (true, true) => "决议通过 / adopted",
                (true, false) => "决议未通过 / not adopted",
            }
        ));
    }
    let or_later = |d: &Option<String>, zh: &str, en: &str| match d {
        Some(d) => format!("<code>{}</code>", html_escape(d)),
        None => format!("<i>{zh} / {en}</i>"),
    };
    let at_count = (
        "票箱开启计票后公布",
        "shown once the ballot box is opened at the count",
    );
    h.push_str(&format!(
        concat!(
            "<h2>校验 Digests (SHA-256)</h2><p>方案 options: <code>{}</code><br>",
            "方案投票选票 option ballots (<code>export/ballots.csv</code>): {}<br>",
            "投票回执 receipts (<code>receipts</code>): {}<br>",
            "表决登记 resolution register (<code>export/register.csv</code>): {}</p></html>"
        ),
        r.digests.options_sha256,
        or_later(&r.digests.option_ballots_sha256, at_count.0, at_count.1),
        or_later(&r.digests.receipts_sha256, at_count.0, at_count.1),
        or_later(
            &r.digests.resolution_register_sha256,
            "表决结果确认后公布",
            "shown once the resolution is validated"
        ),
    ));
    h
}

/// `GET /api/consultations/{id}/sheet`: the printable result sheet (HTML); who may see it is
/// as for the results.
pub(crate) async fn sheet(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, AppError> {
    let who = viewer(&who);
    let cache = ctx.results.clone();
    let html = ctx
        .store
        .read(move |tx| {
            let phase = consultations::phase(tx, id)?;
            if !can_see_results(phase, who) {
                return Err(if who == Viewer::Committee {
                    AppError::wrong_phase("the result sheet exists once the option vote is open")
                } else {
                    AppError::Unauthorized("the results are not published yet".into())
                });
            }
            let r = cache.get(tx, id, phase, who)?;
            Ok(sheet_html(&consultations::load_light(tx, id)?, &r))
        })
        .await?;
    Ok(([(CONTENT_TYPE, "text/html; charset=utf-8")], html))
}

/// The `round` query parameter.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct RoundQuery {
    round: Round,
}

/// `GET /api/consultations/{id}/participation?round=option|resolution` (committee): which
/// units have voted, by which channel, in electorate order; for the paper-ballot desk.
pub(crate) async fn voted(
    State(ctx): State<Ctx>,
    _who: Committee,
    Path(id): Path<i64>,
    ApiQuery(q): ApiQuery<RoundQuery>,
) -> Result<Json<Vec<plotwise_api::Voted>>, AppError> {
    let rows = ctx
        .store
        .read(move |tx| {
            consultations::phase(tx, id)?;
            Ok(reads::voted(tx, id, q.round)?)
        })
        .await?;
    Ok(Json(rows))
}

/// `GET /api/consultations/{id}/receipts`: the receipt codes of the counted online ballots,
/// sorted; seen as the ballots are (the committee once counted, everyone once published).
pub(crate) async fn receipts(
    State(ctx): State<Ctx>,
    who: Result<Committee, AppError>,
    Path(id): Path<i64>,
) -> Result<Json<plotwise_api::Receipts>, AppError> {
    let who = viewer(&who);
    let codes = ctx
        .store
        .read(move |tx| {
            let phase = consultations::phase(tx, id)?;
            if !option_ballots_visible(phase, who) {
                return Err(if who == Viewer::Committee {
                    AppError::wrong_phase("the receipts are listed once the ballot box is opened")
                } else {
                    AppError::Unauthorized("the results are not published yet".into())
                });
            }
            Ok(reads::receipts(tx, id)?)
        })
        .await?;
    Ok(Json(plotwise_api::Receipts { codes }))
}
