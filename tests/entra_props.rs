//! Property tests of the Entra expression parser and evaluator.
#![cfg(feature = "entra")]

use proptest::prelude::*;
use usernorm::entra::{Expression, function_names};

/// Expressions built from the grammar: attributes, strings with escapes, numbers, constants,
/// calls with empty arguments, comparisons.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-zA-Z][a-zA-Z0-9_]{0,8}".prop_map(|n| format!("[{n}]")),
        ".{0,8}".prop_map(|s| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))),
        any::<i32>().prop_map(|n| n.to_string()),
        Just("vbTextCompare".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let names: Vec<&'static str> = function_names().collect();
        prop_oneof![
            (
                proptest::sample::select(names),
                proptest::collection::vec(proptest::option::weighted(0.8, inner.clone()), 0..5)
            )
                .prop_map(|(name, args)| {
                    let args: Vec<String> =
                        args.into_iter().map(Option::unwrap_or_default).collect();
                    format!("{name}({})", args.join(" , "))
                }),
            (
                inner.clone(),
                proptest::sample::select(vec!["=", "<>", "<", "<=", ">", ">="]),
                inner
            )
                .prop_map(|(l, op, r)| format!("{l}{op}{r}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The parser never panics, whatever the input; an error's span lies inside the input.
    #[test]
    fn parser_never_panics(input in ".{0,200}") {
        if let Err(e) = Expression::parse(&input) {
            prop_assert!(e.span().end <= input.len());
            let _ = e.to_string();
        }
    }

    /// Nor on input made of the language's own characters.
    #[test]
    fn parser_never_panics_on_near_misses(input in r#"[\[\]()",\\ a-zA-Z0-9=<>&-]{0,200}"#) {
        let _ = Expression::parse(&input).map_err(|e| e.to_string());
    }

    /// Printing a parsed expression and parsing it again gives the same tree, and evaluating it
    /// never panics.
    #[test]
    fn print_parse_round_trip(text in expression()) {
        if let Ok(expr) = Expression::parse(&text) {
            let printed = expr.to_string();
            let again = Expression::parse(&printed);
            prop_assert_eq!(again.as_ref().ok(), Some(&expr), "printed as {}", printed);
            let _ = expr.evaluate(&[("a", "x.y"), ("b", "")]);
        }
    }
}

fn expect_err<T: std::fmt::Debug, E>(result: Result<T, E>) -> E {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(e) => e,
    }
}

#[test]
fn hostile_nesting_is_an_error() {
    let deep = format!("{}[a]{}", "ToLower(".repeat(5_000), ")".repeat(5_000));
    assert!(
        expect_err(Expression::parse(&deep))
            .message()
            .contains("nested more than")
    );
    let deeper = format!("{}[a]{}", "ToLower(".repeat(100_000), ")".repeat(100_000));
    assert!(Expression::parse(&deeper).is_err());
    let parens = "(".repeat(100_000);
    assert!(Expression::parse(&parens).is_err());
    let big = format!("\"{}\"", "x".repeat(1 << 20));
    assert!(
        expect_err(Expression::parse(&big))
            .message()
            .contains("limit")
    );
}

#[test]
fn doubling_replace_is_bounded() {
    let mut expr = "[a]".to_owned();
    for _ in 0..60 {
        expr = format!("Replace({expr}, \"a\", , , \"aa\", , )");
    }
    let expr = Expression::parse(&expr).unwrap_or_else(|e| panic!("{e}"));
    let err = expect_err(expr.evaluate(&[("a", "a")]));
    assert!(
        err.message().contains("limit") || err.message().contains("stopped"),
        "{err}"
    );
}

#[test]
fn split_of_a_megabyte() {
    let big = "x,".repeat(512 * 1024);
    let expr = Expression::parse("Count(Split([a], \",\"))").unwrap_or_else(|e| panic!("{e}"));
    let out = expr
        .evaluate(&[("a", big.as_str())])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.value.to_string(), (512 * 1024 + 1).to_string());
}
