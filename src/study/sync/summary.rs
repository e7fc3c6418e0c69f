//! What a sync did, in sentences: the same words for `cbr sync` on the
//! command line and for the terminal UI's sync popup.

use std::path::PathBuf;

use super::{FetchReport, Integration, SyncReport};

fn short(oid: &str) -> &str {
    &oid[..oid.len().min(7)]
}

fn list(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// "main", "suggest/alice/x (removed: merged)", "codebook-v2" for a pushed ref.
fn sent_name(pushed: &str) -> String {
    let (deleted, name) = pushed
        .strip_prefix('-')
        .map_or((false, pushed), |n| (true, n));
    let name = name
        .strip_prefix("refs/heads/")
        .or_else(|| name.strip_prefix("refs/tags/"))
        .unwrap_or(name);
    if deleted {
        format!("{name} (removed: merged)")
    } else {
        name.to_string()
    }
}

/// One line per thing a sync did, in the order it did them.
pub fn report_lines(report: &SyncReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(saved) = &report.saved {
        out.push(format!(
            "Saved your coding as commit {}: {}",
            short(&saved.commit),
            list(&saved.files)
        ));
    }
    if let Some(commit) = &report.settings {
        out.push(format!(
            "Saved your change to study.toml as commit {}",
            short(commit)
        ));
    }
    for integration in &report.integrated {
        match integration {
            Integration::UpToDate => {}
            Integration::FastForward { commits } => {
                out.push(format!("Received {commits} commit(s) from the team."))
            }
            Integration::Merged { commit, commits } => out.push(format!(
                "Received {commits} commit(s) from the team, joined with yours in merge commit {}.",
                short(commit)
            )),
        }
    }
    if report.received() == 0 {
        out.push("Nothing new from the team.".into());
    }
    let sent: Vec<String> = report.pushed.iter().map(|r| sent_name(r)).collect();
    if sent.is_empty() {
        out.push("Nothing to send.".into());
    } else {
        out.push(format!("Sent: {}", sent.join(", ")));
    }
    let s = &report.suggestions;
    for (label, names) in [
        ("New suggestions from the team", &s.received),
        ("Suggestions with news from the team", &s.updated),
        ("Merged suggestions removed", &s.removed),
    ] {
        if !names.is_empty() {
            out.push(format!("{label}: {}", names.join(", ")));
        }
    }
    for left in s.skipped.iter().chain(&report.tags_not_sent) {
        out.push(format!("Left alone: {}: {}", left.name, left.why));
    }
    if report.retries > 0 {
        out.push(format!(
            "Someone pushed first {} time(s); their work was brought in before sending yours.",
            report.retries
        ));
    }
    if !report.uncommitted.is_empty() {
        out.push(format!(
            "Not shared (uncommitted changes, left as they are): {}",
            list(&report.uncommitted)
        ));
    }
    if report.status.ahead == 0 && report.status.behind == 0 {
        out.push(format!("In step with {}.", report.remote.display()));
    } else {
        out.push(format!(
            "{} commit(s) not sent, {} not received: sync again.",
            report.status.ahead, report.status.behind
        ));
    }
    out
}

/// What a read-only session learnt by fetching, and what to do next.
pub fn fetch_lines(report: &FetchReport) -> Vec<String> {
    let status = report.status.unwrap_or_default();
    let mut out = vec![format!(
        "Fetched only: the team has {} commit(s) not here yet; {} commit(s) here are not shared yet.",
        status.behind, status.ahead
    )];
    if !report.new_suggestions.is_empty() {
        out.push(format!(
            "New suggestions from the team: {}",
            report.new_suggestions.join(", ")
        ));
    }
    out.push("Sync from the other session to bring them in and send yours.".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::sync::{AheadBehind, SavedWork, SuggestionChanges};

    fn report() -> SyncReport {
        SyncReport {
            remote: PathBuf::from("/srv/v.git"),
            saved: None,
            settings: None,
            integrated: Vec::new(),
            pushed: Vec::new(),
            suggestions: SuggestionChanges::default(),
            tags_not_sent: Vec::new(),
            retries: 0,
            status: AheadBehind::default(),
            uncommitted: Vec::new(),
        }
    }

    #[test]
    fn a_quiet_sync_says_so() {
        assert_eq!(
            report_lines(&report()),
            [
                "Nothing new from the team.",
                "Nothing to send.",
                "In step with /srv/v.git."
            ]
        );
    }

    #[test]
    fn saved_received_and_sent_are_named() {
        let mut r = report();
        r.saved = Some(SavedWork {
            commit: "3f2a9c1d0e".into(),
            files: vec![PathBuf::from("codings/alice/interview-03.toml")],
        });
        r.integrated = vec![Integration::Merged {
            commit: "abcdef0123".into(),
            commits: 4,
        }];
        r.pushed = vec![
            "refs/heads/main".into(),
            "-refs/heads/suggest/bob/x".into(),
            "refs/tags/codebook-v2".into(),
        ];
        r.status = AheadBehind {
            ahead: 1,
            behind: 0,
        };
        assert_eq!(
            report_lines(&r),
            [
                "Saved your coding as commit 3f2a9c1: codings/alice/interview-03.toml",
                "Received 4 commit(s) from the team, joined with yours in merge commit abcdef0.",
                "Sent: main, suggest/bob/x (removed: merged), codebook-v2",
                "1 commit(s) not sent, 0 not received: sync again.",
            ]
        );
    }
}
