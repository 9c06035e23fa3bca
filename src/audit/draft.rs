//! Suggestion drafting: each record but for its suggestion, with what the suggestion will
//! be chosen from; work that needs no other row's suggestion, so helpers can do it ahead.

use std::ops::Range;

use super::Invariant;
use super::arena::Texts;
use super::claims::RowIndex;
use super::plan::PlanRows;
use super::store::{Groups, Meta, Note, slice};
use super::threaded::SeenKeys;
use super::{Action, Record, Status};
use crate::hash::KeyedHash;
use crate::rules;
use crate::suggest::Candidates;
use crate::{Code, Policy, SuggestInput};

/// The rows as the first phase left them: what drafting records reads.
pub(super) struct Rows {
    pub(super) policy: Policy,
    pub(super) texts: Texts,
    pub(super) metas: Vec<Meta>,
    pub(super) notes: Vec<(u32, Note)>,
    pub(super) groups: Groups,
    /// The hash of `claims`' keys.
    pub(super) hash: KeyedHash,
    /// Canonical key hash -> the ok rows that claimed keys with it.
    pub(super) claims: RowIndex,
    /// Each row's match and action.
    pub(super) plan: PlanRows,
}

impl Rows {
    pub(super) fn drafter(&self) -> Drafter<'_> {
        Drafter {
            policy: &self.policy,
            texts: &self.texts,
            metas: &self.metas,
            notes: &self.notes,
            groups: &self.groups,
            hash: &self.hash,
            claims: &self.claims,
            plan: &self.plan,
            plain_names: !b",\"\r\n".iter().any(|&b| self.policy.allows_byte(b)),
        }
    }
}

/// A record with all but its suggestion, and what the suggestion is chosen from.
pub(super) struct Draft {
    pub(super) record: Record,
    pub(super) fix: Fix,
}

/// What a drafted record's suggestion is chosen from.
pub(super) enum Fix {
    /// Nothing: the row has no username and no person's names.
    Nothing,
    /// The invalid username normalized, which is valid: the suggestion when it is free (as it
    /// nearly always is), else chosen among all the candidates, made then. Most failing rows
    /// are invalid ones, so most never make the five candidates from the person's names.
    /// `more` are the candidates the helper drafting the record made already, when the head
    /// was likely to be taken (see [`SeenKeys`]): up to the first likely to be free, with
    /// whether they are all of them.
    Head {
        head: String,
        more: Option<(Candidates, bool)>,
    },
    /// All the candidates, for a row whose normalized username is taken or a duplicate.
    All(Candidates),
    /// The member's current name, for a rename whose new name fails: keeping it is the fix.
    Keep(String),
}

/// What drafting records reads, shared with a second thread (so without the registry).
pub(super) struct Drafter<'v> {
    pub(super) policy: &'v Policy,
    pub(super) texts: &'v Texts,
    pub(super) metas: &'v [Meta],
    pub(super) notes: &'v [(u32, Note)],
    pub(super) groups: &'v Groups,
    pub(super) hash: &'v KeyedHash,
    pub(super) claims: &'v RowIndex,
    pub(super) plan: &'v PlanRows,
    /// Whether an ok row's username, which has only characters the policy allows, never
    /// needs quotes in CSV: the policy allows none of `,`, `"`, CR and LF.
    pub(super) plain_names: bool,
}

