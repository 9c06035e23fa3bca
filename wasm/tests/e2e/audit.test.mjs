// The audit page in headless Chromium: audit the examples, see the CLI's counts and plan,
// download the fixed CSV and compare it with the CLI's; a Google export read as Google's, an
// Okta one audited by the Okta build, loaded for it; a million rows without freezing the page.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { cliAudit, examples } from "../cli.mjs";
import { browser, openPage, screenshotPath, serve } from "./harness.mjs";

let server;
let chromium;

before(async () => {
  server = await serve();
  chromium = await browser();
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

async function auditPage() {
  const opened = await openPage(chromium.context, `${server.url}/www/audit.html`);
  // What the page and its worker fetch: the Okta build only for an Okta export.
  opened.fetched = [];
  opened.page.on("request", (request) => opened.fetched.push(new URL(request.url())));
  await opened.page.waitForSelector("body[data-ready=true]");
  return opened;
}

/** Whether anything of the Okta build was fetched. */
const oktaFetched = (fetched) => fetched.some((url) => url.pathname.startsWith("/pkg/okta/"));

const figure = (page, name) => page.locator(`[data-figure="${name}"] dd`).textContent().then((t) => Number(t.replaceAll(",", "")));

test("audit the example export: the CLI's counts, the failing rows, the fixed CSV", async () => {
  const csv = join(examples, "entra-users.csv");
  const members = join(examples, "existing-members.txt");
  const cli = cliAudit(csv, members);
  const { page, errors } = await auditPage();
  await page.locator("#existing").setInputFiles(members);
  await page.locator("#file").setInputFiles(csv);
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });

  const s = cli.summary.statuses;
  assert.equal(await figure(page, "rows"), cli.summary.rows);
  assert.equal(await figure(page, "ok"), s.ok);
  assert.equal(await figure(page, "invalid"), s.invalid);
  assert.equal(await figure(page, "duplicate"), s.duplicate);
  assert.equal(await figure(page, "taken"), s.taken);
  assert.equal(await figure(page, "errors"), s.error);
  for (const { code, rows } of cli.summary.codes) {
    assert.equal(await page.locator(`#chart [data-code="${code}"]`).textContent(), String(rows), code);
  }
  // A skipped row (a disabled account never provisioned) is not a failure.
  const failing = cli.records.filter((r) => r.status !== "ok" && r.status !== "skipped");
  assert.equal(await page.locator("#rows tr").count(), failing.length);
  const first = await page.locator("#rows tr").first().locator("td").allTextContents();
  assert.equal(first[0], String(failing[0].row));
  assert.equal(first[5], failing[0].suggestion ?? "—");
  await page.screenshot({ path: screenshotPath("audit-examples"), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  assert.equal(download.suggestedFilename(), "entra-users-fixed.csv");
  const fixed = readFileSync(await download.path(), "utf8");
  assert.equal(fixed, cli.fixed);
  assert.deepEqual(errors, []);
});

test("the plan: members with identities, as the CLI predicts it", async () => {
  const csv = join(examples, "entra-users.csv");
  const members = join(examples, "existing-members.csv");
  const cli = cliAudit(csv, members);
  const { page, errors } = await auditPage();
  await page.locator("#existing").setInputFiles(members);
  await page.locator("#file").setInputFiles(csv);
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });

  const plan = cli.summary.plan;
  for (const action of ["create", "update", "rename", "disable", "skip"]) {
    assert.equal(await figure(page, action), plan.actions[action], action);
  }
  assert.equal(await figure(page, "order conflicts"), plan.conflicts);
  assert.equal(await figure(page, "members not in the export"), plan.absent.length);
  assert.equal(await figure(page, "skipped"), cli.summary.statuses.skipped);
  assert.match(await page.locator("#matching").textContent(), /externalId/);

  const renames = cli.records.filter((r) => r.action === "rename");
  assert.ok(renames.length > 0);
  assert.equal(await page.locator("#renames tr").count(), renames.length);
  const rename = await page.locator("#renames tr").first().locator("td").allTextContents();
  assert.deepEqual(rename.slice(2, 4), [renames[0].current_username, renames[0].username]);
  const taken = cli.records.filter((r) => r.status === "taken");
  assert.equal(await page.locator("#conflicts tr").count(), taken.length);
  const skips = cli.records.filter((r) => r.action === "skip");
  assert.equal(await page.locator("#skips tr").count(), skips.length);
  assert.equal(await page.locator("#skips tr td").last().textContent(), skips.at(-1).message);
  assert.equal(await page.locator("#absent tr").count(), plan.absent.length);
  assert.equal(await page.locator("#absent tr td").first().textContent(), plan.absent[0].user_name);
  await page.locator("#plan").screenshot({ path: screenshotPath("audit-plan") });

  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
  assert.equal(readFileSync(await download.path(), "utf8"), cli.fixed);
  assert.deepEqual(errors, []);
});

