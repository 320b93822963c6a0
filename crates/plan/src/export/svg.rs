//! The SVG board: the layout drawn to scale on paper, with legend, scale bar, north arrow and
//! title block.
//!
//! The SVG's size is the paper's in millimetres (`width="420mm"`, `viewBox="0 0 420 297"`),
//! so one user unit is one millimetre on paper and the drawing prints to scale. The scale is
//! the largest of [`STANDARD_SCALES`] at which everything drawn fits the drawing area, or the
//! one asked for. Local y points north, so north is up.
//!
//! Every string that comes from a user (title, author, names, notes, ids, findings) is
//! escaped with [`xml_escape`]. Text uses a font-family list with CJK fallbacks
//! ([`FONT_FAMILY`]); labels are bilingual (zh-CN first, then English).

use std::fmt::Write;

use geo::{
    Area, BoundingRect, Centroid, Coord, Geometry, LineString, MultiPolygon, Point, Polygon, Rect,
};

use super::{ExportError, entrance_opening, xml_escape};
use crate::catalogue::{Catalogue, Footprint};
use crate::geom::{circle, oriented_rect};
use crate::metrics::{Metrics, metrics};
use crate::model::{Layout, PlotKind};
use crate::palette::{ZoneColours, zone_colours};
use crate::rules::{Finding, RuleSet, Severity};
use crate::sun::SunGrid;

/// The font-family list used for every text: CJK faces first, then the generic fallback.
pub const FONT_FAMILY: &str =
    "'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

/// The scales tried, largest first (denominators). 1:5000 is the last resort for long plots
/// such as a 1 km strip on A3.
pub const STANDARD_SCALES: [u32; 7] = [50, 100, 200, 500, 1000, 2000, 5000];

/// ISO 216 paper sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaperSize {
    /// 297 × 210 mm.
    A4,
    /// 420 × 297 mm.
    A3,
    /// 594 × 420 mm.
    A2,
    /// 841 × 594 mm.
    A1,
    /// 1189 × 841 mm.
    A0,
}

/// A sheet of paper: size and orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paper {
    /// The ISO size.
    pub size: PaperSize,
    /// Landscape (long side horizontal) or portrait.
    pub landscape: bool,
}

impl Default for Paper {
    /// A3 landscape.
    fn default() -> Self {
        Paper {
            size: PaperSize::A3,
            landscape: true,
        }
    }
}

impl Paper {
    /// Width and height in millimetres.
    pub fn dimensions_mm(self) -> (f64, f64) {
        let (long, short) = match self.size {
            PaperSize::A4 => (297.0, 210.0),
            PaperSize::A3 => (420.0, 297.0),
            PaperSize::A2 => (594.0, 420.0),
            PaperSize::A1 => (841.0, 594.0),
            PaperSize::A0 => (1189.0, 841.0),
        };
        if self.landscape {
            (long, short)
        } else {
            (short, long)
        }
    }

    /// `A3 landscape`.
    pub fn name(self) -> String {
        format!(
            "{:?} {}",
            self.size,
            if self.landscape {
                "landscape"
            } else {
                "portrait"
            }
        )
    }

    /// `A3 横向`.
    pub fn name_zh(self) -> String {
        format!(
            "{:?} {}",
            self.size,
            if self.landscape { "横向" } else { "纵向" }
        )
    }
}

/// What to draw and how. The default: A3 landscape, the scale that fits, no date, no
/// findings, the built-in catalogue and rule set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoardOptions {
    /// The paper (default A3 landscape).
    pub paper: Paper,
    /// A scale denominator (200 for 1:200), or `None` to pick the largest standard scale that
    /// fits.
    pub scale: Option<u32>,
    /// The date to print in the title block (any text, e.g. `2026-11-22`); `None` leaves a
    /// blank to fill in by hand.
    pub date: Option<String>,
    /// Findings to highlight (numbered on the plan and listed in the panel); empty for none.
    pub findings: Vec<Finding>,
    /// The catalogue that gives element footprints and prices.
    pub catalogue: Catalogue,
    /// The rule set the metrics summary is measured with (reachability).
    pub rules: RuleSet,
    /// Hours of direct sun to draw as a layer over the zones ([`crate::sun::grid`]), with
    /// its legend; `None` for no sun layer.
    pub sun: Option<SunGrid>,
}

/// Colour classes of the sun-hours layer: (upper bound in hours, exclusive; fill; legend).
pub const SUN_CLASSES: [(f64, &str, &str); 5] = [
    (1.0, "#2f3e75", "< 1 h"),
    (2.0, "#6b7fc4", "1–2 h"),
    (4.0, "#f2d16b", "2–4 h"),
    (6.0, "#f5a442", "4–6 h"),
    (f64::INFINITY, "#e8702a", "≥ 6 h"),
];

fn sun_class(hours: f64) -> &'static str {
    SUN_CLASSES
        .iter()
        .find(|(max, _, _)| hours + 1e-9 < *max)
        .map_or(SUN_CLASSES[4].1, |c| c.1)
}

/// The largest standard scale (smallest denominator) at which `layout` fits the drawing area
/// of `paper`, or `None` when even 1:5000 is too small.
pub fn fit_scale(layout: &Layout, paper: Paper, catalogue: &Catalogue) -> Option<u32> {
    let ext = extent(layout, catalogue);
    let area = Frame::new(paper).drawing;
    STANDARD_SCALES.into_iter().find(|&s| fits(&ext, &area, s))
}

