//! The SCIM endpoint as a usernorm [`Registry`].

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use usernorm::{Policy, Registry, RegistryError};

use crate::client::{Mode, ScimClient, ScimOptions};
use crate::error::ScimError;

/// What a [`ScimRegistry`] has done so far, for the run's summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScimStats {
    /// How it is asking now.
    pub mode: Mode,
    /// Names looked up one by one.
    pub lookups: usize,
    /// Names fetched in bulk, and the pages that took.
    pub fetched: Option<(usize, usize)>,
}

/// The org's members behind a SCIM endpoint, compared by the policy's canonical key.
///
/// It looks names up one by one until [`ScimOptions::lookup_limit`] lookups, then fetches every
/// `userName` once and answers locally: a handful of names costs a handful of requests, and a
/// bulk audit costs one pass over the directory.
#[derive(Debug)]
pub struct ScimRegistry {
    policy: Policy,
    client: ScimClient,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    lookups: usize,
    answers: HashMap<String, bool>,
    all: Option<HashSet<String>>,
    fetched: Option<(usize, usize)>,
}

impl ScimRegistry {
    /// A registry over the endpoint; sends nothing yet.
    ///
    /// # Errors
    /// A URL the client refuses (see [`ScimClient::new`]).
    pub fn new(policy: &Policy, options: ScimOptions) -> Result<ScimRegistry, ScimError> {
        Ok(ScimRegistry {
            policy: policy.clone(),
            client: ScimClient::new(options)?,
            state: Mutex::new(State::default()),
        })
    }

    /// Fetches every `userName` now, as a bulk audit wants before it starts.
    ///
    /// # Errors
    /// When the endpoint cannot answer.
    pub fn prefetch(&self) -> Result<(), ScimError> {
        let mut state = self.lock();
        self.fetch_all(&mut state)
    }

    /// How it has asked the endpoint so far.
    pub fn stats(&self) -> ScimStats {
        let state = self.lock();
        ScimStats {
            mode: if state.all.is_some() {
                Mode::Bulk
            } else {
                Mode::Lookups
            },
            lookups: state.lookups,
            fetched: state.fetched,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the cache half-written: every update is one insert.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn fetch_all(&self, state: &mut State) -> Result<(), ScimError> {
        if state.all.is_some() {
            return Ok(());
        }
        let (names, pages) = self.client.all_user_names()?;
        state.fetched = Some((names.len(), pages));
        state.all = Some(
            names
                .iter()
                .map(|n| self.policy.canonical_key(n).into_owned())
                .collect(),
        );
        Ok(())
    }

    fn taken(&self, key: &str) -> Result<bool, ScimError> {
        let mut state = self.lock();
        if let Some(all) = &state.all {
            return Ok(all.contains(key));
        }
        if let Some(&known) = state.answers.get(key) {
            return Ok(known);
        }
        if state.lookups >= self.client.options().lookup_limit {
            self.fetch_all(&mut state)?;
            return Ok(state.all.as_ref().is_some_and(|all| all.contains(key)));
        }
        state.lookups += 1;
        let found = self.client.find_user_names(key)?;
        // The server filters case-insensitively (userName is not caseExact); the policy decides.
        let taken = found
            .iter()
            .any(|name| self.policy.canonical_key(name) == key);
        state.answers.insert(key.to_owned(), taken);
        Ok(taken)
    }
}

impl Registry for ScimRegistry {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        self.taken(key)
            .map_err(|e| RegistryError::new(e.to_string()))
    }
}
