//! The functions a username mapping can call: `String.*` (and the deprecated unprefixed
//! forms), `Arrays.*`, `Convert.*`. One table names them; the evaluators follow it.

use std::ops::Range;

use super::error::Fault;
use super::eval::{Run, java_equals};
use super::jregex;
use super::readings::{Ambiguity, Reading};
use super::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    Append,
    Join,
    Len,
    RemoveSpaces,
    Replace,
    ReplaceFirst,
    StartsWith,
    StringContains,
    StringSwitch,
    Substring,
    SubstringAfter,
    SubstringBefore,
    ToUpperCase,
    ToLowerCase,
    ArraysAdd,
    ArraysRemove,
    ArraysClear,
    ArraysGet,
    ArraysFlatten,
    ArraysContains,
    ArraysSize,
    ArraysIsEmpty,
    ArraysToCsvString,
    ToInt,
    ToNum,
}

/// Name, function, fewest and most arguments (`usize::MAX`: any number).
const TABLE: &[(&str, Func, usize, usize)] = &[
    ("String.append", Func::Append, 2, 2),
    ("String.join", Func::Join, 1, usize::MAX),
    ("String.len", Func::Len, 1, 1),
    ("String.removeSpaces", Func::RemoveSpaces, 1, 1),
    ("String.replace", Func::Replace, 3, 3),
    ("String.replaceFirst", Func::ReplaceFirst, 3, 3),
    ("String.startsWith", Func::StartsWith, 2, 2),
    ("String.stringContains", Func::StringContains, 2, 2),
    ("String.stringSwitch", Func::StringSwitch, 2, usize::MAX),
    ("String.substring", Func::Substring, 3, 3),
    ("String.substringAfter", Func::SubstringAfter, 2, 2),
    ("String.substringBefore", Func::SubstringBefore, 2, 2),
    ("String.toUpperCase", Func::ToUpperCase, 1, 1),
    ("String.toLowerCase", Func::ToLowerCase, 1, 1),
    // The deprecated forms, still in Okta's "Popular expressions".
    ("toUpperCase", Func::ToUpperCase, 1, 1),
    ("toLowerCase", Func::ToLowerCase, 1, 1),
    ("substringBefore", Func::SubstringBefore, 2, 2),
    ("substringAfter", Func::SubstringAfter, 2, 2),
    ("substring", Func::Substring, 3, 3),
    ("Arrays.add", Func::ArraysAdd, 2, 2),
    ("Arrays.remove", Func::ArraysRemove, 2, 2),
    ("Arrays.clear", Func::ArraysClear, 1, 1),
    ("Arrays.get", Func::ArraysGet, 2, 2),
    ("Arrays.flatten", Func::ArraysFlatten, 1, usize::MAX),
    ("Arrays.contains", Func::ArraysContains, 2, 2),
    ("Arrays.size", Func::ArraysSize, 1, 1),
    ("Arrays.isEmpty", Func::ArraysIsEmpty, 1, 1),
    ("Arrays.toCsvString", Func::ArraysToCsvString, 1, 1),
    ("Convert.toInt", Func::ToInt, 1, 1),
    ("Convert.toNum", Func::ToNum, 1, 1),
];

/// Functions of Okta's reference that need what an export does not hold.
const OFFLINE: &[(&str, &str)] = &[
    ("Iso3166Convert.", "usernorm has no ISO 3166 table yet"),
    ("Time.", "it depends on the clock or on Joda-Time formats"),
    (
        "Groups.",
        "it needs the user's groups (and works only in group claims)",
    ),
    ("getFilteredGroups", "it needs the user's groups"),
    ("isMemberOf", "it needs the user's groups"),
    ("user.getGroups", "it needs the user's groups"),
    ("user.getLinkedObject", "it needs Okta's linked objects"),
    (
        "getManager",
        "it needs the manager relationship in Active Directory",
    ),
    (
        "getAssistant",
        "it needs the assistant relationship in Active Directory",
    ),
    (
        "hasDirectoryUser",
        "it needs the user's Active Directory assignment",
    ),
    (
        "findDirectoryUser",
        "it needs the user's Active Directory assignment",
    ),
    ("hasWorkdayUser", "it needs the user's Workday assignment"),
    ("findWorkdayUser", "it needs the user's Workday assignment"),
];

/// Every function name the parser knows, for tests and help.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(n, ..)| *n)
}

pub(crate) fn name(func: Func) -> &'static str {
    TABLE
        .iter()
        .find(|(_, f, ..)| *f == func)
        .map_or("?", |(n, ..)| *n)
}

