//! Reading the input in large blocks of whole records, so that records can be parsed on
//! several threads at once and handed on in input order.
//!
//! A block ends after a line break at which the quotes seen since the block's start are
//! balanced: where a CSV parser starting at the block would end a record, in any file whose
//! quotes open and close fields. That is only a guess for a file with a stray quote inside a
//! field, so every block is checked as it is parsed: the parser, started fresh at the block's
//! first byte, must end the block between two records, and no record may hold a quote that
//! never closes. The first block that fails the check and everything after it are read again
//! by the record-at-a-time [`RowReader`](super::input::RowReader), which gives every row the
//! same record, line and problem either way.

use std::io::{self, Read};

/// How many bytes a block holds, give or take a record.
pub(crate) const BLOCK: usize = 1 << 20;
/// A block with no balanced line break grows up to this size before it is cut at its last
/// line break anyway (for the check to reject, with an unterminated quote).
const MAX_BLOCK: usize = 8 << 20;

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
}

impl BlockReader {
    /// Blocks of `inner`, after `head` (bytes already read from it); `line` is the line
    /// of `head[0]` and `offset` its position.
    pub(crate) fn new(inner: Box<dyn Read + Send>, head: Vec<u8>, line: u64, offset: u64) -> Self {
        BlockReader {
            inner,
            carry: head,
            line,
            offset,
            eof: false,
            done: false,
        }
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
        let mut target = BLOCK;
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
                    (buf.len() >= MAX_BLOCK)
                        .then(|| memchr::memrchr(b'\n', &buf).map(|p| p + 1))
                        .flatten()
                })
            };
            let Some(cut) = cut else {
                target = buf.len().max(BLOCK) * 2;
                continue;
            };
            self.carry
                .extend_from_slice(buf.get(cut..).unwrap_or_default());
            buf.truncate(cut);
            let block = Block {
                line: self.line,
                end: self.offset + cut as u64,
                last: self.eof,
                bytes: buf,
            };
            self.line += memchr::memchr_iter(b'\n', &block.bytes).count() as u64;
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
        after += memchr::memchr_iter(b'"', buf.get(p + 1..end).unwrap_or_default()).count();
        end = p + 1;
        if (quotes - after) % 2 == 0 {
            return Some(p + 1);
        }
    }
    None
}

/// One record of a block: its fields end to end and where each ends.
pub(crate) struct Fields<'b> {
    /// The line the record starts on.
    pub(crate) line: u64,
    /// The fields' bytes, end to end.
    pub(crate) bytes: &'b [u8],
    /// Where each field ends in `bytes`.
    pub(crate) ends: &'b [usize],
}

/// Reusable buffers for [`parse`].
#[derive(Default)]
pub(crate) struct Scratch {
    out: Vec<u8>,
    ends: Vec<usize>,
}

/// Parses a block's records as [`RowReader`](super::input::RowReader) would, calling `each`
/// on every one in order. `false` when the block cannot be trusted (see the module
/// documentation); the records handed out so far must then be forgotten.
pub(crate) fn parse(
    block: &Block,
    delimiter: u8,
    scratch: &mut Scratch,
    mut each: impl FnMut(Fields<'_>),
) -> bool {
    use csv_core::ReadRecordResult as R;
    let bytes = block.bytes.as_slice();
    let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
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
        let (mut outlen, mut endlen) = (0, 0);
        let res = loop {
            let input = bytes.get(pos..).unwrap_or_default();
            if input.is_empty() && !block.last {
                // The block must end between records: after line breaks only.
                let rest = bytes.get(start..).unwrap_or_default();
                return rest.iter().all(|&b| b == b'\n' || b == b'\r');
            }
            let (res, nin, nout, nend) = core.read_record(
                input,
                scratch.out.get_mut(outlen..).unwrap_or_default(),
                scratch.ends.get_mut(endlen..).unwrap_or_default(),
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
            return true;
        }
        let raw = bytes.get(start..pos).unwrap_or_default();
        let lead = raw
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let (lead, raw) = raw.split_at(lead);
        line += count_lines(lead);
        let newlines = count_lines(raw);
        let multiline = newlines > u64::from(raw.last() == Some(&b'\n'));
        if multiline && super::input::unterminated_quote(raw, delimiter).is_some() {
            return false;
        }
        each(Fields {
            line,
            bytes: scratch.out.get(..outlen).unwrap_or_default(),
            ends: scratch.ends.get(..endlen).unwrap_or_default(),
        });
        line += newlines;
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}
