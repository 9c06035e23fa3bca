//! The `taken` argument: the org's names as an array, a `Set` or a callback, as a core
//! [`Registry`].

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Set};
use usernorm::{Policy, Registry, RegistryError};
use wasm_bindgen::{JsCast, JsValue};

use crate::args::{name_list, type_name};
use crate::error;

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
        if Array::is_array(value) || value.is_instance_of::<js_sys::Set>() {
            return Ok(Taken::Keys(keys(&name_list("taken", value)?, policy)));
        }
        if let Some(function) = value.dyn_ref::<Function>() {
            return Ok(Taken::Callback(Callback {
                function: function.clone(),
                thrown: RefCell::new(None),
            }));
        }
        Err(error(
            &[
                "taken must be an array of names, a Set of names or a function (key) => boolean, \
                 not ",
                &type_name(value),
            ]
            .concat(),
        ))
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
        let err = js_sys::Error::new(&e.to_string());
        if let Taken::Callback(callback) = self {
            if let Some(thrown) = callback.thrown.borrow_mut().take() {
                err.set_cause(&thrown);
            }
        }
        err.into()
    }
}

fn keys(names: &[String], policy: &Policy) -> Keys {
    let keys = Set::new(&JsValue::UNDEFINED);
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
    function: Function,
    thrown: RefCell<Option<JsValue>>,
}

impl Registry for Callback {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        match self
            .function
            .call1(&JsValue::UNDEFINED, &JsValue::from_str(key))
        {
            Ok(answer) => answer.as_bool().ok_or_else(|| {
                let what = if answer.is_instance_of::<Promise>() {
                    "a Promise; it must answer synchronously".to_owned()
                } else {
                    type_name(&answer)
                };
                RegistryError::new(
                    [
                        "the taken callback must return true or false for `",
                        key,
                        "`, not ",
                        &what,
                    ]
                    .concat(),
                )
            }),
            Err(thrown) => {
                let message = thrown
                    .dyn_ref::<js_sys::Error>()
                    .and_then(|e| e.message().as_string())
                    .or_else(|| thrown.as_string())
                    .unwrap_or_else(|| type_name(&thrown));
                *self.thrown.borrow_mut() = Some(thrown);
                Err(RegistryError::new(
                    ["the taken callback threw for `", key, "`: ", &message].concat(),
                ))
            }
        }
    }
}
