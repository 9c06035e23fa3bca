//! Reading CSV records one at a time, with the audit's rules for records that cannot be
//! trusted and its size limits. [`RowReader`] is the reference: the block reader
//! ([`blocks`](super::blocks)) gives the same records, lines and problems, or hands over to it.
//!
//! # Lines
//!
//! A line ends at `\n`, `\r\n` or a bare `\r` (CSV ends a record at each), inside a quoted
//! field too; lines are numbered from 1, the header's first. Blank lines between records are
//! skipped, and counted.
//!
//! # Records that cannot be read
//!
//! A record is **broken** when a quoted field in it is still open at the end of the input (a
//! quote that never closes), when it is longer than [`MAX_RECORD_BYTES`] (its line break not
//! counted; a quote that opens and never closes makes the record run on to the limit), or
//! when its quoted fields hold line breaks and it has not as many fields as the header (a
//! stray quote closed by another, or by the next row's first quote, as in an export that
//! quotes a field of every row).
//! A broken record is reported alone, as its **first line** only (its fields split at every
//! delimiter, quotes and all, for the row's id), with a problem naming the line and column,
//! and reading goes on at the **next line**: the lines after its first line are read again as
//! records, as if the broken record had been one line. So every line of the input is in
//! exactly one record (or is blank), a stray quote costs the one row it is on, and no later
//! row disappears into it. Finding that a record is broken reads at most
//! [`MAX_RECORD_BYTES`] past its start, so memory stays bounded, and a first line longer than
//! that is skipped without being kept (the row has no fields).
//!
//! A record with a field longer than [`MAX_FIELD_BYTES`] ends where it ends; it is reported
//! with a problem naming its line and column, and reading goes on after it.

use std::io::{self, Read};

use super::Invariant;
use crate::limits::{MAX_FIELD_BYTES, MAX_RECORD_BYTES};

/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// One record as read, before its text is looked at.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawRow {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// The lines it spans (1 for a broken record: its first line).
    pub(crate) lines: u64,
    /// Its fields.
    pub(crate) record: csv::ByteRecord,
    /// Why the record cannot be read (broken, or a field over the limit), if it cannot.
    pub(crate) problem: Option<String>,
}

/// Why a record is broken.
enum Broken {
    /// A quoted field opens at this offset of the record and the input ends inside it.
    Unterminated(usize),
    /// The record is longer than [`MAX_RECORD_BYTES`]; a quoted field opens at the offset
    /// and is still open at the limit, if one is.
    TooLong(Option<usize>),
    /// The record's quoted fields hold line breaks, and it has this many fields where the
    /// header has another number: a quote in it is most likely stray, and closed by another
    /// stray one, or by a later row's first quote. The record spans this many lines.
    Ragged { fields: usize, lines: u64 },
}

/// Reads CSV records one at a time, from decoded input (see the module documentation).
pub(crate) struct RowReader {
    inner: Box<dyn Read + Send>,
    /// Input read and not yet handed out: `buf[pos..]`.
    buf: Vec<u8>,
    pos: usize,
    /// Bytes of input before `buf[0]`.
    base: u64,
    eof: bool,
    /// Boxed: its tables are large, and the reader is moved around.
    core: Box<csv_core::Reader>,
    /// Whether the parser starts afresh at the next record (at the start, and after a broken
    /// record, which it left halfway); else it goes on from the record before.
    restart: bool,
    delimiter: u8,
    /// The line of `buf[pos]`.
    line: u64,
    /// The CSV parser's output: the record's fields end to end, and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The header's fields.
    header: csv::ByteRecord,
    /// Whether the header is broken (its first line was read as the header).
    header_problem: bool,
}

