//! The `policy` argument: a preset's name or a policy object with the fields of a policy file.

use std::ops::Deref;
use std::sync::OnceLock;

use js_sys::{Array, Object, Reflect};
use usernorm::{PRESETS, Policy, PolicyConfig};
use wasm_bindgen::{JsCast, JsValue};

use crate::error;

/// The presets callers name most, built on first use.
static HUGGINGFACE: OnceLock<Policy> = OnceLock::new();
static GITHUB: OnceLock<Policy> = OnceLock::new();

/// A policy a call uses: a preset built once, or a custom policy built for the call.
pub(crate) enum PolicyRef {
    Preset(&'static Policy),
    Custom(Box<Policy>),
}

impl Deref for PolicyRef {
    type Target = Policy;

    fn deref(&self) -> &Policy {
        match self {
            PolicyRef::Preset(policy) => policy,
            PolicyRef::Custom(policy) => policy,
        }
    }
}

/// The fields a policy object may have: those of a policy file ([`PolicyConfig`]).
const FIELDS: [&str; 9] = [
    "name",
    "base",
    "shortcode",
    "min_length",
    "max_length",
    "extra_chars",
    "reserved",
    "case_sensitive",
    "allow_digits_only",
];

/// The policy `spec` names: the default (`huggingface`) when it is `undefined` or `null`, a
/// preset when it is a string, a custom policy when it is an object. One function for every
/// export, not inlined: each export would otherwise carry its own copy.
#[inline(never)]
pub(crate) fn resolve(spec: Option<&JsValue>) -> Result<PolicyRef, JsValue> {
    let spec = spec.filter(|s| !s.is_undefined() && !s.is_null());
    let Some(spec) = spec else {
        return Ok(PolicyRef::Preset(
            HUGGINGFACE.get_or_init(Policy::huggingface),
        ));
    };
    if let Some(name) = spec.as_string() {
        return match name.as_str() {
            "huggingface" => Ok(PolicyRef::Preset(
                HUGGINGFACE.get_or_init(Policy::huggingface),
            )),
            "github" => Ok(PolicyRef::Preset(GITHUB.get_or_init(Policy::github))),
            other => match Policy::preset(other, None) {
                Ok(policy) => Ok(PolicyRef::Custom(Box::new(policy))),
                Err(e) => Err(error(&format!(
                    "{e} (github-emu takes its shortcode in an object: {{ base: \"github-emu\", shortcode: \"acme\" }})"
                ))),
            },
        };
    }
    if spec.is_object() && !Array::is_array(spec) && !spec.is_function() {
        let config = config_from_object(spec.unchecked_ref())?;
        let policy = Policy::from_config(config).map_err(|e| error(&e.to_string()))?;
        return Ok(PolicyRef::Custom(Box::new(policy)));
    }
    Err(error(&format!(
        "policy must be a preset name ({}) or a policy object, not {}",
        PRESETS.join(", "),
        type_name(spec)
    )))
}

/// Runs `f` with the policy `spec` names (see [`resolve`]).
pub(crate) fn with_policy<R>(
    spec: Option<&JsValue>,
    f: impl FnOnce(&Policy) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    let policy = resolve(spec)?;
    f(&policy)
}

/// Reads a policy object field by field, as strictly as a policy file is read: unknown fields and
/// values of the wrong type are errors that name the field. `undefined` counts as absent.
fn config_from_object(object: &Object) -> Result<PolicyConfig, JsValue> {
    let mut config = PolicyConfig::default();
    for key in Object::keys(object).iter() {
        let key = key.as_string().unwrap_or_default();
        let value = Reflect::get(object, &JsValue::from_str(&key))?;
        if value.is_undefined() {
            continue;
        }
        match key.as_str() {
            "name" => config.name = Some(string(&key, &value)?),
            "base" => config.base = Some(string(&key, &value)?),
            "shortcode" => config.shortcode = Some(string(&key, &value)?),
            "extra_chars" => config.extra_chars = Some(string(&key, &value)?),
            "min_length" => config.min_length = Some(length(&key, &value)?),
            "max_length" => config.max_length = Some(length(&key, &value)?),
            "case_sensitive" => config.case_sensitive = Some(boolean(&key, &value)?),
            "allow_digits_only" => config.allow_digits_only = Some(boolean(&key, &value)?),
            "reserved" => config.reserved = Some(strings(&key, &value)?),
            _ => {
                return Err(error(&format!(
                    "unknown policy field `{key}`; the fields are {}",
                    FIELDS.join(", ")
                )));
            }
        }
    }
    Ok(config)
}

fn string(field: &str, value: &JsValue) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| {
        error(&format!(
            "policy field `{field}` must be a string, not {}",
            type_name(value)
        ))
    })
}

fn boolean(field: &str, value: &JsValue) -> Result<bool, JsValue> {
    value.as_bool().ok_or_else(|| {
        error(&format!(
            "policy field `{field}` must be true or false, not {}",
            type_name(value)
        ))
    })
}

fn length(field: &str, value: &JsValue) -> Result<usize, JsValue> {
    let what = format!("policy field `{field}`");
    whole_number(&what, value, u32::MAX)
}

fn strings(field: &str, value: &JsValue) -> Result<Vec<String>, JsValue> {
    if !Array::is_array(value) {
        return Err(error(&format!(
            "policy field `{field}` must be an array of strings, not {}",
            type_name(value)
        )));
    }
    let array: &Array = value.unchecked_ref();
    let mut out = Vec::with_capacity(array.length() as usize);
    for (i, item) in array.iter().enumerate() {
        out.push(item.as_string().ok_or_else(|| {
            error(&format!(
                "policy field `{field}`: entry {} must be a string, not {}",
                i + 1,
                type_name(&item)
            ))
        })?);
    }
    Ok(out)
}

/// A JavaScript number that must be a whole number from 0 to `max`.
pub(crate) fn whole_number(what: &str, value: &JsValue, max: u32) -> Result<usize, JsValue> {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(max)).contains(&n) => Ok(n as usize),
        // JavaScript spells the number: formatting an f64 in Rust would cost the small build
        // some 20 KB of float-printing code.
        Some(_) => Err(error(&format!(
            "{what} must be a whole number from 0 to {max}, not {}",
            value
                .unchecked_ref::<js_sys::Number>()
                .to_string_with_radix(10)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        ))),
        None => Err(error(&format!(
            "{what} must be a number, not {}",
            type_name(value)
        ))),
    }
}

/// What a value is, for messages: `a string`, `an array`, `null`...
pub(crate) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_owned()
    } else if Array::is_array(value) {
        "an array".to_owned()
    } else {
        match value.js_typeof().as_string().as_deref() {
            Some("object") => "an object".to_owned(),
            Some("undefined") => "undefined".to_owned(),
            Some(t) => format!("a {t}"),
            None => "a value".to_owned(),
        }
    }
}
