//! .NET regular expressions, translated to the `regex` crate.
//!
//! Entra evaluates `Replace` patterns with .NET's `Regex`. Most of its syntax means the same in
//! the `regex` crate; the rest is translated (named groups, `\e`, `\cX`, a literal `[` inside a
//! class, a `{` that is not a quantifier) or rejected with a message naming the construct, so an
//! expression never silently gets a different answer than Entra would give. Rejected: lookahead
//! and lookbehind, atomic groups, backreferences, conditionals, balancing groups, class
//! subtraction, `\G`, `\Z`, octal escapes, `\p{IsBlock}` names and the `n` option.

use std::ops::Range;

use regex::{Captures, Regex, RegexBuilder};

/// Compiled size limits, so a hostile pattern cannot use much memory.
const SIZE_LIMIT: usize = 2 << 20;

/// A .NET pattern compiled for the `regex` crate, with .NET's group numbering.
#[derive(Debug)]
pub(crate) struct DotNetRegex {
    regex: Regex,
    /// .NET group number -> `regex` group index: unnamed groups first, then named ones.
    numbers: Vec<usize>,
    /// Whether an unescaped `$` appears outside a class (see `check_input`).
    uses_dollar: bool,
}

/// The general categories `\p{..}` may name in both engines.
const CATEGORIES: [&str; 38] = [
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
    "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C",
    "Cc", "Cf", "Cs", "Co", "Cn", "LC",
];

