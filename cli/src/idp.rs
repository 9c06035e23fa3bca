//! `audit --idp`: the identity provider an export comes from (given, or told from the file)
//! and what it decides: the input's format, the username mapping and its language, how the
//! plan matches rows to members, the readable suggestions and the `--fixed-out` format.

use std::io::{self, Write};

use usernorm::audit::{
    Audit, Column, Header, Matching, Plan, ReadableName, Record, Row, UsernameSource,
};
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
        input: Input<'a>,
    ) -> Result<(Provider, Input<'a>), CliError> {
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
        if idp != Idp::Okta || !okta::looks_like_users_json(&head) {
            return Ok((provider, input));
        }
        let bytes = input.read_all()?;
        let users = Users::from_json(&bytes)
            .map_err(|e| CliError::new(format!("{}: {e}", input.shown())))?;
        provider.lines = Some(users.lines().to_vec());
        Ok((provider, Input::Memory(users.to_csv())))
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

/// The provider a file shows, and how it was told.
fn detect(head: &[u8]) -> (Idp, String) {
    if okta::looks_like_users_json(head) {
        return (Idp::Okta, "detected: Okta Users API JSON".to_owned());
    }
    let header = first_record(head);
    if google::looks_like_download(&Header::new(&header)) {
        return (
            Idp::Google,
            "detected: Google Workspace's Download users header".to_owned(),
        );
    }
    // Okta's profile variable names: `login` as it is, and none of Entra's own columns.
    let has = |name: &str| header.iter().any(|h| h == name);
    let entra = [
        "userPrincipalName",
        "mailNickname",
        "objectId",
        "accountEnabled",
    ]
    .iter()
    .any(|c| Header::new(&header).index(c).is_some() && !(*c == "objectId" && has("id")));
    if has("login") && !entra {
        return (
            Idp::Okta,
            "detected: Okta profile variable names (`login`)".to_owned(),
        );
    }
    (Idp::Entra, "the default".to_owned())
}

/// The first CSV record of `head`, its delimiter sniffed.
fn first_record(head: &[u8]) -> Vec<String> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(usernorm::audit::sniff_delimiter(line))
        .from_reader(line);
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Each row's readable name: the final usernames of an audit of `input` with
/// [`ReadableName`], unique across the rows and the org.
pub(crate) fn readable_names(
    policy: &Policy,
    org: &OrgSnapshot,
    input: &Input<'_>,
) -> Result<Vec<Option<String>>, CliError> {
    let mut source = ReadableName::default();
    let mut checked = Audit::new(policy, org)
        .shared_existing(org)
        .run(input.open()?, &mut source)
        .map_err(|e| input.failed(e))?;
    checked
        .records()
        .map(|r| {
            r.map(|r| r.final_username().map(str::to_owned))
                .map_err(|e| CliError::new(e.to_string()))
        })
        .collect()
}

/// Gives a record its readable suggestion: every row that fails, and every row not yet
/// provisioned (no current username), gets the readable name; a member that goes through
/// keeps its current name, the name it has.
pub(crate) fn suggest_readable(record: &mut Record, readable: &[Option<String>]) {
    let current = record.current_username.as_str();
    // A rename that fails keeps the member's current name: that fix stays.
    let keeps = !current.is_empty() && record.suggestion.as_deref() == Some(current);
    if !keeps && (record.status.fails() || current.is_empty()) {
        let index = usize::try_from(record.row.saturating_sub(1)).unwrap_or(usize::MAX);
        if let Some(Some(name)) = readable.get(index) {
            record.suggestion = Some(name.clone());
        }
    } else if !current.is_empty() && record.suggestion.is_none() {
        record.suggestion = Some(current.to_owned());
    }
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
            let field = |fields: &[&'_ str], name: &str| -> String {
                let i = header.index(name);
                i.and_then(|i| fields.get(i))
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            };
            let owned: Vec<[String; 5]> = rows
                .iter()
                .map(|(fields, name)| {
                    [
                        field(fields, "login"),
                        field(fields, "firstName"),
                        field(fields, "lastName"),
                        field(fields, "email"),
                        (*name).clone(),
                    ]
                })
                .collect();
            let attribute = match column {
                crate::args::DEFAULT_FIXED_COLUMN => okta::IMPORT_ATTRIBUTE,
                other => other,
            };
            okta::write_import_csv(
                out,
                attribute,
                owned
                    .iter()
                    .map(|[login, first, last, email, name]| ImportRow {
                        login,
                        first_name: first,
                        last_name: last,
                        email,
                        username: name,
                    }),
            )?;
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

/// Okta logins are unique case- and diacritic-insensitively: names the rows would give that
/// only that rule makes one (`Isaac.Brock`, `isaac.bröck`), as warnings for the summary, at
/// most `MAX_LOGIN_WARNINGS` and a count of the rest.
pub(crate) fn okta_login_collisions(policy: &Policy, names: &[(u64, String)]) -> Vec<String> {
    const MAX_LOGIN_WARNINGS: usize = 20;
    let mut groups: std::collections::HashMap<String, Vec<(u64, &str)>> =
        std::collections::HashMap::new();
    for (row, name) in names {
        if !name.is_empty() {
            let key = usernorm::okta_login_key(name).into_owned();
            groups.entry(key).or_default().push((*row, name));
        }
    }
    let mut found: Vec<Vec<(u64, &str)>> = groups
        .into_values()
        .filter(|rows| {
            let first = rows.first().map(|(_, n)| policy.canonical_key(n));
            rows.iter()
                .any(|(_, n)| Some(policy.canonical_key(n)) != first)
        })
        .collect();
    found.sort();
    let mut warnings: Vec<String> = found
        .iter()
        .take(MAX_LOGIN_WARNINGS)
        .map(|rows| {
            let listed: Vec<String> = rows
                .iter()
                .map(|(r, n)| format!("`{n}` (row {r})"))
                .collect();
            format!(
                "{} are one name for Okta, which compares usernames case- and \
                 diacritic-insensitively: it would link these people to one account",
                listed.join(" and ")
            )
        })
        .collect();
    if found.len() > MAX_LOGIN_WARNINGS {
        warnings.push(format!(
            "{} more groups of names Okta takes for one",
            found.len() - MAX_LOGIN_WARNINGS
        ));
    }
    warnings
}
