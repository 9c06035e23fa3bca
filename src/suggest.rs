//! Suggesting unique, valid names.

mod numbers;

pub(crate) use numbers::{DeadNumbers, NumberMemo};

use crate::Policy;
use crate::normalize::NormalizeOptions;
use crate::registry::{Registry, RegistryError};
use crate::text::concat;

/// What is known about the person a name is for. Only `text` is required.
///
/// ```
/// use usernorm::SuggestInput;
///
/// let input = SuggestInput::new("jdoe").given_name("John").family_name("Doe");
/// assert_eq!(input.text, "jdoe");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuggestInput<'a> {
    /// The text to normalize: the mapped username, an alias, an e-mail, a display name.
    pub text: &'a str,
    /// The person's given name, if known.
    pub given_name: Option<&'a str>,
    /// The person's family name, if known.
    pub family_name: Option<&'a str>,
}

impl<'a> SuggestInput<'a> {
    /// Input with just the text.
    pub fn new(text: &'a str) -> Self {
        SuggestInput {
            text,
            given_name: None,
            family_name: None,
        }
    }

    /// Adds the given name.
    #[must_use]
    pub fn given_name(mut self, name: &'a str) -> Self {
        self.given_name = Some(name).filter(|n| !n.trim().is_empty());
        self
    }

    /// Adds the family name.
    #[must_use]
    pub fn family_name(mut self, name: &'a str) -> Self {
        self.family_name = Some(name).filter(|n| !n.trim().is_empty());
        self
    }
}

impl<'a> From<&'a str> for SuggestInput<'a> {
    fn from(text: &'a str) -> Self {
        SuggestInput::new(text)
    }
}

