//! A small SCIM 2.0 client: the two reads usernorm needs, with timeouts and retries.

use std::fmt;
use std::io::Read;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use serde::Deserialize;
use ureq::http::{StatusCode, Uri};

use crate::error::{ScimError, Secrets, snippet};
use crate::filter::{encode_query, filter_for_user_name};
use crate::page::{Bounds, ListPage, Listing, Next, parse_list_page};

/// A bearer token. Neither `Debug` nor `Display` shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Token {
        Token(token.into())
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Token {
    fn from(token: String) -> Token {
        Token(token)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([redacted])")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the endpoint is, how patiently to ask it, and how much of its answers to take.
///
/// Its `Debug` shows neither the token nor a password in the URL.
#[derive(Clone)]
pub struct ScimOptions {
    /// The SCIM base URL; `Users` is appended (`https://host/scim/v2` → `…/scim/v2/Users`).
    pub base_url: String,
    /// The bearer token.
    pub token: Token,
    /// How long one request (one lookup, one page) may take in all: the connection, every
    /// retry and every wait between them included.
    pub timeout: Duration,
    /// How many times a request answered with 429 or 5xx, or cut off, is tried again.
    pub max_retries: u32,
    /// The first wait before a retry; it doubles each time. `Retry-After` overrides it.
    pub backoff: Duration,
    /// The longest wait before a retry. A server whose `Retry-After` asks for more (or for more
    /// than is left of [`timeout`](ScimOptions::timeout)) gets no retry: the request fails
    /// with [`ScimError::RetryAfter`], which names the delay asked.
    pub max_backoff: Duration,
    /// How many users to ask for per page when fetching them all.
    pub page_size: usize,
    /// How many names to look up one by one before fetching every name instead.
    pub lookup_limit: usize,
    /// Allow a plain `http://` URL to a host that is not a loopback address.
    pub allow_insecure_http: bool,
    /// The most users a listing of every user reads before it stops with an error.
    pub max_users: usize,
    /// The most pages a listing of every user reads before it stops with an error.
    pub max_pages: usize,
    /// The most bytes of `id`s and `userName`s a listing keeps before it stops with an error.
    pub max_listing_bytes: usize,
    /// The largest response body read, in bytes; a larger one is an error.
    pub max_body_bytes: usize,
}

impl fmt::Debug for ScimOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secrets = Secrets::new(&self.base_url, self.token.expose());
        f.debug_struct("ScimOptions")
            .field("base_url", &secrets.redact(&self.base_url))
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("backoff", &self.backoff)
            .field("max_backoff", &self.max_backoff)
            .field("page_size", &self.page_size)
            .field("lookup_limit", &self.lookup_limit)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_users", &self.max_users)
            .field("max_pages", &self.max_pages)
            .field("max_listing_bytes", &self.max_listing_bytes)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl ScimOptions {
    /// Options with the defaults: 30 s for each request, retries and waits included; 4
    /// retries from 500 ms up to 30 s; pages of 500; 20 lookups before fetching every name;
    /// TLS required off loopback; a listing of at most 1,000,000 users, 10,000 pages and
    /// 128 MiB of ids and names; bodies of at most 16 MiB.
    pub fn new(base_url: impl Into<String>, token: impl Into<Token>) -> ScimOptions {
        ScimOptions {
            base_url: base_url.into(),
            token: token.into(),
            timeout: Duration::from_secs(30),
            max_retries: 4,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            page_size: 500,
            lookup_limit: 20,
            allow_insecure_http: false,
            max_users: 1_000_000,
            max_pages: 10_000,
            max_listing_bytes: 128 << 20,
            max_body_bytes: 16 << 20,
        }
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Token {
        Token(token.to_owned())
    }
}

/// How a [`ScimRegistry`](crate::ScimRegistry) asked the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One filtered request per name.
    Lookups,
    /// Every `userName` fetched once, page by page.
    Bulk,
}

/// A SCIM endpoint's `Users` resource, read-only.
///
/// Its `Debug` shows neither the token nor a password in the URL.
pub struct ScimClient {
    users_url: String,
    options: ScimOptions,
    secrets: Secrets,
    agent: ureq::Agent,
}

impl fmt::Debug for ScimClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScimClient")
            .field("users_url", &self.secrets.redact(&self.users_url))
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl ScimClient {
    /// A client for the endpoint; checks the URL, sends nothing.
    ///
    /// # Errors
    /// A URL that does not parse, is not `http(s)`, or is plain `http` to a host that is not a
    /// loopback address without [`ScimOptions::allow_insecure_http`].
    pub fn new(options: ScimOptions) -> Result<ScimClient, ScimError> {
        let base = options.base_url.trim().trim_end_matches('/').to_owned();
        let secrets = Secrets::new(&base, options.token.expose());
        let shown = secrets.redact(&base);
        let uri: Uri = base
            .parse()
            .map_err(|e| ScimError::Url(secrets.redact(&format!("`{shown}` is not a URL: {e}"))))?;
        let host = uri
            .host()
            .unwrap_or_default()
            .trim_start_matches('[')
            .trim_end_matches(']');
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if is_loopback(host) || options.allow_insecure_http => {}
            Some("http") => {
                return Err(ScimError::Url(format!(
                    "`{shown}` is plain http to a host that is not this machine; use https (or allow insecure http explicitly)"
                )));
            }
            _ => {
                return Err(ScimError::Url(format!(
                    "`{shown}` must start with https://"
                )));
            }
        }
        if host.is_empty() {
            return Err(ScimError::Url(format!("`{shown}` has no host")));
        }
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(concat!("usernorm/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(ScimClient {
            users_url: format!("{base}/Users"),
            options,
            secrets,
            agent,
        })
    }

    /// The options the client was made with.
    pub fn options(&self) -> &ScimOptions {
        &self.options
    }

    /// The text with the token and the URL's password replaced by `[redacted]`.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.secrets.redact(text)
    }

    /// The `userName`s the endpoint returns for `userName eq "NAME"`. RFC 7643 says the
    /// server compares case-insensitively; whether it does is for the caller to check (see
    /// [`ScimRegistry`](crate::ScimRegistry)).
    ///
    /// # Errors
    /// See [`ScimError`].
    pub fn find_user_names(&self, name: &str) -> Result<Vec<String>, ScimError> {
        let url = format!(
            "{}?filter={}&attributes=userName",
            self.users_url,
            encode_query(&filter_for_user_name(name))
        );
        let page = self.get_page(&url)?;
        Ok(page.users.into_iter().filter_map(|u| u.user_name).collect())
    }

    /// One page of the listing of every user: `count` users from the 1-based `start`.
    ///
    /// # Errors
    /// See [`ScimError`].
    pub fn list_page(&self, start: usize, count: usize) -> Result<ListPage, ScimError> {
        self.get_page(&self.page_url(start, count))
    }

    /// Every `userName` of the endpoint, fetched page by page (`startIndex`, `count`) until a
    /// page with fewer users than asked (and no more by `totalResults`) or an empty one, and
    /// the number of pages it took.
    ///
    /// # Errors
    /// See [`ScimError`]; [`ScimError::Listing`] when a page brings no user not seen before
    /// (a server that ignores `startIndex`), or past [`ScimOptions::max_users`],
    /// [`ScimOptions::max_pages`] or [`ScimOptions::max_listing_bytes`].
    pub fn all_user_names(&self) -> Result<(Vec<String>, usize), ScimError> {
        let mut listing = self.listing();
        self.finish_listing(&mut listing)?;
        let pages = listing.pages();
        Ok((listing.into_names().into_iter().collect(), pages))
    }

    /// A listing of every user, not started.
    pub(crate) fn listing(&self) -> Listing {
        Listing::new(self.bounds())
    }

    /// The bounds of a listing, from the options.
    pub(crate) fn bounds(&self) -> Bounds {
        Bounds {
            max_users: self.options.max_users,
            max_pages: self.options.max_pages,
            max_bytes: self.options.max_listing_bytes,
        }
    }

    /// Takes in one more page of the listing; what comes next.
    pub(crate) fn next_page(&self, listing: &mut Listing) -> Result<Next, ScimError> {
        let Next::Page(start) = listing.next() else {
            return Ok(Next::Done);
        };
        let count = self.options.page_size.max(1);
        let url = if listing.keeps_members() {
            self.page_url_with(crate::members::MEMBER_ATTRIBUTES, start, count)
        } else {
            self.page_url(start, count)
        };
        let page = self.get_page(&url)?;
        listing
            .add(page, count)
            .map_err(|message| ScimError::Listing {
                url: self.redact(&url),
                message,
            })
    }

    /// Takes in every page left.
    pub(crate) fn finish_listing(&self, listing: &mut Listing) -> Result<(), ScimError> {
        while self.next_page(listing)? != Next::Done {}
        Ok(())
    }

    fn page_url(&self, start: usize, count: usize) -> String {
        self.page_url_with("userName", start, count)
    }

    fn page_url_with(&self, attributes: &str, start: usize, count: usize) -> String {
        format!(
            "{}?attributes={attributes}&startIndex={start}&count={count}",
            self.users_url
        )
    }

    fn get_page(&self, url: &str) -> Result<ListPage, ScimError> {
        let body = self.get(url)?;
        parse_list_page(&body).map_err(|e| ScimError::NotScim {
            url: self.redact(url),
            message: self.redact(&e.to_string()),
        })
    }

    /// GET with the token, retrying 429, 5xx and cut-off connections, all within
    /// [`ScimOptions::timeout`].
    fn get(&self, url: &str) -> Result<Vec<u8>, ScimError> {
        let deadline = Instant::now() + self.options.timeout;
        let mut attempt = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.timeout(url));
            }
            let (error, retry_after) = match self.get_once(url, left) {
                Ok(body) => return Ok(body),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retry(error, retry_after)) => (error, retry_after),
            };
            if attempt >= self.options.max_retries {
                return Err(error);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = match retry_after {
                Some(asked) => {
                    let limit = self.options.max_backoff.min(left);
                    if asked > limit {
                        let status = match error {
                            ScimError::Status { status, .. } => status,
                            _ => 503,
                        };
                        return Err(ScimError::RetryAfter {
                            url: self.redact(url),
                            status,
                            asked,
                            limit,
                        });
                    }
                    asked
                }
                None => self
                    .options
                    .backoff
                    .saturating_mul(1 << attempt.min(16))
                    .min(self.options.max_backoff),
            };
            if wait >= left {
                // No time left to try again: the last answer says the most.
                return Err(error);
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn get_once(&self, url: &str, left: Duration) -> Result<Vec<u8>, Attempt> {
        let response = self
            .agent
            .get(url)
            .config()
            .timeout_global(Some(left))
            .build()
            .header(
                "Authorization",
                &format!("Bearer {}", self.options.token.expose()),
            )
            .header("Accept", "application/scim+json, application/json")
            .call()
            .map_err(|e| self.transport_error(url, e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let limit = self.options.max_body_bytes;
        let mut body = Vec::new();
        response
            .into_body()
            .into_reader()
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|e| match e.kind() {
                _ if is_timeout(&e) => Attempt::Final(self.timeout(url)),
                _ => Attempt::Retry(
                    ScimError::Transport {
                        url: self.redact(url),
                        message: self.redact(&e.to_string()),
                    },
                    None,
                ),
            })?;
        if body.len() > limit {
            return Err(Attempt::Final(ScimError::NotScim {
                url: self.redact(url),
                message: format!(
                    "its body passes {} MiB, the most usernorm reads",
                    limit >> 20
                ),
            }));
        }
        let url = self.redact(url);
        match status {
            s if s.is_success() => Ok(body),
            StatusCode::UNAUTHORIZED => Err(Attempt::Final(ScimError::Unauthorized { url })),
            StatusCode::FORBIDDEN => Err(Attempt::Final(ScimError::Forbidden { url })),
            StatusCode::NOT_FOUND => Err(Attempt::Final(ScimError::NotFound { url })),
            s => {
                let error = ScimError::Status {
                    url,
                    status: s.as_u16(),
                    detail: self.redact(&detail(&String::from_utf8_lossy(&body))),
                };
                if s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error() {
                    Err(Attempt::Retry(error, retry_after))
                } else {
                    Err(Attempt::Final(error))
                }
            }
        }
    }

    fn timeout(&self, url: &str) -> ScimError {
        ScimError::Timeout {
            url: self.redact(url),
            after: self.options.timeout,
        }
    }

    fn transport_error(&self, url: &str, e: ureq::Error) -> Attempt {
        match e {
            ureq::Error::Timeout(_) => Attempt::Final(self.timeout(url)),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                Attempt::Final(self.timeout(url))
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                Attempt::Final(ScimError::Transport {
                    url: self.redact(url),
                    message: "connection refused (is the server running?)".to_owned(),
                })
            }
            other => Attempt::Retry(
                ScimError::Transport {
                    url: self.redact(url),
                    message: self.redact(&other.to_string()),
                },
                None,
            ),
        }
    }
}

/// Whether reading a body failed because the request's time ran out (ureq hands its own
/// timeout error back inside the `io::Error`).
fn is_timeout(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)))
}

