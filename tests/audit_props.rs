//! The audit on arbitrary input: it never panics, never loses a row, and every suggestion it
//! hands out is valid and unique.

mod strategies;

use std::collections::HashSet;

use proptest::prelude::*;
use usernorm::audit::{Audit, HuggingFaceMapping, ReportFormat, Status};
use usernorm::limits::MAX_RECORD_BYTES;
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
        // `\r`, and so do the line numbers), and every record has a line number inside the
        // input.
        let breaks = input
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || b == b'\r' && input.get(i + 1) != Some(&b'\n'))
            .count();
        prop_assert!(records.len() <= breaks + 1);
        let lines = breaks as u64 + 1;
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

/// A record as the audit's documented reading rules give it: its line, its first field, and
/// whether it is broken (a quote in it never closes, it is longer than [`MAX_RECORD_BYTES`],
/// or its quoted fields hold line breaks and its fields are not as many as the header's:
/// reported as its first line alone, and reading goes on at the next line). The header is
/// the first record. A plain reading of the rules, one byte at a time.
fn model(input: &[u8]) -> Vec<(u64, String, bool)> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let is_break = |b: u8| b == b'\n' || b == b'\r';
    // Past the line break at `i` (a `\r\n` whole).
    let past =
        |i: usize| i + 1 + usize::from(input[i] == b'\r' && input.get(i + 1) == Some(&b'\n'));
    let mut records = Vec::new();
    let mut columns = None;
    let (mut i, mut line) = (0, 1u64);
    while i < input.len() {
        if is_break(input[i]) {
            i = past(i);
            line += 1;
            continue;
        }
        let (start, mut state, mut j, mut lines) = (i, S::FieldStart, i, 0);
        let mut fields = vec![Vec::new()];
        let ended = loop {
            let Some(&b) = input.get(j) else { break None };
            let field = fields.last_mut().expect("a field");
            state = match state {
                S::FieldStart | S::Unquoted | S::QuoteInQuoted if is_break(b) => break Some(j),
                S::FieldStart | S::Unquoted | S::QuoteInQuoted if b == b',' => {
                    fields.push(Vec::new());
                    S::FieldStart
                }
                S::FieldStart if b == b'"' => S::Quoted,
                S::Quoted if b == b'"' => S::QuoteInQuoted,
                S::QuoteInQuoted if b == b'"' => {
                    field.push(b'"');
                    S::Quoted
                }
                S::Quoted => {
                    field.push(b);
                    if is_break(b) && !(b == b'\r' && input.get(j + 1) == Some(&b'\n')) {
                        lines += 1;
                    }
                    S::Quoted
                }
                _ => {
                    field.push(b);
                    S::Unquoted
                }
            };
            j += 1;
        };
        let too_long = ended.unwrap_or(input.len()) - start > MAX_RECORD_BYTES;
        let columns = *columns.get_or_insert(fields.len());
        let ragged = lines > 0 && fields.len() != columns && !records.is_empty();
        match ended {
            _ if too_long || (ended.is_none() && state == S::Quoted) || ragged => {
                let first_end = (start..input.len()).find(|&k| is_break(input[k]));
                let first = &input[start..first_end.unwrap_or(input.len())];
                let id = match first.len() > MAX_RECORD_BYTES {
                    true => &[][..],
                    false => first.split(|&b| b == b',').next().unwrap_or_default(),
                };
                records.push((line, String::from_utf8_lossy(id).into_owned(), true));
                i = first_end.map_or(input.len(), past);
                line += 1;
            }
            _ => {
                let id = String::from_utf8_lossy(&fields[0]).into_owned();
                records.push((line, id, false));
                i = ended.map_or(input.len(), past);
                line += lines + 1;
            }
        }
    }
    records
}

/// The records of an audit of `input` with the username from column `name`, as (line, id,
/// broken), on one thread or several.
fn audited(input: &[u8], threads: bool) -> Vec<(u64, String, bool)> {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::new();
    let mut checked = Audit::new(&policy, &org)
        .threads(threads)
        .run(
            std::io::Cursor::new(input.to_vec()),
            &mut usernorm::audit::Column::new("name"),
        )
        .expect("audited");
    checked
        .records()
        .map(|r| {
            let r = r.expect("a record");
            let broken = r.status == Status::Error
                && r.message.contains("the lines after it are read as rows");
            (r.line, r.id, broken)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every line of the input is in exactly one record (or blank), as the rules say, on one
    /// thread and several.
    #[test]
    fn records_follow_the_reading_rules(
        parts in prop::collection::vec(
            prop_oneof![
                Just("1"), Just("ab"), Just(","), Just("\""), Just("\"\""), Just("\n"),
                Just("\r\n"), Just("\r"), Just(",\""), Just("x\"y"),
            ],
            0..60,
        ),
    ) {
        let input = format!("id,name\n{}", parts.concat());
        let mut expected = model(input.as_bytes());
        expected.remove(0);
        for threads in [true, false] {
            prop_assert_eq!(&audited(input.as_bytes(), threads), &expected);
        }
    }
}

/// Inputs of several blocks with broken rows in later blocks: every driver of the first
/// phase (blocks on threads or not, then record by record on threads or not) reads the rows
/// the rules give, and `write_fixed` writes one row for each.
#[test]
fn large_inputs_with_broken_rows_read_the_same_on_every_path() {
    let mut input = String::from("id,name,department\n");
    let mut n = 0;
    let mut rows = |input: &mut String, count: usize, end: &str| {
        for _ in 0..count {
            n += 1;
            input.push_str(&format!("{n},name{n},Research and Development{end}"));
        }
    };
    rows(&mut input, 40_000, "\n");
    input.push_str("x,\"stray quote\n");
    rows(&mut input, 40_000, "\r\n");
    input.push_str("y,\"R&D\nz,Sales\",\"\n");
    rows(&mut input, 40_000, "\r");
    input.push_str("w,\"open at the end");
    assert!(input.len() > 4 << 20);
    let expected = {
        let mut all = model(input.as_bytes());
        all.remove(0);
        all
    };
    // Each quote runs on past the limit (x, y, z) or to the end (w): one row each.
    assert_eq!(expected.len(), 120_004);
    assert_eq!(expected.iter().filter(|r| r.2).count(), 4);
    for threads in [true, false] {
        assert_eq!(
            audited(input.as_bytes(), threads),
            expected,
            "threads: {threads}"
        );
    }
    let finals = std::iter::repeat_n(None, expected.len());
    let mut fixed = Vec::new();
    usernorm::audit::write_fixed(
        std::io::Cursor::new(input.into_bytes()),
        &mut fixed,
        "username",
        finals,
    )
    .expect("written");
    assert_eq!(
        fixed.iter().filter(|&&b| b == b'\n').count(),
        expected.len() + 1
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// One thread or several, the default tuning or a tiny one: the same records, reports,
    /// fixed export and summary (see `strategies/mod.rs`).
    #[test]
    fn every_strategy_gives_the_same_audit(
        rows in prop::collection::vec(prop::collection::vec(field(), 5), 0..40),
        taken in prop::collection::vec("[a-z]{2,6}", 0..5),
    ) {
        let policy = Policy::huggingface();
        let org = MemoryRegistry::from_names(&policy, &taken);
        let setup = strategies::Setup {
            policy: &policy, org: &org, lookalikes: None, plan: None,
        };
        let mapping = || {
            Box::new(HuggingFaceMapping::default()) as Box<dyn usernorm::audit::UsernameSource>
        };
        let audited = strategies::assert_same("rows", export(&rows).as_bytes(), &setup, &mapping);
        prop_assert!(audited.is_ok());
    }
}
