//! Parse and evaluation errors, drawn with a caret under the fault.

use std::fmt;
use std::ops::Range;

use crate::caret::draw;

/// An expression that could not be parsed, or could not be evaluated: the expression, where,
/// and what went wrong. Its `Display` draws the expression with `^^^` under the fault.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    source: String,
    span: Range<usize>,
    message: String,
}

impl Error {
    /// The byte span of the fault in the expression.
    ///
    /// ```
    /// let err = usernorm::okta::Expression::parse("user.login +").unwrap_err();
    /// assert_eq!(err.span(), 12..12);
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    /// What went wrong, without the diagram.
    ///
    /// ```
    /// let err = usernorm::okta::Expression::parse("String.lower(user.login)").unwrap_err();
    /// assert!(err.message().contains("String.lower"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The expression, as it was written.
    ///
    /// ```
    /// let err = usernorm::okta::Expression::parse("(").unwrap_err();
    /// assert_eq!(err.expression(), "(");
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
        Error {
            source: source.to_owned(),
            span: self.span,
            message: self.message,
        }
    }
}
