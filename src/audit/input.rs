//! Reading a directory export: encoding from the byte-order mark, the delimiter from the header
//! line, and a CSV record reader that never stops and never drops a row.

use std::io::{self, Cursor, Read};

use serde::Serialize;

/// How many bytes are looked at to find the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// The tee keeps read bytes from the current record on; it drops the rest past this size.
const TEE_SLACK: usize = 1 << 20;

/// The text encoding of an export, found from its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
}

impl Encoding {
    /// The encoding's usual name.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// A reader of decoded UTF-8 bytes, with what was found out about the input.
pub(crate) struct Opened {
    pub(crate) reader: Box<dyn Read + Send>,
    pub(crate) encoding: Encoding,
    pub(crate) delimiter: u8,
}

/// Looks at the start of the input for a byte-order mark and the delimiter of the header line.
pub(crate) fn open<R: Read + Send + 'static>(mut input: R) -> io::Result<Opened> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut input)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    let (encoding, bom) = if head.starts_with(b"\xEF\xBB\xBF") {
        (Encoding::Utf8Bom, 3)
    } else if head.starts_with(b"\xFF\xFE") {
        (Encoding::Utf16Le, 2)
    } else if head.starts_with(b"\xFE\xFF") {
        (Encoding::Utf16Be, 2)
    } else {
        (Encoding::Utf8, 0)
    };
    let body = head.get(bom..).unwrap_or_default().to_vec();
    let sniff_text: Vec<u8> = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let mut decoder = Utf16Reader::new(Cursor::new(body.clone()), encoding);
            let mut text = Vec::new();
            decoder.read_to_end(&mut text)?;
            text
        }
        _ => body.clone(),
    };
    let delimiter = sniff_delimiter(&sniff_text);
    let chained = Cursor::new(body).chain(input);
    let reader: Box<dyn Read + Send> = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => Box::new(Utf16Reader::new(chained, encoding)),
        _ => Box::new(chained),
    };
    Ok(Opened {
        reader,
        encoding,
        delimiter,
    })
}

