//! Fuzz target `wkt`: runs [`plotwise_fuzz::wkt`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::wkt(data));
