//! Multi-valued functions: Count, Item, Join, RemoveDuplicates, Split.

use std::collections::HashSet;
use std::ops::Range;

use crate::entra::Value;
use crate::entra::context::{Call, Ctx, R, int_arg, text};
use crate::entra::error::Fault;

/// `Count(attribute)`: the number of values; null has none, a single value is one.
pub(crate) fn count(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(Value::Number(match ctx.arg(call.args, 0)? {
        Value::Null => 0,
        Value::Multi(items) => i64::try_from(items.len()).unwrap_or(i64::MAX),
        _ => 1,
    }))
}

/// `Item(attribute, index)`: the value at a 1-based index; past the end is null.
pub(crate) fn item(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    let index_span = call.arg_span(1);
    let index = int_arg(&ctx.arg(call.args, 1)?, &index_span)?;
    if index < 1 {
        return Err(Fault::new(
            &index_span,
            format!(
                "Item's index counts from 1 (Microsoft: \"Index 0 shouldn't be used\"); found {index}"
            ),
        ));
    }
    let i = usize::try_from(index - 1).unwrap_or(usize::MAX);
    Ok(match v {
        Value::Multi(items) => items.into_iter().nth(i).map_or(Value::Null, Value::String),
        Value::Null => Value::Null,
        single if i == 0 => single,
        _ => Value::Null,
    })
}

/// `Join(separator, source1, ...)`: every non-empty value, multi-valued ones value by value,
/// separated by `separator`; null when every source is null.
pub(crate) fn join(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let sep = ctx.arg(call.args, 0)?;
    let sep = text(&sep, &call.arg_span(0))?.unwrap_or_default();
    let mut values = Vec::with_capacity(call.args.len().saturating_sub(1));
    for i in 1..call.args.len() {
        values.push(ctx.arg(call.args, i)?);
    }
    join_values(&sep, &values, call.span)
}

fn join_values(sep: &str, values: &[Value], span: &Range<usize>) -> R<Value> {
    if values.iter().all(Value::is_null) {
        return Ok(Value::Null);
    }
    let mut parts: Vec<String> = Vec::new();
    for v in values {
        match v {
            Value::Multi(items) => parts.extend(items.iter().filter(|s| !s.is_empty()).cloned()),
            other => {
                if let Some(t) = text(other, span)?
                    && !t.is_empty()
                {
                    parts.push(t.into_owned());
                }
            }
        }
    }
    Ok(Value::String(parts.join(sep)))
}

/// `RemoveDuplicates(attribute)`: the values without repeats, first occurrence kept.
pub(crate) fn remove_duplicates(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(match ctx.arg(call.args, 0)? {
        Value::Multi(items) => {
            let mut seen = HashSet::new();
            Value::Multi(
                items
                    .into_iter()
                    .filter(|s| seen.insert(s.clone()))
                    .collect(),
            )
        }
        other => other,
    })
}

/// `Split(source, delimiter)`: .NET's `String.Split` on the whole delimiter string; every piece
/// is kept, empty or not, and nothing is trimmed.
pub(crate) fn split(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let source = ctx.arg(call.args, 0)?;
    let delimiter = ctx.arg(call.args, 1)?;
    let delimiter = text(&delimiter, &call.arg_span(1))?.unwrap_or_default();
    Ok(match text(&source, &call.arg_span(0))? {
        Some(s) => split_text(&s, &delimiter),
        None => Value::Null,
    })
}

fn split_text(s: &str, delimiter: &str) -> Value {
    if delimiter.is_empty() {
        return Value::Multi(vec![s.to_owned()]);
    }
    Value::Multi(s.split(delimiter).map(str::to_owned).collect())
}
