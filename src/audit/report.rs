//! The report writer: records formatted as CSV lines or JSON lines, a failing row's but
//! for its suggestion, which is chosen in row order.

use std::ops::Range;

use super::arena::Span;
use super::draft::{Draft, Drafter, Fix};
use super::record::ReportLine;
use super::store::{Meta, Note};
use super::threaded::SeenKeys;
use super::{Record, Status};

/// The report's records, formatted: ok rows in `text`, the others waiting for their
/// suggestions, each with the offset in `text` where it goes.
pub(super) struct Piece {
    pub(super) text: Vec<u8>,
    pub(super) pending: Vec<(usize, Pending)>,
}

/// A record of a [`Piece`] waiting for its suggestion.
pub(super) enum Pending {
    /// A CSV line, in the piece's text but for the suggestion's field, which goes at the
    /// offset; of the row at this index, which is not ok.
    Line { index: u32, fix: Fix },
    /// A record to format once its suggestion is chosen.
    Record(Box<Draft>),
}

/// How [`Checked::write_report`](super::Checked::write_report) formats the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportFormat {
    /// One line of CSV a record ([`Record::write_csv_line`]), without the header line.
    Csv,
    /// One JSON object a line.
    JsonLines,
}

impl ReportFormat {
    /// Appends the record to `out`, with its line break.
    pub(super) fn write(self, record: &Record, out: &mut Vec<u8>) {
        match self {
            ReportFormat::Csv => record.write_csv_line(out),
            ReportFormat::JsonLines => {
                // Writing a record into memory cannot fail.
                let _ = serde_json::to_writer(&mut *out, record);
                out.push(b'\n');
            }
        }
    }
}

impl Drafter<'_> {
    /// The records of `rows` formatted, those not ok but for their suggestions.
    pub(super) fn report(
        &self,
        rows: Range<usize>,
        format: ReportFormat,
        seen: Option<&SeenKeys>,
    ) -> Piece {
        if format != ReportFormat::Csv {
            let drafts = self.draft(rows, seen);
            let mut text = Vec::with_capacity(drafts.len() * 128);
            let mut pending = Vec::new();
            for draft in drafts {
                // An ok or skipped row gets no suggestion: nothing to wait for.
                if !draft.record.status.fails() {
                    format.write(&draft.record, &mut text);
                } else {
                    pending.push((text.len(), Pending::Record(Box::new(draft))));
                }
            }
            return Piece { text, pending };
        }
        let mut text = Vec::with_capacity(rows.len() * 128);
        let mut pending = Vec::new();
        for (index, meta, notes) in self.rows(rows) {
            if meta.status == Status::Ok {
                self.write_ok_csv(index, meta, notes, &mut text);
            } else {
                let Draft { record, fix } = self.draft_row(index, meta, notes, seen);
                // A skipped row gets no suggestion (and is not a row without a fix).
                if !record.status.fails() {
                    record.write_csv_line(&mut text);
                    continue;
                }
                let mut at = text.len();
                record.write_csv_line_around(&mut text, |out| at = out.len());
                pending.push((at, Pending::Line { index, fix }));
            }
        }
        Piece { text, pending }
    }

    /// An ok row's line of the CSV report, as [`Record::write_csv_line`] writes its record,
    /// without making the record.
    pub(super) fn write_ok_csv(
        &self,
        index: u32,
        meta: Meta,
        notes: &[(u32, Note)],
        out: &mut Vec<u8>,
    ) {
        // The id and the name, end to end in the text.
        let both = self.texts.get(Span {
            at: meta.at,
            chunk: meta.chunk,
            len: meta.id_len.saturating_add(meta.name_len),
        });
        let (id, name) = both
            .split_at_checked(meta.id_len as usize)
            .unwrap_or((both, ""));
        out.reserve(64 + both.len());
        let group = match meta.leads {
            true => self.groups.get(&index),
            false => None,
        };
        let others = group.into_iter().flatten().copied();
        let warnings = notes.iter().filter_map(|(_, n)| match n {
            Note::Warning(w) => Some(w.message.as_str()),
            _ => None,
        });
        let cell = self.plan.cell(index);
        ReportLine {
            row: u64::from(index) + 1,
            line: meta.line,
            id,
            username: name,
            plain_username: self.plain_names,
            status: Status::Ok,
            codes: std::iter::empty(),
            message: "",
            collides_with: (others.filter(|&r| r != index))
                .take(Record::MAX_COLLISIONS)
                .map(|r| u64::from(r) + 1),
            warnings,
            action: cell.action,
            current_username: self.plan.current(index),
        }
        // No suggestion.
        .write(out, |_| {});
    }
}
