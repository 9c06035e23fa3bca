//! `usernorm completions SHELL` and `usernorm man`: what they print is read by the shells and by
//! `man` themselves, which must accept it without an error or a warning.
//!
//! A shell that is not installed is passed over with a note on standard error (`cargo test --
//! --nocapture` shows it); `scripts/test.sh` installs zsh, fish and elvish first, so the full run
//! parses every script but PowerShell's (`pwsh` is not packaged by Debian: its script is parsed
//! when `pwsh` is on the PATH, and otherwise checked for what it must register).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SUBCOMMANDS: [&str; 7] = [
    "check",
    "normalize",
    "audit",
    "explain",
    "eval",
    "completions",
    "man",
];

fn usernorm(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_usernorm"))
        .args(args)
        .output()
        .expect("run usernorm");
    assert!(
        out.status.success(),
        "usernorm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn script(shell: &str) -> String {
    String::from_utf8(usernorm(&["completions", shell]).stdout).expect("UTF-8 script")
}

/// Whether `program` can be run; when it cannot, says so on standard error.
fn installed(program: &str) -> bool {
    let found = Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        writeln!(
            std::io::stderr(),
            "note: {program} is not installed: its completion script is not parsed here \
             (scripts/test.sh installs it)"
        )
        .expect("stderr");
    }
    found
}

/// Runs `program args` with `input` on standard input.
fn run_with_input(program: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// `program args FILE` on `text` written to a temporary file named `*.ext`.
fn parses(program: &str, args: &[&str], ext: &str, text: &str) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(format!("usernorm.{ext}"));
    std::fs::write(&file, text).expect("write script");
    Command::new(program)
        .args(args)
        .arg(&file)
        .output()
        .expect("run the shell")
}

fn assert_parses(shell: &str, out: &Output) {
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{shell} refuses the script: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_script_names_every_subcommand_and_option() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let text = script(shell);
        // Options without their dashes: fish writes `-l policy`.
        for word in SUBCOMMANDS
            .iter()
            .chain(&["existing", "policy", "format", "fixed-out"])
        {
            assert!(text.contains(word), "{shell} script lacks {word}");
        }
    }
}

#[test]
fn bash_parses_the_script_and_completes_a_subcommand() {
    let text = script("bash");
    assert_parses("bash", &parses("bash", &["-n"], "bash", &text));
    // Sourced, then asked for what follows `usernorm ch` and `usernorm check --fo`.
    let probe = format!(
        "{text}\nCOMP_WORDS=(usernorm ch); COMP_CWORD=1; _usernorm usernorm ch usernorm; \
         echo \"${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(usernorm check --fo); COMP_CWORD=2; _usernorm usernorm --fo check; \
         echo \"${{COMPREPLY[*]}}\"\n"
    );
    let out = run_with_input("bash", &["--norc", "--noprofile", "-s"], probe.as_bytes());
    assert_parses("bash", &out);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "check\n--format\n");
}

#[test]
fn zsh_parses_the_script() {
    if installed("zsh") {
        assert_parses("zsh", &parses("zsh", &["-n"], "zsh", &script("zsh")));
    }
}

#[test]
fn fish_parses_the_script() {
    if installed("fish") {
        assert_parses("fish", &parses("fish", &["-n"], "fish", &script("fish")));
    }
}

#[test]
fn elvish_compiles_the_script() {
    if installed("elvish") {
        // `edit:` exists only in an interactive elvish: the completer is bound to a variable of
        // the script's own instead, and the whole script compiled.
        let text = format!(
            "var arg-completer = [&]\n{}",
            script("elvish").replace("edit:completion:arg-completer", "arg-completer")
        );
        assert_parses("elvish", &parses("elvish", &["-compileonly"], "elv", &text));
    }
}

#[test]
fn powershell_script_registers_the_completer() {
    let text = script("powershell");
    assert!(text.contains("Register-ArgumentCompleter -Native -CommandName 'usernorm'"));
    if installed("pwsh") {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("usernorm.ps1");
        std::fs::write(&file, &text).expect("write script");
        let check = format!(
            "$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('{}', \
             [ref]$null, [ref]$e); if ($e.Count) {{ $e; exit 1 }}",
            file.display()
        );
        let out = Command::new("pwsh")
            .args(["-NoProfile", "-NonInteractive", "-Command", &check])
            .output()
            .expect("run pwsh");
        assert_parses("pwsh", &out);
    }
}

/// `man -l` renders `page` with troff's warnings on: none, and the sections wanted.
fn renders(page: &[u8]) -> String {
    let out = run_with_input("man", &["--warnings", "-E", "UTF-8", "-l", "-"], page);
    assert_parses("man", &out);
    String::from_utf8(out.stdout).expect("UTF-8 page")
}

#[test]
fn man_renders_the_page_and_every_subcommand_page() {
    assert!(
        Path::new("/usr/bin/man").exists() || installed("man"),
        "man (man-db) is needed: apt-get install man-db"
    );
    let page = renders(&usernorm(&["man"]).stdout);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "VERSION",
    ] {
        assert!(page.contains(section), "the page lacks {section}:\n{page}");
    }
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("usernorm-{sub}(1)")),
            "{sub} missing"
        );
        let page = renders(&usernorm(&["man", sub]).stdout);
        assert!(page.contains(&format!("usernorm-{sub}")), "{page}");
        // Global options reach each subcommand's page.
        assert!(page.contains("--policy"), "{sub}: {page}");
    }
}
