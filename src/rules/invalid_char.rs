use std::ops::Range;

use super::{Code, Findings, Subject, push_quoted};

declare_rule! {
    /// `invalid-char`: the name contains characters outside the allowed set.
    ///
    /// ## What it checks
    /// Every character must be an ASCII letter (`A-Z`, `a-z`), an ASCII digit or `-`, plus any
    /// extra characters a custom policy allows. Each maximal run of other characters is one
    /// violation, spanning the run.
    ///
    /// ## Why
    /// The service accepts only these characters. Directory aliases often carry `_`, `.`,
    /// accents (`José`), spaces or apostrophes (`o'brien`), which Entra's default mapping passes
    /// through unchanged, so provisioning fails for that person.
    ///
    /// ## Example
    /// ```text
    /// john_doe   invalid-char at 4..5: `_` is not allowed
    /// josé       invalid-char at 3..5: `é` is not allowed
    /// ```
    ///
    /// ## Fix
    /// Replace separators (`_`, `.`, space, `'`) by `-` and accented letters by their base
    /// letter: `john-doe`, `jose`. `usernorm normalize` does both, and transliterates other
    /// scripts.
    pub struct InvalidChar;
}

pub(super) fn check(s: &Subject<'_>, out: &mut impl Findings) {
    let policy = s.policy;
    let bytes = s.name.as_bytes();
    // Fast path: a name of allowed ASCII bytes has nothing to report.
    if bytes.iter().all(|&b| policy.allows_byte(b)) {
        return;
    }
    let mut run: Option<usize> = None;
    for (i, c) in s.name.char_indices() {
        match (policy.allows_char(c), run) {
            (false, None) => run = Some(i),
            (true, Some(start)) => {
                add(s, start..i, out);
                run = None;
            }
            _ => {}
        }
    }
    if let Some(start) = run {
        add(s, start..s.name.len(), out);
    }
}

fn add(s: &Subject<'_>, span: Range<usize>, out: &mut impl Findings) {
    let text = &s.name[span.clone()];
    out.add(Code::InvalidChar, span, || {
        // One allocation: every invalid name the browser checks as it is typed builds this.
        let many = text.chars().nth(1).is_some();
        let mut message = String::with_capacity(text.len() + 128);
        push_quoted(&mut message, text);
        message.push_str(if many { " are" } else { " is" });
        message.push_str(" not allowed; use only ");
        s.policy.push_allowed_description(&mut message);
        message.push_str(fix_hint(text));
        message
    });
}

/// A hint for the most common offenders.
fn fix_hint(text: &str) -> &'static str {
    if text
        .chars()
        .all(|c| matches!(c, '_' | '.' | ' ' | '\'' | '+' | ','))
    {
        " (replace separators by `-`)"
    } else if text.chars().any(|c| c.is_alphabetic()) {
        " (spell it with ASCII letters, as normalizing does)"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use crate::{Code, Policy};

    fn spans(name: &str) -> Vec<(usize, usize)> {
        Policy::huggingface()
            .validate(name)
            .violations
            .into_iter()
            .filter(|v| v.code == Code::InvalidChar)
            .map(|v| (v.span.start, v.span.end))
            .collect()
    }

    #[test]
    fn one_violation_per_maximal_run() {
        assert_eq!(spans("john_doe"), [(4, 5)]);
        assert_eq!(spans("a__b.c"), [(1, 3), (4, 5)]);
        assert_eq!(spans("josé"), [(3, 5)]);
        assert_eq!(spans("_x_"), [(0, 1), (2, 3)]);
        assert_eq!(spans("jd"), []);
    }

    #[test]
    fn message_names_the_characters_and_the_fix() {
        let r = Policy::huggingface().validate("john_doe");
        assert!(r.violations[0].message.contains("`_` is not allowed"));
        assert!(r.violations[0].message.contains("`-`"));
    }
}
