//! The sun view: on the drawing, a heat map of the hours of direct sun on the standard day
//! ([`heat`]) and the buildings' shadows at one moment ([`shadow`]), an extra layer of the
//! canvas; beside it, the legend in hours with the rule's threshold, the time slider and the
//! sun each zone gets ([`sun_panel`]). The numbers come from the server ([`crate::sun`]).
//! Plain functions, not components: the app makes the heat map once per answer, not once
//! per render.

use std::fmt::Write;

use plotwise_api::{SunAnswer, SunFrame};
use plotwise_plan::{Text, ZoneKind};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{Lang, Msg, Sn, fill, pick, tr};
use crate::sun::{SunAction, band, bands, clock};

/// Colours of the bands below the threshold (too little sun): blues.
const LOW: [&str; 2] = ["#3b4cc0", "#7b9be0"];
/// Colours of the bands from the threshold up: from orange to bright yellow (most sun).
const HIGH: [&str; 6] = [
    "#d9822b", "#e89b3a", "#f2b544", "#f8cc4f", "#fde15e", "#fff27a",
];

/// The colour of band `b` (whole hours) with the threshold at `threshold` hours.
fn colour(b: u32, threshold: u32) -> &'static str {
    if b < threshold {
        LOW[(b + 2).saturating_sub(threshold).min(1) as usize]
    } else {
        HIGH[((b - threshold) as usize).min(HIGH.len() - 1)]
    }
}

/// The heat map (the app makes it once per answer): one path per band, each cell a square, runs of cells of one band in a row
/// drawn as one rectangle; and the grid's numbers as data attributes (for tests and tools:
/// `data-rows` is `j,i0,minutes,…` per row, `;` between rows, an empty field for a cell
/// outside the plot).
pub fn heat(a: &SunAnswer) -> Html {
    let g = &a.grid;
    let n = bands(a.window.full_sun_min);
    let threshold = a.min_hours.floor() as u32;
    let c = g.cell_m;
    let mut paths = vec![String::new(); n as usize];
    let mut rows = String::new();
    for row in &g.rows {
        let top = -(g.y0 + f64::from(row.j + 1) * c);
        let _ = write!(rows, "{},{}", row.j, row.i0);
        let mut run: Option<(usize, u32)> = None;
        let close = |paths: &mut Vec<String>, start: usize, end: usize, b: u32| {
            let x = g.x0 + (f64::from(row.i0) + start as f64) * c;
            let w = (end - start) as f64 * c;
            let _ = write!(
                paths[b as usize],
                "M{x:.3} {top:.3}h{w:.3}v{c:.3}h{:.3}z",
                -w
            );
        };
        for (k, m) in row.sun_min.iter().enumerate() {
            let _ = match m {
                Some(m) => write!(rows, ",{m}"),
                None => write!(rows, ","),
            };
            let b = m.map(|m| band(m, n));
            match (run, b) {
                (Some((_, rb)), Some(b)) if rb == b => {}
                _ => {
                    if let Some((start, rb)) = run {
                        close(&mut paths, start, k, rb);
                    }
                    run = b.map(|b| (k, b));
                }
            }
        }
        if let Some((start, rb)) = run {
            close(&mut paths, start, row.sun_min.len(), rb);
        }
        rows.push(';');
    }
    html! {
        <g id="sun-heat" class="sun-heat" data-x0={g.x0.to_string()} data-y0={g.y0.to_string()}
            data-cell={c.to_string()} data-rows={rows} aria-hidden="true">
            { for paths.into_iter().enumerate().filter(|(_, d)| !d.is_empty()).map(|(b, d)| html! {
                <path data-band={b.to_string()} fill={colour(b as u32, threshold)} d={d} />
            }) }
        </g>
    }
}

/// The shadow of one frame.
pub fn shadow(f: &SunFrame) -> Html {
    let mut d = String::new();
    for poly in &f.shadow {
        for ring in poly {
            for (i, p) in ring.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{:.2} {:.2}",
                    if i == 0 { "M" } else { "L" },
                    p[0],
                    -p[1]
                );
            }
            d.push('z');
        }
    }
    html! {
        <path id="sun-shadow" class="sun-shadow" fill-rule="nonzero" d={d}
            data-solar-min={f.solar_min.to_string()} aria-hidden="true" />
    }
}

/// What the panel shows.
pub struct SunPanelProps<'a> {
    /// The last answer, if any.
    pub answer: Option<&'a SunAnswer>,
    /// The frame shown.
    pub frame: usize,
    /// Whether a newer answer is being computed.
    pub busy: bool,
    /// Why the last request failed.
    pub error: Option<&'a Text>,
    /// Interface language.
    pub lang: Lang,
    /// Where actions go.
    pub dispatch: &'a Callback<SunAction>,
}

