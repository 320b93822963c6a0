//! Files in and out of the browser: download a blob, read a chosen file, read a layout the
//! server sends (the calls themselves are [`crate::api`]'s).

use crate::api::Failure;
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

/// A layout document from the server (an imported file or a sample plot), read by plan;
/// else why not, in both languages.
pub fn layout_from(answer: Result<Vec<u8>, Failure>) -> Result<Layout, Text> {
    let bytes = answer.map_err(|f| f.text())?;
    LayoutDocument::from_json(&String::from_utf8_lossy(&bytes))
        .map(|d| d.layout)
        .map_err(|e| e.message())
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
