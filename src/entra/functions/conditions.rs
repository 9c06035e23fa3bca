//! Conditions and flow: BitAnd, CBool, Coalesce, IgnoreFlowIfNullOrEmpty, IIF, IsNull,
//! IsNullOrEmpty, IsPresent, IsString, Not, Switch; and Guid and RandomString.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::ops::Range;

use crate::entra::Value;
use crate::entra::ast::NodeKind;
use crate::entra::context::{Call, Ctx, R, int_arg, text};
use crate::entra::error::Fault;

/// `BitAnd(value1, value2)`: the bitwise and of two whole numbers.
pub(crate) fn bit_and(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let a = int_arg(&ctx.arg(call.args, 0)?, &call.arg_span(0))?;
    let b = int_arg(&ctx.arg(call.args, 1)?, &call.arg_span(1))?;
    Ok(Value::Number(a & b))
}

/// `CBool(expression)`: the expression as a condition (see [`truth`]).
pub(crate) fn cbool(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    truth(&v, &call.arg_span(0), "CBool").map(Value::Bool)
}

/// `Not(source)`: the negated condition.
pub(crate) fn not(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    truth(&v, &call.arg_span(0), "Not").map(|b| Value::Bool(!b))
}

/// `Coalesce(source1, ..., defaultValue)`: the first value that is not null, evaluating no
/// further.
pub(crate) fn coalesce(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    for i in 0..call.args.len() {
        let v = ctx.arg(call.args, i)?;
        if !v.is_null() {
            return Ok(v);
        }
    }
    Ok(Value::Null)
}

/// `IgnoreFlowIfNullOrEmpty(expression)`: the value; a null or empty one drops the attribute
/// from the flow ([`Evaluation::ignored`](crate::entra::Evaluation::ignored)).
pub(crate) fn ignore_flow_if_null_or_empty(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let v = ctx.arg(call.args, 0)?;
    if v.is_null_or_empty() {
        ctx.ignored = true;
        Ok(Value::Null)
    } else {
        Ok(v)
    }
}

/// `IsNull(expression)`.
pub(crate) fn is_null(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(Value::Bool(ctx.arg(call.args, 0)?.is_null()))
}

/// `IsNullOrEmpty(expression)`.
pub(crate) fn is_null_or_empty(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(Value::Bool(ctx.arg(call.args, 0)?.is_null_or_empty()))
}

/// `IsPresent(expression)`: neither null nor empty.
pub(crate) fn is_present(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(Value::Bool(!ctx.arg(call.args, 0)?.is_null_or_empty()))
}

/// `IsString(expression)`.
pub(crate) fn is_string(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    Ok(Value::Bool(matches!(
        ctx.arg(call.args, 0)?,
        Value::String(_)
    )))
}

/// A value as a condition: a boolean, `True`/`False` in any case, or a number (non-zero is
/// true).
fn truth(v: &Value, span: &Range<usize>, function: &str) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => Ok(*n != 0),
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") {
                Ok(true)
            } else if t.eq_ignore_ascii_case("false") {
                Ok(false)
            } else if let Ok(n) = t.parse::<i64>() {
                Ok(n != 0)
            } else {
                Err(Fault::new(
                    span,
                    format!("{function} expects True or False, found {s:?}"),
                ))
            }
        }
        other => Err(Fault::new(
            span,
            format!(
                "{function} expects True or False, found a {} value",
                other.kind()
            ),
        )),
    }
}

/// `IIF(condition, valueIfTrue, valueIfFalse)`. Microsoft: "If the source attribute used within
/// the IIF function is empty or null, the condition check fails" — so it fails here too.
pub(crate) fn iif(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let args = call.args;
    let Some(Some(condition)) = args.first() else {
        return Err(Fault::new(call.span, "IIF needs a condition"));
    };
    let mut attributes = Vec::new();
    condition.walk(&mut |n| {
        if let NodeKind::Attribute(name) = &n.kind {
            attributes.push((name.as_str(), n.span.clone()));
        }
    });
    for (name, attr_span) in attributes {
        let value = ctx.attrs.get_attribute(name).unwrap_or(Value::Null);
        if value.is_null_or_empty() {
            return Err(Fault::new(
                &attr_span,
                format!(
                    "[{name}] is {} here, and Entra fails an IIF condition on a null or empty attribute (see IIF's known limitations); use Switch([{name}], ..., \"\", \"value when empty\") instead",
                    if value.is_null() { "null" } else { "empty" }
                ),
            ));
        }
    }
    let value = ctx.eval(condition)?;
    if truth(&value, &condition.span, "IIF's condition")? {
        ctx.arg(args, 1)
    } else {
        ctx.arg(args, 2)
    }
}

