//! The client against servers that misbehave the ways real ones were seen to (issue #12):
//! a wrong or case-sensitive filter, a refused or mangled quote, paging that cannot be
//! trusted, a body that drips, a huge `Retry-After`, and bodies that echo the token.
//! Each answer must be right or an error, never a false "free", a hang, or a leak.

mod fake;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use fake::{Quirks, Total, directory, page, registry, reply, serve, serve_with};
use usernorm::Registry;
use usernorm_scim::{ScimOptions, ScimRegistry, Why};

/// A directory of `n` members `m-000`, `m-001`, … with `extra` first.
fn members(extra: &[&'static str], n: usize) -> Vec<String> {
    let mut all: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
    all.extend((0..n).map(|i| format!("m-{i:03}")));
    all
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_case_sensitive_filter_is_caught_and_the_listing_answers() {
    let users = members(&["JDoe"], 5);
    let quirks = Quirks {
        case_sensitive: true,
        ..Quirks::default()
    };
    let fake = directory(&refs(&users), quirks);
    let reg = registry(&fake.url, |o| o.page_size = 2);
    assert!(reg.is_taken("jdoe").expect("answer"), "JDoe holds jdoe");
    assert!(reg.is_taken("m-004").expect("answer"), "on the last page");
    assert!(!reg.is_taken("jane").expect("answer"));
    assert_eq!(
        reg.stats().fetched,
        Some((6, 4)),
        "3 full pages and an empty one"
    );
    assert_eq!(
        reg.stats().why, // why
        Some(Why::CaseSensitiveFilter {
            member: "JDoe".to_owned()
        })  // why
    ); // why
}

#[test]
fn a_filter_that_returns_other_users_is_caught() {
    // The filter is ignored: every lookup gets the first page, whatever it asked.
    let users = members(&[], 6);
    let quirks = Quirks {
        ignore_filter: true,
        ..Quirks::default()
    };
    let fake = directory(&refs(&users), quirks);
    let reg = registry(&fake.url, |o| o.page_size = 2);
    assert!(reg.is_taken("m-005").expect("answer"), "on the last page");
    assert!(!reg.is_taken("m-006").expect("answer"));
    assert!(matches!(
        reg.stats().why,
        Some(Why::WrongFilterResults { .. })
    )); // why
}

#[test]
fn names_with_quotes_or_backslashes_are_answered_from_the_listing() {
    let users = members(&[r#"a"b"#, r"c\d"], 4);
    let quirks = Quirks {
        quote_400: true,
        raw_backslash: true,
        ..Quirks::default()
    };
    let fake = directory(&refs(&users), quirks);
    let reg = registry(&fake.url, |o| o.page_size = 2);
    assert!(reg.is_taken(r"c\d").expect("answer"), "a member");
    assert!(reg.is_taken(r#"a"b"#).expect("no 400"), "a member");
    assert!(!reg.is_taken(r"e\f").expect("answer"));
    let filters = fake
        .requests()
        .iter()
        .filter(|r| r.param("filter").is_some())
        .count();
    assert_eq!(filters, 0, "no filter is sent for such names");
    assert_eq!(
        reg.stats().why,                                  // why
        Some(Why::NameUnfitForFilter(r"c\d".to_owned()))  // why
    ); // why
}

#[test]
fn a_refused_filter_falls_back_to_the_listing() {
    let users = members(&["JDoe"], 3);
    let fake = serve_with(move |request| {
        if request.param("filter").is_some() {
            return reply(400, r#"{"detail":"filtering is not supported"}"#);
        }
        let start: usize = request
            .param("startIndex")
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        let names: Vec<&str> = users
            .iter()
            .skip(start - 1)
            .take(2)
            .map(String::as_str)
            .collect();
        page(&names, Some(4))
    });
    let reg = registry(&fake.url, |o| o.page_size = 2);
    assert!(reg.is_taken("m-002").expect("answer"));
    assert_eq!(reg.stats().why, Some(Why::FilterRefused(400))); // why
}

/// Lists every user with pages of 2 and `lookup_limit` 0.
fn bulk(fake: &fake::Fake, tweak: impl FnOnce(&mut ScimOptions)) -> ScimRegistry {
    registry(&fake.url, |o| {
        o.page_size = 2;
        o.lookup_limit = 0;
        tweak(o);
    })
}

#[test]
fn paging_goes_on_when_total_results_is_missing_or_the_page_size() {
    let users = members(&[], 5);
    for total in [Total::Missing, Total::PageSize] {
        let quirks = Quirks {
            total,
            ..Quirks::default()
        };
        let fake = directory(&refs(&users), quirks);
        let reg = bulk(&fake, |_| {});
        reg.prefetch().expect("listing");
        assert_eq!(reg.stats().fetched, Some((5, 3)));
        assert!(reg.is_taken("m-004").expect("answer"), "on the last page");
    }
}

#[test]
fn a_server_that_ignores_start_index_is_an_error_not_a_partial_list() {
    let users = members(&[], 6);
    let quirks = Quirks {
        ignore_start_index: true,
        ..Quirks::default()
    };
    let fake = directory(&refs(&users), quirks);
    let reg = bulk(&fake, |_| {});
    let err = reg.prefetch().expect_err("the listing cannot be trusted");
    assert!(err.to_string().contains("startIndex 3"), "{err}");
    assert!(err.to_string().contains("cannot trust"), "{err}");
    assert_eq!(fake.requests().len(), 2);
    // A lookup past the limit is an error too, never "free".
    assert!(reg.is_taken("m-005").is_err());
}

#[test]
fn endless_identical_pages_stop_at_once() {
    let quirks = Quirks {
        ignore_start_index: true,
        total: Total::Claimed(1_000_000_000),
        ..Quirks::default()
    };
    let fake = directory(&["a1", "a2"], quirks);
    let started = Instant::now();
    let err = bulk(&fake, |_| {}).prefetch().expect_err("endless");
    assert!(err.to_string().contains("brought no user"), "{err}");
    assert_eq!(fake.requests().len(), 2);
    // Generous for a loaded machine: the unbounded client ran for minutes.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn endless_new_pages_stop_at_the_documented_bounds() {
    // Each page brings two users never seen, forever.
    let next = Mutex::new(0usize);
    let endless = move || {
        serve_with(move |_| {
            let mut i = next.lock().expect("lock");
            *i += 1;
            let names = [format!("u{i}-a"), format!("u{i}-b")];
            page(&[&names[0], &names[1]], Some(1_000_000_000))
        })
    };
    let fake = endless();
    let err = bulk(&fake, |o| o.max_pages = 5)
        .prefetch()
        .expect_err("bounded");
    assert!(err.to_string().contains("more than 5 pages"), "{err}");
    assert_eq!(fake.requests().len(), 5);

    let fake = directory(&refs(&members(&[], 9)), Quirks::default());
    let err = bulk(&fake, |o| o.max_users = 7)
        .prefetch()
        .expect_err("bounded");
    assert!(err.to_string().contains("more than 7 users"), "{err}");
}

#[test]
fn a_dripping_body_is_bounded_by_the_timeout_with_its_retries() {
    let mut drip = page(&["a1"], Some(1));
    drip.body.push_str(&" ".repeat(100));
    drip.drip = Some(Duration::from_millis(50));
    let fake = serve(vec![drip]);
    let reg = registry(&fake.url, |o| {
        o.timeout = Duration::from_millis(500);
        o.max_retries = 20;
    });
    let started = Instant::now();
    let err = reg.is_taken("jdoe").expect_err("timeout");
    let took = started.elapsed();
    // 21 attempts of 0.5 s each, were each attempt bounded alone: over 10 s. The bound is
    // generous for a loaded machine.
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert!(
        err.to_string().contains("did not answer within 0.5 s"),
        "{err}"
    );
}

#[test]
fn retries_stop_when_the_request_time_is_spent() {
    let fake = serve(vec![reply(503, "")]);
    let reg = registry(&fake.url, |o| {
        o.timeout = Duration::from_millis(400);
        o.max_retries = 1000;
        o.backoff = Duration::from_millis(100);
        o.max_backoff = Duration::from_millis(100);
    });
    let started = Instant::now();
    let err = reg.is_taken("jdoe").expect_err("503");
    // 1,000 retries 0.1 s apart would take 100 s; the bound is generous for a loaded machine.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(err.to_string().contains("HTTP 503"), "{err}");
}

#[test]
fn a_huge_retry_after_fails_at_once_naming_the_delay() {
    let mut busy = reply(429, r#"{"detail":"slow down"}"#);
    busy.headers.push(("Retry-After", "999999".to_owned()));
    let fake = serve(vec![busy.clone()]);
    let reg = registry(&fake.url, |o| o.max_backoff = Duration::from_secs(30));
    let started = Instant::now();
    let err = reg.is_taken("jdoe").expect_err("too long a wait");
    assert!(started.elapsed() < Duration::from_secs(5));
    let message = err.to_string();
    assert!(message.contains("HTTP 429"), "{message}");
    assert!(message.contains("999999 s"), "{message}");
    assert_eq!(fake.requests().len(), 1);

    // Within the longest backoff, but past what is left of the request's time.
    busy.headers[0].1 = "3".to_owned();
    let fake = serve(vec![busy]);
    let reg = registry(&fake.url, |o| {
        o.max_backoff = Duration::from_secs(30);
        o.timeout = Duration::from_secs(1);
    });
    let err = reg.is_taken("jdoe").expect_err("too long a wait");
    assert!(err.to_string().contains("again in 3 s"), "{err}");
}

const TOKEN: &str = "s3cr3t-token";

#[test]
fn a_token_echoed_by_the_server_is_never_shown() {
    let echo = |status: u16, json: bool| {
        serve_with(move |request| {
            let body = if json {
                serde_json::json!({ "detail": format!("you sent {}", request.auth) }).to_string()
            } else {
                format!("<html><body>bad header: {}</body></html>", request.auth)
            };
            reply(status, &body)
        })
    };
    for (status, json) in [
        (400, true),
        (418, false),
        (500, true),
        (500, false),
        (200, false),
    ] {
        let fake = echo(status, json);
        let err = registry(&fake.url, |o| o.max_retries = 0)
            .is_taken("jdoe")
            .expect_err("not a list");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(TOKEN), "{status}: {shown}");
            assert!(shown.contains("[redacted]"), "{status}: {shown}");
        }
    }
}

#[test]
fn a_password_in_the_url_is_never_shown() {
    let fake = serve_with(|request| {
        reply(
            500,
            &format!(
                "proxy error for {} at http://user:secret@host",
                request.target
            ),
        )
    });
    let url = fake.url.replace("http://", "http://user:secret@");
    let reg = registry(&url, |o| o.max_retries = 0);
    let err = reg.is_taken("jdoe").expect_err("500");
    for shown in [err.to_string(), format!("{err:?}"), format!("{reg:?}")] {
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("user:[redacted]@127.0.0.1"), "{shown}");
    }
    // A refused connection and a refused URL name it without the password too.
    drop(fake);
    let err = ScimRegistry::new(
        &usernorm::Policy::huggingface(),
        ScimOptions::new("http://user:secret@example.com/scim", "t"),
    )
    .expect_err("plain http");
    assert!(!err.to_string().contains("secret"), "{err}");
}
