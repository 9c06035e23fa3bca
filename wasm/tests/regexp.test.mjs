// The full build runs Entra's `Replace` patterns on JavaScript's `RegExp`, the CLI on the
// `regex` crate: over a generated corpus of supported patterns and haystacks that tell the two
// apart (non-ASCII letters, combining marks, CR/LF, U+2028, astral characters, Unicode spaces
// and digits), every result must be the same: the same text, or an error from both. The one
// exception is what the browser refuses and says so (the JavaScript translation's own
// refusals: a repeated group that can match empty text with a capture, a lazy quantifier or
// `|` inside, `(?i)` over part of a pattern, `(?x)`), and what the `regex` crate refuses as too
// large to compile (the browser has no such limit); those must stay few.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

import { full } from "./builds.mjs";
import { binary, root } from "./cli.mjs";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  "a", "b", "z", "A", "é", "É", "ß", "σ", "Σ", "k", "K", "1", "\\.", "-", "_", " ", "😀", "\\u00E9",
  "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", ".", "\\p{L}", "\\p{Lu}", "\\p{Ll}", "\\P{L}", "\\p{M}",
  "\\p{Nd}", "\\p{Zs}", "\\n", "\\r", "\\t", "\\x41",
  "[a-z]", "[^a-z]", "[A-Z0-9_]", "[\\w-]", "[\\s\\d]", "[^\\W\\d]", "[^\\s]", "[.\\-]", "[-a]",
  "[é-ÿ]", "[\\p{Lu}\\d]", "[^\\p{L}]", "[]a]", "[a-c-e]", "[\\u0300-\\u036F]",
];
const ASSERTIONS = ["^", "$", "\\b", "\\B", "\\A", "\\z"];
const QUANTIFIERS = ["*", "+", "?", "{2}", "{1,3}", "*?", "+?", "??", "{0,2}"];
const FLAGS = ["", "", "", "(?i)", "(?s)", "(?m)", "(?is)", "(?im)", "(?ms)"];

/** A pattern in .NET syntax that both engines support. */
function pattern(next) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  let groups = 0;
  let named = false;
  const sequence = (depth) => {
    let out = "";
    const length = 1 + Math.floor(next() * 4);
    for (let i = 0; i < length; i++) {
      const r = next();
      if (r < 0.12) {
        out += pick(ASSERTIONS);
        continue;
      }
      let atom;
      if (r < 0.3 && depth < 2) {
        const inner = next() < 0.3 ? `${sequence(depth + 1)}|${sequence(depth + 1)}` : sequence(depth + 1);
        const kind = next();
        if (kind < 0.4) {
          groups++;
          atom = `(${inner})`;
        } else if (kind < 0.55 && !named) {
          named = true;
          groups++;
          atom = `(?<g>${inner})`;
        } else if (kind < 0.7) {
          atom = `(?${pick(["s", "m", "-s"])}:${inner})`;
        } else {
          atom = `(?:${inner})`;
        }
      } else {
        atom = pick(ATOMS);
      }
      if (next() < 0.35) atom += pick(QUANTIFIERS);
      out += atom;
    }
    return out;
  };
  let body = sequence(0);
  if (next() < 0.2) body += `|${sequence(0)}`;
  return pick(FLAGS) + body;
}

const HAYSTACKS = [
  "abc", "Straße SS ß", "ÉCOLE école", "e\u0301cole", "a\nb\r\nc", "x\u2028y\u2029z", "😀a😀b",
  "𝒜𝒷 ab", "ΣΑΣ σας", "Kk\u212A", "a1\u0663b", "\u00A0\u0085\uFEFF \t.", "", "_-.", "a\u200Db",
  "jean.luc@contoso.com", "\nx", "\u01C5\u01C6", "A-Z 09 az", "\r\n\r\n.", "ab\u0301c\u0327",
];

/** A .NET string literal in an Entra expression. */
const literal = (s) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** One expression per pattern: each haystack's replacement, joined, so one CLI run checks all. */
function expression(p) {
  const parts = HAYSTACKS.map((_, i) => `Replace([h${i}], , ${literal(p)}, , "<$&|$1|\${g}>", , )`);
  return `Join("\u0001", ${parts.join(", ")})`;
}

function cli(bin, expr) {
  const args = ["eval", expr, "--format", "json", ...HAYSTACKS.map((h, i) => `--attr=h${i}=${h}`)];
  try {
    return { value: JSON.parse(execFileSync(bin, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })).value };
  } catch (e) {
    return { error: String(e.stderr ?? e.message).trim() };
  }
}

function browser(expr) {
  const attributes = Object.fromEntries(HAYSTACKS.map((h, i) => [`h${i}`, h]));
  try {
    return { value: full.evaluate(expr, attributes).value };
  } catch (e) {
    return { error: e.message };
  }
}

// More, or other, patterns: REGEXP_PATTERNS=5000 REGEXP_SEED=7 node --test tests/regexp.test.mjs
const PATTERNS = Number(process.env.REGEXP_PATTERNS ?? 400);
const SEED = Number(process.env.REGEXP_SEED ?? 20261128);

test("full: Replace on JavaScript's RegExp matches the CLI's regex crate", (t) => {
  const bin = binary();
  const next = random(SEED);
  const seen = new Set();
  const failures = [];
  let errors = 0;
  let refused = 0;
  while (seen.size < PATTERNS) {
    const p = pattern(next);
    if (seen.has(p)) continue;
    seen.add(p);
    const expr = expression(p);
    const want = cli(bin, expr);
    const got = browser(expr);
    if ("error" in want) errors++;
    const browserOnly = !("error" in want) && "error" in got && got.error.includes("the browser's regular-expression engine");
    const tooLarge = "error" in want && !("error" in got) && want.error.includes("too large to evaluate safely");
    if (browserOnly || tooLarge) {
      refused++;
      continue;
    }
    const same = "error" in want ? "error" in got : got.value === want.value;
    if (!same) failures.push(`${JSON.stringify(p)}\n  cli:     ${JSON.stringify(want)}\n  browser: ${JSON.stringify(got)}`);
  }
  t.diagnostic(`${seen.size} patterns: ${errors} errors in both, ${refused} refused by one engine only`);
  assert.ok(errors < seen.size / 4, `too many patterns fail in both (${errors}): the corpus tests little`);
  assert.ok(refused < seen.size / 10, `the browser refuses too many patterns (${refused})`);
  assert.equal(failures.length, 0, `${failures.length} of ${seen.size} patterns differ:\n${failures.slice(0, 20).join("\n")}`);
});
