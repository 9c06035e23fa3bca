//! `usernorm completions SHELL` and `usernorm man`: shell completion scripts and manual pages,
//! generated from the clap definition in `args`, so they always match the options the binary
//! takes.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::{CliError, Outcome};

/// The binary's name, as the scripts register it and the pages title it.
const BIN: &str = "usernorm";

pub(crate) fn completions(args: &CompletionsArgs) -> Result<Outcome, CliError> {
    let mut cli = Cli::command();
    // Generated into memory first: clap_complete panics on a failed write, and standard output
    // may be a pipe that closes early.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cli, BIN, &mut script);
    io::stdout().lock().write_all(&script)?;
    Ok(Outcome::Pass)
}

pub(crate) fn man(args: &ManArgs) -> Result<Outcome, CliError> {
    let mut cli = Cli::command();
    // Built, so the global options (`--policy`, `--format`) reach each subcommand's page and
    // each subcommand is titled `usernorm-NAME`, as clap_mangen names the pages.
    cli.build();
    let page = match &args.command {
        None => cli,
        Some(name) => cli.find_subcommand(name).cloned().ok_or_else(|| {
            let names: Vec<&str> = cli
                .get_subcommands()
                .map(clap::Command::get_name)
                .filter(|n| *n != "help")
                .collect();
            CliError::new(format!(
                "no subcommand `{name}`; the subcommands are {}",
                names.join(", ")
            ))
        })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page).render(&mut roff)?;
    io::stdout().lock().write_all(&roff)?;
    Ok(Outcome::Pass)
}
