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
//! The matching itself is done by a [`RegexEngine`]: the `regex` crate's ([`RustRegex`], with
//! the `entra-regex` feature) or one the caller brings, such as the browser's `RegExp`.

use crate::entra::chars::has_case;
use std::fmt;
use std::ops::Range;

/// The spans of one match: group 0 (the whole match) first, then every group of the pattern
/// in the order of its opening parenthesis, `None` for a group that did not take part. Spans
/// are byte offsets into the haystack.
pub type Captures = Vec<Option<Range<usize>>>;

/// The syntax a [`RegexEngine`] reads; the translation from .NET targets it.
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

/// The general categories `\p{..}` may name in every engine.
const CATEGORIES: [&str; 38] = [
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C",
    "Cc", "Cf", "Cs", "Co", "Cn", "LC",
];

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
                Some('{') => {
                    let close = after.find('}');
                    let name = close.map(|c| &after[1..c]);
                    let index = name.and_then(|n| {
                        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
                            n.parse::<usize>()
                                .ok()
                                .filter(|&k| k < self.numbers.len())
                                .map(|k| (k, true))
                        } else if self.has_group(n) {
                            Some((0, false))
                        } else {
                            None
                        }
                    });
                    match (name, close, index) {
                        (Some(n), Some(c), Some((k, numeric))) => {
                            let text = if numeric {
                                self.group(caps, input, k)
                            } else {
                                text_of(input, self.span_of(caps, n))
                            };
                            out.push_str(text.unwrap_or(""));
                            rest = &after[c + 1..];
                        }
                        _ => {
                            out.push('$');
                            rest = after;
                        }
                    }
                }
                Some(d) if d.is_ascii_digit() => {
                    // The longest run of digits that names an existing group, as .NET reads it.
                    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                    let mut best = None;
                    for len in 1..=digits.min(9) {
                        if let Ok(k) = after[..len].parse::<usize>() {
                            if k < self.numbers.len() {
                                best = Some((k, len));
                            }
                        }
                    }
                    match best {
                        Some((k, len)) => {
                            out.push_str(self.group(caps, input, k).unwrap_or(""));
                            rest = &after[len..];
                        }
                        None => {
                            out.push('$');
                            rest = after;
                        }
                    }
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
    }
}

/// The text of a span, if it is one.
pub(crate) fn text_of(input: &str, span: Option<Range<usize>>) -> Option<&str> {
    span.and_then(|s| input.get(s))
}

struct Translated {
    pattern: String,
    flags: &'static str,
    unnamed: Vec<usize>,
    named: Vec<(String, usize)>,
    uses_dollar: bool,
}

fn unsupported(what: &str, at: usize, why: &str) -> String {
    format!(
        "the regular expression uses {what} at character {}, which {why}",
        at + 1
    )
}

/// What an escape means, for the dialects that spell it differently.
enum Piece {
    /// A literal character.
    Char(char),
    /// `\d`, `\D`, `\w`, `\W`, `\s` or `\S`.
    Perl(char),
    /// `\b`, `\B`, `\A` or `\z`.
    Assert(char),
    /// `\p{..}` (false) or `\P{..}` (true) of a general category.
    Category(bool, String),
}

/// The `regex` crate's Unicode `\w`, as a JavaScript class.
const JS_WORD: &str = r"[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]";

/// A literal character in JavaScript's `v` mode, in or out of a class: escaped unless it is
/// an ASCII letter, digit or `_`, so no character is read as syntax.
fn js_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || c == '_' {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:X}}}", u32::from(c)));
    }
}

impl Piece {
    /// Whether the piece may match differently with and without `(?i)`.
    fn cased(&self) -> bool {
        match self {
            Piece::Char(c) => has_case(*c),
            Piece::Perl(_) | Piece::Assert(_) => false,
            Piece::Category(..) => true,
        }
    }

