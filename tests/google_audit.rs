//! The audit over Google Workspace's "Download users" CSV (`examples/google-users.csv`, from
//! `examples/gen_google.py`), by the default userName (`Email Address`) and by `Employee ID`,
//! and the bulk-update file made from the audit's suggestions.

use usernorm::audit::{Audit, Column, Header, Record, Row, Status};
use usernorm::google::{self, BulkUser};
use usernorm::{Code, EmptyRegistry, Policy};

const EXAMPLE: &str = include_str!("../examples/google-users.csv");

fn audit(column: &str) -> Vec<Record> {
    let policy = Policy::huggingface();
    let org = EmptyRegistry;
    let mut checked = Audit::new(&policy, &org)
        .run(EXAMPLE.as_bytes(), &mut Column::new(column))
        .expect("the audit runs");
    checked
        .records()
        .collect::<Result<_, _>>()
        .expect("the records")
}

/// The example's rows, as the `csv` crate reads them.
fn rows() -> (Header, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(EXAMPLE.as_bytes());
    let header = Header::new(reader.headers().expect("a header").iter());
    let rows = reader
        .records()
        .map(|r| r.expect("a row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_example_is_a_google_download() {
    let (header, rows) = rows();
    assert!(google::looks_like_download(&header));
    assert_eq!(rows.len(), 40);
    let status = header.index("Status").expect("a Status column");
    let count = |s: google::Status| {
        rows.iter()
            .filter(|r| google::Status::parse(&r[status]) == s)
            .count()
    };
    assert_eq!(count(google::Status::Active), 36);
    assert_eq!(count(google::Status::Suspended), 2);
    assert_eq!(count(google::Status::Archived), 2);
}

#[test]
fn every_primary_email_is_an_invalid_username() {
    let records = audit(google::DEFAULT_USERNAME_COLUMN);
    assert_eq!(records.len(), 40);
    // Suspended and archived users are never created: skipped (no member of the org is
    // given, so none is matched).
    let skipped: Vec<u64> = (records.iter())
        .filter(|r| r.status == Status::Skipped)
        .map(|r| r.row)
        .collect();
    assert_eq!(skipped, [9, 15, 24, 29]);
    for r in records.iter().filter(|r| r.status != Status::Skipped) {
        assert_eq!(r.status, Status::Invalid, "row {}: {}", r.row, r.username);
        assert!(r.codes.contains(&Code::InvalidChar), "row {}", r.row);
        assert!(r.username.contains('@'), "row {}", r.row);
        let suggestion = r.suggestion.as_deref().expect("a suggestion");
        assert!(usernorm::validate(suggestion).is_valid(), "{suggestion}");
    }
}

#[test]
fn employee_ids_as_usernames() {
    let records = audit("Employee ID");
    let status: Vec<(u64, Status)> = records.iter().map(|r| (r.row, r.status)).collect();
    let not_ok: Vec<(u64, Status)> = status
        .iter()
        .copied()
        .filter(|&(_, s)| s != Status::Ok)
        .collect();
    assert_eq!(
        not_ok,
        [
            (4, Status::Invalid),    // Łukasz Żółć: 100234, a payroll number
            (5, Status::Invalid),    // Søren Kierkegaard: no Employee ID
            (8, Status::Invalid),    // İsmail Yılmaz: 100311
            (9, Status::Skipped),    // suspended
            (13, Status::Invalid),   // Kofi Mensah: none
            (15, Status::Skipped),   // Hiroshi Tanaka: archived
            (18, Status::Invalid),   // Marta Kowalczyk: marta_k
            (23, Status::Duplicate), // Ming Lin: MLin, Mei Lin's mlin but for case
            (24, Status::Skipped),   // Sven Nilsson: suspended
            (26, Status::Invalid),   // Mateus Conceição: 100512
            (29, Status::Skipped),   // Noémie Laurent: archived
            (35, Status::Invalid),   // Aleksandra Wiśniewska: none
        ]
    );
    let codes = |row: u64| records[row as usize - 1].codes.clone();
    assert_eq!(codes(4), [Code::DigitsOnly]);
    assert_eq!(codes(5), [Code::TooShort]);
    assert_eq!(codes(18), [Code::InvalidChar]);
    assert_eq!(records[22].collides_with, [22]);
    assert_eq!(records[0].username, "ana-lima");
    assert_eq!(records[0].status, Status::Ok);
    // The suggestion comes from the person's name where the Employee ID gives nothing.
    assert_eq!(records[4].suggestion.as_deref(), Some("Soren-Kierkegaard"));
}

/// Every row the Employee ID audit fails gets a line of the bulk update that puts its
/// suggestion into Employee ID, and the file names the users as the download does.
#[test]
fn bulk_update_from_the_suggestions() {
    let records = audit("Employee ID");
    let (header, rows) = rows();
    let fields: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let users: Vec<BulkUser<'_>> = records
        .iter()
        .zip(&fields)
        .filter(|(r, _)| r.status.fails())
        .map(|(r, f)| {
            let suggestion = r.suggestion.as_deref().expect("a suggestion");
            BulkUser::from_row(&Row::new(&header, f), suggestion)
        })
        .collect();
    assert_eq!(users.len(), 8);
    let mut out = Vec::new();
    google::write_bulk_update(&mut out, google::DEFAULT_FIX_COLUMN, users).expect("written");

    let text = String::from_utf8(out).expect("UTF-8");
    let text = text.strip_prefix('\u{FEFF}').expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().expect("a header"),
        vec![
            "First Name [Required]",
            "Last Name [Required]",
            "Email Address [Required]",
            "Password [Required]",
            "Org Unit Path [Required]",
            "Employee ID",
        ]
    );
    let written: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    assert_eq!(written.len(), 8);
    // Søren Kierkegaard, who has no Employee ID: the name, kept in place, the password
    // unchanged, the fix from the name.
    assert_eq!(
        written[1].iter().collect::<Vec<_>>(),
        [
            "Søren",
            "Kierkegaard",
            "soren.kierkegaard@example.com",
            "****",
            "/Research",
            "Soren-Kierkegaard"
        ]
    );
    for line in &written {
        assert!(usernorm::validate(&line[5]).is_valid(), "{}", &line[5]);
    }
}
