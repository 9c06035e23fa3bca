//! `evaluate`: Microsoft Entra attribute-mapping expressions (full build only).

use std::collections::HashMap;
use std::ops::Range;

use usernorm::entra::Value;
use wasm_bindgen::prelude::*;

use crate::js::Array;
use crate::offset;
use crate::offsets::Utf16Offsets;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
/**
 * A row of source attributes, by name (matched exactly, then ignoring ASCII case, as Entra
 * does). A string is a single value, an array of strings a multi-valued attribute; `null` or
 * `undefined` is an absent attribute.
 */
export type Attributes = Record<string, string | readonly string[] | null | undefined>;

/** What an expression gives on one row, as Entra's "Test expression" shows it. */
export interface Evaluation {
  /**
   * The value the provisioning service would send: a string, a boolean (condition functions),
   * a number (`Count`, `InStr`), an array (multi-valued), or `null` when it sends none. Dates
   * come as Entra's text.
   */
  value: string | boolean | number | string[] | null;
  /** False when the result depends on randomness or the clock (`Guid`, `RandomString`, `Now`). */
  reproducible: boolean;
  /** True when `IgnoreFlowIfNullOrEmpty` dropped the attribute from the flow. */
  ignored: boolean;
}

/**
 * The `Error` thrown for an expression that does not parse or cannot be evaluated. Its message
 * shows the expression with a caret under the fault; `start` and `end` locate the fault in
 * UTF-16 units of the expression.
 */
export interface ExpressionError extends Error {
  start: number;
  end: number;
}
"#;

#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    /// The attributes, checked: `[name, value, ...]`, each value a string or an array of
    /// strings. Throws the `Error` that says what is wrong.
    #[wasm_bindgen(catch, js_name = readAttributes)]
    fn read_attributes_js(attributes: &JsValue) -> Result<Array, JsValue>;
    /// An `Evaluation`.
    fn evaluation(value: &JsValue, reproducible: bool, ignored: bool) -> JsValue;
    /// An `ExpressionError`.
    #[wasm_bindgen(js_name = locatedError)]
    fn located_error(message: &str, start: u32, end: u32) -> JsValue;
}

/// Evaluates a Microsoft Entra ID attribute-mapping expression on one row of attributes, the
/// way the provisioning service does (Microsoft's "Reference for writing expressions for
/// attribute mappings").
///
/// ```js
/// evaluate('Join(".", [givenName], [surname])', { givenName: "John", surname: "Doe" })
/// // { value: "John.Doe", reproducible: true, ignored: false }
/// ```
///
/// @throws {ExpressionError} when the expression does not parse or cannot be evaluated on this
/// row; the message draws a caret under the fault.
/// @throws {Error} when `attributes` is not an object of strings, arrays of strings or nulls.
#[wasm_bindgen(unchecked_return_type = "Evaluation")]
pub fn evaluate(
    expression: &str,
    #[wasm_bindgen(unchecked_param_type = "Attributes")] attributes: JsValue,
) -> Result<JsValue, JsValue> {
    let attrs = read_attributes(&attributes)?;
    let parsed = crate::regexp::parse(expression)
        .map_err(|e| located(expression, &e.to_string(), e.span()))?;
    let result = parsed
        .evaluate(&attrs)
        .map_err(|e| located(expression, &e.to_string(), e.span()))?;
    Ok(evaluation(
        &value(&result.value),
        result.reproducible,
        result.ignored,
    ))
}

fn value(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        // Whole numbers beyond 2^53 lose precision as JavaScript numbers; Entra's are small.
        Value::Number(n) => JsValue::from_f64(*n as f64),
        Value::Multi(items) => Array::of_strings(items.iter().map(String::as_str)).into(),
        other => JsValue::from_str(&other.to_string()),
    }
}

/// An `Error` with the fault's span in UTF-16 units.
fn located(expression: &str, message: &str, span: Range<usize>) -> JsValue {
    let offsets = Utf16Offsets::new(expression);
    let start = offset(offsets.at(span.start));
    let end = offset(offsets.at(span.end));
    located_error(message, start, end)
}

fn read_attributes(attributes: &JsValue) -> Result<HashMap<String, Value>, JsValue> {
    let pairs = read_attributes_js(attributes)?;
    let mut out = HashMap::new();
    for at in (0..pairs.length()).step_by(2) {
        let name = pairs.get(at).as_string().unwrap_or_default();
        let v = pairs.get(at + 1);
        let value = match v.as_string() {
            Some(s) => Value::String(s),
            None => {
                let items: &Array = v.unchecked_ref();
                Value::Multi(
                    (0..items.length())
                        .map(|i| items.get(i).as_string().unwrap_or_default())
                        .collect(),
                )
            }
        };
        out.insert(name, value);
    }
    Ok(out)
}
