//! The export being audited (a file, standard input, or an in-memory table made from
//! another format) and the username source the arguments ask for.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use usernorm::audit::{AuditError, Column, HuggingFaceMapping, UsernameSource};

use crate::CliError;
use crate::args::AuditArgs;
use crate::output;

/// Bytes [`Input::head`] reads to tell the identity provider from the file.
const HEAD_BYTES: u64 = 64 << 10;

/// The export being audited: a file, standard input, or standard input kept in an unnamed
/// temporary file to be read twice (for `--fixed-out`).
pub(crate) enum Input<'a> {
    Stdin,
    File(&'a Path),
    Spool(File),
    /// The export in memory, read at once (Okta's Users API JSON made a table, or standard
    /// input for a provider whose audit reads it twice), and how to name it.
    Memory(std::sync::Arc<[u8]>, String),
}

impl<'a> Input<'a> {
    pub(crate) fn new(path: &'a Path, twice: bool) -> Result<Input<'a>, CliError> {
        if path.as_os_str() != "-" {
            return Ok(Input::File(path));
        }
        if !twice {
            return Ok(Input::Stdin);
        }
        // No name (O_TMPFILE where there is one), 0600: nothing to find, follow or leave behind.
        let spooled = tempfile::tempfile().and_then(|mut file| {
            io::copy(&mut io::stdin().lock(), &mut file)?;
            Ok(file)
        });
        spooled
            .map(Input::Spool)
            .map_err(|e| CliError::new(format!("cannot keep standard input for --fixed-out: {e}")))
    }

    pub(crate) fn shown(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin | Input::Spool(_) => "<stdin>".to_owned(),
            Input::Memory(_, shown) => shown.clone(),
        }
    }

    pub(crate) fn size(&self) -> Option<u64> {
        match self {
            Input::Stdin => None,
            Input::File(path) => fs::metadata(path).ok().map(|m| m.len()),
            Input::Spool(file) => file.metadata().ok().map(|m| m.len()),
            Input::Memory(bytes, _) => Some(bytes.len() as u64),
        }
    }

    /// A reader from the start. The spool's readers share its offset, so it is read by one
    /// at a time: the audit has read all of it before `--fixed-out` reads it again.
    pub(crate) fn open(&self) -> Result<Box<dyn Read + Send>, CliError> {
        let reader: Box<dyn Read + Send> = match self {
            Input::Stdin => Box::new(io::stdin()),
            Input::File(path) => Box::new(
                File::open(path)
                    .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?,
            ),
            Input::Spool(file) => {
                let mut file = file.try_clone()?;
                file.seek(SeekFrom::Start(0))?;
                Box::new(file)
            }
            Input::Memory(bytes, _) => Box::new(io::Cursor::new(bytes.clone())),
        };
        Ok(reader)
    }

    /// The first bytes of the export, to tell its identity provider; nothing for standard
    /// input read once (it cannot be read again).
    pub(crate) fn head(&self) -> Result<Vec<u8>, CliError> {
        if matches!(self, Input::Stdin) {
            return Ok(Vec::new());
        }
        let mut head = Vec::new();
        self.open()?.take(HEAD_BYTES).read_to_end(&mut head)?;
        Ok(head)
    }

    /// The whole export in memory, for a format read at once (Okta's Users API JSON).
    pub(crate) fn read_all(&self) -> Result<Vec<u8>, CliError> {
        let mut bytes = Vec::new();
        self.open()?
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", self.shown())))?;
        Ok(bytes)
    }

    /// An audit error as the run's error: a failed write names its output, anything else the
    /// input.
    pub(crate) fn failed(&self, e: AuditError) -> CliError {
        match e {
            AuditError::Io(e) if output::is_write_error(&e) => CliError::from(e),
            AuditError::MissingColumns { .. } => CliError::new(format!(
                "{}: {e}\n  (name the username column with --column NAME, or map it with --mapping EXPR)",
                self.shown()
            )),
            e => CliError::new(format!("{}: {e}", self.shown())),
        }
    }
}

/// The username source the arguments ask for.
pub(crate) fn username_source(args: &AuditArgs) -> Result<Box<dyn UsernameSource>, CliError> {
    if let Some(column) = &args.column {
        return Ok(Box::new(Column::new(column.clone())));
    }
    match &args.mapping {
        None => Ok(Box::new(HuggingFaceMapping::default())),
        Some(expr) => mapping(expr),
    }
}

/// A mapping expression as a username source.
pub(crate) fn mapping(expr: &str) -> Result<Box<dyn UsernameSource>, CliError> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if squeeze(expr) == squeeze(HuggingFaceMapping::EXPRESSION) {
        return Ok(Box::new(HuggingFaceMapping::default()));
    }
    usernorm::audit::EntraMapping::parse(expr)
        .map(|m| Box::new(m) as Box<dyn UsernameSource>)
        .map_err(|e| CliError::new(format!("--mapping: {e}")))
}
