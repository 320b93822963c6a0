//! The tool bar: undo and redo, the drawing tools with what they draw (a zone of a kind, or a
//! building around the plot), the grid, delete, and the way between the editor and the sun
//! page (`#/sun`, its own bundle).

use plotwise_plan::ZoneKind;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::{Lang, Msg, pick, tr};
use crate::routes::Route;
use crate::state::{Action, Draw, Tool};

/// What the tool bar shows.
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The active tool.
    pub tool: Tool,
    /// What the rectangle and corner tools draw.
    pub draw: Draw,
    /// Grid step, m (0 = off).
    pub grid: f64,
    /// Whether there is something to undo.
    pub can_undo: bool,
    /// Whether there is something to redo.
    pub can_redo: bool,
    /// Whether something is selected.
    pub has_selection: bool,
    /// Whether this is the sun page (it links back to the editor; the editor links to it).
    pub sun_page: bool,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// The tool bar.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let l = props.lang;
    let t = |m| tr(l, m);
    let act = |a: Action| {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(a.clone()))
    };
    let kind = props.draw;
    let on_kind = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            if let Some(k) = Draw::from_key(&s.value()) {
                d.emit(Action::SetDraw(k));
            }
        })
    };
    let on_grid = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            d.emit(Action::SetGrid(s.value().parse().unwrap_or(0.0)));
        })
    };
    let pressed = |b: bool| if b { "true" } else { "false" };
    let is_select = props.tool == Tool::Select;
    let is_rect = matches!(props.tool, Tool::Rect(_));
    let is_poly = matches!(props.tool, Tool::Polygon(_));
    html! {
        <div class="toolbar" role="toolbar" aria-label={t(Msg::Tools)}>
            <div class="group">
                <button id="undo" onclick={act(Action::Undo)} disabled={!props.can_undo}
                    title="Ctrl+Z">{ "↶ " }{ t(Msg::Undo) }</button>
                <button id="redo" onclick={act(Action::Redo)} disabled={!props.can_redo}
                    title="Ctrl+Shift+Z / Ctrl+Y">{ "↷ " }{ t(Msg::Redo) }</button>
            </div>
            <div class="group">
                <button id="tool-select" aria-pressed={pressed(is_select)}
                    onclick={act(Action::SetTool(Tool::Select))}>{ t(Msg::Select) }</button>
                <label class="zone-kind">
                    <span>{ t(Msg::ZoneKind) }</span>
                    <select id="zone-kind" onchange={on_kind} aria-label={t(Msg::ZoneKind)}>
                        { for ZoneKind::ALL.iter().map(|k| html! {
                            <option value={k.key()} selected={Draw::Zone(*k) == kind}>{ pick(l, &k.label()).to_owned() }</option>
                        }) }
                        <optgroup label={t(Msg::AroundPlot)}>
                            <option value="building" selected={kind == Draw::Building}>{ t(Msg::BuildingOption) }</option>
                        </optgroup>
                    </select>
                </label>
                <button id="tool-rect" aria-pressed={pressed(is_rect)}
                    onclick={act(Action::SetTool(Tool::Rect(kind)))}>{ "▭ " }{ t(Msg::DrawRect) }</button>
                <button id="tool-polygon" aria-pressed={pressed(is_poly)}
                    onclick={act(Action::SetTool(Tool::Polygon(kind)))}>{ "⬠ " }{ t(Msg::DrawPolygon) }</button>
            </div>
            <div class="group">
                <label>
                    <span>{ t(Msg::Grid) }</span>
                    <select id="grid" onchange={on_grid}>
                        { for [(0.0, "0"), (0.1, "0.1"), (0.5, "0.5"), (1.0, "1")].iter().map(|(g, v)| html! {
                            <option value={*v} selected={(props.grid - g).abs() < 1e-9}>
                                { if *g == 0.0 { t(Msg::GridOff).to_owned() } else { format!("{v} {}", t(Msg::Metre)) } }
                            </option>
                        }) }
                    </select>
                </label>
                <button id="delete" onclick={act(Action::DeleteSelected)} disabled={!props.has_selection}
                    title="Delete">{ "✕ " }{ t(Msg::Delete) }</button>
            </div>
            <div class="group">
                if props.sun_page {
                    <a class="button" id="plan-back" href={Route::Editor.href()}>{ "← " }{ t(Msg::BackToPlan) }</a>
                } else {
                    <a class="button" id="sun-toggle" href={Route::Sun.href()}>{ "☀ " }{ t(Msg::SunToggle) }</a>
                }
            </div>
        </div>
    }
}