    /// The piece in JavaScript's `v` mode, with the `regex` crate's meaning.
    fn js(&self, out: &mut String) {
        match self {
            Piece::Char(c) => js_char(out, *c),
            Piece::Perl('d') => out.push_str(r"\p{Nd}"),
            Piece::Perl('D') => out.push_str(r"\P{Nd}"),
            Piece::Perl('w') => out.push_str(JS_WORD),
            Piece::Perl('W') => {
                out.push_str("[[^");
                out.push_str(&JS_WORD[1..]);
                out.push(']');
            }
            Piece::Perl('s') => out.push_str(r"\p{White_Space}"),
            Piece::Perl(_) => out.push_str(r"\P{White_Space}"),
            Piece::Assert('b') => {
                out.push_str(&format!(
                    "(?:(?<={JS_WORD})(?!{JS_WORD})|(?<!{JS_WORD})(?={JS_WORD}))"
                ));
            }
            Piece::Assert('B') => {
                out.push_str(&format!(
                    "(?:(?<={JS_WORD})(?={JS_WORD})|(?<!{JS_WORD})(?!{JS_WORD}))"
                ));
            }
            Piece::Assert('A') => out.push_str("(?:^)"),
            Piece::Assert(_) => out.push_str("(?:$)"),
            Piece::Category(negated, name) => {
                out.push_str(if *negated { "\\P{" } else { "\\p{" });
                out.push_str(name);
                out.push('}');
            }
        }
    }
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

/// A group being read, for [`Shape`].
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Whether the current branch can match empty text so far.
    seq_nullable: bool,
    /// Whether an earlier branch can match empty text.
    branch_nullable: bool,
    /// Whether a capturing group, a lazy quantifier or an alternation is inside.
    risky: bool,
    /// Whether the group itself captures.
    capturing: bool,
}

impl Frame {
    fn new(capturing: bool) -> Frame {
        Frame {
            seq_nullable: true,
            branch_nullable: false,
            risky: false,
            capturing,
        }
    }
}

/// The structure of the pattern as far as JavaScript needs it: a repeated part that can match
/// empty text. There the `regex` crate may take an empty iteration, whose captures replace the
/// earlier ones, and which a lazy quantifier or an empty alternative prefers; JavaScript
/// refuses empty iterations. Such a part is refused when it captures, is lazy or has
/// alternatives inside; a greedy one without them matches the same in both.
#[derive(Debug)]
struct Shape {
    outer: Vec<Frame>,
    current: Frame,
    /// The atom before a quantifier: whether it can match empty text, whether it is risky
    /// (see [`Frame::risky`]).
    last: Option<(bool, bool)>,
    after_quantifier: bool,
}

impl Shape {
    fn new() -> Shape {
        Shape {
            outer: Vec::new(),
            current: Frame::new(false),
            last: None,
            after_quantifier: false,
        }
    }

    fn commit(&mut self) {
        if let Some((nullable, risky)) = self.last.take() {
            self.current.seq_nullable &= nullable;
            self.current.risky |= risky;
        }
        self.after_quantifier = false;
    }

    fn atom(&mut self, nullable: bool) {
        self.commit();
        self.last = Some((nullable, false));
    }

    fn open(&mut self, capturing: bool) {
        self.commit();
        self.outer
            .push(std::mem::replace(&mut self.current, Frame::new(capturing)));
    }

    fn alternative(&mut self) {
        self.commit();
        self.current.branch_nullable |= self.current.seq_nullable;
        self.current.seq_nullable = true;
        self.current.risky = true;
    }

    fn close(&mut self) {
        self.commit();
        let done = self.current;
        if let Some(outer) = self.outer.pop() {
            self.current = outer;
        }
        self.last = Some((
            done.branch_nullable || done.seq_nullable,
            done.risky || done.capturing,
        ));
    }

    /// A quantifier; false when it repeats a risky part that can match empty text.
    fn quantifier(&mut self, min_zero: bool) -> bool {
        self.after_quantifier = true;
        match &mut self.last {
            Some((nullable, risky)) => {
                let same = !(*nullable && *risky);
                *nullable |= min_zero;
                same
            }
            None => true,
        }
    }
}

