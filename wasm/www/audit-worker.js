// The audit runs here, off the page's thread, so a million-row export never freezes the page.
// Messages in: { file: File, existing: string | null, policy: string }.
// Messages out: { type: "progress", percent, text } ... then { type: "done", summary, failing,
// shown, fixed: Blob, seconds } or { type: "error", message }.
import init, { audit, fixedCsv, parseExisting } from "../pkg/full/web/usernorm.js";

const ready = init();
const SHOWN = 1000;

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const started = performance.now();
    const bytes = new Uint8Array(await data.file.arrayBuffer());
    const existing = data.existing ? parseExisting(data.existing) : [];
    let last = 0;
    let rowsRead = 0;
    const progress = (percent, text, force) => {
      const now = performance.now();
      if (force || now - last > 80) {
        last = now;
        self.postMessage({ type: "progress", percent, text });
      }
    };
    const finals = [];
    const failing = [];
    const { summary } = audit(bytes, {
      policy: data.policy,
      existing,
      onProgress: (p) => {
        if (p.phase === "read") {
          rowsRead = p.rows;
          progress((60 * p.bytes) / Math.max(1, bytes.length), `Checked ${p.rows.toLocaleString("en")} rows…`);
        } else {
          const of = Math.max(rowsRead, p.rows);
          progress(60 + (35 * p.rows) / Math.max(1, of), `Suggesting fixes: ${p.rows.toLocaleString("en")} of about ${of.toLocaleString("en")} rows…`);
        }
      },
      onRecords: (records) => {
        for (const r of records) {
          finals.push(r.status === "ok" ? r.username : r.suggestion);
          if (r.status !== "ok" && failing.length < SHOWN) failing.push(r);
        }
      },
    });
    progress(96, "Writing the fixed CSV…", true);
    const fixed = new Blob([fixedCsv(bytes, finals)], { type: "text/csv" });
    self.postMessage({ type: "done", summary, failing, fixed, seconds: (performance.now() - started) / 1000 });
  } catch (e) {
    self.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
