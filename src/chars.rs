//! Character predicates that normalizing and transliteration share: which characters separate
//! words, which accents combine with the letter before them, which scripts a reading of must
//! be reviewed. A module of their own, so `normalize` and `translit` both import it and
//! neither imports the other's internals.

/// Accents that combine with the letter before them and are dropped with the fold. (With
/// `translit`, the generated table in `src/translit/` has this and [`is_separator`] built in;
/// a policy's `extra_chars` refuses these everywhere.)
pub(crate) fn is_combining_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// ASCII characters that separate words and become `-`.
pub(crate) fn is_ascii_separator(c: char) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '\''
                | '+'
                | ','
                | '/'
                | '\\'
                | ':'
                | ';'
                | '|'
                | '&'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '"'
                | '@'
                | '*'
                | '~'
                | '='
        )
}

/// Non-ASCII whitespace and punctuation that separate words.
#[cfg(any(test, not(feature = "translit")))]
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00A0}' | '\u{00AB}' | '\u{00B7}' | '\u{00BB}' | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}' | '\u{3000}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
            | '\u{30FB}' | '\u{FF65}' | '\u{058A}' | '\u{05BE}' | '\u{060C}' | '\u{066B}'
            | '\u{066C}' | '\u{06D4}' | '\u{0964}' | '\u{0965}')
}

/// Letters of the Hebrew and Arabic scripts, which write few or no vowels.
pub(crate) fn is_abjad(c: char) -> bool {
    c.is_alphabetic()
        && matches!(c,
            '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Han ideographs, whose transliteration assumes a Mandarin reading.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}' | '\u{30000}'..='\u{323AF}')
}
