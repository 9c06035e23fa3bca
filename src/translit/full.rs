//! The full transliteration: Unicode compatibility folding (`unicode-normalization`), the
//! `deunicode` table for other scripts, and readings of our own where a script's usual
//! romanization differs from the table (Greek passports, Serbian).

use std::borrow::Cow;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use super::Folded;

/// Rewrites what must be read in context (Greek digraphs) before the character-by-character
/// pass.
pub(crate) fn prepare(input: &str) -> Cow<'_, str> {
    greek_to_latin(input)
}

/// Whether a character is a combining mark (an accent, a vowel sign).
pub(crate) fn is_mark(c: char) -> bool {
    is_combining_mark(c)
}

/// The Latin reading of a letter of another script.
pub(crate) fn reading(c: char) -> Option<&'static str> {
    transliteration_override(c).or_else(|| deunicode::deunicode_char(c))
}

/// Greek letters, with or without accents.
fn is_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}')
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
        if !is_greek(c) {
            return None;
        }
        let mut base = None;
        let mut diaeresis = false;
        unicode_normalization::char::decompose_canonical(c, |d| {
            if d == '\u{0308}' {
                diaeresis = true;
            } else if base.is_none() {
                base = Some(d);
            }
        });
        let base = base?;
        let lower = base.to_lowercase().next().unwrap_or(base);
        let lower = if lower == 'ς' { 'σ' } else { lower };
        greek_letter_reading(lower).map(|_| GreekLetter {
            base: lower,
            upper: base.is_uppercase(),
            diaeresis,
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

/// The ASCII letters and digits a compatibility decomposition gives (`é` → `e`, `ﬁ` → `fi`,
/// fullwidth `ｊ` → `j`), when the character decomposes to ASCII and marks only.
pub(crate) fn fold(c: char) -> Option<Folded> {
    let mut out = Folded::default();
    let mut ok = true;
    decompose_compatible(c, |d| {
        if !out.push(d) && !is_combining_mark(d) {
            ok = false;
        }
    });
    (ok && !out.is_empty()).then_some(out)
}
