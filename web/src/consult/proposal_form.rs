//! Submitting a layout as a proposal: from a file (GeoJSON or a saved layout document) or
//! from one of the drafts kept in this browser. Used by residents on the consultation's home
//! page and by the committee.

use plotwise_api::{NewProposal, Proposal};
use plotwise_plan::LayoutDocument;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::manage_state::{Form, FormAction};
use crate::api::{self, Failure, Verb, failure_box};
use crate::i18n::{Lang, M, pick, tr};

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
        let answer = api::post_bytes("/api/import/geojson", "application/geo+json", bytes);
        crate::files::layout_from(answer.await)
            .map(LayoutDocument::new)
            .map_err(|e| pick(l, &e).to_owned())
    } else {
        Err(pick(l, &not_a_document.message()).to_owned())
    }
}

/// The layout chosen: the file's, or the draft's.
async fn chosen_layout(
    file: Option<web_sys::File>,
    draft_id: Option<String>,
    l: Lang,
) -> Result<LayoutDocument, Failure> {
    match (file, draft_id) {
        (Some(f), _) => match crate::files::read_bytes(&f).await {
            Ok(b) => layout_from_file(&f.name(), &b, l)
                .await
                .map_err(|e| Failure::local("file", format!("{}: {e}", f.name()))),
            Err(e) => Err(Failure::local("file", e)),
        },
        (None, Some(id)) => crate::drafts::load(&id)
            .map(LayoutDocument::new)
            .ok_or_else(|| Failure::local("form", "choose one of your drafts")),
        (None, None) => Err(Failure::local("form", "choose a layout file first")),
    }
}

/// Sends the layout as a proposal titled `title` by `author` (the layout's own when empty).
async fn propose(
    path: String,
    doc: LayoutDocument,
    title: String,
    author: String,
) -> Result<Proposal, Failure> {
    let or = |typed: String, own: &str| {
        if typed.is_empty() {
            own.to_owned()
        } else {
            typed
        }
    };
    let body = NewProposal {
        title: or(title, &doc.layout.title),
        author: or(author, &doc.layout.author),
        layout: doc,
    };
    api::send::<_, Proposal>(Verb::Post, &path, &body, None).await
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

fn value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The proposal form.
#[function_component(ProposalForm)]
pub fn proposal_form(p: &ProposalFormProps) -> Html {
    let l = p.lang;
    let t = |m| tr(l, m);
    let form = use_reducer(Form::default);
    let (file, title, author, draft) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let drafts = crate::drafts::list();
    let submit = |from_file: bool| {
        let (file, title, author, draft, form, on_added) = (
            file.clone(),
            title.clone(),
            author.clone(),
            draft.clone(),
            form.clone(),
            p.on_added.clone(),
        );
        let path = format!("/api/consultations/{}/proposals", p.id);
        Callback::from(move |_: MouseEvent| {
            let (ti, au) = (value(&title), value(&author));
            let chosen_file = file
                .cast::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|fs| fs.get(0))
                .filter(|_| from_file);
            let draft_id = (!from_file)
                .then(|| draft.cast::<HtmlSelectElement>().map(|s| s.value()))
                .flatten();
            let (form, on_added, path, file) =
                (form.clone(), on_added.clone(), path.clone(), file.clone());
            form.dispatch(FormAction::Start);
            yew::platform::spawn_local(async move {
                let r = match chosen_layout(chosen_file, draft_id, l).await {
                    Ok(doc) => propose(path, doc, ti, au).await,
                    Err(e) => Err(e),
                };
                if let Ok(pr) = &r {
                    if let Some(i) = file.cast::<HtmlInputElement>() {
                        i.set_value("");
                    }
                    on_added.emit(pr.clone());
                }
                form.dispatch(FormAction::Done(r.map(|_| ())));
            });
        })
    };
    let (add_file, add_draft) = (submit(true), submit(false));
    html! {
        <div class="form proposal-form">
            <label class="field"><span>{ t(M::Title) }</span><input id="proposal-title" ref={title} maxlength="200" /></label>
            <label class="field"><span>{ t(M::Author) }</span><input id="proposal-author" ref={author} maxlength="100" /></label>
            <label class="field"><span>{ t(M::LayoutFile) }</span><input id="proposal-file" ref={file} type="file" accept=".geojson,.json,application/json,application/geo+json" /></label>
            <button type="button" class="btn" id="add-from-file" disabled={form.busy} onclick={add_file}>{ t(M::AddFromFile) }</button>
            if !drafts.is_empty() {
                <label class="field"><span>{ t(M::OrFromDraft) }</span>
                    <select id="proposal-draft" ref={draft}>
                        { for drafts.iter().map(|d| html! { <option value={d.id.clone()}>{ if d.title.is_empty() { d.id.clone() } else { d.title.clone() } }</option> }) }
                    </select></label>
                <button type="button" class="btn" id="add-from-draft" disabled={form.busy} onclick={add_draft}>{ t(M::AddFromDraft) }</button>
            }
            if let Some(e) = &form.problem { { failure_box(l, e) } }
        </div>
    }
}
