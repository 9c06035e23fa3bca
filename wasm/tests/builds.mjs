// The package's Node builds, loaded the way a Node user loads them.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The small build (settings page) and the full build (transliteration). */
export const small = require("../pkg/small/node/usernorm.js");
export const full = require("../pkg/full/node/usernorm.js");
export const builds = { small, full };
/** The Okta build: the full build with the Okta engine, for Okta exports (tests/idp.test.mjs). */
export const okta = require("../pkg/okta/node/usernorm.js");

/** The UTF-16 offset of UTF-8 byte offset `byte` in `text`. */
export function utf16Offset(text, byte) {
  return Buffer.from(text, "utf8").subarray(0, byte).toString("utf8").length;
}

/** A vector file's `policy` as the package takes it. */
export function policyOf(spec) {
  if (spec === undefined) return undefined;
  if (typeof spec === "string" && spec.startsWith("github-emu:")) {
    return { base: "github-emu", shortcode: spec.slice("github-emu:".length) };
  }
  return spec;
}
