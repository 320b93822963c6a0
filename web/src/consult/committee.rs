//! The committee's entrance: the first account (with the one-time setup code the server
//! writes to its log), sign-in, the consultations (drafts too) and a new consultation with
//! its rules (counting method, tie-break, formal-resolution preset, headcount).

use plotwise_api::{
    Consultation, Credentials, HeadcountRule, Method, NewConsultation, ResolutionRule, SessionInfo,
    Settings, SetupRequest, TieBreak,
};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::widgets::{phase_name, use_shared};
use crate::api::{self, Failure, Verb, use_api};
use crate::api::{failure_box, loading};
use crate::i18n::Lang;
use crate::i18n::{Cm, M, tr};
use crate::routes::Route;

fn input_value(r: &NodeRef) -> String {
    if let Some(i) = r.cast::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = r.cast::<HtmlSelectElement>() {
        return s.value();
    }
    r.cast::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .unwrap_or_default()
}

/// The committee's page: sign-in or the list and the new-consultation form.
#[function_component(CommitteePage)]
pub fn committee_page() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    if !shared.session_known {
        return html! { <main class="consult">{ loading(l) }</main> };
    }
    if shared.session.is_none() {
        return html! { <SignIn /> };
    }
    html! {
        <main class="consult" id="committee">
            <h1>{ tr(l, Cm::CommitteeTitle) }</h1>
            <CommitteeList />
            <NewConsultationForm />
            <super::accounts::AccountsPanel />
        </main>
    }
}

