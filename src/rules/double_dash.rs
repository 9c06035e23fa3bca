use super::{Code, Findings, Subject};
use crate::text::concat;

declare_rule! {
    /// `double-dash`: the name contains a run of two or more `-`.
    ///
    /// ## What it checks
    /// Each run of two or more consecutive `-` is one violation, spanning the run.
    ///
    /// ## Why
    /// The service forbids `--`. Entra's recommended mapping deletes `.` from `mailNickname`, so
    /// an alias like `anne-.marie` or `jean--luc` arrives with a double dash.
    ///
    /// ## Example
    /// ```text
    /// jean--luc   double-dash at 4..6
    /// ```
    ///
    /// ## Fix
    /// Use a single `-`: `jean-luc`.
    pub struct DoubleDash;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    let bytes = s.name.as_bytes();
    let mut i = 0;
    while let Some(offset) = bytes[i..].windows(2).position(|w| w == b"--") {
        let start = i + offset;
        let end = start + bytes[start..].iter().take_while(|&&b| b == b'-').count();
        out.add(Code::DoubleDash, start..end, || {
            concat(&[
                "`",
                &s.name[start..end],
                "` is not allowed; use a single `-`",
            ])
        });
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    #[test]
    fn one_violation_per_run() {
        let r = Policy::huggingface().validate("a--b---c");
        let spans: Vec<_> = r
            .violations
            .iter()
            .filter(|v| v.code == Code::DoubleDash)
            .map(|v| (v.span.start, v.span.end))
            .collect();
        assert_eq!(spans, [(1, 3), (4, 7)]);
        assert!(
            !Policy::huggingface()
                .validate("a-b-c")
                .has(Code::DoubleDash)
        );
    }
}
