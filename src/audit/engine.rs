//! The two phases: stream the rows claiming names, then emit records with suggestions.

use std::io::Read;

use super::blocks::BlockReader;
use super::framing::Start;
use super::input;
use super::reader::RowReader;
use super::record::{Collisions, StatusCounts};
use super::store::Store;
use super::tuning::Tuning;
use super::{AuditError, Checked, Encoding, Header, Plan, PlanSummary, Summary, UsernameSource};
use crate::{LookalikeIndex, Policy, Registry};

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
    pub(super) policy: &'a Policy,
    pub(super) existing: &'a dyn Registry,
    /// `existing`, when it can be asked from the threads preparing rows.
    pub(super) shared: Option<&'a (dyn Registry + Sync)>,
    pub(super) lookalikes: Option<&'a LookalikeIndex<'a>>,
    pub(super) threads: bool,
    pub(super) progress: Option<&'a dyn Fn(Progress)>,
    pub(super) input_size: Option<u64>,
    pub(super) tuning: Tuning,
    pub(super) plan: Option<&'a Plan<'a>>,
    pub(super) source_lines: Option<&'a [u64]>,
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
            plan: None,
            source_lines: None,
        }
    }

    /// The line each row starts on in the file the audited CSV was made from (Okta's Users
    /// API JSON, say): records report those lines, by row, instead of the CSV's.
    #[must_use]
    pub fn source_lines(mut self, lines: &'a [u64]) -> Self {
        self.source_lines = Some(lines);
        self
    }

    /// The provisioning plan: rows matched to the members of `plan`'s org, each with the
    /// identity provider's action (see [`Plan`]). The org is then also the registry of
    /// names taken (as [`Audit::shared_existing`]). Without a plan no row matches a member:
    /// every enabled row is a create and a disabled one is skipped.
    #[must_use]
    pub fn plan(mut self, plan: &'a Plan<'a>) -> Self {
        self.existing = plan.org;
        self.shared = Some(plan.org);
        self.plan = Some(plan);
        self
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
        let mapping_warning = (!source.reproducible()).then(|| {
            "the mapping is not reproducible (it calls Guid, RandomString, Now or a date \
             function): each run, and each provisioning sync, gives other usernames than the \
             ones audited here"
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
            mapping_warning,
            encoding,
            delimiter: match delimiter {
                b'\t' => "tab".to_owned(),
                d => char::from(d).to_string(),
            },
            columns: header.names().to_vec(),
            seconds: None,
            plan: PlanSummary::default(),
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
        let rest = match self.threads {
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

    /// Reads record by record: parsing on a second thread and each row's pure work on a third
    /// where they can be started.
    pub(super) fn run_rows(
        &self,
        reader: &mut RowReader,
        store: &mut Store<'a, '_>,
        source: &dyn UsernameSource,
    ) -> Result<(), AuditError> {
        let done = if self.threads {
            self.run_threaded(reader, store, source)
        } else {
            None
        };
        match done {
            Some(result) => result,
            None => self.run_here(reader, store, source),
        }
    }

    /// What every driver does after a batch of rows is claimed, `bytes` of input read: sizes
    /// the store for the whole input once it can ([`Store::presize`]) and reports progress.
    pub(super) fn batch_claimed(&self, store: &mut Store<'_, '_>, bytes: u64) {
        store.presize(bytes);
        if let Some(progress) = self.progress {
            progress(Progress {
                rows: store.metas.len() as u64,
                bytes,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HuggingFaceMapping, Record};
    use super::*;
    use crate::{MemoryRegistry, RegistryError};

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
