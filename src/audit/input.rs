//! Opening a directory export: its encoding (from the byte-order mark, or UTF-16's NUL bytes)
//! decoded to UTF-8, and the delimiter found from the header line. The records are read by
//! [`RowReader`](super::reader::RowReader).

use std::io::{self, Cursor, Read};

use serde::Serialize;

/// How many bytes are looked at to find the encoding and the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many bytes are looked at for UTF-16 without a byte-order mark: the header line and
/// the first rows.
const UTF16_SNIFF_BYTES: usize = 1024;

/// The text encoding of an export, found from its byte-order mark, or for UTF-16 without one
/// from the NUL bytes its ASCII characters have ([`Encoding::sniff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian (Excel's "Unicode text" has a byte-order mark).
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
}

impl Encoding {
    /// The encoding of a file starting with `head`, and the length of its byte-order mark.
    /// Without one, text whose first bytes are mostly pairs of a byte and a NUL (ASCII in
    /// UTF-16: a CSV header is ASCII) is UTF-16 in that byte order; UTF-8 text has no NULs.
    ///
    /// ```
    /// use usernorm::audit::Encoding;
    ///
    /// assert_eq!(Encoding::sniff(b"\xEF\xBB\xBFid,mail"), (Encoding::Utf8Bom, 3));
    /// assert_eq!(Encoding::sniff(b"i\0d\0,\0m\0"), (Encoding::Utf16Le, 0));
    /// assert_eq!(Encoding::sniff(b"\0i\0d\0,\0m"), (Encoding::Utf16Be, 0));
    /// assert_eq!(Encoding::sniff(&[0; 64]), (Encoding::Utf8, 0));
    /// ```
    pub fn sniff(head: &[u8]) -> (Encoding, usize) {
        if head.starts_with(b"\xEF\xBB\xBF") {
            return (Encoding::Utf8Bom, 3);
        } else if head.starts_with(b"\xFF\xFE") {
            return (Encoding::Utf16Le, 2);
        } else if head.starts_with(b"\xFE\xFF") {
            return (Encoding::Utf16Be, 2);
        }
        let pairs = head
            .get(..head.len().min(UTF16_SNIFF_BYTES))
            .unwrap_or_default();
        let pairs = pairs.chunks_exact(2);
        let n = pairs.len();
        let (mut first, mut second) = (0, 0);
        for pair in pairs {
            first += usize::from(pair.first() == Some(&0));
            second += usize::from(pair.get(1) == Some(&0));
        }
        // Half the pairs or more with a NUL on one side, hardly any on the other.
        let utf16 = |nul: usize, other: usize| n >= 2 && nul * 2 >= n && other * 10 <= n;
        if utf16(second, first) {
            (Encoding::Utf16Le, 0)
        } else if utf16(first, second) {
            (Encoding::Utf16Be, 0)
        } else {
            (Encoding::Utf8, 0)
        }
    }

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
    let (encoding, bom) = Encoding::sniff(&head);
    let body = head.get(bom..).unwrap_or_default().to_vec();
    let sniff_text: Vec<u8> = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let mut decoder = Utf16Reader::new(boxed(Cursor::new(body.clone())), encoding);
            let mut text = Vec::new();
            decoder.read_to_end(&mut text)?;
            text
        }
        _ => body.clone(),
    };
    let delimiter = sniff_delimiter(&sniff_text);
    let chained = boxed(Cursor::new(body).chain(input));
    let reader: Box<dyn Read + Send> = match encoding {
        Encoding::Utf16Le | Encoding::Utf16Be => Box::new(Utf16Reader::new(chained, encoding)),
        _ => chained,
    };
    Ok(Opened {
        reader,
        encoding,
        delimiter,
    })
}

/// A reader behind the one type the UTF-16 decoder reads: its code (and `read_to_end`'s) is
/// compiled once, not for each reader it decodes (0.3 KB gzipped of the browser build).
fn boxed(reader: impl Read + Send + 'static) -> Box<dyn Read + Send> {
    Box::new(reader)
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

/// Decodes UTF-16 (after its byte-order mark) into UTF-8, streaming. What does not decode
/// is left as bytes that are not UTF-8, so that its row is an error as a row of bad UTF-8 is:
/// an unpaired surrogate as the three bytes it would be in UTF-8 were it a character
/// (`ED A0 80` to `ED BF BF`, as WTF-8 writes it), an odd byte at the end as `FF`
/// ([`utf16_error`] says which).
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
                    // A high surrogate with no pair, or an odd byte.
                    let carry = std::mem::take(&mut self.carry);
                    match carry.as_slice() {
                        [a, b, ..] => {
                            let unit = match self.big_endian {
                                true => u16::from_be_bytes([*a, *b]),
                                false => u16::from_le_bytes([*a, *b]),
                            };
                            push_surrogate(&mut self.out, unit);
                            if carry.len() > 2 {
                                self.out.push(0xFF);
                            }
                        }
                        _ => self.out.push(0xFF),
                    }
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
                match c {
                    Ok(c) => self
                        .out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
                    Err(e) => push_surrogate(&mut self.out, e.unpaired_surrogate()),
                }
            }
        }
        Ok(())
    }
}

