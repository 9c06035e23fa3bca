//! Files of the org's existing members: a list of names, one a line; a CSV with a column of
//! usernames and, when present, `externalId` and `active` columns; or SCIM-like JSON (see
//! [`read_members`]). Read as a stream, within the documented [limits](crate::limits).

mod csv;
#[cfg(feature = "members-json")]
mod json;

use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::limits::{MAX_LINE_BYTES, MAX_RECORD_BYTES};
use crate::snapshot::{Member, Members, MembersSource};

/// A problem in a file of existing names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The 1-based line of the problem.
    pub line: usize,
    /// The 1-based column (in bytes) of the problem, where known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    missing_column: bool,
}

impl LoadError {
    fn new(line: usize, message: impl Into<String>) -> LoadError {
        LoadError {
            line,
            column: None,
            message: message.into(),
            missing_column: false,
        }
    }

    /// Whether the problem is a CSV whose header lacks the column of usernames (`userName`, or
    /// the one asked for): the caller may say how to name another.
    ///
    /// ```
    /// let e = usernorm::parse_existing(b"id,user_name\n1,jdoe\n", None).unwrap_err();
    /// assert!(e.is_missing_column());
    /// assert_eq!(e.to_string(), "line 1: no `userName` column; the columns are: id, user_name");
    /// ```
    pub fn is_missing_column(&self) -> bool {
        self.missing_column
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// How [`read_members`] and [`read_existing`] read a members file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExistingOptions<'a> {
    /// The CSV column that holds the usernames, matched case-insensitively; `userName` when
    /// `None`. Naming one makes the file a CSV.
    pub column: Option<&'a str>,
    /// Read the file as a CSV whatever its first line is (for a file named `*.csv`).
    pub csv: bool,
}

/// Reads a list of existing usernames, one per line (`\n` or `\r\n`). Surrounding whitespace is
/// trimmed; blank lines and lines starting with `#` are skipped.
///
/// ```
/// let names = usernorm::parse_name_list(b"# members\njdoe\r\n\n asmith \n")?;
/// assert_eq!(names, ["jdoe", "asmith"]);
/// # Ok::<(), usernorm::LoadError>(())
/// ```
///
/// # Errors
/// A line that is not UTF-8, with its line and column, or longer than
/// [`MAX_LINE_BYTES`](crate::limits::MAX_LINE_BYTES).
pub fn parse_name_list(bytes: &[u8]) -> Result<Vec<String>, LoadError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    Ok(names(read_list(bytes)?))
}

fn names(members: Vec<Member>) -> Vec<String> {
    members.into_iter().map(|m| m.user_name).collect()
}

/// Reads existing usernames from a file that is either a list, one name per line (see
/// [`parse_name_list`]), or a CSV export with a header: see [`read_existing`], of which this
/// is the in-memory form, the format told from the first line.
///
/// ```
/// let csv = b"id,UserName,email\n1,jdoe,j@x.org\n2,\"asmith\",a@x.org\n";
/// assert_eq!(usernorm::parse_existing(csv, None)?, ["jdoe", "asmith"]);
/// assert_eq!(usernorm::parse_existing(csv, Some("email"))?, ["j@x.org", "a@x.org"]);
/// assert_eq!(usernorm::parse_existing(b"jdoe\nasmith\n", None)?, ["jdoe", "asmith"]);
/// // A CSV without the column is an error, never a list of its lines.
/// assert!(usernorm::parse_existing(b"id,user_name\n1,jdoe\n", None).is_err());
/// # Ok::<(), usernorm::LoadError>(())
/// ```
///
/// # Errors
/// As [`read_existing`].
pub fn parse_existing(bytes: &[u8], column: Option<&str>) -> Result<Vec<String>, LoadError> {
    read_existing(bytes, ExistingOptions { column, csv: false })
}

