//! `usernorm audit`: the pre-provisioning audit of a directory export.

use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use usernorm::audit::{
    Audit, AuditError, Checked, Column, HuggingFaceMapping, Progress, Record, ReportFormat, Status,
    Summary, UsernameSource,
};

use crate::args::{AuditArgs, Format, GlobalArgs};
use crate::render::{GREEN, Painter, RED, YELLOW};
use crate::{CliError, Outcome, config, html, scim};

/// Inputs at least this big get a progress bar on a terminal.
const PROGRESS_FROM_BYTES: u64 = 20 << 20;
/// The HTML report lists at most this many failing rows.
const HTML_MAX_ROWS: usize = 5_000;
/// Records handed to the report writer thread at a time.
const REPORT_CHUNK: usize = 1024;
/// The report is written in pieces of about this many bytes.
const REPORT_BUFFER: usize = 1 << 17;

pub(crate) fn run(global: &GlobalArgs, args: &AuditArgs) -> Result<Outcome, CliError> {
    let started = Instant::now();
    let policy = config::policy(global)?;
    let existing = config::Existing::load(&args.existing, &policy)?;
    // An audit is a bulk job: the live endpoint's names are fetched once, up front.
    let live = scim::connect(&args.scim, &policy)?;
    scim::prefetch(&live)?;
    let org = (&existing.registry, &live);
    let lookalikes = existing.lookalikes(&policy);
    let mut source = username_source(args)?;

    // Standard input is read twice for --fixed-out, so it is kept in a temporary file.
    let stdin = args.input.as_os_str() == "-";
    let spool = if stdin && args.fixed_out.is_some() {
        Some(Spool::from_stdin()?)
    } else {
        None
    };
    let path: Option<&Path> = match &spool {
        Some(spool) => Some(&spool.path),
        None if stdin => None,
        None => Some(&args.input),
    };
    let size = path.and_then(|p| fs::metadata(p).ok()).map(|m| m.len());
    let bar = ProgressBar::new(args.no_progress, size);
    let on_progress = |p: Progress| bar.show(p);
    // USERNORM_AUDIT_THREADS=1 does all the work on the calling thread (for the benchmark's
    // comparison).
    let threads = std::env::var_os("USERNORM_AUDIT_THREADS").is_none_or(|v| v != "1");
    let mut audit = Audit::new(&policy, &org)
        .shared_existing(&org)
        .threads(threads)
        .lookalikes(&lookalikes)
        .progress(&on_progress);
    if let Some(size) = size {
        audit = audit.input_size(size);
    }
    let mut checked = audit.run(open_input(path)?, source.as_mut()).map_err(|e| {
        let hint = match e {
            usernorm::audit::AuditError::MissingColumns { .. } => {
                "\n  (name the username column with --column NAME, or map it with --mapping EXPR)"
            }
            _ => "",
        };
        CliError::new(format!("{}: {e}{hint}", shown(path)))
    })?;
    bar.clear();

    let report = ReportWriter::new(args.out.as_deref(), global.format)?;
    let mut failing: Vec<Record> = Vec::new();
    let mut finals: Vec<Option<String>> = Vec::new();
    let keep_finals = args.fixed_out.is_some();
    let keep_failing = args.html.is_some();
    if keep_finals || keep_failing {
        report.write_all(checked.records(), threads, |record| {
            if keep_finals {
                finals.push(record.final_username().map(str::to_owned));
            }
            if keep_failing && record.status != Status::Ok && failing.len() < HTML_MAX_ROWS {
                failing.push(record.clone());
            }
        })?;
    } else {
        // Only the report: the audit formats it, most of it on its helper thread.
        report.write_formatted(&mut checked, threads)?;
    }

    if let Some(fixed) = &args.fixed_out {
        let out = BufWriter::with_capacity(1 << 16, create(fixed)?);
        usernorm::audit::write_fixed(open_input(path)?, out, &args.fixed_column, finals)
            .map_err(|e| CliError::new(format!("{}: {e}", fixed.display())))?;
    }
    let mut summary = checked.summary().clone();
    summary.seconds = Some(started.elapsed().as_secs_f64());
    if let Some(file) = &args.summary_json {
        let mut out = create(file)?;
        serde_json::to_writer_pretty(&mut out, &summary).map_err(io::Error::other)?;
        writeln!(out)?;
    }
    if let Some(file) = &args.html {
        let page = html::report(&summary, &failing, HTML_MAX_ROWS, &shown(path));
        fs::write(file, page)
            .map_err(|e| CliError::new(format!("cannot write {}: {e}", file.display())))?;
    }
    print_summary(&summary);
    if let Some(line) = scim::summary(&live) {
        crate::render::note(&line);
    }
    // The process ends here: freeing a row's text at a time (a million rows, tens of
    // milliseconds) would only delay the exit, which hands all the memory back at once.
    std::mem::forget(checked);
    Ok(if summary.statuses.error > 0 {
        Outcome::Error
    } else if summary.all_ok() {
        Outcome::Pass
    } else {
        Outcome::Violations
    })
}

