//! The threaded drivers: the first phase's parsing threads and the second phase's drafting
//! helpers. The only file that starts threads or touches channels and atomics; left out of
//! the browser build, where no thread can start.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;

use super::blocks::{self, Block, BlockReader};
use super::draft::{Drafter, Rows};
use super::engine::Audit;
use super::framing::Rest;
use super::prepare::Batch;
use super::reader::{RawRow, RowReader};
use super::store::Store;
use super::tuning::Tuning;
use super::{AuditError, UsernameSource};

impl<'a> Audit<'a> {
    /// [`Audit::run_blocks`] with [`Tuning::workers`] threads parsing; `Err` with the blocks when
    /// they cannot be started.
    pub(super) fn blocks_threaded(
        &self,
        mut blocks: BlockReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<Result<Option<Rest>, BlockReader>, AuditError> {
        type Parsed = (Block, Option<Batch>);
        let tuning = self.tuning;
        // Tells the thread reading blocks to stop.
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| {
            // A thread reads the blocks (cutting them where the quotes balance is a pass over
            // every byte): it gets the reader once the parsers are running, and hands it back
            // when it stops, at the input's end or when told to.
            let (start_tx, start_rx) = mpsc::channel::<BlockReader>();
            let (read_tx, read_rx) =
                mpsc::sync_channel::<std::io::Result<Block>>(tuning.read_ahead);
            let (spare_blocks, spare_rx) = mpsc::channel::<Vec<u8>>();
            let stopped = &stop;
            let reader = std::thread::Builder::new()
                .name("audit-read".into())
                .spawn_scoped(scope, move || {
                    let mut blocks = start_rx.recv().ok()?;
                    while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                        let spare = spare_rx.try_recv().unwrap_or_default();
                        match blocks.next_block(spare) {
                            Ok(Some(block)) => {
                                if read_tx.send(Ok(block)).is_err() {
                                    break;
                                }
                            }
                            Ok(None) => break,
                            Err(e) => {
                                let _ = read_tx.send(Err(e));
                                break;
                            }
                        }
                    }
                    Some(blocks)
                });
            let Ok(reader) = reader else {
                return Ok(Err(blocks));
            };
            let mut inputs = Vec::with_capacity(tuning.workers);
            let mut outputs = Vec::with_capacity(tuning.workers);
            for n in 0..tuning.workers {
                let (block_tx, block_rx) = mpsc::sync_channel::<Block>(tuning.in_flight);
                let (parsed_tx, parsed_rx) = mpsc::sync_channel::<Parsed>(tuning.in_flight);
                let (spare_tx, spare_rx) = mpsc::channel::<Batch>();
                let mut preparer = store.preparer(source);
                let worker = std::thread::Builder::new()
                    .name(format!("audit-parse-{n}"))
                    .spawn_scoped(scope, move || {
                        let mut scratch = blocks::Scratch::default();
                        for block in block_rx {
                            let mut batch = spare_rx.try_recv().unwrap_or_default();
                            let ok = batch.parse(&block, &mut preparer, &mut scratch);
                            if parsed_tx.send((block, ok.then_some(batch))).is_err() {
                                break;
                            }
                        }
                    });
                if worker.is_err() {
                    return Ok(Err(blocks));
                }
                inputs.push(block_tx);
                outputs.push((parsed_rx, spare_tx));
            }
            // The workers count lines, relative to each block's start, and this thread
            // adds the line of the block's start.
            let mut line = blocks.line();
            blocks.lines_later();
            let lost = || AuditError::Io(std::io::Error::other("a parser stopped"));
            start_tx.send(blocks).map_err(|_| lost())?;
            // Which worker has each block in flight, oldest first.
            let mut flight = VecDeque::with_capacity(tuning.workers * tuning.in_flight);
            let mut next = 0;
            let mut more = true;
            loop {
                while more && flight.len() < tuning.workers * tuning.in_flight {
                    // The reader stops at the input's end.
                    match read_rx.recv().ok().transpose()? {
                        Some(block) => {
                            inputs
                                .get(next)
                                .ok_or_else(lost)?
                                .send(block)
                                .map_err(|_| lost())?;
                            flight.push_back(next);
                            next = (next + 1) % tuning.workers;
                        }
                        None => more = false,
                    }
                }
                let Some(worker) = flight.pop_front() else {
                    return Ok(Ok(None));
                };
                let (parsed_rx, spare_tx) = outputs.get(worker).ok_or_else(lost)?;
                let (block, batch) = parsed_rx.recv().map_err(|_| lost())?;
                let Some(mut batch) = batch else {
                    // Read this block and every later one record by record.
                    let mut bytes = block.bytes;
                    for worker in flight {
                        let (parsed_rx, _) = outputs.get(worker).ok_or_else(lost)?;
                        let (later, _) = parsed_rx.recv().map_err(|_| lost())?;
                        bytes.extend_from_slice(&later.bytes);
                    }
                    // Then the blocks the reader has read, and the input it has not.
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    for later in read_rx {
                        bytes.extend_from_slice(&later?.bytes);
                    }
                    let blocks = reader.join().ok().flatten().ok_or_else(lost)?;
                    let rest = std::io::Cursor::new(bytes).chain(blocks.into_rest());
                    return Ok(Ok(Some((Box::new(rest) as Box<dyn Read + Send>, line))));
                };
                batch.start_at(line);
                line += batch.newlines;
                store.apply(&mut batch, &block.bytes, source)?;
                self.batch_claimed(store, block.end);
                let _ = spare_tx.send(batch);
                let _ = spare_blocks.send(block.bytes);
            }
        })
    }

    /// Parses on a second thread and does each row's pure work on a third, while the rows are
    /// claimed in order on this one; `None` when the parser cannot be started.
    pub(super) fn run_threaded(
        &self,
        reader: &mut RowReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Option<Result<(), AuditError>> {
        let mut preparer = store.preparer(source);
        let batch_rows = self.tuning.batch;
        std::thread::scope(|scope| {
            let (parsed_tx, parsed_rx) = mpsc::sync_channel::<std::io::Result<Batch>>(2);
            let (prepared_tx, prepared_rx) = mpsc::sync_channel::<std::io::Result<Batch>>(2);
            let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
            let prepare = std::thread::Builder::new()
                .name("audit-prepare".into())
                .spawn_scoped(scope, move || {
                    for message in parsed_rx {
                        let message = message.map(|mut batch| {
                            batch.prepare(&mut preparer);
                            batch
                        });
                        if prepared_tx.send(message).is_err() {
                            break;
                        }
                    }
                });
            // Without the third thread, the parser hands its batches straight to this one,
            // which then does the pure work too.
            let (parsed_tx, full_rx) = match prepare {
                Ok(_) => (parsed_tx, prepared_rx),
                Err(_) => {
                    let (tx, rx) = mpsc::sync_channel(2);
                    (tx, rx)
                }
            };
            let parser = std::thread::Builder::new()
                .name("audit-parse".into())
                .spawn_scoped(scope, move || {
                    loop {
                        let mut batch = empty_rx.try_recv().unwrap_or_default();
                        batch.rows.resize_with(batch_rows, RawRow::default);
                        let mut n = 0;
                        let mut failed = None;
                        while n < batch_rows {
                            match reader.next_row(&mut batch.rows[n]) {
                                Ok(true) => n += 1,
                                Ok(false) => break,
                                Err(e) => {
                                    failed = Some(e);
                                    break;
                                }
                            }
                        }
                        batch.rows.truncate(n);
                        batch.bytes = reader.bytes();
                        let end = n < batch_rows || failed.is_some();
                        let message = match failed {
                            Some(e) => Err(e),
                            None => Ok(batch),
                        };
                        if parsed_tx.send(message).is_err() || end {
                            break;
                        }
                    }
                });
            if parser.is_err() {
                return None;
            }
            let mut here = None;
            let mut result = Ok(());
            for message in full_rx {
                match message {
                    Ok(mut batch) => {
                        if batch.prepared.len() != batch.rows.len() {
                            batch.prepare(here.get_or_insert_with(|| store.preparer(source)));
                        }
                        if let Err(e) = store.apply(&mut batch, &[], source) {
                            result = Err(e);
                            break;
                        }
                        self.batch_claimed(store, batch.bytes);
                        let _ = empty_tx.send(batch);
                    }
                    Err(e) => {
                        result = Err(AuditError::Io(e));
                        break;
                    }
                }
            }
            Some(result)
        })
    }
}