/// Reads existing usernames from `reader`, streaming: the userNames of [`read_members`], in
/// order (see there for the formats).
///
/// ```
/// use usernorm::ExistingOptions;
///
/// let options = ExistingOptions { column: None, csv: true };
/// assert_eq!(usernorm::read_existing(&b"userName\njdoe\n"[..], options)?, ["jdoe"]);
/// assert!(usernorm::read_existing(&b"login\njdoe\n"[..], options).is_err());
/// # Ok::<(), usernorm::LoadError>(())
/// ```
///
/// # Errors
/// As [`read_members`].
pub fn read_existing(
    reader: impl Read,
    options: ExistingOptions<'_>,
) -> Result<Vec<String>, LoadError> {
    Ok(names(read_members(reader, options)?.members))
}

/// Reads the org's members from `reader`, streaming, with their identities where the file has
/// them. UTF-8, with or without a byte-order mark. Three formats:
///
/// - **A list**, one name per line (see [`parse_name_list`]): names only, no identities.
/// - **A CSV** with a header: the usernames in `options.column`, or in a `userName` column
///   when none is named; when present, `externalId`, `active` and `id` columns (header names
///   in any case). `active` is `true`, `false`, `True`, `False`, `1` or `0` (any case), or
///   empty for unknown; anything else is an error naming the line and the column. Rows with
///   an empty username are skipped; an empty externalId is none. The members have identities
///   when the header has an `externalId` column.
/// - **JSON**: one SCIM-like user object per line (JSON lines) with `userName` and, when
///   present, `externalId`, `active` (a boolean, or a string as in a CSV) and the SCIM `id`
///   (attribute names in any case, as RFC 7643 has them; other attributes ignored); or a JSON
///   array of such objects; or a SCIM `ListResponse` (`{"Resources": [...]}`), several of them
///   one after the other included (a saved listing, page by page). A member without
///   `externalId` is one no identity provider can match (someone who joined by SSO before
///   SCIM). JSON always has identities.
///
/// The file is JSON when its first line starts with `{` or `[` (no username does). It is a CSV
/// when `options.csv` is set, when a column is named, or when its first line holds a `,`, `;`
/// or tab (which no username has) or is the single header `userName`; a first line starting
/// with `#` is a list's comment. A CSV's delimiter is the one its header uses most (`,`, `;`
/// or tab).
///
/// ```
/// use usernorm::{ExistingOptions, MembersSource};
///
/// let csv = "userName,externalId,active\njdoe,e2a214e8-bbe9-4675-9d52-490575ffc53d,True\nasmith,,\n";
/// let members = usernorm::read_members(csv.as_bytes(), ExistingOptions::default())?;
/// assert!(members.identities);
/// assert_eq!(members.members[0].active, Some(true));
/// assert_eq!(members.members[1].external_id, None);
///
/// let json = r#"{"userName": "jdoe", "externalId": "e2a214e8", "active": false, "id": "42"}
/// {"userName": "asmith"}
/// "#;
/// let members = usernorm::read_members(json.as_bytes(), ExistingOptions::default())?;
/// assert_eq!(members.source, MembersSource::Json);
/// assert_eq!(members.members[0].id.as_deref(), Some("42"));
/// assert_eq!(members.members[1].line, Some(2));
///
/// let list = usernorm::read_members(&b"jdoe\nasmith\n"[..], ExistingOptions::default())?;
/// assert!(!list.identities);
///
/// let e = usernorm::read_members(&b"userName,active\njdoe,yes\n"[..], ExistingOptions::default())
///     .unwrap_err();
/// assert_eq!(e.to_string(), "line 2: column 2 (`active`): `yes` is not true, false, 1 or 0");
/// # Ok::<(), usernorm::LoadError>(())
/// ```
///
/// # Errors
/// A CSV without the column (the message lists the columns it has; see
/// [`LoadError::is_missing_column`]) or with two columns of one name; text that is not UTF-8;
/// a malformed CSV record or JSON value (with its line and column); an `active` that is not
/// a boolean; a JSON user without a `userName`; a line longer than [`MAX_LINE_BYTES`], a
/// record (a CSV row, a JSON user) longer than [`MAX_RECORD_BYTES`] or a field longer than
/// [`MAX_FIELD_BYTES`](crate::limits::MAX_FIELD_BYTES) (memory stays bounded: the reading stops there); a read that fails.
/// Each names its line.
pub fn read_members(reader: impl Read, options: ExistingOptions<'_>) -> Result<Members, LoadError> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut first = Vec::new();
    (&mut reader)
        .take(MAX_RECORD_BYTES as u64 + 2)
        .read_until(b'\n', &mut first)
        .map_err(|e| read_error(1, &e))?;
    let head = first.strip_prefix(BOM).unwrap_or(&first);
    let json = !options.csv
        && options.column.is_none()
        && matches!(head.trim_ascii_start().first(), Some(b'{' | b'['));
    let csv = options.csv || options.column.is_some() || looks_like_csv(head);
    let delimiter = crate::audit::sniff_delimiter(head);
    let rest = Cursor::new(head).chain(reader);
    if json {
        #[cfg(feature = "members-json")]
        return Ok(Members {
            members: json::read(rest)?,
            source: MembersSource::Json,
            identities: true,
        });
        #[cfg(not(feature = "members-json"))]
        return Err(LoadError::new(
            1,
            "a JSON members file, which this build does not read (it lacks the \
             `members-json` feature): give a list of names or a CSV",
        ));
    }
    if csv {
        let (members, identities) = csv::read_csv(rest, delimiter, options.column)?;
        Ok(Members {
            members,
            source: MembersSource::Csv,
            identities,
        })
    } else {
        Ok(Members {
            members: read_list(rest)?,
            source: MembersSource::List,
            identities: false,
        })
    }
}

