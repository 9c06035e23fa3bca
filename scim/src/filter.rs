//! The `userName eq "…"` filter: how it is written, and which names it may carry.

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

/// The longest name, in bytes, that [`ScimRegistry`](crate::ScimRegistry) asks about with a
/// filter; a longer one is answered from the listing of every user.
pub const MAX_FILTER_NAME_BYTES: usize = 256;

/// Whether a filter lookup can be trusted to carry the name to the server as it is: 1 to
/// [`MAX_FILTER_NAME_BYTES`] bytes of ASCII letters, digits and `-` `.` `_` `@` `+`.
///
/// RFC 7644's filter grammar can quote anything as a JSON string, but servers differ on the
/// rest: one answers `400` to an escaped `"`, another unescapes `\` differently than it
/// stores it, and non-ASCII letters are compared under case rules usernorm does not share.
/// [`ScimRegistry`](crate::ScimRegistry) answers every other name from the listing of every
/// user, compared locally by the policy's canonical key.
///
/// ```
/// use usernorm_scim::filter_can_carry;
///
/// assert!(filter_can_carry("j.doe-2@contoso.com"));
/// for risky in ["", "a\"b", r"a\b", "a b", "José", "tab\there", "a)or(b"] {
///     assert!(!filter_can_carry(risky), "{risky}");
/// }
/// ```
pub fn filter_can_carry(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FILTER_NAME_BYTES
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'@' | b'+'))
}

/// The name with the case of each ASCII letter turned (`JDoe` → `jdOE`), to probe whether a
/// server's filter ignores case.
pub(crate) fn swap_ascii_case(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_uppercase() {
                c.to_ascii_lowercase()
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
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

    #[test]
    fn case_is_swapped_for_ascii_letters_only() {
        assert_eq!(swap_ascii_case("JDoe-2é"), "jdOE-2é");
        assert!(!filter_can_carry(&"a".repeat(MAX_FILTER_NAME_BYTES + 1)));
        assert!(filter_can_carry(&"a".repeat(MAX_FILTER_NAME_BYTES)));
    }
}
