//! Which characters a policy may add to the allowed set (`extra_chars`).
//!
//! Any printable ASCII character; beyond ASCII, letters and digits of any script, as
//! [`char::is_alphanumeric`] says, less the combining marks and the characters that show as
//! nothing. That is PRECIS's `IdentifierClass` (RFC 8264) without its marks, and it refuses
//! everything a name could hide behind: whitespace, controls, format and bidirectional
//! controls (U+202E), zero-width and other default-ignorable characters (U+200B, U+FEFF),
//! combining marks (U+0301), unassigned, private-use and surrogate code points, and punctuation
//! and symbols outside ASCII (U+2024 `․` reads as `.`). Letters and digits are assigned code
//! points, so Rust's own tables settle all of that but the marks that Unicode counts as
//! alphabetic (vowel signs), which a small generated table lists.
//!
//! Those tables cost the browser builds more than they can spare (1.8 KB gzipped of the
//! small one), so they come with the `unicode-policy` feature. Without it the refusals that
//! need no table still hold: whitespace, controls, the default-ignorable, bidirectional and
//! format characters, the combining-mark blocks (U+0300 to U+036F and the like), private use
//! and noncharacters; a script's own marks, punctuation and symbols and unassigned code
//! points then pass.

#[cfg(feature = "unicode-policy")]
mod marks;

/// Whether `c` cannot be added to a policy's allowed characters.
///
/// Only a yes or no: the error names the character, and the README the classes refused (a
/// reason for each cost the browser's small build 170 bytes gzipped).
pub(crate) fn refuses(c: char) -> bool {
    if refuses_without_tables(c) {
        return true;
    }
    #[cfg(feature = "unicode-policy")]
    if !c.is_ascii() && (!c.is_alphanumeric() || marks::is_alphabetic_mark(c)) {
        return true;
    }
    false
}

/// The refusals that need no Unicode table: whitespace, controls, the characters that show
/// as nothing, the combining-mark blocks, format characters, private use, noncharacters.
fn refuses_without_tables(c: char) -> bool {
    if c.is_whitespace() || c.is_control() {
        return true;
    }
    !c.is_ascii()
        && (crate::rules::is_invisible(c)
            || is_format(c)
            || crate::chars::is_combining_diacritic(c)
            || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'.. | '\u{FDD0}'..='\u{FDEF}')
            || u32::from(c) & 0xFFFE == 0xFFFE)
}

/// The format characters (general category Cf) that [`crate::rules::is_invisible`] leaves out:
/// they show as a sign or nothing, depending on the text around them.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}'
        | '\u{08E2}' | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}')
}

#[cfg(test)]
mod tests {
    use super::refuses;

    #[test]
    fn the_issue_s_characters_are_refused() {
        for c in ['\u{200B}', '\u{202E}', '\u{FEFF}', '\u{0301}'] {
            assert!(refuses(c), "U+{:04X}", u32::from(c));
        }
    }

