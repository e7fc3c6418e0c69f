//! `cbr reconcile A B`: reconciliation progress, and decisions taken from
//! the command line (the TUI screen drives the same session).

use std::process::ExitCode;

use serde::Serialize;

use crate::model::coding::{Choice, Decision};
use crate::model::{Segment, Slug};
use crate::study::reconcile::{Session, present_list};
use crate::study::{Study, blind};

use super::diff::{Palette, render_hunk};
use super::study_cmds::{author, on_terminal};
use super::{ChoiceArg, DiffFormat, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first coder: what only they applied shows as `-`.
    #[arg(add = super::complete::coder_ids())]
    pub a: String,
    /// The second coder: what only they applied shows as `+`.
    #[arg(add = super::complete::coder_ids())]
    pub b: String,
    /// Print progress and every hunk instead of opening the reconciliation screen (the default when not on a terminal).
    #[arg(long)]
    pub list: bool,
    /// The hunk to decide, as TRANSCRIPT:START-END (its changed lines, as --list shows).
    #[arg(long, value_name = "TRANSCRIPT:START-END", requires = "choose")]
    pub decide: Option<String>,
    /// What to keep on the hunk's lines.
    #[arg(long, value_enum, requires = "decide")]
    pub choose: Option<ChoiceArg>,
    /// With --choose edited: a segment to keep, as CODE:START-END (repeatable).
    #[arg(long = "segment", value_name = "CODE:START-END")]
    pub segments: Vec<String>,
    /// Why the team decided so (kept in the consensus file and the commit); required with --decide.
    #[arg(long, default_value = "")]
    pub rationale: String,
    /// Who was at the meeting, as coder ids (`alice,bob,carol`): stored with the decision next to who typed it.
    #[arg(
        long,
        value_name = "CODERS",
        value_delimiter = ',',
        requires = "decide"
    )]
    pub present: Vec<String>,
    /// Replace a decision already recorded for that hunk.
    #[arg(long, requires = "decide")]
    pub force: bool,
    /// Show it even though blind coding would still hide some coder's work.
    #[arg(long)]
    pub unblind: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: DiffFormat,
}

impl From<ChoiceArg> for Choice {
    fn from(c: ChoiceArg) -> Choice {
        match c {
            ChoiceArg::First => Choice::KeepFirst,
            ChoiceArg::Second => Choice::KeepSecond,
            ChoiceArg::Both => Choice::KeepBoth,
            ChoiceArg::Neither => Choice::Neither,
            ChoiceArg::Edited => Choice::Edited,
        }
    }
}

/// Parses `TRANSCRIPT:START-END`.
fn hunk_ref(text: &str) -> anyhow::Result<(String, usize, usize)> {
    let bad = || {
        anyhow::anyhow!(
            "`{text}`: name a hunk as TRANSCRIPT:START-END, its changed lines as `cbr reconcile A B --list` shows them"
        )
    };
    let (transcript, lines) = text.rsplit_once(':').ok_or_else(bad)?;
    let (start, end) = lines.split_once('-').unwrap_or((lines, lines));
    Ok((
        transcript.to_string(),
        start.parse().map_err(|_| bad())?,
        end.parse().map_err(|_| bad())?,
    ))
}

/// Parses `CODE:START-END` for an edited decision.
fn segment(text: &str) -> anyhow::Result<Segment> {
    let (code, start, end) = hunk_ref(text)
        .map_err(|_| anyhow::anyhow!("`{text}`: give an edited segment as CODE:START-END"))?;
    Ok(Segment::new(Slug::new(&code)?, start, end))
}

