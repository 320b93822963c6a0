//! `path-width`, `step-free-route` and `turning-space`: getting around in a wheelchair.

use geo::{
    BooleanOps, Buffer, Centroid, Coord, Distance, Euclidean, MinimumRotatedRect, MultiPolygon,
    Point, Polygon,
};

use super::context::Context;
use super::{Finding, RuleId, Severity};
use crate::geom::{circle, rects_near};
use crate::model::ZoneKind;
use crate::text::Text;

/// The parts of `clear` narrower than `width`: what a morphological opening (erode by half
/// the width, dilate back with round joins) loses, slivers removed. Each piece comes with
/// whether it is a narrow *end* (touching the wide part on one side only) rather than a neck.
///
/// An opening also rounds off convex corners. Those corner crumbs touch the kept part along
/// one arc and are never deeper than the radius (for corners of 60° or more), so a lost piece
/// counts only when it touches the kept part nowhere (the whole piece is too narrow), in two
/// or more places (a neck across the path), or reaches deeper than the radius from the kept
/// part (a narrow end).
pub(crate) fn narrower_than(
    ctx: &Context,
    clear: &MultiPolygon<f64>,
    width: f64,
) -> Vec<(Polygon<f64>, bool)> {
    let tol = ctx.rules.sliver_tolerance_m;
    let r = (width / 2.0 - tol / 2.0).max(tol);
    if clear.0.len() == 1 && surely_wide(&clear.0[0], width - tol) {
        return vec![];
    }
    let eroded = ctx.erode(clear, r);
    let opened = if eroded.0.is_empty() {
        eroded
    } else {
        eroded.buffer(r)
    };
    let lost = clear.difference(&opened);
    lost.0
        .into_iter()
        .filter_map(|p| {
            let mp = MultiPolygon::new(vec![p.clone()]);
            if !ctx.substantial(&mp) {
                return None;
            }
            if opened.0.is_empty() {
                return Some((p, false));
            }
            // Only the kept parts next to the piece matter.
            let pr = geo::BoundingRect::bounding_rect(&p)?;
            let nearby = MultiPolygon::new(
                opened
                    .0
                    .iter()
                    .filter(|q| {
                        geo::BoundingRect::bounding_rect(*q)
                            .is_some_and(|qr| rects_near(&qr, &pr, 2.0 * tol))
                    })
                    .cloned()
                    .collect(),
            );
            let contacts = mp
                .buffer(tol)
                .intersection(&nearby)
                .0
                .iter()
                .filter(|c| geo::Area::unsigned_area(*c) > tol * tol)
                .count();
            if contacts != 1 {
                return Some((p, false));
            }
            let depth = p
                .exterior()
                .0
                .iter()
                .map(|c| polygons_min_distance(&Point(*c), &nearby))
                .fold(0.0, f64::max);
            if depth <= r {
                return None;
            }
            // Deeper than the radius on one side only: a narrow arm (an error, like a neck)
            // or a tapering tip (its mean width, 2 × area / perimeter, is under half the
            // required width).
            let perimeter = geo::Length::length(&Euclidean, p.exterior());
            let mean_width = 2.0 * geo::Area::unsigned_area(&p) / perimeter.max(f64::MIN_POSITIVE);
            Some((p, mean_width < width / 2.0))
        })
        .collect()
}

/// Fast path: a convex polygon without holes whose corners are all 60° or wider and whose
/// minimum width (rotating calipers) is more than `width` has no part narrower than `width`
/// that [`narrower_than`] would report (only corner crumbs, which it ignores).
fn surely_wide(p: &Polygon<f64>, width: f64) -> bool {
    use geo::IsConvex;
    if !p.interiors().is_empty() || !p.exterior().is_convex() {
        return false;
    }
    let pts = &p.exterior().0;
    let n = pts.len().saturating_sub(1);
    if n < 3 {
        return false;
    }
    for i in 0..n {
        let (a, b, c) = (pts[(i + n - 1) % n], pts[i], pts[(i + 1) % n]);
        let (u, v) = (a - b, c - b);
        let (lu, lv) = (u.x.hypot(u.y), v.x.hypot(v.y));
        if lu == 0.0 || lv == 0.0 {
            return false;
        }
        // cos of the interior angle; 60° or wider means cos ≤ 0.5.
        if (u.x * v.x + u.y * v.y) / (lu * lv) > 0.5 + 1e-9 {
            return false;
        }
    }
    let mut min_width = f64::INFINITY;
    for i in 0..n {
        let (a, b) = (pts[i], pts[i + 1]);
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy);
        if len == 0.0 {
            continue;
        }
        let far = pts[..n]
            .iter()
            .map(|q| ((q.x - a.x) * dy - (q.y - a.y) * dx).abs() / len)
            .fold(0.0, f64::max);
        min_width = min_width.min(far);
    }
    min_width > width
}

