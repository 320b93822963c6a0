//! The editor's sun view: `POST /api/sun`.
//!
//! The body is the layout document the editor holds (the same as `POST /api/export/{format}`
//! takes); [`SunQuery`] in the query string chooses the day, the window, the grid's cell and
//! how often a shadow is drawn. The answer, [`SunAnswer`], holds the hours of direct sun on a
//! grid over the plot (as `plotwise sun --grid-m` computes them) with a summary per zone, and
//! the buildings' shadows at moments through the window, all in the layout's local metres
//! (x east, y north).
//!
//! A plot without a geographic position (drawn in plain metres) is answered 422 with the code
//! `no_location`, a grid of too many cells 422 `too_many_cells`, a window that does not read
//! 400 `bad_window`; each with the message in English and Chinese.

use serde::{Deserialize, Serialize};

/// The most cells of a grid over the plot's bounding box that `POST /api/sun` measures; a
/// larger grid is refused (`too_many_cells`), and the editor picks a coarser cell first.
pub const SUN_MAX_CELLS: u64 = 500_000;

/// The cells of a grid of `cell_m` over a bounding box of `width_m` × `height_m`, as the
/// server counts them against [`SUN_MAX_CELLS`] (an upper bound of the cells measured).
pub fn sun_bounding_cells(width_m: f64, height_m: f64, cell_m: f64) -> u64 {
    let along = |len: f64| (len / cell_m).floor() + 1.0;
    (along(width_m) * along(height_m)).min(u64::MAX as f64) as u64
}

/// The query of `POST /api/sun`. Every field may be left out: the window is then the default
/// rule set's standard day for the sunlight rules (大寒 of the design year, 08:00–16:00 true
/// solar time, Beijing time's offset, 1-minute steps), the cell 0.5 m and a shadow every 15
/// minutes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SunQuery {
    /// The grid's cell, m (> 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell_m: Option<f64>,
    /// Minutes between the shadows answered (a multiple of `step_min` dividing the window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_min: Option<u32>,
    /// The day, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Start of the window, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// End of the window, `HH:MM` (excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The clock of `from` and `to`: `solar` (true solar time) or `standard`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
    /// The zone's offset from UTC, `+08:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset: Option<String>,
    /// Length of a sample, whole minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_min: Option<u32>,
}

/// The answer of `POST /api/sun`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunAnswer {
    /// The day and window used.
    pub window: SunWindowInfo,
    /// A spot counts as sunlit with at least this many hours (the sunlight rules' 2 h).
    pub min_hours: f64,
    /// Where the window and the threshold come from (the rule set's source).
    pub source: String,
    /// Hours of direct sun over the plot.
    pub grid: SunGridCells,
    /// Per zone, in drawing order (zones smaller than a cell are measured at one inside
    /// point).
    pub zones: Vec<SunZone>,
    /// The shadows at moments through the window, in time order.
    pub frames: Vec<SunFrame>,
}

/// The day and window of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunWindowInfo {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Whether the day is 大寒 (Greater Cold), the sunlight rules' standard day.
    pub dahan: bool,
    /// Start, `HH:MM` on `clock`.
    pub from: String,
    /// End, `HH:MM` on `clock` (excluded).
    pub to: String,
    /// `solar` or `standard`.
    pub clock: String,
    /// The zone's offset from UTC, `+08:00`.
    pub utc_offset: String,
    /// Length of a sample, minutes.
    pub step_min: u32,
    /// True solar time minus standard time at the plot that day, minutes.
    pub solar_minus_standard_min: f64,
    /// Minutes of sun a spot that nothing shades gets in the window (the sun may rise after
    /// the window starts).
    pub full_sun_min: u32,
}

/// Hours of direct sun on the centres of the square cells of a grid over the plot.
///
/// The grid is aligned on the south-west corner `(x0, y0)` of the plot's bounding box: cell
/// `(i, j)` spans `x0 + i·cell_m … x0 + (i+1)·cell_m` east and likewise north, and is measured
/// at its centre. Only cells whose centre lies in the plot are listed, row by row from the
/// south.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunGridCells {
    /// The cell's side, m.
    pub cell_m: f64,
    /// East coordinate of the grid's origin, local m.
    pub x0: f64,
    /// North coordinate of the grid's origin, local m.
    pub y0: f64,
    /// The number of cells in the plot.
    pub cells: u32,
    /// The rows that hold cells, from the south.
    pub rows: Vec<SunRow>,
}

/// One row of a grid: the cells from its first to its last in the plot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SunRow {
    /// The row's index `j` (north of the origin).
    pub j: u32,
    /// The column `i` of the row's first cell.
    pub i0: u32,
    /// Minutes of direct sun at each cell from column `i0` east; `null` for a cell whose
    /// centre is outside the plot (a notch of the boundary).
    pub sun_min: Vec<Option<u32>>,
}

/// The sun a zone gets, over the grid's cell centres in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunZone {
    /// The zone's id.
    pub id: String,
    /// Its kind (`seating`, `planting`, …).
    pub kind: String,
    /// The points measured.
    pub points: u32,
    /// Mean hours.
    pub mean_sun_hours: f64,
    /// Least hours.
    pub min_sun_hours: f64,
    /// Most hours.
    pub max_sun_hours: f64,
    /// The hours at least half of the zone gets (the median).
    pub median_sun_hours: f64,
}

/// The buildings' shadows at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunFrame {
    /// The moment in true solar time, minutes after midnight: the start of the window's
    /// sample shown (the sun is taken at the sample's middle, half a step later).
    pub solar_min: f64,
    /// The same moment in standard time at the window's UTC offset (Beijing time by
    /// default), minutes after midnight.
    pub standard_min: f64,
    /// The sun's apparent elevation, degrees (no shadow when ≤ 0: the sun is down).
    pub elevation_deg: f64,
    /// The sun's azimuth, degrees clockwise from true north.
    pub azimuth_deg: f64,
    /// The shadow on the ground: polygons, each a list of rings (the outer ring first, then
    /// holes), each a list of `[x, y]` points in local metres (centimetres).
    pub shadow: Vec<Vec<Vec<[f64; 2]>>>,
}
