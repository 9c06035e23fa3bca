// Identity providers in `audit` (SPEC section 9, issue #15): the provider told from the file or
// given with `idp` (`detectIdp` tells it alone); Google's Download users CSV in the full build;
// Okta's Users API JSON and profile CSVs, with its built-in formats and expressions, in the Okta
// build (`usernorm/okta`), which the full build's refusal names; the plan's matching and merge
// risks, readable suggestions, and the same records as `usernorm audit`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { full, okta } from "./builds.mjs";
import { cliAudit, examples } from "./cli.mjs";

// Three users of the Users API, one object a line after the array's `[`: rows 1..3 start on
// lines 2..4. Ann is provisioned (member with her Okta id); Bo is not, and the org has a
// `bo` who is someone else; Cy is deprovisioned.
const oktaJson = [
  "[",
  '{"id": "00uA", "status": "ACTIVE", "profile": {"login": "ann@x.org", "email": "Ann@x.org", "firstName": "Ann", "lastName": "Lee"}},',
  '{"id": "00uB", "status": "ACTIVE", "profile": {"login": "bo@x.org", "email": "bo@x.org", "firstName": "Bo", "lastName": "Chan"}},',
  '{"id": "00uC", "status": "DEPROVISIONED", "profile": {"login": "cy@x.org", "email": "cy@x.org", "firstName": "Cy", "lastName": "Ng"}}',
  "]",
  "",
].join("\n");
const oktaMembers = "userName,externalId,active\nann,00uA,true\nbo,00uZ,true\n";

test("Okta Users API JSON is told from the file, with its JSON lines and Okta's plan", () => {
  const { records, summary } = okta.audit(oktaJson, { mapping: "email-prefix", members: oktaMembers });
  assert.equal(summary.plan.provider, "Okta");
  assert.equal(summary.plan.chosen, "detected: Okta Users API JSON");
  assert.deepEqual(records.map((r) => [r.row, r.line, r.id, r.username]), [
    [1, 2, "00uA", "Ann"],
    [2, 3, "00uB", "bo"],
    [3, 4, "00uC", "cy"],
  ]);
  assert.deepEqual(records.map((r) => r.action), ["update", "update", "skip"]);
  assert.match(summary.plan.matching, /externalId, then the username/);
});

