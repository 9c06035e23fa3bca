// The CLI's audit of the examples, to compare the browser with: the package must give the same
// records, the page the same counts and the same fixed CSV.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const examples = join(root, "examples");

/** The CLI binary, built (or found up to date) by cargo first: never a stale one. */
export function binary() {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  execFileSync("cargo", ["build", "--quiet", "--locked", "-p", "usernorm-cli"], { cwd: root, stdio: "inherit" });
  return join(target, "debug", "usernorm");
}

/**
 * `usernorm audit FILE --existing MEMBERS [EXTRA...]`: { records, summary, fixed } as the CLI
 * writes them.
 */
export function cliAudit(file, existing, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), "usernorm-cli-"));
  const out = join(dir, "report.jsonl");
  const args = ["audit", file, "--format", "json", "--out", out, "--summary-json", join(dir, "summary.json"),
    "--fixed-out", join(dir, "fixed.csv"), "--no-progress"];
  if (existing) args.push("--existing", existing);
  args.push(...extra);
  try {
    execFileSync(binary(), args, { cwd: root, stdio: ["ignore", "ignore", "ignore"] });
  } catch (e) {
    if (e.status !== 1) throw e; // 1: some rows fail, as the examples mean them to
  }
  return {
    records: readFileSync(out, "utf8").trim().split("\n").map((line) => JSON.parse(line)),
    summary: JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")),
    fixed: readFileSync(join(dir, "fixed.csv"), "utf8"),
  };
}
