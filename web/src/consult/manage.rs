//! The committee's page for one consultation: the life cycle step by step, with what can
//! be done in each phase (rules, electorate, proposals and the shortlist, ballot tokens and
//! the QR sheet, opening and closing the vote, paper ballots and refusals, the formal
//! resolution, validation, publication) and the audit log.
//!
//! The state is [`super::manage_state`]'s (tested natively); every fetch is
//! [`crate::api::use_api`]'s; the components here render and forward taps.

use std::rc::Rc;

use plotwise_api::{
    AuditEntry, BallotBox, Consultation, ElectorateSummary, IssueTokens, IssuedToken, IssuedTokens,
    Phase, Proposal, Results, Round, Settings, TieBreak, Transition, Voted,
};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::committee::SettingsFields;
use super::count::{CountPanel, OpenVote, PaperDesk, ScrutineerCodes};
use super::manage_state::{
    Form, FormAction, Issued, Page, PageAction, TwoStep, TwoStepAction, cards_in, toggle_pick,
    token_rounds, units_typed,
};
use super::paper::{PaperEntry, Refusals};
use super::proposal_form::ProposalForm;
use super::widgets::{option_name, participation_bars, phase_name, stepper, use_shared};
use crate::api::{self, Failure, Verb, failure_box, loading, use_api, use_api_with};
use crate::i18n::{Cm, Common, Lang, M, tr, tr_n};
use crate::routes::Route;

/// Props of [`ManagePage`].
#[derive(Properties, PartialEq)]
pub struct ManageProps {
    /// The consultation.
    pub id: i64,
}

/// What every section of the page needs.
#[derive(Clone, PartialEq)]
struct Ctx {
    c: Rc<Consultation>,
    csrf: Option<String>,
    lang: Lang,
    version: u32,
    page: UseReducerDispatcher<Page>,
}

impl Ctx {
    fn reload(&self) -> Callback<()> {
        self.page.to_callback().reform(|()| PageAction::Reload)
    }
}

/// The committee's page for one consultation.
#[function_component(ManagePage)]
pub fn manage_page(props: &ManageProps) -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let page = use_reducer(Page::default);
    let c = use_api_with(Some(props.id), page.version, |id| async move {
        api::get::<Consultation>(&format!("/api/consultations/{id}")).await
    });
    if !shared.session_known {
        return html! { <main class="consult">{ loading(l) }</main> };
    }
    if shared.session.is_none() {
        return html! { <main class="consult narrow"><p class="lead">{ tr(l, Cm::SignInFirst) }</p>
        <a class="btn primary big" href={Route::Committee.href()}>{ tr(l, Cm::SignIn) }</a></main> };
    }
    let c = match c.load() {
        api::Load::Loading => return html! { <main class="consult">{ loading(l) }</main> },
        api::Load::Failed(e) => return html! { <main class="consult">{ failure_box(l, e) }</main> },
        api::Load::Ready(c) => Rc::new(c.clone()),
    };
    let ctx = Ctx {
        c: c.clone(),
        csrf: shared.csrf(),
        lang: l,
        version: page.version,
        page: page.dispatcher(),
    };
    let phase = c.phase;
    let before_voting = matches!(phase, Phase::Draft | Phase::Collecting | Phase::Frozen);
    let codes_done = page
        .dispatcher()
        .to_callback()
        .reform(|()| PageAction::CodesDone);
    html! {
        <main class="consult manage" id="manage" data-phase={phase.as_str()}>
            <p class="crumbs"><a href={Route::Committee.href()}>{ tr(l, Cm::CommitteeTitle) }</a>{ " › " }
                <a href={Route::Home(c.id).href()}>{ tr(l, Cm::PublicPage) }</a>
                if !before_voting {
                    { " › " }<a href={Route::Results(c.id).href()} id="manage-results">{ tr(l, M::ResultsTitle) }</a>
                }</p>
            <h1>{ c.title.clone() }</h1>
            <p class="now"><span class={classes!("phase-badge", phase.as_str())} id="manage-phase">{ phase_name(l, phase) }</span></p>
            { stepper(l, phase) }
            if before_voting {
                <SettingsSection ctx={ctx.clone()} />
                <ElectorateSection ctx={ctx.clone()} />
            }
            if let Some(k) = &page.codes {
                <ScrutineerCodes codes={k.clone()} title={c.title.clone()} lang={l} on_done={codes_done} />
            }
            // Keyed by phase: a new phase starts its sections afresh (no codes or marks left over).
            <div class="phase-sections" key={phase.as_str()}>{ phase_sections(&ctx) }</div>
            <AuditLog id={c.id} version={page.version} lang={l} />
        </main>
    }
}

