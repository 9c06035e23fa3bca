//! CI output (issue #16): the audit's Markdown summary, byte for byte against its golden file
//! (trycmd would show each `\` of it as `/`), and a summary that hostile names cannot break.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_usernorm");
/// The export of `tests/cmd/audit-summary-md.toml`: `%`, `,`, `:`, a newline in a quoted
/// cell, backticks, `|`, HTML and a backslash before a `|`.
const HOSTILE: &str = "tests/cmd/audit-summary-md.in/users.csv";
const GOLDEN: &str = "tests/golden/audit-summary.md";

fn audit(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("audit")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("usernorm runs")
}

/// The `|` that end cells, read as GFM's table scanner reads them: a `\` escapes the next
/// character, whatever it is.
fn cell_ends(line: &str) -> usize {
    let mut ends = 0;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '|' => ends += 1,
            _ => {}
        }
    }
    ends
}

#[test]
fn the_summary_is_the_golden_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::copy(HOSTILE, dir.path().join("users.csv")).expect("copy");
    let out = audit(dir.path(), &["users.csv", "--summary-md", "summary.md"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    if std::env::var_os("USERNORM_BLESS").is_some() {
        fs::write(GOLDEN, &summary).expect("bless");
    }
    let golden = fs::read_to_string(GOLDEN).expect("the golden file");
    assert_eq!(summary, golden, "USERNORM_BLESS=1 rewrites the golden file");
}

#[test]
fn hostile_names_cannot_break_the_table() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::copy(HOSTILE, dir.path().join("users.csv")).expect("copy");
    audit(dir.path(), &["users.csv", "--summary-md", "summary.md"]);
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    let rows: Vec<&str> = summary
        .lines()
        .skip_while(|l| !l.starts_with("| row |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        rows.len(),
        2 + 5,
        "header, rule and 5 failing rows:\n{summary}"
    );
    for row in rows {
        assert_eq!(cell_ends(row), 9, "8 cells: {row}");
    }
}

#[test]
fn the_summary_lists_the_first_50_failing_rows() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut csv = String::from("id,mailNickname\n");
    for i in 0..120 {
        csv.push_str(&format!("{i},user_{i}\n"));
    }
    fs::write(dir.path().join("users.csv"), csv).expect("users.csv");
    let out = audit(dir.path(), &["users.csv", "--summary-md", "summary.md"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    assert!(summary.contains("(the first 50 of 120)"), "{summary}");
    assert_eq!(summary.matches("| invalid | invalid-char |").count(), 50);
    assert!(summary.contains("| invalid-char | 120 |"), "{summary}");
}

#[test]
fn an_earlier_summary_is_replaced_not_appended_to() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("users.csv"), "id,mailNickname\n1,jdoe\n").expect("users.csv");
    fs::write(dir.path().join("summary.md"), "an earlier step's summary\n").expect("old");
    let out = audit(dir.path(), &["users.csv", "--summary-md", "summary.md"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    assert!(
        summary.starts_with("## usernorm audit of `users.csv`\n"),
        "{summary}"
    );
    assert!(summary.contains("every row would provision"), "{summary}");
    assert!(
        !summary.contains("Rows that would not provision"),
        "{summary}"
    );
}

#[test]
fn annotations_replace_the_report_on_standard_output_and_exit_codes_stay() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("ok.csv"), "id,mailNickname\n1,jdoe\n").expect("ok.csv");
    let out = audit(dir.path(), &["ok.csv", "--format", "github"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stdout.is_empty(), "no report, no annotation: {out:?}");
    fs::copy(HOSTILE, dir.path().join("users.csv")).expect("copy");
    let out = audit(dir.path(), &["users.csv", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(stdout.lines().count(), 5, "one per failing row: {stdout}");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("::error file=users.csv,line="))
    );
}

/// Names for `check --summary-md`: `%`, `,`, `:`, a backtick, a `|` and HTML, a repeat.
const NAMES: &str = "ok-name\n50%,off:now\njdoe__x\na|b<i>`c`\nok-name\n";
const CHECK_GOLDEN: &str = "tests/golden/check-summary.md";

fn check(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm runs");
    let mut input = child.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut input, stdin.as_bytes()).expect("names written");
    drop(input);
    child.wait_with_output().expect("usernorm ends")
}

#[test]
fn the_check_summary_is_the_golden_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = check(dir.path(), &["--summary-md", "summary.md"], NAMES);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    if std::env::var_os("USERNORM_BLESS").is_some() {
        fs::write(CHECK_GOLDEN, &summary).expect("bless");
    }
    let golden = fs::read_to_string(CHECK_GOLDEN).expect("the golden file");
    assert_eq!(summary, golden, "USERNORM_BLESS=1 rewrites the golden file");
    let rows = summary
        .lines()
        .skip_while(|l| !l.starts_with("| line |"))
        .take_while(|l| l.starts_with('|'));
    for row in rows {
        assert_eq!(cell_ends(row), 6, "5 cells: {row}");
    }
}

#[test]
fn failing_with_a_summary_keeps_its_output_and_the_summary_has_the_fixes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = check(
        dir.path(),
        &["--failing", "--summary-md", "summary.md"],
        NAMES,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_eq!(
        String::from_utf8(out.stdout).expect("UTF-8"),
        "50%,off:now\tinvalid-char\njdoe__x\tinvalid-char\na|b<i>`c`\tinvalid-char\nok-name\tduplicate\n"
    );
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    assert_eq!(summary, fs::read_to_string(CHECK_GOLDEN).expect("golden"));
}