    /// Without the tables: every format character, the issue's four, the invisible ones,
    /// private use; checked against the `regex` crate's categories where it is there.
    #[test]
    fn the_refusals_without_tables() {
        for c in [
            '\u{200B}', '\u{202E}', '\u{FEFF}', '\u{0301}', '\u{E000}', '\u{FFFE}',
        ] {
            assert!(super::refuses_without_tables(c), "U+{:04X}", u32::from(c));
        }
        for c in ['é', 'ж', '中', '.', '_'] {
            assert!(!super::refuses_without_tables(c), "{c}");
        }
        #[cfg(feature = "entra-regex")]
        {
            let format = regex::Regex::new(r"^[\p{Cc}\p{Cf}\p{Co}\p{Z}]$").expect("class");
            let mut buf = [0; 4];
            for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
                if format.is_match(c.encode_utf8(&mut buf)) {
                    let refused = super::refuses_without_tables(c);
                    assert!(refused, "U+{:04X} accepted", u32::from(c));
                }
            }
        }
    }

    #[test]
    fn letters_digits_and_ascii_are_kept() {
        for c in [
            '.', '_', '@', '+', '~', 'é', 'ß', 'Ж', 'λ', '中', 'ا', '٣', 'ñ', 'ø', '가',
        ] {
            assert!(!refuses(c), "{c}");
        }
        for c in [
            ' ', '\t', '\u{7F}', '\u{0}', '\u{A0}', '\u{3000}', '\u{2028}',
        ] {
            assert!(refuses(c), "U+{:04X}", u32::from(c));
        }
    }

    #[cfg(feature = "unicode-policy")]
    #[test]
    fn every_class_the_issue_names_is_refused() {
        let refused = [
            // Bidirectional controls.
            '\u{061C}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202D}',
            '\u{2066}',
            '\u{2069}',
            // Zero-width and other default-ignorables, fillers, variation selectors, tags.
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{00AD}',
            '\u{034F}',
            '\u{115F}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E0100}',
            '\u{180E}',
            // Other format characters.
            '\u{0600}',
            '\u{06DD}',
            '\u{110BD}',
            '\u{FFF9}',
            // Combining marks: non-spacing, spacing (vowel signs, alphabetic), enclosing.
            '\u{0300}',
            '\u{0345}',
            '\u{05B4}',
            '\u{064E}',
            '\u{093F}',
            '\u{0903}',
            '\u{0BBE}',
            '\u{20DD}',
            '\u{1D165}',
            '\u{302A}',
            '\u{3099}',
            // Unassigned, noncharacters, private use.
            '\u{0378}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{10FFFF}',
            '\u{E000}',
            '\u{F0000}',
            // Punctuation and symbols outside ASCII, lookalikes of ASCII ones among them.
            '\u{2024}',
            '\u{2010}',
            '\u{2215}',
            '\u{FF0E}',
            '\u{00B7}',
            '\u{2019}',
            '\u{20AC}',
        ];
        for c in refused {
            assert!(refuses(c), "U+{:04X}", u32::from(c));
        }
    }

    /// The text of `marks.rs`, from the `regex` crate's Unicode tables: the ranges of combining
    /// marks, each also spanning the characters up to the next mark when none of them is a
    /// letter or digit (those are refused before the table is asked), cut to 256 long.
    #[cfg(all(feature = "entra-regex", feature = "unicode-policy"))]
    fn generate_marks() -> String {
        use std::fmt::Write;
        let mark = regex::Regex::new(r"^\p{M}$").expect("class");
        let letter_or_digit = regex::Regex::new(r"^[\p{L}\p{N}]$").expect("class");
        let mut buf = [0; 4];
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut joinable = false;
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let u = u32::from(c);
            if mark.is_match(s) {
                match ranges.last_mut() {
                    Some(last) if joinable => last.1 = u,
                    _ => ranges.push((u, u)),
                }
                joinable = true;
            } else if letter_or_digit.is_match(s) {
                joinable = false;
            }
        }
        let mut packed = Vec::new();
        for (mut start, end) in ranges {
            while start <= end {
                let len = (end - start + 1).min(256);
                packed.push(start << 8 | (len - 1));
                start += len;
            }
        }
        let mut out = String::from(
            "//! Generated by `USERNORM_REGENERATE=1 cargo test -p usernorm --lib extra_chars`; do not\n\
             //! edit. The combining marks (general category M) of the `regex` crate's Unicode tables.\n\n",
        );
        out.push_str(
            "/// Ranges `start << 8 | (length - 1)`, sorted. A range also spans the characters up to the\n\
             /// next mark when none of them is a letter or digit: those are refused before it is asked.\n",
        );
        let _ = writeln!(
            out,
            "#[rustfmt::skip]\nstatic RANGES: [u32; {}] = [",
            packed.len()
        );
        for chunk in packed.chunks(6) {
            let line: Vec<String> = chunk.iter().map(|r| format!("0x{r:08X},")).collect();
            let _ = writeln!(out, "    {}", line.join(" "));
        }
        out.push_str(
            "];\n\n\
             /// Whether `c`, a letter or digit to Rust, is a combining mark (an alphabetic one, such as\n\
             /// a vowel sign).\n\
             pub(super) fn is_alphabetic_mark(c: char) -> bool {\n\
             \x20   let c = u32::from(c);\n\
             \x20   let after = RANGES.partition_point(|&r| r >> 8 <= c);\n\
             \x20   (after.checked_sub(1).and_then(|i| RANGES.get(i))).is_some_and(|&r| c - (r >> 8) <= (r & 0xFF))\n\
             }\n",
        );
        out
    }

    /// `marks.rs` is what the generator writes; `USERNORM_REGENERATE=1` rewrites it.
    #[cfg(all(feature = "entra-regex", feature = "unicode-policy"))]
    #[test]
    fn the_marks_table_is_current() {
        let text = generate_marks();
        if std::env::var_os("USERNORM_REGENERATE").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/extra_chars/marks.rs");
            std::fs::write(path, &text).expect("write marks.rs");
        }
        assert!(
            text == include_str!("extra_chars/marks.rs"),
            "src/extra_chars/marks.rs is stale: USERNORM_REGENERATE=1 cargo test -p usernorm --lib extra_chars"
        );
    }

    /// Checked against the `regex` crate's Unicode tables: no combining mark, format, control,
    /// separator, unassigned, private-use or non-ASCII punctuation or symbol character is
    /// accepted, and every letter and digit that is none of those is.
    #[cfg(all(feature = "entra-regex", feature = "unicode-policy"))]
    #[test]
    fn agrees_with_the_general_categories() {
        // Not `\p{Cn}`: a character the `regex` crate does not know yet may be a letter in
        // the newer Unicode of Rust's own tables.
        let refused_class = regex::Regex::new(r"^[\p{M}\p{Cc}\p{Cf}\p{Co}\p{Z}]$").expect("class");
        let letter_or_digit = regex::Regex::new(r"^[\p{L}\p{Nd}\p{Nl}\p{No}]$").expect("class");
        let mut buf = [0; 4];
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf);
            let accepted = !refuses(c);
            if refused_class.is_match(s) {
                assert!(!accepted, "U+{:04X} accepted", u32::from(c));
            }
            if !c.is_ascii() && !letter_or_digit.is_match(s) && !c.is_alphanumeric() {
                assert!(!accepted, "U+{:04X} accepted", u32::from(c));
            }
            if letter_or_digit.is_match(s) && c.is_alphanumeric() && !crate::rules::is_invisible(c)
            {
                assert!(accepted, "U+{:04X} refused", u32::from(c));
            }
        }
    }
}
