//! Parse and evaluation errors, drawn with a caret under the fault.

use std::ops::Range;

/// An expression that could not be parsed, or could not be evaluated: the expression, where,
/// and what went wrong; one type for both engines, [`ExpressionError`](crate::ExpressionError).
/// Its `Display` draws the expression with `^^^` under the fault.
///
/// ```
/// use usernorm::okta::Expression;
///
/// let err = Expression::parse("String.toLowerCase(user.login").unwrap_err();
/// assert_eq!(err.span(), 29..29);
/// assert_eq!(err.to_string(), concat!(
///     "expected `,` or `)` after an argument of String.toLowerCase, found the end of the expression\n",
///     "  String.toLowerCase(user.login\n",
///     "                               ^",
/// ));
/// ```
pub type Error = crate::caret::ExpressionError;

/// A failure before the expression text is attached. `unsupported` marks what usernorm cannot
/// compute faithfully (as opposed to what fails in Okta too).
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) unsupported: bool,
}

impl Fault {
    pub(crate) fn new(span: &Range<usize>, message: impl Into<String>) -> Fault {
        Fault {
            span: span.clone(),
            message: message.into(),
            unsupported: false,
        }
    }

    /// A fault usernorm cannot evaluate faithfully (a Java regular expression construct the
    /// `regex` crate does not honour, a limit of usernorm's).
    pub(crate) fn unsupported(span: &Range<usize>, message: impl Into<String>) -> Fault {
        Fault {
            unsupported: true,
            ..Fault::new(span, message)
        }
    }

    pub(crate) fn in_expression(self, source: &str) -> Error {
        Error::new(source, self.span, self.message)
    }
}
