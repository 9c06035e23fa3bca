//! `usernorm check`: names against the policy, the org and each other.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use usernorm::{BatchTracker, Code, CodeSet, Policy, Report, Violation, Warning};

use crate::args::{CheckArgs, Format, GlobalArgs};
use crate::config::{self, Existing};
use crate::output::Outputs;
use crate::render::{self, DIM, GREEN, Painter, RED, YELLOW};
use crate::samefile::{self, Named};
use crate::{CliError, Outcome, github, input, markdown, scim};

/// One name's result as a JSON line.
#[derive(Serialize)]
struct Record<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    valid: bool,
    violations: Vec<JsonViolation<'a>>,
    suggestion: Option<String>,
    warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct JsonViolation<'a> {
    code: &'static str,
    message: &'a str,
    start: usize,
    end: usize,
}

impl<'a> From<&'a Violation> for JsonViolation<'a> {
    fn from(v: &'a Violation) -> Self {
        JsonViolation {
            code: v.code.as_str(),
            message: &v.message,
            start: v.span.start,
            end: v.span.end,
        }
    }
}

/// Counts for the summary.
#[derive(Default)]
struct Tally {
    names: usize,
    failing: usize,
    unreadable: usize,
    warnings: usize,
    by_code: [usize; Code::ALL.len()],
}

impl Tally {
    fn add(&mut self, codes: CodeSet) {
        self.names += 1;
        if codes.is_empty() {
            return;
        }
        self.failing += 1;
        for (count, code) in self.by_code.iter_mut().zip(Code::ALL) {
            *count += usize::from(codes.contains(code));
        }
    }

    /// The counts the Markdown summary shows.
    fn counts(&self) -> markdown::CheckCounts {
        markdown::CheckCounts {
            names: self.names,
            failing: self.failing,
            unreadable: self.unreadable,
            warnings: self.warnings,
            by_code: Code::ALL
                .iter()
                .zip(self.by_code)
                .filter(|(_, n)| *n > 0)
                .map(|(code, n)| (code.as_str(), n))
                .collect(),
        }
    }

    fn outcome(&self) -> Outcome {
        if self.unreadable > 0 {
            Outcome::Error
        } else if self.failing > 0 {
            Outcome::Violations
        } else {
            Outcome::Pass
        }
    }

    fn print(&self) {
        let p = Painter::stderr();
        let mut line = format!(
            "checked {} name{}: {} ok, {} failing",
            self.names + self.unreadable,
            if self.names + self.unreadable == 1 {
                ""
            } else {
                "s"
            },
            self.names - self.failing,
            self.failing,
        );
        let codes: Vec<String> = Code::ALL
            .iter()
            .zip(self.by_code)
            .filter(|(_, n)| *n > 0)
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        if !codes.is_empty() {
            line.push_str(&format!(" ({})", codes.join(", ")));
        }
        if self.unreadable > 0 {
            line.push_str(&format!(", {} unreadable", self.unreadable));
        }
        if self.warnings > 0 {
            line.push_str(&format!(
                ", {} lookalike warning{}",
                self.warnings,
                if self.warnings == 1 { "" } else { "s" }
            ));
        }
        let style = if self.failing + self.unreadable > 0 {
            RED
        } else {
            GREEN
        };
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "{}", p.paint(style, &line));
    }
}

pub(crate) fn run(global: &GlobalArgs, args: &CheckArgs) -> Result<Outcome, CliError> {
    // The summary, like every output file, is refused when it is an input and appears whole
    // or not at all.
    let mut outputs = None;
    let mut summary_md = None;
    if let Some(path) = &args.summary_md {
        refuse_overlaps(global, args, path)?;
        let started = outputs.insert(Outputs::new()?);
        summary_md = Some(started.create("--summary-md", path)?);
    }
    let mut failing_names: Vec<markdown::FailingName> = Vec::new();
    let policy = config::policy(global)?;
    let existing = Existing::load(&args.existing, &policy)?;
    let live = scim::connect(&args.scim, &policy)?;
    let org = (&existing.registry, &live);
    let lookalikes = existing.lookalikes(&policy);
    let mut batch = BatchTracker::new(&policy, &org);
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let painter = Painter::stdout();
    let mut tally = Tally::default();

    let written = input::for_each_item(&args.names, |item| {
        let name = match item.text {
            Ok(name) => name,
            Err(bad) => {
                tally.unreadable += 1;
                return unreadable(&mut out, global.format, item.line, &bad);
            }
        };
        // Annotations and the summary need the messages and the fixes: they take the full path.
        if args.failing && global.format != Format::Github && summary_md.is_none() {
            // Only the codes are printed: no messages, spans or suggestions to work out.
            let codes = if !args.allow_duplicates {
                batch.check_codes(name)
            } else if existing.registry.is_empty() {
                // Neither the org nor the batch to compare with: the policy's rules alone.
                Ok(policy.validate_codes(name))
            } else {
                policy.check_codes(name, &existing.registry)
            }
            .map_err(io::Error::other)?;
            tally.add(codes);
            tally.warnings += usize::from(lookalikes.check(name).is_some());
            if !codes.is_empty() {
                write_failing(&mut out, name, codes)?;
            }
            return Ok(());
        }
        let report = if args.allow_duplicates {
            policy.check(name, &org)
        } else {
            batch.check(name)
        }
        .map_err(io::Error::other)?;
        tally.add(report.code_set());
        let warnings: Vec<Warning> = lookalikes.check(name).into_iter().collect();
        tally.warnings += warnings.len();
        let suggestion = if report.is_valid() {
            None
        } else {
            suggestion(&policy, name, &batch)?
        };
        if summary_md.is_some() && !report.is_valid() && failing_names.len() < markdown::MAX_ROWS {
            failing_names.push(markdown::FailingName::new(
                item.line,
                name,
                &report,
                suggestion.as_deref(),
            ));
        }
        if args.failing && global.format != Format::Github {
            // `--failing` with `--summary-md`: the summary needs the messages and fixes, the
            // output stays the failing names with their codes.
            return match report.is_valid() {
                true => Ok(()),
                false => write_failing(&mut out, name, report.code_set()),
            };
        }
        match global.format {
            Format::Json => {
                let record = Record {
                    input: name,
                    line: item.line,
                    valid: report.is_valid(),
                    violations: report.violations.iter().map(JsonViolation::from).collect(),
                    suggestion,
                    warnings,
                    error: None,
                };
                serde_json::to_writer(&mut out, &record)?;
                writeln!(out)
            }
            Format::Github => {
                // Standard input's names have a line and no file; arguments have neither.
                let place = github::Place {
                    file: None,
                    line: item.line.map(|l| l as u64),
                };
                github::check(
                    &mut out,
                    place,
                    name,
                    &report,
                    suggestion.as_deref(),
                    &warnings,
                )
            }
            Format::Text | Format::Csv => write_text(
                &mut out,
                painter,
                name,
                item.line,
                &report,
                suggestion.as_deref(),
                &warnings,
            ),
        }
    })
    .and_then(|()| out.flush());
    if let Err(e) = written {
        return crate::stopped(e, tally.outcome());
    }
    if let (Some(mut out), Some(outputs)) = (summary_md, outputs) {
        out.write_all(markdown::check_summary(&tally.counts(), &failing_names).as_bytes())?;
        outputs.commit()?;
    }
    if args.failing || tally.names + tally.unreadable > 1 {
        tally.print();
    }
    if let Some(line) = scim::summary(&live) {
        render::note(&line);
    }
    Ok(tally.outcome())
}

