//! Property tests of the Okta expression parser and evaluator: no input makes them panic.
#![cfg(feature = "okta-regex")]

use proptest::prelude::*;
use usernorm::okta::{Context, Expression, MAX_DEPTH, function_names};

/// Expressions built from the grammar: attributes, literals, calls, operators.
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        proptest::sample::select(vec!["user", "appuser", "source"]).prop_flat_map(|b| {
            proptest::sample::select(vec![
                "login",
                "firstName",
                "lastName",
                "tags",
                "n",
                "missing",
            ])
            .prop_map(move |n| format!("{b}.{n}"))
        }),
        ".{0,8}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        r#"[.\\()\[\]*+?${}|^a-z@ ]{0,8}"#.prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
        any::<i32>().prop_map(|n| n.to_string()),
        (-1e9f64..1e9).prop_map(|x| format!("{x:.3}")),
        proptest::sample::select(vec![
            "true",
            "false",
            "null",
            "{}",
            "user.getInternalProperty(\"id\")"
        ])
        .prop_map(str::to_owned),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let names: Vec<&'static str> = function_names().collect();
        prop_oneof![
            (
                proptest::sample::select(names),
                proptest::collection::vec(inner.clone(), 0..5)
            )
                .prop_map(|(name, args)| format!("{name}({})", args.join(", "))),
            (
                inner.clone(),
                proptest::sample::select(vec![
                    "+",
                    "-",
                    "==",
                    "!=",
                    "<",
                    ">=",
                    " AND ",
                    " OR ",
                    " ?: ",
                    " matches "
                ]),
                inner.clone()
            )
                .prop_map(|(l, op, r)| format!("({l}{op}{r})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("{{{}}}", items.join(", "))),
            (inner.clone(), inner).prop_map(|(a, i)| format!("!{a}[{i}]")),
        ]
    })
}

fn context(text: &str) -> Context {
    Context::new()
        .user("login", text)
        .user("firstName", "")
        .user("lastName", "Doe")
        .user("n", 7)
        .user(
            "tags",
            usernorm::okta::Value::Array(vec!["a".into(), 2.into()]),
        )
        .appuser("login", "x.y@z")
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
    fn parser_never_panics_on_near_misses(input in r#"[()\[\]{}'",.+\-?:=!<>&| a-zA-Z0-9]{0,200}"#) {
        let _ = Expression::parse(&input).map_err(|e| e.to_string());
    }

    /// Evaluating a well-formed expression never panics, under any reading; warnings match
    /// the readings reported.
    #[test]
    fn evaluation_never_panics(text in expression(), login in ".{0,12}") {
        if let Ok(expr) = Expression::parse(&text) {
            match expr.evaluate(&context(&login)) {
                Ok(out) => prop_assert!(out.warnings.len() >= out.readings.len()),
                Err(e) => prop_assert!(e.span().end <= text.len()),
            }
        }
    }
}

/// Nesting past the limit is an error, never a stack overflow, whichever way it nests.
#[test]
fn deep_nesting_is_an_error() {
    let n = 3_000;
    for text in [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}true", "!".repeat(n)),
        format!("{}1", "-".repeat(n)),
        format!("{}1{}", "{".repeat(n), "}".repeat(n)),
        format!("{}1", "true ? 1 : ".repeat(n)),
        format!("{{1}}{}", "[0]".repeat(n)),
        format!("{}'a'{}", "String.toLowerCase(".repeat(n), ")".repeat(n)),
    ] {
        let Err(err) = Expression::parse(&text) else {
            panic!("{} parses", &text[..40]);
        };
        assert!(err.message().contains("nests deeper"), "{}", err.message());
    }
    // A long chain of one operator is not nesting: it evaluates in a loop.
    let sum = Expression::parse(&format!("1{}", " + 1".repeat(n))).map_err(|e| e.to_string());
    let sum = sum
        .expect("parses")
        .evaluate(&Context::new())
        .map_err(|e| e.to_string());
    assert_eq!(
        sum.expect("evaluates").value,
        usernorm::okta::Value::Int(n as i32 + 1)
    );
    let all =
        Expression::parse(&format!("true{}", " AND true".repeat(n))).map_err(|e| e.to_string());
    let all = all
        .expect("parses")
        .evaluate(&Context::new())
        .map_err(|e| e.to_string());
    assert_eq!(
        all.expect("evaluates").value,
        usernorm::okta::Value::Bool(true)
    );
    // Just inside the limit, it parses and evaluates.
    let ok = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    let out = Expression::parse(&ok)
        .expect("parses")
        .evaluate(&Context::new())
        .expect("evaluates");
    assert_eq!(out.value, usernorm::okta::Value::Int(1));
    let calls = format!(
        "{}'A'{}",
        "String.toLowerCase(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert!(
        Expression::parse(&calls)
            .expect("parses")
            .evaluate(&Context::new())
            .is_ok()
    );
}

/// Values that would grow past the limits stop with an error.
#[test]
fn growth_is_bounded() {
    let big = "x".repeat(1 << 20);
    let ctx = Context::new().user("big", big.as_str());
    let expr = Expression::parse(r#"String.replace(user.big, "", user.big)"#).expect("parses");
    let err = expr.evaluate(&ctx).expect_err("too large");
    assert!(err.message().contains("limits"), "{}", err.message());
    let expr =
        Expression::parse(&format!("user.big{}", " + user.big".repeat(100))).expect("parses");
    assert!(expr.evaluate(&ctx).is_err());
    let long = "1".repeat(usernorm::okta::MAX_EXPRESSION_LEN + 1);
    assert!(
        Expression::parse(&long)
            .expect_err("too long")
            .message()
            .contains("longer than")
    );
}

/// The work budget is for all the readings of one evaluation together: an expression that
/// meets ambiguities does not multiply it.
#[test]
fn readings_share_the_work_budget() {
    let big = "x".repeat(4 << 20);
    let ctx = Context::new().user("big", big.as_str());
    // About 36 MiB under the primary reading; the regex reading of `.` would need as much.
    let text = r#"String.replace(user.big, ".", "y") + String.replace(user.big, ".", "y") + String.substringBefore(user.big, "@")"#;
    let Ok(expr) = Expression::parse(text) else {
        panic!("parses");
    };
    let Ok(out) = expr.evaluate(&ctx) else {
        panic!("the primary reading fits");
    };
    assert!(
        out.readings
            .iter()
            .any(|r| matches!(&r.outcome, usernorm::okta::Outcome::CannotEvaluate(e) if e.message().contains("limits"))),
        "{:?}",
        out.warnings
    );
}
