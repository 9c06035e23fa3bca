//! The org and the plan `audit` predicts against (full build only): the members of the
//! `existing` or `members` option, and the settings of the `entraSchema` option, read as the
//! CLI reads `--existing` and `--entra-schema`.

use serde_json::Value;
use usernorm::audit::{EntraMapping, SchemaPlan};
use usernorm::entra::{MAX_SCHEMA_BYTES, ProvisioningSchema};
use usernorm::{Member, Members, MembersSource};
use wasm_bindgen::prelude::*;

use crate::js::Array;
use crate::{Options, error, name_list};

#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    /// An array of member objects, checked: `[userName, externalId, active, ...]`, each
    /// `externalId` a string or `undefined`, each `active` `1`, `0` or `undefined`; `undefined`
    /// for the text of a members file, which the module reads itself.
    #[wasm_bindgen(catch, js_name = readMembers)]
    fn read_members(value: &JsValue) -> Result<Option<Array>, JsValue>;
    /// JSON text as `JSON.parse` reads it: `[kinds, items]` (see full.js).
    #[wasm_bindgen(catch, js_name = jsonTape)]
    fn json_tape(text: &str) -> Result<Array, JsValue>;
}

/// The members of the `existing` (names) or `members` (a members file's text, or member
/// objects) option.
pub(crate) fn members(options: &Options) -> Result<Members, JsValue> {
    match (options.get("existing"), options.get("members")) {
        (Some(_), Some(_)) => Err(error(
            "give either `existing` (names) or `members` (members with identities), not both",
        )),
        (Some(names), None) => Ok(Members::from_names(name_list("existing", &names)?)),
        (None, Some(value)) => match read_members(&value)? {
            Some(fields) => Ok(from_fields(&fields)),
            None => {
                let text = value.as_string().unwrap_or_default();
                usernorm::parse_members(text.as_bytes(), None)
                    .map_err(|e| error(&format!("members: {e}")))
            }
        },
        (None, None) => Ok(Members::from_names(Vec::<String>::new())),
    }
}

/// Members from the fields `readMembers` checked: identities, as a JSON members file's.
fn from_fields(fields: &Array) -> Members {
    let members = (0..fields.length() / 3)
        .map(|at| {
            let field = |i: u32| fields.get(at * 3 + i);
            let mut member = Member::new(field(0).as_string().unwrap_or_default());
            member.external_id = field(1).as_string();
            member.active = field(2).as_f64().map(|n| n > 0.5);
            member
        })
        .collect();
    Members {
        members,
        source: MembersSource::Json,
        identities: true,
    }
}

/// The `entraSchema` option: the plan's settings and the username mapping, with its patterns
/// on JavaScript's `RegExp`.
pub(crate) fn schema(options: &Options) -> Result<Option<(SchemaPlan, EntraMapping)>, JsValue> {
    let Some(value) = options.get("entraSchema") else {
        return Ok(None);
    };
    let text = value.as_string().ok_or_else(|| {
        error(&format!(
            "option `entraSchema` must be a string (the schema's JSON), not {}",
            crate::args::type_name(&value)
        ))
    })?;
    let at = |e: String| error(&format!("entraSchema: {e}"));
    if text.len() > MAX_SCHEMA_BYTES {
        return Err(at(format!(
            "longer than {MAX_SCHEMA_BYTES} bytes, the most a schema may be"
        )));
    }
    // `JSON.parse` reads the text: serde_json's parser would add some 10 KB gzipped.
    let tape = json_tape(&text).map_err(|e| at(crate::regexp::thrown_text(&e)))?;
    let kinds = tape.get(0).as_string().unwrap_or_default();
    let items: Array = tape.get(1).unchecked_into();
    let mut reader = Tape {
        kinds: kinds.bytes(),
        items: &items,
        at: 0,
    };
    let value = reader.value();
    let schema = ProvisioningSchema::from_value(&value).map_err(|e| at(e.to_string()))?;
    let settings = SchemaPlan::new(&schema).map_err(|e| at(e.to_string()))?;
    let mapping = crate::regexp::parse(&settings.expression)
        .map(EntraMapping::from_expression)
        .map_err(|e| at(format!("the userName mapping ({}): {e}", settings.path)))?;
    Ok(Some((settings, mapping)))
}

/// The value `jsonTape` laid out, read in document order.
struct Tape<'a> {
    kinds: std::str::Bytes<'a>,
    items: &'a Array,
    at: u32,
}

impl Tape<'_> {
    fn item(&mut self) -> JsValue {
        self.at += 1;
        self.items.get(self.at - 1)
    }

    fn count(&mut self) -> u32 {
        self.item().as_f64().unwrap_or_default() as u32
    }

    /// The next value. The nesting is as deep as the JSON's, which `jsonTape` bounds.
    fn value(&mut self) -> Value {
        match self.kinds.next() {
            Some(b't') => Value::Bool(true),
            Some(b'f') => Value::Bool(false),
            Some(b's') => Value::String(self.item().as_string().unwrap_or_default()),
            Some(b'd') => {
                let n = self.item().as_f64().unwrap_or_default();
                // A whole number reads as one (`matchingPriority`), as serde_json's parser gives it.
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    Value::from(n as i64)
                } else {
                    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
                }
            }
            Some(b'a') => {
                let n = self.count();
                Value::Array((0..n).map(|_| self.value()).collect())
            }
            Some(b'o') => {
                let n = self.count();
                let mut map = serde_json::Map::new();
                for _ in 0..n {
                    let key = self.item().as_string().unwrap_or_default();
                    let value = self.value();
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            _ => Value::Null,
        }
    }
}
