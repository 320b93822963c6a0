//! `POST /api/sun`: the editor's sun view, computed here because plan's sun code (SPA, the
//! shadow sweeps) would put the editor bundle over its 400 KB budget (measured: +38.6 KB
//! gzipped, 397,285 → 435,895 B).
//!
//! The body is the layout document the editor holds, read under plan's limits like the export
//! routes ([`read_layout_document`]); the query ([`SunQuery`]) may change the day, the window,
//! the cell and how often a shadow is drawn, and defaults to the sunlight rules' standard day
//! (the default rule set's `sunlight`). The answer ([`SunAnswer`]) is what `plotwise sun
//! --grid-m` computes (hours at the cell centres of a grid over the plot, a summary per zone),
//! with the buildings' shadows every `frame_min` minutes through the window. Everything runs
//! in the file-job pool. Nothing is stored.

use axum::Json;
use axum::body::Bytes;
use plotwise_api::{SunAnswer, SunFrame, SunGridCells, SunQuery, SunRow, SunWindowInfo, SunZone};
use plotwise_plan::RuleSet;
use plotwise_plan::model::Layout;
use plotwise_plan::rules::Sunlight;
use plotwise_plan::sun::{
    Clock, ClockTime, Date, SunAnalysis, SunError, SunGrid, SunWindow, UtcOffset,
};
use plotwise_plan::text::Text;

use crate::ctx::ApiQuery;
use crate::error::AppError;
use crate::layout_jobs::{file_job, read_layout_document};

/// The most cells (of the grid over the plot's bounding box) one request may ask for. The
/// 450 m² rooftop at 0.5 m has some 2,000 (about 15 ms here), the 1 km strip some 410,000 in
/// its bounding box (20,000 in the plot).
const MAX_CELLS: u64 = plotwise_api::SUN_MAX_CELLS;
/// The smallest cell, m.
const MIN_CELL_M: f64 = 0.1;
/// The cell when the query names none, m (the sunlight rules' grid).
const DEFAULT_CELL_M: f64 = 0.5;
/// Minutes between shadows when the query names none.
const DEFAULT_FRAME_MIN: u32 = 15;

/// `POST /api/sun`.
pub(crate) async fn sun(
    ApiQuery(query): ApiQuery<SunQuery>,
    body: Bytes,
) -> Result<Json<SunAnswer>, AppError> {
    let answer = file_job(move || {
        let rules = RuleSet::default();
        let window = window_of(&query, &rules.sunlight)?;
        let cell = cell_of(&query)?;
        let frame_min = frame_of(&query, &window)?;
        let layout = read_layout_document(&body)?;
        sun_answer(&layout, &window, cell, frame_min, &rules.sunlight)
    })
    .await?;
    Ok(Json(answer))
}

fn bad_window(field: &str, en: String, zh: String) -> AppError {
    AppError::BadField {
        code: "bad_window",
        text: Box::new(Text::new(
            format!("{field}: {en}"),
            format!("{field}：{zh}"),
        )),
    }
}

/// A field of the query read with `FromStr`.
fn parse<T: std::str::FromStr<Err = String>>(name: &str, v: &str) -> Result<T, AppError> {
    v.parse()
        .map_err(|e: String| bad_window(name, e, format!("无法读取“{v}”")))
}

/// The window the query asks for: the rule set's standard day with the query's changes.
fn window_of(q: &SunQuery, s: &Sunlight) -> Result<SunWindow, AppError> {
    let or = |name: &str, v: &Option<String>, default: ClockTime| {
        v.as_deref()
            .map_or(Ok(default), |v| parse::<ClockTime>(name, v))
    };
    let date = match q.date.as_deref() {
        Some(v) => parse::<Date>("date", v)?,
        None => s
            .day
            .date(s.year)
            .map_err(|e| AppError::Internal(format!("the rule set's day: {e}")))?,
    };
    let clock = match q.clock.as_deref() {
        None => s.clock,
        Some(v) => v.parse::<Clock>().map_err(|e| {
            bad_window(
                "clock",
                e,
                format!("“{v}”既不是 solar（真太阳时）也不是 standard（标准时间）"),
            )
        })?,
    };
    let window = SunWindow {
        date,
        from: or("from", &q.from, s.from)?,
        to: or("to", &q.to, s.to)?,
        clock,
        utc_offset: match q.utc_offset.as_deref() {
            Some(v) => parse::<UtcOffset>("utc_offset", v)?,
            None => s.utc_offset,
        },
        step_min: q.step_min.unwrap_or(s.step_min),
    };
    window.sample_count().map_err(|e| sun_error(&e))?;
    Ok(window)
}

fn cell_of(q: &SunQuery) -> Result<f64, AppError> {
    let cell = q.cell_m.unwrap_or(DEFAULT_CELL_M);
    if cell.is_finite() && cell >= MIN_CELL_M {
        Ok(cell)
    } else {
        Err(AppError::BadField {
            code: "bad_cell",
            text: Box::new(Text::new(
                format!("cell_m: the grid's cell must be at least {MIN_CELL_M} m (found {cell})"),
                format!("cell_m：网格边长至少 {MIN_CELL_M} 米（实为 {cell}）"),
            )),
        })
    }
}

/// Minutes between shadows: a whole number of samples that divides the window.
fn frame_of(q: &SunQuery, w: &SunWindow) -> Result<u32, AppError> {
    let frame = q.frame_min.unwrap_or(DEFAULT_FRAME_MIN);
    let span = w.to.minutes().saturating_sub(w.from.minutes());
    if frame == 0 || !frame.is_multiple_of(w.step_min) || !span.is_multiple_of(frame) {
        return Err(bad_window(
            "frame_min",
            format!(
                "{frame} min is not a whole number of {}-minute samples dividing the {span}-minute window",
                w.step_min
            ),
            format!(
                "{frame} 分钟须为 {} 分钟步长的整数倍，并能整除 {span} 分钟的时段",
                w.step_min
            ),
        ));
    }
    Ok(frame)
}

