//! Output files that appear whole or not at all.
//!
//! Each output is written to a temporary file in its destination's directory and renamed into
//! place by [`Outputs::commit`], once the whole run has succeeded. Until then an earlier file at
//! the destination is untouched; a run that fails drops its [`Outputs`], which removes the
//! temporary files, and a run ended by SIGINT, SIGTERM or SIGHUP removes them in the signal
//! thread before it exits with 128 + the signal (130, 143, 129).
//!
//! Modes: a new output gets the mode any new file gets (0666 less the umask), not the 0600 of a
//! temporary file, because reports are shared; an output that replaces a file keeps that file's
//! mode, and a destination the user may not write is refused as before. A symbolic link is
//! followed: its target is replaced and the link stays. A destination that exists but is not a
//! regular file (`/dev/null`, `/dev/stdout`, a FIFO) cannot be replaced by a rename, so it is
//! written directly.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use tempfile::{NamedTempFile, TempPath};

use crate::CliError;

/// The temporary files of every [`Outputs`] still pending, for the signal thread to remove.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic elsewhere must not stop the clean-up.
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A write to an output file that failed: which option, which path, and why. It travels as the
/// payload of an [`io::Error`] so that errors name the output rather than the input.
#[derive(Debug)]
pub(crate) struct WriteError {
    option: &'static str,
    path: PathBuf,
    error: io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot write {} {}: {}",
            self.option,
            self.path.display(),
            plain(&self.error)
        )
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    fn new(option: &'static str, path: &Path, error: io::Error) -> WriteError {
        WriteError {
            option,
            path: path.to_owned(),
            error,
        }
    }

    fn into_io(self) -> io::Error {
        io::Error::new(self.error.kind(), self)
    }
}

impl From<WriteError> for CliError {
    fn from(e: WriteError) -> Self {
        CliError::new(e.to_string())
    }
}

/// Whether `e` is a failed write to an output file (a [`WriteError`]).
pub(crate) fn is_write_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<WriteError>())
}

/// An I/O error without the ` at path "…"` naming the temporary file that `tempfile` adds to
/// it: the user knows the output by its own name.
fn plain(e: &io::Error) -> String {
    let mut text = e.to_string();
    if let Some(at) = text.rfind(" at path \"") {
        text.truncate(at);
    }
    text
}

/// One output being written.
enum Target {
    /// A temporary file beside `dest`, renamed onto it on commit.
    Temp { temp: TempPath, dest: PathBuf },
    /// A destination written in place (not a regular file).
    Direct,
}

struct Output {
    option: &'static str,
    path: PathBuf,
    target: Target,
}

/// The run's output files. Dropping it without [`Outputs::commit`] removes the temporary files
/// and leaves every destination as it was.
#[derive(Default)]
pub(crate) struct Outputs {
    files: Vec<Output>,
}

impl Outputs {
    /// No outputs yet; SIGINT, SIGTERM and SIGHUP from now on remove the pending temporary
    /// files before the process exits.
    pub(crate) fn new() -> Result<Outputs, CliError> {
        on_signal_remove_pending()?;
        Ok(Outputs::default())
    }

    /// Starts the output `option` (`--out`, ...) at `path`, and returns where to write it.
    pub(crate) fn create(&mut self, option: &'static str, path: &Path) -> Result<Sink, CliError> {
        let failed = |e: io::Error| WriteError::new(option, path, e);
        let existing = fs::metadata(path).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            let e = io::Error::new(io::ErrorKind::IsADirectory, "it is a directory");
            return Err(failed(e).into());
        }
        if existing.is_some_and(|m| !m.is_file()) {
            // A device or a FIFO: nothing to rename onto, and nothing a rename could keep.
            let file = File::options().write(true).open(path).map_err(failed)?;
            self.files.push(Output {
                option,
                path: path.to_owned(),
                target: Target::Direct,
            });
            return Ok(Sink::new(option, path, file));
        }
        let (file, temp, dest) = beside(path).map_err(failed)?;
        self.files.push(Output {
            option,
            path: path.to_owned(),
            target: Target::Temp { temp, dest },
        });
        Ok(Sink::new(option, path, file))
    }

    /// Renames every temporary file onto its destination: the run is complete.
    pub(crate) fn commit(mut self) -> Result<(), CliError> {
        let mut registry = pending();
        let mut result = Ok(());
        for output in std::mem::take(&mut self.files) {
            let Target::Temp { temp, dest } = output.target else {
                continue;
            };
            registry.retain(|p| p != &*temp);
            if result.is_err() {
                // An earlier rename failed: the rest are removed with `temp`.
                continue;
            }
            if let Err(e) = temp.persist(&dest) {
                let error = WriteError::new(output.option, &output.path, e.error);
                result = Err(error.into());
            }
        }
        drop(registry);
        result
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        let mut registry = pending();
        for output in self.files.drain(..) {
            if let Target::Temp { temp, .. } = output.target {
                registry.retain(|p| p != &*temp);
                // Dropping the `TempPath` removes the file.
            }
        }
    }
}

/// Creates the temporary file for `path` in the directory of its destination (the target of
/// a symbolic link), registered for the signal thread; returns it with the destination.
fn beside(path: &Path) -> io::Result<(File, TempPath, PathBuf)> {
    let dest = fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let replaced = fs::metadata(&dest).ok();
    if replaced.is_some() {
        // The rename would replace a file the user may not write: refuse, as writing in place
        // did.
        File::options().write(true).open(&dest)?;
    }
    let dir = match dest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = dest
        .file_name()
        .map_or_else(|| "usernorm".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode of a new file (0666 less the umask), not a temporary file's 0600.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    // Registered before the signal thread can look: it waits for the lock.
    let mut registry = pending();
    let temp: NamedTempFile = builder.tempfile_in(&dir)?;
    registry.push(temp.path().to_owned());
    drop(registry);
    if let Some(meta) = replaced {
        fs::set_permissions(temp.path(), meta.permissions())?;
    }
    let (file, temp) = temp.into_parts();
    Ok((file, temp, dest))
}

/// Where an output is written: its file, with every error naming the output.
pub(crate) struct Sink {
    option: &'static str,
    path: PathBuf,
    file: File,
}

impl Sink {
    fn new(option: &'static str, path: &Path, file: File) -> Sink {
        Sink {
            option,
            path: path.to_owned(),
            file,
        }
    }

    fn failed(&self, e: io::Error) -> io::Error {
        WriteError::new(self.option, &self.path, e).into_io()
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf).map_err(|e| self.failed(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf).map_err(|e| self.failed(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush().map_err(|e| self.failed(e))
    }
}

/// Installs, once, the thread that on SIGINT, SIGTERM or SIGHUP removes the pending temporary
/// files and exits with 128 + the signal.
fn on_signal_remove_pending() -> Result<(), CliError> {
    static INSTALL: Once = Once::new();
    let mut result = Ok(());
    #[cfg(unix)]
    INSTALL.call_once(|| {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let spawned = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]).and_then(
            |mut signals| {
                std::thread::Builder::new()
                    .name("signals".into())
                    .spawn(move || {
                        if let Some(signal) = signals.forever().next() {
                            // Held until the exit: no commit or new temporary file after this.
                            let registry = pending();
                            for path in registry.iter() {
                                let _ = fs::remove_file(path);
                            }
                            std::process::exit(128 + signal);
                        }
                    })
                    .map(drop)
            },
        );
        if let Err(e) = spawned {
            result = Err(CliError::new(format!(
                "cannot watch for interrupts to clean up the outputs: {e}"
            )));
        }
    });
    #[cfg(not(unix))]
    INSTALL.call_once(|| {});
    result
}
