//! The first phase's result and the second phase: records drafted (ahead, on helper
//! threads where there are some) and their suggestions chosen in row order.

use std::collections::HashSet;

use super::Invariant;
use super::draft::{Draft, Drafter, Fix, Rows};
use super::record::csv_field;
use super::report::{Pending, Piece, ReportFormat};
use super::threaded::Helper;
use super::tuning::Tuning;
use super::{AuditError, Record, Summary};
use crate::hash::KeyedHash;
use crate::suggest::NumberMemo;
use crate::{Policy, Registry, RegistryError};
use std::sync::Arc;

/// The first phase's result: every row's status, and the names claimed. Its
/// [`records`](Checked::records) are the second phase.
pub struct Checked<'a> {
    pub(super) policy: &'a Policy,
    pub(super) existing: &'a dyn Registry,
    /// What drafting records reads, shared with the thread that drafts them.
    pub(super) rows: Arc<Rows>,
    /// Numbered suggestions known to be taken, by stem.
    pub(super) numbers: std::cell::RefCell<NumberMemo>,
    pub(super) handed_out: HashSet<String, KeyedHash>,
    pub(super) summary: Summary,
    /// Whether the second phase may draft records on a second thread.
    pub(super) threads: bool,
    pub(super) tuning: Tuning,
}

impl std::fmt::Debug for Checked<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("rows", &self.rows.metas.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Checked<'a> {
    /// The audit in figures. `unfixable` is complete once the records have been read (by
    /// [`Checked::records`] or [`Checked::write_report`]).
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// How many rows were read.
    pub fn rows(&self) -> usize {
        self.rows.metas.len()
    }

    /// The second phase: one record per row, in input order, suggestions handed out in row
    /// order so that none is given twice. Each call starts the second phase over: the same
    /// records and the same suggestions every time (and [`Summary::unfixable`] counted once).
    pub fn records(&mut self) -> Records<'_, 'a> {
        self.start_over();
        let helper = match self.threads {
            true => Helper::start(&self.rows, self.tuning, |d: &Drafter<'_>, rows, seen| {
                d.draft(rows, Some(seen))
            }),
            false => None,
        };
        Records {
            checked: self,
            next: 0,
            ahead: Vec::new().into_iter(),
            helper,
        }
    }

    /// The second phase, formatted: the report's records as [`Checked::records`] gives them,
    /// each as [`Record::write_csv_line`] writes it or as one line of JSON, handed to `sink`
    /// in pieces of many records, in order. The same result as formatting each record, with
    /// less work: the records are formatted where they are drafted, on the helper threads.
    /// Like [`Checked::records`], it starts the second phase over, so it gives the same
    /// suggestions however often it is called.
    ///
    /// ```
    /// use usernorm::audit::{Audit, Column, ReportFormat};
    /// use usernorm::{EmptyRegistry, Policy};
    ///
    /// let policy = Policy::huggingface();
    /// let csv = "id,user\n1,ann\n2,a_b\n";
    /// let mut checked = Audit::new(&policy, &EmptyRegistry).run(csv.as_bytes(), &mut Column::new("user"))?;
    /// let mut out = Vec::new();
    /// checked.write_report(ReportFormat::Csv, |piece| {
    ///     out.extend(piece);
    ///     Ok(())
    /// })?;
    /// let out = String::from_utf8(out).unwrap();
    /// assert!(out.starts_with("1,2,1,ann,ok,"));
    /// assert!(out.lines().nth(1).unwrap().ends_with(",a-b,,,create,"));
    /// # Ok::<(), usernorm::audit::AuditError>(())
    /// ```
    ///
    /// # Errors
    /// The registry failing, or `sink` failing ([`AuditError::Io`], with its error).
    pub fn write_report(
        &mut self,
        format: ReportFormat,
        mut sink: impl FnMut(Vec<u8>) -> std::io::Result<()>,
    ) -> Result<(), AuditError> {
        self.start_over();
        let helper = match self.threads {
            true => Helper::start(
                &self.rows,
                self.tuning,
                move |d: &Drafter<'_>, rows, seen| d.report(rows, format, Some(seen)),
            ),
            false => None,
        };
        let total = self.rows();
        let mut start = 0;
        while start < total {
            let end = (start + self.tuning.ahead).min(total);
            let piece = helper.as_ref().and_then(|h| h.recv());
            let piece =
                piece.unwrap_or_else(|| self.rows.drafter().report(start..end, format, None));
            let Piece { text, pending } = piece;
            let mut out = Vec::with_capacity(text.len() + pending.len() * 32);
            let mut at = 0;
            for (offset, pending) in pending {
                out.extend_from_slice(
                    text.get(at..offset)
                        .invariant("a pending record's offset in its piece"),
                );
                at = offset;
                match pending {
                    Pending::Line { index, fix } => {
                        let suggestion = self.choose(index, fix)?;
                        csv_field(&mut out, suggestion.as_deref(), "");
                    }
                    Pending::Record(draft) => {
                        let record = self.suggest(*draft)?;
                        format.write(&record, &mut out);
                    }
                }
            }
            out.extend_from_slice(
                text.get(at..)
                    .invariant("a pending record's offset in its piece"),
            );
            sink(out)?;
            start = end;
        }
        Ok(())
    }

    /// Forgets the suggestions handed out, for the second phase to start again from the first
    /// row and hand out the same ones.
    pub(super) fn start_over(&mut self) {
        self.handed_out.clear();
        *self.numbers.get_mut() = NumberMemo::default();
        self.summary.unfixable = 0;
    }

    /// Whether the row at `index` would fail to provision.
    fn fails(&self, index: u32) -> bool {
        (self.rows.metas.get(index as usize)).is_some_and(|m| m.status.fails())
    }

    /// Chooses the drafted record's suggestion, in row order so that none is given twice.
    pub(super) fn suggest(&mut self, draft: Draft) -> Result<Record, AuditError> {
        let Draft { mut record, fix } = draft;
        if !record.status.fails() {
            return Ok(record);
        }
        let index = u32::try_from(record.row.saturating_sub(1)).unwrap_or(u32::MAX);
        record.suggestion = self.choose(index, fix)?;
        Ok(record)
    }

    /// The suggestion for the row at `index`, which is not ok, from `fix`; in row order so
    /// that none is given twice.
    pub(super) fn choose(&mut self, index: u32, fix: Fix) -> Result<Option<String>, AuditError> {
        let registry = Claimed { checked: self };
        let among = |candidates| {
            let memo = &mut *self.numbers.borrow_mut();
            Ok::<_, AuditError>(
                (self
                    .policy
                    .suggest_among_memo(candidates, &registry, 1, memo)?)
                .pop(),
            )
        };
        let suggestion = match fix {
            Fix::Nothing => None,
            Fix::Head { head, .. } if !registry.is_taken(&self.policy.canonical_key(&head))? => {
                Some(head)
            }
            // What the head stands for: the first of all the candidates, now taken.
            Fix::Head {
                more: Some((all, true)),
                ..
            } => among(all)?,
            Fix::Head { more, .. } => {
                // The first few candidates, or none: one of them free is the suggestion, else
                // all of them are made.
                let first = match &more {
                    Some((some, _)) => self.policy.first_free(some, &registry)?,
                    None => None,
                };
                let drafter = self.rows.drafter();
                match (first, drafter.suggest_input(index, drafter.person(index))) {
                    (Some(first), _) => Some(first),
                    (None, Some(input)) => among(self.policy.candidates(input))?,
                    (None, None) => None,
                }
            }
            Fix::All(candidates) => among(candidates)?,
            // The member's own name: no other row can have it.
            Fix::Keep(current) => Some(current),
        };
        match &suggestion {
            Some(s) => {
                self.handed_out
                    .insert(self.policy.canonical_key(s).into_owned());
            }
            // A row that does not fail (skipped on purpose) needs no fix.
            None if self.fails(index) => self.summary.unfixable += 1,
            None => {}
        }
        Ok(suggestion)
    }
}

