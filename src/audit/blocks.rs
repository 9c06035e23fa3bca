//! Reading the input in large blocks of whole records, so that records can be parsed on
//! several threads at once and handed on in input order.
//!
//! A block ends after a line break at which the quotes seen since the block's start are
//! balanced: where a CSV parser starting at the block would end a record, in any file whose
//! quotes open and close fields. That is only a guess for a file with a stray quote inside a
//! field, so every block is checked as it is parsed: the parser, started fresh at the block's
//! first byte, must end the block between two records, and no record may hold a quote that
//! never closes, and none may break the size limits (a record over
//! [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES) or a field over
//! [`MAX_FIELD_BYTES`](crate::limits::MAX_FIELD_BYTES)). The first block that fails the check
//! and everything after it are read again
//! by the record-at-a-time [`RowReader`](super::reader::RowReader), which gives every row the
//! same record, line and problem either way.

use std::io::{self, Read};

use super::Invariant;
use super::reader::{content_len, count_breaks, unterminated_quote};
use crate::limits::{MAX_FIELD_BYTES, MAX_RECORD_BYTES};

/// A block with no balanced line break grows up to this many times its size
/// ([`Tuning::block`](super::Tuning::block)) before it is cut
/// at its last line break anyway, or where it ends without one (for the check to reject,
/// after an unterminated quote or in a line over the size limit).
const MAX_GROWTH: usize = 8;

/// Whole records of the input, as read.
#[derive(Debug, Default)]
pub(crate) struct Block {
    /// The bytes, starting where a record starts.
    pub(crate) bytes: Vec<u8>,
    /// The line of `bytes[0]`.
    pub(crate) line: u64,
    /// Bytes of input up to the block's end.
    pub(crate) end: u64,
    /// Whether the input ends with this block.
    pub(crate) last: bool,
}

/// Cuts the input into [`Block`]s.
pub(crate) struct BlockReader {
    inner: Box<dyn Read + Send>,
    /// Bytes read after the last block's end.
    carry: Vec<u8>,
    /// The line of `carry[0]`.
    line: u64,
    /// Bytes of input before `carry`.
    offset: u64,
    eof: bool,
    done: bool,
    /// How many bytes a block holds, give or take a record.
    size: usize,
    /// Whether blocks' lines are left to whoever parses them (see [`BlockReader::lines_later`]).
    lines_later: bool,
}

impl BlockReader {
    /// Blocks of `inner`, after `head` (bytes already read from it); `line` is the line
    /// of `head[0]`, `offset` its position and `size` the bytes a block holds.
    pub(crate) fn new(
        inner: Box<dyn Read + Send>,
        head: Vec<u8>,
        line: u64,
        offset: u64,
        size: usize,
    ) -> Self {
        BlockReader {
            inner,
            carry: head,
            line,
            offset,
            eof: false,
            done: false,
            size,
            lines_later: false,
        }
    }

    /// The line of the next block's first byte.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Leaves counting lines to whoever parses the blocks: each block's `line` is then 0, its
    /// records' lines are relative to its start, and [`BlockReader::line`] stays put.
    pub(crate) fn lines_later(&mut self) {
        self.lines_later = true;
    }

    /// The next block, filled into `spare`'s allocation; `None` after the last.
    pub(crate) fn next_block(&mut self, mut spare: Vec<u8>) -> io::Result<Option<Block>> {
        if self.done {
            return Ok(None);
        }
        spare.clear();
        spare.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut buf = spare;
        let mut target = self.size;
        loop {
            if !self.eof && buf.len() < target {
                let want = target - buf.len();
                buf.reserve(want);
                let got = (&mut self.inner).take(want as u64).read_to_end(&mut buf)?;
                self.eof = got < want;
            }
            let cut = if self.eof {
                Some(buf.len())
            } else {
                balanced_cut(&buf).or_else(|| {
                    (buf.len() >= self.size * MAX_GROWTH)
                        .then(|| memchr::memrchr(b'\n', &buf).map_or(buf.len(), |p| p + 1))
                })
            };
            let Some(cut) = cut else {
                target = buf.len().max(self.size) * 2;
                continue;
            };
            self.carry
                .extend_from_slice(buf.get(cut..).invariant("an offset within the block"));
            buf.truncate(cut);
            let block = Block {
                line: if self.lines_later { 0 } else { self.line },
                end: self.offset + cut as u64,
                last: self.eof,
                bytes: buf,
            };
            if !self.lines_later {
                self.line += count_breaks(&block.bytes);
            }
            self.offset = block.end;
            self.done = self.eof;
            return Ok(Some(block));
        }
    }

