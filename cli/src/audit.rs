//! `usernorm audit`: the pre-provisioning audit of a directory export.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use usernorm::audit::{
    Action, Audit, AuditError, Checked, Progress, Record, ReportFormat, Status, Summary,
};

use crate::args::{AuditArgs, Format, GlobalArgs, Idp};
use crate::export::Input;
use crate::idp::{self, Provider};
use crate::output::{Outputs, Sink};
use crate::plan::{Org, Schema};
use crate::planlists::{self, PlanLists};
use crate::render::{GREEN, Painter, RED, YELLOW};
use crate::samefile::{self, Named};
use crate::{CliError, Outcome, config, github, html, markdown};

/// Inputs at least this big get a progress bar on a terminal.
const PROGRESS_FROM_BYTES: u64 = 20 << 20;
/// Records handed to the report writer thread at a time.
const REPORT_CHUNK: usize = 1024;
/// The report is written in pieces of about this many bytes.
const REPORT_BUFFER: usize = 1 << 17;

pub(crate) fn run(global: &GlobalArgs, args: &AuditArgs) -> Result<Outcome, CliError> {
    let started = Instant::now();
    refuse_overlaps(global, args)?;
    // Every output is started before the input is read: a directory that cannot take one is
    // an error now, not after the audit.
    let mut outputs = Outputs::new()?;
    let mut create = |option, path: &Option<PathBuf>| {
        path.as_deref()
            .map(|path| outputs.create(option, path))
            .transpose()
    };
    let out = create("--out", &args.out)?;
    let fixed_out = create("--fixed-out", &args.fixed_out)?;
    let summary_json = create("--summary-json", &args.summary_json)?;
    let html_out = create("--html", &args.html)?;
    let summary_md = create("--summary-md", &args.summary_md)?;

    let policy = config::policy(global)?;
    let schema = args.entra_schema.as_deref().map(Schema::load).transpose()?;
    // An audit is a bulk job: the live endpoint's members are fetched once, up front. The
    // members are read before standard input (which is read to its end when spooled): a
    // members file that is a pipe fed by the same writer would otherwise never be read.
    let org = Org::load(args, &policy)?;
    let input = Input::new(&args.input, fixed_out.is_some())?;
    let (provider, input) = Provider::choose(args, input)?;
    let lookalikes = org.lookalikes(&policy);
    let plan = provider.plan(&org.snapshot, schema.as_ref());
    let mut source = provider.source(args, schema)?;
    let readable = match provider.readable() {
        true => idp::readable_names(&policy, &org.snapshot, &input)?,
        false => Vec::new(),
    };
    let size = input.size();
    let bar = ProgressBar::new(args.no_progress, size);
    let on_progress = |p: Progress| bar.show(p);
    // USERNORM_AUDIT_THREADS=1 does all the work on the calling thread (for the benchmark's
    // comparison).
    let threads = std::env::var_os("USERNORM_AUDIT_THREADS").is_none_or(|v| v != "1");
    let mut audit = Audit::new(&policy, &org.snapshot)
        .plan(&plan)
        .threads(threads)
        .lookalikes(&lookalikes)
        .progress(&on_progress);
    if let Some(size) = size {
        audit = audit.input_size(size);
    }
    if let Some(lines) = &provider.lines {
        audit = audit.source_lines(lines);
    }
    let mut checked = audit
        .run(input.open()?, source.as_mut())
        .map_err(|e| input.failed(e))?;
    bar.clear();

    // Every row's status is known: a reader of the report that goes away early (`| head`)
    // ends the run with it.
    let known = outcome(checked.summary());
    let report = ReportWriter::new(out, global.format);
    let mut lists = PlanLists::new(planlists::MAX_FAILING, planlists::MAX_EACH);
    let mut finals: Vec<Option<String>> = Vec::new();
    let keep_finals = fixed_out.is_some();
    let keep_lists = html_out.is_some() || summary_md.is_some();
    // With `--format github` the annotations go to standard output as the rows come.
    let github = global.format == Format::Github;
    let file = (args.input.as_os_str() != "-").then(|| args.input.to_string_lossy());
    let mut annotations = BufWriter::new(io::stdout());
    let mut annotated = Ok(());
    let mut mapped: Vec<(u64, String)> = Vec::new();
    let written = if keep_finals || keep_lists || github || provider.readable() {
        let records = checked.records().map(|record| {
            record.map(|mut record| {
                usernorm::idp::suggest_readable(&mut record, &readable);
                record
            })
        });
        report.write_all(records, threads, |record| {
            if provider.idp == Idp::Okta {
                mapped.push((record.row, record.username.clone()));
            }
            if github && annotated.is_ok() {
                annotated = github::audit(&mut annotations, file.as_deref(), record);
            }
            if keep_finals && provider.readable() {
                finals.push(idp::fixed_name(record));
            } else if keep_finals {
                finals.push(record.final_username().map(str::to_owned));
            }
            if keep_lists {
                lists.add(record);
            }
        })
    } else {
        // Only the report: the audit formats it, most of it on its helper thread.
        report.write_formatted(&mut checked, threads)
    };
    match written {
        // The temporary outputs go with `outputs`: the run did not complete.
        Err(CliError::BrokenPipe) => return Ok(known),
        written => written?,
    }
    if let Err(e) = annotated.and_then(|()| annotations.flush()) {
        return crate::stopped(e, known);
    }
    drop(annotations);

    if let Some(fixed) = fixed_out {
        let out = BufWriter::with_capacity(1 << 16, fixed);
        match provider.readable() {
            true => idp::write_fixed(provider.idp, &input, out, &args.fixed_column, &finals)?,
            false => usernorm::audit::write_fixed(input.open()?, out, &args.fixed_column, finals)
                .map_err(|e| input.failed(e))?,
        }
    }
    let mut summary = checked.summary().clone();
    summary.plan.chosen = Some(provider.chosen.clone());
    (summary.plan.warnings).extend(usernorm::idp::okta_login_collisions(&policy, &mapped));
    if let Some(note) = provider.note(args) {
        summary.mapping_note = Some(match summary.mapping_note.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
    }
    summary.seconds = Some(started.elapsed().as_secs_f64());
    if let Some(mut out) = summary_json {
        let mut json = serde_json::to_vec_pretty(&summary).map_err(io::Error::other)?;
        json.push(b'\n');
        out.write_all(&json)?;
    }
    if let Some(mut out) = html_out {
        let page = html::report(&summary, &lists, &input.shown());
        out.write_all(page.as_bytes())?;
    }
    if let Some(mut out) = summary_md {
        let md = markdown::summary(&summary, &lists.failing.items, &input.shown());
        out.write_all(md.as_bytes())?;
    }
    outputs.commit()?;
    print_summary(&summary);
    if let Some(line) = &org.fetched {
        crate::render::note(line);
    }
    // The process ends here: freeing a row's text at a time (a million rows, tens of
    // milliseconds) would only delay the exit, which hands all the memory back at once.
    std::mem::forget(checked);
    Ok(outcome(&summary))
}

/// The exit status the rows call for.
fn outcome(summary: &Summary) -> Outcome {
    if summary.statuses.error > 0 {
        Outcome::Error
    } else if summary.all_ok() {
        Outcome::Pass
    } else {
        Outcome::Violations
    }
}

/// Refuses, before anything is read, an output that is an input (the export, `--existing`, a
/// policy file) or another output.
fn refuse_overlaps(global: &GlobalArgs, args: &AuditArgs) -> Result<(), CliError> {
    let stdin = samefile::stdin_file();
    let mut inputs = Vec::new();
    match &stdin {
        Some(file) if args.input.as_os_str() == "-" => {
            inputs.push(Named::new("standard input", file));
        }
        _ if args.input.as_os_str() == "-" => {}
        _ => inputs.push(Named::new("the input FILE", &args.input)),
    }
    if let Some(existing) = &args.existing.existing {
        inputs.push(Named::new("--existing", existing));
    }
    if let Some(schema) = &args.entra_schema {
        inputs.push(Named::new("--entra-schema", schema));
    }
    if !usernorm::PRESETS.contains(&global.policy.as_str()) {
        inputs.push(Named::new("--policy", Path::new(&global.policy)));
    }
    let outputs: Vec<Named<'_>> = [
        ("--out", &args.out),
        ("--fixed-out", &args.fixed_out),
        ("--summary-json", &args.summary_json),
        ("--html", &args.html),
        ("--summary-md", &args.summary_md),
    ]
    .into_iter()
    .filter_map(|(option, path)| path.as_deref().map(|p| Named::new(option, p)))
    .collect();
    samefile::refuse_overlaps(&inputs, &outputs)
}

