//! The two phases: stream the rows claiming names, then emit records with suggestions.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;

use super::blocks::{self, Block, BlockReader};
use super::input;
use super::reader::{RawRow, RowReader};
use super::record::{CodeCount, Collisions, StatusCounts, csv_field, formula_lead, needs_quotes};
use super::tuning::Tuning;
use super::{AuditError, Encoding, Header, Record, Row, Status, Summary, UsernameSource};
use crate::hash::KeyedHash;
use crate::lookalike::{skeleton_bytes, skeleton_into};
use crate::rules;
use crate::suggest::{Candidates, NumberMemo};
use crate::{Code, LookalikeIndex, Policy, Registry, RegistryError, SuggestInput, Warning};

/// Whether the target can start threads. In the browser (`wasm32-unknown-unknown`) it cannot:
/// std's spawn always fails there and the audit would fall back to one thread, so the threaded
/// paths are left out of that build altogether (their code and std's channels are a tenth of
/// the module).
const CAN_THREAD: bool = !cfg!(all(target_arch = "wasm32", target_os = "unknown"));

/// The input left to read record by record, and the line it starts on.
type Rest = (Box<dyn Read + Send>, u64);

/// How the rows are read: in blocks, or record by record.
enum Start {
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
    fn new(opened: input::Opened, block: usize) -> std::io::Result<Option<Start>> {
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
                    let rest = head.get(end..).unwrap_or_default().to_vec();
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

    fn header(&self) -> &csv::ByteRecord {
        match self {
            Start::Blocks { header, .. } => header,
            Start::Rows(reader) => reader.header(),
        }
    }
}

/// How far the first phase has got, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Rows read so far.
    pub rows: u64,
    /// Bytes of (decoded) input read so far.
    pub bytes: u64,
}

/// An audit's settings: the policy, the org's existing names and lookalikes to warn about.
///
/// See the [module documentation](super) for an example.
pub struct Audit<'a> {
    policy: &'a Policy,
    existing: &'a dyn Registry,
    /// `existing`, when it can be asked from the threads preparing rows.
    shared: Option<&'a (dyn Registry + Sync)>,
    lookalikes: Option<&'a LookalikeIndex<'a>>,
    threads: bool,
    progress: Option<&'a dyn Fn(Progress)>,
    input_size: Option<u64>,
    tuning: Tuning,
}

impl std::fmt::Debug for Audit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Audit")
            .field("policy", &self.policy.name())
            .field("threads", &self.threads)
            .finish_non_exhaustive()
    }
}

impl<'a> Audit<'a> {
    /// An audit under `policy`, with `existing` the org's members.
    pub fn new(policy: &'a Policy, existing: &'a dyn Registry) -> Audit<'a> {
        Audit {
            policy,
            existing,
            shared: None,
            lookalikes: None,
            threads: true,
            progress: None,
            input_size: None,
            tuning: Tuning::DEFAULT,
        }
    }

    /// The input's size in bytes, when known (a file's): the audit then sizes its tables for
    /// the whole input once it has read the first rows, instead of growing them as it goes.
    /// Only a hint: a wrong size costs time or memory, never a different result.
    #[must_use]
    pub fn input_size(mut self, bytes: u64) -> Self {
        self.input_size = Some(bytes);
        self
    }

    /// `existing` (the org's members, as in [`Audit::new`]) for a registry that can be asked
    /// from several threads: each row's name is then looked up where the row is prepared,
    /// off the thread claiming the rows. The result is the same; a lookup that fails is
    /// asked again on the claiming thread, in row order.
    #[must_use]
    pub fn shared_existing(mut self, existing: &'a (dyn Registry + Sync)) -> Self {
        self.existing = existing;
        self.shared = Some(existing);
        self
    }

    /// Warns about ok rows whose names read like one in this index (existing members).
    /// Rows are always compared with earlier rows.
    #[must_use]
    pub fn lookalikes(mut self, index: &'a LookalikeIndex<'a>) -> Self {
        self.lookalikes = Some(index);
        self
    }

    /// Whether to work on several threads: two parsing, a helper drafting records (on by
    /// default; the audit falls back to one thread where none can be started). The result is
    /// the same either way.
    #[must_use]
    pub fn threads(mut self, on: bool) -> Self {
        self.threads = on;
        self
    }

    /// Sizes and thread counts to run with instead of [`Tuning::DEFAULT`]: for tests, which
    /// shrink them to take on small inputs every path a large input takes. The result is the
    /// same with any tuning.
    #[doc(hidden)]
    #[must_use]
    pub fn tuning(mut self, tuning: Tuning) -> Self {
        self.tuning = tuning.checked();
        self
    }

    /// Called now and then during the first phase.
    #[must_use]
    pub fn progress(mut self, f: &'a dyn Fn(Progress)) -> Self {
        self.progress = Some(f);
        self
    }

    /// The first phase: reads every row, works out its username and status, and claims the
    /// names of ok rows.
    ///
    /// # Errors
    /// An input with no header, a column the source needs missing, a read that fails, or the
    /// registry failing. A bad row is never an error.
    pub fn run<R: Read + Send + 'static>(
        &self,
        input: R,
        source: &mut dyn UsernameSource,
    ) -> Result<Checked<'a>, AuditError> {
        let opened = input::open(input)?;
        let (encoding, delimiter) = (opened.encoding, opened.delimiter);
        let start = Start::new(opened, self.tuning.block)?.ok_or(AuditError::Empty)?;
        let header = Header::new(
            start
                .header()
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned()),
        );
        source.bind(&header)?;
        // The columns the audit reads besides the mapping's: the id, and the person's names
        // for suggestions.
        let id = match header.index("id") {
            Some(_) => "id",
            None => "externalId",
        };
        let person = header.index("givenName").zip(header.index("surname"));
        let used: &[&str] = match person {
            Some(_) => &[id, "givenName", "surname"],
            None => &[id],
        };
        AuditError::unique(&header, used)?;
        let mapping_note = header.nickname_from_upn().then(|| {
            "the file has no `mailNickname` column: Entra's default alias, the part of \
             `userPrincipalName` before `@` (without a guest's `#EXT#`), stands in for it"
                .to_owned()
        });
        let mut store = Store::new(self, &header, delimiter, encoding);
        if matches!(encoding, Encoding::Utf16Le | Encoding::Utf16Be) {
            // The size is of the UTF-16 file; the rows are counted in UTF-8 bytes.
            store.input_size = None;
        }
        let summary = Summary {
            rows: 0,
            statuses: StatusCounts::default(),
            codes: Vec::new(),
            collisions: Collisions::default(),
            lookalikes: 0,
            unfixable: 0,
            mapping: source.describe(),
            mapping_note,
            encoding,
            delimiter: match delimiter {
                b'\t' => "tab".to_owned(),
                d => char::from(d).to_string(),
            },
            columns: header.names().to_vec(),
            seconds: None,
        };
        let source: &dyn UsernameSource = source;
        match start {
            Start::Blocks { blocks, .. } => self.run_blocks(blocks, &mut store, source)?,
            Start::Rows(mut reader) => self.run_rows(&mut reader, &mut store, source)?,
        }
        Ok(store.finish(summary))
    }

    /// Parses blocks of records on two threads while their rows are claimed in order on this
    /// one (all on this one without [`Audit::threads`]); from a block that cannot be parsed
    /// on its own on, reads record by record.
    fn run_blocks(
        &self,
        blocks: BlockReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let rest = match self.threads && CAN_THREAD {
            true => self.blocks_threaded(blocks, store, source)?,
            false => Err(blocks),
        };
        let rest = match rest {
            Ok(rest) => rest,
            Err(blocks) => self.blocks_here(blocks, store, source)?,
        };
        if let Some((rest, line)) = rest {
            let header = csv::ByteRecord::from(store.header.names());
            let mut reader = RowReader::resume(rest, store.delimiter, line).under(header);
            self.run_rows(&mut reader, store, source)?;
        }
        Ok(())
    }

    /// [`Audit::run_blocks`] on this thread alone.
    fn blocks_here(
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
            line += scratch.newlines;
            store.apply(&mut batch, &block.bytes, source)?;
            store.presize(block.end);
            self.report(store, block.end);
            spare = block.bytes;
        }
        Ok(None)
    }

    /// [`Audit::run_blocks`] with [`Tuning::workers`] threads parsing; `Err` with the blocks when
    /// they cannot be started.
    fn blocks_threaded(
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
                            // Lines are relative to the block's start; the parse counts its
                            // line breaks for the claims to place the next block.
                            batch.newlines = scratch.newlines;
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
                store.presize(block.end);
                self.report(store, block.end);
                let _ = spare_tx.send(batch);
                let _ = spare_blocks.send(block.bytes);
            }
        })
    }

    /// Reads record by record: parsing on a second thread and each row's pure work on a third
    /// where they can be started.
    fn run_rows(
        &self,
        reader: &mut RowReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let done = if self.threads && CAN_THREAD {
            self.run_threaded(reader, store, source)
        } else {
            None
        };
        match done {
            Some(result) => result,
            None => self.run_here(reader, store, source),
        }
    }

    /// Parses on a second thread and does each row's pure work on a third, while the rows are
    /// claimed in order on this one; `None` when the parser cannot be started.
    fn run_threaded(
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
                        store.presize(batch.bytes);
                        self.report(store, batch.bytes);
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

    fn run_here(
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
                store.presize(reader.bytes());
                self.report(store, reader.bytes());
            }
        }
        Ok(())
    }

    fn report(&self, store: &Store<'_, '_>, bytes: u64) {
        if let Some(progress) = self.progress {
            progress(Progress {
                rows: store.metas.len() as u64,
                bytes,
            });
        }
    }
}

