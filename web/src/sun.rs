//! The sun view's state, as plain data: whether it is open, the last answer of the server
//! (`POST /api/sun`: hours of sun on a grid, the buildings' shadows through the standard
//! day), the request in flight, and the moment the time slider shows.
//!
//! The server computes (plan's sun code, the one the CLI and the server's check run; on a
//! slow phone the same work in the page would hold frames for a drag), so a drag never waits
//! for it: at most one request is in flight; a layout that changes meanwhile waits, and only
//! the newest one is sent when the answer comes (a throttle as fast as the server answers).
//! The last answer stays on screen until the next one arrives, and an answer to a request
//! that is not the one in flight is dropped. Only what changes the answer (the plot with its buildings, the zones)
//! makes a request: moving a bench does not. No yew and no network: the app sends
//! [`SunView::request`] and hands the answer back ([`SunView::answered`]); tests drive it
//! natively.

use std::rc::Rc;

use plotwise_api::SunAnswer;
use plotwise_plan::Text;
use plotwise_plan::model::Layout;

/// The cells the view asks for, m: the sunlight rules' 0.5 m, or coarser for a plot so large
/// that the grid over its bounding box would pass the server's limit
/// ([`plotwise_api::SUN_MAX_CELLS`], counted as the server counts).
pub fn cell_for(layout: &Layout) -> f64 {
    let r = layout.plot.outline.bounding_rect();
    [0.5, 1.0, 2.0, 5.0]
        .into_iter()
        .find(|&c| {
            plotwise_api::sun_bounding_cells(r.width(), r.height(), c)
                <= plotwise_api::SUN_MAX_CELLS
        })
        .unwrap_or(10.0)
}

/// Whether the sun view of `a` and of `b` are the same: the plot (boundary, position,
/// buildings) and the zones are (elements neither cast shadow nor are measured).
pub fn same_sun(a: &Layout, b: &Layout) -> bool {
    std::ptr::eq(a, b) || (a.plot == b.plot && a.zones == b.zones)
}

/// A request to send: its number and the layout.
#[derive(Debug, Clone, PartialEq)]
pub struct SunRequest {
    /// Its number (an answer carries it back).
    pub seq: u64,
    /// The layout to measure.
    pub layout: Rc<Layout>,
    /// The grid's cell, m.
    pub cell_m: f64,
}

/// The sun view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SunView {
    /// Whether it is shown.
    pub open: bool,
    /// The last answer (kept while the next is computed).
    pub answer: Option<Rc<SunAnswer>>,
    /// Why the last request failed (in both languages), until one succeeds.
    pub error: Option<Text>,
    /// The request in flight.
    pub request: Option<SunRequest>,
    /// The moment shown: an index into the answer's frames.
    pub frame: usize,
    /// The newest layout, waiting for the request in flight to come back.
    waiting: Option<Rc<Layout>>,
    /// The layout last sent.
    asked: Option<Rc<Layout>>,
    seq: u64,
}

impl SunView {
    /// Opens the view on `layout` (asks for it unless the answer shown is already its).
    pub fn show(&mut self, layout: &Rc<Layout>) {
        self.open = true;
        self.follow(layout);
    }

    /// The layout shown changed (an edit, a drag's preview): ask for it when it changes the
    /// answer, now or when the request in flight comes back.
    pub fn follow(&mut self, layout: &Rc<Layout>) {
        if !self.open || self.asked.as_ref().is_some_and(|a| same_sun(a, layout)) {
            self.waiting = None;
            return;
        }
        if self.request.is_some() {
            self.waiting = Some(layout.clone());
        } else {
            self.seq += 1;
            self.request = Some(SunRequest {
                seq: self.seq,
                layout: layout.clone(),
                cell_m: cell_for(layout),
            });
            self.asked = Some(layout.clone());
        }
    }

    /// The answer to request `seq` has come: shown if it is the request in flight, dropped
    /// otherwise; then the layout waiting, if any, is asked for.
    pub fn answered(&mut self, seq: u64, result: Result<Rc<SunAnswer>, Text>) {
        if self.request.as_ref().map(|r| r.seq) != Some(seq) {
            return;
        }
        self.request = None;
        match result {
            Ok(a) => {
                self.frame = self.frame.min(a.frames.len().saturating_sub(1));
                self.answer = Some(a);
                self.error = None;
            }
            Err(why) => self.error = Some(why),
        }
        if let Some(next) = self.waiting.take() {
            self.follow(&next);
        }
    }

    /// Shows the shadows of frame `i` (kept within the answer's frames).
    pub fn set_frame(&mut self, i: usize) {
        let n = self.answer.as_ref().map_or(0, |a| a.frames.len());
        self.frame = i.min(n.saturating_sub(1));
    }

    /// Whether a newer answer is being computed.
    pub fn busy(&self) -> bool {
        self.request.is_some()
    }
}