impl DotNetRegex {
    /// Translates and compiles a .NET pattern; the error says which construct is not supported.
    pub(crate) fn new(pattern: &str) -> Result<DotNetRegex, String> {
        let t = translate(pattern)?;
        let regex = RegexBuilder::new(&t.pattern)
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
        let mut numbers = vec![0];
        numbers.extend(t.unnamed);
        numbers.extend(t.named.iter().map(|(_, i)| *i));
        Ok(DotNetRegex {
            regex,
            numbers,
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
        self.regex.capture_names().any(|n| n == Some(name))
    }

    /// Matches in .NET's order: left to right, an empty match allowed right after a non-empty
    /// one, the search moving one character on after an empty match.
    pub(crate) fn captures<'h>(&self, haystack: &'h str) -> Vec<Captures<'h>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= haystack.len() {
            let Some(caps) = self.regex.captures_at(haystack, pos) else {
                break;
            };
            let Some(m) = caps.get(0) else { break };
            let (start, end) = (m.start(), m.end());
            out.push(caps);
            pos = if end > start {
                end
            } else {
                match haystack.get(end..).and_then(|s| s.chars().next()) {
                    Some(c) => end + c.len_utf8(),
                    None => break,
                }
            };
        }
        out
    }

    /// `Regex.Replace(input, pattern, replacement)` with .NET's substitutions.
    pub(crate) fn replace(&self, input: &str, replacement: &str) -> String {
        let mut out = String::with_capacity(input.len());
        let mut last = 0;
        for caps in self.captures(input) {
            let Some(m) = caps.get(0) else { continue };
            out.push_str(input.get(last..m.start()).unwrap_or(""));
            self.substitute(&caps, input, replacement, &mut out);
            last = m.end();
        }
        out.push_str(input.get(last..).unwrap_or(""));
        out
    }

    fn group<'h>(&self, caps: &Captures<'h>, number: usize) -> Option<&'h str> {
        self.numbers
            .get(number)
            .and_then(|&i| caps.get(i))
            .map(|m| m.as_str())
    }

    /// Expands a .NET replacement string: `$$`, `$&`, `` $` ``, `$'`, `$+`, `$_`, `$n`, `${name}`.
    fn substitute(&self, caps: &Captures<'_>, input: &str, replacement: &str, out: &mut String) {
        let whole = caps.get(0);
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
                    out.push_str(whole.map_or("", |m| m.as_str()));
                    rest = &after[1..];
                }
                Some('`') => {
                    out.push_str(input.get(..whole.map_or(0, |m| m.start())).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('\'') => {
                    out.push_str(input.get(whole.map_or(0, |m| m.end())..).unwrap_or(""));
                    rest = &after[1..];
                }
                Some('_') => {
                    out.push_str(input);
                    rest = &after[1..];
                }
                Some('+') => {
                    let last = self.numbers.len().saturating_sub(1);
                    out.push_str(self.group(caps, last).unwrap_or(""));
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
                                self.group(caps, k)
                            } else {
                                caps.name(n).map(|m| m.as_str())
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
                            out.push_str(self.group(caps, k).unwrap_or(""));
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

fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim()
}

struct Translated {
    pattern: String,
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

/// Rewrites .NET syntax into the `regex` crate's, or says which construct cannot be honoured.
fn translate(pattern: &str) -> Result<Translated, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut unnamed = Vec::new();
    let mut named: Vec<(String, usize)> = Vec::new();
    let mut groups = 0usize;
    let mut uses_dollar = false;
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied();
    let no_lookaround = "the `regex` crate cannot evaluate (it has no lookaround)";
    while let Some(c) = at(i) {
        match c {
            '\\' => {
                let (text, used) = escape(&chars, i, false)?;
                out.push_str(&text);
                i += used;
            }
            '[' => {
                let (text, used) = class(&chars, i)?;
                out.push_str(&text);
                i += used;
            }
            '(' => {
                if at(i + 1) != Some('?') {
                    groups += 1;
                    unnamed.push(groups);
                    out.push('(');
                    i += 1;
                    continue;
                }
                match (at(i + 2), at(i + 3)) {
                    (Some(':'), _) => {
                        out.push_str("(?:");
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
                        out.push_str(&format!("(?P<{name}>"));
                        named.push((name, groups));
                        i = start + len + 1;
                    }
                    _ => {
                        // Inline options: (?imsx-imsx) or (?imsx-imsx:
                        let mut j = i + 2;
                        while let Some(f) = at(j) {
                            match f {
                                'i' | 'm' | 's' | 'x' | '-' => j += 1,
                                'n' => {
                                    return Err(unsupported(
                                        "the explicit-capture option `n`",
                                        i,
                                        "this engine does not support",
                                    ));
                                }
                                _ => break,
                            }
                        }
                        match at(j) {
                            Some(')' | ':') if j > i + 2 => {
                                out.extend(&chars[i..=j]);
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
                    out.extend(&chars[i..=j]);
                    i = j + 1;
                } else {
                    out.push_str("\\{");
                    i += 1;
                }
            }
            '}' => {
                out.push_str("\\}");
                i += 1;
            }
            '$' => {
                uses_dollar = true;
                out.push('$');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(Translated {
        pattern: out,
        unnamed,
        named,
        uses_dollar,
    })
}

/// Translates one character class starting at `chars[start] == '['`; returns the text and how
/// many characters it used.
fn class(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let mut out = String::from("[");
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
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
                out.push(']');
                return Ok((out, i + 1 - start));
            }
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '\\' => {
                let (text, used) = escape(chars, i, true)?;
                out.push_str(&text);
                i += used;
            }
            '[' => {
                out.push_str("\\[");
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
            '&' | '~' => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
        first = false;
    }
}

/// Translates the escape at `chars[i] == '\\'`.
fn escape(chars: &[char], i: usize, in_class: bool) -> Result<(String, usize), String> {
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
    let code = |cp: u32| format!("\\x{{{cp:X}}}");
    Ok(match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'n' | 'r' | 't' | 'f' | 'v' => (format!("\\{c}"), 2),
        'b' if in_class => (code(8), 2),
        'b' | 'B' | 'A' | 'z' => (format!("\\{c}"), 2),
        'a' => (code(7), 2),
        'e' => (code(0x1B), 2),
        'x' => match hex(2) {
            Some(cp) => (code(cp), 4),
            None => return Err(unsupported("`\\x` without two hex digits", i, "is invalid")),
        },
        'u' => match hex(4) {
            Some(cp) if char::from_u32(cp).is_some() => (code(cp), 6),
            _ => {
                return Err(unsupported(
                    "`\\u` without four hex digits of a character",
                    i,
                    "this engine cannot match (a surrogate code unit is not a character)",
                ));
            }
        },
        'c' => match chars.get(i + 2) {
            Some(l) if l.is_ascii_alphabetic() => (code(u32::from(*l) & 0x1F), 3),
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
                (Some(n), Some(end)) if CATEGORIES.contains(&n.as_str()) => {
                    (format!("\\{c}{{{n}}}"), end + 3)
                }
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
        other => (regex::escape(&other.to_string()), 2),
    })
}

/// The span of a match, for callers that splice text.
pub(crate) fn span_of(caps: &Captures<'_>, name: &str) -> Option<Range<usize>> {
    caps.name(name).map(|m| m.range())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> DotNetRegex {
        match DotNetRegex::new(p) {
            Ok(r) => r,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    #[test]
    fn empty_matches_follow_dotnet() {
        assert_eq!(re("a*").replace("baaac", "-"), "-b--c-");
        assert_eq!(re("x*").replace("abc", "-"), "-a-b-c-");
        assert_eq!(re("[a-zA-Z_]*").replace("john_doe72", ""), "72");
    }

    #[test]
    fn substitutions() {
        let r = re(r"(?<first>\w+) (\w+)");
        // .NET numbers unnamed groups first: $1 is the unnamed one, $2 the named one.
        assert_eq!(r.replace("jane doe", "$2-$1"), "jane-doe");
        assert_eq!(
            r.replace("jane doe", "${first}|$$|$&|$3x"),
            "jane|$|jane doe|$3x"
        );
        assert_eq!(r.replace("jane doe", "${nope}"), "${nope}");
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
            assert!(DotNetRegex::new(p).is_err(), "{p} should be rejected");
        }
    }

    #[test]
    fn translated_constructs() {
        assert_eq!(re(r"[[]").replace("a[b", "_"), "a_b");
        assert_eq!(re(r"a{").replace("a{", "_"), "_");
        assert_eq!(re(r"\e").replace("\u{1b}", "_"), "_");
        assert_eq!(re(r"[a&&b]").replace("&", "_"), "_");
        assert_eq!(re(r"\<").replace("<", "_"), "_");
        assert!(re("a$").check_input("a\n").is_err());
    }
}
