//! Sun and shade: hours of direct sun on the plot from the buildings around it.
//!
//! Definitions (issue 14, so that independent tools agree):
//! - the window [from, to) is cut into (to − from) / step samples, each judged at its
//!   midpoint, so a point in full sun gets exactly to − from;
//! - a sample is sunny when SPA's apparent (refracted, standard atmosphere) elevation is above
//!   0 and the ray from the point (at z = 0) toward the sun meets no building prism
//!   (footprint × [0, height], closed: grazing an edge is shade); one sun position serves the
//!   plot (the centre of its bounding box), azimuth from true north (the plot-centred
//!   projection's y axis);
//! - true solar time = standard time + 4 min × (longitude − 15° × offset) + equation of time
//!   (the equation of time of the window's middle, from SPA); under [`Clock::Solar`] the UTC
//!   offset only converts;
//! - only the plot's [`Building`]s cast shadow (kept trees, parapets and elements do not).
//!
//! [`SunTrack`] holds the sun positions of a window, [`Shadows`] the shadow polygons of every
//! building at each sample (computed once, queried for every point), [`sun_hours`] and
//! [`grid`] answer for a layout. No I/O; runs in the browser too.

mod geojson;
mod position;
mod shadow;
mod time;

use geo::{BoundingRect, Coord, InteriorPoint, Intersects, MultiPolygon, Rect};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use geojson::{SunFileError, grid_geojson, points_geojson};
pub use position::{
    SunPosition, dahan, dashu, equation_of_time_min, solar_minus_standard_min, sun_position,
};
pub use shadow::{Caster, Shadows, sweep_pieces, swept};
pub use time::{ClockTime, Date, UtcOffset};

use crate::model::{Layout, ZoneKind};
use crate::projection::LonLat;
use crate::text::Text;

/// Which clock the window's times are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clock {
    /// True (apparent) solar time at the plot, as GB/T 50947 uses for housing sunlight.
    Solar,
    /// Standard (zone) time at the UTC offset.
    Standard,
}

impl Clock {
    /// The clock's name as the CLI, the API and the GeoJSON output write it: `solar` or
    /// `standard`.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Solar => "solar",
            Clock::Standard => "standard",
        }
    }
}

impl std::fmt::Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Clock {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "solar" => Ok(Clock::Solar),
            "standard" => Ok(Clock::Standard),
            other => Err(format!("`{other}` is neither `solar` nor `standard`")),
        }
    }
}

/// A day and a window of time on it, with the sampling step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SunWindow {
    /// The day.
    pub date: Date,
    /// Start of the window (included).
    pub from: ClockTime,
    /// End of the window (excluded).
    pub to: ClockTime,
    /// The clock of `from` and `to`.
    pub clock: Clock,
    /// The zone's offset from UTC (Beijing time, +08:00, by default).
    pub utc_offset: UtcOffset,
    /// Length of a sample, whole minutes; it divides the window.
    pub step_min: u32,
}

impl SunWindow {
    /// 08:00–16:00 true solar time on `date`, Beijing time, 1-minute steps (the defaults of
    /// `plotwise sun`, GB/T 50947's window for 大寒).
    pub fn on(date: Date) -> SunWindow {
        SunWindow {
            date,
            from: ClockTime::EIGHT,
            to: ClockTime::SIXTEEN,
            clock: Clock::Solar,
            utc_offset: UtcOffset::BEIJING,
            step_min: 1,
        }
    }

    /// The number of samples, or why the window is not usable.
    pub fn sample_count(&self) -> Result<u32, SunError> {
        let (a, b) = (self.from.minutes(), self.to.minutes());
        if b <= a {
            return Err(SunError::Window {
                field: "to",
                problem: format!(
                    "the window ends ({}) at or before it starts ({})",
                    self.to, self.from
                ),
                problem_zh: format!("时段结束（{}）不晚于开始（{}）", self.to, self.from),
            });
        }
        if self.step_min == 0 || (b - a) % self.step_min != 0 {
            return Err(SunError::Window {
                field: "step_min",
                problem: format!(
                    "the step ({} min) must be a whole number of minutes dividing the {}-minute window",
                    self.step_min,
                    b - a
                ),
                problem_zh: format!(
                    "步长（{} 分钟）须为整数分钟并能整除 {} 分钟的时段",
                    self.step_min,
                    b - a
                ),
            });
        }
        Ok((b - a) / self.step_min)
    }
}

