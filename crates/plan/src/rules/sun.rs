//! `green-sunlight` and `activity-sunlight`, and the sun numbers the metrics report.
//!
//! Spots are the centres of a `sunlight.grid_m` grid aligned on the plot's bounding box (one
//! inside point for an area smaller than a cell); a spot is sunlit with at least
//! `sunlight.min_hours` of direct sun on the standard day. The green area is (planting ∪
//! lawn) ∩ plot; its sunlit share is the share of its spots that are sunlit. A seating or play
//! zone's hours are the median over its spots (at least half of it gets that much). Only the
//! plot's buildings cast shadow. Without buildings neither rule fires.

use geo::{BooleanOps, Coord, MultiPoint, MultiPolygon, Point, Polygon};

use super::context::Context;
use super::{Finding, RuleId, Severity};
use crate::model::ZoneKind;
use crate::rules::ruleset::SunDay;
use crate::sun::{Clock, SunAnalysis, SunWindow, sample_points};
use crate::text::Text;

/// Sample spots with their hours of sun.
pub(crate) type Spots = Vec<(Coord<f64>, f64)>;

/// What the sun rules and metrics need, computed once per check.
pub(crate) struct SunSummary {
    pub window: SunWindow,
    /// Whether any building casts shadow.
    pub has_buildings: bool,
    /// Sunlit share of the green area and its spots (hours each), if there is green area.
    pub green: Option<(f64, Spots)>,
    /// Seating and play zones: zone index, median hours, spots.
    pub activity: Vec<(usize, f64, Spots)>,
    /// Elements with seats: hours at the element's centre and its seats.
    pub seats: Vec<(f64, u32)>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(feature = "sun")]
fn compute(ctx: &Context) -> Option<SunSummary> {
    let s = &ctx.rules.sunlight;
    let window = s.window().ok()?;
    let a = SunAnalysis::new(ctx.layout, &window, None).ok()?;
    let has_buildings = !ctx.layout.plot.buildings.is_empty();
    let origin = ctx.layout.plot.outline.bounding_rect().min();
    let cell = s.grid_m;
    let points_of = |mp: &MultiPolygon<f64>| -> Option<Spots> {
        if has_buildings {
            let pts = sample_points(mp, origin, cell).ok()?;
            let hours = a.hours_at_many(&pts);
            Some(pts.into_iter().zip(hours).collect())
        } else {
            // Without buildings every spot gets the same sun: one spot stands for all.
            let p = geo::InteriorPoint::interior_point(mp)?;
            Some(vec![(p.0, a.hours_at(p.0))])
        }
    };
    let green_polys: Vec<Polygon<f64>> = ctx
        .layout
        .zones
        .iter()
        .filter(|z| z.kind.is_green())
        .flat_map(|z| z.outline.multi_polygon().0.iter().cloned())
        .collect();
    let green = if green_polys.is_empty() {
        None
    } else {
        let area = geo::unary_union(&green_polys).intersection(ctx.plot);
        points_of(&area).filter(|p| !p.is_empty()).map(|pts| {
            let lit = pts.iter().filter(|(_, h)| *h + 1e-9 >= s.min_hours).count();
            (lit as f64 / pts.len() as f64, pts)
        })
    };
    let mut activity = Vec::new();
    for (i, z) in ctx.layout.zones.iter().enumerate() {
        if !matches!(z.kind, ZoneKind::Seating | ZoneKind::Play) {
            continue;
        }
        if let Some(pts) = points_of(z.outline.multi_polygon()).filter(|p| !p.is_empty()) {
            let m = median(pts.iter().map(|(_, h)| *h).collect());
            activity.push((i, m, pts));
        }
    }
    let seated: Vec<_> = ctx.placed.iter().filter(|p| p.item.seats > 0).collect();
    let at: Vec<Coord<f64>> = seated.iter().map(|p| p.element.position).collect();
    let seats = a
        .hours_at_many(&at)
        .into_iter()
        .zip(&seated)
        .map(|(h, p)| (h, p.item.seats))
        .collect();
    Some(SunSummary {
        window,
        has_buildings,
        green,
        activity,
        seats,
    })
}

