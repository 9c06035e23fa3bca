//! Runs the vectors of `tests/data/okta.toml` through `usernorm::okta`.
//!
//! Every case is run; a failure lists every mismatch, not just the first.
#![cfg(feature = "okta")]

use serde::Deserialize;
use toml::Value as Toml;
use usernorm::okta::{Context, Expression, Outcome, Value};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    expression: String,
    #[serde(default)]
    user: toml::Table,
    #[serde(default)]
    appuser: toml::Table,
    id: Option<String>,
    status: Option<String>,
    expected: Option<Toml>,
    #[serde(default)]
    expected_null: bool,
    error: Option<String>,
    /// The other readings' outcomes, in order; absent means "none differ".
    #[serde(default)]
    readings: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// `ambiguity:reading`, as the JSON output names them.
    choices: Vec<String>,
    value: Option<Toml>,
    #[serde(default)]
    null: bool,
    fails: Option<String>,
    cannot: Option<String>,
}

fn value(t: &Toml) -> Value {
    match t {
        Toml::String(s) => Value::String(s.clone()),
        Toml::Integer(n) => Value::Int(i32::try_from(*n).expect("an int")),
        Toml::Float(x) => Value::Number(*x),
        Toml::Boolean(b) => Value::Bool(*b),
        Toml::Array(items) => Value::Array(items.iter().map(value).collect()),
        other => panic!("no Okta value for {other:?}"),
    }
}

fn context(case: &Case) -> Context {
    let mut ctx = Context::new();
    for (k, v) in &case.user {
        ctx.set_user(k.as_str(), value(v));
    }
    for (k, v) in &case.appuser {
        ctx.set_appuser(k.as_str(), value(v));
    }
    if let Some(id) = &case.id {
        ctx = ctx.id(id.as_str());
    }
    if let Some(status) = &case.status {
        ctx = ctx.status(status.as_str());
    }
    ctx
}

fn run(case: &Case) -> Result<(), String> {
    let result = Expression::parse(&case.expression)
        .map_err(|e| e.to_string())
        .and_then(|expr| expr.evaluate(&context(case)).map_err(|e| e.to_string()));
    let got = match (&case.error, result) {
        (Some(wanted), Err(got)) if got.contains(wanted.as_str()) => return Ok(()),
        (Some(wanted), other) => {
            return Err(format!("expected an error with {wanted:?}, got {other:?}"));
        }
        (None, Err(got)) => return Err(format!("unexpected error: {got}")),
        (None, Ok(got)) => got,
    };
    if let Some(expected) = &case.expected
        && got.value != value(expected)
    {
        return Err(format!("expected {expected:?}, got {:?}", got.value));
    }
    if case.expected_null && !got.value.is_null() {
        return Err(format!("expected null, got {:?}", got.value));
    }
    if case.expected.is_none() && !case.expected_null {
        return Err("the case expects nothing".to_owned());
    }
    if got.readings.len() != case.readings.len() {
        return Err(format!(
            "expected {} other readings, got {:?}",
            case.readings.len(),
            got.readings
        ));
    }
    if got.warnings.len() != got.readings.len() {
        return Err(format!("one warning a reading: {:?}", got.warnings));
    }
    for (want, have) in case.readings.iter().zip(&got.readings) {
        let names: Vec<String> = have
            .choices
            .iter()
            .map(|c| format!("{}:{}", c.ambiguity.name(), c.reading.name()))
            .collect();
        if names != want.choices {
            return Err(format!(
                "expected readings {:?}, got {names:?}",
                want.choices
            ));
        }
        let ok = match (&have.outcome, &want.value, &want.fails, &want.cannot) {
            (Outcome::Value(v), None, None, None) if want.null => v.is_null(),
            (Outcome::Value(v), Some(w), None, None) => *v == value(w),
            (Outcome::Fails(e), None, Some(w), None) => e.message().contains(w.as_str()),
            (Outcome::CannotEvaluate(e), None, None, Some(w)) => e.message().contains(w.as_str()),
            _ => false,
        };
        if !ok {
            return Err(format!("under {names:?}: got {:?}", have.outcome));
        }
    }
    Ok(())
}

#[test]
fn vectors() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/okta.toml"))
            .expect("tests/data/okta.toml");
    let file: File = toml::from_str(&text).expect("valid vectors");
    let failures: Vec<String> = file
        .case
        .iter()
        .filter_map(|case| run(case).err().map(|e| format!("{}: {e}", case.expression)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        file.case.len(),
        failures.join("\n")
    );
}
