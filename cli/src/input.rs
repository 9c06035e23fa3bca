//! Names from the arguments or from standard input, one per line, streamed.

use std::io::{self, Read};

use usernorm::limits;

/// One input item: its text, or why it could not be read.
pub(crate) struct Item<'a> {
    /// The 1-based line number when the item came from standard input.
    pub(crate) line: Option<usize>,
    /// The text, or why a line is not UTF-8 (the message, and the line decoded lossily).
    pub(crate) text: Result<&'a str, Unreadable>,
}

/// A line that is not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable {
    /// Where and what: `line 3, column 4: invalid UTF-8`.
    pub(crate) message: String,
    /// The line with bad bytes replaced by U+FFFD.
    pub(crate) lossy: String,
}

/// The longest line read from standard input, and the longest name taken from an argument.
const LINE_LIMIT: usize = if limits::MAX_LINE_BYTES < limits::MAX_NAME_BYTES {
    limits::MAX_LINE_BYTES
} else {
    limits::MAX_NAME_BYTES
};

/// Calls `each` for every item: the arguments in order, with `-` (or no arguments at all)
/// standing for standard input read line by line. A line is taken exactly as it is, less its
/// `\n` or `\r\n`. A line or argument longer than the limit ([`limits::MAX_LINE_BYTES`],
/// [`limits::MAX_NAME_BYTES`]) is an unreadable item, and the items after it are still read.
pub(crate) fn for_each_item(
    args: &[String],
    mut each: impl FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    if args.is_empty() {
        return for_each_line(&mut io::stdin().lock(), &mut each);
    }
    for (i, arg) in args.iter().enumerate() {
        if arg == "-" {
            for_each_line(&mut io::stdin().lock(), &mut each)?;
        } else if arg.len() > limits::MAX_NAME_BYTES {
            each(Item {
                line: None,
                text: Err(too_long(
                    format!("argument {}", i + 1),
                    limits::MAX_NAME_BYTES,
                    "name",
                )),
            })?;
        } else {
            each(Item {
                line: None,
                text: Ok(arg),
            })?;
        }
    }
    Ok(())
}

/// Streams lines from a reader through one buffer, handing each line to `each` where it lies:
/// nothing is copied or allocated per line. Memory is the buffer: a line longer than the limit
/// is reported and skipped to its end, never held.
pub(crate) fn for_each_line(
    reader: &mut dyn Read,
    each: &mut dyn FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    for_each_line_buffered(
        reader,
        BUFFER_SIZE,
        LINE_LIMIT,
        limits::MAX_SKIPPED_BYTES,
        each,
    )
}

/// How much standard input is read at once.
const BUFFER_SIZE: usize = 256 * 1024;

fn for_each_line_buffered(
    reader: &mut dyn Read,
    capacity: usize,
    limit: usize,
    skip_limit: usize,
    each: &mut dyn FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = vec![0; capacity.max(1)];
    // `buf[start..end]` is read but not yet handed out; it holds no `\n`.
    let (mut start, mut end) = (0, 0);
    let mut line = 0;
    // Whether the rest of an over-long line, already reported, is being passed over, and how
    // much of it has been.
    let mut skipping = false;
    let mut skipped = 0;
    loop {
        let filled = match reader.read(&mut buf[end..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if filled == 0 {
            // The last line may lack its terminator.
            if start < end && !skipping {
                line += 1;
                emit(&buf[start..end], false, line, limit, each)?;
            }
            return Ok(());
        }
        end += filled;
        if skipping {
            match memchr::memchr(b'\n', &buf[start..end]) {
                Some(at) => {
                    start += at + 1;
                    skipping = false;
                }
                None => {
                    skipped += end - start;
                    start = end;
                    if skipped > skip_limit {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!(
                                "line {line}: no line end within {skip_limit} bytes; this is not \
                                 a list of names, stopped reading"
                            ),
                        ));
                    }
                }
            }
        }
        // The complete lines read so far; a partial last line waits for the next read. Only
        // the new bytes can hold a `\n`.
        let from = start.max(end - filled);
        if let Some(last) = memchr::memrchr(b'\n', &buf[from..end]) {
            line = emit_lines(&buf[start..from + last], line, limit, each)?;
            start = from + last + 1;
        }
        // A partial line already past the limit (with room for the `\r` of a `\r\n`) is
        // reported now and its bytes dropped as they come.
        if !skipping && end - start > limit + 1 {
            line += 1;
            each(Item {
                line: Some(line),
                text: Err(too_long(format!("line {line}"), limit, "line")),
            })?;
            skipping = true;
            skipped = 0;
            start = end;
        }
        // Keep the partial line, at the front; grow the buffer when it fills it (up to the
        // limit, as a longer line is dropped).
        buf.copy_within(start..end, 0);
        end -= start;
        start = 0;
        if end == buf.len() {
            buf.resize(2 * buf.len(), 0);
        }
    }
}

