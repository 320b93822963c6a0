//! Fuzz target `preflib`: runs [`plotwise_fuzz::preflib`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::preflib(data));
