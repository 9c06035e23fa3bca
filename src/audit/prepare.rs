//! Per-row preparation, the part of the first phase that looks at one row alone: UTF-8,
//! the mapping, the rules, the canonical key and the skeleton. Pure: no threads, no I/O; the
//! drivers run it where they like.

use std::borrow::Cow;
use std::ops::Range;

use super::Invariant;
use super::arena::cut;
use super::blocks::{self, Block};
use super::plan::{AccountState, StateColumn};
use super::reader::RawRow;
use super::{Header, Row, UsernameSource};
use crate::hash::KeyedHash;
use crate::lookalike::skeleton_into;
use crate::{Code, LookalikeIndex, Policy, Registry, Warning};

/// Rows on their way from the parser to the claim step, with what the pure per-row work
/// found out about them.
#[derive(Default)]
pub(super) struct Batch {
    /// Rows as the record-at-a-time reader read them (that path only).
    pub(super) rows: Vec<RawRow>,
    /// The line each row starts on.
    pub(super) lines: Vec<u64>,
    /// One per row, once prepared.
    pub(super) prepared: Vec<Prepared>,
    /// Whether each row's account is active, one per row (when the file says; else empty).
    pub(super) states: Vec<AccountState>,
    /// The rows the pure work left alone, as read.
    pub(super) unusual: Vec<RawRow>,
    /// The prepared rows' ids, usernames, canonical keys and names, end to end.
    pub(super) text: String,
    /// Bytes of input read when the batch was full.
    pub(super) bytes: u64,
    /// The line breaks in the block the batch was parsed from, when its lines are relative
    /// to the block's start (see [`Batch::start_at`]).
    pub(super) newlines: u64,
}

impl Batch {
    pub(super) fn clear(&mut self) {
        self.lines.clear();
        self.prepared.clear();
        self.states.clear();
        self.unusual.clear();
        self.text.clear();
    }

    pub(super) fn prepare(&mut self, preparer: &mut Preparer<'_>) {
        self.clear();
        for raw in &self.rows {
            self.lines.push(raw.line);
            let prepared = preparer.prepare(raw, &mut self.text, &mut self.unusual);
            self.prepared.push(prepared);
            if preparer.state.is_some() {
                self.states.push(std::mem::take(&mut preparer.last_state));
            }
        }
    }

    /// Parses a block and prepares its rows; `false` when the block cannot be trusted.
    pub(super) fn parse(
        &mut self,
        block: &Block,
        preparer: &mut Preparer<'_>,
        scratch: &mut blocks::Scratch,
    ) -> bool {
        self.clear();
        self.bytes = block.end;
        // About what the rows keep of a block of a directory export (its text is handed on
        // with the rows, so it starts empty).
        self.text.reserve(block.bytes.len() / 3);
        // Room for rows of 128 bytes, so that a new batch does not grow its lists a dozen
        // times (rows are about 250 bytes in a directory export).
        let rows = block.bytes.len() / 128;
        self.lines.reserve(rows);
        self.prepared.reserve(rows);
        let (lines, prepared, states, text, unusual) = (
            &mut self.lines,
            &mut self.prepared,
            &mut self.states,
            &mut self.text,
            &mut self.unusual,
        );
        let columns = preparer.header.len();
        let trusted = blocks::parse(block, preparer.delimiter, columns, scratch, |fields| {
            lines.push(fields.line);
            prepared.push(preparer.prepare_fields(&fields, text, unusual));
            if preparer.state.is_some() {
                states.push(std::mem::take(&mut preparer.last_state));
            }
        });
        // Lines are relative to the block's start; the parse counts its line breaks for the
        // claims to place the next block.
        self.newlines = scratch.newlines;
        trusted
    }

    /// Makes lines relative to the block's start (parsed with its `line` 0) absolute, for a
    /// block starting on `line`.
    pub(super) fn start_at(&mut self, line: u64) {
        for l in &mut self.lines {
            *l += line;
        }
        for raw in &mut self.unusual {
            raw.line += line;
        }
    }
}

