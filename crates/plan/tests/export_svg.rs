//! SVG board: golden files, parsed by an XML parser, escaping, scale and fit.

mod export_common;

use export_common::{golden, sample, samples};
use geo::{Coord, Geometry, wkt};
use plotwise_plan::export::ExportError;
use plotwise_plan::export::svg::{BoardOptions, Paper, PaperSize, board_svg, fit_scale};
use plotwise_plan::rules::Confidence;
use plotwise_plan::{Catalogue, Finding, RuleSet, Severity, Text, check};

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// All text content of `<text>` elements.
fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn options_with_findings(layout: &plotwise_plan::Layout) -> BoardOptions {
    BoardOptions {
        date: Some("2026-11-22".into()),
        findings: check(layout, &RuleSet::default(), &Catalogue::builtin()),
        ..BoardOptions::default()
    }
}

/// Findings made by hand, so the golden board does not change when a rule is refined.
fn fixed_findings() -> Vec<Finding> {
    let finding =
        |rule: &str, severity, ids: &[&str], en: &str, zh: &str, g: Geometry<f64>| Finding {
            rule: rule.into(),
            severity,
            ids: ids.iter().map(|s| s.to_string()).collect(),
            message: Text::new(en, zh),
            standard: "test".into(),
            confidence: Confidence::H,
            highlight: Some(g),
            value: None,
            limit: None,
        };
    vec![
        finding(
            "path-width",
            Severity::Error,
            &["path-cross"],
            "Accessible path path-cross: clear width about 0.9 m, under the required 1.20 m.",
            "无障碍通道 path-cross：净宽约 0.9 m，小于要求的 1.20 m。",
            Geometry::Polygon(wkt! { POLYGON((1. 0.,2. 0.,2. 1.5,1. 1.5,1. 0.)) }),
        ),
        finding(
            "seat-spacing",
            Severity::Warning,
            &["path-spine"],
            "A point of the path is more than 50 m from a seat.",
            "步道上有一点距最近座位超过 50 米。",
            Geometry::LineString(wkt! { LINESTRING(-6. -2.,-2. -2.,-2. 1.) }),
        ),
        finding(
            "turning-space",
            Severity::Warning,
            &["gate"],
            "No 1.50 m turning circle at the entrance gate.",
            "入口 gate 处没有直径 1.50 m 的回转空间。",
            Geometry::Point(wkt! { POINT(0. 4.) }),
        ),
    ]
}

#[test]
fn golden_layout_example_with_findings() {
    let layout = sample("guonian-layout-example");
    let opt = BoardOptions {
        date: Some("2026-11-22".into()),
        findings: fixed_findings(),
        ..BoardOptions::default()
    };
    let svg = board_svg(&layout, &opt).unwrap();
    golden("guonian-layout-example.svg", &svg);
}

#[test]
fn golden_rooftop_plot() {
    let layout = sample("yifuyuan-rooftop");
    let opt = BoardOptions {
        date: Some("2026-11-22".into()),
        ..BoardOptions::default()
    };
    golden("yifuyuan-rooftop.svg", &board_svg(&layout, &opt).unwrap());
}

#[test]
fn every_sample_is_well_formed_and_to_scale() {
    for (id, layout) in samples() {
        let svg = board_svg(&layout, &options_with_findings(&layout))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("420mm"), "{id}");
        assert_eq!(root.attribute("height"), Some("297mm"), "{id}");
        assert_eq!(root.attribute("viewBox"), Some("0 0 420 297"), "{id}");
        let family = root.attribute("font-family").unwrap();
        for f in [
            "Noto Sans SC",
            "PingFang SC",
            "Microsoft YaHei",
            "WenQuanYi Micro Hei",
        ] {
            assert!(family.contains(f), "{id}: {family}");
        }
        assert!(family.ends_with("sans-serif"));

        // The plot's outline, measured on paper, is its real size at the printed scale.
        let scale = fit_scale(&layout, Paper::default(), &Catalogue::builtin()).unwrap();
        let all = texts(&doc).join("\n");
        assert!(
            all.contains(&format!("1:{scale}")),
            "{id}: scale not printed"
        );
        let plot = doc
            .descendants()
            .find(|n| n.attribute("id") == Some("plot"))
            .expect("plot path");
        let (mut minx, mut maxx, mut miny, mut maxy) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for tok in plot
            .attribute("d")
            .unwrap()
            .split(['M', 'L', 'Z'])
            .filter(|t| !t.is_empty())
        {
            let mut it = tok.split(' ').map(|v| v.parse::<f64>().unwrap());
            let (x, y) = (it.next().unwrap(), it.next().unwrap());
            minx = minx.min(x);
            maxx = maxx.max(x);
            miny = miny.min(y);
            maxy = maxy.max(y);
        }
        let r = layout.plot.outline.bounding_rect();
        let k = 1000.0 / f64::from(scale);
        assert!(
            ((maxx - minx) - r.width() * k).abs() < 0.02,
            "{id}: width on paper"
        );
        assert!(
            ((maxy - miny) - r.height() * k).abs() < 0.02,
            "{id}: height on paper"
        );

        // Every zone and element is drawn, named by its id.
        let ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("data-id"))
            .collect();
        for z in &layout.zones {
            assert!(ids.contains(&z.id.as_str()), "{id}: zone {}", z.id);
        }
        for e in &layout.elements {
            assert!(ids.contains(&e.id.as_str()), "{id}: element {}", e.id);
        }
        for t in &layout.plot.keep_trees {
            assert!(ids.contains(&t.id.as_str()), "{id}: tree {}", t.id);
        }
        for e in &layout.plot.entrances {
            assert!(ids.contains(&e.id.as_str()), "{id}: entrance {}", e.id);
        }
        // Legend, scale bar, north arrow, title block.
        for g in ["legend", "scale-bar", "north-arrow", "title-block"] {
            assert!(
                doc.descendants().any(|n| n.attribute("id") == Some(g)),
                "{id}: no {g}"
            );
        }
        assert!(all.contains("图例 Legend") && all.contains("N 北"), "{id}");
    }
}

