//! Loading the shared vectors of `tests/data/*.toml`, for the integration tests.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::path::PathBuf;

use serde::Deserialize;
use usernorm::{Policy, PolicyConfig};

/// A policy as the vectors write it: a preset name (`github-emu:SHORTCODE` for
/// `github-emu`) or an inline table with the fields of a policy file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum PolicySpec {
    Preset(String),
    Inline(PolicyConfig),
}

impl PolicySpec {
    pub(crate) fn build(spec: Option<&PolicySpec>) -> Result<Policy, String> {
        match spec {
            None => Ok(Policy::huggingface()),
            Some(PolicySpec::Preset(name)) => {
                let (name, shortcode) = match name.split_once(':') {
                    Some((name, code)) => (name, Some(code)),
                    None => (name.as_str(), None),
                };
                Policy::preset(name, shortcode).map_err(|e| e.to_string())
            }
            Some(PolicySpec::Inline(config)) => {
                Policy::from_config(config.clone()).map_err(|e| e.to_string())
            }
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidateFile {
    pub(crate) case: Vec<ValidateCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidateCase {
    pub(crate) name: String,
    pub(crate) policy: Option<PolicySpec>,
    pub(crate) violations: Vec<ExpectedViolation>,
    pub(crate) note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectedViolation {
    pub(crate) code: String,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NormalizeFile {
    pub(crate) case: Vec<NormalizeCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NormalizeCase {
    pub(crate) input: String,
    pub(crate) output: Option<String>,
    #[serde(default)]
    pub(crate) error: bool,
    pub(crate) review: Option<String>,
    #[serde(default)]
    pub(crate) lowercase: bool,
    pub(crate) policy: Option<PolicySpec>,
    pub(crate) note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuggestFile {
    pub(crate) case: Vec<SuggestCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SuggestCase {
    pub(crate) input: String,
    pub(crate) given: Option<String>,
    pub(crate) family: Option<String>,
    #[serde(default)]
    pub(crate) taken: Vec<String>,
    pub(crate) n: usize,
    pub(crate) expected: Vec<String>,
    pub(crate) policy: Option<PolicySpec>,
    pub(crate) note: Option<String>,
}

/// Reads and parses `tests/data/{file}`, panicking with the parser's message on a bad file.
pub(crate) fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "data", file]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid: {e}", path.display()))
}

/// The token a vector uses for a review note.
pub(crate) fn review_token(review: usernorm::Review) -> &'static str {
    match review {
        usernorm::Review::HanReading => "han",
        usernorm::Review::UnwrittenVowels => "vowels",
        _ => "unknown",
    }
}

/// Fails with every mismatch, numbered, when there are any.
pub(crate) fn report(file: &str, total: usize, failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases in tests/data/{file} failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
