//! What a policy file holds ([`PolicyConfig`]) and why a policy could not be built
//! ([`PolicyError`]).

use std::fmt;

use serde::Deserialize;

use crate::text::concat;

pub(super) fn invalid(field: &'static str, message: String) -> PolicyError {
    PolicyError::Invalid { field, message }
}

/// The fields of a policy file (TOML or JSON). Every field is optional; unknown fields are
/// errors, so a typo never goes unnoticed.
///
/// ```toml
/// name = "acme"              # shown in reports
/// base = "huggingface"       # preset to start from: huggingface, github, github-emu
/// shortcode = "acme"         # with base = "github-emu"
/// min_length = 3
/// max_length = 30
/// extra_chars = "._"         # allowed besides ASCII letters, digits and `-`
/// reserved = ["admin", "root"]
/// case_sensitive = false
/// allow_digits_only = false
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PolicyConfig {
    pub name: Option<String>,
    pub base: Option<String>,
    pub shortcode: Option<String>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub extra_chars: Option<String>,
    pub reserved: Option<Vec<String>>,
    pub case_sensitive: Option<bool>,
    pub allow_digits_only: Option<bool>,
}

/// Why a policy could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file is not valid TOML or JSON, or a field has the wrong type or is unknown. The
    /// message names the field and the line and column.
    Parse {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A field has a value the policy cannot use.
    Invalid {
        /// The field's name in the policy file.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// No preset has this name.
    UnknownPreset(String),
}

impl PolicyError {
    /// The message, as [`Display`](fmt::Display) writes it. Its pieces are joined, not
    /// formatted: the browser build then carries none of the formatting machinery.
    pub fn message(&self) -> String {
        match self {
            PolicyError::Parse { format, message } => {
                concat(&["invalid ", format, " policy: ", message.trim_end()])
            }
            PolicyError::Invalid { field, message } => {
                concat(&["policy field `", field, "`: ", message])
            }
            PolicyError::UnknownPreset(name) => concat(&[
                "unknown policy `",
                name,
                "`; the presets are ",
                crate::text::PRESET_LIST,
            ]),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for PolicyError {}
