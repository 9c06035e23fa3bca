use super::{Code, Findings, Subject};

declare_rule! {
    /// `leading-dash`: the name starts with `-`.
    ///
    /// ## What it checks
    /// The first character is `-`. The span is that character.
    ///
    /// ## Why
    /// The service forbids it; such names also read like command-line options.
    ///
    /// ## Example
    /// ```text
    /// -jdoe   leading-dash at 0..1
    /// ```
    ///
    /// ## Fix
    /// Remove the leading `-`: `jdoe`.
    pub struct LeadingDash;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    if s.name.starts_with('-') {
        out.add(Code::LeadingDash, 0..1, || {
            "the name cannot start with `-`; remove it".to_owned()
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn fires_only_at_the_start() {
        assert!(Policy::huggingface().validate("-jd").has(Code::LeadingDash));
        assert!(!Policy::huggingface().validate("j-d").has(Code::LeadingDash));
    }
}
