//! `cbr codes` and `cbr show`: the codebook, read-only.

use std::process::ExitCode;

use serde::Serialize;

use crate::model::{Code, Status};
use crate::study::Study;

use super::{Format, print_json};

#[derive(Serialize)]
struct TreeRow<'a> {
    depth: usize,
    #[serde(flatten)]
    code: &'a Code,
}

pub fn codes(study: &Study, format: Format, all: bool) -> anyhow::Result<ExitCode> {
    let rows: Vec<(usize, &Code)> = study
        .codebook
        .tree()
        .into_iter()
        .filter(|(_, c)| all || c.status == Status::Active)
        .collect();
    match format {
        Format::Json => print_json(
            &rows
                .iter()
                .map(|(depth, code)| TreeRow {
                    depth: *depth,
                    code,
                })
                .collect::<Vec<_>>(),
        )?,
        Format::Table => {
            let width = rows
                .iter()
                .map(|(d, c)| d * 2 + c.id.as_str().len())
                .max()
                .unwrap_or(0);
            for (depth, code) in &rows {
                let label = format!("{}{}", "  ".repeat(*depth), code.id);
                let status = match code.status {
                    Status::Active => String::new(),
                    other => format!(" [{}]", other.as_str()),
                };
                outln!(
                    "{label:<width$}  {}{status} — {}",
                    code.name,
                    code.definition
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn show(study: &Study, id: &str, format: Format) -> anyhow::Result<ExitCode> {
    let code = study
        .codebook
        .resolve(id)
        .or_else(|| study.codebook.get(id))
        .ok_or_else(|| crate::study::StudyError::UnknownCode(id.to_string()))?;
    if format == Format::Json {
        print_json(code)?;
        return Ok(ExitCode::SUCCESS);
    }
    if code.id.as_str() != id {
        outln!("(`{id}` now resolves to `{}`)\n", code.id);
    }
    outln!("{} — {}", code.id, code.name);
    let path: Vec<&str> = study
        .codebook
        .ancestors(code.id.as_str())
        .iter()
        .rev()
        .map(|c| c.id.as_str())
        .collect();
    if !path.is_empty() {
        outln!("under:       {}", path.join(" › "));
    }
    outln!("status:      {}", code.status.as_str());
    if let Some(target) = &code.merged_into {
        outln!("merged into: {target}");
    }
    if !code.aliases.is_empty() {
        let aliases: Vec<&str> = code.aliases.iter().map(|a| a.as_str()).collect();
        outln!("aliases:     {}", aliases.join(", "));
    }
    if let Some(color) = &code.color {
        outln!("color:       {color}");
    }
    for (title, text) in [
        ("Definition", &code.definition),
        ("Description", &code.description),
        ("Use when", &code.include),
        ("Do not use when", &code.exclude),
    ] {
        outln!("\n{title}\n  {}", text.trim().replace('\n', "\n  "));
    }
    if !code.examples.is_empty() {
        outln!("\nExamples");
        for ex in &code.examples {
            outln!("  « {} »  ({})", ex.quote.trim(), ex.source);
        }
    }
    let children = study.codebook.children(code.id.as_str());
    if !children.is_empty() {
        let ids: Vec<&str> = children.iter().map(|c| c.id.as_str()).collect();
        outln!("\nSub-codes: {}", ids.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
