use super::{Code, Findings, Subject};
use crate::text::concat;

declare_rule! {
    /// `digits-only`: the name consists of ASCII digits alone.
    ///
    /// ## What it checks
    /// The name is not empty and every character is `0`-`9`. The `github` policy allows such
    /// names; `huggingface` does not.
    ///
    /// ## Why
    /// A numeric name looks like an ID and is rejected by the service. Directories produce them
    /// from employee-number aliases (`mailNickname` = `104233`).
    ///
    /// ## Example
    /// ```text
    /// 104233   digits-only
    /// ```
    ///
    /// ## Fix
    /// Add a letter, or use the person's name: `jdoe`, or `u-104233`. `usernorm normalize`
    /// prefixes `u-`.
    pub struct DigitsOnly;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    if !s.policy.allows_digits_only()
        && !s.name.is_empty()
        && s.name.bytes().all(|b| b.is_ascii_digit())
    {
        out.add(Code::DigitsOnly, 0..s.name.len(), || {
            concat(&[
                "the name cannot be only digits; add a letter, for example `u-",
                s.name,
                "`",
            ])
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn fires_on_digits_alone() {
        let p = Policy::huggingface();
        assert!(p.validate("104233").has(Code::DigitsOnly));
        assert!(!p.validate("u-104233").has(Code::DigitsOnly));
        assert!(!p.validate("").has(Code::DigitsOnly));
        // Non-ASCII digits are invalid characters, not this rule.
        assert!(!p.validate("١٢").has(Code::DigitsOnly));
    }

    #[test]
    fn github_allows_numeric_names() {
        assert!(Policy::github().validate("104233").is_valid());
    }
}