impl Policy {
    /// Up to `n` distinct valid names for the input, best first, none taken in `registry`: the
    /// normalized text, then forms made from the given and family names where known, then
    /// numbered forms (`jdoe-2`) shortened to fit the maximum length.
    ///
    /// Numbers have no cap but the maximum length: each suggestion is the lowest free number.
    /// A call tries at most 2^20 of them, so a registry that says every name is taken gets no
    /// numbered suggestion rather than a call that never ends. (The audit remembers the
    /// numbers found taken from row to row, so a name shared by millions of rows gets the next
    /// number at once for each.)
    ///
    /// ```
    /// use usernorm::{MemoryRegistry, Policy, SuggestInput};
    ///
    /// let hf = Policy::huggingface();
    /// let org = MemoryRegistry::from_names(&hf, ["jdoe", "john-doe"]);
    /// let input = SuggestInput::new("j.doe").given_name("John").family_name("Doe");
    /// assert_eq!(hf.suggest(input, &org, 3)?, ["j-doe", "JohnDoe", "Doe-John"]);
    /// assert_eq!(hf.suggest("JDoe", &org, 2)?, ["JDoe-2", "JDoe-3"]);
    /// # Ok::<(), usernorm::RegistryError>(())
    /// ```
    ///
    /// # Errors
    /// When the registry cannot answer.
    pub fn suggest<'a>(
        &self,
        input: impl Into<SuggestInput<'a>>,
        registry: &dyn Registry,
        n: usize,
    ) -> Result<Vec<String>, RegistryError> {
        if n == 0 {
            return Ok(Vec::new());
        }
        self.suggest_among(self.candidates(input.into()), registry, n)
    }

    /// The input's base candidates, best first, without two of one canonical key, each with
    /// whether it is valid: all of a suggestion's work that needs no registry.
    pub(crate) fn candidates(&self, input: SuggestInput<'_>) -> Candidates {
        self.candidates_until(input, |_, _| false).0
    }

    /// The first of the input's [`Candidates`], made one at a time up to the first for which
    /// `enough` (given it and whether it is valid) holds; with whether they are all of them
    /// (`false` when `enough` stopped them, even at the last). Where [`Policy::first_free`]
    /// finds a suggestion among them, it is the one all the candidates would give.
    pub(crate) fn candidates_until(
        &self,
        input: SuggestInput<'_>,
        mut enough: impl FnMut(&str, bool) -> bool,
    ) -> (Candidates, bool) {
        let norm = |text: &str| {
            (self.normalize_with(text, NormalizeOptions::default()).ok()).map(|n| n.name)
        };
        // A handful of candidates: a list is quicker to search than a set is to hash.
        let mut seen: Vec<String> = Vec::new();
        let mut bases = Vec::new();
        // Whether `enough` holds for the candidate, added unless its key was seen.
        let mut add = |c: String| {
            let key = self.canonical_key(&c);
            if seen.iter().any(|s| *s == key) {
                return false;
            }
            seen.push(key.into_owned());
            let valid = self.validate(&c).is_valid();
            let stop = enough(&c, valid);
            bases.push((c, valid));
            stop
        };
        // The text itself, then the forms of the person's names, each normalized only if the
        // ones before it were not enough.
        let mut stopped = norm(input.text).is_some_and(&mut add);
        if !stopped {
            for form in self.person_forms(input) {
                if norm(&form).is_some_and(&mut add) {
                    stopped = true;
                    break;
                }
            }
        }
        (Candidates { bases }, !stopped)
    }

    /// The first of `candidates` that is valid and free in `registry`: the suggestion
    /// [`Policy::suggest_among`] gives first when one is.
    pub(crate) fn first_free(
        &self,
        candidates: &Candidates,
        registry: &dyn Registry,
    ) -> Result<Option<String>, RegistryError> {
        for (candidate, valid) in &candidates.bases {
            if *valid && !registry.is_taken(&self.canonical_key(candidate))? {
                return Ok(Some(candidate.clone()));
            }
        }
        Ok(None)
    }

    /// Only the first of the input's [`Candidates`]: the text itself, normalized, with
    /// whether it is valid; `None` when the text normalizes to nothing. When it is valid and
    /// free, it is what [`Policy::suggest_among`] with all the candidates would give first, at
    /// a sixth of the cost (the other candidates are made from the person's names).
    pub(crate) fn head_candidate(&self, input: SuggestInput<'_>) -> Option<(String, bool)> {
        let name = (self
            .normalize_with(input.text, NormalizeOptions::default())
            .ok())?
        .name;
        let valid = self.validate(&name).is_valid();
        Some((name, valid))
    }

    /// [`Policy::suggest`] from the input's [`Candidates`], worked out beforehand (they need
    /// no registry, so they can be made ahead on another thread).
    pub(crate) fn suggest_among(
        &self,
        candidates: Candidates,
        registry: &dyn Registry,
        n: usize,
    ) -> Result<Vec<String>, RegistryError> {
        // No memo: a single call gains nothing from one, and the browser's small build then
        // carries no hash map.
        self.suggest_among_memo(candidates, registry, n, &mut ())
    }

    /// [`Policy::suggest_among`] for a caller that asks again and again against a registry
    /// that only ever gains names, with `memo` kept between the calls: numbered forms found
    /// invalid or taken are not tried again. The caller must add each suggestion (`n` is 1) to
    /// the registry before the next call. The answer is the one without `memo`, but for the
    /// bound on the numbers a call tries, which starts past the ones `memo` knows taken.
    pub(crate) fn suggest_among_memo(
        &self,
        candidates: Candidates,
        registry: &dyn Registry,
        n: usize,
        memo: &mut impl DeadNumbers,
    ) -> Result<Vec<String>, RegistryError> {
        let mut out = Vec::new();
        if n == 0 {
            return Ok(out);
        }
        for (candidate, valid) in &candidates.bases {
            if *valid && !registry.is_taken(&self.canonical_key(candidate))? {
                out.push(candidate.clone());
                if out.len() == n {
                    return Ok(out);
                }
            }
        }
        self.push_numbered(&candidates, registry, n, memo, &mut out)?;
        Ok(out)
    }

    /// Whether a candidate is valid and free.
    fn offer(&self, candidate: &str, registry: &dyn Registry) -> Result<bool, RegistryError> {
        Ok(self.validate(candidate).is_valid()
            && !registry.is_taken(&self.canonical_key(candidate))?)
    }

    /// The forms made from the person's names, before normalizing: `Given-Family`,
    /// `GivenFamily`, `GFamily`, `G-Family`, `Family-Given`, or the one name known.
    fn person_forms(&self, input: SuggestInput<'_>) -> Vec<String> {
        let options = NormalizeOptions::default();
        // Each part is folded on its own and the forms are repaired as a whole, so a one-letter
        // family name stays a letter (`Bob-B`), never a repaired name of its own (`u-B`).
        let fold = |part: Option<&str>| {
            part.map(|p| self.fold(p, options).0)
                .filter(|p| !p.is_empty())
        };
        match (fold(input.given_name), fold(input.family_name)) {
            (Some(g), Some(f)) => {
                let initial: String = g.chars().take(1).collect();
                let (g, f, initial) = (g.as_str(), f.as_str(), initial.as_str());
                vec![
                    concat(&[g, "-", f]),
                    concat(&[g, f]),
                    concat(&[initial, f]),
                    concat(&[initial, "-", f]),
                    concat(&[f, "-", g]),
                ]
            }
            (Some(one), None) | (None, Some(one)) => vec![one],
            (None, None) => Vec::new(),
        }
    }
}

