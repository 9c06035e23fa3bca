//! Turning any text (a display name, an e-mail, an alias, a UPN) into a valid name.

use std::fmt;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::Policy;

/// How [`Policy::normalize_with`] treats case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Lowercase the result (ASCII). Off by default: case is kept.
    pub lowercase: bool,
}

/// A name made by [`Policy::normalize`]: valid under the policy (but for `taken` and
/// `duplicate`), with a note when a person should look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The name.
    pub name: String,
    /// Why the result needs a person's review, if it does.
    pub review: Option<Review>,
}

/// Why a normalized name should be reviewed by a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Review {
    /// Han characters were read in Mandarin; a Japanese or Korean name written in Han
    /// characters has another reading.
    HanReading,
}

impl Review {
    /// The reason in one sentence.
    pub fn message(self) -> &'static str {
        match self {
            Review::HanReading => {
                "Han characters were transliterated with their Mandarin reading; \
                 check the name with the person (a Japanese name reads differently)"
            }
        }
    }
}

impl fmt::Display for Review {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// Why no name could be made from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NormalizeError {
    /// Nothing usable was left: the input was empty, or only symbols, emoji or separators.
    NothingUsable,
}

impl fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NormalizeError::NothingUsable => f.write_str(
                "nothing usable is left once symbols, emoji and separators are dropped; \
                 give a name with letters or digits",
            ),
        }
    }
}

impl std::error::Error for NormalizeError {}

/// Normalizes text into a valid name under the default (`huggingface`) policy.
///
/// ```
/// assert_eq!(usernorm::normalize("José Ærøskøbing").as_deref(), Ok("Jose-AEroskobing"));
/// assert_eq!(usernorm::normalize("john.doe@contoso.com").as_deref(), Ok("john-doe"));
/// assert!(usernorm::normalize("🎉").is_err());
/// ```
///
/// # Errors
/// When nothing usable is left.
pub fn normalize(input: &str) -> Result<String, NormalizeError> {
    Policy::huggingface().normalize(input).map(|n| n.name)
}

impl Policy {
    /// Normalizes text into a name that passes every rule of this policy except `taken` and
    /// `duplicate`, keeping case.
    ///
    /// Accents and ligatures are folded (`Straße` → `Strasse`), other scripts transliterated,
    /// symbols and emoji dropped, separators turned into `-`, dashes collapsed and trimmed; an
    /// e-mail or UPN gives its local part. Digit-only and too-short results get a `u-` prefix, and
    /// over-long ones are cut at a word boundary. The function is deterministic and idempotent.
    ///
    /// ```
    /// use usernorm::{Policy, Review};
    ///
    /// let hf = Policy::huggingface();
    /// assert_eq!(hf.normalize("Łukasz Żółć")?.name, "Lukasz-Zolc");
    /// assert_eq!(hf.normalize("104233")?.name, "u-104233");
    /// let han = hf.normalize("王小明")?;
    /// assert_eq!(han.name, "Wang-Xiao-Ming");
    /// assert_eq!(han.review, Some(Review::HanReading));
    /// # Ok::<(), usernorm::NormalizeError>(())
    /// ```
    ///
    /// # Errors
    /// When nothing usable is left of the input.
    pub fn normalize(&self, input: &str) -> Result<Normalized, NormalizeError> {
        self.normalize_with(input, NormalizeOptions::default())
    }

    /// [`normalize`](Self::normalize) with options (lowercasing).
    ///
    /// ```
    /// use usernorm::{NormalizeOptions, Policy};
    ///
    /// let opts = NormalizeOptions { lowercase: true };
    /// assert_eq!(Policy::huggingface().normalize_with("Anne-Marie O'Neil", opts)?.name, "anne-marie-o-neil");
    /// # Ok::<(), usernorm::NormalizeError>(())
    /// ```
    ///
    /// # Errors
    /// When nothing usable is left of the input.
    pub fn normalize_with(
        &self,
        input: &str,
        options: NormalizeOptions,
    ) -> Result<Normalized, NormalizeError> {
        let source = self.strip_address(input.trim());
        let mut out = Builder {
            policy: self,
            lowercase: options.lowercase,
            name: String::new(),
        };
        let mut review = None;
        for c in source.chars() {
            if is_han(c) {
                review = Some(Review::HanReading);
            }
            out.push_char(c);
        }
        let name = out.finish();
        if name.is_empty() {
            return Err(NormalizeError::NothingUsable);
        }
        let name = self.repair(name);
        Ok(Normalized { name, review })
    }

