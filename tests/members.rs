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
