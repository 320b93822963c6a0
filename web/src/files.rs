//! Files in and out of the browser: download a blob, read a chosen file, call the server's
//! export and import endpoints.

use plotwise_api::ApiError;
use plotwise_plan::model::Layout;
use plotwise_plan::{LayoutDocument, Text};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `bytes` as a download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    let blob = gloo::file::Blob::new_with_options(bytes, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a")
        && let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        a.set_href(&url);
        a.set_download(name);
        let _ = doc.body().map(|b| b.append_child(&a));
        a.click();
        a.remove();
    }
    // Revoke later: some browsers read the URL after click() returns.
    gloo::timers::callback::Timeout::new(10_000, move || drop(url)).forget();
}

/// Reads a chosen file as bytes.
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// Sends `body` to the server at `path` and returns the answer's bytes, or the reason.
pub async fn post(path: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, Text> {
    let array = js_sys::Uint8Array::from(body);
    let req = gloo::net::http::Request::post(path)
        .header("content-type", content_type)
        .body(array)
        .map_err(network)?;
    answer(req.send().await).await
}

/// Asks the server for `path` and returns the answer's bytes, or the reason.
pub async fn get(path: &str) -> Result<Vec<u8>, Text> {
    answer(gloo::net::http::Request::get(path).send().await).await
}

/// A layout document from the server (an imported file or a sample plot), read by plan.
pub fn layout_from(answer: Result<Vec<u8>, Text>) -> Result<Layout, Text> {
    let bytes = answer?;
    LayoutDocument::from_json(&String::from_utf8_lossy(&bytes))
        .map(|d| d.layout)
        .map_err(|e| e.message())
}

fn network(e: gloo::net::Error) -> Text {
    Text::new(
        format!("the server cannot be reached ({e})"),
        format!("无法连接服务器（{e}）"),
    )
}

/// The answer's bytes, or the server's reason in both languages when it gave them
/// (`ApiError.message_zh`), else in English.
async fn answer(res: Result<gloo::net::http::Response, gloo::net::Error>) -> Result<Vec<u8>, Text> {
    let res = res.map_err(network)?;
    if res.ok() {
        return res.binary().await.map_err(network);
    }
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    Err(match serde_json::from_str::<ApiError>(&text) {
        Ok(e) => {
            let zh = e.message_zh.unwrap_or_else(|| e.message.clone());
            Text::new(e.message, zh)
        }
        Err(_) => {
            let text: String = text.chars().take(200).collect();
            let s = format!("HTTP {status} {text}");
            Text::new(s.clone(), s)
        }
    })
}

/// A file-name-safe version of a title.
pub fn file_stem(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_owned();
    if s.is_empty() {
        "plotwise-layout".into()
    } else {
        s
    }
}
