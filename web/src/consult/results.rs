//! The results page (participation against the quorum by area and headcount, the option
//! vote with its rounds or pairwise matrix, the formal resolution) and the printable result
//! sheet (print CSS, digests of the options and of the ballot sets). Every number is the
//! server's, which are `plotwise-vote`'s: this module only shows them.

use plotwise_api::{
    Consultation, Method, OptionResult, Phase, ResolutionResult, ResolutionRule, Results,
};
use serde_json::Value;
use yew::prelude::*;

use super::widgets::{
    Condition, bar, conditions, fraction, method_name, option_name_at, participation_bars,
    phase_name, rule_name, use_shared,
};
use crate::api::{self, Api, Failure, Load, use_api};
use crate::api::{failure_box, loading};
use crate::i18n::Lang;
use crate::i18n::{M, tr, tr_n};
use crate::routes::Route;

/// The pass thresholds of a rule, where they are shares of the participants.
fn pass_conditions(r: &ResolutionRule) -> Vec<Condition> {
    match r.rule.as_str() {
        "art278-ordinary" => conditions("area>1/2,headcount>1/2"),
        "art278-major" => conditions("area>=3/4,headcount>=3/4"),
        "custom" => r.pass.as_deref().map(conditions).unwrap_or_default(),
        _ => vec![],
    }
}

