//! Numbered suggestions (`jdoe-2`): the number to try next, found in bounded work however
//! many are taken, and what a caller asking again and again remembers between calls.

use super::Candidates;
use crate::Policy;
use crate::normalize::numbered_form;
use crate::registry::{Registry, RegistryError};

/// Numbers a suggestion tries one by one, past those known to be taken, before it searches by
/// galloping and bisection: the work of a call stays bounded however many numbers are taken.
const LINEAR_NUMBERS: usize = 1024;

impl Policy {
    /// Appends numbered forms of the best of `candidates` to `out` until it holds `n`
    /// suggestions, none of them a base candidate (see [`Policy::suggest_among_memo`]).
    pub(super) fn push_numbered(
        &self,
        candidates: &Candidates,
        registry: &dyn Registry,
        n: usize,
        memo: &mut impl DeadNumbers,
        out: &mut Vec<String>,
    ) -> Result<(), RegistryError> {
        // Numbered forms of the best base.
        let Some((base, _)) = candidates.bases.first() else {
            return Ok(());
        };
        // Numbered forms differ from one another (the digits after their last `-` are their
        // number), so only the bases' keys, a handful, need comparing.
        let base_keys: Vec<String> = (candidates.bases.iter())
            .map(|(c, _)| self.canonical_key(c).into_owned())
            .collect();
        let (stem, first) = split_number(base);
        // Every number in `dead` gives a form that is invalid or taken, and stays so.
        let mut dead = (first, first);
        if let Some((lo, hi)) = memo.get(stem) {
            if (lo..hi).contains(&first) {
                dead = (lo, hi);
            }
        }
        // Whether every number tried so far turned out dead.
        let mut clean = n == 1;
        let top = self.largest_number();
        // Whether number `k` gives a suggestion now (its form, valid, free and none of the
        // bases), and whether it is dead for good (invalid or taken, not merely a base's).
        let try_number = |k: usize| -> Result<(Option<String>, bool), RegistryError> {
            let candidate = numbered_form(stem, k, self);
            let key = self.canonical_key(&candidate);
            if base_keys.iter().any(|b| *b == key) {
                return Ok((None, false));
            }
            Ok(match self.offer(&candidate, registry)? {
                true => (Some(candidate), true),
                false => (None, true),
            })
        };
        let mut next = dead.1;
        while out.len() < n && next <= top {
            // One by one, a bounded number of them.
            let mut found = None;
            let mut tried = 0;
            while found.is_none() && tried < LINEAR_NUMBERS && next <= top {
                let k = next;
                next += 1;
                tried += 1;
                let (free, dead_for_good) = try_number(k)?;
                clean &= dead_for_good;
                if clean {
                    // Dead now, or once the caller hands it out.
                    dead.1 = k + 1;
                }
                found = free;
            }
            if found.is_none() && tried == LINEAR_NUMBERS && next <= top {
                // Every one taken: a free number further on, found by galloping from the last
                // one tried, then by bisection down to one whose predecessor is taken (the
                // lowest free number when the taken ones run without a gap, as numbers handed
                // out in turn do). The numbers skipped are not known dead.
                clean = false;
                found = self.gallop(next - 1, top, &try_number)?.map(|(k, form)| {
                    next = k + 1;
                    form
                });
                if found.is_none() {
                    break;
                }
            }
            out.extend(found);
        }
        // Only numbers tried in turn while all were dead extended the range.
        if dead.1 > dead.0 {
            memo.insert(stem, dead);
        }
        Ok(())
    }

