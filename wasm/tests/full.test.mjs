// The full build's own functions: evaluate (Entra expressions) and audit (CSV exports), the
// latter compared record for record with the CLI.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { full, small } from "./builds.mjs";
import { cliAudit, examples } from "./cli.mjs";

test("the small build has neither evaluate nor audit", () => {
  assert.equal(small.evaluate, undefined);
  assert.equal(small.audit, undefined);
});

test("evaluate: values of every kind", () => {
  const row = { givenName: "John", surname: "Doe", mailNickname: "john.doe", proxyAddresses: ["a", "b"] };
  assert.deepEqual(full.evaluate('Join(".", [givenName], [surname])', row), { value: "John.Doe", reproducible: true, ignored: false });
  assert.equal(full.evaluate('Replace([mailNickname], ".", "", "", "", "", "")', row).value, "johndoe");
  assert.equal(full.evaluate("IsNullOrEmpty([department])", row).value, true);
  assert.equal(full.evaluate("Count([proxyAddresses])", row).value, 2);
  assert.deepEqual(full.evaluate('Split("a,b", ",")', {}).value, ["a", "b"]);
  assert.equal(full.evaluate("[department]", row).value, null);
  assert.equal(full.evaluate("[MAILNICKNAME]", row).value, "john.doe", "attribute names ignore case");
  assert.equal(full.evaluate("Guid()", {}).reproducible, false);
  assert.equal(full.evaluate("IgnoreFlowIfNullOrEmpty([department])", row).ignored, true);
});

test("evaluate: errors are thrown Errors with a caret and a UTF-16 span", () => {
  const expr = 'Join("é🎉", [a], Nope([b]))';
  const err = assert.throws(() => full.evaluate(expr, {}), (e) => e instanceof Error && /\^/.test(e.message) && /Nope/.test(e.message));
  assert.equal(err, undefined);
  try {
    full.evaluate(expr, {});
  } catch (e) {
    assert.equal(expr.slice(e.start, e.end).startsWith("Nope"), true, `${e.start}..${e.end}`);
  }
  assert.throws(() => full.evaluate("Left([a]", {}), /\^/);
  assert.throws(() => full.evaluate("[a]", { a: 1 }), /attribute `a` must be a string/);
  assert.throws(() => full.evaluate("[a]", "a=1"), /attributes must be an object/);
  assert.throws(() => full.evaluate("(".repeat(100_000), {}), Error);
});

const exportCsv = join(examples, "entra-users.csv");
const members = join(examples, "existing-members.txt");

for (const file of ["entra-users.csv", "entra-portal-export.csv"]) {
  test(`audit ${file}: the CLI's records and summary, exactly`, () => {
    const path = join(examples, file);
    const cli = cliAudit(path, members);
    const existing = full.parseExisting(readFileSync(members, "utf8"));
    const progress = [];
    const report = full.audit(readFileSync(path), { existing, onProgress: (p) => progress.push(p.phase) });
    assert.deepEqual(report.records, cli.records);
    assert.deepEqual({ ...report.summary, seconds: null }, { ...cli.summary, seconds: null });
    assert.ok(progress.includes("records"));
    const finals = report.records.map((r) => (r.status === "ok" ? r.username : r.suggestion));
    assert.equal(full.fixedCsv(readFileSync(path), finals), cli.fixed);
  });
}

test("audit: a mapping's regular expressions run on RegExp with the CLI's meaning", () => {
  // Unicode \w, as the regex crate reads it: JavaScript's own \w would drop the `ë`.
  const mapping = String.raw`Replace([mail], , "\\W", , "", , )`;
  const report = full.audit("id,mail\n1,Jean.Luc@contoso.com\n2,Zoë@x\n", { mapping });
  assert.deepEqual(report.records.map((r) => r.username), ["JeanLuccontosocom", "Zoëx"]);
  assert.throws(() => full.audit("id,mail\n1,a\n", { mapping: 'Replace([mail], , "a(?=b)", , "", , )' }), /lookahead/);
});

test("audit: streaming records in batches gives the same records", () => {
  const text = readFileSync(exportCsv, "utf8");
  const whole = full.audit(text).records;
  const batches = [];
  const report = full.audit(text, { onRecords: (b) => batches.push(b) });
  assert.deepEqual(report.records, []);
  assert.deepEqual(batches.flat(), whole);
});

test("audit: bad input is a record or a thrown Error, never a panic", () => {
  assert.throws(() => full.audit(""), /empty/);
  assert.throws(() => full.audit("id,name\n1,x\n", { mapping: "[nope]" }), /no `nope` column/);
  assert.throws(() => full.audit("id\n1\n", { mapping: "Left(" }), /mapping: /);
  assert.throws(() => full.audit("id\n1\n", { column: "id", mapping: "[id]" }), /not both/);
  assert.throws(() => full.audit(42), /string or a Uint8Array/);
  assert.throws(() => full.audit("a\n1\n", { colum: "a" }), /unknown option `colum`/);
  const r = full.audit("id,mailNickname\n1,ok-name\n2,\"unterminated\n", {});
  assert.equal(r.records.length, 2);
  const ragged = full.audit("id,mailNickname\n1,a,b,c\n\xff\xfe,x\n", {});
  assert.ok(ragged.records.every((x) => typeof x.status === "string"));
  assert.throws(() => full.audit("id,mailNickname\n1,jdoe\n", { onRecords: () => { throw new Error("stop"); } }), /stop/);
  assert.deepEqual(full.audit("id,mailNickname\n1,jdoe\n").records.map((x) => x.status), ["ok"]);
});
