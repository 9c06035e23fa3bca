//! The translation of a .NET pattern into a dialect: one method per construct, each taking
//! the construct at a position of the pattern and giving the position after it.

use super::class::class;
use super::escape::{Piece, escape, js_char, unsupported};
use super::shape::Shape;
use crate::entra::chars::has_case;

/// The syntax a [`RegexEngine`](super::RegexEngine) reads; the translation from .NET targets it.
///
/// Both dialects give the same matches for every pattern the translation accepts: the
/// JavaScript one spells out what the `regex` crate means by `\w`, `\d`, `\s`, `\b`, `.`, `^`
/// and `$` (Unicode-aware, lines ended by `\n` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dialect {
    /// The `regex` crate's syntax, options inline (`(?i)`).
    Rust,
    /// ECMAScript `RegExp` source for the `v` (Unicode sets) mode. The flags to compile it with
    /// are given next to it: `v`, or `iv` when the pattern is case-insensitive. The caller
    /// adds `g` and `d` to search from an offset and get the groups' spans.
    JavaScript,
}

/// A pattern in a dialect, with what .NET's group numbering and `$` need.
pub(super) struct Translated {
    pub(super) pattern: String,
    /// The flags to compile it with (JavaScript only).
    pub(super) flags: &'static str,
    /// The engine's group index of each unnamed group, in order.
    pub(super) unnamed: Vec<usize>,
    /// The named groups and their engine group index.
    pub(super) named: Vec<(String, usize)>,
    /// Whether an unescaped `$` appears outside a class.
    pub(super) uses_dollar: bool,
}

/// The options in force at a point of the pattern (JavaScript has no inline options).
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    i: bool,
    m: bool,
    s: bool,
}

/// Where case-insensitivity was used, for JavaScript, which has it only for a whole pattern.
#[derive(Default)]
struct Case {
    /// A case-sensitive atom that `(?i)` would change.
    sensitive: bool,
    /// A case-insensitive atom that `(?i)` changes, and where the first `(?i)` was.
    insensitive: bool,
    first: Option<usize>,
}

impl Case {
    fn note(&mut self, flags: Flags, cased: bool) {
        if cased {
            if flags.i {
                self.insensitive = true;
            } else {
                self.sensitive = true;
            }
        }
    }
}

const NO_LOOKAROUND: &str = "the `regex` crate cannot evaluate (it has no lookaround)";

/// Rewrites .NET syntax into the dialect's, or says which construct cannot be honoured.
pub(super) fn translate(pattern: &str, dialect: Dialect) -> Result<Translated, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut t = Translator {
        chars: &chars,
        js: dialect == Dialect::JavaScript,
        out: String::with_capacity(pattern.len() + 8),
        unnamed: Vec::new(),
        named: Vec::new(),
        groups: 0,
        uses_dollar: false,
        flags: Flags::default(),
        stack: Vec::new(),
        case: Case::default(),
        shape: Shape::new(),
    };
    let mut i = 0;
    while let Some(c) = t.at(i) {
        i = t.step(c, i)?;
    }
    t.finish()
}

/// The state of a translation.
struct Translator<'p> {
    chars: &'p [char],
    js: bool,
    out: String,
    unnamed: Vec<usize>,
    named: Vec<(String, usize)>,
    /// Groups opened so far, capturing ones.
    groups: usize,
    uses_dollar: bool,
    /// The options in force, and those outside each open group.
    flags: Flags,
    stack: Vec<Flags>,
    case: Case,
    shape: Shape,
}