/// The names a suggestion must avoid: the org's, every ok row's and every suggestion so far.
pub(super) struct Claimed<'c, 'a> {
    pub(super) checked: &'c Checked<'a>,
}

impl Registry for Claimed<'_, '_> {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        let checked = self.checked;
        if checked.handed_out.contains(key) {
            return Ok(true);
        }
        if checked.rows.drafter().claimed(key) {
            return Ok(true);
        }
        checked.existing.is_taken(key)
    }
}

/// The records of an audit, in input order (see [`Checked::records`]).
pub struct Records<'c, 'a> {
    pub(super) checked: &'c mut Checked<'a>,
    /// The next row to draft.
    pub(super) next: usize,
    /// Drafted records, waiting for their suggestions in row order.
    pub(super) ahead: std::vec::IntoIter<Draft>,
    /// The thread drafting them, if there is one.
    pub(super) helper: Option<Helper<Vec<Draft>>>,
}

impl std::fmt::Debug for Records<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").field("next", &self.next).finish()
    }
}

impl Iterator for Records<'_, '_> {
    type Item = Result<Record, AuditError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(draft) = self.ahead.next() {
                return Some(self.suggest(draft));
            }
            if self.next >= self.checked.rows() {
                return None;
            }
            self.draft_ahead();
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.checked.rows().saturating_sub(self.next) + self.ahead.len();
        (left, Some(left))
    }
}

impl Records<'_, '_> {
    /// Drafts the next [`Tuning::ahead`] records: everything that does not depend on the suggestions
    /// handed out before, on the helper thread where there is one.
    pub(super) fn draft_ahead(&mut self) {
        let start = self.next;
        let drafts = self.helper.as_ref().and_then(Helper::recv);
        let drafts = drafts.unwrap_or_else(|| {
            // Without a helper, or should it have stopped, the drafts are made here.
            self.helper = None;
            let rows = &self.checked.rows;
            rows.drafter().draft(
                start..(start + self.checked.tuning.ahead).min(rows.metas.len()),
                None,
            )
        });
        self.next = start + drafts.len().max(1);
        self.ahead = drafts.into_iter();
    }

    /// Chooses the drafted record's suggestion, in row order so that none is given twice.
    pub(super) fn suggest(&mut self, draft: Draft) -> Result<Record, AuditError> {
        self.checked.suggest(draft)
    }
}
