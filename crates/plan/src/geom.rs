//! Validated outlines in the local metric plane, and small geometry helpers over `geo`.
//!
//! All lengths are metres (`f64`) in a local plane: x east, y north (see [`crate::projection`]).

use geo::orient::{Direction, Orient};
use geo::{
    Area, BooleanOps, BoundingRect, Buffer, Centroid, Coord, CoordsIter, LineString, MultiPolygon,
    Polygon, Rect,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[cfg(feature = "fast-validation")]
mod validation;
#[cfg(feature = "fast-validation")]
pub use validation::{TooManyComparisons, check_validation, check_validation_within};

/// The most pair comparisons an outline's validation may make beyond its sweep: 16 for each
/// polygon and hole, and 4,096 more. An outline whose rings touch one another at so many
/// places (a thousand thin triangles around one point) is refused with
/// [`InvalidOutline::TooManyContacts`] rather than taking minutes; real outlines need a few per
/// ring, and valid ones whose rings do not touch need none.
pub fn comparison_budget(mp: &MultiPolygon<f64>) -> usize {
    let rings: usize = mp.0.iter().map(|p| 1 + p.interiors().len()).sum();
    rings.saturating_mul(16).saturating_add(4096)
}

/// Without the `fast-validation` feature (the browser bundles): geo's own check, the same
/// answer in quadratic time.
#[cfg(not(feature = "fast-validation"))]
pub fn check_validation(
    mp: &MultiPolygon<f64>,
) -> Result<(), geo::algorithm::validation::InvalidMultiPolygon> {
    use geo::Validation;
    mp.check_validation()
}

/// Validates within [`comparison_budget`].
#[cfg(feature = "fast-validation")]
fn validate(mp: &MultiPolygon<f64>) -> Result<(), InvalidOutline> {
    let budget = comparison_budget(mp);
    check_validation_within(mp, budget)
        .map_err(|_| InvalidOutline::TooManyContacts { budget })?
        .map_err(InvalidOutline::Invalid)
}

/// Without the `fast-validation` feature (the browser, which reads only what the server or
/// the editor made): geo's check.
#[cfg(not(feature = "fast-validation"))]
fn validate(mp: &MultiPolygon<f64>) -> Result<(), InvalidOutline> {
    check_validation(mp).map_err(InvalidOutline::Invalid)
}

/// The tolerance for slivers: pieces thinner than this (1 cm), which coordinate rounding in
/// GeoJSON from QGIS or CAD leaves where shapes were clipped to a boundary, are ignored by the
/// rules.
pub const SLIVER_M: f64 = 0.01;

/// Why a polygon was refused as an [`Outline`].
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum InvalidOutline {
    /// No polygon at all.
    #[error("the outline has no polygon")]
    Empty,
    /// A coordinate is NaN or infinite.
    #[error("polygon {polygon}, ring {ring}: coordinate {index} is not a finite number")]
    NonFinite {
        /// Index of the polygon in the multipolygon.
        polygon: usize,
        /// 0 for the exterior ring, 1.. for holes.
        ring: usize,
        /// Index of the coordinate in the ring.
        index: usize,
    },
    /// A ring without any point.
    #[error("polygon {polygon}, ring {ring} has no points")]
    EmptyRing {
        /// Index of the polygon in the multipolygon.
        polygon: usize,
        /// 0 for the exterior ring, 1.. for holes.
        ring: usize,
    },
    /// A ring of three points on one line: it encloses no area (geo's `Validation` lets it
    /// through, and its `relate` cannot place holes or parts against it).
    #[error("polygon {polygon}, ring {ring}: its three points lie on one line (no area)")]
    FlatRing {
        /// Index of the polygon in the multipolygon.
        polygon: usize,
        /// 0 for the exterior ring, 1.. for holes.
        ring: usize,
    },
    /// geo's `Validation` found a problem (self-intersection, too few points, …).
    #[error("{0}")]
    Invalid(geo::algorithm::validation::InvalidMultiPolygon),
    /// The rings touch one another at too many places to be checked in bounded time.
    #[error(
        "the outline's parts and holes touch one another at too many places to check (more than {budget} comparisons): simplify it, or merge the parts that touch"
    )]
    TooManyContacts {
        /// The comparisons allowed (see [`comparison_budget`]).
        budget: usize,
    },
    /// The outline encloses no area.
    #[error("the outline encloses no area")]
    ZeroArea,
}

