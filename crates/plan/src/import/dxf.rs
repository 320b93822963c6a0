//! DXF boundaries (feature `dxf`): the plot outline from a surveyor's or designer's drawing.
//!
//! The boundary is a closed LWPOLYLINE or POLYLINE. When several are closed, one on a layer
//! whose name says boundary (`PLOT`, `BOUNDARY`, `SITE`, `地块`, `红线`, `边界`, `用地`) wins,
//! else the largest. Drawing units come from `$INSUNITS` (millimetres, centimetres, metres,
//! inches, feet; unitless is taken as metres). The result is a layout with the plot only.

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};

use super::ImportError;
use crate::geom::{Outline, SLIVER_M};
use crate::model::{Layout, Plot};

/// Words in a layer name that mark the boundary.
const BOUNDARY_LAYER_WORDS: [&str; 8] = [
    "plot", "boundary", "site", "地块", "红线", "边界", "用地", "界线",
];

/// Reads the plot boundary from DXF bytes (ASCII or binary DXF).
///
/// # Errors
/// [`ImportError::Parse`] when the bytes are not DXF; [`ImportError::Dxf`] when no closed
/// polyline is found (saying how many open ones there were); [`ImportError::Boundary`] when
/// the polyline is not a valid polygon (self-intersecting, …).
pub fn import_boundary(bytes: &[u8]) -> Result<Layout, ImportError> {
    // The dxf crate panics on some values out of range (a header date such as `$TDCREATE`
    // of 1e300 overflows chrono's duration; found by fuzzing): such a file is refused like
    // any other unreadable one. Only the crate's own reading is inside the guard.
    let loaded = std::panic::catch_unwind(|| dxf::Drawing::load(&mut std::io::Cursor::new(bytes)));
    let drawing = match loaded {
        Ok(read) => read.map_err(|e| ImportError::Parse {
            format: "DXF",
            detail: e.to_string(),
        })?,
        Err(_) => {
            return Err(ImportError::Parse {
                format: "DXF",
                detail: "a value in the file is out of range for the DXF reader (save the drawing again from CAD as DXF)".into(),
            });
        }
    };
    let scale = unit_scale(drawing.header.default_drawing_units);
    let mut closed: Vec<(bool, f64, Polygon<f64>)> = Vec::new();
    let mut open = 0usize;
    for entity in drawing.entities() {
        let (is_closed, points): (bool, Vec<Coord<f64>>) = match &entity.specific {
            dxf::entities::EntityType::LwPolyline(p) => (
                p.is_closed(),
                p.vertices
                    .iter()
                    .map(|v| Coord {
                        x: v.x * scale,
                        y: v.y * scale,
                    })
                    .collect(),
            ),
            dxf::entities::EntityType::Polyline(p) => (
                p.is_closed(),
                p.vertices()
                    .map(|v| Coord {
                        x: v.location.x * scale,
                        y: v.location.y * scale,
                    })
                    .collect(),
            ),
            _ => continue,
        };
        // A polyline drawn back to its start but not flagged closed is closed too.
        let ends_meet = points.len() > 3
            && points
                .first()
                .zip(points.last())
                .is_some_and(|(a, b)| (a.x - b.x).hypot(a.y - b.y) < SLIVER_M);
        if !(is_closed || ends_meet) || points.len() < 3 {
            open += 1;
            continue;
        }
        let polygon = Polygon::new(LineString::from(points), vec![]);
        let layer = entity.common.layer.to_lowercase();
        let on_boundary_layer = BOUNDARY_LAYER_WORDS.iter().any(|w| layer.contains(w));
        closed.push((on_boundary_layer, polygon.unsigned_area(), polygon));
    }
    let best = closed
        .into_iter()
        .max_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).unwrap_or(std::cmp::Ordering::Equal))
        .ok_or(ImportError::Dxf(if open > 0 {
            format!(
                "no closed polyline for the boundary ({open} open polyline(s) found: close the boundary in CAD)"
            )
        } else {
            "no LWPOLYLINE or POLYLINE found for the boundary".to_owned()
        }))?;
    let outline = Outline::new_tolerant(MultiPolygon(vec![best.2]), SLIVER_M)
        .map_err(ImportError::Boundary)?;
    Ok(Layout::new(Plot::new("plot", outline)))
}

