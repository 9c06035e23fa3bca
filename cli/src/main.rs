//! `usernorm`: check and fix usernames before they reach an identity system.
//!
//! A thin front end: `args` parses the command line, `config` turns it into core types, each
//! subcommand module calls the core, and `render` prints.

mod args;
mod audit;
mod check;
mod config;
mod eval;
mod explain;
mod html;
mod input;
mod normalize;
mod render;
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

/// An error that ends the run with exit status 2, shown as `error: MESSAGE`.
#[derive(Debug)]
pub(crate) struct CliError(pub(crate) String);

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        // A registry that could not answer travels through the I/O closures as an I/O error.
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<usernorm::RegistryError>())
        {
            Some(registry) => CliError(registry.to_string()),
            None => CliError(format!("I/O error: {e}")),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Check(args) => check::run(&cli.global, args),
        Command::Normalize(args) => normalize::run(&cli.global, args),
        Command::Explain(args) => explain::run(&cli.global, args),
        Command::Audit(args) => audit::run(&cli.global, args),
        Command::Eval(args) => eval::run(&cli.global, args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(CliError(message)) if message.contains("Broken pipe") => Outcome::Pass.into(),
        Err(CliError(message)) => {
            render::error(&message);
            let _ = io::stderr().flush();
            Outcome::Error.into()
        }
    }
}
