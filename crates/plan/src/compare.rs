//! Comparing layouts: a metrics table of N layouts with a findings summary, and the
//! difference between two layouts with geometry to draw.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Area, BooleanOps, Coord, Geometry, MultiPolygon};
use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::geom::geometry_serde;
use crate::metrics::{Metrics, evaluate};
use crate::model::{Layout, ObjectRef, ZoneKind};
use crate::rules::{RuleSet, Severity};
use crate::text::Text;

/// N layouts side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Whether every layout has the same plot outline (otherwise areas are not comparable).
    pub same_plot: bool,
    /// One column per layout, in the order given.
    pub columns: Vec<Column>,
    /// The metrics table: one row per measure, one value per column.
    pub rows: Vec<Row>,
}

/// One layout in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The layout's title.
    pub title: String,
    /// Its author.
    pub author: String,
    /// Its metrics.
    pub metrics: Metrics,
    /// Its findings, counted.
    pub findings: FindingSummary,
}

/// Findings counted by severity and by rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FindingSummary {
    /// Errors.
    pub errors: u32,
    /// Warnings.
    pub warnings: u32,
    /// Infos.
    pub infos: u32,
    /// Count per rule id.
    pub by_rule: BTreeMap<String, u32>,
}

/// One row of the metrics table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Stable key (`green_ratio`).
    pub key: String,
    /// Label to show.
    pub label: Text,
    /// Unit (`m²`, `%`, `CNY`, …; empty for counts).
    pub unit: String,
    /// One value per column (`None` where it does not apply, e.g. roof load on the ground).
    pub values: Vec<Option<f64>>,
    /// Which way is better for residents (`None`: neither, e.g. plot or zone areas).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
}

/// Which values of a row are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// More is better (green ratio, seats, reachable zones…).
    Higher,
    /// Less is better (cost, errors, roof load…).
    Lower,
}

impl Row {
    /// The best value of the row, if the row has a direction and the options differ (when
    /// every option has the same value, none is "best"). Values within 1e-9 count as equal.
    pub fn best(&self) -> Option<f64> {
        let better = self.better?;
        let vals = self.values.iter().flatten().copied();
        let best = match better {
            Better::Higher => vals.clone().fold(f64::NEG_INFINITY, f64::max),
            Better::Lower => vals.clone().fold(f64::INFINITY, f64::min),
        };
        let mut vals = vals;
        (best.is_finite() && vals.any(|v| (v - best).abs() > 1e-9)).then_some(best)
    }

    /// Whether `value` is this row's best (see [`Row::best`]).
    pub fn is_best(&self, value: Option<f64>) -> bool {
        matches!((value, self.best()), (Some(v), Some(b)) if (v - b).abs() <= 1e-9)
    }
}

