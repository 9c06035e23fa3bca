//! The rules a username is checked against, one module per rule.
//!
//! Each rule's documentation (what it checks, why, an example and the fix) is the text that
//! `usernorm explain CODE` prints; [`Code::doc`] returns it.
//!
//! The first eight rules depend only on the name and the [`Policy`] and run in
//! [`Policy::validate`]. [`Taken`] needs a [`Registry`] ([`Policy::check`]) and [`Duplicate`]
//! needs a batch ([`BatchTracker`]).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::Policy;
#[cfg(doc)]
use crate::{BatchTracker, Registry};

/// Declares a rule: a unit struct carrying the rule's documentation, which doubles as the text of
/// `usernorm explain`.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;

        impl $name {
            /// The rule's documentation as Markdown, as `usernorm explain` prints it.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}

mod digits_only;
mod double_dash;
mod duplicate;
mod invalid_char;
mod leading_dash;
mod reserved;
mod taken;
mod too_long;
mod too_short;
mod trailing_dash;

pub use digits_only::DigitsOnly;
pub use double_dash::DoubleDash;
pub use duplicate::Duplicate;
pub use invalid_char::InvalidChar;
pub use leading_dash::LeadingDash;
pub use reserved::Reserved;
pub use taken::Taken;
pub use too_long::TooLong;
pub use too_short::TooShort;
pub use trailing_dash::TrailingDash;

pub(crate) use duplicate::violation as duplicate_violation;
pub(crate) use taken::violation as taken_violation;

/// The stable code of a rule. Codes are never renamed or reused.
///
/// ```
/// use usernorm::Code;
///
/// assert_eq!(Code::DoubleDash.as_str(), "double-dash");
/// assert_eq!("double-dash".parse::<Code>(), Ok(Code::DoubleDash));
/// assert!(Code::DoubleDash.doc().contains("## Fix"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// `too-short`: fewer characters than the policy's minimum.
    TooShort,
    /// `too-long`: more characters than the policy's maximum.
    TooLong,
    /// `invalid-char`: a run of characters outside the allowed set.
    InvalidChar,
    /// `double-dash`: a run of two or more `-`.
    DoubleDash,
    /// `leading-dash`: the name starts with `-`.
    LeadingDash,
    /// `trailing-dash`: the name ends with `-`.
    TrailingDash,
    /// `digits-only`: every character is an ASCII digit.
    DigitsOnly,
    /// `reserved`: the canonical key is on the policy's reserved list.
    Reserved,
    /// `taken`: the canonical key is already used in the org.
    Taken,
    /// `duplicate`: an earlier row of the batch produced the same canonical key.
    Duplicate,
}

impl Code {
    /// Every code, in the order violations are reported.
    pub const ALL: [Code; 10] = [
        Code::TooShort,
        Code::TooLong,
        Code::InvalidChar,
        Code::DoubleDash,
        Code::LeadingDash,
        Code::TrailingDash,
        Code::DigitsOnly,
        Code::Reserved,
        Code::Taken,
        Code::Duplicate,
    ];

