//! The full transliteration: a generated table (`table.rs`, `table.bin`) of what `normalize`
//! writes for each character outside ASCII, computed from Unicode compatibility folding, the
//! `deunicode` table and readings of our own where a script's usual romanization differs from
//! it (Greek passports, Serbian). Greek is read in context first, by [`prepare`].

use std::borrow::Cow;

use super::Latin;
#[rustfmt::skip]
pub(super) mod table;
use table::*;

/// Rewrites what must be read in context (Greek digraphs) before the character-by-character
/// pass.
pub(crate) fn prepare(input: &str) -> Cow<'_, str> {
    greek_to_latin(input)
}

/// Code points per block of the table.
pub(crate) const BLOCK: usize = 64;
/// The Hangul syllables, which are read from their initial, vowel and final.
pub(crate) const HANGUL_FIRST: u32 = 0xAC00;
pub(crate) const HANGUL_LAST: u32 = 0xD7A3;

/// What `normalize` writes for a character outside ASCII that the policy does not allow: its
/// folding (`é` → `e`, `ﬁ` → `fi`), its reading (`Ж` → `Zh`, `王` → `Wang-`; lowercase for
/// scripts without case, `-` for a word break), `-` for a separator, nothing for a symbol.
pub(crate) fn ascii(c: char) -> Latin {
    let u = u32::from(c);
    if let Some(s) = u.checked_sub(HANGUL_FIRST).filter(|_| u <= HANGUL_LAST) {
        let (l, v, t) = (s / (21 * 28), s / 28 % 21, s % 28);
        let part = |list: &[&'static str], i: u32| {
            usize::try_from(i)
                .ok()
                .and_then(|i| list.get(i))
                .copied()
                .unwrap_or("")
        };
        return Latin([
            part(&HANGUL_INITIALS, l),
            part(&HANGUL_VOWELS, v),
            part(&HANGUL_FINALS, t),
        ]);
    }
    let mut han_offset = 0;
    for &(lo, hi) in HAN_RANGES {
        if (lo..=hi).contains(&u) {
            let i = han_offset + (u - lo) as usize;
            return Latin::one(reading(HAN_TEXT, HAN_GROUPS, index(HAN_LOW, HAN_HIGH, i)));
        }
        han_offset += (hi - lo + 1) as usize;
    }
    let Some(k) = (u as usize).checked_sub(0x80) else {
        return Latin::default();
    };
    let block = index2(BLOCKS, k / BLOCK);
    let i = usize::from(block) * BLOCK + k % BLOCK;
    Latin::one(reading(
        OTHER_TEXT,
        OTHER_GROUPS,
        index(OTHER_LOW, OTHER_HIGH, i),
    ))
}

/// The `i`th index of two byte planes (0 when out of range).
fn index(low: std::ops::Range<usize>, high: std::ops::Range<usize>, i: usize) -> u16 {
    let byte = |r: std::ops::Range<usize>| {
        DATA.get(r)
            .and_then(|plane| plane.get(i))
            .copied()
            .unwrap_or(0)
    };
    u16::from_le_bytes([byte(low), byte(high)])
}

/// The `i`th little-endian `u16` of a section (0 when out of range).
fn index2(section: std::ops::Range<usize>, i: usize) -> u16 {
    let bytes = DATA.get(section).and_then(|s| s.get(2 * i..2 * i + 2));
    match bytes {
        Some(&[a, b]) => u16::from_le_bytes([a, b]),
        _ => 0,
    }
}