#[test]
fn scales_are_standard_and_chosen_to_fit() {
    let cat = Catalogue::builtin();
    let a3 = Paper::default();
    // A 8 m rest stop fits at 1:50; the 1 km strip only at 1:5000.
    assert_eq!(fit_scale(&sample("lantian-rest"), a3, &cat), Some(50));
    assert_eq!(fit_scale(&sample("guonian-lot"), a3, &cat), Some(200));
    assert_eq!(fit_scale(&sample("sanxiang-strip"), a3, &cat), Some(5000));
    let a0 = Paper {
        size: PaperSize::A0,
        landscape: true,
    };
    assert_eq!(fit_scale(&sample("sanxiang-strip"), a0, &cat), Some(1000));

    // A scale asked for that does not fit is refused, with the paper named.
    let opt = BoardOptions {
        scale: Some(50),
        ..BoardOptions::default()
    };
    let e = board_svg(&sample("guonian-lot"), &opt).unwrap_err();
    assert!(matches!(
        e,
        ExportError::DoesNotFit {
            scale: Some(50),
            ..
        }
    ));
    assert!(e.to_string().contains("A3 landscape"), "{e}");
    assert!(e.message().zh.contains("放不下"));
    // One that fits is used as given.
    let opt = BoardOptions {
        scale: Some(500),
        ..BoardOptions::default()
    };
    let svg = board_svg(&sample("guonian-lot"), &opt).unwrap();
    assert!(svg.contains("1:500"));
    let opt = BoardOptions {
        scale: Some(0),
        ..BoardOptions::default()
    };
    assert_eq!(
        board_svg(&sample("guonian-lot"), &opt).unwrap_err(),
        ExportError::BadScale(0)
    );
}

#[test]
fn user_strings_are_escaped() {
    let mut layout = sample("guonian-layout-example");
    let nasty = r#"<script>alert("x")</script>&"'"#;
    layout.title = format!("花园 {nasty}");
    layout.author = format!("李雷 {nasty}");
    layout.notes = format!("注意 {nasty}\u{1}");
    layout.plot.name_zh = Some(format!("地块 {nasty}"));
    layout.zones[0].name_zh = Some(format!("无障碍 {nasty}"));
    layout.zones[0].id = format!("z{nasty}").into();
    layout.elements[0].id = format!("e{nasty}").into();
    layout.elements.push(plotwise_plan::Element::new(
        "odd",
        format!("kind{nasty}"),
        Coord { x: 0.0, y: 0.0 },
    ));
    let mut opt = options_with_findings(&layout);
    opt.date = Some(format!("2026 {nasty}"));
    let svg = board_svg(&layout, &opt).unwrap();
    assert!(!svg.contains("<script"), "raw markup leaked");
    let doc = parse(&svg);
    // The parser gives back the exact text, Chinese included.
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(title, format!("花园 {nasty}"));
    let all = texts(&doc).join("\n");
    assert!(all.contains("李雷 <script>"), "author: {all}");
    assert!(all.contains("2026 <script>"), "date");
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-id"))
        .collect();
    assert!(ids.contains(&format!("z{nasty}").as_str()));
    assert!(ids.contains(&format!("e{nasty}").as_str()));
    assert!(
        doc.descendants()
            .any(|n| n.attribute("data-kind") == Some(&format!("kind{nasty}")))
    );
}

#[test]
fn findings_are_highlighted_and_listed() {
    let layout = sample("guonian-layout-example");
    let opt = options_with_findings(&layout);
    assert!(!opt.findings.is_empty(), "the example has findings to draw");
    let svg = board_svg(&layout, &opt).unwrap();
    let doc = parse(&svg);
    let drawn: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-rule"))
        .collect();
    let with_highlight = opt
        .findings
        .iter()
        .filter(|f| f.highlight.is_some())
        .count();
    assert_eq!(drawn.len(), with_highlight);
    let all = texts(&doc).join("\n");
    assert!(all.contains("问题 Findings"));
    assert!(all.contains(&format!("[{}]", opt.findings[0].rule)));

    // Without findings, nothing of the kind is drawn.
    let plain = board_svg(&layout, &BoardOptions::default()).unwrap();
    assert!(!plain.contains("data-rule"));
    assert!(!plain.contains("问题 Findings"));
}
