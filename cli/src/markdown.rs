//! `--summary-md`: the audit's summary as GitHub-flavoured Markdown, for
//! `$GITHUB_STEP_SUMMARY` or a merge-request comment.
//!
//! Values from the input (ids, names, fixes, paths) go into code spans whose backtick fence is
//! longer than any run of backticks in the value, so nothing in them is Markdown or HTML; a
//! `|` is written `\|` (GFM splits cells at a bare `|` even inside code spans) and control
//! characters are shown as text output shows them (`\n`, `<U+001B>`), so a value never ends
//! its row. Prose (messages) escapes Markdown's punctuation, `<` and `&` instead, and a line
//! break becomes `<br>`.

use std::fmt::Write as _;

use usernorm::Report;
use usernorm::audit::{Action, PlanSummary, Record, Status, Summary};

use crate::render;

/// Failing rows the summary lists.
pub(crate) const MAX_ROWS: usize = 50;

/// `text` as a table cell holding a code span (empty text, an empty cell).
pub(crate) fn code(text: &str) -> String {
    span(text, true)
}

/// `text` as a code span; in a table cell, with each `|` escaped. GFM reads `\\|` as an
/// escaped backslash and a bare `|` that ends the cell, so a backslash just before a `|` is
/// shown as `<U+005C>`.
fn span(text: &str, table: bool) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut shown = render::escape(text).into_owned();
    if table {
        shown = shown.replace("\\|", "<U+005C>|").replace('|', "\\|");
    }
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A space inside the fence keeps a leading or trailing backtick out of it (CommonMark
    // strips one space from each side).
    let pad = if shown.starts_with('`') || shown.ends_with('`') || shown.starts_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{shown}{pad}{fence}")
}

/// `text` as plain text in a table cell or a paragraph: Markdown punctuation escaped with a
/// backslash, `<` and `&` as entities, line breaks as `<br>`.
pub(crate) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '|' | '*' | '_' | '[' | ']' | '~' | '#' | '!' | '>' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&render::escape(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

/// The summary: counts by status and by rule, the mapping's warning and note, the plan (rows
/// by action, its warnings, conflicts, members not in the export), and the first [`MAX_ROWS`]
/// failing rows with their fixes.
pub(crate) fn summary(summary: &Summary, failing: &[Record], input: &str) -> String {
    let mut md = String::with_capacity(2048 + failing.len().min(MAX_ROWS) * 200);
    let _ = writeln!(md, "## usernorm audit of {}\n", span(input, false));
    let verdict = if summary.statuses.error > 0 {
        "rows could not be read or mapped"
    } else if summary.all_ok() {
        "every row would provision"
    } else {
        "some rows would not provision"
    };
    let _ = writeln!(
        md,
        "{} row{}: {verdict}. Mapping: {}\n",
        summary.rows,
        if summary.rows == 1 { "" } else { "s" },
        span(&summary.mapping, false)
    );
    if let Some(warning) = &summary.mapping_warning {
        let _ = writeln!(md, "> **Warning:** {}\n", text(warning));
    }
    if let Some(note) = &summary.mapping_note {
        let _ = writeln!(md, "> **Note:** {}\n", text(note));
    }
    md.push_str("| status | rows |\n|---|---:|\n");
    for status in Status::ALL {
        let _ = writeln!(md, "| {status} | {} |", summary.statuses.get(status));
    }
    md.push('\n');
    if !summary.codes.is_empty() {
        md.push_str("| rule | rows |\n|---|---:|\n");
        for c in &summary.codes {
            let _ = writeln!(md, "| {} | {} |", c.code, c.rows);
        }
        md.push('\n');
    }
    let mut extras = Vec::new();
    if summary.collisions.names > 0 {
        extras.push(format!(
            "{} colliding name(s) shared by {} rows",
            summary.collisions.names, summary.collisions.rows
        ));
    }
    if summary.lookalikes > 0 {
        extras.push(format!("{} lookalike warning(s)", summary.lookalikes));
    }
    if summary.unfixable > 0 {
        extras.push(format!("{} row(s) with no possible fix", summary.unfixable));
    }
    if !extras.is_empty() {
        let _ = writeln!(md, "{}.\n", extras.join("; "));
    }
    plan(&mut md, &summary.plan);
    // Skipped rows are left alone on purpose: they are not rows that would not provision.
    let failing_total = summary.failing();
    if failing_total == 0 {
        return md;
    }
    let shown = failing.len().min(MAX_ROWS);
    let _ = write!(md, "### Rows that would not provision");
    if failing_total > shown as u64 {
        let _ = write!(md, " (the first {shown} of {failing_total})");
    }
    md.push_str("\n\n| row | line | id | username | status | codes | message | fix |\n");
    md.push_str("|---:|---:|---|---|---|---|---|---|\n");
    for r in &failing[..shown] {
        let codes: Vec<&str> = r.codes.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.row,
            r.line,
            code(&r.id),
            code(&r.username),
            r.status,
            codes.join(", "),
            text(&r.message),
            code(r.suggestion.as_deref().unwrap_or(""))
        );
    }
    if failing_total > shown as u64 {
        md.push_str("\nThe report (`--out`) lists every row.\n");
    }
    md
}

