//! Org uniqueness: the [`Registry`] trait the core asks with canonical keys, and its in-memory
//! implementations.

use std::collections::HashSet;
use std::fmt;

use hashbrown::{HashTable, hash_table};

use crate::hash::KeyedHash;

use crate::Policy;
use crate::rules::{self, Code, CodeSet, Report};
use crate::sieve::Sieve;

/// Answers whether a canonical key is already used in the org.
///
/// Implementations may fail (a registry behind a network); a failure is an error, never a
/// silent "free". The trait is object-safe: the core takes `&dyn Registry`.
///
/// ```
/// use usernorm::{Registry, RegistryError};
///
/// /// Every name starting with `svc-` belongs to a service account.
/// struct ServiceAccounts;
///
/// impl Registry for ServiceAccounts {
///     fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
///         Ok(key.starts_with("svc-"))
///     }
/// }
///
/// let hf = usernorm::Policy::huggingface();
/// assert!(!hf.check("svc-build", &ServiceAccounts)?.is_valid());
/// # Ok::<(), RegistryError>(())
/// ```
pub trait Registry {
    /// Whether `key`, a canonical key (see [`Policy::canonical_key`]), is taken.
    ///
    /// # Errors
    /// When the registry cannot answer.
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError>;
}

impl<R: Registry + ?Sized> Registry for &R {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        (**self).is_taken(key)
    }
}

impl<R: Registry + ?Sized> Registry for Box<R> {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        (**self).is_taken(key)
    }
}

/// Two registries as one: a key is taken when either holds it (an existing-members file and a
/// live endpoint, say). The first is asked first.
///
/// ```
/// use usernorm::{MemoryRegistry, Policy, Registry};
///
/// let hf = Policy::huggingface();
/// let file = MemoryRegistry::from_names(&hf, ["jdoe"]);
/// let live = MemoryRegistry::from_names(&hf, ["asmith"]);
/// let both = (file, live);
/// assert!(both.is_taken("jdoe")? && both.is_taken("asmith")? && !both.is_taken("bob")?);
/// # Ok::<(), usernorm::RegistryError>(())
/// ```
impl<A: Registry, B: Registry> Registry for (A, B) {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        Ok(self.0.is_taken(key)? || self.1.is_taken(key)?)
    }
}

impl<R: Registry> Registry for Option<R> {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        match self {
            Some(registry) => registry.is_taken(key),
            None => Ok(false),
        }
    }
}

/// A registry could not answer.
#[derive(Debug)]
pub struct RegistryError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl RegistryError {
    /// An error with a message saying what failed.
    pub fn new(message: impl Into<String>) -> Self {
        RegistryError {
            message: message.into(),
            source: None,
        }
    }

    /// The message, without the cause's: all that [`Display`](fmt::Display) writes for an
    /// error made by [`RegistryError::new`].
    pub fn message(&self) -> &str {
        &self.message
    }

    /// An error with a message and the underlying cause.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        RegistryError {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(source) = &self.source {
            f.write_str(": ")?;
            fmt::Display::fmt(source, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for RegistryError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A registry that holds nothing: every name is free.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyRegistry;

impl Registry for EmptyRegistry {
    fn is_taken(&self, _key: &str) -> Result<bool, RegistryError> {
        Ok(false)
    }
}

/// The org's names in memory, as a set of canonical keys.
///
/// ```
/// use usernorm::{MemoryRegistry, Policy, Registry};
///
/// let hf = Policy::huggingface();
/// let mut org = MemoryRegistry::from_names(&hf, ["JDoe", "asmith"]);
/// org.insert(&hf, "Bob");
/// assert!(org.is_taken("jdoe")?);
/// assert!(org.is_taken("bob")?);
/// assert_eq!(org.len(), 3);
/// # Ok::<(), usernorm::RegistryError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryRegistry {
    keys: HashSet<String, KeyedHash>,
    /// Rules out most absent keys before the set is asked.
    sieve: Sieve,
}

impl MemoryRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        MemoryRegistry::default()
    }

    /// A registry holding the canonical keys of these names.
    pub fn from_names<S: AsRef<str>>(policy: &Policy, names: impl IntoIterator<Item = S>) -> Self {
        let mut registry = MemoryRegistry::new();
        for name in names {
            registry.insert(policy, name.as_ref());
        }
        registry
    }

    /// Adds a name's canonical key; returns whether it was new.
    pub fn insert(&mut self, policy: &Policy, name: &str) -> bool {
        let key = policy.canonical_key(name);
        if self.keys.contains(key.as_ref()) {
            return false;
        }
        (self.sieve).insert(key.as_bytes(), || self.keys.iter().map(String::as_bytes));
        self.keys.insert(key.into_owned())
    }

    /// How many distinct keys it holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl Registry for MemoryRegistry {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        Ok(self.sieve.may_hold(key.as_bytes()) && self.keys.contains(key))
    }
}

