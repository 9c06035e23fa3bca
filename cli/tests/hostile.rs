//! `check` and `normalize` on hostile input: control characters, very long names and lines,
//! endless streams. The inputs are made here, not kept in files.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn usernorm() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_usernorm"));
    command.env("NO_COLOR", "1");
    command
}

/// Runs `command` with `stdin` written from another thread (the output may fill its pipe
/// before the input is all read).
fn run_with(mut command: Command, stdin: Vec<u8>) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm starts");
    let mut pipe = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("usernorm ends");
    writer.join().expect("the writer does not panic");
    out
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut command = usernorm();
    command.args(args);
    run_with(command, stdin.to_vec())
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("the output is UTF-8")
}

/// Whether `s` holds a character a terminal would act on or that reorders what it shows.
fn has_raw_controls(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\n') || matches!(c, '\u{202A}'..='\u{202E}'))
}

const HOSTILE: &[u8] =
    "esc\x1b[31mred\ntab\there\ncr\rhere\nnul\0here\nrtl\u{202E}lave\n".as_bytes();

#[test]
fn failing_output_escapes_control_and_bidi_characters() {
    let out = run(&["check", "--failing"], HOSTILE);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for line in stdout.lines() {
        // A tab separates the name from its codes.
        let (name, _codes) = line.rsplit_once('\t').expect("a name and its codes");
        assert!(!has_raw_controls(name), "{line:?}");
    }
    for shown in [
        "esc<U+001B>[31mred\t",
        "tab\\there\t",
        "cr\\rhere\t",
        "nul<U+0000>here\t",
        "rtl<U+202E>lave\t",
    ] {
        assert!(stdout.contains(shown), "{shown:?} in {stdout:?}");
    }
}

#[test]
fn text_output_escapes_control_and_bidi_characters() {
    let out = run(&["check"], HOSTILE);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(!has_raw_controls(stdout), "{stdout:?}");
    assert!(stdout.contains("✗ esc<U+001B>[31mred (line 1)"), "{stdout}");
    assert!(stdout.contains("✗ rtl<U+202E>lave (line 5)"), "{stdout}");

    let out = run(&["normalize"], "\x1b\u{202E}\r\t\0\n".as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(!has_raw_controls(stderr), "{stderr:?}");
    assert!(
        stderr.contains("`<U+001B><U+202E>\\r\\t<U+0000>`"),
        "{stderr}"
    );
}

#[test]
fn json_output_keeps_the_exact_input() {
    let out = run(&["check", "--format", "json"], HOSTILE);
    let stdout = text(&out.stdout);
    let first: serde_json::Value =
        serde_json::from_str(stdout.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["input"], "esc\x1b[31mred");
}

#[test]
fn a_long_name_draws_one_caret_line_and_a_bounded_list() {
    // 30,000 violations in one name just under the limit.
    let name = "a_".repeat(30_000);
    let out = run(&["check"], name.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.len() < 2 * name.len(),
        "{} bytes of output for {} of input",
        stdout.len(),
        name.len()
    );
    let carets: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains('^') && l.chars().all(|c| c == ' ' || c == '^'))
        .collect();
    assert_eq!(carets.len(), 1, "{stdout}");
    assert!(carets[0].trim_end().len() <= 4 + 80, "the drawing is cut");
    assert!(stdout.contains("… and 29991 more violations"), "{stdout}");

    // JSON keeps every span.
    let out = run(&["check", "--format", "json"], name.as_bytes());
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        record["violations"].as_array().map(Vec::len),
        Some(30_000 + 1), // every `_`, and too-long
    );
}

#[test]
fn several_violations_share_one_caret_line() {
    let out = run(&["check", "--", "-jean--luc_"], b"");
    assert_eq!(
        text(&out.stdout),
        "✗ -jean--luc_\n    -jean--luc_\n    ^    ^^   ^\n    \
         leading-dash at 1: the name cannot start with `-`; remove it\n    \
         double-dash at 6-7: `--` is not allowed; use a single `-`\n    \
         invalid-char at 11: `_` is not allowed; use only ASCII letters, digits and `-` \
         (replace separators by `-`)\n    fix: jean-luc\n"
    );
}