/// Rewrites .NET syntax into the dialect's, or says which construct cannot be honoured.
fn translate(pattern: &str, dialect: Dialect) -> Result<Translated, String> {
    let js = dialect == Dialect::JavaScript;
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut unnamed = Vec::new();
    let mut named: Vec<(String, usize)> = Vec::new();
    let mut groups = 0usize;
    let mut uses_dollar = false;
    let mut flags = Flags::default();
    let mut stack: Vec<Flags> = Vec::new();
    let mut case = Case::default();
    let mut shape = Shape::new();
    let repeated_capture = |i: usize| {
        unsupported(
            "a repeated group that can match empty text and captures, is lazy or has alternatives",
            i,
            "the browser's regular-expression engine evaluates differently (it never repeats a group on empty text)",
        )
    };
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    let no_lookaround = "the `regex` crate cannot evaluate (it has no lookaround)";
    while let Some(c) = at(i) {
        match c {
            '\\' => {
                let (text, piece, used) = escape(&chars, i, false)?;
                shape.atom(matches!(piece, Piece::Assert(_)));
                if js {
                    case.note(flags, piece.cased());
                    piece.js(&mut out);
                } else {
                    out.push_str(&text);
                }
                i += used;
            }
            '[' => {
                let class = class(&chars, i)?;
                shape.atom(false);
                if js {
                    case.note(flags, class.cased);
                    out.push_str(&class.js);
                } else {
                    out.push_str(&class.rust);
                }
                i += class.used;
            }
            '(' => {
                if at(i + 1) != Some('?') {
                    groups += 1;
                    unnamed.push(groups);
                    out.push('(');
                    stack.push(flags);
                    shape.open(true);
                    i += 1;
                    continue;
                }
                match (at(i + 2), at(i + 3)) {
                    (Some(':'), _) => {
                        out.push_str("(?:");
                        stack.push(flags);
                        shape.open(false);
                        i += 3;
                    }
                    (Some('#'), _) => {
                        let Some(len) = chars[i..].iter().position(|&c| c == ')') else {
                            return Err(unsupported("an unclosed comment `(?#`", i, "is invalid"));
                        };
                        i += len + 1;
                    }
                    (Some('='), _) | (Some('!'), _) => {
                        return Err(unsupported("a lookahead `(?=` or `(?!`", i, no_lookaround));
                    }
                    (Some('<'), Some('=' | '!')) => {
                        return Err(unsupported(
                            "a lookbehind `(?<=` or `(?<!`",
                            i,
                            no_lookaround,
                        ));
                    }
                    (Some('>'), _) => {
                        return Err(unsupported(
                            "an atomic group `(?>`",
                            i,
                            "the `regex` crate cannot evaluate",
                        ));
                    }
                    (Some('('), _) => {
                        return Err(unsupported(
                            "a conditional `(?(`",
                            i,
                            "the `regex` crate cannot evaluate",
                        ));
                    }
                    (Some(open @ ('<' | '\'' | 'P')), _) => {
                        let (start, close) = match open {
                            'P' if at(i + 3) == Some('<') => (i + 4, '>'),
                            '<' => (i + 3, '>'),
                            '\'' => (i + 3, '\''),
                            _ => return Err(unsupported("`(?P`", i, "is not .NET syntax")),
                        };
                        let Some(len) = chars[start..].iter().position(|&c| c == close) else {
                            return Err(unsupported("an unclosed group name", i, "is invalid"));
                        };
                        let name: String = chars[start..start + len].iter().collect();
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
                        if named.iter().any(|(n, _)| *n == name) {
                            return Err(unsupported(
                                &format!("the group name `{name}` twice"),
                                i,
                                "the `regex` crate does not allow",
                            ));
                        }
                        groups += 1;
                        if js {
                            out.push_str(&format!("(?<{name}>"));
                        } else {
                            out.push_str(&format!("(?P<{name}>"));
                        }
                        stack.push(flags);
                        shape.open(true);
                        named.push((name, groups));
                        i = start + len + 1;
                    }
                    _ => {
                        // Inline options: (?imsx-imsx) or (?imsx-imsx:
                        let mut j = i + 2;
                        let mut set = flags;
                        let mut on = true;
                        let mut verbose = false;
                        while let Some(f) = at(j) {
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
                        match at(j) {
                            Some(close @ (')' | ':')) if j > i + 2 => {
                                if close == ':' {
                                    shape.open(false);
                                }
                                if !js {
                                    out.extend(&chars[i..=j]);
                                } else if verbose {
                                    return Err(unsupported(
                                        "the option `x`",
                                        i,
                                        "the browser's regular-expression engine does not support",
                                    ));
                                } else if close == ':' {
                                    out.push_str("(?:");
                                    stack.push(flags);
                                }
                                if set.i && !flags.i && case.first.is_none() {
                                    case.first = Some(i);
                                }
                                flags = set;
                                i = j + 1;
                            }
                            _ => {
                                return Err(unsupported(
                                    "an unknown group construct `(?`",
                                    i,
                                    "is not supported",
                                ));
                            }
                        }
                    }
                }
            }
            ')' => {
                shape.close();
                out.push(')');
                if let Some(outer) = stack.pop() {
                    flags = outer;
                }
                i += 1;
            }
            '{' => {
                let mut j = i + 1;
                while at(j).is_some_and(|c| c.is_ascii_digit()) {
                    j += 1;
                }
                let mut ok = j > i + 1;
                if ok && at(j) == Some(',') {
                    j += 1;
                    while at(j).is_some_and(|c| c.is_ascii_digit()) {
                        j += 1;
                    }
                }
                ok = ok && at(j) == Some('}');
                if ok {
                    let min_zero = chars[i + 1..j]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .all(|&c| c == '0');
                    if !shape.quantifier(min_zero) && js {
                        return Err(repeated_capture(i));
                    }
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                } else {
                    shape.atom(false);
                    out.push_str(if js { "\\u{7B}" } else { "\\{" });
                    i += 1;
                }
            }
            '}' => {
                shape.atom(false);
                out.push_str(if js { "\\u{7D}" } else { "\\}" });
                i += 1;
            }
            '$' => {
                shape.atom(true);
                uses_dollar = true;
                // The `regex` crate's `(?m)$` is before a `\n` only; JavaScript's `m` flag
                // would add `\r`, U+2028 and U+2029.
                // Wrapped, as JavaScript repeats no assertion alone and the `regex` crate allows `^*`.
                out.push_str(match (js, flags.m) {
                    (false, _) => "$",
                    (true, false) => "(?:$)",
                    (true, true) => r"(?:(?![[^\n]]))",
                });
                i += 1;
            }
            '^' => {
                shape.atom(true);
                out.push_str(match (js, flags.m) {
                    (false, _) => "^",
                    (true, false) => "(?:^)",
                    (true, true) => r"(?:(?<![[^\n]]))",
                });
                i += 1;
            }
            '.' => {
                shape.atom(false);
                // JavaScript's `.` also stops at `\r`, U+2028 and U+2029.
                out.push_str(match (js, flags.s) {
                    (false, _) => ".",
                    (true, false) => r"[[^\n]]",
                    (true, true) => r"[\s\S]",
                });
                i += 1;
            }
            '|' => {
                shape.alternative();
                out.push(c);
                i += 1;
            }
            '?' if shape.after_quantifier => {
                // Lazy: not a quantifier of its own.
                shape.after_quantifier = false;
                if let Some((_, risky)) = &mut shape.last {
                    *risky = true;
                }
                out.push(c);
                i += 1;
            }
            '*' | '+' | '?' => {
                if !shape.quantifier(c != '+') && js {
                    return Err(repeated_capture(i));
                }
                out.push(c);
                i += 1;
            }
            other => {
                shape.atom(false);
                if js {
                    case.note(flags, has_case(other));
                    js_char(&mut out, other);
                } else {
                    out.push(other);
                }
                i += 1;
            }
        }
    }
    if case.insensitive && case.sensitive {
        return Err(unsupported(
            "`(?i)` for part of the pattern",
            case.first.unwrap_or(0),
            "the browser's regular-expression engine cannot evaluate; start the pattern with `(?i)` to make all of it case-insensitive",
        ));
    }
    Ok(Translated {
        pattern: out,
        flags: match (js, case.insensitive) {
            (false, _) => "",
            (true, false) => "v",
            (true, true) => "iv",
        },
        unnamed,
        named,
        uses_dollar,
    })
}

/// A character class in both dialects.
struct Class {
    rust: String,
    js: String,
    /// Whether `(?i)` changes what it matches.
    cased: bool,
    /// How many characters of the pattern it took.
    used: usize,
}

/// What came last in a class, to tell a range's `-` from a literal one as the `regex` crate
/// does.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Char(char),
    RangeStart(char),
    Range,
    Set,
}

