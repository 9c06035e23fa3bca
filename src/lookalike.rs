//! Lookalike detection: names that differ only by characters that read alike (`0`/`O`,
//! `1`/`l`/`I`, `rn`/`m`, `vv`/`w`). A lookalike is a warning, not a violation: `paypa1` is a
//! valid name, but next to `paypal` it invites impersonation.

use crate::text::concat;
use std::collections::HashMap;
use std::fmt;

use crate::Policy;
use crate::sieve::Sieve;

/// The form two names share when they read alike: lowercase, with `0` read as `o`, `1` and `i`
/// as `l`, `rn` as `m` and `vv` as `w`.
///
/// ```
/// use usernorm::skeleton;
///
/// assert_eq!(skeleton("paypa1"), skeleton("PayPal"));
/// assert_eq!(skeleton("rnary"), skeleton("mary"));
/// assert_ne!(skeleton("mary"), skeleton("marty"));
/// ```
pub fn skeleton(name: &str) -> String {
    // UTF-8 by construction (whole characters of `name` and ASCII letters), so never empty
    // for want of it; no lossy conversion, which the browser's small build would carry.
    String::from_utf8(skeleton_bytes(name)).unwrap_or_default()
}

/// [`skeleton`]'s UTF-8 bytes, for comparing and hashing: no check that they are UTF-8, whose
/// code the browser's small build would otherwise carry.
pub(crate) fn skeleton_bytes(name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(name.len());
    skeleton_into(name, &mut out);
    out
}

/// [`skeleton`]'s UTF-8 bytes into a buffer the caller keeps, so a loop over many names
/// allocates nothing. Bytes, not a `String`: pushing a `char` to a `String` encodes it, which
/// costs more than the rest of an ASCII skeleton.
///
/// Every mapping is of ASCII to ASCII, and in UTF-8 an ASCII byte is always that character
/// (the bytes of any other are 0x80 or more), so the name is mapped a byte at a time through
/// [`SKELETON`], which leaves the others as they are: the result is UTF-8, and `r` before `n`
/// or `v` before `v` in the bytes is the same in the characters. Then, only where `rn` or
/// `vv` occurs, the pairs are joined left to right (no byte the table makes is `r`, `n` or
/// `v` unless it was one, in either case). A property test holds it equal to mapping the
/// characters one by one.
pub(crate) fn skeleton_into(name: &str, out: &mut Vec<u8>) {
    out.clear();
    out.extend(name.bytes().map(|b| match SKELETON.get(usize::from(b)) {
        Some(&mapped) => mapped,
        None => b,
    }));
    let pair = |w: &[u8]| w == b"rn" || w == b"vv";
    let Some(first) = out.windows(2).position(pair) else {
        return;
    };
    // Joins the pairs from the first one on, writing at `to` what is read at `from`.
    let (mut to, mut from) = (first, first);
    while let Some(&c) = out.get(from) {
        let next = out.get(from + 1).copied();
        let (joined, step) = match (c, next) {
            (b'r', Some(b'n')) => (b'm', 2),
            (b'v', Some(b'v')) => (b'w', 2),
            _ => (c, 1),
        };
        if let Some(slot) = out.get_mut(to) {
            *slot = joined;
        }
        to += 1;
        from += step;
    }
    out.truncate(to);
}

/// What [`skeleton_into`] maps each ASCII byte to on its own: lowercase, `0` as `o`, `1`, `i`
/// and `|` as `l` (the pairs `rn` and `vv` are looked for apart); bytes 0x80 and above, the
/// parts of other characters, stay as they are.
const SKELETON: [u8; 128] = {
    let mut table = [0; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match (b as u8).to_ascii_lowercase() {
            b'0' => b'o',
            b'1' | b'i' | b'|' => b'l',
            c => c,
        };
        b += 1;
    }
    table
};

/// A name that reads like another one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// The warning's code: `lookalike`.
    pub code: &'static str,
    /// What it means and what to do.
    pub message: String,
    /// The existing name it reads like.
    pub similar_to: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// An index of names by skeleton, to find the ones a new name reads like.
///
/// ```
/// use usernorm::{LookalikeIndex, Policy};
///
/// let hf = Policy::huggingface();
/// let mut index = LookalikeIndex::new(&hf);
/// index.insert("paypal");
/// let warning = index.check("paypa1").expect("reads like paypal");
/// assert_eq!(warning.similar_to, "paypal");
/// assert!(index.check("PayPal").is_none(), "the same name is not a lookalike");
/// ```
#[derive(Debug, Clone)]
pub struct LookalikeIndex<'p> {
    policy: &'p Policy,
    /// Skeleton (UTF-8 bytes) -> the first name of it.
    by_skeleton: HashMap<Vec<u8>, String, crate::hash::KeyedHash>,
    /// Rules out most skeletons the index does not hold before it is asked.
    sieve: Sieve,
}

impl<'p> LookalikeIndex<'p> {
    /// An empty index; names are compared by the policy's canonical key.
    pub fn new(policy: &'p Policy) -> Self {
        LookalikeIndex {
            policy,
            by_skeleton: HashMap::default(),
            sieve: Sieve::default(),
        }
    }