/// Compares layouts (normally of one plot) under one rule set and catalogue.
pub fn compare(layouts: &[&Layout], rules: &RuleSet, catalogue: &Catalogue) -> Comparison {
    let columns: Vec<Column> = layouts
        .iter()
        .map(|l| {
            let report = evaluate(l, rules, catalogue);
            let mut s = FindingSummary::default();
            for f in &report.findings {
                match f.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
                *s.by_rule.entry(f.rule.clone()).or_default() += 1;
            }
            Column {
                title: l.title.clone(),
                author: l.author.clone(),
                metrics: report.metrics,
                findings: s,
            }
        })
        .collect();
    let same_plot = layouts
        .windows(2)
        .all(|w| w[0].plot.outline == w[1].plot.outline);
    let row = |key: &str, en: &str, zh: &str, unit: &str, f: &dyn Fn(&Column) -> Option<f64>| Row {
        key: key.to_owned(),
        label: Text::new(en, zh),
        unit: unit.to_owned(),
        values: columns.iter().map(f).collect(),
        better: match key {
            "green_ratio"
            | "permeable_share"
            | "seats"
            | "fitness_stations"
            | "accessible_path_length_m"
            | "reachability"
            | "sunlit_green_share"
            | "seat_sun_hours_mean"
            | "seat_sun_hours_min"
            | "summer_shaded_seat_share" => Some(Better::Higher),
            "cost_total" | "errors" | "warnings" | "roof_peak_utilisation_pct" => {
                Some(Better::Lower)
            }
            _ => None,
        },
    };
    let mut rows = vec![
        row("plot_area_m2", "Plot area", "地块面积", "m²", &|c| {
            Some(c.metrics.plot_area_m2)
        }),
        row("green_ratio", "Green ratio", "绿地率", "%", &|c| {
            Some(c.metrics.green_ratio * 100.0)
        }),
        row(
            "permeable_share",
            "Permeable surface",
            "透水面积比例",
            "%",
            &|c| Some(c.metrics.permeable_share * 100.0),
        ),
        row("seats", "Seats", "座位数", "", &|c| {
            Some(f64::from(c.metrics.seats))
        }),
        row(
            "fitness_stations",
            "Fitness stations",
            "健身器材",
            "",
            &|c| Some(f64::from(c.metrics.fitness_stations)),
        ),
        row(
            "accessible_path_length_m",
            "Accessible paths",
            "无障碍通道长度",
            "m",
            &|c| Some(c.metrics.accessible_path_length_m),
        ),
        row(
            "reachability",
            "Zones reachable step-free",
            "可无障碍到达的区域",
            "%",
            &|c| Some(c.metrics.reachability * 100.0),
        ),
        row(
            "roof_peak_utilisation_pct",
            "Peak roof load",
            "屋面荷载峰值",
            "%",
            &|c| c.metrics.roof_peak_utilisation_pct,
        ),
        row(
            "cost_total",
            "Estimated cost",
            "估算造价",
            "CNY",
            &|c| Some(c.metrics.cost.total),
        ),
        row("errors", "Errors", "错误", "", &|c| {
            Some(f64::from(c.findings.errors))
        }),
        row("warnings", "Warnings", "警告", "", &|c| {
            Some(f64::from(c.findings.warnings))
        }),
    ];
    // Sun on the standard day (大寒): only where a layout is georeferenced (and has green
    // area or seats), so comparisons of layouts drawn in plain metres keep their rows.
    let h = rules.sunlight.min_hours;
    let (green_en, green_zh) = (
        format!("Green area with ≥ {h} h sun on the standard day"),
        format!("标准日日照不少于 {h} 小时的绿地"),
    );
    let summer = &rules.summer_shade;
    let (day_en, day_zh) = match summer.day {
        crate::rules::SunDay::Dashu => ("Greater Heat".to_owned(), "大暑".to_owned()),
        crate::rules::SunDay::Dahan => ("Greater Cold".to_owned(), "大寒".to_owned()),
        crate::rules::SunDay::Date(d) => (d.to_string(), d.to_string()),
    };
    let (summer_en, summer_zh) = (
        format!(
            "Seats in shade in the afternoon heat ({day_en}, {}–{})",
            summer.from, summer.to
        ),
        format!("{day_zh} {}–{} 有遮阴的座位", summer.from, summer.to),
    );
    let sun_rows = [
        row("sunlit_green_share", &green_en, &green_zh, "%", &|c| {
            c.metrics.sunlit_green_share.map(|v| v * 100.0)
        }),
        row(
            "seat_sun_hours_mean",
            "Sun at seats on the standard day (mean)",
            "座位标准日日照（平均）",
            "h",
            &|c| c.metrics.seat_sun_hours_mean,
        ),
        row(
            "seat_sun_hours_min",
            "Sun at seats on the standard day (least)",
            "座位标准日日照（最少）",
            "h",
            &|c| c.metrics.seat_sun_hours_min,
        ),
        row(
            "summer_shaded_seat_share",
            &summer_en,
            &summer_zh,
            "%",
            &|c| c.metrics.summer_shaded_seat_share.map(|v| v * 100.0),
        ),
    ];
    let at = rows
        .iter()
        .position(|r| r.key == "reachability")
        .map_or(rows.len(), |i| i + 1);
    for (k, r) in sun_rows
        .into_iter()
        .filter(|r| r.values.iter().any(Option::is_some))
        .enumerate()
    {
        rows.insert(at + k, r);
    }
    for kind in ZoneKind::ALL {
        if columns
            .iter()
            .any(|c| c.metrics.zones.iter().any(|k| k.kind == kind))
        {
            let label = kind.label();
            rows.push(Row {
                key: format!("area_{}", kind.key()),
                label: Text::new(format!("Area: {}", label.en), format!("面积：{}", label.zh)),
                unit: "m²".into(),
                // More of one kind is not better in itself: a trade-off for residents.
                better: None,
                values: columns
                    .iter()
                    .map(|c| {
                        Some(
                            c.metrics
                                .zones
                                .iter()
                                .find(|k| k.kind == kind)
                                .map_or(0.0, |k| k.area_m2),
                        )
                    })
                    .collect(),
            });
        }
    }
    Comparison {
        same_plot,
        columns,
        rows,
    }
}