    /// From `lo`, a number whose form is taken, the first free number found by steps that
    /// double (up to `top`), then bisection between the last taken step and it: a free number
    /// whose predecessor is taken, with its form. At most some 130 numbers are tried.
    fn gallop(
        &self,
        mut lo: usize,
        top: usize,
        try_number: &impl Fn(usize) -> Result<(Option<String>, bool), RegistryError>,
    ) -> Result<Option<(usize, String)>, RegistryError> {
        let mut step = LINEAR_NUMBERS;
        let (mut hi, mut form) = loop {
            let probe = lo.saturating_add(step).min(top);
            if probe <= lo {
                return Ok(None);
            }
            if let (Some(form), _) = try_number(probe)? {
                break (probe, form);
            }
            lo = probe;
            step = step.saturating_mul(2);
        };
        // `lo` gives no suggestion, `hi` does.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            match try_number(mid)? {
                (Some(f), _) => (hi, form) = (mid, f),
                (None, _) => lo = mid,
            }
        }
        Ok(Some((hi, form)))
    }

    /// The largest number a numbered form can carry and still fit the maximum length: its
    /// digits, a `-` and at least one character of the name.
    fn largest_number(&self) -> usize {
        let mut top: usize = 0;
        for _ in 0..self.max_length().saturating_sub(2) {
            match top.checked_mul(10).and_then(|t| t.checked_add(9)) {
                Some(t) => top = t,
                None => return usize::MAX,
            }
        }
        top
    }
}

/// What [`Policy::suggest_among_memo`] remembers between calls: for each stem, a range of
/// numbers whose forms are all invalid or taken.
#[derive(Debug, Default)]
pub(crate) struct NumberMemo {
    dead: std::collections::HashMap<String, (usize, usize)>,
}

/// Where [`Policy::suggest_among_memo`] keeps its dead numbers: a [`NumberMemo`], or `()` to
/// remember nothing.
pub(crate) trait DeadNumbers {
    /// The dead range remembered for `stem`.
    fn get(&self, stem: &str) -> Option<(usize, usize)>;
    /// Remembers `dead` for `stem`.
    fn insert(&mut self, stem: &str, dead: (usize, usize));
}

impl DeadNumbers for NumberMemo {
    fn get(&self, stem: &str) -> Option<(usize, usize)> {
        self.dead.get(stem).copied()
    }

    fn insert(&mut self, stem: &str, dead: (usize, usize)) {
        self.dead.insert(stem.to_owned(), dead);
    }
}

impl DeadNumbers for () {
    fn get(&self, _: &str) -> Option<(usize, usize)> {
        None
    }

    fn insert(&mut self, _: &str, _: (usize, usize)) {}
}