pub fn reconcile(study: &Study, args: Args, coder: Option<&str>) -> anyhow::Result<ExitCode> {
    let (a, b) = (Slug::new(&args.a)?, Slug::new(&args.b)?);
    if args.decide.is_none() && !args.list && args.format == DiffFormat::Text && on_terminal() {
        // The meeting itself: the reconciliation screen, which shows
        // blind coding's refusal itself (and can be told to override it).
        Session::check_pair(study, &a, &b)?;
        let author = author(Some(&study.root), coder)?;
        crate::tui::run_reconcile(study.clone(), author, a, b, args.unblind)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut session = Session::open(study, &a, &b)?;
    blind::check_reveal(
        study,
        &[a.clone(), b.clone()],
        &session.transcripts,
        args.unblind,
    )?;
    if let Some(target) = &args.decide {
        let Some(choice) = args.choose else {
            anyhow::bail!("--decide needs --choose first|second|both|neither|edited");
        };
        let (transcript, start, end) = hunk_ref(target)?;
        let index = session.find(&transcript, start, end).ok_or_else(|| {
            anyhow::anyhow!(
                "no disagreement between {a} and {b} on {transcript} lines {start}-{end} (`cbr reconcile {a} {b} --list` shows them)"
            )
        })?;
        if let Some(earlier) = &session.items[index].decision
            && !args.force
        {
            anyhow::bail!(
                "{target} was already decided by {} ({}: {}); add --force to replace that decision",
                crate::model::text::inert(&earlier.decided_by),
                earlier.choice.as_str(),
                crate::model::text::inert(&earlier.rationale)
            );
        }
        if matches!(choice, ChoiceArg::Edited) && args.segments.is_empty() {
            anyhow::bail!(
                "--choose edited needs the segments to keep, as --segment CODE:START-END (repeat it); to keep none, use --choose neither"
            );
        }
        let edited = args
            .segments
            .iter()
            .map(|s| segment(s))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let present = args
            .present
            .iter()
            .map(|p| Slug::new(p.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        session.set_present(study, &present)?;
        let author = author(Some(&study.root), coder)?;
        // The same lock as a coding session: never two writers at once.
        let _writer = crate::study::session_lock::lock_writer(&study.root, &author.coder)?;
        session.decide(
            study,
            index,
            choice.into(),
            &edited,
            &args.rationale,
            &author,
        )?;
        let (done, total) = session.progress();
        outln!(
            "decided {target}: {} ({done}/{total} resolved)",
            Choice::from(choice).as_str()
        );
        return Ok(ExitCode::SUCCESS);
    }
    list(&session, args.format)
}

#[derive(Serialize)]
struct ItemJson<'a> {
    transcript: &'a Slug,
    start_line: usize,
    end_line: usize,
    codes_at_stake: Vec<Slug>,
    decision: Option<&'a Decision>,
}

#[derive(Serialize)]
struct ListJson<'a> {
    a: &'a Slug,
    b: &'a Slug,
    transcripts: &'a [Slug],
    resolved: usize,
    total: usize,
    /// 1-based number of the hunk to resume at, if any is unresolved.
    next: Option<usize>,
    hunks: Vec<ItemJson<'a>>,
}

fn list(session: &Session, format: DiffFormat) -> anyhow::Result<ExitCode> {
    let (done, total) = session.progress();
    let next = session.next_unresolved(0);
    if format == DiffFormat::Json {
        print_json(&ListJson {
            a: &session.a,
            b: &session.b,
            transcripts: &session.transcripts,
            resolved: done,
            total,
            next: next.map(|i| i + 1),
            hunks: session
                .items
                .iter()
                .map(|i| ItemJson {
                    transcript: &i.hunk.transcript,
                    start_line: i.hunk.changed.start,
                    end_line: i.hunk.changed.end,
                    codes_at_stake: i.hunk.codes_at_stake(),
                    decision: i.decision.as_ref(),
                })
                .collect(),
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{}/{}: {done}/{total} disagreements resolved on {} transcript(s) both completed",
        session.a,
        session.b,
        session.transcripts.len()
    );
    for (n, item) in session.items.iter().enumerate() {
        let h = &item.hunk;
        let at = format!("{}:{}-{}", h.transcript, h.changed.start, h.changed.end);
        let stake: Vec<String> = h.codes_at_stake().iter().map(Slug::to_string).collect();
        match &item.decision {
            Some(d) => outln!(
                "{:>4} [x] {at:<24} {} by {}{}{}",
                n + 1,
                d.choice.as_str(),
                crate::model::text::inert(&d.decided_by),
                if d.present.is_empty() {
                    String::new()
                } else {
                    format!(" (present: {})", present_list(&d.present))
                },
                if d.rationale.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", crate::model::text::inert(&d.rationale))
                }
            ),
            None => outln!("{:>4} [ ] {at:<24} {}", n + 1, stake.join(", ")),
        }
    }
    if let Some(i) = next {
        let h = &session.items[i].hunk;
        outln!(
            "\nNext: hunk {} of {total}, {}:{}-{}",
            i + 1,
            h.transcript,
            h.changed.start,
            h.changed.end
        );
        for line in render_hunk(h, Palette::for_stdout()) {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
