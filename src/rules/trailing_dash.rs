use super::{Code, Findings, Subject};

declare_rule! {
    /// `trailing-dash`: the name ends with `-`.
    ///
    /// ## What it checks
    /// The last character is `-`. The span is that character.
    ///
    /// ## Why
    /// The service forbids it. It often comes from a mapping that drops a trailing part, such as
    /// a suffix after `.` or `_`.
    ///
    /// ## Example
    /// ```text
    /// jdoe-   trailing-dash at 4..5
    /// ```
    ///
    /// ## Fix
    /// Remove the trailing `-`: `jdoe`.
    pub struct TrailingDash;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    if s.name.ends_with('-') {
        let end = s.name.len();
        out.add(Code::TrailingDash, end - 1..end, || {
            "the name cannot end with `-`; remove it".to_owned()
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn fires_only_at_the_end() {
        let r = Policy::huggingface().validate("jd-");
        assert!(r.has(Code::TrailingDash));
        assert_eq!(r.violations[0].span, 2..3);
        assert!(
            !Policy::huggingface()
                .validate("j-d")
                .has(Code::TrailingDash)
        );
        // A lone dash both starts and ends the name.
        let r = Policy::huggingface().validate("-");
        assert!(r.has(Code::LeadingDash) && r.has(Code::TrailingDash));
    }
}