/// The report: CSV, or one JSON object per line.
struct ReportWriter {
    sink: Box<dyn Write + Send>,
    format: Format,
    buf: Vec<u8>,
}

impl ReportWriter {
    fn new(out: Option<Sink>, format: Format) -> ReportWriter {
        let sink: Box<dyn Write + Send> = match out {
            Some(out) => Box::new(out),
            // Standard output holds the annotations: without `--out`, no report.
            None if format == Format::Github => Box::new(io::sink()),
            None => Box::new(io::stdout()),
        };
        let mut buf = Vec::with_capacity(REPORT_BUFFER + (1 << 12));
        if format != Format::Json {
            buf.extend_from_slice(Record::CSV_HEADER.join(",").as_bytes());
            buf.push(b'\n');
        }
        ReportWriter { sink, format, buf }
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
    let plan = &s.plan;
    let actions: Vec<String> = Action::ALL
        .iter()
        .map(|&a| format!("{} {a}", plan.actions.get(a)))
        .collect();
    lines.push(format!("plan: {}", actions.join(", ")));
    lines.push(format!(
        "identity provider: {}{}",
        plan.provider,
        plan.chosen
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    ));
    lines.push(format!("matching: {}", plan.matching));
    if plan.conflicts > 0 {
        lines.push(format!(
            "conflicts: {} row{} want a name a rename frees in the same cycle",
            plan.conflicts,
            if plan.conflicts == 1 { "" } else { "s" }
        ));
    }
    if !plan.absent.is_empty() {
        lines.push(format!(
            "members not in the export: {} (left as they are; deactivated if they were taken \
             out of the sync's scope)",
            plan.absent.len()
        ));
    }
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
    for warning in &s.plan.warnings {
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
