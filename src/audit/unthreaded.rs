//! Stand-ins for the threaded drivers (`threaded.rs`) where no thread can start: the browser
//! build. Each says at once that it cannot run, and the sequential drivers do the work; the
//! helper and the guess they would share cannot even be made.

use std::convert::Infallible;
use std::marker::PhantomData;
use std::ops::Range;
use std::sync::Arc;

use super::blocks::BlockReader;
use super::draft::{Drafter, Rows};
use super::engine::Audit;
use super::framing::Rest;
use super::reader::RowReader;
use super::store::Store;
use super::tuning::Tuning;
use super::{AuditError, UsernameSource};

impl<'a> Audit<'a> {
    /// Hands the blocks back: no thread can parse them.
    pub(super) fn blocks_threaded(
        &self,
        blocks: BlockReader,
        _store: &mut Store<'a, '_>,
        _source: &dyn UsernameSource,
    ) -> Result<Result<Option<Rest>, BlockReader>, AuditError> {
        Ok(Err(blocks))
    }

    /// `None`: no thread can parse the rows.
    pub(super) fn run_threaded(
        &self,
        _reader: &mut RowReader,
        _store: &mut Store<'a, '_>,
        _source: &dyn UsernameSource,
    ) -> Option<Result<(), AuditError>> {
        None
    }
}

/// No helper drafts records ahead: none can be made.
pub(super) struct Helper<T>(Infallible, PhantomData<T>);

impl<T> Helper<T> {
    /// `None`: no thread can start.
    pub(super) fn start(
        _rows: &Arc<Rows>,
        _tuning: Tuning,
        _make: impl Fn(&Drafter<'_>, Range<usize>, &SeenKeys) -> T,
    ) -> Option<Helper<T>> {
        None
    }

    pub(super) fn recv(&self) -> Option<T> {
        match self.0 {}
    }
}

/// No guesses shared between helpers: there are none.
pub(super) struct SeenKeys(Infallible);

impl SeenKeys {
    pub(super) fn note(&self, _hash: u64) -> bool {
        match self.0 {}
    }
}