/// Threads drafting records ahead of the one choosing their suggestions, [`Tuning::ahead`] rows at
/// a time in turn, for the whole second phase. Dropping it stops them.
pub(super) struct Helper<T> {
    /// Each thread's drafts, in the order the threads take their turns.
    pub(super) drafts: Vec<mpsc::Receiver<T>>,
    /// The thread whose drafts come next.
    pub(super) next: std::cell::Cell<usize>,
    pub(super) threads: Vec<std::thread::JoinHandle<()>>,
}

impl<T: Send + 'static> Helper<T> {
    /// `None` when no thread can be started.
    pub(super) fn start(
        rows: &Arc<Rows>,
        tuning: Tuning,
        make: impl Fn(&Drafter<'_>, Range<usize>, &SeenKeys) -> T + Send + Sync + 'static,
    ) -> Option<Helper<T>> {
        let make = Arc::new(make);
        let seen = Arc::new(SeenKeys::new(rows.metas.len()));
        let mut helper = Helper {
            drafts: Vec::with_capacity(tuning.helpers),
            next: std::cell::Cell::new(0),
            threads: Vec::with_capacity(tuning.helpers),
        };
        for n in 0..tuning.helpers {
            let (rows, make, seen) = (Arc::clone(rows), Arc::clone(&make), Arc::clone(&seen));
            let (tx, drafts) = mpsc::sync_channel(tuning.drafts_ahead);
            let thread = std::thread::Builder::new()
                .name(format!("audit-draft-{n}"))
                .spawn(move || {
                    let drafter = rows.drafter();
                    let total = drafter.metas.len();
                    // This thread's turns: every `helpers`-th run of rows, from the n-th.
                    let Tuning { ahead, helpers, .. } = tuning;
                    for start in (n * ahead..total).step_by(ahead * helpers) {
                        let end = (start + ahead).min(total);
                        if tx.send(make(&drafter, start..end, &seen)).is_err() {
                            break;
                        }
                    }
                });
            // Without all of them, the records are drafted where they are chosen (dropping
            // the helper stops the threads started).
            let Ok(thread) = thread else { return None };
            helper.drafts.push(drafts);
            helper.threads.push(thread);
        }
        Some(helper)
    }

    /// The next rows' drafts; `None` if their thread has stopped.
    pub(super) fn recv(&self) -> Option<T> {
        let next = self.next.get();
        self.next.set(next + 1);
        self.drafts
            .get(next % self.drafts.len().max(1))?
            .recv()
            .ok()
    }
}

