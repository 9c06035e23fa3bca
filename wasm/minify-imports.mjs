// Shortens the names under which a wasm-bindgen module imports its JavaScript functions
// (`__wbg_validationResult_af83661f72b8a883` becomes `b`), in the module and in its glue,
// which both carry each name once; the hashes in them hardly compress. Run by build.sh on each
// output directory, after wasm-opt:
//
//     node minify-imports.mjs pkg/small/web
//
// Only names wasm-bindgen generated with a hash are renamed, in the module's import section
// and as whole words in usernorm.js.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const wasmPath = join(dir, "usernorm_bg.wasm");
const gluePath = join(dir, "usernorm.js");
const wasm = readFileSync(wasmPath);
const generated = /^__wbg_[A-Za-z0-9_$]*_[0-9a-f]{16}$/;

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
function encodeLeb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}
function name(bytes, at) {
  const [length, start] = leb(bytes, at);
  return [bytes.subarray(start, start + length).toString("utf8"), start + length];
}
function encodeName(text) {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([encodeLeb(bytes.length), bytes]);
}
function limits(bytes, at) {
  const flags = bytes[at++];
  [, at] = leb(bytes, at);
  if (flags & 1) [, at] = leb(bytes, at);
  return at;
}
/** The end of an import's description starting at `at`. */
function description(bytes, at) {
  const kind = bytes[at++];
  switch (kind) {
    case 0: // function: type index
      return leb(bytes, at)[1];
    case 1: // table: reference type, limits
      return limits(bytes, at + 1);
    case 2: // memory: limits
      return limits(bytes, at);
    case 3: // global: value type, mutability
      return at + 2;
    case 4: // tag: attribute, type index
      return leb(bytes, at + 1)[1];
    default:
      throw new Error(`minify-imports: unknown import kind ${kind}`);
  }
}

/** Short names: a, b, ..., z, A, ..., Z, aa, ab, ... */
function short(index) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let text = "";
  do {
    text = letters[index % letters.length] + text;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return text;
}

const renamed = new Map();
const parts = [wasm.subarray(0, 8)];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = leb(wasm, at + 1);
  const end = start + size;
  if (id !== 2) {
    parts.push(wasm.subarray(at, end));
  } else {
    const [count, first] = leb(wasm, start);
    const body = [encodeLeb(count)];
    let p = first;
    for (let i = 0; i < count; i++) {
      let module, field;
      [module, p] = name(wasm, p);
      [field, p] = name(wasm, p);
      const descStart = p;
      p = description(wasm, p);
      if (generated.test(field)) {
        if (!renamed.has(field)) renamed.set(field, short(renamed.size));
        field = renamed.get(field);
      }
      body.push(encodeName(module), encodeName(field), wasm.subarray(descStart, p));
    }
    if (p !== end) throw new Error("minify-imports: the import section did not parse");
    const contents = Buffer.concat(body);
    parts.push(Buffer.from([2]), encodeLeb(contents.length), contents);
  }
  at = end;
}

let glue = readFileSync(gluePath, "utf8");
for (const [long, brief] of renamed) {
  const pattern = new RegExp(`\\b${long.replace(/\$/g, "\\$")}\\b`, "g");
  const found = glue.match(pattern)?.length ?? 0;
  if (found !== 1) throw new Error(`minify-imports: ${long} is in usernorm.js ${found} times, not once`);
  // Names that are neither in use as a key nor a JavaScript word: one or two letters.
  glue = glue.replace(pattern, brief);
}
writeFileSync(wasmPath, Buffer.concat(parts));
writeFileSync(gluePath, glue);