/// The username source the arguments ask for.
fn username_source(args: &AuditArgs) -> Result<Box<dyn UsernameSource>, CliError> {
    if let Some(column) = &args.column {
        return Ok(Box::new(Column::new(column.clone())));
    }
    match &args.mapping {
        None => Ok(Box::new(HuggingFaceMapping::default())),
        Some(expr) => mapping(expr),
    }
}

/// A mapping expression as a username source.
fn mapping(expr: &str) -> Result<Box<dyn UsernameSource>, CliError> {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if squeeze(expr) == squeeze(HuggingFaceMapping::EXPRESSION) {
        return Ok(Box::new(HuggingFaceMapping::default()));
    }
    usernorm::audit::EntraMapping::parse(expr)
        .map(|m| Box::new(m) as Box<dyn UsernameSource>)
        .map_err(|e| CliError::new(format!("--mapping: {e}")))
}

fn shown(path: Option<&Path>) -> String {
    path.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string())
}

fn open_input(path: Option<&Path>) -> Result<Box<dyn Read + Send>, CliError> {
    match path {
        None => Ok(Box::new(io::stdin())),
        Some(path) => File::open(path)
            .map(|f| Box::new(f) as Box<dyn Read + Send>)
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display()))),
    }
}

fn create(path: &Path) -> Result<File, CliError> {
    File::create(path).map_err(|e| CliError::new(format!("cannot write {}: {e}", path.display())))
}

/// Standard input saved to a temporary file, removed on drop.
struct Spool {
    path: PathBuf,
}

