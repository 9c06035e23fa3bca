//! Date functions: CDate, DateAdd, DateDiff, DateFromNum, FormatDateTime, NumFromDate, Now.
//!
//! They evaluate, but their results are marked not reproducible: the provisioning service
//! parses dates with .NET's culture and time-zone rules and `Now` reads its clock. Dates are
//! kept as UTC .NET ticks; a date without an offset is taken as UTC. Supported input: ISO 8601
//! (`2009-06-15T01:45:30-07:00`, Workday's `2020-03-16-07:00`) and `M/d/yyyy h:mm:ss tt`.
//! `FormatDateTime` takes .NET custom format strings; standard one-letter formats are rejected.

use std::ops::Range;

use crate::entra::Value;
use crate::entra::calendar::{
    FILETIME_EPOCH, MAX_TICKS, TICKS_PER_DAY, TICKS_PER_SECOND, add_months, format_custom,
    parse_custom, parse_date, parts,
};
use crate::entra::context::{Call, Ctx, R, int_arg, text};
use crate::entra::error::Fault;

fn date_arg(v: &Value, span: &Range<usize>) -> R<i64> {
    match v {
        Value::DateTime(t) => Ok(*t),
        other => {
            let t = text(other, span)?;
            let t = t.as_deref().unwrap_or("");
            parse_date(t).ok_or_else(|| Fault::new(span, format!("cannot read {t:?} as a date; expected ISO 8601 such as 2021-08-31T10:00:00+08:00, or M/d/yyyy h:mm:ss tt")))
        }
    }
}

fn interval_of(v: &Value, span: &Range<usize>) -> R<String> {
    let t = text(v, span)?.map(|s| s.into_owned()).unwrap_or_default();
    if ["yyyy", "m", "d", "ww", "h", "n", "s"].contains(&t.as_str()) {
        Ok(t)
    } else {
        Err(Fault::new(
            span,
            format!("unknown interval {t:?}; expected yyyy, m, d, ww, h, n or s"),
        ))
    }
}

fn out_of_range(call: &Call<'_>) -> Fault {
    Fault::new(call.span, "the resulting date is out of range")
}

/// `Now()`: the clock's date and time, in UTC.
pub(crate) fn now(_: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    clock(call.span).map(Value::DateTime)
}

/// `CDate(expression)`: a date read from text; null stays null.
pub(crate) fn cdate(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    if v.is_null() {
        return Ok(Value::Null);
    }
    date_arg(&v, &call.arg_span(0)).map(Value::DateTime)
}

/// `DateAdd(interval, value, dateTime)`: the date moved by `value` intervals.
pub(crate) fn date_add(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let interval = interval_of(&ctx.arg(call.args, 0)?, &call.arg_span(0))?;
    let n = int_arg(&ctx.arg(call.args, 1)?, &call.arg_span(1))?;
    let date = ctx.arg(call.args, 2)?;
    if date.is_null() {
        return Ok(Value::Null);
    }
    let t = date_arg(&date, &call.arg_span(2))?;
    let unit = |u: i64| {
        n.checked_mul(u)
            .and_then(|d| t.checked_add(d))
            .filter(|r| (0..=MAX_TICKS).contains(r))
    };
    let result = match interval.as_str() {
        "yyyy" => n.checked_mul(12).and_then(|m| add_months(t, m)),
        "m" => add_months(t, n),
        "d" => unit(TICKS_PER_DAY),
        "ww" => unit(7 * TICKS_PER_DAY),
        "h" => unit(3600 * TICKS_PER_SECOND),
        "n" => unit(60 * TICKS_PER_SECOND),
        _ => unit(TICKS_PER_SECOND),
    };
    result
        .map(Value::DateTime)
        .ok_or_else(|| out_of_range(call))
}

