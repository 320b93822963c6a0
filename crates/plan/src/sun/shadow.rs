//! Shadows of building prisms on the ground, per time sample, and the sun a point gets.
//!
//! A point P on the ground (z = 0) is in shade when the ray from P toward the sun meets a
//! closed prism footprint × [0, height]. Projected on the ground, the ray climbs
//! tan(elevation) per metre, so it is below the roof for the first L = height / tan(elevation)
//! metres: P is in shade exactly when the segment from P toward the sun's azimuth, L long,
//! meets the (closed) footprint, that is when P lies in the footprint swept by the shadow
//! vector v (length L, pointing away from the sun). That sweep (the Minkowski sum of the
//! footprint and the segment [0, v]) is the union of the footprint, the footprint translated by
//! v, and the parallelogram each edge sweeps (outer rings and holes alike). A point is tested
//! against those pieces (in any piece = in the union, exactly, with a bounding-box prefilter);
//! the union itself, with geo's `BooleanOps`, is what [`Shadows::shadow_at`] draws. For a
//! convex footprint without holes the same set is the convex hull of the footprint and its
//! translate, which is used then (the same set, fewer pieces). Points on a shadow's edge are
//! in shade (the prism is closed, grazing is shade), and a point inside a footprint is always
//! in shade.
//!
//! A [`Caster`] generalises the building prism to a footprint × [base, top] floating above
//! the ground (a tree's crown, a pergola's roof): its shadow is the footprint moved by
//! base / tan(elevation) away from the sun and swept from there by (top − base) /
//! tan(elevation). Buildings are casters with base 0; only the summer shade measure uses the
//! others (`plotwise sun` and the sunlight rules take buildings alone).

use geo::{
    BoundingRect, ConvexHull, Coord, Intersects, IsConvex, LineString, MultiPoint, MultiPolygon,
    Polygon, Rect, Translate,
};

use super::SunTrack;
use crate::model::Building;

/// One shadow piece: a polygon with its bounding box.
#[derive(Debug, Clone)]
struct Piece {
    rect: Rect<f64>,
    polygon: Polygon<f64>,
}

/// The shadows of one time sample.
#[derive(Debug, Clone)]
struct SampleShadow {
    sun_up: bool,
    /// Bounding box of all pieces (`None` when there are none).
    rect: Option<Rect<f64>>,
    pieces: Vec<Piece>,
}

/// The shadows of a set of buildings at every sample of a [`SunTrack`], computed once and
/// queried for any number of points.
#[derive(Debug, Clone)]
pub struct Shadows {
    step_min: u32,
    samples: Vec<SampleShadow>,
    /// The shadow length cap used (m), a power of two.
    reach: f64,
}

/// The footprint `fp` swept along `v` (see the module documentation), as one polygon per
/// part: the union (geo's `BooleanOps`) of [`sweep_pieces`]. For drawing; point tests use the
/// pieces themselves, whose corners are exact (a union snaps its output to i_overlay's grid,
/// some 1e-8 m here, which would lose points exactly on a shadow's edge).
pub fn swept(fp: &MultiPolygon<f64>, v: Coord<f64>) -> Vec<Polygon<f64>> {
    let pieces = sweep_pieces(fp, v);
    if pieces.len() <= fp.0.len() {
        return pieces;
    }
    geo::unary_union(&pieces).0
}