    /// The code as written in reports, e.g. `"invalid-char"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::TooShort => "too-short",
            Code::TooLong => "too-long",
            Code::InvalidChar => "invalid-char",
            Code::DoubleDash => "double-dash",
            Code::LeadingDash => "leading-dash",
            Code::TrailingDash => "trailing-dash",
            Code::DigitsOnly => "digits-only",
            Code::Reserved => "reserved",
            Code::Taken => "taken",
            Code::Duplicate => "duplicate",
        }
    }

    /// The rule's documentation (Markdown): what it checks, why, an example and the fix.
    pub const fn doc(self) -> &'static str {
        match self {
            Code::TooShort => TooShort::DOC,
            Code::TooLong => TooLong::DOC,
            Code::InvalidChar => InvalidChar::DOC,
            Code::DoubleDash => DoubleDash::DOC,
            Code::LeadingDash => LeadingDash::DOC,
            Code::TrailingDash => TrailingDash::DOC,
            Code::DigitsOnly => DigitsOnly::DOC,
            Code::Reserved => Reserved::DOC,
            Code::Taken => Taken::DOC,
            Code::Duplicate => Duplicate::DOC,
        }
    }

    /// The first line of the rule's documentation, without Markdown markup.
    pub fn summary(self) -> &'static str {
        let first = self.doc().lines().next().unwrap_or_default();
        first.trim()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when parsing an unknown rule code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Pieces written one by one, not write!: the browser build then carries none of the
        // formatting machinery.
        for piece in ["unknown rule code `", &self.0, "`; the codes are:"] {
            f.write_str(piece)?;
        }
        for code in Code::ALL {
            f.write_str(" ")?;
            f.write_str(code.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One rule broken by a name: its code, where in the input, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    /// The rule's stable code.
    pub code: Code,
    /// The offending part of the input, as a half-open range of byte offsets.
    pub span: Range<usize>,
    /// What is wrong and how to fix it, in one sentence.
    pub message: String,
}

/// The outcome of checking one name: every violation, in [`Code::ALL`] order.
///
/// A name is valid when it has no violations. An empty report does not allocate.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// The violations, ordered by rule and then by position.
    pub violations: Vec<Violation>,
}

impl Report {
    /// Whether the name passed every rule.
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }

    /// Whether some violation has this code.
    pub fn has(&self, code: Code) -> bool {
        self.violations.iter().any(|v| v.code == code)
    }

    /// The codes of the violations, in order, without repeats.
    pub fn codes(&self) -> impl Iterator<Item = Code> + '_ {
        let mut last = None;
        self.violations.iter().filter_map(move |v| {
            if last == Some(v.code) {
                None
            } else {
                last = Some(v.code);
                Some(v.code)
            }
        })
    }
}

/// Which rules a name breaks, without spans or messages: what [`Policy::validate_codes`]
/// returns, for bulk checks that print only the codes. It is `Copy` and never allocates.
///
/// Iteration follows [`Code::ALL`], the order of a [`Report`].
///
/// [`Policy::validate_codes`]: crate::Policy::validate_codes
///
/// ```
/// use usernorm::{Code, CodeSet, Policy};
///
/// let codes = Policy::huggingface().validate_codes("-jean--luc_");
/// assert_eq!(
///     codes.iter().collect::<Vec<_>>(),
///     [Code::InvalidChar, Code::DoubleDash, Code::LeadingDash]
/// );
/// assert!(codes.contains(Code::DoubleDash));
/// assert!(CodeSet::new().is_empty());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CodeSet(u16);

impl CodeSet {
    /// The empty set: a valid name.
    pub const fn new() -> Self {
        CodeSet(0)
    }

    /// Adds a code.
    pub fn insert(&mut self, code: Code) {
        self.0 |= CodeSet::bit(code);
    }

    /// Whether the set holds this code.
    pub fn contains(self, code: Code) -> bool {
        self.0 & CodeSet::bit(code) != 0
    }

    /// Whether no rule is broken.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many codes the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The codes, in [`Code::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Code> {
        Code::ALL
            .into_iter()
            .filter(move |&code| self.contains(code))
    }

    fn bit(code: Code) -> u16 {
        // `Code` declares its variants in `Code::ALL` order, so the discriminant is the index.
        1 << (code as u16)
    }
}

impl FromIterator<Code> for CodeSet {
    fn from_iter<I: IntoIterator<Item = Code>>(iter: I) -> Self {
        let mut set = CodeSet::new();
        for code in iter {
            set.insert(code);
        }
        set
    }
}

impl Report {
    /// The codes of the violations as a [`CodeSet`].
    pub fn code_set(&self) -> CodeSet {
        self.violations.iter().map(|v| v.code).collect()
    }
}

