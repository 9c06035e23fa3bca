//! Names from the arguments or from standard input, one per line, streamed.

use std::io::{self, BufRead};

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

/// Calls `each` for every item: the arguments in order, with `-` (or no arguments at all)
/// standing for standard input read line by line. A line is taken exactly as it is, less its
/// `\n` or `\r\n`.
pub(crate) fn for_each_item(
    args: &[String],
    mut each: impl FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    if args.is_empty() {
        return for_each_line(&mut io::stdin().lock(), &mut each);
    }
    for arg in args {
        if arg == "-" {
            for_each_line(&mut io::stdin().lock(), &mut each)?;
        } else {
            each(Item {
                line: None,
                text: Ok(arg),
            })?;
        }
    }
    Ok(())
}

/// Streams lines from a reader without holding more than one line in memory.
pub(crate) fn for_each_line(
    reader: &mut dyn BufRead,
    each: &mut dyn FnMut(Item<'_>) -> io::Result<()>,
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(256);
    let mut line = 0;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line += 1;
        let mut bytes = buf.as_slice();
        if let Some(rest) = bytes.strip_suffix(b"\n") {
            bytes = rest.strip_suffix(b"\r").unwrap_or(rest);
        }
        let text = std::str::from_utf8(bytes).map_err(|e| Unreadable {
            message: format!("line {line}, column {}: invalid UTF-8", e.valid_up_to() + 1),
            lossy: String::from_utf8_lossy(bytes).into_owned(),
        });
        each(Item {
            line: Some(line),
            text,
        })?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(Option<usize>, Result<String, Unreadable>)> {
        let mut out = Vec::new();
        for_each_line(&mut &input[..], &mut |item| {
            out.push((item.line, item.text.map(str::to_owned)));
            Ok(())
        })
        .expect("in-memory reads do not fail");
        out
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
}
