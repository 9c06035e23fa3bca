//! The audit of `examples/okta-users.json` (an Okta Users API export, read with
//! `usernorm::okta::Users`) under each built-in Okta username format, against
//! `examples/okta-members.csv` where the org's members matter.
#![cfg(feature = "okta")]

use usernorm::audit::{Audit, Record, Status};
use usernorm::okta::{OktaFormat, OktaMapping, Users};
use usernorm::{
    Code, EmptyRegistry, ExistingOptions, MembersSource, MemoryRegistry, OrgSnapshot, Policy,
    Registry,
};

const USERS: &[u8] = include_bytes!("../examples/okta-users.json");
const MEMBERS: &str = include_str!("../examples/okta-members.csv");

fn users() -> Users {
    Users::from_json(USERS).expect("the example is Users API JSON")
}

fn audit(format: OktaFormat, existing: &dyn Registry) -> Vec<Record> {
    let policy = Policy::huggingface();
    let mut mapping = OktaMapping::from_format(format);
    let mut checked = Audit::new(&policy, existing)
        .run(std::io::Cursor::new(users().to_csv()), &mut mapping)
        .expect("the audit runs");
    checked
        .records()
        .collect::<Result<_, _>>()
        .expect("records")
}

/// The record of the user whose login is `login`.
fn by_login<'a>(records: &'a [Record], login: &str) -> &'a Record {
    let users = users();
    let login_column = users
        .columns()
        .iter()
        .position(|c| c == "login")
        .expect("a login column");
    let index = (0..users.len())
        .find(|&i| users.row(i).expect("a row")[login_column] == login)
        .unwrap_or_else(|| panic!("no user {login}"));
    &records[index]
}

fn members() -> Vec<&'static str> {
    MEMBERS
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .collect()
}

#[test]
fn the_export_reads_as_forty_users_one_a_line() {
    let users = users();
    assert_eq!(users.len(), 40);
    assert_eq!(
        &users.columns()[..6],
        [
            "id",
            "status",
            "firstName",
            "lastName",
            "mobilePhone",
            "secondEmail"
        ]
    );
    let lines: Vec<u64> = (2..42).collect();
    assert_eq!(users.lines(), lines);
    let row = users.row(1).expect("user 2");
    assert_eq!(
        &row[..4],
        ["00uGf3gre6xody6aA61E", "STAGED", "Isaac", "Bröck"]
    );
    assert_eq!(row[5], "", "a null secondEmail is an empty cell");
}

#[test]
fn okta_username_is_an_email_and_always_invalid() {
    let records = audit(OktaFormat::OktaUsername, &EmptyRegistry);
    assert_eq!(records.len(), 40);
    // The two SUSPENDED and two DEPROVISIONED users are never created: skipped.
    let skipped = records.iter().filter(|r| r.status == Status::Skipped);
    assert_eq!(skipped.count(), 4);
    for r in records.iter().filter(|r| r.status != Status::Skipped) {
        assert_eq!(r.status, Status::Invalid, "{r:?}");
        assert!(r.codes.contains(&Code::InvalidChar), "{r:?}");
        assert!(r.username.contains('@'), "{r:?}");
        let suggestion = r.suggestion.as_deref().expect("a suggestion");
        assert!(!suggestion.contains('@'), "{r:?}");
    }
    assert_eq!(records[0].username, "Isaac.Brock@northwind.com");
    assert_eq!(records[0].id, "00uz9o6xi99fLJJ515cb");
    assert_eq!(records[0].line, 2, "the CSV's line: the header is line 1");
}

#[test]
fn email_formats_are_always_invalid() {
    for format in [OktaFormat::Email, OktaFormat::EmailLowercase] {
        let records = audit(format, &EmptyRegistry);
        assert!(
            (records.iter().filter(|r| r.status != Status::Skipped))
                .all(|r| r.status == Status::Invalid && r.codes.contains(&Code::InvalidChar))
        );
    }
    let lower = audit(OktaFormat::EmailLowercase, &EmptyRegistry);
    assert_eq!(
        by_login(&lower, "Dana.OConnor@northwind.com").username,
        "dana.oconnor@northwind.com"
    );
}

