//! Java regular expressions on the `regex` crate, for the Java-regex reading of
//! `String.replace`/`replaceFirst` and for `matches`.
//!
//! A pattern is translated construct by construct into one Rust's engine matches the same way:
//! `\d`, `\w`, `\s` are ASCII in Java and become ASCII classes, `.` leaves out all of Java's
//! line terminators, literals are written as `\x{..}`. What the engine cannot honour
//! faithfully (lookaround, backreferences, possessive quantifiers, atomic groups, `\b`, `\p{..}`
//! with Java's names, inline flags other than an ASCII `(?i)`) is refused with a message naming
//! it: that reading then "cannot be evaluated", never answers differently.
//!
//! Without the `okta-regex` feature (the browser's build) there is no engine: a pattern is
//! still translated, so what Java means and Rust could not honour is named as above, and every
//! other pattern is refused as one this build cannot evaluate.

#[cfg(feature = "okta-regex")]
use regex::{Regex, RegexBuilder};

/// Java's line terminators, which `.` does not match and before which `$` matches at the end.
const TERMINATORS: [char; 5] = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];

/// A compiled Java pattern.
#[cfg(feature = "okta-regex")]
pub(crate) struct JavaRegex {
    regex: Regex,
}

/// A compiled Java pattern: none without the `okta-regex` feature, where [`compile`] refuses
/// every pattern.
#[cfg(not(feature = "okta-regex"))]
pub(crate) enum JavaRegex {}

/// Why a pattern cannot be evaluated without the `okta-regex` feature.
#[cfg(not(feature = "okta-regex"))]
pub(crate) const NO_ENGINE: &str =
    "this build has no regular-expression engine, so it cannot be evaluated here";

impl JavaRegex {
    /// Whether the pattern matches somewhere in `input`.
    pub(crate) fn is_match(&self, input: &str) -> bool {
        #[cfg(feature = "okta-regex")]
        return self.regex.is_match(input);
        #[cfg(not(feature = "okta-regex"))]
        {
            let _ = input;
            match *self {}
        }
    }
}

/// Compiles a Java pattern to search `input` with (`whole`: it must match all of it, as
/// `String.matches`). `Err` says what cannot be honoured.
pub(crate) fn compile(pattern: &str, input: &str, whole: bool) -> Result<JavaRegex, String> {
    let t = translate(pattern)?;
    if t.dollar && input.ends_with(TERMINATORS) {
        return Err(
            "Java's `$` also matches before a final line break, which this input ends with"
                .to_owned(),
        );
    }
    if t.case_insensitive && !(pattern.is_ascii() && input.is_ascii()) {
        return Err(
            "Java's `(?i)` folds ASCII letters only; on non-ASCII text Rust's engine would fold more"
                .to_owned(),
        );
    }
    let text = if whole {
        format!(r"\A(?:{})\z", t.rust)
    } else {
        t.rust
    };
    build(&text)
}

/// Compiles the translated pattern on the `regex` crate, within size limits.
#[cfg(feature = "okta-regex")]
fn build(text: &str) -> Result<JavaRegex, String> {
    RegexBuilder::new(text)
        .size_limit(1 << 20)
        .dfa_size_limit(1 << 20)
        .nest_limit(64)
        .build()
        .map(|regex| JavaRegex { regex })
        .map_err(|e| {
            let first = e.to_string();
            let line = first.lines().last().unwrap_or("").trim().to_owned();
            format!("the pattern is not a regular expression usernorm can compile ({line})")
        })
}

/// No engine: the pattern, translated, cannot be evaluated in this build.
#[cfg(not(feature = "okta-regex"))]
fn build(_text: &str) -> Result<JavaRegex, String> {
    Err(NO_ENGINE.to_owned())
}

struct Translated {
    rust: String,
    dollar: bool,
    case_insensitive: bool,
}

fn literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

