//! The audit on arbitrary input: it never panics, never loses a row, and every suggestion it
//! hands out is valid and unique.

use std::collections::HashSet;

use proptest::prelude::*;
use usernorm::audit::{Audit, HuggingFaceMapping, ReportFormat, Status};
use usernorm::{MemoryRegistry, Policy};

const HEADER: &str = "id,userPrincipalName,mailNickname,givenName,surname\n";

/// A field as directories fill them: names, dots, accents, emoji, quotes, separators.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}(\\.[a-z]{1,8})?",
        "[A-Za-z0-9._ -]{0,12}",
        "[a-zà-ÿ]{1,6}",
        "(jdoe|JDoe|john\\.doe|johndoe|j\\.doe|104233|x|-a-)",
        any::<String>().prop_map(|s| s.chars().take(10).collect()),
    ]
}

/// A quoted CSV field, so commas, quotes and line breaks inside stay in the field.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn audit(input: &[u8], policy: &Policy, org: &MemoryRegistry) -> Vec<usernorm::audit::Record> {
    let mut checked = Audit::new(policy, org)
        .run(
            std::io::Cursor::new(input.to_vec()),
            &mut HuggingFaceMapping::default(),
        )
        .expect("a file with the header is audited");
    checked
        .records()
        .collect::<Result<_, _>>()
        .expect("records")
}

/// The export of `rows`: the header, then each row with its number as its id.
fn export(rows: &[Vec<String>]) -> String {
    let mut csv = String::from(HEADER);
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = std::iter::once(i.to_string())
            .chain(row.iter().skip(1).map(|f| quoted(f)))
            .collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_row_appears_and_every_fix_is_valid_and_unique(
        rows in prop::collection::vec(prop::collection::vec(field(), 5), 0..40),
        taken in prop::collection::vec("[a-z]{2,6}", 0..5),
    ) {
        let policy = Policy::huggingface();
        let org = MemoryRegistry::from_names(&policy, &taken);
        let csv = export(&rows);
        let records = audit(csv.as_bytes(), &policy, &org);
        prop_assert_eq!(records.len(), rows.len());

        let mut handed_out = HashSet::new();
        for (i, r) in records.iter().enumerate() {
            prop_assert_eq!(r.row, i as u64 + 1);
            if r.status == Status::Ok {
                prop_assert!(policy.validate(&r.username).is_valid());
                prop_assert!(handed_out.insert(policy.canonical_key(&r.username).into_owned()));
            }
        }
        for r in &records {
            if let Some(fix) = &r.suggestion {
                prop_assert!(r.status != Status::Ok);
                prop_assert!(policy.validate(fix).is_valid(), "{fix}");
                let key = policy.canonical_key(fix).into_owned();
                prop_assert!(!taken.contains(&key), "{fix} is taken");
                prop_assert!(handed_out.insert(key), "{fix} handed out twice");
            }
        }
    }

    #[test]
    fn arbitrary_bytes_after_the_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..400)) {
        let policy = Policy::huggingface();
        let org = MemoryRegistry::new();
        let mut input = HEADER.as_bytes().to_vec();
        input.extend_from_slice(&body);
        let records = audit(&input, &policy, &org);
        // At most one record per line of the body (CSV ends a line at `\n`, `\r\n` or a bare
        // `\r`), and every record has a line number inside the input.
        let breaks = input
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || b == b'\r' && input.get(i + 1) != Some(&b'\n'))
            .count() as u64;
        prop_assert!(records.len() as u64 <= breaks + 1);
        let lines = input.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        for r in &records {
            prop_assert!(r.line >= 2 && r.line <= lines, "line {}", r.line);
        }
    }
}

/// The report as `write_report` formats it, one thread or two.
fn formatted(
    input: &[u8],
    policy: &Policy,
    org: &MemoryRegistry,
    threads: bool,
    json: bool,
) -> Vec<u8> {
    let mut checked = Audit::new(policy, org)
        .threads(threads)
        .run(
            std::io::Cursor::new(input.to_vec()),
            &mut HuggingFaceMapping::default(),
        )
        .expect("a file with the header is audited");
    let format = if json {
        ReportFormat::JsonLines
    } else {
        ReportFormat::Csv
    };
    let mut out = Vec::new();
    checked
        .write_report(format, |piece| {
            out.extend(piece);
            Ok(())
        })
        .expect("report");
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_formatted_report_is_the_records_formatted(
        rows in prop::collection::vec(prop::collection::vec(field(), 5), 0..40),
        taken in prop::collection::vec("[a-z]{2,6}", 0..5),
        json in any::<bool>(),
    ) {
        let policy = Policy::huggingface();
        let org = MemoryRegistry::from_names(&policy, &taken);
        let csv = export(&rows);
        let mut expected = Vec::new();
        for r in audit(csv.as_bytes(), &policy, &org) {
            if json {
                serde_json::to_writer(&mut expected, &r).expect("json");
                expected.push(b'\n');
            } else {
                r.write_csv_line(&mut expected);
            }
        }
        for threads in [true, false] {
            let got = formatted(csv.as_bytes(), &policy, &org, threads, json);
            prop_assert_eq!(&got, &expected);
        }
    }
}
