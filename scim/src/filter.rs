//! The `userName eq "…"` filter: how it is written.

/// The filter that finds a user by `userName`, quoted and escaped as RFC 7644 §3.4.2.2 says
/// (a JSON string).
///
/// ```
/// use usernorm_scim::filter_for_user_name;
///
/// assert_eq!(filter_for_user_name("jdoe"), r#"userName eq "jdoe""#);
/// assert_eq!(filter_for_user_name(r#"a"b\c"#), r#"userName eq "a\"b\\c""#);
/// ```
pub fn filter_for_user_name(name: &str) -> String {
    let quoted = serde_json::Value::String(name.to_owned()).to_string();
    format!("userName eq {quoted}")
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query(r#"userName eq "a b""#),
            "userName%20eq%20%22a%20b%22"
        );
    }
}