/// `Switch(source, defaultValue, key1, value1, ...)`: case-sensitive comparison of the source's
/// text with each key; a null source compares as "" (Microsoft's advice for testing empty
/// attributes); no match gives the default, null when it is left empty.
pub(crate) fn switch(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let args = call.args;
    let source_span = call.arg_span(0);
    let source = ctx.arg(args, 0)?;
    let source = text(&source, &source_span)?
        .map(|s| s.into_owned())
        .unwrap_or_default();
    let mut i = 2;
    while i + 1 < args.len() {
        let key_span = call.arg_span(i);
        let key = ctx.arg(args, i)?;
        let key = text(&key, &key_span)?
            .map(|s| s.into_owned())
            .unwrap_or_default();
        if key == source {
            return ctx.arg(args, i + 1);
        }
        i += 2;
    }
    ctx.arg(args, 1)
}

/// A pseudo-random number generator seeded from the process's hash keys (no I/O, no clock).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x5eed);
        Rng(h.finish() | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// `Guid()`: a random version-4 GUID in .NET's default format.
pub(crate) fn guid(_: &mut Ctx<'_>, _: &Call<'_>) -> R<Value> {
    Ok(Value::String(random_guid()))
}

fn random_guid() -> String {
    let mut rng = Rng::new();
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let word = rng.next().to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `RandomString(length, minNumbers, minSpecial, minCapital, minLower, charactersToAvoid)`.
pub(crate) fn random_string(ctx: &mut Ctx<'_>, call: &Call<'_>) -> R<Value> {
    let (args, span) = (call.args, call.span);
    let mut counts = [0usize; 5];
    for (i, slot) in counts.iter_mut().enumerate() {
        let arg_span = call.arg_span(i);
        let n = int_arg(&ctx.arg(args, i)?, &arg_span)?;
        *slot = usize::try_from(n)
            .map_err(|_| Fault::new(&arg_span, "RandomString's counts cannot be negative"))?;
    }
    let [length, numbers, special, capital, lower] = counts;
    if length > 256 {
        return Err(Fault::new(
            span,
            "RandomString's length is at most 256 characters",
        ));
    }
    if numbers + special + capital + lower > length {
        return Err(Fault::new(
            span,
            "RandomString's minimum counts add up to more than its length",
        ));
    }
    let avoid = ctx.arg(args, 5)?;
    let avoid = text(&avoid, span)?
        .map(|s| s.into_owned())
        .unwrap_or_default();
    let pick = |set: &str| -> Vec<char> { set.chars().filter(|c| !avoid.contains(*c)).collect() };
    let digits = pick("0123456789");
    let specials = pick("~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/");
    let capitals = pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    let lowers = pick("abcdefghijklmnopqrstuvwxyz");
    let all: Vec<char> = [&digits, &specials, &capitals, &lowers]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    let mut rng = Rng::new();
    let mut out: Vec<char> = Vec::with_capacity(length);
    for (set, n) in [
        (&digits, numbers),
        (&specials, special),
        (&capitals, capital),
        (&lowers, lower),
        (&all, length - numbers - special - capital - lower),
    ] {
        if n > 0 && set.is_empty() {
            return Err(Fault::new(
                span,
                "charactersToAvoid leaves no character to choose from",
            ));
        }
        for _ in 0..n {
            if let Some(&c) = set.get(rng.below(set.len())) {
                out.push(c);
            }
        }
    }
    for i in (1..out.len()).rev() {
        out.swap(i, rng.below(i + 1));
    }
    Ok(Value::String(out.into_iter().collect()))
}