/// The answer for a plot without a position, a grid too large, a window that does not work.
fn sun_error(e: &SunError) -> AppError {
    match e {
        SunError::NoLocation => AppError::Unprocessable {
            code: "no_location",
            text: Box::new(e.message()),
        },
        SunError::GridTooLarge { .. } => AppError::Unprocessable {
            code: "too_many_cells",
            text: Box::new(e.message()),
        },
        SunError::BadCell(_) => AppError::BadField {
            code: "bad_cell",
            text: Box::new(e.message()),
        },
        _ => AppError::BadField {
            code: "bad_window",
            text: Box::new(e.message()),
        },
    }
}

/// The cells of a `cell` grid over the plot's bounding box (an upper bound of what
/// `plan::sun::grid` measures), to refuse a grid too large before any work.
fn bounding_cells(layout: &Layout, cell: f64) -> u64 {
    let r = layout.plot.outline.bounding_rect();
    plotwise_api::sun_bounding_cells(r.width(), r.height(), cell)
}

/// The sun view of `layout` (see the module documentation).
pub(crate) fn sun_answer(
    layout: &Layout,
    window: &SunWindow,
    cell: f64,
    frame_min: u32,
    rules: &Sunlight,
) -> Result<SunAnswer, AppError> {
    if layout.plot.projection.is_none() {
        return Err(sun_error(&SunError::NoLocation));
    }
    let cells = bounding_cells(layout, cell);
    if cells > MAX_CELLS {
        return Err(sun_error(&SunError::GridTooLarge {
            cell_m: cell,
            cells,
            max: MAX_CELLS,
        }));
    }
    let grid = plotwise_plan::sun::grid(layout, window, cell).map_err(|e| sun_error(&e))?;
    // The same track and shadows as the grid's (remembered on this thread).
    let a = SunAnalysis::new(layout, window, None).map_err(|e| sun_error(&e))?;
    let origin = layout.plot.outline.bounding_rect().min();
    let step = window.step_min;
    let shift = a.track.solar_minus_standard_min;
    let from = f64::from(window.from.minutes());
    let start_solar = match window.clock {
        Clock::Solar => from,
        Clock::Standard => from + shift,
    };
    let frames = (0..(window.to.minutes() - window.from.minutes()) / frame_min)
        .map(|k| {
            let i = (k * frame_min / step) as usize;
            let p = a.track.samples[i].position;
            let solar_min = start_solar + f64::from(k * frame_min);
            SunFrame {
                solar_min,
                standard_min: solar_min - shift,
                elevation_deg: p.elevation_deg,
                azimuth_deg: p.azimuth_deg,
                shadow: a
                    .shadows
                    .shadow_at(i)
                    .0
                    .iter()
                    .map(|poly| {
                        std::iter::once(poly.exterior())
                            .chain(poly.interiors())
                            .map(|ring| ring.0.iter().map(|c| [cm(c.x), cm(c.y)]).collect())
                            .collect()
                    })
                    .collect(),
            }
        })
        .collect();
    let dahan = plotwise_plan::sun::dahan(window.date.year).is_ok_and(|d| d == window.date);
    Ok(SunAnswer {
        window: SunWindowInfo {
            date: window.date.to_string(),
            dahan,
            from: window.from.to_string(),
            to: window.to.to_string(),
            clock: window.clock.to_string(),
            utc_offset: window.utc_offset.to_string(),
            step_min: step,
            solar_minus_standard_min: shift,
            full_sun_min: a.track.sun_up_samples() * step,
        },
        min_hours: rules.min_hours,
        source: rules.source.clone(),
        grid: grid_cells(&grid, (origin.x, origin.y)),
        zones: grid
            .zones
            .iter()
            .map(|z| SunZone {
                id: z.id.clone(),
                kind: z.kind.key().to_owned(),
                points: z.points,
                mean_sun_hours: z.mean_sun_hours,
                min_sun_hours: z.min_sun_hours,
                max_sun_hours: z.max_sun_hours,
                median_sun_hours: z.median_sun_hours,
            })
            .collect(),
        frames,
    })
}

/// Metres rounded to centimetres (for drawing).
fn cm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// plan's grid (cells row by row from the south-west, each at its centre) as rows of
/// minutes.
fn grid_cells(grid: &SunGrid, (x0, y0): (f64, f64)) -> SunGridCells {
    let cell = grid.cell_m;
    let mut rows: Vec<SunRow> = Vec::new();
    for c in &grid.cells {
        let index = |v: f64, o: f64| ((v - o) / cell - 0.5).round().max(0.0) as u32;
        let (i, j) = (index(c.centre.x, x0), index(c.centre.y, y0));
        let minutes = Some((c.sun_hours * 60.0).round() as u32);
        match rows.last_mut() {
            Some(row) if row.j == j && i >= row.i0 => {
                let at = (i - row.i0) as usize;
                if row.sun_min.len() <= at {
                    row.sun_min.resize(at, None);
                    row.sun_min.push(minutes);
                } else {
                    row.sun_min[at] = minutes;
                }
            }
            _ => rows.push(SunRow {
                j,
                i0: i,
                sun_min: vec![minutes],
            }),
        }
    }
    SunGridCells {
        cell_m: cell,
        x0,
        y0,
        cells: grid.cells.len() as u32,
        rows,
    }
}
