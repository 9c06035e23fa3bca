//! The audit's strategies agree (see `strategies/mod.rs`): on the CLI's test inputs, on the
//! examples, and on a generated export of 20,000 rows with a stray quote at row 15,000.

mod strategies;

use std::path::Path;

use strategies::{Setup, assert_same};
use usernorm::audit::{Column, HuggingFaceMapping, Status, UsernameSource};
use usernorm::{LookalikeIndex, MemoryRegistry, Policy};

fn mapping() -> Box<dyn UsernameSource> {
    Box::new(HuggingFaceMapping::default())
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_strategy_agrees_on_the_cli_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let policy = Policy::huggingface();
    let org = MemoryRegistry::from_names(&policy, ["jdoe", "asmith", "ann"]);
    let setup = Setup {
        policy: &policy,
        org: &org,
        lookalikes: None,
        plan: None,
    };
    let mut audited = 0;
    for dir in files_under(&root.join("cli/tests/cmd")) {
        let is_input = dir.extension().is_some_and(|e| e == "in");
        if !is_input || !dir.is_dir() {
            continue;
        }
        for file in files_under(&dir) {
            let input = std::fs::read(&file).expect("readable");
            let what = file.display().to_string();
            if assert_same(&what, &input, &setup, &mapping).is_ok() {
                audited += 1;
            }
            // The username from a column of its own, for files the mapping cannot read.
            let user = || Box::new(Column::new("user")) as Box<dyn UsernameSource>;
            let _ = assert_same(&what, &input, &setup, &user);
        }
    }
    assert!(audited >= 6, "{audited} inputs audited");
}

#[test]
fn every_strategy_agrees_on_the_examples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let policy = Policy::huggingface();
    let members = std::fs::read_to_string(root.join("existing-members.txt")).expect("members");
    let org = MemoryRegistry::from_names(&policy, members.lines());
    let mut lookalikes = LookalikeIndex::new(&policy);
    for name in members.lines() {
        lookalikes.insert(name);
    }
    let setup = Setup {
        policy: &policy,
        org: &org,
        lookalikes: Some(&lookalikes),
        plan: None,
    };
    for name in ["entra-users.csv", "entra-portal-export.csv"] {
        let input = std::fs::read(root.join(name)).expect("example");
        let first = assert_same(name, &input, &setup, &mapping).expect("audited");
        assert!(
            first.records.iter().any(|r| r.contains("Invalid")),
            "{name}"
        );
    }
}

/// An export of `rows` rows in which a fifth fail (underscores, guest aliases, duplicates,
/// taken names), every row quoting its department, and row `stray` with a stray quote.
fn export(rows: usize, stray: usize) -> String {
    let mut csv = String::from("id,userPrincipalName,mailNickname,givenName,surname,department\n");
    for n in 1..=rows {
        let nick = match n % 10 {
            0 => format!("user_{n}"),
            5 => format!("guest{n}_contoso.com#EXT#"),
            3 if n > 100 => format!("user.{}", n - 100),
            7 => "jdoe".to_owned(),
            _ => format!("user.{n}"),
        };
        // The stray quote opens a field that only the next row's first quote closes: the
        // record runs on over the line after it, and its block cannot be read alone.
        let (field, department) = match n == stray {
            true => (format!("\"{nick}"), "R&D".to_owned()),
            false => (nick.clone(), format!("\"R&D, {}\"", n % 13)),
        };
        csv.push_str(&format!(
            "{n},{nick}@contoso.com,{field},Given{},Family{},{department}\n",
            n % 97,
            n % 89,
        ));
    }
    csv
}

#[test]
fn every_strategy_agrees_on_a_large_export_with_a_stray_quote() {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::from_names(&policy, ["jdoe", "user-20", "user.40"]);
    let setup = Setup {
        policy: &policy,
        org: &org,
        lookalikes: None,
        plan: None,
    };
    let input = export(20_000, 15_000);
    let first = assert_same("20,000 rows", input.as_bytes(), &setup, &mapping).expect("audited");
    let records = &first.records;
    assert_eq!(records.len(), 20_000);
    let errors = records
        .iter()
        .filter(|r| r.contains("status: Error"))
        .count();
    assert_eq!(errors, 1, "the stray quote costs its own row");
    let error = records.get(14_999).expect("row 15,000");
    assert!(error.contains("status: Error"), "{error}");
    for status in [Status::Invalid, Status::Duplicate, Status::Taken] {
        let name = format!("status: {status:?}");
        assert!(records.iter().any(|r| r.contains(&name)), "{name}");
    }
}

#[test]
fn records_and_reports_read_twice_are_the_same() {
    let policy = Policy::huggingface();
    let org = MemoryRegistry::from_names(&policy, ["jdoe"]);
    // Rows 2 and 3 want the same fix; row 4 has nothing to make one from.
    let input = "id,userPrincipalName,mailNickname,givenName,surname\n\
                 1,jdoe@x.com,jdoe,John,Doe\n\
                 2,j_doe@x.com,j_doe,John,Doe\n\
                 3,j_doe@x.com,j_doe,John,Doe\n\
                 4,_@x.com,_,,\n";
    for (threads, tuning, name) in strategies::strategies() {
        let audit = usernorm::audit::Audit::new(&policy, &org)
            .threads(threads)
            .tuning(tuning);
        let mut checked = audit
            .run(input.as_bytes(), &mut HuggingFaceMapping::default())
            .expect("audited");
        let first: Vec<_> = checked
            .records()
            .collect::<Result<_, _>>()
            .expect("records");
        let summary = checked.summary().clone();
        assert_eq!(summary.unfixable, 1, "{name}");
        // Half read, then read again from the start.
        let _ = checked.records().next();
        let again: Vec<_> = checked
            .records()
            .collect::<Result<_, _>>()
            .expect("records");
        assert_eq!(first, again, "{name}, threads {threads}");
        assert_eq!(checked.summary(), &summary, "{name}, threads {threads}");
        let mut report = Vec::new();
        checked
            .write_report(usernorm::audit::ReportFormat::Csv, |piece| {
                report.extend(piece);
                Ok(())
            })
            .expect("report");
        let mut lines = Vec::new();
        for r in &first {
            r.write_csv_line(&mut lines);
        }
        assert_eq!(
            String::from_utf8_lossy(&report),
            String::from_utf8_lossy(&lines),
            "{name}, threads {threads}"
        );
        assert_eq!(checked.summary(), &summary, "{name}, threads {threads}");
    }
}
