//! `cbr suggest list|show|comment|approve|reject|merge|resolve`: reviewing
//! codebook suggestions from the command line.

use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use crate::model::diff::plain;
use crate::model::merge::{Conflict, Resolution};
use crate::study::context::Repo;
use crate::study::impact::{CodeImpact, Text, impact};
use crate::study::suggest::{self, Event, MergeOutcome, Suggestion, Verdict};
use crate::study::{Study, git};

use super::suggest_new::{self, NewKind};
use super::{Format, print_json, render, repo_and_author};

#[derive(Debug, Subcommand)]
pub enum SuggestCmd {
    /// List open suggestions: author, age, approvals, comments, rejected or not, mergeable.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one suggestion: semantic diff, reviews, conflicts and its impact on coded segments.
    Show {
        /// Branch name, `author/slug`, or just the slug.
        #[arg(add = super::complete::suggestions())]
        branch: String,
        /// List the coded passages behind the impact counts.
        #[arg(long)]
        passages: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Propose a change to the codebook (a new branch suggest/<you>/<slug>).
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
    /// Comment on a suggestion.
    Comment {
        #[arg(add = super::complete::suggestions())]
        branch: String,
        #[arg(short, long)]
        message: String,
    },
    /// Approve a suggestion (not your own).
    Approve {
        #[arg(add = super::complete::suggestions())]
        branch: String,
        #[arg(short, long, default_value = "")]
        message: String,
    },
    /// Reject a suggestion; it stays in the history, marked rejected.
    Reject {
        #[arg(add = super::complete::suggestions())]
        branch: String,
        #[arg(short, long)]
        message: String,
    },
    /// Change your own suggestion: edit fields of one code as the suggestion has it.
    Amend(suggest_new::AmendArgs),
    /// Merge an approved suggestion into main (field-by-field three-way merge).
    Merge {
        #[arg(add = super::complete::suggestions())]
        branch: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Settle one conflict of a suggestion before merging it.
    Resolve {
        #[arg(add = super::complete::suggestions())]
        branch: String,
        /// The conflict, as `code.field` (or `code` when a whole code conflicts).
        #[arg(long)]
        field: String,
        /// Keep main's value (ours) or the suggestion's (theirs).
        #[arg(
            long,
            value_enum,
            required_unless_present = "text",
            conflicts_with = "text"
        )]
        take: Option<Side>,
        /// Use this text instead.
        #[arg(long)]
        text: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Side {
    Ours,
    Theirs,
}

pub fn run(study: &Study, coder: Option<&str>, cmd: SuggestCmd) -> anyhow::Result<ExitCode> {
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    let required = study.config.approvals_required;
    match cmd {
        SuggestCmd::List { format } => {
            let all = suggest::list(repo)?;
            match format {
                Format::Json => print_json(&all)?,
                Format::Table => list_table(&all, required),
            }
        }
        SuggestCmd::Show {
            branch,
            passages,
            format,
        } => {
            let branch = suggest::find(repo, &branch)?;
            let detail = suggest::show(repo, &branch)?;
            // The table shows counts unless --passages: no transcript is read.
            let text = if format == Format::Json || passages {
                Text::Read
            } else {
                Text::Skip
            };
            let (impacts, _) = impact(study, &detail.affected, text);
            if format == Format::Json {
                #[derive(Serialize)]
                struct Out<'a> {
                    #[serde(flatten)]
                    detail: &'a suggest::Detail,
                    impact: &'a [CodeImpact],
                }
                print_json(&Out {
                    detail: &detail,
                    impact: &impacts,
                })?;
                return Ok(ExitCode::SUCCESS);
            }
            show_table(&detail, &impacts, required, passages);
        }
        SuggestCmd::New { kind } => return suggest_new::new(study, &opened, &author, kind),
        SuggestCmd::Amend(args) => return suggest_new::amend(&opened, &author, args),
        SuggestCmd::Comment { branch, message } => {
            review(&opened, &author, &branch, Verdict::Comment, &message)?
        }
        SuggestCmd::Approve { branch, message } => {
            review(&opened, &author, &branch, Verdict::Approve, &message)?
        }
        SuggestCmd::Reject { branch, message } => {
            review(&opened, &author, &branch, Verdict::Reject, &message)?
        }
        SuggestCmd::Merge { branch, format } => {
            let branch = suggest::find(repo, &branch)?;
            let outcome = suggest::merge(repo, &branch, &author, required, &[])?;
            if format == Format::Json {
                print_json(&outcome)?;
            }
            match outcome {
                MergeOutcome::Merged {
                    commit,
                    workdir_updated,
                } => {
                    if format == Format::Table {
                        outln!("Merged {branch} into main ({}).", &commit[..7]);
                        if workdir_updated {
                            outln!("codebook/ in your working tree is up to date.");
                        } else {
                            outln!(
                                "main is not checked out here; your working tree was left alone."
                            );
                        }
                    }
                }
                MergeOutcome::Conflicts { conflicts } => {
                    if format == Format::Table {
                        print_conflicts(&branch, &conflicts);
                    }
                    return Ok(super::exit::code(super::exit::ATTENTION));
                }
            }
        }
        SuggestCmd::Resolve {
            branch,
            field,
            take,
            text,
        } => {
            let branch = suggest::find(repo, &branch)?;
            let resolution = match (take, text) {
                (Some(Side::Ours), _) => Resolution::Ours,
                (Some(Side::Theirs), _) => Resolution::Theirs,
                (None, Some(text)) => Resolution::Text(text),
                (None, None) => unreachable!("clap requires --take or --text"),
            };
            let open = suggest::resolutions::record(repo, &branch, &field, &resolution)?;
            outln!("Resolved {field}.");
            if open.is_empty() {
                outln!("No conflict left: `cbr suggest merge {branch}` merges it.");
            } else {
                print_conflicts(&branch, &open);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn review(
    opened: &Repo,
    author: &git::Author,
    branch: &str,
    verdict: Verdict,
    message: &str,
) -> anyhow::Result<()> {
    let repo = opened.git()?;
    let branch = suggest::find(repo, branch)?;
    suggest::review(repo, &branch, author, verdict, message)?;
    let done = match verdict {
        Verdict::Approve => "Approved",
        Verdict::Comment => "Commented on",
        Verdict::Reject => "Rejected",
    };
    outln!("{done} {branch}.");
    Ok(())
}

fn list_table(all: &[Suggestion], required: u32) {
    if all.is_empty() {
        outln!("No open suggestion. `cbr suggest new` proposes one.");
        return;
    }
    let width = all.iter().map(|s| s.branch.len()).max().unwrap_or(0);
    for s in all {
        outln!(
            "{:<width$}  {:<9}  {:<8} {:<14}  approvals {}/{required}  comments {}  {}",
            s.branch,
            s.kind.map_or("-", |k| k.as_str()),
            s.author,
            render::age(s.created),
            s.approvals.len(),
            s.comments,
            s.state(),
        );
        outln!("{:width$}  {}", "", s.title);
    }
}

fn show_table(detail: &suggest::Detail, impacts: &[CodeImpact], required: u32, passages: bool) {
    let s = &detail.suggestion;
    outln!("{}  [{}]", s.branch, s.kind.map_or("-", |k| k.as_str()));
    outln!("{}", s.title);
    outln!(
        "by {}, {} ({}) · approvals {}/{required}{} · {} comment(s) · {}",
        s.author,
        render::date(s.created),
        render::age(s.created),
        s.approvals.len(),
        if s.approvals.is_empty() {
            String::new()
        } else {
            format!(" ({})", s.approvals.join(", "))
        },
        s.comments,
        s.state()
    );
    if !s.rationale.is_empty() {
        outln!("\nRationale\n  {}", s.rationale.replace('\n', "\n  "));
    }
    outln!("\nChanges");
    for line in render::changes(&detail.changes, "  ") {
        outln!("{line}");
    }
    outln!("\nTimeline");
    for event in &detail.timeline {
        match event {
            Event::Proposed { author, when, .. } => {
                outln!("  {}  {author} proposed", render::date(*when))
            }
            Event::Amended {
                author, when, note, ..
            } => {
                outln!(
                    "  {}  {author} amended{}",
                    render::date(*when),
                    quoted(note)
                )
            }
            Event::Reviewed(r) => {
                let verb = match r.verdict {
                    Verdict::Approve => "approved",
                    Verdict::Comment => "commented",
                    Verdict::Reject => "rejected",
                };
                outln!(
                    "  {}  {} {verb}{}",
                    render::date(r.when),
                    r.reviewer,
                    quoted(&r.text)
                );
            }
        }
    }
    if !detail.conflicts.is_empty() {
        outln!();
        print_conflicts(&s.branch, &detail.conflicts);
    }
    outln!("\nImpact on coded segments (working tree)");
    for code in impacts {
        outln!("  {}: {}", code.code, code.per_coder(", "));
        if passages {
            for c in &code.coders {
                for p in &c.passages {
                    outln!(
                        "    {} {}:{}-{}  {}",
                        c.coder,
                        p.transcript,
                        p.start_line,
                        p.end_line,
                        p.text.replace('\n', " / ")
                    );
                }
            }
        }
    }
    if !passages && impacts.iter().any(|c| c.segments() > 0) {
        outln!("  (--passages lists them)");
    }
}

fn quoted(text: &str) -> String {
    if text.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", text.trim().replace('\n', " "))
    }
}

/// Each conflict as the base and both sides' word diffs, with the commands that settle it.
pub fn print_conflicts(branch: &str, conflicts: &[Conflict]) {
    outln!("{} conflict(s) between main and {branch}:", conflicts.len());
    for c in conflicts {
        outln!("\n  {}", c.key());
        if c.field.is_some() {
            outln!(
                "    base:       {}",
                c.base.trim_end().replace('\n', "\n                ")
            );
            outln!(
                "    main:       {}",
                plain(&c.ours_words())
                    .trim_end()
                    .replace('\n', "\n                ")
            );
            outln!(
                "    suggestion: {}",
                plain(&c.theirs_words())
                    .trim_end()
                    .replace('\n', "\n                ")
            );
        } else {
            let state = |t: &str| if t.is_empty() { "removed" } else { "changed" };
            outln!(
                "    main {} the code; the suggestion {} it",
                state(&c.ours),
                state(&c.theirs)
            );
        }
        outln!(
            "    settle with: cbr suggest resolve {branch} --field {} --take ours|theirs{}",
            c.key(),
            if c.field.is_some() {
                "  (or --text TEXT)"
            } else {
                ""
            }
        );
    }
}
