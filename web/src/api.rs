//! The one HTTP client of the app: calls to the server's API (`plotwise-api` types over
//! gloo-net), one error type that keeps everything the server says ([`Failure`]: the code,
//! the message in English and Chinese, the per-line errors), and [`use_api`], the hook every
//! component that shows fetched data uses: loading, then the data or what went wrong, in the
//! user's language ([`view`]).
//!
//! The paths and the JSON are the server's (crates/api); nothing here changes them.

use std::future::Future;
use std::rc::Rc;

use gloo::net::http::{Request, RequestBuilder, Response};
use plotwise_api::{ApiError, LineError};
use plotwise_plan::Text;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{Common, Lang, tr};

/// The header that carries the committee session's CSRF token.
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The HTTP status (0 when the server could not be reached or answered nonsense).
    pub status: u16,
    /// The server's stable code (`already_voted`, `wrong_phase`, …), or `network`.
    pub code: String,
    /// The server's explanation (English), or the browser's.
    pub message: String,
    /// The server's explanation in Chinese, when it wrote one (file and code errors).
    pub message_zh: Option<String>,
    /// One entry per bad line of an uploaded file.
    pub errors: Vec<LineError>,
}

impl Failure {
    fn network(message: impl Into<String>) -> Failure {
        Failure::local("network", message)
    }

    /// A failure made in the browser (a file that does not read, a form left incomplete).
    pub fn local(code: &str, message: impl Into<String>) -> Failure {
        Failure {
            status: 0,
            code: code.into(),
            message: message.into(),
            message_zh: None,
            errors: vec![],
        }
    }

    /// The failure an answer with HTTP status `status` and body `body` means: the server's
    /// [`ApiError`] as it is, or a code from the status for anything else.
    pub fn from_answer(status: u16, body: &str) -> Failure {
        match serde_json::from_str::<ApiError>(body) {
            Ok(e) => Failure {
                status,
                code: e.code,
                message: e.message,
                message_zh: e.message_zh,
                errors: e.errors,
            },
            Err(_) => Failure {
                status,
                code: match status {
                    401 => "unauthorized".into(),
                    404 => "not_found".into(),
                    _ => "http".into(),
                },
                message: body.chars().take(200).collect(),
                message_zh: None,
                errors: vec![],
            },
        }
    }