/// What the pure work found out about a row.
#[derive(Debug)]
pub(super) enum Prepared {
    /// A parse problem, a ragged row or bad UTF-8: the claim step works the row out from its
    /// raw fields, kept at this index of [`Batch::unusual`].
    Unusual(usize),
    /// The mapping failed on the row.
    MappingFailed { id: Range<u32>, message: String },
    /// A username that breaks the policy.
    Invalid {
        id: Range<u32>,
        name: Range<u32>,
        /// Its codes as bits of [`Code::ALL`] positions.
        codes: u16,
        person: Person,
    },
    /// A valid username, with the hashes of its canonical key and skeleton and a lookalike
    /// warning against the index, if any.
    Valid {
        id: Range<u32>,
        name: Range<u32>,
        key: Range<u32>,
        key_hash: u64,
        shape_hash: u64,
        /// Boxed: rare, and the rows cross between threads by the thousand.
        lookalike: Option<Box<Warning>>,
        person: PersonAt,
        /// Whether the registry has the key, when it was asked here.
        taken: Option<bool>,
    },
}

/// Where a row's given and family names are in [`Batch::text`].
pub(super) type Person = (Range<u32>, Range<u32>);

/// Where a valid row's given and family names are.
#[derive(Debug)]
pub(super) enum PersonAt {
    /// In [`Batch::text`].
    Text(Person),
    /// In the block the row was read from, as they are.
    Block(Range<u32>, Range<u32>),
}

/// Where a record's fields are in the block it was read from: where the record starts, and
/// where each field is from there.
pub(super) type InBlock<'s> = (usize, &'s [(usize, usize)]);

/// The part of the first phase that looks at one row alone: UTF-8, the mapping, the rules,
/// the canonical key and the skeleton. It can run on another thread than the claims.
pub(super) struct Preparer<'p> {
    pub(super) policy: &'p Policy,
    pub(super) header: &'p Header,
    pub(super) source: &'p dyn UsernameSource,
    pub(super) lookalikes: Option<&'p LookalikeIndex<'p>>,
    /// The registry, when it can be asked here.
    pub(super) existing: Option<&'p (dyn Registry + Sync)>,
    pub(super) id_column: usize,
    /// The column saying whether an account is active, if the file has one.
    pub(super) state: Option<StateColumn>,
    /// What that column said of the row prepared last.
    pub(super) last_state: AccountState,
    /// The given and family name columns, when the file has both.
    pub(super) person: Option<(usize, usize)>,
    pub(super) delimiter: u8,
    /// The skeleton of the row at hand; kept to reuse its allocation.
    pub(super) shape: Vec<u8>,
    /// The username of the row at hand, when the mapping builds it; kept likewise.
    pub(super) name: String,
    /// The store's hash, for the canonical key and the skeleton.
    pub(super) hash: KeyedHash,
}

