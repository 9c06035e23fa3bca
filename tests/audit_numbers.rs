//! Numbered suggestions in a large audit: every row that shares a name gets a fix of its own,
//! past the 99 999 numbered forms once stopped at.

use std::collections::HashSet;

use usernorm::audit::{Audit, HuggingFaceMapping, Status};
use usernorm::{MemoryRegistry, Policy};

/// 200 000 rows of `jdoe`, with the org already holding `jdoe-2` to `jdoe-20000` (taken numbers
/// the suggestions must go around): the first row keeps `jdoe`, each other row gets the next
/// free number, the last of them past 100 000.
#[test]
fn every_row_sharing_a_name_gets_a_fix() {
    let rows = 200_000;
    let mut csv = String::with_capacity(rows * 8 + 16);
    csv.push_str("mailNickname\n");
    for _ in 0..rows {
        csv.push_str("jdoe\n");
    }
    let policy = Policy::huggingface();
    let mut org = MemoryRegistry::new();
    for k in 2..=20_000 {
        org.insert(&policy, &format!("jdoe-{k}"));
    }
    let mut checked = Audit::new(&policy, &org)
        .run(
            std::io::Cursor::new(csv.into_bytes()),
            &mut HuggingFaceMapping::default(),
        )
        .expect("audit");
    let mut seen = HashSet::new();
    let mut count = 0;
    let mut last = None;
    for (i, record) in checked.records().enumerate() {
        let record = record.expect("record");
        count += 1;
        if i == 0 {
            assert_eq!(record.status, Status::Ok);
            continue;
        }
        assert_eq!(record.status, Status::Duplicate, "row {}", record.row);
        let fix = record.suggestion.expect("every row gets a fix");
        assert!(policy.validate(&fix).is_valid(), "{fix}");
        assert!(seen.insert(fix.clone()), "{fix} handed out twice");
        last = Some(fix);
    }
    assert_eq!(count, rows);
    assert_eq!(checked.summary().unfixable, 0);
    // Numbers 2 to 20 000 are taken: the 199 999 fixes are 20 001 to 219 999.
    assert_eq!(last.as_deref(), Some("jdoe-219999"));
}
