// The audit page: hands the files to a worker, shows progress, then the summary, the identity
// provider it read the export as, the plan (what the identity provider would do: counts by
// action, renames, conflicts, skips, readable names for Okta and Google, members not in the
// export), a chart of failures by rule, the failing rows with their fixes, and the fixed
// CSV to download.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./audit-worker.js", import.meta.url), { type: "module" });
let fixedUrl = null;
let fileName = "export.csv";
let current = null;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function figures(list) {
  return list.map(([label, n]) => {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = n.toLocaleString("en");
    div.dataset.figure = label.toLowerCase();
    div.append(dt, dd);
    return div;
  });
}

/** Rows of a table: one `tr` for each item, its cells from `cells(item)`. */
function fill(id, items, cells) {
  $(id).replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    tr.append(...cells(item));
    return tr;
  }));
  $(`${id}-part`).hidden = items.length === 0;
}

function showPlan(plan, { renames, conflicts, skips, readable }) {
  $("provider").textContent = `Identity provider: ${plan.provider} (${plan.chosen ?? "given"}).`;
  document.body.dataset.provider = plan.provider.toLowerCase();
  const a = plan.actions;
  $("actions").replaceChildren(...figures([
    ["Create", a.create], ["Update", a.update], ["Rename", a.rename], ["Disable", a.disable],
    ["Skip", a.skip], ["Order conflicts", plan.conflicts], ["Members not in the export", plan.absent.length],
  ]));
  $("matching").textContent = `Matching: ${plan.matching}.`;
  $("plan-warnings").replaceChildren(...plan.warnings.map((w) => {
    const li = document.createElement("li");
    li.textContent = w;
    return li;
  }));
  fill("renames", renames, (r) => [cell(String(r.row)), cell(r.id, "id"), cell(r.current_username, "name"),
    cell(r.username, "name"), cell(r.status)]);
  fill("conflicts", conflicts, (r) => [cell(String(r.row)), cell(r.id, "id"), cell(r.username, "name"),
    cell(r.action), cell(r.suggestion ?? "—", "name"), cell(r.message, "why")]);
  fill("readable", readable, (r) => [cell(String(r.row)), cell(r.id, "id"), cell(r.username, "name"),
    cell(r.suggestion, "name")]);
  fill("skips", skips, (r) => [cell(String(r.row)), cell(r.id, "id"), cell(r.username, "name"), cell(r.message, "why")]);
  fill("absent", plan.absent.slice(0, 1000), (m) => [cell(m.user_name, "name"), cell(m.external_id ?? "—", "id"),
    cell(m.active === null ? "—" : m.active ? "yes" : "no")]);
}

function show(summary, failing, seconds, lists) {
  const s = summary.statuses;
  $("summary").replaceChildren(...figures([
    ["Rows", summary.rows], ["OK", s.ok], ["Invalid", s.invalid], ["Duplicate", s.duplicate],
    ["Taken", s.taken], ["Errors", s.error], ["Skipped", s.skipped], ["Without a fix", summary.unfixable],
  ]));
  showPlan(summary.plan, lists);
  $("note").textContent = [summary.mapping_note, summary.mapping_warning, `Mapping: ${summary.mapping}.`, `${seconds.toFixed(1)} s.`].filter(Boolean).join(" ");

  const max = Math.max(1, ...summary.codes.map((c) => c.rows));
  const bars = summary.codes.flatMap(({ code, rows }) => {
    const label = document.createElement("span");
    label.textContent = code;
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.style.width = `${(100 * rows) / max}%`;
    const n = document.createElement("span");
    n.textContent = rows.toLocaleString("en");
    n.dataset.code = code;
    return [label, bar, n];
  });
  $("chart").replaceChildren(...bars);
  $("chart").setAttribute("aria-label", summary.codes.map((c) => `${c.code}: ${c.rows} rows`).join(", ") || "no failures");

  const failingRows = summary.rows - s.ok - s.skipped;
  $("shown").textContent = failing.length < failingRows
    ? `Showing the first ${failing.length} of ${failingRows.toLocaleString("en")} failing rows${$("download-part").hidden ? "" : "; the download has them all"}.`
    : `${failingRows.toLocaleString("en")} failing rows.`;
  $("rows").replaceChildren(...failing.map((r) => {
    const tr = document.createElement("tr");
    tr.append(cell(String(r.row)), cell(r.id, "id"), cell(r.username, "name"), cell(r.status),
      cell(r.codes.join(", ")), cell(r.suggestion ?? "—", "name"), cell(r.message, "why"));
    return tr;
  }));
  $("results").hidden = false;
}

function start(file) {
  const text = (input) => $(input).files[0]?.text() ?? Promise.resolve(null);
  current = file;
  $("progress").hidden = false;
  $("progress").value = 0;
  $("progress-label").textContent = `Reading ${file.name}…`;
  $("progress-label").className = "hint";
  $("results").hidden = true;
  text("existing").then((members) => worker.postMessage({ file, members, policy: $("policy").value }));
  fileName = file.name;
}

worker.onmessage = ({ data }) => {
  if (data.type === "progress") {
    $("progress").value = data.percent;
    $("progress-label").textContent = data.text;
  } else if (data.type === "done") {
    $("progress").value = 100;
    const bad = data.summary.rows - data.summary.statuses.ok - data.summary.statuses.skipped;
    $("progress-label").textContent = `Done: ${data.summary.rows.toLocaleString("en")} rows, ${bad.toLocaleString("en")} would fail.`;
    if (fixedUrl) URL.revokeObjectURL(fixedUrl);
    // Okta's Users API JSON has no CSV to add the column to: the readable names are listed.
    fixedUrl = data.fixed && URL.createObjectURL(data.fixed);
    $("download-part").hidden = !fixedUrl;
    if (fixedUrl) $("download").href = fixedUrl;
    $("download").download = fileName.replace(/(\.csv)?$/i, "-fixed.csv");
    show(data.summary, data.failing, data.seconds, data);
    document.body.dataset.state = "done";
  } else {
    $("progress").hidden = true;
    $("progress-label").textContent = `The audit failed: ${data.message}`;
    $("progress-label").className = "error";
    document.body.dataset.state = "error";
  }
};

$("file").addEventListener("change", () => {
  const file = $("file").files[0];
  if (file) start(file);
});
// Another members file or policy: the same export again.
for (const id of ["existing", "policy"]) {
  $(id).addEventListener("change", () => current && start(current));
}
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer.files[0];
  if (file) start(file);
});
document.body.dataset.ready = "true";
