//! Snapping a point while drawing: to a corner of the plot or of another zone, else onto an
//! edge, else to the grid. The editor calls it on every pointer move of a drawing or dragging
//! gesture; the tolerance comes in metres (the editor turns its 10 screen pixels into metres
//! at the current zoom).

use geo::{Closest, ClosestPoint, Coord, Point};

use crate::model::Layout;

/// What a point snapped to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SnapTo {
    /// A corner of the plot or of a zone (within the tolerance).
    Corner,
    /// The nearest point of an edge (within 0.6 × the tolerance, so corners win near them).
    Edge,
    /// The grid.
    Grid,
    /// Nothing: the point as it was (no shape near, grid off).
    Free,
}

/// How to snap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SnapOptions<'a> {
    /// How near a corner must be, m.
    pub tolerance_m: f64,
    /// Grid step, m (`0` or less: no grid).
    pub grid_m: f64,
    /// A zone to leave out (the one being reshaped or moved).
    pub skip_zone: Option<&'a str>,
}

/// Snaps `p` to `layout`'s plot and zones, else to the grid. Corners win over edges, edges
/// over the grid; among several, the nearest.
pub fn snap(layout: &Layout, p: Coord<f64>, options: SnapOptions<'_>) -> (Coord<f64>, SnapTo) {
    let tol = options.tolerance_m;
    let shapes = std::iter::once(layout.plot.outline.multi_polygon()).chain(
        layout
            .zones
            .iter()
            .filter(|z| Some(z.id.as_str()) != options.skip_zone)
            .map(|z| z.outline.multi_polygon()),
    );
    let dist = |c: Coord<f64>| (c.x - p.x).hypot(c.y - p.y);
    let mut corner: Option<(f64, Coord<f64>)> = None;
    let mut edge: Option<(f64, Coord<f64>)> = None;
    for mp in shapes {
        for poly in mp.iter() {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for c in ring.coords() {
                    let d = dist(*c);
                    if d <= tol && corner.is_none_or(|(bd, _)| d < bd) {
                        corner = Some((d, *c));
                    }
                }
                if let Closest::SinglePoint(q) | Closest::Intersection(q) =
                    ring.closest_point(&Point::from(p))
                {
                    let d = dist(q.0);
                    if d <= tol * 0.6 && edge.is_none_or(|(bd, _)| d < bd) {
                        edge = Some((d, q.0));
                    }
                }
            }
        }
    }
    if let Some((_, c)) = corner {
        return (c, SnapTo::Corner);
    }
    if let Some((_, c)) = edge {
        return (c, SnapTo::Edge);
    }
    if options.grid_m > 0.0 {
        let g = options.grid_m;
        let q = Coord {
            x: (p.x / g).round() * g,
            y: (p.y / g).round() * g,
        };
        return (q, SnapTo::Grid);
    }
    (p, SnapTo::Free)
}

#[cfg(test)]
mod test {
    use super::*;
    use crate::geom::Outline;
    use crate::model::{Plot, Zone, ZoneKind};

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn layout() -> Layout {
        let mut l = Layout::new(Plot::new(
            "plot",
            Outline::rect(c(0.0, 0.0), c(20.0, 10.0)).unwrap(),
        ));
        l.zones.push(Zone::new(
            "z1",
            ZoneKind::Seating,
            Outline::rect(c(5.0, 5.0), c(8.0, 7.0)).unwrap(),
        ));
        l
    }

    fn opts(grid_m: f64) -> SnapOptions<'static> {
        SnapOptions {
            tolerance_m: 0.5,
            grid_m,
            skip_zone: None,
        }
    }

    #[test]
    fn a_near_corner_wins_over_its_edges_and_the_grid() {
        let (q, to) = snap(&layout(), c(5.2, 5.3), opts(1.0));
        assert_eq!((q, to), (c(5.0, 5.0), SnapTo::Corner));
    }

    #[test]
    fn near_an_edge_the_point_lands_on_it() {
        let (q, to) = snap(&layout(), c(6.4, 7.2), opts(1.0));
        assert_eq!(to, SnapTo::Edge);
        assert!(
            (q.x - 6.4).abs() < 1e-12 && (q.y - 7.0).abs() < 1e-12,
            "{q:?}"
        );
    }

    #[test]
    fn far_from_shapes_the_grid_decides_and_without_it_nothing_moves() {
        assert_eq!(
            snap(&layout(), c(12.26, 3.74), opts(0.5)),
            (c(12.5, 3.5), SnapTo::Grid)
        );
        assert_eq!(
            snap(&layout(), c(12.26, 3.74), opts(0.0)),
            (c(12.26, 3.74), SnapTo::Free)
        );
    }

    #[test]
    fn the_zone_being_edited_is_left_out() {
        let o = SnapOptions {
            skip_zone: Some("z1"),
            ..opts(0.0)
        };
        assert_eq!(snap(&layout(), c(5.2, 5.3), o), (c(5.2, 5.3), SnapTo::Free));
        // The plot's own corners still count.
        assert_eq!(
            snap(&layout(), c(19.8, 0.1), o),
            (c(20.0, 0.0), SnapTo::Corner)
        );
    }
}
