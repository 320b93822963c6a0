//! `plotwise export` through the built binary: every format for the Guonian layout example,
//! `-o FILE` against stdout, and one-line errors (exit 2) naming the file.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::common::{binary, repo_root, run};

fn example() -> PathBuf {
    repo_root().join("crates/plan/samples/guonian-layout-example.geojson")
}

/// `plotwise export EXAMPLE --format FORMAT` to stdout; asserts success.
fn export(format: &str) -> Vec<u8> {
    let path = example();
    let out = run(&["export", path.to_str().unwrap(), "--format", format]);
    assert_eq!(out.status.code(), Some(0), "--format {format}: {out:?}");
    assert!(!out.stdout.is_empty(), "--format {format}: empty output");
    out.stdout
}

/// Exit code 2 with exactly one line on stderr; returns the line.
fn bad(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn example_layout() -> plotwise_plan::Layout {
    let text = std::fs::read_to_string(example()).unwrap();
    plotwise_plan::import::geojson::import_layout(&text).expect("the example imports")
}

#[test]
fn svg_is_xml_with_the_board() {
    let svg = String::from_utf8(export("svg")).expect("UTF-8");
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(
        root.attribute("width").is_some_and(|w| w.ends_with("mm")),
        "sized on paper: {:?}",
        root.attribute("width")
    );
    assert!(
        doc.descendants().filter(|n| n.has_tag_name("text")).count() > 5,
        "a board has labels, legend and title block"
    );
}

#[test]
fn pdf_is_a_pdf() {
    let pdf = export("pdf");
    assert!(pdf.starts_with(b"%PDF-"), "{:?}", &pdf[..pdf.len().min(16)]);
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(32)..]).to_string();
    assert!(tail.contains("%%EOF"), "{tail}");
}

#[test]
fn pdf_without_the_font_names_it_and_says_how_to_get_one() {
    let missing = repo_root().join("no-such-font.ttc");
    let path = example();
    let out = Command::new(binary())
        .args(["export", path.to_str().unwrap(), "--format", "pdf"])
        .env("PLOTWISE_CJK_FONT", &missing)
        .output()
        .unwrap();
    let err = bad(&out);
    assert!(err.contains("no-such-font.ttc"), "{err}");
    assert!(
        err.contains("install fonts-wqy-microhei or set PLOTWISE_CJK_FONT"),
        "{err}"
    );
}

#[test]
fn dxf_is_a_dxf() {
    let dxf = export("dxf");
    let text = String::from_utf8_lossy(&dxf);
    let codes: Vec<&str> = text.lines().map(str::trim).collect();
    assert_eq!(&codes[..2], ["0", "SECTION"], "starts with a section");
    assert_eq!(&codes[codes.len() - 2..], ["0", "EOF"], "ends with EOF");
    assert!(codes.contains(&"$ACADVER"), "has a header version");
}

#[test]
fn geojson_reimports_with_the_same_zones_and_elements() {
    let original = example_layout();
    let text = String::from_utf8(export("geojson")).expect("UTF-8");
    let again = plotwise_plan::import::geojson::import_layout(&text).expect("re-imports");
    assert!(!original.zones.is_empty() && !original.elements.is_empty());
    assert_eq!(again.zones.len(), original.zones.len());
    assert_eq!(again.elements.len(), original.elements.len());
    let ids = |l: &plotwise_plan::Layout| {
        let mut v: Vec<String> = l
            .zones
            .iter()
            .map(|z| z.id.to_string())
            .chain(l.elements.iter().map(|e| e.id.to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&again), ids(&original));
}

#[test]
fn csv_has_the_bom_the_header_and_a_row_per_cost_line() {
    let csv = String::from_utf8(export("csv")).expect("UTF-8");
    let text = csv.strip_prefix('\u{FEFF}').expect("starts with a BOM");
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "item,description_zh,description_en,quantity,unit,unit_price,currency,total,price_source,ids"
        )
    );
    let cost = plotwise_plan::metrics(
        &example_layout(),
        &plotwise_plan::RuleSet::default(),
        &plotwise_plan::Catalogue::builtin(),
    )
    .cost;
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    // The sample's descriptions hold no line breaks, so a line is a row.
    assert_eq!(rows.len(), cost.lines.len() + 1, "{csv}");
    assert!(rows.last().unwrap().starts_with("TOTAL,"), "{csv}");
    assert!(
        rows.last()
            .unwrap()
            .contains(&format!(",{:.2},", cost.total)),
        "{csv}"
    );
}

#[test]
fn output_file_holds_what_stdout_would() {
    let dir = tempfile::tempdir().unwrap();
    let path = example();
    for format in ["csv", "svg", "geojson"] {
        let file = dir.path().join(format!("board.{format}"));
        let out = run(&[
            "export",
            path.to_str().unwrap(),
            "--format",
            format,
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(out.stdout.is_empty(), "nothing on stdout with -o");
        let written = std::fs::read(&file).expect("-o writes the file");
        assert_eq!(written, export(format), "--format {format}");
    }
}

#[test]
fn a_layout_document_exports_like_its_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("layout.json");
    let path = example();
    let out = run(&[
        "import",
        path.to_str().unwrap(),
        "-o",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = run(&["export", doc.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(out.stdout, export("csv"));
}

#[test]
fn a_missing_file_is_one_line_naming_it() {
    let missing = repo_root().join("no-such-layout.json");
    let out = run(&["export", missing.to_str().unwrap(), "--format", "svg"]);
    let err = bad(&out);
    assert!(err.contains("no-such-layout.json"), "{err}");
}

#[test]
fn an_unwritable_output_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no-such-dir").join("board.svg");
    let path = example();
    let out = run(&[
        "export",
        path.to_str().unwrap(),
        "--format",
        "svg",
        "-o",
        target.to_str().unwrap(),
    ]);
    let err = bad(&out);
    assert!(err.contains("board.svg"), "{err}");
}
