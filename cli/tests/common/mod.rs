//! What the command-line tests share: starting `usernorm` with its streams piped.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// `usernorm` with colour off, not started yet.
pub(crate) fn usernorm() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_usernorm"));
    command.env("NO_COLOR", "1");
    command
}

/// Starts `command` with standard input, output and error piped.
pub(crate) fn spawn(command: &mut Command) -> Child {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("usernorm starts")
}

/// Runs `command` with `stdin` written from another thread (the output may fill its pipe
/// before the input is all read, and usernorm may stop reading early).
pub(crate) fn run_with(mut command: Command, stdin: Vec<u8>) -> Output {
    let mut child = spawn(&mut command);
    let mut pipe = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("usernorm ends");
    writer.join().expect("the writer does not panic");
    out
}

/// Runs `usernorm ARGS` on `stdin`.
pub(crate) fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut command = usernorm();
    command.args(args);
    run_with(command, stdin.to_vec())
}

/// Runs `usernorm ARGS` in `dir`, with no standard input.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Output {
    usernorm()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("usernorm runs")
}