/// Tracks the names of a batch (an audit, a bulk check): the first row that produces a
/// canonical key keeps it, later rows are `duplicate`s, and names handed out as suggestions are
/// reserved so no two rows are offered the same one.
///
/// As a [`Registry`] it reports a key as taken when the org has it or the batch has claimed it.
///
/// ```
/// use usernorm::{BatchTracker, Code, MemoryRegistry, Policy};
///
/// let hf = Policy::huggingface();
/// let org = MemoryRegistry::from_names(&hf, ["asmith"]);
/// let mut batch = BatchTracker::new(&hf, &org);
/// assert!(batch.check("johndoe")?.is_valid());
/// assert!(batch.check("JohnDoe")?.has(Code::Duplicate));
/// assert!(batch.check("ASmith")?.has(Code::Taken));
/// assert_eq!(batch.owner("johndoe"), Some(1));
/// # Ok::<(), usernorm::RegistryError>(())
/// ```
pub struct BatchTracker<'a> {
    policy: &'a Policy,
    registry: &'a dyn Registry,
    claimed: Claims,
    rows: usize,
}

/// The canonical keys a batch has claimed, each with its row. Every key lives in one string
/// and the table holds offsets into it, so a batch of a million names makes a handful of
/// allocations rather than a million. The hasher is seeded per table, so crafted names cannot
/// be chosen to collide.
#[derive(Default)]
struct Claims {
    keys: String,
    table: HashTable<Claim>,
    hasher: KeyedHash,
}

/// One claimed key: `keys[start..end]`, its hash (so growing the table never rehashes the
/// text) and the row that claimed it.
#[derive(Clone, Copy)]
struct Claim {
    hash: u64,
    start: usize,
    end: usize,
    row: usize,
}

impl Claims {
    /// The row that claimed `key`, if any.
    fn get(&self, key: &str) -> Option<usize> {
        let hash = self.hasher.str(key);
        let keys = &self.keys;
        self.table
            .find(hash, |c| {
                c.hash == hash && keys.get(c.start..c.end) == Some(key)
            })
            .map(|c| c.row)
    }

    /// Claims `key` for `row`; when it is already claimed, returns the row that has it.
    fn claim(&mut self, key: &str, row: usize) -> Result<(), usize> {
        let hash = self.hasher.str(key);
        let keys = &self.keys;
        let entry = self.table.entry(
            hash,
            |c| c.hash == hash && keys.get(c.start..c.end) == Some(key),
            |c| c.hash,
        );
        match entry {
            hash_table::Entry::Occupied(claim) => Err(claim.get().row),
            hash_table::Entry::Vacant(slot) => {
                let start = self.keys.len();
                self.keys.push_str(key);
                slot.insert(Claim {
                    hash,
                    start,
                    end: self.keys.len(),
                    row,
                });
                Ok(())
            }
        }
    }

    fn len(&self) -> usize {
        self.table.len()
    }
}

impl fmt::Debug for BatchTracker<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchTracker")
            .field("policy", &self.policy.name())
            .field("claimed", &self.claimed.len())
            .field("rows", &self.rows)
            .finish()
    }
}

impl<'a> BatchTracker<'a> {
    /// A tracker over the org's registry, with nothing claimed yet.
    pub fn new(policy: &'a Policy, registry: &'a dyn Registry) -> Self {
        BatchTracker {
            policy,
            registry,
            claimed: Claims::default(),
            rows: 0,
        }
    }

    /// Checks the next row's name (rows count from 1) against every rule, the org and the rows
    /// before it. A name that passes claims its canonical key for this row.
    ///
    /// # Errors
    /// When the org's registry cannot answer.
    pub fn check(&mut self, name: &str) -> Result<Report, RegistryError> {
        self.rows += 1;
        let row = self.rows;
        self.check_row(name, row)
    }

