//! Google Workspace: the Admin console's "Download users" CSV, what Google's automatic
//! provisioning sends as a user's `userName`, and the bulk-update CSV that fixes it.
//!
//! # Overview
//!
//! Google's Admin console (Directory > Users > Download users) writes a CSV whose header uses
//! the names of its bulk-upload template, many with a bracketed tag:
//! `First Name [Required]`, `Email Address [Required]`, `Status [READ ONLY]`,
//! `New Primary Email [UPLOAD ONLY]`. The audit's [`Header`] drops a trailing tag and matches
//! names case-insensitively, so `Column::new("Email Address")` and `Column::new("Employee ID")`
//! read those columns; [`looks_like_download`] says whether a header is Google's.
//!
//! Google's provisioning has no expression language: an app's `userName` is one attribute
//! the admin picks, by default the primary e-mail ([`DEFAULT_USERNAME_COLUMN`]), which no
//! Hugging Face username can be ([`USERNAME_EXPLANATION`]). A fix is therefore data: a valid
//! name written into a field the mapping can point at. [`write_bulk_update`] writes that
//! field for each user in the CSV format Google's "Bulk update users" accepts.
//!
//! [`Status`] reads the `Status [READ ONLY]` column: Google's sync sends active and suspended
//! users (suspended ones as deactivated) and leaves archived ones out.
//!
//! # Examples
//!
//! ```
//! use usernorm::audit::{Audit, Column, Header, Status};
//! use usernorm::{EmptyRegistry, Policy, google};
//!
//! let csv = "First Name [Required],Last Name [Required],Email Address [Required],\
//!            Org Unit Path [Required],Status [READ ONLY],Employee ID\n\
//!            Ana,Lima,ana.lima@example.com,/,Active,ana-lima\n";
//! let header = Header::new(csv.lines().next().unwrap().split(','));
//! assert!(google::looks_like_download(&header));
//!
//! let policy = Policy::huggingface();
//! let org = EmptyRegistry;
//! let mut column = Column::new(google::DEFAULT_USERNAME_COLUMN);
//! let mut checked = Audit::new(&policy, &org).run(csv.as_bytes(), &mut column)?;
//! let record = checked.records().next().unwrap()?;
//! assert_eq!(record.status, Status::Invalid);
//!
//! let mut column = Column::new("Employee ID");
//! let mut checked = Audit::new(&policy, &org).run(csv.as_bytes(), &mut column)?;
//! assert_eq!(checked.records().next().unwrap()?.status, Status::Ok);
//! # Ok::<(), usernorm::audit::AuditError>(())
//! ```

use std::fmt;
use std::io;

use crate::audit::{Header, Row};

/// The column Google's provisioning takes a user's `userName` from unless the admin maps
/// another attribute: the primary e-mail address (`Email Address [Required]` in the file).
pub const DEFAULT_USERNAME_COLUMN: &str = "Email Address";

/// Why the default Google mapping fails and how to fix it, for an audit's summary.
///
/// ```
/// assert!(usernorm::google::USERNAME_EXPLANATION.contains("Employee ID"));
/// ```
pub const USERNAME_EXPLANATION: &str = "Google Workspace sends each user's primary e-mail \
    address (`Email Address`) as the SCIM userName unless the app's mapping picks another \
    attribute, and an e-mail address is never a valid Hugging Face username: `@` and `.` \
    are not allowed. Google has no expression language to transform the value, so the fix \
    is data, not a mapping: write a valid username into a field (Employee ID, or a custom \
    attribute), point the app's userName mapping at that field, and audit again with \
    `--column` naming it.";

/// The column a fixed username goes into by default in [`write_bulk_update`]'s file.
pub const DEFAULT_FIX_COLUMN: &str = "Employee ID";

/// What Google's bulk upload writes in `Password [Required]` to leave a user's password as
/// it is (answer 40057: "If you're updating existing users and you don't want to change
/// their passwords, enter 4 asterisks").
pub const UNCHANGED_PASSWORD: &str = "****";

/// Columns of Google's upload template a fixed username may go into: its free-text
/// profile fields. The template takes no other columns: custom attributes cannot be set by
/// CSV upload (they are set in the Admin console or through the Directory API).
pub const FIX_COLUMNS: [&str; 6] = [
    "Employee ID",
    "Employee Type",
    "Employee Title",
    "Department",
    "Cost Center",
    "Building ID",
];

