//! The SCIM fuzz target's body, shared by `fuzz_targets/scim_page.rs` and the replay test
//! `scim/tests/fuzz_corpus.rs`: a page a server sent, as arbitrary bytes.

// Public for the fuzz target, private where the replay test includes it.
#![allow(unreachable_pub)]

/// Parses `data` as one SCIM ListResponse page: a page or an error that says why, never a
/// panic; and what a page holds is what the body held.
pub fn scim_page(data: &[u8]) {
    match usernorm_scim::parse_list_page(data) {
        Ok(page) => {
            // Every name and id comes from the body, so none is longer than it.
            for user in &page.users {
                for text in [&user.id, &user.user_name, &user.external_id]
                    .into_iter()
                    .flatten()
                {
                    assert!(text.len() <= data.len());
                }
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