/// Metres per drawing unit.
fn unit_scale(units: dxf::enums::Units) -> f64 {
    use dxf::enums::Units;
    match units {
        Units::Millimeters => 0.001,
        Units::Centimeters => 0.01,
        Units::Decimeters => 0.1,
        Units::Inches => 0.0254,
        Units::Feet => 0.3048,
        Units::USSurveyFeet => 1200.0 / 3937.0,
        Units::Kilometers => 1000.0,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    #[test]
    fn an_exported_layout_comes_back_as_its_boundary() {
        let sample = crate::samples::sample("guonian-layout-example").unwrap();
        let layout = crate::import::geojson::import_layout(sample.geojson()).unwrap();
        let bytes = crate::export::dxf::layout_dxf(&layout, &Catalogue::builtin()).unwrap();
        let back = import_boundary(&bytes).unwrap();
        let (a, b) = (layout.plot.area_m2(), back.plot.area_m2());
        assert!((a - b).abs() / a < 1e-9, "{a} vs {b}");
        assert!(back.zones.is_empty() && back.elements.is_empty());
    }

    /// A polyline for a test drawing: layer, closed flag, vertices.
    type TestPolyline<'a> = (&'a str, bool, &'a [(f64, f64)]);

    fn dxf_with(units: dxf::enums::Units, polylines: &[TestPolyline<'_>]) -> Vec<u8> {
        let mut d = dxf::Drawing::new();
        d.header.version = dxf::enums::AcadVersion::R2018;
        d.header.default_drawing_units = units;
        for (layer, closed, pts) in polylines {
            let mut p = dxf::entities::LwPolyline::default();
            p.set_is_closed(*closed);
            p.vertices = pts
                .iter()
                .map(|&(x, y)| dxf::LwPolylineVertex {
                    x,
                    y,
                    ..Default::default()
                })
                .collect();
            let mut e = dxf::entities::Entity::new(dxf::entities::EntityType::LwPolyline(p));
            e.common.layer = (*layer).to_owned();
            d.add_entity(e);
        }
        let mut out = Vec::new();
        d.save(&mut out).unwrap();
        out
    }

    #[test]
    fn millimetres_are_scaled_and_the_boundary_layer_wins_over_a_larger_shape() {
        let square_mm: &[(f64, f64)] = &[
            (0.0, 0.0),
            (10_000.0, 0.0),
            (10_000.0, 8_000.0),
            (0.0, 8_000.0),
        ];
        let big: &[(f64, f64)] = &[
            (0.0, 0.0),
            (50_000.0, 0.0),
            (50_000.0, 50_000.0),
            (0.0, 50_000.0),
        ];
        let bytes = dxf_with(
            dxf::enums::Units::Millimeters,
            &[("BUILDINGS", true, big), ("地块红线", true, square_mm)],
        );
        let layout = import_boundary(&bytes).unwrap();
        assert!((layout.plot.area_m2() - 80.0).abs() < 1e-9);
    }

    #[test]
    fn open_polylines_and_non_dxf_are_refused_with_a_reason() {
        let open: &[(f64, f64)] = &[(0.0, 0.0), (10.0, 0.0), (10.0, 8.0)];
        let bytes = dxf_with(dxf::enums::Units::Meters, &[("PLOT", false, open)]);
        let err = import_boundary(&bytes).unwrap_err();
        assert!(err.to_string().contains("1 open polyline"), "{err}");
        assert!(matches!(
            import_boundary(b"not a drawing"),
            Err(ImportError::Parse { format: "DXF", .. })
        ));
    }

    #[test]
    fn a_self_intersecting_boundary_is_refused() {
        let bow: &[(f64, f64)] = &[(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)];
        let bytes = dxf_with(dxf::enums::Units::Meters, &[("PLOT", true, bow)]);
        assert!(matches!(
            import_boundary(&bytes),
            Err(ImportError::Boundary(_))
        ));
    }
}