/// The board as an SVG document (UTF-8 text), sized in millimetres to print to scale.
///
/// # Errors
/// [`ExportError::DoesNotFit`] when the layout does not fit the paper at the requested scale
/// (or at any standard scale); [`ExportError::BadScale`] for a zero denominator.
///
/// # Examples
/// ```
/// use plotwise_plan::export::svg::{board_svg, BoardOptions};
/// let layout = plotwise_plan::import::geojson::import_layout(
///     plotwise_plan::samples::sample("lantian-rest").unwrap().geojson(),
/// ).unwrap();
/// let svg = board_svg(&layout, &BoardOptions::default()).unwrap();
/// assert!(svg.contains(r#"width="420mm""#) && svg.contains("1:50"));
/// ```
pub fn board_svg(layout: &Layout, options: &BoardOptions) -> Result<String, ExportError> {
    let cat = &options.catalogue;
    let frame = Frame::new(options.paper);
    let ext = extent(layout, cat);
    let scale = match options.scale {
        Some(0) => return Err(ExportError::BadScale(0)),
        Some(s) if fits(&ext, &frame.drawing, s) => s,
        Some(s) => {
            return Err(ExportError::DoesNotFit {
                width_m: ext.width(),
                height_m: ext.height(),
                paper: options.paper.name(),
                scale: Some(s),
            });
        }
        None => STANDARD_SCALES
            .into_iter()
            .find(|&s| fits(&ext, &frame.drawing, s))
            .ok_or_else(|| ExportError::DoesNotFit {
                width_m: ext.width(),
                height_m: ext.height(),
                paper: options.paper.name(),
                scale: None,
            })?,
    };
    let k = 1000.0 / f64::from(scale);
    let map = Map {
        k,
        world: ext.center(),
        paper: frame.drawing.center(),
    };
    let mut b = Board {
        out: String::with_capacity(64 * 1024),
        map,
    };
    b.document(layout, options, &frame, scale);
    Ok(b.out)
}

/// The page's regions, mm.
struct Frame {
    w: f64,
    h: f64,
    margin: f64,
    drawing: Rect<f64>,
    panel: Rect<f64>,
}

impl Frame {
    fn new(paper: Paper) -> Self {
        let (w, h) = paper.dimensions_mm();
        let margin = if w.min(h) < 250.0 { 8.0 } else { 10.0 };
        let panel_w = (w * 0.27).clamp(88.0, 150.0);
        let drawing = Rect::new(
            Coord {
                x: margin + 6.0,
                y: margin + 6.0,
            },
            Coord {
                x: w - margin - panel_w - 6.0,
                y: h - margin - 24.0,
            },
        );
        let panel = Rect::new(
            Coord {
                x: w - margin - panel_w,
                y: margin,
            },
            Coord {
                x: w - margin,
                y: h - margin,
            },
        );
        Frame {
            w,
            h,
            margin,
            drawing,
            panel,
        }
    }
}

fn fits(ext: &Rect<f64>, area: &Rect<f64>, scale: u32) -> bool {
    let k = 1000.0 / f64::from(scale);
    ext.width() * k <= area.width() && ext.height() * k <= area.height()
}

/// Everything drawn, in local metres.
fn extent(layout: &Layout, cat: &Catalogue) -> Rect<f64> {
    let mut r = layout.plot.outline.bounding_rect();
    let mut grow = |o: Rect<f64>| {
        r = Rect::new(
            Coord {
                x: r.min().x.min(o.min().x),
                y: r.min().y.min(o.min().y),
            },
            Coord {
                x: r.max().x.max(o.max().x),
                y: r.max().y.max(o.max().y),
            },
        );
    };
    for z in &layout.zones {
        grow(z.outline.bounding_rect());
    }
    for n in &layout.plot.no_build {
        grow(n.outline.bounding_rect());
    }
    for t in &layout.plot.keep_trees {
        let rad = t.canopy_radius_m.max(t.protect_radius_m);
        grow(Rect::new(
            Coord {
                x: t.position.x - rad,
                y: t.position.y - rad,
            },
            Coord {
                x: t.position.x + rad,
                y: t.position.y + rad,
            },
        ));
    }
    for e in &layout.elements {
        if let Some(fp) = cat.footprint(e).and_then(|p| p.bounding_rect()) {
            grow(fp);
        } else {
            grow(Rect::new(e.position, e.position));
        }
    }
    for e in &layout.plot.entrances {
        grow(Rect::new(e.position, e.position));
    }
    r
}

/// Local metres → paper millimetres.
#[derive(Clone, Copy)]
struct Map {
    /// mm on paper per metre on the ground.
    k: f64,
    world: Coord<f64>,
    paper: Coord<f64>,
}

impl Map {
    fn pt(&self, c: Coord<f64>) -> (f64, f64) {
        (
            self.paper.x + (c.x - self.world.x) * self.k,
            self.paper.y - (c.y - self.world.y) * self.k,
        )
    }
}

/// A number in mm with at most two decimals, without a trailing `.0`.
fn n(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        "0".to_owned()
    } else {
        format!("{r}")
    }
}

/// Square metres with one decimal and thousands separators.
fn m2(v: f64) -> String {
    group(format!("{v:.1}"))
}

fn group(s: String) -> String {
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (&s[..], ""),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}{frac}")
}

/// The approximate advance of a character, in ems (CJK full width, Latin about half).
fn char_em(c: char) -> f64 {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 => 1.0,
        _ if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.62,
        _ if c == ' ' || c == 'i' || c == 'l' || c == '.' || c == ',' => 0.3,
        _ => 0.54,
    }
}

