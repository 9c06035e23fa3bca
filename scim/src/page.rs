//! One page of a SCIM list response, and the listing of every user page by page.
//!
//! Both are pure: no I/O, no panic on any input.

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};
use usernorm::Member;

/// One page of a SCIM `ListResponse` (RFC 7644 §3.4.2), as usernorm reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListPage {
    /// `totalResults`: how many users the server says match, over all pages (absent when the
    /// server left it out or sent `null`).
    pub total_results: Option<u64>,
    /// The page's users, in order.
    pub users: Vec<PageUser>,
}

/// One user of a [`ListPage`]: the attributes usernorm reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageUser {
    /// The server's `id` (a string; a number is taken as its decimal text).
    pub id: Option<String>,
    /// The `userName`.
    pub user_name: Option<String>,
    /// The `externalId` the identity provider set, when the server sent one.
    pub external_id: Option<String>,
    /// Whether the user is `active`, when the server sent it (a boolean, or the string
    /// `"true"` or `"false"` in any case, as some servers echo what Entra sends).
    pub active: Option<bool>,
}

/// Why a body is not a SCIM list response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageError(String);

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PageError {}

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/// Parses one page of a SCIM list response: the body of `GET /Users`.
///
/// The body must be a JSON object whose `schemas` include
/// `urn:ietf:params:scim:api:messages:2.0:ListResponse`. Attribute names are matched
/// case-insensitively, as RFC 7643 §2.1 says (`Resources`, `resources`); `Resources` may be
/// absent or `null` (no users); `totalResults` must be a non-negative integer when present.
/// Each resource must be an object; its `userName` and `externalId`, when present and not
/// `null`, strings; its `active` a boolean (or `"true"`/`"false"`). Any other attribute is
/// ignored. It never panics, whatever the bytes.
///
/// ```
/// use usernorm_scim::parse_list_page;
///
/// let body = br#"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
///                 "totalResults": 2, "Resources": [{"id": "1", "userName": "JDoe"}]}"#;
/// let page = parse_list_page(body)?;
/// assert_eq!(page.total_results, Some(2));
/// assert_eq!(page.users[0].user_name.as_deref(), Some("JDoe"));
/// assert!(parse_list_page(b"<html>login</html>").is_err());
/// # Ok::<(), usernorm_scim::PageError>(())
/// ```
///
/// # Errors
/// A body that is not JSON, not an object, lacks the list response schema, or whose fields
/// have the wrong types.
pub fn parse_list_page(body: &[u8]) -> Result<ListPage, PageError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
        PageError(format!(
            "{e} (body starts with \"{}\")",
            crate::error::snippet(&text)
        ))
    })?;
    let Value::Object(object) = value else {
        return Err(PageError("it is not a JSON object".to_owned()));
    };
    let has_schema = match field(&object, "schemas") {
        Some(Value::Array(schemas)) => schemas.iter().any(|s| {
            s.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(LIST_RESPONSE))
        }),
        _ => false,
    };
    if !has_schema {
        return Err(PageError(format!(
            "its schemas do not include {LIST_RESPONSE}"
        )));
    }
    let total_results = match field(&object, "totalResults") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(other) => {
            return Err(PageError(format!("totalResults is {other}, not a count")));
        }
    };
    let resources = match field(&object, "Resources") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(resources)) => resources.as_slice(),
        Some(_) => return Err(PageError("Resources is not an array".to_owned())),
    };
    let users = resources
        .iter()
        .enumerate()
        .map(|(i, resource)| user(i, resource))
        .collect::<Result<_, _>>()?;
    Ok(ListPage {
        total_results,
        users,
    })
}

fn user(i: usize, resource: &Value) -> Result<PageUser, PageError> {
    let Value::Object(resource) = resource else {
        return Err(PageError(format!("Resources[{i}] is not an object")));
    };
    let id = match field(resource, "id") {
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    let user_name = match field(resource, "userName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(_) => {
            return Err(PageError(format!(
                "Resources[{i}].userName is not a string"
            )));
        }
    };
    let external_id = match field(resource, "externalId") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) => Some(id.clone()),
        Some(_) => {
            return Err(PageError(format!(
                "Resources[{i}].externalId is not a string"
            )));
        }
    };
    let active = match field(resource, "active") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(active)) => Some(*active),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
        Some(_) => {
            return Err(PageError(format!("Resources[{i}].active is not a boolean")));
        }
    };
    Ok(PageUser {
        id,
        user_name,
        external_id,
        active,
    })
}

/// The attribute of that name, its case ignored (an exact match first).
fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// How far a listing of every user may go before it stops with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bounds {
    pub(crate) max_users: usize,
    pub(crate) max_pages: usize,
    pub(crate) max_bytes: usize,
}

/// What a listing asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// The page that starts at this 1-based `startIndex`.
    Page(usize),
    /// Nothing: every user has been seen.
    Done,
}