/// The function called `name`, or a message saying why there is none.
pub(crate) fn lookup(name: &str) -> Result<Func, String> {
    if let Some((_, f, ..)) = TABLE.iter().find(|(n, ..)| *n == name) {
        return Ok(*f);
    }
    if let Some((_, why)) = OFFLINE.iter().find(|(p, _)| name.starts_with(p)) {
        return Err(format!("`{name}` cannot be evaluated offline: {why}"));
    }
    let hint = TABLE
        .iter()
        .find(|(n, ..)| n.eq_ignore_ascii_case(name) || n.rsplit('.').next() == Some(name))
        .map(|(n, ..)| format!(": did you mean `{n}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown function `{name}`{hint} (a mapping can call String.*, Arrays.*, Convert.* and the deprecated toUpperCase, toLowerCase, substring, substringBefore, substringAfter)"
    ))
}

pub(crate) fn check_arity(func: Func, n: usize) -> Result<(), String> {
    let Some((name, _, min, max)) = TABLE.iter().find(|(_, f, ..)| *f == func) else {
        return Ok(());
    };
    let pairs = func == Func::StringSwitch && n >= 2 && (n - 2) % 2 == 1;
    if n < *min || n > *max || pairs {
        let wanted = match (func, *min == *max) {
            (Func::StringSwitch, _) => {
                "an input, a default, then pairs of key and value".to_owned()
            }
            (_, true) => format!("{min} argument{}", if *min == 1 { "" } else { "s" }),
            (_, false) => format!("at least {min}"),
        };
        return Err(format!("{name} takes {wanted}, not {n}"));
    }
    Ok(())
}

fn is_string_function(func: Func) -> bool {
    matches!(
        func,
        Func::Append
            | Func::Join
            | Func::Len
            | Func::RemoveSpaces
            | Func::Replace
            | Func::ReplaceFirst
            | Func::StartsWith
            | Func::StringContains
            | Func::StringSwitch
            | Func::Substring
            | Func::SubstringAfter
            | Func::SubstringBefore
            | Func::ToUpperCase
            | Func::ToLowerCase
    )
}

/// A value given where Java expects a `String`, converted as Spring's conversion service does.
fn text(v: &Value) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(","),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A value given where an `int` is expected.
fn int(v: &Value, span: &Range<usize>, fname: &str) -> Result<i64, Fault> {
    match v {
        Value::Int(n) => Ok(i64::from(*n)),
        Value::Number(x) if x.is_finite() => Ok(x.trunc() as i64),
        Value::String(s) => s.trim().parse::<i32>().map(i64::from).map_err(|_| {
            Fault::new(
                span,
                format!("{fname} expects a whole number here, found {}", v.quoted()),
            )
        }),
        other => Err(Fault::new(
            span,
            format!(
                "{fname} expects a whole number here, found {}",
                other.quoted()
            ),
        )),
    }
}