/// What can be done in the consultation's phase.
fn phase_sections(ctx: &Ctx) -> Html {
    let (c, l, csrf, version) = (&ctx.c, ctx.lang, ctx.csrf.clone(), ctx.version);
    let reload = ctx.reload();
    let on_opened = ctx.page.to_callback().reform(PageAction::Opened);
    let next = |text: Cm, body: Html| html! { <section class="panel next-step"><p>{ tr(l, text) }</p>{ body }</section> };
    let tokens = html! { <TokensSection id={c.id} phase={c.phase} csrf={csrf.clone()} lang={l} /> };
    let refusals = html! { <Refusals id={c.id} version={version} lang={l} /> };
    let transition = |to: Phase, label: M| {
        html! { <TransitionButton id={c.id} to={to} label={label} csrf={csrf.clone()} lang={l} on_done={reload.clone()} /> }
    };
    match c.phase {
        Phase::Draft => next(
            Cm::DraftNext,
            transition(Phase::Collecting, M::StartCollecting),
        ),
        Phase::Collecting => {
            html! { <ProposalsSection id={c.id} csrf={csrf.clone()} lang={l} on_done={reload.clone()} /> }
        }
        Phase::Frozen => html! {
            <>
            <OptionsList consultation={c.clone()} lang={l} />
            { tokens }
            { next(Cm::FrozenNext, html! { <>
                <p class="muted">{ tr(l, Cm::OpenVoteHelp) }</p>
                <OpenVote id={c.id} label={tr(l, Cm::OpenVoting)} csrf={csrf.clone()} lang={l} on_opened={on_opened} />
            </> }) }
            </>
        },
        Phase::Voting => voting_sections(ctx, tokens, refusals, on_opened),
        Phase::Closed => html! {
            <>
            <p class="panel"><a class="btn primary" href={Route::Results(c.id).href()}>{ tr(l, Cm::SeeCount) }</a></p>
            { refusals }
            { tokens }
            { next(Cm::ClosedNext, html! { <>
                if c.settings.tie_break == TieBreak::Committee {
                    <p class="muted">{ tr(l, Cm::CommitteeTieHelp) }</p>
                }
                <ResolutionButton ctx={ctx.clone()} />
            </> }) }
            </>
        },
        Phase::Resolution => html! {
            <>
            <LiveParticipation id={c.id} round={Round::Resolution} version={version} lang={l} />
            <PaperEntry consultation={(**c).clone()} csrf={csrf.clone()} lang={l} on_entered={reload.clone()} />
            { refusals }
            { tokens }
            { next(Cm::ResolutionNext, transition(Phase::Validated, M::Validate)) }
            </>
        },
        Phase::Validated => next(
            Cm::ValidatedNext,
            html! { <>
                <p><a class="btn" href={Route::Results(c.id).href()}>{ tr(l, Cm::CheckResults) }</a></p>
                { transition(Phase::Published, M::Publish) }
            </> },
        ),
        Phase::Published => next(
            Cm::PublishedDone,
            html! {
                <p><a class="btn primary" id="public-results" href={Route::Results(c.id).href()}>{ tr(l, M::SeeResults) }</a>
                    { " " }<a class="btn" href={Route::Sheet(c.id).href()}>{ tr(l, M::PrintableSheet) }</a></p>
            },
        ),
    }
}