/// The difference between two layouts (`before` → `after`), matched by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutDiff {
    /// In `after` only.
    pub added: Vec<DiffObject>,
    /// In `before` only.
    pub removed: Vec<DiffObject>,
    /// Moved without changing shape (zones translated; elements with a new position).
    pub moved: Vec<Moved>,
    /// Changed shape (zone outlines other than a translation; element rotation or size).
    pub reshaped: Vec<Reshaped>,
    /// Other properties changed (kind, surface, soil depth, names).
    pub changed: Vec<Changed>,
    /// Zone area per kind before and after (kinds present in either).
    pub area_by_kind: Vec<AreaChange>,
}

/// An added or removed object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffObject {
    /// The zone or element.
    pub object: ObjectRef,
    /// Zone kind key or element catalogue key.
    pub kind: String,
    /// Its outline or footprint (a point for an element of unknown kind).
    #[serde(with = "geometry_serde")]
    pub geometry: Geometry<f64>,
}

/// A moved object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moved {
    /// The zone or element.
    pub object: ObjectRef,
    /// Centre before.
    #[serde(with = "crate::geom::coord_serde")]
    pub from: Coord<f64>,
    /// Centre after.
    #[serde(with = "crate::geom::coord_serde")]
    pub to: Coord<f64>,
    /// Distance moved, m.
    pub distance_m: f64,
    /// Geometry before.
    #[serde(with = "geometry_serde")]
    pub before: Geometry<f64>,
    /// Geometry after.
    #[serde(with = "geometry_serde")]
    pub after: Geometry<f64>,
}

/// A reshaped object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reshaped {
    /// The zone or element.
    pub object: ObjectRef,
    /// Area before, m².
    pub area_before_m2: f64,
    /// Area after, m².
    pub area_after_m2: f64,
    /// Geometry before.
    #[serde(with = "geometry_serde")]
    pub before: Geometry<f64>,
    /// Geometry after.
    #[serde(with = "geometry_serde")]
    pub after: Geometry<f64>,
    /// Ground gained (after − before).
    #[serde(with = "geometry_serde")]
    pub gained: Geometry<f64>,
    /// Ground lost (before − after).
    #[serde(with = "geometry_serde")]
    pub lost: Geometry<f64>,
}

/// Properties changed on an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Changed {
    /// The zone or element.
    pub object: ObjectRef,
    /// Names of the changed fields.
    pub fields: Vec<String>,
}

/// Area of one zone kind before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaChange {
    /// The kind.
    pub kind: ZoneKind,
    /// Before, m².
    pub before_m2: f64,
    /// After, m².
    pub after_m2: f64,
    /// After − before, m².
    pub delta_m2: f64,
}

fn r2(v: f64) -> f64 {
    // `+ 0.0` turns -0.0 (the sum of nothing) into 0.0.
    (v * 100.0).round() / 100.0 + 0.0
}

