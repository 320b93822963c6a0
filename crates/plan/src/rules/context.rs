//! What the rules share: element footprints, a grid index, and the step-free network.

use std::cell::OnceCell;
use std::collections::HashMap;

use geo::{Area, BooleanOps, BoundingRect, Buffer, MultiPolygon, Polygon, Rect};

use crate::catalogue::{Catalogue, CatalogueItem};
use crate::geom::rects_near;
use crate::model::{Element, Layout};
use crate::rules::RuleSet;

/// A placed element of a known kind.
pub(crate) struct Placed<'a> {
    pub element: &'a Element,
    pub item: &'a CatalogueItem,
    pub footprint: Polygon<f64>,
    pub rect: Rect<f64>,
}

/// Precomputed data for one check.
pub(crate) struct Context<'a> {
    pub layout: &'a Layout,
    pub rules: &'a RuleSet,
    pub catalogue: &'a Catalogue,
    pub plot: &'a MultiPolygon<f64>,
    /// Elements whose kind is in the catalogue.
    pub placed: Vec<Placed<'a>>,
    /// Indices (into `layout.elements`) of elements of unknown kind.
    pub unknown: Vec<usize>,
    pub grid: Grid,
    pub zone_rects: Vec<Rect<f64>>,
    pub(crate) reach: OnceCell<super::access::Reach>,
    /// The sun on the standard day (`None` inside when the plot has no position).
    #[cfg_attr(
        not(feature = "sun"),
        allow(dead_code, reason = "read only with the sun feature")
    )]
    pub(crate) sun: OnceCell<Option<super::sun::SunSummary>>,
    /// Erosions already computed in this check, by radius and geometry: path width and
    /// turning space often erode the same path by the same radius.
    #[allow(clippy::type_complexity, reason = "a private memo")]
    erosions: std::cell::RefCell<Vec<(f64, MultiPolygon<f64>, MultiPolygon<f64>)>>,
    /// `obstacles_on` answers already computed in this check.
    #[allow(clippy::type_complexity, reason = "a private memo")]
    obstacles:
        std::cell::RefCell<Vec<(MultiPolygon<f64>, Option<(MultiPolygon<f64>, Vec<usize>)>)>>,
}

impl<'a> Context<'a> {
    pub fn new(layout: &'a Layout, rules: &'a RuleSet, catalogue: &'a Catalogue) -> Self {
        let mut placed = Vec::with_capacity(layout.elements.len());
        let mut unknown = Vec::new();
        for (i, e) in layout.elements.iter().enumerate() {
            match catalogue.item(&e.kind) {
                Some(item) => {
                    let footprint = item.footprint_at(
                        e.position,
                        e.rotation_deg,
                        e.size.map(|s| (s.width_m, s.depth_m)),
                    );
                    let rect = footprint
                        .bounding_rect()
                        .unwrap_or_else(|| Rect::new(e.position, e.position));
                    placed.push(Placed {
                        element: e,
                        item,
                        footprint,
                        rect,
                    });
                }
                None => unknown.push(i),
            }
        }
        let grid = Grid::new(placed.iter().map(|p| p.rect).collect());
        Context {
            layout,
            rules,
            catalogue,
            plot: layout.plot.outline.multi_polygon(),
            placed,
            unknown,
            grid,
            zone_rects: layout
                .zones
                .iter()
                .map(|z| z.outline.bounding_rect())
                .collect(),
            reach: OnceCell::new(),
            sun: OnceCell::new(),
            erosions: Default::default(),
            obstacles: Default::default(),
        }
    }

    /// `crate::geom::erode`, remembered for the rest of this check.
    pub fn erode(&self, mp: &MultiPolygon<f64>, r: f64) -> MultiPolygon<f64> {
        if let Some((_, _, e)) = self
            .erosions
            .borrow()
            .iter()
            .find(|(rr, m, _)| *rr == r && m == mp)
        {
            return e.clone();
        }
        let e = crate::geom::erode(mp, r);
        self.erosions.borrow_mut().push((r, mp.clone(), e.clone()));
        e
    }

    /// Whether `mp` has a part at least the sliver tolerance thick.
    pub fn substantial(&self, mp: &MultiPolygon<f64>) -> bool {
        if mp.0.is_empty() {
            return false;
        }
        let tol = self.rules.sliver_tolerance_m;
        // A piece with less area than a tolerance-wide strip around the whole piece is thin
        // everywhere: skip the buffer. Otherwise shrink by half the tolerance and see.
        if mp.unsigned_area() < tol * tol * 0.25 {
            return false;
        }
        !mp.buffer(-tol / 2.0).0.is_empty()
    }

