// The provisioning plan in the full build's `audit` (SPEC section 8): the org's members with
// their identities (`members`), the same records and summary as `usernorm audit --existing
// MEMBERS`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { full } from "./builds.mjs";
import { cliAudit, examples } from "./cli.mjs";

// One row for each of the plan's rules.
const csv = [
  "id,mailNickname,accountEnabled",
  "1,ann,true", // matches ann, same name: update
  "2,bobby,true", // matches bob, another name: rename
  "3,eve,true", // no member with externalId 3; eve joined by SSO without one: create, taken
  "4,carl,false", // matches carl, disabled: disable
  "5,zoe,false", // no member, disabled: skip
  "6,bob,true", // wants bob, whom row 2 renames away: a conflict
  "7,newton,true", // no member: create
  "", // (the file ends with a line break)
].join("\n");
const membersCsv = "userName,externalId,active\nann,1,true\nbob,2,true\neve,,true\ncarl,4,true\ngone,9,true\n";
const memberObjects = [
  { userName: "ann", externalId: "1", active: true },
  { userName: "bob", externalId: "2", active: true },
  { userName: "eve", externalId: null, active: true },
  { userName: "carl", externalId: "4" },
  { userName: "gone", externalId: "9", active: true },
];

const plan = (records) => records.map((r) => [r.row, r.action, r.status, r.current_username]);

const expected = [
  [1, "update", "ok", "ann"],
  [2, "rename", "ok", "bob"],
  [3, "create", "taken", ""],
  [4, "disable", "ok", "carl"],
  [5, "skip", "skipped", ""],
  [6, "create", "taken", ""],
  [7, "create", "ok", ""],
];

for (const [what, members] of [["a members CSV", membersCsv], ["member objects", memberObjects]]) {
  test(`plan from ${what}: an action and a current username for every row`, () => {
    const { records, summary } = full.audit(csv, { members });
    assert.deepEqual(plan(records), expected);
    assert.match(records[1].warnings.find((w) => w.code === "rename").message, /renames `bob` to `bobby`/);
    assert.match(records[2].message, /held by member `eve`, who has no externalId/);
    assert.match(records[5].message, /row 2 renames in this cycle/);
    assert.ok(records[4].message.length > 0, "a skip says why");
    assert.deepEqual(summary.plan.actions, { create: 3, update: 1, rename: 1, disable: 1, skip: 1 });
    assert.equal(summary.plan.conflicts, 1);
    assert.equal(summary.plan.matched_by_id, true);
    assert.match(summary.plan.matching, /externalId/);
    assert.deepEqual(summary.plan.absent.map((m) => m.user_name), ["eve", "gone"]); // eve: no row is hers
    assert.equal(summary.statuses.skipped, 1);
  });
}

test("plan: the old `existing` names match nobody, and the summary says so", () => {
  const { records, summary } = full.audit(csv, { existing: ["ann", "bob", "eve", "carl"] });
  assert.deepEqual(records.map((r) => [r.action, r.status]), [
    ["create", "taken"],
    ["create", "ok"],
    ["create", "taken"],
    ["skip", "skipped"],
    ["skip", "skipped"],
    ["create", "taken"],
    ["create", "ok"],
  ]);
  assert.equal(summary.plan.matched_by_id, false);
  assert.match(summary.plan.matching, /^off: /);
  // A members file that is a plain list says the same.
  assert.deepEqual(full.audit(csv, { members: "ann\nbob\neve\ncarl\n" }), { records, summary });
});

test("plan: bad members are thrown Errors", () => {
  assert.throws(() => full.audit(csv, { existing: ["a"], members: "a\n" }), /either `existing`/);
  assert.throws(() => full.audit(csv, { members: 7 }), /option `members` must be/);
  assert.throws(() => full.audit(csv, { members: [{ externalId: "1" }] }), /members\[0\]: `userName`/);
  assert.throws(() => full.audit(csv, { members: [{ userName: "a", active: "yes" }] }), /`active` must be a boolean/);
  assert.throws(() => full.audit(csv, { members: [null] }), /members\[0\] must be an object/);
  assert.throws(() => full.audit(csv, { members: "userName,active\na,maybe\n" }), /^Error: members: line 2/);
  assert.throws(() => full.audit(csv, { members: "[]" }), /members: line 1: a JSON members file/);
  assert.throws(() => full.audit(csv, { entraSchema: "{}" }), /unknown option `entraSchema`/);
});

// The CLI and the package on the examples: the same records and summary, the plan included.
const exportCsv = join(examples, "entra-users.csv");
const membersFile = join(examples, "existing-members.csv");

test("plan parity with the CLI: entra-users.csv --existing existing-members.csv", () => {
  const cli = cliAudit(exportCsv, membersFile);
  const report = full.audit(readFileSync(exportCsv), { members: readFileSync(membersFile, "utf8") });
  assert.deepEqual(report.records, cli.records);
  assert.deepEqual({ ...report.summary, seconds: null }, { ...cli.summary, seconds: null });
  const actions = new Set(report.records.map((r) => r.action));
  for (const action of ["create", "update", "rename", "disable", "skip"]) assert.ok(actions.has(action), action);
  assert.ok(report.summary.plan.absent.length > 0);
});

test("plan parity with the CLI: member objects are a JSON members file", () => {
  const dir = mkdtempSync(join(tmpdir(), "usernorm-plan-"));
  const file = join(dir, "members.json");
  writeFileSync(file, JSON.stringify(memberObjects));
  const input = join(dir, "export.csv");
  writeFileSync(input, csv);
  const cli = cliAudit(input, file);
  const report = full.audit(csv, { members: memberObjects });
  assert.deepEqual(report.records, cli.records);
  assert.deepEqual({ ...report.summary, seconds: null }, { ...cli.summary, seconds: null });
});
