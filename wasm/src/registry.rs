//! The `taken` argument: the org's names as an array, a `Set` or a callback, as a core
//! [`Registry`].

use std::cell::RefCell;

use usernorm::{Policy, Registry, RegistryError};
use wasm_bindgen::prelude::*;

use crate::args::{name_list, type_name};
use crate::js::{Array, Set};
use crate::{concat, error};

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// Asks a `taken` callback about `key`: its answer when `true` or `false`, else a string
    /// that says what it answered. Its exception passes through.
    #[wasm_bindgen(catch, js_name = askTaken)]
    fn ask_taken(callback: &JsValue, key: &str) -> Result<JsValue, JsValue>;
    /// What a callback threw, for a message: an `Error`'s message, a string, or its type.
    #[wasm_bindgen(js_name = thrownMessage)]
    fn thrown_message(thrown: &JsValue) -> String;
    /// An `Error` with a message and, unless it is `undefined`, a cause.
    #[wasm_bindgen(js_name = errorWithCause)]
    fn error_with_cause(message: &str, cause: &JsValue) -> JsValue;
}

/// The org's names as JavaScript gave them.
pub(crate) enum Taken {
    /// Nothing is taken.
    Nothing,
    /// An array or a `Set` of names, read once into a JavaScript `Set` of canonical keys: the
    /// browser answers the lookups, so the module carries no hash table for them.
    Keys(Keys),
    /// A callback asked with each canonical key.
    Callback(Callback),
}

impl Taken {
    /// Reads `value`: `undefined` or `null` (nothing is taken), an array or `Set` of strings, or
    /// a function `(key) => boolean`.
    pub(crate) fn from_js(value: Option<&JsValue>, policy: &Policy) -> Result<Taken, JsValue> {
        let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
            return Ok(Taken::Nothing);
        };
        if Array::is_array(value) || value.is_instance_of::<Set>() {
            return Ok(Taken::Keys(keys(&name_list("taken", value)?, policy)));
        }
        if value.is_function() {
            return Ok(Taken::Callback(Callback {
                function: value.clone(),
                thrown: RefCell::new(None),
            }));
        }
        Err(error(&concat(&[
            "taken must be an array of names, a Set of names or a function (key) => boolean, \
                 not ",
            &type_name(value),
        ])))
    }

    /// The registry to hand to the core.
    pub(crate) fn registry(&self) -> &dyn Registry {
        match self {
            Taken::Nothing => &Nothing,
            Taken::Keys(keys) => keys,
            Taken::Callback(callback) => callback,
        }
    }

    /// The error to throw for a failed registry: the callback's own exception as the `cause`
    /// of an `Error` that says what was being asked.
    pub(crate) fn error(&self, e: &RegistryError) -> JsValue {
        let thrown = match self {
            Taken::Callback(callback) => callback.thrown.borrow_mut().take(),
            _ => None,
        };
        // The registries here make their errors with `RegistryError::new`: the message is all
        // of it (`to_string` would bring in the formatting machinery).
        match thrown {
            Some(thrown) => error_with_cause(e.message(), &thrown),
            None => error(e.message()),
        }
    }
}

fn keys(names: &[String], policy: &Policy) -> Keys {
    let keys = Set::new();
    for name in names {
        keys.add(&JsValue::from_str(&policy.canonical_key(name)));
    }
    Keys(keys)
}

/// No names at all.
struct Nothing;

impl Registry for Nothing {
    fn is_taken(&self, _key: &str) -> Result<bool, RegistryError> {
        Ok(false)
    }
}

/// A JavaScript `Set` of canonical keys.
pub(crate) struct Keys(Set);

impl Registry for Keys {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        Ok(self.0.has(&JsValue::from_str(key)))
    }
}

/// A JavaScript function asked whether a canonical key is taken. It must answer `true` or
/// `false`; an exception, or any other answer, is an error and never counts as free.
pub(crate) struct Callback {
    function: JsValue,
    thrown: RefCell<Option<JsValue>>,
}

impl Registry for Callback {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        match ask_taken(&self.function, key) {
            Ok(answer) => answer.as_bool().ok_or_else(|| {
                RegistryError::new(concat(&[
                    "the taken callback must return true or false for `",
                    key,
                    "`, not ",
                    &answer.as_string().unwrap_or_default(),
                ]))
            }),
            Err(thrown) => {
                let message = thrown_message(&thrown);
                *self.thrown.borrow_mut() = Some(thrown);
                Err(RegistryError::new(concat(&[
                    "the taken callback threw for `",
                    key,
                    "`: ",
                    &message,
                ])))
            }
        }
    }
}
