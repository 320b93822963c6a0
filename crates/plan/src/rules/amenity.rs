//! `green-ratio` and `seat-spacing`.

use geo::{Area, BooleanOps, Coord, Densify, Euclidean, MultiPoint, Point, Polygon};

use super::context::Context;
use super::{Finding, Severity};
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
                "green-ratio",
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

pub(super) fn seat_spacing(ctx: &Context, out: &mut Vec<Finding>) {
    let max = ctx.rules.seat_spacing_max_m;
    let step = ctx.rules.seat_spacing_sample_m.max(0.1);
    let seats = seat_positions(ctx);
    // Seats bucketed in cells of `max` metres: a point's nearest seat within `max` is in its
    // own or a neighbouring cell.
    let mut cells: std::collections::HashMap<(i64, i64), Vec<Coord<f64>>> = Default::default();
    let cell = |c: Coord<f64>| ((c.x / max).floor() as i64, (c.y / max).floor() as i64);
    for s in &seats {
        cells.entry(cell(*s)).or_default().push(*s);
    }
    let near_seat = |c: Coord<f64>| {
        let (cx, cy) = cell(c);
        (cx - 1..=cx + 1).any(|x| {
            (cy - 1..=cy + 1).any(|y| {
                cells
                    .get(&(x, y))
                    .is_some_and(|v| v.iter().any(|s| (s.x - c.x).hypot(s.y - c.y) <= max))
            })
        })
    };
    for z in &ctx.layout.zones {
        if z.kind != ZoneKind::AccessiblePath {
            continue;
        }
        let mut far: Vec<Point<f64>> = Vec::new();
        let mut total = 0usize;
        for poly in &z.outline.multi_polygon().0 {
            let dense = Euclidean.densify(poly.exterior(), step);
            for c in dense.0.iter().skip(1) {
                total += 1;
                if !near_seat(*c) {
                    far.push(Point(*c));
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
                    "Accessible path {} has no seat within {max:.0} m (the layout has no seats).",
                    z.id
                ),
                format!(
                    "无障碍通道 {} 周边 {max:.0} m 内没有座椅（方案中没有座椅）。",
                    z.id
                ),
            )
        } else {
            (
                format!(
                    "Accessible path {}: {share:.0} % of its edge is more than {max:.0} m from a seat.",
                    z.id
                ),
                format!(
                    "无障碍通道 {}：其边缘的 {share:.0}% 距最近座椅超过 {max:.0} m。",
                    z.id
                ),
            )
        };
        out.push(
            Finding::new(
                "seat-spacing",
                Severity::Warning,
                vec![z.id.0.clone()],
                Text::new(en, zh),
            )
            .highlight(MultiPoint::new(far)),
        );
    }
}