/// What changes the sun view (the sun page's reducer).
#[derive(Debug, Clone)]
pub enum SunAction {
    /// The layout shown changed (an edit, a drag's preview, undo).
    Follow(Rc<Layout>),
    /// The server's answer to request `seq` (or why there is none).
    Answered(u64, Result<Rc<SunAnswer>, Text>),
    /// Show the shadows of frame `i`.
    Frame(usize),
}

impl SunView {
    /// The view open on `layout` (its first request made).
    pub fn open_on(layout: &Rc<Layout>) -> SunView {
        let mut v = SunView::default();
        v.show(layout);
        v
    }

    /// Applies `action`.
    pub fn apply(&mut self, action: SunAction) {
        match action {
            SunAction::Follow(layout) => self.follow(&layout),
            SunAction::Answered(seq, result) => self.answered(seq, result),
            SunAction::Frame(i) => self.set_frame(i),
        }
    }
}

/// The colour band of `minutes` of sun: whole hours, the last band closed (`full`, the
/// minutes of a spot in full sun, falls in it).
pub fn band(minutes: u32, bands: u32) -> u32 {
    (minutes / 60).min(bands.saturating_sub(1))
}

/// The number of one-hour bands of a legend for a window whose full sun is `full_min`.
pub fn bands(full_min: u32) -> u32 {
    full_min.div_ceil(60).clamp(1, 12)
}

