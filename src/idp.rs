//! The identity provider an export comes from, told from the start of the file: Okta's Users
//! API JSON, Okta's profile variable names, Google Workspace's "Download users" header, else
//! Microsoft Entra ID. The CLI's `audit` and the browser's `audit` both ask this when the
//! provider is not given.
//!
//! ```
//! use usernorm::idp::{Idp, detect};
//!
//! let okta = br#"[{"id": "00u1", "status": "ACTIVE", "profile": {"login": "a@x.org"}}]"#;
//! assert_eq!(detect(okta).idp, Idp::Okta);
//! let google = b"First Name [Required],Last Name [Required],Email Address [Required]\n";
//! assert_eq!(detect(google).idp, Idp::Google);
//! let entra = b"id,userPrincipalName,mailNickname,accountEnabled\n";
//! assert_eq!(detect(entra), usernorm::idp::Detected { idp: Idp::Entra, how: "the default" });
//! ```

use std::collections::HashMap;
use std::io::Read;

use crate::audit::{Audit, AuditError, Header, ReadableName, Record, sniff_delimiter};
use crate::limits::MAX_RECORD_BYTES;
use crate::{OrgSnapshot, Policy, google, okta_login_key};

/// An identity provider, which decides an export's format, the mapping language and how
/// provisioning matches people to accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idp {
    /// Microsoft Entra ID: attribute-mapping expressions over a Graph or portal CSV export.
    Entra,
    /// Okta: Okta Expression Language over the Users API JSON or a profile-variable CSV.
    Okta,
    /// Google Workspace: the "Download users" CSV; no expression language.
    Google,
}

impl Idp {
    /// The provider's name as the CLI's `--idp` and the browser's `idp` option spell it.
    ///
    /// ```
    /// assert_eq!(usernorm::idp::Idp::Google.key(), "google");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Idp::Entra => "entra",
            Idp::Okta => "okta",
            Idp::Google => "google",
        }
    }

    /// The provider a [`key`](Idp::key) names, in any case.
    ///
    /// ```
    /// use usernorm::idp::Idp;
    /// assert_eq!(Idp::from_key("Okta"), Some(Idp::Okta));
    /// assert_eq!(Idp::from_key("ping"), None);
    /// ```
    pub fn from_key(key: &str) -> Option<Idp> {
        [Idp::Entra, Idp::Okta, Idp::Google]
            .into_iter()
            .find(|idp| idp.key().eq_ignore_ascii_case(key))
    }

    /// The provider's name for messages: `Entra`, `Okta`, `Google`.
    ///
    /// ```
    /// assert_eq!(usernorm::idp::Idp::Okta.name(), "Okta");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Idp::Entra => "Entra",
            Idp::Okta => "Okta",
            Idp::Google => "Google",
        }
    }
}

/// The provider a file shows, and how it was told (for an audit's summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The provider.
    pub idp: Idp,
    /// How it was told: `detected: ...`, or `the default` (Entra) when nothing showed.
    pub how: &'static str,
}

/// The provider the start of a file (`head`: its first bytes, at least the first line) shows:
/// Okta's Users API JSON, Google's Download users header, Okta's profile variable names
/// (`login`, and none of Entra's own columns), else Entra.
///
/// ```
/// use usernorm::idp::{Idp, detect};
///
/// let found = detect(b"login,firstName,lastName,email\n");
/// assert_eq!((found.idp, found.how), (Idp::Okta, "detected: Okta profile variable names (`login`)"));
/// // Entra's own columns win over a `login` column.
/// assert_eq!(detect(b"login,userPrincipalName\n").idp, Idp::Entra);
/// ```
pub fn detect(head: &[u8]) -> Detected {
    if looks_like_okta_json(head) {
        return Detected {
            idp: Idp::Okta,
            how: "detected: Okta Users API JSON",
        };
    }
    let header = first_record(head);
    if google::looks_like_download(&Header::new(&header)) {
        return Detected {
            idp: Idp::Google,
            how: "detected: Google Workspace's Download users header",
        };
    }
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
        return Detected {
            idp: Idp::Okta,
            how: "detected: Okta profile variable names (`login`)",
        };
    }
    Detected {
        idp: Idp::Entra,
        how: "the default",
    }
}