impl RowReader {
    /// A reader over decoded input; reads the header record. `None` when the input is empty.
    ///
    /// # Errors
    /// A failed read, or a header that is not within the size limits (it cannot be told
    /// where it ends, or which column is which), as [`io::ErrorKind::InvalidData`].
    pub(crate) fn new(opened: super::input::Opened) -> io::Result<Option<RowReader>> {
        let mut reader = RowReader::resume(opened.reader, opened.delimiter, 1);
        let mut header = RawRow::default();
        if !reader.next_row(&mut header)? {
            return Ok(None);
        }
        let unreadable = |message: String| Err(io::Error::new(io::ErrorKind::InvalidData, message));
        if header.record.is_empty() {
            return unreadable(format!(
                "line {}: the header line is longer than the limit of {}",
                header.line,
                size(MAX_RECORD_BYTES)
            ));
        }
        if let Some(i) = header.record.iter().position(|f| f.len() > MAX_FIELD_BYTES) {
            return unreadable(format!(
                "line {}: column {} of the header is longer than the limit of {}",
                header.line,
                i + 1,
                size(MAX_FIELD_BYTES)
            ));
        }
        reader.header = header.record;
        reader.header_problem = header.problem.is_some();
        Ok(Some(reader))
    }

    /// A reader of the records in `inner`, which starts where a record starts (after a
    /// whole line break), on line `line`.
    pub(crate) fn resume(inner: Box<dyn Read + Send>, delimiter: u8, line: u64) -> RowReader {
        RowReader {
            inner,
            buf: Vec::with_capacity(CHUNK),
            pos: 0,
            base: 0,
            eof: false,
            core: Box::new(csv_core::ReaderBuilder::new().delimiter(delimiter).build()),
            restart: true,
            delimiter,
            line,
            out: vec![0; 1024],
            ends: vec![0; 64],
            header: csv::ByteRecord::new(),
            header_problem: false,
        }
    }

    /// Reads the records under `header` (for a reader that did not read it): a record whose
    /// quoted fields hold line breaks and whose fields are not as many as the header's is
    /// broken, and a field over the limit is named by its column.
    pub(crate) fn under(mut self, header: csv::ByteRecord) -> RowReader {
        self.header = header;
        self
    }

    /// Whether the header is broken (its first line was read as the header).
    pub(crate) fn header_problem(&self) -> bool {
        self.header_problem
    }

    /// Bytes of decoded input handed out so far (from the last resume on).
    pub(crate) fn bytes(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The line the next record starts on, blank lines aside.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The header's fields.
    pub(crate) fn header(&self) -> &csv::ByteRecord {
        &self.header
    }

    /// Reads more input after what is buffered, dropping what was handed out; `false` at the
    /// end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.base += self.pos as u64;
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let read = loop {
            match self.inner.read(
                self.buf
                    .get_mut(old..)
                    .invariant("an offset within the buffer"),
            ) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                read => break read,
            }
        };
        let n = read.inspect_err(|_| self.buf.truncate(old))?;
        self.buf.truncate(old + n);
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// The byte `offset` bytes after `buf[pos]`, reading more input if need be.
    fn peek(&mut self, offset: usize) -> io::Result<Option<u8>> {
        while self.pos + offset >= self.buf.len() {
            if !self.fill()? {
                return Ok(None);
            }
        }
        Ok(self.buf.get(self.pos + offset).copied())
    }

