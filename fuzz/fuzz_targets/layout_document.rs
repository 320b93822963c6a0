//! Fuzz target `layout_document`: runs [`plotwise_fuzz::layout_document`] on each input.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: plotwise_fuzz::let_plan_catch_guarded_panics(),
    |data: &[u8]| plotwise_fuzz::layout_document(data)
);
