// The package as its users get it: `npm pack` of pkg/, the tarball installed into a scratch
// project, then used from Node (ES modules and CommonJS), by strict TypeScript, and by a page
// bundled with esbuild and with Vite that runs in headless Chromium (the .wasm found, fetched
// and run; <usernorm-field> working). The bundlers and tsc are wasm/'s pinned devDependencies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { browser, openPage, serve, until } from "./e2e/harness.mjs";

const wasmDir = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(wasmDir, "node_modules", ".bin", name);
let scratch;
let tarball;
let chromium;

const run = (file, args, options = {}) =>
  execFileSync(file, args, { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), "usernorm-consumer-"));
  const packed = JSON.parse(run("npm", ["pack", join(wasmDir, "pkg"), "--json", "--pack-destination", scratch]));
  tarball = packed[0];
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // The tarball has no dependencies: nothing is fetched from the registry.
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, tarball.filename)]);
  chromium = await browser();
});

after(async () => {
  await chromium?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds the three builds, the element, the docs and nothing else", () => {
  const files = tarball.files.map((f) => f.path).sort();
  for (const file of ["package.json", "README.md", "field.js", "field.d.ts",
    "small/web/usernorm.js", "small/web/usernorm_bg.wasm", "small/web/usernorm.d.ts", "small/web/explanations.js",
    "small/node/usernorm.js", "small/node/package.json", "full/web/usernorm_bg.wasm", "full/node/usernorm.js",
    "okta/web/usernorm.js", "okta/web/usernorm_bg.wasm", "okta/web/usernorm.d.ts", "okta/node/usernorm.js", "okta/node/package.json"]) {
    assert.ok(files.includes(file), `${file} missing from ${files.join(", ")}`);
  }
  assert.deepEqual(files.filter((f) => !/^(small|full|okta)\/(web|node)\/|^(package\.json|README\.md|field\.js|field\.d\.ts)$/.test(f)), []);
});

test("Node: import and require the installed package", () => {
  const esm = run(process.execPath, ["--input-type=module", "-e", `
    import init, { validate, explain } from "usernorm";
    import { normalize } from "usernorm/full";
    console.log(JSON.stringify([validate("jean--luc_").violations.map((v) => v.code), normalize("王小明"), (await explain("taken")).length > 0]));
  `]);
  assert.deepEqual(JSON.parse(esm), [["invalid-char", "double-dash"], "Wang-Xiao-Ming", true]);
  const cjs = run(process.execPath, ["-e", `
    const small = require("usernorm");
    const full = require("usernorm/full");
    const okta = require("usernorm/okta");
    console.log(JSON.stringify([small.validate("ok-name").valid, typeof small.audit, typeof full.audit, require("usernorm/package.json").version,
      okta.audit("login\\nann@x.org\\n").summary.plan.provider]));
  `]);
  assert.deepEqual(JSON.parse(cjs), [true, "undefined", "function", "0.1.0", "Okta"]);
});

test("strict TypeScript against the installed declarations: the browser build for a bundler, the Node build for Node", () => {
  writeFileSync(join(scratch, "consumer.ts"), `
    import init, { validate, type ValidationResult } from "usernorm";
    import { audit, type AuditRecord } from "usernorm/full";
    import { load, type UsernormField } from "usernorm/field";
    export async function main(): Promise<number> {
      await init();
      await load();
      const result: ValidationResult = validate("jean--luc");
      const records: AuditRecord[] = audit("id,mailNickname\\n1,jdoe\\n").records;
      const field: UsernormField = document.createElement("usernorm-field");
      field.taken = ["jdoe"];
      return result.violations.length + records.length + Number(field.validity.valid);
    }
  `);
  writeFileSync(join(scratch, "bad.ts"), `
    import { validate } from "usernorm";
    validate("x", "gitlab");
  `);
  // Under Node's resolution the Node build's declarations apply: it has no `init` (the module
  // is ready when imported), and a default import is the CommonJS exports object.
  writeFileSync(join(scratch, "node.mts"), `
    import { validate, explain } from "usernorm";
    export const doc: Promise<string> = explain(validate("x").violations[0]!.code);
  `);
  writeFileSync(join(scratch, "bad-node.mts"), `
    import init from "usernorm";
    await init();
  `);
  const tsc = join(wasmDir, "node_modules", "typescript", "bin", "tsc");
  const node = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022"];
  run(process.execPath, [tsc, ...node, "node.mts"]);
  assert.throws(() => run(process.execPath, [tsc, ...node, "bad-node.mts"]),
    (e) => /bad-node\.mts\(3,11\): error TS/.test(e.stdout), "nodenext: the Node build has no init");
  // A page's code, as a bundler resolves it: the browser build's declarations.
  const web = ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom"];
  run(process.execPath, [tsc, ...web, "consumer.ts"]);
  for (const args of [web, node]) {
    assert.throws(() => run(process.execPath, [tsc, ...args, "bad.ts"]),
      (e) => /bad\.ts\(3,19\): error TS/.test(e.stdout), `${args.join(" ")}: a wrong preset is an error`);
  }
});

