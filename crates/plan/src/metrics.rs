//! Metrics of a layout: areas and shares per zone kind, green ratio, permeable share, seats,
//! fitness stations, path length, reachability, rooftop peak load, and a bill of quantities.

use std::collections::BTreeMap;

use geo::{Area, BooleanOps, Euclidean, Length, Polygon};
use serde::{Deserialize, Serialize};

use crate::catalogue::{Catalogue, Category};
use crate::model::{Layout, Surface, ZoneKind};
use crate::rules::{Context, Finding, RuleSet, check_with};
use crate::text::Text;

/// Numbers describing a layout. Field names are part of `plotwise check`'s JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Plot area, m².
    pub plot_area_m2: f64,
    /// Per zone kind that occurs: count, area (inside the plot) and share of the plot.
    pub zones: Vec<KindArea>,
    /// Area of planting and lawn inside the plot (overlaps once), m².
    pub green_area_m2: f64,
    /// `green_area_m2` over the plot area (0–1).
    pub green_ratio: f64,
    /// Area of zones with a permeable surface (a zone without one counts by the catalogue's
    /// default surface for its kind), m².
    pub permeable_area_m2: f64,
    /// `permeable_area_m2` over the plot area (0–1).
    pub permeable_share: f64,
    /// Seats offered by elements.
    pub seats: u32,
    /// Number of fitness stations.
    pub fitness_stations: u32,
    /// Number of elements (all kinds).
    pub elements: u32,
    /// Centre-line length of accessible paths, m (estimated from area and perimeter).
    pub accessible_path_length_m: f64,
    /// Centre-line length of all paths (accessible or not), m.
    pub path_length_m: f64,
    /// Zones that need a step-free route (seating, fitness, play, shade) and have one.
    pub reachable_zones: Vec<String>,
    /// Zones that need a step-free route and have none.
    pub unreachable_zones: Vec<String>,
    /// Share of those zones that are reachable (1 when there are none).
    pub reachability: f64,
    /// On a rooftop with a declared capacity: the highest load utilisation, in % (the bare
    /// live load when nothing heavier is placed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roof_peak_utilisation_pct: Option<f64>,
    /// The id of the zone or element with the highest load, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roof_peak_id: Option<String>,
    /// Share (0–1) of the green area (planting ∪ lawn, within the plot) with at least
    /// `sunlight.min_hours` of sun on the standard day (rule `green-sunlight`). Present when
    /// the plot is georeferenced and has green area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunlit_green_share: Option<f64>,
    /// Mean hours of sun at seats on the standard day (each element with seats, weighted by
    /// its seats, at its centre). Present when the plot is georeferenced and has seats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_sun_hours_mean: Option<f64>,
    /// Least hours of sun at a seat on the standard day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_sun_hours_min: Option<f64>,
    /// The standard day and window behind the sun numbers, with their source. Present when
    /// the plot is georeferenced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunlight: Option<SunlightBasis>,
    /// Share (0–1) of seats (elements weighted by their seats) in shade for at least half
    /// (`summer_shade.shaded_share_min`) of 13:00–16:00 on 大暑, when buildings, kept trees,
    /// new trees, pergolas and shade zones cast shade. Present when the plot is georeferenced
    /// and has seats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summer_shaded_seat_share: Option<f64>,
    /// Mean hours out of direct sun at seats in that window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_summer_shade_hours_mean: Option<f64>,
    /// The day and window behind the summer shade numbers, with their source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summer_shade: Option<SummerShadeBasis>,
    /// The bill of quantities.
    pub cost: BillOfQuantities,
}

/// The standard day and window of the sun metrics and rules, as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SunlightBasis {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Start of the window, `HH:MM`.
    pub from: String,
    /// End of the window.
    pub to: String,
    /// `solar` (true solar time) or `standard`.
    pub clock: crate::sun::Clock,
    /// A spot counts as sunlit with this many hours.
    pub min_hours: f64,
    /// Where the values come from.
    pub source: String,
}

/// The day and window of the summer shade measure, as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummerShadeBasis {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// Start of the window, `HH:MM`.
    pub from: String,
    /// End of the window.
    pub to: String,
    /// `standard` (Beijing time by default) or `solar`.
    pub clock: crate::sun::Clock,
    /// A seat counts as shaded when out of direct sun for at least this share of the window.
    pub shaded_share_min: f64,
    /// Where the values come from.
    pub source: String,
}

/// Area of one zone kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindArea {
    /// The kind.
    pub kind: ZoneKind,
    /// Number of zones of this kind.
    pub count: u32,
    /// Their area inside the plot, m² (overlaps between zones of one kind counted once).
    pub area_m2: f64,
    /// `area_m2` over the plot area (0–1).
    pub share: f64,
}