/// What the first phase keeps of a row.
#[derive(Debug, Clone, Copy)]
struct Meta {
    line: u64,
    /// Where the row's id, then its username, start in the chunk of [`Texts`].
    at: u64,
    chunk: u32,
    id_len: u32,
    name_len: u32,
    /// For a duplicate, the index of the row that has the name.
    first: u32,
    /// For an invalid row, its codes as bits of [`Code::ALL`] positions.
    codes: u16,
    status: Status,
    /// Whether later rows are duplicates of this one (see [`Groups`]).
    leads: bool,
}

/// Facts about a row the second phase needs, kept only for the rows that have them.
#[derive(Debug)]
enum Note {
    Error(String),
    Lookalike(Warning),
    Person { given: Span, family: Span },
}

/// The first phase's text (ids, usernames, given and family names): each batch's, kept as
/// the thread that prepared the batch wrote it, instead of copied row by row on the thread
/// claiming the rows; the first chunk is the store's own, for short batches and the rows it
/// works out itself.
#[derive(Debug)]
struct Texts {
    chunks: Vec<String>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            chunks: vec![String::new()],
        }
    }
}

/// Where a batch's text went in [`Texts`].
#[derive(Debug, Clone, Copy)]
struct Place {
    chunk: u32,
    base: u64,
}

impl Place {
    /// Where a piece of the batch's text is now.
    fn span(self, range: &Range<u32>) -> Span {
        Span {
            at: self.base + u64::from(range.start),
            chunk: self.chunk,
            len: range.end.saturating_sub(range.start),
        }
    }
}

/// Where a piece of text is in [`Texts`].
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    at: u64,
    chunk: u32,
    len: u32,
}

impl Texts {
    fn get(&self, span: Span) -> &str {
        let start = usize::try_from(span.at).unwrap_or(usize::MAX);
        (self.chunks.get(span.chunk as usize))
            .and_then(|c| c.get(start..start.saturating_add(span.len as usize)))
            .unwrap_or_default()
    }

    /// Copies `s` into the store's own chunk (cut at a character boundary to 4 GiB).
    fn own(&mut self, s: &str) -> Span {
        let s = cut(s, u32::MAX as usize);
        let Some(own) = self.chunks.first_mut() else {
            return Span::default();
        };
        let at = own.len() as u64;
        own.push_str(s);
        Span {
            at,
            chunk: 0,
            len: s.len() as u32,
        }
    }

    /// Takes a batch's text: keeps it as a chunk when it is long, else copies it into the
    /// own chunk (and leaves it to the batch to reuse). Gives the chunk and where the text
    /// starts in it.
    fn adopt(&mut self, text: &mut String, keep_text: usize) -> (u32, u64) {
        if text.len() >= keep_text {
            // Shrinking a block in place copies nothing.
            text.shrink_to_fit();
            self.chunks.push(std::mem::take(text));
            return (self.chunks.len() as u32 - 1, 0);
        }
        let Some(own) = self.chunks.first_mut() else {
            return (0, 0);
        };
        let base = own.len() as u64;
        own.push_str(text);
        text.clear();
        (0, base)
    }
}

/// Rows by a 64-bit keyed hash of their name ([`KeyedHash`]: crafted names collide no more
/// than others), several rows to a hash allowed (lookups check each
/// row they find, so only the right one answers): open addressing with linear probing over
/// eight-byte slots, the hash's top 32 bits and the row. A slot's place is the top bits of
/// the hash, so the table can grow from the slots alone, and a lookup of a new name, the
/// common case, reads one cache line of a table far larger than the cache (hashbrown's
/// layout reads two: the control bytes and the bucket). A million names take 16 MB.
///
/// A free slot is all zeros (rows are stored plus one), so a new table is zeroed memory
/// written once a page (see [`RowIndex::grow_to`]), not a table filled slot by slot before
/// the first row can claim a name.
#[derive(Debug, Default)]
struct RowIndex {
    /// A power of two of slots, half of them free at most (and always one): `tag << 32 |
    /// row + 1`, 0 free.
    slots: Vec<u64>,
    /// 32 less log2 of the number of slots: a tag shifted right by this is its home slot.
    shift: u32,
    len: usize,
}

impl RowIndex {
    /// The most slots: the top 32 bits of a hash place a slot.
    const MAX_BITS: u32 = 32;

    fn tag(hash: u64) -> u64 {
        hash >> 32
    }

    /// Where a tag's probe starts.
    fn home(&self, tag: u64) -> usize {
        (tag >> self.shift) as usize
    }

