//! `usernorm eval`: evaluates one Entra expression, or a whole mapping profile, on attributes
//! given on the command line.

use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{Value as Json, json};
use usernorm::entra::{Evaluation, Expression, Profile, Value};

use crate::args::{EvalArgs, Format, GlobalArgs, Idp};
use crate::eval_okta;
use crate::render;
use crate::{CliError, Outcome};

pub(crate) fn run(global: &GlobalArgs, args: &EvalArgs) -> Result<Outcome, CliError> {
    match args.idp {
        Idp::Entra => {}
        Idp::Okta => return eval_okta::run(global, args),
        Idp::Google => {
            return Err(CliError::new(
                "Google Workspace has no expression language: its userName is a chosen field (by default Email Address), so there is nothing to evaluate".to_owned(),
            ));
        }
    }
    let attrs = attributes(&args.attrs)?;
    let mut out = io::stdout().lock();
    if let Some(profile) = &args.profile {
        let profile = load_profile(profile)?;
        let user = profile
            .evaluate(&attrs)
            .map_err(|e| CliError::new(e.to_string()))?;
        match global.format {
            Format::Json => writeln!(out, "{user}")?,
            Format::Text | Format::Csv | Format::Github => writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&user).unwrap_or_default()
            )?,
        }
        return Ok(Outcome::Pass);
    }
    let Some(source) = &args.expression else {
        return Err(CliError::new("give an expression, or --profile".to_owned()));
    };
    let expression = Expression::parse(source).map_err(|e| CliError::new(e.to_string()))?;
    let result = expression
        .evaluate(&attrs)
        .map_err(|e| CliError::new(e.to_string()))?;
    match global.format {
        Format::Json => writeln!(out, "{}", record(source, &result))?,
        Format::Text | Format::Csv | Format::Github => {
            match &result.value {
                Value::Null => {}
                Value::Multi(items) => {
                    for item in items {
                        writeln!(out, "{item}")?;
                    }
                }
                other => writeln!(out, "{other}")?,
            }
            if result.ignored {
                render::warning("IgnoreFlowIfNullOrEmpty drops this attribute from the flow");
            } else if result.value.is_null() {
                render::warning("the expression yields null: Entra sends no value for it");
            }
            if !result.reproducible {
                render::warning(
                    "the result is not reproducible: it depends on randomness, the clock or the provisioning service's date handling",
                );
            }
        }
    }
    Ok(Outcome::Pass)
}

/// `name=value` pairs, split at the first `=`; a repeated name makes a multi-valued attribute.
fn attributes(pairs: &[String]) -> Result<HashMap<String, Value>, CliError> {
    let mut attrs: HashMap<String, Value> = HashMap::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            return Err(CliError::new(format!(
                "--attr {pair:?} has no `=`: write --attr name=value (an empty value is --attr name=)"
            )));
        };
        if name.is_empty() {
            return Err(CliError::new(format!(
                "--attr {pair:?} has no attribute name before `=`"
            )));
        }
        let merged = match attrs.remove(name) {
            None => Value::String(value.to_owned()),
            Some(Value::Multi(mut items)) => {
                items.push(value.to_owned());
                Value::Multi(items)
            }
            Some(previous) => Value::Multi(vec![previous.to_string(), value.to_owned()]),
        };
        attrs.insert(name.to_owned(), merged);
    }
    Ok(attrs)
}

fn load_profile(name: &str) -> Result<Profile, CliError> {
    if let Some(profile) = Profile::builtin(name) {
        return Ok(profile);
    }
    let path = std::path::Path::new(name);
    if !path.exists() {
        return Err(CliError::new(format!(
            "--profile {name}: not a built-in profile (huggingface-entra) nor a readable file"
        )));
    }
    let text = crate::config::read_text(path)?;
    Profile::from_toml(&text).map_err(|e| CliError::new(format!("{name}: {e}")))
}

fn record(expression: &str, result: &Evaluation) -> Json {
    let value = match &result.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => json!(n),
        Value::Multi(items) => json!(items),
        other => Json::String(other.to_string()),
    };
    json!({
        "expression": expression,
        "value": value,
        "null": result.value.is_null(),
        "multi_valued": matches!(result.value, Value::Multi(_)),
        "reproducible": result.reproducible,
        "ignored": result.ignored,
    })
}
