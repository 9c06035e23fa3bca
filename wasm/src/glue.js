// The JavaScript side of the glue, one file so that it compresses as one.
//
// The argument readers (args.rs): JavaScript checks the shape of what a caller passed and throws
// the `Error` that says what is wrong; the module gets plain values. The same checks in Rust
// were a sixth of the small build's code and a dozen imports.
//
// The results (lib.rs): `validate` and `check` build theirs from one packed call, warnings and
// normalized names from one call each.
//
// Only `export function`s, which nothing here calls: build.sh turns them into CommonJS exports
// (`exports.f = function f`) for the Node build, and the name `f` is then unbound in the file.

function kind(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : type === "undefined" ? "undefined" : "a " + type;
}

function fail(message) {
  throw new Error(message);
}

/**
 * An options object read strictly: the values of the `known` keys (space-separated), in that
 * order, `undefined` when absent. `undefined` and `null` are no options; unknown keys are errors.
 * (full.js has the full build's copy, `readOptions`.)
 */
function options(object, known) {
  const keys = known.split(" ");
  const values = keys.map(() => undefined);
  if (object === undefined || object === null) return values;
  if (typeof object !== "object" || Array.isArray(object)) {
    fail(`options must be an object, not ${kind(object)}`);
  }
  for (const key of Object.keys(object)) {
    const at = keys.indexOf(key);
    if (at < 0) fail(`unknown option \`${key}\`; the options are ${keys.join(", ")}`);
    values[at] = object[key];
  }
  return values;
}

/** An array or `Set` of strings, as an array. */
export function readNames(what, value) {
  return names(what, value);
}

function names(what, value) {
  let items;
  if (Array.isArray(value)) items = value;
  else if (value instanceof Set) items = Array.from(value);
  else fail(`${what} must be an array or a Set of names, not ${kind(value)}`);
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== "string") {
      fail(`${what}: entry ${i + 1} must be a string, not ${kind(items[i])}`);
    }
  }
  return items;
}

/** A number that must be a whole number from 0 to `max`. */
export function wholeNumber(what, value, max) {
  return whole(what, value, max);
}

function whole(what, value, max) {
  if (typeof value !== "number") fail(`${what} must be a number, not ${kind(value)}`);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    fail(`${what} must be a whole number from 0 to ${max}, not ${value}`);
  }
  return value;
}

/** The fields of a policy object: those of a policy file, in the order messages list them. */
const POLICY_FIELDS = [
  "name", "base", "shortcode", "min_length", "max_length", "extra_chars", "reserved",
  "case_sensitive", "allow_digits_only",
];

/**
 * A policy object read as strictly as a policy file: its fields' values in the order of
 * POLICY_FIELDS, `undefined` when absent, `true` and `false` as 1 and 0 (the module then reads
 * numbers alone). Unknown fields and values of the wrong type are errors that name the field.
 */
function policyFields(object) {
  const values = POLICY_FIELDS.map(() => undefined);
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value === undefined) continue;
    const at = POLICY_FIELDS.indexOf(key);
    if (at < 0) fail(`unknown policy field \`${key}\`; the fields are ${POLICY_FIELDS.join(", ")}`);
    const field = `policy field \`${key}\``;
    if (key === "min_length" || key === "max_length") {
      whole(field, value, 4294967295);
    } else if (key === "case_sensitive" || key === "allow_digits_only") {
      if (typeof value !== "boolean") fail(`${field} must be true or false, not ${kind(value)}`);
      values[at] = value ? 1 : 0;
      continue;
    } else if (key === "reserved") {
      if (!Array.isArray(value)) fail(`${field} must be an array of strings, not ${kind(value)}`);
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== "string") {
          fail(`${field}: entry ${i + 1} must be a string, not ${kind(value[i])}`);
        }
      }
    } else if (typeof value !== "string") {
      fail(`${field} must be a string, not ${kind(value)}`);
    }
    values[at] = value;
  }
  return values;
}

