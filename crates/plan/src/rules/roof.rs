//! `roof-load` and `parapet`.

use geo::{Area, Geometry, MultiPolygon};

use super::context::Context;
use super::{Finding, RuleId, Severity};
use crate::model::Surface;
use crate::text::Text;

/// The load of one zone or element on a roof.
pub(crate) struct Load {
    pub id: String,
    pub label: Text,
    /// Total load, kN/m² (dead + live).
    pub kn_m2: f64,
    /// `kn_m2` over the declared capacity.
    pub ratio: f64,
    pub geometry: Geometry<f64>,
}

/// Loads of every zone and element with added weight, and of the bare roof under live load,
/// or `None` when the plot is not a rooftop or has no declared capacity.
pub(crate) fn roof_loads(ctx: &Context) -> Option<(f64, Vec<Load>)> {
    let roof = ctx.layout.plot.rooftop()?;
    let cap = roof.declared_slab_capacity_kn_m2.filter(|c| *c > 0.0)?;
    let live = ctx.rules.live_load_kn_m2;
    let mut loads = Vec::new();
    for z in &ctx.layout.zones {
        let Some(depth) = z.soil_depth_m.filter(|d| *d > 0.0) else {
            continue;
        };
        let unit = if z.surface == Some(Surface::LightSubstrate) {
            ctx.rules.light_substrate_unit_weight_kn_m3
        } else {
            ctx.rules.soil_unit_weight_kn_m3
        };
        let kn_m2 = depth * unit + live;
        let k = z.kind.label();
        loads.push(Load {
            id: z.id.0.clone(),
            label: Text::new(
                format!("{} {} ({depth:.2} m of soil at {unit} kN/m³)", k.en, z.id),
                format!("{} {}（{depth:.2} m 厚种植土，{unit} kN/m³）", k.zh, z.id),
            ),
            kn_m2,
            ratio: kn_m2 / cap,
            geometry: z.outline.multi_polygon().clone().into(),
        });
    }
    for p in &ctx.placed {
        if p.item.weight_kn <= 0.0 {
            continue;
        }
        let area = p.footprint.unsigned_area();
        if area <= 0.0 {
            continue;
        }
        let spread = area.max(ctx.rules.roof_load_min_area_m2);
        let kn_m2 = p.item.weight_kn / spread + live;
        loads.push(Load {
            id: p.element.id.0.clone(),
            label: Text::new(
                format!(
                    "{} {} ({:.1} kN on {area:.2} m²)",
                    p.item.name.en, p.element.id, p.item.weight_kn
                ),
                format!(
                    "{} {}（{:.1} kN，占地 {area:.2} m²）",
                    p.item.name.zh, p.element.id, p.item.weight_kn
                ),
            ),
            kn_m2,
            ratio: kn_m2 / cap,
            geometry: MultiPolygon::new(vec![p.footprint.clone()]).into(),
        });
    }
    Some((cap, loads))
}

pub(super) fn roof_load(ctx: &Context, out: &mut Vec<Finding>) {
    if ctx.layout.plot.rooftop().is_none() {
        return;
    }
    let plot_id = ctx.layout.plot.id.0.clone();
    let Some((cap, loads)) = roof_loads(ctx) else {
        out.push(
            Finding::new(
                RuleId::RoofLoad,
                Severity::Warning,
                vec![plot_id],
                Text::new(
                    "Rooftop without a declared slab capacity: loads cannot be checked. Ask the building's engineer.",
                    "屋面未给出楼板允许荷载，无法核算荷载，请向结构工程师确认。",
                ),
            )
            .highlight(ctx.plot.clone()),
        );
        return;
    };
    let live = ctx.rules.live_load_kn_m2;
    if live / cap > ctx.rules.roof_load_warning_ratio {
        let pct = live / cap * 100.0;
        out.push(
            Finding::new(
                RuleId::RoofLoad,
                if live / cap > ctx.rules.roof_load_error_ratio { Severity::Error } else { Severity::Warning },
                vec![plot_id],
                Text::new(
                    format!("The live load alone ({live:.1} kN/m²) uses {pct:.0} % of the slab capacity ({cap:.1} kN/m²)."),
                    format!("仅活荷载（{live:.1} kN/m²）就占楼板允许荷载（{cap:.1} kN/m²）的 {pct:.0}%。"),
                ),
            )
            .highlight(ctx.plot.clone())
            .measured(pct, ctx.rules.roof_load_warning_ratio * 100.0),
        );
    }
    for l in loads {
        let sev = if l.ratio > ctx.rules.roof_load_error_ratio {
            Severity::Error
        } else if l.ratio > ctx.rules.roof_load_warning_ratio {
            Severity::Warning
        } else {
            continue;
        };
        let pct = l.ratio * 100.0;
        let limit = if sev == Severity::Error {
            ctx.rules.roof_load_error_ratio
        } else {
            ctx.rules.roof_load_warning_ratio
        } * 100.0;
        out.push(
            Finding::new(
                RuleId::RoofLoad,
                sev,
                vec![l.id],
                Text::new(
                    format!(
                        "{}: {:.2} kN/m² including {live:.1} kN/m² live load is {pct:.0} % of the declared slab capacity {cap:.1} kN/m².",
                        l.label.en, l.kn_m2
                    ),
                    format!(
                        "{}：含 {live:.1} kN/m² 活荷载共 {:.2} kN/m²，为楼板允许荷载 {cap:.1} kN/m² 的 {pct:.0}%。",
                        l.label.zh, l.kn_m2
                    ),
                ),
            )
            .highlight(l.geometry)
            .measured(pct, limit),
        );
    }
}

pub(super) fn parapet(ctx: &Context, out: &mut Vec<Finding>) {
    let Some(roof) = ctx.layout.plot.rooftop() else {
        return;
    };
    let id = ctx.layout.plot.id.0.clone();
    let rules = ctx.rules;
    let boundary: Geometry<f64> =
        geo::MultiLineString::new(ctx.plot.0.iter().map(|p| p.exterior().clone()).collect()).into();
    let (required, drop_note_en, drop_note_zh) = match roof.drop_height_m {
        Some(d) if d >= rules.parapet_high_drop_m => (
            rules.parapet_min_high_m,
            format!("a drop of {d:.1} m"),
            format!("临空高度 {d:.1} m"),
        ),
        Some(d) => (
            rules.parapet_min_m,
            format!("a drop of {d:.1} m"),
            format!("临空高度 {d:.1} m"),
        ),
        None => (
            rules.parapet_min_high_m,
            "an unrecorded drop height".to_owned(),
            "临空高度未记录".to_owned(),
        ),
    };
    match roof.parapet_height_m {
        None => out.push(
            Finding::new(
                RuleId::Parapet,
                Severity::Warning,
                vec![id],
                Text::new(
                    format!("Parapet height not recorded; with {drop_note_en} it must be at least {required:.2} m."),
                    format!("未记录女儿墙高度；{drop_note_zh}时应不低于 {required:.2} m。"),
                ),
            )
            .highlight(boundary),
        ),
        Some(h) if h + 1e-9 < required => out.push(
            Finding::new(
                RuleId::Parapet,
                Severity::Error,
                vec![id],
                Text::new(
                    format!("Parapet {h:.2} m high; with {drop_note_en} it must be at least {required:.2} m."),
                    format!("女儿墙高 {h:.2} m；{drop_note_zh}时应不低于 {required:.2} m。"),
                ),
            )
            .highlight(boundary)
            .measured(h, required),
        ),
        Some(_) => {}
    }
}
