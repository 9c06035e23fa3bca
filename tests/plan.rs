//! The provisioning plan's rules as data: the cases of `tests/data/plan.toml`, each an
//! export (rows with an id, a mailNickname, accountEnabled and maybe given and family names)
//! against an org's members, with the plan's options, and the expected action, status and
//! current username of every row and the plan's summary.
//!
//! Every case runs with every strategy of the engine (threads on and off, the default and a
//! tiny tuning, see `strategies/mod.rs`), which must all give the same records; a failure
//! lists every mismatch of every case, not just the first.

mod strategies;

use std::borrow::Cow;

use serde::Deserialize;
use strategies::{Setup, assert_same};
use usernorm::audit::{
    Action, Audit, AuditError, Header, HuggingFaceMapping, Matching, Plan, Record, ReportFormat,
    Row as AuditRow, Status, Summary, UsernameSource,
};
use usernorm::{Code, Member, Members, MembersSource, MemoryRegistry, OrgSnapshot, Policy};

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    rows: Vec<Row>,
    #[serde(default)]
    members: Vec<MemberSpec>,
    /// A plain list of names (no identities) instead of `members`.
    list: Option<Vec<String>>,
    #[serde(default)]
    matching: MatchingSpec,
    #[serde(default = "yes")]
    renames: bool,
    /// The column of the matching value, when not `id` (an Entra schema mapping externalId
    /// from employeeId).
    match_column: Option<String>,
    expect: Vec<Expect>,
    summary: Option<SummarySpec>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    nick: String,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    given: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    emp: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