impl Spool {
    fn from_stdin() -> Result<Spool, CliError> {
        let path = std::env::temp_dir().join(format!("usernorm-audit-{}.csv", std::process::id()));
        let mut file = create(&path)?;
        let spool = Spool { path };
        io::copy(&mut io::stdin().lock(), &mut file)?;
        Ok(spool)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// The report: CSV, or one JSON object per line.
struct ReportWriter {
    sink: Box<dyn Write + Send>,
    format: Format,
    buf: Vec<u8>,
}

impl ReportWriter {
    fn new(path: Option<&Path>, format: Format) -> Result<ReportWriter, CliError> {
        let sink: Box<dyn Write + Send> = match path {
            Some(path) => Box::new(create(path)?),
            None => Box::new(io::stdout()),
        };
        let mut buf = Vec::with_capacity(REPORT_BUFFER + (1 << 12));
        if format != Format::Json {
            buf.extend_from_slice(Record::CSV_HEADER.join(",").as_bytes());
            buf.push(b'\n');
        }
        Ok(ReportWriter { sink, format, buf })
    }

    /// Writes every record, in order, calling `each` on each first. With `threads`, the
    /// records are formatted and written on a second thread while the next ones are worked out.
    fn write_all(
        mut self,
        records: impl Iterator<Item = Result<Record, AuditError>>,
        threads: bool,
        mut each: impl FnMut(&Record),
    ) -> Result<(), CliError> {
        if !threads {
            for record in records {
                let record = record.map_err(|e| CliError::new(e.to_string()))?;
                each(&record);
                self.write(std::slice::from_ref(&record))?;
            }
            return Ok(self.finish()?);
        }
        std::thread::scope(|scope| {
            let (chunks, received) = mpsc::sync_channel::<Vec<Record>>(4);
            let writer = spawn_writer(scope, move || {
                for chunk in received {
                    self.write(&chunk)?;
                }
                self.finish()
            })?;
            let mut chunk = Vec::with_capacity(REPORT_CHUNK);
            let mut result = Ok(());
            for record in records {
                match record {
                    Ok(record) => {
                        each(&record);
                        chunk.push(record);
                    }
                    Err(e) => {
                        result = Err(CliError::new(e.to_string()));
                        break;
                    }
                }
                if chunk.len() == REPORT_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(REPORT_CHUNK));
                    // A closed channel means the writer failed; its error is reported below.
                    if chunks.send(full).is_err() {
                        break;
                    }
                }
            }
            if result.is_ok() && !chunk.is_empty() {
                let _ = chunks.send(chunk);
            }
            drop(chunks);
            let written = join_writer(writer);
            result?;
            Ok(written?)
        })
    }

    /// Writes the report as [`Checked::write_report`] formats it; with `threads`, on a second
    /// thread while the next records are worked out.
    fn write_formatted(mut self, checked: &mut Checked<'_>, threads: bool) -> Result<(), CliError> {
        let format = match self.format {
            Format::Json => ReportFormat::JsonLines,
            _ => ReportFormat::Csv,
        };
        let failed = |e: AuditError| match e {
            AuditError::Io(e) => CliError::from(e),
            e => CliError::new(e.to_string()),
        };
        if !threads {
            checked
                .write_report(format, |piece| {
                    // The header first, then each piece as it is: pieces are large.
                    if !self.buf.is_empty() {
                        self.sink.write_all(&self.buf)?;
                        self.buf.clear();
                    }
                    self.sink.write_all(&piece)
                })
                .map_err(failed)?;
            return Ok(self.finish()?);
        }
        std::thread::scope(|scope| {
            let (pieces, received) = mpsc::sync_channel::<Vec<u8>>(4);
            let writer = spawn_writer(scope, move || {
                self.sink.write_all(&self.buf)?;
                for piece in received {
                    self.sink.write_all(&piece)?;
                }
                self.sink.flush()
            })?;
            let result = checked.write_report(format, |piece| {
                pieces
                    .send(piece)
                    .map_err(|_| io::Error::other("the report writer stopped"))
            });
            drop(pieces);
            let written = join_writer(writer);
            match result {
                // The writer stopped: its error is the one to report.
                Err(AuditError::Io(_)) if written.is_err() => Ok(written?),
                Err(e) => Err(failed(e)),
                Ok(()) => Ok(written?),
            }
        })
    }

    fn write(&mut self, records: &[Record]) -> io::Result<()> {
        for record in records {
            if self.format == Format::Json {
                serde_json::to_writer(&mut self.buf, record).map_err(io::Error::other)?;
                self.buf.push(b'\n');
            } else {
                record.write_csv_line(&mut self.buf);
            }
            if self.buf.len() >= REPORT_BUFFER {
                self.sink.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        self.sink.write_all(&self.buf)?;
        self.sink.flush()
    }
}

/// Starts the thread that writes the report while the next records are worked out.
fn spawn_writer<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    write: impl FnOnce() -> io::Result<()> + Send + 'scope,
) -> Result<std::thread::ScopedJoinHandle<'scope, io::Result<()>>, CliError> {
    std::thread::Builder::new()
        .name("audit-write".into())
        .spawn_scoped(scope, write)
        .map_err(|e| CliError::new(format!("cannot start the report writer: {e}")))
}

