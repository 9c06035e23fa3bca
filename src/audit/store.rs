//! The store: the first phase's state (rows in compact form, their notes and the names
//! they claim) and the ordered half of the per-row work, claiming names in row order.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use super::Invariant;
use super::arena::{Place, Span, Texts};
use super::checked::Checked;
use super::claims::RowIndex;
use super::draft::Rows;
use super::engine::Audit;
use super::plan::{AccountState, Cell, StateColumn};
use super::planner::Planner;
use super::prepare::{PersonAt, Preparer};
use super::record::{CodeCount, Collisions, StatusCounts};
use super::tuning::Tuning;
use super::{Encoding, Header, Status, Summary, UsernameSource};
use crate::hash::KeyedHash;
use crate::lookalike::skeleton_bytes;
use crate::{Code, LookalikeIndex, Policy, Registry, Warning};

/// What the first phase keeps of a row.
#[derive(Debug, Clone, Copy)]
pub(super) struct Meta {
    pub(super) line: u64,
    /// Where the row's id, then its username, start in the chunk of [`Texts`].
    pub(super) at: u64,
    pub(super) chunk: u32,
    pub(super) id_len: u32,
    pub(super) name_len: u32,
    /// For a duplicate, the index of the row that has the name.
    pub(super) first: u32,
    /// For an invalid row, its codes as bits of [`Code::ALL`] positions.
    pub(super) codes: u16,
    pub(super) status: Status,
    /// Whether later rows are duplicates of this one (see [`Groups`]).
    pub(super) leads: bool,
}

/// Facts about a row the second phase needs, kept only for the rows that have them.
#[derive(Debug)]
pub(super) enum Note {
    Error(String),
    Warning(Warning),
    Person { given: Span, family: Span },
}

/// The later rows of each name produced more than once, by its first row.
pub(super) type Groups = HashMap<u32, Vec<u32>, KeyedHash>;

/// The first phase's state: rows in compact form and the names they claim.
pub(super) struct Store<'a, 'h> {
    pub(super) policy: &'a Policy,
    pub(super) existing: &'a dyn Registry,
    pub(super) shared: Option<&'a (dyn Registry + Sync)>,
    pub(super) lookalikes: Option<&'a LookalikeIndex<'a>>,
    pub(super) header: &'h Header,
    pub(super) id_column: usize,
    pub(super) person: Option<(usize, usize)>,
    pub(super) delimiter: u8,
    /// Whether the input is UTF-16, decoded to UTF-8 (what did not decode is not UTF-8).
    pub(super) utf16: bool,
    pub(super) texts: Texts,
    pub(super) metas: Vec<Meta>,
    pub(super) notes: Vec<(u32, Note)>,
    /// The hash of the claim and skeleton tables' keys.
    pub(super) hash: KeyedHash,
    /// Canonical key hash -> the rows that claimed keys with it.
    pub(super) claims: RowIndex,
    /// Skeleton hash -> the first ok row with it.
    pub(super) skeletons: RowIndex,
    /// (first row, later row) for every duplicate.
    pub(super) dups: Vec<(u32, u32)>,
    pub(super) statuses: StatusCounts,
    pub(super) codes: [u64; Code::ALL.len()],
    pub(super) warnings: u64,
    pub(super) threads: bool,
    /// The input's size in bytes, until the tables are sized from it.
    pub(super) input_size: Option<u64>,
    pub(super) tuning: Tuning,
    /// The column saying whether an account is active, if the file has one.
    pub(super) state: Option<StateColumn>,
    /// The provisioning plan: each row's match and action.
    pub(super) planner: Planner<'a>,
    /// The line of each row in the file the input was made from, if it was.
    pub(super) source_lines: Option<&'a [u64]>,
}

