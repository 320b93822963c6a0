//! The catalogue palette: one button per element type, with a small drawing of its real
//! footprint and its size.

use plotwise_plan::catalogue::Footprint;
use yew::prelude::*;

use crate::derive::catalogue;
use crate::draw::category_fill;
use crate::i18n::{Lang, Msg, pick, tr};
use crate::state::{Action, Tool};

/// What the palette shows.
#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// The active tool (the chosen item is shown pressed).
    pub tool: Tool,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// Brings the plan into view (on a phone the palette is below it), so the next tap places.
pub fn show_plan() {
    if let Some(el) = gloo::utils::document().get_element_by_id("plot") {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Center);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// The palette.
#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    let l = props.lang;
    let cat = catalogue();
    html! {
        <section class="panel palette" aria-labelledby="palette-h">
            <h2 id="palette-h">{ tr(l, Msg::Palette) }</h2>
            <div class="palette-items">
            { for cat.items.iter().map(|item| {
                let key = item.key.clone();
                let d = props.dispatch.clone();
                let onclick = Callback::from(move |_: MouseEvent| {
                    d.emit(Action::SetTool(Tool::Place(key.clone())));
                    show_plan();
                });
                let pressed = props.tool == Tool::Place(item.key.clone());
                let (icon, size) = match item.footprint {
                    Footprint::Rect { width_m, depth_m } => {
                        let s = 28.0 / width_m.max(depth_m).max(0.1);
                        (html! { <rect x={format!("{:.1}", 16.0 - width_m * s / 2.0)} y={format!("{:.1}", 16.0 - depth_m * s / 2.0)}
                            width={format!("{:.1}", width_m * s)} height={format!("{:.1}", depth_m * s)}
                            fill={category_fill(item.category)} rx="2" /> },
                         format!("{width_m}×{depth_m} m"))
                    }
                    Footprint::Circle { diameter_m } => (
                        html! { <circle cx="16" cy="16" r="13" fill={category_fill(item.category)} /> },
                        format!("Ø{diameter_m} m"),
                    ),
                };
                html! {
                    <button class="palette-item" data-kind={item.key.clone()} aria-pressed={if pressed {"true"} else {"false"}} {onclick}>
                        <svg viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">{ icon }</svg>
                        <span class="name">{ pick(l, &item.name).to_owned() }</span>
                        <span class="size">{ size }</span>
                    </button>
                }
            }) }
            </div>
        </section>
    }
}