impl Translator<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// Translates the construct starting with `c` at `i`; the position after it.
    fn step(&mut self, c: char, i: usize) -> Result<usize, String> {
        match c {
            '\\' => self.escape(i),
            '[' => self.class(i),
            '(' => self.open_group(i),
            ')' => {
                self.shape.close();
                self.out.push(')');
                if let Some(outer) = self.stack.pop() {
                    self.flags = outer;
                }
                Ok(i + 1)
            }
            '{' => self.brace(i),
            '}' => {
                self.shape.atom(false);
                self.out.push_str(if self.js { "\\u{7D}" } else { "\\}" });
                Ok(i + 1)
            }
            '$' | '^' | '.' => {
                self.anchor_or_dot(c);
                Ok(i + 1)
            }
            '|' => {
                self.shape.alternative();
                self.out.push(c);
                Ok(i + 1)
            }
            '?' if self.shape.after_quantifier => {
                // Lazy: not a quantifier of its own.
                self.shape.after_quantifier = false;
                if let Some((_, risky)) = &mut self.shape.last {
                    *risky = true;
                }
                self.out.push(c);
                Ok(i + 1)
            }
            '*' | '+' | '?' => {
                self.quantifier(i, c != '+')?;
                self.out.push(c);
                Ok(i + 1)
            }
            other => {
                self.shape.atom(false);
                if self.js {
                    self.case.note(self.flags, has_case(other));
                    js_char(&mut self.out, other);
                } else {
                    self.out.push(other);
                }
                Ok(i + 1)
            }
        }
    }

    fn escape(&mut self, i: usize) -> Result<usize, String> {
        let (text, piece, used) = escape(self.chars, i, false)?;
        self.shape.atom(matches!(piece, Piece::Assert(_)));
        if self.js {
            self.case.note(self.flags, piece.cased());
            piece.js(&mut self.out);
        } else {
            self.out.push_str(&text);
        }
        Ok(i + used)
    }

    fn class(&mut self, i: usize) -> Result<usize, String> {
        let class = class(self.chars, i)?;
        self.shape.atom(false);
        if self.js {
            self.case.note(self.flags, class.cased);
            self.out.push_str(&class.js);
        } else {
            self.out.push_str(&class.rust);
        }
        Ok(i + class.used)
    }

    /// A quantifier (`*`, `+`, `?`, `{n,m}`) at `i`; JavaScript refuses to repeat a part that
    /// can match empty text and captures, is lazy or has alternatives.
    fn quantifier(&mut self, i: usize, min_zero: bool) -> Result<(), String> {
        if !self.shape.quantifier(min_zero) && self.js {
            return Err(unsupported(
                "a repeated group that can match empty text and captures, is lazy or has alternatives",
                i,
                "the browser's regular-expression engine evaluates differently (it never repeats a group on empty text)",
            ));
        }
        Ok(())
    }

    /// `{n}`, `{n,}` or `{n,m}`, a quantifier; any other `{` is a literal.
    fn brace(&mut self, i: usize) -> Result<usize, String> {
        let digits_from = |j: usize| {
            j + self
                .chars
                .get(j..)
                .unwrap_or(&[])
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count()
        };
        let mut j = digits_from(i + 1);
        let mut ok = j > i + 1;
        if ok && self.at(j) == Some(',') {
            j = digits_from(j + 1);
        }
        ok = ok && self.at(j) == Some('}');
        if !ok {
            self.shape.atom(false);
            self.out.push_str(if self.js { "\\u{7B}" } else { "\\{" });
            return Ok(i + 1);
        }
        let min_zero = self.chars[i + 1..j]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .all(|&c| c == '0');
        self.quantifier(i, min_zero)?;
        self.out.extend(&self.chars[i..=j]);
        Ok(j + 1)
    }

    /// `$`, `^` or `.`, with the `regex` crate's meaning spelt out for JavaScript.
    fn anchor_or_dot(&mut self, c: char) {
        let (js, flags) = (self.js, self.flags);
        let text = match c {
            '$' => {
                self.shape.atom(true);
                self.uses_dollar = true;
                // The `regex` crate's `(?m)$` is before a `\n` only; JavaScript's `m` flag
                // would add `\r`, U+2028 and U+2029. Wrapped, as JavaScript repeats no
                // assertion alone and the `regex` crate allows `^*`.
                match (js, flags.m) {
                    (false, _) => "$",
                    (true, false) => "(?:$)",
                    (true, true) => r"(?:(?![[^\n]]))",
                }
            }
            '^' => {
                self.shape.atom(true);
                match (js, flags.m) {
                    (false, _) => "^",
                    (true, false) => "(?:^)",
                    (true, true) => r"(?:(?<![[^\n]]))",
                }
            }
            _ => {
                self.shape.atom(false);
                // JavaScript's `.` also stops at `\r`, U+2028 and U+2029.
                match (js, flags.s) {
                    (false, _) => ".",
                    (true, false) => r"[[^\n]]",
                    (true, true) => r"[\s\S]",
                }
            }
        };
        self.out.push_str(text);
    }

    /// A `(` at `i`: a group, a comment, inline options, or a construct that is refused.
    fn open_group(&mut self, i: usize) -> Result<usize, String> {
        if self.at(i + 1) != Some('?') {
            self.groups += 1;
            self.unnamed.push(self.groups);
            self.out.push('(');
            self.stack.push(self.flags);
            self.shape.open(true);
            return Ok(i + 1);
        }
        let cannot = "the `regex` crate cannot evaluate";
        match (self.at(i + 2), self.at(i + 3)) {
            (Some(':'), _) => {
                self.out.push_str("(?:");
                self.stack.push(self.flags);
                self.shape.open(false);
                Ok(i + 3)
            }
            (Some('#'), _) => match self.chars[i..].iter().position(|&c| c == ')') {
                Some(len) => Ok(i + len + 1),
                None => Err(unsupported("an unclosed comment `(?#`", i, "is invalid")),
            },
            (Some('=' | '!'), _) => {
                Err(unsupported("a lookahead `(?=` or `(?!`", i, NO_LOOKAROUND))
            }
            (Some('<'), Some('=' | '!')) => Err(unsupported(
                "a lookbehind `(?<=` or `(?<!`",
                i,
                NO_LOOKAROUND,
            )),
            (Some('>'), _) => Err(unsupported("an atomic group `(?>`", i, cannot)),
            (Some('('), _) => Err(unsupported("a conditional `(?(`", i, cannot)),
            (Some(open @ ('<' | '\'' | 'P')), _) => self.named_group(i, open),
            _ => self.inline_options(i),
        }
    }

    /// `(?<name>`, `(?'name'` or `(?P<name>` at `i`.
    fn named_group(&mut self, i: usize, open: char) -> Result<usize, String> {
        let (start, close) = match open {
            'P' if self.at(i + 3) == Some('<') => (i + 4, '>'),
            '<' => (i + 3, '>'),
            '\'' => (i + 3, '\''),
            _ => return Err(unsupported("`(?P`", i, "is not .NET syntax")),
        };
        let Some(len) = self.chars[start..].iter().position(|&c| c == close) else {
            return Err(unsupported("an unclosed group name", i, "is invalid"));
        };
        let name: String = self.chars[start..start + len].iter().collect();
        check_group_name(&name, i, &self.named)?;
        self.groups += 1;
        if self.js {
            self.out.push_str(&format!("(?<{name}>"));
        } else {
            self.out.push_str(&format!("(?P<{name}>"));
        }
        self.stack.push(self.flags);
        self.shape.open(true);
        self.named.push((name, self.groups));
        Ok(start + len + 1)
    }

    /// Inline options at `i`: `(?imsx-imsx)` for the rest of the group, or `(?imsx-imsx:` for
    /// a group of its own.
    fn inline_options(&mut self, i: usize) -> Result<usize, String> {
        let mut j = i + 2;
        let mut set = self.flags;
        let mut on = true;
        let mut verbose = false;
        while let Some(f) = self.at(j) {
            match f {
                'i' => set.i = on,
                'm' => set.m = on,
                's' => set.s = on,
                'x' => verbose |= on,
                '-' => on = false,
                'n' => {
                    return Err(unsupported(
                        "the explicit-capture option `n`",
                        i,
                        "this engine does not support",
                    ));
                }
                _ => break,
            }
            j += 1;
        }
        let close = match self.at(j) {
            Some(close @ (')' | ':')) if j > i + 2 => close,
            _ => {
                return Err(unsupported(
                    "an unknown group construct `(?`",
                    i,
                    "is not supported",
                ));
            }
        };
        if close == ':' {
            self.shape.open(false);
        }
        if !self.js {
            self.out.extend(&self.chars[i..=j]);
        } else if verbose {
            return Err(unsupported(
                "the option `x`",
                i,
                "the browser's regular-expression engine does not support",
            ));
        } else if close == ':' {
            self.out.push_str("(?:");
            self.stack.push(self.flags);
        }
        if set.i && !self.flags.i && self.case.first.is_none() {
            self.case.first = Some(i);
        }
        self.flags = set;
        Ok(j + 1)
    }

    fn finish(self) -> Result<Translated, String> {
        if self.case.insensitive && self.case.sensitive {
            return Err(unsupported(
                "`(?i)` for part of the pattern",
                self.case.first.unwrap_or(0),
                "the browser's regular-expression engine cannot evaluate; start the pattern with `(?i)` to make all of it case-insensitive",
            ));
        }
        Ok(Translated {
            pattern: self.out,
            flags: match (self.js, self.case.insensitive) {
                (false, _) => "",
                (true, false) => "v",
                (true, true) => "iv",
            },
            unnamed: self.unnamed,
            named: self.named,
            uses_dollar: self.uses_dollar,
        })
    }
}