/// A bill of quantities: one line per element kind and per surface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillOfQuantities {
    /// Currency of every amount.
    pub currency: String,
    /// Lines, elements first (catalogue order), then surfaces.
    pub lines: Vec<CostLine>,
    /// Sum of the lines.
    pub total: f64,
    /// Whether any line's price is an estimate.
    pub has_estimates: bool,
}

/// One line of the bill of quantities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostLine {
    /// Catalogue key or surface key.
    pub item: String,
    /// What it is.
    pub description: Text,
    /// Quantity, in `unit`.
    pub quantity: f64,
    /// `each` or `m2`.
    pub unit: String,
    /// Price per unit.
    pub unit_price: f64,
    /// `quantity × unit_price`.
    pub total: f64,
    /// Where the price comes from, or `estimate`.
    pub source: String,
    /// The ids of the zones or elements counted.
    pub ids: Vec<String>,
}

/// Findings and metrics together (what `plotwise check` prints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The findings.
    pub findings: Vec<Finding>,
    /// The metrics.
    pub metrics: Metrics,
}

/// Checks and measures a layout in one pass (the footprints and the step-free network are
/// computed once for both).
pub fn evaluate(layout: &Layout, rules: &RuleSet, catalogue: &Catalogue) -> Report {
    let ctx = Context::new(layout, rules, catalogue);
    let findings = check_with(&ctx);
    let metrics = metrics_with(&ctx);
    Report { findings, metrics }
}

/// Measures a layout.
pub fn metrics(layout: &Layout, rules: &RuleSet, catalogue: &Catalogue) -> Metrics {
    metrics_with(&Context::new(layout, rules, catalogue))
}

fn r2(v: f64) -> f64 {
    // `+ 0.0` turns -0.0 (the sum of nothing) into 0.0.
    (v * 100.0).round() / 100.0 + 0.0
}

fn r4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0 + 0.0
}

/// Centre-line length of a strip-like polygon: the length of the rectangle with the same area
/// and perimeter (exact for rectangles, close for bent strips of even width).
fn strip_length(p: &Polygon<f64>) -> f64 {
    let a = p.unsigned_area();
    let half = (Euclidean.length(p.exterior())
        + p.interiors()
            .iter()
            .map(|r| Euclidean.length(r))
            .sum::<f64>())
        / 2.0;
    let disc = (half * half - 4.0 * a).max(0.0);
    (half + disc.sqrt()) / 2.0
}

