//! WebAssembly front end of usernorm: the glue between JavaScript and the core.
//!
//! # Overview
//!
//! This crate is what `wasm/build.sh` compiles into the npm package. It holds no rule
//! logic: every function reads its JavaScript arguments into core types, calls the core once and
//! turns the result into plain JavaScript objects. Spans become UTF-16 offsets, so
//! `name.slice(start, end)` is the offending text. Bad input comes back as data (a result with
//! violations) or as a thrown `Error` with a message; nothing panics into JavaScript.
//!
//! The TypeScript declarations of the package come from the doc comments here and from the
//! `typescript_custom_section` blocks next to the functions (`lib.rs`, `entra.rs`, `audit.rs`).
//!
//! # Crate features
//!
//! * `small`: the settings-page build. `validate`, `check`, `explain`, `lookalike`, `suggest`
//!   and a `normalize` that folds Latin letters and drops other scripts. No transliteration
//!   table, no regular expressions. Its
//!   `explain` is JavaScript (`explain.js`, appended by `build.sh`) that loads the rules'
//!   documentation, generated from the full build's, on the first call.
//! * `full`: the same functions with transliteration of every script, `evaluate` (Entra
//!   attribute-mapping expressions, whose regular expressions run on JavaScript's `RegExp`:
//!   `regexp.rs`), and `audit` of a directory export with the provisioning plan (the members it
//!   predicts against: `org.rs`), `fixedCsv`, `parseExisting` and `detectIdp`; their
//!   JavaScript side is `full.js`. An Okta export is refused (`idp.rs`).
//! * `okta`: `full` with the Okta engine (the core's `okta`, without its regex crate): `audit`
//!   reads Okta's Users API JSON and profile CSV. A build of its own, loaded on demand, so
//!   the full build stays within its size budget.
//!
//! Neither build links `js-sys`: `js.rs` declares the few built-ins used, and what needs more
//! is shaped in JavaScript (`glue.js`, `full.js`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod args;
#[cfg(feature = "full")]
mod audit;
#[cfg(feature = "full")]
mod entra;
#[cfg(feature = "full")]
mod idp;
mod js;
mod offsets;
#[cfg(feature = "full")]
mod org;
mod policy;
#[cfg(feature = "full")]
mod regexp;
mod registry;

#[cfg(feature = "full")]
pub use audit::{audit, fixed_csv, parse_existing};
#[cfg(feature = "full")]
pub use entra::evaluate;
#[cfg(feature = "full")]
pub use idp::detect_idp;

/// The small build's allocator: a free list of a few hundred bytes of code instead of dlmalloc's
/// several kilobytes. Names are short and results are freed right away, so its simple search of
/// the free list costs nothing measurable. The full build, which audits large files, keeps the
/// standard allocator.
#[cfg(all(feature = "small", not(feature = "full"), target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use js::Array;
use usernorm::{
    Code, NormalizeOptions, PRESETS, Policy, Report, Review, SuggestInput, lookalike_in,
};
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
pub(crate) use args::Options;
pub(crate) use args::name_list;
use args::whole_number;
use offsets::Utf16Offsets;
use policy::with_policy;
use registry::Taken;

/// The TypeScript types of the package's arguments and results.
#[wasm_bindgen(typescript_custom_section)]
pub const TYPESCRIPT: &str = r#"
/** A rule's stable code, as `usernorm explain` lists them. */
export type RuleCode =
  | "too-short" | "too-long" | "invalid-char" | "double-dash" | "leading-dash"
  | "trailing-dash" | "digits-only" | "reserved" | "taken" | "duplicate";

/** One rule a name breaks. `name.slice(start, end)` is the offending text. */
export interface Violation {
  /** The rule's stable code. */
  code: RuleCode;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
  /** Start of the offending text, in UTF-16 code units (a JavaScript string index). */
  start: number;
  /** End of the offending text (exclusive), in UTF-16 code units. */
  end: number;
}

/** A name that reads like an existing one (`paypa1` next to `paypal`): a warning, not a violation. */
export interface Warning {
  /** Always `"lookalike"`. */
  code: "lookalike";
  /** What it means and what to do. */
  message: string;
  /** The existing name it reads like. */
  similarTo: string;
}

/** The outcome of checking one name. */
export interface ValidationResult {
  /** Whether the name broke no rule. Warnings do not make a name invalid. */
  valid: boolean;
  /** Every rule broken, ordered by rule (as in {@link RuleCode}) and then by position. */
  violations: Violation[];
  /** Lookalike warnings; only {@link check} with `existing` produces them. */
  warnings: Warning[];
}

