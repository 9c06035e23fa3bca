//! Turning any text (a display name, an e-mail, an alias, a UPN) into a valid name.

use crate::text::{concat, decimal, rsplit_once, split_once};
use std::fmt;

use crate::Policy;
use crate::translit;

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
    /// Arabic or Hebrew letters were transliterated one by one; these scripts leave most vowels
    /// unwritten, so the result is a skeleton of consonants (`محمد` gives `mhmd`, not
    /// `Muhammad`).
    UnwrittenVowels,
}

impl Review {
    /// The reason in one sentence.
    pub fn message(self) -> &'static str {
        match self {
            Review::HanReading => {
                "Han characters were transliterated with their Mandarin reading; \
                 check the name with the person (a Japanese name reads differently)"
            }
            Review::UnwrittenVowels => {
                "Arabic or Hebrew letters were transliterated one by one and these scripts \
                 leave most vowels unwritten; ask the person how they spell the name in Latin"
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

impl NormalizeError {
    /// The message, as [`Display`](fmt::Display) writes it, without the formatting machinery
    /// (the browser build carries none).
    pub fn message(&self) -> &'static str {
        match self {
            NormalizeError::NothingUsable => {
                "nothing usable is left once symbols, emoji and separators are dropped; \
                 give a name with letters or digits"
            }
        }
    }
}

impl fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
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
        let (name, review) = self.fold(self.strip_address(input.trim()), options);
        if name.is_empty() {
            return Err(NormalizeError::NothingUsable);
        }
        let name = self.repair(name);
        Ok(Normalized { name, review })
    }

    /// Folds text into allowed characters and single dashes, without the length and digit
    /// repairs: `Łukasz Żółć` gives `Lukasz-Zolc`, `B` gives `B`. Empty when nothing is usable.
    pub(crate) fn fold(&self, text: &str, options: NormalizeOptions) -> (String, Option<Review>) {
        let source = translit::prepare(text);
        // A name is rarely longer than its source's bytes (a letter that becomes two is most
        // often two bytes), so it is made without growing.
        let mut out = Builder {
            policy: self,
            lowercase: options.lowercase,
            name: String::with_capacity(source.len()),
        };
        let mut review = None;
        for c in source.chars() {
            // What is reviewed is a transliteration's reading. Without one (the small browser
            // build) these scripts are dropped: nothing to review, and neither note is carried.
            if cfg!(feature = "translit") {
                if is_han(c) {
                    review = Some(Review::HanReading);
                } else if review.is_none() && is_abjad(c) {
                    review = Some(Review::UnwrittenVowels);
                }
            }
            out.push_char(c);
        }
        (out.finish(), review)
    }