/// One request's failure: worth another try, or not.
enum Attempt {
    Retry(ScimError, Option<Duration>),
    Final(ScimError),
}

/// `Retry-After` in seconds; a number too large to hold is the longest wait there is. (The
/// HTTP-date form is not read: the usual backoff applies then.)
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The SCIM error's `detail`, or the start of the body; control characters escaped.
fn detail(body: &str) -> String {
    #[derive(Deserialize)]
    struct ScimErrorBody {
        detail: Option<String>,
    }
    match serde_json::from_str::<ScimErrorBody>(body) {
        Ok(ScimErrorBody {
            detail: Some(detail),
        }) => snippet(&detail),
        _ if body.trim().is_empty() => String::new(),
        _ => format!("body starts with \"{}\"", snippet(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080/scim/v2",
            "http://localhost/scim",
            "http://[::1]:9/x",
            "https://example.com/scim/v2/",
        ] {
            assert!(ScimClient::new(ScimOptions::new(ok, "t")).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/scim",
            "ftp://example.com",
            "not a url",
            "https://",
        ] {
            assert!(
                ScimClient::new(ScimOptions::new(bad, "t")).is_err(),
                "{bad}"
            );
        }
        let mut insecure = ScimOptions::new("http://example.com/scim", "t");
        insecure.allow_insecure_http = true;
        assert!(ScimClient::new(insecure).is_ok());
    }

    #[test]
    fn tokens_and_passwords_never_show() {
        let options = ScimOptions::new("https://u:pa55@example.com", "s3cr3t");
        let shown = format!("{options:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("pa55"),
            "{shown}"
        );
        assert_eq!(options.token.to_string(), "[redacted]");
        let client = ScimClient::new(options).expect("client");
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("pa55"),
            "{shown}"
        );
        let err = ScimClient::new(ScimOptions::new("http://u:pa55@example.com", "t"))
            .expect_err("plain http");
        assert!(!err.to_string().contains("pa55"), "{err}");
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
