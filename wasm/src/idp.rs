//! `audit`'s identity provider (full build only): the `idp` option, else the one the file
//! shows (as `usernorm audit` tells it), and what it decides: Okta's Users API JSON read as a
//! table (okta build), the username mapping in the provider's language, how the plan matches
//! rows to members, and the readable suggestions. `detectIdp` exposes the detection, so a page
//! can tell an Okta export before loading the Okta build.
//!
//! The Okta engine (Okta Expression Language and the Users API JSON reader) takes a build some
//! 96 KB gzipped, past the full build's budget: it is in the `okta` build only. The full build
//! refuses an Okta export with a message naming the package's `usernorm/okta` entry point.

use usernorm::audit::{Column, Matching, Plan, UsernameSource};
use usernorm::idp::{Idp, detect};
#[cfg(feature = "okta")]
use usernorm::okta::{self, OktaFormat, OktaMapping, Users};
use usernorm::{OrgSnapshot, google};
use wasm_bindgen::prelude::*;

use crate::args::type_name;
use crate::{Options, error};

/// The identity provider of an audit, and the export as that provider's audit reads it.
pub(crate) struct Provider {
    pub(crate) idp: Idp,
    /// How it was chosen, for the summary.
    pub(crate) chosen: &'static str,
    /// For Okta's Users API JSON: the line each user starts on.
    #[cfg(feature = "okta")]
    pub(crate) lines: Option<Vec<u64>>,
}

impl Provider {
    /// The provider the `idp` option names, else the one `bytes` shows; and the export to
    /// audit (Okta's JSON as a CSV table). Without the Okta engine, an error for Okta.
    pub(crate) fn choose(
        options: &Options,
        bytes: Vec<u8>,
    ) -> Result<(Provider, Vec<u8>), JsValue> {
        let (idp, chosen) = match text(options, "idp")? {
            Some(key) => match Idp::from_key(&key) {
                Some(idp) => (idp, "given with the idp option"),
                None => {
                    return Err(error(&format!(
                        "option `idp` must be \"entra\", \"okta\" or \"google\", not {key:?}"
                    )));
                }
            },
            None => {
                let found = detect(&bytes);
                (found.idp, found.how)
            }
        };
        #[cfg(not(feature = "okta"))]
        {
            if idp == Idp::Okta {
                return Err(error(&format!(
                    "this is an Okta export ({chosen}): this build does not audit Okta exports; \
                     the package's Okta build does: `import {{ audit }} from \"usernorm/okta\"` \
                     (or `usernorm audit --idp okta` on the command line)"
                )));
            }
            Ok((Provider { idp, chosen }, bytes))
        }
        #[cfg(feature = "okta")]
        {
            let mut provider = Provider {
                idp,
                chosen,
                lines: None,
            };
            if idp != Idp::Okta || !okta::looks_like_users_json(&bytes) {
                return Ok((provider, bytes));
            }
            let users = Users::from_json(&bytes).map_err(|e| error(&e.to_string()))?;
            provider.lines = Some(users.lines().to_vec());
            Ok((provider, users.to_csv()))
        }
    }

    /// The username source for Okta and Google: `column`, else `mapping` (for Okta an
    /// expression or a built-in format's name, for Google a field), else the provider's
    /// default. `None` for Entra, whose source `audit.rs` makes.
    pub(crate) fn source(
        &self,
        options: &Options,
    ) -> Result<Option<Box<dyn UsernameSource>>, JsValue> {
        let (column, mapping) = (text(options, "column")?, text(options, "mapping")?);
        if self.idp == Idp::Entra {
            return Ok(None);
        }
        match (column, mapping) {
            (Some(_), Some(_)) => Err(error("give either `column` or `mapping`, not both")),
            (Some(column), None) => Ok(Some(Box::new(Column::new(column)))),
            #[cfg(feature = "okta")]
            (None, mapping) if self.idp == Idp::Okta => {
                let text = mapping.unwrap_or_else(|| OktaFormat::OktaUsername.name().to_owned());
                OktaMapping::parse(&text)
                    .map(|m| Some(Box::new(m) as Box<dyn UsernameSource>))
                    .map_err(|e| error(&format!("mapping: {e}")))
            }
            (None, mapping) => {
                let field = mapping.unwrap_or_else(|| google::DEFAULT_USERNAME_COLUMN.to_owned());
                Ok(Some(Box::new(Column::new(field))))
            }
        }
    }