    /// The server's explanation in `l`: its Chinese one when it wrote one, else English.
    pub fn detail(&self, l: Lang) -> &str {
        match (l, &self.message_zh) {
            (Lang::ZhCn, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The explanation in both languages, for a message that names it (the editor's).
    pub fn text(&self) -> Text {
        if self.code == "network" {
            return Text::new(
                format!("the server cannot be reached ({})", self.message),
                format!("无法连接服务器（{}）", self.message),
            );
        }
        let en = if self.message.is_empty() {
            format!("HTTP {}", self.status)
        } else {
            self.message.clone()
        };
        let zh = self.message_zh.clone().unwrap_or_else(|| en.clone());
        Text::new(en, zh)
    }

    /// The headline of this failure in plain words, by the server's code.
    pub fn headline(&self) -> Common {
        match self.code.as_str() {
            "already_voted" => Common::ErrAlreadyVoted,
            "wrong_phase" => Common::ErrWrongPhase,
            "unauthorized" => Common::ErrUnauthorized,
            "csrf" => Common::ErrCsrf,
            "rate_limited" => Common::ErrRateLimited,
            "invalid_file" => Common::ErrInvalidFile,
            "tie" => Common::ErrTie,
            "cannot_count" => Common::ErrCannotCount,
            "owner_split" => Common::ErrOwnerSplit,
            "not_found" => Common::ErrNotFound,
            "bad_request" => Common::ErrBadRequest,
            "conflict" => Common::ErrConflict,
            "network" => Common::ErrNetwork,
            "file" => Common::ErrFile,
            "form" => Common::ErrForm,
            "internal" => Common::ErrInternal,
            "forbidden" => Common::ErrForbidden,
            "already_set_up" => Common::ErrAlreadySetUp,
            "wrong_codes" => Common::ErrWrongCodes,
            "paper_mismatch" => Common::ErrPaperMismatch,
            "count_incomplete" => Common::ErrCountIncomplete,
            "box_in_use" => Common::ErrBoxInUse,
            "box_mismatch" => Common::ErrBoxMismatch,
            "bad_file" => Common::ErrBadFile,
            "storage" => Common::ErrStorage,
            "timeout" => Common::ErrTimeout,
            "busy" => Common::ErrBusy,
            _ => Common::ErrOther,
        }
    }
}

async fn checked(res: Result<Response, gloo::net::Error>) -> Result<Response, Failure> {
    let res = res.map_err(|e| Failure::network(e.to_string()))?;
    if res.ok() {
        return Ok(res);
    }
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    Err(Failure::from_answer(status, &text))
}

async fn json<T: DeserializeOwned>(res: Result<Response, gloo::net::Error>) -> Result<T, Failure> {
    checked(res)
        .await?
        .json::<T>()
        .await
        .map_err(|e| Failure::network(format!("unexpected answer: {e}")))
}

async fn text(res: Result<Response, gloo::net::Error>) -> Result<String, Failure> {
    checked(res)
        .await?
        .text()
        .await
        .map_err(|e| Failure::network(e.to_string()))
}

async fn bytes(res: Result<Response, gloo::net::Error>) -> Result<Vec<u8>, Failure> {
    checked(res)
        .await?
        .binary()
        .await
        .map_err(|e| Failure::network(e.to_string()))
}

fn with_csrf(b: RequestBuilder, csrf: Option<&str>) -> RequestBuilder {
    match csrf {
        Some(t) => b.header(CSRF_HEADER, t),
        None => b,
    }
}

/// `GET path` as JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    json(Request::get(path).send().await).await
}

/// `GET path` as text.
pub async fn get_text(path: &str) -> Result<String, Failure> {
    text(Request::get(path).send().await).await
}

/// `GET path` as bytes.
pub async fn get_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    bytes(Request::get(path).send().await).await
}

/// The answer to a request the page loader (`static/boot.js`) made early under `name`
/// (`window[name]`: `{ token, answer }`) for `token`, taken once; `None` when there is none
/// for this token (the caller then asks itself).
pub async fn early_answer<T: DeserializeOwned>(
    name: &str,
    token: &str,
) -> Option<Result<T, Failure>> {
    let window = gloo::utils::window();
    let early = js_sys::Reflect::get(&window, &name.into()).ok()?;
    let same = js_sys::Reflect::get(&early, &"token".into())
        .ok()?
        .as_string()
        .is_some_and(|t| t == token);
    let promise = js_sys::Reflect::get(&early, &"answer".into()).ok()?;
    // Used once: a later ballot on this page asks the server itself.
    let _ = js_sys::Reflect::delete_property(&window, &name.into());
    if !same {
        return None;
    }
    let promise: js_sys::Promise = promise.dyn_into().ok()?;
    let res = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| Failure::network(format!("{e:?}")))
        .and_then(|r| {
            r.dyn_into::<web_sys::Response>()
                .map(Response::from)
                .map_err(|_| Failure::network("not an answer"))
        });
    Some(match res {
        Ok(r) => json(Ok(r)).await,
        Err(e) => Err(e),
    })
}

/// The HTTP methods the pages use with a body.
#[derive(Clone, Copy, Debug)]
pub enum Verb {
    /// POST.
    Post,
    /// PUT.
    Put,
}

fn builder(verb: Verb, path: &str) -> RequestBuilder {
    match verb {
        Verb::Post => Request::post(path),
        Verb::Put => Request::put(path),
    }
}

fn json_request<B: Serialize>(
    verb: Verb,
    path: &str,
    body: &B,
    csrf: Option<&str>,
) -> Result<Request, Failure> {
    with_csrf(builder(verb, path), csrf)
        .json(body)
        .map_err(|e| Failure::network(e.to_string()))
}

/// Sends `body` as JSON and reads a JSON answer.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    verb: Verb,
    path: &str,
    body: &B,
    csrf: Option<&str>,
) -> Result<T, Failure> {
    let req = json_request(verb, path, body, csrf)?;
    json(req.send().await).await
}

/// Sends `body` as JSON and reads a text answer (the QR sheet's HTML).
pub async fn send_for_text<B: Serialize>(
    verb: Verb,
    path: &str,
    body: &B,
    csrf: Option<&str>,
) -> Result<String, Failure> {
    let req = json_request(verb, path, body, csrf)?;
    text(req.send().await).await
}

/// A ballot's request body is padded to a multiple of this many bytes: over an encrypted
/// connection its length would otherwise tell an observer how many options it marks.
pub const PADDED_BODY: usize = 1024;

/// `json` followed by spaces (JSON whitespace, which the server's reader skips) up to a
/// multiple of `block` bytes.
pub fn padded(mut json: String, block: usize) -> String {
    let len = json.len().div_ceil(block).max(1) * block;
    json.extend(std::iter::repeat_n(' ', len - json.len()));
    json
}

