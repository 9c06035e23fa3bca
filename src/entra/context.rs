//! The state of one evaluation, and what a function needs of it: the values of its arguments.
//!
//! The functions (`functions/*`) and the evaluator (`eval.rs`) both use this module; neither
//! imports the other's internals. A function evaluates its own arguments, as Entra does (`IIF`
//! evaluates one branch, `Coalesce` stops at the first value), through [`Ctx::arg`]; the walk
//! over the tree that does it is the evaluator's, handed to the context when it is made.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::ast::Node;
use super::error::Fault;
use super::regex::{DotNetRegex, RegexEngine};
use super::{Attributes, MAX_VALUE_LEN, MAX_WORK, Value};

/// The result of a step of an evaluation.
pub(crate) type R<T> = Result<T, Fault>;

/// How a node's value is computed (the evaluator's walk over the tree).
pub(crate) type Walk = for<'c, 'a> fn(&'c mut Ctx<'a>, &Node) -> R<Value>;

/// The state of one evaluation.
pub(crate) struct Ctx<'a> {
    pub(crate) attrs: &'a dyn Attributes,
    /// The string-literal patterns, compiled when the expression was parsed, by the byte
    /// offset of their node.
    pub(crate) regexes: &'a HashMap<usize, Arc<DotNetRegex>>,
    /// Compiles the patterns computed during the evaluation.
    pub(crate) engine: &'a dyn RegexEngine,
    /// False once a function whose result changes between runs was evaluated.
    pub(crate) reproducible: bool,
    /// True once `IgnoreFlowIfNullOrEmpty` dropped the attribute from the flow.
    pub(crate) ignored: bool,
    /// Bytes produced so far, in all steps.
    work: usize,
    walk: Walk,
}

/// A call being evaluated: the function's name, its arguments and its span.
#[derive(Clone, Copy)]
pub(crate) struct Call<'n> {
    pub(crate) name: &'n str,
    pub(crate) args: &'n [Option<Node>],
    pub(crate) span: &'n Range<usize>,
}

impl Call<'_> {
    /// The span of argument `i`, or the call's when it is omitted.
    pub(crate) fn arg_span(&self, i: usize) -> Range<usize> {
        match self.args.get(i) {
            Some(Some(node)) => node.span.clone(),
            _ => self.span.clone(),
        }
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        attrs: &'a dyn Attributes,
        regexes: &'a HashMap<usize, Arc<DotNetRegex>>,
        engine: &'a dyn RegexEngine,
        walk: Walk,
    ) -> Ctx<'a> {
        Ctx {
            attrs,
            regexes,
            engine,
            reproducible: true,
            ignored: false,
            work: 0,
            walk,
        }
    }

    /// Evaluates a node, bounding the size of every value and the total work.
    pub(crate) fn eval(&mut self, node: &Node) -> R<Value> {
        let value = (self.walk)(self, node)?;
        let size = value.size();
        if size > MAX_VALUE_LEN {
            return Err(Fault::new(
                &node.span,
                format!("this produces a value of {size} bytes; the limit is {MAX_VALUE_LEN}"),
            ));
        }
        self.work = self.work.saturating_add(size);
        if self.work > MAX_WORK {
            return Err(Fault::new(
                &node.span,
                format!(
                    "the evaluation produced more than {MAX_WORK} bytes in all and was stopped"
                ),
            ));
        }
        Ok(value)
    }

    /// Evaluates argument `i`; an omitted or missing argument is null.
    pub(crate) fn arg(&mut self, args: &[Option<Node>], i: usize) -> R<Value> {
        match args.get(i) {
            Some(Some(node)) => self.eval(node),
            _ => Ok(Value::Null),
        }
    }
}

/// A value as a single string; null is `None`; a multi-valued attribute is an error.
pub(crate) fn text<'v>(v: &'v Value, span: &Range<usize>) -> R<Option<Cow<'v, str>>> {
    if let Value::Multi(items) = v {
        return Err(Fault::new(
            span,
            format!(
                "this is a multi-valued attribute ({} values) where a single value is expected; pick one with Item or combine them with Join",
                items.len()
            ),
        ));
    }
    Ok(v.as_text())
}

/// Applies `f` to a value's text; null stays null.
pub(crate) fn map_text(v: &Value, span: &Range<usize>, f: impl FnOnce(&str) -> String) -> R<Value> {
    Ok(match text(v, span)? {
        Some(s) => Value::String(f(&s)),
        None => Value::Null,
    })
}

/// A value as a whole number.
pub(crate) fn int_arg(v: &Value, span: &Range<usize>) -> R<i64> {
    match v {
        Value::Number(n) => Ok(*n),
        Value::String(s) => s.trim().parse::<i64>().map_err(|_| {
            Fault::new(
                span,
                format!("expected a whole number, found the string {s:?}"),
            )
        }),
        other => Err(Fault::new(
            span,
            format!("expected a whole number, found a {} value", other.kind()),
        )),
    }
}
