//! Parse and evaluation errors, drawn with a caret under the fault.

use std::ops::Range;

/// An expression that could not be parsed, or that parsed but could not be evaluated on a row
/// (an unsupported function, a value of the wrong kind, a regular expression the engine cannot
/// honour): one type for both engines, [`ExpressionError`](crate::ExpressionError).
///
/// [`Expression::parse`](super::Expression::parse) and
/// [`Expression::evaluate`](super::Expression::evaluate) both fail with it; which one failed
/// is known from the call. Its `Display` draws the expression with `^^^` under the fault:
///
/// ```
/// use usernorm::entra::Expression;
///
/// let expr = Expression::parse(r#"Item([proxyAddresses], "x")"#)?;
/// let err = expr.evaluate(&[("proxyAddresses", "smtp:a@b.c")]).unwrap_err();
/// assert_eq!(err.span(), 23..26);
/// assert!(err.to_string().contains("\n                         ^^^"));
/// # Ok::<(), usernorm::entra::Error>(())
/// ```
pub type Error = crate::caret::ExpressionError;

/// The error [`Expression::parse`](super::Expression::parse) returns: another name of
/// [`Error`].
pub type ParseError = Error;

/// The error [`Expression::evaluate`](super::Expression::evaluate) returns: another name of
/// [`Error`].
pub type EvalError = Error;

/// A failure inside the evaluator before the expression text is attached.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
}

impl Fault {
    pub(crate) fn new(span: &Range<usize>, message: impl Into<String>) -> Fault {
        Fault {
            span: span.clone(),
            message: message.into(),
        }
    }

    /// The error this fault is in the expression `source`.
    pub(crate) fn in_expression(self, source: &str) -> Error {
        Error::new(source, self.span, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::entra::Expression;

    /// A parse error and an evaluation error are one type, kept in one list and drawn alike.
    #[test]
    fn parsing_and_evaluating_fail_with_one_type() {
        let parse: Error = Expression::parse("Left(").expect_err("a parse error");
        let expr = Expression::parse("Not(\"maybe\")").expect("parses");
        let evaluate: Error = expr
            .evaluate(&[("a", "b")])
            .expect_err("an evaluation error");
        let errors = [parse, evaluate];
        let drawn: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            drawn,
            [
                "expected an attribute in [brackets], a string in \"quotes\", a number or a function call, found the end of the expression\n  Left(\n       ^",
                "Not expects True or False, found \"maybe\"\n  Not(\"maybe\")\n      ^^^^^^^",
            ]
        );
    }
}