impl<'a, 'h> Store<'a, 'h> {
    pub(super) fn new(
        audit: &Audit<'a>,
        header: &'h Header,
        delimiter: u8,
        encoding: Encoding,
    ) -> Self {
        let person = header.index("givenName").zip(header.index("surname"));
        let match_column = (audit.plan)
            .and_then(|p| p.match_column.as_deref())
            .and_then(|c| header.index(c));
        Store {
            policy: audit.policy,
            existing: audit.existing,
            shared: audit.shared,
            lookalikes: audit.lookalikes,
            header,
            id_column: match_column.unwrap_or_else(|| header.id_column()),
            person,
            delimiter,
            utf16: matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be),
            texts: Texts::default(),
            metas: Vec::new(),
            notes: Vec::new(),
            hash: KeyedHash::new(),
            claims: RowIndex::default(),
            skeletons: RowIndex::default(),
            dups: Vec::new(),
            statuses: StatusCounts::default(),
            codes: [0; Code::ALL.len()],
            warnings: 0,
            threads: audit.threads,
            input_size: audit.input_size,
            tuning: audit.tuning,
            state: StateColumn::find(header),
            planner: Planner::new(audit.plan),
            source_lines: audit.source_lines,
        }
    }

    /// Once at least [`Tuning::batch`] rows are in, sizes the row list, the arena and the claim and
    /// skeleton tables for the rows still to come, estimated from the input's size and the
    /// bytes a row has taken so far (`bytes` read for the rows in), so that they are not
    /// grown and rehashed a dozen times on the way to a million rows.
    pub(super) fn presize(&mut self, bytes: u64) {
        let rows = self.metas.len();
        if rows < self.tuning.batch || bytes == 0 {
            return;
        }
        let Some(size) = self.input_size.take() else {
            return;
        };
        // In floating point: a hint needs no exact product, and u128's division would add 1 KB
        // to the browser build. At most 2^26 rows: an absurd size hint must not reserve
        // gigabytes (the cast saturates; NaN cannot come of positive operands).
        let estimate = size as f64 * rows as f64 / bytes as f64;
        let total = estimate.min((1u64 << 26) as f64) as usize;
        let more = total.saturating_sub(rows);
        let ok_share = self.statuses.ok as usize * more / rows;
        self.metas.reserve(more);
        self.planner.rows.cells.reserve(more);
        if let Some(own) = self.texts.chunks.first_mut() {
            // The batches' text is kept as it is; only the own chunk grows.
            own.reserve(own.len() / rows * more);
        }
        self.claims.reserve(ok_share);
        self.skeletons.reserve(ok_share);
    }

    pub(super) fn name(&self, index: u32) -> &str {
        slice(&self.texts, &self.metas, index).1
    }

    /// The row that claimed a canonical key.
    pub(super) fn owner(&self, key: &str, hash: u64) -> Option<u32> {
        self.claims
            .find(hash, |row| self.policy.canonical_key(self.name(row)) == key)
    }

    /// A row whose id and username are copied into the own chunk.
    pub(super) fn push(&mut self, line: u64, id: &str, name: &str, status: Status) -> u32 {
        // Ids and names are short; longer ones are cut at a character boundary.
        let id = self.texts.own(id);
        let name = self.texts.own(name);
        self.push_at(line, id, name.len, status)
    }

    /// The line the next row starts on in the file the input was made from (see
    /// [`Audit::source_lines`]), else `line`.
    pub(super) fn source_line(&self, line: u64) -> u64 {
        (self.source_lines)
            .and_then(|lines| lines.get(self.metas.len()).copied())
            .unwrap_or(line)
    }

    /// A row whose username of `name_len` bytes follows its id in the text.
    pub(super) fn push_at(&mut self, line: u64, id: Span, name_len: u32, status: Status) -> u32 {
        let index = self.metas.len() as u32;
        let line = self.source_line(line);
        self.metas.push(Meta {
            line,
            at: id.at,
            chunk: id.chunk,
            id_len: id.len,
            name_len,
            first: 0,
            codes: 0,
            status,
            leads: false,
        });
        self.planner.rows.cells.push(Cell::CREATE);
        self.statuses.add(status);
        index
    }

    pub(super) fn error(&mut self, line: u64, id: &str, name: &str, message: String) {
        let index = self.push(line, id, name, Status::Error);
        self.notes.push((index, Note::Error(message)));
    }

    pub(super) fn error_at(&mut self, line: u64, id: Span, message: String) {
        let index = self.push_at(line, id, 0, Status::Error);
        self.notes.push((index, Note::Error(message)));
    }

    /// The pure half of the per-row work, for this store's rows.
    pub(super) fn preparer<'s>(&self, source: &'s dyn UsernameSource) -> Preparer<'s>
    where
        'a: 's,
        'h: 's,
    {
        Preparer {
            policy: self.policy,
            header: self.header,
            source,
            lookalikes: self.lookalikes,
            existing: self.shared,
            id_column: self.id_column,
            state: self.state,
            last_state: AccountState::Active,
            person: self.person,
            delimiter: self.delimiter,
            shape: Vec::new(),
            name: String::new(),
            hash: self.hash.clone(),
        }
    }

    /// A row of a batch: its id and username where the batch's text was put.
    pub(super) fn push_row(
        &mut self,
        line: u64,
        place: Place,
        id: &Range<u32>,
        name: &Range<u32>,
        status: Status,
    ) -> u32 {
        let (id, name) = (place.span(id), place.span(name));
        if id.at + u64::from(id.len) == name.at && id.chunk == name.chunk {
            return self.push_at(line, id, name.len, status);
        }
        // Not one piece of text (never, as the rows are prepared): copied.
        let (id, name) = (
            self.texts.get(id).to_owned(),
            self.texts.get(name).to_owned(),
        );
        self.push(line, &id, &name, status)
    }

    /// Notes a valid row's given and family names, copied from `block` when they were left
    /// there.
    pub(super) fn keep_person(&mut self, person: &PersonAt, place: Place, block: &[u8]) {
        match person {
            PersonAt::Text((given, family)) => {
                self.push_person(place.span(given), place.span(family));
            }
            PersonAt::Block(given, family) => {
                // The record was checked to be UTF-8 with ASCII around each field.
                let field = |r: &Range<u32>| {
                    (block.get(r.start as usize..r.end as usize))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .invariant("a UTF-8 field of the block")
                };
                let given = self.texts.own(field(given));
                let family = self.texts.own(field(family));
                self.push_person(given, family);
            }
        }
    }

    pub(super) fn push_person(&mut self, given: Span, family: Span) {
        if given.len > 0 || family.len > 0 {
            let index = self.metas.len() as u32 - 1;
            self.notes.push((index, Note::Person { given, family }));
        }
    }

    pub(super) fn count(&mut self, code: Code) {
        if let Some(i) = Code::ALL.iter().position(|&c| c == code) {
            self.codes[i] += 1;
        }
    }

    /// Warns when an ok row's name reads like an existing member's (`warning`, found by the
    /// pure work) or like an earlier ok row's (same skeleton hash, checked on the names).
    pub(super) fn lookalike(
        &mut self,
        index: u32,
        name: Span,
        key: Span,
        shape_hash: u64,
        warning: Option<&Warning>,
    ) {
        if let Some(w) = warning {
            self.warnings += 1;
            self.notes.push((index, Note::Warning(w.clone())));
            return;
        }
        // Made only when a row of the same hash turns up (a lookalike, or rarely another
        // skeleton whose hash starts the same).
        let mut shape = None;
        let same_shape = |row| {
            let shape = shape.get_or_insert_with(|| skeleton_bytes(self.texts.get(name)));
            skeleton_bytes(self.name(row)) == *shape
        };
        let Some(earlier) = self.skeletons.find(shape_hash, same_shape) else {
            self.skeletons.insert(shape_hash, index);
            return;
        };
        let (name, key) = (self.texts.get(name), self.texts.get(key));
        let similar = self.name(earlier);
        if self.policy.canonical_key(similar) != key {
            let warning = Warning {
                code: "lookalike",
                message: format!(
                    "`{name}` reads like `{similar}` of row {}; choose a name that cannot be \
                     mistaken for it",
                    earlier + 1
                ),
                similar_to: similar.to_owned(),
            };
            self.warnings += 1;
            self.notes.push((index, Note::Warning(warning)));
        }
    }

    pub(super) fn finish(mut self, mut summary: Summary) -> Checked<'a> {
        // First: it turns rows into errors, and the counts below must see them so.
        summary.plan = self.finish_plan();
        summary.rows = self.metas.len() as u64;
        summary.statuses = self.statuses.clone();
        summary.codes = Code::ALL
            .iter()
            .zip(self.codes)
            .filter(|(_, n)| *n > 0)
            .map(|(&code, rows)| CodeCount { code, rows })
            .collect();
        let mut groups: Groups = HashMap::default();
        for &(first, row) in &self.dups {
            groups.entry(first).or_default().push(row);
            if let Some(meta) = self.metas.get_mut(first as usize) {
                meta.leads = true;
            }
        }
        summary.collisions = Collisions {
            names: groups.len() as u64,
            rows: (groups.len() + self.dups.len()) as u64,
        };
        summary.lookalikes = self.warnings;
        Checked {
            policy: self.policy,
            existing: self.existing,
            rows: Arc::new(Rows {
                policy: self.policy.clone(),
                texts: self.texts,
                metas: self.metas,
                notes: self.notes,
                groups,
                hash: self.hash.clone(),
                claims: self.claims,
                plan: self.planner.rows,
            }),
            numbers: std::cell::RefCell::default(),
            handed_out: HashSet::default(),
            summary,
            threads: self.threads,
            tuning: self.tuning,
        }
    }
}

/// A row's id and username.
pub(super) fn slice<'s>(texts: &'s Texts, metas: &[Meta], index: u32) -> (&'s str, &'s str) {
    let Some(m) = metas.get(index as usize) else {
        return ("", "");
    };
    let id = Span {
        at: m.at,
        chunk: m.chunk,
        len: m.id_len,
    };
    let name = Span {
        at: m.at + u64::from(m.id_len),
        chunk: m.chunk,
        len: m.name_len,
    };
    (texts.get(id), texts.get(name))
}