/// The delimiter among `,`, `;` and tab that occurs most often, outside quotes, on the first
/// line; `,` when none does.
///
/// ```
/// assert_eq!(usernorm::audit::sniff_delimiter(b"id;name\n1;a"), b';');
/// ```
pub fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in text {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (b',', 0);
    for (d, n) in [b',', b';', b'\t'].into_iter().zip(counts) {
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// Decodes UTF-16 (after its byte-order mark) into UTF-8, streaming. Unpaired surrogates
/// become U+FFFD.
struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    raw: Vec<u8>,
    carry: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, encoding: Encoding) -> Self {
        Utf16Reader {
            inner,
            big_endian: encoding == Encoding::Utf16Be,
            raw: vec![0; 32 * 1024],
            carry: Vec::with_capacity(4),
            out: Vec::with_capacity(64 * 1024),
            pos: 0,
            eof: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                self.eof = true;
                if !self.carry.is_empty() {
                    self.carry.clear();
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                return Ok(());
            }
            let mut bytes = std::mem::take(&mut self.carry);
            bytes.extend_from_slice(self.raw.get(..n).unwrap_or_default());
            let whole = bytes.len() / 2 * 2;
            let mut units: Vec<u16> = bytes
                .get(..whole)
                .unwrap_or_default()
                .chunks_exact(2)
                .map(|p| {
                    if self.big_endian {
                        u16::from_be_bytes([p[0], p[1]])
                    } else {
                        u16::from_le_bytes([p[0], p[1]])
                    }
                })
                .collect();
            let mut carry: Vec<u8> = Vec::new();
            // A high surrogate at the end waits for its pair in the next read.
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                units.pop();
                carry.extend_from_slice(bytes.get(whole - 2..whole).unwrap_or_default());
            }
            carry.extend_from_slice(bytes.get(whole..).unwrap_or_default());
            self.carry = carry;
            let mut buf = [0u8; 4];
            for c in char::decode_utf16(units) {
                let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
                self.out
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        let available = self.out.get(self.pos..).unwrap_or_default();
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// Passes reads through and keeps the bytes read from the current record on, so a record the
/// CSV parser got wrong can be looked at again.
struct Tee {
    inner: Box<dyn Read + Send>,
    buf: Vec<u8>,
    /// The absolute offset of `buf[0]`.
    base: u64,
}

impl Read for Tee {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.buf.extend_from_slice(out.get(..n).unwrap_or_default());
        Ok(n)
    }
}

impl Tee {
    /// Forgets bytes before `offset` once enough have piled up.
    fn forget_before(&mut self, offset: u64) {
        let dead = usize::try_from(offset.saturating_sub(self.base)).unwrap_or(usize::MAX);
        if dead > TEE_SLACK {
            let dead = dead.min(self.buf.len());
            self.buf.drain(..dead);
            self.base += dead as u64;
        }
    }

    fn slice(&self, start: u64, end: u64) -> &[u8] {
        let from = usize::try_from(start.saturating_sub(self.base)).unwrap_or(usize::MAX);
        let to = usize::try_from(end.saturating_sub(self.base)).unwrap_or(usize::MAX);
        self.buf
            .get(from..to.min(self.buf.len()))
            .unwrap_or_default()
    }
}

/// One record as read, before its text is looked at.
#[derive(Debug, Default, Clone)]
pub(crate) struct RawRow {
    /// The 1-based line the record starts on.
    pub(crate) line: u64,
    /// Its fields.
    pub(crate) record: csv::ByteRecord,
    /// Why the record cannot be trusted (an unterminated quote), if it cannot.
    pub(crate) problem: Option<String>,
}

/// Reads CSV records; a quoted field that never closes is reported on its own and the lines
/// after it are read again, so no row disappears into it.
pub(crate) struct RowReader {
    csv: csv::Reader<Tee>,
    delimiter: u8,
    /// The line the next record starts on, blank lines aside.
    next_line: u64,
    /// The header's fields.
    header: csv::ByteRecord,
    /// Whether the header has a quote that never closes.
    header_problem: bool,
}

fn csv_reader(inner: Box<dyn Read + Send>, delimiter: u8) -> csv::Reader<Tee> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(Tee {
            inner,
            buf: Vec::new(),
            base: 0,
        })
}

impl RowReader {
    /// A reader over decoded input; reads the header record. `None` when the input is empty.
    pub(crate) fn new(opened: Opened) -> io::Result<Option<RowReader>> {
        let mut reader = RowReader {
            csv: csv_reader(opened.reader, opened.delimiter),
            delimiter: opened.delimiter,
            next_line: 1,
            header: csv::ByteRecord::new(),
            header_problem: false,
        };
        let mut header = RawRow::default();
        if !reader.next_row(&mut header)? {
            return Ok(None);
        }
        reader.header = header.record;
        reader.header_problem = header.problem.is_some();
        Ok(Some(reader))
    }

    /// A reader of the records after the header, from `inner`, which starts where a record
    /// starts, on line `line`.
    pub(crate) fn resume(inner: Box<dyn Read + Send>, delimiter: u8, line: u64) -> RowReader {
        // A parser that has read nothing takes a byte-order mark for the file's: after a
        // line break it takes it for text, as the whole file's parser does. The line break is
        // counted as one.
        let inner = Box::new(Cursor::new(b"\n").chain(inner));
        RowReader {
            csv: csv_reader(inner, delimiter),
            delimiter,
            next_line: line.saturating_sub(1),
            header: csv::ByteRecord::new(),
            header_problem: false,
        }
    }

    /// Whether the header has a quote that never closes (the lines after it were read again).
    pub(crate) fn header_problem(&self) -> bool {
        self.header_problem
    }

    /// Bytes of decoded input read so far (from the last recovery on, after one).
    pub(crate) fn bytes(&self) -> u64 {
        self.csv.position().byte()
    }

    /// The header's fields.
    pub(crate) fn header(&self) -> &csv::ByteRecord {
        &self.header
    }

    /// Reads the next record into `row`; `false` at the end.
    pub(crate) fn next_row(&mut self, row: &mut RawRow) -> io::Result<bool> {
        let before = self.csv.position().byte();
        self.csv.get_mut().forget_before(before);
        let more = self
            .csv
            .read_byte_record(&mut row.record)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(e) => e,
                other => io::Error::other(format!("{other:?}")),
            })?;
        if !more {
            return Ok(false);
        }
        // Lines are counted here: the parser skips blank lines and counts `\r\n` its own way.
        let start = row.record.position().map_or(before, csv::Position::byte);
        let end = self.csv.position().byte();
        let tee = self.csv.get_ref();
        let raw = tee.slice(start, end);
        // The parser's record can start with the previous record's `\n`.
        let lead = raw
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let (lead, raw) = raw.split_at(lead);
        row.line = self.next_line + count_lines(tee.slice(before, start)) + count_lines(lead);
        let newlines = count_lines(raw);
        self.next_line = row.line + newlines;
        row.problem = None;
        // Only a record with a line break inside can hide an unterminated quote.
        let multiline = newlines > u64::from(raw.last() == Some(&b'\n'));
        if multiline && let Some(quote) = unterminated_quote(raw, self.delimiter) {
            let raw = raw.to_vec();
            self.recover(row, raw, quote);
        }
        Ok(true)
    }

    /// The record at `row` opened a quote that never closes: report the lines up to the one
    /// with the quote as one bad row, and parse the rest again.
    fn recover(&mut self, row: &mut RawRow, raw: Vec<u8>, quote: usize) {
        let end = raw
            .get(quote..)
            .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
            .map_or(raw.len(), |p| quote + p + 1);
        let lines_before_quote = count_lines(raw.get(..quote).unwrap_or_default());
        let quote_line = row.line + lines_before_quote;
        let line_start = raw
            .get(..quote)
            .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
            .map_or(0, |p| p + 1);
        let column = quote - line_start + 1;
        let first_line = raw.get(..end).unwrap_or_default();
        let first_line = first_line.strip_suffix(b"\n").unwrap_or(first_line);
        let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
        row.problem = Some(format!(
            "line {quote_line}, column {column}: a quoted field opens here and never closes; \
             this line is reported alone and the lines after it are read as rows"
        ));
        row.record.clear();
        // Keep the line's fields as well as they split, for the row's id.
        for field in first_line.split(|&b| b == self.delimiter) {
            row.record.push_field(field);
        }
        let rest = raw.get(end..).unwrap_or_default().to_vec();
        self.next_line = quote_line + 1;
        self.csv = csv_reader(Box::new(Cursor::new(rest)), self.delimiter);
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
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
    use super::*;

    fn rows(input: &'static [u8]) -> (Encoding, u8, Vec<RawRow>) {
        let opened = open(input).expect("in memory");
        let (encoding, delimiter) = (opened.encoding, opened.delimiter);
        let mut reader = RowReader::new(opened).expect("read").expect("header");
        let mut out = Vec::new();
        let mut row = RawRow::default();
        while reader.next_row(&mut row).expect("read") {
            out.push(row.clone());
        }
        (encoding, delimiter, out)
    }

    #[test]
    fn delimiters_are_found_on_the_header_line() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1,2;3"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter(b"\"x;y\",b\n"), b',');
        assert_eq!(sniff_delimiter(b"single\n"), b',');
    }

    #[test]
    fn utf16_is_decoded_with_either_byte_order() {
        for (bom, be) in [(&b"\xFF\xFE"[..], false), (&b"\xFE\xFF"[..], true)] {
            let mut bytes = bom.to_vec();
            for u in "a;b\r\nJosé;😀\r\n".encode_utf16() {
                bytes.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let (enc, delim, got) = rows(leaked);
            assert_eq!(
                enc,
                if be {
                    Encoding::Utf16Be
                } else {
                    Encoding::Utf16Le
                }
            );
            assert_eq!(delim, b';');
            assert_eq!(&got[0].record[0], "José".as_bytes());
            assert_eq!(&got[0].record[1], "😀".as_bytes());
            assert_eq!(got[0].line, 2);
        }
    }

    #[test]
    fn an_unterminated_quote_loses_no_row() {
        let (_, _, got) = rows(b"a,b\n1,2\n3,\"oops\n5,6\n7,8\n");
        let lines: Vec<u64> = got.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(
            got[1]
                .problem
                .as_deref()
                .is_some_and(|p| p.contains("line 3, column 3"))
        );
        assert_eq!(&got[2].record[0], b"5");
        assert!(got[3].problem.is_none());
    }

    #[test]
    fn quoted_newlines_stay_in_their_field() {
        let (_, _, got) = rows(b"a,b\r\n\"x\r\ny\",\"say \"\"hi\"\", ok\"\r\nz,w\r\n");
        assert_eq!(&got[0].record[0], b"x\r\ny");
        assert_eq!(&got[0].record[1], b"say \"hi\", ok");
        assert!(got[0].problem.is_none());
        assert_eq!(got[1].line, 4);
    }
}
