//! `audit`: the pre-provisioning audit of a directory export, in the browser (full build only).

use usernorm::audit::{Audit, Column, HuggingFaceMapping, Progress, Record, UsernameSource};
use usernorm::{LookalikeIndex, OrgSnapshot};
use wasm_bindgen::prelude::*;

use crate::args::type_name;
use crate::idp::{Provider, text};
use crate::js::{Array, Function, json_parse};
use crate::policy::with_policy;
use crate::{Options, error, org};

#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    /// The bytes of a `Uint8Array`; `None` for a string; throws for anything else.
    #[wasm_bindgen(catch, js_name = csvBytes)]
    fn csv_bytes(csv: &JsValue) -> Result<Option<Vec<u8>>, JsValue>;
    /// An `AuditProgress`.
    #[wasm_bindgen(js_name = progressObject)]
    fn progress_object(phase: &str, rows: f64, bytes: f64) -> JsValue;
    /// Pushes the items of the array `records` onto the array `all`.
    #[wasm_bindgen(js_name = appendAll)]
    fn append_all(all: &Array, records: &JsValue);
    /// An `AuditReport`, from the summary's JSON. (A `&str` makes this import go through a
    /// shim, as all but one of this file's do: wasm-bindgen declares a module once for each run
    /// of direct imports, and esbuild warns of the repeated key.)
    #[wasm_bindgen(js_name = auditReport)]
    fn audit_report(summary: &str, records: &Array) -> JsValue;
}

/// Records are handed to JavaScript in batches of this many.
const BATCH: usize = 1024;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
/** Options of {@link audit}. */
export interface AuditOptions {
  /** The policy; default `"huggingface"`. */
  policy?: PolicySpec;
  /**
   * The org's existing members by name only: their names are `taken`, and names that read like
   * them get lookalike warnings. No identities, so no row matches a member (every enabled row
   * is a create). Give `members` instead to predict the plan.
   */
  existing?: readonly string[] | ReadonlySet<string>;
  /**
   * The org's members with their identities, for the provisioning plan (which row matches
   * which member, and what the identity provider does with it): a members file's text, as
   * `usernorm audit --existing` reads it (a CSV with `userName` and, when present,
   * `externalId` and `active`; or a plain list of names, which carries no identities), or
   * member objects (like a JSON members file: identities). JSON text is not read: parse it and
   * pass its users as objects. Not with `existing`.
   */
  members?: string | readonly Member[];
  /**
   * The identity provider the export comes from; default: told from the file, as
   * `usernorm audit` tells it (Google's Download users header; Okta's Users API JSON, or a CSV
   * whose header has Okta's profile variable `login` and none of Entra's columns; else Entra).
   * The summary's `plan.chosen` says which way it went. An Okta export, told or given, is
   * audited by the package's Okta build (`usernorm/okta`) only: the full build's `audit` throws
   * an Error that names it (the Okta engine does not fit the full build's size budget).
   */
  idp?: Idp;
  /** Take each row's username from this column instead of a mapping. */
  column?: string;
  /**
   * How each row's username is made, in the provider's language.
   * - Entra: an attribute-mapping expression; default Hugging Face's recommended mapping,
   *   `Replace([mailNickname], ".", "", "", "", "", "")`.
   * - Okta (the Okta build): an Okta Expression Language expression or a built-in username
   *   format ({@link OktaFormat}); default `"okta-username"` (`user.login`). A
   *   Java-regular-expression reading (`String.replace` with a pattern, `matches`) cannot be
   *   evaluated in this build: a row that depends on it fails with a message saying so, never
   *   another answer.
   * - Google: the field the app's userName is mapped to; default `"Email Address"`.
   *
   * Okta and Google rows also get a readable, unique suggestion (from first and last name,
   * else the login's local part) for everyone not yet provisioned.
   */
  mapping?: string;
  /** Called now and then: while reading rows (`phase: "read"`), then while making records (`phase: "records"`). */
  onProgress?: (progress: AuditProgress) => void;
  /**
   * Receives the records in batches, in row order, instead of the report's `records` array
   * (which is then empty): for exports too large to hold as one array.
   */
  onRecords?: (records: AuditRecord[]) => void;
}

/** An identity provider: Microsoft Entra ID, Okta (audited by the Okta build, `usernorm/okta`), Google Workspace. */
export type Idp = "entra" | "okta" | "google";

/** Okta's built-in username formats, by the names `usernorm audit --mapping` takes (the Okta build). */
export type OktaFormat =
  | "okta-username"
  | "okta-username-prefix"
  | "email"
  | "email-lowercase"
  | "email-prefix"
  | "hf-okta-id";

