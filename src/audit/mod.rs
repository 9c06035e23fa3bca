//! The pre-provisioning audit of a directory export: which person would get which username,
//! which would be rejected and why, which collide with each other or with existing members, and
//! a fix for each.
//!
//! # Overview
//!
//! [`Audit::run`] reads CSV from any [`std::io::Read`] (UTF-8 with or without a byte-order mark,
//! UTF-16 with one or without (found from its NUL bytes); `,`, `;` or tab found from the
//! header line; quoted fields with delimiters, quotes and line breaks). A [`UsernameSource`] gives each row its username: a [`Column`],
//! [`HuggingFaceMapping`] (the default), or any mapping ([`MappingFn`], an Entra expression).
//! That first phase streams the rows, works out each row's [`Status`] and claims each valid
//! name's canonical key; the first row keeps a name, as in real provisioning.
//!
//! [`Checked::records`] is the second phase: one [`Record`] per input row, in input order, each
//! non-ok row with a suggestion that is valid and free across the org, every ok row and every
//! suggestion handed out before it. [`Checked::summary`] counts it all.
//!
//! Bad input never stops the audit and never drops a row: a ragged row, bad UTF-8 (or UTF-16
//! that does not decode: an unpaired surrogate), a quote that never closes, a row or field
//! over the size limits or a failed mapping becomes a record with status `error` and a message naming the line. Only a
//! file with no header, a header over the size limits, or a header without a column the
//! mapping needs (or with two for one attribute the audit reads) is an [`AuditError`].
//!
//! # Untrusted input
//!
//! Lines end at `\n`, `\r\n` or a bare `\r`, and the report's `line` counts them so. A
//! record is read as CSV is (quoted fields may hold delimiters, quotes and line breaks), with
//! one rule for a record that cannot be trusted: when a quoted field in it is still open at
//! the end of the input, when the record is longer than
//! [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES) (1 MiB), or when its quoted fields
//! hold line breaks and it has not as many fields as the header (a stray quote closed by the
//! next row's first quote, in an export that quotes a field of every row), it is an `error`
//! row made of its **first line** alone, and reading goes on at the next line, which starts a
//! record of its own. So every line of the input is in exactly one row (or is blank), and a stray quote
//! costs the row it is on, never the rows after it. A field longer than
//! [`MAX_FIELD_BYTES`](crate::limits::MAX_FIELD_BYTES) (64 KiB) makes its row an `error` row
//! naming the column. Memory stays bounded on any input: no record is kept past the limit,
//! and a line longer than it is skipped, not kept. [`write_fixed`] writes a broken row as its
//! first line split at every delimiter (its quotes doubled, so that the file stays valid CSV
//! and no later row is swallowed), and a row too long to keep with no fields.
//!
//! # Examples
//!
//! ```
//! use usernorm::audit::{Audit, HuggingFaceMapping, Status};
//! use usernorm::{MemoryRegistry, Policy};
//!
//! let csv = "objectId,userPrincipalName,mailNickname,givenName,surname\n\
//!            1,john.doe@contoso.com,john.doe,John,Doe\n\
//!            2,johndoe@contoso.com,johndoe,Johnny,Doe\n\
//!            3,ana_lima@contoso.com,ana_lima,Ana,Lima\n\
//!            4,asmith@contoso.com,asmith,Alice,Smith\n";
//! let policy = Policy::huggingface();
//! let org = MemoryRegistry::from_names(&policy, ["ASmith"]);
//! let mut checked = Audit::new(&policy, &org).run(csv.as_bytes(), &mut HuggingFaceMapping::default())?;
//! let records: Vec<_> = checked.records().collect::<Result<_, _>>()?;
//!
//! let got: Vec<_> = records.iter().map(|r| (r.username.as_str(), r.status)).collect();
//! assert_eq!(got, [
//!     ("johndoe", Status::Ok),
//!     ("johndoe", Status::Duplicate),
//!     ("ana_lima", Status::Invalid),
//!     ("asmith", Status::Taken),
//! ]);
//! assert_eq!(records[1].collides_with, [1]);
//! assert_eq!(records[1].suggestion.as_deref(), Some("Johnny-Doe"));
//! assert_eq!(records[2].suggestion.as_deref(), Some("ana-lima"));
//! assert_eq!(checked.summary().statuses.duplicate, 1);
//! # Ok::<(), usernorm::audit::AuditError>(())
//! ```
//!
//! # Performance
//!
//! The first phase reads the input in blocks of about a megabyte of whole records (cut where
//! the quotes balance, on a thread of their own, and checked as they are parsed): two threads
//! parse blocks and do each row's work that needs no other row (UTF-8, the mapping, the
//! rules, the canonical key, the skeleton), and the caller claims names in row order, looking
//! up a batch of rows' table slots at once; the rows keep the text the parsing threads wrote. Plain records are split with `memchr`; any other record goes through
//! `csv-core`, and a block that cannot be read on its own (a quote that never closes) is read
//! record by record from there on, so every row gets the same record, line and problem either
//! way. The second phase drafts records on two helper threads ahead of the caller, which
//! chooses their suggestions in row order; [`Checked::write_report`] also formats the records
//! there, a failing row's but for its suggestion.
//! Where threads are not available (WebAssembly, or [`Audit::threads`] off) the same work runs
//! on one, with the same result. The first phase keeps about 130 bytes a row (the id, the
//! username, the given and family names of a row that is not ok, a few numbers and two table
//! slots), so a million-row export fits in well under 300 MB.
//!
//! The audit reads only the [`std::io::Read`] given to [`Audit::run`] and [`write_fixed`],
//! nothing it opens itself, and is the one part of the crate that starts threads: the parsing threads end before [`Audit::run`] returns, the drafting helpers when
//! the second phase's call ends or its [`Records`] are dropped. None is started in the
//! browser build, whose code has no threaded path at all.