/// The Rust text of the escape `\c` (after the backslash), inside a class or not.
fn escape(
    c: char,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut String,
    in_class: bool,
) -> Result<(), String> {
    let class = |s: &str, out: &mut String| {
        if in_class {
            out.push_str(s.trim_start_matches('[').trim_end_matches(']'));
        } else {
            out.push_str(s);
        }
    };
    match c {
        'd' => class("[0-9]", out),
        'w' => class("[0-9A-Za-z_]", out),
        's' => class(r"[\t\n\x0B\f\r ]", out),
        'D' | 'W' | 'S' if in_class => {
            return Err(format!("`\\{c}` inside a character class"));
        }
        'D' => out.push_str("[^0-9]"),
        'W' => out.push_str("[^0-9A-Za-z_]"),
        'S' => out.push_str(r"[^\t\n\x0B\f\r ]"),
        't' => out.push_str(r"\t"),
        'n' => out.push_str(r"\n"),
        'r' => out.push_str(r"\r"),
        'f' => out.push_str(r"\f"),
        'a' => out.push_str(r"\x07"),
        'e' => out.push_str(r"\x1B"),
        'A' if !in_class => out.push_str(r"\A"),
        'z' if !in_class => out.push_str(r"\z"),
        'x' => {
            let hex: String = if chars.peek() == Some(&'{') {
                chars.next();
                let h: String = chars.by_ref().take_while(|c| *c != '}').collect();
                h
            } else {
                chars.by_ref().take(2).collect()
            };
            let v = u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("`\\x{hex}` is not a character"))?;
            literal(out, v);
        }
        'u' => {
            let hex: String = chars.by_ref().take(4).collect();
            let v = u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    format!("`\\u{hex}` is not a character usernorm can match (a surrogate?)")
                })?;
            literal(out, v);
        }
        '0' => {
            let mut v = 0u32;
            let mut n = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(8)) {
                if n == 3 || v * 8 + d > 0o377 {
                    break;
                }
                v = v * 8 + d;
                n += 1;
                chars.next();
            }
            if n == 0 {
                return Err("`\\0` needs octal digits".to_owned());
            }
            literal(out, char::from_u32(v).unwrap_or('\0'));
        }
        '1'..='9' | 'k' => return Err(format!("the backreference `\\{c}`")),
        'b' | 'B' => {
            return Err(format!(
                "`\\{c}` (Java's word boundary counts Unicode letters, unlike its `\\w`)"
            ));
        }
        'Q' => {
            let mut quoted = String::new();
            loop {
                match chars.next() {
                    None => break,
                    Some('\\') if chars.peek() == Some(&'E') => {
                        chars.next();
                        break;
                    }
                    Some(q) => quoted.push(q),
                }
            }
            quoted.chars().for_each(|q| literal(out, q));
        }
        c if c.is_ascii_alphanumeric() => {
            return Err(format!("`\\{c}` (no faithful translation)"));
        }
        other => literal(out, other),
    }
    Ok(())
}