/// A valid, non-empty polygon or multipolygon in local metres.
///
/// Guarantees: every coordinate is finite, geo's `Validation` accepts it (decided by
/// [`check_validation`], which gives geo's answer in O(n log n)), it has a positive
/// area, exterior rings are counter-clockwise and holes clockwise. The only way to get one is
/// [`Outline::new`] (or the helpers that call it, or deserialisation, which validates too), so
/// invalid geometry cannot enter a layout.
///
/// Serialised as GeoJSON-style MultiPolygon coordinates: `[[[[x, y], …], …], …]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Vec<Vec<[f64; 2]>>>", into = "Vec<Vec<Vec<[f64; 2]>>>")]
pub struct Outline(MultiPolygon<f64>);

impl Outline {
    /// Validates a multipolygon. Consecutive repeated points are removed first.
    ///
    /// Before geo's checks (run by [`check_validation`]), every ring must have points, at
    /// least 4 coordinates (3 distinct points and the closing one: geo's "too few points"
    /// error, reported here for the first such ring) and, for a triangle, points not on one
    /// line. geo's validation would compare other polygons with such rings first, and its
    /// `relate` gives arbitrary answers on them (and trips debug assertions).
    ///
    /// # Examples
    /// ```
    /// use plotwise_plan::Outline;
    /// use geo::wkt;
    /// let ok = Outline::from_polygon(wkt! { POLYGON((0. 0.,4. 0.,4. 3.,0. 3.,0. 0.)) }).unwrap();
    /// assert_eq!(ok.area_m2(), 12.0);
    /// let bowtie = Outline::from_polygon(wkt! { POLYGON((0. 0.,4. 3.,4. 0.,0. 3.,0. 0.)) });
    /// assert!(bowtie.is_err());
    /// ```
    pub fn new(mp: MultiPolygon<f64>) -> Result<Self, InvalidOutline> {
        if mp.0.is_empty() {
            return Err(InvalidOutline::Empty);
        }
        for (p, poly) in mp.0.iter().enumerate() {
            let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
            for (r, ring) in rings.enumerate() {
                if let Some(i) = ring
                    .0
                    .iter()
                    .position(|c| !c.x.is_finite() || !c.y.is_finite())
                {
                    return Err(InvalidOutline::NonFinite {
                        polygon: p,
                        ring: r,
                        index: i,
                    });
                }
            }
        }
        let cleaned = MultiPolygon::new(
            mp.0.into_iter()
                .map(|p| {
                    let (ext, ints) = p.into_inner();
                    Polygon::new(dedup(ext), ints.into_iter().map(dedup).collect())
                })
                .collect(),
        );
        for (p, poly) in cleaned.0.iter().enumerate() {
            let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
            for (r, ring) in rings.enumerate() {
                let c = &ring.0;
                if c.is_empty() {
                    return Err(InvalidOutline::EmptyRing {
                        polygon: p,
                        ring: r,
                    });
                }
                if c.len() < 4 {
                    use geo::algorithm::validation::{
                        GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
                    };
                    let role = if r == 0 {
                        RingRole::Exterior
                    } else {
                        RingRole::Interior(r - 1)
                    };
                    return Err(InvalidOutline::Invalid(
                        InvalidMultiPolygon::InvalidPolygon(
                            GeometryIndex(p),
                            InvalidPolygon::TooFewPointsInRing(role),
                        ),
                    ));
                }
                if c.len() == 4 && is_flat_triangle(c[0], c[1], c[2]) {
                    return Err(InvalidOutline::FlatRing {
                        polygon: p,
                        ring: r,
                    });
                }
            }
        }
        validate(&cleaned)?;
        if cleaned.unsigned_area() <= 0.0 {
            return Err(InvalidOutline::ZeroArea);
        }
        Ok(Outline(cleaned.orient(Direction::Default)))
    }

