//! `Replace(source, oldValue, regexPattern, regexGroupName, replacementValue,
//! replacementAttributeName, template)` in its five modes.
//!
//! An argument left empty, null, or given as `""` counts as omitted: Hugging Face's
//! `Replace([mailNickname], ".", "", "", "", "", "")` is the plain mode with an empty
//! replacement. The mode is chosen from the arguments present:
//!
//! | present | mode |
//! |---|---|
//! | oldValue (+ replacementValue) | every `oldValue` in source becomes replacementValue |
//! | oldValue + template | every `oldValue` in template becomes source |
//! | regexPattern (+ replacementValue) | .NET `Regex.Replace` with `$1`/`${name}` substitutions |
//! | regexPattern + regexGroupName (+ replacementValue) | the named group of every match becomes replacementValue |
//! | regexPattern + regexGroupName + replacementAttributeName | source if it has a value, else the named group of the first match in the other attribute |
//!
//! Combinations that fit no mode, or two at once, are errors rather than a guess.

use std::ops::Range;
use std::sync::Arc;

use crate::entra::Value;
use crate::entra::ast::{Node, NodeKind};
use crate::entra::context::{Call, Ctx, R, text};
use crate::entra::error::Fault;
use crate::entra::regex::DotNetRegex;

const SOURCE: usize = 0;
const OLD: usize = 1;
const PATTERN: usize = 2;
const GROUP: usize = 3;
const REPLACEMENT: usize = 4;
const ATTRIBUTE: usize = 5;
const TEMPLATE: usize = 6;

pub(crate) fn replace(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let (args, span) = (call.args, call.span);
    let span_at = |i: usize| call.arg_span(i);
    // Present = not omitted, not null, not "".
    let mut present: [Option<String>; 7] = Default::default();
    let mut source_value = Value::Null;
    for (i, slot) in present.iter_mut().enumerate() {
        let v = ctx.arg(args, i)?;
        if let Some(t) = text(&v, &span_at(i))?
            && !t.is_empty()
        {
            *slot = Some(t.into_owned());
        }
        if i == SOURCE {
            source_value = v;
        }
    }
    let [
        source,
        old,
        pattern,
        group,
        replacement,
        attribute,
        template,
    ] = present;
    let fallback_given =
        matches!(args.get(ATTRIBUTE), Some(Some(n)) if n.kind != NodeKind::String(String::new()));
    let conflict = |a: usize, b: usize, names: &str| -> Fault {
        Fault::new(
            &(span_at(a).start..span_at(b).end),
            format!(
                "Replace got {names} at once; they belong to different modes, so Entra's result is not defined"
            ),
        )
    };

    if let Some(old) = old {
        if pattern.is_some() {
            return Err(conflict(OLD, PATTERN, "both oldValue and regexPattern"));
        }
        if template.is_some() && replacement.is_some() {
            return Err(conflict(
                REPLACEMENT,
                TEMPLATE,
                "both replacementValue and template",
            ));
        }
        if let Some(template) = template {
            return Ok(match source {
                Some(s) => Value::String(template.replace(&old, &s)),
                None if source_value.is_null() => Value::Null,
                None => Value::String(template.replace(&old, "")),
            });
        }
        return Ok(match text(&source_value, &span_at(SOURCE))? {
            Some(s) => Value::String(s.replace(&old, replacement.as_deref().unwrap_or(""))),
            None => Value::Null,
        });
    }

    let Some(pattern_text) = pattern else {
        return Err(Fault::new(
            span,
            "Replace needs oldValue or regexPattern (its second or third argument); both are empty",
        ));
    };
    if template.is_some() {
        return Err(conflict(
            PATTERN,
            TEMPLATE,
            "a regexPattern and a template (templates go with oldValue)",
        ));
    }
    let regex = regex_for(
        ctx,
        args.get(PATTERN).and_then(Option::as_ref),
        &pattern_text,
        &span_at(PATTERN),
    )?;
    if let Some(name) = &group
        && !regex.has_group(name)
    {
        return Err(Fault::new(
            &span_at(GROUP),
            format!("the regular expression has no group named `{name}`"),
        ));
    }

    if fallback_given {
        let Some(name) = group else {
            return Err(Fault::new(
                &span_at(ATTRIBUTE),
                "Replace with replacementAttributeName also needs regexGroupName",
            ));
        };
        if replacement.is_some() {
            return Err(conflict(
                REPLACEMENT,
                ATTRIBUTE,
                "both replacementValue and replacementAttributeName",
            ));
        }
        if let Some(s) = source {
            return Ok(Value::String(s));
        }
        let Some(other) = attribute else {
            return Ok(Value::Null);
        };
        regex
            .check_input(&other)
            .map_err(|m| Fault::new(&span_at(ATTRIBUTE), m))?;
        let found = regex
            .captures(&other)
            .map_err(|m| Fault::new(&span_at(PATTERN), m))?
            .iter()
            .find_map(|c| regex.span_of(c, &name))
            .and_then(|span| other.get(span).map(str::to_owned));
        return Ok(found.map_or(Value::Null, Value::String));
    }

    let Some(s) = text(&source_value, &span_at(SOURCE))? else {
        return Ok(Value::Null);
    };
    regex
        .check_input(&s)
        .map_err(|m| Fault::new(&span_at(SOURCE), m))?;
    let replacement = replacement.unwrap_or_default();
    match group {
        None => regex
            .replace(&s, &replacement)
            .map(Value::String)
            .map_err(|m| Fault::new(&span_at(PATTERN), m)),
        Some(name) => {
            let mut out = String::with_capacity(s.len());
            let mut last = 0;
            let all = regex
                .captures(&s)
                .map_err(|m| Fault::new(&span_at(PATTERN), m))?;
            for caps in all {
                if let Some(g) = regex.span_of(&caps, &name) {
                    out.push_str(s.get(last..g.start).unwrap_or(""));
                    out.push_str(&replacement);
                    last = g.end;
                }
            }
            out.push_str(s.get(last..).unwrap_or(""));
            Ok(Value::String(out))
        }
    }
}

/// The compiled pattern: from the parse-time cache for a string literal, compiled now otherwise.
fn regex_for(
    ctx: &Ctx<'_>,
    node: Option<&Node>,
    pattern: &str,
    span: &Range<usize>,
) -> R<Arc<DotNetRegex>> {
    if let Some(node) = node
        && let Some(cached) = ctx.regexes.get(&node.span.start)
    {
        return Ok(Arc::clone(cached));
    }
    DotNetRegex::new(pattern, ctx.engine)
        .map(Arc::new)
        .map_err(|m| Fault::new(span, m))
}
