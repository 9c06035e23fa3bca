//! `audit --idp`: the identity provider an export comes from (given, or told from the file)
//! and what it decides: the input's format, the username mapping and its language, how the
//! plan matches rows to members, the readable suggestions and the `--fixed-out` format.

use std::io::{self, Write};

use usernorm::audit::{Column, Header, Matching, Plan, Record, Row, UsernameSource};
use usernorm::okta::{self, ImportRow, OktaFormat, OktaMapping, Users};
use usernorm::{OrgSnapshot, Policy, google};

use crate::CliError;
use crate::args::{AuditArgs, Idp};
use crate::export::{Input, username_source};
use crate::plan::Schema;

/// The identity provider of an audit, and the export as that provider's audit reads it.
pub(crate) struct Provider {
    pub(crate) idp: Idp,
    /// How it was chosen, for the summary.
    pub(crate) chosen: String,
    /// For Okta's Users API JSON: the line each user starts on.
    pub(crate) lines: Option<Vec<u64>>,
}

impl Provider {
    /// The provider `--idp` names, else the one the file shows (Okta's Users API JSON, Okta
    /// profile variable names, Google's Download users header), else Entra; and the export
    /// to audit (Okta's JSON as a table in memory).
    pub(crate) fn choose<'a>(
        args: &AuditArgs,
        mut input: Input<'a>,
    ) -> Result<(Provider, Input<'a>), CliError> {
        // Standard input is read once; an Okta or Google audit reads it twice (the readable
        // names, then the plan), so it is kept in memory. Without --idp it is not looked at.
        if matches!(input, Input::Stdin) && args.idp.is_some_and(|idp| idp != Idp::Entra) {
            input = Input::Memory(input.read_all()?.into(), input.shown());
        }
        let head = input.head()?;
        let (idp, chosen) = match args.idp {
            Some(idp) => (idp, "given with --idp".to_owned()),
            None => detect(&head),
        };
        if idp != Idp::Entra && args.entra_schema.is_some() {
            return Err(CliError::new(format!(
                "--entra-schema is Entra's provisioning schema; the export is {} ({chosen})",
                name(idp)
            )));
        }
        let mut provider = Provider {
            idp,
            chosen,
            lines: None,
        };
        // Okta's JSON: told by its `profile` key, or, given --idp okta, by its first byte (so
        // that JSON that is not the Users API's gets a JSON error, not a CSV one).
        let json_start = (head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).iter())
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| matches!(b, b'[' | b'{'));
        let json =
            okta::looks_like_users_json(&head) || (args.idp == Some(Idp::Okta) && json_start);
        if idp != Idp::Okta || !json {
            return Ok((provider, input));
        }
        let bytes = input.read_all()?;
        let users = Users::from_json(&bytes)
            .map_err(|e| CliError::new(format!("{}: {e}", input.shown())))?;
        if users.is_empty() {
            return Err(CliError::new(format!(
                "{}: no users in the Users API JSON",
                input.shown()
            )));
        }
        provider.lines = Some(users.lines().to_vec());
        let shown = input.shown();
        Ok((provider, Input::Memory(users.to_csv().into(), shown)))
    }

    /// The username source: `--column`, else `--mapping` in the provider's language (for
    /// Okta also a built-in format's name; for Google a field), else the provider's default.
    pub(crate) fn source(
        &self,
        args: &AuditArgs,
        schema: Option<Schema>,
    ) -> Result<Box<dyn UsernameSource>, CliError> {
        if let Some(schema) = schema {
            return Ok(schema.mapping);
        }
        match self.idp {
            Idp::Entra => username_source(args),
            _ if args.column.is_some() => username_source(args),
            Idp::Okta => {
                let text = args
                    .mapping
                    .as_deref()
                    .unwrap_or(OktaFormat::OktaUsername.name());
                OktaMapping::parse(text)
                    .map(|m| Box::new(m) as Box<dyn UsernameSource>)
                    .map_err(|e| CliError::new(format!("--mapping: {e}")))
            }
            Idp::Google => {
                let field = args
                    .mapping
                    .as_deref()
                    .unwrap_or(google::DEFAULT_USERNAME_COLUMN);
                Ok(Box::new(Column::new(field)))
            }
        }
    }

    /// The plan over `org`: Entra's (or the schema's), Okta's link by userName, or Google's
    /// match by userName.
    pub(crate) fn plan<'a>(&self, org: &'a OrgSnapshot, schema: Option<&Schema>) -> Plan<'a> {
        match (self.idp, schema) {
            (Idp::Entra, Some(schema)) => schema.plan(org),
            (Idp::Entra, None) => Plan::new(org),
            (Idp::Okta, _) => Plan::new(org)
                .matching(Matching::ExternalIdThenUserName)
                .provider("Okta"),
            (Idp::Google, _) => Plan::new(org)
                .matching(Matching::UserName)
                .provider("Google")
                .match_column(google::DEFAULT_USERNAME_COLUMN),
        }
    }

    /// What to know about the mapping, for the summary.
    pub(crate) fn note(&self, args: &AuditArgs) -> Option<String> {
        match self.idp {
            Idp::Entra => None,
            Idp::Okta => {
                let format = match args.mapping.as_deref() {
                    None if args.column.is_none() => Some(OktaFormat::OktaUsername),
                    Some(text) => OktaFormat::from_name(text),
                    None => None,
                };
                let about = format.map(|f| format!("{}. ", f.description().trim_end_matches('.')));
                let guide = match format {
                    Some(OktaFormat::HfOktaId) => "",
                    _ => {
                        "Hugging Face's Okta guide maps `user.getInternalProperty(\"id\")` and has \
                         admins type each username at assignment. "
                    }
                };
                Some(format!(
                    "{}{guide}The suggestion column has a readable, unique name for every person \
                     not yet provisioned (--fixed-out writes them as an Okta import CSV setting \
                     the custom attribute `{}`, for the mapping to point at)",
                    about.unwrap_or_default(),
                    okta::IMPORT_ATTRIBUTE
                ))
            }
            Idp::Google => Some(format!(
                "{} The suggestion column has a readable, unique name for every person not yet \
                 provisioned (--fixed-out writes Google's bulk-update CSV with it in `{}`).",
                google::USERNAME_EXPLANATION,
                google::DEFAULT_FIX_COLUMN
            )),
        }
    }

    /// Whether rows get readable suggestions (the provider's own names are unreadable or
    /// always rejected, and it has no expression to fix them with).
    pub(crate) fn readable(&self) -> bool {
        self.idp != Idp::Entra
    }
}