/// The sun summary of this check (computed on first use), or `None` when the plot has no
/// geographic position.
///
/// Without the `sun` feature (the browser bundles, for their size budget) there is none, so
/// the two sunlight rules find nothing and the sun metrics are absent: the server and the
/// command line, which have the feature, compute them.
pub(crate) fn summary<'c>(ctx: &'c Context) -> Option<&'c SunSummary> {
    #[cfg(feature = "sun")]
    {
        ctx.sun.get_or_init(|| compute(ctx)).as_ref()
    }
    #[cfg(not(feature = "sun"))]
    {
        let _ = ctx;
        None
    }
}

/// "on 2026-01-20 (大寒), 08:00–16:00 true solar time" in both languages.
fn when(ctx: &Context, w: &SunWindow) -> (String, String) {
    let dahan = matches!(ctx.rules.sunlight.day, SunDay::Dahan);
    let (clock_en, clock_zh) = match w.clock {
        Clock::Solar => ("true solar time".to_owned(), "真太阳时".to_owned()),
        Clock::Standard => (
            format!("UTC{}", w.utc_offset),
            format!("UTC{} 标准时间", w.utc_offset),
        ),
    };
    (
        format!(
            "on {}{}, {}–{} {clock_en}",
            w.date,
            if dahan { " (Greater Cold, 大寒)" } else { "" },
            w.from,
            w.to
        ),
        format!(
            "{}{}{}–{}（{clock_zh}）",
            w.date,
            if dahan { "（大寒日）" } else { "" },
            w.from,
            w.to
        ),
    )
}

pub(super) fn green_sunlight(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(sum) = summary(ctx) else { return };
    let Some((share, pts)) = &sum.green else {
        return;
    };
    let s = &ctx.rules.sunlight;
    if !sum.has_buildings || *share + 1e-9 >= s.green_share_min {
        return;
    }
    let (when_en, when_zh) = when(ctx, &sum.window);
    let shaded: Vec<Point<f64>> = pts
        .iter()
        .filter(|(_, h)| *h + 1e-9 < s.min_hours)
        .map(|(c, _)| Point(*c))
        .collect();
    out.push(
        Finding::new(
            RuleId::GreenSunlight,
            Severity::Warning,
            vec![ctx.layout.plot.id.0.clone()],
            Text::new(
                format!(
                    "Only {:.0} % of the planting and lawn gets at least {} h of sun {when_en}, under the {:.0} % asked for.",
                    share * 100.0,
                    s.min_hours,
                    s.green_share_min * 100.0
                ),
                format!(
                    "{when_zh}日照不少于 {} 小时的种植与草坪只占 {:.0}%，低于要求的 {:.0}%。",
                    s.min_hours,
                    share * 100.0,
                    s.green_share_min * 100.0
                ),
            ),
        )
        .highlight(MultiPoint::new(shaded))
        .measured(share * 100.0, super::finding::round3(s.green_share_min * 100.0)),
    );
}