    /// The local part of an e-mail address or UPN; a guest's `#EXT#` UPN gives the local part of
    /// the guest's own address.
    fn strip_address<'a>(&self, input: &'a str) -> &'a str {
        // A mailbox with a display name, `John Doe <john.doe@contoso.com>`: the address.
        if let Some(address) = input
            .strip_suffix('>')
            .and_then(|rest| rsplit_once(rest, b'<'))
            .map(|(_, address)| address.trim())
            .filter(|address| {
                address.bytes().any(|b| b == b'@') && !address.contains(char::is_whitespace)
            })
        {
            return self.strip_address(address);
        }
        if input.contains(char::is_whitespace) {
            return input;
        }
        let local = match split_once(input, b'@') {
            Some((local, _domain)) if !local.is_empty() && !self.allows_char('@') => local,
            _ => input,
        };
        // A guest's alias or UPN (`ann.lee_fabrikam.com#EXT#`): the guest's own local part.
        if let Some(guest) = strip_guest_tag(local).filter(|g| !g.is_empty()) {
            return match rsplit_once(guest, b'_') {
                Some((own, _)) if !own.is_empty() => own,
                _ => guest,
            };
        }
        if local.len() == input.len() {
            return input;
        }
        // A sub-address (`john+newsletter@`) is not part of the person's name.
        match split_once(local, b'+') {
            Some((own, _)) if !own.is_empty() => own,
            _ => local,
        }
    }

    /// Makes a folded name pass the length, digit and reserved rules. It shortens first, so
    /// that what it adds afterwards (`u-`, padding) is never cut away again.
    fn repair(&self, name: String) -> String {
        let mut name = shorten(&name, self.max_length(), self).to_owned();
        if !self.allows_digits_only() && name.bytes().all(|b| b.is_ascii_digit()) {
            name = self.prefixed(&name);
        }
        let chars = char_len(&name);
        if chars < self.min_length() {
            if chars + 2 <= self.max_length() {
                name.insert_str(0, "u-");
            }
            while char_len(&name) < self.min_length() {
                name.push('0');
            }
        }
        if self.is_reserved(&name) {
            name = numbered(&name, 2, self, |candidate| self.is_reserved(candidate));
        }
        name
    }

    /// `u-NAME`, with the name shortened so the whole fits the maximum (`uNAME` or `u` when
    /// the maximum is below 3).
    fn prefixed(&self, name: &str) -> String {
        let max = self.max_length();
        match max.checked_sub(2).filter(|&room| room > 0) {
            Some(room) => concat(&["u-", shorten(name, room, self)]),
            None => std::iter::once('u').chain(name.chars()).take(max).collect(),
        }
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
    let digits = &decimal(n);
    let room = policy.max_length().saturating_sub(digits.len() + 1);
    let stem = shorten(base, room, policy);
    concat(&[if stem.is_empty() { "u" } else { stem }, "-", digits])
}

