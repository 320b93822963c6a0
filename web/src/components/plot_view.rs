//! The plot drawn to scale in SVG: one SVG unit is one metre, north up, with a scale bar
//! and a north arrow.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{Lang, Msg, tr};

/// What to draw.
#[derive(Properties, PartialEq)]
pub struct PlotViewProps {
    /// The boundary's rings (exteriors and holes) in local metres (x east, y north).
    pub boundary: Rc<Vec<Vec<(f64, f64)>>>,
    /// The interface language, for labels.
    pub lang: Lang,
}

/// The plot drawing.
#[function_component(PlotView)]
pub fn plot_view(props: &PlotViewProps) -> Html {
    let all: Vec<(f64, f64)> = props.boundary.iter().flatten().copied().collect();
    let Some(bounds) = Bounds::of(&all) else {
        return html! {};
    };
    let extent = bounds.width().max(bounds.height()).max(1.0);
    let margin = extent * 0.08;
    // SVG's y grows downwards: draw (x, -y) so north is up.
    let view_box = format!(
        "{:.3} {:.3} {:.3} {:.3}",
        bounds.min_x - margin,
        -bounds.max_y - margin,
        bounds.width() + 2.0 * margin,
        bounds.height() + 2.0 * margin + extent * 0.08,
    );
    let path: String = props
        .boundary
        .iter()
        .map(|ring| {
            let pts: Vec<String> = ring
                .iter()
                .map(|(x, y)| format!("{x:.3} {:.3}", -y))
                .collect();
            format!("M {} Z", pts.join(" L "))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let bar = nice_length(extent / 4.0);
    let font = extent * 0.035;
    let bar_y = -bounds.min_y + margin * 0.6;
    let bar_x = bounds.min_x;
    let arrow_x = bounds.max_x + margin * 0.4;
    let arrow_y = -bounds.max_y;
    let label = format!("{} m", fmt_len(bar));
    html! {
        <svg id="plot" viewBox={view_box} role="img"
             aria-label={tr(props.lang, Msg::PlotDrawing)} preserveAspectRatio="xMidYMid meet">
            <path class="plot-boundary" d={path} fill-rule="evenodd"
                     fill="#e8efe1" stroke="#2d4a22" stroke-width={format!("{:.3}", extent * 0.004)} />
            <g class="scale-bar" data-metres={fmt_len(bar)} aria-label={tr(props.lang, Msg::ScaleBar)}>
                <rect x={format!("{bar_x:.3}")} y={format!("{bar_y:.3}")}
                      width={format!("{bar:.3}")} height={format!("{:.3}", extent * 0.01)} fill="#1d2327" />
                <text x={format!("{bar_x:.3}")} y={format!("{:.3}", bar_y + extent * 0.01 + font * 1.1)}
                      font-size={format!("{font:.3}")} fill="#1d2327">{label}</text>
            </g>
            <g class="north-arrow">
                <path d={format!("M {ax:.3} {ay:.3} l {w:.3} {h:.3} l {mw:.3} 0 z",
                    ax = arrow_x, ay = arrow_y, w = font * 0.5, h = font * 1.5, mw = -font)}
                      fill="#1d2327" />
                <text x={format!("{arrow_x:.3}")} y={format!("{:.3}", arrow_y + font * 2.6)}
                      font-size={format!("{font:.3}")} text-anchor="middle" fill="#1d2327">
                    {tr(props.lang, Msg::North)}
                </text>
            </g>
        </svg>
    }
}

struct Bounds {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Bounds {
    fn of(pts: &[(f64, f64)]) -> Option<Bounds> {
        let first = pts.first()?;
        let mut b = Bounds {
            min_x: first.0,
            min_y: first.1,
            max_x: first.0,
            max_y: first.1,
        };
        for &(x, y) in pts {
            b.min_x = b.min_x.min(x);
            b.min_y = b.min_y.min(y);
            b.max_x = b.max_x.max(x);
            b.max_y = b.max_y.max(y);
        }
        Some(b)
    }
    fn width(&self) -> f64 {
        self.max_x - self.min_x
    }
    fn height(&self) -> f64 {
        self.max_y - self.min_y
    }
}

/// The largest 1, 2 or 5 × 10ⁿ metres not above `target`.
fn nice_length(target: f64) -> f64 {
    let target = target.max(0.1);
    let pow = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * pow)
        .find(|&len| len <= target)
        .unwrap_or(pow)
}

fn fmt_len(m: f64) -> String {
    if m >= 1.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}
