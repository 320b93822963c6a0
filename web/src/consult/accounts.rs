//! The committee's accounts: who may sign in, a new member's account, disabling an account
//! (its sessions end), ending an account's sessions, changing one's own password, and the
//! server's audit log of sign-ins and account changes.

use plotwise_api::{Account, AuditEntry, Credentials, PasswordChange};
use yew::prelude::*;

use super::widgets::use_shared;
use crate::api::failure_box;
use crate::api::{self, Failure, Verb, use_api};
use crate::i18n::{Cm, tr};

fn value(r: &NodeRef) -> String {
    r.cast::<web_sys::HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn clear(r: &NodeRef) {
    if let Some(i) = r.cast::<web_sys::HtmlInputElement>() {
        i.set_value("");
    }
}

/// The words for the accounts' own refusals (the other ones are the shared failure box's).
fn account_problem(code: &str) -> Option<Cm> {
    Some(match code {
        "disabled" => Cm::AccountIsDisabled,
        "last_account" => Cm::LastAccount,
        "wrong_password" => Cm::WrongCurrentPassword,
        "exists" => Cm::NameTaken,
        _ => return None,
    })
}

/// The accounts panel of the committee's page.
#[function_component(AccountsPanel)]
pub fn accounts_panel() -> Html {
    let shared = use_shared();
    let l = shared.lang;
    let t = |m| tr(l, m);
    let csrf = shared.csrf();
    let me = shared.session.as_ref().map(|s| s.username.clone());
    let accounts = use_api((), |_| api::get::<Vec<Account>>("/api/accounts"));
    let log = use_api((), |_| api::get::<Vec<AuditEntry>>("/api/audit"));
    let problem = use_state(|| None::<Failure>);
    let done = use_state(|| None::<Cm>);
    let reload = {
        let (accounts, log) = (accounts.clone(), log.clone());
        move || {
            accounts.reload();
            log.reload();
        }
    };
    // One call, then the panel reloads and says what happened (or why not).
    let call = {
        let (problem, done, csrf) = (problem.clone(), done.clone(), csrf.clone());
        let reload = reload.clone();
        move |verb: Verb, path: String, body: serde_json::Value, ok: Cm| {
            let (problem, done, csrf, reload) =
                (problem.clone(), done.clone(), csrf.clone(), reload.clone());
            yew::platform::spawn_local(async move {
                let r = api::send_for_text(verb, &path, &body, csrf.as_deref())
                    .await
                    .map(|_| ());
                match r {
                    Ok(()) => {
                        problem.set(None);
                        done.set(Some(ok));
                    }
                    Err(e) => {
                        done.set(None);
                        problem.set(Some(e));
                    }
                }
                reload();
            });
        }
    };
    let (new_user, new_pass) = (use_node_ref(), use_node_ref());
    let add = {
        let (call, new_user, new_pass) = (call.clone(), new_user.clone(), new_pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = Credentials {
                username: value(&new_user).trim().to_owned(),
                password: value(&new_pass),
            };
            clear(&new_pass);
            call(
                Verb::Post,
                "/api/accounts".into(),
                serde_json::to_value(body).unwrap_or_default(),
                Cm::AccountAdded,
            );
        })
    };
    let (cur_pass, next_pass) = (use_node_ref(), use_node_ref());
    let change = {
        let (call, cur_pass, next_pass) = (call.clone(), cur_pass.clone(), next_pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = PasswordChange {
                current: value(&cur_pass),
                new: value(&next_pass),
            };
            clear(&cur_pass);
            clear(&next_pass);
            call(
                Verb::Put,
                "/api/session/password".into(),
                serde_json::to_value(body).unwrap_or_default(),
                Cm::PasswordChanged,
            );
        })
    };
    let act = |id: i64, action: &'static str, ok: Cm| {
        let call = call.clone();
        Callback::from(move |_: MouseEvent| {
            call(
                Verb::Post,
                format!("/api/accounts/{id}/{action}"),
                serde_json::json!({}),
                ok,
            )
        })
    };
    html! {
        <section class="panel" id="accounts">
            <h2>{ t(Cm::AccountsTitle) }</h2>
            if let Some(m) = *done { <p class="ok-line" role="status" id="accounts-done">{ t(m) }</p> }
            if let Some(e) = &*problem {
                { match account_problem(e.code.as_str()) {
                    Some(m) => html! { <p class="error-box" role="alert" data-code={e.code.clone()}>{ t(m) }</p> },
                    None => failure_box(l, e),
                } }
            }
            { api::view(l, accounts.load(), |list| html! {
                    <ul class="plain-list" id="account-list">
                        { for list.iter().map(|a| html! {
                            <li data-account={a.username.clone()} data-disabled={a.disabled.to_string()}>
                                <strong>{ a.username.clone() }</strong>
                                if a.disabled { { " · " }{ t(Cm::Disabled) } }
                                if me.as_deref() == Some(a.username.as_str()) { { " · " }{ t(Cm::ThisIsYou) } }
                                { " " }
                                if a.disabled {
                                    <button type="button" class="btn small" onclick={act(a.id, "enable", Cm::AccountEnabled)}>{ t(Cm::Enable) }</button>
                                } else {
                                    <button type="button" class="btn small disable" onclick={act(a.id, "disable", Cm::AccountDisabled)}>{ t(Cm::Disable) }</button>
                                    { " " }<button type="button" class="btn small" onclick={act(a.id, "revoke-sessions", Cm::SessionsEnded)}>{ t(Cm::EndSessions) }</button>
                                }
                            </li>
                        }) }
                    </ul>
            }) }
            <details class="sub">
                <summary>{ t(Cm::AddMember) }</summary>
                <form class="form" id="add-account" onsubmit={add}>
                    <label class="field"><span>{ t(Cm::NewUsername) }</span><input id="new-user" ref={new_user} autocomplete="off" required=true /></label>
                    <label class="field"><span>{ t(Cm::NewMemberPassword) }</span><input id="new-pass" ref={new_pass} type="password" autocomplete="new-password" minlength="10" required=true /></label>
                    <button class="btn primary" type="submit">{ t(Cm::AddMember) }</button>
                </form>
            </details>
            <details class="sub">
                <summary>{ t(Cm::ChangePassword) }</summary>
                <form class="form" id="change-password" onsubmit={change}>
                    <label class="field"><span>{ t(Cm::CurrentPassword) }</span><input id="cur-pass" ref={cur_pass} type="password" autocomplete="current-password" required=true /></label>
                    <label class="field"><span>{ t(Cm::NewPassword) }</span><input id="next-pass" ref={next_pass} type="password" autocomplete="new-password" minlength="10" required=true /></label>
                    <p class="muted">{ t(Cm::ChangePasswordHelp) }</p>
                    <button class="btn primary" type="submit">{ t(Cm::ChangePassword) }</button>
                </form>
            </details>
            <details class="sub" id="server-audit">
                <summary>{ t(Cm::SignInLog) }</summary>
                { api::view(l, log.load(), |v| html! {
                        <ul class="refusal-list">
                            { for v.iter().rev().take(200).map(|e| html! {
                                <li data-action={e.action.clone()}>{ format!("{} · {} · {} · {}", e.at, e.actor, e.action, e.detail) }</li>
                            }) }
                        </ul>
                }) }
            </details>
        </section>
    }
}
