//! The JavaScript built-ins the glue uses, declared here rather than taken from `js-sys`.
//!
//! A module that links `js-sys` keeps code it never calls: the closure shims of its imports
//! (typed arrays' `forEach` and the like) and its JSPI task scheduler stay in the function table
//! after wasm-bindgen drops the descriptors that referred to them. Neither build links it: what
//! needs more than these built-ins is shaped in JavaScript (`glue.js`, and `full.js` for the
//! full build's audit and Entra glue).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JavaScript array.
    pub type Array;
    #[wasm_bindgen(constructor)]
    pub(crate) fn new() -> Array;
    #[wasm_bindgen(static_method_of = Array, js_name = isArray)]
    pub(crate) fn is_array(value: &JsValue) -> bool;
    #[wasm_bindgen(method, getter)]
    pub(crate) fn length(this: &Array) -> u32;
    #[wasm_bindgen(method, indexing_getter)]
    pub(crate) fn get(this: &Array, index: u32) -> JsValue;
    #[wasm_bindgen(method)]
    pub(crate) fn push(this: &Array, value: &JsValue) -> u32;

    /// A JavaScript `Set`.
    pub type Set;
    #[wasm_bindgen(constructor)]
    pub(crate) fn new() -> Set;
    #[wasm_bindgen(method)]
    pub(crate) fn add(this: &Set, value: &JsValue) -> Set;
    #[wasm_bindgen(method)]
    pub(crate) fn has(this: &Set, value: &JsValue) -> bool;

    /// A JavaScript `Error`.
    pub type Error;
    #[wasm_bindgen(constructor)]
    pub(crate) fn new(message: &str) -> Error;

}

/// The full build's audit and Entra glue.
#[cfg(feature = "full")]
#[wasm_bindgen]
extern "C" {
    /// A JavaScript function (a callback option).
    pub type Function;
    /// `this.call(context, arg)`; the callback's exception comes back as the error.
    #[wasm_bindgen(method, catch, js_name = call)]
    pub(crate) fn call1(
        this: &Function,
        context: &JsValue,
        arg: &JsValue,
    ) -> Result<JsValue, JsValue>;

    /// `JSON.parse(text)`.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub(crate) fn json_parse(text: &str) -> Result<JsValue, JsValue>;
}

impl Array {
    /// An array of strings.
    pub(crate) fn of_strings<'a>(items: impl IntoIterator<Item = &'a str>) -> Array {
        let array = Array::new();
        for item in items {
            array.push(&JsValue::from_str(item));
        }
        array
    }
}