    /// Adds a name; the first name of a skeleton is the one reported.
    pub fn insert(&mut self, name: &str) {
        let shape = skeleton_bytes(name);
        if self.by_skeleton.contains_key(&shape) {
            return;
        }
        (self.sieve).insert(&shape, || self.by_skeleton.keys().map(Vec::as_slice));
        self.by_skeleton.insert(shape, name.to_owned());
    }

    /// A warning when `name` reads like an indexed name without being the same name.
    pub fn check(&self, name: &str) -> Option<Warning> {
        if self.by_skeleton.is_empty() {
            return None;
        }
        self.check_skeleton(name, &skeleton_bytes(name))
    }

    /// [`LookalikeIndex::check`] for a name whose skeleton, `shape`, is already known.
    pub(crate) fn check_skeleton(&self, name: &str, shape: &[u8]) -> Option<Warning> {
        if !self.sieve.may_hold(shape) {
            return None;
        }
        let similar = self.by_skeleton.get(shape)?;
        warning(self.policy, name, similar)
    }

    /// How many skeletons it holds.
    pub fn len(&self) -> usize {
        self.by_skeleton.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.by_skeleton.is_empty()
    }
}

/// The warning for `name` reading like `similar`, unless the two are the same name by the
/// policy's canonical key.
fn warning(policy: &Policy, name: &str, similar: &str) -> Option<Warning> {
    if policy.canonical_key(similar) == policy.canonical_key(name) {
        return None;
    }
    Some(Warning {
        code: "lookalike",
        message: concat(&[
            "`",
            name,
            "` reads like the existing `",
            similar,
            "`; choose a name that cannot be mistaken for it",
        ]),
        similar_to: similar.to_owned(),
    })
}

/// [`LookalikeIndex::check`] against a list read once, without building an index: the first of
/// `existing` whose skeleton is `name`'s is the one compared, as the index would keep it. For
/// one name against a short list, as a settings page asks; it hashes nothing, so a build for the
/// browser carries no hash table for it.
///
/// ```
/// use usernorm::{Policy, lookalike_in};
///
/// let hf = Policy::huggingface();
/// let w = lookalike_in(&hf, "paypa1", ["google", "paypal"]).expect("reads like paypal");
/// assert_eq!(w.similar_to, "paypal");
/// assert!(lookalike_in(&hf, "PayPal", ["paypal"]).is_none(), "the same name");
/// ```
pub fn lookalike_in<'a>(
    policy: &Policy,
    name: &str,
    existing: impl IntoIterator<Item = &'a str>,
) -> Option<Warning> {
    let shape = skeleton_bytes(name);
    let mut buffer = Vec::new();
    let similar = existing.into_iter().find(|item| {
        skeleton_into(item, &mut buffer);
        buffer == shape
    })?;
    warning(policy, name, similar)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skeleton made a character at a time: what [`skeleton_into`] must equal.
    fn skeleton_of_chars(name: &str) -> String {
        let mut chars = name.chars().map(|c| c.to_ascii_lowercase()).peekable();
        let mut out = String::new();
        while let Some(c) = chars.next() {
            out.push(match c {
                '0' => 'o',
                '1' | 'i' | '|' => 'l',
                'r' if chars.next_if_eq(&'n').is_some() => 'm',
                'v' if chars.next_if_eq(&'v').is_some() => 'w',
                c => c,
            });
        }
        out
    }

    proptest::proptest! {
        /// A byte at a time makes the skeleton a character at a time makes, on names full of
        /// the letters it maps (upper and lower case, next to other scripts) and on any text.
        #[test]
        fn skeleton_bytes_are_the_characters_skeleton(
            name in "[rRnNvVwWiI1l0oO|mM.a-éİıК中]{0,24}|\\PC{0,24}"
        ) {
            proptest::prop_assert_eq!(skeleton(&name), skeleton_of_chars(&name));
        }
    }

    #[test]
    fn pairs_from_the_issue() {
        for (a, b) in [
            ("paypa1", "paypal"),
            ("g00gle", "google"),
            ("bill", "biII"),
            ("modern", "rnodern"),
            ("wave", "vvave"),
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} ~ {b}");
        }
    }

    #[test]
    fn the_list_check_agrees_with_the_index() {
        let policy = Policy::huggingface();
        let existing = ["paypal", "PayPa1", "google", "rnary", "Mary", "bill"];
        let mut index = LookalikeIndex::new(&policy);
        for name in existing {
            index.insert(name);
        }
        for name in [
            "paypa1", "PAYPAL", "g00gle", "mary", "marty", "biII", "zed", "",
        ] {
            assert_eq!(
                lookalike_in(&policy, name, existing),
                index.check(name),
                "{name}"
            );
        }
        assert_eq!(lookalike_in(&policy, "x", []), None);
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        for s in [
            "RNvv0|1i", "rnrn", "vvv", "Paypa1", "modern", "x-y_z", "VV", "Rn", "",
        ] {
            let unicode = skeleton(&format!("{s}é"));
            assert_eq!(unicode.strip_suffix('é'), Some(skeleton(s).as_str()), "{s}");
        }
    }
}
