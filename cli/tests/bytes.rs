//! Command-line tests whose input is not text (invalid UTF-8), which the data-driven cases in
//! `cmd/` cannot hold.

mod common;

use std::io::Write;

use common::{run, spawn, usernorm};

const INPUT: &[u8] = b"jdoe\nab\xffcd\r\nvalid-name\n";

#[test]
fn check_reports_bad_utf8_with_its_line_and_goes_on() {
    let out = run(&["check", "--format", "json"], INPUT);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("JSON is UTF-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 3, "every input line has a record");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["input"], "ab\u{FFFD}cd");
    assert_eq!(lines[1]["error"], "line 2, column 3: invalid UTF-8");
    assert_eq!(lines[2]["input"], "valid-name");
    assert_eq!(lines[2]["valid"], true);
}

#[test]
fn check_text_names_the_line_on_stderr() {
    let out = run(&["check"], INPUT);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(stdout.contains("✓ jdoe (line 1)"), "{stdout}");
    assert!(stdout.contains("✓ valid-name (line 3)"), "{stdout}");
    assert!(
        stderr.contains("error: line 2, column 3: invalid UTF-8"),
        "{stderr}"
    );
    assert!(stderr.contains("1 unreadable"), "{stderr}");
}

#[test]
fn normalize_keeps_lines_aligned_around_bad_utf8() {
    let out = run(&["normalize"], INPUT);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(stdout, "jdoe\n\nvalid-name\n");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let names: Vec<u8> = b"a_b\n".repeat(200_000);
    let mut child = spawn(usernorm().args(["check", "--failing"]));
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&names);
    });
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("usernorm ends");
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Quiet, and no panic: the names fail, so the status is 1 (never 0 once a failing name
    // was seen, never 101 for a panic).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn audit_of_a_header_over_the_size_limit_is_an_input_error() {
    // What `usernorm audit /dev/zero` reads: NUL bytes and no line break. The audit stops
    // reading at the limit, so the rest may meet a closed pipe.
    let mut child = spawn(usernorm().args(["audit", "-"]));
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&vec![0; 3 << 20]);
    });
    let out = child.wait_with_output().expect("usernorm ends");
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 1: the header line is longer than the limit of 1 MiB"),
        "{stderr}"
    );
}

#[test]
fn audit_reports_a_row_over_the_size_limit_and_reads_on() {
    let mut input = b"id,mailNickname\r".to_vec();
    input.extend(std::iter::repeat_n(b'x', 2 << 20));
    input.extend_from_slice(b"\r2,jdoe\r");
    let out = run(&["audit", "-", "--format", "json"], &input);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("JSON is UTF-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["status"], "error");
    assert_eq!(lines[0]["line"], 2, "a bare CR ends a line");
    let message = lines[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("line 2: the row is longer than the limit of 1 MiB"),
        "{message}"
    );
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[1]["username"], "jdoe");
    assert_eq!(lines[1]["status"], "ok");
}

#[test]
fn audit_reads_utf16_without_a_bom_and_reports_what_does_not_decode() {
    let mut units: Vec<u16> = "id\tmailNickname\r\n1\tjdoe\r\n2\tab"
        .encode_utf16()
        .collect();
    units.push(0xD800);
    units.extend("\r\n3\tann\r\n".encode_utf16());
    let input: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let out = run(&["audit", "-", "--format", "json"], &input);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).expect("JSON is UTF-8");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    let statuses: Vec<&str> = lines.iter().filter_map(|l| l["status"].as_str()).collect();
    assert_eq!(statuses, ["ok", "error", "ok"], "{stdout}");
    let message = lines[1]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "line 3, column `mailNickname`: invalid UTF-16 (an unpaired surrogate (0xD800))"
        ),
        "{message}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("input: UTF-16LE, delimiter tab"),
        "{stderr}"
    );
}