pub(crate) fn metrics_with(ctx: &Context) -> Metrics {
    let layout = ctx.layout;
    let plot_area = layout.plot.area_m2();
    let plot = ctx.plot;
    let mut by_kind: BTreeMap<ZoneKind, (u32, Vec<Polygon<f64>>)> = BTreeMap::new();
    for z in &layout.zones {
        let e = by_kind.entry(z.kind).or_default();
        e.0 += 1;
        e.1.extend(z.outline.multi_polygon().0.iter().cloned());
    }
    let mut zones = Vec::new();
    for (kind, (count, polys)) in &by_kind {
        let area = if *count == 1 {
            // One zone: no overlap to merge.
            geo::MultiPolygon::new(polys.clone())
                .intersection(plot)
                .unsigned_area()
        } else {
            geo::unary_union(polys).intersection(plot).unsigned_area()
        };
        zones.push(KindArea {
            kind: *kind,
            count: *count,
            area_m2: r2(area),
            share: r4(area / plot_area),
        });
    }
    let green = crate::rules::green_area(ctx);
    let permeable_polys: Vec<Polygon<f64>> = layout
        .zones
        .iter()
        .filter(
            |z| match z.surface.or_else(|| ctx.catalogue.default_surface(z.kind)) {
                Some(s) => s.is_permeable(),
                None => z.kind.is_green(),
            },
        )
        .flat_map(|z| z.outline.multi_polygon().0.iter().cloned())
        .collect();
    let permeable = if permeable_polys.is_empty() {
        0.0
    } else {
        geo::unary_union(&permeable_polys)
            .intersection(plot)
            .unsigned_area()
    };
    let seats = ctx.placed.iter().map(|p| p.item.seats).sum();
    let fitness_stations = ctx
        .placed
        .iter()
        .filter(|p| p.item.category == Category::Fitness)
        .count() as u32;
    let length_of = |k: &[ZoneKind]| -> f64 {
        layout
            .zones
            .iter()
            .filter(|z| k.contains(&z.kind))
            .flat_map(|z| z.outline.multi_polygon().0.iter())
            .map(strip_length)
            .sum()
    };
    let reach = crate::rules::reach(ctx);
    let mut reachable_zones = Vec::new();
    let mut unreachable_zones = Vec::new();
    for &i in &reach.targets {
        let id = layout.zones[i].id.0.clone();
        if reach.reachable[i] {
            reachable_zones.push(id);
        } else {
            unreachable_zones.push(id);
        }
    }
    let total_targets = reach.targets.len();
    let (roof_peak_utilisation_pct, roof_peak_id) = match crate::rules::roof_loads(ctx) {
        None => (None, None),
        Some((cap, loads)) => {
            let bare = ctx.rules.live_load_kn_m2 / cap;
            let peak = loads.iter().max_by(|a, b| a.ratio.total_cmp(&b.ratio));
            match peak {
                Some(l) if l.ratio > bare => (Some(r2(l.ratio * 100.0)), Some(l.id.clone())),
                _ => (Some(r2(bare * 100.0)), None),
            }
        }
    };
    let sun = crate::rules::sun::summary(ctx);
    let summer = crate::rules::sun::summer(ctx);
    let (seat_mean, seat_min) = match sun {
        Some(s) if !s.seats.is_empty() => {
            let n: u32 = s.seats.iter().map(|(_, k)| k).sum();
            let mean = s.seats.iter().map(|(h, k)| h * f64::from(*k)).sum::<f64>() / f64::from(n);
            let min = s
                .seats
                .iter()
                .map(|(h, _)| *h)
                .fold(f64::INFINITY, f64::min);
            (Some(mean), Some(min))
        }
        _ => (None, None),
    };
    Metrics {
        plot_area_m2: r2(plot_area),
        zones,
        green_area_m2: r2(green),
        green_ratio: r4(green / plot_area),
        permeable_area_m2: r2(permeable),
        permeable_share: r4(permeable / plot_area),
        seats,
        fitness_stations,
        elements: layout.elements.len() as u32,
        accessible_path_length_m: r2(length_of(&[ZoneKind::AccessiblePath])),
        path_length_m: r2(length_of(&[ZoneKind::AccessiblePath, ZoneKind::Path])),
        reachability: if total_targets == 0 {
            1.0
        } else {
            r4(reachable_zones.len() as f64 / total_targets as f64)
        },
        reachable_zones,
        unreachable_zones,
        roof_peak_utilisation_pct,
        roof_peak_id,
        sunlit_green_share: sun
            .and_then(|s| s.green.as_ref())
            .map(|(share, _)| r4(*share)),
        seat_sun_hours_mean: seat_mean.map(r2),
        seat_sun_hours_min: seat_min.map(r2),
        sunlight: sun.map(|s| SunlightBasis {
            day: s.window.date.to_string(),
            from: s.window.from.to_string(),
            to: s.window.to.to_string(),
            clock: s.window.clock,
            min_hours: ctx.rules.sunlight.min_hours,
            source: ctx.rules.sunlight.source.clone(),
        }),
        summer_shaded_seat_share: summer.as_ref().map(|s| r4(s.shaded_seat_share)),
        seat_summer_shade_hours_mean: summer.as_ref().map(|s| r2(s.shade_hours_mean)),
        summer_shade: summer.as_ref().map(|s| SummerShadeBasis {
            day: s.window.date.to_string(),
            from: s.window.from.to_string(),
            to: s.window.to.to_string(),
            clock: s.window.clock,
            shaded_share_min: ctx.rules.summer_shade.shaded_share_min,
            source: ctx.rules.summer_shade.source.clone(),
        }),
        cost: bill_of_quantities(ctx),
    }
}