fn translate(pattern: &str) -> Result<Translated, String> {
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut chars = pattern.chars().peekable();
    let mut dollar = false;
    let mut case_insensitive = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let e = chars.next().ok_or("a pattern ending in `\\`")?;
                escape(e, &mut chars, &mut out, false)?;
            }
            '.' => out.push_str(r"[^\n\r\x{85}\x{2028}\x{2029}]"),
            '$' => {
                dollar = true;
                out.push_str(r"\z");
            }
            '^' => out.push_str(r"\A"),
            '|' | ')' => out.push(c),
            '*' | '+' | '?' => {
                out.push(c);
                match chars.peek() {
                    Some('+') => {
                        return Err("a possessive quantifier (`*+`, `++`, `?+`)".to_owned());
                    }
                    Some('?') => {
                        chars.next();
                        out.push('?');
                    }
                    _ => {}
                }
            }
            '{' => {
                let body: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let ok = !body.is_empty()
                    && body.chars().all(|c| c.is_ascii_digit() || c == ',')
                    && body.matches(',').count() <= 1
                    && !body.starts_with(',');
                if !ok {
                    return Err(format!("`{{{body}` is not a repetition"));
                }
                out.push('{');
                out.push_str(&body);
                out.push('}');
                match chars.peek() {
                    Some('+') => return Err("a possessive quantifier".to_owned()),
                    Some('?') => {
                        chars.next();
                        out.push('?');
                    }
                    _ => {}
                }
            }
            '(' => {
                if chars.peek() != Some(&'?') {
                    out.push('(');
                    continue;
                }
                chars.next();
                match chars.next() {
                    Some(':') => out.push_str("(?:"),
                    Some('<') if chars.peek().is_some_and(char::is_ascii_alphabetic) => {
                        out.push_str("(?P<");
                    }
                    Some('i') if chars.peek() == Some(&')') => {
                        chars.next();
                        case_insensitive = true;
                        out.push_str("(?i)");
                    }
                    Some(c @ ('=' | '!' | '<')) => {
                        return Err(format!("the lookaround `(?{c}`"));
                    }
                    Some('>') => return Err("the atomic group `(?>`".to_owned()),
                    _ => return Err("inline flags other than `(?i)`".to_owned()),
                }
            }
            '[' => class(&mut chars, &mut out)?,
            other => literal(&mut out, other),
        }
    }
    Ok(Translated {
        rust: out,
        dollar,
        case_insensitive,
    })
}

/// A character class, after its `[`.
fn class(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    out: &mut String,
) -> Result<(), String> {
    out.push('[');
    if chars.peek() == Some(&'^') {
        chars.next();
        out.push('^');
    }
    let mut first = true;
    loop {
        let c = chars.next().ok_or("a character class without its `]`")?;
        match c {
            ']' if !first => {
                out.push(']');
                return Ok(());
            }
            '[' => return Err("a nested character class".to_owned()),
            '&' if chars.peek() == Some(&'&') => {
                return Err("a class intersection (`&&`)".to_owned());
            }
            '\\' => {
                let e = chars.next().ok_or("a pattern ending in `\\`")?;
                escape(e, chars, out, true)?;
            }
            '-' if !first && chars.peek() != Some(&']') => out.push('-'),
            other => literal(out, other),
        }
        first = false;
    }
}

/// Java's `Matcher.replaceAll`/`replaceFirst`: `$n` and `${name}` insert a group, `\x` is `x`.
/// `None` when the replacement is one Java rejects; `Err` past `limit` bytes.
#[cfg(not(feature = "okta-regex"))]
pub(crate) fn replace(
    re: &JavaRegex,
    _input: &str,
    _replacement: &str,
    _all: bool,
    _limit: usize,
) -> Result<Option<String>, ()> {
    match *re {}
}

