//! The audit's HTML report: one self-contained page (inline CSS and JavaScript, no network),
//! every value escaped.

use std::fmt::Write as _;

use usernorm::audit::{Action, PlanSummary, Status, Summary};

use crate::planlists::PlanLists;

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d232a}\
h1{font-size:1.5rem;margin:0 0 .2rem}.sub{color:#5b6570;margin:0 0 1.5rem}\
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin-bottom:1.5rem}\
.card{border:1px solid #d8dde3;border-radius:8px;padding:.7rem 1rem;min-width:7.5rem}\
.card b{display:block;font-size:1.6rem}.ok b{color:#1a7f37}.bad b{color:#c4312d}\
.chart{margin-bottom:1.5rem}.bar{display:flex;align-items:center;gap:.6rem;margin:.25rem 0}\
.bar span:first-child{flex:none;width:9rem;font-family:ui-monospace,monospace;font-size:.85rem}\
.bar i{display:block;flex:none;height:1.1rem;background:#c4312d;border-radius:3px}\
input{font:inherit;padding:.4rem .6rem;width:22rem;margin:.5rem 0 1rem}\
table{border-collapse:collapse;width:100%;font-size:.88rem}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e6e9ed;vertical-align:top}\
th{background:#f4f6f8;position:sticky;top:0}code{font-family:ui-monospace,monospace}\
.st{font-weight:600}.invalid,.error{color:#c4312d}.taken,.duplicate{color:#9a6700}.fix{color:#1a7f37}\
.note{background:#fff8c5;padding:.5rem .8rem;border-radius:6px}.warn{background:#ffebe9}\
.skipped{color:#5b6570}.more{color:#5b6570;font-size:.88rem}h3{margin:1.4rem 0 .4rem}";

const SCRIPT: &str = "const q=document.getElementById('q');q.addEventListener('input',()=>{\
const t=q.value.toLowerCase();let n=0;for(const r of document.querySelectorAll('#rows tbody tr')){\
const show=!t||r.textContent.toLowerCase().includes(t);r.hidden=!show;if(show)n++}\
document.getElementById('n').textContent=n});";

/// The page: summary figures, failures by rule as a bar chart, the failing rows with their
/// fixes in a searchable table, and the provisioning plan (see [`plan`]).
pub(crate) fn report(summary: &Summary, lists: &PlanLists, input: &str) -> String {
    let failing = &lists.failing.items;
    let mut h = String::with_capacity(8192 + failing.len() * 300);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>usernorm audit: {}</title><style>{STYLE}</style></head><body>\
         <h1>Provisioning audit</h1><p class=\"sub\">{} &middot; mapping <code>{}</code> &middot; {} rows</p>",
        escape(input),
        escape(input),
        escape(&summary.mapping),
        summary.rows
    );
    for note in [&summary.mapping_note, &summary.mapping_warning]
        .into_iter()
        .flatten()
    {
        let _ = write!(h, "<p class=\"note\">{}</p>", escape(note));
    }
    h.push_str("<div class=\"cards\">");
    for status in Status::ALL {
        let class = match status {
            Status::Ok => "ok",
            Status::Skipped => "",
            _ => "bad",
        };
        let _ = write!(
            h,
            "<div class=\"card {class}\"><b>{}</b>{status}</div>",
            summary.statuses.get(status)
        );
    }
    let _ = write!(
        h,
        "<div class=\"card\"><b>{}</b>colliding names</div><div class=\"card\"><b>{}</b>lookalikes</div></div>",
        summary.collisions.names, summary.lookalikes
    );
    if !summary.codes.is_empty() {
        h.push_str("<h2>Failures by rule</h2><div class=\"chart\">");
        let max = summary
            .codes
            .iter()
            .map(|c| c.rows)
            .max()
            .unwrap_or(1)
            .max(1);
        for c in &summary.codes {
            // The longest bar takes 75% of the row, leaving room for the label and the count.
            let width = (c.rows as f64 / max as f64 * 75.0).max(0.5);
            let _ = write!(
                h,
                "<div class=\"bar\"><span>{}</span><i style=\"width:{width:.1}%\"></i><span>{}</span></div>",
                c.code, c.rows
            );
        }
        h.push_str("</div>");
    }
    // Skipped rows are left alone on purpose: they are in the plan, not here.
    let failing_total = summary.failing();
    let _ = write!(
        h,
        "<h2>Rows that would not provision</h2><input id=\"q\" type=\"search\" \
         placeholder=\"Search id, name, rule, fix\" aria-label=\"Search\"> \
         <span id=\"n\">{}</span> shown",
        failing.len()
    );
    if failing_total > failing.len() as u64 {
        let _ = write!(
            h,
            " (the first {} of {failing_total}; the CSV report has them all)",
            failing.len()
        );
    }
    h.push_str(
        "<table id=\"rows\"><thead><tr><th>row</th><th>line</th><th>id</th><th>username</th>\
         <th>status</th><th>why</th><th>fix</th><th>collides with</th></tr></thead><tbody>",
    );
    for r in failing {
        let collides: Vec<String> = r.collides_with.iter().map(u64::to_string).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td>\
             <td class=\"st {}\">{}</td><td>{}</td><td class=\"fix\"><code>{}</code></td><td>{}</td></tr>",
            r.row,
            r.line,
            escape(&r.id),
            escape(&r.username),
            r.status,
            r.status,
            escape(&r.message),
            escape(r.suggestion.as_deref().unwrap_or("")),
            collides.join(", ")
        );
    }
    h.push_str("</tbody></table>");
    plan(&mut h, &summary.plan, lists);
    let _ = writeln!(h, "<script>{SCRIPT}</script></body></html>");
    h
}

/// Members not in the export the page lists; the summary JSON lists them all.
const MAX_ABSENT: usize = 1_000;

/// The plan section: rows by action, then the creates (failing ones first), renames
/// `old -> new`, disables, skips, conflicts and the members the export leaves out, each list
/// with its first rows and a count of the rest.
fn plan(h: &mut String, plan: &PlanSummary, lists: &PlanLists) {
    let _ = write!(
        h,
        "<h2 id=\"plan\">Provisioning plan</h2><p class=\"sub\">What {} would do in its next \
         cycle &middot; matching: {}</p>",
        escape(&plan.provider),
        escape(&plan.matching)
    );
    for warning in &plan.warnings {
        let _ = write!(h, "<p class=\"note warn\">{}</p>", escape(warning));
    }
    h.push_str("<div class=\"cards\">");
    for action in Action::ALL {
        let _ = write!(
            h,
            "<div class=\"card\"><b>{}</b>{action}</div>",
            plan.actions.get(action)
        );
    }
    let conflicts = if plan.conflicts > 0 { "bad" } else { "" };
    let _ = write!(
        h,
        "<div class=\"card {conflicts}\"><b>{}</b>conflicts</div>\
         <div class=\"card\"><b>{}</b>members not in the export</div></div>",
        plan.conflicts,
        plan.absent.len()
    );

    let creates = &lists.creates_failing.items;
    let ok_creates = &lists.creates_ok.items;
    if lists.creates_failing.total + lists.creates_ok.total > 0 {
        let _ = write!(
            h,
            "<h3>Creates</h3><p>New members. {} of {} would fail, listed first.</p>",
            lists.creates_failing.total,
            lists.creates_failing.total + lists.creates_ok.total
        );
        table(h, &["row", "id", "username", "status", "why", "fix"]);
        for r in creates.iter().chain(ok_creates) {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"st {}\">{}</td>\
                 <td>{}</td><td class=\"fix\"><code>{}</code></td></tr>",
                r.row,
                escape(&r.id),
                escape(&r.username),
                r.status,
                r.status,
                escape(&r.message),
                escape(r.suggestion.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
        let rest = lists.creates_failing.rest() + lists.creates_ok.rest();
        if rest > 0 {
            let _ = write!(
                h,
                "<p class=\"more\">&hellip; and {rest} more ({} failing); the CSV report has them all.</p>",
                lists.creates_failing.rest()
            );
        }
    }
    if lists.renames.total > 0 {
        h.push_str(
            "<h3>Renames</h3><p class=\"note\">A rename changes the member&#39;s username, and \
             with it the profile URL: links to the old one break.</p>",
        );
        table(h, &["row", "id", "rename", "status", "why", "fix"]);
        for r in &lists.renames.items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code> &rarr; <code>{}</code></td>\
                 <td class=\"st {}\">{}</td><td>{}</td><td class=\"fix\"><code>{}</code></td></tr>",
                r.row,
                escape(&r.id),
                escape(&r.current_username),
                escape(&r.username),
                r.status,
                r.status,
                escape(&r.message),
                escape(r.suggestion.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
        more(h, lists.renames.rest());
    }
    if lists.disables.total > 0 {
        h.push_str("<h3>Disables</h3><p>Members deactivated (<code>active=false</code>): disabled, soft-deleted or out of scope in the directory.</p>");
        table(h, &["row", "id", "member", "status"]);
        for r in &lists.disables.items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class=\"st {}\">{}</td></tr>",
                r.row,
                escape(&r.id),
                escape(&r.current_username),
                r.status,
                r.status
            );
        }
        h.push_str("</tbody></table>");
        more(h, lists.disables.rest());
    }
    if lists.skips.total > 0 {
        h.push_str("<h3>Skips</h3><p>Rows the identity provider leaves alone this cycle (not failures).</p>");
        table(h, &["row", "id", "username", "why"]);
        for r in &lists.skips.items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                r.row,
                escape(&r.id),
                escape(&r.username),
                escape(&r.message)
            );
        }
        h.push_str("</tbody></table>");
        more(h, lists.skips.rest());
    }
    if lists.conflicts.total > 0 {
        h.push_str(
            "<h3>Conflicts</h3><p>Rows that want a name a rename frees in the same cycle: \
             whether it is free when their turn comes depends on the provider&#39;s order.</p>",
        );
        table(h, &["row", "id", "username", "action", "why", "fix"]);
        for r in &lists.conflicts.items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>\
                 <td class=\"fix\"><code>{}</code></td></tr>",
                r.row,
                escape(&r.id),
                escape(&r.username),
                r.action,
                escape(&r.message),
                escape(r.suggestion.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
        more(h, lists.conflicts.rest());
    }
    if !plan.absent.is_empty() {
        h.push_str(
            "<h3>Members not in the export</h3><p>No row matches them: the provider leaves \
             them as they are (it deactivates one it took out of the sync&#39;s scope).</p>",
        );
        table(h, &["userName", "externalId", "active"]);
        for m in plan.absent.iter().take(MAX_ABSENT) {
            let active = match m.active {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            };
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{active}</td></tr>",
                escape(&m.user_name),
                escape(m.external_id.as_deref().unwrap_or(""))
            );
        }
        h.push_str("</tbody></table>");
        let rest = plan.absent.len().saturating_sub(MAX_ABSENT);
        if rest > 0 {
            let _ = write!(
                h,
                "<p class=\"more\">&hellip; and {rest} more; the summary JSON (<code>--summary-json</code>) lists them all.</p>"
            );
        }
    }
}

/// A table's start, up to its body.
fn table(h: &mut String, columns: &[&str]) {
    h.push_str("<table><thead><tr>");
    for column in columns {
        let _ = write!(h, "<th>{column}</th>");
    }
    h.push_str("</tr></thead><tbody>");
}

/// The line under a list that holds only its first rows.
fn more(h: &mut String, rest: u64) {
    if rest > 0 {
        let _ = write!(
            h,
            "<p class=\"more\">&hellip; and {rest} more; the CSV report has them all.</p>"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_values_is_escaped() {
        assert_eq!(
            escape("<script>\"a&b\"'"),
            "&lt;script&gt;&quot;a&amp;b&quot;&#39;"
        );
    }

    #[test]
    fn a_mapping_that_is_not_reproducible_is_warned_about() {
        let policy = usernorm::Policy::huggingface();
        let mut mapping =
            usernorm::audit::EntraMapping::parse("Append([mailNickname], Guid())").expect("ok");
        let checked = usernorm::audit::Audit::new(&policy, &usernorm::EmptyRegistry)
            .run(std::io::Cursor::new("mailNickname\njdoe\n"), &mut mapping)
            .expect("audit");
        let page = report(checked.summary(), &PlanLists::new(10, 10), "in.csv");
        assert!(page.contains("the mapping is not reproducible"), "{page}");
    }
}
