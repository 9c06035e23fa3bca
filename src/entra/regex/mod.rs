//! .NET regular expressions, translated for the engine that runs them.
//!
//! Entra evaluates `Replace` patterns with .NET's `Regex`. Most of its syntax means the same in
//! the `regex` crate and in JavaScript's `RegExp`; the rest is translated (named groups, `\e`,
//! `\cX`, a literal `[` inside a class, a `{` that is not a quantifier, and for JavaScript the
//! Unicode meaning of `\w`, `\d`, `\s`, `\b`, `.`, `^` and `$`) or rejected with a message naming
//! the construct, so an expression never silently gets a different answer than Entra would give.
//! Rejected: lookahead and lookbehind, atomic groups, backreferences, conditionals, balancing
//! groups, class subtraction, `\G`, `\Z`, octal escapes, `\p{IsBlock}` names and the `n`
//! option.
//!
//! The translation reads the pattern one construct at a time (`translate.rs`), escapes and
//! classes in files of their own (`escape.rs`, `class.rs`), and keeps the shape of the groups
//! JavaScript needs (`shape.rs`).
//!
//! The matching itself is done by a [`RegexEngine`]: the `regex` crate's ([`RustRegex`], with
//! the `entra-regex` feature) or one the caller brings, such as the browser's `RegExp`.

use std::fmt;
use std::ops::Range;

mod class;
mod escape;
mod shape;
mod translate;

pub use translate::Dialect;
use translate::translate;

/// The spans of one match: group 0 (the whole match) first, then every group of the pattern
/// in the order of its opening parenthesis, `None` for a group that did not take part. Spans
/// are byte offsets into the haystack.
pub type Captures = Vec<Option<Range<usize>>>;

/// A regular-expression engine: compiles translated patterns.
///
/// The evaluator never runs a pattern itself; it translates the .NET pattern into the engine's
/// [`Dialect`] and asks the engine to compile it. [`RustRegex`] is the native engine; the
/// browser build brings JavaScript's. An engine that cannot compile a pattern says why, and
/// that message becomes the expression's error.
///
/// ```
/// use std::ops::Range;
/// use std::sync::Arc;
/// use usernorm::entra::{Captures, CompiledRegex, Dialect, Expression, RegexEngine, Value};
///
/// /// An engine that only knows the pattern `x` (as a toy; real engines wrap a library).
/// #[derive(Debug)]
/// struct OnlyX;
/// #[derive(Debug)]
/// struct FindX;
///
/// impl RegexEngine for OnlyX {
///     fn dialect(&self) -> Dialect {
///         Dialect::Rust
///     }
///     fn compile(&self, pattern: &str, _flags: &str) -> Result<Box<dyn CompiledRegex>, String> {
///         if pattern == "x" { Ok(Box::new(FindX)) } else { Err(format!("cannot compile {pattern}")) }
///     }
/// }
///
/// impl CompiledRegex for FindX {
///     fn captures_at(&self, haystack: &str, start: usize) -> Result<Option<Captures>, String> {
///         Ok(haystack.get(start..).and_then(|rest| rest.find('x')).map(|i| {
///             let at: Range<usize> = start + i..start + i + 1;
///             vec![Some(at)]
///         }))
///     }
/// }
///
/// let expr = Expression::parse_with(r#"Replace([a], , "x", , "y", , )"#, Arc::new(OnlyX))?;
/// assert_eq!(expr.evaluate(&[("a", "axbx")])?.value, Value::from("ayby"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait RegexEngine: fmt::Debug + Send + Sync {
    /// The syntax [`compile`](RegexEngine::compile) reads.
    fn dialect(&self) -> Dialect;

    /// Compiles a pattern written in [`dialect`](RegexEngine::dialect), with the flags the
    /// translation gives (always empty for [`Dialect::Rust`]).
    ///
    /// # Errors
    /// Why the engine cannot compile the pattern, in words for the expression's author.
    fn compile(&self, pattern: &str, flags: &str) -> Result<Box<dyn CompiledRegex>, String>;
}