/// Appends an unpaired surrogate as the three bytes it would be in UTF-8 were it a character:
/// not UTF-8, so its row is an error.
fn push_surrogate(out: &mut Vec<u8>, unit: u16) {
    let [high, low] = unit.to_be_bytes();
    out.extend_from_slice(&[
        0xE0 | (high >> 4),
        0x80 | ((high & 0x0F) << 2) | (low >> 6),
        0x80 | (low & 0x3F),
    ]);
}

/// What did not decode in UTF-16 input, at the start of `bytes` (where decoded UTF-8 stops
/// being UTF-8): an unpaired surrogate, or the odd byte at the end of the file, in words.
pub(crate) fn utf16_error(bytes: &[u8]) -> Option<String> {
    match bytes {
        [0xED, b @ 0xA0..=0xBF, c @ 0x80..=0xBF, ..] => {
            let unit = 0xD000 | (u16::from(b & 0x3F) << 6) | u16::from(c & 0x3F);
            Some(format!("an unpaired surrogate (0x{unit:04X})"))
        }
        [0xFF, ..] => Some("an odd byte at the end of the file".to_owned()),
        _ => None,
    }
}

/// `bytes` as text, what is not UTF-8 replaced by U+FFFD, each unpaired surrogate of UTF-16
/// input (three bytes) by one.
pub(crate) fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let Err(first) = std::str::from_utf8(bytes) else {
        return String::from_utf8_lossy(bytes);
    };
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    let mut error = Some(first);
    while let Some(e) = error {
        let (good, bad) = rest.split_at(e.valid_up_to());
        out.push_str(std::str::from_utf8(good).unwrap_or_default());
        out.push(char::REPLACEMENT_CHARACTER);
        let skip = match bad {
            [0xED, 0xA0..=0xBF, 0x80..=0xBF, ..] => 3,
            _ => e.error_len().unwrap_or(bad.len()),
        };
        rest = bad.get(skip..).unwrap_or_default();
        error = std::str::from_utf8(rest).err();
    }
    out.push_str(std::str::from_utf8(rest).unwrap_or_default());
    std::borrow::Cow::Owned(out)
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

    /// `units` as UTF-16 bytes, in either byte order.
    fn utf16(units: impl IntoIterator<Item = u16>, big_endian: bool) -> Vec<u8> {
        let to = |u: u16| match big_endian {
            true => u.to_be_bytes(),
            false => u.to_le_bytes(),
        };
        units.into_iter().flat_map(to).collect()
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_found_from_its_nuls() {
        for big_endian in [false, true] {
            let bytes = utf16(
                "id;mailNickname\r\n1;Zoë.Łukasz\r\n".encode_utf16(),
                big_endian,
            );
            let leaked: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            let (enc, delim, got) = rows(leaked);
            let want = [Encoding::Utf16Le, Encoding::Utf16Be][usize::from(big_endian)];
            assert_eq!((enc, delim), (want, b';'));
            assert_eq!(&got[0].record[1], "Zoë.Łukasz".as_bytes());
        }
        // UTF-8, whatever its script, has no NULs; nor is a file of NULs UTF-16.
        assert_eq!(
            Encoding::sniff("id,名前\n1,小明\n".as_bytes()).0,
            Encoding::Utf8
        );
        assert_eq!(Encoding::sniff(&[0; 4096]).0, Encoding::Utf8);
    }

    #[test]
    fn what_utf16_cannot_decode_is_left_as_bytes_that_are_not_utf8() {
        let decode = |units: &[u16], odd: bool| {
            let mut bytes = utf16(units.iter().copied(), false);
            if odd {
                bytes.push(b'x');
            }
            let mut out = Vec::new();
            let mut reader = Utf16Reader::new(Cursor::new(bytes), Encoding::Utf16Le);
            reader.read_to_end(&mut out).expect("in memory");
            out
        };
        // A low surrogate alone, a high one before a letter, a high one at the end.
        assert_eq!(decode(&[0x61, 0xDC00, 0x62], false), b"a\xED\xB0\x80b");
        assert_eq!(decode(&[0xD83D, 0x62], false), b"\xED\xA0\xBDb");
        assert_eq!(decode(&[0x61, 0xD800], true), b"a\xED\xA0\x80\xFF");
        assert_eq!(decode(&[0x61], true), b"a\xFF");
        // A pair decodes, whatever the reads.
        assert_eq!(decode(&[0xD83D, 0xDE00], false), "😀".as_bytes());
        assert_eq!(
            utf16_error(b"\xED\xB0\x80b").as_deref(),
            Some("an unpaired surrogate (0xDC00)")
        );
        assert_eq!(
            utf16_error(b"\xFF").as_deref(),
            Some("an odd byte at the end of the file")
        );
        assert_eq!(lossy(b"a\xED\xB0\x80b\xFF"), "a\u{FFFD}b\u{FFFD}");
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
