//! `NormalizeDiacritics` with Microsoft's own table (`diacritics.md` beside this file).
//!
//! The table differs from a general transliteration: `ø` becomes `oe`, `ß` becomes `ss`, while
//! `đ`, `œ` and `þ` are not listed and stay as they are. Input is matched character by
//! character with its combining marks, up to canonical equivalence, so `é` written as `e` +
//! U+0301 is found too. Where a letter carries more marks than the table lists, the longest
//! listed prefix is replaced and the remaining marks are kept.
//!
//! Keys are compared in decomposed form (NFD), which holds the same equivalence as the composed
//! one. The decompositions come from a generated table (`diacritics/table.rs`) that holds only
//! the characters that decompose into characters of the keys: any other character can never be
//! part of a match, decomposed or not, so it is kept as it is.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::entra::Value;
use crate::entra::chars::is_combining_mark;
use crate::entra::context::{Call, Ctx, R, map_text};

#[rustfmt::skip]
mod table;
use table::{CLASSES, DECOMPOSED};

const TABLE: &str = include_str!("diacritics.md");

/// The longest key of the table, in characters, bounds the work per letter.
const MAX_KEY_CHARS: usize = 4;

fn table() -> &'static HashMap<String, &'static str> {
    static MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for line in TABLE.lines().filter(|l| l.starts_with('|')) {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            for pair in cells.get(1..).unwrap_or(&[]).chunks(2) {
                let (Some(from), Some(to)) = (pair.first(), pair.get(1)) else {
                    continue;
                };
                for key in from.split(',').map(str::trim).filter(|k| !k.is_empty()) {
                    map.insert(nfd(key.chars()), *to);
                }
            }
        }
        map
    })
}

/// The canonical decomposition (NFD) of a text, as far as matching the keys needs it: each
/// character decomposed, then every run of combining marks ordered by combining class (a
/// stable sort, as Unicode's canonical ordering is). A character that does not decompose into
/// characters of the keys is kept as it is; the result then contains a character no key has,
/// as the true decomposition would, and matches nothing either way.
fn nfd(chars: impl Iterator<Item = char>) -> String {
    let class = |c: char| {
        CLASSES
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .and_then(|i| CLASSES.get(i))
            .map_or(0, |&(_, class)| class)
    };
    let mut decomposed: Vec<(u8, char)> = Vec::new();
    for c in chars {
        let found = DECOMPOSED.binary_search_by_key(&c, |&(k, _)| k).ok();
        match found.and_then(|i| DECOMPOSED.get(i)) {
            Some(&(_, parts)) => decomposed.extend(parts.chars().map(|d| (class(d), d))),
            None => decomposed.push((class(c), c)),
        }
    }
    let mut start = 0;
    while start < decomposed.len() {
        let run = decomposed
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&(class, _)| class != 0)
            .count();
        if let Some(marks) = decomposed
            .get_mut(start..start + run)
            .filter(|m| m.len() > 1)
        {
            // A stable sort by class, as (class, position) pairs: the browser build sorts such
            // pairs elsewhere, so this adds no sort code (a stable sort of the marks, once for
            // each caller of `nfd`, was 2 KB gzipped of it).
            let mut order: Vec<(usize, usize)> = (marks.iter().enumerate())
                .map(|(at, &(class, _))| (usize::from(class), at))
                .collect();
            order.sort_unstable();
            let sorted: Vec<(u8, char)> = (order.iter())
                .filter_map(|&(_, at)| marks.get(at).copied())
                .collect();
            for (mark, in_order) in marks.iter_mut().zip(sorted) {
                *mark = in_order;
            }
        }
        start += run.max(1);
    }
    decomposed.into_iter().map(|(_, c)| c).collect()
}

/// `NormalizeDiacritics(source)`: see [`normalize`].
pub(crate) fn normalize_diacritics(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    map_text(&ctx.arg(call.args, 0)?, &call.arg_span(0), normalize)
}