/**
 * A custom policy, with the fields of a policy file (TOML or JSON), in the file's snake_case.
 * Every field is optional; unknown fields are errors, so a typo never goes unnoticed.
 */
export interface PolicyConfig {
  /** Shown in reports. */
  name?: string;
  /** The preset to start from; default `"huggingface"`. */
  base?: "huggingface" | "github" | "github-emu";
  /** The enterprise shortcode, required with `base: "github-emu"`. */
  shortcode?: string;
  /** Minimum length in characters (Unicode scalar values), at least 1. */
  min_length?: number;
  /** Maximum length in characters, at most 1024. */
  max_length?: number;
  /** Characters allowed besides ASCII letters, digits and `-`, e.g. `"._"`. */
  extra_chars?: string;
  /** Names nobody may take, compared by canonical key. */
  reserved?: string[];
  /** Compare names exactly instead of ASCII case-insensitively. */
  case_sensitive?: boolean;
  /** Allow names made of digits alone. */
  allow_digits_only?: boolean;
}

/**
 * A policy: a preset's name or a custom policy. Omitted, `undefined` or `null` means the default,
 * `"huggingface"`. GitHub EMU needs its shortcode: `{ base: "github-emu", shortcode: "acme" }`.
 */
export type PolicySpec = "huggingface" | "github" | PolicyConfig;

/**
 * The org's existing names. An array or a `Set` of names is read once per call and compared by
 * canonical key (ASCII lowercase, unless the policy is case-sensitive). A callback is asked with
 * canonical keys and must return `true` (taken) or `false` synchronously; if it throws, the call
 * throws an `Error` whose `cause` is the callback's exception: a failed lookup never counts as free.
 */
export type TakenNames = readonly string[] | ReadonlySet<string> | ((key: string) => boolean);

/** What is known about the person a name is for. */
export interface SuggestInput {
  /** The text to start from: a mapped username, an alias, an e-mail or a display name. */
  text: string;
  /** The person's given name, if known. */
  given?: string;
  /** The person's family name, if known. */
  family?: string;
}

/** Options of {@link check}. */
export interface CheckOptions {
  /** The policy; default `"huggingface"`. */
  policy?: PolicySpec;
  /** The org's names: a name among them is a `taken` violation. */
  taken?: TakenNames;
  /** Names to warn about lookalikes of (usually the same list as `taken`). */
  existing?: readonly string[] | ReadonlySet<string>;
}

/** A normalized name, with a note when a person should review it. */
export interface Normalized {
  /** The name; it passes every rule of the policy but `taken` and `duplicate`. */
  name: string;
  /** Why a person should check the result, or `null`. */
  review: null | {
    /** `"han"`: Han characters read in Mandarin; `"vowels"`: Arabic or Hebrew, vowels unwritten. */
    code: "han" | "vowels";
    /** The reason in one sentence. */
    message: string;
  };
}

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** The policy the result must pass; default `"huggingface"`. */
  policy?: PolicySpec;
  /** Lowercase the result (ASCII). Off by default: case is kept. */
  lowercase?: boolean;
}
"#;

/// A JavaScript `Error` with a message.
pub(crate) fn error(message: &str) -> JsValue {
    js::Error::new(message).into()
}

// The result of `validate` and `check` is built in JavaScript (glue.js) from one packed call: a
// string crossing and an object built property by property from wasm each cost more than the
// check.
#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// A `ValidationResult` without violations, so nothing else to cross.
    #[wasm_bindgen(js_name = validResult)]
    fn valid_result(warnings: &JsValue) -> JsValue;
    /// Tells the JavaScript side the rule codes, in the order of [`Code::ALL`]. (`catch`, which
    /// nothing here needs, keeps wasm-bindgen from importing it directly, which it does with a
    /// second copy of the module's name in the glue.)
    #[wasm_bindgen(catch, js_name = setCodes)]
    fn set_codes(codes: &Array) -> Result<(), JsValue>;
    /// A `ValidationResult`: `numbers` holds, for each violation, the index of its code in
    /// [`Code::ALL`], its UTF-16 start and end, and the UTF-16 length of its message in
    /// `messages` (the messages one after another). `warnings` is an array or `undefined`.
    #[wasm_bindgen(js_name = validationResult)]
    fn validation_result(
        valid: bool,
        numbers: &[u32],
        messages: &str,
        warnings: &JsValue,
    ) -> JsValue;
    /// A `Warning`.
    #[wasm_bindgen(js_name = warningObject)]
    fn warning_object(code: &str, message: &str, similar_to: &str) -> JsValue;
    /// A `Normalized`; `review` is `null` when `code` is `None`.
    #[wasm_bindgen(js_name = normalizedObject)]
    fn normalized_object(name: &str, code: Option<&str>, message: Option<&str>) -> JsValue;
}