/** A member of the org, as a SCIM endpoint lists it. */
export interface Member {
  userName: string;
  /** The `externalId` the identity provider set (Entra: the user's objectId); none for someone who joined by SSO login before SCIM. */
  externalId?: string | null;
  /** Whether the member is active, where known. */
  active?: boolean | null;
}

/** What the identity provider would do with a row in its next cycle. */
export type AuditAction = "create" | "update" | "rename" | "disable" | "skip";

/** How far an audit has got. */
export interface AuditProgress {
  phase: "read" | "records";
  /** Rows read, or records made, so far. */
  rows: number;
  /** Bytes of input read so far (`read` phase). */
  bytes: number;
}

/** One row's result: the same record as a line of `usernorm audit --format json`. */
export interface AuditRecord {
  /** The 1-based data row (the header is not a row). */
  row: number;
  /** The 1-based line of the file the row starts on (for Okta's Users API JSON, the line its user object starts on). */
  line: number;
  /** The row's `id`/`objectId`, else `externalId`, else its first field. */
  id: string;
  /** The username the mapping gives (empty when it gave none). */
  username: string;
  /** What provisioning would do; `skipped` for a row the identity provider leaves alone (`action` `skip`). */
  status: "ok" | "invalid" | "duplicate" | "taken" | "error" | "skipped";
  /** The rule codes the row fails. */
  codes: RuleCode[];
  /** What is wrong and how to fix it; empty for an ok row. */
  message: string;
  /** A valid username free across the org and the export, for a row that is not ok. */
  suggestion: string | null;
  /** Other rows whose usernames have the same canonical key (at most 20). */
  collides_with: number[];
  /**
   * Lookalike warnings against existing members and earlier rows; a rename's warning that the
   * profile URL changes (`similar_to` is the current name); a matched member that keeps its
   * name because userName applies only on creation.
   */
  warnings: { code: "lookalike" | "rename" | "name-kept"; message: string; similar_to: string }[];
  /** What the identity provider would do with the row. */
  action: AuditAction;
  /** The userName of the member the row matches; empty when it matches none. */
  current_username: string;
}

/** The provisioning plan in figures. */
export interface PlanSummary {
  /** The identity provider the plan is for (`"Entra"`, `"Okta"`, `"Google"`). */
  provider: string;
  /** How the provider was chosen: `"given with the idp option"`, `"detected: ..."`, or `"the default"`. */
  chosen: string | null;
  /** How rows are matched to members, in words (it starts with `off:` when they cannot be). */
  matching: string;
  /** Whether rows were matched by identity (the members carry externalIds). */
  matched_by_id: boolean;
  /** Rows per action. */
  actions: Record<AuditAction, number>;
  /** Rows whose name a member's rename in the same cycle frees: `taken`, the outcome a matter of the provider's order. */
  conflicts: number;
  /** Members no row matches, in the order given. */
  absent: { user_name: string; external_id: string | null; active: boolean | null }[];
  /** Warnings about the org (members sharing an externalId) and, for Okta, names only its case- and diacritic-insensitive rule makes one. */
  warnings: string[];
}

/** The audit in figures: the same object as `usernorm audit --summary-json` writes. */
export interface AuditSummary {
  rows: number;
  statuses: { ok: number; invalid: number; taken: number; duplicate: number; error: number; skipped: number };
  /** Rows per rule code, in rule order; codes with no rows left out. */
  codes: { code: RuleCode; rows: number }[];
  collisions: { names: number; rows: number };
  lookalikes: number;
  /** Rows that are not ok and got no suggestion. */
  unfixable: number;
  mapping: string;
  mapping_note: string | null;
  /** Set when the mapping is not reproducible (it calls Guid, RandomString or Now). */
  mapping_warning: string | null;
  encoding: string;
  delimiter: string;
  columns: string[];
  seconds: number | null;
  /** The provisioning plan: rows by action, matching, members the export leaves out. */
  plan: PlanSummary;
}

/** The result of {@link audit}. */
export interface AuditReport {
  summary: AuditSummary;
  /** One record per input row, in input order; empty when `onRecords` took them. */
  records: AuditRecord[];
}
"#;

