// The package as a user installs it: `usernorm`, `usernorm/full` and `usernorm/okta` resolve through
// package.json's exports, from ES modules and from require.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

test("import and require through the package's exports", () => {
  const dir = mkdtempSync(join(tmpdir(), "usernorm-consumer-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(fileURLToPath(new URL("../pkg", import.meta.url)), join(dir, "node_modules", "usernorm"), "dir");
    const esm = execFileSync(process.execPath, ["--input-type=module", "-e", `
      import { validate } from "usernorm";
      const full = await import("usernorm/full");
      const okta = await import("usernorm/okta");
      const json = '[{"id": "00u1", "status": "ACTIVE", "profile": {"login": "ann@x.org"}}]';
      console.log(JSON.stringify([validate("jean--luc_").violations.map((v) => v.code), full.normalize("王小明"), typeof full.audit,
        okta.audit(json, {}).summary.plan.provider, full.detectIdp(json).idp]));
    `], { cwd: dir, encoding: "utf8" });
    assert.deepEqual(JSON.parse(esm), [["invalid-char", "double-dash"], "Wang-Xiao-Ming", "function", "Okta", "okta"]);
    const cjs = execFileSync(process.execPath, ["-e", `console.log(require("usernorm").validate("ok-name").valid, typeof require("usernorm").audit)`], { cwd: dir, encoding: "utf8" });
    assert.equal(cjs.trim(), "true undefined");
    const oktaCjs = execFileSync(process.execPath, ["-e", `console.log(require("usernorm/okta").audit("login\\nann@x.org\\n", {}).summary.plan.provider)`], { cwd: dir, encoding: "utf8" });
    assert.equal(oktaCjs.trim(), "Okta");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