/// Sends `body` as JSON padded by [`padded`] to [`PADDED_BODY`], and reads a JSON answer:
/// for ballots, whose every request is then as long as any other.
pub async fn send_padded<B: Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
) -> Result<T, Failure> {
    let json = serde_json::to_string(body).map_err(|e| Failure::network(e.to_string()))?;
    send_text(
        Verb::Post,
        path,
        padded(json, PADDED_BODY),
        "application/json",
        None,
    )
    .await
}

/// Sends `text` (a CSV file) and reads a JSON answer.
pub async fn send_text<T: DeserializeOwned>(
    verb: Verb,
    path: &str,
    body: String,
    content_type: &str,
    csrf: Option<&str>,
) -> Result<T, Failure> {
    let req = with_csrf(builder(verb, path), csrf)
        .header("content-type", content_type)
        .body(body)
        .map_err(|e| Failure::network(e.to_string()))?;
    json(req.send().await).await
}

/// `POST path` with `body` (a file, a layout) and reads the answer's bytes (an export, an
/// imported layout).
pub async fn post_bytes(path: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, Failure> {
    let req = Request::post(path)
        .header("content-type", content_type)
        .body(js_sys::Uint8Array::from(body))
        .map_err(|e| Failure::network(e.to_string()))?;
    bytes(req.send().await).await
}

/// `POST path` with no body, expecting no content (logout).
pub async fn post_empty(path: &str, csrf: Option<&str>) -> Result<(), Failure> {
    checked(with_csrf(Request::post(path), csrf).send().await)
        .await
        .map(|_| ())
}

/// What a fetch has given so far.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    /// Not here yet (or not asked for yet).
    Loading,
    /// The server (or the network) said no.
    Failed(Failure),
    /// The data.
    Ready(T),
}

impl<T> Load<T> {
    /// The data, once here.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Load::Ready(v) => Some(v),
            _ => None,
        }
    }
}

/// A fetch kept by [`use_api`]: what it has given, and a way to ask again.
pub struct Api<T> {
    state: UseStateHandle<Rc<Load<T>>>,
    version: UseStateHandle<u32>,
}

impl<T> Clone for Api<T> {
    fn clone(&self) -> Self {
        Api {
            state: self.state.clone(),
            version: self.version.clone(),
        }
    }
}

impl<T> PartialEq for Api<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.state, &o.state) && *self.version == *o.version
    }
}

impl<T> Api<T> {
    /// What the fetch has given so far.
    pub fn load(&self) -> &Load<T> {
        &self.state
    }

    /// The data, once here.
    pub fn ready(&self) -> Option<&T> {
        self.state.ready()
    }

    /// Fetches again (what is shown stays until the answer comes).
    pub fn reload(&self) {
        self.version.set(*self.version + 1);
    }

    /// A callback that fetches again.
    pub fn reloader<E>(&self) -> Callback<E> {
        let version = self.version.clone();
        Callback::from(move |_: E| version.set(*version + 1))
    }
}

/// Fetches with `fetch(deps)` when the component starts and whenever `deps` change; with
/// `deps` `None`, nothing is fetched (a closed panel). New `deps` show "loading" until their
/// answer. A change of `refresh` (something changed on the server) or [`Api::reload`] fetches
/// the same data again and keeps what is shown until the answer, so the page does not
/// flicker or lose what its parts hold. An answer to an older request never overwrites a
/// newer one.
#[hook]
pub fn use_api_with<T, D, F, Fut>(deps: Option<D>, refresh: u32, fetch: F) -> Api<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, Failure>> + 'static,
{
    let state = use_state(|| Rc::new(Load::Loading));
    let version = use_state(|| 0u32);
    let latest = use_mut_ref(|| 0u64);
    let asked = use_mut_ref(|| None::<D>);
    {
        let state = state.clone();
        use_effect_with((deps, refresh, *version), move |(deps, _, _)| {
            // Other data asked for: what is shown is no longer it.
            if *asked.borrow() != *deps {
                if !matches!(**state, Load::Loading) {
                    state.set(Rc::new(Load::Loading));
                }
                *asked.borrow_mut() = deps.clone();
            }
            if let Some(deps) = deps.clone() {
                let ticket = *latest.borrow() + 1;
                *latest.borrow_mut() = ticket;
                let fut = fetch(deps);
                yew::platform::spawn_local(async move {
                    let load = match fut.await {
                        Ok(v) => Load::Ready(v),
                        Err(e) => Load::Failed(e),
                    };
                    if *latest.borrow() == ticket {
                        state.set(Rc::new(load));
                    }
                });
            }
        });
    }
    Api { state, version }
}