/// Columns found only in Google's user CSVs (the template's names, tags dropped, ASCII
/// letters and digits, lowercase).
const GOOGLE_ONLY: [&str; 16] = [
    "orgunitpath",
    "newprimaryemail",
    "passwordhashfunction",
    "lastsignin",
    "recoveryemail",
    "recoveryphone",
    "homesecondaryemail",
    "worksecondaryemail",
    "2svenrolled",
    "2svenforced",
    "emailusage",
    "driveusage",
    "totalstorage",
    "changepasswordatnextsignin",
    "newstatus",
    "newlicenses",
];

/// A column name split into its name and its trailing bracketed tag, each as ASCII letters
/// and digits in lowercase: `Status [READ ONLY]` is `("status", Some("readonly"))`.
fn split_tag(name: &str) -> (String, Option<String>) {
    let key = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let name = name.trim().trim_start_matches('\u{FEFF}');
    match (name.rfind('['), name.ends_with(']')) {
        (Some(open), true) if open > 0 => (
            key(name.get(..open).unwrap_or_default()),
            Some(key(name.get(open..).unwrap_or_default())),
        ),
        _ => (key(name), None),
    }
}

/// Whether a header is Google Workspace's user CSV (the Admin console's "Download users",
/// or its bulk-upload template): it has `Email Address [Required]`, or an untagged
/// `Email Address` beside a column only Google's file has (`Org Unit Path`, `Last Sign In`,
/// `2sv Enrolled`, ...) or beside a `[READ ONLY]`/`[UPLOAD ONLY]` tag.
///
/// Entra's exports (`mail`, `userPrincipalName`), Microsoft Graph's and Okta's (profile
/// variable names: `login`, `email`, `firstName`) are never taken for Google's: none has a
/// column named `Email Address`.
///
/// ```
/// use usernorm::audit::Header;
/// use usernorm::google::looks_like_download;
///
/// let google = Header::new(["First Name [Required]", "Last Name [Required]", "Email Address [Required]"]);
/// assert!(looks_like_download(&google));
/// let okta = Header::new(["login", "email", "firstName", "lastName"]);
/// assert!(!looks_like_download(&okta));
/// ```
pub fn looks_like_download(header: &Header) -> bool {
    let columns: Vec<(String, Option<String>)> =
        header.names().iter().map(|n| split_tag(n)).collect();
    let mut email = false;
    let mut google_only = false;
    for (name, tag) in &columns {
        let tag = tag.as_deref();
        if name == "emailaddress" {
            if tag == Some("required") {
                return true;
            }
            email |= tag.is_none();
        }
        google_only |=
            GOOGLE_ONLY.contains(&name.as_str()) || matches!(tag, Some("readonly" | "uploadonly"));
    }
    email && google_only
}

/// A user's account status, as the `Status [READ ONLY]` column of "Download users" says it.
///
/// The Admin console's user list shows `Active`, `Suspended` or `Archived`, and "Download
/// users" (answer 7348070) writes the same word; Google's provisioning (answer 7681608)
/// syncs active and suspended users and leaves archived ones out. A value
/// is read without regard to case or surrounding spaces, and one that starts with
/// `Suspended` is suspended; anything else (an empty field too) is [`Status::Unknown`].
///
/// ```
/// use usernorm::google::Status;
///
/// assert_eq!(Status::parse("Active"), Status::Active);
/// assert_eq!(Status::parse(" SUSPENDED "), Status::Suspended);
/// assert_eq!(Status::parse("Archived"), Status::Archived);
/// assert_eq!(Status::parse(""), Status::Unknown);
/// assert_eq!(Status::parse("Suspended").scim_active(), Some(false));
/// assert_eq!(Status::parse("Archived").scim_active(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The user can sign in; provisioning sends them as active.
    Active,
    /// Suspended by an admin (or by Google): provisioning deactivates them (`active=false`).
    Suspended,
    /// Archived (a former employee's account kept with an Archived User licence):
    /// Google's provisioning leaves archived users out of its sync altogether.
    Archived,
    /// A value this reader does not know, or none.
    Unknown,
}

