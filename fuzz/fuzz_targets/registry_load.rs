//! Fuzz target `registry_load`: see the function of that name in fuzz/harness.rs.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::registry_load(data));