/// A compiled pattern.
pub trait CompiledRegex: fmt::Debug + Send + Sync {
    /// The leftmost match that starts at byte `start` or later, the whole haystack being the
    /// context of anchors and word boundaries; `Ok(None)` when there is none. `start` is
    /// always on a character boundary.
    ///
    /// # Errors
    /// Why the engine could not run (the evaluation fails with that message).
    fn captures_at(&self, haystack: &str, start: usize) -> Result<Option<Captures>, String>;
}

/// The `regex` crate as a [`RegexEngine`]: the default with the `entra-regex` feature, linear
/// in the input, with limits on the compiled size.
///
/// ```
/// use std::sync::Arc;
/// use usernorm::entra::{Expression, RustRegex, Value};
///
/// let expr = Expression::parse_with(r#"Replace([a], , "\\d+", , "_", , )"#, Arc::new(RustRegex))?;
/// assert_eq!(expr.evaluate(&[("a", "a12b3")])?.value, Value::from("a_b_"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "entra-regex")]
#[derive(Debug, Clone, Copy, Default)]
pub struct RustRegex;

/// Compiled size limits, so a hostile pattern cannot use much memory.
#[cfg(feature = "entra-regex")]
const SIZE_LIMIT: usize = 2 << 20;

#[cfg(feature = "entra-regex")]
impl RegexEngine for RustRegex {
    fn dialect(&self) -> Dialect {
        Dialect::Rust
    }

    fn compile(&self, pattern: &str, _flags: &str) -> Result<Box<dyn CompiledRegex>, String> {
        let regex = regex::RegexBuilder::new(pattern)
            .size_limit(SIZE_LIMIT)
            .dfa_size_limit(SIZE_LIMIT)
            .nest_limit(100)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => {
                    "the regular expression is too large to evaluate safely".to_owned()
                }
                other => format!(
                    "invalid regular expression: {}",
                    first_line(&other.to_string())
                ),
            })?;
        Ok(Box::new(RustCompiled(regex)))
    }
}

#[cfg(feature = "entra-regex")]
#[derive(Debug)]
struct RustCompiled(regex::Regex);

#[cfg(feature = "entra-regex")]
impl CompiledRegex for RustCompiled {
    fn captures_at(&self, haystack: &str, start: usize) -> Result<Option<Captures>, String> {
        Ok(self
            .0
            .captures_at(haystack, start)
            .map(|caps| caps.iter().map(|m| m.map(|m| m.range())).collect()))
    }
}

#[cfg(feature = "entra-regex")]
fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim()
}

/// The engine of a build without one: every pattern is an error saying so.
#[cfg(not(feature = "entra-regex"))]
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoEngine;

#[cfg(not(feature = "entra-regex"))]
impl RegexEngine for NoEngine {
    fn dialect(&self) -> Dialect {
        Dialect::Rust
    }

    fn compile(&self, _pattern: &str, _flags: &str) -> Result<Box<dyn CompiledRegex>, String> {
        Err("this build has no regular-expression engine (the `entra-regex` feature, or one given to `Expression::parse_with`)".to_owned())
    }
}

/// The engine `Expression::parse` uses: the `regex` crate when it is built in.
pub(crate) fn default_engine() -> std::sync::Arc<dyn RegexEngine> {
    #[cfg(feature = "entra-regex")]
    return std::sync::Arc::new(RustRegex);
    #[cfg(not(feature = "entra-regex"))]
    return std::sync::Arc::new(NoEngine);
}

/// A .NET pattern compiled by an engine, with .NET's group numbering.
#[derive(Debug)]
pub(crate) struct DotNetRegex {
    regex: Box<dyn CompiledRegex>,
    /// .NET group number -> engine group index: unnamed groups first, then named ones.
    numbers: Vec<usize>,
    /// Named groups and their engine group index.
    named: Vec<(String, usize)>,
    /// Whether an unescaped `$` appears outside a class (see `check_input`).
    uses_dollar: bool,
}

