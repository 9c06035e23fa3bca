// The small build's `explain`, which build.sh appends to the small build's glue (usernorm.js).
// The rules' documentation stays out of the small module: build.sh writes it to a file of its
// own, explanations.js, from the full build's `explain` (the doc comments of the core's rules,
// src/rules/), and this loads that file when a page first asks.

let explanations;

/**
 * A rule's documentation (Markdown), as the full build's `explain` and `usernorm explain CODE`
 * give it; loaded from the package's explanations.js on the first call.
 */
export async function explain(code) {
  explanations ??= (await import("./explanations.js")).default;
  const { docs, unknown } = explanations;
  if (typeof code === "string" && Object.hasOwn(docs, code)) return docs[code];
  throw new Error(unknown[0] + String(code) + unknown[1]);
}
