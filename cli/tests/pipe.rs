//! A reader of standard output that goes away early (`usernorm audit x.csv | head -1`): the run
//! stops quietly, and its exit status is the outcome known so far, never 0 once a name failed.

mod common;

use std::io::{BufRead, BufReader, Write};

use common::{spawn, usernorm};

/// Runs `usernorm args` on `stdin`, reads one line of its output, closes the pipe; returns the
/// exit code and standard error.
fn head_1(args: &[&str], stdin: Vec<u8>) -> (Option<i32>, String) {
    let mut child = spawn(usernorm().args(args));
    let mut input = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        // usernorm may stop before reading it all.
        let _ = input.write_all(&stdin);
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("one line");
    assert!(!line.is_empty(), "a first line");
    drop(stdout);
    let out = child.wait_with_output().expect("usernorm ends");
    let _ = writer.join();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
}

#[test]
fn audit_with_failing_rows_exits_1_on_a_broken_pipe() {
    let mut csv = b"id,mailNickname\n".to_vec();
    for i in 0..100_000 {
        writeln!(csv, "{i},user_{i}").expect("in memory");
    }
    let (code, stderr) = head_1(&["audit", "-"], csv);
    assert_eq!(code, Some(1));
    assert_quiet(&stderr);
}

#[test]
fn audit_with_error_rows_exits_2_on_a_broken_pipe() {
    let mut csv = b"id,mailNickname\n".to_vec();
    for i in 0..100_000 {
        writeln!(csv, "{i},user{i}").expect("in memory");
    }
    csv.extend_from_slice(b"x,a,b,c\n");
    let (code, stderr) = head_1(&["audit", "-"], csv);
    assert_eq!(code, Some(2));
    assert_quiet(&stderr);
}

#[test]
fn check_with_failing_names_exits_1_on_a_broken_pipe() {
    let (code, stderr) = head_1(&["check", "--failing"], b"a_b\n".repeat(200_000));
    assert_eq!(code, Some(1));
    assert_quiet(&stderr);
    let (code, stderr) = head_1(&["check"], b"a_b\n".repeat(200_000));
    assert_eq!(code, Some(1));
    assert_quiet(&stderr);
}

#[test]
fn check_with_passing_names_still_exits_0_on_a_broken_pipe() {
    let (code, stderr) = head_1(&["check", "--allow-duplicates"], b"jdoe\n".repeat(200_000));
    assert_eq!(code, Some(0));
    assert_quiet(&stderr);
}

#[test]
fn normalize_with_unusable_text_exits_1_on_a_broken_pipe() {
    let (code, stderr) = head_1(
        &["normalize", "--format", "json"],
        "\u{1F600}\n".repeat(200_000).into_bytes(),
    );
    assert_eq!(code, Some(1));
    assert_quiet(&stderr);
}
