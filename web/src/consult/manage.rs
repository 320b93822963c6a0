//! The committee's page for one consultation: the life cycle step by step, with what can
//! be done in each phase (rules, electorate, proposals and the shortlist, ballot tokens and
//! the QR sheet, opening and closing the vote, paper ballots and refusals, the formal
//! resolution, validation, publication) and the audit log.

use std::rc::Rc;

use plotwise_api::{
    AuditEntry, BallotBox, Consultation, ElectorateSummary, IssueTokens, IssuedToken, IssuedTokens,
    NewProposal, Phase, Proposal, Results, Round, Settings, TieBreak, Transition, Voted,
};
use plotwise_plan::LayoutDocument;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::committee::SettingsFields;
use super::count::{CountPanel, OpenVote, PaperDesk, ScrutineerCodes};
use super::paper::{PaperEntry, Refusals};
use super::widgets::{option_name, participation_bars, phase_name, stepper, use_shared};
use crate::api::{self, Failure, Verb};
use crate::api::{failure_box, loading};
use crate::i18n::Lang;
use crate::i18n::{Cm, Common, M, tr, tr_n};

/// Props of [`ManagePage`].
#[derive(Properties, PartialEq)]
pub struct ManageProps {
    /// The consultation.
    pub id: i64,
}

/// The committee's page for one consultation.
#[function_component(ManagePage)]
pub fn manage_page(props: &ManageProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let t = |m| tr(l, m);
    let c = use_state(|| None::<Result<Consultation, Failure>>);
    let version = use_state(|| 0u32);
    // The scrutineers' codes, from the moment the box is sealed until both have their card.
    let codes = use_state(|| None::<[String; 2]>);
    {
        let c = c.clone();
        use_effect_with((props.id, *version), move |&(id, _)| {
            yew::platform::spawn_local(async move {
                c.set(Some(
                    api::get::<Consultation>(&format!("/api/consultations/{id}")).await,
                ));
            });
        });
    }
    if !shared.session_known {
        return html! { <main class="consult">{ loading(l) }</main> };
    }
    if shared.session.is_none() {
        return html! { <main class="consult narrow"><p class="lead">{ tr(l, Cm::SignInFirst) }</p>
        <a class="btn primary big" href="#/consult/committee">{ tr(l, Cm::SignIn) }</a></main> };
    }
    let c = match &*c {
        None => return html! { <main class="consult">{ loading(l) }</main> },
        Some(Err(e)) => return html! { <main class="consult">{ failure_box(l, e) }</main> },
        Some(Ok(c)) => c.clone(),
    };
    let reload = {
        let version = version.clone();
        Callback::from(move |_: ()| version.set(*version + 1))
    };
    let set_c = reload.clone();
    let on_opened = {
        let (codes, reload) = (codes.clone(), reload.clone());
        Callback::from(move |k: [String; 2]| {
            codes.set(Some(k));
            reload.emit(());
        })
    };
    let codes_done = {
        let codes = codes.clone();
        Callback::from(move |()| codes.set(None))
    };
    let on_counted = {
        let reload = reload.clone();
        Callback::from(move |_: plotwise_api::CountReport| reload.emit(()))
    };
    let csrf = shared.csrf();
    let phase = c.phase;
    let before_voting = matches!(phase, Phase::Draft | Phase::Collecting | Phase::Frozen);
    let rc = Rc::new(c.clone());
    html! {
        <main class="consult manage" id="manage" data-phase={phase.as_str()}>
            <p class="crumbs"><a href="#/consult/committee">{ tr(l, Cm::CommitteeTitle) }</a>{ " › " }
                <a href={format!("#/consult/{}", c.id)}>{ tr(l, Cm::PublicPage) }</a>
                if !matches!(phase, Phase::Draft | Phase::Collecting | Phase::Frozen) {
                    { " › " }<a href={format!("#/consult/{}/results", c.id)} id="manage-results">{ t(M::ResultsTitle) }</a>
                }</p>
            <h1>{ c.title.clone() }</h1>
            <p class="now"><span class={classes!("phase-badge", phase.as_str())} id="manage-phase">{ phase_name(l, phase) }</span></p>
            { stepper(l, phase) }
            if before_voting {
                <SettingsSection consultation={rc.clone()} csrf={csrf.clone()} lang={l} on_done={set_c.clone()} />
                <ElectorateSection id={c.id} summary={c.electorate.clone()} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
            }
            if let Some(k) = &*codes {
                <ScrutineerCodes codes={k.clone()} title={c.title.clone()} lang={l} on_done={codes_done} />
            }
            // Keyed by phase: a new phase starts its sections afresh (no codes or marks left over).
            <div class="phase-sections" key={phase.as_str()}>
            { match phase {
                Phase::Draft => html! {
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::DraftNext) }</p>
                        <TransitionButton id={c.id} to={Phase::Collecting} label={M::StartCollecting} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
                    </section>
                },
                Phase::Collecting => html! {
                    <ProposalsSection id={c.id} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
                },
                Phase::Frozen => html! {
                    <>
                    <OptionsList consultation={rc.clone()} lang={l} />
                    <TokensSection id={c.id} phase={phase} csrf={csrf.clone()} lang={l} />
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::FrozenNext) }</p>
                        <p class="muted">{ tr(l, Cm::OpenVoteHelp) }</p>
                        <OpenVote id={c.id} label={tr(l, Cm::OpenVoting)} csrf={csrf.clone()} lang={l} on_opened={on_opened.clone()} />
                    </section>
                    </>
                },
                Phase::Voting => html! {
                    <>
                    <LiveParticipation id={c.id} round={Round::Option} version={*version} lang={l} />
                    <PaperDesk id={c.id} csrf={csrf.clone()} lang={l} on_marked={reload.clone()} />
                    <Refusals id={c.id} version={*version} lang={l} />
                    <TokensSection id={c.id} phase={phase} csrf={csrf.clone()} lang={l} />
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::VotingNext) }</p>
                        <CountPanel id={c.id} options={c.options.clone()} settings={c.settings.clone()}
                            unsealed={c.ballot_box == BallotBox::Unsealed} version={*version}
                            csrf={csrf.clone()} lang={l} on_counted={on_counted} />
                    </section>
                    if c.ballot_box == BallotBox::Sealed {
                        <section class="panel">
                            <h2>{ tr(l, Cm::LostCodeTitle) }</h2>
                            <p class="muted">{ tr(l, Cm::LostCodeHelp) }</p>
                            <OpenVote id={c.id} label={tr(l, Cm::NewCodes)} csrf={csrf.clone()} lang={l} on_opened={on_opened} />
                        </section>
                    }
                    </>
                },
                Phase::Closed => html! {
                    <>
                    <p class="panel"><a class="btn primary" href={format!("#/consult/{}/results", c.id)}>{ tr(l, Cm::SeeCount) }</a></p>
                    <Refusals id={c.id} version={*version} lang={l} />
                    <TokensSection id={c.id} phase={phase} csrf={csrf.clone()} lang={l} />
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::ClosedNext) }</p>
                        if c.settings.tie_break == TieBreak::Committee {
                            <p class="muted">{ tr(l, Cm::CommitteeTieHelp) }</p>
                        }
                        <ResolutionButton consultation={rc.clone()} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
                    </section>
                    </>
                },
                Phase::Resolution => html! {
                    <>
                    <LiveParticipation id={c.id} round={Round::Resolution} version={*version} lang={l} />
                    <PaperEntry consultation={c.clone()} csrf={csrf.clone()} lang={l} on_entered={reload.clone()} />
                    <Refusals id={c.id} version={*version} lang={l} />
                    <TokensSection id={c.id} phase={phase} csrf={csrf.clone()} lang={l} />
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::ResolutionNext) }</p>
                        <TransitionButton id={c.id} to={Phase::Validated} label={M::Validate} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
                    </section>
                    </>
                },
                Phase::Validated => html! {
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::ValidatedNext) }</p>
                        <p><a class="btn" href={format!("#/consult/{}/results", c.id)}>{ tr(l, Cm::CheckResults) }</a></p>
                        <TransitionButton id={c.id} to={Phase::Published} label={M::Publish} csrf={csrf.clone()} lang={l} on_done={reload.clone()} />
                    </section>
                },
                Phase::Published => html! {
                    <section class="panel next-step">
                        <p>{ tr(l, Cm::PublishedDone) }</p>
                        <p><a class="btn primary" id="public-results" href={format!("#/consult/{}/results", c.id)}>{ t(M::SeeResults) }</a>
                            { " " }<a class="btn" href={format!("#/consult/{}/sheet", c.id)}>{ t(M::PrintableSheet) }</a></p>
                    </section>
                },
            } }
            </div>
            <AuditLog id={c.id} version={*version} lang={l} />
        </main>
    }
}

