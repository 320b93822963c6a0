//! The results page (participation against the quorum by area and headcount, the option
//! vote with its rounds or pairwise matrix, the formal resolution) and the printable result
//! sheet (print CSS, digests of the options and of the ballot sets). Every number is the
//! server's, which are `plotwise-vote`'s: this module only shows them.

use plotwise_api::{
    Base, Consultation, Explanation, Fraction, IrvRound, Measure, Method, OptionResult, Phase,
    ResolutionResult, Results, TieBreakRecord,
};
use yew::prelude::*;

use super::widgets::{
    bar, method_name, option_name_at, participation_bars, phase_name, rule_name, use_shared,
};
use crate::api::{self, Api, Failure, Load, use_api};
use crate::api::{failure_box, loading};
use crate::i18n::Lang;
use crate::i18n::{M, tr, tr_n};
use crate::routes::Route;

/// Each option's points in a score table (plurality, approval, score, Borda), as shown and as
/// drawn; `None` for the methods explained by rounds or matrices.
fn points(e: &Explanation) -> Option<Vec<(String, f64)>> {
    let whole = |v: &[u64]| v.iter().map(|&x| (x.to_string(), x as f64)).collect();
    match e {
        Explanation::Plurality { scores, .. } | Explanation::Approval { scores } => {
            Some(whole(scores))
        }
        Explanation::Score { totals } => {
            Some(totals.iter().map(|&x| (x.to_string(), x as f64)).collect())
        }
        Explanation::Borda { scores } => {
            Some(scores.iter().map(|x| (x.to_string(), x.to_f64())).collect())
        }
        Explanation::Irv { .. } | Explanation::Schulze { .. } => None,
    }
}

/// The option vote's explanation: a score table, the instant-runoff rounds, or Schulze's
/// pairwise matrix, as `plotwise-vote` counted them.
fn explanation(l: Lang, r: &OptionResult, c: &Consultation) -> Html {
    let t = |m| tr(l, m);
    let names: Vec<String> = c
        .options
        .iter()
        .map(|o| format!("{} · {}", o.label, o.title))
        .collect();
    let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("#{i}"));
    let winners: Vec<usize> = r.winners.iter().map(|&w| w as usize).collect();
    let star = |i: usize| {
        if winners.contains(&i) {
            format!(" ★ {}", t(M::Winner))
        } else {
            String::new()
        }
    };
    if let Some(vals) = points(&r.explanation) {
        let max = vals.iter().map(|v| v.1).fold(0.0_f64, f64::max).max(1e-9);
        return html! {
            <div class="table-wrap">
            <table id="score-table" class="result-table">
                <thead><tr><th scope="col">{ t(M::Option) }</th><th scope="col">{ t(M::Points) }</th><th scope="col" class="bar-col"></th></tr></thead>
                <tbody>
                { for vals.iter().enumerate().map(|(i, (text, v))| html! {
                    <tr class={classes!(winners.contains(&i).then_some("winner"))}>
                        <th scope="row">{ name(i) }{ star(i) }</th>
                        <td class="num">{ text }</td>
                        <td class="bar-col"><div class="mini-bar"><div class="fill" style={format!("width:{:.1}%", v / max * 100.0)}></div></div></td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        };
    }
    match &r.explanation {
        Explanation::Irv { rounds } => {
            let cell = |rd: &IrvRound, i: usize| {
                let out = rd.eliminated.contains(&i);
                let votes = rd.votes.get(i).copied().flatten();
                html! { <td class={classes!("num", out.then_some("eliminated"))}>
                    { votes.map_or_else(|| "—".to_owned(), |v| v.to_string()) }{ if out { format!(" ✗ {}", t(M::Eliminated)) } else { String::new() } }
                </td> }
            };
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
                            <th scope="row">{ name(i) }{ star(i) }</th>
                            { for rounds.iter().map(|rd| cell(rd, i)) }
                        </tr>
                    }) }
                    <tr class="muted"><th scope="row">{ t(M::Exhausted) }</th>
                        { for rounds.iter().map(|rd| html! { <td class="num">{ rd.exhausted }</td> }) }
                    </tr>
                    </tbody>
                </table>
                </div>
            }
        }
        Explanation::Schulze { margins, strengths } => {
            let matrix = |id: &str, caption: M, at: &dyn Fn(usize, usize) -> Option<i64>| {
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
                                    let v = at(i, j);
                                    let x = v.unwrap_or(0);
                                    let class = if i == j { "diag" } else if x > 0 { "pos" } else if x < 0 { "neg" } else { "zero" };
                                    let text = match v {
                                        Some(v) if i != j => v.to_string(),
                                        _ => "—".to_owned(),
                                    };
                                    html! { <td class={classes!("num", class)}>{ text }</td> }
                                }) }
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    </div>
                }
            };
            let margin = |i: usize, j: usize| margins.get(i).and_then(|r| r.get(j)).copied();
            let strength =
                |i: usize, j: usize| strengths.get(i).and_then(|r| r.get(j)).copied().flatten();
            html! {
                <>
                { matrix("pairwise", M::PairwiseCaption, &margin) }
                <details><summary>{ t(M::StrongestPaths) }</summary>{ matrix("strengths", M::StrengthsCaption, &strength) }</details>
                </>
            }
        }
        // The score tables were drawn above.
        _ => Html::default(),
    }
}

