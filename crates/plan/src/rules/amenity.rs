//! `green-ratio` and `seat-spacing`.

use geo::{Area, BooleanOps, Coord, MultiPoint, Point, Polygon};

use super::context::Context;
use super::{Finding, RuleId, Severity};
use crate::model::ZoneKind;
use crate::text::Text;

/// Area of planting and lawn inside the plot, m² (overlaps counted once).
pub(crate) fn green_area(ctx: &Context) -> f64 {
    let polys: Vec<Polygon<f64>> = ctx
        .layout
        .zones
        .iter()
        .filter(|z| z.kind.is_green())
        .flat_map(|z| z.outline.multi_polygon().0.iter().cloned())
        .collect();
    if polys.is_empty() {
        return 0.0;
    }
    geo::unary_union(&polys)
        .intersection(ctx.plot)
        .unsigned_area()
}

pub(super) fn green_ratio(ctx: &Context, out: &mut Vec<Finding>) {
    let plot_area = ctx.layout.plot.area_m2();
    let ratio = green_area(ctx) / plot_area;
    let min = ctx.rules.green_ratio_min;
    if ratio + 1e-9 < min {
        out.push(
            Finding::new(
                RuleId::GreenRatio,
                Severity::Warning,
                vec![ctx.layout.plot.id.0.clone()],
                Text::new(
                    format!(
                        "Planting and lawn cover {:.1} % of the plot, under the {:.0} % target.",
                        ratio * 100.0,
                        min * 100.0
                    ),
                    format!(
                        "种植与草坪占地块的 {:.1}%，低于 {:.0}% 的目标。",
                        ratio * 100.0,
                        min * 100.0
                    ),
                ),
            )
            .highlight(ctx.plot.clone())
            .measured(ratio * 100.0, min * 100.0),
        );
    }
}

/// Seat positions (elements with seats).
pub(crate) fn seat_positions(ctx: &Context) -> Vec<Coord<f64>> {
    ctx.placed
        .iter()
        .filter(|p| p.item.seats > 0)
        .map(|p| p.element.position)
        .collect()
}

/// The walkable network on a grid: cells whose centres lie in an accessible path or plaza,
/// stored row by row as spans.
struct Raster {
    cell: f64,
    x0: f64,
    y0: f64,
    j0: i64,
    /// Per row (from `j0`): spans `(i_first, i_last, index of i_first)`, sorted, disjoint.
    rows: Vec<Vec<(i64, i64, usize)>>,
    /// Per cell: its centre and the accessible path zone it belongs to (if any).
    centres: Vec<Coord<f64>>,
    zone: Vec<Option<usize>>,
}