/// Splits `text` into lines no wider than `width` mm at `size` mm, at spaces where possible.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let max = width / size;
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0.0;
    let mut last_space: Option<usize> = None;
    for c in text.chars() {
        let cw = char_em(c);
        if w + cw > max && !line.is_empty() {
            match last_space {
                Some(i) if i > 0 => {
                    let rest = line[i + 1..].to_owned();
                    line.truncate(i);
                    lines.push(std::mem::take(&mut line));
                    line = rest;
                    w = line.chars().map(char_em).sum();
                }
                _ => {
                    lines.push(std::mem::take(&mut line));
                    w = 0.0;
                }
            }
            last_space = None;
            if c == ' ' {
                continue;
            }
        }
        if c == ' ' {
            last_space = Some(line.len());
        }
        line.push(c);
        w += cw;
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts `text` to one line of at most `width` mm at `size` mm, with an ellipsis.
fn clip(text: &str, width: f64, size: f64) -> String {
    let max = width / size;
    let mut w = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        w += char_em(c);
        if w > max - 1.0 {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

fn ring_path(out: &mut String, map: &Map, ring: &LineString<f64>) {
    for (i, c) in ring.0.iter().enumerate() {
        let (x, y) = map.pt(*c);
        let _ = write!(out, "{}{} {}", if i == 0 { "M" } else { "L" }, n(x), n(y));
    }
    out.push('Z');
}

fn poly_path(map: &Map, polys: &[Polygon<f64>]) -> String {
    let mut d = String::new();
    for p in polys {
        ring_path(&mut d, map, p.exterior());
        for r in p.interiors() {
            ring_path(&mut d, map, r);
        }
    }
    d
}

struct Board {
    out: String,
    map: Map,
}

impl Board {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A text element; `text` is escaped here.
    fn text(&mut self, x: f64, y: f64, size: f64, attrs: &str, text: &str) {
        let _ = writeln!(
            self.out,
            r#"<text x="{}" y="{}" font-size="{}"{}{}>{}</text>"#,
            n(x),
            n(y),
            n(size),
            if attrs.is_empty() { "" } else { " " },
            attrs,
            xml_escape(text)
        );
    }

    fn document(&mut self, layout: &Layout, opt: &BoardOptions, f: &Frame, scale: u32) {
        let _ = writeln!(
            self.out,
            r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" fill="#1d1d1b">"##,
            w = n(f.w),
            h = n(f.h)
        );
        let title = board_title(layout);
        let _ = writeln!(self.out, "<title>{}</title>", xml_escape(&title));
        let _ = writeln!(
            self.out,
            r#"<desc>Plotwise board, scale 1:{scale} on {} (1 unit = 1 mm on paper)</desc>"#,
            opt.paper.name()
        );
        self.w(r##"<defs><pattern id="pw-hatch" patternUnits="userSpaceOnUse" width="1.6" height="1.6" patternTransform="rotate(45)"><rect width="1.6" height="1.6" fill="#fbe3e3"/><line x1="0" y1="0" x2="0" y2="1.6" stroke="#c1121f" stroke-width="0.3"/></pattern></defs>"##);
        if !layout.plot.buildings.is_empty() || opt.sun.is_some() {
            // Buildings around the plot and the sun layer may reach past the drawing area.
            let _ = writeln!(
                self.out,
                r#"<defs><clipPath id="pw-drawing"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
                n(f.drawing.min().x),
                n(f.drawing.min().y),
                n(f.drawing.width()),
                n(f.drawing.height())
            );
        }
        let _ = writeln!(
            self.out,
            r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            n(f.w),
            n(f.h)
        );
        let _ = writeln!(
            self.out,
            r##"<rect x="{m}" y="{m}" width="{}" height="{}" fill="none" stroke="#1d1d1b" stroke-width="0.5"/>"##,
            n(f.w - 2.0 * f.margin),
            n(f.h - 2.0 * f.margin),
            m = n(f.margin)
        );
        let _ = writeln!(
            self.out,
            r##"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="#1d1d1b" stroke-width="0.35"/>"##,
            n(f.panel.min().y),
            n(f.panel.max().y),
            x = n(f.panel.min().x)
        );
        self.plan(layout, opt);
        self.north_arrow(f);
        self.scale_bar(f, scale, opt.paper);
        self.panel(layout, opt, f, scale, &title);
        self.w("</svg>");
    }

    fn plan(&mut self, layout: &Layout, opt: &BoardOptions) {
        let map = self.map;
        let plot = &layout.plot;
        let k = map.k;
        // Strokes scale a little with the drawing, within limits that print well.
        let thin = (0.02 * k).clamp(0.1, 0.25);

        self.w(r#"<g id="plan">"#);
        let _ = writeln!(
            self.out,
            r##"<path id="plot" data-id="{}" d="{}" fill="#f6f3ec" fill-rule="evenodd" stroke="none"/>"##,
            xml_escape(plot.id.as_str()),
            poly_path(&map, &plot.outline.multi_polygon().0)
        );

        if !plot.buildings.is_empty() {
            // Buildings around the plot (they cast the shadows of the sun analysis), under
            // everything else, with their height.
            self.w(r#"<g id="buildings" clip-path="url(#pw-drawing)">"#);
            for b in &plot.buildings {
                let mp = b.outline.multi_polygon();
                let (x, y) = map.pt(label_point(mp));
                let name = b
                    .name_zh
                    .as_deref()
                    .or(b.name.as_deref())
                    .unwrap_or(b.id.as_str());
                let _ = writeln!(
                    self.out,
                    r##"<g data-id="{id}" data-height="{h}"><path d="{}" fill="#d9d4cb" fill-rule="evenodd" stroke="#5c5c5c" stroke-width="{}"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#5c5c5c">{} {h} m</text></g>"##,
                    poly_path(&map, &mp.0),
                    n(thin * 1.5),
                    n(x),
                    n(y),
                    n((0.8 * k).clamp(1.8, 3.0)),
                    xml_escape(name),
                    id = xml_escape(b.id.as_str()),
                    h = trim_num(b.height_m)
                );
            }
            self.w("</g>");
        }

        self.w(r#"<g id="zones">"#);
        for z in &layout.zones {
            let ZoneColours { fill, stroke } = zone_colours(z.kind);
            let _ = writeln!(
                self.out,
                r#"<path data-id="{}" data-kind="{}" d="{}" fill="{fill}" fill-rule="evenodd" stroke="{stroke}" stroke-width="{}"/>"#,
                xml_escape(z.id.as_str()),
                z.kind.key(),
                poly_path(&map, &z.outline.multi_polygon().0),
                n(thin)
            );
        }
        self.w("</g>");

        if let Some(grid) = &opt.sun {
            self.w(r#"<g id="sun-hours" clip-path="url(#pw-drawing)" fill-opacity="0.6">"#);
            let side = grid.cell_m * k;
            for c in &grid.cells {
                let (x, y) = map.pt(c.centre);
                let _ = writeln!(
                    self.out,
                    r#"<rect x="{}" y="{}" width="{s}" height="{s}" fill="{}" data-h="{}"/>"#,
                    n(x - side / 2.0),
                    n(y - side / 2.0),
                    sun_class(c.sun_hours),
                    trim_num(c.sun_hours),
                    s = n(side)
                );
            }
            self.w("</g>");
        }

        self.w(r#"<g id="no-build">"#);
        for nb in &plot.no_build {
            let _ = writeln!(
                self.out,
                r##"<path data-id="{}" d="{}" fill="url(#pw-hatch)" fill-rule="evenodd" stroke="#c1121f" stroke-width="{}"/>"##,
                xml_escape(nb.id.as_str()),
                poly_path(&map, &nb.outline.multi_polygon().0),
                n(thin)
            );
        }
        self.w("</g>");

        // The boundary over the fills.
        let _ = writeln!(
            self.out,
            r##"<path id="plot-boundary" d="{}" fill="none" stroke="#1d1d1b" stroke-width="0.5" stroke-linejoin="round"/>"##,
            poly_path(&map, &plot.outline.multi_polygon().0)
        );

        self.w(r#"<g id="trees">"#);
        for t in &plot.keep_trees {
            let (x, y) = map.pt(t.position);
            let _ = writeln!(
                self.out,
                r##"<g data-id="{}"><circle cx="{x}" cy="{y}" r="{}" fill="#2d6a4f" fill-opacity="0.12" stroke="#2d6a4f" stroke-width="{}" stroke-dasharray="1 0.6"/><circle cx="{x}" cy="{y}" r="{}" fill="none" stroke="#c1121f" stroke-width="{}" stroke-dasharray="0.6 0.4"/><circle cx="{x}" cy="{y}" r="{}" fill="#2d6a4f"/></g>"##,
                xml_escape(t.id.as_str()),
                n(t.canopy_radius_m * k),
                n(thin),
                n(t.protect_radius_m * k),
                n(thin * 1.2),
                n((0.25 * k).max(0.5)),
                x = n(x),
                y = n(y)
            );
        }
        self.w("</g>");

        self.w(r#"<g id="elements">"#);
        for e in &layout.elements {
            let id = xml_escape(e.id.as_str());
            let kind = xml_escape(&e.kind);
            match opt.catalogue.item(&e.kind) {
                Some(item) => {
                    let size = e.size.map(|s| (s.width_m, s.depth_m));
                    let fp = item.footprint_at(e.position, e.rotation_deg, size);
                    if item.clearance_m > 0.0 {
                        let c = item.clearance_m;
                        let clear = match (item.footprint, size) {
                            (Footprint::Rect { .. }, Some((w, d)))
                            | (
                                Footprint::Rect {
                                    width_m: w,
                                    depth_m: d,
                                },
                                None,
                            ) => {
                                oriented_rect(e.position, w + 2.0 * c, d + 2.0 * c, e.rotation_deg)
                            }
                            (Footprint::Circle { .. }, Some((w, _)))
                            | (Footprint::Circle { diameter_m: w }, None) => {
                                circle(e.position, w / 2.0 + c, 24)
                            }
                        };
                        let _ = writeln!(
                            self.out,
                            r##"<path data-clearance-of="{id}" d="{}" fill="none" stroke="#7f5539" stroke-width="{}" stroke-dasharray="0.8 0.5"/>"##,
                            poly_path(&map, &[clear]),
                            n(thin * 0.8)
                        );
                    }
                    let (fill, opacity) = if item.overhead {
                        ("none", "1")
                    } else if item.obstacle {
                        ("#b08968", "0.9")
                    } else {
                        ("#ffffff", "0.6")
                    };
                    let _ = writeln!(
                        self.out,
                        r##"<path data-id="{id}" data-kind="{kind}" d="{}" fill="{fill}" fill-opacity="{opacity}" stroke="#5a3e2b" stroke-width="{}"{}/>"##,
                        poly_path(&map, &[fp]),
                        n(thin * 1.2),
                        if item.overhead {
                            r#" stroke-dasharray="1.2 0.5""#
                        } else {
                            ""
                        }
                    );
                }
                None => {
                    // Not in the catalogue: a marked point, so it is not silently lost.
                    let (x, y) = map.pt(e.position);
                    let _ = writeln!(
                        self.out,
                        r##"<g data-id="{id}" data-kind="{kind}"><circle cx="{}" cy="{}" r="1.2" fill="#ffffff" stroke="#c1121f" stroke-width="0.25"/><text x="{}" y="{}" font-size="1.8" text-anchor="middle" fill="#c1121f">?</text></g>"##,
                        n(x),
                        n(y),
                        n(x),
                        n(y + 0.65)
                    );
                }
            }
        }
        self.w("</g>");

        self.w(r#"<g id="entrances">"#);
        let boundary = plot.outline.multi_polygon();
        for e in &plot.entrances {
            self.entrance(boundary, e.position, e.width_m, e.step_free, e.id.as_str());
        }
        self.w("</g>");

        if !opt.findings.is_empty() {
            self.findings(&opt.findings, plot.area_m2());
        }

        self.labels(layout);
        self.w("</g>");
    }

    fn entrance(
        &mut self,
        boundary: &MultiPolygon<f64>,
        at: Coord<f64>,
        width: f64,
        step_free: bool,
        id: &str,
    ) {
        let map = self.map;
        let colour = if step_free { "#1b7f3b" } else { "#555555" };
        let (x, y) = map.pt(at);
        let _ = write!(self.out, r#"<g data-id="{}">"#, xml_escape(id));
        if let Some(o) = entrance_opening(boundary, at, width) {
            let a = map.pt(o.ends.0);
            let b = map.pt(o.ends.1);
            let _ = write!(
                self.out,
                r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="1.2" stroke-linecap="butt"/>"#,
                n(a.0),
                n(a.1),
                n(b.0),
                n(b.1)
            );
            // An arrow pointing in, 5 mm long on paper; paper y runs down.
            let (qx, qy) = map.pt(o.at);
            let (nx, ny) = (o.inward.x, -o.inward.y);
            let (tx, ty) = (qx + nx * 5.0, qy + ny * 5.0);
            let (bx, by) = (qx + nx * 0.5, qy + ny * 0.5);
            let (px, py) = (-ny, nx);
            let _ = write!(
                self.out,
                r#"<path d="M{} {}L{} {}L{} {}Z" fill="{colour}"/>"#,
                n(tx),
                n(ty),
                n(bx + px * 1.4),
                n(by + py * 1.4),
                n(bx - px * 1.4),
                n(by - py * 1.4)
            );
        } else {
            let _ = write!(
                self.out,
                r#"<circle cx="{}" cy="{}" r="1" fill="{colour}"/>"#,
                n(x),
                n(y)
            );
        }
        self.w("</g>");
    }

    fn findings(&mut self, findings: &[Finding], plot_area: f64) {
        let map = self.map;
        self.w(r#"<g id="findings">"#);
        for (i, f) in findings.iter().enumerate() {
            let colour = severity_colour(f.severity);
            let Some(g) = &f.highlight else { continue };
            let _ = write!(
                self.out,
                r#"<g data-rule="{}" data-ids="{}">"#,
                xml_escape(&f.rule),
                xml_escape(&f.ids.join(" "))
            );
            let mut polys = Vec::new();
            let mut lines = Vec::new();
            let mut points = Vec::new();
            collect(g, &mut polys, &mut lines, &mut points);
            if !polys.is_empty() {
                // A highlight as big as much of the plot (green ratio) is outlined only, so
                // it does not hide the zones' colours.
                let area: f64 = polys.iter().map(|p| p.unsigned_area()).sum();
                let fill = if area > 0.4 * plot_area {
                    r#"fill="none" stroke-dasharray="2 1""#.to_owned()
                } else {
                    format!(r#"fill="{colour}" fill-opacity="0.3" fill-rule="evenodd""#)
                };
                let _ = write!(
                    self.out,
                    r#"<path d="{}" {fill} stroke="{colour}" stroke-width="0.35"/>"#,
                    poly_path(&map, &polys)
                );
            }
            for l in &lines {
                let mut d = String::new();
                for (j, c) in l.0.iter().enumerate() {
                    let (x, y) = map.pt(*c);
                    let _ = write!(d, "{}{} {}", if j == 0 { "M" } else { "L" }, n(x), n(y));
                }
                let _ = write!(
                    self.out,
                    r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="0.8" stroke-opacity="0.8"/>"#
                );
            }
            for p in &points {
                let (x, y) = map.pt(*p);
                let _ = write!(
                    self.out,
                    r#"<circle cx="{}" cy="{}" r="1.5" fill="none" stroke="{colour}" stroke-width="0.5"/>"#,
                    n(x),
                    n(y)
                );
            }
            if let Some(c) = g.centroid() {
                let (x, y) = map.pt(c.0);
                let _ = write!(
                    self.out,
                    r##"<circle cx="{x}" cy="{y}" r="2" fill="{colour}"/><text x="{x}" y="{}" font-size="2.4" text-anchor="middle" fill="#ffffff" font-weight="bold">{}</text>"##,
                    n(y + 0.85),
                    i + 1,
                    x = n(x),
                    y = n(y)
                );
            }
            self.w("</g>");
        }
        self.w("</g>");
    }

    fn labels(&mut self, layout: &Layout) {
        let map = self.map;
        let k = map.k;
        self.w(r#"<g id="labels" text-anchor="middle">"#);
        for z in &layout.zones {
            // Label a zone only when it is big enough on paper to hold the text.
            let paper_area = z.outline.area_m2() * k * k;
            let r = z.outline.bounding_rect();
            if paper_area < 80.0 || r.width() * k < 12.0 || r.height() * k < 5.0 {
                continue;
            }
            let label = z.kind.label();
            let zh = z.name_zh.clone().unwrap_or(label.zh);
            let en = z.name.clone().unwrap_or(label.en);
            let c = label_point(z.outline.multi_polygon());
            let (x, y) = map.pt(c);
            let width = r.width() * k;
            self.text(x, y - 0.3, 2.2, "", &clip(&zh, width, 2.2));
            self.text(
                x,
                y + 2.1,
                1.7,
                r##"fill="#444444""##,
                &clip(&en, width, 1.7),
            );
        }
        for t in &layout.plot.keep_trees {
            let (x, y) = map.pt(t.position);
            let label = match (&t.name_zh, &t.name) {
                (Some(zh), Some(en)) => format!("{zh} {en}"),
                (Some(zh), None) => format!("{zh} kept tree"),
                (None, Some(en)) => format!("保留树 {en}"),
                (None, None) => "保留树 kept tree".to_owned(),
            };
            self.text(
                x,
                y + t.canopy_radius_m * k + 2.2,
                1.7,
                r##"fill="#2d6a4f""##,
                &label,
            );
        }
        for e in &layout.plot.entrances {
            let (x, y) = map.pt(e.position);
            let sf = if e.step_free {
                " · 无障碍 step-free"
            } else {
                ""
            };
            let label = format!("入口 entrance {} m{sf}", trim_num(e.width_m));
            let fill = if e.step_free {
                r##"fill="#1b7f3b""##
            } else {
                r##"fill="#555555""##
            };
            self.text(x, y - 2.2, 1.7, fill, &label);
        }
        self.w("</g>");
    }

    fn north_arrow(&mut self, f: &Frame) {
        let x = f.drawing.max().x - 8.0;
        let y = f.drawing.min().y + 4.0;
        let _ = writeln!(
            self.out,
            r##"<g id="north-arrow"><path d="M{x} {y}L{} {}L{x} {}Z" fill="#1d1d1b"/><path d="M{x} {y}L{} {}L{x} {}Z" fill="#ffffff" stroke="#1d1d1b" stroke-width="0.25"/><text x="{x}" y="{}" font-size="3" text-anchor="middle" font-weight="bold">N 北</text></g>"##,
            n(x + 3.0),
            n(y + 12.0),
            n(y + 9.0),
            n(x - 3.0),
            n(y + 12.0),
            n(y + 9.0),
            n(y + 16.0),
            x = n(x),
            y = n(y)
        );
    }

    fn scale_bar(&mut self, f: &Frame, scale: u32, paper: Paper) {
        let k = 1000.0 / f64::from(scale);
        // The longest round length that is at most 70 mm on paper.
        let nice = [
            1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0,
        ];
        let len = nice
            .iter()
            .rev()
            .copied()
            .find(|l| l * k <= 70.0)
            .unwrap_or(1.0);
        let x0 = f.drawing.min().x;
        let y0 = f.drawing.max().y + 9.0;
        let seg = len * k / 4.0;
        self.w(r#"<g id="scale-bar">"#);
        for i in 0..4 {
            let fill = if i % 2 == 0 { "#1d1d1b" } else { "#ffffff" };
            let _ = writeln!(
                self.out,
                r##"<rect x="{}" y="{}" width="{}" height="1.6" fill="{fill}" stroke="#1d1d1b" stroke-width="0.2"/>"##,
                n(x0 + seg * f64::from(i)),
                n(y0),
                n(seg)
            );
        }
        self.text(x0, y0 - 1.0, 2.2, r#"text-anchor="middle""#, "0");
        self.text(
            x0 + 2.0 * seg,
            y0 - 1.0,
            2.2,
            r#"text-anchor="middle""#,
            &trim_num(len / 2.0),
        );
        self.text(
            x0 + 4.0 * seg,
            y0 - 1.0,
            2.2,
            r#"text-anchor="middle""#,
            &format!("{} m", trim_num(len)),
        );
        self.text(
            x0,
            y0 + 5.6,
            2.6,
            "",
            &format!(
                "比例 Scale 1:{scale}（{}）· 1 mm = {} m",
                paper.name_zh(),
                trim_num(f64::from(scale) / 1000.0)
            ),
        );
        self.w("</g>");
    }

    fn panel(&mut self, layout: &Layout, opt: &BoardOptions, f: &Frame, scale: u32, title: &str) {
        let x = f.panel.min().x + 4.0;
        let width = f.panel.width() - 8.0;
        let bottom = f.panel.max().y - 4.0;
        let mut y = f.panel.min().y + 9.0;
        self.w(r#"<g id="title-block">"#);
        for line in wrap(title, width, 5.0).into_iter().take(3) {
            self.text(x, y, 5.0, r#"font-weight="bold""#, &line);
            y += 6.2;
        }
        let plot = &layout.plot;
        let names = [plot.name_zh.as_deref(), plot.name.as_deref()];
        for name in names.into_iter().flatten() {
            if name != title {
                for line in wrap(name, width, 2.8).into_iter().take(2) {
                    self.text(x, y, 2.8, "", &line);
                    y += 3.6;
                }
            }
        }
        y += 1.0;
        let _ = writeln!(
            self.out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d1d1b" stroke-width="0.25"/>"##,
            n(x),
            n(y),
            n(x + width),
            n(y)
        );
        y += 4.5;
        let kind = match &plot.kind {
            PlotKind::Ground => "地面 ground lot".to_owned(),
            PlotKind::Rooftop(r) => {
                let mut s = "屋顶 rooftop".to_owned();
                if let Some(fl) = r.floor_level {
                    let _ = write!(s, " · {fl}F");
                }
                if let Some(c) = r.declared_slab_capacity_kn_m2 {
                    let _ = write!(s, " · {} kN/m²", trim_num(c));
                }
                s
            }
        };
        let author = if layout.author.is_empty() {
            "______".to_owned()
        } else {
            layout.author.clone()
        };
        let date = opt.date.clone().unwrap_or_else(|| "______".to_owned());
        let summary = metrics(layout, &opt.rules, &opt.catalogue);
        let mut rows: Vec<(String, String)> = vec![
            ("作者 Author".into(), author),
            ("日期 Date".into(), date),
            (
                "比例 Scale".into(),
                format!("1:{scale} · {}", opt.paper.name()),
            ),
            ("地块 Plot".into(), kind),
            (
                "地块面积 Plot area".into(),
                format!("{} m²", m2(plot.area_m2())),
            ),
            (
                "绿地率 Green ratio".into(),
                format!("{:.1} %", summary.green_ratio * 100.0),
            ),
            (
                "透水面积 Permeable".into(),
                format!("{:.1} %", summary.permeable_share * 100.0),
            ),
            ("座位 Seats".into(), summary.seats.to_string()),
            ("元素 Elements".into(), summary.elements.to_string()),
        ];
        if summary.accessible_path_length_m > 0.0 {
            rows.push((
                "无障碍通道 Accessible path".into(),
                format!("{} m", trim_num(summary.accessible_path_length_m)),
            ));
        }
        if let Some(u) = summary.roof_peak_utilisation_pct {
            rows.push(("屋面荷载 Roof load peak".into(), format!("{u:.0} %")));
        }
        if summary.cost.total > 0.0 {
            rows.push((
                if summary.cost.has_estimates {
                    "造价（估算）Cost (est.)".into()
                } else {
                    "造价 Cost".into()
                },
                format!(
                    "{} {}",
                    summary.cost.currency,
                    group(format!("{:.0}", summary.cost.total))
                ),
            ));
        }
        if !opt.findings.is_empty() {
            let errors = opt
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let warnings = opt
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .count();
            rows.push((
                "问题 Findings".into(),
                format!("{errors} 错误 errors · {warnings} 警告 warnings"),
            ));
        }
        let col = x + width * 0.42;
        for (label, value) in &rows {
            self.text(x, y, 2.4, r##"fill="#555555""##, label);
            self.text(col, y, 2.4, "", &clip(value, x + width - col, 2.4));
            y += 3.7;
        }
        if !layout.notes.trim().is_empty() {
            y += 0.8;
            for line in wrap(layout.notes.trim(), width, 2.2).into_iter().take(4) {
                self.text(x, y, 2.2, r##"fill="#444444""##, &line);
                y += 2.9;
            }
        }
        self.w("</g>");

        // The legend.
        y += 2.0;
        let _ = writeln!(
            self.out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1d1d1b" stroke-width="0.25"/>"##,
            n(x),
            n(y),
            n(x + width),
            n(y)
        );
        y += 5.0;
        self.w(r#"<g id="legend">"#);
        self.text(x, y, 3.0, r#"font-weight="bold""#, "图例 Legend");
        y += 4.5;
        let row = 3.9;
        let sw = |b: &mut Board, y: f64, shape: &str| {
            let _ = writeln!(
                b.out,
                r#"<g transform="translate({} {})">{shape}</g>"#,
                n(x),
                n(y - 2.6)
            );
        };
        for ka in &summary.zones {
            let (kind, area) = (&ka.kind, &ka.area_m2);
            let ZoneColours { fill, stroke } = zone_colours(*kind);
            sw(
                self,
                y,
                &format!(
                    r#"<rect width="6" height="3.2" fill="{fill}" stroke="{stroke}" stroke-width="0.2"/>"#
                ),
            );
            let l = kind.label();
            self.text(x + 8.0, y, 2.3, "", &format!("{} {}", l.zh, l.en));
            self.text(
                x + width,
                y,
                2.3,
                r#"text-anchor="end""#,
                &format!("{} m²", m2(*area)),
            );
            y += row;
        }
        let symbols: Vec<(String, String)> = {
            let mut v = vec![(
                r##"<rect width="6" height="3.2" fill="#f6f3ec" stroke="#1d1d1b" stroke-width="0.5"/>"##.to_owned(),
                "地块边界 plot boundary".to_owned(),
            )];
            if !plot.entrances.is_empty() {
                v.push((
                    r##"<line x1="0" y1="1.6" x2="6" y2="1.6" stroke="#1b7f3b" stroke-width="1.2"/>"##.to_owned(),
                    "无障碍入口 step-free entrance".to_owned(),
                ));
                if plot.entrances.iter().any(|e| !e.step_free) {
                    v.push((
                        r##"<line x1="0" y1="1.6" x2="6" y2="1.6" stroke="#555555" stroke-width="1.2"/>"##.to_owned(),
                        "入口（有台阶）entrance with step".to_owned(),
                    ));
                }
            }
            if !plot.keep_trees.is_empty() {
                v.push((
                    r##"<circle cx="3" cy="1.6" r="1.6" fill="#2d6a4f" fill-opacity="0.12" stroke="#2d6a4f" stroke-width="0.2" stroke-dasharray="1 0.6"/><circle cx="3" cy="1.6" r="0.5" fill="#2d6a4f"/>"##.to_owned(),
                    "保留树及树冠 kept tree, canopy".to_owned(),
                ));
                v.push((
                    r##"<circle cx="3" cy="1.6" r="1.6" fill="none" stroke="#c1121f" stroke-width="0.25" stroke-dasharray="0.6 0.4"/>"##.to_owned(),
                    "树木保护范围 tree protection radius".to_owned(),
                ));
            }
            if !plot.no_build.is_empty() {
                v.push((
                    r##"<rect width="6" height="3.2" fill="url(#pw-hatch)" stroke="#c1121f" stroke-width="0.2"/>"##.to_owned(),
                    "禁建区 no-build area".to_owned(),
                ));
            }
            if !plot.buildings.is_empty() {
                v.push((
                    r##"<rect width="6" height="3.2" fill="#d9d4cb" stroke="#5c5c5c" stroke-width="0.25"/>"##.to_owned(),
                    "周边建筑（高度）building around (height)".to_owned(),
                ));
            }
            if let Some(grid) = &opt.sun {
                let w = &grid.window;
                let clock = match w.clock {
                    crate::sun::Clock::Solar => "真太阳时 solar time".to_owned(),
                    crate::sun::Clock::Standard => format!("UTC{}", w.utc_offset),
                };
                v.push((
                    String::new(),
                    format!("日照时数 sun hours {} {}–{} {clock}", w.date, w.from, w.to),
                ));
                for (_, fill, label) in SUN_CLASSES {
                    v.push((
                        format!(
                            r#"<rect width="6" height="3.2" fill="{fill}" fill-opacity="0.6"/>"#
                        ),
                        format!("日照 sun {label}"),
                    ));
                }
            }
            if !layout.elements.is_empty() {
                v.push((
                    r##"<rect width="6" height="3.2" fill="#b08968" fill-opacity="0.9" stroke="#5a3e2b" stroke-width="0.25"/>"##.to_owned(),
                    "设施占地 element footprint".to_owned(),
                ));
                v.push((
                    r##"<rect width="6" height="3.2" fill="none" stroke="#7f5539" stroke-width="0.2" stroke-dasharray="0.8 0.5"/>"##.to_owned(),
                    "安全空间 free space / clearance".to_owned(),
                ));
            }
            if !opt.findings.is_empty() {
                v.push((
                    r##"<rect width="6" height="3.2" fill="#d62828" fill-opacity="0.35" stroke="#d62828" stroke-width="0.3"/>"##.to_owned(),
                    "问题位置 finding".to_owned(),
                ));
            }
            v
        };
        for (shape, label) in &symbols {
            sw(self, y, shape);
            self.text(x + 8.0, y, 2.3, "", label);
            y += row;
        }
        // Elements by type, from the bill of quantities.
        let counted = element_counts(&summary);
        if !counted.is_empty() {
            y += 1.5;
            for (name, count) in counted {
                if y > bottom - 4.0 {
                    break;
                }
                self.text(x, y, 2.3, "", &format!("{name} × {count}"));
                y += 3.4;
            }
        }
        self.w("</g>");

        // The findings, numbered as on the plan, as far as there is room.
        if !opt.findings.is_empty() && y < bottom - 8.0 {
            y += 2.5;
            self.w(r#"<g id="findings-list">"#);
            self.text(x, y, 3.0, r#"font-weight="bold""#, "问题 Findings");
            y += 4.2;
            let total = opt.findings.len();
            for (i, fnd) in opt.findings.iter().enumerate() {
                if y > bottom - 5.5 {
                    self.text(
                        x,
                        y,
                        2.1,
                        "",
                        &format!("… 另有 {} 项 {} more", total - i, total - i),
                    );
                    break;
                }
                let colour = severity_colour(fnd.severity);
                let _ = writeln!(
                    self.out,
                    r##"<circle cx="{}" cy="{}" r="1.5" fill="{colour}"/><text x="{}" y="{}" font-size="1.9" text-anchor="middle" fill="#ffffff">{}</text>"##,
                    n(x + 1.5),
                    n(y - 0.7),
                    n(x + 1.5),
                    n(y),
                    i + 1
                );
                self.text(
                    x + 4.0,
                    y,
                    2.1,
                    "",
                    &clip(
                        &format!("[{}] {}", fnd.rule, fnd.message.zh),
                        width - 4.0,
                        2.1,
                    ),
                );
                y += 2.8;
                self.text(
                    x + 4.0,
                    y,
                    1.8,
                    r##"fill="#444444""##,
                    &clip(&fnd.message.en, width - 4.0, 1.8),
                );
                y += 3.3;
            }
            self.w("</g>");
        }
        // The footer.
        self.text(
            x,
            f.panel.max().y - 2.5,
            1.8,
            r##"fill="#777777""##,
            "Plotwise · 尺寸单位：米 dimensions in metres",
        );
    }
}

/// The catalogue elements of the bill of quantities, as (bilingual name, count).
fn element_counts(m: &Metrics) -> Vec<(String, usize)> {
    m.cost
        .lines
        .iter()
        .filter(|l| l.unit == "each")
        .map(|l| {
            (
                format!("{} {}", l.description.zh, l.description.en),
                l.ids.len(),
            )
        })
        .collect()
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "#d62828",
        Severity::Warning => "#f77f00",
        Severity::Info => "#277da1",
    }
}

fn trim_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    format!("{r}")
}

/// The title to show: the layout's, else the plot's name.
fn board_title(layout: &Layout) -> String {
    [
        Some(layout.title.as_str()),
        layout.plot.name_zh.as_deref(),
        layout.plot.name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find(|s| !s.trim().is_empty())
    .unwrap_or("Plotwise 方案 layout")
    .to_owned()
}

/// A point inside the outline to hang a label on: the centroid when it is inside, else the
/// centre of the largest polygon's bounding box scanned for an inside point.
fn label_point(mp: &MultiPolygon<f64>) -> Coord<f64> {
    use geo::Contains;
    let largest =
        mp.0.iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
    let Some(p) = largest else {
        return Coord { x: 0.0, y: 0.0 };
    };
    if let Some(c) = p.centroid()
        && p.contains(&c)
    {
        return c.0;
    }
    // Scan the horizontal line through the bounding box's middle for the widest inside run.
    let r = p
        .bounding_rect()
        .unwrap_or_else(|| Rect::new((0., 0.), (0., 0.)));
    let y = r.center().y;
    let steps = 64;
    let mut best = (0usize, 0usize);
    let mut run_start = None;
    for i in 0..=steps {
        let x = r.min().x + r.width() * i as f64 / steps as f64;
        let inside = p.contains(&Point::new(x, y));
        match (inside, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                if i - s > best.1 - best.0 {
                    best = (s, i);
                }
                run_start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = run_start
        && steps + 1 - s > best.1 - best.0
    {
        best = (s, steps + 1);
    }
    let mid = (best.0 + best.1) as f64 / 2.0;
    Coord {
        x: r.min().x + r.width() * mid / steps as f64,
        y,
    }
}

fn collect(
    g: &Geometry<f64>,
    polys: &mut Vec<Polygon<f64>>,
    lines: &mut Vec<LineString<f64>>,
    points: &mut Vec<Coord<f64>>,
) {
    match g {
        Geometry::Point(p) => points.push(p.0),
        Geometry::MultiPoint(mp) => points.extend(mp.0.iter().map(|p| p.0)),
        Geometry::Line(l) => lines.push(LineString::new(vec![l.start, l.end])),
        Geometry::LineString(l) => lines.push(l.clone()),
        Geometry::MultiLineString(m) => lines.extend(m.0.iter().cloned()),
        Geometry::Polygon(p) => polys.push(p.clone()),
        Geometry::MultiPolygon(m) => polys.extend(m.0.iter().cloned()),
        Geometry::Rect(r) => polys.push(r.to_polygon()),
        Geometry::Triangle(t) => polys.push(t.to_polygon()),
        Geometry::GeometryCollection(c) => {
            for g in c {
                collect(g, polys, lines, points);
            }
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn numbers_are_short_and_grouped() {
        assert_eq!(n(12.3456), "12.35");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(420.0), "420");
        assert_eq!(m2(1234567.25), "1,234,567.2");
        assert_eq!(group("-1234".into()), "-1,234");
    }

    #[test]
    fn wrap_breaks_cjk_and_latin() {
        let lines = wrap("国权路322弄南围墙空地：方案A（休憩花园）", 50.0, 5.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert_eq!(lines.concat(), "国权路322弄南围墙空地：方案A（休憩花园）");
        let lines = wrap("a garden by the south wall for everyone", 30.0, 3.0);
        assert!(lines.iter().all(|l| !l.starts_with(' ')), "{lines:?}");
        assert!(lines.len() >= 2);
    }

    #[test]
    fn paper_sizes() {
        assert_eq!(Paper::default().dimensions_mm(), (420.0, 297.0));
        let a4p = Paper {
            size: PaperSize::A4,
            landscape: false,
        };
        assert_eq!(a4p.dimensions_mm(), (210.0, 297.0));
    }
}
