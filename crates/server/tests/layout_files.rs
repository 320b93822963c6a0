//! The layout files the server makes for the browser: PDF boards, SVG and GeoJSON from a
//! posted layout document, and clear refusals of bad input.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plotwise_plan::LayoutDocument;
use plotwise_server::{AppState, Store, app};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: Vec<u8>,
}

async fn post(path: &str, body: Vec<u8>) -> Answer {
    send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn get(path: &str) -> Answer {
    send(Request::get(path).body(Body::empty()).unwrap()).await
}

async fn send(request: Request<Body>) -> Answer {
    let state = AppState {
        store: Store::open_in_memory().unwrap(),
        web_dir: None,
    };
    let res = app(state).oneshot(request).await.unwrap();
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let content_type = header(header::CONTENT_TYPE);
    let disposition = header(header::CONTENT_DISPOSITION);
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer {
        status,
        content_type,
        disposition,
        body,
    }
}

fn guonian_document() -> Vec<u8> {
    let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
    let mut layout = plotwise_plan::import::geojson::import_layout(sample.geojson()).unwrap();
    layout.title = "国权路 方案A".to_owned();
    LayoutDocument::new(layout).to_json().into_bytes()
}

#[tokio::test]
async fn a_posted_layout_comes_back_as_a_pdf_board_named_after_its_title() {
    let a = post("/api/export/pdf", guonian_document()).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.content_type, "application/pdf");
    assert!(a.body.starts_with(b"%PDF-"), "not a PDF");
    assert!(
        a.disposition
            .contains("filename*=UTF-8''%E5%9B%BD%E6%9D%83%E8%B7%AF%20%E6%96%B9%E6%A1%88A.pdf"),
        "{}",
        a.disposition
    );
}

#[tokio::test]
async fn svg_geojson_and_csv_come_from_the_same_code_as_the_cli() {
    let svg = post("/api/export/svg", guonian_document()).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.content_type, "image/svg+xml");
    let text = String::from_utf8(svg.body).unwrap();
    assert!(
        text.contains("<svg") && text.contains("国权路 方案A"),
        "{}",
        &text[..200.min(text.len())]
    );

    let gj = post("/api/export/geojson", guonian_document()).await;
    assert_eq!(gj.status, StatusCode::OK);
    let back =
        plotwise_plan::import::geojson::import_layout(std::str::from_utf8(&gj.body).unwrap())
            .unwrap();
    let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
    let original = plotwise_plan::import::geojson::import_layout(sample.geojson()).unwrap();
    assert_eq!(back.zones.len(), original.zones.len());
    assert_eq!(back.elements.len(), original.elements.len());

    let csv = post("/api/export/csv", guonian_document()).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(csv.disposition.contains(".csv"), "{}", csv.disposition);
    // Byte for byte what `plotwise export --format csv` writes for the same layout.
    let sent =
        LayoutDocument::from_json(std::str::from_utf8(&guonian_document()).unwrap()).unwrap();
    let expected = plotwise_plan::export::csv::bill_of_quantities_csv(
        &sent.layout,
        &plotwise_plan::RuleSet::default(),
        &plotwise_plan::Catalogue::builtin(),
    );
    assert_eq!(String::from_utf8(csv.body).unwrap(), expected);
}

#[tokio::test]
async fn bad_documents_and_formats_are_refused_with_a_reason() {
    let a = post(
        "/api/export/pdf",
        b"{\"schema_version\": 1, \"layout\": 3}".to_vec(),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e: plotwise_api::ApiError = serde_json::from_slice(&a.body).unwrap();
    assert!(e.message.starts_with("layout document:"), "{}", e.message);

    let a = post("/api/export/pdf", vec![0xff, 0xfe]).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);

    let a = post("/api/export/docx", guonian_document()).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e: plotwise_api::ApiError = serde_json::from_slice(&a.body).unwrap();
    assert!(e.message.contains("docx"), "{}", e.message);
}

#[tokio::test]
async fn dxf_goes_out_and_its_boundary_comes_back_in() {
    let a = post("/api/export/dxf", guonian_document()).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.content_type, "application/dxf");
    let back = post("/api/import/dxf", a.body).await;
    assert_eq!(
        back.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&back.body)
    );
    let doc = LayoutDocument::from_json(std::str::from_utf8(&back.body).unwrap()).unwrap();
    let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
    let original = plotwise_plan::import::geojson::import_layout(sample.geojson()).unwrap();
    let (a, b) = (original.plot.area_m2(), doc.layout.plot.area_m2());
    assert!((a - b).abs() / a < 1e-9, "{a} vs {b}");

    let bad = post(
        "/api/import/dxf",
        b"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n".to_vec(),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let e: plotwise_api::ApiError = serde_json::from_slice(&bad.body).unwrap();
    assert!(e.message.starts_with("DXF"), "{}", e.message);
}

#[tokio::test]
async fn a_geojson_layout_comes_back_as_the_same_layout_document() {
    let sample = plotwise_plan::samples::sample("guonian-layout-example").unwrap();
    let a = post("/api/import/geojson", sample.geojson().as_bytes().to_vec()).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.content_type, "application/json");
    let doc = LayoutDocument::from_json(std::str::from_utf8(&a.body).unwrap()).unwrap();
    let original = plotwise_plan::import::geojson::import_layout(sample.geojson()).unwrap();
    // Exactly what `plotwise import` makes: every zone, element and coordinate.
    assert_eq!(doc.layout, original);
    assert!(!doc.layout.zones.is_empty() && !doc.layout.elements.is_empty());
}

#[tokio::test]
async fn a_bad_geojson_file_is_refused_in_both_languages_naming_the_field() {
    let bad = br#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"role":"plot","id":"p"},
         "geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.5001,31.3],[121.5001,31.3001],[121.5,31.3001],[121.5,31.3]]]}},
        {"type":"Feature","properties":{"role":"zone","id":"z1","kind":"seating","surface":"no-such-surface"},
         "geometry":{"type":"Polygon","coordinates":[[[121.5,31.3],[121.50005,31.3],[121.50005,31.30005],[121.5,31.3]]]}}]}"#;
    let a = post("/api/import/geojson", bad.to_vec()).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let e: plotwise_api::ApiError = serde_json::from_slice(&a.body).unwrap();
    assert_eq!(e.code, "bad_file");
    assert!(
        e.message.contains("feature 1") && e.message.contains("z1"),
        "{}",
        e.message
    );
    let zh = e.message_zh.expect("a Chinese message");
    assert!(zh.contains("要素 1"), "{zh}");

    let not_text = post("/api/import/geojson", vec![b'{', 0xff, 0xfe]).await;
    assert_eq!(not_text.status, StatusCode::BAD_REQUEST);
    let e: plotwise_api::ApiError = serde_json::from_slice(&not_text.body).unwrap();
    assert!(e.message.contains("UTF-8"), "{}", e.message);
}

#[tokio::test]
async fn every_sample_plot_is_served_as_a_layout_document() {
    for s in plotwise_plan::samples::SAMPLES {
        let a = get(&format!("/api/samples/{}", s.id)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", s.id);
        let doc = LayoutDocument::from_json(std::str::from_utf8(&a.body).unwrap()).unwrap();
        let original = plotwise_plan::import::geojson::import_layout(s.geojson()).unwrap();
        assert_eq!(doc.layout, original, "{}", s.id);
    }
    let missing = get("/api/samples/no-such-plot").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
