//! Expression errors and the diagram under them: the line of the expression that holds the
//! fault, then `^^^` under it. Shared by the Entra and Okta expression engines.

use std::fmt;
use std::ops::Range;

/// An expression that could not be parsed, or that parsed but could not be evaluated, by
/// either engine ([`entra`](crate::entra) or [`okta`](crate::okta)): the expression, where,
/// and what went wrong. Its `Display` draws the expression with `^^^` under the fault.
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
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressionError {
    source: String,
    span: Range<usize>,
    message: String,
}

impl ExpressionError {
    pub(crate) fn new(
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> ExpressionError {
        ExpressionError {
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
    /// assert_eq!(usernorm::okta::Expression::parse("user.login +").unwrap_err().span(), 12..12);
    /// # Ok::<(), usernorm::ExpressionError>(())
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
    /// # Ok::<(), usernorm::ExpressionError>(())
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
    /// # Ok::<(), usernorm::ExpressionError>(())
    /// ```
    pub fn expression(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for ExpressionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        draw(f, &self.source, &self.span)
    }
}

impl std::error::Error for ExpressionError {}

/// How many characters of context a diagram shows on either side of the fault.
const CONTEXT: usize = 48;

/// Writes the line of `source` holding `span.start`, then carets under the span (on that line).
/// Long lines are cut to a window around the fault; a multi-line expression says which line.
pub(crate) fn draw(f: &mut fmt::Formatter<'_>, source: &str, span: &Range<usize>) -> fmt::Result {
    let start = floor_boundary(source, span.start.min(source.len()));
    let end = floor_boundary(source, span.end.clamp(start, source.len()));
    let line_start = source
        .get(..start)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line_end = source
        .get(start..)
        .and_then(|s| s.find('\n'))
        .map_or(source.len(), |i| start + i);
    let multi_line = source.contains('\n');
    if multi_line {
        let line_no = source.get(..start).map_or(0, |s| s.matches('\n').count()) + 1;
        let column = source
            .get(line_start..start)
            .map_or(0, |s| s.chars().count())
            + 1;
        write!(f, " (line {line_no}, column {column})")?;
    }
    let before: Vec<char> = source
        .get(line_start..start)
        .unwrap_or("")
        .chars()
        .collect();
    let inside: Vec<char> = source
        .get(start..end.min(line_end))
        .unwrap_or("")
        .chars()
        .collect();
    let skip = before.len().saturating_sub(CONTEXT);
    let shown_before = &before[skip..];
    let shown_inside = &inside[..inside.len().min(CONTEXT)];
    let after_start = start + inside.iter().map(|c| c.len_utf8()).sum::<usize>();
    let after: Vec<char> = source
        .get(after_start..line_end)
        .unwrap_or("")
        .chars()
        .collect();
    let shown_after = &after[..after.len().min(CONTEXT)];
    let clean = |c: &char| if c.is_control() { ' ' } else { *c };
    let mut text = String::new();
    let mut pad = 0;
    if skip > 0 {
        text.push_str("...");
        pad += 3;
    }
    text.extend(shown_before.iter().map(clean));
    pad += shown_before.len();
    text.extend(shown_inside.iter().map(clean));
    text.extend(shown_after.iter().map(clean));
    if after.len() > shown_after.len() || inside.len() > shown_inside.len() {
        text.push_str("...");
    }
    let carets = shown_inside.len().max(1);
    write!(
        f,
        "\n  {}\n  {}{}",
        text.trim_end(),
        " ".repeat(pad),
        "^".repeat(carets)
    )
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
