//! `usernorm eval --idp okta`: evaluates one Okta Expression Language expression on
//! attributes given on the command line, with every reading of what Okta's docs leave open.

use std::io::{self, Write};

use serde_json::{Value as Json, json};
use usernorm::okta::{Context, Evaluation, Expression, Outcome, Value};

use crate::args::{EvalArgs, Format, GlobalArgs};
use crate::render;
use crate::{CliError, Outcome as Exit};

pub(crate) fn run(global: &GlobalArgs, args: &EvalArgs) -> Result<Exit, CliError> {
    if args.profile.is_some() {
        return Err(CliError::new(
            "--profile builds an Entra SCIM resource; it does not apply to --idp okta",
        ));
    }
    let Some(source) = &args.expression else {
        return Err(CliError::new("give an expression"));
    };
    let context = context(&args.attrs)?;
    let expression = Expression::parse(source).map_err(|e| CliError::new(e.to_string()))?;
    let result = expression
        .evaluate(&context)
        .map_err(|e| CliError::new(e.to_string()))?;
    let unset = unset(&expression, &context);
    let mut out = io::stdout().lock();
    match global.format {
        Format::Json => writeln!(out, "{}", record(source, &result, &unset))?,
        Format::Text | Format::Csv | Format::Github => {
            match &result.value {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        writeln!(out, "{item}")?;
                    }
                }
                other => writeln!(out, "{other}")?,
            }
            for name in &unset {
                let flag = name.strip_prefix("user.").unwrap_or(name);
                render::warning(&format!(
                    "{name} is not given (--attr {flag}=...): it reads as null, an attribute never set"
                ));
            }
            if result.value.is_null() {
                render::warning("the expression yields null: Okta sends no value for it");
            }
            for warning in &result.warnings {
                render::warning(warning);
            }
        }
    }
    Ok(Exit::Pass)
}

/// The attributes the expression reads that no `--attr` gives: a typo shows here.
fn unset(expression: &Expression, context: &Context) -> Vec<String> {
    expression
        .attributes()
        .into_iter()
        .filter(|name| match name.split_once('.') {
            Some(("appuser", n)) => context.get_appuser(n).is_none(),
            Some((_, n)) => context.get_user(n).is_none(),
            None => false,
        })
        .collect()
}

/// `name=value` binds `user.name` (also written `user.name=` or `source.name=`),
/// `appuser.name=value` binds `appuser.name`, `internal.id=`/`internal.status=` the internal
/// properties; a repeated name makes an array.
fn context(pairs: &[String]) -> Result<Context, CliError> {
    let mut ctx = Context::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(CliError::new(format!(
                "--attr {pair:?} has no `=`: write --attr name=value (an empty value is --attr name=)"
            )));
        };
        let (appuser, bare) = match name.split_once('.') {
            Some(("appuser", rest)) => (true, rest),
            Some(("user" | "source", rest)) => (false, rest),
            Some(("internal", "id")) => {
                ctx = ctx.id(value);
                continue;
            }
            Some(("internal", "status")) => {
                ctx = ctx.status(value);
                continue;
            }
            _ => (false, name),
        };
        if bare.is_empty() || bare.contains('.') {
            return Err(CliError::new(format!(
                "--attr {pair:?}: write NAME=value (user.NAME), appuser.NAME=value, internal.id=value or internal.status=value"
            )));
        }
        let previous = if appuser {
            ctx.get_appuser(bare)
        } else {
            ctx.get_user(bare)
        };
        let merged = match previous.cloned() {
            None => Value::from(value),
            Some(Value::Array(mut items)) => {
                items.push(Value::from(value));
                Value::Array(items)
            }
            Some(first) => Value::Array(vec![first, Value::from(value)]),
        };
        if appuser {
            ctx.set_appuser(bare, merged);
        } else {
            ctx.set_user(bare, merged);
        }
    }
    Ok(ctx)
}

fn json_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::String(s) => Json::String(s.clone()),
        Value::Int(n) => json!(n),
        Value::Number(x) => {
            serde_json::Number::from_f64(*x).map_or(Json::String(v.to_string()), Json::Number)
        }
        Value::Bool(b) => Json::Bool(*b),
        Value::Array(items) => Json::Array(items.iter().map(json_value).collect()),
    }
}

fn record(expression: &str, result: &Evaluation, unset: &[String]) -> Json {
    let readings: Vec<Json> = result
        .readings
        .iter()
        .map(|r| {
            let choices: Vec<Json> = r
                .choices
                .iter()
                .map(|c| json!({"ambiguity": c.ambiguity.name(), "reading": c.reading.name()}))
                .collect();
            let (outcome, value, message) = match &r.outcome {
                Outcome::Value(v) => ("value", json_value(v), Json::Null),
                Outcome::Fails(e) => ("fails", Json::Null, json!(e.message())),
                Outcome::CannotEvaluate(e) => ("cannot-evaluate", Json::Null, json!(e.message())),
                _ => ("unknown", Json::Null, Json::Null),
            };
            json!({"choices": choices, "outcome": outcome, "value": value, "message": message})
        })
        .collect();
    let ambiguities: Vec<&str> = result.ambiguities.iter().map(|a| a.name()).collect();
    json!({
        "idp": "okta",
        "expression": expression,
        "value": json_value(&result.value),
        "type": result.value.type_name(),
        "unset": unset,
        "ambiguities": ambiguities,
        "readings": readings,
        "warnings": result.warnings,
    })
}
