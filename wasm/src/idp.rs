//! `audit`'s identity provider (full build only): the `idp` option, else the one the file
//! shows (as `usernorm audit` tells it), and what it decides: the username mapping, how the
//! plan matches rows to members, and the readable suggestions.
//!
//! Entra and Google only: the Okta engine (Okta Expression Language and the Users API JSON
//! reader) takes the full build some 100 KB gzipped past its 250 KB budget, so an Okta export
//! is refused with a message pointing at `usernorm audit --idp okta`.

use usernorm::audit::{Column, Matching, Plan, UsernameSource};
use usernorm::idp::{Idp, detect};
use usernorm::{OrgSnapshot, google};
use wasm_bindgen::prelude::*;

use crate::args::type_name;
use crate::{Options, error};

/// The identity provider of an audit, and the export as that provider's audit reads it.
pub(crate) struct Provider {
    pub(crate) idp: Idp,
    /// How it was chosen, for the summary.
    pub(crate) chosen: &'static str,
}

impl Provider {
    /// The provider the `idp` option names, else the one `bytes` shows; an error for Okta.
    pub(crate) fn choose(options: &Options, bytes: &[u8]) -> Result<Provider, JsValue> {
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
                let found = detect(bytes);
                (found.idp, found.how)
            }
        };
        if idp == Idp::Okta {
            return Err(error(&format!(
                "this is an Okta export ({chosen}): the browser package does not audit Okta \
                 exports (the Okta engine does not fit its size budget); run `usernorm audit \
                 --idp okta` on it"
            )));
        }
        Ok(Provider { idp, chosen })
    }

    /// The username source for Google: `column`, else `mapping` (a field), else the primary
    /// e-mail address. `None` for Entra, whose source `audit.rs` makes.
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
            (None, mapping) => {
                let field = mapping.unwrap_or_else(|| google::DEFAULT_USERNAME_COLUMN.to_owned());
                Ok(Some(Box::new(Column::new(field))))
            }
        }
    }

    /// The plan over `org`: Entra's, or Google's match by userName (as `usernorm audit
    /// --idp`).
    pub(crate) fn plan<'a>(&self, org: &'a OrgSnapshot) -> Plan<'a> {
        match self.idp {
            Idp::Entra | Idp::Okta => Plan::new(org),
            Idp::Google => Plan::new(org)
                .matching(Matching::UserName)
                .provider("Google")
                .match_column(google::DEFAULT_USERNAME_COLUMN),
        }
    }

    /// What to know about the mapping, for the summary's `mapping_note`.
    pub(crate) fn note(&self) -> Option<String> {
        (self.idp == Idp::Google).then(|| {
            format!(
                "{} The suggestion column has a readable, unique name for every person not yet \
                 provisioned.",
                google::USERNAME_EXPLANATION
            )
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
