//! `cbr diff`: disagreements between two coders as unified-diff hunks.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::model::Slug;
use crate::model::blind::join_names;
use crate::model::disagreement::{Hunk, HunkLine};
use crate::model::text::{inert, json_escaped};
use crate::study::{Study, blind, reconcile};

use super::{DiffFormat, slugs};

/// Named ANSI colours (they follow the terminal's theme), or none at all.
#[derive(Clone, Copy)]
pub(crate) struct Palette {
    on: bool,
}

impl Palette {
    /// Colour only on a terminal, and never when NO_COLOR is set.
    pub(crate) fn for_stdout() -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            on: std::io::stdout().is_terminal() && !no_color,
        }
    }

    /// The only place the CLI adds escape sequences of its own, so the
    /// text inside is made inert here (see `outln!`).
    pub(crate) fn paint(self, sgr: &str, text: &str) -> String {
        let text = crate::model::text::inert_lines(text);
        if self.on {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }

    pub(crate) fn removed(self, t: &str) -> String {
        self.paint("31", t)
    }
    pub(crate) fn added(self, t: &str) -> String {
        self.paint("32", t)
    }
    pub(crate) fn header(self, t: &str) -> String {
        self.paint("36", t)
    }
    pub(crate) fn dim(self, t: &str) -> String {
        self.paint("2", t)
    }
}

