//! Opening a directory export: its encoding (from the byte-order mark, or UTF-16's NUL bytes)
//! decoded to UTF-8, and the delimiter found from the header line. The records are read by
//! [`RowReader`](super::reader::RowReader).

use std::io::{self, Cursor, Read};

use serde::Serialize;

/// How many bytes are looked at to find the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::reader::{RawRow, RowReader};

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
}
