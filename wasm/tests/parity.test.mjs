// The shared vectors of tests/data/ through the Node builds: exactly what the core gives, with
// byte offsets converted to UTF-16.
//
// The full build must match every case. The small build has no transliteration: it matches
// every validate case, and the normalize and suggest cases whose text is Latin (ASCII and the
// Latin blocks its generated table covers), which is what it promises.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

import { builds, policyOf, utf16Offset } from "./builds.mjs";

const load = (file) => parse(readFileSync(new URL(`../../tests/data/${file}`, import.meta.url), "utf8")).case;

/** Text the small build reads as the full one does: ASCII and the Latin letter blocks. */
const latin = (text) =>
  [...(text ?? "")].every((c) => {
    const u = c.codePointAt(0);
    return u < 0x80 || (u >= 0xc0 && u <= 0x24f && /\p{L}/u.test(c)) || (u >= 0x1e00 && u <= 0x1eff) || " .-_'+@".includes(c);
  });

function run(file, cases, check) {
  const failures = [];
  cases.forEach((c, i) => {
    try {
      const problem = check(c);
      if (problem) failures.push(`${file} case ${i + 1} ${JSON.stringify(c)}\n  ${problem}`);
    } catch (e) {
      failures.push(`${file} case ${i + 1} ${JSON.stringify(c)}\n  threw ${e.message}`);
    }
  });
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} cases differ:\n${failures.join("\n")}`);
}

const validateCases = load("validate.toml");
const normalizeCases = load("normalize.toml");
const suggestCases = load("suggest.toml");

for (const [build, um] of Object.entries(builds)) {
  test(`${build}: validate.toml (${validateCases.length} cases)`, () => {
    run("validate.toml", validateCases, (c) => {
      const got = um.validate(c.name, policyOf(c.policy)).violations.map((v) => [v.code, v.start, v.end]);
      const want = c.violations.map((v) => [v.code, utf16Offset(c.name, v.start), utf16Offset(c.name, v.end)]);
      return JSON.stringify(got) === JSON.stringify(want) ? null : `expected ${JSON.stringify(want)}\n  got      ${JSON.stringify(got)}`;
    });
  });

  const normalize = build === "full" ? normalizeCases : normalizeCases.filter((c) => latin(c.input));
  test(`${build}: normalize.toml (${normalize.length} of ${normalizeCases.length} cases)`, () => {
    run("normalize.toml", normalize, (c) => {
      const options = { policy: policyOf(c.policy), lowercase: c.lowercase ?? false };
      let got;
      try {
        const n = um.normalizeDetailed(c.input, options);
        got = `${JSON.stringify(n.name)} review ${n.review?.code ?? "none"}`;
      } catch (e) {
        if (!/nothing usable/.test(e.message)) throw e;
        got = "an error";
      }
      const want = c.error ? "an error" : `${JSON.stringify(c.output)} review ${c.review ?? "none"}`;
      return got === want ? null : `expected ${want}\n  got      ${got}`;
    });
  });

  const suggest = build === "full" ? suggestCases : suggestCases.filter((c) => latin(c.input) && latin(c.given) && latin(c.family));
  test(`${build}: suggest.toml (${suggest.length} of ${suggestCases.length} cases)`, () => {
    run("suggest.toml", suggest, (c) => {
      const input = { text: c.input, given: c.given, family: c.family };
      const got = um.suggest(input, c.taken ?? [], c.n, policyOf(c.policy));
      return JSON.stringify(got) === JSON.stringify(c.expected) ? null : `expected ${JSON.stringify(c.expected)}\n  got      ${JSON.stringify(got)}`;
    });
  });
}

// Entra's vectors through the full build's `evaluate`, whose `Replace` patterns run on
// JavaScript's `RegExp`: the same values, flags and errors as the core on the `regex` crate.
// `Now()` has no clock in the module (the core's wasm32 build says so): those cases are left out.
const entraCases = load("entra.toml").filter((c) => !c.expression.includes("Now()"));
/** A value as the core prints it (tests/entra.rs compares that text). */
const text = (v) => (v === true ? "True" : v === false ? "False" : v === null ? "" : String(v));
test(`full: entra.toml (${entraCases.length} cases)`, () => {
  run("entra.toml", entraCases, (c) => {
    let got;
    try {
      got = builds.full.evaluate(c.expression, c.attributes ?? {});
    } catch (e) {
      if (c.error === undefined) return `unexpected error: ${e.message}`;
      return e.message.includes(c.error) ? null : `expected an error with ${JSON.stringify(c.error)}, got ${e.message}`;
    }
    if (c.error !== undefined) return `expected an error with ${JSON.stringify(c.error)}, got ${JSON.stringify(got)}`;
    if (c.expected !== undefined && (got.value === null || Array.isArray(got.value) || text(got.value) !== c.expected)) {
      return `expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got.value)}`;
    }
    if (c.expected_null && got.value !== null) return `expected null, got ${JSON.stringify(got.value)}`;
    if (c.expected_multi !== undefined && JSON.stringify(got.value) !== JSON.stringify(c.expected_multi)) {
      return `expected ${JSON.stringify(c.expected_multi)}, got ${JSON.stringify(got.value)}`;
    }
    if (c.expected_len !== undefined && [...text(got.value)].length !== c.expected_len) {
      return `expected ${c.expected_len} characters, got ${JSON.stringify(got.value)}`;
    }
    if (got.reproducible !== (c.reproducible ?? true)) return `expected reproducible = ${c.reproducible ?? true}`;
    if (got.ignored !== (c.ignored ?? false)) return `expected ignored = ${c.ignored ?? false}`;
    return null;
  });
});

test("the small build runs most of the vectors", () => {
  assert.ok(normalizeCases.filter((c) => latin(c.input)).length * 2 > normalizeCases.length);
});