/// Audits a directory export (CSV text, or its bytes: UTF-8 with or without a byte-order mark,
/// UTF-16 with one; `,`, `;` or tab; from Entra, Google or, in the Okta build
/// (`usernorm/okta`), Okta (also its Users API JSON), given by `idp` or told from the file):
/// each row's username from the mapping, checked against
/// the policy, the existing members and the other rows, with a unique fix for every row that
/// would fail, and the provisioning plan: with `members`, which member each row matches and
/// what the identity provider would do (create, update, rename, disable, skip). Nothing leaves
/// the page: the work is done here, synchronously; run it in a Web
/// Worker for large files.
///
/// @throws {Error} when the file has no header or lacks a column the mapping needs, when it is
/// an Okta export and this is not the Okta build (the message names `usernorm/okta`), when
/// Okta's Users API JSON cannot be read, when the
/// mapping does not parse, when the members cannot be read, or when an option is
/// invalid. A bad row is never an error: it is a
/// record with status `error`.
#[wasm_bindgen(unchecked_return_type = "AuditReport")]
pub fn audit(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] csv: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = input_bytes(&csv)?;
    let options = Options::read(
        &options,
        &[
            "policy",
            "idp",
            "existing",
            "members",
            "column",
            "mapping",
            "onProgress",
            "onRecords",
        ],
    )?;
    let on_progress = function(&options, "onProgress")?;
    let on_records = function(&options, "onRecords")?;
    let (provider, bytes) = Provider::choose(&options, bytes)?;
    let mut source = match provider.source(&options)? {
        Some(source) => source,
        None => username_source(&options)?,
    };
    let note = provider.note(&options)?;
    let members = org::members(&options)?;
    with_policy(options.get("policy").as_ref(), |policy| {
        let org = OrgSnapshot::new(policy, members);
        let plan = provider.plan(&org);
        let readable = match provider.readable() {
            true => usernorm::idp::readable_names(policy, &org, boxed(bytes.clone()))
                .map_err(|e| error(&e.to_string()))?,
            false => Vec::new(),
        };
        let mut lookalikes = LookalikeIndex::new(policy);
        for member in org.members() {
            lookalikes.insert(&member.user_name);
        }
        let progress = |p: Progress| {
            if let Some(f) = &on_progress {
                let _ = f.call1(
                    &JsValue::UNDEFINED,
                    &progress_object("read", p.rows as f64, p.bytes as f64),
                );
            }
        };
        #[allow(unused_mut)] // the Okta build sets the JSON's lines
        let mut audit = Audit::new(policy, &org)
            .plan(&plan)
            .threads(false)
            .lookalikes(&lookalikes)
            .progress(&progress);
        #[cfg(feature = "okta")]
        if let Some(lines) = &provider.lines {
            audit = audit.source_lines(lines);
        }
        let mut checked = audit
            .run(boxed(bytes), source.as_mut())
            .map_err(|e| error(&e.to_string()))?;

        let all = Array::new();
        let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
        let mut made: u64 = 0;
        let flush = |batch: &mut Vec<Record>, made: u64| -> Result<(), JsValue> {
            let records = to_js(batch)?;
            batch.clear();
            match &on_records {
                Some(f) => {
                    f.call1(&JsValue::UNDEFINED, &records)?;
                }
                None => append_all(&all, &records),
            }
            if let Some(f) = &on_progress {
                f.call1(
                    &JsValue::UNDEFINED,
                    &progress_object("records", made as f64, 0.0),
                )?;
            }
            Ok(())
        };
        #[cfg(feature = "okta")]
        let mut mapped: Vec<(u64, String)> = Vec::new();
        for record in checked.records() {
            let mut record = record.map_err(|e| error(&e.to_string()))?;
            usernorm::idp::suggest_readable(&mut record, &readable);
            #[cfg(feature = "okta")]
            if provider.idp == usernorm::idp::Idp::Okta {
                mapped.push((record.row, record.username.clone()));
            }
            batch.push(record);
            made += 1;
            if batch.len() == BATCH {
                flush(&mut batch, made)?;
            }
        }
        if !batch.is_empty() {
            flush(&mut batch, made)?;
        }
        let mut summary = checked.summary().clone();
        summary.plan.chosen = Some(provider.chosen.to_owned());
        #[cfg(feature = "okta")]
        (summary.plan.warnings).extend(usernorm::idp::okta_login_collisions(policy, &mapped));
        if let Some(note) = note {
            summary.mapping_note = Some(match summary.mapping_note.take() {
                Some(first) => format!("{first}; {note}"),
                None => note,
            });
        }
        Ok(audit_report(&json(&summary)?, &all))
    })
}

