//! The bodies of the core's fuzz targets, one function a target, each taking the fuzzer's
//! bytes. The targets in `fuzz/fuzz_targets/` call them, and `tests/fuzz_corpus.rs` replays
//! every committed corpus file through them on stable Rust: one copy of each body.
//!
//! Each body checks what the core promises on any input: no panic, spans on character
//! boundaries, normalized names valid and stable, suggestions valid, free and distinct, one
//! audit record per row.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::collections::HashSet;

use usernorm::audit::{Audit, Column, EntraMapping, HuggingFaceMapping, ReportFormat, Status};
use usernorm::entra::Expression;
use usernorm::{LookalikeIndex, MemoryRegistry, NormalizeOptions, Policy, SuggestInput};

/// The policies a target picks from with one byte: the presets and a few custom ones.
fn policy(pick: u8) -> Policy {
    let custom = |text: &str| Policy::from_toml(text).unwrap();
    match pick % 7 {
        0 => Policy::huggingface(),
        1 => Policy::github(),
        2 => Policy::github_emu("acme").unwrap(),
        3 => custom("max_length = 5"),
        4 => custom("extra_chars = \"._é\"\nmax_length = 12\nreserved = [\"admin\", \"u-1\"]"),
        5 => custom("case_sensitive = true\nallow_digits_only = true\nmin_length = 1"),
        _ => custom("min_length = 3\nmax_length = 3"),
    }
}