    /// A row with `hash` for which `is` holds (rows of other hashes whose top 32 bits are
    /// the same are offered to `is` too).
    fn find(&self, hash: u64, mut is: impl FnMut(u32) -> bool) -> Option<u32> {
        let mask = self.slots.len().wrapping_sub(1);
        let tag = Self::tag(hash);
        let mut i = self.home(tag);
        // Ends: a slot is always free.
        loop {
            let slot = *self.slots.get(i)?;
            if slot == 0 {
                return None;
            }
            let row = (slot as u32).wrapping_sub(1);
            if slot >> 32 == tag && is(row) {
                return Some(row);
            }
            i = (i + 1) & mask;
        }
    }

    /// Reads the slot where a lookup of `hash` starts, so that the lookup itself finds it in
    /// the cache: lookups of a batch of rows, touched first, wait for memory all at once
    /// instead of one after the other.
    fn touch(&self, hash: u64) -> u64 {
        self.slots
            .get(self.home(Self::tag(hash)))
            .copied()
            .unwrap_or(0)
    }

    /// Adds `row` under `hash` (a row below `u32::MAX`: the rows are counted in `u32`s and
    /// the last number is never a row's).
    fn insert(&mut self, hash: u64, row: u32) {
        let Some(stored) = row.checked_add(1) else {
            return;
        };
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow_to(self.len + 1);
            // Past 2^31 rows the table cannot grow: it fills up but for one free slot.
            if self.len + 1 >= self.slots.len() {
                return;
            }
        }
        self.place(Self::tag(hash) << 32 | u64::from(stored));
        self.len += 1;
    }

    /// Puts a slot's value in the first free slot from its home (there is one).
    fn place(&mut self, value: u64) {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = self.home(value >> 32);
        while let Some(slot) = self.slots.get_mut(i) {
            if *slot == 0 {
                *slot = value;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /// Slots read to find every row, each from its home: about 1.5 a row in a table half
    /// full of hashes spread evenly, and a number that grows with the square of the rows when
    /// many hashes start alike.
    #[cfg(test)]
    fn probes(&self) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut probes = 0;
        for (i, &slot) in self.slots.iter().enumerate() {
            if slot != 0 {
                probes += (i.wrapping_sub(self.home(slot >> 32)) & mask) + 1;
            }
        }
        probes
    }

    /// Room for `more` rows without growing.
    fn reserve(&mut self, more: usize) {
        self.grow_to(self.len + more);
    }

    fn grow_to(&mut self, rows: usize) {
        let size = (rows.saturating_mul(2).checked_next_power_of_two())
            .unwrap_or(usize::MAX / 2 + 1)
            .max(1024);
        let bits = size.trailing_zeros().min(Self::MAX_BITS);
        if 1 << bits <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; 1 << bits]);
        self.shift = Self::MAX_BITS - bits;
        // Each page written once now: a lookup that reads a page the system has not handed
        // out yet maps the shared zero page, and the write after it then faults again and
        // makes every core flush that page from its TLB (an interrupt to each core).
        let slots = std::hint::black_box(&mut self.slots[..]);
        for slot in slots.iter_mut().step_by(512) {
            *slot = 0;
        }
        // In any order: the rows of one hash are rows of different names (the claims hold
        // a name once, the skeletons a skeleton once), so which comes first changes no lookup.
        for value in old {
            if value != 0 {
                self.place(value);
            }
        }
    }
}

/// The later rows of each name produced more than once, by its first row.
type Groups = HashMap<u32, Vec<u32>, KeyedHash>;

/// Rows on their way from the parser to the claim step, with what the pure per-row work
/// found out about them.
#[derive(Default)]
struct Batch {
    /// Rows as the record-at-a-time reader read them (that path only).
    rows: Vec<RawRow>,
    /// The line each row starts on.
    lines: Vec<u64>,
    /// One per row, once prepared.
    prepared: Vec<Prepared>,
    /// The rows the pure work left alone, as read.
    unusual: Vec<RawRow>,
    /// The prepared rows' ids, usernames, canonical keys and names, end to end.
    text: String,
    /// Bytes of input read when the batch was full.
    bytes: u64,
    /// The line breaks in the block the batch was parsed from, when its lines are relative
    /// to the block's start (see [`Batch::start_at`]).
    newlines: u64,
}

impl Batch {
    fn clear(&mut self) {
        self.lines.clear();
        self.prepared.clear();
        self.unusual.clear();
        self.text.clear();
    }

    fn prepare(&mut self, preparer: &mut Preparer<'_>) {
        self.clear();
        for raw in &self.rows {
            self.lines.push(raw.line);
            let prepared = preparer.prepare(raw, &mut self.text, &mut self.unusual);
            self.prepared.push(prepared);
        }
    }

    /// Parses a block and prepares its rows; `false` when the block cannot be trusted.
    fn parse(
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
        let (lines, prepared, text, unusual) = (
            &mut self.lines,
            &mut self.prepared,
            &mut self.text,
            &mut self.unusual,
        );
        let columns = preparer.header.len();
        blocks::parse(block, preparer.delimiter, columns, scratch, |fields| {
            lines.push(fields.line);
            prepared.push(preparer.prepare_fields(&fields, text, unusual));
        })
    }

