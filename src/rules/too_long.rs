use super::{Code, Findings, Subject};
use crate::text::push_decimal;

declare_rule! {
    /// `too-long`: the name has more characters than the policy's maximum.
    ///
    /// ## What it checks
    /// The number of characters (Unicode scalar values) is above the maximum length: 42 under
    /// the `huggingface` policy, 39 under `github`, and 39 less the `_SHORTCODE` suffix under
    /// `github-emu`. The span covers the characters past the maximum.
    ///
    /// ## Why
    /// The service refuses longer names, so provisioning fails for that person.
    ///
    /// ## Example
    /// ```text
    /// maximilian-alexander-von-und-zu-liechtenstein   too-long: 45 characters; the maximum is 42
    /// ```
    ///
    /// ## Fix
    /// Shorten the name, ideally at a word boundary (`maximilian-von-liechtenstein`).
    /// `usernorm normalize` shortens at the last `-` that keeps the name long enough.
    pub struct TooLong;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    let max = s.policy.max_length();
    if s.chars > max {
        let start = s
            .name
            .char_indices()
            .nth(max)
            .map_or(s.name.len(), |(i, _)| i);
        let extra = s.chars - max;
        out.add(Code::TooLong, start..s.name.len(), || {
            // Pushed piece by piece: one allocation for the message and its numbers.
            let mut message = String::with_capacity(80);
            message.push_str("the name has ");
            push_decimal(&mut message, s.chars);
            message.push_str(" characters; the maximum is ");
            push_decimal(&mut message, max);
            message.push_str(": remove ");
            push_decimal(&mut message, extra);
            message.push_str(if extra == 1 {
                " character"
            } else {
                " characters"
            });
            message
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn span_covers_the_excess() {
        let p = Policy::huggingface();
        let name = "a".repeat(45);
        let r = p.validate(&name);
        let v = &r.violations[0];
        assert_eq!(v.code, Code::TooLong);
        assert_eq!(v.span, 42..45);
        assert!(!p.validate(&"a".repeat(42)).has(Code::TooLong));
    }

    #[test]
    fn span_is_on_character_boundaries() {
        let p = Policy::huggingface();
        let name = "é".repeat(43);
        let r = p.validate(&name);
        let v = r
            .violations
            .iter()
            .find(|v| v.code == Code::TooLong)
            .expect("too-long");
        assert_eq!(v.span, 84..86);
    }
}
