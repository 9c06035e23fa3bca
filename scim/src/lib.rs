//! Org uniqueness against a live SCIM 2.0 endpoint (RFC 7643 and 7644).
//!
//! # Overview
//!
//! The members an org already has live behind its SCIM endpoint. [`ScimRegistry`] implements
//! usernorm's [`Registry`] over it, so `check` and `audit` can tell which names are `taken`.
//! It chooses how to ask by itself: for the first few names it asks the endpoint about each one
//! (`GET /Users?filter=userName eq "NAME"`); past [`ScimOptions::lookup_limit`] lookups it
//! fetches every `userName` once, page by page, and answers the rest locally.
//!
//! A registry that cannot answer is an error, never "the name is free": a refused token, a
//! timeout, a server error that outlives the retries, or a response that is not SCIM.
//!
//! # Examples
//!
//! ```no_run
//! use usernorm::{Policy, Registry};
//! use usernorm_scim::{ScimOptions, ScimRegistry};
//!
//! let policy = Policy::huggingface();
//! let token = std::env::var("USERNORM_SCIM_TOKEN")?;
//! let options = ScimOptions::new("https://huggingface.co/api/organizations/acme/scim/v2", token);
//! let registry = ScimRegistry::new(&policy, options)?;
//! let report = policy.check("jdoe", &registry)?;
//! println!("taken: {}", report.has(usernorm::Code::Taken));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Security
//!
//! The bearer token is held by [`Token`], whose `Debug` and `Display` never show it, and it is
//! never part of an error message. URLs must be `https://`, except to a loopback address
//! (`127.0.0.0/8`, `::1`, `localhost`) or when [`ScimOptions::allow_insecure_http`] is set.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod error;
mod filter;
mod page;
mod registry;

pub use client::{Mode, ScimClient, ScimOptions, Token};
pub use error::ScimError;
pub use filter::filter_for_user_name;
pub use page::{ListPage, PageError, PageUser, parse_list_page};
pub use registry::{ScimRegistry, ScimStats};
pub use usernorm::Registry;
