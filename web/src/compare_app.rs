//! The comparison bundle's top-level component: the header and the comparison of the open
//! draft with other drafts of the same plot (`components::compare`). Drafts come from the
//! browser's storage, where the editor saves them after every edit.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::compare::ComparePage;
use crate::components::header::{Header, Page, use_prefs};
use crate::drafts;
use crate::i18n::{Msg, tr};
use crate::routes::Route;

/// The comparison page.
#[function_component(CompareApp)]
pub fn compare_app() -> Html {
    let prefs = use_prefs();
    let l = *prefs.lang;
    // Read once: the editor, which changes drafts, is another page.
    let open = use_memo((), |_| drafts::current().map(|(id, l)| (id, Rc::new(l))));
    let list = use_memo((), |_| drafts::list());
    let body = match &*open {
        Some((id, layout)) => html! {
            <ComparePage drafts={(*list).clone()} current={id.clone()} layout={layout.clone()} lang={l} />
        },
        None => html! {
            <main id="compare" class="compare">
                <h2>{ tr(l, Msg::CompareTitle) }</h2>
                <p id="no-drafts">{ tr(l, Msg::NoDraftsYet) }</p>
                <p><a class="button" href={Route::Editor.href()}>{ tr(l, Msg::PageEditor) }</a></p>
            </main>
        },
    };
    html! {
        <>
        <Header page={Page::Compare} prefs={prefs} />
        { body }
        </>
    }
}