test("Okta: a name held by another identity is a merge risk, and the person gets a readable name", () => {
  const { records } = okta.audit(oktaJson, { mapping: "email-prefix", members: oktaMembers });
  const bo = records[1];
  assert.equal(bo.status, "taken");
  assert.match(bo.message, /^merge risk: `bo` is the userName of member `bo`, another person's account \(externalId `00uZ`\): Okta would link this person/);
  assert.equal(bo.suggestion, "Bo-Chan", "the readable name from first and last name");
  assert.equal(records[0].status, "ok");
  // A provisioned member is suggested its current name (what to type), as the CLI does.
  assert.equal(records[0].suggestion, "ann");
});

test("Okta: the built-in formats by name, the default okta-username, and an expression", () => {
  const name = (mapping) => okta.audit(oktaJson, mapping === undefined ? {} : { mapping }).records[0].username;
  assert.equal(name(undefined), "ann@x.org");
  assert.equal(name("okta-username"), "ann@x.org");
  assert.equal(name("okta-username-prefix"), "ann");
  assert.equal(name("email"), "Ann@x.org");
  assert.equal(name("email-lowercase"), "ann@x.org");
  assert.equal(name("email-prefix"), "Ann");
  assert.equal(name("hf-okta-id"), "00uA");
  assert.equal(name('String.toLowerCase(user.firstName + "-" + user.lastName)'), "ann-lee");
  const { summary, records } = okta.audit(oktaJson, {});
  assert.equal(summary.mapping, "okta-username: user.login");
  assert.match(summary.mapping_note, /Okta's default: the Okta username/);
  // Every person not provisioned gets a readable name (Cy is deprovisioned: skipped).
  assert.deepEqual(records.map((r) => r.suggestion), ["Ann-Lee", "Bo-Chan", null]);
  assert.throws(() => okta.audit(oktaJson, { mapping: "String.toLowercase(user.login)" }), /^Error: mapping: /);
});

test("Okta: a Java-regex reading cannot be evaluated in the Okta build, and says so", () => {
  const { records } = okta.audit(oktaJson, { mapping: 'String.replace(String.substringBefore(user.login, "@"), "[aeiou]", "")' });
  assert.equal(records[0].status, "error");
  assert.match(records[0].message, /this build has no regular-expression engine, so it cannot be evaluated here/);
  // A literal pattern has one reading: evaluated.
  const literal = okta.audit(oktaJson, { mapping: 'String.replace(user.login, "@", "-at-")' });
  assert.equal(literal.records[0].username, "ann-at-x.org");
});

test("Okta: names only Okta's case- and diacritic-insensitive rule makes one are a plan warning", () => {
  const json = '[{"id": "1", "status": "ACTIVE", "profile": {"login": "Ana.Lima@x.org"}},\n' +
    '{"id": "2", "status": "ACTIVE", "profile": {"login": "ana.líma@x.org"}}]\n';
  const { summary } = okta.audit(json, {});
  assert.equal(summary.plan.warnings.length, 1);
  assert.match(summary.plan.warnings[0], /\(row 1\) and .* \(row 2\) are one name for Okta/);
});

test("Okta profile-variable CSV: told from its `login` column, or given with idp", () => {
  const csv = "login,firstName,lastName,email\nann@x.org,Ann,Lee,ann@x.org\nbo.chan@x.org,Bo,Chan,bo@x.org\n";
  const detected = okta.audit(csv, { mapping: "okta-username-prefix" });
  assert.equal(detected.summary.plan.provider, "Okta");
  assert.equal(detected.summary.plan.chosen, "detected: Okta profile variable names (`login`)");
  assert.deepEqual(detected.records.map((r) => [r.username, r.status, r.suggestion]), [
    ["ann", "ok", "Ann-Lee"],
    ["bo.chan", "invalid", "Bo-Chan"],
  ]);
  const given = okta.audit(csv, { idp: "okta", column: "email" });
  assert.equal(given.summary.plan.chosen, "given with the idp option");
  assert.equal(given.records[1].username, "bo@x.org");
  // Entra given: the export is read as Entra's, whose mapping needs mailNickname.
  assert.throws(() => okta.audit(csv, { idp: "entra" }), /mailNickname/);
  assert.throws(() => okta.audit(csv, { idp: "ping" }), /option `idp` must be "entra", "okta" or "google", not "ping"/);
  assert.throws(() => okta.audit(csv, { idp: 3 }), /option `idp` must be a string, not a number/);
});

const oktaCsv = "login,firstName,lastName,email\nann@x.org,Ann,Lee,ann@x.org\n";

// The Okta engine does not fit the full build's size budget: there an Okta export is told from
// the file (or given) and refused with a message that names the Okta build, never read as
// another provider's.
test("the full build refuses Okta exports, naming the Okta build", () => {
  assert.throws(() => full.audit(oktaJson, {}),
    /^Error: this is an Okta export \(detected: Okta Users API JSON\): this build does not audit Okta exports; the package's Okta build does: `import \{ audit \} from "usernorm\/okta"` \(or `usernorm audit --idp okta` on the command line\)$/);
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

test("detectIdp tells the provider as audit does, in the full and the Okta build", () => {
  for (const build of [full, okta]) {
    assert.deepEqual(build.detectIdp(oktaJson), { idp: "okta", how: "detected: Okta Users API JSON" });
    assert.deepEqual(build.detectIdp(new TextEncoder().encode(oktaCsv)),
      { idp: "okta", how: "detected: Okta profile variable names (`login`)" });
    assert.equal(build.detectIdp(readFileSync(join(examples, "google-users.csv"))).idp, "google");
    assert.deepEqual(build.detectIdp("id,mailNickname\n1,ann\n"), { idp: "entra", how: "the default" });
    assert.equal(build.detectIdp("").idp, "entra");
    assert.throws(() => build.detectIdp(3), /number/);
  }
});

test("the Okta build audits Entra and Google exports as the full build does", () => {
  const google = readFileSync(join(examples, "google-users.csv"));
  assert.deepEqual(okta.audit(google, {}).records, full.audit(google, {}).records);
  const entra = readFileSync(join(examples, "entra-users.csv"));
  const members = readFileSync(join(examples, "existing-members.csv"), "utf8");
  assert.deepEqual(okta.audit(entra, { members }).records, full.audit(entra, { members }).records);
});

/** The browser's summary is the CLI's but for the note, which names the CLI's --fixed-out. */
const sameSummary = (browser, cli) => {
  const strip = (s) => ({ ...s, seconds: null, mapping_note: null });
  assert.deepEqual(strip(browser), strip(cli));
  assert.ok(browser.mapping_note && cli.mapping_note);
};

test("parity with the CLI: examples/okta-users.json against examples/okta-members.csv", () => {
  const file = join(examples, "okta-users.json");
  const members = join(examples, "okta-members.csv");
  const cli = cliAudit(file, members);
  const report = okta.audit(readFileSync(file), { members: readFileSync(members, "utf8") });
  assert.deepEqual(report.records, cli.records);
  sameSummary(report.summary, cli.summary);
  assert.ok(report.summary.plan.warnings.some((w) => /one name for Okta/.test(w)));
});

test("parity with the CLI: examples/google-users.csv", () => {
  const file = join(examples, "google-users.csv");
  const cli = cliAudit(file);
  const report = full.audit(readFileSync(file), {});
  assert.deepEqual(report.records, cli.records);
  sameSummary(report.summary, cli.summary);
  assert.ok(report.records.some((r) => r.action === "skip"));
});
