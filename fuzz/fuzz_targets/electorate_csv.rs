//! Fuzz target `electorate_csv`: runs [`plotwise_fuzz::electorate_csv`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::electorate_csv(data));
