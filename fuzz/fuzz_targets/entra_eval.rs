#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| usernorm_fuzz::entra_eval(data));
