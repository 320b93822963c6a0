//! Fuzz target `ballot_csv`: runs [`plotwise_fuzz::ballot_csv`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::ballot_csv(data));