/// A value given where an array is expected: a CSV string is split at commas (each part
/// trimmed), as Okta documents and Spring does.
fn array(v: &Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items.clone(),
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::String(s) => s.split(',').map(|p| Value::from(p.trim())).collect(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

pub(crate) fn call(
    run: &mut Run<'_>,
    func: Func,
    span: &Range<usize>,
    args: Vec<(Value, Range<usize>)>,
) -> Result<Value, Fault> {
    let fname = name(func);
    if is_string_function(func) {
        let string_args = if func == Func::Substring {
            1
        } else {
            args.len()
        };
        if let Some((_, at)) = args[..string_args].iter().find(|(v, _)| v.is_null()) {
            match run.reading(Ambiguity::NullArgument, at) {
                Reading::Null => return Ok(Value::Null),
                Reading::Fails => {
                    return Err(Fault::new(
                        at,
                        format!(
                            "{fname} is given null (an attribute never set) here, and fails on it"
                        ),
                    ));
                }
                _ => {}
            }
        }
    }
    let s = |i: usize| args.get(i).map(|(v, _)| text(v)).unwrap_or_default();
    let out = match func {
        Func::Append => Value::String(s(0) + &s(1)),
        Func::Join => {
            // An array given as the strings is Java's varargs array: its elements are joined.
            let sep = s(0);
            let mut parts: Vec<String> = Vec::new();
            for (v, _) in args.iter().skip(1) {
                match v {
                    Value::Array(items) => parts.extend(items.iter().map(text)),
                    other => parts.push(text(other)),
                }
            }
            Value::String(parts.join(&sep))
        }
        Func::Len => Value::Int(i32::try_from(s(0).encode_utf16().count()).unwrap_or(i32::MAX)),
        Func::RemoveSpaces => {
            let input = s(0);
            let reading = if input.chars().any(|c| c != ' ' && java_whitespace(c)) {
                run.reading(Ambiguity::RemoveSpaces, span)
            } else {
                Reading::Spaces
            };
            let out: String = if reading == Reading::Whitespace {
                input.chars().filter(|c| !java_whitespace(*c)).collect()
            } else {
                input.replace(' ', "")
            };
            Value::String(out)
        }
        Func::Replace | Func::ReplaceFirst => {
            return replace(run, func == Func::Replace, span, &args, &s(0), &s(1), &s(2));
        }
        Func::StartsWith => Value::Bool(s(0).starts_with(&s(1))),
        Func::StringContains => Value::Bool(s(0).contains(&s(1))),
        Func::StringSwitch => {
            let input = s(0);
            let found = (2..args.len())
                .step_by(2)
                .find(|&k| input.contains(&s(k)))
                .map(|k| s(k + 1));
            Value::String(found.unwrap_or_else(|| s(1)))
        }
        Func::Substring => substring(run, span, &args, &s(0))?,
        Func::SubstringBefore | Func::SubstringAfter => {
            let (input, search) = (s(0), s(1));
            match input.find(&search) {
                Some(at) if func == Func::SubstringBefore => Value::String(input[..at].to_owned()),
                Some(at) => Value::String(input[at + search.len()..].to_owned()),
                None => match run.reading(Ambiguity::MissingSeparator, span) {
                    Reading::Input => Value::String(input),
                    _ => Value::String(String::new()),
                },
            }
        }
        Func::ToUpperCase => Value::String(s(0).to_uppercase()),
        Func::ToLowerCase => Value::String(s(0).to_lowercase()),
        _ => return arrays_or_convert(run, func, span, args),
    };
    Ok(out)
}

/// Java's `Character.isWhitespace`.
fn java_whitespace(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\u{1c}'..='\u{1f}')
        || (c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}'))
}

fn replace(
    run: &mut Run<'_>,
    all: bool,
    span: &Range<usize>,
    args: &[(Value, Range<usize>)],
    input: &str,
    pattern: &str,
    with: &str,
) -> Result<Value, Fault> {
    const META: &[char] = &[
        '\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}',
    ];
    let pattern_span = args.get(1).map_or(span.clone(), |(_, s)| s.clone());
    let differs = pattern.contains(META) || with.contains(['$', '\\']) || pattern.is_empty();
    let reading = if differs {
        run.reading(Ambiguity::ReplacePattern, &pattern_span)
    } else {
        Reading::Literal
    };
    if reading == Reading::JavaRegex {
        let re = jregex::compile(pattern, input, false).map_err(|why| {
            Fault::unsupported(
                &pattern_span,
                format!("as a Java regular expression: {why}"),
            )
        })?;
        let limit = run.room();
        return match jregex::replace(&re, input, with, all, limit) {
            Ok(Some(out)) => Ok(Value::String(out)),
            Ok(None) => Err(Fault::new(
                span,
                "Java rejects this replacement (a `$` not followed by a group number, or a trailing `\\`)",
            )),
            Err(()) => Err(run.too_large(span)),
        };
    }
    let count = if all {
        if pattern.is_empty() {
            input.chars().count() + 1
        } else {
            input.matches(pattern).count()
        }
    } else {
        usize::from(pattern.is_empty() || input.contains(pattern))
    };
    let size = input.len().saturating_add(count.saturating_mul(with.len()));
    if size > run.room() {
        return Err(run.too_large(span));
    }
    Ok(Value::String(if all {
        input.replace(pattern, with)
    } else {
        input.replacen(pattern, with, 1)
    }))
}

/// `substring(s, begin, end)`: 0-based, `end` exclusive, in UTF-16 units as Java counts.
fn substring(
    run: &mut Run<'_>,
    span: &Range<usize>,
    args: &[(Value, Range<usize>)],
    input: &str,
) -> Result<Value, Fault> {
    let fname = "substring";
    let (begin, end) = match args {
        [_, (b, bs), (e, es)] => (int(b, bs, fname)?, int(e, es, fname)?),
        _ => return Err(Fault::new(span, "substring takes 3 arguments")),
    };
    let units: Vec<u16> = input.encode_utf16().collect();
    let len = units.len() as i64;
    let (mut b, mut e) = (begin, end);
    if b < 0 || e > len || e < b {
        if run.reading(Ambiguity::SubstringRange, span) == Reading::Fails {
            return Err(Fault::new(
                span,
                format!(
                    "substring({begin}, {end}) is outside a {len}-character input, and fails there"
                ),
            ));
        }
        b = b.clamp(0, len);
        e = e.clamp(b, len);
    }
    let slice = units.get(b as usize..e as usize).unwrap_or(&[]);
    Ok(Value::String(String::from_utf16_lossy(slice)))
}

fn arrays_or_convert(
    run: &mut Run<'_>,
    func: Func,
    span: &Range<usize>,
    args: Vec<(Value, Range<usize>)>,
) -> Result<Value, Fault> {
    let fname = name(func);
    let first = args.first().map(|(v, _)| v.clone()).unwrap_or(Value::Null);
    let second = args.get(1).map(|(v, _)| v.clone()).unwrap_or(Value::Null);
    let null_array = || {
        Fault::new(
            &args.first().map_or(span.clone(), |(_, s)| s.clone()),
            format!(
                "{fname} is given null; Okta documents null only for Arrays.size and Arrays.isEmpty"
            ),
        )
    };
    let needs_array = matches!(
        func,
        Func::ArraysAdd
            | Func::ArraysRemove
            | Func::ArraysClear
            | Func::ArraysGet
            | Func::ArraysContains
            | Func::ArraysToCsvString
    );
    if needs_array && first.is_null() {
        return Err(null_array());
    }
    Ok(match func {
        Func::ArraysAdd => {
            let mut items = array(&first);
            items.push(second);
            Value::Array(items)
        }
        Func::ArraysRemove => {
            let mut items = array(&first);
            let found = items.iter().filter(|v| **v == second).count();
            let reading = if found > 1 {
                run.reading(Ambiguity::ArraysRemove, span)
            } else {
                Reading::First
            };
            if reading == Reading::All {
                items.retain(|v| *v != second);
            } else if let Some(at) = items.iter().position(|v| *v == second) {
                items.remove(at);
            }
            Value::Array(items)
        }
        Func::ArraysClear => Value::Array(Vec::new()),
        Func::ArraysGet => {
            let items = array(&first);
            let at = int(&second, &args[1].1, fname)?;
            usize::try_from(at)
                .ok()
                .and_then(|i| items.get(i).cloned())
                .ok_or_else(|| {
                    Fault::new(
                        span,
                        format!(
                            "Arrays.get: position {at} is outside an array of {}",
                            items.len()
                        ),
                    )
                })?
        }
        Func::ArraysFlatten => {
            let mut out = Vec::new();
            for (v, at) in &args {
                flatten(v, at, &mut out, 0)?;
            }
            Value::Array(out)
        }
        Func::ArraysContains => Value::Bool(array(&first).iter().any(|v| java_equals(v, &second))),
        Func::ArraysSize => Value::Int(i32::try_from(array(&first).len()).unwrap_or(i32::MAX)),
        Func::ArraysIsEmpty => Value::Bool(array(&first).is_empty()),
        Func::ArraysToCsvString => Value::String(
            array(&first)
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Func::ToInt => to_int(&first, &args[0].1)?,
        Func::ToNum => to_num(&first, &args[0].1)?,
        _ => {
            return Err(Fault::new(
                span,
                format!("{fname} is not an array or conversion function"),
            ));
        }
    })
}

fn flatten(v: &Value, at: &Range<usize>, out: &mut Vec<Value>, depth: usize) -> Result<(), Fault> {
    match v {
        Value::Null => Err(Fault::new(
            at,
            "Arrays.flatten is given null, and Okta fails the whole expression then (the target keeps its old value)",
        )),
        Value::Array(items) if depth < 64 => {
            for item in items {
                flatten(item, at, out, depth + 1)?;
            }
            Ok(())
        }
        Value::String(_) => {
            out.extend(array(v));
            Ok(())
        }
        other => {
            out.push(other.clone());
            Ok(())
        }
    }
}

fn to_int(v: &Value, at: &Range<usize>) -> Result<Value, Fault> {
    let fail = || {
        Fault::new(
            at,
            format!("Convert.toInt cannot convert {} to an Integer", v.quoted()),
        )
    };
    match v {
        Value::Int(n) => Ok(Value::Int(*n)),
        Value::Number(x) => {
            let r = (x + 0.5).floor();
            if x.is_finite() && r >= f64::from(i32::MIN) && r <= f64::from(i32::MAX) {
                Ok(Value::Int(r as i32))
            } else {
                Err(fail())
            }
        }
        Value::String(s) => s.parse::<i32>().map(Value::Int).map_err(|_| fail()),
        _ => Err(fail()),
    }
}

fn to_num(v: &Value, at: &Range<usize>) -> Result<Value, Fault> {
    let fail = || {
        Fault::new(
            at,
            format!("Convert.toNum cannot convert {} to a number", v.quoted()),
        )
    };
    match v {
        Value::Int(n) => Ok(Value::Number(f64::from(*n))),
        Value::Number(x) => Ok(Value::Number(*x)),
        Value::String(s) => {
            let t = s.trim_matches(|c: char| c <= ' ');
            let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
            let special = match t.trim_start_matches(['+', '-']) {
                "NaN" | "Infinity" => true,
                w => {
                    w.is_empty()
                        || w.chars()
                            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
                }
            };
            if special && !matches!(t.trim_start_matches(['+', '-']), "NaN" | "Infinity") {
                return Err(fail());
            }
            t.parse::<f64>().map(Value::Number).map_err(|_| fail())
        }
        _ => Err(fail()),
    }
}