/// Cuts a name to at most `max` characters, at the last `-` when that keeps at least half, and
/// without a trailing `-` or separator left behind.
pub(crate) fn shorten<'a>(name: &'a str, max: usize, policy: &Policy) -> &'a str {
    if char_len(name) <= max {
        return name;
    }
    let cut = name.char_indices().nth(max).map_or(name.len(), |(i, _)| i);
    let head = &name[..cut];
    // When the cut falls right before a `-`, the head already ends at a word boundary.
    let head = match head.bytes().rposition(|b| b == b'-') {
        _ if name[cut..].starts_with('-') => head,
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

/// `text` without the `#EXT#` (any case) that ends a guest's alias in Entra, if it ends so.
pub(crate) fn strip_guest_tag(text: &str) -> Option<&str> {
    const TAG: &str = "#EXT#";
    let at = text.len().checked_sub(TAG.len())?;
    let (head, tail) = (text.get(..at)?, text.get(at..)?);
    tail.eq_ignore_ascii_case(TAG).then_some(head)
}

/// The number of characters (Unicode scalar values) in `s`: its bytes that start one. Not
/// `chars().count()`, whose unrolled counting is a kilobyte of the browser build; names are
/// short, and mostly ASCII, which takes the first branch.
pub(crate) fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.bytes().filter(|&b| b & 0xC0 != 0x80).count()
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
        } else {
            // Folded (`é` → `e`), transliterated (`Ж` → `Zh`), a separator (`-`), or dropped
            // (symbols, emoji, format characters and accents on the letter before).
            for f in translit::ascii(c).chars() {
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
fn is_abjad(c: char) -> bool {
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
    fn char_len_counts_scalar_values() {
        for s in [
            "",
            "jdoe",
            "José",
            "王小明",
            "a🎉b-ｊ",
            "\u{7FF}\u{800}\u{FFFF}\u{10FFFF}",
        ] {
            assert_eq!(char_len(s), s.chars().count(), "{s}");
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
        assert_eq!(hf("john+tag@contoso.com"), "john");
        assert_eq!(hf("john+tag"), "john-tag");
        assert_eq!(
            hf("ann.lee_fabrikam.com#EXT#"),
            "ann-lee",
            "a guest's alias"
        );
        assert_eq!(hf("annlee_fabrikamcom#ext#"), "annlee", "mapped by Replace");
        assert_eq!(hf("@handle"), "handle");
        assert_eq!(hf("John Doe <john.doe@contoso.com>"), "john-doe");
        assert_eq!(hf("<jane_roe_fabrikam.com#EXT#@contoso.com>"), "jane-roe");
        assert_eq!(hf("Doe <no address>"), "Doe-no-address");
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
    fn repairs_fit_small_maximums() {
        let p = Policy::from_toml("min_length = 3\nmax_length = 3").expect("policy");
        // Shortening `000A` leaves digits only, which the prefix then repairs.
        assert_eq!(p.normalize("000A").expect("ok").name, "u-0");
        // No room for `u-`: the name is padded instead.
        assert_eq!(p.normalize("ab").expect("ok").name, "ab0");
        assert_eq!(p.normalize("a").expect("ok").name, "u-a");
        let p = Policy::from_toml("max_length = 2").expect("policy");
        assert_eq!(p.normalize("12345").expect("ok").name, "u1");
    }

    #[test]
    fn reserved_results_are_numbered() {
        let p = Policy::from_toml("reserved = [\"admin\", \"admin-2\"]").expect("policy");
        assert_eq!(p.normalize("Admin").expect("ok").name, "Admin-3");
    }

    #[test]
    #[cfg(feature = "translit")]
    fn signs_without_sound_do_not_split_words() {
        assert_eq!(hf("Ольга"), "Olga");
        assert_eq!(hf("Игорь Соловьёв"), "Igor-Soloviov");
        assert_eq!(hf("Подъячев"), "Podiachev");
        assert_eq!(hf("Ґанна"), "Ganna");
        assert_eq!(hf("سعيد"), "syd");
    }

    #[test]
    #[cfg(feature = "translit")]
    fn caseless_scripts_give_lowercase() {
        assert_eq!(hf("فاطمة"), "ftm");
        assert_eq!(hf("김민준"), "gimminjun");
        assert_eq!(hf("王小明"), "Wang-Xiao-Ming");
    }

    #[test]
    #[cfg(feature = "translit")]
    fn serbian_letters_read_as_serbian_latin() {
        assert_eq!(hf("Јовановић"), "Jovanovic");
        assert_eq!(hf("Џаџић"), "Dzadzic");
        assert_eq!(hf("Ђорђе"), "Djordje");
    }

    #[test]
    #[cfg(feature = "translit")]
    fn greek_reads_as_on_a_passport() {
        assert_eq!(hf("Βασίλης Χατζηδάκης"), "Vasilis-Chatzidakis");
        assert_eq!(hf("Ευάγγελος"), "Evangelos");
        assert_eq!(hf("Ευθύμιος"), "Efthymios");
        assert_eq!(hf("Παπαδοπούλου"), "Papadopoulou");
        assert_eq!(hf("ΧΡΥΣΗ"), "CHRYSI");
        assert_eq!(hf("Χ"), "Ch");
        // A diaeresis keeps the vowels apart.
        assert_eq!(hf("Αϊδίνης"), "Aidinis");
        assert_eq!(hf("αϋλος"), "aylos");
    }

    #[test]
    #[cfg(feature = "translit")]
    fn abjad_scripts_ask_for_review() {
        let p = Policy::huggingface();
        let n = p.normalize("محمد علي").expect("ok");
        assert_eq!(n.name, "mhmd-ly");
        assert_eq!(n.review, Some(Review::UnwrittenVowels));
        let n = p.normalize("דוד כהן").expect("ok");
        assert_eq!(n.review, Some(Review::UnwrittenVowels));
        assert_eq!(p.normalize("David").expect("ok").review, None);
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
    #[cfg(feature = "translit")]
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
        // A cut right before a `-` keeps the whole last word.
        assert_eq!(shorten("Jane-Doe-Smith", 8, &p), "Jane-Doe");
        assert_eq!(shorten("Jane-Doe-Smith", 9, &p), "Jane-Doe");
        assert_eq!(numbered("abcdefghij", 2, &p, |_| false), "abcdefghij-2");
    }
}
