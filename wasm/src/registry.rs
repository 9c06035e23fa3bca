//! The `taken` argument: the org's names as an array, a `Set` or a callback, as a core
//! [`Registry`].

use std::cell::RefCell;

use usernorm::{Policy, Registry, RegistryError};
use wasm_bindgen::prelude::*;

use crate::args::{read_taken, strings};
use crate::error;
use crate::js::{Array, Set};

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// Asks a `taken` callback about `key`: its answer when `true` or `false`, else the `Error`
    /// to throw, which says what it answered or what it threw (then its `cause`).
    #[wasm_bindgen(js_name = askTaken)]
    fn ask_taken(callback: &JsValue, key: &str) -> JsValue;
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
    /// a function `(key) => boolean`; `glue.js` checks which, and throws for anything else.
    pub(crate) fn from_js(value: Option<&JsValue>, policy: &Policy) -> Result<Taken, JsValue> {
        let Some(value) = value else {
            return Ok(Taken::Nothing);
        };
        let value = read_taken(value)?;
        Ok(if value.is_undefined() {
            Taken::Nothing
        } else if Array::is_array(&value) {
            Taken::Keys(keys(&strings(value.unchecked_ref()), policy))
        } else {
            Taken::Callback(Callback {
                function: value,
                failure: RefCell::new(None),
            })
        })
    }

    /// The registry to hand to the core.
    pub(crate) fn registry(&self) -> &dyn Registry {
        match self {
            Taken::Nothing => &Nothing,
            Taken::Keys(keys) => keys,
            Taken::Callback(callback) => callback,
        }
    }

    /// The error to throw for a failed registry: the callback's, which says what it answered
    /// or threw.
    pub(crate) fn error(&self, e: &RegistryError) -> JsValue {
        let failure = match self {
            Taken::Callback(callback) => callback.failure.borrow_mut().take(),
            _ => None,
        };
        // The registries here make their errors with `RegistryError::new`: the message is all
        // of it (`to_string` would bring in the formatting machinery).
        failure.unwrap_or_else(|| error(e.message()))
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
    /// The `Error` to throw for the last failed lookup, made by `glue.js`.
    failure: RefCell<Option<JsValue>>,
}

impl Registry for Callback {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        let answer = ask_taken(&self.function, key);
        // true and false come as 1 and 0 (see `args::policy_config`).
        answer.as_f64().map(|n| n > 0.5).ok_or_else(|| {
            *self.failure.borrow_mut() = Some(answer);
            RegistryError::new("the taken callback failed")
        })
    }
}