/// While voting: participation, the paper desk, refusals, tokens, the count, new codes.
fn voting_sections(
    ctx: &Ctx,
    tokens: Html,
    refusals: Html,
    on_opened: Callback<[String; 2]>,
) -> Html {
    let (c, l, csrf, version) = (&ctx.c, ctx.lang, ctx.csrf.clone(), ctx.version);
    let on_counted = ctx.reload().reform(|_: plotwise_api::CountReport| ());
    html! {
        <>
        <LiveParticipation id={c.id} round={Round::Option} version={version} lang={l} />
        <PaperDesk id={c.id} csrf={csrf.clone()} lang={l} on_marked={ctx.reload()} />
        { refusals }
        { tokens }
        <section class="panel next-step">
            <p>{ tr(l, Cm::VotingNext) }</p>
            <CountPanel id={c.id} options={c.options.clone()} settings={c.settings.clone()}
                unsealed={c.ballot_box == BallotBox::Unsealed} version={version}
                csrf={csrf.clone()} lang={l} on_counted={on_counted} />
        </section>
        if c.ballot_box == BallotBox::Sealed {
            <section class="panel">
                <h2>{ tr(l, Cm::LostCodeTitle) }</h2>
                <p class="muted">{ tr(l, Cm::LostCodeHelp) }</p>
                <OpenVote id={c.id} label={tr(l, Cm::NewCodes)} csrf={csrf} lang={l} on_opened={on_opened} />
            </section>
        }
        </>
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
    let step = use_reducer(TwoStep::default);
    let d = step.dispatcher().to_callback();
    let go = {
        let step = step.clone();
        let body = Transition {
            to: p.to,
            proposal_ids: p.proposal_ids.clone(),
            option: p.option,
        };
        let path = format!("/api/consultations/{}/transition", p.id);
        let (csrf, on_done) = (p.csrf.clone(), p.on_done.clone());
        Callback::from(move |_: MouseEvent| {
            if !step.can_start() {
                return;
            }
            step.dispatch(TwoStepAction::Start);
            let (step, body, path, csrf, on_done) = (
                step.clone(),
                body.clone(),
                path.clone(),
                csrf.clone(),
                on_done.clone(),
            );
            yew::platform::spawn_local(async move {
                let r =
                    api::send::<_, Consultation>(Verb::Post, &path, &body, csrf.as_deref()).await;
                let ok = r.is_ok();
                step.dispatch(TwoStepAction::Done(r.map(|_| ())));
                if ok {
                    on_done.emit(());
                }
            });
        })
    };
    let id = format!("to-{}", p.to.as_str());
    html! {
        <div class="transition">
            if step.armed {
                <p class="warn-line">{ tr(l, Cm::CannotUndo) }</p>
                <button type="button" class="btn primary big" id={format!("{id}-confirm")} disabled={step.busy} onclick={go}>{ format!("{} ✓", tr(l, p.label)) }</button>
                { " " }<button type="button" class="btn" onclick={d.reform(|_: MouseEvent| TwoStepAction::Cancel)}>{ tr(l, Cm::Cancel) }</button>
            } else {
                <button type="button" class="btn primary big" id={id} disabled={p.disabled} onclick={d.reform(|_: MouseEvent| TwoStepAction::Arm)}>{ tr(l, p.label) }</button>
            }
            if let Some(e) = &step.problem { { failure_box(l, e) } }
        </div>
    }
}

/// Props of sections that change the consultation.
#[derive(Properties, PartialEq)]
struct SectionProps {
    ctx: Ctx,
}

/// The rules, editable before the vote opens.
#[function_component(SettingsSection)]
fn settings_section(p: &SectionProps) -> Html {
    let (c, l) = (&p.ctx.c, p.ctx.lang);
    let settings = use_state(|| c.settings.clone());
    let form = use_reducer(Form::default);
    let on_change = {
        let (settings, form) = (settings.clone(), form.clone());
        Callback::from(move |s: Settings| {
            form.dispatch(FormAction::Edited);
            settings.set(s)
        })
    };
    let save = {
        let (settings, form) = (settings.clone(), form.clone());
        let path = format!("/api/consultations/{}/settings", c.id);
        let (csrf, on_done) = (p.ctx.csrf.clone(), p.ctx.reload());
        Callback::from(move |_: MouseEvent| {
            let (body, form, path, csrf, on_done) = (
                (*settings).clone(),
                form.clone(),
                path.clone(),
                csrf.clone(),
                on_done.clone(),
            );
            form.dispatch(FormAction::Start);
            yew::platform::spawn_local(async move {
                let r =
                    api::send::<_, Consultation>(Verb::Put, &path, &body, csrf.as_deref()).await;
                let ok = r.is_ok();
                form.dispatch(FormAction::Done(r.map(|_| ())));
                if ok {
                    on_done.emit(());
                }
            });
        })
    };
    html! {
        <details class="panel" id="settings-section">
            <summary>{ tr(l, M::Rules) }</summary>
            <SettingsFields value={(*settings).clone()} on_change={on_change} lang={l} />
            <button type="button" class="btn" onclick={save} id="save-settings" disabled={form.busy}>{ tr(l, Cm::SaveRules) }</button>
            if form.done { <span class="ok-line">{ format!(" ✓ {}", tr(l, Cm::Saved)) }</span> }
            if let Some(e) = &form.problem { { failure_box(l, e) } }
        </details>
    }
}

/// Sends the electorate file `f` (all or nothing; the server says how to fix a file that is
/// not UTF-8 and names every bad line).
async fn import_electorate(
    f: web_sys::File,
    path: String,
    csrf: Option<String>,
) -> Result<ElectorateSummary, Failure> {
    let bytes = crate::files::read_bytes(&f)
        .await
        .map_err(|e| Failure::local("file", e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::local(
            "file",
            "the file is not UTF-8 text: save it as \"CSV UTF-8\" (逗号分隔 UTF-8)",
        )
    })?;
    api::send_text(
        Verb::Put,
        &path,
        text,
        "text/csv; charset=utf-8",
        csrf.as_deref(),
    )
    .await
}

/// Importing the electorate CSV.
#[function_component(ElectorateSection)]
fn electorate_section(p: &SectionProps) -> Html {
    let (c, l) = (&p.ctx.c, p.ctx.lang);
    let t = |m| tr(l, m);
    let file = use_node_ref();
    let form = use_reducer(Form::default);
    let import = {
        let (file, form) = (file.clone(), form.clone());
        let path = format!("/api/consultations/{}/electorate", c.id);
        let (csrf, on_done) = (p.ctx.csrf.clone(), p.ctx.reload());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = file
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|fs| fs.get(0))
            else {
                let e = Failure::local("form", "choose a CSV file first");
                return form.dispatch(FormAction::Done(Err(e)));
            };
            let (form, path, csrf, on_done) =
                (form.clone(), path.clone(), csrf.clone(), on_done.clone());
            form.dispatch(FormAction::Start);
            yew::platform::spawn_local(async move {
                let r = import_electorate(f, path, csrf).await;
                let ok = r.is_ok();
                form.dispatch(FormAction::Done(r.map(|_| ())));
                if ok {
                    on_done.emit(());
                }
            });
        })
    };
    let s = &c.electorate;
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
            <button type="button" class="btn" id="import-electorate" disabled={form.busy} onclick={import}>{ tr(l, Cm::Import) }</button>
            if let Some(e) = &form.problem { { failure_box(l, e) } }
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