/// Why a sun analysis could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SunError {
    /// The window is not usable; `field` names the setting.
    #[error("{field}: {problem}")]
    Window {
        /// `to` or `step_min`.
        field: &'static str,
        /// What is wrong.
        problem: String,
        /// What is wrong, in Chinese.
        problem_zh: String,
    },
    /// The plot has no geographic position (drawn or imported in plain metres).
    #[error(
        "the plot has no geographic position (import it from GeoJSON or WGS84 WKT): the sun cannot be placed"
    )]
    NoLocation,
    /// The grid would have too many cells.
    #[error(
        "a {cell_m} m grid over this plot has {cells} cells, more than {max}: use larger cells"
    )]
    GridTooLarge {
        /// The cell size asked for, m.
        cell_m: f64,
        /// The number of cells it would take.
        cells: u64,
        /// The limit.
        max: u64,
    },
    /// The cell size is not a positive number.
    #[error("grid cell size must be a positive number of metres (found {0})")]
    BadCell(f64),
    /// The sun position library refused the time (outside years −2000 to 6000, …).
    #[error("sun position: {0}")]
    Spa(String),
}

impl SunError {
    /// The message in English and Chinese.
    pub fn message(&self) -> Text {
        let zh = match self {
            SunError::Window {
                field, problem_zh, ..
            } => format!("{field}：{problem_zh}"),
            SunError::NoLocation => {
                "地块没有地理位置（请从 GeoJSON 或 WGS84 WKT 导入）：无法确定太阳位置".to_owned()
            }
            SunError::GridTooLarge { cell_m, cells, max } => {
                format!(
                    "{cell_m} m 网格在此地块上有 {cells} 个格子，超过上限 {max}：请用更大的格子"
                )
            }
            SunError::BadCell(v) => format!("网格尺寸必须是正数（米），实为 {v}"),
            SunError::Spa(e) => format!("太阳位置计算失败：{e}"),
        };
        Text::new(self.to_string(), zh)
    }
}

/// One sample of a window: its midpoint and the sun's position then.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SunSample {
    /// The midpoint in standard time at the window's UTC offset, minutes after midnight of
    /// the date.
    pub standard_min: f64,
    /// The midpoint as a Julian date (UT).
    pub jd_ut: f64,
    /// The sun's position at the midpoint.
    pub position: SunPosition,
}

/// The sun's positions over a window, at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct SunTrack {
    /// Where (the plot's centre).
    pub location: LonLat,
    /// The window.
    pub window: SunWindow,
    /// The equation of time used, minutes (at the window's middle).
    pub equation_of_time_min: f64,
    /// True solar time − standard time, minutes.
    pub solar_minus_standard_min: f64,
    /// Every sample, in time order.
    pub samples: Vec<SunSample>,
}

thread_local! {
    /// The last few tracks computed on this thread: the editor re-checks a layout on every
    /// drag, and the plot's position and the standard day do not change while dragging, so
    /// the 480 SPA evaluations (about 2 ms) are made once. A pure memo: the same inputs give
    /// the same track whether or not it is remembered.
    static TRACKS: std::cell::RefCell<Vec<SunTrack>> = const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    /// The last few shadow sets computed on this thread, with the casters and track they
    /// came from: dragging an element changes neither the buildings (winter sun) nor, unless
    /// it is a tree or a pergola, the summer casters. A pure memo, like `TRACKS`.
    #[allow(clippy::type_complexity, reason = "a private memo")]
    static SHADOWS: std::cell::RefCell<Vec<(Vec<Caster>, SunWindow, [u64; 2], std::rc::Rc<Shadows>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The shadows of `casters` over `track`, valid for points within `extent`, remembered.
pub(crate) fn cached_shadows(
    casters: &[Caster],
    track: &SunTrack,
    extent: Rect<f64>,
) -> std::rc::Rc<Shadows> {
    let loc = [track.location.lon.to_bits(), track.location.lat.to_bits()];
    // A remembered set answers exactly if its reach covers this extent and the casters.
    let need = casters
        .iter()
        .filter_map(|c| c.footprint.bounding_rect())
        .fold(extent, union_rect);
    let need = need.width().hypot(need.height()) + 1.0;
    let hit = SHADOWS.with(|m| {
        m.borrow()
            .iter()
            .find(|(c, w, l, s)| {
                w == &track.window && l == &loc && s.reach() >= need && c.as_slice() == casters
            })
            .map(|e| e.3.clone())
    });
    if let Some(s) = hit {
        return s;
    }
    let s = std::rc::Rc::new(Shadows::of_casters(casters, track, extent));
    SHADOWS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= TRACK_MEMO {
            m.remove(0);
        }
        m.push((casters.to_vec(), track.window, loc, s.clone()));
    });
    s
}