/// Where rules put what they find: whole violations, or only their codes. The message is a
/// closure so that a check that wants only codes never formats one.
pub(crate) trait Findings {
    /// Records a broken rule at `span`; `message` says how to fix it.
    fn add(&mut self, code: Code, span: Range<usize>, message: impl FnOnce() -> String);
}

impl Findings for Vec<Violation> {
    fn add(&mut self, code: Code, span: Range<usize>, message: impl FnOnce() -> String) {
        self.push(Violation {
            code,
            span,
            message: message(),
        });
    }
}

impl Findings for CodeSet {
    fn add(&mut self, code: Code, _span: Range<usize>, _message: impl FnOnce() -> String) {
        self.insert(code);
    }
}

/// What a rule sees: the name and the policy, with the character count worked out once.
pub(crate) struct Subject<'a> {
    pub(crate) name: &'a str,
    pub(crate) policy: &'a Policy,
    pub(crate) chars: usize,
}

/// Runs every rule that needs only the name and the policy.
pub(crate) fn check_all(subject: &Subject<'_>, out: &mut impl Findings) {
    too_short::check(subject, out);
    too_long::check(subject, out);
    invalid_char::check(subject, out);
    double_dash::check(subject, out);
    leading_dash::check(subject, out);
    trailing_dash::check(subject, out);
    digits_only::check(subject, out);
    reserved::check(subject, out);
}

/// `s` in backticks, for messages, with control characters and spaces made visible.
#[cfg(test)]
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    out
}

/// [`quoted`], written at the end of `out`.
pub(crate) fn push_quoted(out: &mut String, s: &str) {
    out.push('`');
    for c in s.chars() {
        match c {
            ' ' => out.push('␠'),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_invisible(c) => push_code_point(out, c),
            c => out.push(c),
        }
    }
    out.push('`');
}

/// `U+` and the character's code point in uppercase hex, at least four digits (`U+00A0`), as
/// `format!("U+{:04X}")` writes it, without the formatting machinery.
pub(crate) fn push_code_point(out: &mut String, c: char) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push_str("U+");
    let code = u32::from(c);
    let digits = (code.max(1).ilog2() / 4 + 1).max(4);
    for shift in (0..digits).rev() {
        out.push(char::from(HEX[((code >> (shift * 4)) & 0xF) as usize]));
    }
}

/// Characters that print as nothing: format characters and odd spaces.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{2000}'..='\u{200F}'
        | '\u{2028}'..='\u{202F}' | '\u{205F}'..='\u{206F}' | '\u{3000}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
        }
        assert!("nope".parse::<Code>().is_err());
    }

    #[test]
    fn every_rule_is_documented_with_the_four_sections() {
        for code in Code::ALL {
            let doc = code.doc();
            for section in ["## What it checks", "## Why", "## Example", "## Fix"] {
                assert!(doc.contains(section), "{code} lacks {section}");
            }
            assert!(!code.summary().is_empty());
        }
    }

    #[test]
    fn code_set_bits_follow_the_order_of_all() {
        for (i, code) in Code::ALL.into_iter().enumerate() {
            assert_eq!(code as usize, i, "{code}");
        }
        let all: CodeSet = Code::ALL.into_iter().collect();
        assert_eq!(all.len(), Code::ALL.len());
        assert_eq!(all.iter().collect::<Vec<_>>(), Code::ALL);
    }

    #[test]
    fn codes_deduplicates_runs() {
        let p = Policy::huggingface();
        let r = p.validate("a_b_c");
        assert_eq!(r.codes().collect::<Vec<_>>(), [Code::InvalidChar]);
    }

    #[test]
    fn quoted_shows_invisible_characters() {
        assert_eq!(quoted("a b"), "`a␠b`");
        assert_eq!(quoted("\u{200B}"), "`U+200B`");
        assert_eq!(quoted("\0\u{7F}"), "`U+0000U+007F`");
        assert_eq!(quoted("a\u{E0001}"), "`aU+E0001`");
    }
}