/// Polygons whose union is `fp` swept along `v`: for each convex part without holes its
/// convex hull with its translate; for any other part the part, its translate and the
/// parallelogram each edge sweeps (counter-clockwise).
pub fn sweep_pieces(fp: &MultiPolygon<f64>, v: Coord<f64>) -> Vec<Polygon<f64>> {
    if !(v.x.is_finite() && v.y.is_finite()) || v.x.hypot(v.y) < 1e-9 {
        return fp.0.clone();
    }
    let mut out = Vec::with_capacity(fp.0.len());
    for poly in &fp.0 {
        if poly.interiors().is_empty() && poly.exterior().is_convex() {
            let pts: Vec<geo::Point<f64>> = poly
                .exterior()
                .0
                .iter()
                .flat_map(|c| [geo::Point(*c), geo::Point(*c + v)])
                .collect();
            out.push(MultiPoint::new(pts).convex_hull());
            continue;
        }
        let mut pieces: Vec<Polygon<f64>> = vec![poly.clone(), poly.translate(v.x, v.y)];
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for l in ring.lines() {
                let (a, b) = (l.start, l.end);
                let d = b - a;
                let cross = d.x * v.y - d.y * v.x;
                if cross.abs() <= 1e-12 * (d.x.hypot(d.y) * v.x.hypot(v.y)).max(1e-300) {
                    // An edge along the sun's direction sweeps no area (it lies in the
                    // footprint and its translate, already counted).
                    continue;
                }
                // Counter-clockwise, as unary_union's positive fill rule wants.
                let ring = if cross > 0.0 {
                    vec![a, b, b + v, a + v, a]
                } else {
                    vec![a, a + v, b + v, b, a]
                };
                pieces.push(Polygon::new(LineString::new(ring), vec![]));
            }
        }
        out.extend(pieces);
    }
    out
}

/// Something that casts shadow: a footprint (local metres) between two heights above the
/// ground.
#[derive(Debug, Clone, PartialEq)]
pub struct Caster {
    /// The footprint.
    pub footprint: MultiPolygon<f64>,
    /// Height of its underside, m (0 for a building).
    pub base_m: f64,
    /// Height of its top, m (above `base_m`).
    pub top_m: f64,
}

impl Caster {
    /// A building's prism.
    pub fn building(b: &Building) -> Caster {
        Caster {
            footprint: b.outline.multi_polygon().clone(),
            base_m: 0.0,
            top_m: b.height_m,
        }
    }
}

impl Shadows {
    /// The shadows of `buildings` at each sample of `track`. `extent` must contain every point
    /// that will be asked about: shadows are cut to a length that reaches across it and the
    /// buildings (longer shadows, at a low sun, change nothing there).
    pub fn new(buildings: &[Building], track: &SunTrack, extent: Rect<f64>) -> Shadows {
        let casters: Vec<Caster> = buildings.iter().map(Caster::building).collect();
        Shadows::of_casters(&casters, track, extent)
    }

    /// The shadows of `casters` at each sample of `track` (see [`Shadows::new`] for
    /// `extent`).
    pub fn of_casters(casters: &[Caster], track: &SunTrack, extent: Rect<f64>) -> Shadows {
        let mut all = extent;
        for r in casters.iter().filter_map(|c| c.footprint.bounding_rect()) {
            all = Rect::new(
                Coord {
                    x: all.min().x.min(r.min().x),
                    y: all.min().y.min(r.min().y),
                },
                Coord {
                    x: all.max().x.max(r.max().x),
                    y: all.max().y.max(r.max().y),
                },
            );
        }
        // Any length at least the diagonal is exact; a power of two keeps the shadows (and
        // so the memo in `SunAnalysis`) the same while points move a little.
        let reach = (all.width().hypot(all.height()) + 1.0).log2().ceil().exp2();
        let samples = track
            .samples
            .iter()
            .map(|s| {
                let up = s.position.elevation_deg > 0.0;
                let mut pieces = Vec::new();
                if up {
                    let az = s.position.azimuth_deg.to_radians();
                    let tan_e = s.position.elevation_deg.to_radians().tan();
                    // Away from the sun, along the ground.
                    let (dx, dy) = (-az.sin(), -az.cos());
                    for c in casters {
                        let lift = c.base_m / tan_e;
                        if lift > reach {
                            // Cast beyond every point asked about.
                            continue;
                        }
                        let len = ((c.top_m - c.base_m).max(0.0) / tan_e).min(reach - lift);
                        let v = Coord {
                            x: len * dx,
                            y: len * dy,
                        };
                        let moved;
                        let fp = if lift > 0.0 {
                            moved = c.footprint.translate(lift * dx, lift * dy);
                            &moved
                        } else {
                            &c.footprint
                        };
                        for polygon in sweep_pieces(fp, v) {
                            if let Some(rect) = polygon.bounding_rect() {
                                pieces.push(Piece { rect, polygon });
                            }
                        }
                    }
                }
                let rect = pieces.iter().map(|p| p.rect).reduce(|a, b| {
                    Rect::new(
                        Coord {
                            x: a.min().x.min(b.min().x),
                            y: a.min().y.min(b.min().y),
                        },
                        Coord {
                            x: a.max().x.max(b.max().x),
                            y: a.max().y.max(b.max().y),
                        },
                    )
                });
                SampleShadow {
                    sun_up: up,
                    rect,
                    pieces,
                }
            })
            .collect();
        Shadows {
            step_min: track.window.step_min,
            samples,
            reach,
        }
    }

