//! Inputs that fuzzing (`cargo xtask fuzz`, fuzz/) found a reader mishandling, each with the
//! clear error a user now gets. The same inputs are replayed through the fuzz targets'
//! checks by crates/fuzz/tests/corpus.rs (from fuzz/regressions/).

use plotwise_plan::import::ImportError;

fn regression(target: &str, name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The dxf crate panics on a header date far out of range (`$TDCREATE` of -1e300: chrono's
/// duration overflows); the file is refused as unreadable DXF instead.
#[cfg(feature = "dxf")]
#[test]
fn a_dxf_header_date_out_of_range_is_refused() {
    let bytes = regression("dxf", "header-date-out-of-range.dxf");
    let e = plotwise_plan::import::dxf::import_boundary(&bytes).unwrap_err();
    assert!(
        matches!(e, ImportError::Parse { format: "DXF", .. }),
        "{e:?}"
    );
    let m = e.message();
    assert!(m.en.starts_with("cannot parse DXF: "), "{}", m.en);
    assert!(m.en.contains("out of range"), "{}", m.en);
    assert!(m.zh.starts_with("无法解析 DXF"), "{}", m.zh);
    // Far in the future: out of chrono's range in any build.
    let text = String::from_utf8(bytes).unwrap();
    let future = text.replace("-1e300", "1e300");
    assert!(matches!(
        plotwise_plan::import::dxf::import_boundary(future.as_bytes()),
        Err(ImportError::Parse { format: "DXF", .. })
    ));
    // The same drawing with a date in range reads.
    let fine = text.replace("-1e300", "2451544.9");
    let layout = plotwise_plan::import::dxf::import_boundary(fine.as_bytes()).unwrap();
    assert!((layout.plot.area_m2() - 20.0).abs() < 1e-9);
}

/// geo's union (i_overlay) trips a debug assertion on these degenerate crossing rings, which
/// the tolerant outline check unions to clean slivers: a debug build (`cargo xtask run`, the
/// tests) panicked. The boundary is refused with its validation error instead.
#[test]
fn a_boundary_the_union_cannot_clean_is_refused() {
    let bytes = regression("wkt", "union-asserts-on-degenerate-rings.wkt");
    let text = std::str::from_utf8(&bytes).unwrap();
    for units in [
        plotwise_plan::import::wkt::WktUnits::Auto,
        plotwise_plan::import::wkt::WktUnits::Metres,
        plotwise_plan::import::wkt::WktUnits::Wgs84,
    ] {
        let e = plotwise_plan::import::wkt::import_boundary(text, units).unwrap_err();
        assert!(matches!(e, ImportError::Boundary(_)), "{e:?}");
        let m = e.message();
        assert!(m.en.starts_with("boundary: "), "{}", m.en);
        assert!(m.zh.starts_with("边界："), "{}", m.zh);
    }
}

/// An 11-vertex self-crossing boundary of 315 bytes, its points micrometres from collinear:
/// the tolerant clean-up (geo's union) turned it into 621 polygons of 3,103 vertices,
/// accepted, and validating them took 0.5 s (4 s in the fuzzer, over its 1 s limit), again
/// each time the layout was loaded. The clean-up now works on the outline rounded to the
/// millimetre, and one that multiplies the vertices is refused: the boundary is either refused
/// or cleaned to about what it was.
#[test]
fn a_near_degenerate_boundary_is_not_split_into_hundreds_of_polygons() {
    let bytes = regression("wkt", "union-splits-11-vertices-into-621-polygons.wkt");
    cleaned_to_its_size_or_refused(std::str::from_utf8(&bytes).unwrap(), 12);
}

/// The boundary in `text` (of `coords` coordinates) is refused, or read as an outline of at
/// most twice that many.
fn cleaned_to_its_size_or_refused(text: &str, coords: usize) {
    use geo::CoordsIter;
    for units in [
        plotwise_plan::import::wkt::WktUnits::Auto,
        plotwise_plan::import::wkt::WktUnits::Metres,
        plotwise_plan::import::wkt::WktUnits::Wgs84,
    ] {
        match plotwise_plan::import::wkt::import_boundary(text, units) {
            Ok(layout) => {
                let mp = layout.plot.outline.multi_polygon();
                assert!(mp.coords_count() <= 2 * coords + 8, "{units:?}: {mp:?}");
            }
            Err(e) => assert!(matches!(e, ImportError::Boundary(_)), "{units:?}: {e}"),
        }
    }
}

/// A star polygon (every edge crosses most others) is a self-intersecting boundary; the
/// tolerant clean-up's union has to resolve every crossing, about n²/4: 800 vertices (30 KB)
/// took 10 s and were accepted as 160,200 polygons, 1,600 vertices took 70 s. The clean-up is
/// not tried when the segments could cross that often, and the boundary is refused at once.
#[test]
fn a_boundary_crossing_itself_everywhere_is_refused_without_cleaning() {
    for n in [201usize, 801, 1601] {
        let k = n / 2;
        let pts: Vec<String> = (0..=n)
            .map(|i| {
                let a = 2.0 * std::f64::consts::PI * ((i * k) % n) as f64 / n as f64;
                format!("{} {}", 10.0 * a.cos(), 10.0 * a.sin())
            })
            .collect();
        let text = format!("POLYGON(({}))", pts.join(","));
        let e = plotwise_plan::import::wkt::import_boundary(
            &text,
            plotwise_plan::import::wkt::WktUnits::Metres,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .ends_with("exterior ring has a self-intersection"),
            "{n}: {e}"
        );
    }
}

/// 23 vertices a few micrometres from collinear: geo's union (i_overlay) split them in
/// cascades, 0.14 s (2.2 s in the fuzzer) for 620 polygons. The clean-up works on the outline
/// rounded to the millimetre (microseconds, one polygon).
#[test]
fn a_clean_up_of_sub_millimetre_near_collinear_points_is_quick() {
    let bytes = regression("wkt", "union-cascades-on-sub-millimetre-points.wkt");
    cleaned_to_its_size_or_refused(std::str::from_utf8(&bytes).unwrap(), 23);
}

/// The same cascade on an outline thousands of kilometres across (WGS84 coordinates 40° apart):
/// a millimetre is far below i_overlay's precision there, so the grid is a millionth of the
/// extent.
#[test]
fn a_clean_up_of_a_huge_outline_is_quick() {
    let bytes = regression("wkt", "union-cascades-on-a-4000-km-outline.wkt");
    cleaned_to_its_size_or_refused(std::str::from_utf8(&bytes).unwrap(), 19);
}