fn option_section(l: Lang, r: &OptionResult, c: &Consultation) -> Html {
    let t = |m| tr(l, m);
    let winners: Vec<String> = r
        .winners
        .iter()
        .map(|&w| option_name_at(&c.options, w))
        .collect();
    html! {
        <section class="panel" id="option-result">
            <h2>{ t(M::OptionVoteResult) }</h2>
            <p>{ format!("{}{}{} · {}", t(M::Method), t(M::Colon), method_name(l, r.method), tr_n(l, M::BallotsCounted, r.ballots as usize)) }</p>
            <p class="winner-line" id="winners">
                { if winners.len() == 1 { t(M::WinnerIs) } else { t(M::TiedWinners) } }{ t(M::Colon) }
                <strong>{ winners.join("、") }</strong>
            </p>
            if let Some(record) = &r.tie_broken_by {
                <div class="tie" id="tie-broken">
                    <p>{ tie_sentence(l, record) }</p>
                    <details><summary>{ t(M::TieRecord) }</summary>
                        <code class="small">{ serde_json::to_string(record).unwrap_or_default() }</code></details>
                </div>
            }
            { explanation(l, r, c) }
            <details><summary>{ t(M::ExplanationText) }</summary><pre class="explain-text">{ r.explanation_text.clone() }</pre></details>
        </section>
    }
}

/// How a tie was broken, in one sentence: the tied options (by letter), the rule, the winner.
fn tie_sentence(l: Lang, record: &TieBreakRecord) -> String {
    let t = |m| tr(l, m);
    let (tied, how) = match record {
        TieBreakRecord::Decision { tied, .. } => (tied, t(M::TieByDecision).to_owned()),
        TieBreakRecord::Order { tied, .. } => (tied, t(M::TieByOrder).to_owned()),
        TieBreakRecord::Seed {
            sorted_tied, seed, ..
        } => (sorted_tied, format!("{} {seed}", t(M::TieBySeed))),
    };
    let winner = record.winner();
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
    // The pass conditions on approval (yes among the participants) mark these bars; a rule
    // that counts support among all the eligible has none here.
    let row = |measure: Measure, dim: &str, label: M, share: &Fraction| {
        let check = r
            .pass
            .iter()
            .find(|c| c.condition.base == Base::Approval && c.condition.measure == measure);
        bar(l, &format!("approval-{dim}"), tr(l, label), share, check)
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
            { row(Measure::Area, "area", M::YesByArea, &r.approval_area) }
            { row(Measure::Headcount, "headcount", M::YesByHeadcount, &r.approval_headcount) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use plotwise_api::HalfPoints;

    #[test]
    fn score_tables_show_the_exact_points_and_draw_them_to_scale() {
        let borda = Explanation::Borda {
            scores: vec![HalfPoints(5), HalfPoints(0), HalfPoints(8)],
        };
        assert_eq!(
            points(&borda),
            Some(vec![
                ("2.5".to_owned(), 2.5),
                ("0".to_owned(), 0.0),
                ("4".to_owned(), 4.0)
            ])
        );
        let score = Explanation::Score {
            totals: vec![-3, 12],
        };
        assert_eq!(
            points(&score),
            Some(vec![("-3".to_owned(), -3.0), ("12".to_owned(), 12.0)])
        );
        let irv = Explanation::Irv { rounds: vec![] };
        assert_eq!(points(&irv), None);
    }

    #[test]
    fn a_broken_tie_is_told_with_its_options_rule_and_winner() {
        let seed = TieBreakRecord::Seed {
            seed: 42,
            algorithm: "splitmix64-mod".into(),
            sorted_tied: vec!["A".into(), "C".into()],
            draw: 7,
            index: 1,
            winner: "C".into(),
        };
        assert_eq!(
            tie_sentence(Lang::En, &seed),
            "Tied: A, C; by a draw with the published seed 42: C"
        );
        let decision = TieBreakRecord::Decision {
            tied: vec!["B".into(), "D".into()],
            winner: "D".into(),
        };
        assert_eq!(
            tie_sentence(Lang::ZhCn, &decision),
            "平票：B、D；由委员会决定（已记录）：D"
        );
    }
}