/// The error for an item longer than `limit`: `line 3: longer than 65536 bytes, the limit for
/// a line`.
fn too_long(place: String, limit: usize, what: &str) -> Unreadable {
    Unreadable {
        message: format!("{place}: longer than {limit} bytes, the limit for a {what}"),
        lossy: String::new(),
    }
}

/// Hands every line of `complete` (lines that each ended in `\n`, the last one's cut off) to
/// `each`; returns the number of the last line.
fn emit_lines(
    complete: &[u8],
    mut line: usize,
    limit: usize,
    each: &mut dyn FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<usize> {
    match std::str::from_utf8(complete) {
        // One UTF-8 check for many lines rather than one per line.
        Ok(text) => {
            let mut from = 0;
            for to in memchr::memchr_iter(b'\n', complete).chain([complete.len()]) {
                line += 1;
                // `\n` is one byte of UTF-8 and never inside a character, so this is `Some`.
                let text = text.get(from..to).unwrap_or_default();
                let text = text.strip_suffix('\r').unwrap_or(text);
                each(Item {
                    line: Some(line),
                    text: if text.len() > limit {
                        Err(too_long(format!("line {line}"), limit, "line"))
                    } else {
                        Ok(text)
                    },
                })?;
                from = to + 1;
            }
        }
        // Some line is not UTF-8: find out which, line by line.
        Err(_) => {
            for bytes in complete.split(|&b| b == b'\n') {
                line += 1;
                emit(bytes, true, line, limit, each)?;
            }
        }
    }
    Ok(line)
}

/// Hands one line to `each`, less the `\r` of a `\r\n` when the line was `terminated` by `\n`
/// (already cut off).
fn emit(
    bytes: &[u8],
    terminated: bool,
    line: usize,
    limit: usize,
    each: &mut dyn FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let bytes = match bytes.strip_suffix(b"\r") {
        Some(rest) if terminated => rest,
        _ => bytes,
    };
    let text = if bytes.len() > limit {
        Err(too_long(format!("line {line}"), limit, "line"))
    } else {
        std::str::from_utf8(bytes).map_err(|e| Unreadable {
            message: format!("line {line}, column {}: invalid UTF-8", e.valid_up_to() + 1),
            lossy: String::from_utf8_lossy(bytes).into_owned(),
        })
    };
    each(Item {
        line: Some(line),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(Option<usize>, Result<String, Unreadable>)> {
        lines_buffered(input, BUFFER_SIZE, LINE_LIMIT)
    }

    fn lines_buffered(
        input: &[u8],
        capacity: usize,
        limit: usize,
    ) -> Vec<(Option<usize>, Result<String, Unreadable>)> {
        let mut out = Vec::new();
        for_each_line_buffered(&mut &input[..], capacity, limit, usize::MAX, &mut |item| {
            out.push((item.line, item.text.map(str::to_owned)));
            Ok(())
        })
        .expect("in-memory reads do not fail");
        out
    }

    #[test]
    fn a_bare_carriage_return_at_the_end_is_kept() {
        let got = lines(b"a\r\nb\r");
        let texts: Vec<_> = got
            .into_iter()
            .map(|(_, t)| t.unwrap_or_default())
            .collect();
        assert_eq!(texts, ["a", "b\r"]);
        assert!(lines(b"").is_empty());
        assert_eq!(lines(b"\n").len(), 1);
    }

    #[test]
    fn lines_across_and_longer_than_the_buffer() {
        let input = b"jdoe\r\nmaria-garcia\n\na-very-long-line-indeed\nx\xff\r\nJos\xc3\xa9\nlast";
        let expected = lines(input);
        assert_eq!(expected.len(), 7);
        assert!(expected[4].1.is_err(), "x\\xff is not UTF-8");
        assert_eq!(expected[5].1, Ok("José".to_owned()));
        for capacity in 1..=input.len() + 1 {
            assert_eq!(
                lines_buffered(input, capacity, LINE_LIMIT),
                expected,
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn strips_only_the_terminator() {
        let got = lines(b"a\r\n b \n\nlast");
        let texts: Vec<_> = got
            .iter()
            .map(|(_, t)| t.clone().unwrap_or_default())
            .collect();
        assert_eq!(texts, ["a", " b ", "", "last"]);
        assert_eq!(got[3].0, Some(4));
    }

    #[test]
    fn bad_utf8_names_line_and_column() {
        let got = lines(b"ok\nab\xff\n");
        let bad = got[1].1.clone().expect_err("not UTF-8");
        assert_eq!(bad.message, "line 2, column 3: invalid UTF-8");
        assert_eq!(bad.lossy, "ab\u{FFFD}");
    }

    #[test]
    fn a_line_over_the_limit_is_an_error_and_the_next_lines_are_read() {
        let input = b"abcde\r\nabcd\nabcdef\r\nabcdefghijklmnopq\n\xff\xffxxxxx\nok\nabcdef";
        let expected: Vec<Result<&str, String>> = vec![
            Ok("abcde"),
            Ok("abcd"),
            Err("line 3: longer than 5 bytes, the limit for a line".to_owned()),
            Err("line 4: longer than 5 bytes, the limit for a line".to_owned()),
            Err("line 5: longer than 5 bytes, the limit for a line".to_owned()),
            Ok("ok"),
            Err("line 7: longer than 5 bytes, the limit for a line".to_owned()),
        ];
        for capacity in 1..=input.len() + 1 {
            let got = lines_buffered(input, capacity, 5);
            let got: Vec<_> = got
                .iter()
                .map(|(_, t)| t.as_deref().map_err(|e| e.message.clone()))
                .collect();
            assert_eq!(got, expected, "capacity {capacity}");
        }
    }

    #[test]
    fn an_endless_line_is_dropped_as_it_comes() {
        // A reader that never ends a line: memory stays at the buffer while it is passed over.
        let mut endless = io::Read::take(io::repeat(b'a'), 64 << 20).chain(&b"\njdoe"[..]);
        let mut got = Vec::new();
        for_each_line_buffered(&mut endless, 4096, 100, 128 << 20, &mut |item| {
            got.push((item.line, item.text.map(str::to_owned)));
            Ok(())
        })
        .expect("in-memory reads do not fail");
        assert_eq!(got.len(), 2);
        assert!(got[0].1.is_err());
        assert_eq!(got[1], (Some(2), Ok("jdoe".to_owned())));
    }

    #[test]
    fn a_line_without_an_end_within_the_skip_limit_stops_the_input() {
        let mut endless = io::repeat(b'a');
        let mut got = Vec::new();
        let error = for_each_line_buffered(&mut endless, 4096, 100, 1 << 20, &mut |item| {
            got.push(item.text.is_err());
            Ok(())
        })
        .expect_err("an endless line stops the input");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(
            error
                .to_string()
                .starts_with("line 1: no line end within 1048576 bytes")
        );
        assert_eq!(got, [true]);
    }
}