    /// Makes lines relative to the block's start (parsed with its `line` 0) absolute, for a
    /// block starting on `line`.
    fn start_at(&mut self, line: u64) {
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
enum Prepared {
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
type Person = (Range<u32>, Range<u32>);

/// Where a valid row's given and family names are.
#[derive(Debug)]
enum PersonAt {
    /// In [`Batch::text`].
    Text(Person),
    /// In the block the row was read from, as they are.
    Block(Range<u32>, Range<u32>),
}

/// Where a record's fields are in the block it was read from: where the record starts, and
/// where each field is from there.
type InBlock<'s> = (usize, &'s [(usize, usize)]);

/// The part of the first phase that looks at one row alone: UTF-8, the mapping, the rules,
/// the canonical key and the skeleton. It can run on another thread than the claims.
struct Preparer<'p> {
    policy: &'p Policy,
    header: &'p Header,
    source: &'p dyn UsernameSource,
    lookalikes: Option<&'p LookalikeIndex<'p>>,
    /// The registry, when it can be asked here.
    existing: Option<&'p (dyn Registry + Sync)>,
    id_column: usize,
    /// The given and family name columns, when the file has both.
    person: Option<(usize, usize)>,
    delimiter: u8,
    /// The skeleton of the row at hand; kept to reuse its allocation.
    shape: Vec<u8>,
    /// The username of the row at hand, when the mapping builds it; kept likewise.
    name: String,
    /// The store's hash, for the canonical key and the skeleton.
    hash: KeyedHash,
}

impl Preparer<'_> {
    fn prepare(&mut self, raw: &RawRow, text: &mut String, unusual: &mut Vec<RawRow>) -> Prepared {
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
    fn prepare_fields(
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
                record.push_field(fields.get(i).unwrap_or_default());
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
    fn prepare_row(
        &mut self,
        row: &Row<'_>,
        text: &mut String,
        in_block: Option<InBlock<'_>>,
    ) -> Prepared {
        let id = keep(text, row.field(self.id_column).unwrap_or_default());
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
    fn prepare_name(
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
    fn person(&self, row: &Row<'_>, text: &mut String) -> Person {
        match self.person {
            Some((g, f)) => (
                keep(text, row.field(g).unwrap_or_default()),
                keep(text, row.field(f).unwrap_or_default()),
            ),
            None => (0..0, 0..0),
        }
    }
}

/// Appends `s` to `text`, returning where it is.
fn keep(text: &mut String, s: &str) -> Range<u32> {
    // A batch's text stays under 4 GiB (its rows cross between threads with 32-bit places):
    // what would pass that is cut, at a character boundary, as `Texts::own` cuts.
    let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
    let start = at(text.len());
    text.push_str(cut(s, (u32::MAX - start) as usize));
    start..at(text.len())
}

/// The first phase's state: rows in compact form and the names they claim.
struct Store<'a, 'h> {
    audit: &'a Policy,
    existing: &'a dyn Registry,
    shared: Option<&'a (dyn Registry + Sync)>,
    lookalikes: Option<&'a LookalikeIndex<'a>>,
    header: &'h Header,
    id_column: usize,
    person: Option<(usize, usize)>,
    delimiter: u8,
    /// Whether the input is UTF-16, decoded to UTF-8 (what did not decode is not UTF-8).
    utf16: bool,
    texts: Texts,
    metas: Vec<Meta>,
    notes: Vec<(u32, Note)>,
    /// The hash of the claim and skeleton tables' keys.
    hash: KeyedHash,
    /// Canonical key hash -> the rows that claimed keys with it.
    claims: RowIndex,
    /// Skeleton hash -> the first ok row with it.
    skeletons: RowIndex,
    /// (first row, later row) for every duplicate.
    dups: Vec<(u32, u32)>,
    statuses: StatusCounts,
    codes: [u64; Code::ALL.len()],
    warnings: u64,
    threads: bool,
    /// The input's size in bytes, until the tables are sized from it.
    input_size: Option<u64>,
    tuning: Tuning,
}

impl<'a, 'h> Store<'a, 'h> {
    fn new(audit: &Audit<'a>, header: &'h Header, delimiter: u8, encoding: Encoding) -> Self {
        let person = header.index("givenName").zip(header.index("surname"));
        Store {
            audit: audit.policy,
            existing: audit.existing,
            shared: audit.shared,
            lookalikes: audit.lookalikes,
            header,
            id_column: header.id_column(),
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
        }
    }

    /// Once at least [`Tuning::batch`] rows are in, sizes the row list, the arena and the claim and
    /// skeleton tables for the rows still to come, estimated from the input's size and the
    /// bytes a row has taken so far (`bytes` read for the rows in), so that they are not
    /// grown and rehashed a dozen times on the way to a million rows.
    fn presize(&mut self, bytes: u64) {
        let rows = self.metas.len();
        if rows < self.tuning.batch || bytes == 0 {
            return;
        }
        let Some(size) = self.input_size.take() else {
            return;
        };
        let estimate = u128::from(size) * rows as u128 / u128::from(bytes);
        // At most 2^26 rows: an absurd size hint must not reserve gigabytes.
        let total = usize::try_from(estimate.min(1 << 26)).unwrap_or(1 << 26);
        let more = total.saturating_sub(rows);
        let ok_share = self.statuses.ok as usize * more / rows;
        self.metas.reserve(more);
        if let Some(own) = self.texts.chunks.first_mut() {
            // The batches' text is kept as it is; only the own chunk grows.
            own.reserve(own.len() / rows * more);
        }
        self.claims.reserve(ok_share);
        self.skeletons.reserve(ok_share);
    }

    fn name(&self, index: u32) -> &str {
        slice(&self.texts, &self.metas, index).1
    }

    /// The row that claimed a canonical key.
    fn owner(&self, key: &str, hash: u64) -> Option<u32> {
        self.claims
            .find(hash, |row| self.audit.canonical_key(self.name(row)) == key)
    }

    /// A row whose id and username are copied into the own chunk.
    fn push(&mut self, line: u64, id: &str, name: &str, status: Status) -> u32 {
        // Ids and names are short; longer ones are cut at a character boundary.
        let id = self.texts.own(id);
        let name = self.texts.own(name);
        self.push_at(line, id, name.len, status)
    }

    /// A row whose username of `name_len` bytes follows its id in the text.
    fn push_at(&mut self, line: u64, id: Span, name_len: u32, status: Status) -> u32 {
        let index = self.metas.len() as u32;
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
        self.statuses.add(status);
        index
    }

    fn error(&mut self, line: u64, id: &str, name: &str, message: String) {
        let index = self.push(line, id, name, Status::Error);
        self.notes.push((index, Note::Error(message)));
    }

    fn error_at(&mut self, line: u64, id: Span, message: String) {
        let index = self.push_at(line, id, 0, Status::Error);
        self.notes.push((index, Note::Error(message)));
    }

    /// The pure half of the per-row work, for this store's rows.
    fn preparer<'s>(&self, source: &'s dyn UsernameSource) -> Preparer<'s>
    where
        'a: 's,
        'h: 's,
    {
        Preparer {
            policy: self.audit,
            header: self.header,
            source,
            lookalikes: self.lookalikes,
            existing: self.shared,
            id_column: self.id_column,
            person: self.person,
            delimiter: self.delimiter,
            shape: Vec::new(),
            name: String::new(),
            hash: self.hash.clone(),
        }
    }

    /// The ordered half: claims the prepared rows' names, in row order. `block` is the block
    /// the batch was parsed from (empty for rows read record by record).
    fn apply(
        &mut self,
        batch: &mut Batch,
        block: &[u8],
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let (chunk, base) = self.texts.adopt(&mut batch.text, self.tuning.keep_text);
        let touch = self.tuning.touch;
        let batch = &*batch;
        let place = Place { chunk, base };
        for start in (0..batch.prepared.len()).step_by(touch) {
            let end = (start + touch).min(batch.prepared.len());
            let chunk = batch.prepared.get(start..end).unwrap_or_default();
            let lines = batch.lines.get(start..end).unwrap_or_default();
            let mut touched = 0;
            for prepared in chunk {
                if let Prepared::Valid {
                    key_hash,
                    shape_hash,
                    ..
                } = prepared
                {
                    touched ^= self.claims.touch(*key_hash) ^ self.skeletons.touch(*shape_hash);
                }
            }
            std::hint::black_box(touched);
            self.apply_rows(batch, place, block, lines.iter().zip(chunk), source)?;
        }
        Ok(())
    }

    fn apply_rows<'b>(
        &mut self,
        batch: &'b Batch,
        place: Place,
        block: &[u8],
        rows: impl Iterator<Item = (&'b u64, &'b Prepared)>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        for (&line, prepared) in rows {
            match prepared {
                Prepared::Unusual(i) => {
                    if let Some(raw) = batch.unusual.get(*i) {
                        self.add_unusual(raw, source)?;
                    }
                }
                Prepared::MappingFailed { id, message } => {
                    let message = format!("line {line}: the mapping failed: {message}");
                    self.error_at(line, place.span(id), message);
                }
                Prepared::Invalid {
                    id,
                    name,
                    codes,
                    person,
                } => {
                    for (i, count) in self.codes.iter_mut().enumerate() {
                        if codes & (1 << i) != 0 {
                            *count += 1;
                        }
                    }
                    let index = self.push_row(line, place, id, name, Status::Invalid);
                    if let Some(m) = self.metas.get_mut(index as usize) {
                        m.codes = *codes;
                    }
                    self.push_person(place.span(&person.0), place.span(&person.1));
                }
                Prepared::Valid {
                    id,
                    name,
                    key,
                    key_hash,
                    shape_hash,
                    lookalike,
                    person,
                    taken,
                } => {
                    let key_span = place.span(key);
                    let taken = match taken {
                        Some(taken) => *taken,
                        None => self.existing.is_taken(self.texts.get(key_span))?,
                    };
                    let owner = match taken {
                        true => None,
                        false => self.owner(self.texts.get(key_span), *key_hash),
                    };
                    if taken {
                        self.count(Code::Taken);
                        self.push_row(line, place, id, name, Status::Taken);
                        self.keep_person(person, place, block);
                    } else if let Some(first) = owner {
                        self.count(Code::Duplicate);
                        let index = self.push_row(line, place, id, name, Status::Duplicate);
                        if let Some(m) = self.metas.get_mut(index as usize) {
                            m.first = first;
                        }
                        self.dups.push((first, index));
                        self.keep_person(person, place, block);
                    } else {
                        let index = self.push_row(line, place, id, name, Status::Ok);
                        self.claims.insert(*key_hash, index);
                        let name = place.span(name);
                        self.lookalike(index, name, key_span, *shape_hash, lookalike.as_deref());
                    }
                }
            }
        }
        Ok(())
    }

    /// A row of a batch: its id and username where the batch's text was put.
    fn push_row(
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

    /// A row the pure work left alone: a parse problem, a ragged row or bad UTF-8, each an
    /// error record.
    fn add_unusual(&mut self, raw: &RawRow, source: &dyn UsernameSource) -> Result<(), AuditError> {
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
            self.error(line, &id, "", problem.clone());
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
            self.error(line, &id, "", message);
            return Ok(());
        }
        self.bad_utf8(raw, source)
    }

    /// A row with bytes that are not UTF-8: an error naming the field, with a best-effort
    /// username so a fix can still be offered.
    fn bad_utf8(&mut self, raw: &RawRow, source: &dyn UsernameSource) -> Result<(), AuditError> {
        let line = raw.line;
        let (field, at) = raw
            .record
            .iter()
            .enumerate()
            .find_map(|(i, f)| std::str::from_utf8(f).err().map(|e| (i, e.valid_up_to())))
            .unwrap_or((0, 0));
        let column = self.header.names().get(field).cloned().unwrap_or_default();
        let lossy: Vec<String> = raw
            .record
            .iter()
            .map(|f| self.lossy(f).into_owned())
            .collect();
        let fields: Vec<&str> = lossy.iter().map(String::as_str).collect();
        let row = Row::new(self.header, &fields);
        let name = source.username(&row).unwrap_or_default().into_owned();
        let id = fields.get(self.id_column).copied().unwrap_or_default();
        let bytes = raw.record.get(field).unwrap_or_default();
        let what = (self.utf16)
            .then(|| input::utf16_error(bytes.get(at..).unwrap_or_default()))
            .flatten();
        let message = match what {
            // What the UTF-16 decoder could not decode (the text before it is UTF-8).
            Some(what) => {
                let before = std::str::from_utf8(bytes.get(..at).unwrap_or_default());
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
        self.error(line, id, &name, message);
        self.note_person(&row);
        Ok(())
    }

    /// A field as text, what does not decode replaced by U+FFFD (once for each unpaired
    /// surrogate of UTF-16 input).
    fn lossy<'f>(&self, field: &'f [u8]) -> Cow<'f, str> {
        match self.utf16 {
            true => input::lossy(field),
            false => String::from_utf8_lossy(field),
        }
    }

    fn note_person(&mut self, row: &Row<'_>) {
        if let Some((g, f)) = self.person {
            let given = self.texts.own(row.field(g).unwrap_or_default());
            let family = self.texts.own(row.field(f).unwrap_or_default());
            self.push_person(given, family);
        }
    }

    /// Notes a valid row's given and family names, copied from `block` when they were left
    /// there.
    fn keep_person(&mut self, person: &PersonAt, place: Place, block: &[u8]) {
        match person {
            PersonAt::Text((given, family)) => {
                self.push_person(place.span(given), place.span(family));
            }
            PersonAt::Block(given, family) => {
                // The record was checked to be UTF-8 with ASCII around each field.
                let field = |r: &Range<u32>| {
                    (block.get(r.start as usize..r.end as usize))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .unwrap_or_default()
                };
                let given = self.texts.own(field(given));
                let family = self.texts.own(field(family));
                self.push_person(given, family);
            }
        }
    }

    fn push_person(&mut self, given: Span, family: Span) {
        if given.len > 0 || family.len > 0 {
            let index = self.metas.len() as u32 - 1;
            self.notes.push((index, Note::Person { given, family }));
        }
    }

    fn count(&mut self, code: Code) {
        if let Some(i) = Code::ALL.iter().position(|&c| c == code) {
            self.codes[i] += 1;
        }
    }

    /// Warns when an ok row's name reads like an existing member's (`warning`, found by the
    /// pure work) or like an earlier ok row's (same skeleton hash, checked on the names).
    fn lookalike(
        &mut self,
        index: u32,
        name: Span,
        key: Span,
        shape_hash: u64,
        warning: Option<&Warning>,
    ) {
        if let Some(w) = warning {
            self.warnings += 1;
            self.notes.push((index, Note::Lookalike(w.clone())));
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
        if self.audit.canonical_key(similar) != key {
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
            self.notes.push((index, Note::Lookalike(warning)));
        }
    }

    fn finish(mut self, mut summary: Summary) -> Checked<'a> {
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
            policy: self.audit,
            existing: self.existing,
            rows: Arc::new(Rows {
                policy: self.audit.clone(),
                texts: self.texts,
                metas: self.metas,
                notes: self.notes,
                groups,
                hash: self.hash.clone(),
                claims: self.claims,
            }),
            numbers: std::cell::RefCell::default(),
            handed_out: HashSet::default(),
            summary,
            threads: self.threads,
            tuning: self.tuning,
        }
    }
}

fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// The first phase's result: every row's status, and the names claimed. Its
/// [`records`](Checked::records) are the second phase.
pub struct Checked<'a> {
    policy: &'a Policy,
    existing: &'a dyn Registry,
    /// What drafting records reads, shared with the thread that drafts them.
    rows: Arc<Rows>,
    /// Numbered suggestions known to be taken, by stem.
    numbers: std::cell::RefCell<NumberMemo>,
    handed_out: HashSet<String, KeyedHash>,
    summary: Summary,
    /// Whether the second phase may draft records on a second thread.
    threads: bool,
    tuning: Tuning,
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
        let helper = match self.threads && CAN_THREAD {
            true => Helper::start(&self.rows, self.tuning, |d: &Drafter<'_>, rows, heads| {
                d.draft(rows, Some(heads))
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
    /// assert!(out.lines().nth(1).unwrap().ends_with(",a-b,,"));
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
        let helper = match self.threads && CAN_THREAD {
            true => Helper::start(
                &self.rows,
                self.tuning,
                move |d: &Drafter<'_>, rows, heads| d.report(rows, format, Some(heads)),
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
                out.extend_from_slice(text.get(at..offset).unwrap_or_default());
                at = offset;
                match pending {
                    Pending::Line { index, fix } => {
                        let suggestion = self.choose(index, fix)?;
                        csv_field(&mut out, suggestion.as_deref(), "");
                    }
                    Pending::Record(draft) => {
                        let record = self.suggest(draft)?;
                        format.write(&record, &mut out);
                    }
                }
            }
            out.extend_from_slice(text.get(at..).unwrap_or_default());
            sink(out)?;
            start = end;
        }
        Ok(())
    }

    /// Forgets the suggestions handed out, for the second phase to start again from the first
    /// row and hand out the same ones.
    fn start_over(&mut self) {
        self.handed_out.clear();
        *self.numbers.get_mut() = NumberMemo::default();
        self.summary.unfixable = 0;
    }

    /// Chooses the drafted record's suggestion, in row order so that none is given twice.
    fn suggest(&mut self, draft: Draft) -> Result<Record, AuditError> {
        let Draft { mut record, fix } = draft;
        if record.status == Status::Ok {
            return Ok(record);
        }
        let index = u32::try_from(record.row.saturating_sub(1)).unwrap_or(u32::MAX);
        record.suggestion = self.choose(index, fix)?;
        Ok(record)
    }

    /// The suggestion for the row at `index`, which is not ok, from `fix`; in row order so
    /// that none is given twice.
    fn choose(&mut self, index: u32, fix: Fix) -> Result<Option<String>, AuditError> {
        let c = self;
        let registry = Claimed { checked: c };
        let among = |candidates| {
            let memo = &mut *c.numbers.borrow_mut();
            Ok::<_, AuditError>(
                (c.policy
                    .suggest_among_memo(candidates, &registry, 1, memo)?)
                .pop(),
            )
        };
        let suggestion = match fix {
            Fix::Nothing => None,
            Fix::Head { head, .. } if !registry.is_taken(&c.policy.canonical_key(&head))? => {
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
                    Some((some, _)) => c.policy.first_free(some, &registry)?,
                    None => None,
                };
                let drafter = c.rows.drafter();
                match (first, drafter.suggest_input(index, drafter.person(index))) {
                    (Some(first), _) => Some(first),
                    (None, Some(input)) => among(c.policy.candidates(input))?,
                    (None, None) => None,
                }
            }
            Fix::All(candidates) => among(candidates)?,
        };
        match &suggestion {
            Some(s) => {
                c.handed_out.insert(c.policy.canonical_key(s).into_owned());
            }
            None => c.summary.unfixable += 1,
        }
        Ok(suggestion)
    }
}

