//! String functions: Append, ConvertToBase64, ConvertToUTF8Hex, CStr, InStr, Left, Mid,
//! Redact, StripSpaces, Word.
//!
//! Positions and lengths count UTF-16 code units, as .NET strings do; a cut that would split a
//! character outside the Basic Multilingual Plane (an emoji) is an error, since .NET would
//! produce a broken string there.

use std::ops::Range;

use crate::entra::Value;
use crate::entra::context::{Call, Ctx, R, int_arg, map_text, text};
use crate::entra::error::Fault;

/// `Append(source, suffix)`: null source stays null; a null suffix appends nothing.
pub(crate) fn append(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let suffix = ctx.arg(call.args, 1)?;
    let Some(s) = text(&source, call.span)? else {
        return Ok(Value::Null);
    };
    let suffix = text(&suffix, call.span)?;
    Ok(Value::String(format!(
        "{s}{}",
        suffix.as_deref().unwrap_or("")
    )))
}

/// `ConvertToBase64(source)`: see [`base64_utf16`].
pub(crate) fn convert_to_base64(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    map_text(&ctx.arg(call.args, 0)?, &call.arg_span(0), base64_utf16)
}

/// `ConvertToUTF8Hex(source)`: see [`utf8_hex`].
pub(crate) fn convert_to_utf8_hex(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    map_text(&ctx.arg(call.args, 0)?, &call.arg_span(0), utf8_hex)
}

/// `CStr(value)`: the value's text; null stays null.
pub(crate) fn cstr(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    Ok(match text(&v, &call.arg_span(0))? {
        Some(t) => Value::String(t.into_owned()),
        None => Value::Null,
    })
}

/// `Redact(attribute or value)`: the value itself; the provisioning service hides it from its
/// logs, which evaluating here has none of.
pub(crate) fn redact(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    ctx.arg(call.args, 0)
}

/// `StripSpaces(source)`: without its spaces (U+0020 only).
pub(crate) fn strip_spaces(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    map_text(&ctx.arg(call.args, 0)?, &call.arg_span(0), |s| {
        s.replace(' ', "")
    })
}

/// Base64 of the UTF-16LE bytes, as Microsoft documents ("a Unicode base64 string").
fn base64_utf16(s: &str) -> String {
    let bytes: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let index = ((n >> (18 - 6 * i)) & 63) as usize;
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'=')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Upper-case hex of the UTF-8 bytes.
fn utf8_hex(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        let _ = write!(out, "{b:02X}");
    }
    out
}

