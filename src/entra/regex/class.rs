//! Character classes (`[a-z\d]`, `[^...]`), spelt for the `regex` crate and for JavaScript.

use super::escape::{Piece, escape, unsupported};
use crate::entra::chars::has_case;

/// A character class in both dialects.
pub(super) struct Class {
    pub(super) rust: String,
    pub(super) js: String,
    /// Whether `(?i)` changes what it matches.
    pub(super) cased: bool,
    /// How many characters of the pattern it took.
    pub(super) used: usize,
}

/// What came last in a class, to tell a range's `-` from a literal one as the `regex` crate
/// does.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Char(char),
    RangeStart(char),
    Range,
    Set,
}

/// Whether `(?i)` changes what a range matches (long ranges are assumed to).
fn range_cased(from: char, to: char) -> bool {
    let (from, to) = (u32::from(from), u32::from(to));
    to.saturating_sub(from) > 0x3000 || (from..=to).any(|c| char::from_u32(c).is_some_and(has_case))
}

/// Translates one character class starting at `chars[start] == '['`.
pub(super) fn class(chars: &[char], start: usize) -> Result<Class, String> {
    let mut rust = String::from("[");
    let mut js = String::from("[");
    let mut cased = false;
    let mut i = start + 1;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        // Nested, `[[^..]]`: V8 11 (Node 20) reads a negated `v`-mode class in a repeated
        // non-capturing group as if it were not negated.
        rust.push('^');
        js.push_str("[^");
        i += 1;
    }
    let mut first = true;
    let mut last = Last::Nothing;
    // One item of the class: a character (maybe ending a range) or a set.
    let mut item = |piece: &Piece, js: &mut String, last: &mut Last| {
        piece.js(js);
        *last = match (piece, *last) {
            (Piece::Char(c), Last::RangeStart(from)) => {
                cased |= range_cased(from, *c);
                Last::Range
            }
            (Piece::Char(c), _) => {
                cased |= has_case(*c);
                Last::Char(*c)
            }
            (other, _) => {
                cased |= other.cased();
                Last::Set
            }
        };
    };
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(unsupported(
                "an unclosed character class `[`",
                start,
                "is invalid",
            ));
        };
        match c {
            ']' if !first => {
                rust.push(']');
                js.push_str(if negated { "]]" } else { "]" });
                return Ok(Class {
                    rust,
                    js,
                    cased,
                    used: i + 1 - start,
                });
            }
            ']' => {
                rust.push_str("\\]");
                item(&Piece::Char(']'), &mut js, &mut last);
                i += 1;
            }
            '\\' => {
                let (text, piece, used) = escape(chars, i, true)?;
                rust.push_str(&text);
                item(&piece, &mut js, &mut last);
                i += used;
            }
            '[' => {
                rust.push_str("\\[");
                item(&Piece::Char('['), &mut js, &mut last);
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'[') => {
                return Err(unsupported(
                    "class subtraction `-[...]`",
                    i,
                    "this engine does not support",
                ));
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                return Err(unsupported(
                    "`--` inside a character class",
                    i,
                    "reads differently in the two engines; escape it as `\\-`",
                ));
            }
            '-' => {
                rust.push('-');
                // As the `regex` crate reads it: a range between the item before and the one
                // after, unless first, last or after a range. After a set it is an error in
                // both engines (JavaScript's from the bare `-`).
                match last {
                    _ if chars.get(i + 1) == Some(&']') => {
                        item(&Piece::Char('-'), &mut js, &mut last);
                    }
                    Last::Nothing | Last::Range => item(&Piece::Char('-'), &mut js, &mut last),
                    Last::Char(from) => {
                        js.push('-');
                        last = Last::RangeStart(from);
                    }
                    Last::RangeStart(_) | Last::Set => js.push('-'),
                }
                i += 1;
            }
            '&' | '~' => {
                rust.push('\\');
                rust.push(c);
                item(&Piece::Char(c), &mut js, &mut last);
                i += 1;
            }
            other => {
                rust.push(other);
                item(&Piece::Char(other), &mut js, &mut last);
                i += 1;
            }
        }
        first = false;
    }
}
