//! Case mapping with .NET's semantics: ToUpper, ToLower and PCase.
//!
//! .NET maps case one character at a time with Unicode's simple mappings: `ß` stays `ß` in
//! upper case (Rust's `to_uppercase` gives `SS`), and a character whose full mapping is longer
//! keeps its simple one. The invariant culture leaves the Turkish dotted `İ` and dotless `ı`
//! alone; the Turkish and Azerbaijani cultures map `i` to `İ` and `I` to `ı`.

use crate::entra::Value;
use crate::entra::chars::{is_combining_mark, lower, upper};
use crate::entra::context::{Call, Ctx, R, map_text, text};

/// Whether a culture name (`tr-TR`, `az-Latn-AZ`) uses Turkic casing.
fn is_turkic(culture: &str) -> bool {
    let language = culture.split(['-', '_']).next().unwrap_or("");
    language.eq_ignore_ascii_case("tr") || language.eq_ignore_ascii_case("az")
}

fn simple_upper(c: char, turkic: bool) -> char {
    match c {
        'i' if turkic => return '\u{130}',
        '\u{131}' if !turkic => return c,
        '\u{131}' => return 'I',
        // Greek letters with ypogegrammeni: the simple mapping is the titlecase letter.
        '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => {
            return char::from_u32(u32::from(c) + 8).unwrap_or(c);
        }
        '\u{1FB3}' => return '\u{1FBC}',
        '\u{1FC3}' => return '\u{1FCC}',
        '\u{1FF3}' => return '\u{1FFC}',
        _ => {}
    }
    upper(c)
}

fn simple_lower(c: char, turkic: bool) -> char {
    match c {
        'I' if turkic => return '\u{131}',
        '\u{130}' if turkic => return 'i',
        '\u{130}' => return c,
        _ => {}
    }
    lower(c)
}

/// `ToUpper`/`ToLower` with one-to-one mapping.
pub(crate) fn change_case(s: &str, upper: bool, turkic: bool) -> String {
    s.chars()
        .map(|c| {
            if upper {
                simple_upper(c, turkic)
            } else {
                simple_lower(c, turkic)
            }
        })
        .collect()
}

/// Whether a character separates words for `PCase` without `wordSeparators`: .NET's
/// `ToTitleCase` treats everything but letters, marks and digits as a separator.
fn default_separator(c: char) -> bool {
    !(c.is_alphanumeric() || is_combining_mark(c))
}

/// `ToLower(source, culture)`: see [`change_case`].
pub(crate) fn to_lower(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    to_case(ctx, call, false)
}

/// `ToUpper(source, culture)`: see [`change_case`].
pub(crate) fn to_upper(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    to_case(ctx, call, true)
}

fn to_case(ctx: &mut Ctx<'_>, call: &Call<'_>, upper: bool) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let culture = ctx.arg(call.args, 1)?;
    let turkic = is_turkic(&text(&culture, &call.arg_span(1))?.unwrap_or_default());
    map_text(&source, &call.arg_span(0), |s| {
        change_case(s, upper, turkic)
    })
}

/// `PCase(source, wordSeparators)`: see [`proper_case`].
pub(crate) fn pcase(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let separators = ctx.arg(call.args, 1)?;
    let separators = text(&separators, &call.arg_span(1))?;
    map_text(&source, &call.arg_span(0), |s| {
        proper_case(s, separators.as_deref().filter(|s| !s.is_empty()))
    })
}

/// The first letter of each word in upper case, the rest in lower case.
fn proper_case(s: &str, separators: Option<&str>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        let is_sep = match separators {
            Some(seps) => seps.contains(c),
            None => default_separator(c),
        };
        if is_sep {
            out.push(c);
            at_word_start = true;
        } else if at_word_start {
            out.push(simple_upper(c, false));
            at_word_start = false;
        } else {
            out.push(simple_lower(c, false));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotnet_simple_case_mapping() {
        assert_eq!(change_case("straße", true, false), "STRAßE");
        assert_eq!(change_case("ı i", true, false), "ı I");
        assert_eq!(change_case("ı i", true, true), "I İ");
        assert_eq!(change_case("İSTANBUL", false, true), "istanbul");
        assert_eq!(change_case("İ", false, false), "İ");
        assert_eq!(change_case("ᾳ", true, false), "ᾼ");
    }

    #[test]
    fn proper_case_capitalizes_each_word() {
        assert_eq!(
            proper_case("PABLO GONSALVES (SECOND)", None),
            "Pablo Gonsalves (Second)"
        );
        assert_eq!(proper_case("PINTO-DE'SILVA", Some(" '-")), "Pinto-De'Silva");
    }
}
