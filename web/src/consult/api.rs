//! Calls to the server's consultation API (`plotwise-api` types over gloo-net), with one
//! error type that keeps the server's `ApiError` (code, message, per-line errors).

use gloo::net::http::{Request, RequestBuilder, Response};
use plotwise_api::{ApiError, LineError};
use serde::Serialize;
use serde::de::DeserializeOwned;

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
        Failure {
            status: 0,
            code: "network".into(),
            message: message.into(),
            message_zh: None,
            errors: vec![],
        }
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
}

async fn failure(res: Response) -> Failure {
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    match serde_json::from_str::<ApiError>(&text) {
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
            message: text.chars().take(200).collect(),
            message_zh: None,
            errors: vec![],
        },
    }
}

async fn finish<T: DeserializeOwned>(
    res: Result<Response, gloo::net::Error>,
) -> Result<T, Failure> {
    let res = res.map_err(|e| Failure::network(e.to_string()))?;
    if !res.ok() {
        return Err(failure(res).await);
    }
    res.json::<T>()
        .await
        .map_err(|e| Failure::network(format!("unexpected answer: {e}")))
}

async fn finish_text(res: Result<Response, gloo::net::Error>) -> Result<String, Failure> {
    let res = res.map_err(|e| Failure::network(e.to_string()))?;
    if !res.ok() {
        return Err(failure(res).await);
    }
    res.text()
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
    finish(Request::get(path).send().await).await
}

/// `GET path` as text.
pub async fn get_text(path: &str) -> Result<String, Failure> {
    finish_text(Request::get(path).send().await).await
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
    finish(req.send().await).await
}

/// Sends `body` as JSON and reads a text answer (the QR sheet's HTML).
pub async fn send_for_text<B: Serialize>(
    verb: Verb,
    path: &str,
    body: &B,
    csrf: Option<&str>,
) -> Result<String, Failure> {
    let req = json_request(verb, path, body, csrf)?;
    finish_text(req.send().await).await
}

/// Sends `text` (a CSV file) and reads a JSON answer.
pub async fn send_text<T: DeserializeOwned>(
    verb: Verb,
    path: &str,
    text: String,
    content_type: &str,
    csrf: Option<&str>,
) -> Result<T, Failure> {
    let req = with_csrf(builder(verb, path), csrf)
        .header("content-type", content_type)
        .body(text)
        .map_err(|e| Failure::network(e.to_string()))?;
    finish(req.send().await).await
}

/// `POST path` with no body, expecting no content (logout).
pub async fn post_empty(path: &str, csrf: Option<&str>) -> Result<(), Failure> {
    let res = with_csrf(Request::post(path), csrf)
        .send()
        .await
        .map_err(|e| Failure::network(e.to_string()))?;
    if res.ok() {
        Ok(())
    } else {
        Err(failure(res).await)
    }
}