mod apply;
mod arena;
mod blocks;
mod checked;
mod claims;
mod draft;
mod engine;
mod framing;
mod header;
mod input;
mod plan;
mod planner;
mod prepare;
mod reader;
mod record;
mod report;
#[cfg(feature = "entra")]
mod schema_plan;
mod sequential;
mod source;
mod store;
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
mod threaded;
/// Where no thread can start (the browser, `wasm32-unknown-unknown`, where std's spawn always
/// fails), the threaded drivers are left out of the build (their code and std's channels are
/// a tenth of the module); stand-ins that never run take their place.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[path = "unthreaded.rs"]
mod threaded;
mod tuning;
mod unusual;

use std::fmt;

#[cfg(feature = "okta")]
pub use crate::okta::OktaMapping;
pub use checked::{Checked, Records};
pub use engine::{Audit, Progress};
pub use header::{Header, Row, default_alias};
pub use input::{Encoding, sniff_delimiter};
pub use plan::{AbsentMember, ActionCounts, Matching, Plan, PlanSummary};
pub use record::{Action, CodeCount, Collisions, Record, Status, StatusCounts, Summary};
pub use report::ReportFormat;
#[cfg(feature = "entra")]
pub use schema_plan::SchemaPlan;
#[cfg(feature = "entra")]
pub use source::EntraMapping;
pub use source::{Column, HuggingFaceMapping, MappingFn, ReadableName, UsernameSource};
#[doc(hidden)]
pub use tuning::Tuning;

use crate::RegistryError;

/// A value the engine's own bookkeeping guarantees (a span in its arena, a range of its own
/// lists, a column of its header), for `.invariant("...")` where it is looked up with `get`.
/// A debug build (the tests) stops when the guarantee is broken; a release build goes on
/// with the default (an empty text or list), so that a bug costs one wrong cell of the
/// report and never a panic, as the core promises on any input.
trait Invariant<T> {
    fn invariant(self, what: &'static str) -> T;
}

impl<T: Default> Invariant<T> for Option<T> {
    #[inline]
    #[track_caller]
    fn invariant(self, what: &'static str) -> T {
        debug_assert!(self.is_some(), "broken invariant: {what}");
        self.unwrap_or_default()
    }
}

/// Why an audit could not run at all. Problems with single rows are never errors: they are
/// records with status `error`.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuditError {
    /// The input has no header line.
    Empty,
    /// Columns the mapping needs are not in the file.
    MissingColumns {
        /// The attributes that are missing.
        missing: Vec<String>,
        /// The columns the file has.
        columns: Vec<String>,
    },
    /// Two columns are for one attribute the audit reads (by name, case-insensitively, or
    /// through an alias, as `mail` and `Email`): which one is meant cannot be told.
    DuplicateColumn {
        /// The attribute.
        attribute: String,
        /// The first two columns for it: their 0-based positions and their names in the file.
        columns: [(usize, String); 2],
    },
    /// Reading the input failed.
    Io(std::io::Error),
    /// The org's registry could not answer; a failed lookup never counts as free.
    Registry(RegistryError),
}

impl AuditError {
    /// `Ok` when every attribute can be read from rows under `header`, from one column,
    /// else [`AuditError::MissingColumns`] or [`AuditError::DuplicateColumn`].
    ///
    /// ```
    /// use usernorm::audit::{AuditError, Header};
    ///
    /// let header = Header::new(["id", "mail"]);
    /// let e = AuditError::require(&header, &["mail", "givenName"]).unwrap_err();
    /// assert_eq!(e.to_string(), "the file has no `givenName` column; its columns are: id, mail");
    ///
    /// let header = Header::new(["id", "mail", "Email"]);
    /// let e = AuditError::require(&header, &["mail"]).unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "the columns `mail` (column 2) and `Email` (column 3) are both `mail`: remove or \
    ///      rename one, so that it is clear which one to read"
    /// );
    /// ```
    ///
    /// # Errors
    /// When some attribute has no column, or two.
    pub fn require(header: &Header, attributes: &[&str]) -> Result<(), AuditError> {
        let missing: Vec<String> = attributes
            .iter()
            .filter(|a| !header.has(a))
            .map(|&a| a.to_owned())
            .collect();
        if missing.is_empty() {
            return AuditError::unique(header, attributes);
        }
        Err(AuditError::MissingColumns {
            missing,
            columns: header.names().to_vec(),
        })
    }