    /// The local part of an e-mail address or UPN; a guest's `#EXT#` UPN gives the local part of
    /// the guest's own address.
    fn strip_address<'a>(&self, input: &'a str) -> &'a str {
        if self.allows_char('@') || input.contains(char::is_whitespace) {
            return input;
        }
        let Some((local, _domain)) = input.split_once('@') else {
            return input;
        };
        if local.is_empty() {
            return input;
        }
        let ext = local
            .len()
            .checked_sub(5)
            .filter(|&i| local.is_char_boundary(i));
        match ext.map(|i| local.split_at(i)) {
            Some((guest, tag)) if tag.eq_ignore_ascii_case("#EXT#") && !guest.is_empty() => {
                match guest.rsplit_once('_') {
                    Some((own, _)) if !own.is_empty() => own,
                    _ => guest,
                }
            }
            _ => local,
        }
    }

    /// Makes a folded name pass the length, digit and reserved rules.
    fn repair(&self, mut name: String) -> String {
        if !self.allows_digits_only() && name.bytes().all(|b| b.is_ascii_digit()) {
            name.insert_str(0, "u-");
        }
        if char_len(&name) < self.min_length() {
            name.insert_str(0, "u-");
            while char_len(&name) < self.min_length() {
                name.push('0');
            }
        }
        if char_len(&name) > self.max_length() {
            name = shorten(&name, self.max_length(), self).to_owned();
        }
        if self.is_reserved(&name) {
            name = numbered(&name, 2, self, |candidate| self.is_reserved(candidate));
        }
        name
    }
}

/// Appends the first `-N` (N from `first`) for which `is_used` says no.
pub(crate) fn numbered(
    base: &str,
    first: usize,
    policy: &Policy,
    mut is_used: impl FnMut(&str) -> bool,
) -> String {
    let mut n = first;
    loop {
        let candidate = numbered_form(base, n, policy);
        if !is_used(&candidate) || n >= first + 100_000 {
            return candidate;
        }
        n += 1;
    }
}

/// `base-N`, with the base shortened so the result fits the policy's maximum.
pub(crate) fn numbered_form(base: &str, n: usize, policy: &Policy) -> String {
    let suffix = format!("-{n}");
    let room = policy.max_length().saturating_sub(suffix.len());
    let stem = shorten(base, room, policy);
    if stem.is_empty() {
        format!("u{suffix}")
    } else {
        format!("{stem}{suffix}")
    }
}

/// Cuts a name to at most `max` characters, at the last `-` when that keeps at least half, and
/// without a trailing `-` or separator left behind.
pub(crate) fn shorten<'a>(name: &'a str, max: usize, policy: &Policy) -> &'a str {
    if char_len(name) <= max {
        return name;
    }
    let cut = name.char_indices().nth(max).map_or(name.len(), |(i, _)| i);
    let head = &name[..cut];
    let head = match head.rfind('-') {
        Some(dash) if char_len(&head[..dash]) * 2 >= max => &head[..dash],
        _ => head,
    };
    let trimmed = head.trim_end_matches(|c: char| c == '-' || !c.is_ascii_alphanumeric());
    if trimmed.is_empty()
        || !policy.allows_digits_only() && trimmed.bytes().all(|b| b.is_ascii_digit())
    {
        head.trim_end_matches('-')
    } else {
        trimmed
    }
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Accumulates the output, collapsing separators into single dashes.
struct Builder<'p> {
    policy: &'p Policy,
    lowercase: bool,
    name: String,
}

impl Builder<'_> {
    fn push_char(&mut self, c: char) {
        if c.is_ascii() {
            self.push_ascii(c);
        } else if self.policy.allows_char(c) {
            self.name.push(c);
        } else if is_combining_diacritic(c) {
            // Dropped: an accent on the letter before it.
        } else if c.is_alphanumeric() {
            match fold_compatible(c) {
                Some(folded) => {
                    for f in folded.chars() {
                        self.push_ascii(f);
                    }
                }
                None => self.transliterate(c),
            }
        } else if is_combining_mark(c) {
            self.transliterate(c);
        } else if is_separator(c)
            || fold_compatible(c).is_some_and(|f| f.chars().all(is_ascii_separator))
        {
            self.separator();
        }
        // Anything else (symbols, emoji, format characters) is dropped.
    }

    /// Another script's letter, in Latin letters.
    fn transliterate(&mut self, c: char) {
        if let Some(latin) = deunicode::deunicode_char(c) {
            for f in latin.chars().filter(char::is_ascii) {
                self.push_ascii(f);
            }
        }
    }

    fn push_ascii(&mut self, c: char) {
        if c.is_ascii_alphanumeric() {
            self.name.push(if self.lowercase {
                c.to_ascii_lowercase()
            } else {
                c
            });
        } else if c != '-' && self.policy.allows_char(c) {
            self.name.push(c);
        } else if is_ascii_separator(c) {
            self.separator();
        }
    }

    fn separator(&mut self) {
        if !self.name.is_empty() && !self.name.ends_with('-') {
            self.name.push('-');
        }
    }

    fn finish(mut self) -> String {
        while self.name.ends_with('-') {
            self.name.pop();
        }
        self.name
    }
}