/** The preset names as the policy messages list them (the API tests hold it to `presets()`). */
const PRESETS = "huggingface, github, github-emu";

/**
 * The `policy` argument: `undefined` for the default (`undefined` or `null`), a preset's name,
 * or a policy object's field values (as `readPolicy` reads them). Anything else is an error.
 */
export function readPolicySpec(spec) {
  if (spec === undefined || spec === null) return undefined;
  if (typeof spec === "string") return spec;
  if (typeof spec === "object" && !Array.isArray(spec)) return policyFields(spec);
  fail(`policy must be a preset name (${PRESETS}) or a policy object, not ${kind(spec)}`);
}

/** The options of `check`: [policy, taken, existing]. */
export function readCheckOptions(object) {
  return options(object, "policy taken existing");
}

/** The options of `normalize`: [policy, lowercase], `lowercase` 1 or 0 (true or false). */
export function readNormalizeOptions(object) {
  const [policy, lowercase] = options(object, "policy lowercase");
  if (lowercase !== undefined && typeof lowercase !== "boolean") {
    fail(`option \`lowercase\` must be true or false, not ${kind(lowercase)}`);
  }
  return [policy, lowercase === true ? 1 : 0];
}

/**
 * The `taken` argument: `undefined` when nothing is taken (`undefined` or `null`), the names of
 * an array or a `Set` as an array, or the callback itself. Anything else is an error.
 */
export function readTaken(value) {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) || value instanceof Set) return names("taken", value);
  if (typeof value === "function") return value;
  fail(`taken must be an array of names, a Set of names or a function (key) => boolean, not ${kind(value)}`);
}

/** The input of `suggest`: a string, or `{ text, given?, family? }`; as [text, given, family]. */
export function readPerson(input) {
  if (typeof input === "string") return [input, undefined, undefined];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    fail(`input must be a string or an object { text, given?, family? }, not ${kind(input)}`);
  }
  const values = options(input, "text given family");
  const check = (at, key) => {
    if (values[at] !== undefined && typeof values[at] !== "string") {
      fail(`input field \`${key}\` must be a string, not ${kind(values[at])}`);
    }
  };
  check(0, "text");
  if (values[0] === undefined) fail("input field `text` is missing");
  check(1, "given");
  check(2, "family");
  return values;
}

// The `taken` callback (registry.rs).

/**
 * The callback's answer about `key`: 1 or 0 for `true` or `false`, or the `Error` to throw when
 * it threw (its exception the `cause`) or answered something else.
 */
export function askTaken(callback, key) {
  try {
    const answer = callback(key);
    if (typeof answer === "boolean") return answer ? 1 : 0;
    const what = answer instanceof Promise ? "a Promise; it must answer synchronously" : kind(answer);
    return new Error(`the taken callback must return true or false for \`${key}\`, not ${what}`);
  } catch (thrown) {
    const message = thrown instanceof Error && typeof thrown.message === "string"
      ? thrown.message
      : typeof thrown === "string" ? thrown : kind(thrown);
    const error = new Error(`the taken callback threw for \`${key}\`: ${message}`);
    error.cause = thrown;
    return error;
  }
}

// Results.

let codes = [];
export function setCodes(all) {
  codes = all;
}
export function validationResult(valid, numbers, messages, warnings) {
  const violations = [];
  for (let i = 0, at = 0; i < numbers.length; i += 4) {
    const next = at + numbers[i + 3];
    violations.push({ code: codes[numbers[i]], message: messages.slice(at, next), start: numbers[i + 1], end: numbers[i + 2] });
    at = next;
  }
  return { valid, violations, warnings: warnings === undefined ? [] : warnings };
}
export function validResult(warnings) {
  return { valid: true, violations: [], warnings: warnings === undefined ? [] : warnings };
}
export function warningObject(code, message, similarTo) {
  return { code, message, similarTo };
}
export function normalizedObject(name, code, message) {
  return { name, review: code === undefined ? null : { code, message } };
}