/// Every user of the endpoint, gathered page by page, with the checks that keep a broken
/// server from passing a partial or endless listing off as complete.
///
/// - A page with fewer users than asked ends the listing, unless `totalResults` says there
///   are more (the server gave smaller pages than asked). A full page is always followed by
///   another: `totalResults` is not trusted to end a listing, since a server may omit it or
///   count only the page.
/// - An empty page ends the listing.
/// - A page whose users were all seen before (by `id`, or by `userName` when there is no
///   `id`) is an error: the server ignores `startIndex`, or repeats itself.
/// - More users, pages or bytes of names and ids than the [`Bounds`] is an error.
#[derive(Debug)]
pub(crate) struct Listing {
    bounds: Bounds,
    ids: HashSet<String>,
    names: HashSet<String>,
    pages: usize,
    bytes: usize,
    next: Next,
    /// Every distinct user with a `userName`, in the order listed, when asked to keep them.
    members: Option<Vec<Member>>,
}

impl Listing {
    pub(crate) fn new(bounds: Bounds) -> Listing {
        Listing {
            bounds,
            ids: HashSet::new(),
            names: HashSet::new(),
            pages: 0,
            bytes: 0,
            next: Next::Page(1),
            members: None,
        }
    }

    /// A listing that keeps every user as a [`Member`] (its externalId and active included;
    /// their bytes count towards [`Bounds::max_bytes`]).
    pub(crate) fn keeping_members(bounds: Bounds) -> Listing {
        Listing {
            members: Some(Vec::new()),
            ..Listing::new(bounds)
        }
    }

    /// Whether it keeps every user (and so asks for `externalId` and `active` too).
    pub(crate) fn keeps_members(&self) -> bool {
        self.members.is_some()
    }

    /// The users kept, once the listing is done (empty unless made with
    /// [`Listing::keeping_members`]).
    pub(crate) fn into_members(self) -> Vec<Member> {
        self.members.unwrap_or_default()
    }

    /// What to ask for next.
    pub(crate) fn next(&self) -> Next {
        self.next
    }

    /// The pages taken in so far.
    pub(crate) fn pages(&self) -> usize {
        self.pages
    }

    /// The distinct `userName`s seen so far.
    pub(crate) fn names(&self) -> &HashSet<String> {
        &self.names
    }

    /// Every distinct `userName`, once the listing is done.
    pub(crate) fn into_names(self) -> HashSet<String> {
        self.names
    }

