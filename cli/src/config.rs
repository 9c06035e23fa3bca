//! Turns the parsed arguments into core types: the policy and the existing names.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use usernorm::limits;

use usernorm::{ExistingOptions, LookalikeIndex, Members, MemoryRegistry, PRESETS, Policy};

use crate::args::{ExistingArgs, GlobalArgs};
use crate::{CliError, render};

/// The policy named by `--policy` (a preset or a file) and `--shortcode`.
pub(crate) fn policy(global: &GlobalArgs) -> Result<Policy, CliError> {
    let spec = global.policy.as_str();
    if PRESETS.contains(&spec) {
        return Policy::preset(spec, global.shortcode.as_deref())
            .map_err(|e| CliError::new(format!("{e} (give it with --shortcode)")));
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(CliError::new(format!(
            "unknown policy `{spec}`: not a preset ({}) and no such file",
            PRESETS.join(", ")
        )));
    }
    let text = read_text(path)?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let policy = if is_json {
        Policy::from_json(&text)
    } else {
        Policy::from_toml(&text)
    };
    policy.map_err(|e| CliError::new(format!("{}: {e}", path.display())))
}

/// The org's existing names from `--existing` (a list, or a CSV column), read as a stream
/// within the input limits. A file named `*.csv` is always a CSV.
pub(crate) fn existing_names(args: &ExistingArgs) -> Result<Vec<String>, CliError> {
    Ok(members(args)?.map(|m| m.names()).unwrap_or_default())
}

/// The org's members from `--existing` (a list, a CSV or JSON, with their identities where
/// the file has them), read as a stream within the input limits; `None` without the option.
/// A file named `*.csv` is always a CSV.
pub(crate) fn members(args: &ExistingArgs) -> Result<Option<Members>, CliError> {
    let Some(path) = &args.existing else {
        return Ok(None);
    };
    let file = fs::File::open(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let options = ExistingOptions {
        column: args.existing_column.as_deref(),
        csv: path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv")),
    };
    let members = usernorm::read_members(file, options).map_err(|e| {
        let hint = if e.is_missing_column() && args.existing_column.is_none() {
            "; name the one that holds the usernames with --existing-column"
        } else {
            ""
        };
        // The message may quote the file's header: escaped, as any text from a file.
        let message = format!("{}: {e}{hint}", path.display());
        CliError::new(render::escape(&message))
    })?;
    Ok(Some(members))
}

/// The org's existing names, as a registry and as an index of lookalikes.
pub(crate) struct Existing {
    pub(crate) registry: MemoryRegistry,
    pub(crate) names: Vec<String>,
}

impl Existing {
    pub(crate) fn load(args: &ExistingArgs, policy: &Policy) -> Result<Existing, CliError> {
        let names = existing_names(args)?;
        let registry = MemoryRegistry::from_names(policy, &names);
        Ok(Existing { registry, names })
    }

    pub(crate) fn lookalikes<'p>(&self, policy: &'p Policy) -> LookalikeIndex<'p> {
        let mut index = LookalikeIndex::new(policy);
        for name in &self.names {
            index.insert(name);
        }
        index
    }
}

/// Reads a whole configuration file (a policy, a profile) as UTF-8, refusing one over
/// [`limits::MAX_CONFIG_BYTES`] without reading further (`--policy /dev/zero`).
pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    let cannot = |e: io::Error| CliError::new(format!("cannot read {}: {e}", path.display()));
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|file| {
            file.take(limits::MAX_CONFIG_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(cannot)?;
    if bytes.len() > limits::MAX_CONFIG_BYTES {
        return Err(CliError::new(format!(
            "{}: longer than {} bytes, the limit for a configuration file",
            path.display(),
            limits::MAX_CONFIG_BYTES
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at
            - bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)
            + 1;
        CliError::new(format!(
            "{}: line {line}, column {column}: invalid UTF-8",
            path.display()
        ))
    })
}
