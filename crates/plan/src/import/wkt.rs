//! WKT boundaries (`POLYGON` or `MULTIPOLYGON`) → an empty [`Layout`].
//!
//! Coordinates may be local metres (from CAD) or WGS84 longitude/latitude. With
//! [`WktUnits::Auto`], an `SRID=4326;` prefix means WGS84; otherwise coordinates that all lie
//! in longitude/latitude range and span less than 0.1° are taken as WGS84 (a plot measured in
//! metres is never 0.1 m across), anything else as metres.

use std::str::FromStr;

use geo::{BoundingRect, Coord, Geometry, MapCoords, MultiPolygon};

use super::ImportError;
use crate::geom::Outline;
use crate::model::{Layout, Plot};
use crate::projection::{LocalProjection, LonLat};

/// What the WKT coordinates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WktUnits {
    /// Decide from the text (see the module docs).
    #[default]
    Auto,
    /// Local metres, x east, y north.
    Metres,
    /// WGS84 longitude, latitude (degrees).
    Wgs84,
}

/// Imports a boundary as the plot of an empty layout.
///
/// # Examples
/// ```
/// use plotwise_plan::import::wkt::{import_boundary, WktUnits};
/// let l = import_boundary("POLYGON((0 0,8 0,8 5,0 5,0 0))", WktUnits::Auto).unwrap();
/// assert_eq!(l.plot.area_m2(), 40.0);
/// assert!(l.plot.projection.is_none());
/// ```
pub fn import_boundary(text: &str, units: WktUnits) -> Result<Layout, ImportError> {
    let mut body = text.trim();
    let mut srid = None;
    if let Some(rest) = body
        .strip_prefix("SRID=")
        .or_else(|| body.strip_prefix("srid="))
        && let Some((code, wkt)) = rest.split_once(';')
    {
        srid = Some(code.trim().to_owned());
        body = wkt.trim();
    }
    let parsed = wkt::Wkt::<f64>::from_str(body).map_err(|e| ImportError::Parse {
        format: "WKT",
        detail: e.to_string(),
    })?;
    let geom = Geometry::<f64>::try_from(parsed).map_err(|e| ImportError::Parse {
        format: "WKT",
        detail: e.to_string(),
    })?;
    let mp = match geom {
        Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
        Geometry::MultiPolygon(mp) => mp,
        Geometry::Rect(r) => MultiPolygon::new(vec![r.to_polygon()]),
        other => {
            let name = match other {
                Geometry::Point(_) => "POINT",
                Geometry::LineString(_) => "LINESTRING",
                Geometry::MultiPoint(_) => "MULTIPOINT",
                Geometry::MultiLineString(_) => "MULTILINESTRING",
                Geometry::GeometryCollection(_) => "GEOMETRYCOLLECTION",
                _ => "another geometry type",
            };
            return Err(ImportError::NotAPolygon(name.to_owned()));
        }
    };
    let wgs84 = match units {
        WktUnits::Metres => false,
        WktUnits::Wgs84 => true,
        WktUnits::Auto => match srid.as_deref() {
            Some("4326") => true,
            Some(_) => false,
            None => looks_like_degrees(&mp),
        },
    };
    let (mp, projection) = if wgs84 {
        let Some(r) = mp.bounding_rect() else {
            return Err(ImportError::Boundary(crate::geom::InvalidOutline::Empty));
        };
        if r.min().x < -180.0 || r.max().x > 180.0 || r.min().y < -90.0 || r.max().y > 90.0 {
            return Err(ImportError::Parse {
                format: "WKT",
                detail: "coordinates are out of WGS84 longitude/latitude range".into(),
            });
        }
        let proj = LocalProjection::new(LonLat {
            lon: (r.min().x + r.max().x) / 2.0,
            lat: (r.min().y + r.max().y) / 2.0,
        });
        let local = mp.map_coords(|c: Coord<f64>| proj.to_local(LonLat { lon: c.x, lat: c.y }));
        (local, Some(proj))
    } else {
        (mp, None)
    };
    let outline =
        Outline::new_tolerant(mp, crate::geom::SLIVER_M).map_err(ImportError::Boundary)?;
    let mut plot = Plot::new("plot", outline);
    plot.projection = projection;
    Ok(Layout::new(plot))
}

fn looks_like_degrees(mp: &MultiPolygon<f64>) -> bool {
    let Some(r) = mp.bounding_rect() else {
        return false;
    };
    let in_range =
        r.min().x >= -180.0 && r.max().x <= 180.0 && r.min().y >= -90.0 && r.max().y <= 90.0;
    in_range && r.width() < 0.1 && r.height() < 0.1
}

#[cfg(test)]
mod test {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn metres_and_degrees_are_told_apart() {
        let m = import_boundary("POLYGON((0 0,30 0,30 20,0 20,0 0))", WktUnits::Auto).unwrap();
        assert_eq!(m.plot.area_m2(), 600.0);
        let d = import_boundary(
            "POLYGON((121.5035 31.293,121.503584 31.293001,121.5035833 31.2930461,121.5034993 31.2930451,121.5035 31.293))",
            WktUnits::Auto,
        )
        .unwrap();
        // The Lantian rest stop: reference area 39.99 m².
        assert_relative_eq!(d.plot.area_m2(), 39.99, max_relative = 1e-3);
        assert!(d.plot.projection.is_some());
        let e = import_boundary(
            "SRID=4326;POLYGON((0 0,0.001 0,0.001 0.001,0 0))",
            WktUnits::Auto,
        )
        .unwrap();
        assert!(e.plot.projection.is_some());
        let forced =
            import_boundary("POLYGON((0 0,0.05 0,0.05 0.05,0 0))", WktUnits::Metres).unwrap();
        assert!(forced.plot.projection.is_none());
    }

    #[test]
    fn errors_say_what() {
        let e = import_boundary("POLYGON((0 0,4 3,4 0,0 3,0 0))", WktUnits::Metres).unwrap_err();
        assert!(e.to_string().contains("self-intersection"), "{e}");
        let e = import_boundary("LINESTRING(0 0,1 1)", WktUnits::Auto).unwrap_err();
        assert_eq!(e, ImportError::NotAPolygon("LINESTRING".into()));
        let e = import_boundary("POLYGON((0 0,", WktUnits::Auto).unwrap_err();
        assert!(e.to_string().starts_with("cannot parse WKT"), "{e}");
        let m = import_boundary(
            "MULTIPOLYGON(((0 0,2 0,2 2,0 2,0 0)),((5 5,6 5,6 6,5 5)))",
            WktUnits::Auto,
        )
        .unwrap();
        assert_relative_eq!(m.plot.area_m2(), 4.5);
    }
}