fn num(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap_or(0.0),
        Value::String(s) => s.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// The option vote's explanation: a score table, the instant-runoff rounds, or Schulze's
/// pairwise matrix, read from the server's JSON without trusting its shape.
fn explanation(l: Lang, r: &OptionResult, c: &Consultation) -> Html {
    let e = &r.explanation;
    let t = |m| tr(l, m);
    let names: Vec<String> = c
        .options
        .iter()
        .map(|o| format!("{} · {}", o.label, o.title))
        .collect();
    let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("#{i}"));
    let winners: Vec<usize> = r.winners.iter().map(|&w| w as usize).collect();
    let kind = e.get("kind").and_then(Value::as_str).unwrap_or("");
    let empty = Vec::new();
    match kind {
        "plurality" | "approval" | "score" | "borda" => {
            let key = if kind == "score" { "totals" } else { "scores" };
            let vals = e.get(key).and_then(Value::as_array).unwrap_or(&empty);
            let max = vals.iter().map(as_f64).fold(0.0_f64, f64::max).max(1e-9);
            html! {
                <div class="table-wrap">
                <table id="score-table" class="result-table">
                    <thead><tr><th scope="col">{ t(M::Option) }</th><th scope="col">{ t(M::Points) }</th><th scope="col" class="bar-col"></th></tr></thead>
                    <tbody>
                    { for vals.iter().enumerate().map(|(i, v)| html! {
                        <tr class={classes!(winners.contains(&i).then_some("winner"))}>
                            <th scope="row">{ name(i) }{ if winners.contains(&i) { format!(" ★ {}", t(M::Winner)) } else { String::new() } }</th>
                            <td class="num">{ num(v) }</td>
                            <td class="bar-col"><div class="mini-bar"><div class="fill" style={format!("width:{:.1}%", as_f64(v) / max * 100.0)}></div></div></td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                </div>
            }
        }
        "irv" => {
            let rounds = e.get("rounds").and_then(Value::as_array).unwrap_or(&empty);
            html! {
                <div class="table-wrap">
                <table id="irv-rounds" class="result-table">
                    <caption>{ t(M::IrvCaption) }</caption>
                    <thead><tr><th scope="col">{ t(M::Option) }</th>
                        { for (1..=rounds.len()).map(|k| html! { <th scope="col">{ tr_n(l, M::RoundN, k) }</th> }) }
                    </tr></thead>
                    <tbody>
                    { for (0..names.len()).map(|i| html! {
                        <tr class={classes!(winners.contains(&i).then_some("winner"))}>
                            <th scope="row">{ name(i) }{ if winners.contains(&i) { format!(" ★ {}", t(M::Winner)) } else { String::new() } }</th>
                            { for rounds.iter().map(|rd| {
                                let v = rd.get("votes").and_then(Value::as_array).and_then(|a| a.get(i)).cloned().unwrap_or(Value::Null);
                                let out = rd.get("eliminated").and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x.as_u64() == Some(i as u64)));
                                html! { <td class={classes!("num", out.then_some("eliminated"))}>
                                    { num(&v) }{ if out { format!(" ✗ {}", t(M::Eliminated)) } else { String::new() } }
                                </td> }
                            }) }
                        </tr>
                    }) }
                    <tr class="muted"><th scope="row">{ t(M::Exhausted) }</th>
                        { for rounds.iter().map(|rd| html! { <td class="num">{ num(rd.get("exhausted").unwrap_or(&Value::Null)) }</td> }) }
                    </tr>
                    </tbody>
                </table>
                </div>
            }
        }
        "schulze" => {
            let margins = e.get("margins").and_then(Value::as_array).unwrap_or(&empty);
            let strengths = e
                .get("strengths")
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            let matrix = |id: &str, caption: M, m: &Vec<Value>| {
                html! {
                    <div class="table-wrap">
                    <table id={id.to_owned()} class="result-table matrix">
                        <caption>{ t(caption) }</caption>
                        <thead><tr><th scope="col">{ t(M::RowOverColumn) }</th>
                            { for (0..names.len()).map(|j| html! { <th scope="col">{ c.options.get(j).map(|o| o.label.clone()).unwrap_or_default() }</th> }) }
                        </tr></thead>
                        <tbody>
                        { for (0..names.len()).map(|i| html! {
                            <tr>
                                <th scope="row">{ name(i) }</th>
                                { for (0..names.len()).map(|j| {
                                    let v = m.get(i).and_then(Value::as_array).and_then(|r| r.get(j)).cloned().unwrap_or(Value::Null);
                                    let x = v.as_i64().unwrap_or(0);
                                    let class = if i == j { "diag" } else if x > 0 { "pos" } else if x < 0 { "neg" } else { "zero" };
                                    html! { <td class={classes!("num", class)}>{ if i == j { "—".to_owned() } else { num(&v) } }</td> }
                                }) }
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    </div>
                }
            };
            html! {
                <>
                { matrix("pairwise", M::PairwiseCaption, margins) }
                <details><summary>{ t(M::StrongestPaths) }</summary>{ matrix("strengths", M::StrengthsCaption, strengths) }</details>
                </>
            }
        }
        _ => html! { <p class="muted">{ t(M::NoExplanation) }</p> },
    }
}

fn option_section(l: Lang, r: &OptionResult, c: &Consultation) -> Html {
    let t = |m| tr(l, m);
    let winners: Vec<String> = r
        .winners
        .iter()
        .map(|&w| option_name_at(&c.options, w))
        .collect();
    let tie_winner = r
        .tie_broken_by
        .as_ref()
        .and_then(|v| v.get("winner"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    html! {
        <section class="panel" id="option-result">
            <h2>{ t(M::OptionVoteResult) }</h2>
            <p>{ format!("{}{}{} · {}", t(M::Method), t(M::Colon), method_name(l, r.method), tr_n(l, M::BallotsCounted, r.ballots as usize)) }</p>
            <p class="winner-line" id="winners">
                { if winners.len() == 1 { t(M::WinnerIs) } else { t(M::TiedWinners) } }{ t(M::Colon) }
                <strong>{ winners.join("、") }</strong>
            </p>
            if let Some(w) = tie_winner {
                <div class="tie" id="tie-broken">
                    <p>{ tie_sentence(l, r.tie_broken_by.as_ref(), &w) }</p>
                    <details><summary>{ t(M::TieRecord) }</summary>
                        <code class="small">{ r.tie_broken_by.as_ref().map(|v| v.to_string()).unwrap_or_default() }</code></details>
                </div>
            }
            { explanation(l, r, c) }
            <details><summary>{ t(M::ExplanationText) }</summary><pre class="explain-text">{ r.explanation_text.clone() }</pre></details>
        </section>
    }
}

/// How a tie was broken, in one sentence: the tied options (by letter), the rule, the winner.
fn tie_sentence(l: Lang, record: Option<&Value>, winner: &str) -> String {
    let t = |m| tr(l, m);
    let record = record.cloned().unwrap_or(Value::Null);
    let tied: Vec<String> = record
        .get("tied")
        .or_else(|| record.get("sorted_tied"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let how = match record.get("rule").and_then(Value::as_str) {
        Some("decision") => t(M::TieByDecision).to_owned(),
        Some("order") => t(M::TieByOrder).to_owned(),
        Some("seed") => format!(
            "{} {}",
            t(M::TieBySeed),
            record.get("seed").map(num).unwrap_or_default()
        ),
        _ => t(M::TieBrokenBy).to_owned(),
    };
    let (sep, list) = match l {
        Lang::ZhCn => ("；", "、"),
        Lang::En => ("; ", ", "),
    };
    format!(
        "{}{}{}{sep}{how}{}{winner}",
        t(M::TiedBetween),
        t(M::Colon),
        tied.join(list),
        t(M::Colon)
    )
}

fn resolution_section(l: Lang, r: &ResolutionResult, c: &Consultation) -> Html {
    let t = |m| tr(l, m);
    let conds = pass_conditions(&r.rule);
    let row = |dim: &str, label: M, text: &str| {
        let v = fraction(text).unwrap_or(0.0);
        let cond = conds.iter().find(|c| c.dim == dim);
        let met = cond.map(|c| {
            if c.op == ">=" {
                v >= c.value - 1e-12
            } else {
                v > c.value + 1e-12
            }
        });
        bar(
            l,
            &format!("approval-{dim}"),
            tr(l, label),
            text,
            v,
            cond,
            met,
        )
    };
    html! {
        <section class="panel" id="resolution-result">
            <h2>{ t(M::ResolutionResult) }</h2>
            if let Some(a) = c.adopted_option {
                <p>{ format!("{}{}{}", t(M::PutToVote), t(M::Colon), option_name_at(&c.options, a)) }</p>
            }
            <p>{ format!("{}{}{}", t(M::ResolutionRule), t(M::Colon), rule_name(l, &r.rule)) }</p>
            <p class="counts" id="yes-no">
                <span class="yes">{ format!("{} {}", t(M::Yes), r.yes) }</span>
                <span class="no">{ format!("{} {}", t(M::No), r.no) }</span>
                <span class="abstain">{ format!("{} {}", t(M::Abstain), r.abstain) }</span>
            </p>
            { row("area", M::YesByArea, &r.approval_area) }
            { row("headcount", M::YesByHeadcount, &r.approval_headcount) }
            <p class={classes!("verdict", "big", if r.passed { "ok" } else { "no" })} id="resolution-verdict">
                { if r.passed { t(M::Passed) } else if !r.quorum_met { t(M::NotPassedQuorum) } else { t(M::NotPassed) } }
            </p>
        </section>
    }
}

/// The answer first, in one box: who won the option vote and whether the resolution passed.
fn outcome(l: Lang, c: &Consultation, r: &Results) -> Html {
    let t = |m| tr(l, m);
    let winners = r.option_result.as_ref().map(|o| {
        o.winners
            .iter()
            .map(|&w| option_name_at(&c.options, w))
            .collect::<Vec<_>>()
            .join("、")
    });
    html! {
        <section class="outcome" id="outcome" aria-label={t(M::Outcome)}>
            <h2>{ t(M::Outcome) }</h2>
            { match winners {
                Some(w) => html! { <p class="big-line">{ t(M::OutcomeWinner) }<strong>{ w }</strong></p> },
                None => html! { <p>{ t(M::OutcomeNotPublished) }</p> },
            } }
            { match &r.resolution {
                Some(res) => html! { <p class={classes!("verdict", "big", if res.passed { "ok" } else { "no" })}>
                    { if res.passed { t(M::Passed) } else if !res.quorum_met { t(M::NotPassedQuorum) } else { t(M::NotPassed) } }</p> },
                None if r.option_result.is_some() => html! { <p>{ t(M::OutcomePending) }</p> },
                None => html! {},
            } }
        </section>
    }
}

fn digests(l: Lang, r: &Results) -> Html {
    let t = |m| tr(l, m);
    // A digest of what is still sealed would give the newest ballot away: shown later.
    let later = |d: &Option<String>, id: &'static str, when: M| match d {
        Some(d) => html! { <code id={id}>{ d.clone() }</code> },
        None => html! { <span class="muted" id={id} data-sealed="true">{ t(when) }</span> },
    };
    html! {
        <section class="panel digests" id="digests">
            <h2>{ t(M::Digests) }</h2>
            <p class="muted small">{ t(M::DigestsHelp) }</p>
            <dl>
                <dt>{ t(M::DigestOptions) }</dt><dd><code id="digest-options">{ r.digests.options_sha256.clone() }</code></dd>
                <dt>{ t(M::DigestBallots) }</dt><dd>{ later(&r.digests.option_ballots_sha256, "digest-ballots", M::AfterTheCount) }</dd>
                <dt>{ t(M::DigestReceipts) }</dt><dd>{ later(&r.digests.receipts_sha256, "digest-receipts", M::AfterTheCount) }</dd>
                <dt>{ t(M::DigestRegister) }</dt><dd>{ later(&r.digests.resolution_register_sha256, "digest-register", M::AfterValidation) }</dd>
            </dl>
        </section>
    }
}

/// What the count found in the box.
fn counted(l: Lang, n: &plotwise_api::CountSummary) -> Html {
    html! {
        <p class="counted" id="counted">{ format!(
            "{}{}{} {} · {} {} · {} {}",
            tr(l, M::CountedTitle), tr(l, M::Colon),
            tr(l, M::Online), n.online, tr(l, M::Paper), n.paper, tr(l, M::Spoiled), n.spoiled
        ) }</p>
    }
}

/// A receipt code as typed: lower case, the dash where the server writes it.
fn normalize_receipt(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (t.len() == 10).then(|| format!("{}-{}", &t[..5], &t[5..]))
}

/// Props of [`ReceiptCheck`].
#[derive(Properties, PartialEq)]
struct ReceiptProps {
    /// The counted receipts, from the results.
    codes: Vec<String>,
    lang: Lang,
}

/// "Was my ballot counted?": the voter types the receipt code from the ballot page; it is
/// looked up in the results already on the phone, so the server never learns whose code is
/// checked.
#[function_component(ReceiptCheck)]
fn receipt_check(p: &ReceiptProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let input = use_node_ref();
    // None: not checked yet; Some(None): not a code; Some(Some(found)).
    let answer = use_state(|| None::<Option<bool>>);
    let check = {
        let (input, answer, codes) = (input.clone(), answer.clone(), p.codes.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            answer.set(Some(
                normalize_receipt(&typed).map(|code| codes.binary_search(&code).is_ok()),
            ));
        })
    };
    html! {
        <section class="panel no-print" id="receipt-check">
            <h2>{ t(M::ReceiptCheckTitle) }</h2>
            <p class="muted">{ t(M::ReceiptCheckHelp) }</p>
            <form class="form" onsubmit={check}>
                <label class="field"><span>{ t(M::YourReceipt) }</span>
                    <input id="receipt-input" ref={input} autocomplete="off" spellcheck="false" placeholder="abcde-fghij" /></label>
                <button type="submit" class="btn primary big" id="receipt-submit">{ t(M::CheckReceipt) }</button>
            </form>
            { match *answer {
                None => html! {},
                Some(Some(true)) => html! { <p class="verdict ok" id="receipt-answer" data-counted="true" role="status">{ t(M::ReceiptCounted) }</p> },
                Some(Some(false)) => html! { <p class="verdict no" id="receipt-answer" data-counted="false" role="status">{ t(M::ReceiptNotFound) }</p> },
                Some(None) => html! { <p class="error-box" id="receipt-answer" role="alert">{ t(M::ReceiptBadFormat) }</p> },
            } }
        </section>
    }
}

fn export_links(l: Lang, c: &Consultation) -> Html {
    let formats: &[&str] = match c.settings.method {
        Method::Approval => &["csv", "cat"],
        Method::Score => &["csv"],
        _ => &["csv", "soc", "soi", "toc", "toi"],
    };
    html! {
        <section class="panel no-print">
            <h2>{ tr(l, M::Exports) }</h2>
            <p class="muted small">{ tr(l, M::ExportsHelp) }</p>
            <p class="links">
                { for formats.iter().map(|f| html! {
                    <a class="btn small" href={format!("/api/consultations/{}/export/ballots.{f}", c.id)} download="">{ format!("ballots.{f}") }</a>
                }) }
                <a class="btn small" href={format!("/api/consultations/{}/sheet", c.id)} target="_blank">{ tr(l, M::ServerSheet) }</a>
            </p>
        </section>
    }
}

/// Loads a consultation and its results.
#[hook]
fn use_results(id: i64, signed_in: bool) -> Api<(Consultation, Results)> {
    use_api((id, signed_in), |(id, _)| async move {
        let c = api::get::<Consultation>(&format!("/api/consultations/{id}")).await?;
        let r = api::get::<Results>(&format!("/api/consultations/{id}/results")).await?;
        Ok((c, r))
    })
}

/// Props of the results pages.
#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    /// The consultation.
    pub id: i64,
}

fn not_yet(l: Lang, e: &Failure, id: i64) -> Html {
    html! {
        <main class="consult narrow" id="results-not-yet">
            <h1>{ tr(l, M::ResultsTitle) }</h1>
            if e.code == "unauthorized" {
                <p class="lead">{ tr(l, M::NotPublishedYet) }</p>
            } else {
                { failure_box(l, e) }
            }
            <p><a class="btn" href={Route::Home(id).href()}>{ tr(l, M::AboutConsultation) }</a></p>
        </main>
    }
}

/// The results page.
#[function_component(ResultsPage)]
pub fn results_page(props: &ResultsProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let t = |m| tr(l, m);
    let data = use_results(props.id, shared.session.is_some());
    let (c, r) = match data.load() {
        Load::Loading => return html! { <main class="consult">{ loading(l) }</main> },
        Load::Failed(e) => return not_yet(l, e, props.id),
        Load::Ready(d) => d.clone(),
    };
    html! {
        <main class="consult results" id="results" data-phase={r.phase.as_str()}>
            <h1>{ format!("{}{}{}", t(M::ResultsTitle), t(M::Colon), c.title) }</h1>
            <p class="now"><span class={classes!("phase-badge", r.phase.as_str())}>{ phase_name(l, r.phase) }</span>
                if r.phase != Phase::Published { { " " }<span class="warn-line">{ t(M::NotPublishedNote) }</span> }</p>
            <p class="no-print"><a class="btn" href={Route::Sheet(c.id).href()} id="open-sheet">{ t(M::PrintableSheet) }</a>
                { " " }<a class="btn" href={Route::Home(c.id).href()}>{ t(M::AboutConsultation) }</a></p>
            { outcome(l, &c, &r) }
            <section class="panel" id="option-participation">
                <h2>{ t(M::ParticipationOption) }</h2>
                { participation_bars(l, "opt", &r.option_participation) }
            </section>
            if let Some(n) = &r.counted { { counted(l, n) } }
            { match &r.option_result {
                Some(o) => option_section(l, o, &c),
                None => html! { <p class="panel">{ t(M::CountAfterClose) }</p> },
            } }
            if let Some(codes) = &r.receipts { <ReceiptCheck codes={codes.clone()} lang={l} /> }
            if let Some(p) = &r.resolution_participation {
                <section class="panel" id="resolution-participation">
                    <h2>{ t(M::ParticipationResolution) }</h2>
                    { participation_bars(l, "res", p) }
                </section>
            }
            if let Some(res) = &r.resolution { { resolution_section(l, res, &c) } }
            { digests(l, &r) }
            if r.option_result.is_some() { { export_links(l, &c) } }
        </main>
    }
}

/// The printable result sheet.
#[function_component(SheetPage)]
pub fn sheet_page(props: &ResultsProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let t = |m| tr(l, m);
    let data = use_results(props.id, shared.session.is_some());
    let (c, r) = match data.load() {
        Load::Loading => return html! { <main class="consult">{ loading(l) }</main> },
        Load::Failed(e) => return not_yet(l, e, props.id),
        Load::Ready(d) => d.clone(),
    };
    let print = Callback::from(|_: MouseEvent| {
        let _ = gloo::utils::window().print();
    });
    let today = String::from(
        js_sys::Date::new_0().to_locale_date_string(l.tag(), &wasm_bindgen::JsValue::UNDEFINED),
    );
    html! {
        <main class="consult sheet" id="sheet">
            <p class="no-print"><button class="btn primary big" onclick={print} id="print">{ t(M::Print) }</button>
                { " " }<a class="btn" href={Route::Results(c.id).href()}>{ t(M::ResultsTitle) }</a></p>
            <h1>{ format!("{} — {}", c.title, t(M::SheetTitle)) }</h1>
            <p>{ format!("{}{}{} · {}{}{today}", t(M::Phase), t(M::Colon), phase_name(l, r.phase), t(M::PrintedOn), t(M::Colon)) }</p>
            if r.phase != Phase::Published { <p class="warn-line">{ t(M::NotPublishedNote) }</p> }
            <h2>{ t(M::TheOptions) }</h2>
            <table class="result-table" id="sheet-options">
                <thead><tr><th>{ t(M::Option) }</th><th>{ t(M::Author) }</th><th>{ "SHA-256" }</th></tr></thead>
                <tbody>
                { for c.options.iter().map(|o| html! {
                    <tr><th scope="row">{ format!("{} · {}", o.label, o.title) }</th><td>{ o.author.clone() }</td><td><code class="hash">{ o.sha256.clone() }</code></td></tr>
                }) }
                </tbody>
            </table>
            <h2>{ t(M::ParticipationOption) }</h2>
            { participation_bars(l, "sheet-opt", &r.option_participation) }
            if let Some(n) = &r.counted { { counted(l, n) } }
            if let Some(o) = &r.option_result { { option_section(l, o, &c) } }
            if let Some(p) = &r.resolution_participation {
                <h2>{ t(M::ParticipationResolution) }</h2>
                { participation_bars(l, "sheet-res", p) }
            }
            if let Some(res) = &r.resolution { { resolution_section(l, res, &c) } }
            { digests(l, &r) }
            <div class="signatures">
                <p>{ t(M::SignCommittee) }</p>
                <div class="sign-lines"><span></span><span></span><span></span></div>
            </div>
        </main>
    }
}