impl Raster {
    fn new(ctx: &Context, cell: f64) -> Option<Raster> {
        // Keep the grid bounded whatever the input: at most 100,000 rows.
        let cell = {
            let h = ctx
                .zone_rects
                .iter()
                .zip(&ctx.layout.zones)
                .filter(|(_, z)| z.kind.is_step_free_network())
                .map(|(r, _)| r.max().y)
                .fold(f64::MIN, f64::max)
                - ctx
                    .zone_rects
                    .iter()
                    .zip(&ctx.layout.zones)
                    .filter(|(_, z)| z.kind.is_step_free_network())
                    .map(|(r, _)| r.min().y)
                    .fold(f64::MAX, f64::min);
            if h.is_finite() && h / cell > 100_000.0 {
                h / 100_000.0
            } else {
                cell
            }
        };
        let zones = &ctx.layout.zones;
        let members: Vec<usize> = (0..zones.len())
            .filter(|&i| zones[i].kind.is_step_free_network())
            .collect();
        let mut rect: Option<geo::Rect<f64>> = None;
        for &i in &members {
            let r = ctx.zone_rects[i];
            rect = Some(match rect {
                None => r,
                Some(q) => geo::Rect::new(
                    Coord {
                        x: q.min().x.min(r.min().x),
                        y: q.min().y.min(r.min().y),
                    },
                    Coord {
                        x: q.max().x.max(r.max().x),
                        y: q.max().y.max(r.max().y),
                    },
                ),
            });
        }
        let rect = rect?;
        let (x0, y0) = (rect.min().x, rect.min().y);
        let nrows = ((rect.height() / cell).ceil() as i64).max(1);
        // Spans per row, from every polygon: (i_first, i_last, zone if accessible path).
        let mut raw: Vec<Vec<(i64, i64, Option<usize>)>> = vec![Vec::new(); nrows as usize];
        let mut xs: Vec<f64> = Vec::new();
        for &zi in &members {
            let z = &zones[zi];
            let tag = (z.kind == ZoneKind::AccessiblePath).then_some(zi);
            for p in &z.outline.multi_polygon().0 {
                let Some(pr) = geo::BoundingRect::bounding_rect(p) else {
                    continue;
                };
                let ja = (((pr.min().y - y0) / cell - 0.5).ceil() as i64).max(0);
                let jb = (((pr.max().y - y0) / cell - 0.5).floor() as i64).min(nrows - 1);
                for j in ja..=jb {
                    let y = y0 + (j as f64 + 0.5) * cell;
                    xs.clear();
                    for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                        for l in ring.lines() {
                            let (a, b) = (l.start, l.end);
                            if (a.y <= y) != (b.y <= y) {
                                xs.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
                            }
                        }
                    }
                    xs.sort_unstable_by(f64::total_cmp);
                    for pair in xs.chunks_exact(2) {
                        let ia = ((pair[0] - x0) / cell - 0.5).ceil() as i64;
                        let ib = ((pair[1] - x0) / cell - 0.5).floor() as i64;
                        if ia <= ib {
                            raw[j as usize].push((ia, ib, tag));
                        }
                    }
                }
            }
        }
        let mut rows = Vec::with_capacity(raw.len());
        let mut centres = Vec::new();
        let mut zone = Vec::new();
        for (j, spans) in raw.iter_mut().enumerate() {
            // By start, then by zone (drawing order, as `members` is): the same order as a
            // stable sort by start for what follows (equal starts merge alike; the first
            // path drawn keeps a cell).
            spans.sort_unstable_by_key(|s| (s.0, s.2));
            let mut merged: Vec<(i64, i64, usize)> = Vec::new();
            for &(a, b, _) in spans.iter() {
                match merged.last_mut() {
                    Some(last) if a <= last.1 + 1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b, 0)),
                }
            }
            let y = y0 + (j as f64 + 0.5) * cell;
            for m in &mut merged {
                m.2 = centres.len();
                for i in m.0..=m.1 {
                    centres.push(Coord {
                        x: x0 + (i as f64 + 0.5) * cell,
                        y,
                    });
                    zone.push(None);
                }
            }
            // Accessible path cells know their zone (the first path drawn wins).
            for &(a, b, tag) in spans.iter() {
                let Some(zi) = tag else { continue };
                for m in &merged {
                    for i in a.max(m.0)..=b.min(m.1) {
                        let k = m.2 + (i - m.0) as usize;
                        zone[k].get_or_insert(zi);
                    }
                }
            }
            rows.push(merged);
        }
        Some(Raster {
            cell,
            x0,
            y0,
            j0: 0,
            rows,
            centres,
            zone,
        })
    }

    fn index(&self, i: i64, j: i64) -> Option<usize> {
        let row = self.rows.get(usize::try_from(j - self.j0).ok()?)?;
        row.iter()
            .find(|s| s.0 <= i && i <= s.1)
            .map(|s| s.2 + (i - s.0) as usize)
    }

    fn cell_of(&self, c: Coord<f64>) -> (i64, i64) {
        (
            ((c.x - self.x0) / self.cell).floor() as i64,
            ((c.y - self.y0) / self.cell).floor() as i64,
        )
    }
}

