//! Every strategy of the audit engine on one input, as ripgrep runs its searcher's: one thread
//! or several, the default tuning or a tiny one (64-byte blocks, batches of 3, one or three
//! drafting helpers) that makes a few rows cross every boundary a million rows cross. Each
//! must give the same records, the same report bytes (CSV and JSON lines, formatted by the
//! audit or record by record), the same fixed export and the same summary.

use usernorm::audit::{Audit, AuditError, Plan, ReportFormat, Tuning, UsernameSource, write_fixed};
use usernorm::{LookalikeIndex, MemoryRegistry, Policy};

/// What an audit runs against: the policy, the org's members and lookalikes to warn about.
pub(crate) struct Setup<'a> {
    pub policy: &'a Policy,
    pub org: &'a MemoryRegistry,
    pub lookalikes: Option<&'a LookalikeIndex<'a>>,
    /// The provisioning plan, whose org then stands in for `org`.
    pub plan: Option<&'a Plan<'a>>,
}

/// The strategies: (threads, tuning, a name for messages).
pub(crate) fn strategies() -> Vec<(bool, Tuning, &'static str)> {
    let mut all = Vec::new();
    for threads in [false, true] {
        for (tuning, name) in [
            (Tuning::DEFAULT, "default"),
            (Tuning::tiny(1), "tiny, one helper"),
            (Tuning::tiny(3), "tiny, three helpers"),
        ] {
            all.push((threads, tuning, name));
        }
    }
    all
}

/// Everything an audit hands out, as bytes or text to compare.
#[derive(Debug, PartialEq)]
pub(crate) struct Outputs {
    /// The records, each as `Debug` shows it.
    pub records: Vec<String>,
    /// The records, each as `Record::write_csv_line` writes it.
    pub csv_lines: Vec<u8>,
    /// The records, each as one line of JSON.
    pub json_lines: Vec<u8>,
    /// `Checked::write_report` in CSV.
    pub csv_report: Vec<u8>,
    /// `Checked::write_report` in JSON lines.
    pub json_report: Vec<u8>,
    /// `write_fixed` with the records' final usernames.
    pub fixed: Vec<u8>,
    /// The summary once the records are read, as `Debug` shows it.
    pub summary: String,
}

/// What one strategy makes of `input`; `Err` with the message when the audit cannot run.
pub(crate) fn outputs(
    input: &[u8],
    setup: &Setup<'_>,
    source: &dyn Fn() -> Box<dyn UsernameSource>,
    threads: bool,
    tuning: Tuning,
) -> Result<Outputs, String> {
    let audit = {
        let audit = Audit::new(setup.policy, setup.org)
            .shared_existing(setup.org)
            .threads(threads)
            .tuning(tuning)
            .input_size(input.len() as u64);
        let audit = match setup.lookalikes {
            Some(index) => audit.lookalikes(index),
            None => audit,
        };
        match setup.plan {
            Some(plan) => audit.plan(plan),
            None => audit,
        }
    };
    let mut checked = audit
        .run(std::io::Cursor::new(input.to_vec()), source().as_mut())
        .map_err(|e| e.to_string())?;
    let records = checked
        .records()
        .collect::<Result<Vec<_>, AuditError>>()
        .map_err(|e| e.to_string())?;
    let summary = format!("{:?}", checked.summary());
    // The reports from the same audit: reading the records again starts over.
    let mut report = |format| {
        let mut out = Vec::new();
        checked
            .write_report(format, |piece| {
                out.extend(piece);
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(out)
    };
    let csv_report = report(ReportFormat::Csv)?;
    let json_report = report(ReportFormat::JsonLines)?;
    assert_eq!(
        summary,
        format!("{:?}", checked.summary()),
        "the summary read twice"
    );
    let mut csv_lines = Vec::new();
    let mut json_lines = Vec::new();
    for r in &records {
        r.write_csv_line(&mut csv_lines);
        serde_json::to_writer(&mut json_lines, r).expect("in memory");
        json_lines.push(b'\n');
    }
    let mut fixed = Vec::new();
    let finals = records
        .iter()
        .map(|r| r.final_username().map(str::to_owned));
    write_fixed(
        std::io::Cursor::new(input.to_vec()),
        &mut fixed,
        "username",
        finals.collect::<Vec<_>>(),
    )
    .map_err(|e| e.to_string())?;
    Ok(Outputs {
        records: records.iter().map(|r| format!("{r:?}")).collect(),
        csv_report,
        json_report,
        csv_lines,
        json_lines,
        fixed,
        summary,
    })
}

/// Runs every strategy on `input` and asserts they agree with the first (one thread, the
/// default tuning) and that the formatted reports are the records formatted; gives the
/// first's outputs.
pub(crate) fn assert_same(
    what: &str,
    input: &[u8],
    setup: &Setup<'_>,
    source: &dyn Fn() -> Box<dyn UsernameSource>,
) -> Result<Outputs, String> {
    let mut all = strategies().into_iter();
    let (threads, tuning, _) = all.next().expect("a strategy");
    let first = outputs(input, setup, source, threads, tuning);
    if let Ok(first) = &first {
        same(
            what,
            "CSV report and lines",
            &first.csv_report,
            &first.csv_lines,
        );
        same(
            what,
            "JSON report and lines",
            &first.json_report,
            &first.json_lines,
        );
    }
    for (threads, tuning, name) in all {
        let other = outputs(input, setup, source, threads, tuning);
        let what = format!("{what}, {name}, threads {threads}");
        match (&first, &other) {
            (Ok(a), Ok(b)) => {
                let lines = |v: &[String]| v.join("\n").into_bytes();
                same(&what, "records", &lines(&a.records), &lines(&b.records));
                same(&what, "CSV report", &a.csv_report, &b.csv_report);
                same(&what, "JSON report", &a.json_report, &b.json_report);
                same(&what, "CSV lines", &a.csv_lines, &b.csv_lines);
                same(&what, "JSON lines", &a.json_lines, &b.json_lines);
                same(&what, "fixed export", &a.fixed, &b.fixed);
                assert_eq!(a.summary, b.summary, "{what}: summary");
            }
            (a, b) => assert_eq!(a.as_ref().err(), b.as_ref().err(), "{what}"),
        }
    }
    first
}

/// Asserts two outputs are the same bytes, showing the first line that differs rather than
/// megabytes of report.
fn same(what: &str, output: &str, a: &[u8], b: &[u8]) {
    let mut lines = a.split(|&b| b == b'\n').zip(b.split(|&b| b == b'\n'));
    if let Some((x, y)) = lines.find(|(x, y)| x != y) {
        panic!(
            "{what}: the {output} differ:\n{}\n{}",
            String::from_utf8_lossy(x),
            String::from_utf8_lossy(y)
        );
    }
    assert_eq!(a.len(), b.len(), "{what}: the {output} differ in length");
}