struct MemberSpec {
    userName: String,
    externalId: Option<String>,
    active: Option<bool>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum MatchingSpec {
    #[default]
    ExternalId,
    UserName,
    ExternalIdThenUserName,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The report's id, when it matters.
    id: Option<String>,
    action: String,
    status: String,
    #[serde(default)]
    current: String,
    /// The suggestion, when it matters.
    suggestion: Option<String>,
    /// A fragment of the message (empty: the message must be empty).
    message: Option<String>,
    /// The codes of the row's warnings, exactly.
    warnings: Option<Vec<String>>,
    /// `Record::final_username`, when it matters ("" for none).
    #[serde(rename = "final")]
    final_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummarySpec {
    /// create, update, rename, disable, skip.
    actions: Option<[u64; 5]>,
    conflicts: Option<u64>,
    /// The absent members' userNames, in order.
    absent: Option<Vec<String>>,
    /// Fragments, each of a warning of its own, as many as there are warnings.
    warnings: Option<Vec<String>>,
    /// A fragment of the matching in words.
    matching: Option<String>,
    matched_by_id: Option<bool>,
}

fn export(rows: &[Row]) -> String {
    let mut csv = String::from(
        "id,userPrincipalName,mailNickname,givenName,surname,accountEnabled,employeeId\n",
    );
    for r in rows {
        csv.push_str(&format!(
            "{},{}@contoso.com,{},{},{},{},{}\n",
            r.id, r.nick, r.nick, r.given, r.surname, r.enabled, r.emp
        ));
    }
    csv
}

fn org(policy: &Policy, case: &Case) -> OrgSnapshot {
    if let Some(list) = &case.list {
        return OrgSnapshot::from_names(policy, list);
    }
    let members = case.members.iter().map(|m| {
        let mut member = Member::new(&m.userName);
        member.external_id.clone_from(&m.externalId);
        member.active = m.active;
        member
    });
    OrgSnapshot::new(
        policy,
        Members {
            members: members.collect(),
            source: MembersSource::Csv,
            identities: true,
        },
    )
}

/// Hugging Face's mapping, except that it fails on a row whose mailNickname is `!fail`.
#[derive(Default)]
struct Mapping {
    inner: HuggingFaceMapping,
    nick: Option<usize>,
}

impl UsernameSource for Mapping {
    fn bind(&mut self, header: &Header) -> Result<(), AuditError> {
        self.nick = header.index("mailNickname");
        self.inner.bind(header)
    }

    fn username<'r>(&self, row: &AuditRow<'r>) -> Result<Cow<'r, str>, String> {
        match self.nick.and_then(|i| row.field(i)) {
            Some("!fail") => Err("no value".to_owned()),
            _ => self.inner.username(row),
        }
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

fn mapping() -> Box<dyn UsernameSource> {
    Box::<Mapping>::default()
}

/// The records and summary of the case's audit, after checking every strategy agrees.
fn audit(case: &Case) -> Result<(Vec<Record>, Summary), String> {
    let policy = Policy::huggingface();
    let org = org(&policy, case);
    let matching = match case.matching {
        MatchingSpec::ExternalId => Matching::ExternalId,
        MatchingSpec::UserName => Matching::UserName,
        MatchingSpec::ExternalIdThenUserName => Matching::ExternalIdThenUserName,
    };
    let mut plan = Plan::new(&org).matching(matching).renames(case.renames);
    if let Some(column) = &case.match_column {
        plan = plan.match_column(column);
    }
    let input = export(&case.rows);
    let unused = MemoryRegistry::from_names(&policy, Vec::<String>::new());
    let setup = Setup {
        policy: &policy,
        org: &unused,
        lookalikes: None,
        plan: Some(&plan),
    };
    assert_same(&case.name, input.as_bytes(), &setup, &mapping)?;
    let mut checked = Audit::new(&policy, &org)
        .plan(&plan)
        .run(std::io::Cursor::new(input.into_bytes()), mapping().as_mut())
        .map_err(|e| e.to_string())?;
    let records = checked
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let summary = checked.summary().clone();
    // The CSV report, made without records for the ok rows, counts the same.
    checked
        .write_report(ReportFormat::Csv, |_| Ok(()))
        .map_err(|e| e.to_string())?;
    if *checked.summary() != summary {
        return Err(format!(
            "the summary after the CSV report: {:?}, after the records: {summary:?}",
            checked.summary()
        ));
    }
    Ok((records, summary))
}

fn check_row(r: &Record, e: &Expect, errors: &mut Vec<String>) {
    let mut fail = |what: &str, got: &dyn std::fmt::Debug, want: &dyn std::fmt::Debug| {
        errors.push(format!("row {}: {what} is {got:?}, not {want:?}", r.row));
    };
    if let Some(id) = &e.id
        && r.id != *id
    {
        fail("id", &r.id, id);
    }
    if r.action.as_str() != e.action {
        fail("action", &r.action, &e.action);
    }
    if r.status.as_str() != e.status {
        fail("status", &r.status, &e.status);
    }
    if r.current_username != e.current {
        fail("current_username", &r.current_username, &e.current);
    }
    if let Some(s) = &e.suggestion
        && r.suggestion.as_deref() != Some(s.as_str())
    {
        fail("suggestion", &r.suggestion, s);
    }
    match &e.message {
        Some(m) if m.is_empty() && !r.message.is_empty() => fail("message", &r.message, m),
        Some(m) if !r.message.contains(m.as_str()) => fail("message", &r.message, m),
        _ => {}
    }
    if let Some(w) = &e.warnings {
        let codes: Vec<&str> = r.warnings.iter().map(|w| w.code).collect();
        if codes != *w {
            fail("warnings", &r.warnings, w);
        }
    }
    if let Some(f) = &e.final_name
        && r.final_username().unwrap_or("") != f
    {
        fail("final_username", &r.final_username(), f);
    }
    // What the plan says of every row, whatever the case.
    let matched = matches!(r.action, Action::Update | Action::Rename | Action::Disable);
    if matched == r.current_username.is_empty() && r.status != Status::Error {
        fail(
            "current_username for its action",
            &r.current_username,
            &r.action,
        );
    }
    // An error (two rows with one matching value) keeps the action the provider would fail.
    if r.status != Status::Error && (r.action == Action::Skip) != (r.status == Status::Skipped) {
        fail(
            "action and status",
            &(r.action, r.status),
            &"skip with skipped",
        );
    }
}

fn check_summary(s: &Summary, records: &[Record], e: &SummarySpec, errors: &mut Vec<String>) {
    let plan = &s.plan;
    let counts = Action::ALL.map(|a| plan.actions.get(a));
    let counted = Action::ALL.map(|a| records.iter().filter(|r| r.action == a).count() as u64);
    if counts != counted {
        errors.push(format!(
            "summary: actions {counts:?}, the records' {counted:?}"
        ));
    }
    if let Some(a) = e.actions
        && a != counts
    {
        errors.push(format!("summary: actions {counts:?}, not {a:?}"));
    }
    if let Some(c) = e.conflicts
        && c != plan.conflicts
    {
        errors.push(format!("summary: conflicts {}, not {c}", plan.conflicts));
    }
    if let Some(a) = &e.absent {
        let names: Vec<&str> = plan.absent.iter().map(|m| m.user_name.as_str()).collect();
        if names != *a {
            errors.push(format!("summary: absent {names:?}, not {a:?}"));
        }
    }
    if let Some(w) = &e.warnings {
        let fits = plan.warnings.len() == w.len()
            && (w.iter().zip(&plan.warnings)).all(|(want, got)| got.contains(want.as_str()));
        if !fits {
            errors.push(format!("summary: warnings {:?}, not {w:?}", plan.warnings));
        }
    }
    if let Some(m) = &e.matching
        && !plan.matching.contains(m.as_str())
    {
        errors.push(format!("summary: matching {:?}, not {m:?}", plan.matching));
    }
    if let Some(m) = e.matched_by_id
        && m != plan.matched_by_id
    {
        errors.push(format!("summary: matched_by_id {}", plan.matched_by_id));
    }
}

/// The summary's counts are the records' counts, whatever the case.
fn check_counts(s: &Summary, records: &[Record], errors: &mut Vec<String>) {
    let statuses = Status::ALL.map(|st| s.statuses.get(st));
    let counted = Status::ALL.map(|st| records.iter().filter(|r| r.status == st).count() as u64);
    if statuses != counted {
        errors.push(format!(
            "summary: statuses {statuses:?}, the records' {counted:?}"
        ));
    }
    let codes: Vec<(Code, u64)> = s.codes.iter().map(|c| (c.code, c.rows)).collect();
    let counted: Vec<(Code, u64)> = (Code::ALL.iter())
        .map(|&c| {
            (
                c,
                records.iter().filter(|r| r.codes.contains(&c)).count() as u64,
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    if codes != counted {
        errors.push(format!(
            "summary: codes {codes:?}, the records' {counted:?}"
        ));
    }
    let duplicates = records
        .iter()
        .filter(|r| r.status == Status::Duplicate)
        .count() as u64;
    if s.collisions.rows != s.collisions.names + duplicates {
        errors.push(format!(
            "summary: {:?} for {duplicates} duplicates",
            s.collisions
        ));
    }
    let lookalikes = (records.iter())
        .map(|r| r.warnings.iter().filter(|w| w.code == "lookalike").count() as u64)
        .sum::<u64>();
    if s.lookalikes != lookalikes {
        errors.push(format!(
            "summary: {} lookalikes, not {lookalikes}",
            s.lookalikes
        ));
    }
}

fn run(case: &Case) -> Vec<String> {
    let (records, summary) = match audit(case) {
        Ok(audited) => audited,
        Err(e) => return vec![format!("the audit failed: {e}")],
    };
    let mut errors = Vec::new();
    if records.len() != case.expect.len() {
        errors.push(format!(
            "{} records for {} expectations",
            records.len(),
            case.expect.len()
        ));
    }
    for (r, e) in records.iter().zip(&case.expect) {
        check_row(r, e, &mut errors);
    }
    check_counts(&summary, &records, &mut errors);
    if let Some(s) = &case.summary {
        check_summary(&summary, &records, s, &mut errors);
    }
    errors
}

#[test]
fn the_plan_follows_its_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/plan.toml");
    let text = std::fs::read_to_string(path).expect("tests/data/plan.toml");
    let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(file.case.len() >= 30, "{} cases", file.case.len());
    let mut failures = Vec::new();
    for case in &file.case {
        for error in run(case) {
            failures.push(format!("{}: {error}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