    /// The input not yet handed out in blocks.
    pub(crate) fn into_rest(self) -> Box<dyn Read + Send> {
        Box::new(io::Cursor::new(self.carry).chain(self.inner))
    }
}

/// Just after the last line break of `buf` at which its quotes are balanced.
fn balanced_cut(buf: &[u8]) -> Option<usize> {
    let quotes = memchr::memchr_iter(b'"', buf).count();
    let mut after = 0;
    let mut end = buf.len();
    for p in memchr::memrchr_iter(b'\n', buf) {
        after += memchr::memchr_iter(
            b'"',
            buf.get(p + 1..end).invariant("an offset within the block"),
        )
        .count();
        end = p + 1;
        if (quotes - after).is_multiple_of(2) {
            return Some(p + 1);
        }
    }
    None
}

/// One record of a block: its fields end to end and where each ends.
pub(crate) struct Fields<'b> {
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The bytes the fields are in: a plain record as it is in the block (its quotes and
    /// delimiters between its fields), any other as the parser leaves its fields, end to end.
    pub(crate) bytes: &'b [u8],
    /// Where each field is in `bytes`, as `(start, end)`.
    pub(crate) spans: &'b [(usize, usize)],
    /// `bytes` is the record as it is in the block: ASCII delimiters and quotes around every
    /// field, so if `bytes` is UTF-8, every span starts and ends at a character boundary.
    pub(crate) in_place: bool,
    /// Where `bytes` starts in the block, when `in_place`.
    pub(crate) at: usize,
}

impl<'b> Fields<'b> {
    /// The field at `index`.
    pub(crate) fn get(&self, index: usize) -> Option<&'b [u8]> {
        let &(start, end) = self.spans.get(index)?;
        self.bytes.get(start..end)
    }
}

/// Reusable buffers for [`parse`].
#[derive(Default)]
pub(crate) struct Scratch {
    out: Vec<u8>,
    ends: Vec<usize>,
    spans: Vec<(usize, usize)>,
    /// The CSV parser, for its delimiter (building one costs more than a block's records).
    core: Option<(u8, csv_core::Reader)>,
    /// The line breaks in the block [`parse`] last read whole (counted as its records are
    /// read, not in a pass of their own).
    pub(crate) newlines: u64,
}

/// The searches [`plain_record`] makes in every field, set up once a block: `memchr3` and
/// `memchr` choose their implementation and set it up on every call, which costs about as
/// much as the search itself in fields this short.
struct Searches {
    delimiter: u8,
    /// The delimiter and line-break searcher, then the quote one.
    #[cfg(target_arch = "x86_64")]
    avx2: Option<(
        memchr::arch::x86_64::avx2::memchr::Three,
        memchr::arch::x86_64::avx2::memchr::One,
    )>,
}

impl Searches {
    fn new(delimiter: u8) -> Self {
        Searches {
            delimiter,
            #[cfg(target_arch = "x86_64")]
            avx2: {
                use memchr::arch::x86_64::avx2::memchr::{One, Three};
                Three::new(delimiter, b'\n', b'\r').zip(One::new(b'"'))
            },
        }
    }

    /// The first delimiter or line break in `bytes`.
    fn stop(&self, bytes: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((stop, _)) = &self.avx2 {
            return stop.find(bytes);
        }
        memchr::memchr3(self.delimiter, b'\n', b'\r', bytes)
    }

    /// The first quote in `bytes`.
    fn quote(&self, bytes: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some((_, quote)) = &self.avx2 {
            return quote.find(bytes);
        }
        memchr::memchr(b'"', bytes)
    }
}