/// The export with one more column holding each row's final username (`finals[i]` for data
/// row `i + 1`: its own name when ok, else the suggestion; `null` leaves the field empty), named
/// `column` (default `usernorm_username`, as the CLI's `--fixed-column`), as
/// UTF-8 CSV with the input's delimiter. Row `n` of the output is record `n` of the audit.
///
/// @throws {Error} when the input is empty or an argument is invalid.
#[wasm_bindgen(js_name = fixedCsv)]
pub fn fixed_csv(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] csv: JsValue,
    #[wasm_bindgen(unchecked_param_type = "readonly (string | null | undefined)[]")]
    finals: JsValue,
    column: Option<String>,
) -> Result<String, JsValue> {
    let bytes = input_bytes(&csv)?;
    if !Array::is_array(&finals) {
        return Err(error(&format!(
            "finals must be an array of names, not {}",
            type_name(&finals)
        )));
    }
    let finals: &Array = finals.unchecked_ref();
    let finals: Vec<Option<String>> = (0..finals.length())
        .map(|at| finals.get(at).as_string())
        .collect();
    let mut out = Vec::new();
    let column = column.as_deref().unwrap_or("usernorm_username");
    usernorm::audit::write_fixed(boxed(bytes), &mut out, column, finals)
        .map_err(|e| error(&e.to_string()))?;
    String::from_utf8(out).map_err(|_| error("the fixed CSV is not UTF-8"))
}

/// Reads a list of existing members: one name per line, or a CSV with a header, taking
/// `column` (or a `userName` column, any case), as `usernorm audit --existing` does.
///
/// @throws {Error} for a CSV without the column (`column`, else `userName`) or with it twice,
/// listing the columns found, and for a line, record or field over the size limits, with the
/// line.
#[wasm_bindgen(js_name = parseExisting, unchecked_return_type = "string[]")]
pub fn parse_existing(text: &str, column: Option<String>) -> Result<Array, JsValue> {
    let names = usernorm::parse_existing(text.as_bytes(), column.as_deref())
        .map_err(|e| error(&e.to_string()))?;
    Ok(Array::of_strings(names.iter().map(String::as_str)))
}

/// The input as the reader type the core already reads internally (it boxes what it chains),
/// so that the audit's generic reading code is compiled once, not also for a `Cursor` (some
/// 0.3 KB gzipped).
fn boxed(bytes: Vec<u8>) -> Box<dyn std::io::Read + Send> {
    Box::new(std::io::Cursor::new(bytes))
}

pub(crate) fn input_bytes(csv: &JsValue) -> Result<Vec<u8>, JsValue> {
    match csv_bytes(csv)? {
        Some(bytes) => Ok(bytes),
        None => Ok(csv.as_string().unwrap_or_default().into_bytes()),
    }
}

fn function(options: &Options, key: &str) -> Result<Option<Function>, JsValue> {
    match options.get(key) {
        None => Ok(None),
        Some(v) if v.is_function() => Ok(Some(v.unchecked_into())),
        Some(v) => Err(error(&format!(
            "option `{key}` must be a function, not {}",
            type_name(&v)
        ))),
    }
}

/// Entra's username source: `column`, else `mapping` (an Entra expression), else Hugging
/// Face's recommended mapping.
fn username_source(options: &Options) -> Result<Box<dyn UsernameSource>, JsValue> {
    match (text(options, "column")?, text(options, "mapping")?) {
        (Some(_), Some(_)) => Err(error("give either `column` or `mapping`, not both")),
        (Some(column), None) => Ok(Box::new(Column::new(column))),
        (None, None) => Ok(Box::new(HuggingFaceMapping::default())),
        (None, Some(expr)) => {
            // As the CLI does: the recommended mapping, however spaced, takes its fast path.
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            if squeeze(&expr) == squeeze(HuggingFaceMapping::EXPRESSION) {
                return Ok(Box::new(HuggingFaceMapping::default()));
            }
            // `EntraMapping`, with the patterns on JavaScript's `RegExp`.
            crate::regexp::parse(&expr)
                .map(usernorm::audit::EntraMapping::from_expression)
                .map(|m| Box::new(m) as Box<dyn UsernameSource>)
                .map_err(|e| error(&format!("mapping: {e}")))
        }
    }
}

/// A value as JavaScript sees its JSON: the CLI's JSON, field for field.
fn to_js(value: &impl serde::Serialize) -> Result<JsValue, JsValue> {
    json_parse(&json(value)?)
}

/// A value's JSON: the CLI's, field for field.
fn json(value: &impl serde::Serialize) -> Result<String, JsValue> {
    // Writing these records and summaries to a string cannot fail (string keys, no I/O); the
    // error's own text would link serde_json's messages for every parse error (about 1 KB).
    serde_json::to_string(value).map_err(|_| error("the result could not be written as JSON"))
}
