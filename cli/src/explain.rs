//! `usernorm explain`: a rule's documentation.

use std::io::{self, Write};

use usernorm::Code;

use crate::args::{ExplainArgs, Format, GlobalArgs};
use crate::render::{BOLD, CYAN, Painter};
use crate::{CliError, Outcome};

pub(crate) fn run(global: &GlobalArgs, args: &ExplainArgs) -> Result<Outcome, CliError> {
    let mut out = io::stdout().lock();
    let Some(code) = &args.code else {
        return list(&mut out, global.format);
    };
    let code: Code = code
        .parse()
        .map_err(|e: usernorm::UnknownCode| CliError::new(e.to_string()))?;
    match global.format {
        Format::Json => {
            let record = serde_json::json!({
                "code": code.as_str(),
                "summary": code.summary(),
                "doc": unindent(code.doc()),
            });
            writeln!(out, "{record}")?;
        }
        Format::Text | Format::Csv | Format::Github => {
            let p = Painter::stdout();
            for line in unindent(code.doc()).lines() {
                if line.starts_with("```") {
                    continue;
                } else if let Some(heading) = line.strip_prefix("## ") {
                    writeln!(out, "{}", p.paint(BOLD, heading))?;
                } else {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(Outcome::Pass)
}

fn list(out: &mut dyn Write, format: Format) -> Result<Outcome, CliError> {
    let p = Painter::stdout();
    for code in Code::ALL {
        match format {
            Format::Json => {
                let record =
                    serde_json::json!({ "code": code.as_str(), "summary": code.summary() });
                writeln!(out, "{record}")?;
            }
            Format::Text | Format::Csv | Format::Github => {
                let summary = code
                    .summary()
                    .split_once(": ")
                    .map_or(code.summary(), |(_, s)| s);
                writeln!(
                    out,
                    "{} {summary}",
                    p.paint(CYAN, &format!("{:<14}", code.as_str()))
                )?;
            }
        }
    }
    Ok(Outcome::Pass)
}

/// Doc comments keep the space after `///`; drop it.
fn unindent(doc: &str) -> String {
    let mut text: String = doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}
