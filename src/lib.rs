//! Check and fix usernames before they reach an identity system.
//!
//! # Overview
//!
//! Organizations provision their people from a directory (Microsoft Entra ID, Okta, Google) into
//! a service over SCIM. The service enforces a username policy; when a mapped name breaks it, or
//! two people map to the same name, provisioning fails for that person. `usernorm` finds those
//! names before provisioning does, says why each one fails, and suggests a fix.
//!
//! * [`Policy`] is a username policy: the built-in presets ([`Policy::huggingface`], the default,
//!   [`Policy::github`], [`Policy::github_emu`]) or one loaded from TOML or JSON.
//! * [`Policy::validate`] checks a name against every rule at once and returns a [`Report`] of
//!   [`Violation`]s, each with a stable [`Code`], a byte span and a message saying how to fix it.
//! * [`Policy::normalize`] turns any text (a display name, an e-mail, an alias) into a valid
//!   name; [`Policy::suggest`] offers unique alternatives.
//! * [`Registry`] answers whether a name is taken in the org; [`BatchTracker`] adds the names of
//!   a batch, so collisions between rows are found too.
//! * [`OrgSnapshot`] is the org as it is: its [`Member`]s with the `externalId` an identity
//!   provider matches them by and whether each is `active`, read from a members file by
//!   [`read_members`] (a list, a CSV, or SCIM-like JSON).
//! * [`LookalikeIndex`] warns about names that read like an existing one (`paypa1`, `paypal`).
//! * [`audit`] audits a whole directory export: every row's username, status and fix.
//! * [`google`] knows Google Workspace's user CSVs: which header is its "Download users" file,
//!   its account statuses, and the bulk-update file that puts a fixed username in a field.
//! * [`okta_login_key`] is Okta's rule for logins that are one: equal but for case and
//!   diacritics.
//! * [`idp`] tells the identity provider an export comes from (Entra, Okta or Google) from the
//!   start of the file, and gives Okta and Google rows readable suggestions.
//!
//! The crate never prints and never panics on any input, and does no I/O of its own: it opens
//! no file and no connection. What reads ([`audit`], [`read_members`], [`read_existing`])
//! reads the [`std::io::Read`] the caller hands it (a file, standard input, a byte slice).
//! The audit alone starts threads: on native targets it parses and drafts on a few of its
//! own, each joined before the call that started it returns (or the records are dropped),
//! and on none in the browser build ([`audit::Audit::threads`] turns them off).
//!
//! # Examples
//!
//! ```
//! use usernorm::{Code, MemoryRegistry, Policy};
//!
//! let policy = Policy::huggingface();
//!
//! // Invalid input is data: every violation, with a span into the input.
//! let report = policy.validate("jean--luc_");
//! let found: Vec<_> = report.violations.iter().map(|v| (v.code, v.span.clone())).collect();
//! assert_eq!(found, [(Code::InvalidChar, 9..10), (Code::DoubleDash, 4..6)]);
//!
//! // Any text becomes a valid name.
//! let name = policy.normalize("Jean-Luc Ørsted")?.name;
//! assert_eq!(name, "Jean-Luc-Orsted");
//! assert!(policy.validate(&name).is_valid());
//!
//! // Uniqueness is checked through a registry, by canonical key.
//! let org = MemoryRegistry::from_names(&policy, ["jean-luc-orsted"]);
//! assert!(policy.check(&name, &org).unwrap().has(Code::Taken));
//! assert_eq!(policy.suggest(name.as_str(), &org, 1).unwrap(), ["Jean-Luc-Orsted-2"]);
//! # Ok::<(), usernorm::NormalizeError>(())
//! ```
//!
//! # Performance
//!
//! Validating a valid ASCII name is one pass over its bytes and allocates nothing;
//! violations allocate their messages. [`Policy::validate_codes`] and
//! [`BatchTracker::check_codes`] say only which rules a name breaks, as a [`CodeSet`], and never
//! format a message: that is what bulk checks want. A [`BatchTracker`] keeps the keys it has
//! claimed in one buffer, so a batch of a million names makes a handful of allocations.
//! Normalizing ASCII input does not touch the transliteration table. The `benches/` directory
//! has criterion benchmarks, and `bench/` compares the command-line tool with `grep` and
//! `python-slugify` (on one machine: `usernorm check --failing` about twice as fast as
//! `grep -vP`, `usernorm normalize` about 60 times as fast as python-slugify).
//!
//! # Untrusted input
//!
//! Every function takes arbitrary strings: property tests check that validation and
//! normalization never panic, that normalization is idempotent and that its output is valid.
//! Work is linear in the input's length.
//!
//! # Crate features
//!
//! * `translit` (default): transliterate every script when normalizing, with a generated table
//!   of what each character becomes (Unicode compatibility folding and the `deunicode` table,
//!   computed ahead of time and checked against them for every code point; about 83 KB of a
//!   gzipped WebAssembly build). Without it, normalizing folds Latin letters with a small
//!   generated table and drops letters of other scripts; that is the browser's small build.
//! * `entra` (on by default): [`entra`], the evaluator of Microsoft Entra ID attribute-mapping
//!   expressions. Alone it has no regular-expression engine: `Replace` patterns run on an
//!   [`entra::RegexEngine`] the caller gives (the browser's full build gives JavaScript's
//!   `RegExp`). Without it the crate has no evaluator, for the smallest WebAssembly build.
//! * `entra-regex` (default): the `regex` crate as the engine `Replace` patterns run on
//!   ([`entra::RustRegex`]).
//! * `entra-fast-regex` (default): the `regex` crate's lazy DFA, one-pass and backtracking
//!   engines and its literal prefilters for `Replace`. The matches are the same without it, only
//!   slower to find; the browser's full build leaves it off to save their code.
//! * `okta` (default): [`okta`], the evaluator of Okta Expression Language as a username
//!   mapping uses it, which evaluates every reading of what Okta's documentation leaves open
//!   and reports those that differ. Alone it has no regular-expression engine: the Java-regex
//!   readings (of `String.replace`, `replaceFirst`, `matches`) cannot be evaluated and say so.
//!   The browser's builds leave it off (the full build's size budget).
//! * `okta-regex` (default): the `regex` crate as the engine of those Java-regex readings.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audit;
#[cfg(any(feature = "entra", feature = "okta"))]
mod caret;
mod chars;
#[cfg(feature = "entra")]
pub mod entra;
mod extra_chars;
#[cfg(test)]
mod generated;
pub mod google;
mod hash;
pub mod idp;
pub mod limits;
mod login_key;
mod lookalike;
mod members;
mod normalize;
#[cfg(feature = "okta")]
pub mod okta;
mod policy;
mod registry;
pub mod rules;
mod sieve;
mod snapshot;
mod suggest;
mod text;
mod translit;

#[cfg(any(feature = "entra", feature = "okta"))]
pub use caret::ExpressionError;
pub use login_key::okta_login_key;
pub use lookalike::{LookalikeIndex, Warning, lookalike_in, skeleton};
pub use members::{
    ExistingOptions, LoadError, parse_existing, parse_members, parse_name_list, read_existing,
    read_members,
};
pub use normalize::{NormalizeError, NormalizeOptions, Normalized, Review, normalize};
pub use policy::{MAX_POLICY_LENGTH, PRESETS, Policy, PolicyConfig, PolicyError};
pub use registry::{BatchTracker, EmptyRegistry, MemoryRegistry, Registry, RegistryError};
pub use rules::{Code, CodeSet, Report, UnknownCode, Violation};
pub use snapshot::{Member, Members, MembersSource, OrgSnapshot, external_id_key};
pub use suggest::{SuggestInput, suggest};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Checks a name against the default (`huggingface`) policy.
///
/// ```
/// assert!(usernorm::validate("jane-doe").is_valid());
/// assert!(!usernorm::validate("jane_doe").is_valid());
/// ```
pub fn validate(name: &str) -> Report {
    Policy::huggingface().validate(name)
}