/// What the report writer's thread ended with.
fn join_writer(writer: std::thread::ScopedJoinHandle<'_, io::Result<()>>) -> io::Result<()> {
    writer
        .join()
        .unwrap_or_else(|_| Err(io::Error::other("the report writer panicked")))
}

/// A one-line progress bar on standard error, shown for large inputs on a terminal.
struct ProgressBar {
    enabled: bool,
    size: Option<u64>,
    last: std::cell::Cell<Option<Instant>>,
}

impl ProgressBar {
    fn new(disabled: bool, size: Option<u64>) -> ProgressBar {
        let large = size.is_none_or(|s| s >= PROGRESS_FROM_BYTES);
        ProgressBar {
            enabled: !disabled && large && io::stderr().is_terminal(),
            size,
            last: std::cell::Cell::new(None),
        }
    }

    fn show(&self, p: Progress) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self
            .last
            .get()
            .is_some_and(|t| now - t < Duration::from_millis(100))
        {
            return;
        }
        self.last.set(Some(now));
        let mut err = io::stderr().lock();
        let _ = match self.size {
            Some(size) if size > 0 => {
                let done = (p.bytes as f64 / size as f64).min(1.0);
                let filled = (done * 30.0) as usize;
                write!(
                    err,
                    "\r[{}{}] {:>3.0}%  {} rows",
                    "#".repeat(filled),
                    " ".repeat(30 - filled),
                    done * 100.0,
                    p.rows
                )
            }
            _ => write!(err, "\r{} rows read", p.rows),
        };
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.enabled && self.last.get().is_some() {
            let _ = write!(io::stderr().lock(), "\r{:60}\r", "");
        }
    }
}

fn print_summary(s: &Summary) {
    let p = Painter::stderr();
    let mut err = io::stderr().lock();
    let mut lines = Vec::new();
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|&st| format!("{} {st}", s.statuses.get(st)))
        .collect();
    lines.push(format!(
        "audited {} row{}: {}",
        s.rows,
        if s.rows == 1 { "" } else { "s" },
        statuses.join(", ")
    ));
    if !s.codes.is_empty() {
        let codes: Vec<String> = s
            .codes
            .iter()
            .map(|c| format!("{} {}", c.code, c.rows))
            .collect();
        lines.push(format!("rules: {}", codes.join(", ")));
    }
    if s.collisions.names > 0 {
        lines.push(format!(
            "collisions: {} name{} shared by {} rows",
            s.collisions.names,
            if s.collisions.names == 1 { "" } else { "s" },
            s.collisions.rows
        ));
    }
    if s.lookalikes > 0 {
        lines.push(format!("lookalike warnings: {}", s.lookalikes));
    }
    if s.unfixable > 0 {
        lines.push(format!("rows with no possible fix: {}", s.unfixable));
    }
    lines.push(format!("mapping: {}", s.mapping));
    let style = if s.statuses.error > 0 {
        RED
    } else if s.all_ok() {
        GREEN
    } else {
        YELLOW
    };
    let _ = writeln!(err, "{}", p.paint(style, &lines[0]));
    for line in &lines[1..] {
        let _ = writeln!(err, "  {line}");
    }
    if let Some(note) = &s.mapping_note {
        let _ = writeln!(err, "  {} {note}", p.paint(YELLOW, "note:"));
    }
    if let Some(warning) = &s.mapping_warning {
        let _ = writeln!(err, "  {} {warning}", p.paint(RED, "warning:"));
    }
    let _ = writeln!(
        err,
        "  input: {}, delimiter {}; {:.2} s",
        s.encoding.as_str(),
        s.delimiter,
        s.seconds.unwrap_or_default()
    );
}
