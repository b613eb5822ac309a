//! Fuzz target `token_decode`: see the function of that name in fuzz/harness.rs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::token_decode(data));