/// Refuses a group name the engines cannot take, or one already used.
fn check_group_name(name: &str, i: usize, named: &[(String, usize)]) -> Result<(), String> {
    if name.contains('-') {
        return Err(unsupported(
            "a balancing group",
            i,
            "the `regex` crate cannot evaluate",
        ));
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unsupported(
            "a numbered group name",
            i,
            "this engine does not support; give the group a name that starts with a letter",
        ));
    }
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(unsupported(
            &format!("the group name `{name}`"),
            i,
            "this engine does not support; use ASCII letters, digits and `_`",
        ));
    }
    if named.iter().any(|(n, _)| n == name) {
        return Err(unsupported(
            &format!("the group name `{name}` twice"),
            i,
            "the `regex` crate does not allow",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_constructs() {
        for p in [
            r"a(?=b)",
            r"(?<!a)b",
            r"(?>a)",
            r"(a)\1",
            r"\k<x>",
            r"[a-z-[aeiou]]",
            r"\G",
            r"a\Z",
            r"(?n)a",
            r"\p{IsGreek}",
            r"(?<a-b>x)",
            r"\q",
            r"[a--]",
        ] {
            for dialect in [Dialect::Rust, Dialect::JavaScript] {
                assert!(translate(p, dialect).is_err(), "{p} should be rejected");
            }
        }
    }

    fn js(p: &str) -> (String, &'static str) {
        match translate(p, Dialect::JavaScript) {
            Ok(t) => (t.pattern, t.flags),
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    fn javascript_spells_out_the_unicode_meaning() {
        assert_eq!(js(r"\d+"), (r"\p{Nd}+".to_owned(), "v"));
        assert_eq!(js(r"a.b"), (r"a[[^\n]]b".to_owned(), "v"));
        assert_eq!(js(r"(?s:.)"), (r"(?:[\s\S])".to_owned(), "v"));
        assert_eq!(
            js(r"(?m)^a$"),
            (r"(?:(?<![[^\n]]))a(?:(?![[^\n]]))".to_owned(), "v")
        );
        assert_eq!(js(r"^*\z"), (r"(?:^)*(?:$)".to_owned(), "v"));
        assert_eq!(
            js(r"[^a\W]"),
            (
                r"[[^a[[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]]]]".to_owned(),
                "v"
            )
        );
        assert_eq!(js(r"[a-z\-.]"), (r"[a-z\u{2D}\u{2E}]".to_owned(), "v"));
        assert_eq!(js(r"[-a]"), (r"[\u{2D}a]".to_owned(), "v"));
        assert_eq!(js(r"(?i)ab"), ("ab".to_owned(), "iv"));
        assert_eq!(js(r"\d(?i)ab"), (r"\p{Nd}ab".to_owned(), "iv"));
        assert_eq!(js(r"(?<n>x)"), ("(?<n>x)".to_owned(), "v"));
    }

    #[test]
    fn javascript_refuses_what_it_cannot_mean() {
        assert!(translate(r"a(?i)b", Dialect::JavaScript).is_err());
        assert!(translate(r"a(?i)b", Dialect::Rust).is_ok());
        assert!(translate(r"(?x)a b", Dialect::JavaScript).is_err());
        for p in [
            r"(a?){0,2}",
            r"(?:(a)|b?)+",
            r"(?:a|)*",
            r"(?:\W*?){0,2}",
            r"(a|)*",
            r"((^))+",
        ] {
            assert!(translate(p, Dialect::JavaScript).is_err(), "{p}");
            assert!(translate(p, Dialect::Rust).is_ok(), "{p}");
        }
        for p in [
            r"(a)*",
            r"(a?b)+",
            r"(?:a?)*",
            r"(a?)",
            r"(a)??",
            r"(?:a|b)*",
            r"\b*",
        ] {
            assert!(translate(p, Dialect::JavaScript).is_ok(), "{p}");
        }
    }
}
