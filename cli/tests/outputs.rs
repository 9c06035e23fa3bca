//! The audit's output files (SPEC section 6): an output that is an input or another output is
//! refused before anything is read; outputs appear whole or not at all, even on SIGINT; an
//! error names the output that failed; standard input is kept where no one can reach it.

#![cfg(unix)]

mod common;

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_usernorm");
const USERS: &str = "id,mailNickname\n1,alice\n2,b_ob\n3,alice\n";
const MEMBERS: &str = "carol\n";

/// A directory holding `in.csv` and `members.txt`.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("in.csv"), USERS).expect("in.csv");
    fs::write(dir.path().join("members.txt"), MEMBERS).expect("members.txt");
    dir
}

fn usernorm(dir: &Path, args: &[&str]) -> Output {
    common::run_in(dir, args)
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts a refusal: exit 2, an error naming both options and the paths, the inputs intact
/// and no file created.
fn assert_refused(dir: &Path, args: &[&str], names: &[&str]) {
    let before = listing(dir);
    let out = usernorm(dir, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert!(err.contains("are the same file"), "{args:?}: {err}");
    for name in names {
        assert!(err.contains(name), "{args:?}: `{name}` not in {err}");
    }
    assert_eq!(
        fs::read_to_string(dir.join("in.csv")).expect("in.csv"),
        USERS
    );
    assert_eq!(
        fs::read_to_string(dir.join("members.txt")).expect("members"),
        MEMBERS
    );
    assert_eq!(listing(dir), before, "{args:?}");
    assert!(
        out.stdout.is_empty(),
        "{args:?}: nothing read, nothing reported"
    );
}

const OUTPUTS: [&str; 4] = ["--out", "--fixed-out", "--html", "--summary-json"];

#[test]
fn every_output_onto_the_input_is_refused() {
    let dir = workdir();
    for option in OUTPUTS {
        let args = ["audit", "in.csv", option, "in.csv"];
        assert_refused(dir.path(), &args, &[option, "the input FILE", "in.csv"]);
        let args = ["audit", "in.csv", option, "./in.csv"];
        assert_refused(dir.path(), &args, &[option, "./in.csv"]);
    }
}

#[test]
fn an_output_onto_the_file_on_standard_input_is_refused() {
    let dir = workdir();
    let out = Command::new(BIN)
        .args(["audit", "-", "--fixed-out", "in.csv"])
        .current_dir(dir.path())
        .stdin(fs::File::open(dir.path().join("in.csv")).expect("in.csv"))
        .output()
        .expect("usernorm runs");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--fixed-out in.csv and standard input"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("in.csv")).expect("in.csv"),
        USERS
    );
}

/// Writing into the pipe standard input reads from would wait on itself forever: refused, at
/// once, like any output onto an input.
#[test]
fn an_output_into_the_pipe_on_standard_input_is_refused() {
    let dir = workdir();
    for args in [
        &["audit", "-", "--out", "/dev/stdin"][..],
        &["check", "--summary-md", "/dev/stdin"][..],
    ] {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("usernorm starts");
        let mut stdin = child.stdin.take().expect("piped");
        // usernorm refuses before it reads, so the pipe may be closed already.
        let _ = stdin.write_all(USERS.as_bytes());
        drop(stdin);
        let code = wait_for(&mut child, Duration::from_secs(20));
        let out = child.wait_with_output().expect("usernorm ends");
        let err = stderr(&out);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains("/dev/stdin and standard input"), "{err}");
    }
}

#[test]
fn every_output_onto_the_existing_file_is_refused() {
    let dir = workdir();
    for option in OUTPUTS {
        let args = [
            "audit",
            "in.csv",
            "--existing",
            "members.txt",
            option,
            "members.txt",
        ];
        assert_refused(dir.path(), &args, &[option, "--existing", "members.txt"]);
    }
}

#[test]
fn two_outputs_onto_one_path_are_refused_even_before_it_exists() {
    let dir = workdir();
    for (i, first) in OUTPUTS.iter().enumerate() {
        for second in &OUTPUTS[i + 1..] {
            let args = ["audit", "in.csv", first, "r.txt", second, "./r.txt"];
            assert_refused(dir.path(), &args, &[first, second, "r.txt"]);
        }
    }
    // Through a directory named another way.
    fs::create_dir(dir.path().join("sub")).expect("sub");
    let args = [
        "audit",
        "in.csv",
        "--out",
        "sub/../r.csv",
        "--html",
        "r.csv",
    ];
    assert_refused(dir.path(), &args, &["--out", "--html"]);
}

