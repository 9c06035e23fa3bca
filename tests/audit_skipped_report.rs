//! Skipped rows in the report the audit formats itself ([`Checked::write_report`], what
//! `usernorm audit --out` writes): the same lines as the records', and no skipped row counted
//! among the rows with no possible fix, whatever the strategy.

// Only its list of strategies is used here.
#[allow(dead_code)]
mod strategies;

use usernorm::audit::{Audit, Column, Plan, ReportFormat, Status};
use usernorm::{Member, Members, MembersSource, OrgSnapshot, Policy};

#[test]
fn skipped_rows_are_written_as_their_records_and_are_not_unfixable() {
    let policy = Policy::huggingface();
    let org = OrgSnapshot::new(
        &policy,
        Members {
            members: vec![Member::new("ann").with_external_id("1")],
            source: MembersSource::Csv,
            identities: true,
        },
    );
    let plan = Plan::new(&org);
    // Row 2 is disabled and never provisioned, row 3 has no objectId: both skipped; row 4 has
    // nothing to make a fix from.
    let csv = "id,user,accountEnabled\n1,ann,true\n2,zoe,false\n,bob,true\n4,_,true\n";
    for (threads, tuning, name) in strategies::strategies() {
        let audit = Audit::new(&policy, &org)
            .plan(&plan)
            .threads(threads)
            .tuning(tuning);
        let mut checked = audit
            .run(csv.as_bytes(), &mut Column::new("user"))
            .expect("audited");
        let records: Vec<_> = checked
            .records()
            .collect::<Result<_, _>>()
            .expect("records");
        let statuses: Vec<Status> = records.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [
                Status::Ok,
                Status::Skipped,
                Status::Skipped,
                Status::Invalid
            ]
        );
        assert_eq!(checked.summary().unfixable, 1, "{name}, threads {threads}");
        let mut lines = Vec::new();
        for r in &records {
            r.write_csv_line(&mut lines);
        }
        for format in [ReportFormat::Csv, ReportFormat::JsonLines] {
            let mut report = Vec::new();
            checked
                .write_report(format, |piece| {
                    report.extend(piece);
                    Ok(())
                })
                .expect("report");
            if format == ReportFormat::Csv {
                assert_eq!(
                    String::from_utf8_lossy(&report),
                    String::from_utf8_lossy(&lines),
                    "{name}, threads {threads}"
                );
            }
            assert_eq!(
                checked.summary().unfixable,
                1,
                "{format:?}: {name}, threads {threads}"
            );
        }
    }
}