/// How many tracks [`SunTrack::cached`] keeps per thread.
const TRACK_MEMO: usize = 4;

impl SunTrack {
    /// As [`SunTrack::new`], remembering the last few tracks computed on this thread.
    pub fn cached(location: LonLat, window: &SunWindow) -> Result<SunTrack, SunError> {
        let same = |t: &SunTrack| {
            t.window == *window
                && t.location.lon.to_bits() == location.lon.to_bits()
                && t.location.lat.to_bits() == location.lat.to_bits()
        };
        if let Some(t) = TRACKS.with(|m| m.borrow().iter().find(|t| same(t)).cloned()) {
            return Ok(t);
        }
        let t = SunTrack::new(location, window)?;
        TRACKS.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= TRACK_MEMO {
                m.remove(0);
            }
            m.push(t.clone());
        });
        Ok(t)
    }

    /// The sun's positions at `location` for every sample of `window`.
    pub fn new(location: LonLat, window: &SunWindow) -> Result<SunTrack, SunError> {
        let n = window.sample_count()?;
        if !(location.lat.is_finite() && location.lon.is_finite()) {
            return Err(SunError::NoLocation);
        }
        let dt = position::delta_t_s(window.date)?;
        let (from, to) = (
            f64::from(window.from.minutes()),
            f64::from(window.to.minutes()),
        );
        let mid = (from + to) / 2.0;
        // The window's middle in standard time: for a solar clock, convert with the equation
        // of time there (found by one correction from the clock's own middle).
        let (start_std, eot) = match window.clock {
            Clock::Standard => {
                let e = equation_of_time_min(
                    position::jd_of_standard(window.date, mid, window.utc_offset),
                    dt,
                )?;
                (from, e)
            }
            Clock::Solar => {
                let mut e = equation_of_time_min(
                    position::jd_of_standard(window.date, mid, window.utc_offset),
                    dt,
                )?;
                for _ in 0..2 {
                    let mid_std =
                        mid - solar_minus_standard_min(location.lon, window.utc_offset, e);
                    e = equation_of_time_min(
                        position::jd_of_standard(window.date, mid_std, window.utc_offset),
                        dt,
                    )?;
                }
                (
                    from - solar_minus_standard_min(location.lon, window.utc_offset, e),
                    e,
                )
            }
        };
        let step = f64::from(window.step_min);
        let mut samples = Vec::with_capacity(n as usize);
        for i in 0..n {
            let standard_min = start_std + (f64::from(i) + 0.5) * step;
            let jd_ut = position::jd_of_standard(window.date, standard_min, window.utc_offset);
            samples.push(SunSample {
                standard_min,
                jd_ut,
                position: sun_position(location, jd_ut, dt)?,
            });
        }
        Ok(SunTrack {
            location,
            window: *window,
            equation_of_time_min: eot,
            solar_minus_standard_min: solar_minus_standard_min(
                location.lon,
                window.utc_offset,
                eot,
            ),
            samples,
        })
    }

    /// The window in standard time, minutes after midnight: (start, end).
    pub fn standard_window(&self) -> (f64, f64) {
        let (a, b) = (
            f64::from(self.window.from.minutes()),
            f64::from(self.window.to.minutes()),
        );
        match self.window.clock {
            Clock::Standard => (a, b),
            Clock::Solar => (
                a - self.solar_minus_standard_min,
                b - self.solar_minus_standard_min,
            ),
        }
    }

    /// The number of samples with the sun above the horizon.
    pub fn sun_up_samples(&self) -> u32 {
        self.samples
            .iter()
            .filter(|s| s.position.elevation_deg > 0.0)
            .count() as u32
    }
}

