//! `unknown-element`, `containment`, `no-build` and `overlap`.

use geo::{BooleanOps, Contains, Coord, Intersects, MultiPolygon, Polygon};

use super::context::{Context, difference};
use super::{Finding, RuleId, Severity};
use crate::geom::rects_near;
use crate::text::Text;

pub(super) fn unknown_elements(ctx: &Context, out: &mut Vec<Finding>) {
    for &i in &ctx.unknown {
        let e = &ctx.layout.elements[i];
        out.push(
            Finding::new(
                RuleId::UnknownElement,
                Severity::Warning,
                vec![e.id.0.clone()],
                Text::new(
                    format!(
                        "Element {}: type `{}` is not in the catalogue, so it is not checked or costed.",
                        e.id, e.kind
                    ),
                    format!("元素 {}：类型“{}”不在目录中，无法检查或计价。", e.id, e.kind),
                ),
            )
            .highlight(geo::Point(e.position)),
        );
    }
}

/// Fast test: a small convex footprint lies inside the plot when all its corners are inside
/// and no plot vertex is inside it.
fn surely_inside(plot: &MultiPolygon<f64>, fp: &Polygon<f64>) -> bool {
    if !fp.exterior().0.iter().all(|c| plot.contains(c)) {
        return false;
    }
    let fp_rect = geo::BoundingRect::bounding_rect(fp);
    let Some(fp_rect) = fp_rect else { return false };
    !plot.0.iter().any(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .flat_map(|r| r.0.iter())
            .any(|c: &Coord<f64>| {
                c.x >= fp_rect.min().x
                    && c.x <= fp_rect.max().x
                    && c.y >= fp_rect.min().y
                    && c.y <= fp_rect.max().y
                    && fp.intersects(c)
            })
    })
}

pub(super) fn containment(ctx: &Context, out: &mut Vec<Finding>) {
    for z in &ctx.layout.zones {
        let outside = difference(z.outline.multi_polygon(), ctx.plot);
        if let Some(part) = ctx.substantial_part(outside) {
            let area = geo::Area::unsigned_area(&part);
            out.push(
                Finding::new(
                    RuleId::Containment,
                    Severity::Error,
                    vec![z.id.0.clone(), ctx.layout.plot.id.0.clone()],
                    Text::new(
                        format!("Zone {} extends {area:.2} m² outside the plot.", z.id),
                        format!("区域 {} 有 {area:.2} m² 超出地块边界。", z.id),
                    ),
                )
                .highlight(part),
            );
        }
    }
    for p in &ctx.placed {
        if surely_inside(ctx.plot, &p.footprint) {
            continue;
        }
        let outside = difference(&MultiPolygon::new(vec![p.footprint.clone()]), ctx.plot);
        if let Some(part) = ctx.substantial_part(outside) {
            let id = &p.element.id;
            out.push(
                Finding::new(
                    RuleId::Containment,
                    Severity::Error,
                    vec![id.0.clone(), ctx.layout.plot.id.0.clone()],
                    Text::new(
                        format!(
                            "{} {id} is partly or wholly outside the plot.",
                            p.item.name.en
                        ),
                        format!("{} {id} 部分或全部位于地块之外。", p.item.name.zh),
                    ),
                )
                .highlight(part),
            );
        }
    }
}

pub(super) fn no_build(ctx: &Context, out: &mut Vec<Finding>) {
    for nb in &ctx.layout.plot.no_build {
        let nb_mp = nb.outline.multi_polygon();
        let nb_rect = nb.outline.bounding_rect();
        let what = nb.reason.clone().unwrap_or_else(|| "no-build area".into());
        for (z, zr) in ctx.layout.zones.iter().zip(&ctx.zone_rects) {
            if !rects_near(zr, &nb_rect, 0.0) {
                continue;
            }
            let inter = z.outline.multi_polygon().intersection(nb_mp);
            if let Some(part) = ctx.substantial_part(inter) {
                out.push(
                    Finding::new(
                        RuleId::NoBuild,
                        Severity::Error,
                        vec![z.id.0.clone(), nb.id.0.clone()],
                        Text::new(
                            format!("Zone {} covers no-build area {} ({what}).", z.id, nb.id),
                            format!("区域 {} 占用了禁建区 {}（{what}）。", z.id, nb.id),
                        ),
                    )
                    .highlight(part),
                );
            }
        }
        for i in ctx.elements_near(&nb_rect, 0.0) {
            let p = &ctx.placed[i];
            if !p.footprint.intersects(nb_mp) {
                continue;
            }
            let inter = MultiPolygon::new(vec![p.footprint.clone()]).intersection(nb_mp);
            if let Some(part) = ctx.substantial_part(inter) {
                out.push(
                    Finding::new(
                        RuleId::NoBuild,
                        Severity::Error,
                        vec![p.element.id.0.clone(), nb.id.0.clone()],
                        Text::new(
                            format!(
                                "{} {} stands on no-build area {} ({what}).",
                                p.item.name.en, p.element.id, nb.id
                            ),
                            format!(
                                "{} {} 位于禁建区 {}（{what}）上。",
                                p.item.name.zh, p.element.id, nb.id
                            ),
                        ),
                    )
                    .highlight(part),
                );
            }
        }
    }
}

pub(super) fn overlap(ctx: &Context, out: &mut Vec<Finding>) {
    let zones = &ctx.layout.zones;
    for i in 0..zones.len() {
        for j in i + 1..zones.len() {
            let (a, b) = (&zones[i], &zones[j]);
            if ctx.rules.may_overlap(a.kind, b.kind)
                || !rects_near(&ctx.zone_rects[i], &ctx.zone_rects[j], 0.0)
            {
                continue;
            }
            let inter = a
                .outline
                .multi_polygon()
                .intersection(b.outline.multi_polygon());
            if let Some(part) = ctx.substantial_part(inter) {
                let area = geo::Area::unsigned_area(&part);
                let (ka, kb) = (a.kind.label(), b.kind.label());
                out.push(
                    Finding::new(
                        RuleId::Overlap,
                        Severity::Error,
                        vec![a.id.0.clone(), b.id.0.clone()],
                        Text::new(
                            format!(
                                "Zones {} ({}) and {} ({}) overlap by {area:.2} m².",
                                a.id, ka.en, b.id, kb.en
                            ),
                            format!(
                                "区域 {}（{}）与 {}（{}）重叠 {area:.2} m²。",
                                a.id, ka.zh, b.id, kb.zh
                            ),
                        ),
                    )
                    .highlight(part),
                );
            }
        }
    }
    for (i, a) in ctx.placed.iter().enumerate() {
        if !a.item.obstacle || a.item.overhead {
            continue;
        }
        for j in ctx.elements_near(&a.rect, 0.0) {
            if j <= i {
                continue;
            }
            let b = &ctx.placed[j];
            if !b.item.obstacle || b.item.overhead || !a.footprint.intersects(&b.footprint) {
                continue;
            }
            let inter = a.footprint.intersection(&b.footprint);
            if let Some(part) = ctx.substantial_part(inter) {
                out.push(
                    Finding::new(
                        RuleId::Overlap,
                        Severity::Error,
                        vec![a.element.id.0.clone(), b.element.id.0.clone()],
                        Text::new(
                            format!(
                                "{} {} and {} {} overlap.",
                                a.item.name.en, a.element.id, b.item.name.en, b.element.id
                            ),
                            format!(
                                "{} {} 与 {} {} 重叠。",
                                a.item.name.zh, a.element.id, b.item.name.zh, b.element.id
                            ),
                        ),
                    )
                    .highlight(part),
                );
            }
        }
    }
}
