//! The JavaScript arguments, read by `glue.js`: it checks their shape and throws the `Error`
//! that says what is wrong, so the module gets strings, numbers and arrays of strings.

use crate::js::Array;
use usernorm::PolicyConfig;
use wasm_bindgen::prelude::*;

/// The full build's readers, in full.js.
#[cfg(feature = "full")]
#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    #[wasm_bindgen(js_name = typeName)]
    fn type_name_js(value: &JsValue) -> String;
    #[wasm_bindgen(catch, js_name = readOptions)]
    fn read_options(object: &JsValue, known: &str) -> Result<Array, JsValue>;
}

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// The options of `check`: `[policy, taken, existing]`.
    #[wasm_bindgen(catch, js_name = readCheckOptions)]
    pub(crate) fn read_check_options(options: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_name = readNames)]
    fn read_names(what: &str, value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_name = wholeNumber)]
    fn whole_number_js(what: &str, value: &JsValue, max: u32) -> Result<f64, JsValue>;
    /// The `policy` argument: `undefined` (the default), a preset's name, or the field values
    /// of a policy object (see [`policy_config`]).
    #[wasm_bindgen(catch, js_name = readPolicySpec)]
    pub(crate) fn read_policy_spec(spec: &JsValue) -> Result<JsValue, JsValue>;
    /// The options of `normalize`: `[policy, lowercase]`.
    #[wasm_bindgen(catch, js_name = readNormalizeOptions)]
    pub(crate) fn read_normalize_options(options: &JsValue) -> Result<Array, JsValue>;
    /// The `taken` argument: `undefined` (nothing is taken), an array of names, or a callback.
    #[wasm_bindgen(catch, js_name = readTaken)]
    pub(crate) fn read_taken(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = readPerson)]
    fn read_person(input: &JsValue) -> Result<Array, JsValue>;
}

/// What a value is, for messages: `a string`, `an array`, `null`...
#[cfg(feature = "full")]
pub(crate) fn type_name(value: &JsValue) -> String {
    type_name_js(value)
}

/// A JavaScript number that must be a whole number from 0 to `max`.
pub(crate) fn whole_number(what: &str, value: &JsValue, max: u32) -> Result<usize, JsValue> {
    whole_number_js(what, value, max).map(|n| n as usize)
}

/// An array or `Set` of strings.
pub(crate) fn name_list(what: &str, value: &JsValue) -> Result<Vec<String>, JsValue> {
    Ok(strings(&read_names(what, value)?))
}

/// The strings of an array that `glue.js` checked holds only strings.
pub(crate) fn strings(array: &Array) -> Vec<String> {
    (0..array.length())
        .map(|at| array.get(at).as_string().unwrap_or_default())
        .collect()
}

/// An options object read strictly: unknown keys are errors, `undefined` values are absent.
#[cfg(feature = "full")]
pub(crate) struct Options {
    known: &'static [&'static str],
    values: Array,
}

#[cfg(feature = "full")]
impl Options {
    pub(crate) fn read(
        object: &JsValue,
        known: &'static [&'static str],
    ) -> Result<Options, JsValue> {
        let values = read_options(object, &known.join(" "))?;
        Ok(Options { known, values })
    }

    pub(crate) fn get(&self, key: &str) -> Option<JsValue> {
        let at = self.known.iter().position(|k| *k == key)?;
        Some(self.values.get(at as u32)).filter(|v| !v.is_undefined())
    }
}

/// A policy object's fields, as a policy file's, from their values as `glue.js` read them.
pub(crate) fn policy_config(values: &Array) -> PolicyConfig {
    let length = |at: u32| values.get(at).as_f64().map(|n| n as usize);
    // glue.js gives true and false as 1 and 0: the module then reads numbers alone.
    let flag = |at: u32| values.get(at).as_f64().map(|n| n > 0.5);
    let reserved = values.get(6);
    PolicyConfig {
        name: values.get(0).as_string(),
        base: values.get(1).as_string(),
        shortcode: values.get(2).as_string(),
        min_length: length(3),
        max_length: length(4),
        extra_chars: values.get(5).as_string(),
        reserved: Array::is_array(&reserved).then(|| strings(reserved.unchecked_ref())),
        case_sensitive: flag(7),
        allow_digits_only: flag(8),
    }
}

/// `suggest`'s input: the text, and the given and family names when known.
pub(crate) fn person(input: &JsValue) -> Result<(String, Option<String>, Option<String>), JsValue> {
    let values = read_person(input)?;
    Ok((
        values.get(0).as_string().unwrap_or_default(),
        values.get(1).as_string(),
        values.get(2).as_string(),
    ))
}