    /// The substantial part of `mp` (slivers removed), or `None`.
    pub fn substantial_part(&self, mp: MultiPolygon<f64>) -> Option<MultiPolygon<f64>> {
        let parts: Vec<Polygon<f64>> =
            mp.0.into_iter()
                .filter(|p| self.substantial(&MultiPolygon::new(vec![p.clone()])))
                .collect();
        (!parts.is_empty()).then(|| MultiPolygon::new(parts))
    }

    /// Indices into `placed` of elements whose bounding box is within `margin` of `rect`.
    pub fn elements_near(&self, rect: &Rect<f64>, margin: f64) -> Vec<usize> {
        self.grid.query(rect, margin)
    }

    /// Indices into `placed` of standing obstacles (not overhead) whose footprint
    /// intersects `mp`.
    pub fn obstacles_touching(&self, mp: &MultiPolygon<f64>) -> Vec<usize> {
        let Some(rect) = mp.bounding_rect() else {
            return vec![];
        };
        let candidates: Vec<usize> = self
            .elements_near(&rect, 0.0)
            .into_iter()
            .filter(|&i| self.placed[i].item.obstacle && !self.placed[i].item.overhead)
            .collect();
        if candidates.is_empty() {
            return candidates;
        }
        let segments = SegmentGrid::new(mp);
        candidates
            .into_iter()
            .filter(|&i| segments.intersects(&self.placed[i].footprint, mp))
            .collect()
    }

    /// The union of the obstacle footprints that intersect `mp`, if any.
    /// Remembered for the rest of the check (path width and turning space ask about the same
    /// path).
    pub fn obstacles_on(&self, mp: &MultiPolygon<f64>) -> Option<(MultiPolygon<f64>, Vec<usize>)> {
        if let Some((_, r)) = self.obstacles.borrow().iter().find(|(m, _)| m == mp) {
            return r.clone();
        }
        let idx = self.obstacles_touching(mp);
        let result = (!idx.is_empty()).then(|| {
            let polys: Vec<Polygon<f64>> = idx
                .iter()
                .map(|&i| self.placed[i].footprint.clone())
                .collect();
            (geo::unary_union(&polys), idx)
        });
        self.obstacles
            .borrow_mut()
            .push((mp.clone(), result.clone()));
        result
    }
}

/// A uniform grid over rectangles, for finding neighbours without testing every pair.
pub(crate) struct Grid {
    cell: f64,
    rects: Vec<Rect<f64>>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl Grid {
    pub fn new(rects: Vec<Rect<f64>>) -> Self {
        let cell = 4.0;
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, r) in rects.iter().enumerate() {
            let (x0, y0, x1, y1) = Self::span(cell, r, 0.0);
            // Huge rectangles (a wrongly sized element) would fill too many cells: cap them.
            if (x1 - x0 + 1) * (y1 - y0 + 1) > 10_000 {
                cells.entry((i64::MIN, i64::MIN)).or_default().push(i);
                continue;
            }
            for x in x0..=x1 {
                for y in y0..=y1 {
                    cells.entry((x, y)).or_default().push(i);
                }
            }
        }
        Grid { cell, rects, cells }
    }

    fn span(cell: f64, r: &Rect<f64>, margin: f64) -> (i64, i64, i64, i64) {
        let f = |v: f64| (v / cell).floor().clamp(-1e15, 1e15) as i64;
        (
            f(r.min().x - margin),
            f(r.min().y - margin),
            f(r.max().x + margin),
            f(r.max().y + margin),
        )
    }