/// The narrowest clear width at a neck: the least distance between the separate stretches of
/// the clear outline's boundary that bound the narrow piece (the two sides of the path, or a
/// side and an obstacle). For a piece bounded by one stretch only, the width of the strip with
/// the piece's area and perimeter.
fn narrowest_width(ctx: &Context, clear: &MultiPolygon<f64>, piece: &MultiPolygon<f64>) -> f64 {
    use geo::{Area, BooleanOps as _, Length};
    let tol = ctx.rules.sliver_tolerance_m;
    let boundary = geo::MultiLineString::new(
        clear
            .0
            .iter()
            .flat_map(|p| {
                std::iter::once(p.exterior().clone()).chain(p.interiors().iter().cloned())
            })
            .collect(),
    );
    let near = piece.buffer(tol);
    let stretches = near.clip(&boundary, false);
    // Group pieces of boundary that touch end to end into stretches.
    let lines = &stretches.0;
    let mut group: Vec<usize> = (0..lines.len()).collect();
    fn find(g: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while g[r] != r {
            r = g[r];
        }
        g[i] = r;
        r
    }
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            let touch = [lines[i].0.first(), lines[i].0.last()]
                .into_iter()
                .flatten()
                .any(|a| {
                    [lines[j].0.first(), lines[j].0.last()]
                        .into_iter()
                        .flatten()
                        .any(|b| (a.x - b.x).hypot(a.y - b.y) < 1e-6)
                });
            if touch {
                let (a, b) = (find(&mut group, i), find(&mut group, j));
                group[a] = b;
            }
        }
    }
    let roots: Vec<usize> = (0..lines.len()).map(|i| find(&mut group, i)).collect();
    let mut best = f64::INFINITY;
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            if roots[i] != roots[j] {
                best = best.min(Euclidean.distance(&lines[i], &lines[j]));
            }
        }
    }
    if best.is_finite() {
        return best;
    }
    let area = piece.unsigned_area();
    let perimeter: f64 = piece.0.iter().map(|p| Euclidean.length(p.exterior())).sum();
    if perimeter > 0.0 {
        2.0 * area / perimeter
    } else {
        0.0
    }
}

fn at(c: Coord<f64>) -> String {
    format!("({:.1}, {:.1})", c.x, c.y)
}

