// The TypeScript declarations: strict TypeScript accepts real usage, rejects misuse, and no
// public function takes or returns `any`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));

function compile(file) {
  const args = [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom", `${here}types/${file}`];
  const run = spawnSync(process.execPath, args, { encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

test("strict TypeScript accepts the documented usage", () => {
  const { status, output } = compile("usage.ts");
  assert.equal(status, 0, output);
});

test("strict TypeScript rejects a wrong preset, a misspelt field, a wrong taken, an unknown code, a misused <usernorm-field>, a misspelt member, an unknown idp", () => {
  const { output } = compile("bad.ts");
  const lines = output.split("\n").filter((l) => /error TS/.test(l)).map((l) => l.match(/bad\.ts\((\d+),/)?.[1]);
  assert.deepEqual(lines, ["4", "5", "6", "7", "9", "10", "11", "13", "14"], output);
});

test("no public function takes or returns any", () => {
  for (const build of ["small", "full", "okta"]) {
    for (const target of ["web", "node"]) {
      const dts = readFileSync(new URL(`../pkg/${build}/${target}/usernorm.d.ts`, import.meta.url), "utf8");
      const signatures = dts.split("\n").filter((l) => l.startsWith("export function"));
      assert.ok(signatures.length >= 10);
      for (const s of signatures) assert.doesNotMatch(s, /\bany\b/, `${build}/${target}: ${s}`);
    }
  }
});
