//! The evaluator: one walk of the tree under one choice of readings, recording which
//! ambiguities it met.

use std::cmp::Ordering;
use std::ops::Range;

use super::error::Fault;
use super::functions;
use super::jregex;
use super::parser::{BinOp, Binding, Kind, Node};
use super::readings::{Ambiguity, Choices, Reading};
use super::value::Value;
use super::{Context, MAX_VALUE_LEN, MAX_WORK};

pub(crate) struct Run<'a> {
    context: &'a Context,
    choices: Choices,
    /// A bit per [`Ambiguity::index`] met so far.
    pub(crate) met: u8,
    /// Where each ambiguity was first met.
    pub(crate) first_met: [Option<Range<usize>>; 7],
    work: usize,
}

impl<'a> Run<'a> {
    /// A run under `choices` that has `spent` bytes of [`MAX_WORK`] spent already (by the
    /// earlier runs of the same evaluation: the budget is for all of them).
    pub(crate) fn new(context: &'a Context, choices: Choices, spent: usize) -> Run<'a> {
        Run {
            context,
            choices,
            met: 0,
            first_met: Default::default(),
            work: spent,
        }
    }

    /// The bytes of [`MAX_WORK`] spent so far.
    pub(crate) fn spent(&self) -> usize {
        self.work
    }

    /// The reading of `a` this run is under; records that `a` was met at `span`.
    pub(crate) fn reading(&mut self, a: Ambiguity, span: &Range<usize>) -> Reading {
        self.met |= 1 << a.index();
        let slot = &mut self.first_met[a.index()];
        if slot.is_none() {
            *slot = Some(span.clone());
        }
        self.choices.reading(a)
    }

    /// How many bytes the next value may have.
    pub(crate) fn room(&self) -> usize {
        MAX_VALUE_LEN.min(MAX_WORK.saturating_sub(self.work))
    }

    pub(crate) fn too_large(&self, span: &Range<usize>) -> Fault {
        Fault::unsupported(
            span,
            format!(
                "the value here would pass usernorm's limits ({MAX_VALUE_LEN} bytes a value, {MAX_WORK} in all)"
            ),
        )
    }

    fn charge(&mut self, v: &Value, span: &Range<usize>) -> Result<(), Fault> {
        let w = v.weight();
        if w > self.room() {
            return Err(self.too_large(span));
        }
        self.work += w;
        Ok(())
    }

    pub(crate) fn eval(&mut self, node: &Node) -> Result<Value, Fault> {
        let v = self.eval_inner(node)?;
        self.charge(&v, &node.span)?;
        Ok(v)
    }

    fn eval_inner(&mut self, node: &Node) -> Result<Value, Fault> {
        let span = &node.span;
        match &node.kind {
            Kind::Lit(v) => Ok(v.clone()),
            Kind::Array(items) => items
                .iter()
                .map(|n| self.eval(n))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            Kind::Attr { binding, name } => {
                let map = match binding {
                    Binding::User | Binding::Source => &self.context.user,
                    Binding::AppUser => &self.context.appuser,
                };
                Ok(map.get(name).cloned().unwrap_or(Value::Null))
            }
            Kind::Internal { id } => {
                let v = if *id {
                    &self.context.id
                } else {
                    &self.context.status
                };
                Ok(v.clone().map_or(Value::Null, Value::String))
            }
            Kind::Call { func, args } => {
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push((self.eval(a)?, a.span.clone()));
                }
                functions::call(self, *func, span, values)
            }
            Kind::Index { target, index } => {
                let t = self.eval(target)?;
                let i = self.eval(index)?;
                let Value::Int(at) = i else {
                    return Err(Fault::new(
                        &index.span,
                        format!("an index is a whole number, not {}", i.quoted()),
                    ));
                };
                match &t {
                    Value::Array(items) => usize::try_from(at)
                        .ok()
                        .and_then(|k| items.get(k).cloned())
                        .ok_or_else(|| {
                            Fault::new(
                                span,
                                format!("index {at} is outside an array of {}", items.len()),
                            )
                        }),
                    other => Err(Fault::new(
                        &target.span,
                        format!("only an array can be indexed, not {}", other.quoted()),
                    )),
                }
            }
            Kind::Not(inner) => {
                let b = self.boolean(inner)?;
                Ok(Value::Bool(!b))
            }
            Kind::Neg(inner) => match self.eval(inner)? {
                Value::Int(n) => Ok(Value::Int(n.wrapping_neg())),
                Value::Number(x) => Ok(Value::Number(-x)),
                other => Err(Fault::new(
                    &inner.span,
                    format!("`-` applies to numbers, not {}", other.quoted()),
                )),
            },
            Kind::Cond { cond, then, other } => {
                if self.boolean(cond)? {
                    self.eval(then)
                } else {
                    self.eval(other)
                }
            }
            Kind::Elvis { value, default } => {
                let v = self.eval(value)?;
                if v.is_null_or_empty() {
                    self.eval(default)
                } else {
                    Ok(v)
                }
            }
            Kind::Binary { op, left, right } => self.binary(*op, left, right, span),
            Kind::Chain { first, rest } => self.chain(first, rest),
        }
    }