/// `DateDiff(interval, date1, date2)`: like VBA's, the number of interval boundaries crossed
/// (weeks start on Sunday).
pub(crate) fn date_diff(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let interval = interval_of(&ctx.arg(call.args, 0)?, &call.arg_span(0))?;
    let (a, b) = (ctx.arg(call.args, 1)?, ctx.arg(call.args, 2)?);
    if a.is_null() || b.is_null() {
        return Ok(Value::Null);
    }
    let (t1, t2) = (
        date_arg(&a, &call.arg_span(1))?,
        date_arg(&b, &call.arg_span(2))?,
    );
    let (p1, p2) = (parts(t1), parts(t2));
    let boundaries = |unit: i64| t2.div_euclid(unit) - t1.div_euclid(unit);
    let diff = match interval.as_str() {
        "yyyy" => p2.year - p1.year,
        "m" => (p2.year * 12 + p2.month) - (p1.year * 12 + p1.month),
        "d" => boundaries(TICKS_PER_DAY),
        "ww" => {
            let sunday = |t: i64| {
                let days = t.div_euclid(TICKS_PER_DAY);
                days - (days + 1).rem_euclid(7)
            };
            (sunday(t2) - sunday(t1)) / 7
        }
        "h" => boundaries(3600 * TICKS_PER_SECOND),
        "n" => boundaries(60 * TICKS_PER_SECOND),
        _ => boundaries(TICKS_PER_SECOND),
    };
    Ok(Value::Number(diff))
}

/// `DateFromNum(value)`: the date of an Active Directory time (FILETIME ticks).
pub(crate) fn date_from_num(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    if v.is_null() {
        return Ok(Value::Null);
    }
    let n = int_arg(&v, &call.arg_span(0))?;
    n.checked_add(FILETIME_EPOCH)
        .filter(|t| (0..=MAX_TICKS).contains(t) && n >= 0)
        .map(Value::DateTime)
        .ok_or_else(|| out_of_range(call))
}

/// `NumFromDate(value)`: a date as an Active Directory time (FILETIME ticks).
pub(crate) fn num_from_date(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    if v.is_null() {
        return Ok(Value::Null);
    }
    let t = date_arg(&v, &call.arg_span(0))?;
    Ok(Value::Number(t - FILETIME_EPOCH))
}

/// `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)`, with .NET custom
/// format strings.
pub(crate) fn format_date_time(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let at = |i: usize| call.arg_span(i);
    let source = ctx.arg(call.args, 0)?;
    let input_format = ctx.arg(call.args, 2)?;
    let output_format = ctx.arg(call.args, 3)?;
    let Some(s) = text(&source, &at(0))? else {
        return Ok(Value::Null);
    };
    let input_format = text(&input_format, &at(2))?
        .map(|s| s.into_owned())
        .unwrap_or_default();
    let output_format = text(&output_format, &at(3))?
        .map(|s| s.into_owned())
        .unwrap_or_default();
    for (f, i) in [(&input_format, 2), (&output_format, 3)] {
        if f.chars().count() <= 1 {
            return Err(Fault::new(
                &at(i),
                format!(
                    "{f:?} is a .NET standard format string, which is not supported; write a custom format such as \"yyyy-MM-dd\""
                ),
            ));
        }
    }
    let t = parse_custom(s.trim(), &input_format).ok_or_else(|| {
        Fault::new(
            &at(0),
            format!("{s:?} does not match the input format {input_format:?}"),
        )
    })?;
    format_custom(t, &output_format).map(Value::String).ok_or_else(|| {
        Fault::new(&at(3), format!("the output format {output_format:?} uses a specifier this engine does not support"))
    })
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
fn clock(_span: &Range<usize>) -> R<i64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(0) * 10)
        .unwrap_or(0);
    Ok(super::super::calendar::UNIX_EPOCH_DAYS * TICKS_PER_DAY + since)
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn clock(span: &Range<usize>) -> R<i64> {
    Err(Fault::new(span, "Now() has no clock to read in this build"))
}
