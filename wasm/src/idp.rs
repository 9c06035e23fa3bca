//! `audit`'s identity provider (full build only): the `idp` option, else the one the file
//! shows (as `usernorm audit` tells it), and what it decides: Okta's Users API JSON read as a
//! table, the username mapping in the provider's language, how the plan matches rows to
//! members, and the readable suggestions.

use usernorm::audit::{Column, Matching, Plan, UsernameSource};
use usernorm::idp::{Idp, detect};
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
    pub(crate) lines: Option<Vec<u64>>,
}

impl Provider {
    /// The provider the `idp` option names, else the one `bytes` shows; and the export to
    /// audit (Okta's JSON as a CSV table).
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

    /// The plan over `org`: Entra's, Okta's link by externalId then userName, or Google's
    /// match by userName (as `usernorm audit --idp`).
    pub(crate) fn plan<'a>(&self, org: &'a OrgSnapshot) -> Plan<'a> {
        match self.idp {
            Idp::Entra => Plan::new(org),
            Idp::Okta => Plan::new(org)
                .matching(Matching::ExternalIdThenUserName)
                .provider("Okta"),
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