/// Parses a block's records as [`RowReader`](super::reader::RowReader) would, calling `each`
/// on every one in order. `false` when the block cannot be trusted (see the module
/// documentation); the records handed out so far must then be forgotten.
pub(crate) fn parse(
    block: &Block,
    delimiter: u8,
    columns: usize,
    scratch: &mut Scratch,
    each: impl FnMut(Fields<'_>),
) -> bool {
    let mut core = match scratch.core.take() {
        // As good as new: a reset parser is one that has read nothing.
        Some((d, mut core)) if d == delimiter => {
            core.reset();
            core
        }
        _ => csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
    };
    let whole = parse_with(block, (delimiter, columns), scratch, &mut core, each);
    scratch.core = Some((delimiter, core));
    whole
}

/// [`parse`] with the CSV parser `core`, which has read nothing.
fn parse_with(
    block: &Block,
    (delimiter, columns): (u8, usize),
    scratch: &mut Scratch,
    core: &mut csv_core::Reader,
    mut each: impl FnMut(Fields<'_>),
) -> bool {
    use csv_core::ReadRecordResult as R;
    let bytes = block.bytes.as_slice();
    let searches = Searches::new(delimiter);
    if scratch.out.len() < 1024 {
        scratch.out.resize(1024, 0);
    }
    if scratch.ends.len() < 64 {
        scratch.ends.resize(64, 0);
    }
    // A parser that has read nothing would take a byte-order mark at the block's start for
    // the file's; after a blank line it reads it as part of the field, as the whole file's
    // parser does.
    let (res, ..) = core.read_record(b"\n", &mut scratch.out, &mut scratch.ends);
    if res != R::InputEmpty {
        return false;
    }
    let mut pos = 0;
    let mut line = block.line;
    loop {
        let start = pos;
        let blank = bytes
            .get(start..)
            .invariant("an offset within the block")
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        if start + blank == bytes.len() {
            // Line breaks only, to the end: the block ends between records (but not between
            // the two bytes of a `\r\n`).
            if bytes.last() == Some(&b'\r') && !block.last {
                return false;
            }
            scratch.newlines = line - block.line
                + count_breaks(bytes.get(start..).invariant("an offset within the block"));
            return true;
        }
        let first = start + blank;
        let plain = plain_record(
            bytes,
            first,
            block.last,
            delimiter,
            &searches,
            &mut scratch.spans,
        );
        let (fields, newlines, in_place) = match plain {
            Some((end, content, newlines)) => {
                pos = end;
                // A record longer than a field may be may break the size limits.
                if content - first > MAX_FIELD_BYTES
                    && (content - first > MAX_RECORD_BYTES
                        || (scratch.spans.iter()).any(|&(a, b)| b - a > MAX_FIELD_BYTES))
                {
                    return false;
                }
                // Ragged across lines: broken (see `RowReader`).
                if scratch.spans.len() != columns
                    && columns > 0
                    && newlines > u64::from(end > content)
                {
                    return false;
                }
                (
                    bytes
                        .get(first..content)
                        .invariant("an offset within the block"),
                    Some(newlines),
                    true,
                )
            }
            None => {
                core.reset();
                let _ = core.read_record(b"\n", &mut scratch.out, &mut scratch.ends);
                let (mut outlen, mut endlen) = (0, 0);
                let res = loop {
                    let input = bytes.get(pos..).invariant("an offset within the block");
                    if input.is_empty() && !block.last {
                        // The block must end between records.
                        return false;
                    }
                    let (res, nin, nout, nend) = core.read_record(
                        input,
                        scratch
                            .out
                            .get_mut(outlen..)
                            .invariant("an offset within the block"),
                        scratch
                            .ends
                            .get_mut(endlen..)
                            .invariant("an offset within the block"),
                    );
                    pos += nin;
                    outlen += nout;
                    endlen += nend;
                    match res {
                        R::InputEmpty => {}
                        R::OutputFull => {
                            let len = scratch.out.len() * 2;
                            scratch.out.resize(len, 0);
                        }
                        R::OutputEndsFull => {
                            let len = scratch.ends.len() * 2;
                            scratch.ends.resize(len, 0);
                        }
                        R::Record | R::End => break res,
                    }
                };
                if res == R::End {
                    scratch.newlines = line - block.line
                        + count_breaks(bytes.get(start..).invariant("an offset within the block"));
                    return true;
                }
                let raw = bytes
                    .get(first..pos)
                    .invariant("an offset within the block");
                let content = content_len(raw);
                let at_end = pos == bytes.len();
                if content > MAX_RECORD_BYTES
                    // Only the input's end leaves a quoted field open.
                    || (at_end && unterminated_quote(raw, delimiter).is_some())
                    // A `\r` whose `\n` may be in the next block.
                    || (at_end && !block.last && raw.last() == Some(&b'\r'))
                {
                    return false;
                }
                // A `\r\n` is one line break: the record takes its `\n` too.
                if raw.last() == Some(&b'\r') && bytes.get(pos) == Some(&b'\n') {
                    pos += 1;
                }
                if endlen != columns
                    && columns > 0
                    && count_breaks(raw.get(..content).invariant("an offset within the block")) > 0
                {
                    return false;
                }
                scratch.spans.clear();
                let mut start = 0;
                for &end in scratch
                    .ends
                    .get(..endlen)
                    .invariant("an offset within the block")
                {
                    if end - start > MAX_FIELD_BYTES {
                        return false;
                    }
                    scratch.spans.push((start, end));
                    start = end;
                }
                (
                    scratch
                        .out
                        .get(..outlen)
                        .invariant("an offset within the block"),
                    None,
                    false,
                )
            }
        };
        let raw = bytes
            .get(start..pos)
            .invariant("an offset within the block");
        let (lead, raw) = raw.split_at(blank.min(raw.len()));
        line += count_breaks(lead);
        let newlines = newlines.unwrap_or_else(|| count_breaks(raw));
        each(Fields {
            line,
            bytes: fields,
            spans: &scratch.spans,
            in_place,
            at: first,
        });
        line += newlines;
    }
}

/// Finds the fields of the record at `at` (past any blank lines) without the CSV parser when
/// it is plain, as nearly every record is: each field unquoted, or quoted with no quote
/// inside and a delimiter or line break right after the closing quote. Such a record's
/// fields are its bytes as they are, so they are not copied: `spans` gets where each is,
/// from `at`. Gives where the record ends (past its line break), where its last field ends
/// (past a closing quote) and the line breaks in it; `None` for any other record, which the
/// parser then reads. (csv-core spends about 13 instructions a byte; this, a table lookup
/// and a `memchr` a quoted field.)
fn plain_record(
    bytes: &[u8],
    mut at: usize,
    last: bool,
    delimiter: u8,
    searches: &Searches,
    spans: &mut Vec<(usize, usize)>,
) -> Option<(usize, usize, u64)> {
    let first = at;
    let mut newlines = 0;
    spans.clear();
    loop {
        let (open, close) = if bytes.get(at) == Some(&b'"') {
            let open = at + 1;
            let close = open + searches.quote(bytes.get(open..)?)?;
            at = close + 1;
            match bytes.get(at) {
                Some(&b) if b == delimiter || b == b'\n' || b == b'\r' => {}
                None if last => {}
                _ => return None,
            }
            // Only a quoted field can hold a line break.
            newlines += count_breaks(bytes.get(open..close)?);
            (open, close)
        } else {
            let rest = bytes.get(at..)?;
            let len = searches.stop(rest).unwrap_or(rest.len());
            let open = at;
            at += len;
            if at == bytes.len() && !last {
                return None;
            }
            (open, at)
        };
        spans.push((open - first, close - first));
        match bytes.get(at) {
            // The next field; the delimiter is the only stop that is not a line break.
            Some(&b) if b != b'\n' && b != b'\r' => at += 1,
            // A line break, `\r\n` taken whole (a `\r` at a block's end may be half of one).
            Some(b'\r') => match bytes.get(at + 1) {
                Some(b'\n') => return Some((at + 2, at, newlines + 1)),
                None if !last => return None,
                _ => return Some((at + 1, at, newlines + 1)),
            },
            Some(_) => return Some((at + 1, at, newlines + 1)),
            None => return Some((at, at, newlines)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use proptest::prelude::*;

    use super::*;
    use crate::audit::reader::{RawRow, RowReader};

    /// (line, fields, problem) of every record.
    type Rows = Vec<(u64, Vec<Vec<u8>>, Option<String>)>;

    fn take(reader: &mut RowReader, rows: &mut Rows) {
        let mut raw = RawRow::default();
        while reader.next_row(&mut raw).expect("in memory") {
            let fields = raw.record.iter().map(<[u8]>::to_vec).collect();
            rows.push((raw.line, fields, raw.problem.clone()));
        }
    }

    /// A header of `columns` columns (none: any number of fields is read alike).
    fn header(columns: usize) -> csv::ByteRecord {
        (0..columns).map(|i| format!("c{i}")).collect()
    }

    /// The records as the record-at-a-time reader reads them, under a header of `columns`.
    fn by_records_under(input: &[u8], delimiter: u8, columns: usize) -> Rows {
        let input = Box::new(Cursor::new(input.to_vec()));
        let mut reader = RowReader::resume(input, delimiter, 1).under(header(columns));
        let mut rows = Vec::new();
        take(&mut reader, &mut rows);
        rows
    }

    fn by_records(input: &[u8], delimiter: u8) -> Rows {
        by_records_under(input, delimiter, 0)
    }

    fn by_blocks(input: &[u8], delimiter: u8, size: usize) -> (Rows, usize) {
        by_blocks_under(input, delimiter, size, 0)
    }

    /// The records as the audit reads them in blocks of about `size` bytes: a block that
    /// fails its check and the rest are read record by record. Also how many blocks passed.
    fn by_blocks_under(input: &[u8], delimiter: u8, size: usize, columns: usize) -> (Rows, usize) {
        let mut blocks = BlockReader::new(
            Box::new(Cursor::new(input.to_vec())),
            Vec::new(),
            1,
            0,
            size,
        );
        let mut rows = Vec::new();
        let mut scratch = Scratch::default();
        let mut passed = 0;
        while let Some(block) = blocks.next_block(Vec::new()).expect("in memory") {
            let mut these = Vec::new();
            let whole = parse(&block, delimiter, columns, &mut scratch, |f| {
                let fields = (0..f.spans.len())
                    .map(|i| f.get(i).expect("a field").to_vec())
                    .collect();
                these.push((f.line, fields, None));
            });
            if !whole {
                let rest = Cursor::new(block.bytes).chain(blocks.into_rest());
                let mut reader =
                    RowReader::resume(Box::new(rest), delimiter, block.line).under(header(columns));
                take(&mut reader, &mut rows);
                return (rows, passed);
            }
            // The line breaks counted as the records are read are all of the block's.
            assert_eq!(scratch.newlines, count_breaks(&block.bytes), "line breaks");
            passed += 1;
            rows.extend(these);
        }
        (rows, passed)
    }

    fn same(input: &[u8], size: usize) -> usize {
        let (got, passed) = by_blocks(input, b',', size);
        assert_eq!(got, by_records(input, b','), "block size {size}");
        passed
    }

    #[test]
    fn a_block_boundary_inside_a_quoted_field_moves_to_the_records_end() {
        let input = b"1,\"a\nb\nc\nd\",x\n2,\"e,\n\"\"f\"\"\",y\n3,z\n";
        for size in 1..input.len() + 2 {
            let passed = same(input, size);
            // Big enough to grow to a whole record, blocks pass their check.
            assert!(size < 8 || passed > 0, "block size {size}");
        }
        let (rows, _) = by_blocks(input, b',', 4);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 5, 7], "lines after quoted line breaks");
    }

    #[test]
    fn a_record_larger_than_a_block_is_read_whole() {
        let big = format!("1,\"{}\n{}\",x\n2,y\n", "a".repeat(5000), "b".repeat(5000));
        assert!(same(big.as_bytes(), 2048) > 0);
        same(big.as_bytes(), 64);
    }

    #[test]
    fn crlf_split_across_blocks() {
        let input = b"a,b\r\n\r\nc,\"d\r\ne\"\r\nf,g\r\n\r\n\r\nh,i";
        for size in 1..input.len() + 2 {
            same(input, size);
        }
    }

    #[test]
    fn error_rows_at_block_edges_keep_their_lines() {
        // Ragged, bad UTF-8, a stray quote inside a field, and a quote that never closes.
        let input = b"a,b\n1,2,3\n\xff,x\n5'10\",y\nq,\"open\nr,s\nt,u\n";
        for size in 1..input.len() + 2 {
            same(input, size);
        }
        let rows = by_records(input, b',');
        assert!(rows[4].2.as_deref().is_some_and(|p| p.contains("line 5")));
    }

    #[test]
    fn a_byte_order_mark_at_a_block_start_stays_in_the_field() {
        let input = b"a,b\n\xef\xbb\xbfc,d\n";
        for size in 1..input.len() + 2 {
            same(input, size);
        }
    }

    #[test]
    fn records_and_fields_over_the_limits_are_read_as_records_read_them() {
        let field = "f".repeat(MAX_FIELD_BYTES + 1);
        let line = "l".repeat(MAX_RECORD_BYTES + 1);
        let quoted = "q\n".repeat(MAX_RECORD_BYTES / 2 + 1);
        let input = format!("1,{field}\n2,x\n{line}\n3,\"{quoted}\n4,y\r\n5,z");
        for size in [1 << 12, 1 << 20] {
            same(input.as_bytes(), size);
        }
        let rows = by_records(input.as_bytes(), b',');
        let problems = rows.iter().filter(|r| r.2.is_some()).count();
        assert_eq!(problems, 3, "the long field, the long line, the quote");
    }

    #[test]
    fn a_ragged_record_across_lines_is_read_as_records_read_it() {
        // A stray quote closed by the next row's first quote.
        let input = b"1,\"stray,x\n2,y,\"a, b\",z\n3,w,\"c, d\",v\n";
        for size in 1..input.len() + 2 {
            let (got, _) = by_blocks_under(input, b',', size, 3);
            assert_eq!(got, by_records_under(input, b',', 3), "block size {size}");
        }
        let rows = by_records_under(input, b',', 3);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 3]);
        assert!(
            rows[0]
                .2
                .as_deref()
                .is_some_and(|p| p.contains("most likely stray"))
        );
        assert!(rows[1].2.is_none() && rows[2].2.is_none());
    }

    #[test]
    fn a_block_without_a_line_break_stops_growing() {
        let zeros = vec![0u8; 20 << 20];
        let size = super::super::Tuning::DEFAULT.block;
        let mut blocks = BlockReader::new(Box::new(Cursor::new(zeros)), Vec::new(), 1, 0, size);
        let block = blocks
            .next_block(Vec::new())
            .expect("in memory")
            .expect("a block");
        assert!(
            block.bytes.len() <= size * MAX_GROWTH * 2,
            "{}",
            block.bytes.len()
        );
        assert!(!block.last);
        let mut scratch = Scratch::default();
        assert!(
            !parse(&block, b',', 2, &mut scratch, |_| {}),
            "left to the records"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn blocks_read_what_records_read(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(&b"a"[..]), Just(&b"\xc3\xa9"[..]), Just(&b","[..]), Just(&b";"[..]),
                    Just(&b"\""[..]), Just(&b"\"\""[..]), Just(&b"\n"[..]), Just(&b"\r\n"[..]),
                    Just(&b"\r"[..]), Just(&b"\xef\xbb\xbf"[..]), Just(&b"\xff"[..]),
                ],
                0..120,
            ),
            size in 1usize..48,
            columns in 0usize..4,
        ) {
            let input = parts.concat();
            let (got, _) = by_blocks_under(&input, b',', size, columns);
            prop_assert_eq!(got, by_records_under(&input, b',', columns));
        }
    }
}
