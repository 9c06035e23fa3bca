// Identity providers in the full build's `audit` (SPEC section 9, issue #15): the provider told
// from the file or given with `idp`; Google's Download users CSV with its plan, readable
// suggestions and the same records as `usernorm audit`; Okta exports refused (its engine does
// not fit the build's size budget).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { full } from "./builds.mjs";
import { cliAudit, examples } from "./cli.mjs";

// Three users of the Users API, one object a line after the array's `[`.
const oktaJson = [
  "[",
  '{"id": "00uA", "status": "ACTIVE", "profile": {"login": "ann@x.org", "email": "Ann@x.org", "firstName": "Ann", "lastName": "Lee"}},',
  '{"id": "00uB", "status": "ACTIVE", "profile": {"login": "bo@x.org", "email": "bo@x.org", "firstName": "Bo", "lastName": "Chan"}},',
  "]",
  "",
].join("\n");
const oktaCsv = "login,firstName,lastName,email\nann@x.org,Ann,Lee,ann@x.org\n";

// The Okta engine does not fit the full build's size budget: an Okta export is told from the
// file (or given) and refused with a message that says so, never read as another provider's.
test("Okta exports are told from the file and refused, pointing at the CLI", () => {
  assert.throws(() => full.audit(oktaJson, {}),
    /^Error: this is an Okta export \(detected: Okta Users API JSON\): the browser package does not audit Okta exports \(the Okta engine does not fit its size budget\); run `usernorm audit --idp okta` on it$/);
  assert.throws(() => full.audit(new TextEncoder().encode(oktaCsv), { members: "userName\nann\n" }),
    /this is an Okta export \(detected: Okta profile variable names \(`login`\)\)/);
  assert.throws(() => full.audit("id,mailNickname\n1,ann\n", { idp: "okta" }), /this is an Okta export \(given with the idp option\)/);
});

test("the idp option: a provider's key, else an Error; Entra given reads an Okta CSV as Entra's", () => {
  assert.throws(() => full.audit(oktaCsv, { idp: "entra" }), /mailNickname/);
  const entra = full.audit(oktaCsv, { idp: "entra", column: "login" });
  assert.equal(entra.summary.plan.chosen, "given with the idp option");
  assert.equal(entra.summary.plan.provider, "Entra");
  assert.equal(entra.summary.mapping_note, null);
  assert.deepEqual(entra.records.map((r) => r.suggestion), ["ann"], "Entra's suggestion, not the readable `Ann-Lee`");
  assert.equal(full.audit("id,mailNickname\n1,ann\n", {}).summary.plan.chosen, "the default");
  assert.throws(() => full.audit(oktaCsv, { idp: "ping" }), /option `idp` must be "entra", "okta" or "google", not "ping"/);
  assert.throws(() => full.audit(oktaCsv, { idp: 3 }), /option `idp` must be a string, not a number/);
});

test("Google Download users CSV: suspended users are disabled (or skipped), archived ones skipped", () => {
  const csv = [
    "First Name [Required],Last Name [Required],Email Address [Required],Status [READ ONLY],Employee ID",
    "Ana,Lima,ana.lima@example.com,Active,ana-lima",
    "Bo,Chan,bo.chan@example.com,Suspended,bo-chan",
    "Cy,Ng,cy.ng@example.com,Archived,cy-ng",
    "Di,Ho,di.ho@example.com,Suspended,di-ho",
    "",
  ].join("\n");
  const { records, summary } = full.audit(csv, {});
  assert.equal(summary.plan.provider, "Google");
  assert.equal(summary.plan.chosen, "detected: Google Workspace's Download users header");
  assert.equal(summary.mapping, "column `Email Address`");
  assert.deepEqual(records.map((r) => [r.action, r.status]), [
    ["create", "invalid"], // an e-mail address is never a valid username
    ["skip", "skipped"], // suspended and never provisioned
    ["skip", "skipped"], // archived: out of scope
    ["skip", "skipped"],
  ]);
  assert.match(records[2].message, /archived: Google does not sync it/);
  assert.equal(records[0].suggestion, "Ana-Lima");
  assert.match(summary.mapping_note, /never a valid Hugging Face username/);
  // With the mapping on a field that holds valid names, a suspended member is disabled.
  const members = [{ userName: "bo-chan", active: true }];
  const mapped = full.audit(csv, { mapping: "Employee ID", members });
  assert.deepEqual(mapped.records.map((r) => [r.username, r.action, r.status, r.current_username]), [
    ["ana-lima", "create", "ok", ""],
    ["bo-chan", "disable", "ok", "bo-chan"],
    ["cy-ng", "skip", "skipped", ""],
    ["di-ho", "skip", "skipped", ""],
  ]);
  assert.deepEqual(full.audit(csv, { column: "Employee ID", members }).records, mapped.records);
});

/** The browser's summary is the CLI's but for the note, which names the CLI's --fixed-out. */
const sameSummary = (browser, cli) => {
  const strip = (s) => ({ ...s, seconds: null, mapping_note: null });
  assert.deepEqual(strip(browser), strip(cli));
  assert.ok(browser.mapping_note && cli.mapping_note);
};

test("parity with the CLI: examples/google-users.csv", () => {
  const file = join(examples, "google-users.csv");
  const cli = cliAudit(file);
  const report = full.audit(readFileSync(file), {});
  assert.deepEqual(report.records, cli.records);
  sameSummary(report.summary, cli.summary);
  assert.ok(report.records.some((r) => r.action === "skip"));
});