/// Whether `b` is `a` translated (same coordinates shifted by one vector), and by how much.
fn translation(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> Option<Coord<f64>> {
    use geo::CoordsIter;
    let mut ia = a.coords_iter();
    let mut ib = b.coords_iter();
    let (first_a, first_b) = (ia.next()?, ib.next()?);
    let d = first_b - first_a;
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Some(d),
            (Some(p), Some(q)) => {
                let e = q - p - d;
                if e.x.abs() > 1e-6 || e.y.abs() > 1e-6 {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// The difference between two layouts, matched by id. Element geometry is the catalogue
/// footprint.
pub fn diff(before: &Layout, after: &Layout, catalogue: &Catalogue) -> LayoutDiff {
    let mut d = LayoutDiff {
        added: vec![],
        removed: vec![],
        moved: vec![],
        reshaped: vec![],
        changed: vec![],
        area_by_kind: vec![],
    };
    // Zones.
    for z in &before.zones {
        match after.zone(&z.id) {
            None => d.removed.push(DiffObject {
                object: ObjectRef::Zone(z.id.clone()),
                kind: z.kind.key().to_owned(),
                geometry: z.outline.multi_polygon().clone().into(),
            }),
            Some(n) => {
                let (a, b) = (z.outline.multi_polygon(), n.outline.multi_polygon());
                let obj = ObjectRef::Zone(z.id.clone());
                if a != b {
                    match translation(a, b) {
                        Some(_) => {
                            let (from, to) = (z.outline.centroid(), n.outline.centroid());
                            d.moved.push(Moved {
                                object: obj.clone(),
                                from,
                                to,
                                distance_m: r2((to.x - from.x).hypot(to.y - from.y)),
                                before: a.clone().into(),
                                after: b.clone().into(),
                            })
                        }
                        None => d.reshaped.push(Reshaped {
                            object: obj.clone(),
                            area_before_m2: r2(a.unsigned_area()),
                            area_after_m2: r2(b.unsigned_area()),
                            before: a.clone().into(),
                            after: b.clone().into(),
                            gained: b.difference(a).into(),
                            lost: a.difference(b).into(),
                        }),
                    }
                }
                let mut fields = vec![];
                if z.kind != n.kind {
                    fields.push("kind");
                }
                if z.surface != n.surface {
                    fields.push("surface");
                }
                if z.soil_depth_m != n.soil_depth_m {
                    fields.push("soil_depth_m");
                }
                if z.name != n.name || z.name_zh != n.name_zh {
                    fields.push("name");
                }
                if !fields.is_empty() {
                    d.changed.push(Changed {
                        object: obj,
                        fields: fields.into_iter().map(str::to_owned).collect(),
                    });
                }
            }
        }
    }
    for z in &after.zones {
        if before.zone(&z.id).is_none() {
            d.added.push(DiffObject {
                object: ObjectRef::Zone(z.id.clone()),
                kind: z.kind.key().to_owned(),
                geometry: z.outline.multi_polygon().clone().into(),
            });
        }
    }
    // Elements.
    let shape = |e: &crate::model::Element| -> Geometry<f64> {
        catalogue
            .footprint(e)
            .map_or_else(|| geo::Point(e.position).into(), Geometry::Polygon)
    };
    let area = |g: &Geometry<f64>| g.unsigned_area();
    for e in &before.elements {
        match after.element(&e.id) {
            None => d.removed.push(DiffObject {
                object: ObjectRef::Element(e.id.clone()),
                kind: e.kind.clone(),
                geometry: shape(e),
            }),
            Some(n) => {
                let obj = ObjectRef::Element(e.id.clone());
                if e.position != n.position {
                    d.moved.push(Moved {
                        object: obj.clone(),
                        from: e.position,
                        to: n.position,
                        distance_m: r2(
                            (n.position.x - e.position.x).hypot(n.position.y - e.position.y)
                        ),
                        before: shape(e),
                        after: shape(n),
                    });
                }
                if e.rotation_deg != n.rotation_deg || e.size != n.size || e.kind != n.kind {
                    let (b, a) = (shape(e), shape(n));
                    let to_mp = |g: &Geometry<f64>| match g {
                        Geometry::Polygon(p) => MultiPolygon::new(vec![p.clone()]),
                        _ => MultiPolygon::new(vec![]),
                    };
                    let (bm, am) = (to_mp(&b), to_mp(&a));
                    d.reshaped.push(Reshaped {
                        object: obj.clone(),
                        area_before_m2: r2(area(&b)),
                        area_after_m2: r2(area(&a)),
                        gained: am.difference(&bm).into(),
                        lost: bm.difference(&am).into(),
                        before: b,
                        after: a,
                    });
                }
                let mut fields = vec![];
                if e.kind != n.kind {
                    fields.push("kind".to_owned());
                }
                if e.name != n.name {
                    fields.push("name".to_owned());
                }
                if !fields.is_empty() {
                    d.changed.push(Changed {
                        object: obj,
                        fields,
                    });
                }
            }
        }
    }
    for e in &after.elements {
        if before.element(&e.id).is_none() {
            d.added.push(DiffObject {
                object: ObjectRef::Element(e.id.clone()),
                kind: e.kind.clone(),
                geometry: shape(e),
            });
        }
    }
    // Areas per kind (zones clipped to their own plot).
    let areas = |l: &Layout| -> BTreeMap<ZoneKind, f64> {
        let mut m = BTreeMap::new();
        for z in &l.zones {
            *m.entry(z.kind).or_insert(0.0) += z.outline.area_m2();
        }
        m
    };
    let (ab, aa) = (areas(before), areas(after));
    let kinds: BTreeSet<ZoneKind> = ab.keys().chain(aa.keys()).copied().collect();
    for kind in kinds {
        let (b, a) = (
            ab.get(&kind).copied().unwrap_or(0.0),
            aa.get(&kind).copied().unwrap_or(0.0),
        );
        d.area_by_kind.push(AreaChange {
            kind,
            before_m2: r2(b),
            after_m2: r2(a),
            delta_m2: r2(a - b),
        });
    }
    d
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::edit::{Edit, Target};
    use crate::geom::Outline;
    use crate::model::{Element, Plot, Zone};

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn base() -> Layout {
        let mut l = Layout::new(Plot::new(
            "plot",
            Outline::rect(c(0.0, 0.0), c(30.0, 20.0)).unwrap(),
        ));
        l.title = "A".into();
        l.zones.push(Zone::new(
            "lawn",
            ZoneKind::Lawn,
            Outline::rect(c(0.0, 0.0), c(10.0, 10.0)).unwrap(),
        ));
        l.zones.push(Zone::new(
            "bed",
            ZoneKind::Planting,
            Outline::rect(c(10.0, 0.0), c(12.0, 10.0)).unwrap(),
        ));
        l.zones.push(Zone::new(
            "gone",
            ZoneKind::Seating,
            Outline::rect(c(20.0, 0.0), c(25.0, 5.0)).unwrap(),
        ));
        l.elements.push(Element::new("b1", "bench", c(15.0, 15.0)));
        l.elements.push(Element::new("b2", "bench", c(5.0, 15.0)));
        l
    }

    #[test]
    fn the_best_value_follows_the_row_direction_and_ties_have_none() {
        let a = base();
        let mut b = a.clone();
        // b: one bench fewer, so fewer seats and a lower cost.
        b.apply(Edit::Remove {
            target: Target::Element("b2".into()),
        })
        .unwrap();
        let t = compare(&[&a, &b], &RuleSet::default(), &Catalogue::builtin());
        let row = |k: &str| t.rows.iter().find(|r| r.key == k).unwrap();
        let seats = row("seats");
        assert_eq!(seats.better, Some(Better::Higher));
        assert!(seats.is_best(seats.values[0]) && !seats.is_best(seats.values[1]));
        let cost = row("cost_total");
        assert_eq!(cost.better, Some(Better::Lower));
        assert!(!cost.is_best(cost.values[0]) && cost.is_best(cost.values[1]));
        // Same plot area in both: a direction-less row, and no winner.
        let area = row("plot_area_m2");
        assert_eq!((area.better, area.best()), (None, None));
        // Same green ratio in both: no winner although the row has a direction.
        let green = row("green_ratio");
        assert_eq!(green.values[0], green.values[1]);
        assert_eq!(green.best(), None);
        // A value missing in some column does not win or block the others.
        let partial = Row {
            values: vec![None, Some(2.0), Some(1.0)],
            ..cost.clone()
        };
        assert_eq!(partial.best(), Some(1.0));
        assert!(!partial.is_best(None));
    }

    #[test]
    fn diff_finds_every_kind_of_change() {
        let a = base();
        let mut b = a.clone();
        b.title = "B".into();
        let edits = vec![
            Edit::Move {
                target: Target::Zone("lawn".into()),
                dx: 1.0,
                dy: 2.0,
            },
            Edit::Resize {
                target: Target::Zone("bed".into()),
                sx: 2.0,
                sy: 1.0,
            },
            Edit::Remove {
                target: Target::Zone("gone".into()),
            },
            Edit::Move {
                target: Target::Element("b1".into()),
                dx: 3.0,
                dy: 4.0,
            },
            Edit::Rotate {
                target: Target::Element("b2".into()),
                angle_deg: 90.0,
            },
            Edit::AddElement {
                element: Element::new("t1", "table_seats", c(25.0, 15.0)),
                index: None,
            },
        ];
        b.apply(Edit::Batch { edits }).unwrap();
        let d = diff(&a, &b, &Catalogue::builtin());
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].object, ObjectRef::Element("t1".into()));
        assert_eq!(d.removed[0].object, ObjectRef::Zone("gone".into()));
        let moved: Vec<_> = d.moved.iter().map(|m| (&m.object, m.distance_m)).collect();
        assert_eq!(
            moved,
            [
                (&ObjectRef::Zone("lawn".into()), 2.24),
                (&ObjectRef::Element("b1".into()), 5.0)
            ]
        );
        let reshaped: Vec<_> = d
            .reshaped
            .iter()
            .map(|r| (&r.object, r.area_before_m2, r.area_after_m2))
            .collect();
        assert_eq!(reshaped[0], (&ObjectRef::Zone("bed".into()), 20.0, 40.0));
        assert_eq!(reshaped[1].0, &ObjectRef::Element("b2".into()));
        assert!((d.reshaped[0].gained.unsigned_area() - 20.0).abs() < 1e-6);
        let seating = d
            .area_by_kind
            .iter()
            .find(|a| a.kind == ZoneKind::Seating)
            .unwrap();
        assert_eq!(
            (seating.before_m2, seating.after_m2, seating.delta_m2),
            (25.0, 0.0, -25.0)
        );
        assert!(diff(&a, &a, &Catalogue::builtin()).moved.is_empty());
    }

    #[test]
    fn comparison_table() {
        let a = base();
        let mut b = base();
        b.title = "B".into();
        b.zones.retain(|z| z.kind != ZoneKind::Lawn);
        let cmp = compare(&[&a, &b], &RuleSet::default(), &Catalogue::builtin());
        assert!(cmp.same_plot);
        assert_eq!(cmp.columns.len(), 2);
        let green = cmp.rows.iter().find(|r| r.key == "green_ratio").unwrap();
        // Lawn 100 + bed 20 of 600 m² = 20 %; without the lawn 20 of 600 = 3.33 %.
        assert!((green.values[0].unwrap() - 20.0).abs() < 0.01);
        assert!((green.values[1].unwrap() - 3.33).abs() < 0.01);
        assert_eq!(cmp.columns[1].findings.by_rule.get("green-ratio"), Some(&1));
        let roof = cmp
            .rows
            .iter()
            .find(|r| r.key == "roof_peak_utilisation_pct")
            .unwrap();
        assert_eq!(roof.values, [None, None]);
        assert!(cmp.rows.iter().any(|r| r.key == "area_lawn"));
    }
}
