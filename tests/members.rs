//! The members snapshot of `examples/` read through the core, and checked against the export
//! it was taken after: every identity a member holds is an export row's objectId, or one of
//! the members the export no longer has.

use std::collections::HashMap;

use usernorm::{ExistingOptions, MembersSource, OrgSnapshot, Policy};

const MEMBERS: &[u8] = include_bytes!("../examples/existing-members.csv");
const EXPORT: &str = include_str!("../examples/entra-users.csv");
const NAMES: &[u8] = include_bytes!("../examples/existing-members.txt");

/// The export's rows as objectId -> (mailNickname, accountEnabled).
fn export() -> HashMap<String, (String, String)> {
    let mut lines = EXPORT.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap_or(usize::MAX);
    let (id, nick, enabled) = (at("id"), at("mailNickname"), at("accountEnabled"));
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter_map(|f| {
            let get = |i: usize| f.get(i).map(|s| (*s).to_owned());
            Some((get(id)?, (get(nick)?, get(enabled)?)))
        })
        .collect()
}

#[test]
fn the_example_snapshot_is_the_org_right_after_a_sync() {
    let policy = Policy::huggingface();
    let members = usernorm::read_members(MEMBERS, ExistingOptions::default()).expect("reads");
    assert_eq!(
        (members.source, members.identities),
        (MembersSource::Csv, true)
    );
    let org = OrgSnapshot::new(&policy, members);
    assert!(org.duplicate_external_ids().is_empty());
    assert!(org.duplicate_user_names().is_empty());

    let export = export();
    let (mut same, mut renamed, mut disabled, mut gone) = (0, 0, 0, 0);
    for member in org.members() {
        let Some(id) = &member.external_id else {
            continue;
        };
        let Some((nick, enabled)) = export.get(id) else {
            gone += 1;
            continue;
        };
        let mapped = nick.replace('.', "");
        if policy.canonical_key(&mapped) == policy.canonical_key(&member.user_name) {
            same += 1;
        } else {
            renamed += 1;
        }
        if member.active == Some(false) {
            assert_eq!(enabled, "false", "{} is deactivated", member.user_name);
            disabled += 1;
        }
    }
    assert!(
        same > 200,
        "most rows are provisioned under their name: {same}"
    );
    assert_eq!((renamed, disabled, gone), (4, 2, 1));
    // The pre-SCIM members of the plain list are there too, without an externalId.
    let names = usernorm::parse_name_list(NAMES).expect("the list");
    for name in &names {
        let held = org.by_user_name(name);
        assert_eq!(held.len(), 1, "{name}");
        assert_eq!(held[0].external_id, None, "{name}");
    }
    assert_eq!(org.without_external_id().count(), names.len() + 3);
}

mod never_panics {
    use proptest::prelude::*;
    use usernorm::entra::ProvisioningSchema;
    use usernorm::{ExistingOptions, OrgSnapshot, Policy};

    const SCHEMA: &str = include_str!("../examples/entra-schema.json");

    /// Bytes that look like members files: JSON and CSV punctuation, names, booleans.
    fn members_like() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(&b"{"[..]),
            Just(&b"}"[..]),
            Just(&b"["[..]),
            Just(&b"]"[..]),
            Just(&b","[..]),
            Just(&b"\n"[..]),
            Just(&b"\""[..]),
            Just(&b":"[..]),
            Just(&b"\"userName\":"[..]),
            Just(&b"\"externalId\":"[..]),
            Just(&b"\"active\":"[..]),
            Just(&b"\"Resources\":"[..]),
            Just(&b"userName,externalId,active\n"[..]),
            Just(&b"true"[..]),
            Just(&b"\"False\""[..]),
            Just(&b"null"[..]),
            Just(&b"\"jdoe\""[..]),
            Just(&b"\xff"[..]),
            Just(&b"\xEF\xBB\xBF"[..]),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn reading_members_never_panics(bytes in members_like(), csv: bool) {
            let options = ExistingOptions { column: None, csv };
            if let Ok(members) = usernorm::read_members(&bytes[..], options) {
                let org = OrgSnapshot::new(&Policy::huggingface(), members);
                for m in org.members() {
                    prop_assert!(!org.by_user_name(&m.user_name).is_empty());
                    if let Some(id) = &m.external_id {
                        prop_assert!(!org.by_external_id(id).is_empty());
                    }
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = usernorm::parse_members(&bytes, None);
        }

        #[test]
        fn parsing_a_schema_never_panics(text in "[\\[\\]{}:,\" a-zA-Z0-9]{0,120}") {
            let _ = ProvisioningSchema::parse(&text);
        }

        /// The example schema with a stretch cut out or a value put in its place.
        #[test]
        fn parsing_a_damaged_schema_never_panics(
            start in 0..SCHEMA.len(),
            len in 0usize..400,
            put in prop_oneof![Just(""), Just("null"), Just("1"), Just("[]"), Just("{}"), Just("\"x\"")],
        ) {
            let end = (start + len).min(SCHEMA.len());
            if let (Some(head), Some(tail)) = (SCHEMA.get(..start), SCHEMA.get(end..)) {
                let _ = ProvisioningSchema::parse(&format!("{head}{put}{tail}"));
            }
        }
    }
}
