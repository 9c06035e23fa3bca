//! Parse and evaluation errors, drawn with a caret under the fault.

use std::fmt;
use std::ops::Range;

use crate::caret::draw;

/// An expression that could not be parsed, or that parsed but could not be evaluated on a row
/// (an unsupported function, a value of the wrong kind, a regular expression the engine cannot
/// honour): the expression, where, and what went wrong.
///
/// [`Expression::parse`](super::Expression::parse) and
/// [`Expression::evaluate`](super::Expression::evaluate) both fail with it; which one failed
/// is known from the call. Its `Display` draws the expression with `^^^` under the fault:
///
/// ```
/// use usernorm::entra::Expression;
///
/// let err = Expression::parse(r#"Replace([mailNickname] ".")"#).unwrap_err();
/// assert_eq!(err.span(), 23..26);
/// assert_eq!(err.to_string(), concat!(
///     "expected `,` or `)` after an argument of Replace, found a string\n",
///     "  Replace([mailNickname] \".\")\n",
///     "                         ^^^",
/// ));
///
/// let expr = Expression::parse(r#"Item([proxyAddresses], "x")"#)?;
/// let err = expr.evaluate(&[("proxyAddresses", "smtp:a@b.c")]).unwrap_err();
/// assert_eq!(err.span(), 23..26);
/// assert!(err.to_string().contains("\n                         ^^^"));
/// # Ok::<(), usernorm::entra::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    source: String,
    span: Range<usize>,
    message: String,
}

/// The error [`Expression::parse`](super::Expression::parse) returns: another name of
/// [`Error`].
pub type ParseError = Error;

/// The error [`Expression::evaluate`](super::Expression::evaluate) returns: another name of
/// [`Error`].
pub type EvalError = Error;

impl Error {
    pub(crate) fn new(source: &str, span: Range<usize>, message: impl Into<String>) -> Error {
        Error {
            source: source.to_owned(),
            span,
            message: message.into(),
        }
    }

    /// The byte span of the fault in the expression: where parsing stopped, or the call or
    /// argument whose evaluation failed.
    ///
    /// ```
    /// use usernorm::entra::Expression;
    ///
    /// assert_eq!(Expression::parse("Left(").unwrap_err().span(), 5..5);
    /// let expr = Expression::parse("Not(\"maybe\")")?;
    /// assert_eq!(expr.evaluate(&[("a", "b")]).unwrap_err().span(), 4..11);
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// What went wrong (and, for a syntax error, what was expected), without the diagram.
    ///
    /// ```
    /// use usernorm::entra::Expression;
    ///
    /// let err = Expression::parse("toLower([x])").unwrap_err();
    /// assert!(err.message().contains("did you mean `ToLower`"));
    /// let expr = Expression::parse("Not(\"maybe\")")?;
    /// assert!(expr.evaluate(&[("a", "b")]).unwrap_err().message().contains("True or False"));
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The expression that failed, as it was written.
    ///
    /// ```
    /// use usernorm::entra::Expression;
    ///
    /// assert_eq!(Expression::parse("[x").unwrap_err().expression(), "[x");
    /// let expr = Expression::parse("Not(\"maybe\")")?;
    /// assert_eq!(expr.evaluate(&[("a", "b")]).unwrap_err().expression(), "Not(\"maybe\")");
    /// # Ok::<(), usernorm::entra::Error>(())
    /// ```
    pub fn expression(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        draw(f, &self.source, &self.span)
    }
}

impl std::error::Error for Error {}

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
        Error {
            source: source.to_owned(),
            span: self.span,
            message: self.message,
        }
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