/// Sign-in and first-account setup.
#[function_component(SignIn)]
fn sign_in() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let (user, pass) = (use_node_ref(), use_node_ref());
    let (code, suser, spass) = (use_node_ref(), use_node_ref(), use_node_ref());
    let problem = use_state(|| None::<Failure>);
    let busy = use_state(|| false);
    let login = {
        let (user, pass, problem, busy, set) = (
            user.clone(),
            pass.clone(),
            problem.clone(),
            busy.clone(),
            shared.set_session.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = Credentials {
                username: input_value(&user),
                password: input_value(&pass),
            };
            let (problem, busy, set) = (problem.clone(), busy.clone(), set.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                match api::send::<_, SessionInfo>(Verb::Post, "/api/login", &body, None).await {
                    Ok(s) => {
                        problem.set(None);
                        set.emit(Some(s))
                    }
                    Err(e) => problem.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    let setup = {
        let (code, suser, spass, problem, busy, set) = (
            code.clone(),
            suser.clone(),
            spass.clone(),
            problem.clone(),
            busy.clone(),
            shared.set_session.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = SetupRequest {
                setup_code: input_value(&code).trim().to_owned(),
                username: input_value(&suser),
                password: input_value(&spass),
            };
            let (problem, busy, set) = (problem.clone(), busy.clone(), set.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                match api::send::<_, SessionInfo>(Verb::Post, "/api/setup", &body, None).await {
                    Ok(s) => {
                        problem.set(None);
                        set.emit(Some(s))
                    }
                    Err(e) => problem.set(Some(e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <main class="consult narrow" id="sign-in">
            <h1>{ tr(l, Cm::CommitteeTitle) }</h1>
            if let Some(e) = &*problem {
                if e.code == "unauthorized" {
                    <div class="error-box" role="alert" data-code="unauthorized"><p class="headline">{ tr(l, Cm::WrongLogin) }</p></div>
                } else {
                    { failure_box(l, e) }
                }
            }
            <form class="panel form" onsubmit={login} id="login-form">
                <h2>{ tr(l, Cm::SignIn) }</h2>
                <label class="field"><span>{ tr(l, Cm::Username) }</span><input id="login-user" ref={user} autocomplete="username" required=true /></label>
                <label class="field"><span>{ tr(l, Cm::Password) }</span><input id="login-pass" ref={pass} type="password" autocomplete="current-password" required=true /></label>
                <button class="btn primary big" type="submit" disabled={*busy}>{ tr(l, Cm::SignIn) }</button>
            </form>
            <details class="panel" id="setup-panel">
                <summary>{ tr(l, Cm::FirstTime) }</summary>
                <p class="muted">{ tr(l, Cm::SetupHelp) }</p>
                <form class="form" onsubmit={setup} id="setup-form">
                    <label class="field"><span>{ tr(l, Cm::SetupCode) }</span><input id="setup-code" ref={code} autocomplete="off" required=true /></label>
                    <label class="field"><span>{ tr(l, Cm::Username) }</span><input id="setup-user" ref={suser} autocomplete="username" required=true /></label>
                    <label class="field"><span>{ tr(l, Cm::PasswordNew) }</span><input id="setup-pass" ref={spass} type="password" autocomplete="new-password" minlength="10" required=true /></label>
                    <button class="btn primary" type="submit" disabled={*busy}>{ tr(l, Cm::CreateAccount) }</button>
                </form>
            </details>
        </main>
    }
}

/// The consultations with links to manage them.
#[function_component(CommitteeList)]
fn committee_list() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let list = use_api((), |_| api::get::<Vec<Consultation>>("/api/consultations"));
    html! {
        <section class="panel">
            <h2>{ tr(l, M::ConsultationsTitle) }</h2>
            { api::view(l, list.load(), |v| if v.is_empty() {
                html! { <p>{ tr(l, M::NoConsultations) }</p> }
            } else {
                html! {
                    <ul class="plain-list" id="committee-list">
                        { for v.iter().map(|c| html! {
                            <li><a href={Route::Manage(c.id).href()}>{ c.title.clone() }</a>
                                { " " }<span class={classes!("phase-badge", c.phase.as_str())}>{ phase_name(l, c.phase) }</span></li>
                        }) }
                    </ul>
                }
            }) }
        </section>
    }
}

/// Rule presets offered in the form.
const RULES: [(&str, M); 5] = [
    ("art278-major", M::RuleMajor),
    ("art278-ordinary", M::RuleOrdinary),
    ("building-two-thirds", M::RuleBuilding),
    ("support-10", M::RuleSupport10),
    ("custom", M::RuleCustom),
];

/// Props of [`SettingsFields`].
#[derive(Properties, PartialEq)]
pub struct SettingsFieldsProps {
    /// The settings shown.
    pub value: Settings,
    /// New settings.
    pub on_change: Callback<Settings>,
    /// Interface language.
    pub lang: Lang,
}

/// The fields of a consultation's rules.
#[function_component(SettingsFields)]
pub fn settings_fields(p: &SettingsFieldsProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let s = p.value.clone();
    let edit = |f: fn(&mut Settings, String)| {
        let s = s.clone();
        let on_change = p.on_change.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|x| x.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|x| x.value()))
                .unwrap_or_default();
            let mut n = s.clone();
            f(&mut n, v);
            on_change.emit(n);
        })
    };
    // A consultation's settings hold only these three (the server refuses the others).
    let tie_key = match &s.tie_break {
        TieBreak::Seed { .. } => "seed",
        TieBreak::ShortlistOrder => "shortlist_order",
        _ => "committee",
    };
    html! {
        <div class="settings-fields">
            <label class="field"><span>{ t(M::Method) }</span>
                <select id="set-method" onchange={edit(|s, v| {
                    s.method = v.parse().unwrap_or(Method::Irv);
                    s.max_score = (s.method == Method::Score).then_some(s.max_score.unwrap_or(5));
                })}>
                    { for [Method::Approval, Method::Irv, Method::Schulze, Method::Borda, Method::Plurality, Method::Score].into_iter().map(|m| html! {
                        <option value={m.as_str()} selected={s.method == m}>{ super::widgets::method_name(l, m) }</option>
                    }) }
                </select></label>
            if s.method == Method::Score {
                <label class="field"><span>{ tr(l, Cm::MaxScore) }</span>
                    <input id="set-max-score" type="number" min="1" max="1000" value={s.max_score.unwrap_or(5).to_string()}
                        onchange={edit(|s, v| s.max_score = Some(v.trim().parse().unwrap_or(5)))} /></label>
            }
            <label class="field"><span>{ tr(l, Cm::TieBreak) }</span>
                <select id="set-tie" onchange={edit(|s, v| {
                    s.tie_break = match v.as_str() { "committee" => TieBreak::Committee,
                        "seed" => TieBreak::Seed { seed: (js_sys::Math::random() * 1e9) as u64 }, _ => TieBreak::ShortlistOrder };
                })}>
                    <option value="shortlist_order" selected={tie_key == "shortlist_order"}>{ tr(l, Cm::TieOrder) }</option>
                    <option value="seed" selected={tie_key == "seed"}>{ tr(l, Cm::TieSeed) }</option>
                    <option value="committee" selected={tie_key == "committee"}>{ tr(l, Cm::TieCommittee) }</option>
                </select></label>
            if let TieBreak::Seed { seed } = s.tie_break {
                <label class="field"><span>{ tr(l, Cm::Seed) }</span>
                    <input id="set-seed" type="number" min="0" value={seed.to_string()}
                        onchange={edit(|s, v| s.tie_break = TieBreak::Seed { seed: v.trim().parse().unwrap_or(0) })} /></label>
            }
            <label class="field"><span>{ t(M::ResolutionRule) }</span>
                <select id="set-rule" onchange={edit(|s, v| s.resolution = ResolutionRule { rule: v, building: None, quorum: None, pass: None })}>
                    { for RULES.iter().map(|(k, m)| html! { <option value={*k} selected={s.resolution.rule == *k}>{ format!("{} ({k})", t(*m)) }</option> }) }
                </select></label>
            if s.resolution.rule == "building-two-thirds" {
                <label class="field"><span>{ t(M::Building) }</span>
                    <input id="set-building" value={s.resolution.building.clone().unwrap_or_default()}
                        onchange={edit(|s, v| s.resolution.building = Some(v.trim().to_owned()))} /></label>
            }
            if s.resolution.rule == "custom" {
                <label class="field"><span>{ t(M::Quorum) }</span>
                    <input id="set-quorum" placeholder="area>=2/3,headcount>=2/3" value={s.resolution.quorum.clone().unwrap_or_default()}
                        onchange={edit(|s, v| s.resolution.quorum = Some(v.trim().to_owned()))} /></label>
                <label class="field"><span>{ t(M::PassRule) }</span>
                    <input id="set-pass" placeholder="area>1/2,headcount>1/2" value={s.resolution.pass.clone().unwrap_or_default()}
                        onchange={edit(|s, v| s.resolution.pass = Some(v.trim().to_owned()))} /></label>
            }
            <label class="field"><span>{ tr(l, Cm::HeadcountRule) }</span>
                <select id="set-headcount" onchange={edit(|s, v| s.headcount = v.parse().unwrap_or_default())}>
                    <option value="owner" selected={s.headcount == HeadcountRule::Owner}>{ tr(l, Cm::HeadcountOwner) }</option>
                    <option value="unit" selected={s.headcount == HeadcountRule::Unit}>{ tr(l, Cm::HeadcountUnit) }</option>
                </select></label>
        </div>
    }
}

/// Default rules: approval voting, ties by the shortlist order, art. 278 major matter,
/// owners counted once.
pub fn default_settings() -> Settings {
    Settings {
        method: Method::Approval,
        max_score: None,
        tie_break: TieBreak::ShortlistOrder,
        resolution: ResolutionRule {
            rule: "art278-major".into(),
            building: None,
            quorum: None,
            pass: None,
        },
        headcount: HeadcountRule::Owner,
    }
}

/// A new consultation.
#[function_component(NewConsultationForm)]
fn new_consultation_form() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let t = |m| tr(l, m);
    let (title, desc) = (use_node_ref(), use_node_ref());
    let settings = use_state(default_settings);
    let problem = use_state(|| None::<Failure>);
    let on_settings = {
        let settings = settings.clone();
        Callback::from(move |s: Settings| settings.set(s))
    };
    let submit = {
        let (title, desc, settings, problem, csrf) = (
            title.clone(),
            desc.clone(),
            settings.clone(),
            problem.clone(),
            shared.csrf(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = NewConsultation {
                title: input_value(&title).trim().to_owned(),
                description: input_value(&desc),
                settings: (*settings).clone(),
            };
            let (problem, csrf) = (problem.clone(), csrf.clone());
            yew::platform::spawn_local(async move {
                match api::send::<_, Consultation>(
                    Verb::Post,
                    "/api/consultations",
                    &body,
                    csrf.as_deref(),
                )
                .await
                {
                    Ok(c) => {
                        let _ = gloo::utils::window()
                            .location()
                            .set_hash(&Route::Manage(c.id).href());
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        })
    };
    html! {
        <form class="panel form" onsubmit={submit} id="new-consultation">
            <h2>{ tr(l, Cm::NewConsultation) }</h2>
            <label class="field"><span>{ t(M::Title) }</span><input id="new-title" ref={title} required=true maxlength="200" /></label>
            <label class="field"><span>{ tr(l, Cm::Description) }</span><textarea id="new-desc" ref={desc} rows="3" /></label>
            <SettingsFields value={(*settings).clone()} on_change={on_settings} lang={l} />
            if let Some(e) = &*problem { { failure_box(l, e) } }
            <button class="btn primary big" type="submit" id="create-consultation">{ tr(l, Cm::Create) }</button>
        </form>
    }
}
