//! Runs the shared vectors of `tests/data/*.toml` through the core's public API.
//!
//! Every case is run; a failure lists every mismatch (case number, input, expected, got), not
//! just the first.

mod common;

use common::{NormalizeFile, PolicySpec, SuggestFile, ValidateFile, load, report, review_token};
use usernorm::{MemoryRegistry, NormalizeOptions, SuggestInput};

#[test]
fn validate_vectors() {
    let file: ValidateFile = load("validate.toml");
    let mut failures = Vec::new();
    for (i, case) in file.case.iter().enumerate() {
        let label = format!(
            "case {} (name {:?}, policy {:?})",
            i + 1,
            case.name,
            case.policy
        );
        let policy = match PolicySpec::build(case.policy.as_ref()) {
            Ok(policy) => policy,
            Err(e) => {
                failures.push(format!("{label}: bad policy: {e}"));
                continue;
            }
        };
        let got: Vec<(String, usize, usize)> = policy
            .validate(&case.name)
            .violations
            .iter()
            .map(|v| (v.code.as_str().to_owned(), v.span.start, v.span.end))
            .collect();
        let expected: Vec<(String, usize, usize)> = case
            .violations
            .iter()
            .map(|v| (v.code.clone(), v.start, v.end))
            .collect();
        if got != expected {
            failures.push(format!(
                "{label}\n  expected {}\n  got      {}",
                show(&expected),
                show(&got)
            ));
        }
    }
    report("validate.toml", file.case.len(), &failures);
}

fn show(violations: &[(String, usize, usize)]) -> String {
    let items: Vec<String> = violations
        .iter()
        .map(|(code, start, end)| format!("{code} {start}..{end}"))
        .collect();
    format!("[{}]", items.join(", "))
}

#[test]
fn normalize_vectors() {
    let file: NormalizeFile = load("normalize.toml");
    let mut failures = Vec::new();
    for (i, case) in file.case.iter().enumerate() {
        let label = format!("case {} (input {:?})", i + 1, case.input);
        if case.error == case.output.is_some() {
            failures.push(format!("{label}: give either `output` or `error = true`"));
            continue;
        }
        let policy = match PolicySpec::build(case.policy.as_ref()) {
            Ok(policy) => policy,
            Err(e) => {
                failures.push(format!("{label}: bad policy: {e}"));
                continue;
            }
        };
        let options = NormalizeOptions {
            lowercase: case.lowercase,
        };
        let expected = match &case.output {
            Some(output) => format!("{output:?} review {:?}", case.review),
            None => "an error".to_owned(),
        };
        let got = match policy.normalize_with(&case.input, options) {
            Ok(n) => {
                let review = n.review.map(|r| review_token(r).to_owned());
                format!("{:?} review {review:?}", n.name)
            }
            Err(_) => "an error".to_owned(),
        };
        if got != expected {
            failures.push(format!("{label}\n  expected {expected}\n  got      {got}"));
        }
    }
    report("normalize.toml", file.case.len(), &failures);
}

#[test]
fn suggest_vectors() {
    let file: SuggestFile = load("suggest.toml");
    let mut failures = Vec::new();
    for (i, case) in file.case.iter().enumerate() {
        let label = format!(
            "case {} (input {:?}, given {:?}, family {:?}, taken {:?}, n {})",
            i + 1,
            case.input,
            case.given,
            case.family,
            case.taken,
            case.n
        );
        let policy = match PolicySpec::build(case.policy.as_ref()) {
            Ok(policy) => policy,
            Err(e) => {
                failures.push(format!("{label}: bad policy: {e}"));
                continue;
            }
        };
        let registry = MemoryRegistry::from_names(&policy, &case.taken);
        let mut input = SuggestInput::new(&case.input);
        if let Some(given) = &case.given {
            input = input.given_name(given);
        }
        if let Some(family) = &case.family {
            input = input.family_name(family);
        }
        match policy.suggest(input, &registry, case.n) {
            Ok(got) if got == case.expected => {}
            Ok(got) => failures.push(format!(
                "{label}\n  expected {:?}\n  got      {got:?}",
                case.expected
            )),
            Err(e) => failures.push(format!("{label}: registry error {e}")),
        }
    }
    report("suggest.toml", file.case.len(), &failures);
}
