//! Entra's value model: null, strings, booleans, numbers, date-times and multi-valued attributes.

use std::borrow::Cow;
use std::fmt;

/// A value in an Entra expression.
///
/// Entra keeps an absent attribute (`Null`) apart from an empty string: `IsNull` is true only
/// for the first, `Coalesce` skips only the first, and an expression that yields `Null` sends no
/// value at all to the target.
///
/// ```
/// use usernorm::entra::Value;
///
/// assert!(Value::Null.is_null());
/// assert!(!Value::from("").is_null());
/// assert!(Value::from("").is_null_or_empty());
/// assert_eq!(Value::Bool(true).to_string(), "True");
/// assert_eq!(Value::Multi(vec!["a".into(), "b".into()]).to_string(), r#"["a", "b"]"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// No value: an absent attribute, or a function that produced nothing.
    Null,
    /// A string.
    String(String),
    /// A boolean, as the condition functions return it; its text is `True` or `False`.
    Bool(bool),
    /// A whole number: a numeric literal, `Count`, `InStr`, `DateDiff`, `NumFromDate`.
    Number(i64),
    /// A UTC date and time in .NET ticks (100 ns since 0001-01-01), as `CDate` returns it; its
    /// text is Entra's `M/d/yyyy h:mm:ss tt`.
    DateTime(i64),
    /// A multi-valued attribute, or the result of `Split`.
    Multi(Vec<String>),
}

impl Value {
    /// Whether this is [`Value::Null`].
    ///
    /// ```
    /// assert!(usernorm::entra::Value::Null.is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is null, an empty string, or a multi-valued attribute without values.
    ///
    /// ```
    /// use usernorm::entra::Value;
    /// assert!(Value::Multi(vec![]).is_null_or_empty());
    /// assert!(!Value::from("x").is_null_or_empty());
    /// ```
    pub fn is_null_or_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Multi(items) => items.is_empty(),
            Value::Bool(_) | Value::Number(_) | Value::DateTime(_) => false,
        }
    }

    /// The value as a single string, the way Entra writes it to a string attribute; `None` for
    /// null and for a multi-valued attribute.
    ///
    /// ```
    /// use usernorm::entra::Value;
    /// assert_eq!(Value::Number(7).as_text().as_deref(), Some("7"));
    /// assert_eq!(Value::Null.as_text(), None);
    /// ```
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Value::Null | Value::Multi(_) => None,
            Value::String(s) => Some(Cow::Borrowed(s)),
            Value::Bool(true) => Some(Cow::Borrowed("True")),
            Value::Bool(false) => Some(Cow::Borrowed("False")),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            Value::DateTime(ticks) => Some(Cow::Owned(super::calendar::format_entra(*ticks))),
        }
    }

    /// A short name of the value's kind, for messages: `null`, `string`, `boolean`, `number`,
    /// `date-time` or `multi-valued`.
    ///
    /// ```
    /// assert_eq!(usernorm::entra::Value::Null.kind(), "null");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::DateTime(_) => "date-time",
            Value::Multi(_) => "multi-valued",
        }
    }

    /// The approximate size in bytes, used to bound evaluation.
    pub(crate) fn size(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Multi(items) => items.iter().map(|s| s.len() + 1).sum(),
            _ => 8,
        }
    }
}

impl fmt::Display for Value {
    /// Null prints as nothing; a multi-valued attribute as a bracketed list of quoted values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Multi(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item:?}")?;
                }
                f.write_str("]")
            }
            other => f.write_str(other.as_text().as_deref().unwrap_or("")),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Value {
        Value::Multi(items)
    }
}
