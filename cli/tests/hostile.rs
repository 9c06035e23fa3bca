//! `check` and `normalize` on hostile input: control characters, very long names and lines,
//! endless streams. The inputs are made here, not kept in files.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::run;
use std::time::{Duration, Instant};

use usernorm::limits::{MAX_FIELD_BYTES, MAX_LINE_BYTES, MAX_NAME_BYTES, MAX_SKIPPED_BYTES};

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

#[test]
fn a_line_over_the_limit_is_an_error_and_the_others_are_checked() {
    let mut input = b"jdoe\n".to_vec();
    input.extend(vec![b'a'; MAX_LINE_BYTES + 1]);
    input.extend(b"\r\n");
    // Exactly the limit, with a `\r\n`: read, and only too long for the policy.
    input.extend(vec![b'b'; MAX_LINE_BYTES]);
    input.extend(b"\r\nx_y\n");

    let out = run(&["check", "--failing"], &input);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{}\ttoo-long\nx_y\tinvalid-char\n",
            "b".repeat(MAX_LINE_BYTES)
        )
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: line 2: longer than {MAX_LINE_BYTES} bytes, the limit for a line"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("1 unreadable"), "{stderr}");

    let out = run(&["check", "--format", "json"], &input);
    assert_eq!(out.status.code(), Some(2));
    let records: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), 4, "one record a line");
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["valid"], false);
    assert!(
        records[1]["error"]
            .as_str()
            .is_some_and(|e| e.contains("limit"))
    );

    let out = run(&["normalize"], &input);
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<&str> = text(&out.stdout).lines().collect();
    assert_eq!(lines.len(), 4, "the output stays aligned with the input");
    assert_eq!((lines[0], lines[1], lines[3]), ("jdoe", "", "x-y"));
}

#[test]
fn an_argument_over_the_name_limit_is_an_error() {
    let long = "a".repeat(MAX_NAME_BYTES + 1);
    let out = run(&["check", "jdoe", &long, "x_y"], b"");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: argument 2: longer than {MAX_NAME_BYTES} bytes, the limit for a name"
        )),
        "{stderr}"
    );
    assert!(text(&out.stdout).contains("✗ x_y"));
}

/// A stream of 200 MB without a line break, under an address-space limit far below that: the
/// line is reported at once, passed over up to `MAX_SKIPPED_BYTES`, and then the run stops with
/// an error rather than reading an endless stream (`/dev/zero`) forever.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_line_is_reported_and_the_run_stops_with_bounded_memory() {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 200000 && exec \"$0\" check")
        .arg(env!("CARGO_BIN_EXE_usernorm"))
        .env("NO_COLOR", "1");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh starts");
    let mut pipe = child.stdin.take().expect("piped");
    let started = Instant::now();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            pipe.write_all(&chunk)?;
        }
        pipe.write_all(b"\njdoe\n")
    });
    let out = child.wait_with_output().expect("usernorm ends");
    // usernorm stops reading, so the writer may meet a closed pipe.
    let _ = writer.join().expect("the writer does not panic");
    assert!(started.elapsed() < Duration::from_secs(20));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: line 1: longer than"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "line 1: no line end within {MAX_SKIPPED_BYTES} bytes"
        )),
        "{stderr}"
    );
    assert_eq!(text(&out.stdout), "");
}

/// A line well over the limit but with an end is passed over, and the line after it checked.
#[test]
fn a_long_line_is_passed_over_and_the_next_one_checked() {
    let mut input = vec![b'a'; 3 * MAX_LINE_BYTES];
    input.extend_from_slice(b"\njdoe\n");
    let out = run(&["check"], &input);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: line 1: longer than"), "{stderr}");
    assert_eq!(text(&out.stdout), "✓ jdoe (line 2)\n");
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_members_file_is_an_error_naming_it() {
    let started = Instant::now();
    let out = run(&["check", "--existing", "/dev/zero", "jdoe"], b"");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: /dev/zero: line 1: longer than {MAX_LINE_BYTES} bytes, the limit for a line\n"
        )
    );
}

#[test]
fn a_members_field_over_the_limit_is_an_error_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("usernorm-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("members.csv");
    let mut csv = b"userName,notes\njdoe,\n\"".to_vec();
    csv.extend(vec![b'x'; MAX_FIELD_BYTES + 1]);
    csv.extend(b"\",\n");
    std::fs::write(&path, csv).expect("written");
    let shown = path.display().to_string();
    let out = run(&["check", "--existing", &shown, "jdoe"], b"");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {shown}: line 3: field 1: longer than {MAX_FIELD_BYTES} bytes, the limit for a field\n"
        )
    );
}

/// A policy or profile file is read whole, so it has a limit: `/dev/zero` is refused at it.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_configuration_file_is_refused_at_its_limit() {
    let limit = usernorm::limits::MAX_CONFIG_BYTES;
    for args in [
        &["--policy", "/dev/zero", "check", "jdoe"][..],
        &["eval", "--profile", "/dev/zero"][..],
    ] {
        let started = Instant::now();
        let out = run(args, b"");
        assert!(started.elapsed() < Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            text(&out.stderr),
            format!(
                "error: /dev/zero: longer than {limit} bytes, the limit for a configuration file\n"
            ),
            "{args:?}"
        );
    }
}