/// The ASCII letters and digits a compatibility decomposition gives (`é` → `e`, `ﬁ` → `fi`,
/// fullwidth `ｊ` → `j`), when the character decomposes to ASCII and marks only. Built on the
/// stack: this runs for every non-ASCII character.
fn fold_compatible(c: char) -> Option<Folded> {
    let mut out = Folded {
        bytes: [0; Folded::CAPACITY],
        len: 0,
    };
    let mut ok = true;
    decompose_compatible(c, |d| {
        if d.is_ascii() && out.len < Folded::CAPACITY {
            out.bytes[out.len] = d as u8;
            out.len += 1;
        } else if !is_combining_mark(d) {
            ok = false;
        }
    });
    (ok && out.len > 0).then_some(out)
}

/// The ASCII result of [`fold_compatible`].
struct Folded {
    bytes: [u8; Folded::CAPACITY],
    len: usize,
}

impl Folded {
    /// Longer than any compatibility decomposition (Unicode's longest has 18 characters).
    const CAPACITY: usize = 32;

    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.bytes[..self.len].iter().map(|&b| char::from(b))
    }
}

/// Accents that combine with the letter before them and are dropped with the fold.
fn is_combining_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// ASCII characters that separate words and become `-`.
fn is_ascii_separator(c: char) -> bool {
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
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(c,
            '\u{00A0}' | '\u{00AB}' | '\u{00B7}' | '\u{00BB}' | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{205E}' | '\u{3000}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
            | '\u{30FB}' | '\u{FF65}' | '\u{058A}' | '\u{05BE}' | '\u{060C}' | '\u{066B}'
            | '\u{066C}' | '\u{06D4}' | '\u{0964}' | '\u{0965}')
}

/// Han ideographs, whose transliteration assumes a Mandarin reading.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}' | '\u{30000}'..='\u{323AF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hf(input: &str) -> String {
        match Policy::huggingface().normalize(input) {
            Ok(n) => n.name,
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn spec_examples() {
        assert_eq!(hf("José"), "Jose");
        assert_eq!(hf("Ærøskøbing"), "AEroskobing");
        assert_eq!(hf("Straße"), "Strasse");
    }

    #[test]
    fn addresses_give_their_local_part() {
        assert_eq!(hf("john.doe@contoso.com"), "john-doe");
        assert_eq!(
            hf("jane.roe_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
            "jane-roe"
        );
        assert_eq!(hf("john+tag@contoso.com"), "john-tag");
        assert_eq!(hf("@handle"), "handle");
    }

    #[test]
    fn repairs_length_and_digits() {
        assert_eq!(hf("j"), "u-j");
        assert_eq!(hf("42"), "u-42");
        let long = "Maximilian Alexander von und zu Liechtenstein-Habsburg";
        let n = hf(long);
        assert_eq!(n, "Maximilian-Alexander-von-und-zu");
        assert!(Policy::huggingface().validate(&n).is_valid());
    }

    #[test]
    fn reserved_results_are_numbered() {
        let p = Policy::from_toml("reserved = [\"admin\", \"admin-2\"]").expect("policy");
        assert_eq!(p.normalize("Admin").expect("ok").name, "Admin-3");
    }

    #[test]
    fn nothing_usable_is_an_error() {
        for input in ["", "   ", "🎉🎉", "---", "@", "™"] {
            assert_eq!(
                Policy::huggingface().normalize(input),
                Err(NormalizeError::NothingUsable),
                "{input:?}"
            );
        }
    }

    #[test]
    fn allowed_extra_characters_are_kept() {
        let p = Policy::from_toml("extra_chars = \"._\"").expect("policy");
        assert_eq!(p.normalize("john.doe_x").expect("ok").name, "john.doe_x");
    }

    #[test]
    fn folds_compatibility_forms_and_transliterates_the_rest() {
        assert_eq!(hf("ﬁlm ｊｏｈｎ"), "film-john");
        assert_eq!(hf("Ⅻ ① ㎏"), "XII-1");
        assert_eq!(hf("Дмитрий Щукин"), "Dmitrii-Shchukin");
        assert_eq!(hf("a\u{0301}b"), "ab");
        assert_eq!(hf("a\u{3000}b\u{2014}c"), "a-b-c");
    }

    #[test]
    fn shorten_respects_minimum_content() {
        let p = Policy::huggingface();
        assert_eq!(shorten("abc-defghij", 8, &p), "abc-defg");
        assert_eq!(shorten("abcdef-ghij", 8, &p), "abcdef");
        assert_eq!(numbered("abcdefghij", 2, &p, |_| false), "abcdefghij-2");
    }
}
