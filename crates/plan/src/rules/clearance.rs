//! `fitness-clearance`, `play-clearance` and `tree-protection`.

use geo::{BooleanOps, Distance, Euclidean, Intersects, LineString, MultiPolygon, Point};

use super::context::{Context, Placed};
use super::{Finding, RuleId, Severity};
use crate::catalogue::Category;
use crate::geom::{circle, rects_near};
use crate::text::Text;

/// The footprint grown by `d` on every side, drawn without boolean operations.
fn free_space(p: &Placed, d: f64) -> MultiPolygon<f64> {
    let e = p.element;
    MultiPolygon::new(vec![p.item.grown_at(
        e.position,
        e.rotation_deg,
        e.size.map(|s| (s.width_m, s.depth_m)),
        d,
    )])
}

/// What to highlight for two elements too close: the free space and the intruder.
fn pair_highlight(a: &Placed, d: f64, b: &Placed) -> geo::Geometry<f64> {
    let mut parts: Vec<geo::Geometry<f64>> = free_space(a, d)
        .0
        .into_iter()
        .map(geo::Geometry::Polygon)
        .collect();
    parts.push(geo::Geometry::Polygon(b.footprint.clone()));
    geo::Geometry::GeometryCollection(geo::GeometryCollection(parts))
}

fn plot_rings<'a>(ctx: &Context<'a>) -> Vec<&'a LineString<f64>> {
    ctx.plot
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .collect()
}

pub(super) fn fitness(ctx: &Context, out: &mut Vec<Finding>) {
    let rings = plot_rings(ctx);
    for (i, a) in ctx.placed.iter().enumerate() {
        if a.item.category != Category::Fitness {
            continue;
        }
        let d = ctx.rules.fitness_clearance_m.max(a.item.clearance_m);
        let (an, az) = (&a.item.name.en, &a.item.name.zh);
        let aid = &a.element.id;
        for j in ctx.elements_near(&a.rect, d) {
            let b = &ctx.placed[j];
            // Report a pair of fitness stations once.
            if j == i || (b.item.category == Category::Fitness && j < i) {
                continue;
            }
            let dist = Euclidean.distance(&a.footprint, &b.footprint);
            if dist < d - 1e-9 {
                out.push(
                    Finding::new(
                        RuleId::FitnessClearance,
                        Severity::Error,
                        vec![aid.0.clone(), b.element.id.0.clone()],
                        Text::new(
                            format!(
                                "{an} {aid}: {} {} is {dist:.2} m away; keep {d:.2} m of free space around fitness equipment.",
                                b.item.name.en, b.element.id
                            ),
                            format!(
                                "{az} {aid}：{} {} 相距仅 {dist:.2} m；健身器材周围应留 {d:.2} m 安全空间。",
                                b.item.name.zh, b.element.id
                            ),
                        ),
                    )
                    .highlight(pair_highlight(a, d, b))
                    .measured(dist, d),
                );
            }
        }
        for t in &ctx.layout.plot.keep_trees {
            let dist = Euclidean.distance(&Point(t.position), &a.footprint);
            if dist < d - 1e-9 {
                out.push(
                    Finding::new(
                        RuleId::FitnessClearance,
                        Severity::Error,
                        vec![aid.0.clone(), t.id.0.clone()],
                        Text::new(
                            format!("{an} {aid}: tree {} is {dist:.2} m away; keep {d:.2} m of free space.", t.id),
                            format!("{az} {aid}：树木 {} 相距仅 {dist:.2} m；应留 {d:.2} m 安全空间。", t.id),
                        ),
                    )
                    .highlight(free_space(a, d))
                    .measured(dist, d),
                );
            }
        }
        let edge = rings
            .iter()
            .map(|r| Euclidean.distance(*r, &a.footprint))
            .fold(f64::INFINITY, f64::min);
        if edge < d - 1e-9 {
            out.push(
                Finding::new(
                    RuleId::FitnessClearance,
                    Severity::Error,
                    vec![aid.0.clone(), ctx.layout.plot.id.0.clone()],
                    Text::new(
                        format!("{an} {aid} is {edge:.2} m from the plot edge; keep {d:.2} m of free space."),
                        format!("{az} {aid} 距地块边界仅 {edge:.2} m；应留 {d:.2} m 安全空间。"),
                    ),
                )
                .highlight(free_space(a, d).difference(ctx.plot))
                .measured(edge, d),
            );
        }
    }
}

