//! `usernorm normalize`: any text into a valid name.

use std::io::{self, BufWriter, Write};

use serde::Serialize;
use usernorm::NormalizeOptions;

use crate::args::{Format, GlobalArgs, NormalizeArgs};
use crate::{CliError, Outcome, config, input, render};

#[derive(Serialize)]
struct Record<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'static str>,
}

pub(crate) fn run(global: &GlobalArgs, args: &NormalizeArgs) -> Result<Outcome, CliError> {
    let policy = config::policy(global)?;
    let options = NormalizeOptions {
        lowercase: args.lowercase,
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let mut outcome = Outcome::Pass;
    let written = input::for_each_item(&args.texts, |item| {
        // Where a message points, worked out only when there is a message.
        let where_ = || item.line.map(|l| format!("line {l}: ")).unwrap_or_default();
        let text = match item.text {
            Ok(text) => text,
            Err(bad) => {
                outcome = Outcome::Error;
                return match global.format {
                    Format::Json => {
                        let record = Record {
                            input: &bad.lossy,
                            output: None,
                            error: Some(bad.message),
                            review: None,
                        };
                        serde_json::to_writer(&mut out, &record)?;
                        writeln!(out)
                    }
                    Format::Text | Format::Csv | Format::Github => {
                        writeln!(out)?;
                        out.flush()?;
                        render::error(&bad.message);
                        Ok(())
                    }
                };
            }
        };
        let result = policy.normalize_with(text, options);
        if result.is_err() {
            outcome = outcome.max(Outcome::Violations);
        }
        match global.format {
            Format::Json => {
                let record = match &result {
                    Ok(n) => Record {
                        input: text,
                        output: Some(&n.name),
                        error: None,
                        review: n.review.map(|r| r.message()),
                    },
                    Err(e) => Record {
                        input: text,
                        output: None,
                        error: Some(e.to_string()),
                        review: None,
                    },
                };
                serde_json::to_writer(&mut out, &record)?;
                writeln!(out)
            }
            Format::Text | Format::Csv | Format::Github => match result {
                Ok(n) => {
                    out.write_all(n.name.as_bytes())?;
                    out.write_all(b"\n")?;
                    if let Some(review) = n.review {
                        out.flush()?;
                        render::warning(&format!(
                            "{}`{}` -> `{}`: {review}",
                            where_(),
                            render::escape(text),
                            n.name
                        ));
                    }
                    Ok(())
                }
                Err(e) => {
                    // An empty line keeps the output aligned with the input.
                    writeln!(out)?;
                    out.flush()?;
                    render::error(&format!("{}`{}`: {e}", where_(), render::escape(text)));
                    Ok(())
                }
            },
        }
    })
    .and_then(|()| out.flush());
    match written {
        Err(e) => crate::stopped(e, outcome),
        Ok(()) => Ok(outcome),
    }
}