/// The plot's centre (of its bounding box) in WGS84, if the plot is georeferenced.
pub fn location(layout: &Layout) -> Option<LonLat> {
    let p = layout.plot.projection?;
    let r = layout.plot.outline.bounding_rect();
    Some(p.to_wgs84(r.center()))
}

/// The sun and the shadows over a layout for one window.
#[derive(Debug, Clone)]
pub struct SunAnalysis {
    /// The sun's positions.
    pub track: SunTrack,
    /// The buildings' shadows at each sample (shared with later analyses of the same
    /// buildings, position and window on this thread).
    pub shadows: std::rc::Rc<Shadows>,
}

fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

impl SunAnalysis {
    /// The analysis of `layout` over `window`, answering for points within `extent` (and
    /// always for the plot, its zones and elements).
    pub fn new(
        layout: &Layout,
        window: &SunWindow,
        extent: Option<Rect<f64>>,
    ) -> Result<SunAnalysis, SunError> {
        let at = location(layout).ok_or(SunError::NoLocation)?;
        let track = SunTrack::cached(at, window)?;
        let mut r = layout.plot.outline.bounding_rect();
        for z in &layout.zones {
            r = union_rect(r, z.outline.bounding_rect());
        }
        for e in &layout.elements {
            r = union_rect(r, Rect::new(e.position, e.position));
        }
        if let Some(x) = extent {
            r = union_rect(r, x);
        }
        let casters: Vec<Caster> = layout.plot.buildings.iter().map(Caster::building).collect();
        let shadows = cached_shadows(&casters, &track, r);
        Ok(SunAnalysis { track, shadows })
    }

    /// Hours of direct sun at `p` (local metres).
    pub fn hours_at(&self, p: Coord<f64>) -> f64 {
        self.shadows.sun_hours(p)
    }

    /// Hours of direct sun at each of `points` (faster than one by one for many points).
    pub fn hours_at_many(&self, points: &[Coord<f64>]) -> Vec<f64> {
        self.shadows
            .sun_minutes_many(points)
            .into_iter()
            .map(|m| f64::from(m) / 60.0)
            .collect()
    }
}

/// Hours of direct sun at each point (local metres) of `layout` within `window`.
pub fn sun_hours(
    layout: &Layout,
    window: &SunWindow,
    points: &[Coord<f64>],
) -> Result<Vec<f64>, SunError> {
    let extent = points.iter().map(|p| Rect::new(*p, *p)).reduce(union_rect);
    let a = SunAnalysis::new(layout, window, extent)?;
    Ok(a.hours_at_many(points))
}

/// The most cells [`grid`] makes.
pub const MAX_GRID_CELLS: u64 = 4_000_000;

