//! Rows the pure per-row work left alone (a parse problem, a ragged row, bytes that are not
//! UTF-8 or UTF-16 that does not decode): each becomes an error record naming its line, with
//! a best-effort username so that a fix can still be offered.

use std::borrow::Cow;

use super::Invariant;
use super::input;
use super::plan::AccountState;
use super::reader::RawRow;
use super::store::Store;
use super::{AuditError, Row, UsernameSource};

impl Store<'_, '_> {
    /// A row the pure work left alone: a parse problem, a ragged row or bad UTF-8, each an
    /// error record.
    pub(super) fn add_unusual(
        &mut self,
        raw: &RawRow,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let line = raw.line;
        let lossy_id = || {
            raw.record
                .get(self.id_column)
                .map(|id| self.lossy(id))
                .unwrap_or_default()
                .into_owned()
        };
        if let Some(problem) = &raw.problem {
            let id = lossy_id();
            self.planned_error(line, &id, "", problem.clone());
            return Ok(());
        }
        if raw.record.len() != self.header.len() {
            let id = lossy_id();
            let message = format!(
                "line {line}: {} field{} where the header has {}; a delimiter is missing or extra",
                raw.record.len(),
                if raw.record.len() == 1 { "" } else { "s" },
                self.header.len()
            );
            self.planned_error(line, &id, "", message);
            return Ok(());
        }
        self.bad_utf8(raw, source)
    }

    /// An error row, which the plan still matches to a member by its id: the export could
    /// not be read, but the provider reads the person fine.
    fn planned_error(&mut self, line: u64, id: &str, name: &str, message: String) {
        let span = self.texts.own(id);
        let decision = self.decide(span, AccountState::Active, None);
        self.error(line, id, name, message);
        self.plan_error(decision);
    }

    /// A row with bytes that are not UTF-8: an error naming the field, with a best-effort
    /// username so a fix can still be offered.
    pub(super) fn bad_utf8(
        &mut self,
        raw: &RawRow,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let line = raw.line;
        let (field, at) = raw
            .record
            .iter()
            .enumerate()
            .find_map(|(i, f)| std::str::from_utf8(f).err().map(|e| (i, e.valid_up_to())))
            .unwrap_or((0, 0));
        let column = self
            .header
            .names()
            .get(field)
            .cloned()
            .invariant("the header's column for a field of a row as long as it");
        let lossy: Vec<String> = raw
            .record
            .iter()
            .map(|f| self.lossy(f).into_owned())
            .collect();
        let fields: Vec<&str> = lossy.iter().map(String::as_str).collect();
        let row = Row::new(self.header, &fields);
        let name = source.username(&row).unwrap_or_default().into_owned();
        let id = fields
            .get(self.id_column)
            .copied()
            .invariant("the id column of a row as long as the header");
        let bytes = raw.record.get(field).invariant("the field found not UTF-8");
        let what = (self.utf16)
            .then(|| {
                input::utf16_error(
                    bytes
                        .get(at..)
                        .invariant("where the field stops being UTF-8"),
                )
            })
            .flatten();
        let message = match what {
            // What the UTF-16 decoder could not decode (the text before it is UTF-8).
            Some(what) => {
                let before = std::str::from_utf8(
                    bytes
                        .get(..at)
                        .invariant("where the field stops being UTF-8"),
                );
                let chars = before.map_or(0, |b| b.chars().count());
                format!(
                    "line {line}, column `{column}`: invalid UTF-16 ({what}) after character \
                     {chars} of the field; save the file again as UTF-16 or as UTF-8"
                )
            }
            None => format!(
                "line {line}, column `{column}`: invalid UTF-8 after byte {at} of the field; \
                 save the file as UTF-8"
            ),
        };
        self.planned_error(line, id, &name, message);
        self.note_person(&row);
        Ok(())
    }

    /// A field as text, what does not decode replaced by U+FFFD (once for each unpaired
    /// surrogate of UTF-16 input).
    pub(super) fn lossy<'f>(&self, field: &'f [u8]) -> Cow<'f, str> {
        match self.utf16 {
            true => input::lossy(field),
            false => String::from_utf8_lossy(field),
        }
    }

    pub(super) fn note_person(&mut self, row: &Row<'_>) {
        if let Some((g, f)) = self.person {
            let given = self.texts.own(
                row.field(g)
                    .invariant("the given-name column of a row as long as the header"),
            );
            let family = self.texts.own(
                row.field(f)
                    .invariant("the family-name column of a row as long as the header"),
            );
            self.push_person(given, family);
        }
    }
}
