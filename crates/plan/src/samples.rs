//! The sample plots shipped with the crate (copies of the shared fixtures), for the editor's
//! "start from a sample" list, for tests and for benchmarks.

/// A sample GeoJSON layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Stable id (the file name without `.geojson`).
    pub id: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
    /// The GeoJSON text (WGS84), for [`crate::import::geojson::import_layout`].
    pub geojson: &'static str,
}

/// Every sample: the six plots, then the Guonian layout example.
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "yifuyuan-rooftop",
        name_en: "Fourth-floor platform, Yifuyuan",
        name_zh: "怡福苑四楼平台",
        geojson: include_str!("../samples/yifuyuan-rooftop.geojson"),
    },
    Sample {
        id: "sanxiang-strip",
        name_en: "Strip along the Sanxiang compound wall",
        name_zh: "三湘世纪花城围墙外带状空地",
        geojson: include_str!("../samples/sanxiang-strip.geojson"),
    },
    Sample {
        id: "guonian-lot",
        name_en: "Lot by the south wall, Guoquan Rd 322",
        name_zh: "国权路322弄南围墙空地",
        geojson: include_str!("../samples/guonian-lot.geojson"),
    },
    Sample {
        id: "siping-corner",
        name_en: "Corner plot, Guoshun Rd 400",
        name_zh: "国顺路400弄边角地",
        geojson: include_str!("../samples/siping-corner.geojson"),
    },
    Sample {
        id: "lantian-rest",
        name_en: "Former rubble point, Siping Rd 2555",
        name_zh: "四平路2555弄建筑垃圾点",
        geojson: include_str!("../samples/lantian-rest.geojson"),
    },
    Sample {
        id: "jipu-between",
        name_en: "Idle land between two compounds, Jipu Rd",
        name_zh: "吉浦路两小区间闲置地",
        geojson: include_str!("../samples/jipu-between.geojson"),
    },
    Sample {
        id: "guonian-layout-example",
        name_en: "Lot by the south wall, Guoquan Rd 322: garden option A",
        name_zh: "国权路322弄南围墙空地：方案A（休憩花园）",
        geojson: include_str!("../samples/guonian-layout-example.geojson"),
    },
];

/// Every sample (the same as [`SAMPLES`]).
pub fn samples() -> &'static [Sample] {
    SAMPLES
}

/// The sample with this id.
pub fn sample(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}