/// Replaces the characters of Microsoft's table; everything else is kept.
fn normalize(s: &str) -> String {
    let map = table();
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let mut cluster_end = i + 1;
        while chars
            .get(cluster_end)
            .is_some_and(|&m| is_combining_mark(m))
            && cluster_end - i < MAX_KEY_CHARS + 4
        {
            cluster_end += 1;
        }
        let mut matched = None;
        for end in (i + 1..=cluster_end).rev() {
            let key = nfd(chars.get(i..end).unwrap_or(&[]).iter().copied());
            if let Some(to) = map.get(&key) {
                matched = Some((end, *to));
                break;
            }
        }
        match matched {
            Some((end, to)) => {
                out.push_str(to);
                i = end;
            }
            None => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::{NORMALIZATION_UNICODE, check_up_to_date, same_data, version_const};

    #[test]
    fn microsofts_table() {
        assert_eq!(normalize("Zoë"), "Zoe");
        assert_eq!(normalize("Ærøskøbing"), "AEroeskoebing");
        assert_eq!(normalize("Đorđe"), "Đorđe");
        assert_eq!(normalize("Straße"), "Strasse");
        assert_eq!(normalize("Łukasz"), "Lukasz");
        assert_eq!(normalize("e\u{301}"), "e");
        assert_eq!(normalize("ā\u{301}x"), "ax");
        assert_eq!(normalize("œ œ\u{304}"), "œ oe");
        assert_eq!(normalize("İı"), "Ii");
    }

    #[test]
    fn every_row_is_read() {
        assert!(table().len() > 250, "{}", table().len());
        assert_eq!(table().get("ß").copied(), Some("ss"));
    }

    /// The keys of the table, as written.
    fn keys() -> Vec<&'static str> {
        TABLE
            .lines()
            .filter(|l| l.starts_with('|'))
            .flat_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let keys: Vec<&str> = cells
                    .get(1..)
                    .unwrap_or(&[])
                    .chunks(2)
                    .filter_map(|p| p.first().copied())
                    .flat_map(|from| from.split(',').map(str::trim).filter(|k| !k.is_empty()))
                    .collect();
                keys
            })
            .collect()
    }

    /// `diacritics/table.rs`, from `unicode-normalization`: the combining marks, and the
    /// decompositions and combining classes that matching the keys needs.
    fn table_source() -> String {
        use std::collections::BTreeSet;
        use std::fmt::Write;
        use unicode_normalization::UnicodeNormalization;
        use unicode_normalization::char::canonical_combining_class;

        let alphabet: BTreeSet<char> = keys().iter().flat_map(|k| k.nfd()).collect();
        let chars = || (0..=u32::from(char::MAX)).filter_map(char::from_u32);
        let mut out = String::from(
            "//! Generated by `USERNORM_REGENERATE=1 cargo test -p usernorm --lib diacritics`; do not\n\
             //! edit. From `unicode-normalization`, for `NormalizeDiacritics`.\n\n",
        );
        out.push_str(&version_const(
            "UNICODE_VERSION",
            "`unicode-normalization`'s data",
            NORMALIZATION_UNICODE,
        ));
        out.push_str(
            "\n/// The canonical decompositions (full, canonically ordered) of the characters that\n\
             /// decompose into characters of the table's keys only, by character.\n\
             pub(super) static DECOMPOSED: &[(char, &str)] = &[\n",
        );
        for c in chars() {
            let d: String = c.to_string().nfd().collect();
            if d != c.to_string() && d.chars().all(|x| alphabet.contains(&x)) {
                let escaped: String = d
                    .chars()
                    .map(|x| format!("\\u{{{:04X}}}", u32::from(x)))
                    .collect();
                let _ = writeln!(out, "    ('\\u{{{:04X}}}', \"{escaped}\"),", u32::from(c));
            }
        }
        out.push_str(
            "];\n\n\
             /// The canonical combining classes of the marks of the table's keys, by character.\n\
             pub(super) static CLASSES: &[(char, u8)] = &[\n",
        );
        for &c in &alphabet {
            let class = canonical_combining_class(c);
            if class != 0 {
                let _ = writeln!(out, "    ('\\u{{{:04X}}}', {class}),", u32::from(c));
            }
        }
        out.push_str("];\n");
        out
    }

    /// Whether `unicode-normalization`'s data is the one the table was generated from (see
    /// [`same_data`]).
    fn same_table_data() -> bool {
        same_data(
            "src/entra/functions/diacritics/table.rs",
            &[(
                "unicode-normalization",
                table::UNICODE_VERSION,
                NORMALIZATION_UNICODE,
            )],
        )
    }

    /// The committed table is what the generator writes from `unicode-normalization`'s data,
    /// when that is of the Unicode version the table records; otherwise the table is checked
    /// for consistency only.
    #[test]
    fn table_is_up_to_date() {
        if !same_table_data() {
            return table_is_consistent();
        }
        check_up_to_date(
            "src/entra/functions/diacritics/table.rs",
            table_source().as_bytes(),
        );
    }

    /// What holds of the table whatever the Unicode data at hand: both lists in order (they
    /// are searched), each decomposition a change, each class of a mark.
    #[test]
    fn table_is_consistent() {
        assert!(DECOMPOSED.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(CLASSES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(
            DECOMPOSED
                .iter()
                .all(|&(c, d)| !d.is_empty() && d != c.to_string())
        );
        assert!(
            CLASSES
                .iter()
                .all(|&(c, class)| class > 0 && is_combining_mark(c))
        );
        assert_eq!(nfd("é".chars()), "e\u{301}");
    }

    /// Every character alone, and every character before each mark of the keys, gives what the
    /// composed lookup gave.
    ///
    /// The composed lookup composes with `unicode-normalization`'s data at hand: the comparison
    /// runs when that is of the version the table records.
    #[test]
    fn every_character_as_the_composed_lookup() {
        if !same_table_data() {
            return table_is_consistent();
        }
        let marks: Vec<char> = CLASSES.iter().map(|&(c, _)| c).collect();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let s = c.to_string();
            assert_eq!(
                normalize(&s),
                normalize_composed(&s),
                "U+{:04X}",
                u32::from(c)
            );
            if c.is_alphabetic() && u32::from(c) < 0x2000 {
                for &m in &marks {
                    let s = format!("{c}{m}");
                    assert_eq!(normalize(&s), normalize_composed(&s), "{s:?}");
                }
            }
        }
    }

    /// The lookup as it was, with keys in composed form (NFC).
    fn normalize_composed(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;

        static MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
        let map = MAP.get_or_init(|| {
            TABLE
                .lines()
                .filter(|l| l.starts_with('|'))
                .flat_map(|line| {
                    let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                    let pairs: Vec<(String, &str)> = cells
                        .get(1..)
                        .unwrap_or(&[])
                        .chunks(2)
                        .filter_map(|p| Some((*p.first()?, *p.get(1)?)))
                        .flat_map(|(from, to)| {
                            from.split(',')
                                .map(str::trim)
                                .filter(|k| !k.is_empty())
                                .map(move |k| (k.nfc().collect::<String>(), to))
                        })
                        .collect();
                    pairs
                })
                .collect()
        });
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let mut cluster_end = i + 1;
            while chars
                .get(cluster_end)
                .is_some_and(|&m| unicode_normalization::char::is_combining_mark(m))
                && cluster_end - i < MAX_KEY_CHARS + 4
            {
                cluster_end += 1;
            }
            let matched = (i + 1..=cluster_end).rev().find_map(|end| {
                let key: String = chars[i..end].iter().copied().nfc().collect();
                map.get(&key).map(|to| (end, *to))
            });
            match matched {
                Some((end, to)) => {
                    out.push_str(to);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    }

    proptest::proptest! {
        /// Letters of the table, with and without their marks, composed and decomposed, in
        /// any order: the decomposed lookup gives what the composed one gave.
        #[test]
        fn same_as_composed_keys(s in "[aeiouyAEIOUYcnszgdloOøæœßıİĳǅ\u{C0}-\u{24F}\u{1E00}-\u{1EFF}\u{300}-\u{36F}\u{323}\u{1100}-\u{1112}\u{1161}-\u{1175}\u{AC00}-\u{AC10}\u{212B}]{0,10}") {
            proptest::prop_assert_eq!(normalize(&s), normalize_composed(&s));
        }
    }

    /// The decomposed keys find what composed keys found: canonically equivalent spellings of
    /// letters with the keys' marks. (Other text, Hangul say, is not decomposed: it can never
    /// match a key.)
    #[test]
    fn equivalent_spellings_match() {
        use unicode_normalization::UnicodeNormalization;

        for s in [
            "ǖ",
            "u\u{308}\u{304}",
            "ü\u{304}",
            "Å",
            "A\u{30A}",
            "\u{212B}",
            "ệ",
            "e\u{323}\u{302}",
            "e\u{302}\u{323}",
            "ê\u{323}",
            "ạ\u{302}",
            "q\u{307}\u{323}",
        ] {
            for t in [
                "ǖ",
                "ệ",
                "e\u{323}\u{302}",
                "Å",
                "q\u{323}\u{307}",
                "u\u{304}\u{308}",
            ] {
                let composed = s.nfc().eq(t.nfc());
                assert_eq!(nfd(s.chars()) == nfd(t.chars()), composed, "{s:?} {t:?}");
            }
        }
    }
}
