//! `cbr changelog`: the codebook's evolution between two versions as
//! Markdown a team can paste into the methods section of a paper — a net
//! summary (added, renamed, merged, deprecated, revised codes), then each
//! decision in order with who proposed and approved it and why.

use git2::{Oid, Repository};

use crate::model::Field;
use crate::model::date::format_date;
use crate::model::diff::{CodeChange, CodeDiff, FieldChange, WordOp, Words, diff_codebooks};

use super::error::Result;
use super::history::{EntryKind, LogEntry, log, releases};
use super::versions::codebook_at;

/// A version as named by the user, and the commit it stands for.
pub struct Endpoint<'a> {
    pub label: &'a str,
    pub commit: Oid,
}

/// The Markdown changelog from `from` (`None`: the first codebook) to `to`.
pub fn changelog(repo: &Repository, from: Option<&Endpoint>, to: &Endpoint) -> Result<String> {
    let before = match from {
        Some(f) => codebook_at(repo, f.commit)?.codebook,
        None => Default::default(),
    };
    let after = codebook_at(repo, to.commit)?.codebook;
    let mut entries = log(repo, from.map(|f| f.commit), to.commit)?;
    entries.retain(|e| !e.changes.is_empty());
    entries.reverse();
    let date = |oid: Oid| -> Result<String> {
        let t = repo.find_commit(oid)?.time();
        Ok(format_date(t.seconds(), t.offset_minutes()))
    };
    let mut md = String::new();
    let from_label = from.map_or("the first codebook", |f| f.label);
    md.push_str(&format!(
        "## Codebook changes: {from_label} → {}\n\n",
        to.label
    ));
    let reviewed = entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Suggestion { .. }))
        .count();
    let span = match from {
        Some(f) => format!(
            "Between {} ({}) and {} ({})",
            f.label,
            date(f.commit)?,
            to.label,
            date(to.commit)?
        ),
        None => format!("Up to {} ({})", to.label, date(to.commit)?),
    };
    if entries.is_empty() {
        md.push_str(&format!(
            "{span}, the codebook did not change ({} active codes).\n",
            active(&after)
        ));
    } else if active(&before) == 0 {
        // From the start of the history "went from 0 to 39" reads oddly.
        md.push_str(&format!(
            "{span}, the codebook was built up to {} active codes through {} change(s), {reviewed} of them suggestions reviewed and approved by the team.\n\n",
            active(&after),
            entries.len(),
        ));
    } else {
        md.push_str(&format!(
            "{span}, the codebook went from {} to {} active codes through {} change(s), {reviewed} of them suggestions reviewed and approved by the team.\n\n",
            active(&before),
            active(&after),
            entries.len(),
        ));
    }
    let net = diff_codebooks(&before, &after);
    if !net.is_empty() {
        md.push_str("### Summary\n\n");
        for change in &net {
            md.push_str(&format!("- {}\n", summary_line(change)));
        }
        md.push('\n');
    }
    if !entries.is_empty() {
        md.push_str("### Decisions\n\n");
        for entry in &entries {
            decision(&mut md, entry);
        }
    }
    let tags: Vec<_> = releases(repo)?
        .into_iter()
        .filter(|r| {
            let Ok(oid) = Oid::from_str(&r.commit) else {
                return false;
            };
            repo.graph_descendant_of(to.commit, oid).unwrap_or(false) || oid == to.commit
        })
        .filter(|r| {
            from.is_none_or(|f| {
                Oid::from_str(&r.commit).is_ok_and(|oid| {
                    oid != f.commit && repo.graph_descendant_of(oid, f.commit).unwrap_or(false)
                })
            })
        })
        .collect();
    if !tags.is_empty() {
        md.push_str("### Releases\n\n");
        for r in tags {
            md.push_str(&format!(
                "- **{}** ({}, {}): {}\n",
                r.name,
                format_date(r.when, 0),
                r.tagger,
                first_line(&r.message)
            ));
        }
        md.push('\n');
    }
    Ok(md)
}