    /// The plan over `org`: Entra's, Okta's link by externalId then userName (okta build), or
    /// Google's match by userName (as `usernorm audit --idp`).
    pub(crate) fn plan<'a>(&self, org: &'a OrgSnapshot) -> Plan<'a> {
        match self.idp {
            #[cfg(feature = "okta")]
            Idp::Okta => Plan::new(org)
                .matching(Matching::ExternalIdThenUserName)
                .provider("Okta"),
            #[cfg(not(feature = "okta"))]
            Idp::Okta => Plan::new(org),
            Idp::Entra => Plan::new(org),
            Idp::Google => Plan::new(org)
                .matching(Matching::UserName)
                .provider("Google")
                .match_column(google::DEFAULT_USERNAME_COLUMN),
        }
    }

    /// What to know about the mapping, for the summary's `mapping_note`.
    pub(crate) fn note(&self, options: &Options) -> Result<Option<String>, JsValue> {
        let readable = "The suggestion column has a readable, unique name for every person \
                        not yet provisioned";
        Ok(match self.idp {
            Idp::Entra => None,
            #[cfg(feature = "okta")]
            Idp::Okta => {
                let format = match (text(options, "mapping")?, text(options, "column")?) {
                    (None, None) => Some(OktaFormat::OktaUsername),
                    (Some(text), _) => OktaFormat::from_name(&text),
                    (None, Some(_)) => None,
                };
                let about = format.map(|f| format!("{}. ", f.description().trim_end_matches('.')));
                Some(format!(
                    "{}Hugging Face's Okta guide maps `user.getInternalProperty(\"id\")` and has \
                     admins type each username at assignment. {readable}: what to type.",
                    about.unwrap_or_default()
                ))
            }
            #[cfg(not(feature = "okta"))]
            Idp::Okta => {
                let _ = options;
                None
            }
            Idp::Google => Some(format!("{} {readable}.", google::USERNAME_EXPLANATION)),
        })
    }

    /// Whether rows get readable suggestions (the provider's own names are unreadable or
    /// always rejected, and it has no expression to fix them with).
    pub(crate) fn readable(&self) -> bool {
        self.idp != Idp::Entra
    }
}

/// A string option, checked.
pub(crate) fn text(options: &Options, key: &str) -> Result<Option<String>, JsValue> {
    options
        .get(key)
        .map(|v| {
            v.as_string().ok_or_else(|| {
                error(&format!(
                    "option `{key}` must be a string, not {}",
                    type_name(&v)
                ))
            })
        })
        .transpose()
}

/// The TypeScript type of `detectIdp`'s result.
#[wasm_bindgen(typescript_custom_section)]
const DETECTED: &str = r#"
/** The identity provider an export comes from, as `audit` (and `usernorm audit`) tells it. */
export interface DetectedIdp {
  /** The provider. */
  idp: Idp;
  /** How it was told (`"detected: ..."`, or `"the default"`): what the summary's `plan.chosen` says. */
  how: string;
}
"#;

/// The identity provider a directory export comes from (CSV text or its bytes, or Okta's
/// Users API JSON), told from the file as `audit` tells it when no `idp` option is given:
/// Google's Download users header; Okta's Users API JSON, or a CSV whose header has Okta's
/// profile variable `login` and none of Entra's columns; else Entra. Only the start of the
/// file is read. A page uses it to load the package's Okta build (`usernorm/okta`) for an
/// Okta export.
///
/// @throws {Error} when the argument is neither a string nor a `Uint8Array`.
#[wasm_bindgen(js_name = detectIdp, unchecked_return_type = "DetectedIdp")]
pub fn detect_idp(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] csv: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = crate::audit::input_bytes(&csv)?;
    let found = detect(&bytes);
    Ok(detected(found.idp.key(), found.how))
}

#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    /// `{ idp, how }`.
    #[wasm_bindgen(js_name = detectedIdp)]
    fn detected(idp: &str, how: &str) -> JsValue;
}