    /// As [`Outline::new`], but tolerant of what clipping and coordinate rounding leave in
    /// real data (QGIS, CAD): when the polygon is invalid only because of zero-width spikes,
    /// self-touching slivers or sliver lobes, it is cleaned by a boolean union (geo's
    /// `BooleanOps`) and accepted if that changed the area by no more than a `tolerance`-wide
    /// strip along the boundary. Real errors (a bow-tie, crossing rings) are still refused.
    /// The clean-up's work is bounded: it unions the outline rounded to the millimetre (a
    /// millionth of its extent when that is more than a kilometre), is not
    /// tried when the segments could cross more than about 16 times each, and is refused when
    /// it more than doubles the vertices; the outline is then refused with its own error.
    ///
    /// # Examples
    /// ```
    /// use plotwise_plan::Outline;
    /// use geo::wkt;
    /// // A zero-width spike from clipping: refused by `new`, cleaned here.
    /// let spiky = wkt! { POLYGON((0. 0.,10. 0.,10. 5.,12. 5.,10. 5.,10. 10.,0. 10.,0. 0.)) };
    /// assert!(Outline::from_polygon(spiky.clone()).is_err());
    /// let o = Outline::new_tolerant(geo::MultiPolygon::new(vec![spiky]), 0.01).unwrap();
    /// assert_eq!(o.area_m2(), 100.0);
    /// ```
    pub fn new_tolerant(mp: MultiPolygon<f64>, tolerance: f64) -> Result<Self, InvalidOutline> {
        let err = match Outline::new(mp.clone()) {
            Ok(o) => return Ok(o),
            Err(e @ (InvalidOutline::Empty | InvalidOutline::NonFinite { .. })) => return Err(e),
            Err(e) => e,
        };
        // The union resolves every crossing: refuse at once what could cross too often (a
        // star polygon has about n²/4 crossings: 1,600 vertices took 70 s).
        if !few_crossing_candidates(&mp) {
            return Err(err);
        }
        // i_overlay (geo's boolean operations) trips its own debug assertions on some
        // degenerate self-intersecting rings (found by fuzzing the WKT reader): such an
        // outline cannot be cleaned, and is refused with its validation error.
        // The union works on the outline rounded to a grid of a millimetre (or a millionth of
        // the outline's extent, for outlines over a kilometre): slivers are thinner than a
        // centimetre, and points a fraction of i_overlay's own precision from collinear send
        // its splitting into cascades (23 vertices took 0.14 s and became 620 polygons; found
        // by fuzzing).
        let grid = mp.bounding_rect().map_or(0.001, |r| {
            (r.width().max(r.height()) / f64::from(1u32 << 20)).max(0.001)
        });
        let snapped = geo::MapCoords::map_coords(&mp, |c| Coord {
            x: snap(c.x, grid),
            y: snap(c.y, grid),
        });
        let Ok(cleaned) = std::panic::catch_unwind(|| snapped.union(&MultiPolygon::new(vec![])))
        else {
            return Err(err);
        };
        let before = mp.unsigned_area();
        let perimeter: f64 =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| geo::Length::length(&geo::Euclidean, r))
                .sum();
        if (cleaned.unsigned_area() - before).abs() > tolerance * perimeter / 2.0 {
            return Err(err);
        }
        // Removing spikes and slivers never multiplies the vertices; on near-degenerate rings
        // the union can (11 vertices became 621 polygons of 3,103 vertices; found by
        // fuzzing), and what it made is no clean-up of the input.
        if cleaned.coords_count() > 2 * mp.coords_count() + 8 {
            return Err(err);
        }
        Outline::new(cleaned).map_err(|_| err)
    }

    /// Validates a single polygon.
    pub fn from_polygon(p: Polygon<f64>) -> Result<Self, InvalidOutline> {
        Outline::new(MultiPolygon::new(vec![p]))
    }

    /// An axis-aligned rectangle from two corners.
    pub fn rect(min: Coord<f64>, max: Coord<f64>) -> Result<Self, InvalidOutline> {
        Outline::from_polygon(Rect::new(min, max).to_polygon())
    }

    /// A rectangle `width` (along the rotated x axis) by `depth`, centred on `centre`,
    /// rotated counter-clockwise by `rotation_deg`.
    pub fn oriented_rect(
        centre: Coord<f64>,
        width: f64,
        depth: f64,
        rotation_deg: f64,
    ) -> Result<Self, InvalidOutline> {
        Outline::from_polygon(oriented_rect(centre, width, depth, rotation_deg))
    }

    /// The geometry.
    pub fn multi_polygon(&self) -> &MultiPolygon<f64> {
        &self.0
    }

    /// Consumes the outline, giving the geometry.
    pub fn into_multi_polygon(self) -> MultiPolygon<f64> {
        self.0
    }

    /// Area in m².
    pub fn area_m2(&self) -> f64 {
        self.0.unsigned_area()
    }

    /// The centroid (area-weighted).
    pub fn centroid(&self) -> Coord<f64> {
        self.0
            .centroid()
            .map(|p| p.0)
            .unwrap_or_else(|| self.0.0[0].exterior().0[0])
    }

    /// The bounding rectangle.
    pub fn bounding_rect(&self) -> Rect<f64> {
        // A valid outline has at least one coordinate, so a bounding rectangle exists.
        self.0
            .bounding_rect()
            .unwrap_or_else(|| Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }))
    }

    /// Applies `f` to every coordinate and validates the result.
    pub fn map_coords(
        &self,
        f: impl Fn(Coord<f64>) -> Coord<f64> + Copy,
    ) -> Result<Self, InvalidOutline> {
        use geo::MapCoords;
        Outline::new(self.0.map_coords(f))
    }
}

