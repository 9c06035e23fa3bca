//! Transliteration: how `normalize` reads characters that are not ASCII.
//!
//! With the `translit` feature (on by default), every script is read, from one generated table
//! of what each character becomes: accents and ligatures folded as Unicode compatibility
//! decomposition folds them, other scripts transliterated as the `deunicode` table reads them.
//! The table is generated from those two crates (`reference.rs`, tests only) and checked
//! against them for every Unicode scalar value. Without the feature (the small browser build),
//! a generated table folds the Latin letters of Latin-1, Latin Extended-A and B, Latin Extended
//! Additional and the Latin ligatures the same way the full path does, fullwidth ASCII is
//! shifted back, and other letters are dropped.

#[cfg(feature = "translit")]
mod full;
#[cfg(feature = "translit")]
pub(crate) use full::{ascii, prepare};

#[cfg(all(test, feature = "translit"))]
mod generate;
#[cfg(all(test, feature = "translit"))]
mod reference;

#[cfg(any(test, not(feature = "translit")))]
pub(crate) mod latin_table;

#[cfg(not(feature = "translit"))]
mod small {
    use std::borrow::Cow;

    use super::{Latin, PRINTABLE, latin_reading};
    use crate::chars::{is_ascii_separator, is_combining_diacritic, is_separator};

    pub(crate) fn prepare(input: &str) -> Cow<'_, str> {
        Cow::Borrowed(input)
    }

    /// The ASCII a character folds to: fullwidth ASCII (`ｊｏｈｎ`, typed with an East Asian
    /// input method) is ASCII shifted, Latin letters come from the generated table.
    fn fold(c: char) -> Option<&'static str> {
        if let '\u{FF01}'..='\u{FF5E}' = c {
            let i = (u32::from(c) - 0xFF01) as usize;
            return PRINTABLE.get(i..=i);
        }
        latin_reading(c)
    }

    /// What `normalize` writes for a character outside ASCII that the policy does not allow:
    /// a Latin letter's folding, `-` for a separator, nothing for other scripts and symbols.
    ///
    /// Only letters have readings in the table, and the fullwidth forms of letters and digits
    /// fold to letters and digits, so a reading of letters and digits is a letter's; a letter
    /// without one is dropped like a symbol. No separator is a letter. That keeps `char`'s
    /// Unicode tables out of the small build; the test below checks it against them.
    pub(crate) fn ascii(c: char) -> Latin {
        if is_combining_diacritic(c) {
            return Latin::default();
        }
        match fold(c) {
            Some(f) if f.bytes().all(|b| b.is_ascii_alphanumeric()) => Latin::one(f),
            Some(f) if f.chars().all(is_ascii_separator) => Latin::one("-"),
            Some(_) => Latin::default(),
            None if is_separator(c) => Latin::one("-"),
            None => Latin::default(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// [`ascii`] gives, for every character, what the rule written with `char`'s Unicode
        /// tables gives: a letter or digit its folding or nothing, a separator `-`. `char`'s
        /// tables are the running toolchain's: the comparison runs when they are of the
        /// Unicode version the Latin table records (and must pass); under another version a
        /// difference could be new Unicode data, not a fault, and only what every version
        /// holds is checked.
        #[test]
        fn ascii_is_the_rule_of_the_unicode_tables() {
            use crate::generated::{NORMALIZATION_UNICODE, STD_UNICODE, same_data};
            use crate::translit::latin_table::{NORMALIZATION_UNICODE_VERSION, UNICODE_VERSION};
            let same = same_data(
                "src/translit/latin_table.rs",
                &[
                    ("Rust's char", UNICODE_VERSION, STD_UNICODE),
                    (
                        "unicode-normalization",
                        NORMALIZATION_UNICODE_VERSION,
                        NORMALIZATION_UNICODE,
                    ),
                ],
            );
            if !same {
                for (c, want) in [('é', "e"), ('Æ', "AE"), ('\u{301}', ""), ('\u{A0}', "-")] {
                    assert_eq!(ascii(c).chars().collect::<String>(), want, "{c:?}");
                }
                return;
            }
            for c in (0x80..=u32::from(char::MAX)).filter_map(char::from_u32) {
                let want = if is_combining_diacritic(c) {
                    ""
                } else if c.is_alphanumeric() {
                    fold(c).unwrap_or("")
                } else if is_separator(c)
                    || fold(c).is_some_and(|f| f.chars().all(is_ascii_separator))
                {
                    "-"
                } else {
                    ""
                };
                let have: String = ascii(c).chars().collect();
                assert_eq!(have, want, "U+{:04X}", u32::from(c));
            }
        }
    }
}

/// Printable ASCII, from `!`: fullwidth forms are these shifted, and a one-letter reading of
/// the Latin table is a slice of it.
#[cfg(any(test, not(feature = "translit")))]
const PRINTABLE: &str = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// How the full transliteration reads a Latin letter of the generated table's blocks, if it
/// reads it at all: one to three ASCII letters or digits.
#[cfg(any(test, not(feature = "translit")))]
pub(crate) fn latin_reading(c: char) -> Option<&'static str> {
    use latin_table::{LATIN_FOLD, LONG_READINGS};

    let code = u32::from(c);
    let b = LATIN_FOLD.iter().find_map(|&(first, readings)| {
        readings.get(usize::try_from(code.checked_sub(first)?).ok()?)
    })?;
    match *b {
        b'_' => None,
        0x80.. => {
            let at = usize::from(b - 0x80) * 3;
            Some(LONG_READINGS.get(at..at + 3)?.trim_end_matches(' '))
        }
        _ => {
            let at = usize::from(b.checked_sub(b'!')?);
            PRINTABLE.get(at..=at)
        }
    }
}

