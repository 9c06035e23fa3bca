//! Runs the vectors of `tests/data/entra.toml` through `usernorm::entra`.
//!
//! Every case is run; a failure lists every mismatch, not just the first.
#![cfg(feature = "entra-regex")]

use std::collections::HashMap;

use serde::Deserialize;
use usernorm::entra::{Expression, Value};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Attr {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expression: String,
    #[serde(default)]
    attributes: HashMap<String, Attr>,
    expected: Option<String>,
    #[serde(default)]
    expected_null: bool,
    expected_multi: Option<Vec<String>>,
    expected_len: Option<usize>,
    error: Option<String>,
    reproducible: Option<bool>,
    #[serde(default)]
    ignored: bool,
}

fn run(case: &Case) -> Result<(), String> {
    let attrs: HashMap<String, Value> = case
        .attributes
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Attr::One(s) => Value::String(s.clone()),
                Attr::Many(items) => Value::Multi(items.clone()),
            };
            (k.clone(), v)
        })
        .collect();
    let result = Expression::parse(&case.expression)
        .map_err(|e| e.to_string())
        .and_then(|expr| {
            // Printing and parsing again gives the same tree.
            let printed = expr.to_string();
            match Expression::parse(&printed) {
                Ok(again) if again == expr => {}
                other => return Err(format!("round trip of {printed:?} failed: {other:?}")),
            }
            expr.evaluate(&attrs).map_err(|e| e.to_string())
        });
    match (&case.error, result) {
        (Some(wanted), Err(got)) if got.contains(wanted.as_str()) => Ok(()),
        (Some(wanted), Err(got)) => Err(format!("expected an error with {wanted:?}, got {got:?}")),
        (Some(wanted), Ok(got)) => Err(format!("expected an error with {wanted:?}, got {got:?}")),
        (None, Err(got)) => Err(format!("unexpected error: {got}")),
        (None, Ok(got)) => {
            if let Some(expected) = &case.expected
                && (got.value.is_null() || got.value.to_string() != *expected)
            {
                return Err(format!("expected {expected:?}, got {:?}", got.value));
            }
            if case.expected_null && !got.value.is_null() {
                return Err(format!("expected null, got {:?}", got.value));
            }
            if let Some(items) = &case.expected_multi
                && got.value != Value::Multi(items.clone())
            {
                return Err(format!("expected {items:?}, got {:?}", got.value));
            }
            if let Some(len) = case.expected_len
                && got.value.to_string().chars().count() != len
            {
                return Err(format!("expected {len} characters, got {:?}", got.value));
            }
            let reproducible = case.reproducible.unwrap_or(true);
            if got.reproducible != reproducible {
                return Err(format!(
                    "expected reproducible = {reproducible}, got {}",
                    got.reproducible
                ));
            }
            if got.ignored != case.ignored {
                return Err(format!(
                    "expected ignored = {}, got {}",
                    case.ignored, got.ignored
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn entra_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/entra.toml");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let failures: Vec<String> = file
        .case
        .iter()
        .enumerate()
        .filter_map(|(i, case)| {
            run(case)
                .err()
                .map(|e| format!("case {} `{}`: {e}", i + 1, case.expression))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}