    /// The cap on shadow lengths these shadows were made with, m: they answer exactly for
    /// points within this distance of every building.
    pub fn reach(&self) -> f64 {
        self.reach
    }

    /// Minutes of direct sun at each of `points`: the same as [`Shadows::sun_minutes`] for
    /// each, computed the other way round (each shadow piece finds the points in its bounding
    /// box among the points sorted by x), which is much faster for many points.
    pub fn sun_minutes_many(&self, points: &[Coord<f64>]) -> Vec<u32> {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| points[a].x.total_cmp(&points[b].x));
        let xs: Vec<f64> = order.iter().map(|&i| points[i].x).collect();
        let mut shaded = vec![0u32; points.len()];
        let mut up = 0u32;
        // The sample at which each point was last found in shade (+1; 0 = never).
        let mut shaded_at = vec![0usize; points.len()];
        for (si, s) in self.samples.iter().enumerate() {
            if !s.sun_up {
                continue;
            }
            up += 1;
            let stamp = si + 1;
            for piece in &s.pieces {
                let (r, poly) = (&piece.rect, &piece.polygon);
                let lo = xs.partition_point(|x| *x < r.min().x);
                let hi = xs.partition_point(|x| *x <= r.max().x);
                for &i in &order[lo..hi] {
                    let p = points[i];
                    if shaded_at[i] != stamp
                        && p.y >= r.min().y
                        && p.y <= r.max().y
                        && poly.intersects(&p)
                    {
                        shaded_at[i] = stamp;
                        shaded[i] += 1;
                    }
                }
            }
        }
        shaded
            .into_iter()
            .map(|n| (up - n) * self.step_min)
            .collect()
    }

    /// Whether `p` is in direct sun at sample `i` (sun up and no shadow on it).
    pub fn sunny_at(&self, i: usize, p: Coord<f64>) -> bool {
        let Some(s) = self.samples.get(i) else {
            return false;
        };
        if !s.sun_up {
            return false;
        }
        let Some(r) = s.rect else { return true };
        if !in_rect(&r, p) {
            return true;
        }
        !s.pieces
            .iter()
            .any(|piece| in_rect(&piece.rect, p) && piece.polygon.intersects(&p))
    }

    /// The number of samples in which `p` is in direct sun.
    pub fn sunny_samples(&self, p: Coord<f64>) -> u32 {
        (0..self.samples.len())
            .filter(|&i| self.sunny_at(i, p))
            .count() as u32
    }

    /// Minutes of direct sun at `p` within the window.
    pub fn sun_minutes(&self, p: Coord<f64>) -> u32 {
        self.sunny_samples(p) * self.step_min
    }

    /// Hours of direct sun at `p` within the window.
    pub fn sun_hours(&self, p: Coord<f64>) -> f64 {
        f64::from(self.sun_minutes(p)) / 60.0
    }

    /// The shadow on the ground at sample `i` (the union of every building's), for drawing.
    pub fn shadow_at(&self, i: usize) -> MultiPolygon<f64> {
        match self.samples.get(i) {
            Some(s) if !s.pieces.is_empty() => {
                let polys: Vec<Polygon<f64>> = s.pieces.iter().map(|p| p.polygon.clone()).collect();
                geo::unary_union(&polys)
            }
            _ => MultiPolygon::new(vec![]),
        }
    }

    /// The number of samples.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }
}

