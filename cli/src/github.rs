//! `--format github`: GitHub Actions workflow commands, one annotation per failing name or
//! audit row (as ruff's `--output-format github`), read by the runner from standard output.
//!
//! A command is one line, `::error file=F,line=L,title=T::MESSAGE`. The runner decodes `%25`,
//! `%0D` and `%0A` in the message, and in property values also `%3A` and `%2C`, so those
//! characters are encoded (the escaping of `@actions/core`'s `command.ts`). Values taken from
//! the input (names, ids) are first shown as text output shows them (`\n`, `<U+001B>`): an
//! annotation never carries a control character to the log viewer.

use std::io::{self, Write};

use usernorm::audit::{Record, Status};
use usernorm::{Report, Warning};

use crate::{planlists, render};

/// Escapes a command's message (its data): `%`, CR and LF.
pub(crate) fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`): as [`escape_data`], and `:` and `,`, which
/// would end the value.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// An annotation's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    Error,
    Warning,
}

/// Where an annotation points: a file and a line, a line alone (standard input), or nowhere
/// (names given as arguments).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place<'a> {
    pub(crate) file: Option<&'a str>,
    pub(crate) line: Option<u64>,
}

/// Writes one workflow command line.
pub(crate) fn annotate(
    out: &mut dyn Write,
    level: Level,
    place: Place<'_>,
    title: &str,
    message: &str,
) -> io::Result<()> {
    let level = match level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut properties = Vec::with_capacity(3);
    if let Some(file) = place.file {
        properties.push(format!("file={}", escape_property(file)));
    }
    if let Some(line) = place.line {
        properties.push(format!("line={line}"));
    }
    properties.push(format!("title={}", escape_property(title)));
    writeln!(
        out,
        "::{level} {}::{}",
        properties.join(","),
        escape_data(&render::escape(message))
    )
}

/// The `, fix: ...` part of a message: the suggestion, or that there is none.
fn fix(suggestion: Option<&str>) -> String {
    match suggestion {
        Some(fix) => format!(", fix: {fix}"),
        None => ", fix: none (no valid name can be made from this input)".to_owned(),
    }
}

/// A checked name's annotations: an error when it fails (title: its codes), else a warning
/// per lookalike warning.
pub(crate) fn check(
    out: &mut dyn Write,
    place: Place<'_>,
    name: &str,
    report: &Report,
    suggestion: Option<&str>,
    warnings: &[Warning],
) -> io::Result<()> {
    if !report.is_valid() {
        let codes: Vec<&str> = report.code_set().iter().map(|c| c.as_str()).collect();
        let messages: Vec<&str> = report
            .violations
            .iter()
            .map(|v| v.message.as_str())
            .collect();
        let message = format!("\"{name}\": {}{}", messages.join("; "), fix(suggestion));
        return annotate(out, Level::Error, place, &codes.join(", "), &message);
    }
    for w in warnings {
        let message = format!("\"{name}\": {}", w.message);
        annotate(out, Level::Warning, place, w.code, &message)?;
    }
    Ok(())
}

/// A line of standard input `check` could not read, as an error annotation.
pub(crate) fn unreadable(out: &mut dyn Write, line: Option<u64>, message: &str) -> io::Result<()> {
    let place = Place { file: None, line };
    annotate(out, Level::Error, place, "error", message)
}

/// Whether a failing row's name would link this person to another person's account (Okta
/// links a member found by name): the plan's message starts `merge risk:`.
fn merge_risk(record: &Record) -> bool {
    record.status.fails() && record.message.starts_with("merge risk:")
}

/// An audit row's annotations: an error for a row that would fail (title: its codes, or its
/// status when it has none; a rename conflict or a merge risk says so in the title), a
/// warning per warning of an ok row (a lookalike, a rename's new profile URL). A skipped row
/// is left alone on purpose by the identity provider and gets none. `file` is the export's
/// path as given (none for standard input).
pub(crate) fn audit(out: &mut dyn Write, file: Option<&str>, record: &Record) -> io::Result<()> {
    if record.status == Status::Skipped {
        return Ok(());
    }
    let place = Place {
        file,
        line: Some(record.line),
    };
    let mut who = format!(
        "row {} (id {}) \"{}\"",
        record.row, record.id, record.username
    );
    // A matched member under another name: the one the row would rename (or keeps).
    if !record.current_username.is_empty() && record.current_username != record.username {
        who = format!("{who} (member \"{}\")", record.current_username);
    }
    if record.status.fails() {
        let codes: Vec<&str> = record.codes.iter().map(|c| c.as_str()).collect();
        let mut title = match codes.is_empty() {
            true => record.status.to_string(),
            false => codes.join(", "),
        };
        if planlists::rename_conflict(record) {
            title.push_str(" (rename conflict)");
        } else if merge_risk(record) {
            title.push_str(" (merge risk)");
        }
        let message = format!(
            "{who}: {}{}",
            record.message,
            fix(record.suggestion.as_deref())
        );
        return annotate(out, Level::Error, place, &title, &message);
    }
    for w in &record.warnings {
        let message = format!("{who}: {}", w.message);
        annotate(out, Level::Warning, place, w.code, &message)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_ends_only() {
        assert_eq!(escape_data("50%\r\nof a:b,c"), "50%25%0D%0Aof a:b,c");
        assert_eq!(
            escape_data("%0A"),
            "%250A",
            "an encoded-looking value stays literal"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("C:\\ex,port%\n.csv"),
            "C%3A\\ex%2Cport%25%0A.csv"
        );
    }

    #[test]
    fn an_annotation_is_one_line_whatever_the_values() {
        let mut out = Vec::new();
        let place = Place {
            file: Some("a,b:c.csv"),
            line: Some(3),
        };
        annotate(
            &mut out,
            Level::Error,
            place,
            "x, y",
            "two\nlines\u{1b}[31m %",
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "::error file=a%2Cb%3Ac.csv,line=3,title=x%2C y::two\\nlines<U+001B>[31m %25\n"
        );
    }

    #[test]
    fn arguments_have_neither_file_nor_line() {
        let mut out = Vec::new();
        annotate(&mut out, Level::Warning, Place::default(), "lookalike", "m").expect("write");
        assert_eq!(out, b"::warning title=lookalike::m\n");
    }

    fn record(status: Status, message: &str) -> Record {
        Record {
            row: 2,
            line: 3,
            id: "00u2".into(),
            username: "jdoe".into(),
            status,
            codes: Vec::new(),
            message: message.into(),
            suggestion: Some("jdoe-2".into()),
            collides_with: Vec::new(),
            warnings: Vec::new(),
            action: usernorm::audit::Action::Update,
            current_username: "jdoe".into(),
        }
    }

    #[test]
    fn a_merge_risk_says_so_in_the_title_and_a_skipped_row_is_silent() {
        let mut out = Vec::new();
        let risk = "merge risk: `jdoe` is the userName of member `jdoe`, an account with no \
                    externalId: Okta would link this person to that account";
        audit(&mut out, Some("u.csv"), &record(Status::Duplicate, risk)).expect("write");
        let line = String::from_utf8(out).expect("utf-8");
        assert!(
            line.starts_with("::error file=u.csv,line=3,title=duplicate (merge risk)::row 2 "),
            "{line}"
        );
        let mut out = Vec::new();
        audit(&mut out, None, &record(Status::Skipped, "disabled")).expect("write");
        assert!(out.is_empty());
    }
}
