//! `cbr check --outdated` and `cbr recheck list|clear`: the queue of
//! segments coded under an earlier definition of their code.

use std::collections::{BTreeMap, HashMap};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Subcommand;

use std::io::Write;

use crate::model::diff::{CodeDiff, FieldChange};
use crate::model::text::{inert_lines, json_escaped};
use crate::study::Study;
use crate::study::outdated::{self, Item, Items, Queue, Reason};
use crate::study::text_recheck::{self, Queued};

use super::{Format, render, repo_and_author};

#[derive(Debug, Subcommand)]
pub enum RecheckCmd {
    /// Your segments coded under an earlier definition of their code.
    List {
        /// Every coder's queue, not only yours.
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Mark segments as re-checked under the current codebook (one commit).
    Clear {
        /// Items as listed (`transcript:start-end:code`), `transcript:start-end`, or a transcript id.
        items: Vec<String>,
        /// Clear your whole queue.
        #[arg(long, conflicts_with = "items")]
        all: bool,
    },
}

pub fn run(study: &Study, coder: Option<&str>, cmd: RecheckCmd) -> anyhow::Result<ExitCode> {
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    match cmd {
        RecheckCmd::List { all, format } => {
            let coder = (!all).then_some(&author.coder);
            let queue = outdated::queue_for(study, repo, coder)?;
            let mut text = text_recheck::load_all(study)?;
            if !all {
                let queues = text_recheck::queues_of(&author.coder);
                text.retain(|q| queues.contains(&q.coder));
            }
            print_queue(&queue, &text, format)
        }
        RecheckCmd::Clear { items, all } => {
            if items.is_empty() && !all {
                anyhow::bail!(
                    "name the items to clear (as `cbr recheck list` shows them), or pass --all"
                );
            }
            // Rewrites coding files: the same lock as a coding session.
            let _writer = crate::study::session_lock::lock_writer(&study.root, &author.coder)?;
            // Text-changed items are cleared from their file; the rest
            // (and names in both queues) go to the outdated queue.
            let mut mine = Vec::new();
            for coder in text_recheck::queues_of(&author.coder) {
                mine.extend(text_recheck::load(study, &coder)?);
            }
            let queue = outdated::queue_for(study, repo, Some(&author.coder))?;
            let in_outdated = |s: &String| queue.items.iter().any(|o| o.matches(s));
            let (text_sel, rest): (Vec<String>, Vec<String>) = items
                .into_iter()
                .partition(|s| mine.iter().any(|i| i.matches(s)));
            let mut n = 0;
            if all || !text_sel.is_empty() {
                n += text_recheck::clear(study, repo, &author, &text_sel)?;
            }
            let for_outdated: Vec<String> = text_sel
                .iter()
                .filter(|s| in_outdated(s))
                .cloned()
                .chain(rest.iter().cloned())
                .collect();
            if all || !for_outdated.is_empty() {
                let study = Study::open(&study.root)?;
                n += outdated::clear(&study, repo, &author, &for_outdated)?;
            }
            outln!(
                "{n} segment(s) of {} re-checked under the current codebook.",
                author.coder
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the queue: one line per segment, then once per code what changed.
pub fn print_queue(queue: &Queue, text: &[Queued], format: Format) -> anyhow::Result<ExitCode> {
    if format == Format::Json {
        print_queue_json(queue, text)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Hundreds of thousands of lines on a large study: one buffered writer
    // (stdout alone flushes every line), rows written as they are made.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if queue.items.is_empty() && text.is_empty() {
        writeln!(
            out,
            "No segment to re-check: every versioned segment was coded under its code's current definition."
        )?;
    }
    print_items(&queue.items, &mut out)?;
    let mut line = |s: &str| writeln!(out, "{}", inert_lines(s));
    print_text_changed(text, &mut line)?;
    if queue.unversioned > 0 {
        line(&format!(
            "\n({} segment(s) record no codebook version and cannot be checked.)",
            queue.unversioned
        ))?;
    }
    if !queue.items.is_empty() || !text.is_empty() {
        line(
            "\nRe-read each passage (against the current definition, or its new text), recode if needed, then `cbr recheck clear ITEM...`.",
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// One line per item (`coder  transcript:lines:code  why`, in columns),
/// then once per code and version what changed. A large study's queue is
/// a million lines, so they are written straight out: ids are slugs
/// (ASCII letters, digits and hyphens: their width is their length and
/// they hold nothing to make inert), and each reason and word diff, shared
/// by the items with the same verdict, is made into text once per block
/// of rows (rows are made into text on the worker threads).
fn print_items(items: &Items, out: &mut impl Write) -> std::io::Result<()> {
    let digits = |n: usize| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let item_len = |o: &Item<'_>| {
        o.transcript.as_str().len()
            + o.code.as_str().len()
            + 3
            + digits(o.start_line)
            + digits(o.end_line)
    };
    let coder_width = items
        .iter()
        .map(|o| o.coder.as_str().len())
        .max()
        .unwrap_or(0);
    let item_width = items.iter().map(|o| item_len(&o)).max().unwrap_or(0);
    let spaces = " ".repeat(coder_width.max(item_width));
    // Keyed by code and short version, in the order "CODE since VERSION" sorts.
    let mut explained: BTreeMap<(&str, &str), Item<'_>> = BTreeMap::new();
    for o in items.first_per_code_and_version() {
        if let Reason::Redefined = o.reason {
            let short = o.coded_under.get(..7).unwrap_or(o.coded_under);
            explained.entry((o.code.as_str(), short)).or_insert(o);
        }
    }
    // The rows are made into text on the worker threads, a block at a
    // time, while this thread writes the previous block out.
    let blocks: Vec<std::ops::Range<usize>> = (0..items.len())
        .step_by(ROWS_PER_BLOCK)
        .map(|start| start..(start + ROWS_PER_BLOCK).min(items.len()))
        .collect();
    let mut written = Ok(());
    crate::study::parallel::fold_in_order(
        &blocks,
        1,
        |rows| {
            let mut text = Vec::with_capacity(rows.len() * 128);
            // Verdicts are shared: their address names them.
            let mut why: HashMap<*const Reason, String> = HashMap::new();
            for o in rows.clone().filter_map(|i| items.get(i)) {
                let why = why
                    .entry(o.reason as *const Reason)
                    .or_insert_with(|| inert_lines(&o.why()).into_owned());
                let coder = o.coder.as_str();
                let mut numbers = itoa::Buffer::new();
                for piece in [
                    coder,
                    &spaces[..coder_width - coder.len()],
                    "  ",
                    o.transcript.as_str(),
                    ":",
                    numbers.format(o.start_line),
                    "-",
                ] {
                    text.extend_from_slice(piece.as_bytes());
                }
                for piece in [
                    numbers.format(o.end_line),
                    ":",
                    o.code.as_str(),
                    &spaces[..item_width - item_len(&o)],
                    "  ",
                    why,
                    "\n",
                ] {
                    text.extend_from_slice(piece.as_bytes());
                }
            }
            text
        },
        |_, text| {
            if written.is_ok() {
                written = out.write_all(&text);
            }
        },
    );
    written?;
    let mut diffs: HashMap<*const [FieldChange], String> = HashMap::new();
    for ((code, short), o) in explained {
        let diff = diffs.entry(Arc::as_ptr(o.changes)).or_insert_with(|| {
            let lines = render::code_diff(
                &CodeDiff {
                    old_id: o.code.clone(),
                    new_id: o.code.clone(),
                    fields: o.changes.to_vec(),
                },
                "  ",
            );
            lines
                .iter()
                .map(|l| format!("{}\n", inert_lines(l)))
                .collect()
        });
        write!(out, "\n{code} since {}:\n{diff}", inert_lines(short))?;
    }
    Ok(())
}

/// Item rows made into text by one worker at a time.
const ROWS_PER_BLOCK: usize = 4096;

/// The "text changed" items: old and new passage, each line made inert.
fn print_text_changed(
    text: &[Queued],
    line: &mut impl FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    for q in text {
        line(&format!(
            "{:<8} {}  text changed",
            q.coder.as_str(),
            q.item.item()
        ))?;
        for l in q.item.old_text.lines() {
            line(&format!("    - {l}"))?;
        }
        for l in q.item.new_text.lines() {
            line(&format!("    + {l}"))?;
        }
    }
    Ok(())
}

/// The queue as JSON, written as [`super::print_json`] would write it
/// (pretty, keys in order, controls escaped) but one item at a time: the
/// whole document as one value took 2.5 GB for the large study's 400 MB
/// queue. The envelope is printed with no items, and the items go where
/// its empty list was, each indented to its depth.
fn print_queue_json(queue: &Queue, text: &[Queued]) -> anyhow::Result<()> {
    let envelope = Queue {
        items: Default::default(),
        unversioned: queue.unversioned,
        current: queue.current.clone(),
    };
    let mut value = serde_json::to_value(&envelope)?;
    value["text_changed"] = serde_json::to_value(text)?;
    let whole = serde_json::to_string_pretty(&value)?;
    const EMPTY: &str = "\n  \"items\": []";
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let at = whole.find(EMPTY).filter(|_| !queue.items.is_empty());
    let Some(at) = at else {
        writeln!(out, "{}", json_escaped(&whole))?;
        return Ok(out.flush()?);
    };
    let (head, tail) = whole.split_at(at + EMPTY.len() - 1);
    write!(out, "{}", json_escaped(head))?;
    for (i, item) in queue.items.iter().enumerate() {
        let item = serde_json::to_string_pretty(&serde_json::to_value(item)?)?;
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        for (n, line) in item.lines().enumerate() {
            if n > 0 {
                out.write_all(b"\n")?;
            }
            write!(out, "    {}", json_escaped(line))?;
        }
    }
    writeln!(out, "\n  {}", json_escaped(tail))?;
    Ok(out.flush()?)
}