pub(super) fn path_width(ctx: &Context, out: &mut Vec<Finding>) {
    let (min_w, rec_w) = (
        ctx.rules.path_width_min_m,
        ctx.rules.path_width_recommended_m,
    );
    for z in &ctx.layout.zones {
        if z.kind != ZoneKind::AccessiblePath {
            continue;
        }
        let obstacles = ctx.obstacles_on(z.outline.multi_polygon());
        let clear = match &obstacles {
            Some((obs, _)) => z.outline.multi_polygon().difference(obs),
            None => z.outline.multi_polygon().clone(),
        };
        // The zone, and the obstacles that touch the narrow piece.
        let ids_for = |piece: &Polygon<f64>| -> Vec<String> {
            let mut ids = vec![z.id.0.clone()];
            if let Some((_, idx)) = &obstacles {
                for &i in idx {
                    let p = &ctx.placed[i];
                    if Euclidean.distance(&p.footprint, piece) < 0.02 {
                        ids.push(p.element.id.0.clone());
                    }
                }
            }
            ids
        };
        let end_finding = |piece: &Polygon<f64>, w: f64, severity| {
            let c = piece.centroid().map(|p| p.0).unwrap_or_default();
            Finding::new(
                RuleId::PathWidth,
                severity,
                ids_for(piece),
                Text::new(
                    format!(
                        "Accessible path {} narrows below {w:.2} m at its end near {}: that part is not usable by a wheelchair.",
                        z.id,
                        at(c)
                    ),
                    format!(
                        "无障碍通道 {} 在 {} 附近的尽端收窄至 {w:.2} m 以下，该部分轮椅无法使用。",
                        z.id,
                        at(c)
                    ),
                ),
            )
            .highlight(piece.clone())
        };
        // An opening at the larger width loses a superset of what the smaller one loses, so
        // when nothing is under the recommended width, nothing is under the minimum either.
        let under_recommended = if rec_w > min_w {
            let pieces = narrower_than(ctx, &clear, rec_w);
            if pieces.is_empty() {
                continue;
            }
            pieces
        } else {
            vec![]
        };
        let too_narrow = narrower_than(ctx, &clear, min_w);
        for (piece, is_end) in &too_narrow {
            if *is_end {
                out.push(end_finding(piece, min_w, Severity::Warning));
                continue;
            }
            let mp = MultiPolygon::new(vec![piece.clone()]);
            let w = narrowest_width(ctx, &clear, &mp);
            let c = piece.centroid().map(|p| p.0).unwrap_or_default();
            out.push(
                Finding::new(
                    RuleId::PathWidth,
                    Severity::Error,
                    ids_for(piece),
                    Text::new(
                        format!(
                            "Accessible path {}: clear width about {w:.2} m near {}, under the required {min_w:.2} m.",
                            z.id,
                            at(c)
                        ),
                        format!(
                            "无障碍通道 {}：{} 附近净宽约 {w:.2} m，小于要求的 {min_w:.2} m。",
                            z.id,
                            at(c)
                        ),
                    ),
                )
                .highlight(mp)
                .measured(w, min_w),
            );
        }
        if rec_w <= min_w {
            continue;
        }
        let already = MultiPolygon::new(too_narrow.into_iter().map(|(p, _)| p).collect());
        for (piece, is_end) in under_recommended {
            let rest = if already.0.is_empty() {
                Some(MultiPolygon::new(vec![piece]))
            } else {
                ctx.substantial_part(MultiPolygon::new(vec![piece]).difference(&already))
            };
            for piece in rest.iter().flat_map(|p| p.0.iter()) {
                if is_end {
                    out.push(end_finding(piece, rec_w, Severity::Warning));
                    continue;
                }
                let c = piece.centroid().map(|p| p.0).unwrap_or_default();
                out.push(
                    Finding::new(
                        RuleId::PathWidth,
                        Severity::Warning,
                        ids_for(piece),
                        Text::new(
                            format!(
                                "Accessible path {}: clear width under {rec_w:.2} m near {} (outdoor paths should be at least {rec_w:.2} m).",
                                z.id,
                                at(c)
                            ),
                            format!(
                                "无障碍通道 {}：{} 附近净宽小于 {rec_w:.2} m（室外通道宜不小于 {rec_w:.2} m）。",
                                z.id,
                                at(c)
                            ),
                        ),
                    )
                    .highlight(piece.clone()),
                );
            }
        }
    }
}

/// Which zones a wheelchair user can reach from a step-free entrance.
pub(crate) struct Reach {
    /// Per zone (index into `layout.zones`): reachable.
    pub reachable: Vec<bool>,
    /// Indices of zones that need a step-free route (seating, fitness, play, shade).
    pub targets: Vec<usize>,
    /// Whether the plot has a step-free entrance at all.
    pub has_step_free_entrance: bool,
}

fn polygons_min_distance(p: &Point<f64>, mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter()
        .map(|poly| Euclidean.distance(p, poly))
        .fold(f64::INFINITY, f64::min)
}

/// The widest connection between two zones that touch or overlap: the longer side of the
/// minimum rotated rectangle of each piece where they meet (grown by the sliver tolerance).
fn connection_width(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    let inter = a.intersection(b);
    inter
        .0
        .iter()
        .filter_map(|p| p.minimum_rotated_rect())
        .map(|r| {
            let c = &r.exterior().0;
            let s1 = Euclidean.distance(Point(c[0]), Point(c[1]));
            let s2 = Euclidean.distance(Point(c[1]), Point(c[2]));
            s1.max(s2)
        })
        .fold(0.0, f64::max)
}

pub(crate) fn reach<'c>(ctx: &'c Context) -> &'c Reach {
    ctx.reach.get_or_init(|| compute_reach(ctx))
}