/// Java's `Matcher.replaceAll`/`replaceFirst`: `$n` and `${name}` insert a group, `\x` is `x`.
/// `None` when the replacement is one Java rejects; `Err` past `limit` bytes.
#[cfg(feature = "okta-regex")]
pub(crate) fn replace(
    re: &JavaRegex,
    input: &str,
    replacement: &str,
    all: bool,
    limit: usize,
) -> Result<Option<String>, ()> {
    let mut out = String::new();
    let mut last = 0;
    for caps in re.regex.captures_iter(input) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&input[last..m.start()]);
        let mut r = replacement.chars().peekable();
        while let Some(c) = r.next() {
            match c {
                '\\' => match r.next() {
                    Some(x) => out.push(x),
                    None => return Ok(None),
                },
                '$' => {
                    if r.peek() == Some(&'{') {
                        r.next();
                        let name: String = r.by_ref().take_while(|c| *c != '}').collect();
                        match caps.name(&name) {
                            Some(g) => out.push_str(g.as_str()),
                            None if re.regex.capture_names().any(|n| n == Some(&name)) => {}
                            None => return Ok(None),
                        }
                        continue;
                    }
                    let Some(d) = r.peek().and_then(|c| c.to_digit(10)) else {
                        return Ok(None);
                    };
                    r.next();
                    let mut group = d as usize;
                    if group >= caps.len() {
                        return Ok(None);
                    }
                    while let Some(d) = r.peek().and_then(|c| c.to_digit(10)) {
                        let next = group * 10 + d as usize;
                        if next >= caps.len() {
                            break;
                        }
                        group = next;
                        r.next();
                    }
                    if let Some(g) = caps.get(group) {
                        out.push_str(g.as_str());
                    }
                }
                other => out.push(other),
            }
            if out.len() > limit {
                return Err(());
            }
        }
        last = m.end();
        if out.len() > limit {
            return Err(());
        }
        if !all {
            break;
        }
    }
    out.push_str(&input[last..]);
    if out.len() > limit {
        return Err(());
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::compile;
    #[cfg(feature = "okta-regex")]
    use super::replace;

    #[cfg(feature = "okta-regex")]
    fn java_replace_all(pattern: &str, input: &str, with: &str) -> Result<Option<String>, String> {
        let re = compile(pattern, input, false)?;
        replace(&re, input, with, true, 1 << 20).map_err(|()| "limit".to_owned())
    }

    #[test]
    #[cfg(feature = "okta-regex")]
    fn translations_match_as_java_does() {
        assert_eq!(java_replace_all(".", "a.b", ""), Ok(Some(String::new())));
        assert_eq!(java_replace_all(r"\.", "a.b", ""), Ok(Some("ab".into())));
        assert_eq!(
            java_replace_all(r"\w+", "héllo", "x"),
            Ok(Some("xéx".into()))
        );
        assert_eq!(
            java_replace_all("[^a-z0-9]", "J.Doe-2", ""),
            Ok(Some("oe2".into()))
        );
        assert_eq!(
            java_replace_all("(a)(b)", "abab", "$2$1"),
            Ok(Some("baba".into()))
        );
        assert_eq!(java_replace_all("a", "aa", "\\$"), Ok(Some("$$".into())));
        assert_eq!(
            java_replace_all("a", "aa", "$"),
            Ok(None),
            "Java rejects a lone `$`"
        );
        assert_eq!(
            java_replace_all("x*", "abc", "-"),
            Ok(Some("-a-b-c-".into()))
        );
        assert_eq!(
            java_replace_all(r"\Q.*\E", "a.*b", ""),
            Ok(Some("ab".into()))
        );
        assert_eq!(java_replace_all("(?i)A", "aA", "b"), Ok(Some("bb".into())));
    }

    #[test]
    fn what_cannot_be_honoured_is_refused() {
        for p in [
            "(?=a)",
            "(?<!a)b",
            r"(a)\1",
            "a*+",
            "(?>a)",
            r"\bx",
            r"\p{Lower}",
            "[a[b]]",
            "[a&&b]",
            "(?s).",
            "(?i)é",
        ] {
            assert!(compile(p, "x", false).is_err(), "{p}");
        }
        assert!(compile("a$", "ba\n", false).is_err());
        assert!(compile("(?i)a", "é", false).is_err());
        #[cfg(feature = "okta-regex")]
        assert!(compile("a$", "ba", false).is_ok());
    }

    #[test]
    #[cfg(not(feature = "okta-regex"))]
    fn without_an_engine_every_pattern_cannot_be_evaluated() {
        assert_eq!(
            compile("a$", "ba", false).err().as_deref(),
            Some(super::NO_ENGINE)
        );
        assert_eq!(
            compile("(?=a)", "x", false)
                .err()
                .map(|e| e.contains("lookaround")),
            Some(true),
            "what Java means and Rust cannot honour is still named"
        );
    }
}
