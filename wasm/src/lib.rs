//! WebAssembly front end of usernorm. The wasm-bindgen glue arrives with the browser package;
//! for now this crate proves the core builds for `wasm32-unknown-unknown`.

/// Whether `name` is valid under the default policy.
pub fn is_valid(name: &str) -> bool {
    usernorm::validate(name).is_valid()
}
