//! The SCIM endpoint as a usernorm [`Registry`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Mutex;

use usernorm::{Policy, Registry, RegistryError};

use crate::client::{Mode, ScimClient, ScimOptions};
use crate::error::ScimError;
use crate::filter::{filter_can_carry, swap_ascii_case};
use crate::page::{Listing, Next};

/// What a [`ScimRegistry`] has done so far, for the run's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimStats {
    /// How it is asking now.
    pub mode: Mode,
    /// Names looked up one by one.
    pub lookups: usize,
    /// Names fetched in bulk, and the pages that took.
    pub fetched: Option<(usize, usize)>,
    /// Why it asks the way it does: why every name was fetched, or which member proved the
    /// filter (`None` before the first question).
    pub why: Option<Why>,
}

/// Why a [`ScimRegistry`] answers from filter lookups or from the listing of every user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Why {
    /// Lookups: the filter found this member with the case of its name turned, and every user
    /// it returned matched.
    FilterProbed {
        /// The member's `userName`.
        member: String,
    },
    /// Listing: asked for up front ([`ScimRegistry::prefetch`]).
    Prefetch,
    /// Listing: more names than [`ScimOptions::lookup_limit`].
    LookupLimit(usize),
    /// Listing: the first page held every user, so nothing needed a filter.
    FirstPageHeldAll,
    /// Listing: no member on the first page has a name the probe could use (ASCII letters to
    /// turn, nothing a filter cannot carry).
    NoMemberToProbe,
    /// Listing: the filter did not find this member with the case of its name turned: the
    /// server compares `userName` case-sensitively.
    CaseSensitiveFilter {
        /// The member's `userName`.
        member: String,
    },
    /// Listing: the filter for `asked` returned a user whose name does not match it.
    WrongFilterResults {
        /// The name asked for.
        asked: String,
        /// A `userName` returned that differs from it other than by case.
        returned: String,
    },
    /// Listing: the server refused a filter (HTTP 400 or 501).
    FilterRefused(u16),
    /// Listing: a name a filter cannot carry safely (see
    /// [`filter_can_carry`](crate::filter_can_carry)).
    NameUnfitForFilter(String),
}

impl fmt::Display for Why {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Why::FilterProbed { member } => write!(
                f,
                "the filter found member {member:?} with its case turned, so it ignores case"
            ),
            Why::Prefetch => f.write_str("a bulk job reads every name up front"),
            Why::LookupLimit(limit) => write!(f, "more than {limit} names to check"),
            Why::FirstPageHeldAll => f.write_str("the first page held every user"),
            Why::NoMemberToProbe => f.write_str(
                "no member on the first page could show whether the filter ignores case",
            ),
            Why::CaseSensitiveFilter { member } => write!(
                f,
                "the filter did not find member {member:?} with its case turned: the server \
                 compares userName case-sensitively, so its lookups could say free wrongly"
            ),
            Why::WrongFilterResults { asked, returned } => write!(
                f,
                "the filter for {asked:?} returned {returned:?}: the server filters wrongly"
            ),
            Why::FilterRefused(status) => {
                write!(f, "the server refused a filter (HTTP {status})")
            }
            Why::NameUnfitForFilter(name) => write!(
                f,
                "{name:?} cannot be looked up safely with a filter (quotes, backslashes, \
                 spaces, control or non-ASCII characters, or over 256 bytes)"
            ),
        }
    }
}

