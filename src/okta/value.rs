//! Okta Expression Language values: null, strings, integers, numbers, booleans and arrays, with
//! the text Java gives each of them when it is concatenated to a string.

use std::fmt;

/// A value in an Okta expression.
///
/// A profile attribute that was never set is `Null`; one that was set and then cleared is an
/// empty string (Okta's docs tell the two apart). Integers are Java `int`s (32 bits, wrapping on
/// overflow as in Java), numbers Java `double`s.
///
/// `Display` gives the text Java would (`String.valueOf`): `null`, `true`, `123`, `3.141`,
/// `1.0E10`, and an array as `[a, b]`.
///
/// ```
/// use usernorm::okta::Value;
///
/// assert_eq!(Value::from("Ann").to_string(), "Ann");
/// assert_eq!(Value::Number(1234.0).to_string(), "1234.0");
/// assert_eq!(Value::Number(1e10).to_string(), "1.0E10");
/// assert_eq!(Value::Array(vec![Value::Int(1), Value::from("b")]).to_string(), "[1, b]");
/// assert!(Value::Null.is_null() && Value::from("").is_null_or_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value: an attribute never set, or the `null` literal.
    Null,
    /// A string.
    String(String),
    /// A Java `int`.
    Int(i32),
    /// A Java `double`.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// An array (a multi-valued attribute, an array literal `{1, 2}`, the result of `Arrays.*`).
    Array(Vec<Value>),
}

impl Value {
    /// Whether this is [`Value::Null`].
    ///
    /// ```
    /// assert!(usernorm::okta::Value::Null.is_null());
    /// ```
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is null or the empty string: what the Elvis operator `?:` replaces.
    ///
    /// ```
    /// use usernorm::okta::Value;
    /// assert!(Value::from("").is_null_or_empty());
    /// assert!(!Value::Array(vec![]).is_null_or_empty());
    /// ```
    pub fn is_null_or_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        }
    }

    /// The name of the value's type, as messages and the CLI's JSON output give it: `null`,
    /// `string`, `integer`, `number`, `boolean` or `array`.
    ///
    /// ```
    /// assert_eq!(usernorm::okta::Value::Int(4).type_name(), "integer");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::String(_) => "string",
            Value::Int(_) => "integer",
            Value::Number(_) => "number",
            Value::Bool(_) => "boolean",
            Value::Array(_) => "array",
        }
    }

    /// The value as an expression would write it, for messages: strings quoted, arrays in
    /// braces.
    ///
    /// ```
    /// use usernorm::okta::Value;
    /// assert_eq!(Value::from("a\"b").quoted(), r#""a\"b""#);
    /// assert_eq!(Value::Array(vec![Value::Int(1), Value::Null]).quoted(), "{1, null}");
    /// ```
    pub fn quoted(&self) -> String {
        match self {
            Value::String(s) => format!("{s:?}"),
            Value::Array(items) => {
                let inner: Vec<String> = items.iter().map(Value::quoted).collect();
                format!("{{{}}}", inner.join(", "))
            }
            other => other.to_string(),
        }
    }

    /// The number of bytes the value holds, for the evaluation limits.
    pub(crate) fn weight(&self) -> usize {
        match self {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().fold(items.len().saturating_mul(8), |n, v| {
                n.saturating_add(v.weight())
            }),
            _ => 8,
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

impl From<i32> for Value {
    fn from(n: i32) -> Value {
        Value::Int(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::String(s) => f.write_str(s),
            Value::Int(n) => write!(f, "{n}"),
            Value::Number(x) => f.write_str(&java_double(*x)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Java's `Double.toString`: plain notation with at least one decimal between 10^-3 and 10^7,
/// computerized scientific notation (`1.0E10`) outside, with the shortest digits that read back
/// as the same double.
fn java_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let magnitude = x.abs();
    if (1e-3..1e7).contains(&magnitude) {
        let text = format!("{x}");
        if text.contains('.') {
            text
        } else {
            text + ".0"
        }
    } else {
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        if mantissa.contains('.') {
            format!("{mantissa}E{exponent}")
        } else {
            format!("{mantissa}.0E{exponent}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::java_double;

    #[test]
    fn doubles_print_as_java_prints_them() {
        let cases = [
            (2.5, "2.5"),
            (124.0, "124.0"),
            (-0.5, "-0.5"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1e7, "1.0E7"),
            (1.25e-7, "1.25E-7"),
            (9_999_999.0, "9999999.0"),
        ];
        for (x, text) in cases {
            assert_eq!(java_double(x), text, "{x}");
        }
    }
}