fn in_rect(r: &Rect<f64>, p: Coord<f64>) -> bool {
    p.x >= r.min().x && p.x <= r.max().x && p.y >= r.min().y && p.y <= r.max().y
}

#[cfg(test)]
mod test {
    use super::*;
    use geo::{Area, BooleanOps, wkt};

    fn mp(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![p])
    }

    #[test]
    fn convex_and_general_sweeps_agree() {
        let square = wkt! { POLYGON((0. 0.,4. 0.,4. 4.,0. 4.,0. 0.)) };
        for v in [
            Coord { x: 3.0, y: -5.0 },
            Coord { x: -7.0, y: 0.0 },
            Coord { x: 0.5, y: 0.5 },
        ] {
            let hull = MultiPolygon::new(swept(&mp(square.clone()), v));
            // The general construction (footprint, translate, swept edges, union).
            let mut pieces = vec![square.clone(), square.translate(v.x, v.y)];
            for l in square.exterior().lines() {
                let (a, b) = (l.start, l.end);
                pieces.push(Polygon::new(
                    LineString::new(vec![a, b, b + v, a + v, a]),
                    vec![],
                ));
            }
            let orient = |p: Polygon<f64>| {
                use geo::orient::{Direction, Orient};
                p.orient(Direction::Default)
            };
            let pieces: Vec<Polygon<f64>> = pieces.into_iter().map(orient).collect();
            let general = geo::unary_union(&pieces);
            let xor = hull.xor(&general).unsigned_area();
            assert!(xor < 1e-9, "{v:?}: {xor}");
            // Area of a convex sweep: A + |v| × width across v.
            let expect = 16.0 + (v.x.abs() + v.y.abs()) * 4.0;
            assert!((hull.unsigned_area() - expect).abs() < 1e-9, "{v:?}");
        }
    }

    #[test]
    fn a_non_convex_footprint_keeps_its_notch() {
        // A U open to the north, shadow cast to the north by a short vector: the notch's
        // floor is shaded only where the arms' and the base's shadows reach.
        let u = wkt! { POLYGON((0. 0.,10. 0.,10. 10.,7. 10.,7. 3.,3. 3.,3. 10.,0. 10.,0. 0.)) };
        let v = Coord { x: 0.0, y: 2.0 };
        let s = MultiPolygon::new(swept(&mp(u.clone()), v));
        // Inside the notch, 1 m above its floor: shaded (the base's shadow reaches 2 m).
        assert!(s.intersects(&Coord { x: 5.0, y: 4.0 }));
        // 4 m above the floor: in sun (a convex hull would have shaded it).
        assert!(!s.intersects(&Coord { x: 5.0, y: 7.0 }));
        let hull = u.convex_hull();
        assert!(hull.intersects(&Coord { x: 5.0, y: 7.0 }));
        // Area: the U (100 − 4 × 7 = 72), the base sweeping 4 × 2 into the notch and the arms
        // 3 × 2 each beyond y = 10.
        let a = s.unsigned_area();
        assert!((a - (72.0 + 8.0 + 12.0)).abs() < 1e-6, "{a}");
    }

    #[test]
    fn a_courtyard_is_shaded_along_its_walls() {
        let ring = wkt! { POLYGON((0. 0.,20. 0.,20. 20.,0. 20.,0. 0.),(5. 5.,5. 15.,15. 15.,15. 5.,5. 5.)) };
        let v = Coord { x: 0.0, y: 3.0 };
        let s = MultiPolygon::new(swept(&mp(ring), v));
        // The courtyard's south part is shaded by the south wing, its north part is in sun.
        assert!(s.intersects(&Coord { x: 10.0, y: 7.0 }));
        assert!(!s.intersects(&Coord { x: 10.0, y: 12.0 }));
        // The shadow's edge itself is shade (closed prism).
        assert!(s.intersects(&Coord { x: 10.0, y: 8.0 }));
    }
}