fn compute_reach(ctx: &Context) -> Reach {
    let zones = &ctx.layout.zones;
    let tol = ctx.rules.sliver_tolerance_m;
    let need = ctx.rules.connection_width_min_m - tol;
    let targets: Vec<usize> = (0..zones.len())
        .filter(|&i| zones[i].kind.needs_step_free_route())
        .collect();
    let mut reachable = vec![false; zones.len()];
    let entrances: Vec<Point<f64>> = ctx
        .layout
        .plot
        .entrances
        .iter()
        .filter(|e| e.step_free)
        .map(|e| Point(e.position))
        .collect();
    // Nodes: each polygon of each network or target zone (the parts of a multipolygon path
    // are not connected to each other just by belonging to one zone).
    struct Node {
        zone: usize,
        network: bool,
        shape: MultiPolygon<f64>,
        grown: MultiPolygon<f64>,
        rect: geo::Rect<f64>,
    }
    let mut nodes: Vec<Node> = Vec::new();
    for (i, z) in zones.iter().enumerate() {
        if !(z.kind.is_step_free_network() || z.kind.needs_step_free_route()) {
            continue;
        }
        for p in &z.outline.multi_polygon().0 {
            let shape = MultiPolygon::new(vec![p.clone()]);
            let Some(rect) = geo::BoundingRect::bounding_rect(p) else {
                continue;
            };
            nodes.push(Node {
                zone: i,
                network: z.kind.is_step_free_network(),
                grown: shape.buffer(tol),
                shape,
                rect,
            });
        }
    }
    if nodes.is_empty() || entrances.is_empty() {
        return Reach {
            reachable,
            targets,
            has_step_free_entrance: !entrances.is_empty(),
        };
    }
    let mut seen = vec![false; nodes.len()];
    let mut queue = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        if entrances
            .iter()
            .any(|e| polygons_min_distance(e, &node.shape) <= ctx.rules.entrance_reach_m)
        {
            seen[n] = true;
            if node.network {
                queue.push(n);
            }
        }
    }
    while let Some(n) = queue.pop() {
        for m in 0..nodes.len() {
            if seen[m] || !rects_near(&nodes[n].rect, &nodes[m].rect, 2.0 * tol) {
                continue;
            }
            if connection_width(&nodes[n].grown, &nodes[m].grown) < need {
                continue;
            }
            seen[m] = true;
            if nodes[m].network {
                queue.push(m);
            }
        }
    }
    for (n, node) in nodes.iter().enumerate() {
        if seen[n] {
            reachable[node.zone] = true;
        }
    }
    Reach {
        reachable,
        targets,
        has_step_free_entrance: true,
    }
}

pub(super) fn step_free_route(ctx: &Context, out: &mut Vec<Finding>) {
    let r = reach(ctx);
    let min = ctx.rules.connection_width_min_m;
    for &i in &r.targets {
        if r.reachable[i] {
            continue;
        }
        let z = &ctx.layout.zones[i];
        let k = z.kind.label();
        let (en, zh) = if r.has_step_free_entrance {
            (
                format!(
                    "{} {} cannot be reached step-free: no chain of accessible paths or plazas at least {min:.2} m wide connects it to a step-free entrance.",
                    k.en, z.id
                ),
                format!(
                    "{} {} 无法无障碍到达：没有宽度不小于 {min:.2} m 的无障碍通道或广场将其与无障碍入口相连。",
                    k.zh, z.id
                ),
            )
        } else {
            (
                format!(
                    "{} {} cannot be reached step-free: the plot has no step-free entrance.",
                    k.en, z.id
                ),
                format!("{} {} 无法无障碍到达：地块没有无障碍入口。", k.zh, z.id),
            )
        };
        out.push(
            Finding::new(
                RuleId::StepFreeRoute,
                Severity::Error,
                vec![z.id.0.clone()],
                Text::new(en, zh),
            )
            .highlight(z.outline.multi_polygon().clone()),
        );
    }
}

/// The ends of a path polygon: places where its outline turns round (at least 150° of left
/// turns, counter-clockwise exterior) within `window` metres of outline, as at the two corners
/// of a path's square end, along a rounded end, or at a sharp tip. A T-shaped path has three.
/// Returns the middle of each turning stretch.
pub(crate) fn path_ends(poly: &Polygon<f64>, window: f64) -> Vec<Coord<f64>> {
    let ring = &poly.exterior().0;
    let n = ring.len().saturating_sub(1);
    if n < 3 {
        return vec![];
    }
    let v = |i: usize| ring[i % n];
    // Signed turn at each vertex (left turns positive), and the length of each edge.
    let turn: Vec<f64> = (0..n)
        .map(|i| {
            let (a, b, c) = (v(i + n - 1), v(i), v(i + 1));
            let (u, w) = (b - a, c - b);
            (u.x * w.y - u.y * w.x).atan2(u.x * w.x + u.y * w.y)
        })
        .collect();
    let edge: Vec<f64> = (0..n)
        .map(|i| {
            let (a, b) = (v(i), v(i + 1));
            (b.x - a.x).hypot(b.y - a.y)
        })
        .collect();
    let need = 150f64.to_radians();
    let mut used = vec![false; n];
    let mut ends = Vec::new();
    // Start scanning just after the sharpest right turn (or vertex 0) so a turning stretch is
    // not split by the start of the ring.
    let start = (0..n)
        .min_by(|&a, &b| turn[a].total_cmp(&turn[b]))
        .map_or(0, |i| i + 1);
    for k in 0..n {
        let i = (start + k) % n;
        if used[i] || turn[i] <= 0.0 {
            continue;
        }
        let mut sum = 0.0;
        let mut len = 0.0;
        let mut j = i;
        let mut members = Vec::new();
        loop {
            if used[j % n] || members.len() >= n {
                break;
            }
            sum += turn[j % n];
            members.push(j % n);
            if sum >= need {
                break;
            }
            len += edge[j % n];
            if len > window {
                break;
            }
            j += 1;
        }
        if sum >= need {
            let (sx, sy) = members
                .iter()
                .fold((0.0, 0.0), |(x, y), &m| (x + v(m).x, y + v(m).y));
            let c = members.len() as f64;
            ends.push(Coord {
                x: sx / c,
                y: sy / c,
            });
            for m in members {
                used[m] = true;
            }
        }
    }
    ends
}