/// `HH:MM` of minutes after midnight, rounded to the minute.
pub fn clock(minutes: f64) -> String {
    let m = minutes.round().rem_euclid(24.0 * 60.0) as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Reads the server's answer, the JSON of plotwise-api's [`SunAnswer`], with its serde
/// reader (a field missing or of the wrong type is an error naming it).
pub fn decode(text: &str) -> Result<SunAnswer, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A building's height typed in: a number of metres above 0 (a comma is a decimal point).
pub fn parse_height(typed: &str) -> Option<f64> {
    let v: f64 = typed.trim().replace(',', ".").parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Coord;
    use plotwise_api::{SunRow, SunZone};
    use plotwise_plan::model::Building;
    use plotwise_plan::{Element, Outline, Plot};

    fn layout(w: f64) -> Rc<Layout> {
        let o = Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: w, y: 10.0 }).unwrap();
        Rc::new(Layout::new(Plot::new("plot", o)))
    }

    fn with_building(l: &Layout, y: f64) -> Rc<Layout> {
        let mut l = l.clone();
        let o = Outline::rect(Coord { x: 0.0, y: y - 5.0 }, Coord { x: 10.0, y }).unwrap();
        l.plot.buildings = vec![Building::new("building-1", o, 18.0)];
        Rc::new(l)
    }

    fn answer(frames: usize) -> Rc<SunAnswer> {
        let frame = plotwise_api::SunFrame {
            solar_min: 480.0,
            standard_min: 485.0,
            elevation_deg: 10.0,
            azimuth_deg: 130.0,
            shadow: vec![],
        };
        Rc::new(SunAnswer {
            window: plotwise_api::SunWindowInfo {
                date: "2026-01-20".into(),
                dahan: true,
                from: "08:00".into(),
                to: "16:00".into(),
                clock: "solar".into(),
                utc_offset: "+08:00".into(),
                step_min: 1,
                solar_minus_standard_min: -5.0,
                full_sun_min: 480,
            },
            min_hours: 2.0,
            source: String::new(),
            grid: plotwise_api::SunGridCells {
                cell_m: 0.5,
                x0: 0.0,
                y0: 0.0,
                cells: 0,
                rows: vec![],
            },
            zones: vec![],
            frames: vec![frame; frames],
        })
    }

    fn seq(v: &SunView) -> u64 {
        v.request.as_ref().expect("a request in flight").seq
    }

    #[test]
    fn closed_it_asks_nothing_opened_it_asks_once() {
        let l = layout(10.0);
        let mut v = SunView::default();
        v.follow(&l);
        assert!(v.request.is_none());
        v.show(&l);
        assert_eq!(seq(&v), 1);
        assert_eq!(v.request.as_ref().unwrap().cell_m, 0.5);
        v.answered(1, Ok(answer(32)));
        assert!(v.answer.is_some() && !v.busy());
        // The same layout again (a redraw, an undone change): nothing to ask.
        v.follow(&l);
        v.show(&l);
        assert!(v.request.is_none());
    }

    #[test]
    fn while_dragging_one_request_is_in_flight_and_only_the_newest_layout_follows() {
        let l = layout(10.0);
        let mut v = SunView::default();
        v.show(&l);
        // A building dragged over six frames while the first answer is computed.
        for y in 1..=6 {
            v.follow(&with_building(&l, -f64::from(y)));
        }
        assert_eq!(seq(&v), 1, "no second request while one is in flight");
        v.answered(1, Ok(answer(32)));
        // The answer is shown and the newest layout (y = -6) is asked for, once.
        assert!(v.answer.is_some());
        assert_eq!(seq(&v), 2);
        let asked = &v.request.as_ref().unwrap().layout;
        let top = asked.plot.buildings[0].outline.bounding_rect().max().y;
        assert_eq!(top, -6.0);
        // The last answer stays on screen while the next is computed.
        v.follow(&with_building(&l, -7.0));
        assert!(v.answer.is_some() && v.busy());
        v.answered(2, Ok(answer(32)));
        assert_eq!(seq(&v), 3);
        v.answered(3, Ok(answer(32)));
        assert!(!v.busy());
    }

    #[test]
    fn answers_to_no_request_in_flight_are_dropped() {
        let l = layout(10.0);
        let mut v = SunView::default();
        v.show(&l);
        // An answer that is not the one awaited (a stray or repeated one) changes nothing.
        v.answered(7, Ok(answer(5)));
        assert!(v.answer.is_none() && v.busy());
        v.answered(1, Ok(answer(32)));
        v.answered(1, Ok(answer(5)));
        assert_eq!(v.answer.as_ref().unwrap().frames.len(), 32);
        assert!(!v.busy());
    }

    #[test]
    fn moving_a_bench_changes_nothing_the_sun_view_shows() {
        let l = layout(10.0);
        let mut v = SunView::default();
        v.show(&l);
        v.answered(1, Ok(answer(32)));
        let mut b = (*l).clone();
        b.elements
            .push(Element::new("bench-1", "bench", Coord { x: 5.0, y: 5.0 }));
        v.follow(&Rc::new(b));
        assert!(v.request.is_none());
        v.follow(&with_building(&l, -1.0));
        assert!(v.request.is_some());
    }

    #[test]
    fn a_failure_is_said_and_the_last_answer_kept() {
        let l = layout(10.0);
        let mut v = SunView::default();
        v.show(&l);
        v.answered(1, Ok(answer(32)));
        v.set_frame(40);
        assert_eq!(v.frame, 31, "kept within the frames");
        v.follow(&with_building(&l, -1.0));
        v.answered(2, Err(Text::new("busy", "忙")));
        assert_eq!(v.error.as_ref().unwrap().en, "busy");
        assert!(v.answer.is_some());
        v.follow(&with_building(&l, -2.0));
        v.answered(3, Ok(answer(8)));
        assert!(v.error.is_none());
        assert_eq!(v.frame, 7, "kept within the new answer's frames");
    }

    #[test]
    fn a_large_plot_gets_larger_cells() {
        assert_eq!(cell_for(&layout(20.0)), 0.5);
        // 1 km × 10 m: 2,001 × 21 cells at 0.5 m, under the limit.
        assert_eq!(cell_for(&layout(1000.0)), 0.5);
        let big = {
            let o = Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: 600.0, y: 600.0 }).unwrap();
            Layout::new(Plot::new("plot", o))
        };
        assert_eq!(cell_for(&big), 1.0);
    }

    #[test]
    fn the_answer_reads_back_what_plotwise_api_writes() {
        let mut a = (*answer(3)).clone();
        a.source = "GB 50180-2018 §4.0.7".into();
        a.grid.cells = 3;
        a.grid.rows = vec![
            SunRow {
                j: 0,
                i0: 2,
                sun_min: vec![Some(480), None, Some(0)],
            },
            SunRow {
                j: 4,
                i0: 0,
                sun_min: vec![Some(121)],
            },
        ];
        a.zones = vec![SunZone {
            id: "seating-1".into(),
            kind: "seating".into(),
            points: 12,
            mean_sun_hours: 3.25,
            min_sun_hours: 1.0,
            max_sun_hours: 6.5,
            median_sun_hours: 3.5,
        }];
        a.frames[1].shadow = vec![vec![
            vec![[0.0, -1.5], [10.25, -1.5], [10.25, -30.0], [0.0, -1.5]],
            vec![[2.0, -3.0], [3.0, -3.0], [3.0, -4.0], [2.0, -3.0]],
        ]];
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(decode(&json).unwrap(), a);
        // A field missing or of the wrong type is an error, not a panic.
        assert!(decode(&json.replace("\"min_hours\"", "\"max_hours\"")).is_err());
        assert!(decode(&json.replace("\"j\":4", "\"j\":-4")).is_err());
        assert!(decode("[1, 2]").is_err() && decode("not json").is_err());
    }

    #[test]
    fn bands_clocks_and_heights() {
        assert_eq!(bands(480), 8);
        assert_eq!(
            (band(0, 8), band(119, 8), band(120, 8), band(480, 8)),
            (0, 1, 2, 7)
        );
        assert_eq!(clock(485.4), "08:05");
        assert_eq!(clock(479.6), "08:00");
        assert_eq!(parse_height(" 18 "), Some(18.0));
        assert_eq!(parse_height("16,5"), Some(16.5));
        for bad in ["0", "-3", "", "abc", "NaN", "inf"] {
            assert_eq!(parse_height(bad), None, "{bad}");
        }
    }
}