pub(crate) fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

thread_local! {
    /// Whether the JavaScript side has the rule codes yet.
    static CODES_SENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The numbers and messages of [`validation_result`], kept from call to call.
    static PACKED: std::cell::RefCell<(Vec<u32>, String)> =
        const { std::cell::RefCell::new((Vec::new(), String::new())) };
}

/// The report as a `ValidationResult`, spans in UTF-16 units of `name`; `warnings` is an array
/// or `undefined` (none).
fn result(name: &str, report: &Report, warnings: &JsValue) -> JsValue {
    if report.violations.is_empty() {
        return valid_result(warnings);
    }
    if !CODES_SENT.with(|sent| sent.replace(true)) {
        let _ = set_codes(&codes());
    }
    let offsets = Utf16Offsets::new(name);
    PACKED.with_borrow_mut(|(numbers, messages)| {
        numbers.clear();
        messages.clear();
        for v in &report.violations {
            let code = Code::ALL.iter().position(|&c| c == v.code).unwrap_or(0);
            numbers.extend([
                offset(code),
                offset(offsets.at(v.span.start)),
                offset(offsets.at(v.span.end)),
                offset(offsets::utf16_len(v.message.as_bytes())),
            ]);
            messages.push_str(&v.message);
        }
        validation_result(false, numbers, messages, warnings)
    })
}

fn warning(w: &usernorm::Warning) -> JsValue {
    warning_object(w.code, &w.message, &w.similar_to)
}

/// Checks a name against every rule of a policy that needs no list of names (all but `taken`
/// and `duplicate`). An invalid name is not an error: the result lists every violation.
///
/// ```js
/// validate("jean--luc_")
/// // { valid: false, violations: [
/// //     { code: "invalid-char", message: "…", start: 9, end: 10 },
/// //     { code: "double-dash", message: "…", start: 4, end: 6 } ], warnings: [] }
/// ```
///
/// @throws {Error} when `policy` is not a valid policy.
#[wasm_bindgen(unchecked_return_type = "ValidationResult")]
pub fn validate(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    with_policy(Some(&policy), |policy| {
        Ok(result(name, &policy.validate(name), &JsValue::UNDEFINED))
    })
}

/// Checks a name against every rule, against the org's names (`taken`) and for lookalikes of
/// `existing` names (warnings).
///
/// @throws {Error} when an option is not valid, or when the `taken` callback throws or answers
/// something other than `true` or `false`.
#[wasm_bindgen(unchecked_return_type = "ValidationResult")]
pub fn check(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = args::read_check_options(&options)?;
    with_policy(Some(&options.get(0)), |policy| {
        let taken = Taken::from_js(Some(&options.get(1)), policy)?;
        let report = policy
            .check(name, taken.registry())
            .map_err(|e| taken.error(&e))?;
        let warnings = Array::new();
        let existing = options.get(2);
        if !existing.is_undefined() {
            let existing = name_list("existing", &existing)?;
            if let Some(w) = lookalike_in(policy, name, existing.iter().map(String::as_str)) {
                warnings.push(&warning(&w));
            }
        }
        Ok(result(name, &report, &warnings))
    })
}

/// Whether `name` reads like one of the `existing` names (`paypa1` next to `paypal`): a
/// warning, or `null`. The same name, by canonical key, is not a lookalike.
///
/// @throws {Error} when `existing` is not an array or `Set` of strings, or `policy` is invalid.
#[wasm_bindgen(unchecked_return_type = "Warning | null")]
pub fn lookalike(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "readonly string[] | ReadonlySet<string>")]
    existing: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    with_policy(Some(&policy), |policy| {
        let existing = name_list("existing", &existing)?;
        Ok(
            lookalike_in(policy, name, existing.iter().map(String::as_str))
                .map_or(JsValue::NULL, |w| warning(&w)),
        )
    })
}

