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
//! [`ScimClient::all_members`] lists every member with its `externalId` and `active`
//! (`attributes=userName,externalId,active`), page by page under the same bounds and checks,
//! and [`ScimClient::snapshot`] makes them a `usernorm::OrgSnapshot`: the org a provisioning
//! plan matches export rows against.
//!
//! A registry that cannot answer is an error, never "the name is free": a refused token, a
//! timeout, a server error that outlives the retries, a response that is not SCIM, or a
//! listing that cannot be trusted to hold every user.
//!
//! # Untrusted servers
//!
//! Real SCIM servers disagree on case, quoting and paging, so none of it is taken on trust:
//!
//! - **Case.** RFC 7643 makes `userName` case-insensitive, but not every server filters so.
//!   Before its first lookup the registry reads the listing's first page (when it holds every
//!   user, it answers everything, an empty org included, and no filter is ever sent) and looks
//!   up one member from it with the case of its name turned. A server that does not find it,
//!   or a lookup that returns a user not matching the name asked, sends the run to the
//!   listing. [`ScimRegistry::stats`] says which way was used, and [`Why`].
//! - **Quoting.** Names a filter cannot carry safely ([`filter_can_carry`]: quotes,
//!   backslashes, spaces, control or non-ASCII characters, over 256 bytes) are answered from
//!   the listing, and so is every name after a server refuses a filter (HTTP 400 or 501).
//! - **Paging.** A listing goes on until a page shorter than asked (unless `totalResults` says
//!   there are more) or an empty one; a page that brings no user not seen before is an error,
//!   and so is passing [`ScimOptions::max_users`] (1,000,000), [`ScimOptions::max_pages`]
//!   (10,000) or [`ScimOptions::max_listing_bytes`] (128 MiB of ids and names); one body may
//!   hold [`ScimOptions::max_body_bytes`] (16 MiB). [`parse_list_page`] reads one page.
//! - **Time.** [`ScimOptions::timeout`] bounds a whole request, retries and waits included; a
//!   `Retry-After` longer than [`ScimOptions::max_backoff`] or the time left fails at once,
//!   naming the delay asked.
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
//! The bearer token is held by [`Token`], whose `Debug` and `Display` never show it. Every
//! error has the token, and the password of a URL's userinfo (`https://user:PASSWORD@host/`),
//! replaced by `[redacted]` in its URL and in any text of the server's it quotes (a server
//! may echo the `Authorization` header), and control characters in that text escaped. URLs
//! must be `https://`, except to a loopback address (`127.0.0.0/8`, `::1`, `localhost`) or
//! when [`ScimOptions::allow_insecure_http`] is set.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod error;
mod filter;
mod members;
mod page;
mod registry;

pub use client::{Mode, ScimClient, ScimOptions, Token};
pub use error::ScimError;
pub use filter::{MAX_FILTER_NAME_BYTES, filter_can_carry, filter_for_user_name};
pub use page::{ListPage, PageError, PageUser, parse_list_page};
pub use registry::{ScimRegistry, ScimStats, Why};
pub use usernorm::Registry;