/// Refuses a `--summary-md` that is an input: standard input, `--existing` or a policy file.
fn refuse_overlaps(global: &GlobalArgs, args: &CheckArgs, summary: &Path) -> Result<(), CliError> {
    let stdin = samefile::stdin_file();
    let mut inputs = Vec::new();
    let reads_stdin = args.names.is_empty() || args.names.iter().any(|n| n == "-");
    if let (Some(file), true) = (&stdin, reads_stdin) {
        inputs.push(Named::new("standard input", file));
    }
    if let Some(existing) = &args.existing.existing {
        inputs.push(Named::new("--existing", existing));
    }
    if !usernorm::PRESETS.contains(&global.policy.as_str()) {
        inputs.push(Named::new("--policy", Path::new(&global.policy)));
    }
    samefile::refuse_overlaps(&inputs, &[Named::new("--summary-md", summary)])
}

fn suggestion(policy: &Policy, name: &str, batch: &BatchTracker<'_>) -> io::Result<Option<String>> {
    let mut found = policy.suggest(name, batch, 1).map_err(io::Error::other)?;
    Ok(found.pop())
}

fn write_failing(out: &mut impl Write, name: &str, codes: CodeSet) -> io::Result<()> {
    out.write_all(render::escape(name).as_bytes())?;
    let mut sep = b'\t';
    for code in codes.iter() {
        out.write_all(&[sep])?;
        out.write_all(code.as_str().as_bytes())?;
        sep = b',';
    }
    out.write_all(b"\n")
}

fn unreadable(
    out: &mut dyn Write,
    format: Format,
    line: Option<usize>,
    bad: &input::Unreadable,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let record = Record {
                input: &bad.lossy,
                line,
                valid: false,
                violations: Vec::new(),
                suggestion: None,
                warnings: Vec::new(),
                error: Some(&bad.message),
            };
            serde_json::to_writer(&mut *out, &record)?;
            writeln!(out)
        }
        Format::Github => github::unreadable(out, line.map(|l| l as u64), &bad.message),
        Format::Text | Format::Csv => {
            out.flush()?;
            render::error(&bad.message);
            Ok(())
        }
    }
}

fn write_text(
    out: &mut dyn Write,
    p: Painter,
    name: &str,
    line: Option<usize>,
    report: &Report,
    suggestion: Option<&str>,
    warnings: &[Warning],
) -> io::Result<()> {
    let (shown, _) = render::visible(name);
    let at = line
        .map(|l| p.paint(DIM, &format!(" (line {l})")))
        .unwrap_or_default();
    if report.is_valid() {
        writeln!(out, "{} {shown}{at}", p.paint(GREEN, "✓"))?;
    } else {
        writeln!(out, "{} {shown}{at}", p.paint(RED, "✗"))?;
        render::caret_diagram(out, p, "    ", name, &report.violations)?;
        match suggestion {
            Some(fix) => writeln!(out, "    {} {fix}", p.paint(GREEN, "fix:"))?,
            None => writeln!(
                out,
                "    {} no valid name can be made from this input",
                p.paint(YELLOW, "fix:")
            )?,
        }
    }
    for w in warnings {
        let warning = w.to_string();
        writeln!(
            out,
            "    {} {}",
            p.paint(YELLOW, "warning:"),
            render::escape(&warning)
        )?;
    }
    Ok(())
}
