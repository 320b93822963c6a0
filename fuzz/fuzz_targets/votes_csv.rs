//! Fuzz target `votes_csv`: runs [`plotwise_fuzz::votes_csv`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| plotwise_fuzz::votes_csv(data));