    /// Takes in the page asked for with `count`; it came from [`Listing::next`].
    ///
    /// # Errors
    /// A page that brings no user not seen before, or a bound passed; the message says which.
    pub(crate) fn add(&mut self, page: ListPage, count: usize) -> Result<Next, String> {
        let Next::Page(start) = self.next else {
            return Ok(Next::Done);
        };
        self.pages += 1;
        let got = page.users.len();
        let mut new = 0;
        for user in page.users {
            let mut fresh = match &user.id {
                Some(id) => !self.ids.contains(id),
                None => user
                    .user_name
                    .as_ref()
                    .is_some_and(|name| !self.names.contains(name)),
            };
            if let Some(id) = user.id.as_ref().filter(|_| fresh) {
                self.bytes += id.len();
                self.ids.insert(id.clone());
            }
            if let Some(name) = &user.user_name
                && !self.names.contains(name)
            {
                self.bytes += name.len();
                self.names.insert(name.clone());
                fresh = true;
            }
            new += usize::from(fresh);
            if let Some(members) = self.members.as_mut().filter(|_| fresh)
                && let Some(name) = user.user_name
            {
                self.bytes += user.external_id.as_ref().map_or(0, String::len);
                members.push(Member {
                    user_name: name,
                    external_id: user.external_id,
                    active: user.active,
                    id: user.id,
                    line: None,
                });
            }
        }
        let users = self.ids.len().max(self.names.len());
        if users > self.bounds.max_users {
            return Err(format!(
                "it lists more than {} users, the most usernorm reads",
                self.bounds.max_users
            ));
        }
        if self.bytes > self.bounds.max_bytes {
            return Err(format!(
                "its ids and userNames pass {} MiB, the most usernorm keeps",
                self.bounds.max_bytes >> 20
            ));
        }
        if got == 0 {
            self.next = Next::Done;
            return Ok(self.next);
        }
        if new == 0 {
            return Err(format!(
                "the page at startIndex {start} brought no user that an earlier page had not \
                 (the server may ignore startIndex, or repeat its pages): it cannot be told \
                 to hold every user"
            ));
        }
        let next_start = start.saturating_add(got);
        let seen = next_start - 1;
        let more_by_count = page
            .total_results
            .is_some_and(|total| (seen as u64) < total);
        let sent_all_at_once = got > count
            && page
                .total_results
                .is_some_and(|total| (seen as u64) >= total);
        self.next = if (got < count && !more_by_count) || sent_all_at_once {
            Next::Done
        } else if self.pages >= self.bounds.max_pages {
            return Err(format!(
                "it takes more than {} pages, the most usernorm reads",
                self.bounds.max_pages
            ));
        } else {
            Next::Page(next_start)
        };
        Ok(self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(names: &[&str], total: Option<u64>) -> ListPage {
        ListPage {
            total_results: total,
            users: names
                .iter()
                .map(|n| PageUser {
                    id: Some(format!("id-{n}")),
                    user_name: Some((*n).to_owned()),
                    ..PageUser::default()
                })
                .collect(),
        }
    }

    const BOUNDS: Bounds = Bounds {
        max_users: 100,
        max_pages: 10,
        max_bytes: 1 << 20,
    };

    #[test]
    fn pages_go_on_until_a_short_page_whatever_total_results_says() {
        let mut l = Listing::new(BOUNDS);
        assert_eq!(l.add(page(&["a", "b"], Some(2)), 2), Ok(Next::Page(3)));
        assert_eq!(l.add(page(&["c", "d"], None), 2), Ok(Next::Page(5)));
        assert_eq!(l.add(page(&["e"], None), 2), Ok(Next::Done));
        assert_eq!(l.names().len(), 5);
        assert_eq!(l.pages(), 3);
    }

    #[test]
    fn a_short_page_goes_on_when_total_results_says_there_are_more() {
        let mut l = Listing::new(BOUNDS);
        assert_eq!(l.add(page(&["a"], Some(3)), 2), Ok(Next::Page(2)));
        assert_eq!(l.add(page(&["b"], Some(3)), 2), Ok(Next::Page(3)));
        assert_eq!(l.add(page(&[], Some(3)), 2), Ok(Next::Done));
    }

    #[test]
    fn a_page_that_brings_nothing_new_is_an_error() {
        let mut l = Listing::new(BOUNDS);
        assert_eq!(l.add(page(&["a", "b"], Some(6)), 2), Ok(Next::Page(3)));
        let err = l.add(page(&["a", "b"], Some(6)), 2).expect_err("repeat");
        assert!(err.contains("startIndex 3"), "{err}");
    }

    #[test]
    fn everything_at_once_ends_the_listing() {
        let mut l = Listing::new(BOUNDS);
        assert_eq!(l.add(page(&["a", "b", "c"], Some(3)), 2), Ok(Next::Done));
    }

    #[test]
    fn bounds_are_errors() {
        let mut l = Listing::new(Bounds {
            max_pages: 2,
            ..BOUNDS
        });
        assert_eq!(l.add(page(&["a"], None), 1), Ok(Next::Page(2)));
        assert!(l.add(page(&["b"], None), 1).is_err());
        let mut l = Listing::new(Bounds {
            max_users: 2,
            ..BOUNDS
        });
        assert!(l.add(page(&["a", "b", "c"], None), 3).is_err());
        let mut l = Listing::new(Bounds {
            max_bytes: 10,
            ..BOUNDS
        });
        assert!(l.add(page(&["abcdef"], None), 3).is_err());
    }

    #[test]
    fn pages_carry_external_id_and_active() {
        let body = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "Resources":[{"userName":"a","externalId":"x","active":false},
                         {"userName":"b","ExternalId":null,"Active":"TRUE"},{"userName":"c"}]}"#;
        let p = parse_list_page(body).expect("parses");
        let got: Vec<_> = (p.users.iter())
            .map(|u| (u.external_id.as_deref(), u.active))
            .collect();
        assert_eq!(
            got,
            [(Some("x"), Some(false)), (None, Some(true)), (None, None)]
        );
        let mut l = Listing::keeping_members(BOUNDS);
        assert_eq!(l.add(p, 5), Ok(Next::Done));
        let members = l.into_members();
        assert_eq!(members.len(), 3);
        assert_eq!(members[0].external_id.as_deref(), Some("x"));
        assert_eq!(members[1].active, Some(true));
    }

    #[test]
    fn pages_parse_leniently_but_never_panic() {
        let ok = br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                      "totalresults":1,"resources":[{"ID":7,"username":"a"},{"userName":null}]}"#;
        let p = parse_list_page(ok).expect("parses");
        assert_eq!(p.total_results, Some(1));
        assert_eq!(p.users[0].id.as_deref(), Some("7"));
        assert_eq!(p.users[0].user_name.as_deref(), Some("a"));
        assert_eq!(p.users[1].user_name, None);
        for bad in [
            &b"[]"[..],
            b"\xff\xfe",
            br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":-1}"#,
            br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[1]}"#,
            br#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[{"userName":1}]}"#,
            br#"{"schemas":"x"}"#,
        ] {
            assert!(parse_list_page(bad).is_err());
        }
        let deep = "[".repeat(100_000);
        assert!(parse_list_page(deep.as_bytes()).is_err());
    }
}