    /// Indices of rectangles within `margin` of `r`, ascending.
    pub fn query(&self, r: &Rect<f64>, margin: f64) -> Vec<usize> {
        let (x0, y0, x1, y1) = Self::span(self.cell, r, margin);
        let mut out = Vec::new();
        if (x1 - x0 + 1) * (y1 - y0 + 1) > 10_000 {
            out.extend((0..self.rects.len()).filter(|&i| rects_near(&self.rects[i], r, margin)));
            return out;
        }
        for x in x0..=x1 {
            for y in y0..=y1 {
                if let Some(v) = self.cells.get(&(x, y)) {
                    out.extend(
                        v.iter()
                            .copied()
                            .filter(|&i| rects_near(&self.rects[i], r, margin)),
                    );
                }
            }
        }
        if let Some(v) = self.cells.get(&(i64::MIN, i64::MIN)) {
            out.extend(
                v.iter()
                    .copied()
                    .filter(|&i| rects_near(&self.rects[i], r, margin)),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The boundary segments of a multipolygon in a uniform grid, for exact intersection tests of
/// many small polygons against one large one.
pub(crate) struct SegmentGrid {
    cell: f64,
    lines: Vec<geo::Line<f64>>,
    cells: HashMap<(i64, i64), Vec<usize>>,
}

impl SegmentGrid {
    pub fn new(mp: &MultiPolygon<f64>) -> Self {
        let cell = 4.0;
        let lines: Vec<geo::Line<f64>> =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.lines())
                .collect();
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let r = Rect::new(l.start, l.end);
            let (x0, y0, x1, y1) = Grid::span(cell, &r, 0.0);
            if (x1 - x0 + 1) * (y1 - y0 + 1) > 100_000 {
                cells.entry((i64::MIN, i64::MIN)).or_default().push(i);
                continue;
            }
            for x in x0..=x1 {
                for y in y0..=y1 {
                    cells.entry((x, y)).or_default().push(i);
                }
            }
        }
        SegmentGrid { cell, lines, cells }
    }

    fn crosses(&self, l: &geo::Line<f64>) -> bool {
        use geo::Intersects;
        let r = Rect::new(l.start, l.end);
        let (x0, y0, x1, y1) = Grid::span(self.cell, &r, 0.0);
        let far = self.cells.get(&(i64::MIN, i64::MIN)).into_iter().flatten();
        if (x1 - x0 + 1) * (y1 - y0 + 1) > 10_000 {
            return self.lines.iter().any(|m| m.intersects(l));
        }
        far.chain((x0..=x1).flat_map(|x| {
            (y0..=y1)
                .filter_map(move |y| self.cells.get(&(x, y)))
                .flatten()
        }))
        .any(|&i| self.lines[i].intersects(l))
    }

    /// Whether polygon `p` intersects `mp` (whose boundary this grid holds).
    pub fn intersects(&self, p: &Polygon<f64>, mp: &MultiPolygon<f64>) -> bool {
        use geo::{Contains, Intersects};
        if p.exterior().lines().any(|l| self.crosses(&l)) {
            return true;
        }
        // No boundary crossing: one is inside the other, or they are apart.
        let Some(first) = p.exterior().0.first() else {
            return false;
        };
        if mp.intersects(first) {
            return true;
        }
        mp.0.iter()
            .filter_map(|q| q.exterior().0.first())
            .any(|c| p.contains(c))
    }
}

/// `a − b` restricted to its substantial part.
pub(crate) fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    a.difference(b)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geom::oriented_rect;
    use geo::{Coord, Intersects, wkt};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn segment_grid_agrees_with_geo(x in -5.0..25.0f64, y in -5.0..15.0f64, w in 0.1..8.0f64,
                                        d in 0.1..8.0f64, rot in 0.0..180.0f64) {
            // An L-shaped zone with a hole, and a rotated rectangle anywhere around it.
            let zone: MultiPolygon<f64> = wkt! { MULTIPOLYGON(((0. 0.,20. 0.,20. 3.,4. 3.,4. 10.,0. 10.,0. 0.),(1. 1.,2. 1.,2. 2.,1. 2.,1. 1.))) };
            let fp = oriented_rect(Coord { x, y }, w, d, rot);
            let grid = SegmentGrid::new(&zone);
            prop_assert_eq!(grid.intersects(&fp, &zone), fp.intersects(&zone));
        }
    }

    #[test]
    fn grid_query_finds_neighbours() {
        let rects = vec![
            Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }),
            Rect::new(Coord { x: 10.0, y: 0.0 }, Coord { x: 11.0, y: 1.0 }),
            Rect::new(Coord { x: -1e6, y: -1e6 }, Coord { x: 1e6, y: 1e6 }),
        ];
        let g = Grid::new(rects);
        let q = Rect::new(Coord { x: 1.5, y: 0.0 }, Coord { x: 2.0, y: 1.0 });
        assert_eq!(g.query(&q, 0.0), vec![2]);
        assert_eq!(g.query(&q, 0.6), vec![0, 2]);
    }
}