fn list(codes: &[Slug]) -> String {
    codes
        .iter()
        .map(Slug::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines of one hunk, as printed.
pub(crate) fn render_hunk(hunk: &Hunk, p: Palette) -> Vec<String> {
    let width = hunk.end_line.to_string().len().max(3);
    let mut out = vec![p.header(&format!(
        "@@ {}:{}-{} @@",
        hunk.transcript, hunk.start_line, hunk.end_line
    ))];
    let body =
        |marker: char, l: &HunkLine| format!("{marker} {:>width$}  {}", l.line, inert(&l.text));
    for l in &hunk.lines {
        if !l.changed {
            let mut line = body(' ', l);
            if !l.both.is_empty() {
                line.push_str(&p.dim(&format!("  [{}]", list(&l.both))));
            }
            out.push(line);
            continue;
        }
        let shared = if l.both.is_empty() {
            String::new()
        } else {
            format!(" (both: {})", list(&l.both))
        };
        if !l.only_a.is_empty() {
            out.push(p.removed(&format!("{}  [{}]{shared}", body('-', l), list(&l.only_a))));
        }
        if !l.only_b.is_empty() {
            out.push(p.added(&format!("{}  [{}]{shared}", body('+', l), list(&l.only_b))));
        }
    }
    out
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first coder: what only they applied shows as `-`.
    #[arg(add = super::complete::coder_ids())]
    pub a: String,
    /// The second coder (or `consensus`): what only they applied shows as `+`.
    #[arg(add = super::complete::coder_ids())]
    pub b: String,
    /// Transcripts to compare (default: every one both have a coding of).
    pub transcripts: Vec<String>,
    /// Lines of context around each disagreement.
    #[arg(long, default_value_t = crate::model::disagreement::DEFAULT_CONTEXT)]
    pub context: usize,
    /// Show it even though blind coding would still hide some coder's work.
    #[arg(long)]
    pub unblind: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
}

pub fn diff(study: &Study, args: Args) -> anyhow::Result<ExitCode> {
    let (a, b) = (Slug::new(&args.a)?, Slug::new(&args.b)?);
    let named = slugs(&args.transcripts)?;
    let mut transcripts = reconcile::compared(study, &a, &b, &named)?;
    // Unnamed, the transcripts blind coding still hides are left out and
    // listed, as `cbr agree` leaves out what is not complete; named ones,
    // or all of them hidden, are refused with who is still coding.
    let mut hidden: Vec<(Slug, Vec<Slug>)> = Vec::new();
    if named.is_empty() && !args.unblind {
        let pair = [a.clone(), b.clone()];
        let mut shown = Vec::with_capacity(transcripts.len());
        for t in &transcripts {
            match blind::waiting_for(study, &pair, t)? {
                waiting if waiting.is_empty() => shown.push(t.clone()),
                waiting => hidden.push((t.clone(), waiting)),
            }
        }
        if !shown.is_empty() {
            transcripts = shown;
        } else {
            hidden.clear();
        }
    }
    blind::check_reveal(study, &[a.clone(), b.clone()], &transcripts, args.unblind)?;
    let context = args.context;
    let not_compared: Vec<Slug> = hidden.iter().map(|(t, _)| t.clone()).collect();
    if args.format == DiffFormat::Json {
        let mut json = JsonStream::start(&a, &b, context)?;
        reconcile::diff_each(study, &a, &b, &transcripts, context, |hunks| {
            hunks.iter().try_for_each(|h| json.hunk(h))
        })?;
        json.finish(&not_compared)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !hidden.is_empty() {
        let list: Vec<String> = hidden
            .iter()
            .map(|(t, who)| format!("{t} (waiting for {})", join_names(who)))
            .collect();
        errln!(
            "Not compared (blind coding hides them until every coder has finished; --unblind shows them): {}",
            list.join(", ")
        );
    }
    // Printed a transcript at a time, as they are compared: memory holds
    // one transcript's hunks, however many transcripts there are.
    let p = Palette::for_stdout();
    let mut any = false;
    reconcile::diff_each(study, &a, &b, &transcripts, context, |hunks| {
        if !any && !hunks.is_empty() {
            any = true;
            println!("{}", p.removed(&format!("--- {a}")));
            println!("{}", p.added(&format!("+++ {b}")));
        }
        for hunk in &hunks {
            for line in render_hunk(hunk, p) {
                println!("{line}");
            }
        }
        Ok::<(), anyhow::Error>(())
    })?;
    if !any {
        errln!("no disagreements between {a} and {b}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `--format json` written as the hunks come, laid out exactly as
/// [`print_json`] lays out the whole document (two-space indentation).
struct JsonStream {
    out: std::io::StdoutLock<'static>,
    hunks: usize,
}

#[derive(Serialize)]
struct DiffHead<'a> {
    a: &'a Slug,
    b: &'a Slug,
    context: usize,
}

impl JsonStream {
    fn start(a: &Slug, b: &Slug, context: usize) -> anyhow::Result<JsonStream> {
        let head = serde_json::to_string_pretty(&DiffHead { a, b, context })?;
        let head = head.strip_suffix("\n}").unwrap_or(&head);
        let mut out = std::io::stdout().lock();
        write!(out, "{}", json_escaped(head))?;
        write!(out, ",\n  \"hunks\": [")?;
        Ok(JsonStream { out, hunks: 0 })
    }

    fn hunk(&mut self, hunk: &Hunk) -> anyhow::Result<()> {
        // serde_json escapes newlines inside strings: every newline here
        // is layout, indented one level deeper inside the array.
        let text = serde_json::to_string_pretty(hunk)?.replace('\n', "\n    ");
        let sep = if self.hunks == 0 { "" } else { "," };
        write!(self.out, "{sep}\n    {}", json_escaped(&text))?;
        self.hunks += 1;
        Ok(())
    }

    fn finish(mut self, not_compared: &[Slug]) -> anyhow::Result<()> {
        if self.hunks > 0 {
            write!(self.out, "\n  ")?;
        }
        write!(self.out, "]")?;
        if !not_compared.is_empty() {
            let list = serde_json::to_string_pretty(not_compared)?.replace('\n', "\n  ");
            write!(self.out, ",\n  \"not_compared\": {}", json_escaped(&list))?;
        }
        writeln!(self.out, "\n}}")?;
        self.out.flush()?;
        Ok(())
    }
}