impl Drafter<'_> {
    /// Whether an ok row claimed the canonical key (no other row can: the claims are final).
    pub(super) fn claimed(&self, key: &str) -> bool {
        let mine = |row| {
            self.policy
                .canonical_key(slice(self.texts, self.metas, row).1)
                == key
        };
        self.claims.find(self.hash.str(key), mine).is_some()
    }

    /// Whether an ok row may have claimed a canonical key of this hash: a row's hash starts
    /// as it does. One read of the claim table, where [`Drafter::claimed`] also reads the
    /// row and its name (three misses of the cache, far apart); for a guess.
    pub(super) fn maybe_claimed(&self, hash: u64) -> bool {
        self.claims.find(hash, |_| true).is_some()
    }

    /// The given and family names noted for a row, if any.
    pub(super) fn person(&self, index: u32) -> Option<(&str, &str)> {
        let first = self.notes.partition_point(|(row, _)| *row < index);
        (self.notes.get(first..)?.iter())
            .take_while(|(row, _)| *row == index)
            .find_map(|(_, note)| match note {
                Note::Person { given, family } => {
                    Some((self.texts.get(*given), self.texts.get(*family)))
                }
                _ => None,
            })
    }

    /// What a suggestion for a row that is not ok is made from; `None` when there is nothing.
    pub(super) fn suggest_input<'s>(
        &'s self,
        index: u32,
        person: Option<(&'s str, &'s str)>,
    ) -> Option<SuggestInput<'s>> {
        let status = self.metas.get(index as usize)?.status;
        let name = slice(self.texts, self.metas, index).1;
        if !status.fails() || (name.is_empty() && person.is_none()) {
            return None;
        }
        let mut input = SuggestInput::new(name);
        if let Some((given, family)) = person {
            input = input.given_name(given).family_name(family);
        }
        Some(input)
    }

    /// The rows of `rows` that there are, each with its index, what the first phase kept of
    /// it and its notes.
    pub(super) fn rows(
        &self,
        rows: Range<usize>,
    ) -> impl Iterator<Item = (u32, Meta, &[(u32, Note)])> + '_ {
        let first = u32::try_from(rows.start).unwrap_or(u32::MAX);
        let mut note = self.notes.partition_point(|(row, _)| *row < first);
        rows.map_while(move |i| {
            let (Ok(index), Some(&meta)) = (u32::try_from(i), self.metas.get(i)) else {
                return None;
            };
            let from = note;
            while self.notes.get(note).is_some_and(|(row, _)| *row == index) {
                note += 1;
            }
            let notes = self.notes.get(from..note).invariant("the row's notes");
            Some((index, meta, notes))
        })
    }

    /// The records of `rows` without their suggestions, with the candidates for them.
    pub(super) fn draft(&self, rows: Range<usize>, seen: Option<&SeenKeys>) -> Vec<Draft> {
        let mut drafts = Vec::with_capacity(rows.len());
        for (index, meta, notes) in self.rows(rows) {
            drafts.push(self.draft_row(index, meta, notes, seen));
        }
        drafts
    }

    /// The record of the row at `index` without its suggestion, with the candidates for it;
    /// `notes` are the row's.
    pub(super) fn draft_row(
        &self,
        index: u32,
        meta: Meta,
        notes: &[(u32, Note)],
        seen: Option<&SeenKeys>,
    ) -> Draft {
        let mut person = None;
        let mut record = self.record_without_suggestion(index, meta);
        for (_, n) in notes {
            match n {
                Note::Error(message) => record.message.clone_from(message),
                Note::Warning(w) => record.warnings.push(w.clone()),
                Note::Person { given, family } => {
                    person = Some((self.texts.get(*given), self.texts.get(*family)));
                }
            }
        }
        self.explain(index, &mut record, meta);
        let cell = self.plan.cell(index);
        let keep = (cell.action == Action::Rename && meta.status.fails())
            .then(|| self.plan.current(index))
            .filter(|current| self.policy.validate_codes(current).is_empty());
        let fix = match self.suggest_input(index, person) {
            _ if keep.is_some() => Fix::Keep(keep.unwrap_or_default().to_owned()),
            None => Fix::Nothing,
            Some(input) => {
                let head = (meta.status == Status::Invalid)
                    .then(|| self.policy.head_candidate(input))
                    .flatten();
                match head {
                    Some((head, true)) => {
                        let more = seen.and_then(|seen| {
                            // Taken, most likely, when an ok row may hold its key or it was a
                            // candidate likely to be free for an earlier row.
                            let likely_free = |c: &str| {
                                let hash = self.hash.str(&self.policy.canonical_key(c));
                                !self.maybe_claimed(hash) && !seen.note(hash)
                            };
                            (!likely_free(&head)).then(|| {
                                (self.policy)
                                    .candidates_until(input, |c, valid| valid && likely_free(c))
                            })
                        });
                        Fix::Head { head, more }
                    }
                    _ => Fix::All(self.policy.candidates(input)),
                }
            }
        };
        Draft { record, fix }
    }

    pub(super) fn record_without_suggestion(&self, index: u32, meta: Meta) -> Record {
        let (id, name) = slice(self.texts, self.metas, index);
        let (first, group) = match meta.status {
            Status::Duplicate => (Some(meta.first), self.groups.get(&meta.first)),
            Status::Ok => (None, self.groups.get(&index)),
            _ => (None, None),
        };
        let collides_with = first
            .into_iter()
            .chain(group.into_iter().flatten().copied())
            .filter(|&r| r != index)
            .take(Record::MAX_COLLISIONS)
            .map(|r| u64::from(r) + 1)
            .collect();
        Record {
            row: u64::from(index) + 1,
            line: meta.line,
            id: id.to_owned(),
            username: name.to_owned(),
            status: meta.status,
            codes: Vec::new(),
            message: String::new(),
            suggestion: None,
            collides_with,
            warnings: Vec::new(),
            action: self.plan.cell(index).action,
            current_username: self.plan.current(index).to_owned(),
        }
    }

    /// The codes and message of a row that is not ok (an error's or a skipped row's message
    /// is its note).
    pub(super) fn explain(&self, index: u32, record: &mut Record, meta: Meta) {
        let name = record.username.as_str();
        match meta.status {
            Status::Ok | Status::Error | Status::Skipped => {}
            Status::Invalid => {
                let report = self.policy.validate(name);
                record.codes = report.codes().collect();
                // Two runs of the same character read the same: say it once.
                let mut messages: Vec<&str> = Vec::new();
                for v in &report.violations {
                    if !messages.contains(&v.message.as_str()) {
                        messages.push(&v.message);
                    }
                }
                record.message = messages.join("; ");
            }
            Status::Taken => {
                record.codes = vec![Code::Taken];
                record.message = self
                    .plan
                    .taken_message(index, name)
                    .unwrap_or_else(|| rules::taken_violation(name).message);
            }
            Status::Duplicate => {
                record.codes = vec![Code::Duplicate];
                let first = meta.first as usize + 1;
                record.message = self
                    .plan
                    .duplicate_message(name, first)
                    .unwrap_or_else(|| rules::duplicate_violation(name, first).message);
            }
        }
    }
}
