//! Large layout files: bounded, and answered with the limit named.

mod common;

use axum::body::Body;
use axum::http::StatusCode;
use common::Client;

/// A GeoJSON plot whose boundary is a circle of `n` vertices (a surveyed curved wall).
pub fn circle_plot(n: usize) -> String {
    let (lon, lat, r) = (121.5, 31.3, 0.0004);
    let mut coords = String::with_capacity(n * 40);
    for i in 0..=n {
        let a = (i % n) as f64 / n as f64 * std::f64::consts::TAU;
        if i > 0 {
            coords.push(',');
        }
        coords.push_str(&format!(
            "[{:.9},{:.9}]",
            lon + r * a.cos(),
            lat + r * a.sin()
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"role":"plot","id":"wall"}},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}]}}"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200k_vertex_wall_imports_and_more_than_the_limit_is_refused_naming_it() {
    let c = Client::new();
    let big = circle_plot(200_000);
    let a = c
        .send(
            "POST",
            "/api/import/geojson",
            Some(Body::from(big)),
            "application/geo+json",
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        &a.text[..a.text.len().min(300)]
    );
    let doc: serde_json::Value = a.json();
    assert!(doc["layout"]["plot"].is_object());
    // Over the vertex limit (short coordinates, so under the byte limit): 422 naming it.
    let n = plotwise_plan::limits::MAX_VERTICES as usize + 10;
    let mut coords = String::from("[0,0]");
    for i in 1..n {
        coords.push_str(&format!(",[{},{}]", i % 7, i % 5));
    }
    let too_many = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"role":"plot"}},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}]}}"#
    );
    let a = c
        .send(
            "POST",
            "/api/import/geojson",
            Some(Body::from(too_many)),
            "application/geo+json",
        )
        .await;
    assert_eq!(
        a.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &a.text[..a.text.len().min(300)]
    );
    let e = a.json();
    assert_eq!(e["code"], "too_large");
    assert!(
        e["message"].as_str().unwrap().contains("500000")
            || e["message"].as_str().unwrap().contains("500,000"),
        "{e}"
    );
    assert!(e["message_zh"].as_str().is_some(), "{e}");
    // Over the byte limit: 413 with the limit named, not a bare text answer.
    let huge = vec![b' '; plotwise_plan::limits::MAX_FILE_BYTES + 10];
    let a = c
        .send(
            "POST",
            "/api/export/svg",
            Some(Body::from(huge)),
            "application/json",
        )
        .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.json()["code"], "too_large");
}
