//! Members files as CSV: a header, then records parsed one at a time into buffers that never
//! grow past what the [limits](crate::limits) allow.

use std::io::{BufRead, BufReader, Read};

use super::{LoadError, read_error, too_long};
use crate::limits::{MAX_FIELD_BYTES, MAX_RECORD_BYTES};
use crate::snapshot::Member;

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

/// Where a members CSV holds what it holds.
#[derive(Debug, Clone, Copy)]
struct Columns {
    user_name: usize,
    external_id: Option<usize>,
    active: Option<usize>,
    id: Option<usize>,
}

/// The columns of the header, or why they cannot be told.
fn find_columns(
    header: &Fields<'_>,
    column: Option<&str>,
    line: usize,
) -> Result<Columns, LoadError> {
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_owned())
        .collect();
    let wanted = column.unwrap_or("userName");
    let Some(user_name) = find_column(&names, wanted, line)? else {
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
        return Err(LoadError {
            missing_column: true,
            ..LoadError::new(line, format!("{what}; the columns are: {listed}"))
        });
    };
    let optional = |name: &str| -> Result<Option<usize>, LoadError> {
        Ok(find_column(&names, name, line)?.filter(|&i| i != user_name))
    };
    Ok(Columns {
        user_name,
        external_id: optional("externalId")?,
        active: optional("active")?,
        id: optional("id")?,
    })
}

/// The index of the one column of that name (any case), `None` when there is none.
fn find_column(names: &[String], wanted: &str, line: usize) -> Result<Option<usize>, LoadError> {
    let mut found = (0..names.len()).filter(|&i| names[i].eq_ignore_ascii_case(wanted));
    match (found.next(), found.next()) {
        (Some(a), Some(b)) => Err(LoadError::new(
            line,
            format!(
                "columns {} and {} are both `{wanted}`; keep one, or name another with its column",
                a + 1,
                b + 1
            ),
        )),
        (found, _) => Ok(found),
    }
}

/// Reads a boolean as members files write it: `true`, `false`, `1` or `0`, in any case.
/// `None` for anything else.
pub(super) fn parse_bool(text: &str) -> Option<bool> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

/// What a boolean that is not one is told.
pub(super) fn not_a_bool(text: &str) -> String {
    // Each character escaped as `char::escape_debug` does (a combining mark too, which
    // `str::escape_debug` leaves alone but at the start): the browser build then carries one
    // escaper, not also the string's (1 KB gzipped).
    let shown: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    format!("`{shown}` is not true, false, 1 or 0")
}

/// One field of a record as text, trimmed; an error naming the field when it is not UTF-8.
fn text_field<'a>(fields: &Fields<'a>, index: usize, line: usize) -> Result<&'a str, LoadError> {
    let field = fields.get(index).unwrap_or_default();
    let text = std::str::from_utf8(field).map_err(|e| LoadError {
        column: Some(e.valid_up_to() + 1),
        ..LoadError::new(line, format!("invalid UTF-8 in field {}", index + 1))
    })?;
    Ok(text.trim())
}

/// The member of one record, `None` when its username is empty.
fn member(fields: &Fields<'_>, columns: Columns, line: usize) -> Result<Option<Member>, LoadError> {
    let name = text_field(fields, columns.user_name, line)?;
    if name.is_empty() {
        return Ok(None);
    }
    let optional = |index: Option<usize>| -> Result<Option<&str>, LoadError> {
        match index {
            Some(index) => Ok(Some(text_field(fields, index, line)?).filter(|t| !t.is_empty())),
            None => Ok(None),
        }
    };
    let active = match (optional(columns.active)?, columns.active) {
        (Some(text), Some(index)) => Some(parse_bool(text).ok_or_else(|| {
            LoadError::new(
                line,
                format!("column {} (`active`): {}", index + 1, not_a_bool(text)),
            )
        })?),
        _ => None,
    };
    Ok(Some(Member {
        user_name: name.to_owned(),
        external_id: optional(columns.external_id)?.map(str::to_owned),
        active,
        id: optional(columns.id)?.map(str::to_owned),
        line: Some(line),
    }))
}

/// A CSV with a header, parsed record by record into buffers that never grow past what the
/// limits allow.
pub(super) fn read_csv(
    reader: impl Read,
    delimiter: u8,
    column: Option<&str>,
) -> Result<(Vec<Member>, bool), LoadError> {
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
    let mut columns: Option<Columns> = None;
    let mut members = Vec::new();
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
                match columns {
                    None => columns = Some(find_columns(&fields, column, line)?),
                    Some(columns) => members.extend(member(&fields, columns, line)?),
                }
                (out_len, ends_len, record_bytes, started) = (0, 0, 0, None);
            }
            csv_core::ReadRecordResult::End => {
                let identities = columns.is_some_and(|c| c.external_id.is_some());
                return Ok((members, identities));
            }
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
