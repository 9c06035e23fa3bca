//! The sequential drivers of the first phase: blocks, or records one by one, all on the
//! calling thread.

use std::io::Read;

use super::blocks::{self, BlockReader};
use super::engine::Audit;
use super::framing::Rest;
use super::prepare::Batch;
use super::reader::{RawRow, RowReader};
use super::store::Store;
use super::{AuditError, UsernameSource};

impl<'a> Audit<'a> {
    /// [`Audit::run_blocks`] on this thread alone.
    pub(super) fn blocks_here(
        &self,
        mut blocks: BlockReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<Option<Rest>, AuditError> {
        let mut preparer = store.preparer(source);
        let mut scratch = blocks::Scratch::default();
        let mut batch = Batch::default();
        let mut spare = Vec::new();
        // The parse counts each block's line breaks as it reads its records.
        let mut line = blocks.line();
        blocks.lines_later();
        while let Some(block) = blocks.next_block(std::mem::take(&mut spare))? {
            if !batch.parse(&block, &mut preparer, &mut scratch) {
                let rest = std::io::Cursor::new(block.bytes).chain(blocks.into_rest());
                return Ok(Some((Box::new(rest), line)));
            }
            batch.start_at(line);
            line += batch.newlines;
            store.apply(&mut batch, &block.bytes, source)?;
            self.batch_claimed(store, block.end);
            spare = block.bytes;
        }
        Ok(None)
    }

    pub(super) fn run_here(
        &self,
        reader: &mut RowReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let mut preparer = store.preparer(source);
        let mut batch = Batch::default();
        batch.rows.push(RawRow::default());
        while reader.next_row(&mut batch.rows[0])? {
            batch.prepare(&mut preparer);
            store.apply(&mut batch, &[], source)?;
            if store.metas.len().is_multiple_of(self.tuning.batch) {
                self.batch_claimed(store, reader.bytes());
            }
        }
        Ok(())
    }
}
