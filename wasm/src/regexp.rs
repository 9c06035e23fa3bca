//! JavaScript's `RegExp` as the engine of Entra's `Replace` patterns (full build only).
//!
//! The core translates each .NET pattern into JavaScript that means what the `regex` crate
//! would (Unicode `\w`, `\d`, `\s`, `\b`, lines ended by `\n` only, ...), so the module carries
//! no regular-expression engine of its own. This file only compiles, runs, and converts the
//! UTF-16 offsets JavaScript gives into the core's byte offsets.

use std::cell::RefCell;
use std::sync::Arc;

use usernorm::entra::{Captures, CompiledRegex, Dialect, Expression, ParseError, RegexEngine};
use wasm_bindgen::prelude::*;

use crate::offsets::utf16_len;

#[wasm_bindgen(module = "/src/full.js")]
extern "C" {
    /// `new RegExp(source, flags + "gd")`; throws an `Error` with the reason JavaScript
    /// rejects the pattern.
    #[wasm_bindgen(js_name = compileRegExp, catch)]
    fn compile_regexp(source: &str, flags: &str) -> Result<JsValue, JsValue>;
    /// The match at or after UTF-16 offset `start`: each group's start and end, -1 for a group
    /// that did not take part; `None` for no match.
    #[wasm_bindgen(js_name = execRegExp, catch)]
    fn exec_regexp(re: &JsValue, haystack: &str, start: u32) -> Result<Option<Vec<i32>>, JsValue>;
    /// The message of what `compileRegExp` or `execRegExp` threw.
    #[wasm_bindgen(js_name = thrownText)]
    fn thrown_text(thrown: &JsValue) -> String;
}

/// How many compiled patterns are kept; more are compiled again when needed.
const CACHE: usize = 64;

thread_local! {
    /// Compiled `RegExp`s by source and flags: an audit evaluates the same patterns on every row.
    static COMPILED: RefCell<Vec<(String, &'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The `RegExp` of a translated pattern, compiled once.
fn regexp(source: &str, flags: &'static str) -> Result<JsValue, String> {
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, re)) = cache.iter().find(|(s, f, _)| s == source && *f == flags) {
            return Ok(re.clone());
        }
        let re = compile_regexp(source, flags)
            .map_err(|e| format!("invalid regular expression: {}", thrown_text(&e)))?;
        if cache.len() >= CACHE {
            cache.remove(0);
        }
        cache.push((source.to_owned(), flags, re.clone()));
        Ok(re)
    })
}

/// JavaScript's `RegExp`, given the patterns in [`Dialect::JavaScript`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsRegExp;

impl JsRegExp {
    /// The engine, shared by the expressions that use it.
    pub(crate) fn engine() -> Arc<dyn RegexEngine> {
        Arc::new(JsRegExp)
    }
}

impl RegexEngine for JsRegExp {
    fn dialect(&self) -> Dialect {
        Dialect::JavaScript
    }

    fn compile(&self, pattern: &str, flags: &str) -> Result<Box<dyn CompiledRegex>, String> {
        // The translation gives only these; anything else is not a pattern of ours.
        let flags: &'static str = match flags {
            "v" => "v",
            "iv" => "iv",
            other => return Err(format!("unexpected regular-expression flags `{other}`")),
        };
        regexp(pattern, flags)?;
        Ok(Box::new(JsPattern {
            source: pattern.to_owned(),
            flags,
        }))
    }
}

/// A pattern JavaScript compiled; the `RegExp` itself stays in the cache, on the JavaScript
/// side.
#[derive(Debug)]
struct JsPattern {
    source: String,
    flags: &'static str,
}

impl CompiledRegex for JsPattern {
    fn captures_at(&self, haystack: &str, start: usize) -> Result<Option<Captures>, String> {
        let re = regexp(&self.source, self.flags)?;
        let Some(before) = haystack.get(..start) else {
            return Ok(None);
        };
        let start16 = utf16_len(before.as_bytes());
        let units = u32::try_from(start16).map_err(|_| "the value is too long".to_owned())?;
        let spans = exec_regexp(&re, haystack, units)
            .map_err(|e| format!("the regular expression failed: {}", thrown_text(&e)))?;
        Ok(spans.map(|spans| bytes_of(haystack, start, start16, &spans)))
    }
}

/// Converts the UTF-16 spans of a match at or after (`start` bytes = `start16` units) into byte
/// spans, in one walk from `start`.
fn bytes_of(haystack: &str, start: usize, start16: usize, spans: &[i32]) -> Captures {
    let mut offsets: Vec<(usize, usize)> = spans
        .iter()
        .enumerate()
        .filter_map(|(k, &u)| usize::try_from(u).ok().map(|u| (u, k)))
        .collect();
    offsets.sort_unstable();
    let mut bytes: Vec<Option<usize>> = vec![None; spans.len()];
    let (mut unit, mut byte) = (start16, start);
    let mut chars = haystack.get(start..).unwrap_or("").chars();
    for (target, k) in offsets {
        while unit < target {
            let Some(c) = chars.next() else { break };
            unit += c.len_utf16();
            byte += c.len_utf8();
        }
        if unit == target {
            bytes[k] = Some(byte);
        }
    }
    bytes
        .chunks(2)
        .map(|pair| match pair {
            [Some(s), Some(e)] => Some(*s..*e),
            _ => None,
        })
        .collect()
}

/// Parses an expression whose patterns run on JavaScript's `RegExp`.
pub(crate) fn parse(expression: &str) -> Result<Expression, ParseError> {
    Expression::parse_with(expression, JsRegExp::engine())
}