/// The reading with this index (from 1; 0 is none) in a dictionary: readings come in runs of
/// one length, so its place in its run gives its offset.
fn reading(text: &'static str, groups: &[(u16, u16, u32)], index: u16) -> &'static str {
    let Some(i) = index.checked_sub(1) else {
        return "";
    };
    let group = groups.partition_point(|&(first, _, _)| first <= i);
    let Some(&(first, len, offset)) = group.checked_sub(1).and_then(|g| groups.get(g)) else {
        return "";
    };
    let start = offset as usize + usize::from(i - first) * usize::from(len);
    text.get(start..start + usize::from(len)).unwrap_or("")
}

/// The Greek letters of the passport transliteration, in lowercase (final sigma reads as sigma).
pub(crate) const GREEK_LETTERS: &str = "αβγδεζηθικλμνξοπρστυφχψω";

/// The Greek and Greek Extended blocks.
pub(crate) const GREEK_RANGES: [(char, char); 2] =
    [('\u{0370}', '\u{03FF}'), ('\u{1F00}', '\u{1FFF}')];

/// Greek letters, with or without accents.
pub(crate) fn is_greek(c: char) -> bool {
    GREEK_RANGES.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// A Greek letter of the input: its base letter in lowercase, whether it was a capital, and
/// whether it carried a diaeresis (which keeps a vowel out of a digraph: `αϊ`, `αϋ`).
#[derive(Clone, Copy)]
struct GreekLetter {
    base: char,
    upper: bool,
    diaeresis: bool,
}

impl GreekLetter {
    fn of(c: char) -> Option<GreekLetter> {
        let mut offset = 0;
        let mut entry = None;
        for &(lo, hi) in &GREEK_RANGES {
            let (lo, hi) = (u32::from(lo), u32::from(hi));
            let u = u32::from(c);
            if (lo..=hi).contains(&u) {
                entry = DATA
                    .get(GREEK)
                    .and_then(|g| g.get(offset + (u - lo) as usize))
                    .copied();
            }
            offset += (hi - lo + 1) as usize;
        }
        let entry = entry.filter(|&e| e != 0)?;
        let base = GREEK_LETTERS
            .chars()
            .nth(usize::from(entry & 0x3F).checked_sub(1)?)?;
        Some(GreekLetter {
            base,
            upper: entry & 0x40 != 0,
            diaeresis: entry & 0x80 != 0,
        })
    }
}

/// The ELOT 743 reading (the one on Greek passports) of a lowercase Greek letter.
fn greek_letter_reading(c: char) -> Option<&'static str> {
    Some(match c {
        'α' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' => "e",
        'ζ' => "z",
        'η' => "i",
        'θ' => "th",
        'ι' => "i",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' => "s",
        'τ' => "t",
        'υ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        'ω' => "o",
        _ => return None,
    })
}

/// Transliterates Greek the way Greek passports do (ELOT 743): `η` is `i`, `β` is `v`, `χ` is
/// `ch`, `ου` is `ou`, `γγ` is `ng`, and `αυ` `ευ` `ηυ` are `av` `ev` `iv` before a vowel or a
/// voiced consonant and `af` `ef` `if` otherwise. So `Ευάγγελος Χατζηδάκης` gives
/// `Evangelos Chatzidakis`, as its bearer spells it, not the classical `Euaggelos Khatzedakes`.
/// Text without Greek is returned as it is.
fn greek_to_latin(input: &str) -> Cow<'_, str> {
    if input.is_ascii() || !input.chars().any(is_greek) {
        return Cow::Borrowed(input);
    }
    let items: Vec<(char, Option<GreekLetter>)> =
        input.chars().map(|c| (c, GreekLetter::of(c))).collect();
    let letter = |i: usize| items.get(i).and_then(|&(_, g)| g);
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    while let Some(&(c, greek)) = items.get(i) {
        let Some(g) = greek else {
            out.push(c);
            i += 1;
            continue;
        };
        let next = letter(i + 1).filter(|n| !n.diaeresis);
        let (reading, used): (Cow<'static, str>, usize) = match (g.base, next.map(|n| n.base)) {
            ('α' | 'ε' | 'η', Some('υ')) => {
                let voiced = letter(i + 2).is_some_and(|a| {
                    matches!(
                        a.base,
                        'α' | 'ε'
                            | 'η'
                            | 'ι'
                            | 'ο'
                            | 'υ'
                            | 'ω'
                            | 'β'
                            | 'γ'
                            | 'δ'
                            | 'ζ'
                            | 'λ'
                            | 'μ'
                            | 'ν'
                            | 'ρ'
                    )
                });
                let vowel = greek_letter_reading(g.base).unwrap_or_default();
                let consonant = if voiced { "v" } else { "f" };
                (format!("{vowel}{consonant}").into(), 2)
            }
            ('ο', Some('υ')) => ("ou".into(), 2),
            ('γ', Some('γ')) => ("ng".into(), 2),
            ('γ', Some('ξ')) => ("nx".into(), 2),
            ('γ', Some('χ')) => ("nch".into(), 2),
            (base, _) => (greek_letter_reading(base).unwrap_or_default().into(), 1),
        };
        // A capital is written in capitals inside a word in capitals (`ΧΡΥΣΗ`, `CHRYSI`), and
        // as a capital then small letters otherwise (`Χρυσή`, `Chrysi`).
        let neighbour = letter(i + used).or_else(|| i.checked_sub(1).and_then(letter));
        let all_caps = g.upper
            && if used > 1 {
                next.is_some_and(|n| n.upper)
            } else {
                neighbour.is_some_and(|n| n.upper)
            };
        for (k, r) in reading.chars().enumerate() {
            if all_caps || g.upper && k == 0 {
                out.push(r.to_ascii_uppercase());
            } else {
                out.push(r);
            }
        }
        i += used;
    }
    Cow::Owned(out)
}

/// The table's reading of a Greek letter: base letter, capital, diaeresis.
#[cfg(test)]
pub(crate) fn greek_letter(c: char) -> Option<(char, bool, bool)> {
    GreekLetter::of(c).map(|g| (g.base, g.upper, g.diaeresis))
}
