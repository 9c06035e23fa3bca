//! CI output (issue #16): the audit's Markdown summary, byte for byte against its golden file
//! (trycmd would show each `\` of it as `/`), and a summary that hostile names cannot break.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_usernorm");
/// The export of `tests/cmd/audit-summary-md.toml`: `%`, `,`, `:`, a newline in a quoted
/// cell, backticks, `|`, HTML and a backslash before a `|`.
const HOSTILE: &str = "tests/cmd/audit-summary-md.in/users.csv";
const GOLDEN: &str = "tests/golden/audit-summary.md";
/// The org the golden summary's plan is for: row 4 updates `okname`, row 2 renames `old-name`
/// (to an invalid name), a member without externalId with a hostile name is not in the
/// export, and two members share an externalId (a warning that names them).
const MEMBERS: &str = "userName,externalId,active\n\
                       okname,4,true\n\
                       old-name,2,true\n\
                       \"`x`|y\",,true\n\
                       a|b,dup,true\n\
                       <i>,dup,false\n";
/// Entra's provisioning schema with Hugging Face's mapping and Delete among the target object
/// actions (a warning in the summary).
const SCHEMA: &str = "../examples/entra-schema.json";

fn audit(dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("audit")
        .chain(args.iter().copied())
        .collect();
    common::run_in(dir, &args)
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
    fs::write(dir.path().join("members.csv"), MEMBERS).expect("members.csv");
    fs::copy(SCHEMA, dir.path().join("schema.json")).expect("copy");
    let args = [
        "users.csv",
        "--existing",
        "members.csv",
        "--entra-schema",
        "schema.json",
        "--summary-md",
        "summary.md",
    ];
    let out = audit(dir.path(), &args);
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
fn the_summary_has_the_plan_and_skipped_rows_do_not_fail() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Row 1 renames `ann`, row 2 wants `ann` (a conflict), row 3 is disabled and never
    // provisioned, row 4 has no objectId; `gone` is not in the export.
    let users =
        "id,mailNickname,accountEnabled\n1,ann.new,true\n2,ann,true\n3,zoe,false\n,x.y,true\n";
    let members = "userName,externalId,active\nann,1,true\ngone,9,false\n";
    fs::write(dir.path().join("users.csv"), users).expect("users.csv");
    fs::write(dir.path().join("members.csv"), members).expect("members.csv");
    let args = [
        "users.csv",
        "--existing",
        "members.csv",
        "--summary-md",
        "summary.md",
    ];
    let out = audit(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    for line in [
        "| create | 1 |",
        "| rename | 1 |",
        "| skip | 2 |",
        "1 conflict(s): row(s) that want a name a rename frees in the same cycle",
        "1 member(s) of the org not in the export",
        "### Rows that would not provision\n",
    ] {
        assert!(summary.contains(line), "{line}: {summary}");
    }
    assert_eq!(summary.matches("| taken | taken |").count(), 1, "{summary}");

    // Without the conflicting row, only skipped rows are not ok: the run passes.
    let users = "id,mailNickname,accountEnabled\n1,ann.new,true\n3,zoe,false\n,x.y,true\n";
    fs::write(dir.path().join("users.csv"), users).expect("users.csv");
    let out = audit(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let summary = fs::read_to_string(dir.path().join("summary.md")).expect("summary.md");
    assert!(summary.contains("every row would provision"), "{summary}");
    assert!(
        !summary.contains("Rows that would not provision"),
        "skipped rows are not failing rows: {summary}"
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