/// The legend: a swatch per band of hours, with the rule's threshold between two bands.
fn legend(a: &SunAnswer, l: Lang) -> Html {
    let n = bands(a.window.full_sun_min);
    let threshold = a.min_hours.floor() as u32;
    let h = tr(l, Sn::Hours);
    let cell = a.grid.cell_m;
    html! {
        <div class="sun-legend" role="group" aria-labelledby="sun-legend-h">
            <p id="sun-legend-h">{ fill(l, Sn::SunLegend, &[("cell", &cell)]) }</p>
            <ul>
            { for (0..n).map(|b| html! {
                <>
                if b == threshold && b > 0 {
                    <li class="sun-threshold" data-hours={threshold.to_string()}>
                        { fill(l, Sn::SunThreshold, &[("h", &threshold)]) }
                    </li>
                }
                <li data-band={b.to_string()}>
                    <span class="swatch" style={format!("background:{}", colour(b, threshold))}></span>
                    { format!("{b}–{} {h}", b + 1) }
                </li>
                </>
            }) }
            </ul>
        </div>
    }
}

/// The time slider, with buttons a step either way, and the moment in true solar time and
/// Beijing time.
fn time_slider(a: &SunAnswer, frame: usize, l: Lang, d: &Callback<SunAction>) -> Html {
    let n = a.frames.len();
    let Some(f) = a.frames.get(frame) else {
        return html! {};
    };
    let when = fill(
        l,
        Sn::SunClock,
        &[
            ("solar", &clock(f.solar_min)),
            ("beijing", &clock(f.standard_min)),
        ],
    );
    let oninput = d.reform(|e: InputEvent| {
        let i: HtmlInputElement = e.target_unchecked_into();
        SunAction::Frame(i.value().parse().unwrap_or(0))
    });
    let step = |to: usize| d.reform(move |_: MouseEvent| SunAction::Frame(to));
    html! {
        <div class="sun-time">
            <label for="sun-time">{ tr(l, Sn::SunTime) }</label>
            <div class="sun-time-row">
                <button id="sun-earlier" aria-label={tr(l, Sn::SunEarlier)} title={tr(l, Sn::SunEarlier)}
                    disabled={frame == 0} onclick={step(frame.saturating_sub(1))}>{ "◀" }</button>
                <input type="range" id="sun-time" min="0" max={(n - 1).to_string()} step="1"
                    value={frame.to_string()} aria-valuetext={when.clone()} {oninput} />
                <button id="sun-later" aria-label={tr(l, Sn::SunLater)} title={tr(l, Sn::SunLater)}
                    disabled={frame + 1 >= n} onclick={step(frame + 1)}>{ "▶" }</button>
            </div>
            <p id="sun-time-text" aria-live="polite">{ when }</p>
        </div>
    }
}

/// The sun each zone gets: the hours at least half of it has, and whether that is enough.
fn zones(a: &SunAnswer, l: Lang) -> Html {
    if a.zones.is_empty() {
        return html! {};
    }
    html! {
        <>
        <h3>{ tr(l, Sn::SunZones) }</h3>
        <ul class="sun-zones">
        { for a.zones.iter().map(|z| {
            let name = ZoneKind::from_key(&z.kind)
                .map_or_else(|| z.kind.clone(), |k| pick(l, &k.label()).to_owned());
            let enough = z.median_sun_hours + 1e-9 >= a.min_hours;
            html! {
                <li data-zone={z.id.clone()} data-median-hours={z.median_sun_hours.to_string()}
                    class={if enough { "enough" } else { "too-little" }}>
                    { fill(l, Sn::SunZone, &[("zone", &format!("{name} {}", z.id)),
                        ("h", &format!("{:.1}", z.median_sun_hours))]) }
                    { " · " }
                    <strong>{ tr(l, if enough { Sn::SunEnough } else { Sn::SunTooLittle }) }</strong>
                </li>
            }
        }) }
        </ul>
        </>
    }
}

/// The sun view's panel.
pub fn sun_panel(p: SunPanelProps<'_>) -> Html {
    let l = p.lang;
    let body = p.answer.map(|a| {
        let day = if a.window.dahan {
            tr(l, Sn::SunDahan)
        } else {
            ""
        };
        html! {
            <>
            <p>{ fill(l, Sn::SunIntro, &[("date", &a.window.date), ("day", &day),
                ("from", &a.window.from), ("to", &a.window.to)]) }</p>
            <p>{ fill(l, Sn::SunRule, &[("h", &a.min_hours)]) }</p>
            { legend(a, l) }
            { time_slider(a, p.frame, l, p.dispatch) }
            { zones(a, l) }
            </>
        }
    });
    html! {
        <section id="sun-panel" class="panel sun-panel" aria-labelledby="sun-h" aria-busy={p.busy.to_string()}>
            <h2 id="sun-h">{ "☀ " }{ tr(l, Sn::SunTitle) }</h2>
            if p.busy {
                <p class="muted" role="status" id="sun-busy">{ tr(l, Sn::SunUpdating) }</p>
            }
            if let Some(e) = p.error {
                <p class="problem" role="alert" id="sun-error">
                    { tr(l, Sn::SunFailed) }{ tr(l, Msg::Colon) }{ pick(l, e).to_owned() }
                </p>
            }
            { body.unwrap_or_default() }
        </section>
    }
}
