//! The export's header: column names matched case-insensitively, with the aliases the Entra
//! portal, Microsoft Graph, PowerShell, Okta and Google Workspace use for the same attribute.

use std::borrow::Cow;
use std::collections::HashMap;

/// Names of one attribute, by its normalized form (ASCII letters and digits, lowercase). The
/// first is the attribute's own name.
const ALIASES: &[&[&str]] = &[
    &["id", "objectid", "userid"],
    &["userprincipalname", "upn", "signinname"],
    &["mailnickname", "alias", "mailalias"],
    &["givenname", "firstname"],
    &["surname", "lastname", "familyname", "sn"],
    &["displayname", "name", "fullname"],
    &["mail", "email", "emailaddress", "primaryemail"],
    &["mobilephone", "mobile", "mobilenumber", "cellphone"],
    &[
        "telephonenumber",
        "businessphones",
        "businessphone",
        "officephone",
        "workphone",
    ],
    &["officelocation", "office", "physicaldeliveryofficename"],
    &["jobtitle", "title"],
    &[
        "externalid",
        "employeeid",
        "immutableid",
        "onpremisesimmutableid",
    ],
    &["country", "countryorregion"],
    &["state", "stateorprovince"],
    &["postalcode", "zipcode", "zip"],
    &["username", "login"],
];

/// A column name in the form names are matched by: ASCII letters and digits, lowercase, with a
/// trailing `[...]` (Google Workspace's `[Required]`) dropped; then an alias becomes its
/// attribute's own name.
fn attribute_key(name: &str) -> String {
    let name = name.trim();
    let name = match (name.rfind('['), name.ends_with(']')) {
        (Some(open), true) if open > 0 => name.get(..open).unwrap_or(name),
        _ => name,
    };
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    for names in ALIASES {
        if names.contains(&key.as_str()) {
            return names.first().map_or(key.clone(), |&n| n.to_owned());
        }
    }
    key
}

/// The columns of an export, looked up by attribute name.
///
/// ```
/// use usernorm::audit::Header;
///
/// let header = Header::new(["Object ID", "User principal name", "First name [Required]"]);
/// assert_eq!(header.index("objectId"), Some(0));
/// assert_eq!(header.index("id"), Some(0));
/// assert_eq!(header.index("USERPRINCIPALNAME"), Some(1));
/// assert_eq!(header.index("givenName"), Some(2));
/// assert_eq!(header.index("mailNickname"), None);
/// // Entra's default alias stands in for a missing mailNickname.
/// assert!(header.has("mailNickname"));
/// ```
#[derive(Debug, Clone)]
pub struct Header {
    names: Vec<String>,
    by_key: HashMap<String, usize>,
    /// The `userPrincipalName` column when there is no `mailNickname` column.
    nickname_from_upn: Option<usize>,
    /// Columns for an attribute an earlier column is for already: (earlier, later).
    repeats: Vec<(usize, usize)>,
}

impl Header {
    /// A header from its column names, in order. [`Header::index`] gives the first of two
    /// columns for one attribute and [`Header::repeated`] both; the audit refuses a file that
    /// has two columns for an attribute it reads ([`AuditError::require`](super::AuditError::require)).
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Header {
        let names: Vec<String> = names.into_iter().map(|n| n.as_ref().to_owned()).collect();
        let mut by_key = HashMap::new();
        let mut repeats = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match by_key.entry(attribute_key(name)) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    repeats.push((*first.get(), i));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(i);
                }
            }
        }
        let nickname_from_upn = if by_key.contains_key("mailnickname") {
            None
        } else {
            by_key.get("userprincipalname").copied()
        };
        Header {
            names,
            by_key,
            nickname_from_upn,
            repeats,
        }
    }

    /// The first two columns for an attribute (by name or alias, case-insensitively), when
    /// two columns are for it: a row could be read from either. For a missing `mailNickname`,
    /// the `userPrincipalName` columns that stand in for it.
    ///
    /// ```
    /// use usernorm::audit::Header;
    ///
    /// let header = Header::new(["id", "mail", "Given name", "Mail", "EmailAddress"]);
    /// assert_eq!(header.repeated("mail"), Some((1, 3)));
    /// assert_eq!(header.repeated("givenName"), None);
    /// let header = Header::new(["UPN", "userPrincipalName"]);
    /// assert_eq!(header.repeated("mailNickname"), Some((0, 1)));
    /// ```
    pub fn repeated(&self, attribute: &str) -> Option<(usize, usize)> {
        let first = self.index(attribute).or_else(|| {
            (attribute_key(attribute) == "mailnickname")
                .then_some(self.nickname_from_upn)
                .flatten()
        })?;
        self.repeats.iter().find(|&&(a, _)| a == first).copied()
    }

    /// The column names as the file spells them.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// How many columns there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no columns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The column of an attribute, by name or alias, case-insensitively.
    pub fn index(&self, attribute: &str) -> Option<usize> {
        self.by_key.get(&attribute_key(attribute)).copied()
    }

    /// Whether a row can give the attribute: its column exists, or it is `mailNickname` and
    /// `userPrincipalName` stands in.
    pub fn has(&self, attribute: &str) -> bool {
        self.index(attribute).is_some()
            || (self.nickname_from_upn.is_some() && attribute_key(attribute) == "mailnickname")
    }

    /// Whether `mailNickname` is missing and the part of `userPrincipalName` before `@` stands
    /// in for it.
    pub fn nickname_from_upn(&self) -> bool {
        self.nickname_from_upn.is_some()
    }

    /// The column that identifies a row: `id`/`objectId`, else `externalId`, else the first.
    pub fn id_column(&self) -> usize {
        self.index("id")
            .or_else(|| self.index("externalId"))
            .unwrap_or(0)
    }
}

