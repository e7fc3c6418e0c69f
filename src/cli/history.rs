//! `cbr log`, `cbr compare`, `cbr release`, `cbr changelog`: the codebook's
//! history, read from git.

use std::collections::BTreeSet;
use std::process::ExitCode;

use crate::model::diff::{CodeChange, diff_code};
use crate::model::{Code, Codebook, Slug};
use crate::study::changelog::{Endpoint, changelog};
use crate::study::context::Repo;
use crate::study::history::{self, EntryKind, LogEntry};
use crate::study::versions::{codebook_at, main_tip, resolve_version};
use crate::study::{Study, StudyError};

use super::{Format, print_json, render, repo_and_author};

pub fn log(study: &Study, code: Option<&str>, format: Format) -> anyhow::Result<ExitCode> {
    let opened = Repo::require(&study.root)?;
    let repo = opened.git()?;
    let main = main_tip(repo)?;
    let entries = match code {
        Some(id) => history::code_log(repo, id, main)?,
        None => history::log(repo, None, main)?,
    };
    if format == Format::Json {
        print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    for entry in &entries {
        print_entry(entry, code.is_some());
    }
    if entries.is_empty() {
        outln!("No codebook history yet.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Beyond this many changed codes, a log entry shows counts instead of a list.
const MAX_LISTED: usize = 8;

fn print_entry(entry: &LogEntry, full: bool) {
    outln!(
        "{}  {}  {:<8} {}",
        render::date(entry.when),
        &entry.commit[..7],
        entry.author,
        entry.title()
    );
    if let EntryKind::Suggestion {
        suggestion_kind,
        suggested_by,
        approved_by,
        rationale,
        resolved,
        ..
    } = &entry.kind
    {
        outln!(
            "                     merged suggestion{} by {suggested_by}; approved by {}{}",
            suggestion_kind
                .map(|k| format!(" ({k})"))
                .unwrap_or_default(),
            if approved_by.is_empty() {
                "nobody".to_string()
            } else {
                approved_by.join(", ")
            },
            if resolved.is_empty() {
                String::new()
            } else {
                format!("; resolved {}", resolved.join(", "))
            }
        );
        if full && !rationale.is_empty() {
            outln!("                     why: {}", rationale.replace('\n', " "));
        }
    }
    for r in &entry.releases {
        outln!(
            "                     release {} by {}: {}",
            r.name,
            r.tagger,
            r.message.lines().next().unwrap_or("")
        );
    }
    if full {
        for line in render::changes(&entry.changes, "                     ") {
            outln!("{line}");
        }
    } else if entry.changes.len() > MAX_LISTED {
        let count = |f: fn(&CodeChange) -> bool| entry.changes.iter().filter(|c| f(c)).count();
        outln!(
            "                     {} code(s) added, {} removed, {} changed (`git show --stat {}` lists them)",
            count(|c| matches!(c, CodeChange::Added { .. })),
            count(|c| matches!(c, CodeChange::Removed { .. })),
            count(|c| matches!(c, CodeChange::Changed { .. })),
            &entry.commit[..7],
        );
    } else {
        for change in &entry.changes {
            outln!("                     {}", render::change_summary(change));
        }
    }
}

/// The ids a code has gone by: its id and aliases.
fn lineage(code: &Code) -> BTreeSet<Slug> {
    let mut ids: BTreeSet<Slug> = code.aliases.iter().cloned().collect();
    ids.insert(code.id.clone());
    ids
}

/// The code in `cb` that is `ids` under any of its names.
fn find_in<'a>(cb: &'a Codebook, ids: &BTreeSet<Slug>) -> Option<&'a Code> {
    cb.codes.values().find(|c| ids.contains(&c.id)).or_else(|| {
        cb.codes
            .values()
            .find(|c| c.aliases.iter().any(|a| ids.contains(a)))
    })
}

pub fn compare(
    study: &Study,
    from: &str,
    to: Option<&str>,
    code: Option<&str>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let opened = Repo::require(&study.root)?;
    let repo = opened.git()?;
    let old = codebook_at(repo, resolve_version(repo, from)?)?.codebook;
    let new = codebook_at(repo, resolve_version(repo, to.unwrap_or("main"))?)?.codebook;
    let changes: Vec<CodeChange> = match code {
        None => crate::model::diff::diff_codebooks(&old, &new),
        Some(id) => {
            // Follow renames: look the code up where it is known (or on main,
            // for a name given after both versions), then by any of its names.
            let on_main = codebook_at(repo, main_tip(repo)?)?.codebook;
            let anchor = new
                .find(id)
                .or_else(|| old.find(id))
                .or_else(|| on_main.find(id))
                .ok_or_else(|| StudyError::UnknownCode(id.to_string()))?;
            let ids = lineage(anchor);
            match (find_in(&old, &ids), find_in(&new, &ids)) {
                (Some(o), Some(n)) => {
                    let d = diff_code(o, n);
                    if d.is_empty() {
                        Vec::new()
                    } else {
                        vec![CodeChange::Changed { diff: d }]
                    }
                }
                (None, Some(n)) => vec![CodeChange::Added {
                    code: Box::new(n.clone()),
                }],
                (Some(o), None) => vec![CodeChange::Removed {
                    code: Box::new(o.clone()),
                }],
                (None, None) => Vec::new(),
            }
        }
    };
    if format == Format::Json {
        print_json(&changes)?;
    } else if changes.is_empty() {
        outln!("No difference.");
    } else {
        for line in render::changes(&changes, "") {
            outln!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn release(
    study: &Study,
    coder: Option<&str>,
    name: &str,
    message: &str,
) -> anyhow::Result<ExitCode> {
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    history::release(repo, name, &author, message)?;
    let codes = codebook_at(repo, main_tip(repo)?)?.codebook.codes.len();
    outln!("Released codebook {name} ({codes} codes) at main.");
    // Tags travel with `cbr sync`; a study without a shared repository
    // has nobody to send it to yet.
    if crate::study::remote::origin(repo).is_ok() {
        outln!("`cbr sync` sends it to the team with the rest of your work.");
    } else {
        outln!(
            "To share it, make this a team study (`cbr share PATH|URL`); `cbr sync` then sends it."
        );
    }
    outln!("`cbr changelog {name}..main` will list what changes next.");
    Ok(ExitCode::SUCCESS)
}

pub fn changelog_cmd(study: &Study, range: Option<&str>) -> anyhow::Result<ExitCode> {
    let opened = Repo::require(&study.root)?;
    let repo = opened.git()?;
    let (from, to) = match range {
        None => (None, "main"),
        Some(r) => match r.split_once("..") {
            Some((f, t)) => (
                Some(f).filter(|f| !f.is_empty()),
                if t.is_empty() { "main" } else { t },
            ),
            None => (Some(r), "main"),
        },
    };
    let from = match from {
        Some(label) => Some(Endpoint {
            label,
            commit: resolve_version(repo, label)?,
        }),
        None => None,
    };
    let to = Endpoint {
        label: to,
        commit: resolve_version(repo, to)?,
    };
    out!("{}", changelog(repo, from.as_ref(), &to)?);
    Ok(ExitCode::SUCCESS)
}
