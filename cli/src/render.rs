//! Printing: colours, caret diagrams, JSON records.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;
use usernorm::Violation;

/// Styles text when colour is on (a terminal, `NO_COLOR` unset), and leaves it plain otherwise.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Painter {
    enabled: bool,
}

pub(crate) const RED: Style = AnsiColor::Red.on_default().bold();
pub(crate) const GREEN: Style = AnsiColor::Green.on_default().bold();
pub(crate) const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const CYAN: Style = AnsiColor::Cyan.on_default();
pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

impl Painter {
    /// A painter for standard output.
    pub(crate) fn stdout() -> Painter {
        Painter {
            enabled: color_wanted(io::stdout().is_terminal()),
        }
    }

    /// A painter for standard error. Worked out once: a bulk run may print thousands of
    /// warnings, and asking whether standard error is a terminal is a system call.
    pub(crate) fn stderr() -> Painter {
        static STDERR: OnceLock<Painter> = OnceLock::new();
        *STDERR.get_or_init(|| Painter {
            enabled: color_wanted(io::stderr().is_terminal()),
        })
    }

    pub(crate) fn paint(self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }
}

fn color_wanted(terminal: bool) -> bool {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") {
        return true;
    }
    terminal && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Prints `error: MESSAGE` on standard error.
pub(crate) fn error(message: &str) {
    to_stderr(RED, "error:", message);
}

/// Prints `note: MESSAGE` on standard error.
pub(crate) fn note(message: &str) {
    let p = Painter::stderr();
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{} {message}", p.paint(CYAN, "note:"));
}

/// Prints `warning: MESSAGE` on standard error.
pub(crate) fn warning(message: &str) {
    to_stderr(YELLOW, "warning:", message);
}

/// Writes `LABEL MESSAGE` to standard error in one write: standard error is unbuffered, and a
/// bulk run may print thousands of these.
fn to_stderr(style: Style, label: &str, message: &str) {
    let line = format!("{} {message}\n", Painter::stderr().paint(style, label));
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Characters text output never writes as they are: control characters (a terminal acts on
/// them) and characters that print as nothing but change what is shown (bidi overrides,
/// zero-width spaces and joiners, the byte-order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E0FFF}')
}

/// Writes a hidden character as text: `\t`, `\r`, `\n`, or `<U+202E>`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        c => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
    }
}

/// `text` as text output shows it: control characters and invisible ones that would act on
/// the terminal or reorder what it shows (ESC, CR, U+202E, ...) written as `\t`, `\r`, `\n`
/// or `<U+XXXX>`. JSON output escapes them its own way. Borrowed when nothing needs it.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII, by far the most common input, needs no look at characters.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) || !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The name as shown above carets (hidden and zero-width characters made visible, as
/// [`escape`] writes them), and for each byte offset of the name, the display column it starts
/// at.
pub(crate) fn visible(name: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(name.len());
    let mut columns = vec![0; name.len() + 1];
    let mut col = 0;
    for (i, c) in name.char_indices() {
        columns[i] = col;
        let from = shown.len();
        if hidden(c) || c.width().unwrap_or(0) == 0 {
            push_escaped(&mut shown, c);
        } else {
            shown.push(c);
        }
        col += width(&shown[from..]);
        for slot in columns.iter_mut().take(i + c.len_utf8()).skip(i + 1) {
            *slot = col;
        }
    }
    columns[name.len()] = col;
    (shown, columns)
}

fn width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The display columns of a name a caret diagram draws; a wider name is cut there, with `…`.
pub(crate) const DIAGRAM_COLUMNS: usize = 80;

/// The violations listed under a diagram; the rest are counted (JSON output lists them all).
pub(crate) const LISTED_VIOLATIONS: usize = 10;

/// Writes the name (cut at [`DIAGRAM_COLUMNS`]) and one caret line under it. A lone violation
/// gets its code and message on the caret line; several are listed below it, in order of
/// position, each with where it is (character positions, from 1), at most
/// [`LISTED_VIOLATIONS`] of them. The output is linear in the name's length.
pub(crate) fn caret_diagram(
    out: &mut dyn Write,
    p: Painter,
    indent: &str,
    name: &str,
    violations: &[Violation],
) -> io::Result<()> {
    let (shown, columns) = visible(name);
    let (drawn, cut) = cut_at(&shown, DIAGRAM_COLUMNS);
    let drawn_width = width(drawn);
    writeln!(out, "{indent}{drawn}{}", if cut { "…" } else { "" })?;
    let mut sorted: Vec<&Violation> = violations.iter().collect();
    sorted.sort_by_key(|v| (v.span.start, v.span.end));
    // Each violation's columns, clipped to what is drawn; `None` past the cut.
    let place = |v: &Violation| {
        let start = columns.get(v.span.start).copied().unwrap_or(0);
        let end = columns.get(v.span.end).copied().unwrap_or(start);
        (start < drawn_width || (start == 0 && drawn_width == 0))
            .then(|| (start, end.min(drawn_width).max(start + 1)))
    };
    if let [only] = sorted[..]
        && let Some((start, end)) = place(only)
    {
        return writeln!(
            out,
            "{indent}{}{} {} {}",
            " ".repeat(start),
            p.paint(RED, &"^".repeat(end - start)),
            p.paint(BOLD, only.code.as_str()),
            only.message
        );
    }
    let mut marks = vec![false; drawn_width.max(1)];
    for (start, end) in sorted.iter().filter_map(|v| place(v)) {
        for mark in marks.iter_mut().take(end).skip(start) {
            *mark = true;
        }
    }
    let last = marks.iter().rposition(|&m| m);
    if let Some(last) = last {
        let mut line = String::from(indent);
        let mut at = 0;
        while at <= last {
            let run = marks[at..=last]
                .iter()
                .take_while(|&&m| m == marks[at])
                .count();
            if marks[at] {
                line.push_str(&p.paint(RED, &"^".repeat(run)));
            } else {
                line.push_str(&" ".repeat(run));
            }
            at += run;
        }
        writeln!(out, "{line}")?;
    }
    for v in sorted.iter().take(LISTED_VIOLATIONS) {
        let first = name.get(..v.span.start).map_or(0, |s| s.chars().count()) + 1;
        let count = name.get(v.span.clone()).map_or(0, |s| s.chars().count());
        let at = if count > 1 {
            format!("{first}-{}", first + count - 1)
        } else {
            first.to_string()
        };
        writeln!(
            out,
            "{indent}{} at {at}: {}",
            p.paint(BOLD, v.code.as_str()),
            v.message
        )?;
    }
    if let Some(more) = sorted
        .len()
        .checked_sub(LISTED_VIOLATIONS)
        .filter(|&n| n > 0)
    {
        writeln!(
            out,
            "{indent}… and {more} more violation{} (`--format json` lists every one)",
            if more == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// The longest start of `shown` that fits in `columns` display columns, and whether it is
/// shorter than `shown`.
fn cut_at(shown: &str, columns: usize) -> (&str, bool) {
    let mut col = 0;
    for (i, c) in shown.char_indices() {
        col += c.width().unwrap_or(0);
        if col > columns {
            return (&shown[..i], true);
        }
    }
    (shown, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_display_width() {
        let (shown, cols) = visible("王a\u{200B}b");
        assert_eq!(shown, "王a<U+200B>b");
        assert_eq!(cols[3], 2); // 'a' after a wide character
        assert_eq!(cols[4], 3); // the zero-width space, made visible
        assert_eq!(cols[7], 11); // 'b'
    }
}