    /// Reads the next record into `row`; `false` at the end.
    pub(crate) fn next_row(&mut self, row: &mut RawRow) -> io::Result<bool> {
        // Blank lines.
        loop {
            match self.peek(0)? {
                None => return Ok(false),
                Some(b'\n') => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if self.peek(0)? == Some(b'\n') {
                        self.pos += 1;
                    }
                }
                Some(_) => break,
            }
            self.line += 1;
        }
        row.line = self.line;
        row.problem = None;
        row.record.clear();
        if self.restart {
            // A parser that has read nothing takes a byte-order mark for the file's; after a
            // blank line it reads it as text, as it does after the first record.
            self.core.reset();
            let _ = self.core.read_record(b"\n", &mut self.out, &mut self.ends);
            self.restart = false;
        }
        // Bytes of the record read, from `buf[pos]`.
        let mut at = 0;
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            if self.pos + at == self.buf.len() && !self.eof {
                if at > MAX_RECORD_BYTES {
                    return self.too_long(row).map(|()| true);
                }
                self.fill()?;
                continue;
            }
            let input = self
                .buf
                .get(self.pos + at..)
                .invariant("an offset within the buffer");
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                self.out
                    .get_mut(outlen..)
                    .invariant("an offset within the buffer"),
                self.ends
                    .get_mut(endlen..)
                    .invariant("an offset within the buffer"),
            );
            at += nin;
            outlen += nout;
            endlen += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let len = self.out.len() * 2;
                    self.out.resize(len, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let len = self.ends.len() * 2;
                    self.ends.resize(len, 0);
                }
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let raw = self
            .buf
            .get(self.pos..self.pos + at)
            .invariant("an offset within the buffer");
        let content = content_len(raw);
        if content > MAX_RECORD_BYTES {
            return self.too_long(row).map(|()| true);
        }
        if self.pos + at == self.buf.len()
            && self.eof
            && let Some(quote) = unterminated_quote(raw, self.delimiter)
        {
            return self.broken(row, Broken::Unterminated(quote)).map(|()| true);
        }
        let columns = self.header.len();
        if columns > 0 && endlen != columns {
            let breaks = count_breaks(raw.get(..content).invariant("an offset within the buffer"));
            if breaks > 0 {
                let why = Broken::Ragged {
                    fields: endlen,
                    lines: breaks + 1,
                };
                return self.broken(row, why).map(|()| true);
            }
        }
        // A `\r\n` is one line break: the record takes its `\n` too.
        if raw.last() == Some(&b'\r') && self.peek(at)? == Some(b'\n') {
            at += 1;
        }
        let raw = self
            .buf
            .get(self.pos..self.pos + at)
            .invariant("an offset within the buffer");
        let breaks = count_breaks(raw);
        row.lines = breaks + u64::from(content == raw.len());
        let mut start = 0;
        for (i, &end) in self
            .ends
            .get(..endlen)
            .invariant("an offset within the buffer")
            .iter()
            .enumerate()
        {
            let field = self
                .out
                .get(start..end)
                .invariant("an offset within the buffer");
            if field.len() > MAX_FIELD_BYTES && row.problem.is_none() {
                let column = match self.header.get(i) {
                    Some(name) => format!("`{}` ({})", String::from_utf8_lossy(name), i + 1),
                    None => (i + 1).to_string(),
                };
                row.problem = Some(format!(
                    "line {}, column {column}: the field is {} bytes long, over the limit of \
                     {}; the row is not read",
                    row.line,
                    field.len(),
                    size(MAX_FIELD_BYTES)
                ));
            }
            row.record.push_field(field);
            start = end;
        }
        self.pos += at;
        self.line += breaks;
        Ok(true)
    }

    /// Reports the record at `buf[pos]`, longer than [`MAX_RECORD_BYTES`] (and buffered past
    /// that), as broken: with the quote open at the limit, if one is, however the input was
    /// read in pieces.
    fn too_long(&mut self, row: &mut RawRow) -> io::Result<()> {
        let limit = self.pos.saturating_add(MAX_RECORD_BYTES + 1);
        let raw = self
            .buf
            .get(self.pos..limit)
            .invariant("an offset within the buffer");
        let quote = unterminated_quote(raw, self.delimiter);
        self.broken(row, Broken::TooLong(quote))
    }

    /// Reports the record at `buf[pos]` as its first line alone, with `why`, and moves on to
    /// the line after it.
    fn broken(&mut self, row: &mut RawRow, why: Broken) -> io::Result<()> {
        // Where a quote that stays open is: its line and column.
        let quote_at = |raw: &[u8], quote: usize| {
            let before = raw.get(..quote).invariant("an offset within the buffer");
            let line = row.line + count_breaks(before);
            let line_start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |p| p + 1);
            (line, quote - line_start + 1)
        };
        let raw = self
            .buf
            .get(self.pos..)
            .invariant("an offset within the buffer");
        let line = row.line;
        let rest = "this line is reported alone and the lines after it are read as rows";
        row.problem = Some(match why {
            Broken::Unterminated(quote) => match quote_at(raw, quote) {
                (l, column) if l == line => format!(
                    "line {l}, column {column}: a quoted field opens here and never closes; {rest}"
                ),
                (l, column) => format!(
                    "line {line}: the quoted field opening at line {l}, column {column} never \
                     closes; {rest}"
                ),
            },
            Broken::TooLong(None) => format!(
                "line {line}: the row is longer than the limit of {}; {rest}",
                size(MAX_RECORD_BYTES)
            ),
            Broken::Ragged { fields, lines } => format!(
                "line {line}: the row's quoted fields run on to line {} and it has {fields} \
                 field{} where the header has {}, so a quote in it is most likely stray; {rest}",
                line + lines - 1,
                if fields == 1 { "" } else { "s" },
                self.header.len()
            ),
            Broken::TooLong(Some(quote)) => {
                let (l, column) = quote_at(raw, quote);
                format!(
                    "line {line}: the quoted field opening at line {l}, column {column} does not \
                     close within the {} a row may have; {rest}",
                    size(MAX_RECORD_BYTES)
                )
            }
        });
        row.lines = 1;
        row.record.clear();
        self.restart = true;
        // The first line: kept, for the row's id, unless it is over the limit itself.
        let mut scanned = 0;
        let mut kept = true;
        let end = loop {
            let ahead = self
                .buf
                .get(self.pos + scanned..)
                .invariant("an offset within the buffer");
            if let Some(p) = memchr::memchr2(b'\n', b'\r', ahead) {
                break Some(scanned + p);
            }
            scanned += ahead.len();
            if scanned > MAX_RECORD_BYTES {
                // Too long to keep: skip what was read.
                kept = false;
                self.pos = self.buf.len();
                scanned = 0;
            }
            if !self.fill()? {
                break None;
            }
        };
        let end = end.unwrap_or(self.buf.len() - self.pos);
        if kept && end <= MAX_RECORD_BYTES {
            let first = self
                .buf
                .get(self.pos..self.pos + end)
                .invariant("an offset within the buffer");
            for field in first.split(|&b| b == self.delimiter) {
                row.record.push_field(field);
            }
        }
        self.pos += end;
        match self.peek(0)? {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => {
                self.pos += 1;
                if self.peek(0)? == Some(b'\n') {
                    self.pos += 1;
                }
            }
            _ => {}
        }
        self.line += 1;
        Ok(())
    }
}