impl DotNetRegex {
    /// Translates a .NET pattern for the engine and compiles it; the error says which
    /// construct is not supported.
    pub(crate) fn new(pattern: &str, engine: &dyn RegexEngine) -> Result<DotNetRegex, String> {
        let t = translate(pattern, engine.dialect())?;
        let regex = engine.compile(&t.pattern, t.flags)?;
        let mut numbers = vec![0];
        numbers.extend(t.unnamed);
        numbers.extend(t.named.iter().map(|(_, i)| *i));
        Ok(DotNetRegex {
            regex,
            numbers,
            named: t.named,
            uses_dollar: t.uses_dollar,
        })
    }

    /// Fails where .NET would match differently: .NET's `$` also matches before a final newline.
    pub(crate) fn check_input(&self, input: &str) -> Result<(), String> {
        if self.uses_dollar && input.ends_with('\n') {
            return Err("the pattern uses `$` and the value ends with a newline: .NET's `$` also matches before a final newline, which this engine cannot reproduce".to_owned());
        }
        Ok(())
    }

    /// Whether the pattern has a group with this name.
    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.named.iter().any(|(n, _)| n == name)
    }

    /// The span of the group called `name` in a match.
    pub(crate) fn span_of(&self, caps: &Captures, name: &str) -> Option<Range<usize>> {
        let (_, index) = self.named.iter().find(|(n, _)| n == name)?;
        caps.get(*index).cloned().flatten()
    }

    /// Matches in .NET's order: left to right, an empty match allowed right after a non-empty
    /// one, the search moving one character on after an empty match.
    pub(crate) fn captures(&self, haystack: &str) -> Result<Vec<Captures>, String> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= haystack.len() {
            let Some(caps) = self.regex.captures_at(haystack, pos)? else {
                break;
            };
            let Some(Some(m)) = caps.first().cloned() else {
                break;
            };
            // An engine's span that is not a forward step on character boundaries would loop
            // or slice badly: stop there.
            if m.start < pos || m.end < m.start || haystack.get(m.clone()).is_none() {
                break;
            }
            out.push(caps);
            pos = if m.end > m.start {
                m.end
            } else {
                match haystack.get(m.end..).and_then(|s| s.chars().next()) {
                    Some(c) => m.end + c.len_utf8(),
                    None => break,
                }
            };
        }
        Ok(out)
    }

    /// `Regex.Replace(input, pattern, replacement)` with .NET's substitutions.
    pub(crate) fn replace(&self, input: &str, replacement: &str) -> Result<String, String> {
        let mut out = String::with_capacity(input.len());
        let mut last = 0;
        for caps in self.captures(input)? {
            let Some(Some(m)) = caps.first() else {
                continue;
            };
            out.push_str(input.get(last..m.start).unwrap_or(""));
            self.substitute(&caps, input, replacement, &mut out);
            last = m.end;
        }
        out.push_str(input.get(last..).unwrap_or(""));
        Ok(out)
    }

    fn group<'h>(&self, caps: &Captures, input: &'h str, number: usize) -> Option<&'h str> {
        let index = *self.numbers.get(number)?;
        text_of(input, caps.get(index).cloned().flatten())
    }

    /// Expands a .NET replacement string: `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`, `$n`, `${name}`.
    fn substitute(&self, caps: &Captures, input: &str, replacement: &str, out: &mut String) {
        let whole = caps.first().cloned().flatten();
        let mut rest = replacement;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let mut chars = after.chars();
            match chars.next() {
                Some('$') => {
                    out.push('$');
                    rest = &after[1..];
                }
                Some('&') => {
                    out.push_str(text_of(input, whole.clone()).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('`') => {
                    let start = whole.as_ref().map_or(0, |m| m.start);
                    out.push_str(input.get(..start).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('\'') => {
                    let end = whole.as_ref().map_or(0, |m| m.end);
                    out.push_str(input.get(end..).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('_') => {
                    out.push_str(input);
                    rest = &after[1..];
                }
                Some('+') => {
                    let last = self.numbers.len().saturating_sub(1);
                    out.push_str(self.group(caps, input, last).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('{') => match self.braced(caps, input, after) {
                    Some((text, used)) => {
                        out.push_str(text.unwrap_or(""));
                        rest = &after[used..];
                    }
                    None => {
                        out.push('$');
                        rest = after;
                    }
                },
                Some(d) if d.is_ascii_digit() => match self.numbered(after) {
                    Some((k, len)) => {
                        out.push_str(self.group(caps, input, k).unwrap_or(""));
                        rest = &after[len..];
                    }
                    None => {
                        out.push('$');
                        rest = after;
                    }
                },
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }

    /// `${name}` or `${n}` at the start of `after` (which begins with `{`): the group's text
    /// and how many bytes of `after` it took; `None` when it names no group.
    fn braced<'h>(
        &self,
        caps: &Captures,
        input: &'h str,
        after: &str,
    ) -> Option<(Option<&'h str>, usize)> {
        let close = after.find('}')?;
        let name = after.get(1..close)?;
        let text = if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
            let k = name
                .parse::<usize>()
                .ok()
                .filter(|&k| k < self.numbers.len())?;
            self.group(caps, input, k)
        } else if self.has_group(name) {
            text_of(input, self.span_of(caps, name))
        } else {
            return None;
        };
        Some((text, close + 1))
    }

    /// `$n` at the start of `after`: the longest run of digits that names an existing group,
    /// as .NET reads it, and its length.
    fn numbered(&self, after: &str) -> Option<(usize, usize)> {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let mut best = None;
        for len in 1..=digits.min(9) {
            if let Ok(k) = after[..len].parse::<usize>()
                && k < self.numbers.len()
            {
                best = Some((k, len));
            }
        }
        best
    }
}

/// The text of a span, if it is one.
pub(crate) fn text_of(input: &str, span: Option<Range<usize>>) -> Option<&str> {
    span.and_then(|s| input.get(s))
}

#[cfg(all(test, feature = "entra-regex"))]
mod tests {
    use super::*;

    fn re(p: &str) -> DotNetRegex {
        match DotNetRegex::new(p, &RustRegex) {
            Ok(r) => r,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    fn replace(p: &str, input: &str, with: &str) -> String {
        match re(p).replace(input, with) {
            Ok(s) => s,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    fn empty_matches_follow_dotnet() {
        assert_eq!(replace("a*", "baaac", "-"), "-b--c-");
        assert_eq!(replace("x*", "abc", "-"), "-a-b-c-");
        assert_eq!(replace("[a-zA-Z_]*", "john_doe72", ""), "72");
    }

    #[test]
    fn substitutions() {
        let p = r"(?<first>\w+) (\w+)";
        // .NET numbers unnamed groups first: $1 is the unnamed one, $2 the named one.
        assert_eq!(replace(p, "jane doe", "$2-$1"), "jane-doe");
        assert_eq!(
            replace(p, "jane doe", "${first}|$$|$&|$3x"),
            "jane|$|jane doe|$3x"
        );
        assert_eq!(replace(p, "jane doe", "${nope}"), "${nope}");
    }

    #[test]
    fn translated_constructs() {
        assert_eq!(replace(r"[[]", "a[b", "_"), "a_b");
        assert_eq!(replace(r"a{", "a{", "_"), "_");
        assert_eq!(replace(r"\e", "\u{1b}", "_"), "_");
        assert_eq!(replace(r"[a&&b]", "&", "_"), "_");
        assert_eq!(replace(r"\<", "<", "_"), "_");
        assert!(re("a$").check_input("a\n").is_err());
    }
}