/// The byte offset of UTF-16 position `units` in `s` (clamped to the end), or an error if it
/// falls inside a surrogate pair.
fn byte_at_utf16(s: &str, units: usize, span: &Range<usize>) -> R<usize> {
    let mut seen = 0;
    for (i, c) in s.char_indices() {
        if seen == units {
            return Ok(i);
        }
        seen += c.len_utf16();
        if seen > units {
            return Err(Fault::new(
                span,
                "this cuts a character outside the Basic Multilingual Plane (such as an emoji) in half, which gives a broken string in Entra",
            ));
        }
    }
    Ok(s.len())
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `Left(string, numChars)`, as documented: null gives "", 0 gives "", a negative count gives
/// the whole string.
pub(crate) fn left(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let n = int_arg(&ctx.arg(call.args, 1)?, &call.arg_span(1))?;
    let span = call.span;
    let Some(s) = text(&source, &call.arg_span(0))? else {
        return Ok(Value::String(String::new()));
    };
    if n < 0 {
        return Ok(Value::String(s.into_owned()));
    }
    let end = byte_at_utf16(&s, usize::try_from(n).unwrap_or(usize::MAX), span)?;
    Ok(Value::String(s.get(..end).unwrap_or("").to_owned()))
}

/// `Mid(source, start, length)`: `start` counts from 1; a length past the end stops at the end.
pub(crate) fn mid(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let start = int_arg(&ctx.arg(call.args, 1)?, &call.arg_span(1))?;
    let length = int_arg(&ctx.arg(call.args, 2)?, &call.arg_span(2))?;
    let span = call.span;
    let Some(s) = text(&source, &call.arg_span(0))? else {
        return Ok(Value::Null);
    };
    if start < 1 {
        return Err(Fault::new(
            span,
            format!("Mid's start counts from 1; {start} is not a position"),
        ));
    }
    if length < 0 {
        return Err(Fault::new(
            span,
            format!("Mid's length cannot be negative ({length})"),
        ));
    }
    let from_units = usize::try_from(start - 1).unwrap_or(usize::MAX);
    if from_units >= utf16_len(&s) {
        return Ok(Value::String(String::new()));
    }
    let from = byte_at_utf16(&s, from_units, span)?;
    let to_units = from_units.saturating_add(usize::try_from(length).unwrap_or(usize::MAX));
    let to = byte_at_utf16(&s, to_units, span)?;
    Ok(Value::String(s.get(from..to).unwrap_or("").to_owned()))
}

/// `Word(string, wordNumber, delimiters)`: words are the non-empty runs between delimiter
/// characters; a number below 1 or past the last word gives "".
pub(crate) fn word(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let n = int_arg(&ctx.arg(call.args, 1)?, &call.arg_span(1))?;
    let delimiters = ctx.arg(call.args, 2)?;
    let delimiters = text(&delimiters, &call.arg_span(2))?.unwrap_or_default();
    let source = text(&source, &call.arg_span(0))?;
    Ok(Value::String(nth_word(
        source.as_deref().unwrap_or(""),
        n,
        &delimiters,
    )))
}

/// The `n`th word (from 1) of `s`, as `Word` counts them.
fn nth_word(s: &str, n: i64, delimiters: &str) -> String {
    if n < 1 {
        return String::new();
    }
    let index = usize::try_from(n - 1).unwrap_or(usize::MAX);
    s.split(|c| delimiters.contains(c))
        .filter(|w| !w.is_empty())
        .nth(index)
        .unwrap_or("")
        .to_owned()
}

/// `InStr(value1, value2, start, compareType)`: the 1-based position of the first occurrence at
/// or after `start`, or 0. `vbTextCompare` ignores case.
pub(crate) fn instr(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let args = call.args;
    let span_of = |i: usize| call.arg_span(i);
    let haystack = ctx.arg(args, 0)?;
    let needle = ctx.arg(args, 1)?;
    let start = match ctx.arg(args, 2)? {
        Value::Null => 1,
        v => int_arg(&v, &span_of(2))?,
    };
    let text_compare = match ctx.arg(args, 3)? {
        Value::Null => false,
        v => match int_arg(&v, &span_of(3)) {
            Ok(0) => false,
            Ok(1) => true,
            _ => {
                return Err(Fault::new(
                    &span_of(3),
                    "compareType must be vbBinaryCompare or vbTextCompare",
                ));
            }
        },
    };
    if start < 1 {
        return Err(Fault::new(
            &span_of(2),
            format!("InStr's start counts from 1; {start} is not a position"),
        ));
    }
    let (Some(h), Some(n)) = (text(&haystack, &span_of(0))?, text(&needle, &span_of(1))?) else {
        return Ok(Value::Null);
    };
    let (h, n) = if text_compare {
        (
            super::case::change_case(&h, false, false),
            super::case::change_case(&n, false, false),
        )
    } else {
        (h.into_owned(), n.into_owned())
    };
    let from_units = usize::try_from(start - 1).unwrap_or(usize::MAX);
    if from_units > utf16_len(&h) {
        return Ok(Value::Number(0));
    }
    let from = byte_at_utf16(&h, from_units, &span_of(2))?;
    let found = h.get(from..).and_then(|rest| rest.find(n.as_str()));
    Ok(Value::Number(match found {
        Some(i) => i64::try_from(utf16_len(h.get(..from + i).unwrap_or("")) + 1).unwrap_or(0),
        None => 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_microsofts_example() {
        assert_eq!(
            base64_utf16("Hello world!"),
            "SABlAGwAbABvACAAdwBvAHIAbABkACEA"
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn word_skips_empty_runs() {
        assert_eq!(nth_word("a,,b", 2, ","), "b");
        assert_eq!(nth_word("a b", 3, " "), "");
        assert_eq!(nth_word("a b", 0, " "), "");
    }

    #[test]
    fn utf16_positions() {
        assert_eq!(byte_at_utf16("a😀b", 3, &(0..0)).ok(), Some(5));
        assert!(byte_at_utf16("a😀b", 2, &(0..0)).is_err());
    }
}
