// The audit runs here, off the page's thread, so a million-row export never freezes the page.
// Messages in: { file: File, members: string | null, policy: string }.
// Messages out: { type: "progress", percent, text } ... then { type: "done", summary, failing,
// renames, conflicts, skips, readable, fixed: Blob | null, seconds } or { type: "error", message }.
// The provider (Entra, Okta, Google) is told from the file, as `usernorm audit` tells it
// (`detectIdp`). Entra and Google exports are audited by the full build; an Okta export by the
// package's Okta build (the full build with the Okta engine, some 100 KB more gzipped), loaded
// from this site the first time one is dropped. Nothing is uploaded either way.
import init, { audit as fullAudit, detectIdp, fixedCsv } from "../pkg/full/web/usernorm.js";

const ready = init();
/** The Okta build's module, once loaded and instantiated (a promise; null until first asked). */
let oktaBuild = null;

/** The Okta build's `audit`, loaded on first use (again after a failed load). */
async function oktaAudit() {
  oktaBuild ??= import("../pkg/okta/web/usernorm.js").then(async (module) => {
    await module.default();
    return module;
  });
  try {
    return (await oktaBuild).audit;
  } catch (e) {
    oktaBuild = null;
    throw e;
  }
}

const SHOWN = 1000;

/**
 * The username a row should end up with, as the CLI's `--fixed-out` writes it: its own when ok
 * (a matched member that keeps its name, a disable or a name applied only on creation, its
 * current one), else the suggestion; none for a skipped row.
 */
function finalName(r) {
  if (r.status === "skipped") return null;
  if (r.status !== "ok") return r.suggestion;
  const kept = r.current_username !== "" &&
    (r.action === "disable" || (r.action === "update" && r.warnings.some((w) => w.code === "name-kept")));
  return kept ? r.current_username : r.username;
}

/**
 * The same for Okta and Google, as the CLI's `--fixed-out` gives their rows: the readable
 * suggestion, else the current username, else the row's own.
 */
function idpName(r) {
  return r.suggestion ?? (r.current_username !== "" ? r.current_username : finalName(r));
}

/** Whether the bytes are JSON (Okta's Users API), which has no CSV to add a column to. */
function isJson(bytes) {
  const first = bytes.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf);
  return first === 0x5b || first === 0x7b;
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const started = performance.now();
    const bytes = new Uint8Array(await data.file.arrayBuffer());
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
    const idpFinals = [];
    const failing = [];
    const readable = [];
    const renames = [];
    const conflicts = [];
    const skips = [];
    const keep = (list, r) => list.length < SHOWN && list.push(r);
    let audit = fullAudit;
    if (detectIdp(bytes).idp === "okta") {
      progress(0, "Loading the Okta engine…", true);
      audit = await oktaAudit();
    }
    const { summary } = audit(bytes, {
      policy: data.policy,
      members: data.members ?? undefined,
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
          finals.push(finalName(r));
          idpFinals.push(idpName(r));
          if (r.status !== "ok" && r.status !== "skipped") keep(failing, r);
          if (r.suggestion !== null && r.current_username === "" && r.action !== "skip") keep(readable, r);
          if (r.action === "rename") keep(renames, r);
          if (r.status === "taken") keep(conflicts, r);
          if (r.action === "skip") keep(skips, r);
        }
      },
    });
    progress(96, "Writing the fixed CSV…", true);
    const entra = summary.plan.provider === "Entra";
    const fixed = isJson(bytes) ? null : new Blob([fixedCsv(bytes, entra ? finals : idpFinals)], { type: "text/csv" });
    self.postMessage({
      type: "done", summary, failing, renames, conflicts, skips, readable: entra ? [] : readable, fixed,
      seconds: (performance.now() - started) / 1000,
    });
  } catch (e) {
    self.postMessage({ type: "error", message: e instanceof Error ? e.message : String(e) });
  }
};
