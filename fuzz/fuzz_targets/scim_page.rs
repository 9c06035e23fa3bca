#![no_main]

#[path = "../bodies/scim.rs"]
mod scim;

libfuzzer_sys::fuzz_target!(|data: &[u8]| scim::scim_page(data));