impl TryFrom<Vec<Vec<Vec<[f64; 2]>>>> for Outline {
    type Error = InvalidOutline;
    fn try_from(value: Vec<Vec<Vec<[f64; 2]>>>) -> Result<Self, Self::Error> {
        let polys = value
            .into_iter()
            .filter_map(|rings| {
                let mut rings = rings.into_iter().map(|r| {
                    LineString::from(
                        r.into_iter()
                            .map(|[x, y]| Coord { x, y })
                            .collect::<Vec<_>>(),
                    )
                });
                let ext = rings.next()?;
                Some(Polygon::new(ext, rings.collect()))
            })
            .collect();
        Outline::new(MultiPolygon::new(polys))
    }
}

impl From<Outline> for Vec<Vec<Vec<[f64; 2]>>> {
    fn from(o: Outline) -> Self {
        o.0.0
            .iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| r.0.iter().map(|c| [c.x, c.y]).collect())
                    .collect()
            })
            .collect()
    }
}

/// Whether three points lie on one line (geo's exact orientation test).
fn is_flat_triangle(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> bool {
    use geo::{GeoNum, Kernel, Orientation};
    <f64 as GeoNum>::Ker::orient2d(a, b, c) == Orientation::Collinear
}

fn dedup(ring: LineString<f64>) -> LineString<f64> {
    let mut v: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for c in ring.0 {
        if v.last() != Some(&c) {
            v.push(c);
        }
    }
    LineString::new(v)
}

/// A rectangle `width` × `depth` centred on `centre`, rotated counter-clockwise by
/// `rotation_deg` (width runs east before rotation).
pub fn oriented_rect(
    centre: Coord<f64>,
    width: f64,
    depth: f64,
    rotation_deg: f64,
) -> Polygon<f64> {
    let (s, c) = rotation_deg.to_radians().sin_cos();
    let (hw, hd) = (width / 2.0, depth / 2.0);
    let pts = [(-hw, -hd), (hw, -hd), (hw, hd), (-hw, hd), (-hw, -hd)]
        .iter()
        .map(|&(x, y)| Coord {
            x: centre.x + x * c - y * s,
            y: centre.y + x * s + y * c,
        })
        .collect::<Vec<_>>();
    Polygon::new(LineString::new(pts), vec![])
}

/// A regular polygon with `n` sides approximating a circle (vertices on the circle).
pub fn circle(centre: Coord<f64>, radius: f64, n: usize) -> Polygon<f64> {
    let n = n.max(3);
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / n as f64;
            Coord {
                x: centre.x + radius * a.cos(),
                y: centre.y + radius * a.sin(),
            }
        })
        .collect();
    pts.push(pts[0]);
    Polygon::new(LineString::new(pts), vec![])
}

/// `v` rounded to a multiple of `grid` (as it is when that is not a finite number).
fn snap(v: f64, grid: f64) -> f64 {
    let r = (v / grid).round() * grid;
    if r.is_finite() { r } else { v }
}

/// Whether the segments of `mp` are few enough candidates for crossing each other for a
/// union to be cheap: counts the pairs of segments whose x-extents overlap (every crossing is
/// such a pair), giving up past a budget of 16 per segment (plus 4096). Real outlines, even
/// 20,000-vertex curved walls, have a few per segment (neighbours, the facing side of a thin
/// strip); a star polygon has about n²/4. O(n log n + budget).
fn few_crossing_candidates(mp: &MultiPolygon<f64>) -> bool {
    let mut spans: Vec<(f64, f64)> =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.lines())
            .map(|l| (l.start.x.min(l.end.x), l.start.x.max(l.end.x)))
            .collect();
    spans.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let budget = 16 * spans.len() + 4096;
    let mut pairs = 0usize;
    for (i, &(_, end)) in spans.iter().enumerate() {
        for &(start, _) in &spans[i + 1..] {
            if start > end {
                break;
            }
            pairs += 1;
            if pairs > budget {
                return false;
            }
        }
    }
    true
}