/// The first byte (a choice), and the rest as text.
fn split(data: &[u8]) -> (u8, String) {
    match data.split_first() {
        Some((&first, rest)) => (first, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}

/// `validate` and `validate_codes` agree, every span is sound, `check` adds `taken`.
pub fn validate(data: &[u8]) {
    let (pick, name) = split(data);
    let policy = policy(pick);
    let report = policy.validate(&name);
    for v in &report.violations {
        assert!(
            v.span.start <= v.span.end && v.span.end <= name.len(),
            "{v:?}"
        );
        assert!(name.is_char_boundary(v.span.start) && name.is_char_boundary(v.span.end));
        assert!(!v.message.is_empty());
    }
    assert_eq!(policy.validate_codes(&name), report.code_set());
    let org = MemoryRegistry::from_names(&policy, [name.as_str()]);
    let checked = policy.check(&name, &org).unwrap();
    assert!(checked.has(usernorm::Code::Taken));
}

/// A normalized name passes every rule and normalizes to itself.
pub fn normalize(data: &[u8]) {
    let (pick, text) = split(data);
    let policy = policy(pick);
    let options = NormalizeOptions {
        lowercase: pick & 0x80 != 0,
    };
    if let Ok(normalized) = policy.normalize_with(&text, options) {
        let name = normalized.name;
        assert!(policy.validate(&name).is_valid(), "{text:?} -> {name:?}");
        let again = policy.normalize_with(&name, options).unwrap().name;
        assert_eq!(again, name, "{text:?}");
    }
}

/// Suggestions for the first line, the other lines taken: valid, free and distinct.
pub fn suggest(data: &[u8]) {
    let (pick, text) = split(data);
    let policy = policy(pick);
    let mut lines = text.split('\n');
    let input = lines.next().unwrap_or_default();
    let (given, family) = (lines.next(), lines.next());
    let taken: Vec<&str> = lines.take(64).collect();
    let org = MemoryRegistry::from_names(&policy, &taken);
    let mut person = SuggestInput::new(input);
    if let Some(given) = given {
        person = person.given_name(given);
    }
    if let Some(family) = family {
        person = person.family_name(family);
    }
    let n = usize::from(pick >> 5);
    let got = policy.suggest(person, &org, n).unwrap();
    assert!(got.len() <= n);
    let mut keys = HashSet::new();
    for name in &got {
        assert!(policy.validate(name).is_valid(), "{name:?}");
        let key = policy.canonical_key(name).into_owned();
        assert!(
            !taken.iter().any(|t| policy.canonical_key(t) == key),
            "{name:?} is taken"
        );
        assert!(keys.insert(key), "{name:?} twice");
    }
}

/// Parsing an expression: a parse error renders with its caret; a parsed expression lists its
/// attributes and functions.
pub fn entra_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Expression::parse(&text) {
        Ok(expr) => {
            let _ = (expr.attributes(), expr.functions(), expr.is_reproducible());
            assert_eq!(expr.source(), text);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Evaluating an expression (the first line) on attributes (`name=value` lines).
pub fn entra_eval(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (source, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(expr) = Expression::parse(source) else {
        return;
    };
    let attributes: Vec<(&str, &str)> = rest
        .split('\n')
        .take(32)
        .map(|line| line.split_once('=').unwrap_or((line, "")))
        .collect();
    match expr.evaluate(&attributes) {
        Ok(evaluation) => {
            let _ = evaluation.value.as_text();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The audit of arbitrary bytes as an export. The first byte picks the options: the policy,
/// the username source (Hugging Face's mapping, a column, an expression), an org holding a
/// few names, lookalike warnings, threads. One record per row, every suggestion valid and
/// given once, the report written in both formats.
pub fn audit(data: &[u8]) {
    let Some((&options, export)) = data.split_first() else {
        return;
    };
    let policy = policy(options & 0x3);
    let names = ["jdoe", "JDoe-2", "admin", "ana-lima", "paypal"];
    let org = match options & 0x10 {
        0 => MemoryRegistry::new(),
        _ => MemoryRegistry::from_names(&policy, names),
    };
    let mut index = LookalikeIndex::new(&policy);
    for name in names {
        index.insert(name);
    }
    let mut audit = Audit::new(&policy, &org).threads(options & 0x20 != 0);
    if options & 0x40 != 0 {
        audit = audit.lookalikes(&index);
    }
    let mut source: Box<dyn usernorm::audit::UsernameSource> = match (options >> 2) & 0x3 {
        0 => Box::new(HuggingFaceMapping::default()),
        1 => Box::new(Column::new("userName")),
        2 => {
            Box::new(EntraMapping::parse(r#"Join(".", [givenName], ToLower([surname]))"#).unwrap())
        }
        _ => Box::new(Column::new("id")),
    };
    let mut run = || audit.run(std::io::Cursor::new(export.to_vec()), source.as_mut());
    let Ok(mut checked) = run() else {
        return;
    };
    let rows = checked.rows();
    let mut given = HashSet::new();
    let mut count = 0;
    for record in checked.records() {
        let record = record.unwrap();
        count += 1;
        assert_eq!(record.row, count as u64);
        if let Some(s) = &record.suggestion {
            assert_ne!(record.status, Status::Ok);
            assert!(policy.validate(s).is_valid(), "{s:?}");
            assert!(
                given.insert(policy.canonical_key(s).into_owned()),
                "{s:?} twice"
            );
        }
    }
    assert_eq!(count, rows);
    assert_eq!(checked.summary().rows, rows as u64);
    let format = match options & 0x80 {
        0 => ReportFormat::Csv,
        _ => ReportFormat::JsonLines,
    };
    let mut again = run().unwrap();
    let mut out = Vec::new();
    again
        .write_report(format, |piece| {
            out.extend_from_slice(&piece);
            Ok(())
        })
        .unwrap();
}

/// A policy file, TOML or JSON by the first byte; a policy that loads validates, normalizes
/// and suggests without a panic.
pub fn policy_file(data: &[u8]) {
    let (pick, text) = split(data);
    let loaded = match pick & 1 {
        0 => Policy::from_toml(&text),
        _ => Policy::from_json(&text),
    };
    match loaded {
        Ok(policy) => {
            for name in ["jdoe", "", "-a-", "admin", "José", "a\u{202E}"] {
                let _ = policy.validate(name);
                if let Ok(n) = policy.normalize(name) {
                    assert!(
                        policy.validate(&n.name).is_valid(),
                        "{name:?} -> {:?}",
                        n.name
                    );
                }
            }
            let _ = policy.suggest("jdoe", &usernorm::EmptyRegistry, 2).unwrap();
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
}
