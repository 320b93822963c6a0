//! PDF board: rendered by poppler's pdftoppm (a real PDF reader), fonts checked with pdffonts.

#![cfg(feature = "pdf")]

mod export_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use export_common::{sample, samples};
use plotwise_plan::export::ExportError;
use plotwise_plan::export::pdf::board_pdf;
use plotwise_plan::export::svg::BoardOptions;
use plotwise_plan::{Catalogue, RuleSet, check};

const WQY: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

fn font() -> Vec<u8> {
    let path = std::env::var("PLOTWISE_CJK_FONT").unwrap_or_else(|_| WQY.to_owned());
    std::fs::read(&path).unwrap_or_else(|e| panic!("the CJK font {path} is needed: {e}"))
}

fn tool(name: &str) -> PathBuf {
    let p = PathBuf::from("/usr/bin").join(name);
    assert!(p.exists(), "{} (poppler-utils) is needed", p.display());
    p
}

fn out_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Renders page 1 at `dpi` to a PPM (binary P6) and returns (width, height, pixels).
fn render(pdf: &Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let prefix = pdf.with_extension("");
    let st = Command::new(tool("pdftoppm"))
        .args(["-r", &dpi.to_string(), "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success(), "pdftoppm failed on {}", pdf.display());
    let ppm = std::fs::read(prefix.with_extension("ppm")).unwrap();
    // Header: "P6\n<w> <h>\n255\n".
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[s..i]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, ppm[i + 1..].to_vec())
}

#[test]
fn layout_example_renders_with_embedded_subset_font() {
    let layout = sample("guonian-layout-example");
    let opt = BoardOptions {
        date: Some("2026-11-22".into()),
        findings: check(&layout, &RuleSet::default(), &Catalogue::builtin()),
        ..BoardOptions::default()
    };
    let pdf = board_pdf(&layout, &opt, &font()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // Subset: far smaller than the 5 MB font.
    assert!(pdf.len() < 400_000, "{} bytes: font not subset?", pdf.len());
    let dir = out_dir("export_pdf");
    let path = dir.join("guonian-layout-example.pdf");
    std::fs::write(&path, &pdf).unwrap();

    // A3 landscape.
    let info = Command::new(tool("pdfinfo")).arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("1190.55 x 841.89 pts"), "{info}");

    // The CJK font is embedded as a subset (pdffonts: emb yes, sub yes).
    let fonts = Command::new(tool("pdffonts")).arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    let line = fonts
        .lines()
        .find(|l| l.contains("WenQuanYi"))
        .unwrap_or_else(|| panic!("WenQuanYi not embedded:\n{fonts}"));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert!(cols[0].contains('+'), "subset tag missing: {line}");
    let yes = cols.iter().filter(|c| **c == "yes").count();
    assert!(yes >= 2, "emb/sub not yes: {line}");

    // pdftoppm renders a page that is not blank: a white board with a fair amount of ink,
    // and colour (zones) in the drawing area.
    let (w, h, px) = render(&path, 50);
    assert_eq!((w, h), (827, 585), "A3 at 50 dpi");
    let mut dark = 0usize;
    let mut coloured = 0usize;
    for p in px.chunks(3) {
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        if r + g + b < 300 {
            dark += 1;
        }
        if (r - g).abs() > 40 || (g - b).abs() > 40 || (r - b).abs() > 40 {
            coloured += 1;
        }
    }
    let total = w * h;
    assert!(dark > total / 200, "too little ink: {dark} of {total}");
    assert!(dark < total / 2, "mostly dark: {dark} of {total}");
    assert!(coloured > total / 50, "no colour: {coloured} of {total}");
}

#[test]
fn every_sample_makes_a_pdf_page() {
    let font = font();
    let dir = out_dir("export_pdf_samples");
    for (id, layout) in samples() {
        let pdf = board_pdf(&layout, &BoardOptions::default(), &font)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let path = dir.join(format!("{id}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let (w, h, px) = render(&path, 20);
        let dark = px
            .chunks(3)
            .filter(|p| p.iter().map(|&v| u32::from(v)).sum::<u32>() < 300)
            .count();
        assert!(dark > w * h / 300, "{id}: blank page");
    }
}

#[test]
fn a_missing_font_is_a_clear_error() {
    let e = board_pdf(&sample("lantian-rest"), &BoardOptions::default(), &[]).unwrap_err();
    assert!(matches!(e, ExportError::Font(_)), "{e}");
}