fn active(cb: &crate::model::Codebook) -> usize {
    cb.codes
        .values()
        .filter(|c| c.status == crate::model::Status::Active)
        .count()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// One line of the net summary.
fn summary_line(change: &CodeChange) -> String {
    match change {
        CodeChange::Added { code } => format!(
            "Added **{}** ({}): {}",
            code.id,
            code.name,
            first_line(&code.definition)
        ),
        CodeChange::Removed { code } => format!("Removed **{}** ({})", code.id, code.name),
        CodeChange::Changed { diff } => {
            let mut parts = Vec::new();
            if diff.is_rename() {
                parts.push(format!("renamed from `{}`", diff.old_id));
            }
            if let Some(FieldChange::Value {
                new: Some(status), ..
            }) = diff.get(Field::Status)
            {
                match status.as_str() {
                    "merged" => parts.push(match diff.get(Field::MergedInto) {
                        Some(FieldChange::Value { new: Some(t), .. }) => {
                            format!("merged into **{t}**")
                        }
                        _ => "merged".to_string(),
                    }),
                    other => parts.push(format!("now {other}")),
                }
            }
            let revised: Vec<&str> = diff
                .fields
                .iter()
                .map(|f| f.field())
                .filter(|f| {
                    !matches!(
                        f,
                        Field::Id | Field::Status | Field::MergedInto | Field::Aliases
                    )
                })
                .map(Field::as_str)
                .collect();
            if !revised.is_empty() {
                parts.push(format!("revised {}", revised.join(", ")));
            }
            if parts.is_empty() {
                parts.push("aliases updated".to_string());
            }
            format!("**{}**: {}", diff.new_id, parts.join("; "))
        }
    }
}

fn decision(md: &mut String, entry: &LogEntry) {
    let date = format_date(entry.when, 0);
    match &entry.kind {
        EntryKind::Suggestion {
            title,
            rationale,
            suggested_by,
            approved_by,
            ..
        } => {
            md.push_str(&format!("#### {date} — {title}\n\n"));
            let approvers = if approved_by.is_empty() {
                "no recorded approval".to_string()
            } else {
                format!("approved by {}", approved_by.join(", "))
            };
            md.push_str(&format!(
                "Suggested by {suggested_by}, {approvers}, merged by {}.\n\n",
                entry.author
            ));
            if !rationale.is_empty() {
                for line in rationale.lines() {
                    md.push_str(&format!("> {line}\n"));
                }
                md.push('\n');
            }
        }
        EntryKind::Commit { summary, .. } => {
            md.push_str(&format!("#### {date} — {summary}\n\n"));
            md.push_str(&format!(
                "Direct change by {}, not reviewed as a suggestion.\n\n",
                entry.author
            ));
        }
    }
    for change in &entry.changes {
        match change {
            CodeChange::Changed { diff } => change_details(md, diff),
            other => md.push_str(&format!("- {}\n", summary_line(other))),
        }
    }
    md.push('\n');
}

fn change_details(md: &mut String, diff: &CodeDiff) {
    md.push_str(&format!("- **{}**\n", diff.new_id));
    for f in &diff.fields {
        let line = match f {
            FieldChange::Prose { field, words, .. } => {
                format!("{field}: {}", markdown_words(words))
            }
            FieldChange::Value { field, old, new } => format!(
                "{field}: `{}` → `{}`",
                old.as_deref().unwrap_or("none"),
                new.as_deref().unwrap_or("none")
            ),
            FieldChange::List {
                field,
                added,
                removed,
            } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("added {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("removed {}", removed.join(", ")));
                }
                format!("{field}: {}", parts.join("; "))
            }
        };
        md.push_str(&format!("  - {}\n", line.replace('\n', " ")));
    }
}

/// Removed words struck through, added words in bold.
pub fn markdown_words(words: &[Words]) -> String {
    words
        .iter()
        .map(|w| {
            let text = w.text.trim();
            let pad = |s: String| {
                let lead = if w.text.starts_with(char::is_whitespace) {
                    " "
                } else {
                    ""
                };
                let trail = if w.text.ends_with(char::is_whitespace) {
                    " "
                } else {
                    ""
                };
                format!("{lead}{s}{trail}")
            };
            match w.op {
                WordOp::Same => w.text.clone(),
                _ if text.is_empty() => w.text.clone(),
                WordOp::Removed => pad(format!("~~{text}~~")),
                WordOp::Added => pad(format!("**{text}**")),
            }
        })
        .collect()
}
