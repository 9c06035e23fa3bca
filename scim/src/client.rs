//! A small SCIM 2.0 client: the two reads usernorm needs, with timeouts and retries.

use std::fmt;
use std::io::Read;
use std::net::IpAddr;
use std::time::Duration;

use serde::Deserialize;
use ureq::http::{StatusCode, Uri};

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
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the endpoint is and how patiently to ask it.
#[derive(Debug, Clone)]
pub struct ScimOptions {
    /// The SCIM base URL; `Users` is appended (`https://host/scim/v2` → `…/scim/v2/Users`).
    pub base_url: String,
    /// The bearer token.
    pub token: Token,
    /// How long one request may take, connection included.
    pub timeout: Duration,
    /// How many times a request answered with 429 or 5xx, or cut off, is tried again.
    pub max_retries: u32,
    /// The first wait before a retry; it doubles each time. `Retry-After` overrides it.
    pub backoff: Duration,
    /// The longest wait before a retry, whatever `Retry-After` says.
    pub max_backoff: Duration,
    /// How many users to ask for per page when fetching them all.
    pub page_size: usize,
    /// How many names to look up one by one before fetching every name instead.
    pub lookup_limit: usize,
    /// Allow a plain `http://` URL to a host that is not a loopback address.
    pub allow_insecure_http: bool,
}

impl ScimOptions {
    /// Options with the defaults: 30 s timeout, 4 retries from 500 ms up to 30 s, pages of 500,
    /// 20 lookups before fetching every name, TLS required off loopback.
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

/// Why the endpoint could not answer.
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
    /// No answer in time.
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
            ScimError::Timeout { url, after } => {
                write!(
                    f,
                    "the SCIM endpoint did not answer within {} s at {url}",
                    after.as_secs_f64()
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
        }
    }
}

impl std::error::Error for ScimError {}

