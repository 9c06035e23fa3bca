//! `evaluate`: Microsoft Entra attribute-mapping expressions (full build only).

use std::collections::HashMap;
use std::ops::Range;

use js_sys::{Array, Object, Reflect};
use usernorm::entra::Value;
use wasm_bindgen::prelude::*;

use crate::args::type_name;
use crate::offsets::Utf16Offsets;
use crate::{error, offset};

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

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = Object)]
    type JsEvaluation;
    #[wasm_bindgen(method, setter)]
    fn set_value(this: &JsEvaluation, value: &JsValue);
    #[wasm_bindgen(method, setter)]
    fn set_reproducible(this: &JsEvaluation, value: bool);
    #[wasm_bindgen(method, setter)]
    fn set_ignored(this: &JsEvaluation, value: bool);
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
    let out: JsEvaluation = Object::new().unchecked_into();
    out.set_value(&value(&result.value));
    out.set_reproducible(result.reproducible);
    out.set_ignored(result.ignored);
    Ok(out.into())
}

fn value(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        // Whole numbers beyond 2^53 lose precision as JavaScript numbers; Entra's are small.
        Value::Number(n) => JsValue::from_f64(*n as f64),
        Value::Multi(items) => items
            .iter()
            .map(|s| JsValue::from_str(s))
            .collect::<Array>()
            .into(),
        other => JsValue::from_str(&other.to_string()),
    }
}

/// An `Error` with the fault's span in UTF-16 units.
fn located(expression: &str, message: &str, span: Range<usize>) -> JsValue {
    let err = error(message);
    let offsets = Utf16Offsets::new(expression);
    let start = offset(offsets.at(span.start));
    let end = offset(offsets.at(span.end));
    let _ = Reflect::set(&err, &JsValue::from_str("start"), &JsValue::from(start));
    let _ = Reflect::set(&err, &JsValue::from_str("end"), &JsValue::from(end));
    err
}

fn read_attributes(attributes: &JsValue) -> Result<HashMap<String, Value>, JsValue> {
    let mut out = HashMap::new();
    if attributes.is_undefined() || attributes.is_null() {
        return Ok(out);
    }
    if !attributes.is_object() || Array::is_array(attributes) || attributes.is_function() {
        return Err(error(&format!(
            "attributes must be an object of attribute values, not {}",
            type_name(attributes)
        )));
    }
    let object: &Object = attributes.unchecked_ref();
    for key in Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        let v = Reflect::get(object, &key)?;
        if v.is_undefined() || v.is_null() {
            continue;
        }
        let value = if let Some(s) = v.as_string() {
            Value::String(s)
        } else if Array::is_array(&v) {
            let mut items = Vec::new();
            for (i, item) in v.unchecked_ref::<Array>().iter().enumerate() {
                items.push(item.as_string().ok_or_else(|| {
                    error(&format!(
                        "attribute `{name}`: value {} must be a string, not {}",
                        i + 1,
                        type_name(&item)
                    ))
                })?);
            }
            Value::Multi(items)
        } else {
            return Err(error(&format!(
                "attribute `{name}` must be a string, an array of strings or null, not {}",
                type_name(&v)
            )));
        };
        out.insert(name, value);
    }
    Ok(out)
}
