// How a TypeScript user calls the package; `tsc --strict` must accept it (tests/types.test.mjs).
import init, { validate, check, suggest, normalize, explain, lookalike, evaluate, audit, fixedCsv, detectIdp } from "../../pkg/full/web/usernorm.js";
import * as small from "../../pkg/small/web/usernorm.js";
import * as okta from "../../pkg/okta/web/usernorm.js";
import type { ValidationResult, Violation, RuleCode, PolicySpec, AuditRecord, AuditAction, Member, Evaluation, Idp, OktaFormat, DetectedIdp } from "../../pkg/full/web/usernorm.js";

export async function demo(): Promise<string[]> {
  await init();
  const result: ValidationResult = validate("jean--luc_");
  const first: Violation | undefined = result.violations[0];
  const code: RuleCode | undefined = first?.code;
  const offending: string = first ? "jean--luc_".slice(first.start, first.end) : "";
  const github: PolicySpec = "github";
  const custom: PolicySpec = { base: "github-emu", shortcode: "acme", reserved: ["admin"] };
  validate("x", github);
  validate("x", custom);
  check("jdoe", { taken: new Set(["jdoe"]), existing: ["paypal"] });
  const fixes: string[] = suggest({ text: "j.doe", given: "John" }, (key: string) => key === "jdoe", 3);
  suggest("jdoe", ["jdoe"], 1, "github");
  normalize("José", { lowercase: true });
  explain("double-dash");
  // The small build loads the texts when first asked: a promise.
  const doc: string = await small.explain("double-dash");
  const similar: string | undefined = lookalike("paypa1", ["paypal"])?.similarTo;
  const evaluation: Evaluation = evaluate("[mailNickname]", { mailNickname: "jdoe", proxyAddresses: ["a", "b"] });
  const report = audit("id,mailNickname\n1,jdoe\n", { onProgress: (p) => void p.rows });
  const records: AuditRecord[] = report.records;
  const finals = records.map((r) => (r.status === "ok" ? r.username : r.suggestion));
  fixedCsv("id,mailNickname\n1,jdoe\n", finals);
  // The provisioning plan: members with identities, as objects or a members file's text.
  const members: Member[] = [{ userName: "jdoe", externalId: "1", active: true }, { userName: "asmith" }];
  const plan = audit("id,mailNickname\n1,jdoe\n", { members });
  const action: AuditAction = plan.records[0].action;
  const current: string = plan.records[0].current_username;
  audit("id,mailNickname\n1,jdoe\n", { members: "userName,externalId\njdoe,1\n" });
  const planned: number = plan.summary.plan.actions.create + plan.summary.plan.absent.length;
  // Google: the provider given or told from the file, the field the mapping points at.
  const idp: Idp = "google";
  const google = audit("Email Address [Required],Employee ID\n", { idp, mapping: "Employee ID" });
  const chosen: string | null = google.summary.plan.chosen;
  // Okta: the Okta build, loaded when detectIdp tells an Okta export; a built-in format by name.
  const json = '[{"id": "00u1", "profile": {"login": "a@x.org"}}]';
  const detected: DetectedIdp = detectIdp(json);
  const format: OktaFormat = "email-prefix";
  if (detected.idp === "okta") {
    await okta.default();
    okta.audit(json, { idp: detected.idp, mapping: format });
  }
  return [...fixes, doc, offending, String(code), String(similar), String(evaluation.value), String(report.summary.statuses.ok), action, current, String(planned), String(chosen)];
}

// <usernorm-field>: the element's properties and event are typed.
import { load, type UsernormField, type FieldCheck } from "../../pkg/field.js";

export async function field(): Promise<boolean> {
  await load();
  const el: UsernormField | null = document.querySelector("usernorm-field");
  const created: UsernormField = document.createElement("usernorm-field");
  created.taken = new Set(["jdoe"]);
  created.policy = { base: "github-emu", shortcode: "acme" };
  created.available = async (name: string, { signal }: { signal: AbortSignal }) => !signal.aborted && name !== "jdoe";
  created.addEventListener("usernorm-check", (e: CustomEvent<FieldCheck>) => void e.detail.violations.length);
  return (el?.checkValidity() ?? false) && created.validity.valid;
}
