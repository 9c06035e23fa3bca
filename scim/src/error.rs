//! Why the endpoint could not answer, and how secrets are kept out of every message.

use std::fmt;
use std::time::Duration;

/// Why the endpoint could not answer.
///
/// Every URL and every piece of the server's text an error holds has had the bearer token and
/// the URL's userinfo password replaced by `[redacted]` before it was stored, so neither
/// `Display` nor `Debug` can show them.
#[derive(Debug)]
#[non_exhaustive]
pub enum ScimError {
    /// The URL is not usable.
    Url(String),
    /// The endpoint refused the token (401).
    Unauthorized {
        /// The URL asked.
        url: String,
    },
    /// The token may not read users (403).
    Forbidden {
        /// The URL asked.
        url: String,
    },
    /// No SCIM `Users` resource at this URL (404).
    NotFound {
        /// The URL asked.
        url: String,
    },
    /// Another HTTP status, or 429/5xx after every retry.
    Status {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
        /// The server's `detail`, or the start of its body.
        detail: String,
    },
    /// The server asked to be asked again later (429 or 503 with `Retry-After`) than usernorm
    /// waits: longer than [`ScimOptions::max_backoff`](crate::ScimOptions::max_backoff) or
    /// than what is left of the request's [`timeout`](crate::ScimOptions::timeout).
    RetryAfter {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
        /// The delay the server asked for.
        asked: Duration,
        /// The longest usernorm would have waited then.
        limit: Duration,
    },
    /// No answer in time: the request's whole time, every retry and wait included, ran out.
    Timeout {
        /// The URL asked.
        url: String,
        /// The time allowed.
        after: Duration,
    },
    /// The connection failed (refused, reset, DNS, TLS).
    Transport {
        /// The URL asked.
        url: String,
        /// What failed.
        message: String,
    },
    /// The answer is not a SCIM list response.
    NotScim {
        /// The URL asked.
        url: String,
        /// What was wrong with it.
        message: String,
    },
    /// The pages of the user listing cannot be trusted to hold every user (a page that brings
    /// no user not seen before), or the listing passed one of its bounds.
    Listing {
        /// The URL of the page that showed it.
        url: String,
        /// What was wrong.
        message: String,
    },
}

impl fmt::Display for ScimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScimError::Url(message) => write!(f, "SCIM URL: {message}"),
            ScimError::Unauthorized { url } => write!(
                f,
                "the SCIM endpoint refused the token (401 Unauthorized) at {url}: check the token and that it has not expired"
            ),
            ScimError::Forbidden { url } => write!(
                f,
                "the token may not read users (403 Forbidden) at {url}: use a token of an admin of the org"
            ),
            ScimError::NotFound { url } => write!(
                f,
                "no SCIM Users endpoint at {url} (404 Not Found): give the SCIM base URL, the one that ends before /Users"
            ),
            ScimError::Status {
                url,
                status,
                detail,
            } if detail.is_empty() => {
                write!(f, "the SCIM endpoint answered HTTP {status} at {url}")
            }
            ScimError::Status {
                url,
                status,
                detail,
            } => {
                write!(
                    f,
                    "the SCIM endpoint answered HTTP {status} at {url}: {detail}"
                )
            }
            ScimError::RetryAfter {
                url,
                status,
                asked,
                limit,
            } => write!(
                f,
                "the SCIM endpoint answered HTTP {status} at {url} and asked to be asked again in {} s; \
                 usernorm waits at most {} s there (the request's time left, and never more than its \
                 longest backoff): try again later",
                asked.as_secs(),
                secs(*limit)
            ),
            ScimError::Timeout { url, after } => {
                write!(
                    f,
                    "the SCIM endpoint did not answer within {} s at {url} (the time one request may \
                     take, its retries and waits included)",
                    secs(*after)
                )
            }
            ScimError::Transport { url, message } => {
                write!(f, "cannot reach the SCIM endpoint at {url}: {message}")
            }
            ScimError::NotScim { url, message } => {
                write!(
                    f,
                    "the answer from {url} is not a SCIM list response: {message}"
                )
            }
            ScimError::Listing { url, message } => {
                write!(
                    f,
                    "cannot trust the SCIM endpoint's list of users (at {url}): {message}"
                )
            }
        }
    }
}

impl std::error::Error for ScimError {}

fn secs(d: Duration) -> f64 {
    // Milliseconds are as fine as a message needs; 0.30000000000000004 is not.
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

/// What replaces a secret in anything shown.
pub(crate) const REDACTED: &str = "[redacted]";

/// The secrets of a configuration (the token, the URL's userinfo password) and how to remove
/// them from text.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Vec<String>);

impl Secrets {
    /// The token and, from the URL's userinfo, the password (or the whole userinfo when it has
    /// no password, as in `https://TOKEN@host/`), both as written and percent-decoded.
    pub(crate) fn new(url: &str, token: &str) -> Secrets {
        let mut secrets = vec![token.to_owned()];
        if let Some(userinfo) = userinfo(url) {
            let secret = match userinfo.split_once(':') {
                Some((_, password)) => password,
                None => userinfo,
            };
            secrets.push(secret.to_owned());
            secrets.push(percent_decode(secret));
        }
        secrets.retain(|s| !s.is_empty());
        // Longest first, so that a secret inside another is not left half shown.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Secrets(secrets)
    }

    /// The text with every secret replaced by `[redacted]`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.0 {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }
}

/// The userinfo of a URL (`user:password` in `https://user:password@host/`), read from the
/// text alone so that it is found even in a URL that does not parse.
fn userinfo(url: &str) -> Option<&str> {
    let after_scheme = url.find("://").map_or(url, |i| &url[i + 3..]);
    let authority_end = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_end];
    authority.rfind('@').map(|at| &authority[..at])
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    while i < bytes.len() {
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                // Two hex digits make at most 255.
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The start of a server's text, fit to show: at most 120 characters, control characters
/// escaped so that a hostile body cannot drive the terminal.
pub(crate) fn snippet(body: &str) -> String {
    let mut out = String::new();
    for c in body.trim().chars().take(120) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_and_the_userinfo_password_are_redacted() {
        let s = Secrets::new("http://user:p%40ss@127.0.0.1:9/scim", "tok-123");
        assert_eq!(
            s.redact("Bearer tok-123 from http://user:p%40ss@127.0.0.1:9/scim as p@ss"),
            "Bearer [redacted] from http://user:[redacted]@127.0.0.1:9/scim as [redacted]"
        );
        let s = Secrets::new("https://ghp_secret@example.com/x@y", "tok-456");
        assert_eq!(
            s.redact("https://ghp_secret@example.com/x@y"),
            "https://[redacted]@example.com/x@y"
        );
        assert_eq!(userinfo("https://example.com/a@b"), None);
        assert_eq!(userinfo("u:p@host"), Some("u:p"));
        assert_eq!(percent_decode("%zz%41%"), "%zzA%");
    }

    #[test]
    fn snippets_escape_control_characters() {
        assert_eq!(snippet(" a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb");
        assert_eq!(snippet(&"é".repeat(200)).chars().count(), 120);
    }
}
