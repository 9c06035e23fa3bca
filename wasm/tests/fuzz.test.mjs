// Random strings through every function of both builds: results keep their promises (spans
// inside the string, suggestions valid and distinct, normalize's output valid and stable) and
// nothing but a documented Error is ever thrown. Seeded, so a failure repeats.
import { test } from "node:test";
import assert from "node:assert/strict";

import { builds } from "./builds.mjs";

const ALPHABET = [..."aZ09-_. @+'#", "é", "ß", "Æ", "ﬁ", "Ａ", "\u0301", "\u200B", "\u202E", "\0", "\t", "\n",
  "王", "محمد", "Ω", "🎉", "👍🏽", "\uD800", "\uDFFF", "𝔘", "\u00A0", "ı", "İ"];

function* strings(seed, count) {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) {
    const len = Math.floor(next() * 50);
    let s = "";
    for (let j = 0; j < len; j++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
    yield s;
  }
}

for (const [build, um] of Object.entries(builds)) {
  test(`${build}: 3000 random strings keep every promise`, () => {
    for (const s of strings(build.length, 3000)) {
      const r = um.validate(s);
      assert.equal(r.valid, r.violations.length === 0);
      for (const v of r.violations) {
        assert.ok(Number.isInteger(v.start) && v.start <= v.end && v.end <= s.length, `${JSON.stringify(s)} ${v.code} ${v.start}..${v.end}`);
      }
      const fixes = um.suggest(s, [s], 3);
      assert.equal(new Set(fixes.map((f) => f.toLowerCase())).size, fixes.length);
      for (const f of fixes) assert.equal(um.validate(f).valid, true, `suggest(${JSON.stringify(s)}) gave ${f}`);
      let name = null;
      try {
        name = um.normalize(s);
      } catch (e) {
        assert.match(e.message, /nothing usable/);
      }
      if (name !== null) {
        assert.equal(um.validate(name).valid, true, `normalize(${JSON.stringify(s)}) = ${name}`);
        assert.equal(um.normalize(name), name, "idempotent");
      }
    }
  });
}