/// Removes the parts of `mp` thinner than [`SLIVER_M`]: what is left after an opening
/// (shrink by half the tolerance, grow back). Empty when `mp` is only slivers.
pub fn without_slivers(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    if mp.0.is_empty() {
        return MultiPolygon::new(vec![]);
    }
    let shrunk = mp.buffer(-SLIVER_M / 2.0);
    if shrunk.0.is_empty() {
        return shrunk;
    }
    // Grow back with mitred corners and keep only what was there.
    let style = geo::algorithm::buffer::BufferStyle::new(SLIVER_M / 2.0)
        .line_join(geo::algorithm::buffer::LineJoin::Miter(0.1));
    shrunk.buffer_with_style(style).intersection(mp)
}

/// True when `mp` has some part at least [`SLIVER_M`] thick.
pub fn is_substantial(mp: &MultiPolygon<f64>) -> bool {
    // Cheap test first: a piece whose area is under 1 cm × its half perimeter is a sliver.
    if mp.0.is_empty() || mp.unsigned_area() < 1e-6 {
        return false;
    }
    !mp.buffer(-SLIVER_M / 2.0).0.is_empty()
}

/// Whether two rectangles overlap or lie within `margin` of each other.
pub fn rects_near(a: &Rect<f64>, b: &Rect<f64>, margin: f64) -> bool {
    a.min().x - margin <= b.max().x
        && b.min().x - margin <= a.max().x
        && a.min().y - margin <= b.max().y
        && b.min().y - margin <= a.max().y
}

/// Serde helper: a [`Coord`] as `[x, y]`.
pub mod coord_serde {
    use geo::Coord;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises as `[x, y]`.
    pub fn serialize<S: Serializer>(c: &Coord<f64>, s: S) -> Result<S::Ok, S::Error> {
        [c.x, c.y].serialize(s)
    }

    /// Deserialises from `[x, y]`, refusing non-finite numbers.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Coord<f64>, D::Error> {
        let [x, y] = <[f64; 2]>::deserialize(d)?;
        if !x.is_finite() || !y.is_finite() {
            return Err(serde::de::Error::custom(
                "coordinate is not a finite number",
            ));
        }
        Ok(Coord { x, y })
    }
}

/// The points of `mp` at least `r` from its boundary (a morphological erosion: a negative
/// buffer with round joins).
pub fn erode(mp: &MultiPolygon<f64>, r: f64) -> MultiPolygon<f64> {
    if mp.0.is_empty() || r <= 0.0 {
        return mp.clone();
    }
    mp.buffer(-r)
}

/// Serde helper: a [`geo::Geometry`] as a GeoJSON geometry object (in local metres).
pub mod geometry_serde {
    use geo::Geometry;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises as a GeoJSON geometry object.
    pub fn serialize<S: Serializer>(g: &Geometry<f64>, s: S) -> Result<S::Ok, S::Error> {
        geojson::Geometry::from(g).serialize(s)
    }

