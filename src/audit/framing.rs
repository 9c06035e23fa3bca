//! Input framing: the header, then the rows in blocks of whole records or, where the
//! blocks cannot start, record by record.

use std::io::Read;

use super::Invariant;
use super::blocks::BlockReader;
use super::input;
use super::reader::RowReader;

/// The input left to read record by record, and the line it starts on.
pub(super) type Rest = (Box<dyn Read + Send>, u64);

/// How the rows are read: in blocks, or record by record.
pub(super) enum Start {
    /// In blocks, after the header.
    Blocks {
        blocks: BlockReader,
        header: csv::ByteRecord,
    },
    /// Record by record, for a header the blocks cannot start after.
    Rows(RowReader),
}

impl Start {
    /// Reads the header; `None` when the input has none.
    pub(super) fn new(opened: input::Opened, block: usize) -> std::io::Result<Option<Start>> {
        let input::Opened {
            mut reader,
            encoding,
            delimiter,
        } = opened;
        let mut head = Vec::with_capacity(block);
        (&mut reader).take(block as u64).read_to_end(&mut head)?;
        let whole = head.len() < block;
        let first = input::Opened {
            reader: Box::new(std::io::Cursor::new(head.clone())),
            encoding,
            delimiter,
        };
        match RowReader::new(first) {
            Ok(Some(rows)) => {
                let end = usize::try_from(rows.bytes()).unwrap_or(usize::MAX);
                // A header that ends before the bytes read is whole (and so is its line
                // break).
                if !rows.header_problem() && (end < head.len() || whole) {
                    let rest = head
                        .get(end..)
                        .invariant("the header ends within the bytes read")
                        .to_vec();
                    return Ok(Some(Start::Blocks {
                        blocks: BlockReader::new(reader, rest, rows.line(), end as u64, block),
                        header: rows.header().clone(),
                    }));
                }
            }
            // Else the header is read again below, from the whole input.
            Ok(None) if whole => return Ok(None),
            Err(e) if whole => return Err(e),
            _ => {}
        }
        let all = input::Opened {
            reader: Box::new(std::io::Cursor::new(head).chain(reader)),
            encoding,
            delimiter,
        };
        Ok(RowReader::new(all)?.map(Start::Rows))
    }

    pub(super) fn header(&self) -> &csv::ByteRecord {
        match self {
            Start::Blocks { header, .. } => header,
            Start::Rows(reader) => reader.header(),
        }
    }
}