impl Status {
    /// The status a `Status [READ ONLY]` field holds.
    pub fn parse(field: &str) -> Status {
        let value = field.trim();
        let starts = |word: &str| {
            value
                .get(..word.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(word))
        };
        if value.eq_ignore_ascii_case("active") {
            Status::Active
        } else if starts("suspended") {
            Status::Suspended
        } else if value.eq_ignore_ascii_case("archived") {
            Status::Archived
        } else {
            Status::Unknown
        }
    }

    /// The SCIM `active` Google's provisioning sends for the user: `true` for an active
    /// user, `false` for a suspended one, none for an archived user (not synced at all) or
    /// an unknown status.
    pub fn scim_active(self) -> Option<bool> {
        match self {
            Status::Active => Some(true),
            Status::Suspended => Some(false),
            Status::Archived | Status::Unknown => None,
        }
    }

    /// The status as the file writes it (`Unknown` for [`Status::Unknown`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Suspended => "Suspended",
            Status::Archived => "Archived",
            Status::Unknown => "Unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One user's line of [`write_bulk_update`]'s file: the fields Google requires to identify
/// and keep the user as they are, and the fixed username.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkUser<'a> {
    /// `First Name [Required]`, as the download has it.
    pub first_name: &'a str,
    /// `Last Name [Required]`, as the download has it.
    pub last_name: &'a str,
    /// `Email Address [Required]`: the primary e-mail, which identifies the user.
    pub email: &'a str,
    /// `Org Unit Path [Required]`, as the download has it (so the user stays where they are).
    pub org_unit_path: &'a str,
    /// The username to write into the fix column.
    pub username: &'a str,
}

impl<'a> BulkUser<'a> {
    /// The user of a row of a "Download users" file, with `username` as the fix. A column
    /// the file lacks reads as empty.
    ///
    /// ```
    /// use usernorm::audit::{Header, Row};
    /// use usernorm::google::BulkUser;
    ///
    /// let header = Header::new(["First Name [Required]", "Last Name [Required]",
    ///                           "Email Address [Required]", "Org Unit Path [Required]"]);
    /// let fields = ["Zoë", "Ångström", "zoe.angstrom@example.com", "/Research"];
    /// let user = BulkUser::from_row(&Row::new(&header, &fields), "zoe-angstrom");
    /// assert_eq!(user.email, "zoe.angstrom@example.com");
    /// assert_eq!(user.org_unit_path, "/Research");
    /// ```
    pub fn from_row(row: &Row<'a>, username: &'a str) -> BulkUser<'a> {
        let field = |attribute: &str| {
            row.header()
                .index(attribute)
                .and_then(|i| row.field(i))
                .unwrap_or_default()
        };
        BulkUser {
            first_name: field("First Name"),
            last_name: field("Last Name"),
            email: field("Email Address"),
            org_unit_path: field("Org Unit Path"),
            username,
        }
    }
}

/// Why [`write_bulk_update`] wrote no file.
#[derive(Debug)]
#[non_exhaustive]
pub enum BulkUpdateError {
    /// The fix column is not one of [`FIX_COLUMNS`]: Google's upload takes only its
    /// template's columns, and no custom attribute.
    UnknownColumn(String),
    /// Writing failed.
    Io(io::Error),
}

impl fmt::Display for BulkUpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BulkUpdateError::UnknownColumn(name) => write!(
                f,
                "`{name}` is not a column Google's bulk update takes a username in; use one \
                 of: {} (Google's CSV upload cannot set custom attributes: set those in the \
                 Admin console or through the Directory API)",
                FIX_COLUMNS.join(", ")
            ),
            BulkUpdateError::Io(e) => write!(f, "cannot write the bulk-update file: {e}"),
        }
    }
}

impl std::error::Error for BulkUpdateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BulkUpdateError::Io(e) => Some(e),
            BulkUpdateError::UnknownColumn(_) => None,
        }
    }
}

impl From<io::Error> for BulkUpdateError {
    fn from(e: io::Error) -> Self {
        BulkUpdateError::Io(e)
    }
}

impl From<csv::Error> for BulkUpdateError {
    fn from(e: csv::Error) -> Self {
        BulkUpdateError::Io(e.into())
    }
}