/// Whether `bytes` look like Okta's Users API JSON (`okta::looks_like_users_json`, which
/// builds without the Okta engine need too): the first byte that is not blank (after a
/// byte-order mark) is `[` or `{`, and a `"profile"` key is in the first megabyte.
pub(crate) fn looks_like_okta_json(bytes: &[u8]) -> bool {
    const KEY: &[u8] = b"\"profile\"";
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    if !start.is_some_and(|i| matches!(bytes.get(i), Some(b'[' | b'{'))) {
        return false;
    }
    let head = bytes.get(..MAX_RECORD_BYTES).unwrap_or(bytes);
    // A plain search: the browser's full build, which has no other use for memchr's searchers,
    // runs it once per file.
    head.windows(KEY.len()).enumerate().any(|(at, window)| {
        window == KEY
            && head
                .get(at + KEY.len()..)
                .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
                == Some(&b':')
    })
}

/// The first CSV record of `head`, its delimiter sniffed; fields that are not UTF-8 lossily.
/// (`csv_core`, which the audit's reader links already: `csv`'s `Reader` would add some 2 KB
/// to the browser's build.)
fn first_record(head: &[u8]) -> Vec<String> {
    use csv_core::ReadRecordResult;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut reader = csv_core::ReaderBuilder::new()
        .delimiter(sniff_delimiter(line))
        .build();
    // A field is never longer than its text, and there is at most a field per byte, plus one.
    let mut out = vec![0u8; line.len()];
    let mut ends = vec![0usize; line.len() + 1];
    let (mut input, mut written, mut fields) = (line, 0, 0);
    // The line, then no input (the end of the record); a third call is never needed.
    for _ in 0..3 {
        let (result, read, wrote, ended) = reader.read_record(
            input,
            out.get_mut(written..).unwrap_or_default(),
            ends.get_mut(fields..).unwrap_or_default(),
        );
        input = input.get(read..).unwrap_or_default();
        written += wrote;
        fields += ended;
        match result {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::Record => break,
            ReadRecordResult::End
            | ReadRecordResult::OutputFull
            | ReadRecordResult::OutputEndsFull => {
                return Vec::new();
            }
        }
    }
    let mut start = 0;
    (ends.get(..fields).unwrap_or_default().iter())
        .map(|&end| {
            let field = out.get(start..end).unwrap_or_default();
            start = end;
            String::from_utf8_lossy(field).into_owned()
        })
        .collect()
}

/// Each row's readable name (from first and last name, else the login's local part: see
/// [`ReadableName`]), unique across the rows and the org: what an Okta admin types at
/// assignment, or what a Google admin writes into the field the mapping points at. Index `i` is
/// data row `i + 1`; `None` for a row that gives none.
///
/// ```
/// use usernorm::{Members, OrgSnapshot, Policy};
///
/// let policy = Policy::huggingface();
/// let org = OrgSnapshot::new(&policy, Members::from_names(["ana-lima"]));
/// let csv = "firstName,lastName,login\nAna,Lima,ana@x.org\nAna,Lima,ana2@x.org\n";
/// let names = usernorm::idp::readable_names(&policy, &org, csv.as_bytes())?;
/// // Unique case-insensitively: the second Ana Lima gets another readable name.
/// assert_eq!(names, [Some("AnaLima".to_owned()), Some("ALima".to_owned())]);
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
pub fn readable_names<R: Read + Send + 'static>(
    policy: &Policy,
    org: &OrgSnapshot,
    input: R,
) -> Result<Vec<Option<String>>, AuditError> {
    let mut source = ReadableName::default();
    let mut checked = Audit::new(policy, org)
        .shared_existing(org)
        .run(input, &mut source)?;
    checked
        .records()
        .map(|r| r.map(|r| r.final_username().map(str::to_owned)))
        .collect()
}

