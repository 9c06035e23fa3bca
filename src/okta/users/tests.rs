use proptest::prelude::*;

use super::*;

fn err(json: &str) -> String {
    Users::from_json(json.as_bytes())
        .expect_err("an error")
        .to_string()
}

#[test]
fn pages_back_to_back_and_json_lines() {
    let pages = "[{\"id\":\"a\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"x\"}}]\n\
                 [{\"id\":\"b\",\"profile\":{\"email\":\"y\",\"login\":\"z\"}}]\n[]";
    let users = Users::from_json(pages.as_bytes()).expect("valid users JSON");
    assert_eq!(users.columns(), ["id", "status", "login", "email"]);
    assert_eq!(users.lines(), [1, 2]);
    assert_eq!(users.row(1), Some(vec!["b", "", "z", "y"]));
    let lines =
        "\u{feff}{\"id\":\"a\",\"profile\":{}}\r\n\r\n{\"id\":\"b\",\"profile\":{\"n\":1}}\n";
    let users = Users::from_json(lines.as_bytes()).expect("valid users JSON");
    assert_eq!(users.lines(), [1, 3]);
    assert_eq!(users.len(), 2);
    assert!(
        Users::from_json(b"[]")
            .expect("valid users JSON")
            .is_empty()
    );
}

#[test]
fn values_become_cells() {
    let json = r#"{"id":"a","profile":{"s":"x,\"y\"","n":null,"i":-3,"f":1.5,"b":true,
        "arr":["p",{"z":1,"a":[null]}],"o":{"k":"v"},"e":""}}"#;
    let users = Users::from_json(json.as_bytes()).expect("valid users JSON");
    assert_eq!(
        users.row(0).expect("user 1"),
        [
            "a",
            "",
            "x,\"y\"",
            "",
            "-3",
            "1.5",
            "true",
            r#"["p",{"z":1,"a":[null]}]"#,
            r#"{"k":"v"}"#,
            ""
        ]
    );
    let csv = String::from_utf8(users.to_csv()).expect("UTF-8");
    assert!(csv.ends_with("a,,\"x,\"\"y\"\"\",,-3,1.5,true,\"[\"\"p\"\",{\"\"z\"\":1,\"\"a\"\":[null]}]\",\"{\"\"k\"\":\"\"v\"\"}\",\n"), "{csv}");
}

#[test]
fn errors_name_the_line_column_and_what_was_expected() {
    assert_eq!(
        err(""),
        "line 1, column 1: the input is empty: expected Okta Users API JSON, an array of users"
    );
    assert_eq!(
        err("id,login\n"),
        "line 1, column 1: expected `[` (a page of users) or `{` (a user), found `i`"
    );
    assert_eq!(
        err("[\n{\"id\":\"a\",\"profile\":{}},\n{\"profile\":{}}]"),
        "line 3, column 1: user 2 has no `id`"
    );
    assert_eq!(
        err("[{\"id\":\"a\"}]"),
        "line 1, column 2: user 1 (a) has no `profile` object"
    );
    assert_eq!(
        err("[{\"id\":\"a\",\"profile\":{}} {}]"),
        "line 1, column 26: expected `,` or `]` after user 1, found `{`"
    );
    assert_eq!(
        err("[1]"),
        "line 1, column 2: expected user 1 (`{`), found `1`"
    );
    assert_eq!(
        err("[\n  {\"id\": 5, \"profile\": {}}]"),
        "line 2, column 10: user 1: invalid type: integer `5`, expected a string"
    );
    assert_eq!(
        err("{\"id\":\"a\",\"profile\":{\"login\":\"x\",\"login\":\"y\"}}"),
        "line 1, column 1: user 1 (a) has the profile key `login` twice"
    );
    assert!(err("{\"id\":\"a\",\"profile\":{\"Status\":\"x\"}}").contains("would shadow"));
    assert!(
        err("[{\"id\":\"a\",\"profile\":{}}").contains("after user 1, found the end of the input")
    );
    assert!(err("{\"id\":\"a\",\"profile\":{\"x\":\"\\ud800\"}}").starts_with("line 1, column "));
}

