//! Fuzz target `geojson`: runs [`plotwise_fuzz::geojson`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: plotwise_fuzz::let_plan_catch_guarded_panics(),
    |data: &[u8]| plotwise_fuzz::geojson(data)
);
