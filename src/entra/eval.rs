//! The evaluator: walks the tree over one row of attributes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::ast::{CmpOp, Node, NodeKind};
use super::error::Fault;
use super::functions::{self, case, conditions, dates, diacritics, multi, replace, strings};
use super::regex::{DotNetRegex, RegexEngine};
use super::{Attributes, MAX_VALUE_LEN, MAX_WORK, Value};

/// The state of one evaluation.
pub(crate) struct Ctx<'a> {
    pub(crate) attrs: &'a dyn Attributes,
    pub(crate) regexes: &'a HashMap<usize, Arc<DotNetRegex>>,
    /// Compiles the patterns computed during the evaluation.
    pub(crate) engine: &'a dyn RegexEngine,
    pub(crate) reproducible: bool,
    pub(crate) ignored: bool,
    work: usize,
}

pub(crate) type R<T> = Result<T, Fault>;

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        attrs: &'a dyn Attributes,
        regexes: &'a HashMap<usize, Arc<DotNetRegex>>,
        engine: &'a dyn RegexEngine,
    ) -> Ctx<'a> {
        Ctx {
            attrs,
            regexes,
            engine,
            reproducible: true,
            ignored: false,
            work: 0,
        }
    }

    /// Evaluates a node, bounding the size of every value and the total work.
    pub(crate) fn eval(&mut self, node: &Node) -> R<Value> {
        let value = self.eval_inner(node)?;
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

    fn eval_inner(&mut self, node: &Node) -> R<Value> {
        match &node.kind {
            NodeKind::Attribute(name) => Ok(self.attrs.get_attribute(name).unwrap_or(Value::Null)),
            NodeKind::String(text) => Ok(Value::String(text.clone())),
            NodeKind::Number(n) => Ok(Value::Number(*n)),
            NodeKind::Constant(name) => functions::CONSTANTS
                .iter()
                .find(|(c, _)| c == name)
                .map(|(_, v)| Value::Number(*v))
                .ok_or_else(|| Fault::new(&node.span, format!("unknown name `{name}`"))),
            NodeKind::Compare { op, left, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                compare(*op, &l, &r, &left.span, &right.span).map(Value::Bool)
            }
            NodeKind::Call { name, args } => self.call(name, args, &node.span),
        }
    }

    fn call(&mut self, name: &str, args: &[Option<Node>], span: &Range<usize>) -> R<Value> {
        if functions::lookup(name).is_some_and(|s| !s.reproducible) {
            self.reproducible = false;
        }
        let arg_span = |i: usize| match args.get(i) {
            Some(Some(n)) => n.span.clone(),
            _ => span.clone(),
        };
        match name {
            "Append" => {
                let source = self.arg(args, 0)?;
                let suffix = self.arg(args, 1)?;
                strings::append(&source, &suffix, span)
            }
            "BitAnd" => {
                let a = int_arg(&self.arg(args, 0)?, &arg_span(0))?;
                let b = int_arg(&self.arg(args, 1)?, &arg_span(1))?;
                Ok(Value::Number(a & b))
            }
            "CBool" => {
                let v = self.arg(args, 0)?;
                conditions::truth(&v, &arg_span(0), "CBool").map(Value::Bool)
            }
            "Coalesce" => {
                for i in 0..args.len() {
                    let v = self.arg(args, i)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                Ok(Value::Null)
            }
            "ConvertToBase64" => Ok(map_text(
                &self.arg(args, 0)?,
                &arg_span(0),
                strings::base64_utf16,
            )?),
            "ConvertToUTF8Hex" => Ok(map_text(
                &self.arg(args, 0)?,
                &arg_span(0),
                strings::utf8_hex,
            )?),
            "Count" => Ok(Value::Number(multi::count(&self.arg(args, 0)?))),
            "CStr" => {
                let v = self.arg(args, 0)?;
                Ok(match text(&v, &arg_span(0))? {
                    Some(t) => Value::String(t.into_owned()),
                    None => Value::Null,
                })
            }
            "IgnoreFlowIfNullOrEmpty" => {
                let v = self.arg(args, 0)?;
                if v.is_null_or_empty() {
                    self.ignored = true;
                    Ok(Value::Null)
                } else {
                    Ok(v)
                }
            }
            "IIF" => conditions::iif(self, args, span),
            "InStr" => strings::instr(self, args, span),
            "IsNull" => Ok(Value::Bool(self.arg(args, 0)?.is_null())),
            "IsNullOrEmpty" => Ok(Value::Bool(self.arg(args, 0)?.is_null_or_empty())),
            "IsPresent" => Ok(Value::Bool(!self.arg(args, 0)?.is_null_or_empty())),
            "IsString" => Ok(Value::Bool(matches!(self.arg(args, 0)?, Value::String(_)))),
            "Item" => {
                let source = self.arg(args, 0)?;
                let index = int_arg(&self.arg(args, 1)?, &arg_span(1))?;
                multi::item(source, index, &arg_span(1))
            }
            "Join" => {
                let sep = self.arg(args, 0)?;
                let sep = text(&sep, &arg_span(0))?
                    .map(Cow::into_owned)
                    .unwrap_or_default();
                let mut values = Vec::with_capacity(args.len().saturating_sub(1));
                for i in 1..args.len() {
                    values.push(self.arg(args, i)?);
                }
                multi::join(&sep, &values, span)
            }
            "Left" => {
                let source = self.arg(args, 0)?;
                let n = int_arg(&self.arg(args, 1)?, &arg_span(1))?;
                strings::left(&source, n, &arg_span(0), span)
            }
            "Mid" => {
                let source = self.arg(args, 0)?;
                let start = int_arg(&self.arg(args, 1)?, &arg_span(1))?;
                let length = int_arg(&self.arg(args, 2)?, &arg_span(2))?;
                strings::mid(&source, start, length, &arg_span(0), span)
            }
            "NormalizeDiacritics" => Ok(map_text(
                &self.arg(args, 0)?,
                &arg_span(0),
                diacritics::normalize,
            )?),
            "Not" => {
                let v = self.arg(args, 0)?;
                conditions::truth(&v, &arg_span(0), "Not").map(|b| Value::Bool(!b))
            }
            "PCase" => {
                let source = self.arg(args, 0)?;
                let seps = self.arg(args, 1)?;
                let seps = text(&seps, &arg_span(1))?.map(Cow::into_owned);
                map_text(&source, &arg_span(0), |s| {
                    case::pcase(s, seps.as_deref().filter(|s| !s.is_empty()))
                })
            }
            "Redact" => self.arg(args, 0),
            "RemoveDuplicates" => Ok(multi::remove_duplicates(self.arg(args, 0)?)),
            "Replace" => replace::replace(self, args, span),
            "Split" => {
                let source = self.arg(args, 0)?;
                let delim = self.arg(args, 1)?;
                let delim = text(&delim, &arg_span(1))?
                    .map(Cow::into_owned)
                    .unwrap_or_default();
                match text(&source, &arg_span(0))? {
                    Some(s) => Ok(multi::split(&s, &delim)),
                    None => Ok(Value::Null),
                }
            }
            "StripSpaces" => map_text(&self.arg(args, 0)?, &arg_span(0), |s| s.replace(' ', "")),
            "Switch" => conditions::switch(self, args, span),
            "ToLower" | "ToUpper" => {
                let source = self.arg(args, 0)?;
                let culture = self.arg(args, 1)?;
                let culture = text(&culture, &arg_span(1))?.map(Cow::into_owned);
                let turkic = case::is_turkic(culture.as_deref().unwrap_or(""));
                let upper = name == "ToUpper";
                map_text(&source, &arg_span(0), |s| {
                    case::change_case(s, upper, turkic)
                })
            }
            "Word" => {
                let source = self.arg(args, 0)?;
                let n = int_arg(&self.arg(args, 1)?, &arg_span(1))?;
                let delims = self.arg(args, 2)?;
                let delims = text(&delims, &arg_span(2))?
                    .map(Cow::into_owned)
                    .unwrap_or_default();
                let source = text(&source, &arg_span(0))?;
                Ok(Value::String(strings::word(
                    source.as_deref().unwrap_or(""),
                    n,
                    &delims,
                )))
            }
            "Guid" => Ok(Value::String(conditions::guid())),
            "RandomString" => conditions::random_string(self, args, span),
            "CDate" | "DateAdd" | "DateDiff" | "DateFromNum" | "FormatDateTime" | "NumFromDate"
            | "Now" => dates::call(self, name, args, span),
            "SelectUniqueValue" => Err(Fault::new(
                span,
                "SelectUniqueValue is not supported for SCIM applications: Microsoft supports it only when provisioning from Workday or SuccessFactors, or through API-driven provisioning, into on-premises Active Directory",
            )),
            "AppRoleAssignmentsComplex" | "SingleAppRoleAssignment" => Err(Fault::new(
                span,
                format!(
                    "{name} reads the appRoleAssignments object that the provisioning service builds from the app's role assignments; it cannot be evaluated on exported attributes"
                ),
            )),
            other => Err(Fault::new(span, format!("unknown function `{other}`"))),
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
