// The package's API from Node: results, offsets, policies, taken names, errors.
import { test } from "node:test";
import assert from "node:assert/strict";

import { builds, small, full } from "./builds.mjs";

for (const [build, um] of Object.entries(builds)) {
  test(`${build}: a valid name has no violations and no warnings`, () => {
    assert.deepEqual(um.validate("jane-doe"), { valid: true, violations: [], warnings: [] });
  });

  test(`${build}: every violation, with code, message and UTF-16 span`, () => {
    const name = "jean--luc_";
    const r = um.validate(name);
    assert.equal(r.valid, false);
    assert.deepEqual(
      r.violations.map((v) => [v.code, v.start, v.end, name.slice(v.start, v.end)]),
      [
        ["invalid-char", 9, 10, "_"],
        ["double-dash", 4, 6, "--"],
      ],
    );
    for (const v of r.violations) assert.match(v.message, /\S/);
  });

  test(`${build}: offsets are UTF-16 units, also past astral-plane characters`, () => {
    const name = "zoë🎉👍🏽--x";
    const r = um.validate(name);
    const got = r.violations.map((v) => [v.code, name.slice(v.start, v.end)]);
    assert.deepEqual(got, [
      ["invalid-char", "ë🎉👍🏽"],
      ["double-dash", "--"],
    ]);
  });

  test(`${build}: presets and custom policies`, () => {
    assert.equal(um.validate("1234").valid, false);
    assert.equal(um.validate("1234", "github").valid, true);
    assert.equal(um.validate("jane.doe", { extra_chars: "." }).valid, true);
    const emu = { base: "github-emu", shortcode: "acme" };
    assert.deepEqual(um.validate("a".repeat(35), emu).violations.map((v) => v.code), ["too-long"]);
    const reserved = um.validate("Admin", { reserved: ["admin"] });
    assert.deepEqual(reserved.violations.map((v) => v.code), ["reserved"]);
    assert.deepEqual(um.presets(), ["huggingface", "github", "github-emu"]);
    assert.equal(um.canonicalKey("JDoe"), "jdoe");
    assert.equal(um.canonicalKey("JDoe", { case_sensitive: true }), "JDoe");
  });

  test(`${build}: bad policies throw Errors that say what is wrong`, () => {
    assert.throws(() => um.validate("x", "gitlab"), { name: "Error", message: /unknown policy `gitlab`/ });
    assert.throws(() => um.validate("x", "github-emu"), /shortcode/);
    assert.throws(() => um.validate("x", { max_lenght: 3 }), /unknown policy field `max_lenght`/);
    assert.throws(() => um.validate("x", { min_length: "2" }), /`min_length` must be a number/);
    assert.throws(() => um.validate("x", { min_length: 2.5 }), /whole number from 0 to \d+, not 2.5/);
    assert.throws(() => um.validate("x", { min_length: 5, max_length: 3 }), /max_length/);
    assert.throws(() => um.validate("x", { reserved: ["ok", 3] }), /entry 2 must be a string/);
    assert.throws(() => um.validate("x", 42), /policy must be a preset name/);
    assert.throws(() => um.validate("x", [1]), /policy must be a preset name/);
    assert.equal(um.validate("xy", { min_length: undefined }).valid, true);
  });

  test(`${build}: check adds taken and lookalike warnings`, () => {
    const r = um.check("PayPa1", { taken: ["paypal", "jdoe"], existing: ["paypal"] });
    assert.equal(r.valid, true);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.similarTo]), [["lookalike", "paypal"]]);
    const t = um.check("JDoe", { taken: new Set(["jdoe"]) });
    assert.deepEqual(t.violations.map((v) => [v.code, v.start, v.end]), [["taken", 0, 4]]);
    assert.throws(() => um.check("x", { tkaen: [] }), /unknown option `tkaen`/);
    assert.equal(um.lookalike("rnary", ["mary"]).similarTo, "mary");
    assert.equal(um.lookalike("mary", new Set(["Mary"])), null);
  });

  test(`${build}: suggest takes an array, a Set or a callback`, () => {
    assert.deepEqual(um.suggest("jdoe", ["jdoe"], 3), ["jdoe-2", "jdoe-3", "jdoe-4"]);
    assert.deepEqual(um.suggest("JDoe", new Set(["jdoe", "JDOE-2"]), 2), ["JDoe-3", "JDoe-4"]);
    const asked = [];
    const got = um.suggest("JDoe", (key) => (asked.push(key), key === "jdoe"), 1);
    assert.deepEqual(got, ["JDoe-2"]);
    assert.deepEqual(asked, ["jdoe", "jdoe-2"], "the callback gets canonical keys");
    const person = { text: "j.doe", given: "John", family: "Doe" };
    assert.deepEqual(um.suggest(person, ["jdoe", "john-doe"], 3), ["j-doe", "JohnDoe", "Doe-John"]);
    assert.deepEqual(um.suggest("x", [], 0), []);
  });

  test(`${build}: a failing taken callback is a thrown Error, never free`, () => {
    const boom = new TypeError("directory unreachable");
    const err = assert.throws(
      () => um.suggest("jdoe", () => { throw boom; }, 2),
      (e) => e instanceof Error && /taken callback threw for `jdoe`: directory unreachable/.test(e.message) && e.cause === boom,
    );
    assert.equal(err, undefined);
    assert.throws(() => um.suggest("jdoe", () => "yes", 1), /must return true or false for `jdoe`, not a string/);
    assert.throws(() => um.suggest("jdoe", async () => false, 1), /Promise; it must answer synchronously/);
    assert.throws(() => um.check("jdoe", { taken: () => { throw "down"; } }), /threw for `jdoe`: down/);
    // The module is still usable after every one of those.
    assert.deepEqual(um.suggest("jdoe", () => false, 1), ["jdoe"]);
  });

  test(`${build}: a taken callback may call back into the package`, () => {
    const taken = (key) => key === "jdoe" || !um.validate(key).valid || um.suggest(key, [], 1)[0] !== key;
    assert.deepEqual(um.suggest("jdoe", taken, 2), ["jdoe-2", "jdoe-3"]);
  });

  test(`${build}: bad suggest arguments throw`, () => {
    assert.throws(() => um.suggest("x", [], -1), /`?n`? must be a whole number from 0 to 1000, not -1/);
    assert.throws(() => um.suggest("x", [], 1e9), /not 1000000000/);
    assert.throws(() => um.suggest("x", [], NaN), /not NaN/);
    assert.throws(() => um.suggest("x", [], "3"), /n must be a number, not a string/);
    assert.throws(() => um.suggest("x", 7, 1), /taken must be an array/);
    assert.throws(() => um.suggest("x", [1], 1), /entry 1 must be a string, not a number/);
    assert.throws(() => um.suggest(null, [], 1), /input must be a string or an object/);
    assert.throws(() => um.suggest({ given: "A" }, [], 1), /`text` is missing/);
  });

  test(`${build}: normalize, explain`, () => {
    assert.equal(um.normalize("José Ærøskøbing"), "Jose-AEroskobing");
    assert.equal(um.normalize("john.doe@contoso.com"), "john-doe");
    assert.equal(um.normalize("Anne-Marie O'Neil", { lowercase: true }), "anne-marie-o-neil");
    assert.equal(um.normalize("104233", { policy: "github" }), "104233");
    assert.throws(() => um.normalize("🎉"), { name: "Error", message: /nothing usable/ });
    assert.throws(() => um.normalize("x", { lowercase: 1 }), /`lowercase` must be true or false/);
    assert.equal(um.codes().length, 10);
  });

  test(`${build}: explain`, async () => {
    assert.match(await um.explain("double-dash"), /## Fix/);
    await assert.rejects(async () => um.explain("nope"), {
      name: "Error",
      message: /^unknown rule code `nope`; the codes are: too-short too-long /,
    });
  });

  test(`${build}: hostile input never panics into JavaScript`, () => {
    const inputs = [
      "", "\0", "\uD800", "a\uDFFFb", "\u202E\u200B", "-".repeat(100_000),
      "é".repeat(200_000), "🎉".repeat(50_000), "a_".repeat(100_000), "\r\n\t ",
    ];
    for (const input of inputs) {
      const r = um.validate(input);
      for (const v of r.violations) {
        assert.ok(0 <= v.start && v.start <= v.end && v.end <= input.length, `${v.code} ${v.start}..${v.end}`);
      }
      um.check(input, { taken: [input], existing: [input, "x"] });
      um.suggest(input, (k) => k.length % 2 === 0, 5);
      try { um.normalize(input); } catch (e) { assert.ok(e instanceof Error); }
      um.validate(input, { max_length: 1024, extra_chars: "._@", reserved: [input || "x"] });
    }
    // A lone surrogate crosses as U+FFFD, one unit: the span still indexes the JS string.
    const r = um.validate("ab\uD800c");
    assert.deepEqual(r.violations.map((v) => [v.code, v.start, v.end]), [["invalid-char", 2, 3]]);
    assert.deepEqual(um.validate("jane-doe").valid, true);
  });
}

test("small and full differ only in transliteration", () => {
  assert.equal(full.normalize("王小明"), "Wang-Xiao-Ming");
  assert.deepEqual(full.normalizeDetailed("王小明").review.code, "han");
  assert.throws(() => small.normalize("王小明"), /nothing usable/);
  assert.equal(small.normalize("Łukasz Żółć"), full.normalize("Łukasz Żółć"));
});

test("small: explain loads the full build's texts and messages on demand", async () => {
  const pending = small.explain("too-short");
  assert.ok(pending instanceof Promise);
  for (const code of full.codes()) assert.equal(await small.explain(code), full.explain(code));
  for (const bad of ["", "Too-Short", "toString", "__proto__", "\0"]) {
    const wanted = (() => {
      try {
        full.explain(bad);
      } catch (e) {
        return e.message;
      }
    })();
    await assert.rejects(async () => small.explain(bad), { name: "Error", message: wanted });
  }
});
