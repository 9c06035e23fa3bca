//! `usernorm`: check and fix usernames before they reach an identity system.
//!
//! A thin front end: `args` parses the command line, `config` turns it into core types, each
//! subcommand module calls the core, and `render` prints.

mod args;
mod audit;
mod check;
mod completions;
mod config;
mod eval;
mod eval_okta;
mod explain;
mod export;
mod github;
mod html;
mod idp;
mod input;
mod markdown;
mod normalize;
mod output;
mod plan;
mod planlists;
mod render;
mod samefile;
mod scim;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// How a run ended; the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Outcome {
    /// Everything passed.
    Pass = 0,
    /// Something violates the policy.
    Violations = 1,
    /// A usage, input or I/O error.
    Error = 2,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome as u8)
    }
}

/// Why a run stopped early.
#[derive(Debug)]
pub(crate) enum CliError {
    /// An error that ends the run with exit status 2, shown as `error: MESSAGE`.
    Fatal(String),
    /// The reader of standard output went away (`usernorm check | head`): stop quietly, with
    /// the outcome known so far (see [`stopped`]).
    BrokenPipe,
}

impl CliError {
    pub(crate) fn new(message: impl Into<String>) -> CliError {
        CliError::Fatal(message.into())
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        // An output file that could not be written says which, whatever the error.
        if output::is_write_error(&e) {
            return CliError::new(
                e.get_ref()
                    .map_or_else(|| e.to_string(), ToString::to_string),
            );
        }
        if e.kind() == io::ErrorKind::BrokenPipe {
            return CliError::BrokenPipe;
        }
        // A registry that could not answer travels through the I/O closures as an I/O error.
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<usernorm::RegistryError>())
        {
            Some(registry) => CliError::new(registry.to_string()),
            // Input that is not what it should be says so itself (`line 1: no line end ...`).
            None if e.kind() == io::ErrorKind::InvalidData => CliError::new(e.to_string()),
            None => CliError::new(format!("I/O error: {e}")),
        }
    }
}

/// A run stopped by `e`: when standard output closed early (`usernorm check | head`), quietly,
/// with the outcome known so far (never 0 once something failed); otherwise with the error.
pub(crate) fn stopped(e: io::Error, so_far: Outcome) -> Result<Outcome, CliError> {
    match CliError::from(e) {
        CliError::BrokenPipe => Ok(so_far),
        e => Err(e),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.global.format == args::Format::Github
        && !matches!(cli.command, Command::Check(_) | Command::Audit(_))
    {
        render::error("--format github is for `check` and `audit`");
        return Outcome::Error.into();
    }
    let result = match &cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Normalize(args) => normalize::run(&cli.global, args),
        Command::Explain(args) => explain::run(&cli.global, args),
        Command::Audit(args) => audit::run(&cli.global, args),
        Command::Eval(args) => eval::run(&cli.global, args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        // `check`, `normalize` and `audit` stop on a broken pipe with the outcome known so far
        // (`stopped`); `explain`, `eval`, `completions` and `man` have nothing failing to report by then.
        Err(CliError::BrokenPipe) => Outcome::Pass.into(),
        Err(CliError::Fatal(message)) => {
            render::error(&message);
            let _ = io::stderr().flush();
            Outcome::Error.into()
        }
    }
}
