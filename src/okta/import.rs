//! Okta's "Import Users from CSV" file, with the username in a custom profile attribute.

use std::io;

/// The custom profile attribute [`write_import_csv`] puts the username in by default.
pub const IMPORT_ATTRIBUTE: &str = "hfUsername";

/// The base profile attributes Okta's import requires, in the order they are written.
const BASE: [&str; 4] = ["login", "firstName", "lastName", "email"];

/// One user of an Okta import CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportRow<'a> {
    /// `login`, the Okta username (it identifies the user to update).
    pub login: &'a str,
    /// `firstName`.
    pub first_name: &'a str,
    /// `lastName`.
    pub last_name: &'a str,
    /// `email`.
    pub email: &'a str,
    /// The username, for the custom attribute.
    pub username: &'a str,
}

/// Writes Okta's user import CSV ("Import Users from CSV": headers are profile variable
/// names) into `out`: `login,firstName,lastName,email` (the four Okta requires) and
/// `attribute`, a custom profile attribute (such as [`IMPORT_ATTRIBUTE`]) that the app's
/// `userName` mapping can then point at (`user.hfUsername`). RFC 4180, UTF-8 as Okta asks,
/// lines ending in `\n`; values are written as they are (a `'` before a formula-like value
/// would become part of the name in Okta).
///
/// ```
/// use usernorm::okta::{ImportRow, IMPORT_ATTRIBUTE, write_import_csv};
///
/// let rows = [ImportRow {
///     login: "zoe.angstrom@example.com",
///     first_name: "Zoë",
///     last_name: "Ångström, Jr.",
///     email: "zoe.angstrom@example.com",
///     username: "zoe-angstrom",
/// }];
/// let mut out = Vec::new();
/// write_import_csv(&mut out, IMPORT_ATTRIBUTE, rows)?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "login,firstName,lastName,email,hfUsername\n\
///      zoe.angstrom@example.com,Zoë,\"Ångström, Jr.\",zoe.angstrom@example.com,zoe-angstrom\n"
/// );
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// When writing to `out` fails, or `attribute` is empty or one of the four base attributes
/// (`ErrorKind::InvalidInput`).
pub fn write_import_csv<'a, W: io::Write>(
    out: W,
    attribute: &str,
    rows: impl IntoIterator<Item = ImportRow<'a>>,
) -> io::Result<()> {
    if attribute.is_empty() || BASE.iter().any(|b| b.eq_ignore_ascii_case(attribute)) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the username's attribute must be a custom profile attribute, not `{attribute}`"
            ),
        ));
    }
    let mut writer = csv::Writer::from_writer(out);
    let [login, first, last, email] = BASE;
    writer.write_record([login, first, last, email, attribute])?;
    for row in rows {
        writer.write_record([
            row.login,
            row.first_name,
            row.last_name,
            row.email,
            row.username,
        ])?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attribute_must_be_a_custom_one() {
        for bad in ["", "login", "Email"] {
            let err = write_import_csv(Vec::new(), bad, []).expect_err("an error");
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn quotes_and_line_breaks_are_quoted_and_an_empty_list_is_the_header() {
        let mut out = Vec::new();
        write_import_csv(&mut out, "nick", []).expect("writing into a vector");
        assert_eq!(out, b"login,firstName,lastName,email,nick\n");
        let mut out = Vec::new();
        let row = ImportRow {
            login: "a@b",
            first_name: "D'Arcy \"Dee\"",
            last_name: "O\nNeil",
            email: "",
            username: "darcy",
        };
        write_import_csv(&mut out, "nick", [row]).expect("writing into a vector");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "login,firstName,lastName,email,nick\na@b,\"D'Arcy \"\"Dee\"\"\",\"O\nNeil\",,darcy\n"
        );
    }
}