/// Centres of the square cells of a grid (aligned on `origin`) that lie in `area` (closed).
pub(crate) fn cell_centres(
    area: &MultiPolygon<f64>,
    origin: Coord<f64>,
    cell: f64,
) -> Result<Vec<Coord<f64>>, SunError> {
    if !(cell.is_finite() && cell > 0.0) {
        return Err(SunError::BadCell(cell));
    }
    let Some(r) = area.bounding_rect() else {
        return Ok(vec![]);
    };
    let i0 = ((r.min().x - origin.x) / cell - 0.5).ceil();
    let i1 = ((r.max().x - origin.x) / cell - 0.5).floor();
    let j0 = ((r.min().y - origin.y) / cell - 0.5).ceil();
    let j1 = ((r.max().y - origin.y) / cell - 0.5).floor();
    if i1 < i0 || j1 < j0 {
        return Ok(vec![]);
    }
    let count = (i1 - i0 + 1.0) * (j1 - j0 + 1.0);
    if count > MAX_GRID_CELLS as f64 {
        return Err(SunError::GridTooLarge {
            cell_m: cell,
            cells: count as u64,
            max: MAX_GRID_CELLS,
        });
    }
    let mut out = Vec::new();
    let (i0, i1, j0, j1) = (i0 as i64, i1 as i64, j0 as i64, j1 as i64);
    for j in j0..=j1 {
        let y = origin.y + (j as f64 + 0.5) * cell;
        for i in i0..=i1 {
            let c = Coord {
                x: origin.x + (i as f64 + 0.5) * cell,
                y,
            };
            if area.intersects(&c) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Sample points of an area: the centres of the grid cells in it, or, for an area smaller
/// than a cell that holds no centre, one point inside it.
pub(crate) fn sample_points(
    area: &MultiPolygon<f64>,
    origin: Coord<f64>,
    cell: f64,
) -> Result<Vec<Coord<f64>>, SunError> {
    let mut pts = cell_centres(area, origin, cell)?;
    if pts.is_empty()
        && let Some(p) = area.interior_point()
    {
        pts.push(p.0);
    }
    Ok(pts)
}

/// A cell of a sun-hours grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridCell {
    /// The cell's centre, local metres.
    #[serde(with = "crate::geom::coord_serde")]
    pub centre: Coord<f64>,
    /// Hours of direct sun at the centre.
    pub sun_hours: f64,
}

/// Sun hours over one zone (at the grid's cell centres in it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZoneSun {
    /// The zone's id.
    pub id: String,
    /// Its kind.
    pub kind: ZoneKind,
    /// Sample points (cell centres; one inside point for a zone smaller than a cell).
    pub points: u32,
    /// Mean hours.
    pub mean_sun_hours: f64,
    /// Least hours.
    pub min_sun_hours: f64,
    /// Most hours.
    pub max_sun_hours: f64,
    /// The hours that at least half of the zone gets (the median over its points).
    pub median_sun_hours: f64,
}

/// Sun hours on a grid over the plot, with a summary per zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SunGrid {
    /// The day and window.
    pub window: SunWindow,
    /// The cell size, m.
    pub cell_m: f64,
    /// The cells whose centre lies in the plot (row by row from the south-west).
    pub cells: Vec<GridCell>,
    /// Per zone, in drawing order.
    pub zones: Vec<ZoneSun>,
}

/// Summary statistics of hours (points must not be empty).
pub(crate) fn stats(hours: &mut [f64]) -> (f64, f64, f64, f64) {
    hours.sort_by(f64::total_cmp);
    let n = hours.len();
    let mean = hours.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 {
        hours[n / 2]
    } else {
        (hours[n / 2 - 1] + hours[n / 2]) / 2.0
    };
    (mean, hours[0], hours[n - 1], median)
}

/// Sun hours on a `cell_m` grid over the plot (aligned on the south-west corner of its
/// bounding box), and per zone.
pub fn grid(layout: &Layout, window: &SunWindow, cell_m: f64) -> Result<SunGrid, SunError> {
    let a = SunAnalysis::new(layout, window, None)?;
    grid_of(layout, &a, cell_m)
}

/// [`grid`] with an analysis already made.
pub(crate) fn grid_of(layout: &Layout, a: &SunAnalysis, cell_m: f64) -> Result<SunGrid, SunError> {
    let window = &a.track.window;
    let plot = layout.plot.outline.multi_polygon();
    let origin = layout.plot.outline.bounding_rect().min();
    let centres = cell_centres(plot, origin, cell_m)?;
    let cells = centres
        .iter()
        .zip(a.hours_at_many(&centres))
        .map(|(c, sun_hours)| GridCell {
            centre: *c,
            sun_hours,
        })
        .collect();
    let mut zones = Vec::new();
    for z in &layout.zones {
        let pts = sample_points(z.outline.multi_polygon(), origin, cell_m)?;
        let mut hours = a.hours_at_many(&pts);
        if hours.is_empty() {
            continue;
        }
        let (mean, min, max, median) = stats(&mut hours);
        zones.push(ZoneSun {
            id: z.id.0.clone(),
            kind: z.kind,
            points: hours.len() as u32,
            mean_sun_hours: mean,
            min_sun_hours: min,
            max_sun_hours: max,
            median_sun_hours: median,
        });
    }
    Ok(SunGrid {
        window: *window,
        cell_m,
        cells,
        zones,
    })
}