    /// `Ok` unless one of the attributes has two columns ([`AuditError::DuplicateColumn`]);
    /// attributes without a column are let be.
    pub(crate) fn unique(header: &Header, attributes: &[&str]) -> Result<(), AuditError> {
        let Some((attribute, (a, b))) = attributes
            .iter()
            .find_map(|&attr| header.repeated(attr).map(|pair| (attr, pair)))
        else {
            return Ok(());
        };
        let name = |i: usize| {
            header
                .names()
                .get(i)
                .cloned()
                .invariant("a column of the header")
        };
        Err(AuditError::DuplicateColumn {
            attribute: attribute.to_owned(),
            columns: [(a, name(a)), (b, name(b))],
        })
    }
}

impl fmt::Display for AuditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditError::Empty => f.write_str("the input is empty: no header line"),
            AuditError::MissingColumns { missing, columns } => {
                let list = |names: &[String]| {
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                write!(
                    f,
                    "the file has no {} column{}",
                    list(missing),
                    if missing.len() == 1 { "" } else { "s" }
                )?;
                if missing
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case("mailNickname"))
                {
                    f.write_str(" (nor `userPrincipalName` to stand in for it)")?;
                }
                write!(f, "; its columns are: {}", columns.join(", "))
            }
            AuditError::DuplicateColumn {
                attribute,
                columns: [(a, first), (b, second)],
            } => write!(
                f,
                "the columns `{first}` (column {}) and `{second}` (column {}) are both \
                 `{attribute}`: remove or rename one, so that it is clear which one to read",
                a + 1,
                b + 1
            ),
            AuditError::Io(e) => write!(f, "cannot read the input: {e}"),
            AuditError::Registry(e) => write!(f, "the existing-names registry failed: {e}"),
        }
    }
}

impl std::error::Error for AuditError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AuditError::Io(e) => Some(e),
            AuditError::Registry(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for AuditError {
    fn from(e: std::io::Error) -> Self {
        AuditError::Io(e)
    }
}

impl From<RegistryError> for AuditError {
    fn from(e: RegistryError) -> Self {
        AuditError::Registry(e)
    }
}

/// Writes the input back out as UTF-8 CSV (the input's delimiter) with one more column,
/// `column`, holding each row's final username from `finals`, in row order (an empty field
/// where there is none). The input is read exactly as [`Audit::run`] reads it, so row `n` of
/// the output is record `n` of the report; a row that could not be read is written as the
/// [module documentation](self#untrusted-input) says.
///
/// ```
/// let input = "id;mailNickname\n1;ann.lee\n2;bo\n";
/// let mut out = Vec::new();
/// let finals = [Some("annlee".to_owned()), None];
/// usernorm::audit::write_fixed(input.as_bytes(), &mut out, "username", finals)?;
/// assert_eq!(String::from_utf8(out).unwrap(), "id;mailNickname;username\n1;ann.lee;annlee\n2;bo;\n");
/// # Ok::<(), usernorm::audit::AuditError>(())
/// ```
///
/// # Errors
/// When reading or writing fails, or the input is empty.
pub fn write_fixed<R: std::io::Read + Send + 'static, W: std::io::Write>(
    input: R,
    mut out: W,
    column: &str,
    finals: impl IntoIterator<Item = Option<String>>,
) -> Result<(), AuditError> {
    let opened = input::open(input)?;
    let delimiter = opened.delimiter;
    let mut reader = reader::RowReader::new(opened)?.ok_or(AuditError::Empty)?;
    let mut buffer = Vec::with_capacity(FIXED_BUFFER + 1024);
    let mut header = reader.header().clone();
    header.push_field(column.as_bytes());
    record::write_fixed_record(&mut buffer, &header, delimiter);
    let mut finals = finals.into_iter();
    let mut raw = reader::RawRow::default();
    while reader.next_row(&mut raw)? {
        let name = finals.next().flatten().unwrap_or_default();
        raw.record.push_field(name.as_bytes());
        record::write_fixed_record(&mut buffer, &raw.record, delimiter);
        if buffer.len() >= FIXED_BUFFER {
            out.write_all(&buffer)?;
            buffer.clear();
        }
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

/// Bytes of [`write_fixed`]'s output gathered before they are written.
const FIXED_BUFFER: usize = 1 << 16;
