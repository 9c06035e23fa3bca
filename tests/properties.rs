//! Property tests of the core: validation and normalization never panic, spans are sound,
//! normalization is idempotent and its output valid, suggestions are valid, free and distinct.

mod common;

use std::collections::HashSet;

use proptest::prelude::*;
use usernorm::{Code, MemoryRegistry, NormalizeOptions, Policy, SuggestInput};

/// The policies every property is checked under: the presets and a few custom ones.
fn policies() -> Vec<Policy> {
    let custom = [
        "max_length = 5",
        "min_length = 3\nmax_length = 3",
        "extra_chars = \"._\"",
        "extra_chars = \"é.\"\nmax_length = 12",
        "base = \"github\"\nmax_length = 8\nreserved = [\"admin\", \"root\", \"u-1\"]",
        "min_length = 6\nreserved = [\"jdoe\", \"jdoe-2\"]",
        "case_sensitive = true\nallow_digits_only = true\nmin_length = 1",
    ];
    let mut out = vec![
        Policy::huggingface(),
        Policy::github(),
        Policy::github_emu("acme").expect("valid shortcode"),
        Policy::github_emu("averylongshortcode").expect("valid shortcode"),
    ];
    out.extend(
        custom
            .iter()
            .map(|text| Policy::from_toml(text).expect("valid policy")),
    );
    out
}

/// Strings that look like what a directory holds: ASCII letters and digits, separators,
/// accented Latin, Cyrillic, Greek, Han, Hangul, Arabic and emoji, mixed.
fn realistic() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-zA-Z]{1,8}",
        2 => "[0-9]{1,4}",
        3 => prop::sample::select(vec!["-", "_", ".", " ", "--", "'", "+", "@", "#EXT#", "\t"])
            .prop_map(str::to_owned),
        2 => "[àáâãäåæçèéëíïñóöøœßúüýþðłśżčřšžıİğş]{1,4}",
        1 => "[А-яЁёЂђЈјЉљЊњЋћЏџЇїҐґ]{1,6}",
        1 => "[Α-ωάέήίόύώϊϋ]{1,6}",
        1 => "[\u{4E00}-\u{4E80}]{1,3}",
        1 => "[가-힣]{1,3}",
        1 => "[ا-ي]{1,4}",
        1 => prop::sample::select(vec!["🎉", "👍🏽", "👨‍👩‍👧", "❤️", "™", "\u{200B}", "ｊｄ", "ﬁ"])
            .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|parts| parts.concat())
}

/// Either an arbitrary string or a realistic one.
fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), realistic()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn validation_spans_are_sound(name in any_name()) {
        for policy in policies() {
            let report = policy.validate(&name);
            let mut last: Option<(Code, usize)> = None;
            for v in &report.violations {
                let span = &v.span;
                prop_assert!(span.end <= name.len(), "{}: {:?} past the end", v.code, span);
                prop_assert!(
                    name.is_char_boundary(span.start) && name.is_char_boundary(span.end),
                    "{}: {:?} not on character boundaries of {:?}", v.code, span, name
                );
                // Only the empty name has an empty span (too-short on nothing).
                prop_assert!(span.start < span.end || name.is_empty(), "{}: empty span {:?}", v.code, span);
                prop_assert!(!v.message.is_empty());
                // Ordered by rule (Code::ALL order), then by position.
                if let Some((code, start)) = last {
                    prop_assert!(
                        code < v.code || code == v.code && start < span.start,
                        "{} at {:?} after {} at {}", v.code, span, code, start
                    );
                }
                last = Some((v.code, span.start));
            }
            prop_assert_eq!(report.is_valid(), report.violations.is_empty());
        }
    }

    #[test]
    fn normalization_is_idempotent_and_valid(input in any_name(), lowercase in any::<bool>()) {
        let options = NormalizeOptions { lowercase };
        for policy in policies() {
            let Ok(first) = policy.normalize_with(&input, options) else { continue };
            let name = first.name;
            let report = policy.validate(&name);
            prop_assert!(
                report.is_valid(),
                "{:?} normalized under {} to {:?}, which breaks {:?}",
                input, policy.name(), name, report.codes().collect::<Vec<_>>()
            );
            let again = policy.normalize_with(&name, options);
            prop_assert_eq!(
                again.as_ref().map(|n| n.name.as_str()),
                Ok(name.as_str()),
                "not idempotent under {}: {:?}", policy.name(), input
            );
            if lowercase {
                prop_assert!(!name.bytes().any(|b| b.is_ascii_uppercase()), "{:?}", name);
            }
        }
    }

    #[test]
    fn suggestions_are_valid_free_and_distinct(
        input in any_name(),
        given in proptest::option::of(realistic()),
        family in proptest::option::of(realistic()),
        extra_taken in prop::collection::vec(realistic(), 0..4),
        n in 0usize..5,
    ) {
        for policy in policies() {
            // Take the names the policy would offer first, so numbered forms are needed too.
            let mut taken = extra_taken.clone();
            if let Ok(name) = policy.normalize(&input) {
                taken.push(format!("{}-2", name.name));
                taken.push(name.name);
            }
            let registry = MemoryRegistry::from_names(&policy, &taken);
            let mut request = SuggestInput::new(&input);
            if let Some(g) = &given {
                request = request.given_name(g);
            }
            if let Some(f) = &family {
                request = request.family_name(f);
            }
            let got = policy.suggest(request, &registry, n).expect("memory registry answers");
            prop_assert!(got.len() <= n);
            let taken_keys: HashSet<String> =
                taken.iter().map(|t| policy.canonical_key(t).into_owned()).collect();
            let mut keys = HashSet::new();
            for s in &got {
                prop_assert!(policy.validate(s).is_valid(), "{:?} invalid under {}", s, policy.name());
                let key = policy.canonical_key(s).into_owned();
                prop_assert!(!taken_keys.contains(&key), "{:?} is taken under {}", s, policy.name());
                prop_assert!(keys.insert(key), "{:?} offered twice under {}", s, policy.name());
            }
        }
    }
}

/// Every rule that needs only the policy is reached by some case of `tests/data/validate.toml`;
/// `taken` and `duplicate` need a registry or a batch and are covered by unit tests.
#[test]
fn every_code_is_reached_by_a_validate_vector() {
    let file: common::ValidateFile = common::load("validate.toml");
    let mut seen = HashSet::new();
    for (i, case) in file.case.iter().enumerate() {
        for v in &case.violations {
            let code: Code = v
                .code
                .parse()
                .unwrap_or_else(|e| panic!("case {} ({:?}): {e}", i + 1, case.name));
            seen.insert(code);
        }
    }
    let missing: Vec<&str> = Code::ALL
        .into_iter()
        .filter(|code| !matches!(code, Code::Taken | Code::Duplicate))
        .filter(|code| !seen.contains(code))
        .map(Code::as_str)
        .collect();
    assert!(
        missing.is_empty(),
        "no case of validate.toml reaches {missing:?}"
    );
}
