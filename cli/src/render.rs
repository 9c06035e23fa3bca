//! Printing: colours, caret diagrams, JSON records.

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

/// The name as shown above carets (invisible characters made visible), and for each byte
/// offset of the name, the display column it starts at.
pub(crate) fn visible(name: &str) -> (String, Vec<usize>) {
    let mut shown = String::with_capacity(name.len());
    let mut columns = vec![0; name.len() + 1];
    let mut col = 0;
    for (i, c) in name.char_indices() {
        columns[i] = col;
        let piece = match c {
            '\t' => "\\t".to_owned(),
            c if c.is_control() || c.width().unwrap_or(0) == 0 => {
                format!("<U+{:04X}>", u32::from(c))
            }
            c => c.to_string(),
        };
        col += piece.chars().map(|p| p.width().unwrap_or(0)).sum::<usize>();
        shown.push_str(&piece);
        for slot in columns.iter_mut().take(i + c.len_utf8()).skip(i + 1) {
            *slot = col;
        }
    }
    columns[name.len()] = col;
    (shown, columns)
}

/// Writes the name, then one caret line per violation, ordered by position.
pub(crate) fn caret_diagram(
    out: &mut dyn Write,
    p: Painter,
    indent: &str,
    name: &str,
    violations: &[Violation],
) -> io::Result<()> {
    let (shown, columns) = visible(name);
    writeln!(out, "{indent}{shown}")?;
    let mut sorted: Vec<&Violation> = violations.iter().collect();
    sorted.sort_by_key(|v| (v.span.start, v.span.end));
    for v in sorted {
        let start = columns.get(v.span.start).copied().unwrap_or(0);
        let end = columns.get(v.span.end).copied().unwrap_or(start);
        let carets = "^".repeat(end.saturating_sub(start).max(1));
        writeln!(
            out,
            "{indent}{}{} {} {}",
            " ".repeat(start),
            p.paint(RED, &carets),
            p.paint(BOLD, v.code.as_str()),
            v.message
        )?;
    }
    Ok(())
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
