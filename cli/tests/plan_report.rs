//! The provisioning plan in the HTML report (issue #14): rows by action, then the creates
//! (failing ones first), renames `old -> new`, disables, skips, conflicts and the members the
//! export leaves out, each list capped with a count of the rest, every value escaped.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

/// Every action: row 1 renames `ann`, row 2 is an ok create, row 3 wants `ann` (a conflict),
/// row 4 is a disabled account never provisioned, row 5 wants the name of a member without
/// externalId, row 6 disables `carl`, row 7 has no objectId, row 8 is invalid, row 9 updates
/// `bob`.
const USERS: &str = "id,mailNickname,accountEnabled\n\
                     1,ann.new,true\n\
                     2,dora,true\n\
                     3,ann,true\n\
                     4,zoe,false\n\
                     5,eve,true\n\
                     6,carl,false\n\
                     ,nobody,true\n\
                     8,b_ad,true\n\
                     9,bob,true\n";
const MEMBERS: &str = "userName,externalId,active\n\
                       ann,1,true\n\
                       bob,9,true\n\
                       eve,,true\n\
                       carl,6,true\n\
                       old-timer,99,false\n";

fn audit(dir: &Path, args: &[&str]) -> Output {
    let args: Vec<&str> = std::iter::once("audit")
        .chain(args.iter().copied())
        .collect();
    common::run_in(dir, &args)
}

/// The page of `users` audited against `members`, the summary JSON, and the exit code.
fn report(users: &str, members: &str) -> (String, serde_json::Value, Option<i32>) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    fs::write(dir.path().join("users.csv"), users).expect("users.csv");
    fs::write(dir.path().join("members.csv"), members).expect("members.csv");
    let args = [
        "users.csv",
        "--existing",
        "members.csv",
        "--out",
        "report.csv",
        "--html",
        "report.html",
        "--summary-json",
        "summary.json",
    ];
    let out = audit(dir.path(), &args);
    let page = fs::read_to_string(dir.path().join("report.html")).expect("report.html");
    let summary = fs::read_to_string(dir.path().join("summary.json")).expect("summary.json");
    let summary = serde_json::from_str(&summary).expect("JSON");
    (page, summary, out.status.code())
}

/// The part of the page from the heading `<h3>{title}</h3>` to the end of its table.
fn section<'p>(page: &'p str, title: &str) -> &'p str {
    let heading = format!("<h3>{title}</h3>");
    let start = page
        .find(&heading)
        .unwrap_or_else(|| panic!("no {title}: {page}"));
    let end = page[start..]
        .find("</table>")
        .map_or(page.len(), |e| start + e);
    &page[start..end]
}

