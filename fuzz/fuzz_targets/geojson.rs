//! Fuzz target `geojson`: runs [`plotwise_fuzz::geojson`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::geojson(data));