fn name(idp: Idp) -> &'static str {
    match idp {
        Idp::Entra => "Entra",
        Idp::Okta => "Okta",
        Idp::Google => "Google",
    }
}

/// The provider a file shows ([`usernorm::idp::detect`]), and how it was told.
fn detect(head: &[u8]) -> (Idp, String) {
    let found = usernorm::idp::detect(head);
    let idp = match found.idp {
        usernorm::idp::Idp::Entra => Idp::Entra,
        usernorm::idp::Idp::Okta => Idp::Okta,
        usernorm::idp::Idp::Google => Idp::Google,
    };
    (idp, found.how.to_owned())
}

/// Each row's readable name ([`usernorm::idp::readable_names`] over `input`).
pub(crate) fn readable_names(
    policy: &Policy,
    org: &OrgSnapshot,
    input: &Input<'_>,
) -> Result<Vec<Option<String>>, CliError> {
    usernorm::idp::readable_names(policy, org, input.open()?).map_err(|e| input.failed(e))
}

/// The name `--fixed-out` gives a row under Okta or Google: the suggestion, else the
/// current or final username.
pub(crate) fn fixed_name(record: &Record) -> Option<String> {
    (record.suggestion.as_deref())
        .or((!record.current_username.is_empty()).then_some(record.current_username.as_str()))
        .or(record.final_username())
        .map(str::to_owned)
}

/// Writes `--fixed-out` for Okta (a user import CSV setting the custom attribute) or Google
/// (the bulk-update CSV with the name in `column`, Employee ID by default) from the export's
/// rows and each row's name; rows without a name (skipped) are left out.
pub(crate) fn write_fixed(
    idp: Idp,
    input: &Input<'_>,
    out: impl Write,
    column: &str,
    names: &[Option<String>],
) -> Result<(), CliError> {
    let bytes = input.read_all()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(usernorm::audit::sniff_delimiter(line))
        .from_reader(bytes);
    let header = Header::new(reader.headers().map_err(io::Error::other)?.iter());
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .map_err(|e| CliError::new(format!("{}: {e}", input.shown())))?;
    // A row without a name (skipped: never provisioned) is left out: an empty cell could
    // clear the field it is uploaded into.
    let rows = records.iter().zip(names).filter_map(|(record, name)| {
        let fields: Vec<&str> = record.iter().collect();
        name.as_ref()
            .filter(|n| !n.is_empty())
            .map(|name| (fields, name))
    });
    let rows: Vec<(Vec<&str>, &String)> = rows.collect();
    match idp {
        Idp::Okta => {
            fn field<'r>(header: &Header, fields: &[&'r str], name: &str) -> &'r str {
                let at = header.index(name);
                at.and_then(|i| fields.get(i).copied()).unwrap_or_default()
            }
            let attribute = match column {
                crate::args::DEFAULT_FIXED_COLUMN => okta::IMPORT_ATTRIBUTE,
                other => other,
            };
            let users = rows.iter().map(|(fields, name)| ImportRow {
                login: field(&header, fields, "login"),
                first_name: field(&header, fields, "firstName"),
                last_name: field(&header, fields, "lastName"),
                email: field(&header, fields, "email"),
                username: name,
            });
            okta::write_import_csv(out, attribute, users)?;
        }
        Idp::Google => {
            let column = match column {
                crate::args::DEFAULT_FIXED_COLUMN => google::DEFAULT_FIX_COLUMN,
                other => other,
            };
            let users = rows.iter().map(|(fields, name)| {
                google::BulkUser::from_row(&Row::new(&header, fields), name.as_str())
            });
            google::write_bulk_update(out, column, users)
                .map_err(|e| CliError::new(format!("--fixed-out: {e}")))?;
        }
        Idp::Entra => {}
    }
    Ok(())
}
