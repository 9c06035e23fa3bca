//! A scripted SCIM server on 127.0.0.1 for the client's tests, able to misbehave the ways
//! real servers were seen to: case-sensitive or wrong filters, `400` on a quoted `"`, paging
//! that ignores `startIndex` or miscounts `totalResults`, bodies that drip, huge
//! `Retry-After`s, and bodies that echo the bearer token.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use usernorm::Policy;
use usernorm_scim::{ScimOptions, ScimRegistry};

/// One scripted answer.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
    /// Send the body one byte at a time, this far apart.
    pub drip: Option<Duration>,
}

pub fn reply(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
        delay: Duration::ZERO,
        drip: None,
    }
}

/// A list response with these users (ids `id-NAME`) and `totalResults` when given.
pub fn page(names: &[&str], total: Option<usize>) -> Reply {
    let resources: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({ "id": format!("id-{n}"), "userName": n }))
        .collect();
    let mut body = serde_json::json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "Resources": resources,
    });
    if let Some(total) = total {
        body["totalResults"] = total.into();
    }
    reply(200, &body.to_string())
}

pub fn list(names: &[&str], total: usize) -> Reply {
    page(names, Some(total))
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub target: String,
    pub auth: String,
}

impl Request {
    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == name).then(|| percent_decode(v))
        })
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A server that answers each request with what `answer` makes of it, and records them.
pub struct Fake {
    pub url: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Fake {
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("lock").clone()
    }
}

pub fn serve_with(answer: impl Fn(&Request) -> Reply + Send + 'static) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/scim/v2", listener.local_addr().expect("addr"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    thread::spawn(move || {
        // Bounded, so that a client that never stops asking fails its test instead of hanging.
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let target = line
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let mut auth = String::new();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = header.split_once(':')
                    && k.eq_ignore_ascii_case("authorization")
                {
                    auth = v.trim().to_owned();
                }
            }
            let request = Request { target, auth };
            seen.lock().expect("lock").push(request.clone());
            let r = answer(&request);
            thread::sleep(r.delay);
            let mut head = format!(
                "HTTP/1.1 {} X\r\nContent-Type: application/scim+json\r\nContent-Length: {}\r\nConnection: close\r\n",
                r.status,
                r.body.len()
            );
            for (k, v) in &r.headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            match r.drip {
                None => {
                    let _ = stream.write_all(r.body.as_bytes());
                }
                Some(every) => {
                    for b in r.body.as_bytes() {
                        if stream.write_all(&[*b]).is_err() {
                            break;
                        }
                        thread::sleep(every);
                    }
                }
            }
        }
    });
    Fake { url, requests }
}

/// A server that answers each request with the next reply (the last one repeats).
pub fn serve(replies: Vec<Reply>) -> Fake {
    let next = Mutex::new(0usize);
    serve_with(move |_| {
        let mut i = next.lock().expect("lock");
        let r = replies[(*i).min(replies.len() - 1)].clone();
        *i += 1;
        r
    })
}

/// How a [`Directory`] misbehaves.
#[derive(Clone, Copy, Default)]
pub struct Quirks {
    /// `userName eq` compares case-sensitively.
    pub case_sensitive: bool,
    /// The filter is ignored: a filtered request gets the first page of every user.
    pub ignore_filter: bool,
    /// A filter with an escaped `"` is answered 400.
    pub quote_400: bool,
    /// The filter's string is compared as written, `\` escapes not undone.
    pub raw_backslash: bool,
    /// How `totalResults` is sent.
    pub total: Total,
    /// Every page starts at the first user.
    pub ignore_start_index: bool,
}

#[derive(Clone, Copy, Default)]
pub enum Total {
    #[default]
    Right,
    Missing,
    PageSize,
    Claimed(usize),
}

/// A directory of users served as SCIM would, with quirks.
pub fn directory(users: &[&str], quirks: Quirks) -> Fake {
    let users: Vec<String> = users.iter().map(|u| (*u).to_owned()).collect();
    serve_with(move |request| {
        // Without `count`, the server's own page size: small, so that the tests see pages.
        let count: usize = request
            .param("count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(3);
        let start: usize = request
            .param("startIndex")
            .and_then(|c| c.parse().ok())
            .unwrap_or(1);
        let matched: Vec<&str> = match request.param("filter") {
            Some(filter) if !quirks.ignore_filter => {
                if quirks.quote_400 && filter.contains("\\\"") {
                    return reply(400, r#"{"detail":"invalid filter"}"#);
                }
                let literal = filter.trim_start_matches("userName eq ");
                let wanted = if quirks.raw_backslash {
                    literal.trim_matches('"').to_owned()
                } else {
                    serde_json::from_str::<String>(literal).unwrap_or_default()
                };
                users
                    .iter()
                    .filter(|u| {
                        if quirks.case_sensitive {
                            **u == wanted
                        } else {
                            u.eq_ignore_ascii_case(&wanted)
                        }
                    })
                    .map(String::as_str)
                    .collect()
            }
            _ => {
                let from = if quirks.ignore_start_index { 1 } else { start };
                users
                    .iter()
                    .skip(from.saturating_sub(1))
                    .take(count)
                    .map(String::as_str)
                    .collect()
            }
        };
        let total = match quirks.total {
            Total::Right if request.param("filter").is_some() => Some(matched.len()),
            Total::Right => Some(users.len()),
            Total::Missing => None,
            Total::PageSize => Some(matched.len()),
            Total::Claimed(n) => Some(n),
        };
        page(&matched, total)
    })
}

pub fn options(url: &str) -> ScimOptions {
    let mut o = ScimOptions::new(url, "s3cr3t-token");
    o.backoff = Duration::from_millis(10);
    o.max_backoff = Duration::from_millis(50);
    o.timeout = Duration::from_secs(5);
    o
}

pub fn registry(url: &str, tweak: impl FnOnce(&mut ScimOptions)) -> ScimRegistry {
    let mut o = options(url);
    tweak(&mut o);
    ScimRegistry::new(&Policy::huggingface(), o).expect("registry")
}
