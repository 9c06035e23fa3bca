//! The audit's summary warns when the mapping cannot give the same names twice.

use usernorm::audit::{Audit, EntraMapping, HuggingFaceMapping};
use usernorm::{EmptyRegistry, Policy};

const CSV: &str = "id,mailNickname,givenName\n1,jdoe,John\n2,asmith,Alice\n";

fn warning(source: &mut dyn usernorm::audit::UsernameSource) -> Option<String> {
    let policy = Policy::huggingface();
    let checked = Audit::new(&policy, &EmptyRegistry)
        .run(std::io::Cursor::new(CSV), source)
        .expect("audit");
    let summary = checked.summary().clone();
    let json = serde_json::to_value(&summary).expect("json");
    assert_eq!(
        json["mapping_warning"].as_str(),
        summary.mapping_warning.as_deref()
    );
    summary.mapping_warning
}

/// `Guid()`, `RandomString()` and `Now()` once audited random names without a word.
#[test]
fn a_mapping_that_is_not_reproducible_is_warned_about() {
    for expression in [
        "Append([mailNickname], Guid())",
        r#"Join("-", [givenName], RandomString(4, 1, 0, 0, 0, ""))"#,
        r#"IIF(IsPresent(Now()), [mailNickname], "")"#,
    ] {
        let mut mapping = EntraMapping::parse(expression).expect("expression");
        let got = warning(&mut mapping).unwrap_or_else(|| panic!("no warning for {expression}"));
        assert!(got.contains("not reproducible"), "{got}");
    }
    let mut plain = EntraMapping::parse("ToLower([mailNickname])").expect("expression");
    assert_eq!(warning(&mut plain), None);
    assert_eq!(warning(&mut HuggingFaceMapping::default()), None);
}