impl Preparer<'_> {
    pub(super) fn prepare(
        &mut self,
        raw: &RawRow,
        text: &mut String,
        unusual: &mut Vec<RawRow>,
    ) -> Prepared {
        let mut leave = || {
            unusual.push(raw.clone());
            Prepared::Unusual(unusual.len() - 1)
        };
        if raw.problem.is_some() || raw.record.len() != self.header.len() {
            return leave();
        }
        // simdutf8 gives std's answer several times faster on long mostly-ASCII records.
        let Ok(all) = simdutf8::basic::from_utf8(raw.record.as_slice()) else {
            return leave();
        };
        // A character split across two fields leaves each of them not UTF-8.
        if (0..raw.record.len()).any(|i| raw.record.range(i).and_then(|r| all.get(r)).is_none()) {
            return leave();
        }
        let row = Row::from_record(self.header, all, &raw.record);
        self.prepare_row(&row, text, None)
    }

    /// [`Preparer::prepare`] for a record parsed from a block.
    pub(super) fn prepare_fields(
        &mut self,
        fields: &blocks::Fields<'_>,
        text: &mut String,
        unusual: &mut Vec<RawRow>,
    ) -> Prepared {
        let all = (fields.spans.len() == self.header.len())
            .then(|| {
                // Between two fields of a record read in place are ASCII delimiters and
                // quotes, so its bytes are UTF-8 exactly when every field is.
                let all = simdutf8::basic::from_utf8(fields.bytes).ok()?;
                // Fields end to end: a character split across two fields leaves each of
                // them not UTF-8. (Each field starts where the one before ends.)
                (fields.in_place
                    || fields
                        .spans
                        .iter()
                        .all(|&(_, end)| all.is_char_boundary(end)))
                .then_some(all)
            })
            .flatten();
        let Some(all) = all else {
            let mut record = csv::ByteRecord::new();
            for i in 0..fields.spans.len() {
                record.push_field(fields.get(i).invariant("a field of the record"));
            }
            unusual.push(RawRow {
                line: fields.line,
                record,
                ..RawRow::default()
            });
            return Prepared::Unusual(unusual.len() - 1);
        };
        let row = Row::from_spans(self.header, all, fields.spans);
        let in_block = fields.in_place.then_some((fields.at, fields.spans));
        self.prepare_row(&row, text, in_block)
    }

    /// Prepares a row; `in_block` has where its fields are in the block it was read from,
    /// when they are there as they are.
    pub(super) fn prepare_row(
        &mut self,
        row: &Row<'_>,
        text: &mut String,
        in_block: Option<InBlock<'_>>,
    ) -> Prepared {
        if let Some(state) = self.state {
            self.last_state = state.read(row.field(state.column()).unwrap_or_default());
        }
        let id = keep(
            text,
            row.field(self.id_column)
                .invariant("the id column of a row as long as the header"),
        );
        // The buffer is kept from row to row.
        let mut buf = std::mem::take(&mut self.name);
        let prepared = match self.source.username_in(row, &mut buf) {
            Ok(name) => self.prepare_name(row, text, in_block, id, name.unwrap_or(&buf)),
            Err(message) => Prepared::MappingFailed { id, message },
        };
        self.name = buf;
        prepared
    }

    /// [`Preparer::prepare_row`] once the mapping has given the username.
    pub(super) fn prepare_name(
        &mut self,
        row: &Row<'_>,
        text: &mut String,
        in_block: Option<InBlock<'_>>,
        id: Range<u32>,
        name: &str,
    ) -> Prepared {
        // Only the codes: the message is made in the second phase.
        let found = self.policy.validate_codes(name);
        if !found.is_empty() {
            let mut codes = 0u16;
            for code in found.iter() {
                if let Some(i) = Code::ALL.iter().position(|&c| c == code) {
                    codes |= 1 << i;
                }
            }
            let name = keep(text, name);
            let person = self.person(row, text);
            return Prepared::Invalid {
                id,
                name,
                codes,
                person,
            };
        }
        // The username right after the id: the row keeps both as one piece of text.
        let kept = keep(text, name);
        // Most valid rows will be ok and never need their person's names: where the block
        // has them as they are, only where they are is kept, for the claims to copy them
        // from the block for the rare row that turns out taken or a duplicate.
        let place = |(at, spans): InBlock<'_>, i: usize| {
            let &(start, end) = spans.get(i)?;
            Some(u32::try_from(at + start).ok()?..u32::try_from(at + end).ok()?)
        };
        let person = match (self.person, in_block) {
            (Some((g, f)), Some(block)) => match (place(block, g), place(block, f)) {
                (Some(given), Some(family)) => PersonAt::Block(given, family),
                _ => PersonAt::Text(self.person(row, text)),
            },
            _ => PersonAt::Text(self.person(row, text)),
        };
        let key = self.policy.canonical_key(name);
        let key_hash = self.hash.str(&key);
        let taken = self.existing.and_then(|r| r.is_taken(&key).ok());
        let key = match key {
            // Most names are their own key.
            Cow::Borrowed(_) => kept.clone(),
            Cow::Owned(key) => keep(text, &key),
        };
        skeleton_into(name, &mut self.shape);
        let lookalike = (self.lookalikes)
            .and_then(|l| l.check_skeleton(name, &self.shape))
            .map(Box::new);
        Prepared::Valid {
            id,
            name: kept,
            key,
            key_hash,
            shape_hash: self.hash.bytes(&self.shape),
            lookalike,
            person,
            taken,
        }
    }

    /// Keeps the row's given and family names, for a suggestion should the row need one.
    pub(super) fn person(&self, row: &Row<'_>, text: &mut String) -> Person {
        match self.person {
            Some((g, f)) => (
                keep(
                    text,
                    row.field(g)
                        .invariant("the given-name column of a row as long as the header"),
                ),
                keep(
                    text,
                    row.field(f)
                        .invariant("the family-name column of a row as long as the header"),
                ),
            ),
            None => (0..0, 0..0),
        }
    }
}

/// Appends `s` to `text`, returning where it is.
pub(super) fn keep(text: &mut String, s: &str) -> Range<u32> {
    // A batch's text stays under 4 GiB (its rows cross between threads with 32-bit places):
    // what would pass that is cut, at a character boundary, as `Texts::own` cuts.
    let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let start = at(text.len());
    text.push_str(cut(s, (u32::MAX - start) as usize));
    start..at(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prepared_row_stays_small() {
        // Every row is written on one thread and read on another: its size is memory traffic.
        assert!(
            std::mem::size_of::<Prepared>() <= 72,
            "{}",
            std::mem::size_of::<Prepared>()
        );
    }
}