/// Turns any text (a display name, an e-mail, an alias, a UPN) into a name that passes every
/// rule of the policy but `taken` and `duplicate`: accents folded, separators made `-`, symbols
/// and emoji dropped. The full build transliterates every script (`王小明` gives
/// `Wang-Xiao-Ming`); the small build folds Latin letters and drops letters of other scripts.
///
/// @throws {Error} when nothing usable is left (only emoji or symbols, say), or an option is
/// invalid.
// The strings `normalize` and `canonicalKey` return cross as JavaScript strings made by the
// module (`JsValue`), not as a `String` the glue reads and then frees: less glue for each.
#[wasm_bindgen(unchecked_return_type = "string")]
pub fn normalize(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "NormalizeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (policy, options) = normalize_options(&options)?;
    with_policy(Some(&policy), |policy| {
        policy
            .normalize_with(input, options)
            .map(|n| JsValue::from_str(&n.name))
            .map_err(|e| error(e.message()))
    })
}

/// [`normalize`], with the note a person should read when the result needs review: Han
/// characters read in Mandarin (`"han"`), or Arabic or Hebrew, whose vowels are mostly unwritten
/// (`"vowels"`). The small build, which reads neither script (it drops them), gives no note.
///
/// @throws {Error} as {@link normalize} does.
#[wasm_bindgen(js_name = normalizeDetailed, unchecked_return_type = "Normalized")]
pub fn normalize_detailed(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "NormalizeOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (policy, options) = normalize_options(&options)?;
    with_policy(Some(&policy), |policy| {
        let n = policy
            .normalize_with(input, options)
            .map_err(|e| error(e.message()))?;
        Ok(match n.review {
            // Without transliteration (the small build) the core notes nothing: the texts of
            // the notes stay out of that module.
            Some(review) if cfg!(feature = "full") => normalized_object(
                &n.name,
                Some(match review {
                    Review::HanReading => "han",
                    Review::UnwrittenVowels => "vowels",
                    _ => "review",
                }),
                Some(review.message()),
            ),
            _ => normalized_object(&n.name, None, None),
        })
    })
}

fn normalize_options(options: &JsValue) -> Result<(JsValue, NormalizeOptions), JsValue> {
    let values = args::read_normalize_options(options)?;
    // true and false come as 1 and 0 (see `policy_config`).
    let lowercase = values.get(1).as_f64().is_some_and(|n| n > 0.5);
    Ok((values.get(0), NormalizeOptions { lowercase }))
}

/// Up to `n` (0 to 1000) distinct valid names for `input`, best first, none taken: the
/// normalized text, forms made from the given and family names where known, then numbered
/// forms (`jdoe-2`) that still fit the maximum length.
///
/// @throws {Error} when an argument is invalid, or when the `taken` callback throws or answers
/// something other than `true` or `false`.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn suggest(
    #[wasm_bindgen(unchecked_param_type = "string | SuggestInput")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TakenNames")] taken: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] n: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: JsValue,
) -> Result<Array, JsValue> {
    let n = whole_number("n", &n, 1000)?;
    let (text, given, family) = args::person(&input)?;
    with_policy(Some(&policy), |policy| {
        let taken = Taken::from_js(Some(&taken), policy)?;
        let mut request = SuggestInput::new(&text);
        if let Some(given) = &given {
            request = request.given_name(given);
        }
        if let Some(family) = &family {
            request = request.family_name(family);
        }
        let names = policy
            .suggest(request, taken.registry(), n)
            .map_err(|e| taken.error(&e))?;
        Ok(Array::of_strings(names.iter().map(String::as_str)))
    })
}

/// A rule's documentation (Markdown): what it checks, why, an example and the fix; what
/// `usernorm explain CODE` prints.
///
/// @throws {Error} for an unknown code; the message lists the codes.
// The small build leaves the texts out of its module: its `explain` is JavaScript (explain.js)
// that loads them, generated from this function, from a separate file when first asked.
#[cfg(feature = "full")]
#[wasm_bindgen]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "RuleCode")] code: &str,
) -> Result<String, JsValue> {
    code.parse::<Code>()
        .map(|c| c.doc().to_owned())
        .map_err(|e| error(&e.to_string()))
}

/// Every rule code, in the order violations are reported.
#[wasm_bindgen(unchecked_return_type = "RuleCode[]")]
pub fn codes() -> Array {
    Array::of_strings(Code::ALL.iter().map(|c| c.as_str()))
}

/// The names of the policy presets: `huggingface` (the default), `github`, `github-emu`.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn presets() -> Array {
    Array::of_strings(PRESETS.iter().copied())
}

/// The canonical key names are compared by under a policy: ASCII lowercase, unless the policy
/// is case-sensitive.
///
/// @throws {Error} when `policy` is invalid.
#[wasm_bindgen(js_name = canonicalKey, unchecked_return_type = "string")]
pub fn canonical_key(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    with_policy(Some(&policy), |policy: &Policy| {
        Ok(JsValue::from_str(&policy.canonical_key(name)))
    })
}