#[test]
fn a_hard_link_to_an_input_is_refused() {
    let dir = workdir();
    fs::hard_link(dir.path().join("in.csv"), dir.path().join("link.csv")).expect("hard link");
    fs::hard_link(dir.path().join("members.txt"), dir.path().join("m.txt")).expect("hard link");
    let args = ["audit", "in.csv", "--out", "link.csv"];
    assert_refused(
        dir.path(),
        &args,
        &["--out link.csv", "the input FILE in.csv"],
    );
    let args = [
        "audit",
        "in.csv",
        "--existing",
        "members.txt",
        "--summary-json",
        "m.txt",
    ];
    assert_refused(
        dir.path(),
        &args,
        &["--summary-json m.txt", "--existing members.txt"],
    );
    let args = [
        "audit",
        "in.csv",
        "--html",
        "in.csv.html",
        "--fixed-out",
        "in.csv.html",
    ];
    assert_refused(dir.path(), &args, &["--html", "--fixed-out"]);
}

#[test]
fn a_symbolic_link_to_an_input_or_output_is_refused() {
    let dir = workdir();
    std::os::unix::fs::symlink("in.csv", dir.path().join("sym.csv")).expect("symlink");
    let args = ["audit", "in.csv", "--fixed-out", "sym.csv"];
    assert_refused(dir.path(), &args, &["--fixed-out sym.csv", "in.csv"]);
    let args = ["audit", "sym.csv", "--html", "in.csv"];
    assert_refused(
        dir.path(),
        &args,
        &["--html in.csv", "the input FILE sym.csv"],
    );
    // A link to another output.
    std::os::unix::fs::symlink("new.csv", dir.path().join("to-new.csv")).expect("symlink");
    fs::write(dir.path().join("new.csv"), "old").expect("new.csv");
    let args = [
        "audit",
        "in.csv",
        "--out",
        "to-new.csv",
        "--html",
        "new.csv",
    ];
    assert_refused(dir.path(), &args, &["--out to-new.csv", "--html new.csv"]);
}

