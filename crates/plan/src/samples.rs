//! The sample plots shipped with the crate, for the editor's "start from a sample" list, for
//! tests and for benchmarks: copies of the shared fixtures, to which the Guonian lot (and its
//! layout example), the Sanxiang strip and the Yifuyuan rooftop add the `building`s around
//! them (illustrative six- and eleven-storey blocks, not survey data) for the sun analysis.

/// A sample GeoJSON layout.
///
/// The list of samples (ids and names) and their texts are apart, so a program that only
/// lists them (the browser editor, which asks the server for the layout) does not carry the
/// texts: see [`Sample::geojson`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sample {
    /// Stable id (the file name without `.geojson`).
    pub id: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Chinese name.
    pub name_zh: &'static str,
}

impl Sample {
    /// The GeoJSON text (WGS84), for [`crate::import::geojson::import_layout`].
    pub fn geojson(&self) -> &'static str {
        match self.id {
            "yifuyuan-rooftop" => include_str!("../samples/yifuyuan-rooftop.geojson"),
            "sanxiang-strip" => include_str!("../samples/sanxiang-strip.geojson"),
            "guonian-lot" => include_str!("../samples/guonian-lot.geojson"),
            "siping-corner" => include_str!("../samples/siping-corner.geojson"),
            "lantian-rest" => include_str!("../samples/lantian-rest.geojson"),
            "jipu-between" => include_str!("../samples/jipu-between.geojson"),
            "guonian-layout-example" => include_str!("../samples/guonian-layout-example.geojson"),
            // Samples are made only here (`#[non_exhaustive]`), each with a text above.
            _ => "",
        }
    }
}

/// Every sample: the six plots, then the Guonian layout example.
pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "yifuyuan-rooftop",
        name_en: "Fourth-floor platform, Yifuyuan",
        name_zh: "怡福苑四楼平台",
    },
    Sample {
        id: "sanxiang-strip",
        name_en: "Strip along the Sanxiang compound wall",
        name_zh: "三湘世纪花城围墙外带状空地",
    },
    Sample {
        id: "guonian-lot",
        name_en: "Lot by the south wall, Guoquan Rd 322",
        name_zh: "国权路322弄南围墙空地",
    },
    Sample {
        id: "siping-corner",
        name_en: "Corner plot, Guoshun Rd 400",
        name_zh: "国顺路400弄边角地",
    },
    Sample {
        id: "lantian-rest",
        name_en: "Former rubble point, Siping Rd 2555",
        name_zh: "四平路2555弄建筑垃圾点",
    },
    Sample {
        id: "jipu-between",
        name_en: "Idle land between two compounds, Jipu Rd",
        name_zh: "吉浦路两小区间闲置地",
    },
    Sample {
        id: "guonian-layout-example",
        name_en: "Lot by the south wall, Guoquan Rd 322: garden option A",
        name_zh: "国权路322弄南围墙空地：方案A（休憩花园）",
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