pub(super) fn activity_sunlight(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(sum) = summary(ctx) else { return };
    if !sum.has_buildings {
        return;
    }
    let s = &ctx.rules.sunlight;
    let (when_en, when_zh) = when(ctx, &sum.window);
    for (i, m, pts) in &sum.activity {
        if *m + 1e-9 >= s.min_hours {
            continue;
        }
        let z = &ctx.layout.zones[*i];
        let kind = z.kind.label();
        let kind_en = {
            let mut c = kind.en.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        let shaded: Vec<Point<f64>> = pts
            .iter()
            .filter(|(_, h)| *h + 1e-9 < s.min_hours)
            .map(|(c, _)| Point(*c))
            .collect();
        out.push(
            Finding::new(
                RuleId::ActivitySunlight,
                Severity::Warning,
                vec![z.id.0.clone()],
                Text::new(
                    format!(
                        "{} {} gets {m:.1} h of sun {when_en} (median over the zone), under {} h.",
                        kind_en, z.id, s.min_hours
                    ),
                    format!(
                        "{} {}：{when_zh}日照 {m:.1} 小时（全区中位数），不足 {} 小时。",
                        kind.zh, z.id, s.min_hours
                    ),
                ),
            )
            .highlight(MultiPoint::new(shaded))
            .measured(*m, s.min_hours),
        );
    }
}

/// The summer shade at seats (see [`crate::rules::SummerShade`]).
pub(crate) struct SummerSummary {
    /// The day and window.
    pub window: SunWindow,
    /// Share of seats (elements weighted by their seats) in shade for at least
    /// `summer_shade.shaded_share_min` of the window's sunny samples.
    pub shaded_seat_share: f64,
    /// Mean hours out of direct sun at seats within the window, while the sun is up.
    pub shade_hours_mean: f64,
}

/// Everything that casts shade in summer: buildings, kept trees' crowns, elements with a
/// shading part (new trees, pergolas), shade zones' roofs.
#[cfg(feature = "sun")]
fn summer_casters(ctx: &Context) -> Vec<crate::sun::Caster> {
    use crate::sun::Caster;
    let s = &ctx.rules.summer_shade;
    let plot = &ctx.layout.plot;
    let mut out: Vec<Caster> = plot.buildings.iter().map(Caster::building).collect();
    for t in &plot.keep_trees {
        let top = t.height_m.unwrap_or(s.keep_tree_height_m);
        if t.canopy_radius_m > 0.0 && top > 0.0 {
            out.push(Caster {
                footprint: MultiPolygon::new(vec![crate::geom::circle(
                    t.position,
                    t.canopy_radius_m,
                    32,
                )]),
                base_m: s.keep_tree_crown_base_m.min(top / 2.0),
                top_m: top,
            });
        }
    }
    for p in &ctx.placed {
        let Some(shade) = p.item.shade else { continue };
        let footprint = match shade.crown_diameter_m {
            Some(d) if d > 0.0 => crate::geom::circle(p.element.position, d / 2.0, 32),
            _ => p.footprint.clone(),
        };
        out.push(Caster {
            footprint: MultiPolygon::new(vec![footprint]),
            base_m: shade.from_m,
            top_m: shade.to_m,
        });
    }
    for z in ctx
        .layout
        .zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Shade)
    {
        out.push(Caster {
            footprint: z.outline.multi_polygon().clone(),
            base_m: (s.shade_zone_roof_m - 0.2).max(0.0),
            top_m: s.shade_zone_roof_m,
        });
    }
    out
}

/// The summer shade at seats, or `None` without seats, a geographic position, or the `sun`
/// feature.
pub(crate) fn summer(ctx: &Context) -> Option<SummerSummary> {
    #[cfg(feature = "sun")]
    {
        let s = &ctx.rules.summer_shade;
        let seated: Vec<_> = ctx.placed.iter().filter(|p| p.item.seats > 0).collect();
        if seated.is_empty() {
            return None;
        }
        let window = s.window().ok()?;
        let track =
            crate::sun::SunTrack::cached(crate::sun::location(ctx.layout)?, &window).ok()?;
        let up = track.sun_up_samples();
        if up == 0 {
            return None;
        }
        let points: Vec<Coord<f64>> = seated.iter().map(|p| p.element.position).collect();
        let mut extent = ctx.layout.plot.outline.bounding_rect();
        for p in &points {
            extent = geo::Rect::new(
                Coord {
                    x: extent.min().x.min(p.x),
                    y: extent.min().y.min(p.y),
                },
                Coord {
                    x: extent.max().x.max(p.x),
                    y: extent.max().y.max(p.y),
                },
            );
        }
        let shadows = crate::sun::cached_shadows(&summer_casters(ctx), &track, extent);
        let up_min = f64::from(up * window.step_min);
        let mut seats = 0u32;
        let mut shaded_seats = 0u32;
        let mut shade_min = 0.0;
        for (p, sun) in seated.iter().zip(shadows.sun_minutes_many(&points)) {
            let k = p.item.seats;
            let shaded = up_min - f64::from(sun);
            seats += k;
            shade_min += shaded * f64::from(k);
            if shaded + 1e-9 >= s.shaded_share_min * up_min {
                shaded_seats += k;
            }
        }
        Some(SummerSummary {
            window,
            shaded_seat_share: f64::from(shaded_seats) / f64::from(seats),
            shade_hours_mean: shade_min / f64::from(seats) / 60.0,
        })
    }
    #[cfg(not(feature = "sun"))]
    {
        let _ = ctx;
        None
    }
}