pub(super) fn turning_space(ctx: &Context, out: &mut Vec<Finding>) {
    let zones = &ctx.layout.zones;
    let d = ctx.rules.turning_diameter_m;
    let tol = ctx.rules.sliver_tolerance_m;
    let has_paths = zones.iter().any(|z| z.kind == ZoneKind::AccessiblePath);
    let step_free: Vec<_> = ctx
        .layout
        .plot
        .entrances
        .iter()
        .filter(|e| e.step_free)
        .collect();
    if !has_paths && step_free.is_empty() {
        return;
    }
    // Where a wheelchair can turn: the accessible network and hard-surfaced destinations
    // (or, while nothing is drawn yet, the open plot), minus standing obstacles.
    let space: MultiPolygon<f64> = if zones.is_empty() {
        ctx.plot.clone()
    } else {
        let polys: Vec<Polygon<f64>> = zones
            .iter()
            .filter(|z| z.kind.is_step_free_network() || z.kind.needs_step_free_route())
            .flat_map(|z| z.outline.multi_polygon().0.iter().cloned())
            .collect();
        let u = if polys.len() == 1 {
            MultiPolygon::new(polys)
        } else {
            geo::unary_union(&polys)
        };
        match ctx.obstacles_on(&u) {
            Some((obs, _)) => u.difference(&obs),
            None => u,
        }
    };
    let centres = ctx.erode(&space, d / 2.0 - tol / 2.0);
    let fits_near = |c: Coord<f64>| polygons_min_distance(&Point(c), &centres) <= d;
    for e in &step_free {
        if !fits_near(e.position) {
            out.push(
                Finding::new(
                    RuleId::TurningSpace,
                    Severity::Warning,
                    vec![e.id.0.clone()],
                    Text::new(
                        format!(
                            "No turning circle of Ø {d:.2} m fits at step-free entrance {}.",
                            e.id
                        ),
                        format!("无障碍入口 {} 处放不下直径 {d:.2} m 的轮椅回转圆。", e.id),
                    ),
                )
                .highlight(circle(e.position, d / 2.0, 24)),
            );
        }
    }
    let reach_m = ctx.rules.entrance_reach_m;
    for (i, z) in zones.iter().enumerate() {
        if z.kind != ZoneKind::AccessiblePath {
            continue;
        }
        for poly in &z.outline.multi_polygon().0 {
            // A path with a hole is a loop: it has no dead ends.
            if !poly.interiors().is_empty() {
                continue;
            }
            for end in path_ends(poly, 2.0 * d + 1.0) {
                let p = Point(end);
                let joins_other = zones.iter().enumerate().any(|(j, o)| {
                    j != i
                        && (o.kind.is_step_free_network() || o.kind.needs_step_free_route())
                        && rects_near(&ctx.zone_rects[j], &geo::Rect::new(end, end), reach_m)
                        && polygons_min_distance(&p, o.outline.multi_polygon()) <= reach_m
                });
                let at_entrance = step_free
                    .iter()
                    .any(|e| Euclidean.distance(Point(e.position), p) <= reach_m + e.width_m);
                if joins_other || at_entrance || fits_near(end) {
                    continue;
                }
                out.push(
                    Finding::new(
                        RuleId::TurningSpace,
                        Severity::Warning,
                        vec![z.id.0.clone()],
                        Text::new(
                            format!(
                                "Accessible path {} ends near ({:.1}, {:.1}) without room for a Ø {d:.2} m turning circle.",
                                z.id, end.x, end.y
                            ),
                            format!(
                                "无障碍通道 {} 在 ({:.1}, {:.1}) 附近尽端处没有直径 {d:.2} m 的回转空间。",
                                z.id, end.x, end.y
                            ),
                        ),
                    )
                    .highlight(circle(end, d / 2.0, 24)),
                );
            }
        }
    }
}