    /// A condition: a boolean, or a string Spring converts to one (`true`/`false`, `yes`/`no`,
    /// `on`/`off`, `1`/`0`, any case).
    fn boolean(&mut self, node: &Node) -> Result<bool, Fault> {
        let v = self.eval(node)?;
        match &v {
            Value::Bool(b) => return Ok(*b),
            Value::String(s) => {
                let t = s.trim().to_ascii_lowercase();
                match t.as_str() {
                    "true" | "yes" | "on" | "1" => return Ok(true),
                    "false" | "no" | "off" | "0" => return Ok(false),
                    _ => {}
                }
            }
            _ => {}
        }
        Err(Fault::new(
            &node.span,
            format!(
                "a condition must be true or false, not {}{}",
                v.quoted(),
                if v.is_null() {
                    " (an attribute never set is null: test it with `!= null`)"
                } else {
                    ""
                }
            ),
        ))
    }

    fn chain(&mut self, first: &Node, rest: &[(BinOp, Node)]) -> Result<Value, Fault> {
        match rest.first().map(|(op, _)| *op) {
            Some(BinOp::And) => {
                if !self.boolean(first)? {
                    return Ok(Value::Bool(false));
                }
                for (_, n) in rest {
                    if !self.boolean(n)? {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(true))
            }
            Some(BinOp::Or) => {
                if self.boolean(first)? {
                    return Ok(Value::Bool(true));
                }
                for (_, n) in rest {
                    if self.boolean(n)? {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            _ => {
                let mut acc = self.eval(first)?;
                for (op, n) in rest {
                    let r = self.eval(n)?;
                    let span = first.span.start..n.span.end;
                    acc = if *op == BinOp::Sub {
                        self.subtract(acc, r, &span)?
                    } else {
                        let at = if acc.is_null() {
                            first.span.clone()
                        } else if r.is_null() {
                            n.span.clone()
                        } else {
                            span.clone()
                        };
                        self.add(acc, r, &span, &at)?
                    };
                    self.charge(&acc, &span)?;
                }
                Ok(acc)
            }
        }
    }

    fn subtract(&mut self, l: Value, r: Value, span: &Range<usize>) -> Result<Value, Fault> {
        match (&l, &r) {
            (Value::Int(a), Value::Int(b)) => Ok(Value::Int(a.wrapping_sub(*b))),
            _ => match (number(&l), number(&r)) {
                (Some(a), Some(b)) => Ok(Value::Number(a - b)),
                _ => Err(Fault::new(
                    span,
                    format!(
                        "`-` subtracts numbers, not {} and {}",
                        l.quoted(),
                        r.quoted()
                    ),
                )),
            },
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        left: &Node,
        right: &Node,
        span: &Range<usize>,
    ) -> Result<Value, Fault> {
        match op {
            BinOp::And => {
                return Ok(Value::Bool(self.boolean(left)? && self.boolean(right)?));
            }
            BinOp::Or => {
                return Ok(Value::Bool(self.boolean(left)? || self.boolean(right)?));
            }
            _ => {}
        }
        let l = self.eval(left)?;
        let r = self.eval(right)?;
        match op {
            BinOp::Add => self.add(l, r, span, span),
            BinOp::Sub => self.subtract(l, r, span),
            BinOp::Eq => Ok(Value::Bool(java_equals(&l, &r))),
            BinOp::Ne => Ok(Value::Bool(!java_equals(&l, &r))),
            BinOp::Lt | BinOp::Gt | BinOp::Le | BinOp::Ge => {
                let ord = compare(&l, &r).ok_or_else(|| {
                    Fault::new(
                        span,
                        format!("cannot compare {} with {}", l.quoted(), r.quoted()),
                    )
                })?;
                Ok(Value::Bool(match op {
                    BinOp::Lt => ord == Ordering::Less,
                    BinOp::Gt => ord == Ordering::Greater,
                    BinOp::Le => ord != Ordering::Greater,
                    _ => ord != Ordering::Less,
                }))
            }
            BinOp::Matches => {
                let (Value::String(input), Value::String(pattern)) = (&l, &r) else {
                    return Err(Fault::new(
                        span,
                        format!(
                            "`matches` takes a string and a pattern, not {} and {}",
                            l.quoted(),
                            r.quoted()
                        ),
                    ));
                };
                let re = jregex::compile(pattern, input, true).map_err(|why| {
                    Fault::unsupported(&right.span, format!("as a Java regular expression: {why}"))
                })?;
                Ok(Value::Bool(re.is_match(input)))
            }
            BinOp::And | BinOp::Or => Ok(Value::Null),
        }
    }

    /// SpEL's `+`: numbers add, a string concatenates the other side's text.
    /// `at` is where a null operand is, for the warning.
    fn add(
        &mut self,
        l: Value,
        r: Value,
        span: &Range<usize>,
        at: &Range<usize>,
    ) -> Result<Value, Fault> {
        match (&l, &r) {
            (Value::Int(a), Value::Int(b)) => return Ok(Value::Int(a.wrapping_add(*b))),
            _ if l.is_null() || r.is_null() => {
                let reading = self.reading(Ambiguity::NullConcatenation, at);
                let is_string = matches!(l, Value::String(_)) || matches!(r, Value::String(_));
                return match reading {
                    Reading::NullText if is_string => Ok(Value::String(format!("{l}{r}"))),
                    Reading::Empty => {
                        let text = |v: &Value| {
                            if v.is_null() {
                                String::new()
                            } else {
                                v.to_string()
                            }
                        };
                        Ok(Value::String(text(&l) + &text(&r)))
                    }
                    _ => Err(Fault::new(
                        span,
                        format!("`+` of {} and {} fails", l.quoted(), r.quoted()),
                    )),
                };
            }
            (Value::String(_), _) | (_, Value::String(_)) => {}
            _ => {
                return match (number(&l), number(&r)) {
                    (Some(a), Some(b)) => Ok(Value::Number(a + b)),
                    _ => Err(Fault::new(
                        span,
                        format!("`+` cannot add {} and {}", l.quoted(), r.quoted()),
                    )),
                };
            }
        }
        if l.weight().saturating_add(r.weight()) > self.room() {
            return Err(self.too_large(span));
        }
        Ok(Value::String(format!("{l}{r}")))
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(n) => Some(f64::from(*n)),
        Value::Number(x) => Some(*x),
        _ => None,
    }
}

/// SpEL's `==`: numbers by value across integer and number, everything else by Java's
/// `equals` (so `"123" == 123` is false).
pub(crate) fn java_equals(l: &Value, r: &Value) -> bool {
    match (number(l), number(r)) {
        (Some(a), Some(b)) => a == b,
        _ => l == r,
    }
}

/// SpEL's ordering: numbers by value, strings by UTF-16 code units (Java's `compareTo`),
/// booleans false first, null before anything.
fn compare(l: &Value, r: &Value) -> Option<Ordering> {
    match (l, r) {
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => Some(Ordering::Greater),
        (Value::String(a), Value::String(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => number(l)?.partial_cmp(&number(r)?),
    }
}