#[test]
fn the_refusal_comes_before_any_input_is_read() {
    let dir = workdir();
    let fifo = dir.path().join("members.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Reading the FIFO would wait for a writer that never comes.
    let mut child = Command::new(BIN)
        .args([
            "audit",
            "in.csv",
            "--existing",
            "members.fifo",
            "--out",
            "in.csv",
        ])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm starts");
    let status = wait_for(&mut child, Duration::from_secs(20));
    assert_eq!(status, Some(2), "refused at once, without opening the FIFO");
    assert_eq!(
        fs::read_to_string(dir.path().join("in.csv")).expect("in.csv"),
        USERS
    );
}

/// The child's exit code, or `None` (and the child killed) when it takes longer than `limit`.
fn wait_for(child: &mut Child, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().expect("waitable") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn a_run_that_fails_late_leaves_earlier_outputs_untouched_and_no_temporary_file() {
    let dir = workdir();
    fs::write(dir.path().join("r.csv"), "the old report\n").expect("r.csv");
    fs::write(dir.path().join("s.json"), "{}\n").expect("s.json");
    let before = listing(dir.path());
    // The report is written in full before --fixed-out fails.
    let args = [
        "audit",
        "in.csv",
        "--out",
        "r.csv",
        "--summary-json",
        "s.json",
        "--fixed-out",
        "/dev/full",
    ];
    let out = usernorm(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: cannot write --fixed-out /dev/full: No space left on device (os error 28)\n"
    );
    assert_eq!(
        fs::read(dir.path().join("r.csv")).expect("r.csv"),
        b"the old report\n"
    );
    assert_eq!(
        fs::read(dir.path().join("s.json")).expect("s.json"),
        b"{}\n"
    );
    assert_eq!(listing(dir.path()), before);

    let args = [
        "audit",
        "in.csv",
        "--out",
        "r.csv",
        "--html",
        "missing/report.html",
    ];
    let out = usernorm(dir.path(), &args);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: cannot write --html missing/report.html: "),
        "{err}"
    );
    assert!(
        !err.contains(".tmp"),
        "the temporary name is not the user's: {err}"
    );
    assert_eq!(
        fs::read(dir.path().join("r.csv")).expect("r.csv"),
        b"the old report\n"
    );
    assert_eq!(listing(dir.path()), before);
}

#[test]
fn a_write_error_names_the_output_not_the_input() {
    let dir = workdir();
    for option in OUTPUTS {
        let out = usernorm(dir.path(), &["audit", "in.csv", option, "/dev/full"]);
        assert_eq!(out.status.code(), Some(2), "{option}");
        let expected = format!("error: cannot write {option} /dev/full: No space left on device");
        assert!(
            stderr(&out).starts_with(&expected),
            "{option}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn outputs_appear_with_the_usual_mode_and_replace_through_links() {
    let dir = workdir();
    fs::write(dir.path().join("kept.csv"), "old").expect("kept.csv");
    fs::set_permissions(
        dir.path().join("kept.csv"),
        fs::Permissions::from_mode(0o640),
    )
    .expect("chmod");
    fs::write(dir.path().join("target.html"), "old").expect("target.html");
    std::os::unix::fs::symlink("target.html", dir.path().join("link.html")).expect("symlink");
    let status = Command::new("sh")
        .args(["-c", "umask 022; exec \"$0\" audit in.csv --out new.csv --fixed-out kept.csv --html link.html"])
        .arg(BIN)
        .current_dir(dir.path())
        .stderr(Stdio::null())
        .status()
        .expect("sh runs");
    assert_eq!(status.code(), Some(1));
    let mode = |name: &str| {
        fs::metadata(dir.path().join(name))
            .expect("exists")
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("new.csv"), 0o644, "a new output: 0666 less the umask");
    assert_eq!(mode("kept.csv"), 0o640, "a replaced output keeps its mode");
    let fixed = fs::read_to_string(dir.path().join("kept.csv")).expect("kept.csv");
    assert!(
        fixed.starts_with("id,mailNickname,usernorm_username\n"),
        "{fixed}"
    );
    let link = fs::symlink_metadata(dir.path().join("link.html")).expect("link");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let page = fs::read_to_string(dir.path().join("target.html")).expect("target");
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "its target has the page"
    );
    assert_eq!(
        listing(dir.path()),
        [
            "in.csv",
            "kept.csv",
            "link.html",
            "members.txt",
            "new.csv",
            "target.html"
        ]
    );
}

/// Starts `audit - --out x` on piped rows that never end, waits for its temporary file, and
/// sends it `signal`; returns the exit code.
fn interrupted(dir: &Path, signal: &str) -> Option<i32> {
    let mut child = Command::new(BIN)
        .args(["audit", "-", "--out", "x.csv", "--html", "x.html"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm starts");
    let mut stdin = child.stdin.take().expect("piped");
    stdin.write_all(b"id,mailNickname\n").expect("header");
    for i in 0..1000 {
        writeln!(stdin, "{i},user_{i}").expect("a row");
    }
    stdin.flush().expect("flushed");
    // The outputs are started before the input is read: wait until they are there.
    let started = Instant::now();
    while listing(dir).iter().filter(|n| n.ends_with(".tmp")).count() < 2
        && started.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let code = wait_for(&mut child, Duration::from_secs(20));
    drop(stdin);
    code
}

#[test]
fn sigint_and_sigterm_remove_the_temporary_files_and_keep_the_old_ones() {
    for (signal, code) in [("-INT", 130), ("-TERM", 143)] {
        let dir = workdir();
        fs::write(dir.path().join("x.csv"), "the old report\n").expect("x.csv");
        let before = listing(dir.path());
        assert_eq!(interrupted(dir.path(), signal), Some(code), "{signal}");
        assert_eq!(
            fs::read(dir.path().join("x.csv")).expect("x.csv"),
            b"the old report\n"
        );
        assert_eq!(
            listing(dir.path()),
            before,
            "{signal}: no temporary file left"
        );
    }
}

#[test]
fn standard_input_is_kept_in_a_file_no_one_can_find_or_plant() {
    let dir = workdir();
    let tmp = dir.path().join("tmp");
    fs::create_dir(&tmp).expect("tmp");
    let fifo = dir.path().join("members.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    fs::write(dir.path().join("victim"), "precious\n").expect("victim");
    let mut child = Command::new(BIN)
        .args([
            "audit",
            "-",
            "--existing",
            "members.fifo",
            "--fixed-out",
            "fixed.csv",
        ])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm starts");
    // The old spool's name, planted before usernorm gets past the FIFO.
    let planted = tmp.join(format!("usernorm-audit-{}.csv", child.id()));
    std::os::unix::fs::symlink(dir.path().join("victim"), &planted).expect("planted");
    fs::write(&fifo, MEMBERS).expect("the FIFO read");
    let mut stdin = child.stdin.take().expect("piped");
    stdin.write_all(USERS.as_bytes()).expect("rows");
    stdin.flush().expect("flushed");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        listing(&tmp),
        [planted.file_name().expect("named").to_string_lossy()]
    );
    drop(stdin);
    let code = wait_for(&mut child, Duration::from_secs(30));
    assert_eq!(code, Some(1));
    assert_eq!(
        fs::read(dir.path().join("victim")).expect("victim"),
        b"precious\n"
    );
    assert_eq!(listing(&tmp).len(), 1, "nothing left behind");
    let fixed = fs::read_to_string(dir.path().join("fixed.csv")).expect("fixed.csv");
    assert_eq!(
        fixed,
        "id,mailNickname,usernorm_username\n1,alice,alice\n2,b_ob,b-ob\n3,alice,alice-2\n"
    );
}
