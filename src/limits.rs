//! The documented size limits on input, in one place.
//!
//! Every reader of untrusted input (the audit's CSV reader, the name lists of `check`,
//! `normalize` and `--existing`, the SCIM client) holds to these, so that a hostile or broken
//! file (`/dev/zero`, a line without an end, a field of a gigabyte) gives a clear error naming
//! where it is, with memory bounded, never an allocation that grows until the machine gives up.
//! The CLI documents them in its README; they are generous for real directory exports, whose
//! names are tens of bytes and whose rows are a few kilobytes.
//!
//! ```
//! use usernorm::limits;
//!
//! assert!(limits::MAX_NAME_BYTES <= limits::MAX_LINE_BYTES);
//! assert!(limits::MAX_FIELD_BYTES <= limits::MAX_RECORD_BYTES);
//! ```

/// The longest line of a one-name-per-line input (`check` and `normalize` on standard input, a
/// plain `--existing` list), in bytes, its terminator not counted: 64 KiB.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The longest name checked or normalized, in bytes: 64 KiB, as a line. Its violations are at
/// most one per byte, so a name's report is bounded too.
pub const MAX_NAME_BYTES: usize = MAX_LINE_BYTES;

/// How far a reader passes over a line that is already over its limit, looking for the line's
/// end, before it gives up on the whole input: 16 MiB. An input without a line end that far
/// (`/dev/zero`, a binary file) is not a list of names; the run stops with an error instead of
/// reading forever.
pub const MAX_SKIPPED_BYTES: usize = 16 * 1024 * 1024;

/// The longest record (one row, all its fields and quoted line breaks) of a CSV export or
/// members file, in bytes, its line break not counted: 1 MiB. The audit reads a longer record
/// (or one whose quoted field is still open at the end of the input) as its first line alone,
/// an `error` row, and goes on at the next line; a header line longer than this is an input
/// error. No reader keeps more than this of a record.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// The longest field of a CSV export or members file, in bytes: 64 KiB. In the audit, a
/// longer field makes its row an `error` row naming the column (a column name that long, an
/// input error).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// The largest configuration file read whole (a policy file, an Entra mapping profile, a
/// provisioning schema), in bytes: 4 MiB. A real one is a few kilobytes.
pub const MAX_CONFIG_BYTES: usize = 4 * 1024 * 1024;