#[test]
fn too_many_profile_keys_are_refused() {
    let keys: Vec<String> = (0..=MAX_PROFILE_KEYS)
        .map(|i| format!("\"k{i}\":1"))
        .collect();
    let json = format!("{{\"id\":\"a\",\"profile\":{{{}}}}}", keys.join(","));
    let e = err(&json);
    assert!(e.contains("past 1000"), "{e}");
    let long = "k".repeat(crate::limits::MAX_FIELD_BYTES + 1);
    assert!(err(&format!("{{\"id\":\"a\",\"profile\":{{\"{long}\":1}}}}")).contains("longer than"));
}

#[test]
fn the_csv_reads_back_in_the_audit() {
    use crate::audit::{Audit, Column};
    let json = r#"[{"id":"a","status":"ACTIVE","profile":{"login":"ann","x;y;z;w":"1"}},
                   {"id":"b","status":"ACTIVE","profile":{"login":"bo\nb"}}]"#;
    let users = Users::from_json(json.as_bytes()).expect("valid users JSON");
    let policy = crate::Policy::huggingface();
    let mut checked = Audit::new(&policy, &crate::EmptyRegistry)
        .run(
            std::io::Cursor::new(users.to_csv()),
            &mut Column::new("login"),
        )
        .expect("the audit runs");
    let names: Vec<String> = checked
        .records()
        .map(|r| r.expect("a record").username)
        .collect();
    assert_eq!(names, ["ann", "bo\nb"]);
}

proptest! {
    #[test]
    fn never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Users::from_json(&bytes);
        let _ = looks_like_users_json(&bytes);
    }

    #[test]
    fn never_panics_on_json_like_text(text in r#"[\[\]{}",:\n 0-9a-z\\]{0,120}"#) {
        let _ = Users::from_json(text.as_bytes());
        let with_user = format!("[{{\"id\":\"a\",\"profile\":{{{text}");
        let _ = Users::from_json(with_user.as_bytes());
    }

    #[test]
    fn every_user_gives_a_row_as_wide_as_the_header(
        keys in proptest::collection::vec(proptest::collection::vec("[a-c]", 0..3), 0..6)
    ) {
        let users: Vec<String> = keys.iter().enumerate().map(|(i, ks)| {
            let mut seen: Vec<&String> = Vec::new();
            let pairs: Vec<String> = ks.iter().filter(|k| {
                let fresh = !seen.contains(k);
                seen.push(k);
                fresh
            }).map(|k| format!("\"{k}\":\"{i}\"")).collect();
            format!("{{\"id\":\"u{i}\",\"profile\":{{{}}}}}", pairs.join(","))
        }).collect();
        let json = format!("[{}]", users.join(",\n"));
        let table = Users::from_json(json.as_bytes()).expect("valid users JSON");
        prop_assert_eq!(table.len(), keys.len());
        for i in 0..table.len() {
            prop_assert_eq!(table.row(i).expect("a row").len(), table.columns().len());
            prop_assert_eq!(table.lines()[i], i as u64 + 1);
        }
        let csv = table.to_csv();
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_slice());
        prop_assert_eq!(reader.records().count(), keys.len());
    }
}

/// Each user's line was once counted from the start of the input, and each profile key
/// checked against every earlier key of its user: quadratic in the input.
#[test]
fn many_users_and_keys_read_in_linear_time() {
    let started = std::time::Instant::now();
    let user = "{\"id\":\"00u1\",\"status\":\"ACTIVE\",\"profile\":{\"login\":\"a@b\"}}\n";
    let users = Users::from_json(user.repeat(200_000).as_bytes()).expect("JSON lines");
    assert_eq!(users.len(), 200_000);
    assert_eq!(users.lines().last(), Some(&200_000));
    let keys: Vec<String> = (0..MAX_PROFILE_KEYS)
        .map(|i| format!("\"k{i}\":1"))
        .collect();
    let wide = format!("{{\"id\":\"a\",\"profile\":{{{}}}}}\n", keys.join(","));
    let users = Users::from_json(wide.repeat(300).as_bytes()).expect("wide users");
    assert_eq!(users.columns().len(), MAX_PROFILE_KEYS + 2);
    let seconds = started.elapsed().as_secs_f64();
    assert!(seconds < 20.0, "{seconds:.1} s");
}