/// Props of [`TransitionButton`].
#[derive(Properties, PartialEq)]
pub struct TransitionProps {
    /// The consultation.
    pub id: i64,
    /// The phase to move to.
    pub to: Phase,
    /// The button's words.
    pub label: M,
    /// For `frozen`: the shortlist.
    #[prop_or_default]
    pub proposal_ids: Vec<i64>,
    /// For `resolution`: the option.
    #[prop_or_default]
    pub option: Option<u32>,
    /// Disabled (with the reason shown by the caller).
    #[prop_or_default]
    pub disabled: bool,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called once moved.
    pub on_done: Callback<()>,
}

/// A button that moves the consultation to the next phase, after a second "yes, do it"
/// click (a phase never goes back).
#[function_component(TransitionButton)]
pub fn transition_button(p: &TransitionProps) -> Html {
    let l = p.lang;
    let armed = use_state(|| false);
    let problem = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let arm = {
        let armed = armed.clone();
        Callback::from(move |_: MouseEvent| armed.set(true))
    };
    let cancel = {
        let armed = armed.clone();
        Callback::from(move |_: MouseEvent| armed.set(false))
    };
    let go = {
        let (armed, problem, busy) = (armed.clone(), problem.clone(), busy.clone());
        let body = Transition {
            to: p.to,
            proposal_ids: p.proposal_ids.clone(),
            option: p.option,
        };
        let (path, csrf, on_done) = (
            format!("/api/consultations/{}/transition", p.id),
            p.csrf.clone(),
            p.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (armed, problem, busy, body, path, csrf, on_done) = (
                armed.clone(),
                problem.clone(),
                busy.clone(),
                body.clone(),
                path.clone(),
                csrf.clone(),
                on_done.clone(),
            );
            busy.set(true);
            yew::platform::spawn_local(async move {
                let r =
                    api::send::<_, Consultation>(Verb::Post, &path, &body, csrf.as_deref()).await;
                busy.set(false);
                armed.set(false);
                match r {
                    Ok(_) => {
                        problem.set(None);
                        on_done.emit(())
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let id = format!("to-{}", p.to.as_str());
    html! {
        <div class="transition">
            if *armed {
                <p class="warn-line">{ tr(l, Cm::CannotUndo) }</p>
                <button type="button" class="btn primary big" id={format!("{id}-confirm")} disabled={*busy} onclick={go}>{ format!("{} ✓", tr(l, p.label)) }</button>
                { " " }<button type="button" class="btn" onclick={cancel}>{ tr(l, Cm::Cancel) }</button>
            } else {
                <button type="button" class="btn primary big" id={id} disabled={p.disabled} onclick={arm}>{ tr(l, p.label) }</button>
            }
            if let Some(e) = &*problem { { failure_box(l, e) } }
        </div>
    }
}

/// Props of sections that change the consultation.
#[derive(Properties, PartialEq)]
pub struct SectionProps {
    /// The consultation.
    pub consultation: Rc<Consultation>,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called after a change.
    pub on_done: Callback<()>,
}

/// The rules, editable before the vote opens.
#[function_component(SettingsSection)]
fn settings_section(p: &SectionProps) -> Html {
    let l = p.lang;
    let settings = use_state(|| p.consultation.settings.clone());
    let problem = use_state(|| None::<Failure>);
    let saved = use_state(|| false);
    let on_change = {
        let (settings, saved) = (settings.clone(), saved.clone());
        Callback::from(move |s: Settings| {
            saved.set(false);
            settings.set(s)
        })
    };
    let save = {
        let (settings, problem, saved) = (settings.clone(), problem.clone(), saved.clone());
        let (path, csrf, on_done) = (
            format!("/api/consultations/{}/settings", p.consultation.id),
            p.csrf.clone(),
            p.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (body, problem, saved, path, csrf, on_done) = (
                (*settings).clone(),
                problem.clone(),
                saved.clone(),
                path.clone(),
                csrf.clone(),
                on_done.clone(),
            );
            yew::platform::spawn_local(async move {
                match api::send::<_, Consultation>(Verb::Put, &path, &body, csrf.as_deref()).await {
                    Ok(_) => {
                        problem.set(None);
                        saved.set(true);
                        on_done.emit(())
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    html! {
        <details class="panel" id="settings-section">
            <summary>{ tr(l, M::Rules) }</summary>
            <SettingsFields value={(*settings).clone()} on_change={on_change} lang={l} />
            <button type="button" class="btn" onclick={save} id="save-settings">{ tr(l, Cm::SaveRules) }</button>
            if *saved { <span class="ok-line">{ format!(" ✓ {}", tr(l, Cm::Saved)) }</span> }
            if let Some(e) = &*problem { { failure_box(l, e) } }
        </details>
    }
}

/// Props of [`ElectorateSection`].
#[derive(Properties, PartialEq)]
pub struct ElectorateProps {
    /// The consultation.
    pub id: i64,
    /// What is imported now.
    pub summary: ElectorateSummary,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called after an import.
    pub on_done: Callback<()>,
}

/// Importing the electorate CSV (all or nothing; one error per bad line).
#[function_component(ElectorateSection)]
fn electorate_section(p: &ElectorateProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let file = use_node_ref();
    let problem = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let import = {
        let (file, problem, busy) = (file.clone(), problem.clone(), busy.clone());
        let (path, csrf, on_done) = (
            format!("/api/consultations/{}/electorate", p.id),
            p.csrf.clone(),
            p.on_done.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(f) = file
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|fs| fs.get(0))
            else {
                problem.set(Some(Failure::local("form", "choose a CSV file first")));
                return;
            };
            let (problem, busy, path, csrf, on_done) = (
                problem.clone(),
                busy.clone(),
                path.clone(),
                csrf.clone(),
                on_done.clone(),
            );
            busy.set(true);
            yew::platform::spawn_local(async move {
                let r = match crate::files::read_bytes(&f).await {
                    // The server says how to fix a file that is not UTF-8; send the bytes as they are.
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Ok(text) => {
                            api::send_text::<ElectorateSummary>(
                                Verb::Put,
                                &path,
                                text,
                                "text/csv; charset=utf-8",
                                csrf.as_deref(),
                            )
                            .await
                        }
                        Err(_) => Err(Failure::local(
                            "file",
                            "the file is not UTF-8 text: save it as \"CSV UTF-8\" (逗号分隔 UTF-8)",
                        )),
                    },
                    Err(e) => Err(Failure::local("file", e)),
                };
                busy.set(false);
                match r {
                    Ok(_) => {
                        problem.set(None);
                        on_done.emit(())
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let s = &p.summary;
    html! {
        <section class="panel" id="electorate-section">
            <h2>{ t(M::Electorate) }</h2>
            if s.units > 0 {
                <p id="electorate-summary" class="ok-line">{ format!("✓ {} {} · {} {} · {} {} · {} m²", s.units, t(M::Units), s.buildings, t(M::Buildings), s.owners, tr(l, Cm::Owners), s.total_area_m2) }</p>
            } else {
                <p class="muted">{ tr(l, Cm::NoElectorate) }</p>
            }
            <p class="muted small">{ tr(l, Cm::ElectorateHelp) }</p>
            <label class="field"><span>{ tr(l, Cm::CsvFile) }</span><input id="electorate-file" ref={file} type="file" accept=".csv,text/csv" /></label>
            <button type="button" class="btn" id="import-electorate" disabled={*busy} onclick={import}>{ tr(l, Cm::Import) }</button>
            if let Some(e) = &*problem { { failure_box(l, e) } }
        </section>
    }
}

/// Props of [`ProposalsSection`].
#[derive(Properties, PartialEq)]
pub struct ProposalsProps {
    /// The consultation.
    pub id: i64,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
    /// Called after the shortlist is frozen.
    pub on_done: Callback<()>,
}

/// A layout document (JSON) from a file: plan's document, or a GeoJSON layout that the
/// server imports with plan's importer (as `plotwise import` does); checked here so a bad
/// file never becomes an option.
async fn layout_from_file(name: &str, bytes: &[u8], l: Lang) -> Result<LayoutDocument, String> {
    let text = String::from_utf8_lossy(bytes);
    let not_a_document = match LayoutDocument::from_json(&text) {
        Ok(doc) => return Ok(doc),
        Err(e) => e,
    };
    let is_geojson =
        name.to_ascii_lowercase().ends_with(".geojson") || text.contains("FeatureCollection");
    if is_geojson {
        let answer = crate::api::post_bytes("/api/import/geojson", "application/geo+json", bytes);
        crate::files::layout_from(answer.await)
            .map(LayoutDocument::new)
            .map_err(|e| crate::i18n::pick(l, &e).to_owned())
    } else {
        Err(crate::i18n::pick(l, &not_a_document.message()).to_owned())
    }
}

/// Props of [`ProposalForm`].
#[derive(Properties, PartialEq)]
pub struct ProposalFormProps {
    /// The consultation.
    pub id: i64,
    /// Interface language.
    pub lang: Lang,
    /// Called with each accepted proposal.
    pub on_added: Callback<Proposal>,
}

/// Submitting a layout as a proposal: from a file (GeoJSON or a saved layout document) or
/// from one of the drafts kept in this browser. Used by residents on the consultation's
/// home page and by the committee.
#[function_component(ProposalForm)]
pub fn proposal_form(p: &ProposalFormProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let problem = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let (file, title, author, draft) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let drafts = crate::drafts::list();
    let submit = |from_file: bool| {
        let (file, title, author, draft, problem, busy, on_added) = (
            file.clone(),
            title.clone(),
            author.clone(),
            draft.clone(),
            problem.clone(),
            busy.clone(),
            p.on_added.clone(),
        );
        let path = format!("/api/consultations/{}/proposals", p.id);
        Callback::from(move |_: MouseEvent| {
            let get = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
                    .trim()
                    .to_owned()
            };
            let (ti, au) = (get(&title), get(&author));
            let (problem, busy, on_added, path) = (
                problem.clone(),
                busy.clone(),
                on_added.clone(),
                path.clone(),
            );
            let f = file
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|fs| fs.get(0));
            let draft_id = draft
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let file_input = file.clone();
            busy.set(true);
            yew::platform::spawn_local(async move {
                let doc: Result<LayoutDocument, Failure> = if from_file {
                    match f {
                        None => Err(Failure::local("form", "choose a layout file first")),
                        Some(f) => match crate::files::read_bytes(&f).await {
                            Ok(b) => layout_from_file(&f.name(), &b, l)
                                .await
                                .map_err(|e| Failure::local("file", format!("{}: {e}", f.name()))),
                            Err(e) => Err(Failure::local("file", e)),
                        },
                    }
                } else {
                    crate::drafts::load(&draft_id)
                        .map(LayoutDocument::new)
                        .ok_or_else(|| Failure::local("form", "choose one of your drafts"))
                };
                let result = match doc {
                    Err(e) => Err(e),
                    Ok(doc) => {
                        let title = if ti.is_empty() {
                            doc.layout.title.clone()
                        } else {
                            ti
                        };
                        let author = if au.is_empty() {
                            doc.layout.author.clone()
                        } else {
                            au
                        };
                        match serde_json::from_str::<serde_json::Value>(&doc.to_json()) {
                            Err(e) => Err(Failure::local("file", e.to_string())),
                            Ok(layout) => {
                                let body = NewProposal {
                                    title,
                                    author,
                                    layout,
                                };
                                api::send::<_, Proposal>(Verb::Post, &path, &body, None).await
                            }
                        }
                    }
                };
                busy.set(false);
                match result {
                    Ok(pr) => {
                        problem.set(None);
                        if let Some(i) = file_input.cast::<HtmlInputElement>() {
                            i.set_value("");
                        }
                        on_added.emit(pr);
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let (add_file, add_draft) = (submit(true), submit(false));
    html! {
        <div class="form proposal-form">
            <label class="field"><span>{ t(M::Title) }</span><input id="proposal-title" ref={title} maxlength="200" /></label>
            <label class="field"><span>{ t(M::Author) }</span><input id="proposal-author" ref={author} maxlength="100" /></label>
            <label class="field"><span>{ t(M::LayoutFile) }</span><input id="proposal-file" ref={file} type="file" accept=".geojson,.json,application/json,application/geo+json" /></label>
            <button type="button" class="btn" id="add-from-file" disabled={*busy} onclick={add_file}>{ t(M::AddFromFile) }</button>
            if !drafts.is_empty() {
                <label class="field"><span>{ t(M::OrFromDraft) }</span>
                    <select id="proposal-draft" ref={draft}>
                        { for drafts.iter().map(|d| html! { <option value={d.id.clone()}>{ if d.title.is_empty() { d.id.clone() } else { d.title.clone() } }</option> }) }
                    </select></label>
                <button type="button" class="btn" id="add-from-draft" disabled={*busy} onclick={add_draft}>{ t(M::AddFromDraft) }</button>
            }
            if let Some(e) = &*problem { { failure_box(l, e) } }
        </div>
    }
}

/// Proposals: add from a file or from my drafts, then shortlist and freeze.
#[function_component(ProposalsSection)]
fn proposals_section(p: &ProposalsProps) -> Html {
    let l = p.lang;
    let list = use_state(|| None::<Result<Vec<Proposal>, Failure>>);
    let version = use_state(|| 0u32);
    let picked = use_state(Vec::<i64>::new);
    {
        let list = list.clone();
        use_effect_with((p.id, *version), move |&(id, _)| {
            yew::platform::spawn_local(async move {
                list.set(Some(
                    api::get::<Vec<Proposal>>(&format!("/api/consultations/{id}/proposals")).await,
                ));
            });
        });
    }
    let on_added = {
        let (picked, version) = (picked.clone(), version.clone());
        Callback::from(move |pr: Proposal| {
            let mut v = (*picked).clone();
            v.push(pr.id);
            picked.set(v);
            version.set(*version + 1);
        })
    };
    let toggle = |id: i64| {
        let picked = picked.clone();
        Callback::from(move |_: Event| {
            let mut v = (*picked).clone();
            if let Some(k) = v.iter().position(|&x| x == id) {
                v.remove(k);
            } else {
                v.push(id);
            }
            picked.set(v);
        })
    };
    html! {
        <>
        <section class="panel" id="proposals-section">
            <h2>{ tr(l, Cm::Proposals) }</h2>
            <p class="muted">{ tr(l, Cm::ProposalsHelp) }</p>
            <ProposalForm id={p.id} lang={l} on_added={on_added} />
            { match &*list {
                None => loading(l),
                Some(Err(e)) => failure_box(l, e),
                Some(Ok(v)) if v.is_empty() => html! { <p class="muted">{ tr(l, Cm::NoProposals) }</p> },
                Some(Ok(v)) => html! {
                    <ul class="plain-list" id="proposal-list">
                        { for v.iter().map(|pr| {
                            let pos = picked.iter().position(|&x| x == pr.id);
                            html! { <li data-proposal={pr.id.to_string()}>
                                <label class="check"><input type="checkbox" class="shortlist-pick" checked={pos.is_some()} onchange={toggle(pr.id)} />
                                    <span>{ pos.map(|k| format!("[{}] ", super::widgets::option_label(k))).unwrap_or_default() }
                                        <strong>{ pr.title.clone() }</strong>{ format!(" — {}", pr.author) }</span></label>
                                <span class="muted small">{ format!(" SHA-256 {}…", pr.sha256.get(..12).unwrap_or(&pr.sha256)) }</span>
                            </li> }
                        }) }
                    </ul>
                },
            } }
        </section>
        <section class="panel next-step">
            <p>{ tr(l, Cm::FreezeHelp) }</p>
            if picked.len() < 2 { <p class="muted">{ tr(l, Cm::PickTwo) }</p> }
            <TransitionButton id={p.id} to={Phase::Frozen} label={M::Freeze} proposal_ids={(*picked).clone()} disabled={picked.len() < 2}
                csrf={p.csrf.clone()} lang={l} on_done={p.on_done.clone()} />
        </section>
        </>
    }
}

/// Props of [`OptionsList`].
#[derive(Properties, PartialEq)]
pub struct OptionsListProps {
    /// The consultation.
    pub consultation: Rc<Consultation>,
    /// Interface language.
    pub lang: Lang,
}

/// The frozen options with their hashes.
#[function_component(OptionsList)]
fn options_list(p: &OptionsListProps) -> Html {
    let l = p.lang;
    html! {
        <section class="panel" id="frozen-options">
            <h2>{ tr(l, M::TheOptions) }</h2>
            <ul class="plain-list">
                { for p.consultation.options.iter().map(|o| html! {
                    <li><strong>{ option_name(o) }</strong>{ format!(" — {} ", o.author) }<code class="small hash">{ o.sha256.clone() }</code></li>
                }) }
            </ul>
            <p><a class="btn" href={format!("#/consult/{}", p.consultation.id)}>{ tr(l, Cm::SeeDrawings) }</a></p>
        </section>
    }
}

/// Props of [`TokensSection`].
#[derive(Properties, PartialEq)]
pub struct TokensProps {
    /// The consultation.
    pub id: i64,
    /// Its phase.
    pub phase: Phase,
    /// The session's CSRF token.
    pub csrf: Option<String>,
    /// Interface language.
    pub lang: Lang,
}

/// What the last issue gave.
#[derive(Clone, PartialEq)]
enum Issued {
    Sheet { url: String, cards: usize },
    List(Vec<IssuedToken>),
}

/// Ballot tokens: issue them as a printable QR sheet or as a list, or replace lost ones.
#[function_component(TokensSection)]
fn tokens_section(p: &TokensProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let default_round = if matches!(p.phase, Phase::Closed | Phase::Resolution) {
        Round::Resolution
    } else {
        Round::Option
    };
    let round = use_state(|| default_round);
    let issued = use_state(|| None::<Issued>);
    let problem = use_state(|| None::<Failure>);
    let units = use_node_ref();
    let busy = use_state(|| false);
    let rounds: Vec<Round> = match p.phase {
        Phase::Frozen | Phase::Voting => vec![Round::Option, Round::Resolution],
        _ => vec![Round::Resolution],
    };
    let round_v = if rounds.contains(&*round) {
        *round
    } else {
        rounds.first().copied().unwrap_or(Round::Resolution)
    };
    let issue = |sheet: bool, replace: bool| {
        let (issued, problem, units, busy) =
            (issued.clone(), problem.clone(), units.clone(), busy.clone());
        let (id, csrf) = (p.id, p.csrf.clone());
        Callback::from(move |_: MouseEvent| {
            let list: Vec<String> = units
                .cast::<HtmlTextAreaElement>()
                .map(|i| i.value())
                .unwrap_or_default()
                .split([',', '，', '\n', ' ', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if replace && list.is_empty() {
                problem.set(Some(Failure::local(
                    "form",
                    "name the units whose codes were lost, e.g. 1-101, 2-304",
                )));
                return;
            }
            let base_url = gloo::utils::window()
                .location()
                .origin()
                .unwrap_or_default();
            let body = IssueTokens {
                round: round_v,
                base_url,
                units: replace.then_some(list),
            };
            let (issued, problem, busy, csrf) =
                (issued.clone(), problem.clone(), busy.clone(), csrf.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                let r = if sheet {
                    api::send_for_text(
                        Verb::Post,
                        &format!("/api/consultations/{id}/tokens?format=sheet"),
                        &body,
                        csrf.as_deref(),
                    )
                    .await
                    .map(|html| {
                        let cards = html.matches("class=\"card\"").count();
                        let blob = gloo::file::Blob::new_with_options(
                            html.as_str(),
                            Some("text/html;charset=utf-8"),
                        );
                        let raw: web_sys::Blob = blob.into();
                        let url =
                            web_sys::Url::create_object_url_with_blob(&raw).unwrap_or_default();
                        Issued::Sheet { url, cards }
                    })
                } else {
                    api::send::<_, IssuedTokens>(
                        Verb::Post,
                        &format!("/api/consultations/{id}/tokens"),
                        &body,
                        csrf.as_deref(),
                    )
                    .await
                    .map(|t| Issued::List(t.tokens))
                };
                busy.set(false);
                match r {
                    Ok(i) => {
                        problem.set(None);
                        issued.set(Some(i))
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    let on_round = {
        let round = round.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            round.set(if s.value() == "resolution" {
                Round::Resolution
            } else {
                Round::Option
            });
        })
    };
    let download_csv = |tokens: Vec<IssuedToken>| {
        Callback::from(move |_: MouseEvent| {
            let mut csv = String::new();
            plotwise_csv::push_row(&mut csv, &["unit", "building", "token", "url"]);
            for t in &tokens {
                plotwise_csv::push_row(
                    &mut csv,
                    &[
                        plotwise_csv::text(&t.unit),
                        plotwise_csv::text(&t.building),
                        plotwise_csv::text(&t.token),
                        plotwise_csv::text(&t.url),
                    ],
                );
            }
            crate::files::download("ballot-tokens.csv", "text/csv", csv.as_bytes());
        })
    };
    html! {
        <section class="panel" id="tokens-section">
            <h2>{ tr(l, Cm::Tokens) }</h2>
            <p class="muted">{ tr(l, Cm::TokensHelp) }</p>
            <label class="field"><span>{ tr(l, Cm::ForWhichVote) }</span>
                <select id="token-round" onchange={on_round}>
                    { for rounds.iter().map(|r| html! { <option value={r.as_str()} selected={*r == round_v}>{ t(if *r == Round::Option { M::OptionVote } else { M::FormalResolution }) }</option> }) }
                </select></label>
            <p class="buttons">
                <button type="button" class="btn primary" id="issue-sheet" disabled={*busy} onclick={issue(true, false)}>{ tr(l, Cm::IssueSheet) }</button>
                <button type="button" class="btn" id="issue-list" disabled={*busy} onclick={issue(false, false)}>{ tr(l, Cm::IssueList) }</button>
            </p>
            <details>
                <summary>{ tr(l, Cm::ReplaceLost) }</summary>
                <label class="field"><span>{ tr(l, Cm::UnitsToReplace) }</span><textarea id="replace-units" ref={units.clone()} rows="2" placeholder="1-101, 2-304" /></label>
                <button type="button" class="btn" id="replace-sheet" disabled={*busy} onclick={issue(true, true)}>{ tr(l, Cm::ReplaceSheet) }</button>
                { " " }<button type="button" class="btn" id="replace-list" disabled={*busy} onclick={issue(false, true)}>{ tr(l, Cm::ReplaceList) }</button>
            </details>
            if let Some(e) = &*problem { { failure_box(l, e) } }
            { match &*issued {
                None => html! {},
                Some(Issued::Sheet { cards: 0, .. }) => html! { <p class="warn-line" id="no-new-tokens">{ tr(l, Cm::AllHaveCodes) }</p> },
                Some(Issued::List(v)) if v.is_empty() => html! { <p class="warn-line" id="no-new-tokens">{ tr(l, Cm::AllHaveCodes) }</p> },
                Some(Issued::Sheet { url, cards }) => html! {
                    <div class="sheet-preview">
                        <p class="ok-line">{ tr_n(l, Cm::CodesMade, *cards) }{ " " }<a class="btn primary" href={url.clone()} target="_blank" id="open-qr-sheet">{ tr(l, Cm::OpenSheetToPrint) }</a></p>
                        <p class="warn-line">{ tr(l, Cm::ShownOnce) }</p>
                        <iframe id="qr-sheet" src={url.clone()} title={tr(l, Cm::Tokens)} sandbox="allow-same-origin"></iframe>
                    </div>
                },
                Some(Issued::List(tokens)) => html! {
                    <div>
                        <p class="ok-line">{ tr_n(l, Cm::CodesMade, tokens.len()) }{ " " }
                            <button type="button" class="btn" onclick={download_csv(tokens.clone())}>{ tr(l, Cm::DownloadCsv) }</button></p>
                        <p class="warn-line">{ tr(l, Cm::ShownOnce) }</p>
                        <div class="table-wrap tokens-wrap">
                        <table id="token-table" class="result-table">
                            <thead><tr><th>{ tr(l, Cm::Unit) }</th><th>{ t(M::Building) }</th><th>{ tr(l, Cm::Code) }</th></tr></thead>
                            <tbody>
                            { for tokens.iter().map(|tk| html! {
                                <tr data-unit={tk.unit.clone()}><td>{ tk.unit.clone() }</td><td>{ tk.building.clone() }</td>
                                    <td><a class="token" href={tk.url.clone()}><code>{ tk.token.clone() }</code></a></td></tr>
                            }) }
                            </tbody>
                        </table>
                        </div>
                    </div>
                },
            } }
        </section>
    }
}

/// Props of [`LiveParticipation`].
#[derive(Properties, PartialEq)]
pub struct LiveProps {
    /// The consultation.
    pub id: i64,
    /// Which vote.
    pub round: Round,
    /// Bumped to reload.
    pub version: u32,
    /// Interface language.
    pub lang: Lang,
}

/// Participation so far (never what anyone voted).
#[function_component(LiveParticipation)]
fn live_participation(p: &LiveProps) -> Html {
    let l = p.lang;
    let r = use_state(|| None::<Result<Results, Failure>>);
    {
        let r = r.clone();
        use_effect_with((p.id, p.version), move |&(id, _)| {
            yew::platform::spawn_local(async move {
                r.set(Some(
                    api::get::<Results>(&format!("/api/consultations/{id}/results")).await,
                ));
            });
        });
    }
    let refresh = {
        let r = r.clone();
        let id = p.id;
        Callback::from(move |_: MouseEvent| {
            let r = r.clone();
            yew::platform::spawn_local(async move {
                r.set(Some(
                    api::get::<Results>(&format!("/api/consultations/{id}/results")).await,
                ));
            });
        })
    };
    html! {
        <section class="panel" id="live-participation">
            <h2>{ tr(l, if p.round == Round::Option { M::ParticipationOption } else { M::ParticipationResolution }) }</h2>
            { match &*r {
                None => loading(l),
                Some(Err(e)) => failure_box(l, e),
                Some(Ok(res)) => {
                    let part = if p.round == Round::Option { Some(&res.option_participation) } else { res.resolution_participation.as_ref() };
                    match part { Some(pp) => participation_bars(l, "live", pp), None => html! {} }
                }
            } }
            <button type="button" class="btn small" id="refresh-participation" onclick={refresh}>{ tr(l, Cm::Refresh) }</button>
            <VotedList id={p.id} round={p.round} version={p.version} lang={l} />
        </section>
    }
}

/// Who has voted in a round and by which channel (never what), for the paper-ballot desk;
/// loaded when opened.
#[function_component(VotedList)]
fn voted_list(p: &LiveProps) -> Html {
    let l = p.lang;
    let open = use_state(|| false);
    let list = use_state(|| None::<Result<Vec<Voted>, Failure>>);
    {
        let list = list.clone();
        use_effect_with(
            (p.id, p.round, p.version, *open),
            move |&(id, round, _, open)| {
                if open {
                    yew::platform::spawn_local(async move {
                        list.set(Some(
                            api::get::<Vec<Voted>>(&format!(
                                "/api/consultations/{id}/participation?round={}",
                                round.as_str()
                            ))
                            .await,
                        ));
                    });
                }
            },
        );
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let d: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(d.open());
        })
    };
    html! {
        <details id="voted-list" {ontoggle}>
            <summary>{ tr(l, Cm::WhoVoted) }</summary>
            { match &*list {
                None => loading(l),
                Some(Err(e)) => failure_box(l, e),
                Some(Ok(v)) if v.is_empty() => html! { <p class="muted">{ tr(l, Cm::NobodyYet) }</p> },
                Some(Ok(v)) => html! {
                    <ul class="voted">
                        { for v.iter().map(|x| html! {
                            <li data-unit={x.unit.clone()}>{ format!("{} · {}", x.unit,
                                if x.channel == "paper" { tr(l, M::Paper) } else { tr(l, M::Online) }) }</li>
                        }) }
                    </ul>
                },
            } }
        </details>
    }
}

/// Putting the winner (or, for a tie left to the committee, its chosen option) to the
/// formal resolution.
#[function_component(ResolutionButton)]
fn resolution_button(p: &SectionProps) -> Html {
    let l = p.lang;
    let c = &p.consultation;
    let option = use_state(|| None::<u32>);
    let on_pick = {
        let option = option.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            option.set(s.value().parse().ok());
        })
    };
    html! {
        <>
        if c.settings.tie_break == TieBreak::Committee {
            <label class="field"><span>{ tr(l, Cm::CommitteeChoice) }</span>
                <select id="committee-option" onchange={on_pick}>
                    <option value="" selected={option.is_none()}>{ tr(l, Cm::WinnerDefault) }</option>
                    { for c.options.iter().map(|o| html! { <option value={o.index.to_string()}>{ option_name(o) }</option> }) }
                </select></label>
        }
        <TransitionButton id={c.id} to={Phase::Resolution} label={M::OpenResolution} option={*option}
            csrf={p.csrf.clone()} lang={l} on_done={p.on_done.clone()} />
        </>
    }
}

/// Props of [`AuditLog`].
#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The consultation.
    pub id: i64,
    /// Bumped to reload.
    pub version: u32,
    /// Interface language.
    pub lang: Lang,
}

/// The audit log (loaded when opened).
#[function_component(AuditLog)]
fn audit_log(p: &AuditProps) -> Html {
    let l = p.lang;
    let open = use_state(|| false);
    let entries = use_state(|| None::<Result<Vec<AuditEntry>, Failure>>);
    {
        let entries = entries.clone();
        use_effect_with((p.id, p.version, *open), move |&(id, _, open)| {
            if open {
                yew::platform::spawn_local(async move {
                    entries.set(Some(
                        api::get::<Vec<AuditEntry>>(&format!("/api/consultations/{id}/audit"))
                            .await,
                    ));
                });
            }
        });
    }
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let d: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(d.open());
        })
    };
    html! {
        <details class="panel" id="audit" {ontoggle}>
            <summary>{ tr(l, Cm::AuditLog) }</summary>
            { match &*entries {
                None => loading(l),
                Some(Err(e)) => failure_box(l, e),
                Some(Ok(v)) => html! {
                    <div class="table-wrap">
                    <table class="result-table small">
                        <thead><tr><th>{ "#" }</th><th>{ tr(l, Cm::When) }</th><th>{ tr(l, Cm::Who) }</th><th>{ tr(l, Cm::What) }</th><th>{ tr(l, Common::Detail) }</th></tr></thead>
                        <tbody>{ for v.iter().map(|e| html! { <tr data-action={e.action.clone()}><td>{ e.id }</td><td>{ e.at.clone() }</td><td>{ e.actor.clone() }</td><td>{ e.action.clone() }</td><td>{ e.detail.clone() }</td></tr> }) }</tbody>
                    </table>
                    </div>
                },
            } }
        </details>
    }
}