fn bill_of_quantities(ctx: &Context) -> BillOfQuantities {
    let cat = ctx.catalogue;
    let mut lines = Vec::new();
    for item in &cat.items {
        let ids: Vec<String> = ctx
            .placed
            .iter()
            .filter(|p| p.item.key == item.key)
            .map(|p| p.element.id.0.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let q = ids.len() as f64;
        lines.push(CostLine {
            item: item.key.clone(),
            description: item.name.clone(),
            quantity: q,
            unit: item.price.unit.clone(),
            unit_price: item.price.amount,
            total: r2(q * item.price.amount),
            source: item.price.source.clone(),
            ids,
        });
    }
    let mut by_surface: BTreeMap<Surface, (f64, Vec<String>)> = BTreeMap::new();
    for z in &ctx.layout.zones {
        let Some(s) = z.surface.or_else(|| cat.default_surface(z.kind)) else {
            continue;
        };
        let area = if z.kind == ZoneKind::Shade {
            // A shade structure stands over another surface: its area is not surfacing.
            continue;
        } else {
            z.outline.area_m2()
        };
        let e = by_surface.entry(s).or_default();
        e.0 += area;
        e.1.push(z.id.0.clone());
    }
    for (s, (area, ids)) in by_surface {
        let Some(price) = cat.surface_price(s) else {
            continue;
        };
        let area = r2(area);
        lines.push(CostLine {
            item: s.key().to_owned(),
            description: surface_label(s),
            quantity: area,
            unit: price.unit.clone(),
            unit_price: price.amount,
            total: r2(area * price.amount),
            source: price.source.clone(),
            ids,
        });
    }
    let total = r2(lines.iter().map(|l| l.total).sum());
    let has_estimates = lines.iter().any(|l| l.source.starts_with("estimate"));
    BillOfQuantities {
        currency: cat.currency.clone(),
        lines,
        total,
        has_estimates,
    }
}

/// The name of a surface.
pub fn surface_label(s: Surface) -> Text {
    let (en, zh) = match s {
        Surface::Rubber => ("Rubber (EPDM) surfacing", "EPDM 塑胶地面"),
        Surface::PermeablePaving => ("Permeable paving", "透水铺装"),
        Surface::Paving => ("Paving", "硬质铺装"),
        Surface::Concrete => ("Concrete", "混凝土"),
        Surface::Asphalt => ("Asphalt", "沥青"),
        Surface::Gravel => ("Gravel", "碎石"),
        Surface::WoodDeck => ("Timber decking", "木平台"),
        Surface::Grass => ("Lawn turf", "草皮"),
        Surface::Soil => ("Planting soil and shrubs", "种植土及灌木"),
        Surface::LightSubstrate => ("Light green-roof substrate", "轻质屋顶绿化基质"),
        Surface::Mulch => ("Bark mulch", "树皮覆盖"),
        Surface::Sand => ("Sand", "沙"),
    };
    Text::new(en, zh)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geom::Outline;
    use crate::model::{Element, Plot, Zone};
    use approx::assert_relative_eq;
    use geo::{Coord, wkt};

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn areas_shares_seats_and_cost() {
        let plot = Plot::new("plot", Outline::rect(c(0.0, 0.0), c(20.0, 10.0)).unwrap());
        let mut l = Layout::new(plot);
        l.zones.push(Zone::new(
            "lawn",
            ZoneKind::Lawn,
            Outline::rect(c(0.0, 0.0), c(10.0, 10.0)).unwrap(),
        ));
        let mut path = Zone::new(
            "p",
            ZoneKind::AccessiblePath,
            Outline::rect(c(10.0, 0.0), c(20.0, 1.5)).unwrap(),
        );
        path.surface = Some(Surface::Rubber);
        l.zones.push(path);
        let bent = Outline::from_polygon(
            wkt! { POLYGON((10. 2.,20. 2.,20. 10.,18. 10.,18. 4.,10. 4.,10. 2.)) },
        )
        .unwrap();
        l.zones.push(Zone::new("bent", ZoneKind::Path, bent));
        l.elements.push(Element::new("b1", "bench", c(15.0, 5.0)));
        l.elements.push(Element::new("b2", "bench", c(15.0, 7.0)));
        l.elements
            .push(Element::new("f1", "fitness_station", c(12.0, 8.0)));
        let m = metrics(&l, &RuleSet::default(), &Catalogue::builtin());
        assert_eq!(m.plot_area_m2, 200.0);
        assert_eq!(m.green_area_m2, 100.0);
        assert_eq!(m.green_ratio, 0.5);
        // Lawn (default grass) and the path (default gravel) are permeable; rubber is not.
        assert_relative_eq!(m.permeable_area_m2, 100.0 + 32.0);
        assert_eq!((m.seats, m.fitness_stations, m.elements), (6, 1, 3));
        assert_relative_eq!(m.accessible_path_length_m, 10.0);
        // The L-shaped 2 m path: area 32, half perimeter 18 → 16 m centre line (≈ 9 + 7).
        assert_relative_eq!(m.path_length_m, 26.0);
        let lawn = m.zones.iter().find(|k| k.kind == ZoneKind::Lawn).unwrap();
        assert_eq!((lawn.count, lawn.area_m2, lawn.share), (1, 100.0, 0.5));
        let bench = m.cost.lines.iter().find(|l| l.item == "bench").unwrap();
        assert_eq!(
            (bench.quantity, bench.unit_price, bench.total),
            (2.0, 1800.0, 3600.0)
        );
        let rubber = m.cost.lines.iter().find(|l| l.item == "rubber").unwrap();
        assert_eq!((rubber.quantity, rubber.total), (15.0, 1800.0));
        assert!(!rubber.source.starts_with("estimate"));
        let sum: f64 = m.cost.lines.iter().map(|l| l.total).sum();
        assert_relative_eq!(m.cost.total, sum);
        assert!(m.cost.has_estimates);
        assert_eq!(m.roof_peak_utilisation_pct, None);
        assert_eq!(m.reachability, 1.0);
    }
}
