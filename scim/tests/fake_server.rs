//! The client against a scripted HTTP server on 127.0.0.1: retries, timeouts, errors, paging.
//! (`hostile_server.rs` has the servers that misbehave; `scripts/scim-live-test.py` runs the CLI
//! against real SCIM servers.)

mod fake;

use std::net::TcpListener;
use std::time::Duration;

use fake::{Quirks, directory, list, registry, reply, serve};
use usernorm::{Policy, Registry};
use usernorm_scim::{Mode, ScimError, ScimOptions, ScimRegistry, Why};

#[test]
fn lookups_send_the_token_and_an_escaped_filter_and_compare_case_insensitively() {
    let fake = directory(&["JDoe", "asmith", "bob"], Quirks::default());
    let reg = registry(&fake.url, |o| o.page_size = 2);
    assert!(reg.is_taken("jdoe").expect("answer"));
    assert!(!reg.is_taken("jane").expect("answer"));
    assert!(
        reg.is_taken("jdoe").expect("cached"),
        "a second ask is answered from the cache"
    );
    let requests = fake.requests();
    // The first page of the listing and the probe of the filter, once; then one per name.
    assert_eq!(requests.len(), 4);
    assert_eq!(
        requests[0].target,
        "/scim/v2/Users?attributes=userName&startIndex=1&count=2"
    );
    assert_eq!(
        requests[1].target,
        "/scim/v2/Users?filter=userName%20eq%20%22jdOE%22&attributes=userName"
    );
    assert_eq!(
        requests[2].target,
        "/scim/v2/Users?filter=userName%20eq%20%22jdoe%22&attributes=userName"
    );
    assert_eq!(requests[2].auth, "Bearer s3cr3t-token");
    let stats = reg.stats();
    assert_eq!((stats.mode, stats.lookups), (Mode::Lookups, 2));
    assert_eq!(
        stats.why,
        Some(Why::FilterProbed {
            member: "JDoe".to_owned()
        })
    );
}

#[test]
fn too_many_requests_then_ok_is_retried_honouring_retry_after() {
    let mut busy = reply(429, r#"{"detail":"slow down"}"#);
    busy.headers.push(("Retry-After", "0".to_owned()));
    let fake = serve(vec![busy, reply(503, ""), list(&["jdoe"], 1)]);
    let reg = registry(&fake.url, |_| {});
    assert!(reg.is_taken("jdoe").expect("answer after retries"));
    assert_eq!(fake.requests().len(), 3);
}

#[test]
fn server_errors_past_the_retries_are_errors_not_free() {
    let fake = serve(vec![reply(500, r#"{"detail":"database down"}"#)]);
    let reg = registry(&fake.url, |o| o.max_retries = 2);
    let err = reg.is_taken("jdoe").expect_err("an error, never free");
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert!(err.to_string().contains("database down"), "{err}");
    assert_eq!(fake.requests().len(), 3);
}

#[test]
fn a_slow_server_times_out() {
    let mut slow = list(&[], 0);
    slow.delay = Duration::from_secs(3);
    let fake = serve(vec![slow]);
    let reg = registry(&fake.url, |o| o.timeout = Duration::from_millis(300));
    let err = reg.is_taken("jdoe").expect_err("timeout");
    assert!(
        err.to_string().contains("did not answer within 0.3 s"),
        "{err}"
    );
}

#[test]
fn a_wrong_token_is_a_clear_error_that_does_not_echo_it() {
    let fake = serve(vec![reply(401, r#"{"detail":"bad token"}"#)]);
    let reg = registry(&fake.url, |_| {});
    let err = reg.is_taken("jdoe").expect_err("401");
    let message = err.to_string();
    assert!(message.contains("401 Unauthorized"), "{message}");
    assert!(!message.contains("s3cr3t"), "{message}");
    assert_eq!(fake.requests().len(), 1, "401 is not retried");
}

#[test]
fn not_found_and_not_scim_are_named() {
    let fake = serve(vec![reply(404, "")]);
    let err = registry(&fake.url, |_| {}).is_taken("x").expect_err("404");
    assert!(err.to_string().contains("no SCIM Users endpoint"), "{err}");

    let fake = serve(vec![reply(200, "<html>login</html>")]);
    let err = registry(&fake.url, |_| {}).is_taken("x").expect_err("html");
    assert!(
        err.to_string().contains("not a SCIM list response"),
        "{err}"
    );

    let fake = serve(vec![reply(200, r#"{"Resources": []}"#)]);
    let err = registry(&fake.url, |_| {})
        .is_taken("x")
        .expect_err("no schema");
    assert!(err.to_string().contains("ListResponse"), "{err}");
}

#[test]
fn a_stopped_server_is_an_error_not_free() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/scim/v2", listener.local_addr().expect("addr"));
    drop(listener);
    let err = registry(&url, |_| {})
        .is_taken("jdoe")
        .expect_err("refused");
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[test]
fn past_the_lookup_limit_every_name_is_fetched_in_pages() {
    let fake = directory(&["a1", "a2", "a3", "A4", "a5"], Quirks::default());
    let reg = registry(&fake.url, |o| {
        o.lookup_limit = 1;
        o.page_size = 2;
    });
    assert!(!reg.is_taken("zz").expect("lookup"));
    assert!(reg.is_taken("a4").expect("bulk"));
    assert!(!reg.is_taken("a6").expect("bulk"));
    let stats = reg.stats();
    assert_eq!(
        (stats.mode, stats.lookups, stats.fetched),
        (Mode::Bulk, 1, Some((5, 3)))
    );
    assert_eq!(stats.why, Some(Why::LookupLimit(1)));
    let requests = fake.requests();
    // The probe's first page is the listing's first page: it is not asked again.
    assert_eq!(
        requests[3].target,
        "/scim/v2/Users?attributes=userName&startIndex=3&count=2"
    );
    assert_eq!(
        requests[4].target,
        "/scim/v2/Users?attributes=userName&startIndex=5&count=2"
    );
    assert_eq!(requests.len(), 5);
}

#[test]
fn a_small_org_is_answered_from_its_first_page() {
    let fake = directory(&["JDoe", "asmith"], Quirks::default());
    let reg = registry(&fake.url, |_| {});
    assert!(reg.is_taken("jdoe").expect("answer"));
    assert!(!reg.is_taken("jane").expect("answer"));
    assert_eq!(fake.requests().len(), 1);
    let stats = reg.stats();
    assert_eq!(stats.fetched, Some((2, 1)));
    assert_eq!(stats.why, Some(Why::FirstPageHeldAll));

    // An empty org: its first page says so, and no filter is ever trusted to say "free".
    let fake = directory(&[], Quirks::default());
    let reg = registry(&fake.url, |_| {});
    assert!(!reg.is_taken("jdoe").expect("answer"));
    assert_eq!(reg.stats().fetched, Some((0, 1)));
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn refused_urls_never_send_anything() {
    let err = ScimRegistry::new(
        &Policy::huggingface(),
        ScimOptions::new("http://example.com/scim", "t"),
    )
    .expect_err("plain http off loopback");
    assert!(matches!(err, ScimError::Url(_)));
}