/// [`use_api_with`], fetching when `deps` is `Some`.
#[hook]
pub fn use_api_when<T, D, F, Fut>(deps: Option<D>, fetch: F) -> Api<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, Failure>> + 'static,
{
    use_api_with(deps, 0, fetch)
}

/// [`use_api_with`], always fetching.
#[hook]
pub fn use_api<T, D, F, Fut>(deps: D, fetch: F) -> Api<T>
where
    T: 'static,
    D: PartialEq + Clone + 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, Failure>> + 'static,
{
    use_api_with(Some(deps), 0, fetch)
}

/// "Loading…".
pub fn loading(l: Lang) -> Html {
    html! { <p class="loading-line" role="status">{ tr(l, Common::Loading) }</p> }
}

/// A failure as a box: the headline in the interface language, the server's detail (in
/// Chinese when the server wrote it so, else in English), and one line per bad line of a file.
pub fn failure_box(l: Lang, f: &Failure) -> Html {
    html! {
        <div class="error-box" role="alert" data-code={f.code.clone()}>
            <p class="headline">{ tr(l, f.headline()) }</p>
            if !f.message.is_empty() {
                <p class="detail">{ format!("{}{}", tr(l, Common::Detail), f.detail(l)) }</p>
            }
            if !f.errors.is_empty() {
                <ul class="line-errors" id="line-errors">
                    { for f.errors.iter().map(|e| html! {
                        <li data-line={e.line.to_string()}>
                            <strong>{ format!("{} {}", tr(l, Common::Line), e.line) }</strong>{ format!(": {}", e.message) }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// What a fetch has given: "loading…", what went wrong, or `ready` of the data.
pub fn view<T>(l: Lang, load: &Load<T>, ready: impl FnOnce(&T) -> Html) -> Html {
    match load {
        Load::Loading => loading(l),
        Load::Failed(e) => failure_box(l, e),
        Load::Ready(v) => ready(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ballots_of_every_choice_are_sent_at_one_length_and_read_back_the_same() {
        use plotwise_api::{OnlineBallot, OptionBallot, Vote};
        let body = |approved: Vec<u32>| {
            let b = OnlineBallot {
                token: "t".repeat(43),
                vote: Vote::Option {
                    ballot: OptionBallot::Approval { approved },
                },
            };
            padded(serde_json::to_string(&b).unwrap(), PADDED_BODY)
        };
        let (one, four) = (body(vec![2]), body(vec![0, 1, 2, 3]));
        assert_eq!((one.len(), four.len()), (PADDED_BODY, PADDED_BODY));
        let back: OnlineBallot = serde_json::from_str(&four).unwrap();
        assert_eq!(
            back.vote,
            Vote::Option {
                ballot: OptionBallot::Approval {
                    approved: vec![0, 1, 2, 3]
                }
            }
        );
        assert_eq!(padded("x".repeat(1025), 1024).len(), 2048);
    }

    #[test]
    fn the_servers_error_is_kept_whole_with_its_chinese() {
        let body = r#"{"code":"invalid_file","message":"line 3: bad area","message_zh":"第 3 行：面积有误","errors":[{"line":3,"message":"bad area"}]}"#;
        let f = Failure::from_answer(422, body);
        assert_eq!((f.status, f.code.as_str()), (422, "invalid_file"));
        assert_eq!(f.detail(Lang::ZhCn), "第 3 行：面积有误");
        assert_eq!(f.detail(Lang::En), "line 3: bad area");
        assert_eq!(f.text().zh, "第 3 行：面积有误");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.headline(), Common::ErrInvalidFile);
    }

    #[test]
    fn an_answer_that_is_not_the_apis_gets_a_code_from_its_status() {
        let f = Failure::from_answer(404, "<html>nothing here</html>");
        assert_eq!(f.code, "not_found");
        assert_eq!(f.detail(Lang::ZhCn), "<html>nothing here</html>");
        assert_eq!(Failure::from_answer(401, "").code, "unauthorized");
        let long = "x".repeat(1000);
        assert_eq!(Failure::from_answer(500, &long).message.len(), 200);
        assert_eq!(Failure::from_answer(500, "").headline(), Common::ErrOther);
        assert_eq!(Failure::from_answer(500, "").text().en, "HTTP 500");
    }

    #[test]
    fn a_network_failure_reads_in_both_languages() {
        let t = Failure::network("connection refused").text();
        assert_eq!(t.en, "the server cannot be reached (connection refused)");
        assert_eq!(t.zh, "无法连接服务器（connection refused）");
    }
}
