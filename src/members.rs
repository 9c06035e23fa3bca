//! Files of the org's existing members: a list of names, one a line, or a CSV with a column of
//! usernames. Read as a stream, within the documented [limits](crate::limits).

use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use crate::limits::{MAX_FIELD_BYTES, MAX_LINE_BYTES, MAX_RECORD_BYTES};

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

/// How [`read_existing`] reads a members file.
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
    read_list(bytes)
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

/// Reads existing usernames from `reader`, streaming: a list, one name per line (see
/// [`parse_name_list`]), or a CSV with a header whose usernames are in `options.column`, or in
/// a `userName` column (any case) when none is named. UTF-8, with or without a byte-order mark.
///
/// The file is a CSV when `options.csv` is set, when a column is named, or when its first line
/// holds a `,`, `;` or tab (which no username has) or is the single header `userName`; a first
/// line starting with `#` is a list's comment. A CSV's delimiter is the one its header uses
/// most (`,`, `;` or tab).
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
/// A CSV without the column (the message lists the columns it has; see
/// [`LoadError::is_missing_column`]) or with two columns of that name; text that is not UTF-8;
/// a malformed CSV record; a line longer than [`MAX_LINE_BYTES`], a record longer than
/// [`MAX_RECORD_BYTES`] or a field longer than [`MAX_FIELD_BYTES`] (memory stays bounded: the
/// reading stops there); a read that fails. Each names its line.
pub fn read_existing(
    reader: impl Read,
    options: ExistingOptions<'_>,
) -> Result<Vec<String>, LoadError> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut first = Vec::new();
    (&mut reader)
        .take(MAX_RECORD_BYTES as u64 + 2)
        .read_until(b'\n', &mut first)
        .map_err(|e| read_error(1, &e))?;
    let head = first.strip_prefix(BOM).unwrap_or(&first);
    let csv = options.csv || options.column.is_some() || looks_like_csv(head);
    let delimiter = crate::audit::sniff_delimiter(head);
    let rest = Cursor::new(head).chain(reader);
    if csv {
        read_csv(rest, delimiter, options.column)
    } else {
        read_list(rest)
    }
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
fn read_list(reader: impl Read) -> Result<Vec<String>, LoadError> {
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
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

/// Counts lines as a CSV parser ends them: `\r\n`, `\n` or a lone `\r`.
#[derive(Debug)]
struct Lines {
    line: usize,
    after_cr: bool,
}

impl Lines {
    fn advance(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.line += 1,
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
    }
}

/// The fields of one CSV record, as the parser left them.
struct Fields<'a> {
    out: &'a [u8],
    ends: &'a [usize],
}

impl<'a> Fields<'a> {
    fn get(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.out.get(start..end)
    }

    fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }
}

/// The columns a missing-column message lists at most.
const LISTED_COLUMNS: usize = 20;

/// The index of the column of usernames in the header, or why there is none.
fn find_column(header: &Fields<'_>, column: Option<&str>, line: usize) -> Result<usize, LoadError> {
    let wanted = column.unwrap_or("userName");
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_owned())
        .collect();
    let mut found = (0..names.len()).filter(|&i| names[i].eq_ignore_ascii_case(wanted));
    match (found.next(), found.next()) {
        (Some(index), None) => Ok(index),
        (Some(a), Some(b)) => Err(LoadError::new(
            line,
            format!(
                "columns {} and {} are both `{wanted}`; keep one, or name another with its column",
                a + 1,
                b + 1
            ),
        )),
        (None, _) => {
            let mut listed = names
                .iter()
                .take(LISTED_COLUMNS)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            if names.len() > LISTED_COLUMNS {
                listed.push_str(&format!(" and {} more", names.len() - LISTED_COLUMNS));
            }
            let what = match column {
                Some(c) => format!("no column `{c}`"),
                None => "no `userName` column".to_owned(),
            };
            Err(LoadError {
                missing_column: true,
                ..LoadError::new(line, format!("{what}; the columns are: {listed}"))
            })
        }
    }
}

/// A CSV with a header, parsed record by record into buffers that never grow past what the
/// limits allow.
fn read_csv(
    reader: impl Read,
    delimiter: u8,
    column: Option<&str>,
) -> Result<Vec<String>, LoadError> {
    let mut reader = BufReader::with_capacity(64 * 1024, reader);
    let mut parser = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let (mut out, mut ends) = (vec![0u8; 4096], vec![0usize; 64]);
    let (mut out_len, mut ends_len) = (0, 0);
    let mut lines = Lines {
        line: 1,
        after_cr: false,
    };
    // The current record's first line, once a byte of it is read, and its bytes so far.
    let mut started: Option<usize> = None;
    let mut record_bytes = 0;
    let mut index = None;
    let mut names = Vec::new();
    loop {
        let input = reader.fill_buf().map_err(|e| read_error(lines.line, &e))?;
        let (result, read, written, ended) =
            parser.read_record(input, &mut out[out_len..], &mut ends[ends_len..]);
        let mut consumed = &input[..read];
        if started.is_none() {
            // Blank lines before a record belong to no record.
            let blank = consumed
                .iter()
                .position(|b| !matches!(b, b'\r' | b'\n'))
                .unwrap_or(consumed.len());
            lines.advance(&consumed[..blank]);
            consumed = &consumed[blank..];
            if !consumed.is_empty() {
                started = Some(lines.line);
            }
        }
        let line = started.unwrap_or(lines.line);
        lines.advance(consumed);
        record_bytes += consumed.len();
        reader.consume(read);
        out_len += written;
        ends_len += ended;
        if record_bytes > MAX_RECORD_BYTES + 2 {
            return Err(too_long(line, MAX_RECORD_BYTES, "record"));
        }
        match result {
            csv_core::ReadRecordResult::InputEmpty => {}
            // Bounded: a record's output and fields are never more than its input bytes.
            csv_core::ReadRecordResult::OutputFull => out.resize(2 * out.len(), 0),
            csv_core::ReadRecordResult::OutputEndsFull => ends.resize(2 * ends.len(), 0),
            csv_core::ReadRecordResult::Record => {
                let fields = Fields {
                    out: &out[..out_len],
                    ends: &ends[..ends_len],
                };
                if let Some(at) = fields.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
                    return Err(too_long(line, MAX_FIELD_BYTES, "field").at_field(at));
                }
                match index {
                    None => index = Some(find_column(&fields, column, line)?),
                    Some(index) => {
                        let field = fields.get(index).unwrap_or_default();
                        let name = std::str::from_utf8(field).map_err(|e| LoadError {
                            column: Some(e.valid_up_to() + 1),
                            ..LoadError::new(line, format!("invalid UTF-8 in field {}", index + 1))
                        })?;
                        let name = name.trim();
                        if !name.is_empty() {
                            names.push(name.to_owned());
                        }
                    }
                }
                (out_len, ends_len, record_bytes, started) = (0, 0, 0, None);
            }
            csv_core::ReadRecordResult::End => return Ok(names),
        }
    }
}

impl LoadError {
    /// The message, saying which field (0-based `at`) it is about.
    fn at_field(mut self, at: usize) -> LoadError {
        self.message = format!("field {}: {}", at + 1, self.message);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
