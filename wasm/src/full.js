// The JavaScript side of the full build's glue (audit.rs, entra.rs, regexp.rs), apart from
// glue.js so that the small build does not carry it. As in glue.js: JavaScript checks the shape
// of what a caller passed and builds the result objects; the module gets and gives plain values.
//
// Only `export function`s, which nothing here calls (build.sh turns them into CommonJS exports
// for the Node build).

function kind(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : type === "undefined" ? "undefined" : "a " + type;
}

/** What a value is, for messages: `a string`, `an array`, `null`... */
export function typeName(value) {
  return kind(value);
}

/**
 * An options object read strictly, as glue.js reads `check`'s and `normalize`'s: the values of
 * the `known` keys (space-separated), in that order, `undefined` when absent. `undefined` and
 * `null` are no options; unknown keys are errors.
 */
export function readOptions(object, known) {
  const keys = known.split(" ");
  const values = keys.map(() => undefined);
  if (object === undefined || object === null) return values;
  if (typeof object !== "object" || Array.isArray(object)) {
    throw new Error(`options must be an object, not ${kind(object)}`);
  }
  for (const key of Object.keys(object)) {
    const at = keys.indexOf(key);
    if (at < 0) throw new Error(`unknown option \`${key}\`; the options are ${keys.join(", ")}`);
    values[at] = object[key];
  }
  return values;
}

// `audit` (audit.rs).

/** The bytes of a `Uint8Array` input; `undefined` for a string, which the module reads itself. */
export function csvBytes(csv) {
  if (typeof csv === "string") return undefined;
  if (csv instanceof Uint8Array) return csv;
  throw new Error(`csv must be a string or a Uint8Array, not ${kind(csv)}`);
}
/**
 * The `members` option: `undefined` for a members file's text, which the module reads; for an
 * array of member objects, `[userName, externalId, active, ...]` (trimmed, an empty
 * `externalId` none, `active` 1, 0 or `undefined`), as the module reads a JSON members file.
 */
export function readMembers(members) {
  if (typeof members === "string") return undefined;
  if (!Array.isArray(members)) {
    throw new Error(
      "option `members` must be a members file's text or an array of " +
        `{ userName, externalId?, active? }, not ${kind(members)}`,
    );
  }
  const out = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[i], at = `members[${i}]`;
    if (m === null || typeof m !== "object" || Array.isArray(m)) {
      throw new Error(`${at} must be an object with a userName, not ${kind(m)}`);
    }
    const { userName, externalId, active } = m;
    if (typeof userName !== "string" || userName.trim() === "") {
      throw new Error(`${at}: \`userName\` must be a non-empty string, not ${userName === undefined || typeof userName !== "string" ? kind(userName) : "a blank one"}`);
    }
    if (externalId != null && typeof externalId !== "string") {
      throw new Error(`${at}: \`externalId\` must be a string or null, not ${kind(externalId)}`);
    }
    if (active != null && typeof active !== "boolean") {
      throw new Error(`${at}: \`active\` must be a boolean or null, not ${kind(active)}`);
    }
    const id = externalId == null ? "" : externalId.trim();
    out.push(userName.trim(), id === "" ? undefined : id, active == null ? undefined : +active);
  }
  return out;
}
export function progressObject(phase, rows, bytes) {
  return { phase, rows, bytes };
}
export function appendAll(all, records) {
  for (let i = 0; i < records.length; i++) all.push(records[i]);
}
export function auditReport(summary, records) {
  return { summary: JSON.parse(summary), records };
}

// `evaluate` (entra.rs).

/**
 * A row of attributes read strictly: `[name, value, name, value, ...]`, each value a string or
 * an array of strings; `null` and `undefined` values left out.
 */
export function readAttributes(attributes) {
  const out = [];
  if (attributes === undefined || attributes === null) return out;
  if (typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new Error(`attributes must be an object of attribute values, not ${kind(attributes)}`);
  }
  for (const name of Object.keys(attributes)) {
    const value = attributes[name];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== "string") {
          throw new Error(`attribute \`${name}\`: value ${i + 1} must be a string, not ${kind(value[i])}`);
        }
      }
    } else if (typeof value !== "string") {
      throw new Error(
        `attribute \`${name}\` must be a string, an array of strings or null, not ${kind(value)}`,
      );
    }
    out.push(name, value);
  }
  return out;
}
export function evaluation(value, reproducible, ignored) {
  return { value, reproducible, ignored };
}
export function locatedError(message, start, end) {
  const error = new Error(message);
  error.start = start;
  error.end = end;
  return error;
}

// Entra's patterns on `RegExp` (regexp.rs).

export function compileRegExp(source, flags) {
  try {
    return new RegExp(source, flags + "gd");
  } catch (e) {
    // V8 says "Invalid regular expression: /(/dgv: Unterminated group": keep the reason.
    throw new Error(String(e.message).replace(/^.*: /s, ""));
  }
}
export function execRegExp(re, haystack, start) {
  let m;
  for (;;) {
    re.lastIndex = start;
    m = re.exec(haystack);
    if (m === null) return undefined;
    // V8 tries an empty match between the two halves of a surrogate pair: not a place in the
    // text. Search again from the next character.
    const at = m.index, unit = haystack.charCodeAt(at);
    if (at === 0 || unit < 0xdc00 || unit > 0xdfff || (haystack.charCodeAt(at - 1) & 0xfc00) !== 0xd800) break;
    start = at + 1;
  }
  const spans = m.indices, out = new Int32Array(spans.length * 2);
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    out[2 * i] = s === undefined ? -1 : s[0];
    out[2 * i + 1] = s === undefined ? -1 : s[1];
  }
  return out;
}
/** What a `RegExp` threw, for a message. */
export function thrownText(thrown) {
  return thrown instanceof Error ? String(thrown.message) : String(thrown);
}

export function detectedIdp(idp, how) {
  return { idp, how };
}