/// A size limit in words: `1 MiB`, `64 KiB`.
fn size(bytes: usize) -> String {
    match bytes {
        b if b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The bytes of a record read by the CSV parser, `raw`, before the byte that ended it (a
/// line break; none at the end of the input).
pub(crate) fn content_len(raw: &[u8]) -> usize {
    match raw.last() {
        Some(b'\n' | b'\r') => raw.len() - 1,
        _ => raw.len(),
    }
}

/// The line breaks in `bytes`: `\n`, `\r\n` and a bare `\r` count one each (a `\r` at the
/// end counts: spans are cut after whole line breaks).
pub(crate) fn count_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n') {
            n += 1;
        }
    }
    n
}

/// Where a quote that opens a field and never closes is, if one does, in a record's raw bytes.
/// A quote opens a field only at its start, as the CSV parser reads it.
pub(crate) fn unterminated_quote(raw: &[u8], delimiter: u8) -> Option<usize> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted(usize),
        QuoteInQuoted(usize),
    }
    let mut state = State::FieldStart;
    for (i, &b) in raw.iter().enumerate() {
        state = match state {
            State::FieldStart | State::Unquoted if b == delimiter || b == b'\n' || b == b'\r' => {
                State::FieldStart
            }
            State::FieldStart if b == b'"' => State::Quoted(i),
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted(at) if b == b'"' => State::QuoteInQuoted(at),
            State::Quoted(at) => State::Quoted(at),
            State::QuoteInQuoted(at) if b == b'"' => State::Quoted(at),
            State::QuoteInQuoted(_) if b == delimiter || b == b'\n' || b == b'\r' => {
                State::FieldStart
            }
            State::QuoteInQuoted(_) => State::Unquoted,
        };
    }
    match state {
        State::Quoted(at) => Some(at),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use proptest::prelude::*;

    use super::*;

    /// Every record after the header line of `input`.
    fn rows(input: &[u8]) -> Vec<RawRow> {
        let mut reader = RowReader::new(super::super::input::Opened {
            reader: Box::new(Cursor::new(input.to_vec())),
            encoding: super::super::Encoding::Utf8,
            delimiter: b',',
        })
        .expect("read")
        .expect("a header");
        let mut rows = Vec::new();
        let mut row = RawRow::default();
        while reader.next_row(&mut row).expect("in memory") {
            rows.push(row.clone());
        }
        rows
    }

    fn problem(row: &RawRow) -> &str {
        row.problem.as_deref().unwrap_or_default()
    }

    #[test]
    fn a_quote_that_never_closes_costs_its_first_line_only() {
        // The quote opened on line 2 closes on line 3, which opens one that never closes.
        let input = b"id,mailNickname,department\n1,alice,\"R&D\n2,bob,Sales\",\"\n3,carol,Ops\n4,dave,HR\n";
        let got = rows(input);
        let lines: Vec<u64> = got.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        let ids: Vec<&[u8]> = got.iter().map(|r| &r.record[0]).collect();
        assert_eq!(ids, [&b"1"[..], b"2", b"3", b"4"]);
        assert_eq!(
            problem(&got[0]),
            "line 2: the quoted field opening at line 3, column 14 never closes; this line is \
             reported alone and the lines after it are read as rows"
        );
        assert!(problem(&got[1]).starts_with("line 3, column 14: a quoted field opens here"));
        assert!(got[2].problem.is_none() && got[3].problem.is_none());
        // The broken rows' fields are their first line's, split at every delimiter.
        assert_eq!(
            got[0].record.iter().collect::<Vec<_>>(),
            [&b"1"[..], b"alice", b"\"R&D"]
        );
    }

    #[test]
    fn a_stray_quote_closed_by_the_next_rows_quote_costs_its_own_line() {
        // An export that quotes a field of every row: the stray quote pairs with the next
        // row's first quote, and the record has not the header's fields.
        let input = b"id,name,office\n1,ann,\"Paris\"\n2,\"bob\n3,cy,\"Rome\"\n";
        let got = rows(input);
        let lines: Vec<u64> = got.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert_eq!(
            problem(&got[1]),
            "line 3: the row's quoted fields run on to line 4 and it has 2 fields where the \
             header has 3, so a quote in it is most likely stray; this line is reported alone \
             and the lines after it are read as rows"
        );
        assert!(got[0].problem.is_none() && got[2].problem.is_none());
        // A record across lines with the header's fields is a record.
        let got = rows(b"id,note\n1,\"two\nlines\"\n2,x\n");
        assert_eq!((got.len(), got[0].problem.is_none()), (2, true));
    }

    #[test]
    fn a_quote_open_at_the_end_of_the_input_is_a_problem() {
        for input in [
            &b"id,mailNickname\n1,alice\n2,\"bob"[..],
            b"id,mailNickname\n1,alice\n2,\"bob\n",
        ] {
            let got = rows(input);
            assert_eq!(got.len(), 2);
            assert!(got[0].problem.is_none());
            assert!(problem(&got[1]).starts_with("line 3, column 3: a quoted field opens here"));
        }
    }

    #[test]
    fn a_bare_cr_ends_a_line_as_it_ends_a_record() {
        let got = rows(b"a,b\r1,x\r\r2,\"y\rz\"\r\n3,w\n\r4,v");
        let lines: Vec<(u64, u64)> = got.iter().map(|r| (r.line, r.lines)).collect();
        assert_eq!(lines, [(2, 1), (4, 2), (6, 1), (8, 1)]);
        assert_eq!(&got[1].record[1], b"y\rz");
    }

    #[test]
    fn a_record_over_the_limit_is_an_error_and_reading_goes_on() {
        // One line over the limit, unquoted: skipped without being kept.
        let long = "x".repeat(MAX_RECORD_BYTES + 10);
        let input = format!("id,name\n1,{long}\n2,b\n");
        let got = rows(input.as_bytes());
        assert_eq!(got.len(), 2);
        assert!(got[0].record.is_empty());
        assert!(problem(&got[0]).starts_with("line 2: the row is longer than the limit of 1 MiB"));
        assert_eq!((got[1].line, &got[1].record[1]), (3, &b"b"[..]));
        // A quote that runs on past the limit: the first line alone, then the lines after it.
        let lines = "y\n".repeat(MAX_RECORD_BYTES / 2 + 10);
        let input = format!("id,name\n1,\"a\n{lines}\"\n");
        let got = rows(input.as_bytes());
        assert_eq!(got.len(), MAX_RECORD_BYTES / 2 + 12);
        assert!(problem(&got[0]).starts_with(
            "line 2: the quoted field opening at line 2, column 3 does not close within the 1 MiB"
        ));
        assert_eq!(&got[0].record[1], b"\"a");
        assert_eq!((got[1].line, &got[1].record[0]), (3, &b"y"[..]));
    }

    #[test]
    fn a_field_over_the_limit_is_an_error_naming_its_column() {
        let field = "é".repeat(MAX_FIELD_BYTES / 2 + 1);
        let input = format!("id,name\n1,\"{field}\"\n2,b\n");
        let mut reader = RowReader::new(super::super::input::Opened {
            reader: Box::new(Cursor::new(input.into_bytes())),
            encoding: super::super::Encoding::Utf8,
            delimiter: b',',
        })
        .expect("read")
        .expect("a header");
        let mut row = RawRow::default();
        assert!(reader.next_row(&mut row).expect("read"));
        assert_eq!(
            row.problem.as_deref(),
            Some(
                "line 2, column `name` (2): the field is 65538 bytes long, over the limit of 64 KiB; the row is not read"
            )
        );
        assert!(reader.next_row(&mut row).expect("read"));
        assert_eq!((row.line, row.problem.is_none()), (3, true));
    }

    #[test]
    fn a_header_over_the_limit_cannot_be_read() {
        let open = |input: Vec<u8>| {
            RowReader::new(super::super::input::Opened {
                reader: Box::new(Cursor::new(input)),
                encoding: super::super::Encoding::Utf8,
                delimiter: b',',
            })
            .map(|_| ())
            .map_err(|e| e.to_string())
        };
        let long = vec![0; MAX_RECORD_BYTES + 1];
        assert_eq!(
            open(long),
            Err("line 1: the header line is longer than the limit of 1 MiB".to_owned())
        );
        let wide = format!("id,{}\n", "n".repeat(MAX_FIELD_BYTES + 1));
        assert_eq!(
            open(wide.into_bytes()),
            Err("line 1: column 2 of the header is longer than the limit of 64 KiB".to_owned())
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Every line is in exactly one record, or blank.
        #[test]
        fn every_line_is_in_exactly_one_record(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(&b"a"[..]), Just(&b","[..]), Just(&b"\""[..]), Just(&b"\"\""[..]),
                    Just(&b"\n"[..]), Just(&b"\r\n"[..]), Just(&b"\r"[..]), Just(&b",\""[..]),
                    Just(&b"\n\""[..]),
                ],
                0..80,
            ),
        ) {
            let input = parts.concat();
            let mut reader = RowReader::resume(Box::new(Cursor::new(input.clone())), b',', 1);
            let mut row = RawRow::default();
            // The lines of the input, and whether each is blank.
            let mut blank = Vec::new();
            let mut start = 0;
            let mut i = 0;
            while i < input.len() {
                let b = input[i];
                if b == b'\n' || b == b'\r' {
                    blank.push(start == i);
                    i += 1 + usize::from(b == b'\r' && input.get(i + 1) == Some(&b'\n'));
                    start = i;
                } else {
                    i += 1;
                }
            }
            if start < input.len() {
                blank.push(false);
            }
            let mut covered = vec![0; blank.len()];
            while reader.next_row(&mut row).expect("in memory") {
                prop_assert!(row.lines >= 1);
                for line in row.line..row.line + row.lines {
                    let slot = covered.get_mut(line as usize - 1);
                    prop_assert!(slot.is_some(), "line {} of {}", line, blank.len());
                    if let Some(n) = slot {
                        *n += 1;
                    }
                }
            }
            for (line, (&n, &blank)) in covered.iter().zip(&blank).enumerate() {
                prop_assert!(n == 1 || (n == 0 && blank), "line {}: {} records", line + 1, n);
            }
        }
    }
}
