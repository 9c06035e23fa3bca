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

test("the small build runs most of the vectors", () => {
  assert.ok(normalizeCases.filter((c) => latin(c.input)).length * 2 > normalizeCases.length);
});
