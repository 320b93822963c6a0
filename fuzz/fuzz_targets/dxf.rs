//! Fuzz target `dxf`: runs [`plotwise_fuzz::dxf`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::dxf(data));