impl<T> Drop for Helper<T> {
    fn drop(&mut self) {
        // The threads stop at their next send once no one takes what they make.
        self.drafts.clear();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// The canonical keys of the heads drafted so far, and of the candidates the helper threads
/// guessed free, as one bit each (chosen by the key's hash), shared by the helpers without
/// a lock: one seen before was most likely handed out to an earlier row, so for a row whose
/// head is likely taken the helper makes the candidates up to the first likely free one,
/// off the thread choosing the suggestions (which makes them all itself when none it was
/// given is free). Only a guess (two keys may share a bit, and the helpers draft rows out
/// of order): the suggestions are the same whatever it guesses.
pub(super) struct SeenKeys {
    pub(super) bits: Vec<AtomicU64>,
    /// The number of bits less one, a power of two less one.
    pub(super) mask: u64,
}

impl SeenKeys {
    /// Room for the heads of `rows` rows, two bits a row at least.
    pub(super) fn new(rows: usize) -> SeenKeys {
        let bits = rows.max(1 << 16).saturating_mul(2).next_power_of_two();
        SeenKeys {
            bits: (0..bits / 64).map(|_| AtomicU64::new(0)).collect(),
            mask: bits as u64 - 1,
        }
    }

    /// Whether a key of this hash was noted before; notes it.
    pub(super) fn note(&self, hash: u64) -> bool {
        // The low bits: the claim table's slots are placed by the high ones.
        let bit = hash & self.mask;
        let Some(word) = self.bits.get((bit / 64) as usize) else {
            return false;
        };
        let mask = 1 << (bit % 64);
        word.fetch_or(mask, std::sync::atomic::Ordering::Relaxed) & mask != 0
    }
}