#[test]
fn hf_okta_id_is_valid_and_unique_for_everyone() {
    let records = audit(OktaFormat::HfOktaId, &EmptyRegistry);
    for r in records.iter().filter(|r| r.status != Status::Skipped) {
        assert_eq!(r.status, Status::Ok, "{r:?}");
        assert_eq!(r.username, r.id);
        assert_eq!(r.username.len(), 20);
        assert!(r.username.starts_with("00u"));
    }
    // The members' names are readable: none is an Okta id.
    let org = MemoryRegistry::from_names(&Policy::huggingface(), members());
    let records = audit(OktaFormat::HfOktaId, &org);
    assert!(records.iter().all(|r| !r.status.fails()));
}

#[test]
fn email_prefix_finds_the_shared_prefix_and_the_dots() {
    let records = audit(OktaFormat::EmailPrefix, &EmptyRegistry);
    let john = by_login(&records, "jsmith@northwind.com");
    let jane = by_login(&records, "jsmith@northwind-labs.com");
    assert_eq!(
        (john.username.as_str(), john.status),
        ("jsmith", Status::Ok)
    );
    assert_eq!(
        (jane.username.as_str(), jane.status),
        ("jsmith", Status::Duplicate)
    );
    assert_eq!(jane.collides_with, [john.row]);
    let suggestion = jane.suggestion.as_deref().expect("a suggestion");
    assert!(suggestion.to_lowercase().contains("smith"), "{suggestion}");
    let zoe = by_login(&records, "zoe.angstrom@northwind.com");
    assert_eq!(
        (zoe.username.as_str(), zoe.status),
        ("zoe.angstrom", Status::Invalid)
    );
    let statuses: Vec<Status> = records.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Status::Duplicate).count(),
        1
    );
    assert!(statuses.iter().all(|s| *s != Status::Error));
}

#[test]
fn the_okta_username_prefix_keeps_case_and_diacritics() {
    let records = audit(OktaFormat::OktaUsernamePrefix, &EmptyRegistry);
    assert_eq!(records[0].username, "Isaac.Brock");
    assert_eq!(records[1].username, "isaac.bröck");
    assert!(records[..2].iter().all(|r| r.status == Status::Invalid));
    assert_eq!(
        by_login(&records, "kmensah@northwind.com").status,
        Status::Ok
    );
}

/// Kenji Watanabe is not a member yet, but his email prefix is Keiko's member name: under
/// email-prefix, Okta would link him to her account.
#[test]
fn a_member_holding_an_unprovisioned_users_name_is_taken() {
    let org = MemoryRegistry::from_names(&Policy::huggingface(), members());
    let records = audit(OktaFormat::EmailPrefix, &org);
    let kenji = by_login(&records, "kwatanabe@northwind.com");
    assert_eq!(
        (kenji.username.as_str(), kenji.status),
        ("kwatanabe", Status::Taken)
    );
    let keiko = by_login(&records, "keiko.watanabe@northwind.com");
    assert!(MEMBERS.contains(&format!("kwatanabe,{},true", keiko.id)));
    assert!(!MEMBERS.contains(&kenji.id));
    assert!(MEMBERS.contains("\nnorthwind-admin,,true\n"));
}

/// The members file reads as a snapshot with identities: every externalId an Okta user's id,
/// DEPROVISIONED users deactivated, one member without an externalId.
#[test]
fn the_members_are_the_org_after_a_sync_of_the_export() {
    let policy = Policy::huggingface();
    let members =
        usernorm::read_members(MEMBERS.as_bytes(), ExistingOptions::default()).expect("reads");
    assert_eq!(
        (members.source, members.identities),
        (MembersSource::Csv, true)
    );
    let org = OrgSnapshot::new(&policy, members);
    assert!(org.duplicate_external_ids().is_empty());
    assert!(org.duplicate_user_names().is_empty());
    let users = users();
    let status: std::collections::HashMap<&str, &str> = (0..users.len())
        .map(|i| {
            let row = users.row(i).expect("a row");
            (row[0], row[1])
        })
        .collect();
    for member in org.members() {
        let Some(id) = &member.external_id else {
            assert_eq!(member.user_name, "northwind-admin");
            continue;
        };
        let state = status.get(id.as_str()).expect("an Okta user's id");
        assert_eq!(
            member.active == Some(false),
            *state == "DEPROVISIONED",
            "{}",
            member.user_name
        );
    }
    assert_eq!(org.without_external_id().count(), 1);
    assert_eq!(org.len(), 36);
}
