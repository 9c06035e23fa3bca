//! How the audit divides its work: sizes of blocks, batches and queues, and how many threads
//! do what. Read once when an audit starts; changing them changes the speed, never a result.

/// The audit engine's sizes and thread counts. [`Tuning::DEFAULT`] is what every audit uses;
/// tests shrink it ([`Tuning::tiny`]) so that small inputs take every path a large one takes
/// (the block fallback, several batches and helpers, presizing). Not a stable interface.
///
/// ```
/// use usernorm::audit::{Audit, Column, Tuning};
/// use usernorm::{EmptyRegistry, Policy};
///
/// let policy = Policy::huggingface();
/// let csv = "id,user\n1,ann\n2,a_b\n3,ann\n";
/// let run = |tuning: Tuning| {
///     let audit = Audit::new(&policy, &EmptyRegistry).tuning(tuning);
///     let mut checked = audit.run(csv.as_bytes(), &mut Column::new("user")).unwrap();
///     checked.records().collect::<Result<Vec<_>, _>>().unwrap()
/// };
/// assert_eq!(run(Tuning::DEFAULT), run(Tuning::tiny(3)));
/// ```
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Bytes a block of whole records holds, give or take a record.
    pub block: usize,
    /// Rows a batch read record by record holds; also how many rows are in before the
    /// tables are sized for the whole input.
    pub batch: usize,
    /// A batch's text at least this long is kept as it is; a shorter one is copied.
    pub keep_text: usize,
    /// Rows whose table slots are read together before they are claimed.
    pub touch: usize,
    /// Threads parsing blocks of records.
    pub workers: usize,
    /// Blocks waiting for or leaving each parsing thread.
    pub in_flight: usize,
    /// Blocks read ahead of the parsers.
    pub read_ahead: usize,
    /// Records the second phase drafts at a time, before choosing their suggestions in order.
    pub ahead: usize,
    /// Batches of drafted records waiting for their suggestions at most, for each helper.
    pub drafts_ahead: usize,
    /// Threads drafting records in the second phase.
    pub helpers: usize,
}

impl Tuning {
    /// The figures every audit runs with (see `bench/README.md` for how they were chosen).
    pub const DEFAULT: Tuning = Tuning {
        block: 1 << 20,
        batch: 2048,
        keep_text: 1 << 16,
        touch: 64,
        workers: 2,
        in_flight: 4,
        read_ahead: 4,
        ahead: 4096,
        drafts_ahead: 4,
        helpers: 2,
    };

    /// Sizes small enough for a test input of a few rows to cross every boundary: 64-byte
    /// blocks, batches of 3, and `helpers` drafting threads.
    pub const fn tiny(helpers: usize) -> Tuning {
        Tuning {
            block: 64,
            batch: 3,
            keep_text: 16,
            touch: 2,
            workers: 2,
            in_flight: 1,
            read_ahead: 1,
            ahead: 3,
            drafts_ahead: 1,
            helpers,
        }
    }

    /// Every figure at least 1, so that no loop stalls on a zero.
    pub(crate) fn checked(self) -> Tuning {
        Tuning {
            block: self.block.max(1),
            batch: self.batch.max(1),
            keep_text: self.keep_text,
            touch: self.touch.max(1),
            workers: self.workers.max(1),
            in_flight: self.in_flight.max(1),
            read_ahead: self.read_ahead.max(1),
            ahead: self.ahead.max(1),
            drafts_ahead: self.drafts_ahead.max(1),
            helpers: self.helpers.max(1),
        }
    }
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning::DEFAULT
    }
}