/// Whether `(?i)` changes what a range matches (long ranges are assumed to).
fn range_cased(from: char, to: char) -> bool {
    let (from, to) = (u32::from(from), u32::from(to));
    to.saturating_sub(from) > 0x3000 || (from..=to).any(|c| char::from_u32(c).is_some_and(has_case))
}

/// Translates one character class starting at `chars[start] == '['`.
fn class(chars: &[char], start: usize) -> Result<Class, String> {
    let mut rust = String::from("[");
    let mut js = String::from("[");
    let mut cased = false;
    let mut i = start + 1;
    let negated = chars.get(i) == Some(&'^');
    if negated {
        // Nested, `[[^..]]`: V8 11 (Node 20) reads a negated `v`-mode class in a repeated
        // non-capturing group as if it were not negated.
        rust.push('^');
        js.push_str("[^");
        i += 1;
    }
    let mut first = true;
    let mut last = Last::Nothing;
    // One item of the class: a character (maybe ending a range) or a set.
    let mut item = |piece: &Piece, js: &mut String, last: &mut Last| {
        piece.js(js);
        *last = match (piece, *last) {
            (Piece::Char(c), Last::RangeStart(from)) => {
                cased |= range_cased(from, *c);
                Last::Range
            }
            (Piece::Char(c), _) => {
                cased |= has_case(*c);
                Last::Char(*c)
            }
            (other, _) => {
                cased |= other.cased();
                Last::Set
            }
        };
    };
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(unsupported(
                "an unclosed character class `[`",
                start,
                "is invalid",
            ));
        };
        match c {
            ']' if !first => {
                rust.push(']');
                js.push_str(if negated { "]]" } else { "]" });
                return Ok(Class {
                    rust,
                    js,
                    cased,
                    used: i + 1 - start,
                });
            }
            ']' => {
                rust.push_str("\\]");
                item(&Piece::Char(']'), &mut js, &mut last);
                i += 1;
            }
            '\\' => {
                let (text, piece, used) = escape(chars, i, true)?;
                rust.push_str(&text);
                item(&piece, &mut js, &mut last);
                i += used;
            }
            '[' => {
                rust.push_str("\\[");
                item(&Piece::Char('['), &mut js, &mut last);
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'[') => {
                return Err(unsupported(
                    "class subtraction `-[...]`",
                    i,
                    "this engine does not support",
                ));
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                return Err(unsupported(
                    "`--` inside a character class",
                    i,
                    "reads differently in the two engines; escape it as `\\-`",
                ));
            }
            '-' => {
                rust.push('-');
                // As the `regex` crate reads it: a range between the item before and the one
                // after, unless first, last or after a range. After a set it is an error in
                // both engines (JavaScript's from the bare `-`).
                match last {
                    _ if chars.get(i + 1) == Some(&']') => {
                        item(&Piece::Char('-'), &mut js, &mut last);
                    }
                    Last::Nothing | Last::Range => item(&Piece::Char('-'), &mut js, &mut last),
                    Last::Char(from) => {
                        js.push('-');
                        last = Last::RangeStart(from);
                    }
                    Last::RangeStart(_) | Last::Set => js.push('-'),
                }
                i += 1;
            }
            '&' | '~' => {
                rust.push('\\');
                rust.push(c);
                item(&Piece::Char(c), &mut js, &mut last);
                i += 1;
            }
            other => {
                rust.push(other);
                item(&Piece::Char(other), &mut js, &mut last);
                i += 1;
            }
        }
        first = false;
    }
}

