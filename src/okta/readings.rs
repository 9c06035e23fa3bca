//! The questions Okta's documentation leaves open, and the readings of each that usernorm
//! evaluates.
//!
//! An evaluation runs under the primary reading of every question; each question it meets is
//! then answered every other way (one at a time first, then in combination), and every value
//! that differs is reported with the readings that give it.

use std::fmt;

/// A question about Okta Expression Language that Okta's documentation does not settle.
///
/// ```
/// use usernorm::okta::{Ambiguity, Reading};
///
/// assert_eq!(Ambiguity::ReplacePattern.readings(), [Reading::Literal, Reading::JavaRegex]);
/// assert_eq!(Ambiguity::ReplacePattern.primary(), Reading::Literal);
/// assert_eq!(Ambiguity::NullConcatenation.name(), "null-concatenation");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Ambiguity {
    /// Whether the match of `String.replace` and `String.replaceFirst` is a literal string
    /// (primary: Okta's release notes say "replaces all instances of a specified string", as
    /// JSTL's `fn:replace` and Java's `String.replace` do) or a Java regular expression (Java's
    /// `replaceAll`/`replaceFirst`, and third-party Okta evaluators).
    ReplacePattern,
    /// What `substringBefore` and `substringAfter` give when the search string is not in the
    /// input: the empty string (primary: JSTL's `fn:` functions, which Okta's legacy `${fn:…}`
    /// templates name, and Okta's e-mail template docs for the functions of the same name) or
    /// the input unchanged (Apache Commons' `substringBefore`).
    MissingSeparator,
    /// What a `String.*` function does with a null argument (a never-set attribute): take it as
    /// the empty string (primary: JSTL), give null (null-safe helpers), or fail, as Java does on
    /// a null string (Okta then keeps the target's old value).
    NullArgument,
    /// What `+` does with a null operand: the text `null` (primary: SpEL, which Okta's language
    /// is based on, gives `"a" + null` = `anull`), the empty string, or fail.
    NullConcatenation,
    /// What `substring` does with indexes outside the input: clamp them (primary: JSTL's
    /// `fn:substring`) or fail, as Java's `String.substring` does.
    SubstringRange,
    /// Whether `String.removeSpaces` removes only spaces (primary, its name and example) or all
    /// whitespace (tabs, line breaks).
    RemoveSpaces,
    /// Whether `Arrays.remove` removes the first equal element (primary, Java's `List.remove`)
    /// or all of them.
    ArraysRemove,
}

/// One answer to an [`Ambiguity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reading {
    /// A literal string.
    Literal,
    /// A Java regular expression (and a Java replacement string, `$1` and `\$`).
    JavaRegex,
    /// The empty string.
    Empty,
    /// The input unchanged.
    Input,
    /// Null.
    Null,
    /// The evaluation fails.
    Fails,
    /// The text `null`.
    NullText,
    /// Clamp the indexes to the input.
    Clamp,
    /// Spaces only.
    Spaces,
    /// All whitespace.
    Whitespace,
    /// The first one only.
    First,
    /// All of them.
    All,
}

impl Ambiguity {
    /// Every ambiguity, in the order evaluations report them.
    pub const ALL: [Ambiguity; 7] = [
        Ambiguity::ReplacePattern,
        Ambiguity::MissingSeparator,
        Ambiguity::NullArgument,
        Ambiguity::NullConcatenation,
        Ambiguity::SubstringRange,
        Ambiguity::RemoveSpaces,
        Ambiguity::ArraysRemove,
    ];

    /// The readings usernorm evaluates, the primary one first.
    ///
    /// ```
    /// use usernorm::okta::{Ambiguity, Reading};
    /// assert_eq!(Ambiguity::NullArgument.readings(), [Reading::Empty, Reading::Null, Reading::Fails]);
    /// ```
    pub fn readings(self) -> &'static [Reading] {
        match self {
            Ambiguity::ReplacePattern => &[Reading::Literal, Reading::JavaRegex],
            Ambiguity::MissingSeparator => &[Reading::Empty, Reading::Input],
            Ambiguity::NullArgument => &[Reading::Empty, Reading::Null, Reading::Fails],
            Ambiguity::NullConcatenation => &[Reading::NullText, Reading::Empty, Reading::Fails],
            Ambiguity::SubstringRange => &[Reading::Clamp, Reading::Fails],
            Ambiguity::RemoveSpaces => &[Reading::Spaces, Reading::Whitespace],
            Ambiguity::ArraysRemove => &[Reading::First, Reading::All],
        }
    }

    /// The reading an evaluation's value is computed under.
    ///
    /// ```
    /// use usernorm::okta::{Ambiguity, Reading};
    /// assert_eq!(Ambiguity::NullConcatenation.primary(), Reading::NullText);
    /// ```
    pub fn primary(self) -> Reading {
        self.readings()[0]
    }

    /// A stable kebab-case name, as the CLI's JSON output gives it.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Ambiguity::MissingSeparator.name(), "missing-separator");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Ambiguity::ReplacePattern => "replace-pattern",
            Ambiguity::MissingSeparator => "missing-separator",
            Ambiguity::NullArgument => "null-argument",
            Ambiguity::NullConcatenation => "null-concatenation",
            Ambiguity::SubstringRange => "substring-range",
            Ambiguity::RemoveSpaces => "remove-spaces",
            Ambiguity::ArraysRemove => "arrays-remove",
        }
    }

    /// What a message says of the situation met.
    pub(crate) fn situation(self) -> &'static str {
        match self {
            Ambiguity::ReplacePattern => "the match of String.replace/replaceFirst",
            Ambiguity::MissingSeparator => "substringBefore/After without its search string",
            Ambiguity::NullArgument => "a null argument of a String function",
            Ambiguity::NullConcatenation => "null in `+`",
            Ambiguity::SubstringRange => "substring indexes outside the input",
            Ambiguity::RemoveSpaces => "String.removeSpaces on other whitespace",
            Ambiguity::ArraysRemove => "Arrays.remove of a repeated element",
        }
    }

    pub(crate) fn index(self) -> usize {
        Ambiguity::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }
}