/// The org's members behind a SCIM endpoint, compared by the policy's canonical key.
///
/// It looks names up one by one until [`ScimOptions::lookup_limit`] lookups, then fetches every
/// `userName` once and answers locally: a handful of names costs a handful of requests, and a
/// bulk audit costs one pass over the directory.
///
/// A lookup that finds nothing says "free" only when the filter has been shown to work.
/// Before its first lookup it reads the first page of the listing (which answers everything
/// when it holds every user) and probes the filter once with a member from it, the case of
/// its name turned (`JDoe` → `jdOE`): a server that does not find it compares case-sensitively.
/// It also checks that every user a lookup returns matches the name asked, ignoring case.
/// When either check fails, a filter is refused, or a name is one a filter cannot carry safely
/// ([`filter_can_carry`](crate::filter_can_carry)), it fetches every `userName` instead and
/// answers the rest of the run from that; [`ScimRegistry::stats`] says which way and [`Why`].
#[derive(Debug)]
pub struct ScimRegistry {
    policy: Policy,
    client: ScimClient,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    lookups: usize,
    answers: HashMap<String, bool>,
    /// The listing, from the probe's first page on.
    listing: Option<Listing>,
    /// Every canonical key, once the listing is done.
    all: Option<HashSet<String>>,
    fetched: Option<(usize, usize)>,
    why: Option<Why>,
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
            state: Mutex::new(State {
                lookups: 0,
                answers: HashMap::new(),
                listing: None,
                all: None,
                fetched: None,
                why: None,
            }),
        })
    }

    /// Fetches every `userName` now, as a bulk audit wants before it starts.
    ///
    /// # Errors
    /// When the endpoint cannot answer, or its listing cannot be trusted.
    pub fn prefetch(&self) -> Result<(), ScimError> {
        let mut state = self.lock();
        self.fetch_all(&mut state, Why::Prefetch)
    }

    /// How it has asked the endpoint so far, and why.
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
            why: state.why.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the cache half-written: every update is one insert.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reads the listing to its end, unless done, and answers from it from now on.
    fn fetch_all(&self, state: &mut State, why: Why) -> Result<(), ScimError> {
        if state.all.is_some() {
            return Ok(());
        }
        let mut listing = state
            .listing
            .take()
            .unwrap_or_else(|| self.client.listing());
        self.client.finish_listing(&mut listing)?;
        self.done(state, listing, why);
        Ok(())
    }

    fn done(&self, state: &mut State, listing: Listing, why: Why) {
        let pages = listing.pages();
        let names = listing.into_names();
        state.fetched = Some((names.len(), pages));
        state.all = Some(
            names
                .iter()
                .map(|n| self.policy.canonical_key(n).into_owned())
                .collect(),
        );
        state.why = Some(why);
    }

    /// Proves the filter once: `None` when it can be trusted, or why not (the listing then
    /// answers; when its first page held every user, it is done already).
    fn probe(&self, state: &mut State) -> Result<Option<Why>, ScimError> {
        let mut listing = self.client.listing();
        if self.client.next_page(&mut listing)? == Next::Done {
            self.done(state, listing, Why::FirstPageHeldAll);
            return Ok(None);
        }
        let member = listing
            .names()
            .iter()
            .filter(|n| filter_can_carry(n) && n.bytes().any(|b| b.is_ascii_alphabetic()))
            .min()
            .cloned();
        state.listing = Some(listing);
        let Some(member) = member else {
            return Ok(Some(Why::NoMemberToProbe));
        };
        let turned = swap_ascii_case(&member);
        let found = match self.filter(&turned)? {
            Ok(found) => found,
            Err(why) => return Ok(Some(why)),
        };
        if !found.contains(&member) {
            return Ok(Some(Why::CaseSensitiveFilter { member }));
        }
        state.why = Some(Why::FilterProbed { member });
        Ok(None)
    }

    /// The names a filter lookup returns, all of them checked to match; or why the filter
    /// cannot be trusted.
    fn filter(&self, name: &str) -> Result<Result<Vec<String>, Why>, ScimError> {
        let found = match self.client.find_user_names(name) {
            Ok(found) => found,
            Err(ScimError::Status {
                status: status @ (400 | 501),
                ..
            }) => return Ok(Err(Why::FilterRefused(status))),
            Err(e) => return Err(e),
        };
        if let Some(wrong) = found.iter().find(|n| !n.eq_ignore_ascii_case(name)) {
            return Ok(Err(Why::WrongFilterResults {
                asked: name.to_owned(),
                returned: wrong.clone(),
            }));
        }
        Ok(Ok(found))
    }

    fn taken(&self, key: &str) -> Result<bool, ScimError> {
        let mut state = self.lock();
        if let Some(&known) = state.answers.get(key) {
            return Ok(known);
        }
        let unfit = if state.all.is_some() {
            None
        } else if state.lookups >= self.client.options().lookup_limit {
            Some(Why::LookupLimit(self.client.options().lookup_limit))
        } else if !filter_can_carry(key) {
            Some(Why::NameUnfitForFilter(key.to_owned()))
        } else if state.why.is_none() {
            self.probe(&mut state)?
        } else {
            None
        };
        if let Some(why) = unfit {
            self.fetch_all(&mut state, why)?;
        }
        if state.all.is_none() {
            let found = match self.filter(key)? {
                Ok(found) => found,
                Err(why) => {
                    self.fetch_all(&mut state, why)?;
                    Vec::new()
                }
            };
            if state.all.is_none() {
                state.lookups += 1;
                // The policy decides whether a name differing in case is the same.
                let taken = found
                    .iter()
                    .any(|name| self.policy.canonical_key(name) == key);
                state.answers.insert(key.to_owned(), taken);
                return Ok(taken);
            }
        }
        Ok(state.all.as_ref().is_some_and(|all| all.contains(key)))
    }
}

impl Registry for ScimRegistry {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        self.taken(key)
            .map_err(|e| RegistryError::new(e.to_string()))
    }
}