/// The rows as the first phase left them: what drafting records reads.
struct Rows {
    policy: Policy,
    texts: Texts,
    metas: Vec<Meta>,
    notes: Vec<(u32, Note)>,
    groups: Groups,
    /// The hash of `claims`' keys.
    hash: KeyedHash,
    /// Canonical key hash -> the ok rows that claimed keys with it.
    claims: RowIndex,
}

impl Rows {
    fn drafter(&self) -> Drafter<'_> {
        Drafter {
            policy: &self.policy,
            texts: &self.texts,
            metas: &self.metas,
            notes: &self.notes,
            groups: &self.groups,
            hash: &self.hash,
            claims: &self.claims,
            plain_names: !b",\"\r\n".iter().any(|&b| self.policy.allows_byte(b)),
        }
    }
}

/// Threads drafting records ahead of the one choosing their suggestions, [`Tuning::ahead`] rows at
/// a time in turn, for the whole second phase. Dropping it stops them.
struct Helper<T> {
    /// Each thread's drafts, in the order the threads take their turns.
    drafts: Vec<mpsc::Receiver<T>>,
    /// The thread whose drafts come next.
    next: std::cell::Cell<usize>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl<T: Send + 'static> Helper<T> {
    /// `None` when no thread can be started.
    fn start(
        rows: &Arc<Rows>,
        tuning: Tuning,
        make: impl Fn(&Drafter<'_>, Range<usize>, &Heads) -> T + Send + Sync + 'static,
    ) -> Option<Helper<T>> {
        let make = Arc::new(make);
        let heads = Arc::new(Heads::new(rows.metas.len()));
        let mut helper = Helper {
            drafts: Vec::with_capacity(tuning.helpers),
            next: std::cell::Cell::new(0),
            threads: Vec::with_capacity(tuning.helpers),
        };
        for n in 0..tuning.helpers {
            let (rows, make, heads) = (Arc::clone(rows), Arc::clone(&make), Arc::clone(&heads));
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
                        if tx.send(make(&drafter, start..end, &heads)).is_err() {
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
    fn recv(&self) -> Option<T> {
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

/// The report's records, formatted: ok rows in `text`, the others waiting for their
/// suggestions, each with the offset in `text` where it goes.
struct Piece {
    text: Vec<u8>,
    pending: Vec<(usize, Pending)>,
}

/// A record of a [`Piece`] waiting for its suggestion.
enum Pending {
    /// A CSV line, in the piece's text but for the suggestion's field, which goes at the
    /// offset; of the row at this index, which is not ok.
    Line { index: u32, fix: Fix },
    /// A record to format once its suggestion is chosen.
    Record(Draft),
}

/// How [`Checked::write_report`] formats the records.
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
    fn write(self, record: &Record, out: &mut Vec<u8>) {
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

/// A row's id and username.
fn slice<'s>(texts: &'s Texts, metas: &[Meta], index: u32) -> (&'s str, &'s str) {
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

/// The names a suggestion must avoid: the org's, every ok row's and every suggestion so far.
struct Claimed<'c, 'a> {
    checked: &'c Checked<'a>,
}

impl Registry for Claimed<'_, '_> {
    fn is_taken(&self, key: &str) -> Result<bool, RegistryError> {
        let c = self.checked;
        if c.handed_out.contains(key) {
            return Ok(true);
        }
        if c.rows.drafter().claimed(key) {
            return Ok(true);
        }
        c.existing.is_taken(key)
    }
}

/// The records of an audit, in input order (see [`Checked::records`]).
pub struct Records<'c, 'a> {
    checked: &'c mut Checked<'a>,
    /// The next row to draft.
    next: usize,
    /// Drafted records, waiting for their suggestions in row order.
    ahead: std::vec::IntoIter<Draft>,
    /// The thread drafting them, if there is one.
    helper: Option<Helper<Vec<Draft>>>,
}

/// A record with all but its suggestion, and what the suggestion is chosen from.
struct Draft {
    record: Record,
    fix: Fix,
}

/// What a drafted record's suggestion is chosen from.
enum Fix {
    /// Nothing: the row has no username and no person's names.
    Nothing,
    /// The invalid username normalized, which is valid: the suggestion when it is free (as it
    /// nearly always is), else chosen among all the candidates, made then. Most failing rows
    /// are invalid ones, so most never make the five candidates from the person's names.
    /// `more` are the candidates the helper drafting the record made already, when the head
    /// was likely to be taken (see [`Heads`]): up to the first likely to be free, with
    /// whether they are all of them.
    Head {
        head: String,
        more: Option<(Candidates, bool)>,
    },
    /// All the candidates, for a row whose normalized username is taken or a duplicate.
    All(Candidates),
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
    fn draft_ahead(&mut self) {
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
    fn suggest(&mut self, draft: Draft) -> Result<Record, AuditError> {
        self.checked.suggest(draft)
    }
}

/// What drafting records reads, shared with a second thread (so without the registry).
struct Drafter<'v> {
    policy: &'v Policy,
    texts: &'v Texts,
    metas: &'v [Meta],
    notes: &'v [(u32, Note)],
    groups: &'v Groups,
    hash: &'v KeyedHash,
    claims: &'v RowIndex,
    /// Whether an ok row's username, which has only characters the policy allows, never
    /// needs quotes in CSV: the policy allows none of `,`, `"`, CR and LF.
    plain_names: bool,
}

/// The canonical keys of the heads drafted so far, and of the candidates the helper threads
/// guessed free, as one bit each (chosen by the key's hash), shared by the helpers without
/// a lock: one seen before was most likely handed out to an earlier row, so for a row whose
/// head is likely taken the helper makes the candidates up to the first likely free one,
/// off the thread choosing the suggestions (which makes them all itself when none it was
/// given is free). Only a guess (two keys may share a bit, and the helpers draft rows out
/// of order): the suggestions are the same whatever it guesses.
struct Heads {
    bits: Vec<AtomicU64>,
    /// The number of bits less one, a power of two less one.
    mask: u64,
}

impl Heads {
    /// Room for the heads of `rows` rows, two bits a row at least.
    fn new(rows: usize) -> Heads {
        let bits = rows.max(1 << 16).saturating_mul(2).next_power_of_two();
        Heads {
            bits: (0..bits / 64).map(|_| AtomicU64::new(0)).collect(),
            mask: bits as u64 - 1,
        }
    }

    /// Whether a key of this hash was noted before; notes it.
    fn note(&self, hash: u64) -> bool {
        // The low bits: the claim table's slots are placed by the high ones.
        let bit = hash & self.mask;
        let Some(word) = self.bits.get((bit / 64) as usize) else {
            return false;
        };
        let mask = 1 << (bit % 64);
        word.fetch_or(mask, std::sync::atomic::Ordering::Relaxed) & mask != 0
    }
}

impl Drafter<'_> {
    /// Whether an ok row claimed the canonical key (no other row can: the claims are final).
    fn claimed(&self, key: &str) -> bool {
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
    fn maybe_claimed(&self, hash: u64) -> bool {
        self.claims.find(hash, |_| true).is_some()
    }

    /// The given and family names noted for a row, if any.
    fn person(&self, index: u32) -> Option<(&str, &str)> {
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
    fn suggest_input<'s>(
        &'s self,
        index: u32,
        person: Option<(&'s str, &'s str)>,
    ) -> Option<SuggestInput<'s>> {
        let status = self.metas.get(index as usize)?.status;
        let name = slice(self.texts, self.metas, index).1;
        if status == Status::Ok || (name.is_empty() && person.is_none()) {
            return None;
        }
        let mut input = SuggestInput::new(name);
        if let Some((given, family)) = person {
            input = input.given_name(given).family_name(family);
        }
        Some(input)
    }

    /// The records of `rows` formatted, those not ok but for their suggestions.
    fn report(&self, rows: Range<usize>, format: ReportFormat, heads: Option<&Heads>) -> Piece {
        if format != ReportFormat::Csv {
            let drafts = self.draft(rows, heads);
            let mut text = Vec::with_capacity(drafts.len() * 128);
            let mut pending = Vec::new();
            for draft in drafts {
                if draft.record.status == Status::Ok {
                    format.write(&draft.record, &mut text);
                } else {
                    pending.push((text.len(), Pending::Record(draft)));
                }
            }
            return Piece { text, pending };
        }
        let first = u32::try_from(rows.start).unwrap_or(u32::MAX);
        let mut note = self.notes.partition_point(|(row, _)| *row < first);
        let mut text = Vec::with_capacity(rows.len() * 128);
        let mut pending = Vec::new();
        for i in rows {
            let (Ok(index), Some(&meta)) = (u32::try_from(i), self.metas.get(i)) else {
                break;
            };
            let notes_from = note;
            while self.notes.get(note).is_some_and(|(row, _)| *row == index) {
                note += 1;
            }
            let notes = self.notes.get(notes_from..note).unwrap_or_default();
            if meta.status == Status::Ok {
                self.write_ok_csv(index, meta, notes, &mut text);
            } else {
                let Draft { record, fix } = self.draft_row(index, meta, notes, heads);
                let mut at = text.len();
                record.write_csv_line_around(&mut text, |out| at = out.len());
                pending.push((at, Pending::Line { index, fix }));
            }
        }
        Piece { text, pending }
    }

    /// An ok row's line of the CSV report, as [`Record::write_csv_line`] writes its record,
    /// without making the record.
    fn write_ok_csv(&self, index: u32, meta: Meta, notes: &[(u32, Note)], out: &mut Vec<u8>) {
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
        let mut number = itoa::Buffer::new();
        out.extend_from_slice(number.format(u64::from(index) + 1).as_bytes());
        out.push(b',');
        out.extend_from_slice(number.format(meta.line).as_bytes());
        out.push(b',');
        // A field a spreadsheet would run as a formula goes behind a `'` (see `csv_field`).
        let formula = |s: &str| s.bytes().next().is_some_and(formula_lead);
        match needs_quotes(id) || formula(id) {
            true => csv_field(out, [id], ""),
            false => out.extend_from_slice(id.as_bytes()),
        }
        out.push(b',');
        match self.plain_names && !formula(name) {
            true => out.extend_from_slice(name.as_bytes()),
            false => csv_field(out, [name], ""),
        }
        // The status, and no codes, message or suggestion.
        out.extend_from_slice(b",ok,,,,");
        if meta.leads {
            let group = self.groups.get(&index).into_iter().flatten().copied();
            let others = group.filter(|&r| r != index).take(Record::MAX_COLLISIONS);
            for (i, row) in others.enumerate() {
                if i > 0 {
                    out.push(b';');
                }
                out.extend_from_slice(number.format(u64::from(row) + 1).as_bytes());
            }
        }
        out.push(b',');
        if !notes.is_empty() {
            let warnings = notes.iter().filter_map(|(_, n)| match n {
                Note::Lookalike(w) => Some(w.message.as_str()),
                _ => None,
            });
            csv_field(out, warnings, " | ");
        }
        out.push(b'\n');
    }

    /// The records of `rows` without their suggestions, with the candidates for them.
    fn draft(&self, rows: Range<usize>, heads: Option<&Heads>) -> Vec<Draft> {
        let first = u32::try_from(rows.start).unwrap_or(u32::MAX);
        let mut note = self.notes.partition_point(|(row, _)| *row < first);
        let mut drafts = Vec::with_capacity(rows.len());
        for i in rows {
            let (Ok(index), Some(&meta)) = (u32::try_from(i), self.metas.get(i)) else {
                break;
            };
            let from = note;
            while self.notes.get(note).is_some_and(|(row, _)| *row == index) {
                note += 1;
            }
            let notes = self.notes.get(from..note).unwrap_or_default();
            drafts.push(self.draft_row(index, meta, notes, heads));
        }
        drafts
    }

    /// The record of the row at `index` without its suggestion, with the candidates for it;
    /// `notes` are the row's.
    fn draft_row(
        &self,
        index: u32,
        meta: Meta,
        notes: &[(u32, Note)],
        heads: Option<&Heads>,
    ) -> Draft {
        let mut person = None;
        let mut record = self.record_without_suggestion(index, meta);
        for (_, n) in notes {
            match n {
                Note::Error(message) => record.message.clone_from(message),
                Note::Lookalike(w) => record.warnings.push(w.clone()),
                Note::Person { given, family } => {
                    person = Some((self.texts.get(*given), self.texts.get(*family)));
                }
            }
        }
        self.explain(&mut record, meta);
        let fix = match self.suggest_input(index, person) {
            None => Fix::Nothing,
            Some(input) => {
                let head = (meta.status == Status::Invalid)
                    .then(|| self.policy.head_candidate(input))
                    .flatten();
                match head {
                    Some((head, true)) => {
                        let more = heads.and_then(|heads| {
                            // Taken, most likely, when an ok row may hold its key or it was a
                            // candidate likely to be free for an earlier row.
                            let likely_free = |c: &str| {
                                let hash = self.hash.str(&self.policy.canonical_key(c));
                                !self.maybe_claimed(hash) && !heads.note(hash)
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

    fn record_without_suggestion(&self, index: u32, meta: Meta) -> Record {
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
        }
    }

    /// The codes and message of a row that is not ok (an error's message is its note).
    fn explain(&self, record: &mut Record, meta: Meta) {
        let name = record.username.as_str();
        match meta.status {
            Status::Ok | Status::Error => {}
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
                record.message = rules::taken_violation(name).message;
            }
            Status::Duplicate => {
                record.codes = vec![Code::Duplicate];
                record.message = rules::duplicate_violation(name, meta.first as usize + 1).message;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::HuggingFaceMapping;
    use super::*;
    use crate::{MemoryRegistry, RegistryError};

    #[test]
    fn a_prepared_row_stays_small() {
        // Every row is written on one thread and read on another: its size is memory traffic.
        assert!(
            std::mem::size_of::<Prepared>() <= 72,
            "{}",
            std::mem::size_of::<Prepared>()
        );
    }

    #[test]
    fn a_row_index_finds_every_row_as_it_grows() {
        // Hashes whose top 32 bits, which place a slot and are all a slot keeps of a hash,
        // are the same for pairs of rows: the lookup must tell them apart by asking.
        let hash = |row: u32| (u64::from(row / 2) << 40) ^ u64::from(row) ^ 0x5555;
        for reserved in [0, 10_000] {
            let mut index = RowIndex::default();
            index.reserve(reserved);
            for row in 0..10_000 {
                index.insert(hash(row), row);
            }
            assert!(index.slots.len() >= 2 * 10_000);
            for row in 0..10_000 {
                assert_eq!(index.find(hash(row), |r| r == row), Some(row));
                // The pair's other row shares the slot's tag but is not this hash's row.
                assert_eq!(
                    index.find(hash(row), |r| r == row ^ 1 && r / 2 == row / 2),
                    Some(row ^ 1)
                );
            }
            assert_eq!(index.find(u64::MAX, |_| true), None);
            assert_eq!(index.find(hash(20_001), |r| r == 20_001), None);
        }
        let empty = RowIndex::default();
        assert_eq!(empty.find(7, |_| true), None);
        assert_eq!(empty.touch(7), 0);
    }

    /// The claim table's hash before it had a key: names can be chosen to collide in it.
    fn unkeyed(s: &[u8]) -> u64 {
        let mut h: u64 = 0x9E37_79B9_7F4A_7C15 ^ s.len() as u64;
        let mut chunks = s.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517C_C1B7_2722_0A95);
        }
        let mut word = [0u8; 8];
        let rest = chunks.remainder();
        word[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517C_C1B7_2722_0A95);
        h ^= h >> 33;
        h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        h ^= h >> 33;
        h
    }

    #[test]
    fn names_chosen_to_collide_spread_out_in_the_claim_table() {
        // Names whose unkeyed hashes start with the same 12 bits: in a table of 1,024 slots,
        // all of them have the same home slot, and each claim walks past every earlier one.
        let rows = 500;
        let mut names = Vec::with_capacity(rows);
        let mut name = String::new();
        for n in 0u64.. {
            name.clear();
            name.push_str("user-");
            name.push_str(itoa::Buffer::new().format(n));
            if unkeyed(name.as_bytes()) >> 52 == 0xABC {
                names.push(name.clone());
                if names.len() == rows {
                    break;
                }
            }
        }
        let mut crafted = RowIndex::default();
        let hash = KeyedHash::new();
        let mut index = RowIndex::default();
        for (row, name) in (0u32..).zip(&names) {
            crafted.insert(unkeyed(name.as_bytes()), row);
            index.insert(hash.str(name), row);
        }
        assert_eq!(index.slots.len(), 1024);
        assert!(crafted.probes() >= rows * rows / 2, "{}", crafted.probes());
        // With the keyed hash, as with any names: linear.
        assert!(index.probes() <= 4 * rows, "{}", index.probes());
        for (row, name) in (0u32..).zip(&names) {
            assert_eq!(index.find(hash.str(name), |r| r == row), Some(row));
        }
    }

    fn records(audit: &Audit<'_>, input: &str) -> Result<Vec<Record>, AuditError> {
        let mut checked = audit.run(
            std::io::Cursor::new(input.as_bytes().to_vec()),
            &mut HuggingFaceMapping::default(),
        )?;
        checked.records().collect()
    }

    #[test]
    fn a_shared_registry_gives_the_same_records() {
        let policy = Policy::huggingface();
        let org = MemoryRegistry::from_names(&policy, ["jdoe", "asmith"]);
        let mut input = String::from("id,userPrincipalName,mailNickname,givenName,surname\n");
        for i in 0..500 {
            let name = ["jdoe", "j.doe", "asmith", "bob", "x"][i % 5];
            input.push_str(&format!("{i},{name}{}@x.com,,John,Doe\n", i % 7));
            input.push_str(&format!("r{i},jdoe@x.com,,John,Doe\n"));
        }
        input.push_str("bad,\"unterminated\n");
        for threads in [true, false] {
            let plain = records(&Audit::new(&policy, &org).threads(threads), &input);
            let audit = Audit::new(&policy, &org)
                .shared_existing(&org)
                .threads(threads);
            let shared = records(&audit, &input);
            assert_eq!(
                format!("{:?}", plain.expect("audited")),
                format!("{:?}", shared.expect("audited"))
            );
        }
    }

    struct Down;

    impl Registry for Down {
        fn is_taken(&self, _key: &str) -> Result<bool, RegistryError> {
            Err(RegistryError::new("registry down"))
        }
    }

    #[test]
    fn a_shared_registry_that_fails_is_an_error() {
        let policy = Policy::huggingface();
        let input = "id,userPrincipalName,mailNickname,givenName,surname\n1,jdoe@x.com,,J,D\n";
        for threads in [true, false] {
            let audit = Audit::new(&policy, &Down)
                .shared_existing(&Down)
                .threads(threads);
            assert!(records(&audit, input).is_err());
        }
    }
}
