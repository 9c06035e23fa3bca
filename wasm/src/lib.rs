//! WebAssembly front end of usernorm: the glue between JavaScript and the core.
//!
//! # Overview
//!
//! This crate is what `wasm/build.sh` compiles into the npm package (SPEC §7). It holds no rule
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
//!   table, no regular expressions.
//! * `full`: the same functions with transliteration of every script, `evaluate` (Entra
//!   attribute-mapping expressions, whose regular expressions run on JavaScript's `RegExp`:
//!   `regexp.rs`), and `audit` of a directory export with `fixedCsv` and `parseExisting`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "full")]
mod audit;
#[cfg(feature = "full")]
mod entra;
mod offsets;
mod policy;
#[cfg(feature = "full")]
mod regexp;
mod registry;

#[cfg(feature = "full")]
pub use audit::{audit, fixed_csv, parse_existing};
#[cfg(feature = "full")]
pub use entra::evaluate;

/// The small build's allocator: a free list of a few hundred bytes of code instead of dlmalloc's
/// several kilobytes. Names are short and results are freed right away, so its simple search of
/// the free list costs nothing measurable. The full build, which audits large files, keeps the
/// standard allocator.
#[cfg(all(feature = "small", not(feature = "full"), target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

use js_sys::{Array, Object};
use usernorm::{
    Code, LookalikeIndex, NormalizeOptions, PRESETS, Policy, Report, Review, SuggestInput,
};
use wasm_bindgen::prelude::*;

use offsets::Utf16Offsets;
use policy::{type_name, whole_number, with_policy};
use registry::Taken;

/// The TypeScript types of the package's arguments and results.
#[wasm_bindgen(typescript_custom_section)]
pub const TYPESCRIPT: &str = r#"
/** A rule's stable code (SPEC §2). */
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
    js_sys::Error::new(message).into()
}

// The result of `validate` and `check` is built in JavaScript from one packed call: a string
// crossing and an object built property by property from wasm each cost more than the check.
#[wasm_bindgen(inline_js = r#"
let codes = [];
export function setCodes(joined) { codes = joined.split(" "); }
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
"#)]
extern "C" {
    /// Tells the JavaScript side the rule codes, space-separated, in the order of [`Code::ALL`].
    #[wasm_bindgen(js_name = setCodes)]
    fn set_codes(joined: &str);
    /// A `ValidationResult` without violations, so nothing else to cross.
    #[wasm_bindgen(js_name = validResult)]
    fn valid_result(warnings: &JsValue) -> JsValue;
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
}

// Plain objects with their properties set by name in the generated glue: no property-name
// strings cross the boundary.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = Object)]
    type JsWarning;
    #[wasm_bindgen(method, setter = code)]
    fn set_warning_code(this: &JsWarning, code: &str);
    #[wasm_bindgen(method, setter = message)]
    fn set_warning_message(this: &JsWarning, message: &str);
    #[wasm_bindgen(method, setter = similarTo)]
    fn set_similar_to(this: &JsWarning, name: &str);

    #[wasm_bindgen(extends = Object)]
    type JsNormalized;
    #[wasm_bindgen(method, setter)]
    fn set_name(this: &JsNormalized, name: &str);
    #[wasm_bindgen(method, setter)]
    fn set_review(this: &JsNormalized, review: &JsValue);

    #[wasm_bindgen(extends = Object)]
    type JsReview;
    #[wasm_bindgen(method, setter = code)]
    fn set_review_code(this: &JsReview, code: &str);
    #[wasm_bindgen(method, setter = message)]
    fn set_review_message(this: &JsReview, message: &str);
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
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        set_codes(&names.join(" "));
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
    let js: JsWarning = Object::new().unchecked_into();
    js.set_warning_code(w.code);
    js.set_warning_message(&w.message);
    js.set_similar_to(&w.similar_to);
    js.into()
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
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    with_policy(policy.as_ref(), |policy| {
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
    #[wasm_bindgen(unchecked_param_type = "CheckOptions")] options: Option<Object>,
) -> Result<JsValue, JsValue> {
    let options = Options::read(options.as_ref(), &["policy", "taken", "existing"])?;
    with_policy(options.get("policy").as_ref(), |policy| {
        let taken = Taken::from_js(options.get("taken").as_ref(), policy)?;
        let report = policy
            .check(name, taken.registry())
            .map_err(|e| taken.error(&e))?;
        let warnings = Array::new();
        if let Some(existing) = options.get("existing") {
            let mut index = LookalikeIndex::new(policy);
            for item in name_list("existing", &existing)? {
                index.insert(&item);
            }
            if let Some(w) = index.check(name) {
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
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    with_policy(policy.as_ref(), |policy| {
        let mut index = LookalikeIndex::new(policy);
        for item in name_list("existing", &existing)? {
            index.insert(&item);
        }
        Ok(index.check(name).map_or(JsValue::NULL, |w| warning(&w)))
    })
}

/// Turns any text (a display name, an e-mail, an alias, a UPN) into a name that passes every
/// rule of the policy but `taken` and `duplicate`: accents folded, separators made `-`, symbols
/// and emoji dropped. The full build transliterates every script (`王小明` gives
/// `Wang-Xiao-Ming`); the small build folds Latin letters and drops letters of other scripts.
///
/// @throws {Error} when nothing usable is left (only emoji or symbols, say), or an option is
/// invalid.
#[wasm_bindgen]
pub fn normalize(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "NormalizeOptions")] options: Option<Object>,
) -> Result<String, JsValue> {
    let (policy, options) = normalize_options(options.as_ref())?;
    with_policy(policy.as_ref(), |policy| {
        policy
            .normalize_with(input, options)
            .map(|n| n.name)
            .map_err(|e| error(&e.to_string()))
    })
}

/// [`normalize`], with the note a person should read when the result needs review: Han
/// characters read in Mandarin (`"han"`), or Arabic or Hebrew, whose vowels are mostly unwritten
/// (`"vowels"`).
///
/// @throws {Error} as {@link normalize} does.
#[wasm_bindgen(js_name = normalizeDetailed, unchecked_return_type = "Normalized")]
pub fn normalize_detailed(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "NormalizeOptions")] options: Option<Object>,
) -> Result<JsValue, JsValue> {
    let (policy, options) = normalize_options(options.as_ref())?;
    with_policy(policy.as_ref(), |policy| {
        let n = policy
            .normalize_with(input, options)
            .map_err(|e| error(&e.to_string()))?;
        let out: JsNormalized = Object::new().unchecked_into();
        out.set_name(&n.name);
        match n.review {
            Some(review) => {
                let js: JsReview = Object::new().unchecked_into();
                js.set_review_code(match review {
                    Review::HanReading => "han",
                    Review::UnwrittenVowels => "vowels",
                    _ => "review",
                });
                js.set_review_message(review.message());
                out.set_review(&js);
            }
            None => out.set_review(&JsValue::NULL),
        }
        Ok(out.into())
    })
}

fn normalize_options(
    options: Option<&Object>,
) -> Result<(Option<JsValue>, NormalizeOptions), JsValue> {
    let options = Options::read(options, &["policy", "lowercase"])?;
    let lowercase = match options.get("lowercase") {
        None => false,
        Some(v) => v.as_bool().ok_or_else(|| {
            error(&format!(
                "option `lowercase` must be true or false, not {}",
                type_name(&v)
            ))
        })?,
    };
    Ok((options.get("policy"), NormalizeOptions { lowercase }))
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
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: Option<JsValue>,
) -> Result<Array, JsValue> {
    let n = whole_number("n", &n, 1000)?;
    let (text, given, family) = suggest_input(&input)?;
    with_policy(policy.as_ref(), |policy| {
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
        Ok(names.iter().map(|s| JsValue::from_str(s)).collect())
    })
}

type Person = (String, Option<String>, Option<String>);

fn suggest_input(input: &JsValue) -> Result<Person, JsValue> {
    if let Some(text) = input.as_string() {
        return Ok((text, None, None));
    }
    if !input.is_object() || Array::is_array(input) {
        return Err(error(&format!(
            "input must be a string or an object {{ text, given?, family? }}, not {}",
            type_name(input)
        )));
    }
    let options = Options::read(Some(input.unchecked_ref()), &["text", "given", "family"])?;
    let field = |key: &str| -> Result<Option<String>, JsValue> {
        match options.get(key) {
            None => Ok(None),
            Some(v) => v.as_string().map(Some).ok_or_else(|| {
                error(&format!(
                    "input field `{key}` must be a string, not {}",
                    type_name(&v)
                ))
            }),
        }
    };
    let text = field("text")?.ok_or_else(|| error("input field `text` is missing"))?;
    Ok((text, field("given")?, field("family")?))
}

/// A rule's documentation (Markdown): what it checks, why, an example and the fix; what
/// `usernorm explain CODE` prints.
///
/// @throws {Error} for an unknown code; the message lists the codes.
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
    Code::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}