impl Reading {
    /// A stable kebab-case name, as the CLI's JSON output gives it.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Reading::JavaRegex.name(), "java-regex");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Reading::Literal => "literal",
            Reading::JavaRegex => "java-regex",
            Reading::Empty => "empty",
            Reading::Input => "input",
            Reading::Null => "null",
            Reading::Fails => "fails",
            Reading::NullText => "null-text",
            Reading::Clamp => "clamp",
            Reading::Spaces => "spaces",
            Reading::Whitespace => "whitespace",
            Reading::First => "first",
            Reading::All => "all",
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            Reading::Literal => "read as a literal string",
            Reading::JavaRegex => "read as a Java regular expression",
            Reading::Empty => "taken as the empty string",
            Reading::Input => "giving the input unchanged",
            Reading::Null => "giving null",
            Reading::Fails => "failing the evaluation",
            Reading::NullText => "written as the text `null`",
            Reading::Clamp => "clamped to the input",
            Reading::Spaces => "removing spaces only",
            Reading::Whitespace => "removing all whitespace",
            Reading::First => "removing the first only",
            Reading::All => "removing every one",
        }
    }
}

/// One reading of one ambiguity. `Display` says it in words.
///
/// ```
/// use usernorm::okta::{Ambiguity, Choice, Reading};
/// let c = Choice { ambiguity: Ambiguity::ReplacePattern, reading: Reading::JavaRegex };
/// assert!(c.to_string().ends_with("read as a Java regular expression"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The question.
    pub ambiguity: Ambiguity,
    /// The answer.
    pub reading: Reading,
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.ambiguity.situation(),
            self.reading.describe()
        )
    }
}

/// A reading for every ambiguity: an index into each one's [`Ambiguity::readings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Choices([u8; 7]);

impl Choices {
    pub(crate) fn reading(&self, a: Ambiguity) -> Reading {
        let readings = a.readings();
        readings
            .get(usize::from(self.0[a.index()]))
            .copied()
            .unwrap_or(readings[0])
    }

    /// The choices that are not primary.
    pub(crate) fn deviations(&self) -> Vec<Choice> {
        Ambiguity::ALL
            .iter()
            .filter(|a| self.0[a.index()] != 0)
            .map(|&a| Choice {
                ambiguity: a,
                reading: self.reading(a),
            })
            .collect()
    }

    /// Every combination of readings of the ambiguities in `met` (a bit per
    /// [`Ambiguity::index`]) except the all-primary one, fewest deviations first.
    pub(crate) fn combinations(met: u8) -> Vec<Choices> {
        let mut all = vec![Choices::default()];
        for a in Ambiguity::ALL {
            if met & (1 << a.index()) == 0 {
                continue;
            }
            let count = a.readings().len();
            let mut next = Vec::with_capacity(all.len() * count);
            for c in &all {
                for r in 0..count {
                    let mut d = *c;
                    d.0[a.index()] = r as u8;
                    next.push(d);
                }
            }
            all = next;
        }
        all.retain(|c| *c != Choices::default());
        all.sort_by_key(|c| c.0.iter().filter(|r| **r != 0).count());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::{Ambiguity, Choices};

    #[test]
    fn combinations_cover_every_reading_fewest_deviations_first() {
        let met = (1 << Ambiguity::ReplacePattern.index()) | (1 << Ambiguity::NullArgument.index());
        let combos = Choices::combinations(met);
        assert_eq!(combos.len(), 2 * 3 - 1);
        assert!(combos[..3].iter().all(|c| c.deviations().len() == 1));
        assert_eq!(combos[3].deviations().len(), 2);
    }
}