pub(super) fn play(ctx: &Context, out: &mut Vec<Finding>) {
    for (i, a) in ctx.placed.iter().enumerate() {
        if !matches!(a.item.category, Category::Play | Category::Sport) {
            continue;
        }
        let d = ctx.rules.play_clearance_m.max(a.item.clearance_m);
        let (an, az) = (&a.item.name.en, &a.item.name.zh);
        let aid = &a.element.id;
        for j in ctx.elements_near(&a.rect, d) {
            let b = &ctx.placed[j];
            if j == i || !b.item.obstacle || b.item.overhead {
                continue;
            }
            let dist = Euclidean.distance(&a.footprint, &b.footprint);
            if dist < d - 1e-9 {
                out.push(
                    Finding::new(
                        RuleId::PlayClearance,
                        Severity::Error,
                        vec![aid.0.clone(), b.element.id.0.clone()],
                        Text::new(
                            format!(
                                "{an} {aid}: {} {} stands {dist:.2} m away, inside the {d:.2} m impact area.",
                                b.item.name.en, b.element.id
                            ),
                            format!(
                                "{az} {aid}：{} {} 相距 {dist:.2} m，位于 {d:.2} m 冲击区内。",
                                b.item.name.zh, b.element.id
                            ),
                        ),
                    )
                    .highlight(pair_highlight(a, d, b))
                    .measured(dist, d),
                );
            }
        }
        for t in &ctx.layout.plot.keep_trees {
            let dist = Euclidean.distance(&Point(t.position), &a.footprint);
            if dist < d - 1e-9 {
                out.push(
                    Finding::new(
                        RuleId::PlayClearance,
                        Severity::Error,
                        vec![aid.0.clone(), t.id.0.clone()],
                        Text::new(
                            format!("{an} {aid}: tree {} is {dist:.2} m away, inside the {d:.2} m impact area.", t.id),
                            format!("{az} {aid}：树木 {} 相距 {dist:.2} m，位于 {d:.2} m 冲击区内。", t.id),
                        ),
                    )
                    .highlight(free_space(a, d))
                    .measured(dist, d),
                );
            }
        }
    }
}

pub(super) fn tree_protection(ctx: &Context, out: &mut Vec<Finding>) {
    for t in &ctx.layout.plot.keep_trees {
        let r = t.protect_radius_m;
        if r <= 0.0 {
            continue;
        }
        let disc = MultiPolygon::new(vec![circle(t.position, r, 48)]);
        let rect = geo::Rect::new(
            geo::Coord {
                x: t.position.x - r,
                y: t.position.y - r,
            },
            geo::Coord {
                x: t.position.x + r,
                y: t.position.y + r,
            },
        );
        for (z, zr) in ctx.layout.zones.iter().zip(&ctx.zone_rects) {
            if z.kind.is_green() || !rects_near(zr, &rect, 0.0) {
                continue;
            }
            let inter = z.outline.multi_polygon().intersection(&disc);
            if let Some(part) = ctx.substantial_part(inter) {
                let k = z.kind.label();
                out.push(
                    Finding::new(
                        RuleId::TreeProtection,
                        Severity::Error,
                        vec![t.id.0.clone(), z.id.0.clone()],
                        Text::new(
                            format!("{} {} (hard surface) enters the {r:.1} m protection radius of tree {}.", k.en, z.id, t.id),
                            format!("{} {}（硬质铺装）进入树木 {} 的 {r:.1} m 保护范围。", k.zh, z.id, t.id),
                        ),
                    )
                    .highlight(part),
                );
            }
        }
        for j in ctx.elements_near(&rect, 0.0) {
            let p = &ctx.placed[j];
            if !p.footprint.intersects(&disc) {
                continue;
            }
            let dist = Euclidean.distance(&Point(t.position), &p.footprint);
            if dist < r - ctx.rules.sliver_tolerance_m {
                out.push(
                    Finding::new(
                        RuleId::TreeProtection,
                        Severity::Error,
                        vec![t.id.0.clone(), p.element.id.0.clone()],
                        Text::new(
                            format!(
                                "{} {} is {dist:.2} m from tree {}, inside its {r:.1} m protection radius.",
                                p.item.name.en, p.element.id, t.id
                            ),
                            format!(
                                "{} {} 距树木 {} 仅 {dist:.2} m，位于其 {r:.1} m 保护范围内。",
                                p.item.name.zh, p.element.id, t.id
                            ),
                        ),
                    )
                    .highlight(MultiPolygon::new(vec![p.footprint.clone()]).intersection(&disc))
                    .measured(dist, r),
                );
            }
        }
    }
}