/// The `<td>` cells of each body row of a section's table.
fn rows(section: &str) -> Vec<Vec<&str>> {
    let body = section.split("<tbody>").nth(1).unwrap_or_default();
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let cell = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                    cell.split("</td>").next().unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_html_report_lists_the_plan() {
    let (page, summary, code) = report(USERS, MEMBERS);
    assert_eq!(code, Some(1));
    let plan = &page[page.find("<h2 id=\"plan\">").expect("a plan section")..];
    for (count, action) in [(4, "create"), (1, "update"), (1, "rename"), (1, "disable")] {
        let card = format!("<b>{count}</b>{action}</div>");
        assert!(plan.contains(&card), "{card}: {plan}");
    }
    assert!(plan.contains("<b>2</b>skip</div>"), "{plan}");
    assert!(plan.contains("<b>1</b>conflicts</div>"), "{plan}");
    assert!(plan.contains("<b>2</b>members not in the export</div>"));
    assert!(plan.contains("matching: the row&#39;s id against the members&#39; externalId"));

    let creates = rows(section(plan, "Creates"));
    let order: Vec<&str> = creates.iter().map(|r| r[0]).collect();
    assert_eq!(order, ["3", "5", "8", "2"], "failing creates first");
    assert!(section(plan, "Creates").contains("3 of 4 would fail"));

    let renames = section(plan, "Renames");
    assert!(renames.contains("profile URL"), "{renames}");
    let renames = rows(renames);
    assert_eq!(renames.len(), 1);
    assert_eq!(renames[0][2], "<code>ann</code> &rarr; <code>annnew</code>");

    let disables = rows(section(plan, "Disables"));
    assert_eq!((disables[0][0], disables[0][2]), ("6", "<code>carl</code>"));

    let skips = rows(section(plan, "Skips"));
    let skipped: Vec<&str> = skips.iter().map(|r| r[0]).collect();
    assert_eq!(skipped, ["4", "7"]);
    assert!(skips[0][3].contains("never provisioned"), "{:?}", skips[0]);
    assert!(skips[1][3].contains("ImportSkipped"), "{:?}", skips[1]);

    let conflicts = rows(section(plan, "Conflicts"));
    assert_eq!(conflicts.len() as u64, summary["plan"]["conflicts"]);
    assert_eq!(conflicts[0][0], "3");
    assert!(conflicts[0][4].contains("renames in this cycle"));

    let absent = rows(section(plan, "Members not in the export"));
    let names: Vec<(&str, &str, &str)> = absent.iter().map(|r| (r[0], r[1], r[2])).collect();
    assert_eq!(
        names,
        [
            ("<code>eve</code>", "", "true"),
            ("<code>old-timer</code>", "99", "false")
        ]
    );
}

#[test]
fn skipped_rows_are_not_rows_that_would_not_provision() {
    let users = "id,mailNickname,accountEnabled\n1,ann,true\n2,zoe,false\n,nobody,true\n";
    let (page, _, code) = report(users, "userName,externalId,active\nann,1,true\n");
    assert_eq!(code, Some(0), "skipped rows do not fail the run");
    let failing = &page[page
        .find("<h2>Rows that would not provision")
        .expect("the table")..];
    let failing = &failing[..failing.find("</table>").expect("its end")];
    assert!(
        failing.contains("<span id=\"n\">0</span> shown"),
        "{failing}"
    );
    assert!(
        !failing.contains("the first"),
        "nothing is left out: {failing}"
    );
    assert!(page.contains("<div class=\"card \"><b>2</b>skipped</div>"));
}

#[test]
fn every_list_is_capped_with_a_count_of_the_rest() {
    let mut users = String::from("id,mailNickname\n");
    let mut members = String::from("userName,externalId,active\n");
    for i in 0..1_005 {
        users.push_str(&format!("{i},new{i}\n"));
        members.push_str(&format!("old{i},{i},true\n"));
    }
    for i in 0..1_003 {
        members.push_str(&format!("gone{i},g{i},true\n"));
    }
    let (page, summary, code) = report(&users, &members);
    assert_eq!(code, Some(0), "renames to valid names pass");
    assert_eq!(summary["plan"]["actions"]["rename"], 1_005);
    let renames = section(&page, "Renames");
    assert_eq!(rows(renames).len(), 1_000);
    let after = &page[page.find("<h3>Renames</h3>").expect("renames")..];
    assert!(
        after.contains("&hellip; and 5 more; the CSV report has them all."),
        "{after}"
    );
    assert_eq!(
        rows(section(&page, "Members not in the export")).len(),
        1_000
    );
    assert!(page.contains("&hellip; and 3 more; the summary JSON"));
}

#[test]
fn values_in_the_plan_are_escaped() {
    let users = "id,mailNickname\n1,<b>x</b>\n2,bob\n";
    let members = "userName,externalId,active\n\
                   <script>alert(1)</script>,2,true\n\
                   \"<img src=x onerror=alert(2)>\",\"<i>e</i>\",true\n\
                   twin,\"<i>e</i>\",true\n";
    let (page, summary, _) = report(users, members);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("<i>e</i>"), "{page}");
    assert!(!page.contains("<b>x</b>"), "{page}");
    let renames = rows(section(&page, "Renames"));
    assert_eq!(
        renames[0][2],
        "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> &rarr; <code>bob</code>"
    );
    let absent = rows(section(&page, "Members not in the export"));
    assert_eq!(
        absent[0][0],
        "<code>&lt;img src=x onerror=alert(2)&gt;</code>"
    );
    assert_eq!(absent[0][1], "&lt;i&gt;e&lt;/i&gt;");
    // Two members with one externalId: the summary's warning names them, escaped on the page.
    let warning = summary["plan"]["warnings"][0].as_str().expect("a warning");
    assert!(warning.contains("share externalId"), "{warning}");
    assert!(
        page.contains("<p class=\"note warn\">members `&lt;img src=x"),
        "{page}"
    );
}
