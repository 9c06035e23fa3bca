//! Refuses an output that would overwrite an input or another output, before anything is read.
//!
//! Two paths name the same file when both exist and share device and inode (hard links, and
//! symbolic links followed), or when they come to the same canonical path (`./x` and `x`, a
//! link, or an output not yet created whose directory is the same one). A pipe or FIFO is the
//! same as another only by device and inode (`audit - --out /dev/stdin` would write into the
//! input it reads, and wait on itself forever). Devices (`/dev/null`, a terminal) are left out:
//! writing them replaces nothing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::CliError;

/// A file the run reads or writes, with the option that names it (`--out`, `the input FILE`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Named<'a> {
    pub(crate) option: &'a str,
    pub(crate) path: &'a Path,
}

impl<'a> Named<'a> {
    pub(crate) fn new(option: &'a str, path: &'a Path) -> Named<'a> {
        Named { option, path }
    }
}

/// What makes two paths the same file.
#[derive(Debug, PartialEq, Eq)]
struct Identity {
    /// Device and inode, when the file exists.
    inode: Option<(u64, u64)>,
    /// The canonical path, or for a file not yet there its canonical directory and name; none
    /// for a pipe.
    canonical: Option<PathBuf>,
}

impl Identity {
    /// `None` for a path that exists and is neither a regular file nor a pipe.
    fn of(path: &Path) -> Option<Identity> {
        match fs::metadata(path) {
            Ok(meta) if is_pipe(&meta) => Some(Identity {
                inode: inode(&meta),
                canonical: None,
            }),
            Ok(meta) if !meta.is_file() => None,
            Ok(meta) => Some(Identity {
                inode: inode(&meta),
                canonical: Some(fs::canonicalize(path).unwrap_or_else(|_| absolute(path))),
            }),
            Err(_) => Some(Identity {
                inode: None,
                canonical: Some(not_yet_there(path)),
            }),
        }
    }

    fn same(&self, other: &Identity) -> bool {
        (self.inode.is_some() && self.inode == other.inode)
            || (self.canonical.is_some() && self.canonical == other.canonical)
    }
}

#[cfg(unix)]
fn inode(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

#[cfg(unix)]
fn is_pipe(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: &fs::Metadata) -> bool {
    false
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The canonical directory of a path that does not exist yet, joined with its name.
fn not_yet_there(path: &Path) -> PathBuf {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return absolute(path);
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    match fs::canonicalize(dir) {
        Ok(dir) => dir.join(name),
        Err(_) => absolute(path),
    }
}

/// Standard input as a file, when it is a regular file (`usernorm audit - < users.csv`) or a
/// pipe, so that an output cannot replace it or write into it either.
pub(crate) fn stdin_file() -> Option<PathBuf> {
    let stdin = Path::new("/dev/stdin");
    fs::metadata(stdin)
        .is_ok_and(|m| m.is_file() || is_pipe(&m))
        .then(|| stdin.to_owned())
}

/// `Err` naming both options and the paths when an output is the same file as an input or as
/// an earlier output.
pub(crate) fn refuse_overlaps(inputs: &[Named<'_>], outputs: &[Named<'_>]) -> Result<(), CliError> {
    let known = |list: &[Named<'_>]| -> Vec<Option<Identity>> {
        list.iter().map(|n| Identity::of(n.path)).collect()
    };
    let (input_ids, output_ids) = (known(inputs), known(outputs));
    for (i, (output, id)) in outputs.iter().zip(&output_ids).enumerate() {
        let Some(id) = id else { continue };
        for (input, other) in inputs.iter().zip(&input_ids) {
            if other.as_ref().is_some_and(|other| id.same(other)) {
                return Err(CliError::new(format!(
                    "{} {} and {} {} are the same file: an output must not overwrite an input",
                    output.option,
                    output.path.display(),
                    input.option,
                    input.path.display()
                )));
            }
        }
        for (earlier, other) in outputs[..i].iter().zip(&output_ids) {
            if other.as_ref().is_some_and(|other| id.same(other)) {
                return Err(CliError::new(format!(
                    "{} {} and {} {} are the same file: each output needs a file of its own",
                    earlier.option,
                    earlier.path.display(),
                    output.option,
                    output.path.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Option<String> {
        let inputs: Vec<Named<'_>> = inputs.iter().map(|&(o, p)| Named::new(o, p)).collect();
        let outputs: Vec<Named<'_>> = outputs.iter().map(|&(o, p)| Named::new(o, p)).collect();
        refuse_overlaps(&inputs, &outputs).err().map(|e| match e {
            CliError::Fatal(message) => message,
            CliError::BrokenPipe => String::new(),
        })
    }

    #[test]
    fn devices_are_never_the_same_file() {
        let null = Path::new("/dev/null");
        if null.exists() {
            assert_eq!(refused(&[], &[("--out", null), ("--html", null)]), None);
        }
    }

    #[test]
    fn a_new_file_is_named_by_its_directory() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        fs::create_dir(dir.path().join("sub")).expect("sub");
        let a = dir.path().join("sub/../new.csv");
        let b = dir.path().join("new.csv");
        let message = refused(&[], &[("--out", &a), ("--html", &b)]).expect("refused");
        assert!(message.starts_with("--out "), "{message}");
        assert!(message.contains(" and --html "), "{message}");
        assert_eq!(refused(&[("the input FILE", &a)], &[]), None);
    }
}