// A page that uses the package's two entry points the way the README shows: a validation on
// load, and a <usernorm-field> in a form.
const PAGE_HTML = (script) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="${script}"></script></head><body>
<form id="form"><usernorm-field id="field" name="username" taken="jdoe"></usernorm-field></form>
<p id="out"></p></body></html>`;

/** Runs the bundled page in `dir` in Chromium: the wasm ran, and the element checks names. */
async function runsInChromium(dir) {
  const server = await serve(0, dir.endsWith(sep) ? dir : dir + sep);
  try {
    const { page, errors } = await openPage(chromium.context, `${server.url}/index.html`);
    const wasmFetched = [];
    page.on("response", (r) => { if (r.url().endsWith(".wasm")) wasmFetched.push(r.status()); });
    assert.equal(await until(() => page.locator("#out").textContent(), "invalid-char double-dash"), "invalid-char double-dash");
    await page.locator("#field input").fill("JDoe");
    assert.equal(await until(() => page.locator("#field #status").textContent(), "1 problem: taken."), "1 problem: taken.");
    assert.equal(await page.evaluate(() => document.getElementById("form").checkValidity()), false);
    await page.close();
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
}

test("a page bundled with esbuild loads the .wasm and runs in Chromium", async () => {
  const src = join(scratch, "esbuild-src");
  mkdirSync(src);
  // esbuild copies the .wasm (the `file` loader) and gives its URL: the page hands it to the
  // module before anything loads it.
  writeFileSync(join(src, "main.js"), `
    import wasm from "usernorm/usernorm_bg.wasm";
    import { load } from "usernorm/field";
    import { validate } from "usernorm";
    await load(wasm);
    document.getElementById("out").textContent = validate("jean--luc_").violations.map((v) => v.code).join(" ");
  `);
  const out = join(scratch, "esbuild-dist");
  run(bin("esbuild"), [join(src, "main.js"), "--bundle", "--format=esm", "--loader:.wasm=file", `--outdir=${out}`, "--log-level=warning"]);
  writeFileSync(join(out, "index.html"), PAGE_HTML("main.js"));
  assert.ok(readdirSync(out).some((f) => f.endsWith(".wasm")), "esbuild emitted the .wasm");
  await runsInChromium(out);
});

test("a page bundled with Vite finds the .wasm itself and runs in Chromium", async () => {
  const root = join(scratch, "vite-app");
  mkdirSync(root);
  writeFileSync(join(root, "index.html"), PAGE_HTML("/main.js"));
  // No URL given: the glue's `new URL("usernorm_bg.wasm", import.meta.url)` is what Vite
  // rewrites to the emitted asset.
  writeFileSync(join(root, "main.js"), `
    import init, { validate } from "usernorm";
    import "usernorm/field";
    await init();
    document.getElementById("out").textContent = validate("jean--luc_").violations.map((v) => v.code).join(" ");
  `);
  run(bin("vite"), ["build", "--logLevel", "warn"], { cwd: root });
  const assets = readdirSync(join(root, "dist", "assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `Vite emitted the .wasm: ${assets.join(", ")}`);
  assert.ok(existsSync(join(root, "dist", "index.html")));
  await runsInChromium(join(root, "dist"));
});