    /// Like [`check`](Self::check), with the row number given.
    ///
    /// # Errors
    /// When the org's registry cannot answer.
    pub fn check_row(&mut self, name: &str, row: usize) -> Result<Report, RegistryError> {
        let mut report = self.policy.check(name, self.registry)?;
        if let Some(first) = self.claim(name, row, report.is_valid()) {
            report
                .violations
                .push(rules::duplicate_violation(name, first));
        }
        Ok(report)
    }

    /// Like [`check`](Self::check), but says only which rules the next row's name breaks,
    /// without spans or messages: for bulk checks that print the codes alone.
    ///
    /// ```
    /// use usernorm::{BatchTracker, Code, EmptyRegistry, Policy};
    ///
    /// let hf = Policy::huggingface();
    /// let mut batch = BatchTracker::new(&hf, &EmptyRegistry);
    /// assert!(batch.check_codes("johndoe")?.is_empty());
    /// assert!(batch.check_codes("JohnDoe")?.contains(Code::Duplicate));
    /// # Ok::<(), usernorm::RegistryError>(())
    /// ```
    ///
    /// # Errors
    /// When the org's registry cannot answer.
    pub fn check_codes(&mut self, name: &str) -> Result<CodeSet, RegistryError> {
        self.rows += 1;
        let mut codes = self.policy.check_codes(name, self.registry)?;
        if self.claim(name, self.rows, codes.is_empty()).is_some() {
            codes.insert(Code::Duplicate);
        }
        Ok(codes)
    }

    /// The row that already claimed the name's canonical key, if one did; otherwise, when the
    /// name is `valid`, claims the key for `row`.
    fn claim(&mut self, name: &str, row: usize, valid: bool) -> Option<usize> {
        let claimed = &mut self.claimed;
        self.policy.with_canonical_key(name, |key| {
            if valid {
                claimed.claim(key, row).err()
            } else {
                claimed.get(key)
            }
        })
    }

    /// Claims a canonical key for a row (a suggestion handed out, or a name known in advance);
    /// returns whether it was free in the batch.
    pub fn reserve(&mut self, key: &str, row: usize) -> bool {
        self.claimed.claim(key, row).is_ok()
    }

    /// The row that claimed a canonical key, if any.
    pub fn owner(&self, key: &str) -> Option<usize> {
        self.claimed.get(key)
    }

    /// The policy the batch is checked against.
    pub fn policy(&self) -> &'a Policy {
        self.policy
    }
}

impl Registry for BatchTracker<'_> {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        Ok(self.claimed.get(key).is_some() || self.registry.is_taken(key)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Down;

    impl Registry for Down {
        fn is_taken(&self, _key: &str) -> Result<bool, RegistryError> {
            Err(RegistryError::new("registry down"))
        }
    }

    #[test]
    fn a_failing_registry_is_an_error_not_free() {
        let p = Policy::huggingface();
        assert!(p.check("jdoe", &Down).is_err());
        let mut batch = BatchTracker::new(&p, &Down);
        assert!(batch.check("jdoe").is_err());
        assert!(batch.is_taken("jdoe").is_err());
    }

    #[test]
    fn invalid_rows_claim_nothing() {
        let p = Policy::huggingface();
        let mut batch = BatchTracker::new(&p, &EmptyRegistry);
        assert!(!batch.check("j_doe").expect("ok").is_valid());
        assert!(
            !batch
                .check("j_doe")
                .expect("ok")
                .has(crate::Code::Duplicate)
        );
        assert!(batch.reserve("jdoe-2", 3));
        assert!(!batch.reserve("jdoe-2", 4));
        assert_eq!(batch.is_taken("jdoe-2").ok(), Some(true));
    }

    #[test]
    fn check_codes_agrees_with_check() {
        let p = Policy::huggingface();
        let org = MemoryRegistry::from_names(&p, ["asmith"]);
        let names = [
            "johndoe", "JohnDoe", "j_doe", "j_doe", "ASmith", "asmith", "x", "johndoe",
        ];
        let mut full = BatchTracker::new(&p, &org);
        let mut codes = BatchTracker::new(&p, &org);
        for name in names {
            let report = full.check(name).expect("ok");
            assert_eq!(
                codes.check_codes(name).expect("ok"),
                report.code_set(),
                "{name}"
            );
        }
        assert_eq!(codes.owner("johndoe"), Some(1));
        assert!(codes.check_codes("x").is_ok());
        assert!(BatchTracker::new(&p, &Down).check_codes("jdoe").is_err());
    }
}
