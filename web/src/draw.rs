//! Drawing helpers shared by the editor canvas and the comparison: SVG path data for plan's
//! geometries (x east, y north, drawn as `(x, -y)` so north is up), colours per zone kind and
//! element category, the scale bar's length. Presentation only: no measuring here.

use geo::{Coord, Geometry, MultiPolygon, Polygon};
use plotwise_plan::ZoneKind;
use plotwise_plan::catalogue::Category;
use plotwise_plan::model::Layout;

use crate::derive::catalogue;

/// SVG path data of a polygon (exterior and holes).
pub fn polygon_d(p: &Polygon<f64>, out: &mut String) {
    use std::fmt::Write;
    for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
        let mut first = true;
        for c in ring.coords() {
            let _ = write!(
                out,
                "{}{:.3} {:.3} ",
                if first { "M" } else { "L" },
                c.x,
                -c.y
            );
            first = false;
        }
        out.push_str("Z ");
    }
}

/// SVG path data of a multipolygon.
pub fn multi_polygon_d(mp: &MultiPolygon<f64>) -> String {
    let mut s = String::new();
    for p in mp {
        polygon_d(p, &mut s);
    }
    s
}

/// SVG path data of any geometry (points as small squares of side `dot`).
pub fn geometry_d(g: &Geometry<f64>, dot: f64) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let line = |pts: &mut dyn Iterator<Item = Coord<f64>>, s: &mut String| {
        let mut first = true;
        for c in pts {
            let _ = write!(
                s,
                "{}{:.3} {:.3} ",
                if first { "M" } else { "L" },
                c.x,
                -c.y
            );
            first = false;
        }
    };
    match g {
        Geometry::Point(p) => {
            let _ = write!(
                s,
                "M{:.3} {:.3} h{dot:.3} v{dot:.3} h{:.3} Z",
                p.x() - dot / 2.0,
                -p.y() - dot / 2.0,
                -dot
            );
        }
        Geometry::MultiPoint(mp) => {
            for p in mp {
                s.push_str(&geometry_d(&Geometry::Point(*p), dot));
            }
        }
        Geometry::Line(l) => line(&mut [l.start, l.end].into_iter(), &mut s),
        Geometry::LineString(ls) => line(&mut ls.coords().copied(), &mut s),
        Geometry::MultiLineString(mls) => {
            for ls in mls {
                line(&mut ls.coords().copied(), &mut s);
            }
        }
        Geometry::Polygon(p) => polygon_d(p, &mut s),
        Geometry::MultiPolygon(mp) => s = multi_polygon_d(mp),
        Geometry::Rect(r) => polygon_d(&r.to_polygon(), &mut s),
        Geometry::Triangle(t) => polygon_d(&t.to_polygon(), &mut s),
        Geometry::GeometryCollection(gc) => {
            for g in gc {
                s.push_str(&geometry_d(g, dot));
            }
        }
    }
    s
}

/// A drawing coordinate or length as SVG text, to the millimetre. One function for every
/// attribute keeps the formatting code in the bundle once.
#[inline(never)]
pub fn n3(v: f64) -> String {
    format!("{v:.3}")
}

/// Fill colour of a zone kind: plan's palette, the one the exported boards use.
pub fn zone_fill(kind: ZoneKind) -> &'static str {
    plotwise_plan::palette::zone_colours(kind).fill
}

/// Fill colour of an element category.
pub fn category_fill(c: Category) -> &'static str {
    match c {
        Category::Seating => "#8a5a2b",
        Category::Fitness => "#d9822b",
        Category::Play => "#c0392b",
        Category::Sport => "#2e86c1",
        Category::Planting => "#2e7d32",
        Category::Shade => "#7d5ba6",
        Category::Furniture => "#555f66",
    }
}

/// The largest 1, 2 or 5 × 10ⁿ metres not above `target`.
pub fn nice_length(target: f64) -> f64 {
    let target = target.max(0.1);
    let pow = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * pow)
        .find(|&len| len <= target)
        .unwrap_or(pow)
}

/// A length for the scale bar label.
pub fn fmt_len(m: f64) -> String {
    if m >= 1.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.1}")
    }
}

/// The bounds of a layout's plot: (min x, min y, max x, max y).
pub fn plot_bounds(layout: &Layout) -> (f64, f64, f64, f64) {
    let r = layout.plot.outline.bounding_rect();
    (r.min().x, r.min().y, r.max().x, r.max().y)
}

/// Path data of every element's footprint of a layout, grouped by category, for the
/// read-only drawings (comparison): one path per category keeps the DOM small.
pub fn elements_by_category(layout: &Layout) -> Vec<(Category, String)> {
    let cat = catalogue();
    let mut out: Vec<(Category, String)> = vec![];
    for e in &layout.elements {
        let (Some(item), Some(fp)) = (cat.item(&e.kind), cat.footprint(e)) else {
            continue;
        };
        let slot = match out.iter_mut().position(|(c, _)| *c == item.category) {
            Some(i) => i,
            None => {
                out.push((item.category, String::new()));
                out.len() - 1
            }
        };
        polygon_d(&fp, &mut out[slot].1);
    }
    out
}
