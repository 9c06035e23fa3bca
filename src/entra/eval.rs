//! The evaluator: walks the tree over one row of attributes. Each call runs the evaluator its
//! function's entry in the table (`functions::FUNCTIONS`) carries.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::ast::{CmpOp, Node, NodeKind};
use super::context::{Call, Ctx, R, text};
use super::error::Fault;
use super::functions;
use super::regex::{DotNetRegex, RegexEngine};
use super::{Attributes, Value};

/// The outcome of one evaluation: the value (or the fault), whether it is reproducible and
/// whether `IgnoreFlowIfNullOrEmpty` dropped it from the flow.
pub(crate) struct Outcome {
    pub(crate) value: R<Value>,
    pub(crate) reproducible: bool,
    pub(crate) ignored: bool,
}

/// Evaluates `root` on one row.
pub(crate) fn evaluate(
    root: &Node,
    attrs: &dyn Attributes,
    regexes: &HashMap<usize, Arc<DotNetRegex>>,
    engine: &dyn RegexEngine,
) -> Outcome {
    let mut ctx = Ctx::new(attrs, regexes, engine, walk);
    let value = ctx.eval(root);
    Outcome {
        value,
        reproducible: ctx.reproducible,
        ignored: ctx.ignored,
    }
}

/// A node's value, its parts evaluated through `ctx` (which bounds their sizes).
fn walk(ctx: &mut Ctx<'_>, node: &Node) -> R<Value> {
    match &node.kind {
        NodeKind::Attribute(name) => Ok(ctx.attrs.get_attribute(name).unwrap_or(Value::Null)),
        NodeKind::String(text) => Ok(Value::String(text.clone())),
        NodeKind::Number(n) => Ok(Value::Number(*n)),
        NodeKind::Constant(name) => functions::CONSTANTS
            .iter()
            .find(|(c, _)| c == name)
            .map(|(_, v)| Value::Number(*v))
            .ok_or_else(|| Fault::new(&node.span, format!("unknown name `{name}`"))),
        NodeKind::Compare { op, left, right } => {
            let l = ctx.eval(left)?;
            let r = ctx.eval(right)?;
            compare(*op, &l, &r, &left.span, &right.span).map(Value::Bool)
        }
        NodeKind::Call { name, args } => {
            let Some(function) = functions::lookup(name) else {
                return Err(Fault::new(&node.span, format!("unknown function `{name}`")));
            };
            if !function.reproducible {
                ctx.reproducible = false;
            }
            let call = Call {
                name,
                args,
                span: &node.span,
            };
            (function.eval)(ctx, &call)
        }
    }
}

/// Compares two values: as numbers when both are whole numbers, otherwise as strings (ordinal,
/// case-sensitive). Entra fails a condition on a null or empty value, and so does this.
fn compare(op: CmpOp, l: &Value, r: &Value, ls: &Range<usize>, rs: &Range<usize>) -> R<bool> {
    for (v, s) in [(l, ls), (r, rs)] {
        if v.is_null_or_empty() {
            return Err(Fault::new(
                s,
                format!(
                    "this is {} in a comparison; Entra fails a condition on a null or empty value (see IIF's known limitations): test it with Switch instead, e.g. Switch([attr], [attr], \"\", \"fallback\")",
                    if v.is_null() { "null" } else { "empty" }
                ),
            ));
        }
    }
    let lt = text(l, ls)?.unwrap_or_default();
    let rt = text(r, rs)?.unwrap_or_default();
    let ordering = match (lt.trim().parse::<i64>(), rt.trim().parse::<i64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => lt.encode_utf16().cmp(rt.encode_utf16()),
    };
    Ok(match op {
        CmpOp::Eq => ordering.is_eq(),
        CmpOp::Ne => !ordering.is_eq(),
        CmpOp::Lt => ordering.is_lt(),
        CmpOp::Le => ordering.is_le(),
        CmpOp::Gt => ordering.is_gt(),
        CmpOp::Ge => ordering.is_ge(),
    })
}