/// The in-memory form of [`read_members`], the format told from the first line.
///
/// ```
/// let members = usernorm::parse_members(br#"[{"userName": "jdoe", "externalId": "x1"}]"#, None)?;
/// assert_eq!(members.members[0].external_id.as_deref(), Some("x1"));
/// # Ok::<(), usernorm::LoadError>(())
/// ```
///
/// # Errors
/// As [`read_members`].
pub fn parse_members(bytes: &[u8], column: Option<&str>) -> Result<Members, LoadError> {
    read_members(bytes, ExistingOptions { column, csv: false })
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a members file whose first line is `first` is a CSV rather than a list.
fn looks_like_csv(first: &[u8]) -> bool {
    let first = first.trim_ascii();
    if first.starts_with(b"#") {
        return false;
    }
    let single = first
        .strip_prefix(b"\"")
        .and_then(|f| f.strip_suffix(b"\""))
        .unwrap_or(first);
    first.iter().any(|b| matches!(b, b',' | b';' | b'\t'))
        || single.eq_ignore_ascii_case(b"userName")
}

fn read_error(line: usize, e: &io::Error) -> LoadError {
    LoadError::new(line, format!("cannot read: {e}"))
}

fn too_long(line: usize, limit: usize, what: &str) -> LoadError {
    LoadError::new(
        line,
        format!("longer than {limit} bytes, the limit for a {what}"),
    )
}

/// A list, one name per line, read a line at a time.
fn read_list(reader: impl Read) -> Result<Vec<Member>, LoadError> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut names = Vec::new();
    let mut bytes = Vec::new();
    for line in 1.. {
        bytes.clear();
        // Room for the limit and a `\r\n`: a longer line is over it, and no more is read.
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 2)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| read_error(line, &e))?;
        if read == 0 {
            break;
        }
        let text = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.len() > MAX_LINE_BYTES {
            return Err(too_long(line, MAX_LINE_BYTES, "line"));
        }
        let text = std::str::from_utf8(text).map_err(|e| LoadError {
            column: Some(e.valid_up_to() + 1),
            ..LoadError::new(line, "invalid UTF-8")
        })?;
        let name = text.trim();
        if !name.is_empty() && !name.starts_with('#') {
            names.push(Member {
                line: Some(line),
                ..Member::new(name)
            });
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_FIELD_BYTES;

    const CSV: ExistingOptions<'static> = ExistingOptions {
        column: None,
        csv: true,
    };

    fn detect(bytes: &[u8]) -> Result<Vec<String>, LoadError> {
        parse_existing(bytes, None)
    }

    #[test]
    fn name_list_reports_bad_utf8_with_position() {
        let e = parse_name_list(b"ok\nab\xffc\n").expect_err("bad");
        assert_eq!((e.line, e.column), (2, Some(3)));
    }

    #[test]
    fn a_csv_without_the_column_is_an_error_listing_the_columns() {
        let e = detect(b"id,user_name\n1,jdoe\n").expect_err("no userName column");
        assert!(e.is_missing_column());
        assert_eq!(e.line, 1);
        assert!(e.message.contains("id, user_name"), "{e}");
        for csv in [
            &b"id;login\n1;jdoe\n"[..],
            b"\xEF\xBB\xBFid\tlogin\n",
            b"a,b\r\n",
        ] {
            assert!(detect(csv).expect_err("a CSV").is_missing_column());
        }
        // Told it is a CSV, a one-column file needs its header to be the column.
        assert!(
            read_existing(&b"login\njdoe\n"[..], CSV)
                .expect_err("no userName")
                .is_missing_column()
        );
        let e = detect(b"userName,id,username\n").expect_err("two columns");
        assert!(e.message.contains("columns 1 and 3"), "{e}");
    }

    #[test]
    fn lists_stay_lists() {
        assert_eq!(
            detect(b"# org, 2024\njdoe\n").ok(),
            Some(vec!["jdoe".to_owned()])
        );
        assert_eq!(
            detect(b"jdoe \t\nasmith").ok(),
            Some(vec!["jdoe".to_owned(), "asmith".to_owned()])
        );
        assert_eq!(
            detect(b"\"userName\"\r\njdoe\r\n").ok(),
            Some(vec!["jdoe".to_owned()])
        );
        assert_eq!(detect(b"").ok(), Some(Vec::new()));
        assert_eq!(read_existing(&b""[..], CSV).ok(), Some(Vec::new()));
    }

    #[test]
    fn csv_records_keep_their_lines() {
        let csv = b"id,userName\r\n\r\n1,\"j\ndoe\"\r2,\xff\n";
        let e = detect(csv).expect_err("bad UTF-8 on line 5");
        assert_eq!((e.line, e.column), (5, Some(1)), "{e}");
        let csv = b"id,userName\n1,\"jdoe\"\n\n2,asmith\n3,\n";
        assert_eq!(
            detect(csv).ok(),
            Some(vec!["jdoe".to_owned(), "asmith".to_owned()])
        );
    }

    #[test]
    fn a_line_just_over_the_limit_is_an_error() {
        let mut list = b"jdoe\n".to_vec();
        list.extend(vec![b'a'; MAX_LINE_BYTES]);
        list.extend(b"\r\n");
        assert_eq!(
            detect(&list).map(|n| n.len()),
            Ok(2),
            "the limit itself is fine"
        );
        list.extend(vec![b'b'; MAX_LINE_BYTES + 1]);
        let e = detect(&list).expect_err("line 3 is too long");
        assert_eq!(
            e.to_string(),
            format!("line 3: longer than {MAX_LINE_BYTES} bytes, the limit for a line")
        );
    }

    #[test]
    fn a_record_or_field_just_over_the_limit_is_an_error() {
        let mut csv = b"userName,notes\njdoe,".to_vec();
        csv.extend(vec![b'x'; MAX_FIELD_BYTES]);
        csv.extend(b"\n");
        assert_eq!(detect(&csv).map(|n| n.len()), Ok(1));
        csv.extend(b"asmith,\"");
        csv.extend(vec![b'y'; MAX_FIELD_BYTES + 1]);
        csv.extend(b"\"\n");
        let e = detect(&csv).expect_err("field too long");
        assert_eq!(e.line, 3);
        assert!(e.message.starts_with("field 2: longer than"), "{e}");

        let mut csv = b"userName,notes\njdoe,\"".to_vec();
        csv.extend(b"x\n".repeat(MAX_RECORD_BYTES / 2 + 1));
        csv.extend(b"\"\n");
        let e = detect(&csv).expect_err("record too long");
        assert_eq!(
            e.to_string(),
            format!("line 2: longer than {MAX_RECORD_BYTES} bytes, the limit for a record")
        );
    }

    #[test]
    fn csv_identities_come_from_their_columns_in_any_case() {
        let csv = b"ID;USERNAME;ExternalId;Active\n1;jdoe;e2a214e8;TRUE\n2;asmith;;0\n3;bob;x; \n";
        let m = parse_members(csv, None).expect("members");
        assert_eq!((m.source, m.identities), (MembersSource::Csv, true));
        let got: Vec<_> = m
            .members
            .iter()
            .map(|m| (m.external_id.as_deref(), m.active, m.id.as_deref(), m.line))
            .collect();
        assert_eq!(
            got,
            [
                (Some("e2a214e8"), Some(true), Some("1"), Some(2)),
                (None, Some(false), Some("2"), Some(3)),
                (Some("x"), None, Some("3"), Some(4)),
            ]
        );
        // Without an externalId column there are no identities, `active` or not.
        let m = parse_members(b"userName,active\njdoe,False\n", None).expect("members");
        assert!(!m.identities);
        assert_eq!(m.members[0].active, Some(false));
        // The named column of usernames is never also the `id`.
        let m = parse_members(b"id,mail\n7,j@x.org\n", Some("id")).expect("members");
        assert_eq!(
            (m.members[0].user_name.as_str(), m.members[0].id.as_deref()),
            ("7", None)
        );
    }

    #[test]
    fn bad_identity_columns_are_errors_naming_line_and_column() {
        let e = detect(b"userName,x,active\njdoe,,true\nbob,,yes\n").expect_err("yes");
        assert_eq!(
            e.to_string(),
            "line 3: column 3 (`active`): `yes` is not true, false, 1 or 0"
        );
        // What cannot be seen is escaped, a combining mark anywhere included.
        let e = detect("userName,active\njdoe,\"ye\u{301}s\u{200b}\tx\"\n".as_bytes())
            .expect_err("a mark");
        assert_eq!(
            e.to_string(),
            "line 2: column 2 (`active`): `ye\\u{301}s\\u{200b}\\tx` is not true, false, 1 or 0"
        );
        let e = detect(b"userName,externalId,externalid\n").expect_err("two columns");
        assert!(
            e.message.contains("columns 2 and 3 are both `externalId`"),
            "{e}"
        );
    }

    #[test]
    fn lists_have_no_identities_and_json_always_has() {
        let m = parse_members(b"# org\njdoe\n", None).expect("list");
        assert_eq!((m.source, m.identities), (MembersSource::List, false));
        assert_eq!(m.members[0].line, Some(2));
        // Told it is a CSV, a file is one whatever its first character.
        assert!(read_members(&b"{userName}\njdoe\n"[..], CSV).is_err());
        let json = parse_members(b"\xEF\xBB\xBF  [{\"userName\": \"jdoe\"}]", None);
        #[cfg(feature = "members-json")]
        {
            let m = json.expect("json");
            assert_eq!((m.source, m.identities), (MembersSource::Json, true));
            assert_eq!(
                parse_existing(b"{\"userName\":\"jdoe\"}", None).ok(),
                Some(vec!["jdoe".to_owned()])
            );
        }
        // Without the feature, JSON is refused, never read as a list of names.
        #[cfg(not(feature = "members-json"))]
        assert!(json.expect_err("no JSON").message.contains("members-json"));
    }

    #[test]
    fn an_endless_input_stops_at_the_limit() {
        let zeros = || io::repeat(0).take(1 << 40);
        let e = read_existing(zeros(), ExistingOptions::default()).expect_err("too long");
        assert_eq!(e.line, 1);
        let e = read_existing(zeros(), CSV).expect_err("too long");
        assert!(e.message.contains("record"), "{e}");
        let lines = io::repeat(b'\n').take(1 << 20).chain(zeros());
        assert!(read_existing(lines, CSV).is_err());
    }
}