/// The provisioning plan: how rows are matched, rows by action, its warnings, conflicts and
/// the members the export leaves out.
fn plan(md: &mut String, plan: &PlanSummary) {
    let _ = writeln!(
        md,
        "### Provisioning plan\n\nWhat {} would do in its next cycle. Matching: {}.\n",
        text(&plan.provider),
        text(&plan.matching)
    );
    for warning in &plan.warnings {
        let _ = writeln!(md, "> **Warning:** {}\n", text(warning));
    }
    md.push_str("| action | rows |\n|---|---:|\n");
    for action in Action::ALL {
        let _ = writeln!(md, "| {action} | {} |", plan.actions.get(action));
    }
    md.push('\n');
    let mut extras = Vec::new();
    if plan.conflicts > 0 {
        extras.push(format!(
            "{} conflict(s): row(s) that want a name a rename frees in the same cycle, free \
             or not depending on the order the provider takes them (status `taken`)",
            plan.conflicts
        ));
    }
    if !plan.absent.is_empty() {
        extras.push(format!(
            "{} member(s) of the org not in the export, left as they are",
            plan.absent.len()
        ));
    }
    if !extras.is_empty() {
        let _ = writeln!(md, "{}.\n", extras.join("; "));
    }
}

/// What `check` counted, for its summary.
pub(crate) struct CheckCounts {
    /// Names read (unreadable lines not included).
    pub(crate) names: usize,
    pub(crate) failing: usize,
    pub(crate) unreadable: usize,
    pub(crate) warnings: usize,
    /// Failing names per rule code, in rule order, codes with none left out.
    pub(crate) by_code: Vec<(&'static str, usize)>,
}

/// A name `check` failed, as its summary lists it.
pub(crate) struct FailingName {
    line: Option<usize>,
    name: String,
    codes: Vec<&'static str>,
    message: String,
    fix: Option<String>,
}

impl FailingName {
    pub(crate) fn new(
        line: Option<usize>,
        name: &str,
        report: &Report,
        fix: Option<&str>,
    ) -> FailingName {
        let messages: Vec<&str> = report
            .violations
            .iter()
            .map(|v| v.message.as_str())
            .collect();
        FailingName {
            line,
            name: name.to_owned(),
            codes: report.code_set().iter().map(|c| c.as_str()).collect(),
            message: messages.join("; "),
            fix: fix.map(str::to_owned),
        }
    }
}

/// `check`'s summary: the counts, failures by rule, and the first [`MAX_ROWS`] failing names
/// with their fixes (`line` is empty for names given as arguments).
pub(crate) fn check_summary(counts: &CheckCounts, failing: &[FailingName]) -> String {
    let mut md = String::with_capacity(1024 + failing.len() * 200);
    let total = counts.names + counts.unreadable;
    let verdict = if counts.unreadable > 0 {
        "some lines could not be read"
    } else if counts.failing > 0 {
        "some names fail the policy"
    } else {
        "every name passes"
    };
    let _ = writeln!(
        md,
        "## usernorm check\n\n{total} name{}: {verdict}.\n",
        if total == 1 { "" } else { "s" }
    );
    md.push_str("| result | names |\n|---|---:|\n");
    let _ = writeln!(md, "| ok | {} |", counts.names - counts.failing);
    let _ = writeln!(md, "| failing | {} |", counts.failing);
    if counts.unreadable > 0 {
        let _ = writeln!(md, "| unreadable | {} |", counts.unreadable);
    }
    if counts.warnings > 0 {
        let _ = writeln!(md, "| lookalike warnings | {} |", counts.warnings);
    }
    md.push('\n');
    if !counts.by_code.is_empty() {
        md.push_str("| rule | names |\n|---|---:|\n");
        for (code, n) in &counts.by_code {
            let _ = writeln!(md, "| {code} | {n} |");
        }
        md.push('\n');
    }
    if counts.failing == 0 {
        return md;
    }
    let _ = write!(md, "### Names that fail");
    if counts.failing > failing.len() {
        let _ = write!(md, " (the first {} of {})", failing.len(), counts.failing);
    }
    md.push_str("\n\n| line | name | codes | message | fix |\n|---:|---|---|---|---|\n");
    for f in failing {
        let line = f.line.map(|l| l.to_string()).unwrap_or_default();
        let _ = writeln!(
            md,
            "| {line} | {} | {} | {} | {} |",
            code(&f.name),
            f.codes.join(", "),
            text(&f.message),
            code(f.fix.as_deref().unwrap_or(""))
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_span_outlasts_the_backticks_in_it() {
        assert_eq!(code("jdoe"), "`jdoe`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(""), "");
    }

    #[test]
    fn a_code_span_cannot_end_the_cell_or_the_row() {
        assert_eq!(code("a|b\nc\r<i>"), "`a\\|b\\nc\\r<i>`");
        assert_eq!(code("a\\|b"), "`a<U+005C>\\|b`");
        assert_eq!(span("a|b", false), "`a|b`");
    }

    #[test]
    fn text_escapes_markdown_html_and_line_breaks() {
        assert_eq!(
            text("a|b `c` <script>&\r\nd\ne*_[x](y)\u{1b}"),
            "a\\|b \\`c\\` &lt;script\\>&amp;<br>d<br>e\\*\\_\\[x\\](y)<U+001B>"
        );
    }
}