/// A base that already ends in a number (`jdoe-2`) goes on counting (`jdoe-3`) rather than
/// growing a second number (`jdoe-2-2`).
fn split_number(base: &str) -> (&str, usize) {
    match crate::text::rsplit_once(base, b'-') {
        Some((stem, n)) if !stem.is_empty() && !n.is_empty() && n.len() <= 3 => {
            match (n.bytes().all(|b| b.is_ascii_digit()), n.parse::<usize>()) {
                (true, Ok(k)) if k >= 1 => (stem, k + 1),
                _ => (base, 2),
            }
        }
        _ => (base, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemoryRegistry, SuggestInput};

    #[test]
    fn the_memo_of_dead_numbers_changes_no_answer() {
        let p = Policy::huggingface();
        // Rows asking for the same names again and again, each answer handed out at once.
        let inputs = [
            "jdoe", "j.doe", "jdoe-3", "jdoe", "jdoe-2", "x_y", "jdoe", "JDoe", "x-y",
        ];
        let taken = ["jdoe", "jdoe-4", "jdoe-5", "x-y-2", "jdoe-9"];
        let mut with = MemoryRegistry::from_names(&p, taken);
        let mut without = MemoryRegistry::from_names(&p, taken);
        let mut memo = NumberMemo::default();
        for round in 0..4 {
            for input in inputs {
                let make = || p.candidates(SuggestInput::new(input).given_name("J"));
                let a = p
                    .suggest_among_memo(make(), &with, 1, &mut memo)
                    .expect("ok");
                let b = p.suggest_among(make(), &without, 1).expect("ok");
                assert_eq!(a, b, "{input}, round {round}");
                if let Some(name) = a.first() {
                    with.insert(&p, name);
                    without.insert(&p, name);
                }
            }
        }
        assert!(
            memo.dead
                .get("jdoe")
                .is_some_and(|&(lo, hi)| lo == 2 && hi > 10)
        );
    }

    /// Numbers go past the 99 999 they once stopped at, and a registry holding the first
    /// hundred thousand is searched, not walked.
    #[test]
    fn numbers_have_no_cap_and_the_search_is_bounded() {
        let p = Policy::huggingface();
        let mut org = MemoryRegistry::from_names(&p, ["jdoe"]);
        for k in 2..=100_000 {
            org.insert(&p, &format!("jdoe-{k}"));
        }
        let counted = Counting::new(&org);
        assert_eq!(p.suggest("jdoe", &counted, 1).expect("ok"), ["jdoe-100001"]);
        let lookups = counted.lookups.get();
        assert!(lookups < 2 * LINEAR_NUMBERS, "{lookups} lookups");
        assert_eq!(
            p.suggest("jdoe", &org, 2).expect("ok"),
            ["jdoe-100001", "jdoe-100002"]
        );
        // Past a gap beyond the numbers tried in turn, a free number all the same.
        let mut gappy = MemoryRegistry::from_names(&p, ["jdoe"]);
        for k in (2..=5000).chain(5002..=9000) {
            gappy.insert(&p, &format!("jdoe-{k}"));
        }
        let got = p.suggest("jdoe", &gappy, 1).expect("ok");
        assert!(got == ["jdoe-5001"] || got == ["jdoe-9001"], "{got:?}");
        // A number as long as the maximum allows.
        let org = Everything;
        assert!(p.suggest("jdoe", &org, 1).expect("ok").is_empty());
        assert_eq!(p.largest_number(), usize::MAX);
        let short = Policy::from_toml("max_length = 6").expect("policy");
        assert_eq!(short.largest_number(), 9999);
        assert_eq!(
            Policy::from_toml("min_length = 1\nmax_length = 2")
                .expect("policy")
                .largest_number(),
            0
        );
    }

    /// With the memo, as the audit asks: a hundred thousand rows wanting `jdoe` each get the
    /// next number, past the old cap, with a few lookups each.
    #[test]
    fn the_memo_finds_the_next_number_at_once() {
        let p = Policy::huggingface();
        let mut org = MemoryRegistry::from_names(&p, ["jdoe"]);
        let mut memo = NumberMemo::default();
        let rows = 120_000;
        let mut lookups = 0;
        for k in 2..rows {
            let counted = Counting::new(&org);
            let got = p
                .suggest_among_memo(p.candidates("jdoe".into()), &counted, 1, &mut memo)
                .expect("ok");
            assert_eq!(got, [format!("jdoe-{k}")]);
            lookups += counted.lookups.get();
            org.insert(&p, &got[0]);
        }
        assert!(lookups < 3 * rows, "{lookups} lookups");
    }

    /// A registry that counts its lookups.
    struct Counting<'r> {
        inner: &'r dyn Registry,
        lookups: std::cell::Cell<usize>,
    }

    impl<'r> Counting<'r> {
        fn new(inner: &'r dyn Registry) -> Self {
            Counting {
                inner,
                lookups: std::cell::Cell::new(0),
            }
        }
    }

    impl Registry for Counting<'_> {
        fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
            self.lookups.set(self.lookups.get() + 1);
            self.inner.is_taken(key)
        }
    }

    /// A registry where every name is taken.
    struct Everything;

    impl Registry for Everything {
        fn is_taken(&self, _: &str) -> Result<bool, RegistryError> {
            Ok(true)
        }
    }

    #[test]
    fn numbered_bases_go_on_counting() {
        let p = Policy::huggingface();
        let org = MemoryRegistry::from_names(&p, ["jdoe-2", "jdoe-3"]);
        assert_eq!(
            p.suggest("jdoe-2", &org, 2).expect("ok"),
            ["jdoe-4", "jdoe-5"]
        );
        assert_eq!(split_number("team-a"), ("team-a", 2));
        assert_eq!(split_number("u-0"), ("u-0", 2));
        assert_eq!(
            split_number("class-2024"),
            ("class-2024", 2),
            "a year is part of the name"
        );
    }
}