/// The filter that finds a user by `userName`, quoted and escaped as RFC 7644 §3.4.2.2 says
/// (a JSON string).
///
/// ```
/// use usernorm_scim::filter_for_user_name;
///
/// assert_eq!(filter_for_user_name("jdoe"), r#"userName eq "jdoe""#);
/// assert_eq!(filter_for_user_name(r#"a"b\c"#), r#"userName eq "a\"b\\c""#);
/// ```
pub fn filter_for_user_name(name: &str) -> String {
    let quoted = serde_json::Value::String(name.to_owned()).to_string();
    format!("userName eq {quoted}")
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SCIM list response fields usernorm reads.
#[derive(Debug, Deserialize)]
struct ListResponse {
    #[serde(default)]
    schemas: Vec<String>,
    #[serde(rename = "totalResults")]
    total_results: Option<usize>,
    #[serde(rename = "Resources", default)]
    resources: Vec<UserResource>,
}

#[derive(Debug, Deserialize)]
struct UserResource {
    #[serde(rename = "userName")]
    user_name: Option<String>,
}

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// A SCIM endpoint's `Users` resource, read-only.
#[derive(Debug)]
pub struct ScimClient {
    users_url: String,
    options: ScimOptions,
    agent: ureq::Agent,
}

impl ScimClient {
    /// A client for the endpoint; checks the URL, sends nothing.
    ///
    /// # Errors
    /// A URL that does not parse, is not `http(s)`, or is plain `http` to a host that is not a
    /// loopback address without [`ScimOptions::allow_insecure_http`].
    pub fn new(options: ScimOptions) -> Result<ScimClient, ScimError> {
        let base = options.base_url.trim().trim_end_matches('/').to_owned();
        let uri: Uri = base
            .parse()
            .map_err(|e| ScimError::Url(format!("`{base}` is not a URL: {e}")))?;
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
                    "`{base}` is plain http to a host that is not this machine; use https (or allow insecure http explicitly)"
                )));
            }
            _ => return Err(ScimError::Url(format!("`{base}` must start with https://"))),
        }
        if host.is_empty() {
            return Err(ScimError::Url(format!("`{base}` has no host")));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(options.timeout))
            .http_status_as_error(false)
            .user_agent(concat!("usernorm/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Ok(ScimClient {
            users_url: format!("{base}/Users"),
            options,
            agent,
        })
    }

    /// The options the client was made with.
    pub fn options(&self) -> &ScimOptions {
        &self.options
    }

    /// The `userName`s the endpoint returns for `userName eq "NAME"` (SCIM compares userName
    /// case-insensitively).
    ///
    /// # Errors
    /// See [`ScimError`].
    pub fn find_user_names(&self, name: &str) -> Result<Vec<String>, ScimError> {
        let url = format!(
            "{}?filter={}&attributes=userName",
            self.users_url,
            encode_query(&filter_for_user_name(name))
        );
        let list = self.get_list(&url)?;
        Ok(list
            .resources
            .into_iter()
            .filter_map(|r| r.user_name)
            .collect())
    }

    /// Every `userName` of the endpoint, fetched page by page (`startIndex`, `count`), and the
    /// number of pages it took.
    ///
    /// # Errors
    /// See [`ScimError`].
    pub fn all_user_names(&self) -> Result<(Vec<String>, usize), ScimError> {
        let count = self.options.page_size.max(1);
        let mut names = Vec::new();
        let mut start = 1;
        let mut pages = 0;
        loop {
            let url = format!(
                "{}?attributes=userName&startIndex={start}&count={count}",
                self.users_url
            );
            let list = self.get_list(&url)?;
            pages += 1;
            let got = list.resources.len();
            names.extend(list.resources.into_iter().filter_map(|r| r.user_name));
            start += got;
            let total = list.total_results.unwrap_or(0);
            // Stop at the total, on an empty page, or when a server ignored paging and sent all.
            if got == 0 || start > total || pages > 1_000_000 {
                return Ok((names, pages));
            }
        }
    }

    fn get_list(&self, url: &str) -> Result<ListResponse, ScimError> {
        let body = self.get(url)?;
        let list: ListResponse = serde_json::from_str(&body).map_err(|e| ScimError::NotScim {
            url: url.to_owned(),
            message: format!("{e} (body starts with {:?})", snippet(&body)),
        })?;
        if !list.schemas.iter().any(|s| s == LIST_RESPONSE) {
            return Err(ScimError::NotScim {
                url: url.to_owned(),
                message: format!("its schemas do not include {LIST_RESPONSE}"),
            });
        }
        Ok(list)
    }

    /// GET with the token, retrying 429, 5xx and cut-off connections.
    fn get(&self, url: &str) -> Result<String, ScimError> {
        let mut attempt = 0;
        loop {
            let (error, retry_after) = match self.get_once(url) {
                Ok(body) => return Ok(body),
                Err(Attempt::Final(error)) => return Err(error),
                Err(Attempt::Retry(error, retry_after)) => (error, retry_after),
            };
            if attempt >= self.options.max_retries {
                return Err(error);
            }
            let backoff = self.options.backoff.saturating_mul(1 << attempt.min(16));
            let wait = retry_after.unwrap_or(backoff).min(self.options.max_backoff);
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn get_once(&self, url: &str) -> Result<String, Attempt> {
        let response = self
            .agent
            .get(url)
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
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut body = String::new();
        response
            .into_body()
            .into_reader()
            .take(256 << 20)
            .read_to_string(&mut body)
            .map_err(|e| {
                Attempt::Retry(
                    ScimError::Transport {
                        url: url.to_owned(),
                        message: e.to_string(),
                    },
                    None,
                )
            })?;
        let url = url.to_owned();
        match status {
            s if s.is_success() => Ok(body),
            StatusCode::UNAUTHORIZED => Err(Attempt::Final(ScimError::Unauthorized { url })),
            StatusCode::FORBIDDEN => Err(Attempt::Final(ScimError::Forbidden { url })),
            StatusCode::NOT_FOUND => Err(Attempt::Final(ScimError::NotFound { url })),
            s => {
                let error = ScimError::Status {
                    url,
                    status: s.as_u16(),
                    detail: detail(&body),
                };
                if s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error() {
                    Err(Attempt::Retry(error, retry_after))
                } else {
                    Err(Attempt::Final(error))
                }
            }
        }
    }

    fn transport_error(&self, url: &str, e: ureq::Error) -> Attempt {
        let url = url.to_owned();
        match e {
            ureq::Error::Timeout(_) => Attempt::Final(ScimError::Timeout {
                url,
                after: self.options.timeout,
            }),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                Attempt::Final(ScimError::Transport {
                    url,
                    message: "connection refused (is the server running?)".to_owned(),
                })
            }
            other => Attempt::Retry(
                ScimError::Transport {
                    url,
                    message: other.to_string(),
                },
                None,
            ),
        }
    }
}

/// One request's failure: worth another try, or not.
enum Attempt {
    Retry(ScimError, Option<Duration>),
    Final(ScimError),
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The SCIM error's `detail`, or the start of the body.
fn detail(body: &str) -> String {
    #[derive(Deserialize)]
    struct ScimErrorBody {
        detail: Option<String>,
    }
    serde_json::from_str::<ScimErrorBody>(body)
        .ok()
        .and_then(|e| e.detail)
        .unwrap_or_else(|| snippet(body).to_owned())
}

fn snippet(body: &str) -> &str {
    let end = body.char_indices().nth(120).map_or(body.len(), |(i, _)| i);
    body[..end].trim()
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
    fn tokens_never_show() {
        let options = ScimOptions::new("https://example.com", "s3cr3t");
        assert!(!format!("{options:?}").contains("s3cr3t"));
        assert_eq!(options.token.to_string(), "<redacted>");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encode_query(r#"userName eq "a b""#),
            "userName%20eq%20%22a%20b%22"
        );
    }
}
