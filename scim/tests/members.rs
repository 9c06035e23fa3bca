//! The listing of members with their identities (`userName`, `externalId`, `active`), against
//! a scripted server on 127.0.0.1: what it asks, what it keeps, and what it refuses.

mod fake;

use fake::{Request, options, reply, serve_with};
use usernorm::{MembersSource, Policy};
use usernorm_scim::{ScimClient, ScimError};

const GUID: &str = "e2a214e8-bbe9-4675-9d52-490575ffc53d";

/// A server listing `users` (JSON objects), `count` at a time from `startIndex`.
fn server(users: Vec<serde_json::Value>) -> fake::Fake {
    serve_with(move |request: &Request| {
        let param = |name: &str, default: usize| {
            (request.param(name).and_then(|v| v.parse().ok())).unwrap_or(default)
        };
        let (start, count) = (param("startIndex", 1), param("count", 100));
        let page: Vec<_> = users.iter().skip(start - 1).take(count).cloned().collect();
        let body = serde_json::json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": users.len(),
            "Resources": page,
        });
        reply(200, &body.to_string())
    })
}

fn client(url: &str, tweak: impl FnOnce(&mut usernorm_scim::ScimOptions)) -> ScimClient {
    let mut o = options(url);
    tweak(&mut o);
    ScimClient::new(o).expect("client")
}

#[test]
fn members_come_with_external_id_and_active_page_by_page() {
    let fake = server(vec![
        serde_json::json!({"id": "1", "userName": "JDoe", "externalId": GUID, "active": true}),
        serde_json::json!({"id": "2", "userName": "asmith", "active": "False"}),
        serde_json::json!({"id": 3, "UserName": "bob", "externalid": null, "name": {"givenName": "B"}}),
    ]);
    let client = client(&fake.url, |o| o.page_size = 2);
    let (members, pages) = client.all_members().expect("members");
    assert_eq!(pages, 2);
    assert_eq!(
        (members.source, members.identities),
        (MembersSource::Scim, true)
    );
    let got: Vec<_> = (members.members.iter())
        .map(|m| {
            (
                m.user_name.as_str(),
                m.external_id.as_deref(),
                m.active,
                m.id.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("JDoe", Some(GUID), Some(true), Some("1")),
            ("asmith", None, Some(false), Some("2")),
            ("bob", None, None, Some("3")),
        ]
    );
    let requests = fake.requests();
    assert_eq!(
        requests[0].target,
        "/scim/v2/Users?attributes=userName,externalId,active&startIndex=1&count=2"
    );
    assert_eq!(requests[1].param("startIndex").as_deref(), Some("3"));
    assert_eq!(requests[0].auth, "Bearer s3cr3t-token");

    let org = client.snapshot(&Policy::huggingface()).expect("snapshot");
    assert_eq!(org.by_external_id(GUID)[0].user_name, "JDoe");
    assert_eq!(org.by_user_name("ASMITH")[0].id.as_deref(), Some("2"));
}

#[test]
fn a_wrong_external_id_or_active_is_not_scim_and_shows_no_secret() {
    for user in [
        serde_json::json!({"id": "1", "userName": "a", "externalId": 7}),
        serde_json::json!({"id": "1", "userName": "a", "active": "maybe"}),
    ] {
        let fake = server(vec![user]);
        let err = client(&fake.url, |_| {})
            .all_members()
            .expect_err("not SCIM");
        assert!(matches!(err, ScimError::NotScim { .. }), "{err}");
        assert!(!err.to_string().contains("s3cr3t-token"), "{err}");
    }
}

#[test]
fn external_ids_count_towards_the_listing_bound() {
    let users = (0..4)
        .map(|i| serde_json::json!({"id": format!("{i}"), "userName": format!("u{i}"), "externalId": GUID}))
        .collect();
    let fake = server(users);
    let err = client(&fake.url, |o| o.max_listing_bytes = 100)
        .all_members()
        .expect_err("past the bound");
    assert!(matches!(err, ScimError::Listing { .. }), "{err}");
    // The names and ids alone fit: the bound is passed by the externalIds.
    let fake = server(vec![
        serde_json::json!({"id": "1", "userName": "u1", "externalId": GUID}),
    ]);
    assert!(
        client(&fake.url, |o| o.max_listing_bytes = 30)
            .all_user_names()
            .is_ok()
    );
    assert!(
        client(&fake.url, |o| o.max_listing_bytes = 30)
            .all_members()
            .is_err()
    );
}