/// The names of the policy presets: `huggingface` (the default), `github`, `github-emu`.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn presets() -> Array {
    PRESETS.iter().map(|p| JsValue::from_str(p)).collect()
}

/// The canonical key names are compared by under a policy: ASCII lowercase, unless the policy
/// is case-sensitive.
///
/// @throws {Error} when `policy` is invalid.
#[wasm_bindgen(js_name = canonicalKey)]
pub fn canonical_key(
    name: &str,
    #[wasm_bindgen(unchecked_param_type = "PolicySpec")] policy: Option<JsValue>,
) -> Result<String, JsValue> {
    with_policy(policy.as_ref(), |policy: &Policy| {
        Ok(policy.canonical_key(name).into_owned())
    })
}

/// An options object read strictly: unknown keys are errors, `undefined` values are absent.
pub(crate) struct Options {
    values: Vec<(String, JsValue)>,
}

impl Options {
    pub(crate) fn read(object: Option<&Object>, known: &[&str]) -> Result<Options, JsValue> {
        let mut values = Vec::new();
        let Some(object) = object.filter(|o| !o.is_undefined() && !o.is_null()) else {
            return Ok(Options { values });
        };
        if !object.is_object() || Array::is_array(object) {
            return Err(error(&format!(
                "options must be an object, not {}",
                type_name(object)
            )));
        }
        for key in Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(error(&format!(
                    "unknown option `{key}`; the options are {}",
                    known.join(", ")
                )));
            }
            let value = js_sys::Reflect::get(object, &JsValue::from_str(&key))?;
            if !value.is_undefined() {
                values.push((key, value));
            }
        }
        Ok(Options { values })
    }

    pub(crate) fn get(&self, key: &str) -> Option<JsValue> {
        self.values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

/// An array or `Set` of strings.
pub(crate) fn name_list(what: &str, value: &JsValue) -> Result<Vec<String>, JsValue> {
    let items: Vec<JsValue> = if Array::is_array(value) {
        value.unchecked_ref::<Array>().iter().collect()
    } else if let Some(set) = value.dyn_ref::<js_sys::Set>() {
        let mut items = Vec::new();
        set.for_each(&mut |item, _, _| items.push(item));
        items
    } else {
        return Err(error(&format!(
            "{what} must be an array or a Set of names, not {}",
            type_name(value)
        )));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_string().ok_or_else(|| {
                error(&format!(
                    "{what}: entry {} must be a string, not {}",
                    i + 1,
                    type_name(&item)
                ))
            })
        })
        .collect()
}