/// A suggestion's base candidates, best first, without two of one canonical key, each with
/// whether it is valid (see [`Policy::candidates`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Candidates {
    bases: Vec<(String, bool)>,
}

/// Up to `n` suggestions for `input` under the default policy, none in `taken` (compared
/// case-insensitively).
///
/// ```
/// assert_eq!(usernorm::suggest("Jöhn Doe", &["john-doe"], 2), ["John-Doe-2", "John-Doe-3"]);
/// ```
pub fn suggest<S: AsRef<str>>(input: &str, taken: &[S], n: usize) -> Vec<String> {
    let policy = Policy::huggingface();
    let registry = crate::MemoryRegistry::from_names(&policy, taken.iter().map(AsRef::as_ref));
    policy.suggest(input, &registry, n).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EmptyRegistry, MemoryRegistry};

    #[test]
    fn the_first_free_of_the_first_candidates_is_the_suggestion() {
        let p = Policy::huggingface();
        let input = SuggestInput::new("ana_lima")
            .given_name("Ana")
            .family_name("Lima");
        let all = p.candidates(input);
        // `Ana-Lima` is `ana-lima` to the org: not a second candidate.
        let forms = ["ana-lima", "AnaLima", "ALima", "A-Lima", "Lima-Ana"];
        assert_eq!(
            all.bases
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            forms
        );
        // Every org that takes the first few forms, every prefix of the candidates.
        for taken in 0..=forms.len() {
            let org = MemoryRegistry::from_names(&p, forms.iter().take(taken));
            let expected = p.suggest_among(all.clone(), &org, 1).expect("ok");
            for stop in 1..=forms.len() {
                let mut made = 0;
                let (some, complete) = p.candidates_until(input, |_, _| {
                    made += 1;
                    made == stop
                });
                assert_eq!(some.bases.len(), stop);
                assert!(!complete);
                match p.first_free(&some, &org).expect("ok") {
                    Some(first) => assert_eq!([first], expected.as_slice()),
                    None => assert!(taken >= stop),
                }
            }
        }
        let (every, complete) = p.candidates_until(input, |_, _| false);
        assert!(complete);
        assert_eq!(every.bases, all.bases);
    }

    #[test]
    fn numbered_forms_fit_the_maximum() {
        let p = Policy::huggingface();
        let long = "a".repeat(42);
        let org = MemoryRegistry::from_names(&p, [long.as_str()]);
        let got = p.suggest(long.as_str(), &org, 3).expect("ok");
        assert_eq!(got.len(), 3);
        for s in &got {
            assert!(p.validate(s).is_valid(), "{s}");
            assert!(s.len() <= 42);
        }
        assert_eq!(got[0], format!("{}-2", "a".repeat(40)));
    }

    #[test]
    fn nothing_usable_gives_nothing_unless_names_help() {
        let p = Policy::huggingface();
        assert!(p.suggest("🎉", &EmptyRegistry, 3).expect("ok").is_empty());
        let input = SuggestInput::new("🎉").given_name("Ann").family_name("Lee");
        assert_eq!(
            p.suggest(input, &EmptyRegistry, 1).expect("ok"),
            ["Ann-Lee"]
        );
    }
}