/// Writes the CSV that Google's Admin console (Directory > Users > Bulk update users,
/// answer 40057) takes to put each user's fixed username into `column` (one of
/// [`FIX_COLUMNS`], matched case-insensitively, tag ignored; [`DEFAULT_FIX_COLUMN`] is
/// `Employee ID`).
///
/// An update needs the template's required columns: `First Name [Required]`,
/// `Last Name [Required]`, `Email Address [Required]` (which identifies the user),
/// `Password [Required]` and `Org Unit Path [Required]`. The password is written as
/// [`UNCHANGED_PASSWORD`] (`****`), which leaves it unchanged; names and org unit are written
/// as given (from the download), so they stay as they are. No other column is written, so no
/// other field is touched. The file is UTF-8 with a byte-order mark, as Google asks for names
/// that are not ASCII. Pass only the users to change.
///
/// ```
/// use usernorm::google::{BulkUser, DEFAULT_FIX_COLUMN, write_bulk_update};
///
/// let users = [BulkUser {
///     first_name: "José",
///     last_name: "García",
///     email: "jose.garcia@example.com",
///     org_unit_path: "/Sales",
///     username: "jose-garcia",
/// }];
/// let mut out = Vec::new();
/// write_bulk_update(&mut out, DEFAULT_FIX_COLUMN, users)?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "\u{FEFF}First Name [Required],Last Name [Required],Email Address [Required],\
///      Password [Required],Org Unit Path [Required],Employee ID\n\
///      José,García,jose.garcia@example.com,****,/Sales,jose-garcia\n"
/// );
/// # Ok::<(), usernorm::google::BulkUpdateError>(())
/// ```
///
/// # Errors
/// [`BulkUpdateError::UnknownColumn`] (before anything is written) when `column` is not one
/// of [`FIX_COLUMNS`]; [`BulkUpdateError::Io`] when writing fails.
pub fn write_bulk_update<'a, W: io::Write>(
    mut out: W,
    column: &str,
    users: impl IntoIterator<Item = BulkUser<'a>>,
) -> Result<(), BulkUpdateError> {
    let (wanted, _) = split_tag(column);
    let Some(column) = FIX_COLUMNS.iter().find(|c| split_tag(c).0 == wanted) else {
        return Err(BulkUpdateError::UnknownColumn(column.to_owned()));
    };
    out.write_all("\u{FEFF}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record([
        "First Name [Required]",
        "Last Name [Required]",
        "Email Address [Required]",
        "Password [Required]",
        "Org Unit Path [Required]",
        column,
    ])?;
    for user in users {
        writer.write_record([
            user.first_name,
            user.last_name,
            user.email,
            UNCHANGED_PASSWORD,
            user.org_unit_path,
            user.username,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Google's download, as the Admin console writes it (the template's columns, with
    /// newer ones).
    const GOOGLE_DOWNLOAD: &str = "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Password Hash Function [UPLOAD ONLY],Org Unit Path [Required],New Primary Email [UPLOAD ONLY],Status [READ ONLY],Last Sign In [READ ONLY],Recovery Email,Home Secondary Email,Work Secondary Email,Recovery Phone [MUST BE IN THE E.164 FORMAT],Work Phone,Home Phone,Mobile Phone,Work Address,Home Address,Employee ID,Employee Type,Employee Title,Manager Email,Department,Cost Center,2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY],Building ID,Floor Name,Floor Section,Email Usage [READ ONLY],Drive Usage [READ ONLY],Total Storage [READ ONLY],Change Password at Next Sign-In,New Status [UPLOAD ONLY],New Licenses [UPLOAD ONLY],Advanced Protection Program enrollment";

    /// Entra's portal "Download users" (documented names).
    const ENTRA_PORTAL: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

    /// Entra's portal download as real files have it (Graph names).
    const ENTRA_GRAPH: &str = "userPrincipalName,displayName,surname,mail,givenName,id,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,telephoneNumber,mobilePhone,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification,companyName,creationType,directorySynced,invitationState,identityIssuer,createdDateTime";

    /// Entra's bulk-create template: bracketed tags too, but of attribute names.
    const ENTRA_BULK_CREATE: &str = "Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,First name [givenName],Last name [surname],Job title [jobTitle],Department [department],Usage location [usageLocation],Street address [streetAddress],State or province [state],Country or region [country],Office [physicalDeliveryOfficeName],City [city],ZIP or postal code [postalCode],Office phone [telephoneNumber],Mobile phone [mobile]";

    /// Okta's CSV import template (the default profile's variable names).
    const OKTA_IMPORT: &str = "login,firstName,lastName,middleName,honorificPrefix,honorificSuffix,email,title,displayName,nickName,profileUrl,secondEmail,mobilePhone,primaryPhone,streetAddress,city,state,zipCode,countryCode,postalAddress,preferredLanguage,locale,timezone,userType,employeeNumber,costCenter,organization,division,department,managerId,manager";

    fn header(line: &str) -> Header {
        Header::new(line.split(','))
    }

    #[test]
    fn google_headers_are_googles() {
        assert!(looks_like_download(&header(GOOGLE_DOWNLOAD)));
        // "Currently selected columns" only, with and without the tag on the e-mail.
        assert!(looks_like_download(&header(
            "First Name [Required],Last Name [Required],Email Address [Required]"
        )));
        assert!(looks_like_download(&header(
            "First Name,Last Name,Email Address,Status [READ ONLY]"
        )));
        assert!(looks_like_download(&header(
            "first name,last name,email address,org unit path"
        )));
        // A byte-order mark and stray spaces change nothing.
        assert!(looks_like_download(&header(
            "\u{FEFF}Email Address [Required] ,Org Unit Path [Required]"
        )));
    }

    #[test]
    fn other_headers_are_not_googles() {
        for line in [
            ENTRA_PORTAL,
            ENTRA_GRAPH,
            ENTRA_BULK_CREATE,
            OKTA_IMPORT,
            "login,email,firstName,lastName",
            "id,status,profile.login,profile.email",
            // An e-mail column alone says nothing of where the file is from.
            "Name,Email Address",
            "Email Address [Work]",
            "",
        ] {
            assert!(!looks_like_download(&header(line)), "{line}");
        }
    }

    #[test]
    fn statuses() {
        for (field, want) in [
            ("Active", Status::Active),
            ("active", Status::Active),
            ("Suspended", Status::Suspended),
            ("Suspended (by admin)", Status::Suspended),
            ("Archived", Status::Archived),
            ("ARCHIVED\t", Status::Archived),
            ("Deleted", Status::Unknown),
            ("Act", Status::Unknown),
            ("", Status::Unknown),
            ("Süspended", Status::Unknown),
        ] {
            assert_eq!(Status::parse(field), want, "{field:?}");
        }
        assert_eq!(Status::Active.scim_active(), Some(true));
        assert_eq!(Status::Unknown.scim_active(), None);
        assert_eq!(Status::Suspended.to_string(), "Suspended");
    }

    #[test]
    fn bulk_update_quotes_and_takes_only_template_columns() {
        let users = [BulkUser {
            first_name: "Anne-Marie",
            last_name: "O'Neil, Jr.",
            email: "annemarie.oneil@example.com",
            org_unit_path: "/Sales/\"EMEA\"",
            username: "annemarie-oneil",
        }];
        let mut out = Vec::new();
        write_bulk_update(&mut out, "employee id [read only]", users).expect("written");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.ends_with(
            "Anne-Marie,\"O'Neil, Jr.\",annemarie.oneil@example.com,****,\"/Sales/\"\"EMEA\"\"\",annemarie-oneil\n"
        ));
        assert!(text.contains(",Employee ID\n"));

        let mut out = Vec::new();
        write_bulk_update(&mut out, "Department", []).expect("written");
        assert!(
            String::from_utf8(out)
                .expect("UTF-8")
                .ends_with(",Department\n")
        );

        let mut out = Vec::new();
        let e = write_bulk_update(&mut out, "HF Username", users).expect_err("refused");
        assert!(matches!(e, BulkUpdateError::UnknownColumn(_)));
        assert!(e.to_string().contains("custom attributes"));
        assert!(out.is_empty());
    }

    #[test]
    fn bulk_update_reports_a_failed_write() {
        struct Full;
        impl io::Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = write_bulk_update(Full, DEFAULT_FIX_COLUMN, []).expect_err("failed");
        assert!(matches!(e, BulkUpdateError::Io(_)));
        assert!(e.to_string().contains("disk full"));
    }
}
