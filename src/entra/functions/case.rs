//! Case mapping with .NET's semantics: ToUpper, ToLower and PCase.
//!
//! .NET maps case one character at a time with Unicode's simple mappings: `ß` stays `ß` in
//! upper case (Rust's `to_uppercase` gives `SS`), and a character whose full mapping is longer
//! keeps its simple one. The invariant culture leaves the Turkish dotted `İ` and dotless `ı`
//! alone; the Turkish and Azerbaijani cultures map `i` to `İ` and `I` to `ı`.

use super::diacritics::is_combining_mark;
use crate::entra::Value;
use crate::entra::context::{Call, Ctx, R, map_text, text};

#[rustfmt::skip]
mod table;

/// A character's simple case mapping in one direction (`table::LOWER` or `table::UPPER`): the
/// one character Rust's `to_lowercase` or `to_uppercase` gives for it, or the character itself
/// when that gives it, or more than one character. The same as asking Rust, without linking its
/// case tables (25 KB, some 10 KB of the browser build gzipped).
fn mapped(runs: &[(u32, u16, u8, i32)], c: char) -> char {
    let u = u32::from(c);
    let after = runs.partition_point(|&(first, ..)| first <= u);
    let Some(&(first, count, step, delta)) = after.checked_sub(1).and_then(|i| runs.get(i)) else {
        return c;
    };
    let (offset, step) = (u - first, u32::from(step.max(1)));
    if offset % step != 0 || offset / step >= u32::from(count) {
        return c;
    }
    u.checked_add_signed(delta)
        .and_then(char::from_u32)
        .unwrap_or(c)
}

/// Whether Rust's `to_lowercase` or `to_uppercase` gives more than one character for `c`.
fn maps_to_several(c: char) -> bool {
    table::SEVERAL.binary_search(&u32::from(c)).is_ok()
}

/// Whether case-insensitive matching may match `c` with another character: whether Rust's
/// `to_lowercase` or `to_uppercase` changes it.
pub(crate) fn has_case(c: char) -> bool {
    mapped(table::LOWER, c) != c || mapped(table::UPPER, c) != c || maps_to_several(c)
}

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
    mapped(table::UPPER, c)
}

fn simple_lower(c: char, turkic: bool) -> char {
    match c {
        'I' if turkic => return '\u{131}',
        '\u{130}' if turkic => return 'i',
        '\u{130}' => return c,
        _ => {}
    }
    mapped(table::LOWER, c)
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
    use std::fmt::Write;

    /// The one character a full mapping gives, or `c`.
    fn simple(mut full: impl Iterator<Item = char>, c: char) -> char {
        match (full.next(), full.next()) {
            (Some(m), None) => m,
            _ => c,
        }
    }

    /// Runs of characters mapped by the same offset, every character or every other one, as
    /// `(first, count, step, offset)`.
    fn runs(map: impl Fn(char) -> char) -> Vec<(u32, u16, u8, i32)> {
        let offset = |u: u32| {
            char::from_u32(u)
                .map(|c| i64::from(u32::from(map(c))) - i64::from(u))
                .unwrap_or(0)
        };
        let mut runs: Vec<(u32, u16, u8, i32)> = Vec::new();
        let mut u = 0;
        while u <= u32::from(char::MAX) {
            let delta = offset(u);
            if delta == 0 {
                u += 1;
                continue;
            }
            let step = if offset(u + 1) != delta && offset(u + 1) == 0 && offset(u + 2) == delta {
                2
            } else {
                1
            };
            let mut count = 1;
            while count < u16::MAX
                && offset(u + count as u32 * step) == delta
                && (step == 1 || offset(u + count as u32 * step - 1) == 0)
            {
                count += 1;
            }
            runs.push((u, count, step as u8, i32::try_from(delta).expect("fits")));
            u += (count as u32 - 1) * step + 1;
        }
        runs
    }

    fn case_table() -> String {
        let several: Vec<u32> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().count() > 1 || c.to_uppercase().count() > 1)
            .map(u32::from)
            .collect();
        let mut out = String::from(
            "//! Generated by `USERNORM_REGENERATE=1 cargo test -p usernorm --lib case`; do not edit.\n\
             //! Rust's case mappings (`char::to_lowercase`, `char::to_uppercase`), for the\n\
             //! characters they map to one character, and the characters they map to several.\n\
             //! A test checks them against Rust's for every Unicode scalar value.\n\n",
        );
        for (name, what, runs) in [
            (
                "LOWER",
                "to_lowercase",
                runs(|c| simple(c.to_lowercase(), c)),
            ),
            (
                "UPPER",
                "to_uppercase",
                runs(|c| simple(c.to_uppercase(), c)),
            ),
        ] {
            let _ = writeln!(
                out,
                "/// `{what}`, for one character: `(first, count, step, offset)`, the characters\n\
                 /// `first + k * step` for `k` below `count` map to themselves plus `offset`.\n\
                 pub(super) static {name}: &[(u32, u16, u8, i32)] = &["
            );
            for (first, count, step, delta) in runs {
                let _ = writeln!(out, "    (0x{first:04X}, {count}, {step}, {delta}),");
            }
            out.push_str("];\n\n");
        }
        out.push_str(
            "/// The characters `to_lowercase` or `to_uppercase` maps to more than one character.\n\
             pub(super) static SEVERAL: &[u32] = &[\n",
        );
        for chunk in several.chunks(8) {
            let items: Vec<String> = chunk.iter().map(|u| format!("0x{u:04X}")).collect();
            let _ = writeln!(out, "    {},", items.join(", "));
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn case_table_is_up_to_date() {
        crate::generated::check_up_to_date(
            "src/entra/functions/case/table.rs",
            case_table().as_bytes(),
        );
    }

    #[test]
    fn case_table_is_rusts_case_mapping() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let (lower, upper) = (simple(c.to_lowercase(), c), simple(c.to_uppercase(), c));
            assert_eq!(mapped(table::LOWER, c), lower, "lower case of {c:?}");
            assert_eq!(mapped(table::UPPER, c), upper, "upper case of {c:?}");
            let std_has_case = !c.to_lowercase().eq(std::iter::once(c))
                || !c.to_uppercase().eq(std::iter::once(c));
            assert_eq!(has_case(c), std_has_case, "{c:?}");
        }
    }

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