/// The `regex` crate's escape of a literal character: a backslash before its meta characters.
fn rust_escape(c: char) -> String {
    if matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    ) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Translates the escape at `chars[i] == '\\'`: the `regex` crate's text, its meaning, and
/// how many characters it took.
fn escape(chars: &[char], i: usize, in_class: bool) -> Result<(String, Piece, usize), String> {
    let Some(&c) = chars.get(i + 1) else {
        return Err(unsupported("a trailing `\\`", i, "is invalid"));
    };
    let hex = |count: usize| -> Option<u32> {
        let digits: String = chars.get(i + 2..i + 2 + count)?.iter().collect();
        if digits.len() == count && digits.chars().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&digits, 16).ok()
        } else {
            None
        }
    };
    let code = |cp: u32, used: usize| {
        let piece = char::from_u32(cp).map_or(Piece::Char('\u{FFFD}'), Piece::Char);
        (format!("\\x{{{cp:X}}}"), piece, used)
    };
    Ok(match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => (format!("\\{c}"), Piece::Perl(c), 2),
        'n' => ("\\n".to_owned(), Piece::Char('\n'), 2),
        'r' => ("\\r".to_owned(), Piece::Char('\r'), 2),
        't' => ("\\t".to_owned(), Piece::Char('\t'), 2),
        'f' => ("\\f".to_owned(), Piece::Char('\u{C}'), 2),
        'v' => ("\\v".to_owned(), Piece::Char('\u{B}'), 2),
        'b' if in_class => code(8, 2),
        'b' | 'B' | 'A' | 'z' => (format!("\\{c}"), Piece::Assert(c), 2),
        'a' => code(7, 2),
        'e' => code(0x1B, 2),
        'x' => match hex(2) {
            Some(cp) => code(cp, 4),
            None => return Err(unsupported("`\\x` without two hex digits", i, "is invalid")),
        },
        'u' => match hex(4) {
            Some(cp) if char::from_u32(cp).is_some() => code(cp, 6),
            _ => {
                return Err(unsupported(
                    "`\\u` without four hex digits of a character",
                    i,
                    "this engine cannot match (a surrogate code unit is not a character)",
                ));
            }
        },
        'c' => match chars.get(i + 2) {
            Some(l) if l.is_ascii_alphabetic() => code(u32::from(*l) & 0x1F, 3),
            _ => return Err(unsupported("`\\c` without a letter", i, "is invalid")),
        },
        'p' | 'P' => {
            let rest = chars.get(i + 2..).unwrap_or(&[]);
            let close = rest.iter().position(|&c| c == '}');
            let name: Option<String> = match (rest.first(), close) {
                (Some('{'), Some(end)) => Some(rest[1..end].iter().collect()),
                _ => None,
            };
            match (name, close) {
                (Some(n), Some(end)) if CATEGORIES.contains(&n.as_str()) => (
                    format!("\\{c}{{{n}}}"),
                    Piece::Category(c == 'P', n),
                    end + 3,
                ),
                (Some(n), _) => {
                    return Err(unsupported(
                        &format!("the Unicode name `\\{c}{{{n}}}`"),
                        i,
                        "this engine does not support; only general categories such as `\\p{L}` are",
                    ));
                }
                _ => return Err(unsupported("`\\p` without `{name}`", i, "is invalid")),
            }
        }
        '0'..='9' if in_class => {
            return Err(unsupported(
                "an octal escape",
                i,
                "this engine does not support",
            ));
        }
        '0' => {
            return Err(unsupported(
                "an octal escape",
                i,
                "this engine does not support",
            ));
        }
        '1'..='9' | 'k' => {
            return Err(unsupported(
                "a backreference",
                i,
                "the `regex` crate cannot evaluate",
            ));
        }
        'G' | 'Z' => {
            return Err(unsupported(
                &format!("`\\{c}`"),
                i,
                "this engine does not support (use `\\z` for the end of the text)",
            ));
        }
        c if c.is_alphanumeric() => {
            return Err(unsupported(
                &format!("the unknown escape `\\{c}`"),
                i,
                ".NET rejects",
            ));
        }
        other => (rust_escape(other), Piece::Char(other), 2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "entra-regex")]
    fn re(p: &str) -> DotNetRegex {
        match DotNetRegex::new(p, &RustRegex) {
            Ok(r) => r,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[cfg(feature = "entra-regex")]
    fn replace(p: &str, input: &str, with: &str) -> String {
        match re(p).replace(input, with) {
            Ok(s) => s,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    #[cfg(feature = "entra-regex")]
    fn empty_matches_follow_dotnet() {
        assert_eq!(replace("a*", "baaac", "-"), "-b--c-");
        assert_eq!(replace("x*", "abc", "-"), "-a-b-c-");
        assert_eq!(replace("[a-zA-Z_]*", "john_doe72", ""), "72");
    }

    #[test]
    #[cfg(feature = "entra-regex")]
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

    #[test]
    #[cfg(feature = "entra-regex")]
    fn translated_constructs() {
        assert_eq!(replace(r"[[]", "a[b", "_"), "a_b");
        assert_eq!(replace(r"a{", "a{", "_"), "_");
        assert_eq!(replace(r"\e", "\u{1b}", "_"), "_");
        assert_eq!(replace(r"[a&&b]", "&", "_"), "_");
        assert_eq!(replace(r"\<", "<", "_"), "_");
        assert!(re("a$").check_input("a\n").is_err());
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
