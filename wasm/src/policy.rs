//! The `policy` argument: a preset's name or a policy object with the fields of a policy file.

use std::ops::Deref;
use std::sync::OnceLock;

use usernorm::Policy;
use wasm_bindgen::{JsCast, JsValue};

use crate::args::{policy_config, read_policy_spec};
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

/// The policy `spec` names: the default (`huggingface`) when it is `undefined` or `null`, a
/// preset when it is a string, a custom policy when it is an object (`glue.js` checks which, and
/// throws for anything else). One function for every export, not inlined: each export would
/// otherwise carry its own copy.
#[inline(never)]
pub(crate) fn resolve(spec: Option<&JsValue>) -> Result<PolicyRef, JsValue> {
    let default = || {
        Ok(PolicyRef::Preset(
            HUGGINGFACE.get_or_init(Policy::huggingface),
        ))
    };
    // The default, which `validate` asks for at every keystroke, without a call to glue.js.
    let Some(spec) = spec.filter(|s| !s.is_undefined()) else {
        return default();
    };
    let spec = read_policy_spec(spec)?;
    if spec.is_undefined() {
        return default();
    }
    let Some(name) = spec.as_string() else {
        let config = policy_config(spec.unchecked_ref());
        let policy = Policy::from_config(config).map_err(|e| error(&e.message()))?;
        return Ok(PolicyRef::Custom(Box::new(policy)));
    };
    match name.as_str() {
        "huggingface" => default(),
        "github" => Ok(PolicyRef::Preset(GITHUB.get_or_init(Policy::github))),
        other => match Policy::preset(other, None) {
            Ok(policy) => Ok(PolicyRef::Custom(Box::new(policy))),
            Err(e) => {
                let mut message = e.message();
                message.push_str(
                    " (github-emu takes its shortcode in an object: \
                     { base: \"github-emu\", shortcode: \"acme\" })",
                );
                Err(error(&message))
            }
        },
    }
}

/// Runs `f` with the policy `spec` names (see [`resolve`]).
pub(crate) fn with_policy<R>(
    spec: Option<&JsValue>,
    f: impl FnOnce(&Policy) -> Result<R, JsValue>,
) -> Result<R, JsValue> {
    let policy = resolve(spec)?;
    f(&policy)
}