/// One row of an export, its fields readable by attribute name.
///
/// ```
/// use usernorm::audit::{Header, Row};
///
/// let header = Header::new(["userPrincipalName", "givenName"]);
/// let row = Row::new(&header, &["ann.lee_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Ann"]);
/// assert_eq!(row.get("GivenName").as_deref(), Some("Ann"));
/// assert_eq!(row.get("mailNickname").as_deref(), Some("ann.lee_fabrikam.com"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Row<'r> {
    header: &'r Header,
    fields: Fields<'r>,
}

#[derive(Debug, Clone, Copy)]
enum Fields<'r> {
    Slice(&'r [&'r str]),
    /// A parsed record whose bytes are known to be UTF-8, without a vector of fields.
    Record(&'r str, &'r csv::ByteRecord),
    /// A record's text, checked to be UTF-8, and where each field is in it.
    Spans(&'r str, &'r [(usize, usize)]),
}

impl<'r> Row<'r> {
    /// A row of fields under a header.
    pub fn new(header: &'r Header, fields: &'r [&'r str]) -> Row<'r> {
        Row {
            header,
            fields: Fields::Slice(fields),
        }
    }

    /// A row over a record whose bytes, `text`, were checked to be UTF-8.
    pub(crate) fn from_record(
        header: &'r Header,
        text: &'r str,
        record: &'r csv::ByteRecord,
    ) -> Row<'r> {
        Row {
            header,
            fields: Fields::Record(text, record),
        }
    }

    /// A row over fields in `text`, field `i` at `spans[i]`; `text` was checked to be UTF-8
    /// and every span to start and end at a character boundary.
    pub(crate) fn from_spans(
        header: &'r Header,
        text: &'r str,
        spans: &'r [(usize, usize)],
    ) -> Row<'r> {
        Row {
            header,
            fields: Fields::Spans(text, spans),
        }
    }

    /// The field in column `index`.
    pub fn field(&self, index: usize) -> Option<&'r str> {
        match self.fields {
            Fields::Slice(fields) => fields.get(index).copied(),
            Fields::Record(text, record) => record.range(index).and_then(|r| text.get(r)),
            Fields::Spans(text, spans) => {
                let &(start, end) = spans.get(index)?;
                text.get(start..end)
            }
        }
    }

    /// The value of an attribute, by name or alias. A missing `mailNickname` is Entra's
    /// default alias: the part of `userPrincipalName` before `@`, less a guest's `#EXT#`.
    pub fn get(&self, attribute: &str) -> Option<Cow<'r, str>> {
        if let Some(i) = self.header.index(attribute) {
            return self.field(i).map(Cow::Borrowed);
        }
        let upn = self.header.nickname_from_upn?;
        if attribute_key(attribute) != "mailnickname" {
            return None;
        }
        self.field(upn).map(|upn| Cow::Borrowed(default_alias(upn)))
    }

    /// The header the row is read under.
    pub fn header(&self) -> &'r Header {
        self.header
    }
}

/// Entra's default alias for a user principal name: the part before `@`, without the `#EXT#`
/// that marks a guest.
///
/// ```
/// use usernorm::audit::default_alias;
///
/// assert_eq!(default_alias("jane.doe@contoso.com"), "jane.doe");
/// assert_eq!(default_alias("jo_fabrikam.com#EXT#@contoso.onmicrosoft.com"), "jo_fabrikam.com");
/// ```
pub fn default_alias(upn: &str) -> &str {
    let local = upn.rsplit_once('@').map_or(upn, |(local, _)| local);
    crate::normalize::strip_guest_tag(local).unwrap_or(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_from_the_portal_graph_okta_and_google() {
        let h = Header::new([
            "objectId",
            "mobile",
            "Last Name [Required]",
            "Email Address [Required]",
            "login",
        ]);
        assert_eq!(h.index("id"), Some(0));
        assert_eq!(h.index("mobilePhone"), Some(1));
        assert_eq!(h.index("surname"), Some(2));
        assert_eq!(h.index("mail"), Some(3));
        assert_eq!(h.index("userName"), Some(4));
        assert_eq!(h.id_column(), 0);
    }
}