/// Gives a record its readable suggestion from [`readable_names`]: every row that fails, and
/// every row not yet provisioned (no current username), gets its readable name. A rename that
/// fails keeps the member's current name as its fix, and a member that goes through is
/// suggested the name it has.
///
/// ```
/// use usernorm::audit::{Audit, Column};
/// use usernorm::{EmptyRegistry, Policy};
///
/// let policy = Policy::huggingface();
/// let csv = "login,firstName,lastName\nana@x.org,Ana,Lima\n";
/// let mut checked = Audit::new(&policy, &EmptyRegistry).run(csv.as_bytes(), &mut Column::new("login"))?;
/// let mut record = checked.records().next().expect("one row")?;
/// usernorm::idp::suggest_readable(&mut record, &[Some("ana-lima".to_owned())]);
/// assert_eq!(record.suggestion.as_deref(), Some("ana-lima"));
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
pub fn suggest_readable(record: &mut Record, readable: &[Option<String>]) {
    let current = record.current_username.as_str();
    // A rename that fails keeps the member's current name: that fix stays.
    let keeps = !current.is_empty() && record.suggestion.as_deref() == Some(current);
    if !keeps && (record.status.fails() || current.is_empty()) {
        let index = usize::try_from(record.row.saturating_sub(1)).unwrap_or(usize::MAX);
        if let Some(Some(name)) = readable.get(index) {
            record.suggestion = Some(name.clone());
        }
    } else if !current.is_empty() && record.suggestion.is_none() {
        // A member that goes through keeps the name it has.
        record.suggestion = Some(current.to_owned());
    }
}

/// Okta logins are unique case- and diacritic-insensitively: the groups of names (row, name)
/// that only that rule makes one (`Isaac.Brock`, `isaac.bröck`), as warnings for the plan's
/// summary: at most 20, then a count of the rest.
///
/// ```
/// use usernorm::Policy;
///
/// let names = [(1, "ana-lima".to_owned()), (2, "ana-lïma".to_owned()), (3, "bo".to_owned())];
/// let warnings = usernorm::idp::okta_login_collisions(&Policy::huggingface(), &names);
/// assert_eq!(warnings.len(), 1);
/// assert!(warnings[0].starts_with("`ana-lima` (row 1) and `ana-lïma` (row 2) are one name for Okta"));
/// ```
pub fn okta_login_collisions(policy: &Policy, names: &[(u64, String)]) -> Vec<String> {
    const MAX_LOGIN_WARNINGS: usize = 20;
    let mut groups: HashMap<String, Vec<(u64, &str)>> = HashMap::new();
    for (row, name) in names {
        if !name.is_empty() {
            let key = okta_login_key(name).into_owned();
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

#[cfg(test)]
mod tests {
    use super::{Idp, detect};

    #[test]
    fn a_header_tells_the_provider() {
        let cases: [(&[u8], Idp); 10] = [
            (b"\xEF\xBB\xBF[{\"profile\": {}}]", Idp::Okta),
            (b"  {\"id\":\"1\",\"profile\" : {}}\n", Idp::Okta),
            (
                b"Email Address [Required],Status [READ ONLY]\r\n",
                Idp::Google,
            ),
            (b"login;firstName\n", Idp::Okta),
            (b"id,objectId,login\n", Idp::Okta),
            (b"login,mailNickname\n", Idp::Entra),
            (b"\"login\",\"first, name\"\r\nx,y\r\n", Idp::Okta),
            (
                b"\"First Name [Required]\";\"Email Address [Required]\"",
                Idp::Google,
            ),
            (b"\"unterminated,login", Idp::Entra),
            (b"", Idp::Entra),
        ];
        for (head, idp) in cases {
            assert_eq!(detect(head).idp, idp, "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn the_first_record_is_read_as_csv() {
        assert_eq!(
            super::first_record(b"\xEF\xBB\xBFa,\"b,\"\"c\"\"\",,d\r\n1,2\n"),
            ["a", "b,\"c\"", "", "d"]
        );
        assert_eq!(super::first_record(b"a\tb\tc"), ["a", "b", "c"]);
        assert_eq!(
            super::first_record(b"caf\xC3\xA9;\xFF"),
            ["café", "\u{FFFD}"]
        );
        assert_eq!(super::first_record(b""), Vec::<String>::new());
    }
}
