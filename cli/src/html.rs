//! The audit's HTML report: one self-contained page (inline CSS and JavaScript, no network),
//! every value escaped.

use std::fmt::Write as _;

use usernorm::audit::{Record, Status, Summary};

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
.note{background:#fff8c5;padding:.5rem .8rem;border-radius:6px}";

const SCRIPT: &str = "const q=document.getElementById('q');q.addEventListener('input',()=>{\
const t=q.value.toLowerCase();let n=0;for(const r of document.querySelectorAll('tbody tr')){\
const show=!t||r.textContent.toLowerCase().includes(t);r.hidden=!show;if(show)n++}\
document.getElementById('n').textContent=n});";

/// The page: summary figures, failures by rule as a bar chart, and the failing rows with their
/// fixes in a searchable table.
pub(crate) fn report(summary: &Summary, failing: &[Record], cap: usize, input: &str) -> String {
    let mut h = String::with_capacity(4096 + failing.len() * 300);
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
        let class = if status == Status::Ok { "ok" } else { "bad" };
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
    let failing_total = summary.rows - summary.statuses.ok;
    let _ = write!(
        h,
        "<h2>Rows that would not provision</h2><input id=\"q\" type=\"search\" \
         placeholder=\"Search id, name, rule, fix\" aria-label=\"Search\"> \
         <span id=\"n\">{}</span> shown",
        failing.len()
    );
    if failing_total as usize > failing.len() {
        let _ = write!(
            h,
            " (the first {cap} of {failing_total}; the CSV report has them all)"
        );
    }
    h.push_str(
        "<table><thead><tr><th>row</th><th>line</th><th>id</th><th>username</th>\
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
    let _ = writeln!(h, "</tbody></table><script>{SCRIPT}</script></body></html>");
    h
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
        let page = report(checked.summary(), &[], 10, "in.csv");
        assert!(page.contains("the mapping is not reproducible"), "{page}");
    }
}
