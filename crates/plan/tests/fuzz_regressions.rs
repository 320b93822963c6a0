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
