use super::{Code, Findings, Subject};
use crate::text::push_decimal;

declare_rule! {
    /// `too-short`: the name has fewer characters than the policy's minimum.
    ///
    /// ## What it checks
    /// The number of characters (Unicode scalar values) is below the minimum length: 2 under the
    /// `huggingface` policy, 1 under `github`. The empty name always fails it.
    ///
    /// ## Why
    /// Very short names are hard to tell apart and are rejected by the service at provisioning
    /// time, so the user is never created.
    ///
    /// ## Example
    /// ```text
    /// j      too-short: 1 character; use at least 2
    /// jd     ok
    /// ```
    ///
    /// ## Fix
    /// Use a longer name, for example the given name and the family name joined by `-`.
    /// `usernorm normalize` pads names that are too short.
    pub struct TooShort;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    let min = s.policy.min_length();
    if s.chars < min {
        out.add(Code::TooShort, 0..s.name.len(), || {
            // Pushed piece by piece: one allocation for the message and its numbers.
            let mut message = String::with_capacity(64);
            if s.chars == 0 {
                message.push_str("the name is empty; use at least ");
                push_decimal(&mut message, min);
                message.push_str(" characters");
            } else {
                message.push_str("the name has ");
                push_decimal(&mut message, s.chars);
                message.push_str(if s.chars == 1 {
                    " character"
                } else {
                    " characters"
                });
                message.push_str("; use at least ");
                push_decimal(&mut message, min);
            }
            message
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn fires_below_the_minimum_and_on_empty() {
        let p = Policy::huggingface();
        for name in ["", "j", "é"] {
            let r = p.validate(name);
            assert!(r.has(Code::TooShort), "{name:?}");
            assert_eq!(r.violations[0].span, 0..name.len());
        }
        assert!(!p.validate("jd").has(Code::TooShort));
    }

    #[test]
    fn counts_characters_not_bytes() {
        // Two characters, four bytes: not too short, though invalid.
        assert!(!Policy::huggingface().validate("éé").has(Code::TooShort));
    }
}
