//! The transliteration as it was computed before the generated table: Unicode compatibility
//! folding (`unicode-normalization`), the `deunicode` table and readings of our own. Tests only:
//! it generates `table.rs` and `table.bin`, and a test checks the table against it for every
//! Unicode scalar value.

use unicode_normalization::char::{decompose_canonical, decompose_compatible, is_combining_mark};

use crate::chars::{is_ascii_separator, is_combining_diacritic, is_han, is_separator};

/// Readings that differ from the generic transliteration table: Serbian Cyrillic letters take
/// the spelling of Serbian's own Latin alphabet without its accents (`Јовановић` is
/// `Jovanovic` in Latin, not `Jovanovitsh`), and the capital sharp s is `SS`.
fn transliteration_override(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{040B}' => "C",  // Ћ, Latin Ć
        '\u{045B}' => "c",  // ћ, Latin ć
        '\u{040F}' => "Dz", // Џ, Latin Dž
        '\u{045F}' => "dz", // џ, Latin dž
        '\u{1E9E}' => "SS", // ẞ
        _ => return None,
    })
}

/// The Latin reading of a letter of another script.
pub(crate) fn reading(c: char) -> Option<&'static str> {
    transliteration_override(c).or_else(|| deunicode::deunicode_char(c))
}

/// The ASCII letters and digits a compatibility decomposition gives (`é` → `e`, `ﬁ` → `fi`,
/// fullwidth `ｊ` → `j`), when the character decomposes to ASCII and marks only.
pub(crate) fn fold(c: char) -> Option<String> {
    let mut out = super::Folded::default();
    let mut ok = true;
    decompose_compatible(c, |d| {
        if !out.push(d) && !is_combining_mark(d) {
            ok = false;
        }
    });
    (ok && out.len() > 0).then(|| out.chars().collect())
}

/// Whether a character is a combining mark (an accent, a vowel sign).
pub(crate) fn is_mark(c: char) -> bool {
    is_combining_mark(c)
}

/// What `normalize` wrote for a character outside ASCII that the policy does not allow, as
/// `Builder::push_char` computed it from [`fold`], [`is_mark`] and [`reading`]: each character
/// of the result goes through `push_ascii`, and `-` stands for a word break.
pub(crate) fn ascii(c: char) -> String {
    if is_combining_diacritic(c) {
        String::new()
    } else if c.is_alphanumeric() {
        fold(c).unwrap_or_else(|| transliterated(c))
    } else if is_mark(c) {
        transliterated(c)
    } else if is_separator(c) || fold(c).is_some_and(|f| f.chars().all(is_ascii_separator)) {
        "-".to_owned()
    } else {
        String::new()
    }
}

/// What normalize writes for a letter of another script: only its reading's letters, digits and
/// spaces count. The apostrophes and quotes a transliteration uses for signs that have no sound
/// of their own (Cyrillic `ь` `ъ`, Arabic `ع`) are dropped, not turned into `-`, so `Ольга`
/// gives `Olga`, not `Ol-ga`. Scripts without case give lowercase, so a transliteration's
/// capitals (`H` for Arabic `ح`) do not land in the middle of a word; Han readings keep their
/// capital, one per syllable. Spaces become `-`, a word break.
fn transliterated(c: char) -> String {
    let Some(latin) = reading(c) else {
        return String::new();
    };
    let caseless = !c.is_uppercase() && !c.is_lowercase() && !is_han(c);
    let mut out = String::new();
    for f in latin.chars() {
        if f.is_ascii_alphanumeric() {
            out.push(if caseless { f.to_ascii_lowercase() } else { f });
        } else if f.is_ascii_whitespace() {
            out.push('-');
        }
    }
    out
}

/// The base letter of a Greek letter in lowercase (final sigma as sigma), whether it was a
/// capital and whether it carried a diaeresis, from its canonical decomposition.
pub(crate) fn greek(c: char) -> Option<(char, bool, bool)> {
    if !super::full::is_greek(c) {
        return None;
    }
    let mut base = None;
    let mut diaeresis = false;
    decompose_canonical(c, |d| {
        if d == '\u{0308}' {
            diaeresis = true;
        } else if base.is_none() {
            base = Some(d);
        }
    });
    let base = base?;
    let lower = base.to_lowercase().next().unwrap_or(base);
    let lower = if lower == 'ς' { 'σ' } else { lower };
    super::full::GREEK_LETTERS
        .contains(lower)
        .then_some((lower, base.is_uppercase(), diaeresis))
}