pub(super) fn seat_spacing(ctx: &Context, out: &mut Vec<Finding>) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let max = ctx.rules.seat_spacing_max_m;
    let cell = ctx.rules.seat_spacing_sample_m.max(0.1);
    let reach = ctx.rules.seat_reach_m;
    if !ctx
        .layout
        .zones
        .iter()
        .any(|z| z.kind == ZoneKind::AccessiblePath)
    {
        return;
    }
    let Some(r) = Raster::new(ctx, cell) else {
        return;
    };
    let seats = seat_positions(ctx);
    // Walking distance to the nearest seat: multi-source Dijkstra on the grid (8 neighbours),
    // starting from the cells within `reach` of a seat.
    let mut dist = vec![f64::INFINITY; r.centres.len()];
    let mut heap = BinaryHeap::new();
    let steps = (reach / cell).ceil() as i64;
    for s in &seats {
        let (ci, cj) = r.cell_of(*s);
        for j in cj - steps..=cj + steps {
            for i in ci - steps..=ci + steps {
                if let Some(k) = r.index(i, j) {
                    let c = r.centres[k];
                    let d = (c.x - s.x).hypot(c.y - s.y);
                    if d <= reach && d < dist[k] {
                        dist[k] = d;
                        heap.push(Reverse((d.to_bits(), k)));
                    }
                }
            }
        }
    }
    let diag = cell * std::f64::consts::SQRT_2;
    while let Some(Reverse((bits, k))) = heap.pop() {
        let d = f64::from_bits(bits);
        if d > dist[k] || d > max {
            continue;
        }
        let (ci, cj) = r.cell_of(r.centres[k]);
        for (di, dj) in [
            (-1, 0),
            (1, 0),
            (0, -1),
            (0, 1),
            (-1, -1),
            (-1, 1),
            (1, -1),
            (1, 1),
        ] {
            let Some(n) = r.index(ci + di, cj + dj) else {
                continue;
            };
            let nd = d + if di != 0 && dj != 0 { diag } else { cell };
            if nd < dist[n] {
                dist[n] = nd;
                heap.push(Reverse((nd.to_bits(), n)));
            }
        }
    }
    // Parts of the network that no seat serves at all (cut off from the rest, e.g. by a
    // tree's protection circle) are measured in a straight line instead: walking there is not
    // along these paths anyway.
    if !seats.is_empty() {
        let mut component = vec![usize::MAX; r.centres.len()];
        let mut served = Vec::new();
        for start in 0..r.centres.len() {
            if component[start] != usize::MAX {
                continue;
            }
            let id = served.len();
            let mut any = false;
            let mut stack = vec![start];
            component[start] = id;
            while let Some(k) = stack.pop() {
                any |= dist[k].is_finite();
                let (ci, cj) = r.cell_of(r.centres[k]);
                for (di, dj) in [
                    (-1, 0),
                    (1, 0),
                    (0, -1),
                    (0, 1),
                    (-1, -1),
                    (-1, 1),
                    (1, -1),
                    (1, 1),
                ] {
                    if let Some(n) = r.index(ci + di, cj + dj)
                        && component[n] == usize::MAX
                    {
                        component[n] = id;
                        stack.push(n);
                    }
                }
            }
            served.push(any);
        }
        for k in 0..r.centres.len() {
            if !served[component[k]] {
                let c = r.centres[k];
                dist[k] = seats
                    .iter()
                    .map(|s| (s.x - c.x).hypot(s.y - c.y))
                    .fold(f64::INFINITY, f64::min);
            }
        }
    }
    for (zi, z) in ctx.layout.zones.iter().enumerate() {
        if z.kind != ZoneKind::AccessiblePath {
            continue;
        }
        let mut total = 0usize;
        let mut far: Vec<Point<f64>> = Vec::new();
        for (k, zk) in r.zone.iter().enumerate() {
            if *zk == Some(zi) {
                total += 1;
                if dist[k] > max {
                    far.push(Point(r.centres[k]));
                }
            }
        }
        if far.is_empty() {
            continue;
        }
        let share = far.len() as f64 / total.max(1) as f64 * 100.0;
        let (en, zh) = if seats.is_empty() {
            (
                format!(
                    "Accessible path {} has no seat (the layout has no seats).",
                    z.id
                ),
                format!("无障碍通道 {} 沿线没有座椅（方案中没有座椅）。", z.id),
            )
        } else {
            (
                format!(
                    "Accessible path {}: {share:.0} % of it is more than {max:.0} m walk from a seat.",
                    z.id
                ),
                format!(
                    "无障碍通道 {}：其中 {share:.0}% 的路段距最近座椅的步行距离超过 {max:.0} m。",
                    z.id
                ),
            )
        };
        out.push(
            Finding::new(
                RuleId::SeatSpacing,
                Severity::Warning,
                vec![z.id.0.clone()],
                Text::new(en, zh),
            )
            .highlight(MultiPoint::new(far)),
        );
    }
}