test("an Okta Users API JSON: the Okta build loaded for it, the CLI's plan, readable names, no CSV to download", async () => {
  const json = join(examples, "okta-users.json");
  const members = join(examples, "okta-members.csv");
  const cli = cliAudit(json, members);
  const { page, errors, fetched } = await auditPage();
  await page.locator("#existing").setInputFiles(members);
  assert.equal(oktaFetched(fetched), false, "not before an Okta file is dropped");
  await page.locator("#file").setInputFiles(json);
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
  assert.ok(fetched.some((url) => url.pathname === "/pkg/okta/web/usernorm_bg.wasm"), fetched.join(" "));
  // Loaded from the page's own site; nothing goes anywhere else.
  assert.deepEqual(fetched.filter((url) => url.origin !== new URL(server.url).origin), []);

  assert.equal(await page.locator("#provider").textContent(), "Identity provider: Okta (detected: Okta Users API JSON).");
  for (const action of ["create", "update", "rename", "disable", "skip"]) {
    assert.equal(await figure(page, action), cli.summary.plan.actions[action], action);
  }
  assert.equal(await figure(page, "invalid"), cli.summary.statuses.invalid);
  // Okta would link the two Isaacs to one account: the plan says so.
  assert.match(await page.locator("#plan-warnings").textContent(), /one name for Okta/);
  const readable = cli.records.filter((r) => r.suggestion !== null && r.current_username === "" && r.action !== "skip");
  assert.ok(readable.length > 0);
  assert.equal(await page.locator("#readable tr").count(), readable.length);
  const first = await page.locator("#readable tr").first().locator("td").allTextContents();
  assert.deepEqual(first, [String(readable[0].row), readable[0].id, readable[0].username, readable[0].suggestion]);
  assert.equal(await page.locator("#download-part").isHidden(), true);
  await page.locator("#plan").screenshot({ path: screenshotPath("audit-okta") });
  assert.deepEqual(errors, []);
});

test("a Google Download users CSV: read as Google, archived and suspended users skipped, readable names", async () => {
  const csv = join(examples, "google-users.csv");
  const cli = cliAudit(csv);
  const { page, errors, fetched } = await auditPage();
  await page.locator("#file").setInputFiles(csv);
  await page.waitForSelector("body[data-state=done]", { timeout: 60_000 });
  assert.equal(oktaFetched(fetched), false, "a Google export is audited by the full build");

  assert.equal(await page.locator("#provider").textContent(),
    "Identity provider: Google (detected: Google Workspace's Download users header).");
  assert.equal(await figure(page, "skipped"), cli.summary.statuses.skipped);
  assert.equal(await figure(page, "create"), cli.summary.plan.actions.create);
  const skips = cli.records.filter((r) => r.action === "skip");
  assert.equal(await page.locator("#skips tr").count(), skips.length);
  const failing = cli.records.filter((r) => r.status !== "ok" && r.status !== "skipped");
  const first = await page.locator("#rows tr").first().locator("td").allTextContents();
  assert.equal(first[5], failing[0].suggestion);
  assert.ok((await page.locator("#readable tr").count()) > 0);
  assert.match(await page.locator("#note").textContent(), /never a valid Hugging Face username/);
  await page.locator("#plan").screenshot({ path: screenshotPath("audit-google") });
  assert.deepEqual(errors, []);
});

test("a bad file is an error message, not a broken page", async () => {
  const { page } = await auditPage();
  await page.locator("#file").setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("") });
  await page.waitForSelector("body[data-state=error]");
  assert.match(await page.locator("#progress-label").textContent(), /The audit failed: .*empty/);
});

test("a million rows: progress is shown and the page never freezes", { timeout: 600_000 }, async () => {
  const lines = ["id,mailNickname,givenName,surname"];
  for (let i = 1; i <= 1_000_000; i++) {
    const nick = i % 10 === 0 ? `user_${i}` : i % 97 === 0 ? "jdoe" : `user${i}`;
    lines.push(`${i},${nick},Given${i % 100},Family${i % 1000}`);
  }
  // A file on disk: Chromium reads it natively, as it would a file the user picks.
  const dir = mkdtempSync(join(tmpdir(), "usernorm-million-"));
  const million = join(dir, "million.csv");
  writeFileSync(million, lines.join("\n") + "\n");
  const { page, errors } = await auditPage();
  // The page's own thread ticks every 50 ms; a freeze shows as a long gap between ticks. Progress
  // messages are collected as they are shown.
  await page.evaluate(() => {
    window.gaps = [];
    window.slow = [];
    window.progressTexts = new Set();
    let last = performance.now();
    // Counted from the moment the page has the file: handing Chromium a 30 MB file through
    // the test driver is not the page's work.
    window.ticker = setInterval(() => {
      const now = performance.now();
      if (window.started) { window.gaps.push(now - last); if (now - last > 300) window.slow.push([Math.round(last), Math.round(now), document.getElementById("progress-label").textContent]); }
      last = now;
    }, 50);
    document.getElementById("file").addEventListener("change", () => { window.started = true; }, { capture: true });
    new MutationObserver(() => window.progressTexts.add(document.getElementById("progress-label").textContent))
      .observe(document.getElementById("progress-label"), { childList: true, characterData: true, subtree: true });
  });
  await page.locator("#file").setInputFiles(million);
  await page.waitForSelector("body[data-state=done]", { timeout: 600_000 });
  const { gaps, texts, slow } = await page.evaluate(() => ({ gaps: window.gaps, texts: [...window.progressTexts], slow: window.slow }));
  if (slow.length) console.log(`# slow ticks: ${JSON.stringify(slow)}`);
  const worst = Math.max(...gaps);
  console.log(`# million rows: ${gaps.length} ticks, longest gap ${worst.toFixed(0)} ms, ${texts.length} progress messages`);
  assert.equal(await figure(page, "rows"), 1_000_000);
  assert.equal(await figure(page, "invalid"), 100_000);
  assert.ok(texts.some((t) => /^Checked [\d,]+ rows/.test(t)), texts.join(" | "));
  assert.ok(texts.some((t) => /^Suggesting fixes/.test(t)));
  // An audit on the page's own thread would stop it for seconds; the bound leaves room for a
  // loaded 2-core machine, where a tick was once 530 ms late with the audit in its worker.
  assert.ok(worst < 1000, `the page froze for ${worst} ms`);
  assert.equal(await page.locator("#rows tr").count(), 1000);
  await page.screenshot({ path: screenshotPath("audit-million") });
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(errors, []);
});
