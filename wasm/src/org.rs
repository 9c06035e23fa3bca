//! The org `audit` plans against (full build only): the members of the `existing` or `members`
//! option, read as the CLI reads `--existing`.

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