/// Proposals: add from a file or from my drafts, then shortlist and freeze.
#[function_component(ProposalsSection)]
fn proposals_section(p: &ProposalsProps) -> Html {
    let l = p.lang;
    let list = use_api(p.id, |id| async move {
        api::get::<Vec<Proposal>>(&format!("/api/consultations/{id}/proposals")).await
    });
    let picked = use_state(Vec::<i64>::new);
    let on_added = {
        let (picked, list) = (picked.clone(), list.clone());
        Callback::from(move |pr: Proposal| {
            picked.set(toggle_pick(&picked, pr.id));
            list.reload();
        })
    };
    let toggle = |id: i64| {
        let picked = picked.clone();
        Callback::from(move |_: Event| picked.set(toggle_pick(&picked, id)))
    };
    let proposals = api::view(l, list.load(), |v| {
        if v.is_empty() {
            return html! { <p class="muted">{ tr(l, Cm::NoProposals) }</p> };
        }
        html! {
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
        }
    });
    html! {
        <>
        <section class="panel" id="proposals-section">
            <h2>{ tr(l, Cm::Proposals) }</h2>
            <p class="muted">{ tr(l, Cm::ProposalsHelp) }</p>
            <ProposalForm id={p.id} lang={l} on_added={on_added} />
            { proposals }
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
            <p><a class="btn" href={Route::Home(p.consultation.id).href()}>{ tr(l, Cm::SeeDrawings) }</a></p>
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

/// Asks the server for tokens: a printable sheet (kept as an object URL) or a list.
async fn issue_tokens(
    id: i64,
    sheet: bool,
    body: IssueTokens,
    csrf: Option<String>,
) -> Result<Issued, Failure> {
    if sheet {
        let path = format!("/api/consultations/{id}/tokens?format=sheet");
        let html = api::send_for_text(Verb::Post, &path, &body, csrf.as_deref()).await?;
        let blob =
            gloo::file::Blob::new_with_options(html.as_str(), Some("text/html;charset=utf-8"));
        let raw: web_sys::Blob = blob.into();
        let url = web_sys::Url::create_object_url_with_blob(&raw).unwrap_or_default();
        Ok(Issued::Sheet {
            url,
            cards: cards_in(&html),
        })
    } else {
        let path = format!("/api/consultations/{id}/tokens");
        api::send::<_, IssuedTokens>(Verb::Post, &path, &body, csrf.as_deref())
            .await
            .map(|t| Issued::List(t.tokens))
    }
}

/// Ballot tokens: issue them as a printable QR sheet or as a list, or replace lost ones.
#[function_component(TokensSection)]
fn tokens_section(p: &TokensProps) -> Html {
    let l = p.lang;
    let (rounds, first) = token_rounds(p.phase);
    let round = use_state(|| first);
    let issued = use_state(|| None::<Issued>);
    let form = use_reducer(Form::default);
    let units = use_node_ref();
    let round_v = if rounds.contains(&*round) {
        *round
    } else {
        first
    };
    let issue = |sheet: bool, replace: bool| {
        let (issued, form, units) = (issued.clone(), form.clone(), units.clone());
        let (id, csrf) = (p.id, p.csrf.clone());
        Callback::from(move |_: MouseEvent| {
            let typed = units
                .cast::<HtmlTextAreaElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let list = units_typed(&typed);
            if replace && list.is_empty() {
                let e = Failure::local(
                    "form",
                    "name the units whose codes were lost, e.g. 1-101, 2-304",
                );
                return form.dispatch(FormAction::Done(Err(e)));
            }
            let body = IssueTokens {
                round: round_v,
                base_url: gloo::utils::window()
                    .location()
                    .origin()
                    .unwrap_or_default(),
                units: replace.then_some(list),
            };
            let (issued, form, csrf) = (issued.clone(), form.clone(), csrf.clone());
            form.dispatch(FormAction::Start);
            yew::platform::spawn_local(async move {
                let r = issue_tokens(id, sheet, body, csrf).await;
                if let Ok(i) = &r {
                    issued.set(Some(i.clone()));
                }
                form.dispatch(FormAction::Done(r.map(|_| ())));
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
    let busy = form.busy;
    html! {
        <section class="panel" id="tokens-section">
            <h2>{ tr(l, Cm::Tokens) }</h2>
            <p class="muted">{ tr(l, Cm::TokensHelp) }</p>
            <label class="field"><span>{ tr(l, Cm::ForWhichVote) }</span>
                <select id="token-round" onchange={on_round}>
                    { for rounds.iter().map(|r| html! { <option value={r.as_str()} selected={*r == round_v}>{ tr(l, if *r == Round::Option { M::OptionVote } else { M::FormalResolution }) }</option> }) }
                </select></label>
            <p class="buttons">
                <button type="button" class="btn primary" id="issue-sheet" disabled={busy} onclick={issue(true, false)}>{ tr(l, Cm::IssueSheet) }</button>
                <button type="button" class="btn" id="issue-list" disabled={busy} onclick={issue(false, false)}>{ tr(l, Cm::IssueList) }</button>
            </p>
            <details>
                <summary>{ tr(l, Cm::ReplaceLost) }</summary>
                <label class="field"><span>{ tr(l, Cm::UnitsToReplace) }</span><textarea id="replace-units" ref={units.clone()} rows="2" placeholder="1-101, 2-304" /></label>
                <button type="button" class="btn" id="replace-sheet" disabled={busy} onclick={issue(true, true)}>{ tr(l, Cm::ReplaceSheet) }</button>
                { " " }<button type="button" class="btn" id="replace-list" disabled={busy} onclick={issue(false, true)}>{ tr(l, Cm::ReplaceList) }</button>
            </details>
            if let Some(e) = &form.problem { { failure_box(l, e) } }
            { issued.as_ref().map(|i| issued_view(l, i)).unwrap_or_default() }
        </section>
    }
}

/// What was issued: the sheet to print, or the list of codes (shown once).
fn issued_view(l: Lang, issued: &Issued) -> Html {
    if issued.is_empty() {
        return html! { <p class="warn-line" id="no-new-tokens">{ tr(l, Cm::AllHaveCodes) }</p> };
    }
    match issued {
        Issued::Sheet { url, cards } => html! {
            <div class="sheet-preview">
                <p class="ok-line">{ tr_n(l, Cm::CodesMade, *cards) }{ " " }<a class="btn primary" href={url.clone()} target="_blank" id="open-qr-sheet">{ tr(l, Cm::OpenSheetToPrint) }</a></p>
                <p class="warn-line">{ tr(l, Cm::ShownOnce) }</p>
                <iframe id="qr-sheet" src={url.clone()} title={tr(l, Cm::Tokens)} sandbox="allow-same-origin"></iframe>
            </div>
        },
        Issued::List(tokens) => html! {
            <div>
                <p class="ok-line">{ tr_n(l, Cm::CodesMade, tokens.len()) }{ " " }
                    <button type="button" class="btn" onclick={download_csv(tokens.clone())}>{ tr(l, Cm::DownloadCsv) }</button></p>
                <p class="warn-line">{ tr(l, Cm::ShownOnce) }</p>
                <div class="table-wrap tokens-wrap">
                <table id="token-table" class="result-table">
                    <thead><tr><th>{ tr(l, Cm::Unit) }</th><th>{ tr(l, M::Building) }</th><th>{ tr(l, Cm::Code) }</th></tr></thead>
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
    }
}

/// Downloads the tokens as a CSV file (unit, building, token, URL).
fn download_csv(tokens: Vec<IssuedToken>) -> Callback<MouseEvent> {
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
    let r = use_api_with(Some(p.id), p.version, |id| async move {
        api::get::<Results>(&format!("/api/consultations/{id}/results")).await
    });
    let round = p.round;
    html! {
        <section class="panel" id="live-participation">
            <h2>{ tr(l, if round == Round::Option { M::ParticipationOption } else { M::ParticipationResolution }) }</h2>
            { api::view(l, r.load(), |res| {
                let part = if round == Round::Option { Some(&res.option_participation) } else { res.resolution_participation.as_ref() };
                part.map(|pp| participation_bars(l, "live", pp)).unwrap_or_default()
            }) }
            <button type="button" class="btn small" id="refresh-participation" onclick={r.reloader()}>{ tr(l, Cm::Refresh) }</button>
            <VotedList id={p.id} round={round} version={p.version} lang={l} />
        </section>
    }
}

/// A `<details>` toggle handler that reports whether it is open.
fn on_toggle(open: &UseStateHandle<bool>) -> Callback<Event> {
    let open = open.clone();
    Callback::from(move |e: Event| {
        let d: web_sys::HtmlDetailsElement = e.target_unchecked_into();
        open.set(d.open());
    })
}

/// Who has voted in a round and by which channel (never what), for the paper-ballot desk;
/// loaded when opened.
#[function_component(VotedList)]
fn voted_list(p: &LiveProps) -> Html {
    let l = p.lang;
    let open = use_state(|| false);
    let list = use_api_with(
        open.then_some((p.id, p.round)),
        p.version,
        |(id, round)| async move {
            let path = format!(
                "/api/consultations/{id}/participation?round={}",
                round.as_str()
            );
            api::get::<Vec<Voted>>(&path).await
        },
    );
    html! {
        <details id="voted-list" ontoggle={on_toggle(&open)}>
            <summary>{ tr(l, Cm::WhoVoted) }</summary>
            { api::view(l, list.load(), |v| if v.is_empty() {
                html! { <p class="muted">{ tr(l, Cm::NobodyYet) }</p> }
            } else {
                html! {
                    <ul class="voted">
                        { for v.iter().map(|x| html! {
                            <li data-unit={x.unit.clone()}>{ format!("{} · {}", x.unit,
                                if x.channel == "paper" { tr(l, M::Paper) } else { tr(l, M::Online) }) }</li>
                        }) }
                    </ul>
                }
            }) }
        </details>
    }
}

/// Putting the winner (or, for a tie left to the committee, its chosen option) to the
/// formal resolution.
#[function_component(ResolutionButton)]
fn resolution_button(p: &SectionProps) -> Html {
    let (c, l) = (&p.ctx.c, p.ctx.lang);
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
            csrf={p.ctx.csrf.clone()} lang={l} on_done={p.ctx.reload()} />
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
    let entries = use_api_with(open.then_some(p.id), p.version, |id| async move {
        api::get::<Vec<AuditEntry>>(&format!("/api/consultations/{id}/audit")).await
    });
    html! {
        <details class="panel" id="audit" ontoggle={on_toggle(&open)}>
            <summary>{ tr(l, Cm::AuditLog) }</summary>
            { api::view(l, entries.load(), |v| html! {
                <div class="table-wrap">
                <table class="result-table small">
                    <thead><tr><th>{ "#" }</th><th>{ tr(l, Cm::When) }</th><th>{ tr(l, Cm::Who) }</th><th>{ tr(l, Cm::What) }</th><th>{ tr(l, Common::Detail) }</th></tr></thead>
                    <tbody>{ for v.iter().map(|e| html! { <tr data-action={e.action.clone()}><td>{ e.id }</td><td>{ e.at.clone() }</td><td>{ e.actor.clone() }</td><td>{ e.action.clone() }</td><td>{ e.detail.clone() }</td></tr> }) }</tbody>
                </table>
                </div>
            }) }
        </details>
    }
}