#[cfg(not(feature = "translit"))]
pub(crate) use small::{ascii, prepare};

/// What `normalize` writes for a character outside ASCII: ASCII text in up to three pieces (a
/// Hangul syllable is read from its three jamo). Each character goes through the same path as
/// an ASCII character of the input, so `-` is a word break.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Latin([&'static str; 3]);

impl Latin {
    /// One piece.
    pub(crate) fn one(s: &'static str) -> Latin {
        Latin([s, "", ""])
    }

    /// The ASCII characters, in order.
    pub(crate) fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().flat_map(|s| s.chars())
    }
}

/// The ASCII a compatibility decomposition gives, built on the stack (the reference
/// transliteration of the tests).
#[cfg(all(test, feature = "translit"))]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Folded {
    bytes: [u8; Folded::CAPACITY],
    len: usize,
}

#[cfg(all(test, feature = "translit"))]
impl Folded {
    /// Longer than any compatibility decomposition (Unicode's longest has 18 characters).
    pub(crate) const CAPACITY: usize = 32;

    /// Appends an ASCII character; returns false when it is not ASCII or there is no room.
    pub(crate) fn push(&mut self, c: char) -> bool {
        match (u8::try_from(c), self.bytes.get_mut(self.len)) {
            (Ok(b), Some(slot)) if b.is_ascii() => {
                *slot = b;
                self.len += 1;
                true
            }
            _ => false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.bytes.iter().take(self.len).map(|&b| char::from(b))
    }
}

/// The ranges the generated Latin table covers.
#[cfg(all(test, feature = "translit"))]
pub(crate) const LATIN_RANGES: [(char, char); 3] = [
    ('\u{00C0}', '\u{024F}'),
    ('\u{1E00}', '\u{1EFF}'),
    ('\u{FB00}', '\u{FB06}'),
];

/// What the full path reads for a letter of [`LATIN_RANGES`], in ASCII letters and digits
/// (empty for a character that is not a letter, or a letter it drops).
#[cfg(all(test, feature = "translit"))]
fn latin_reference(c: char) -> String {
    if !c.is_alphabetic() {
        return String::new();
    }
    reference::fold(c)
        .or_else(|| reference::reading(c).map(str::to_owned))
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// The generated table's source text: what the full path gives for each Latin letter of
/// [`LATIN_RANGES`]. A test compares it with the committed `latin_table.rs`.
#[cfg(all(test, feature = "translit"))]
pub(crate) fn latin_table_source() -> String {
    let mut long: Vec<String> = Vec::new();
    let mut out = String::from(
        "//! Generated by `USERNORM_REGENERATE=1 cargo test -p usernorm --lib latin_table`; do not edit.\n\
         //! How the full transliteration folds each Latin letter, for builds without it.\n\n\
         /// Each block's first code point, and a byte for each of its code points: the reading\n\
         /// when it is one ASCII letter or digit, `_` when there is none, `0x80 + i` for the\n\
         /// `i`-th reading of [`LONG_READINGS`]. A byte a letter: a fraction of the size of a\n\
         /// table of `(letter, reading)` pairs, and a letter is found without a search.\n\
         pub(crate) static LATIN_FOLD: [(u32, &[u8]); 3] = [\n",
    );
    out = out.replacen(
        "//! How the full transliteration folds each Latin letter, for builds without it.\n\n",
        &format!(
            "//! How the full transliteration folds each Latin letter, for builds without it.\n\n{}\n",
            generate::unicode_versions()
        ),
        1,
    );
    for &(lo, hi) in &LATIN_RANGES {
        out.push_str(&format!(
            "    (\n        0x{:04X},\n        b\"",
            u32::from(lo)
        ));
        for (i, c) in (lo..=hi).enumerate() {
            if i > 0 && i % 64 == 0 {
                out.push_str("\\\n          ");
            }
            let reading = latin_reference(c);
            assert!(reading.len() <= 3, "{c:?} reads {reading}");
            match reading.len() {
                0 => out.push('_'),
                1 => out.push_str(&reading),
                _ => {
                    let at = long.iter().position(|r| *r == reading).unwrap_or_else(|| {
                        long.push(reading);
                        long.len() - 1
                    });
                    assert!(at < 0x80, "too many long readings");
                    out.push_str(&format!("\\x{:02X}", 0x80 + at));
                }
            }
        }
        out.push_str("\",\n    ),\n");
    }
    out.push_str(
        "];\n\n\
         /// The readings of two or three characters, three bytes each, padded with spaces.\n\
         pub(crate) static LONG_READINGS: &str = \"",
    );
    for (i, reading) in long.iter().enumerate() {
        if i > 0 && i % 20 == 0 {
            out.push_str("\\\n    ");
        }
        out.push_str(&format!("{reading:<3}"));
    }
    out.push_str("\";\n");
    out
}

#[cfg(all(test, feature = "translit"))]
mod tests {
    use crate::generated::{NORMALIZATION_UNICODE, STD_UNICODE, same_data};

    /// Whether the Unicode data at hand (Rust's character properties, `unicode-normalization`'s
    /// decompositions) is the one the table was generated from (see [`same_data`]).
    fn same_table_data() -> bool {
        use super::full::table::{NORMALIZATION_UNICODE_VERSION, UNICODE_VERSION};
        same_data(
            "src/translit/full/table.rs",
            &[
                ("Rust's char", UNICODE_VERSION, STD_UNICODE),
                (
                    "unicode-normalization",
                    NORMALIZATION_UNICODE_VERSION,
                    NORMALIZATION_UNICODE,
                ),
            ],
        )
    }

    /// As [`same_table_data`], for the Latin table of the small build.
    fn same_latin_data() -> bool {
        use super::latin_table::{NORMALIZATION_UNICODE_VERSION, UNICODE_VERSION};
        same_data(
            "src/translit/latin_table.rs",
            &[
                ("Rust's char", UNICODE_VERSION, STD_UNICODE),
                (
                    "unicode-normalization",
                    NORMALIZATION_UNICODE_VERSION,
                    NORMALIZATION_UNICODE,
                ),
            ],
        )
    }

    /// What holds of the table whatever the Unicode data at hand: every character outside
    /// ASCII reads as ASCII, and the readings every version has.
    #[test]
    fn table_is_consistent() {
        for c in (0x80..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert!(
                super::ascii(c).chars().all(|a| a.is_ascii()),
                "U+{:04X}",
                u32::from(c)
            );
        }
        for (c, want) in [
            ('é', "e"),
            ('Ж', "Zh"),
            ('ß', "ss"),
            ('\u{A0}', "-"),
            ('😀', ""),
        ] {
            assert_eq!(super::ascii(c).chars().collect::<String>(), want, "{c:?}");
        }
    }

    /// The committed table is what the generator writes from the Unicode data at hand, when
    /// that is of the versions the table records; otherwise the table is checked for
    /// consistency only.
    #[test]
    fn table_is_up_to_date() {
        if !same_table_data() {
            return table_is_consistent();
        }
        let want = super::generate::generate();
        crate::generated::check_up_to_date("src/translit/full/table.rs", want.source.as_bytes());
        crate::generated::check_up_to_date("src/translit/full/table.bin", &want.data);
    }

    /// The table gives what folding and `deunicode` give, for every Unicode scalar value, when
    /// the Unicode data at hand is of the versions the table records (then the comparison runs
    /// and must pass); otherwise the table is checked for consistency only.
    #[test]
    fn table_matches_the_reference_for_every_character() {
        if !same_table_data() {
            return table_is_consistent();
        }
        let mut checked = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if c.is_ascii() {
                continue;
            }
            let have: String = super::ascii(c).chars().collect();
            let want = super::reference::ascii(c);
            assert_eq!(have, want, "U+{:04X}", u32::from(c));
            checked += 1;
        }
        assert_eq!(checked, 0x110000 - 0x800 - 0x80);
    }

    proptest::proptest! {
        /// Normalizing folds a text as if each character outside ASCII (and not allowed) were
        /// replaced by what the reference transliteration writes for it: letters with
        /// combining sequences, other scripts, separators, symbols, under policies that keep
        /// some ASCII punctuation.
        #[test]
        fn normalize_folds_as_the_reference(
            s in "[a-zA-Z0-9 ._'+\\-\u{A0}-\u{24F}éÆøßŁĳǅ\u{300}-\u{36F}\u{1AB0}-\u{1AFF}\u{1DC0}-\u{1DFF}\u{20D0}-\u{20FF}\u{FE00}-\u{FE2F}\u{0370}-\u{03FF}\u{1F00}-\u{1F20}\u{0400}-\u{04FF}\u{0590}-\u{06FF}\u{0900}-\u{097F}\u{0E00}-\u{0E7F}\u{3040}-\u{30FF}\u{3400}-\u{3410}\u{4E00}-\u{4E80}\u{AC00}-\u{AD00}\u{1100}-\u{11FF}\u{2000}-\u{206F}\u{2100}-\u{218F}\u{2460}-\u{24FF}\u{3000}-\u{303F}\u{FF01}-\u{FF9F}\u{1D400}-\u{1D7FF}\u{1F600}-\u{1F64F}\u{20000}-\u{20010}]{0,16}"
        ) {
            // Compared with the reference on the Unicode data at hand, when it is the data the
            // table was generated from (asked once: the answer is the same for every case).
            static SAME: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
            if !*SAME.get_or_init(same_table_data) {
                return Ok(());
            }
            let policies = [
                crate::Policy::huggingface(),
                crate::Policy::from_toml("extra_chars = \"._\"").expect("policy"),
            ];
            for policy in &policies {
                for lowercase in [false, true] {
                    let options = crate::NormalizeOptions { lowercase };
                    let prepared = super::prepare(&s);
                    let expanded: String = prepared
                        .chars()
                        .map(|c| {
                            if c.is_ascii() || policy.allows_char(c) {
                                c.to_string()
                            } else {
                                super::reference::ascii(c)
                            }
                        })
                        .collect();
                    proptest::prop_assert_eq!(
                        policy.fold(&s, options).0,
                        policy.fold(&expanded, options).0,
                        "{:?} as {:?}",
                        s,
                        expanded
                    );
                }
            }
        }
    }

    /// Greek letters are read in context from the table; it knows what their decompositions say.
    #[test]
    fn greek_letters_match_their_decomposition() {
        for &(lo, hi) in &super::full::GREEK_RANGES {
            for c in lo..=hi {
                let have = super::full::greek_letter(c);
                assert_eq!(have, super::reference::greek(c), "U+{:04X}", u32::from(c));
            }
        }
    }

    /// What holds of the Latin table whatever the Unicode data at hand: a block of readings a
    /// range, readings of one to three letters or digits.
    #[test]
    fn latin_table_is_consistent() {
        use super::latin_table::LATIN_FOLD;
        for (&(first, readings), &(lo, hi)) in LATIN_FOLD.iter().zip(&super::LATIN_RANGES) {
            assert_eq!(first, u32::from(lo));
            assert_eq!(readings.len(), (u32::from(hi) - u32::from(lo) + 1) as usize);
        }
        for &(lo, hi) in &super::LATIN_RANGES {
            for c in lo..=hi {
                let reading = super::latin_reading(c).unwrap_or("");
                assert!(reading.len() <= 3, "{c:?}");
                assert!(reading.bytes().all(|b| b.is_ascii_alphanumeric()), "{c:?}");
            }
        }
        assert_eq!(super::latin_reading('Æ'), Some("AE"));
    }

    /// As `table_is_up_to_date`, for the Latin table.
    #[test]
    fn latin_table_is_up_to_date() {
        if !same_latin_data() {
            return latin_table_is_consistent();
        }
        let want = super::latin_table_source();
        crate::generated::check_up_to_date("src/translit/latin_table.rs", want.as_bytes());
    }

    /// The small build's reading of every code point of the table's blocks is the full one's,
    /// when the Unicode data at hand is of the versions the table records; otherwise the table
    /// is checked for consistency only.
    #[test]
    fn latin_table_reads_as_the_full_path() {
        if !same_latin_data() {
            return latin_table_is_consistent();
        }
        let mut letters = 0;
        for &(lo, hi) in &super::LATIN_RANGES {
            for c in lo..=hi {
                let want = super::latin_reference(c);
                assert_eq!(super::latin_reading(c).unwrap_or(""), want, "{c:?}");
                letters += usize::from(!want.is_empty());
            }
        }
        assert!(letters > 600, "{letters} letters");
        assert_eq!(super::latin_reading('z'), None);
        assert_eq!(super::latin_reading('\u{FB07}'), None);
    }
}

#[cfg(all(test, not(feature = "translit")))]
mod small_tests {
    use crate::Policy;

    #[test]
    fn latin_letters_fold_and_other_scripts_drop() {
        let hf = Policy::huggingface();
        let name = |s: &str| hf.normalize(s).map(|n| n.name);
        assert_eq!(name("José Ærøskøbing").as_deref(), Ok("Jose-AEroskobing"));
        assert_eq!(name("Łukasz Żółć").as_deref(), Ok("Lukasz-Zolc"));
        assert_eq!(name("Đặng Thị Hương").as_deref(), Ok("Dang-Thi-Huong"));
        assert_eq!(name("王小明 Li").as_deref(), Ok("Li"));
        // Nothing was read in Mandarin or spelt without vowels: nothing to review.
        for text in ["王小明 Li", "محمد Ali"] {
            assert_eq!(hf.normalize(text).map(|n| n.review), Ok(None), "{text}");
        }
        assert_eq!(name("ﬁlm ｊｏｈｎ．ｄｏｅ").as_deref(), Ok("film-john-doe"));
        assert!(name("王小明").is_err());
    }
}