    /// Deserialises from a GeoJSON geometry object.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Geometry<f64>, D::Error> {
        let g = geojson::Geometry::deserialize(d)?;
        Geometry::<f64>::try_from(g).map_err(serde::de::Error::custom)
    }

    /// The same for `Option<Geometry>` (`null` or absent for `None`).
    pub mod option {
        use geo::Geometry;
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// Serialises as a GeoJSON geometry object or `null`.
        pub fn serialize<S: Serializer>(
            g: &Option<Geometry<f64>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            g.as_ref().map(geojson::Geometry::from).serialize(s)
        }

        /// Deserialises from a GeoJSON geometry object or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Geometry<f64>>, D::Error> {
            let g = Option::<geojson::Geometry>::deserialize(d)?;
            g.map(|g| Geometry::<f64>::try_from(g).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use approx::assert_relative_eq;
    use geo::wkt;

    #[test]
    fn valid_square_is_accepted_and_oriented() {
        let o = Outline::from_polygon(wkt! { POLYGON((0. 0.,0. 5.,5. 5.,5. 0.,0. 0.)) }).unwrap();
        assert_relative_eq!(o.area_m2(), 25.0);
        use geo::winding_order::Winding;
        assert!(o.multi_polygon().0[0].exterior().is_ccw());
    }

    #[test]
    fn self_intersection_says_where() {
        let e =
            Outline::from_polygon(wkt! { POLYGON((0. 0.,4. 3.,4. 0.,0. 3.,0. 0.)) }).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("polygon at index 0"), "{msg}");
        assert!(msg.contains("self-intersection"), "{msg}");
    }

    #[test]
    fn nan_and_empty_and_flat_are_refused() {
        let nan = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (f64::NAN, 1.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![],
        );
        assert!(matches!(
            Outline::from_polygon(nan),
            Err(InvalidOutline::NonFinite { index: 1, .. })
        ));
        assert_eq!(
            Outline::new(MultiPolygon::new(vec![])),
            Err(InvalidOutline::Empty)
        );
        assert!(Outline::from_polygon(wkt! { POLYGON((0. 0.,1. 0.,2. 0.,0. 0.)) }).is_err());
    }

    #[test]
    fn degenerate_rings_are_refused_before_geo_sees_them() {
        // A flat triangle: geo's validation lets it through (and, as a hole, says the square
        // around it is valid); it encloses nothing.
        let flat_hole = wkt! { POLYGON((0. 0.,4. 0.,4. 4.,0. 4.,0. 0.),(1. 1.,3. 1.,2. 1.,1. 1.)) };
        assert_eq!(
            Outline::from_polygon(flat_hole),
            Err(InvalidOutline::FlatRing {
                polygon: 0,
                ring: 1
            })
        );
        // A part whose exterior is one point, with a hole, after a real part: geo would relate
        // the two parts first (and trip a debug assertion); it is refused as too few points.
        let point_part = MultiPolygon::new(vec![
            wkt! { POLYGON((0. 0.,0. 3.5,0.5 0.,0. 0.)) },
            Polygon::new(
                LineString::from(vec![(0.0, 0.0)]),
                vec![LineString::from(vec![(1.0, 0.0), (0.0, 0.5), (1.0, 0.0)])],
            ),
        ]);
        let e = Outline::new(point_part).unwrap_err().to_string();
        assert_eq!(
            e,
            "polygon at index 1 is invalid: exterior ring must have at least 3 distinct points"
        );
        // A ring without points.
        let empty_hole = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![LineString::new(vec![])],
        );
        assert_eq!(
            Outline::from_polygon(empty_hole).unwrap_err().to_string(),
            "polygon 0, ring 1 has no points"
        );
    }

    #[test]
    fn serde_round_trip_validates() {
        let o = Outline::rect(Coord { x: 0.0, y: 0.0 }, Coord { x: 2.0, y: 1.0 }).unwrap();
        let s = serde_json::to_string(&o).unwrap();
        let back: Outline = serde_json::from_str(&s).unwrap();
        assert_eq!(o, back);
        let bad = "[[[[0,0],[4,3],[4,0],[0,3],[0,0]]]]";
        assert!(serde_json::from_str::<Outline>(bad).is_err());
    }

    #[test]
    fn slivers_are_not_substantial() {
        let sliver: MultiPolygon<f64> =
            wkt! { MULTIPOLYGON(((0. 0.,10. 0.,10. 0.004,0. 0.004,0. 0.))) };
        assert!(!is_substantial(&sliver));
        assert!(without_slivers(&sliver).0.is_empty());
        let real: MultiPolygon<f64> =
            wkt! { MULTIPOLYGON(((0. 0.,10. 0.,10. 0.05,0. 0.05,0. 0.))) };
        assert!(is_substantial(&real));
    }

    #[test]
    fn tolerant_outlines_clean_slivers_but_not_real_errors() {
        // A sliver lobe 2 mm wide pinched off the square: cleaned.
        let lobe = wkt! { POLYGON((0. 0.,10. 0.,10. 10.,5. 10.,5.5 10.002,6. 10.,0. 10.,0. 0.)) };
        let o = Outline::new_tolerant(MultiPolygon::new(vec![lobe]), SLIVER_M).unwrap();
        assert!((o.area_m2() - 100.0).abs() < 0.01);
        // A bow-tie is a drawing error, not a sliver.
        let bowtie = wkt! { POLYGON((0. 0.,4. 3.,4. 0.,0. 3.,0. 0.)) };
        assert!(Outline::new_tolerant(MultiPolygon::new(vec![bowtie]), SLIVER_M).is_err());
    }

    #[test]
    fn oriented_rect_rotates_counter_clockwise() {
        let p = oriented_rect(Coord { x: 0.0, y: 0.0 }, 2.0, 1.0, 90.0);
        let r = p.bounding_rect().unwrap();
        assert_relative_eq!(r.width(), 1.0, epsilon = 1e-12);
        assert_relative_eq!(r.height(), 2.0, epsilon = 1e-12);
    }
}
