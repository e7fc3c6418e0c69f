//! A shared repository on another machine, reached through the system
//! `git` (the way lazygit does it): the user's SSH keys, agent,
//! `~/.ssh/config`, `known_hosts` and git credential helpers all work as
//! they do for `git pull`, and cbr carries no network code of its own.
//! Everything local (merging, committing, branches) stays with git2.
//!
//! git never asks anything here: `GIT_TERMINAL_PROMPT=0`, stdin closed and,
//! unless the user chose their own ssh command, `ssh -o BatchMode=yes`, so
//! a missing key or an unknown host fails at once with a message instead
//! of waiting for a password the terminal UI cannot show. Failures are
//! worded (authentication, host key, unreachable host, no repository) and
//! happen before anything in the working copy changes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use git2::{Oid, Repository};

use super::error::{Result, StudyError};
use super::remote::{FETCH_SPEC, ORIGIN, PushOutcome, RefUpdate};

/// `git` with prompts off, run in `dir` (a working copy, or where to clone).
pub fn git(dir: &Path, repo: Option<&Repository>) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    let own_ssh = std::env::var_os("GIT_SSH_COMMAND").is_some()
        || std::env::var_os("GIT_SSH").is_some()
        || configured_ssh(repo);
    if !own_ssh {
        cmd.env(
            "GIT_SSH_COMMAND",
            "ssh -o BatchMode=yes -o ConnectTimeout=20",
        );
    }
    cmd
}

/// The user set `core.sshCommand` (globally or in this working copy).
fn configured_ssh(repo: Option<&Repository>) -> bool {
    let config = match repo {
        Some(repo) => repo.config(),
        None => git2::Config::open_default(),
    };
    config.is_ok_and(|c| c.get_string("core.sshCommand").is_ok())
}

/// Runs `cmd`; a failure becomes a worded error about `url`.
fn run(mut cmd: Command, url: &str) -> Result<Output> {
    let out = cmd.output().map_err(|e| {
        StudyError::Refused(format!(
            "cannot run `git` ({e}): cbr uses the system git to reach `{url}`; install git, or share through a folder on this server"
        ))
    })?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(explain(url, &String::from_utf8_lossy(&out.stderr)))
    }
}

/// What git's (and ssh's) error output means, in words.
pub fn explain(url: &str, stderr: &str) -> StudyError {
    let has = |needle: &str| stderr.contains(needle);
    // The first line is ssh's or git's own reason; later ones are advice.
    let detail = stderr.trim().lines().next().unwrap_or("").trim();
    let detail = crate::model::text::inert(detail);
    let message = if has("Host key verification failed") || has("REMOTE HOST IDENTIFICATION") {
        format!(
            "`{url}`: ssh does not know this server's host key (or it changed). Connect once with plain \
             `ssh` to the host, check the fingerprint with whoever runs the server, accept it, then try again"
        )
    } else if has("Permission denied (")
        || has("Authentication failed")
        || has("could not read Username")
        || has("could not read Password")
        || has("terminal prompts disabled")
    {
        format!(
            "`{url}`: the server refused your login. Check that your SSH key is loaded (`ssh-add -l`) and \
             registered with the server, or for https that a git credential helper holds your token; \
             `git ls-remote {url}` shows the same"
        )
    } else if has("Could not resolve hostname")
        || has("Could not resolve host")
        || has("Connection refused")
        || has("Connection timed out")
        || has("No route to host")
        || has("Network is unreachable")
        || has("Failed to connect")
    {
        format!(
            "`{url}`: cannot reach the server ({detail}); check the address and your network, then try again"
        )
    } else if has("does not appear to be a git repository")
        || has("Repository not found")
        || has("not found")
    {
        format!(
            "`{url}`: no repository there, or you may not read it ({detail}); check the URL with whoever set up the study"
        )
    } else {
        format!("`{url}`: git failed: {detail}")
    };
    StudyError::Refused(format!("{message}. Nothing here was changed."))
}

fn workdir(repo: &Repository) -> &Path {
    repo.workdir().unwrap_or(repo.path())
}

/// `git fetch`: every branch as `origin/*` (pruning deleted ones) and tags.
pub fn fetch(repo: &Repository, url: &str) -> Result<()> {
    let mut cmd = git(workdir(repo), Some(repo));
    cmd.args(["fetch", "--quiet", "--prune", "--tags", ORIGIN, FETCH_SPEC]);
    run(cmd, url).map(drop)
}

/// `git ls-remote`: every reference of the shared repository.
pub fn list_refs(repo: &Repository, url: &str) -> Result<BTreeMap<String, Oid>> {
    let mut cmd = git(workdir(repo), Some(repo));
    cmd.args(["ls-remote", ORIGIN]);
    parse_ls_remote(&String::from_utf8_lossy(&run(cmd, url)?.stdout))
}

fn parse_ls_remote(text: &str) -> Result<BTreeMap<String, Oid>> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some((oid, name)) = line.split_once('\t') else {
            continue;
        };
        if name.ends_with("^{}") || name == "HEAD" {
            continue;
        }
        out.insert(name.to_string(), Oid::from_str(oid)?);
    }
    Ok(out)
}

/// `git push` of each update as a compare-and-swap (`--force-with-lease`
/// with the value this sync saw): an update refused because the shared
/// repository moved is reported as moved, not as an error.
pub fn push(repo: &Repository, url: &str, updates: &[RefUpdate]) -> Result<PushOutcome> {
    let mut cmd = git(workdir(repo), Some(repo));
    cmd.args(["push", "--porcelain", ORIGIN]);
    for u in updates {
        let expected = u.expected.map(|o| o.to_string()).unwrap_or_default();
        cmd.arg(format!("--force-with-lease={}:{expected}", u.name));
    }
    for u in updates {
        match u.new {
            Some(new) => cmd.arg(format!("{new}:{}", u.name)),
            None => cmd.arg(format!(":{}", u.name)),
        };
    }
    let out = cmd
        .output()
        .map_err(|e| StudyError::Refused(format!("cannot run `git` ({e}) to reach `{url}`")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let outcome = parse_porcelain(&stdout, updates);
    let answered = outcome.applied.len() + outcome.moved.len();
    if out.status.success() || answered == updates.len() {
        return Ok(outcome);
    }
    // Refused for another reason (a hook, a protected branch) or no
    // connection at all: say what git said.
    let mut said = String::from_utf8_lossy(&out.stderr).into_owned();
    said.push_str(&stdout);
    Err(explain(url, &said))
}

/// Reads `git push --porcelain`: `<flag>\t<from>:<to>\t<summary>` per ref.
fn parse_porcelain(text: &str, updates: &[RefUpdate]) -> PushOutcome {
    let mut outcome = PushOutcome::default();
    for line in text.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(flag), Some(refs), summary) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some((_, to)) = refs.split_once(':') else {
            continue;
        };
        if !updates.iter().any(|u| u.name == to) {
            continue;
        }
        let summary = summary.unwrap_or("");
        match flag {
            " " | "+" | "-" | "*" | "=" => outcome.applied.push(to.to_string()),
            "!" if summary.contains("stale info")
                || summary.contains("fetch first")
                || summary.contains("non-fast-forward")
                || summary.contains("already exists") =>
            {
                outcome.moved.push(to.to_string())
            }
            _ => {}
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_tells_applied_from_moved() {
        let updates: Vec<RefUpdate> = ["refs/heads/main", "refs/heads/suggest/a/x", "refs/tags/v1"]
            .iter()
            .map(|n| RefUpdate {
                name: n.to_string(),
                expected: None,
                new: None,
            })
            .collect();
        let text = "To ssh://h/v.git\n\
                    \t1111111:refs/heads/main\t1111111..2222222\n\
                    !\t3333333:refs/heads/suggest/a/x\t[rejected] (stale info)\n\
                    !\trefs/tags/v1:refs/tags/v1\t[remote rejected] (hook declined)\n\
                    Done\n";
        let out = parse_porcelain(&text.replace("\t1111111:", " \t1111111:"), &updates);
        assert_eq!(out.applied, vec!["refs/heads/main"]);
        assert_eq!(out.moved, vec!["refs/heads/suggest/a/x"]);
    }

    #[test]
    fn errors_are_worded() {
        let e = |s: &str| explain("ssh://h/v.git", s).to_string();
        assert!(e("Host key verification failed.\nfatal: Could not read").contains("host key"));
        assert!(e("git@h: Permission denied (publickey).\n").contains("refused your login"));
        assert!(e("ssh: connect to host h port 22: Connection refused\n").contains("cannot reach"));
        assert!(e("fatal: 'x' does not appear to be a git repository\n").contains("no repository"));
        assert!(e("anything").contains("Nothing here was changed"));
    }

    #[test]
    fn ls_remote_skips_peeled_tags_and_head() {
        let oid = "0123456789012345678901234567890123456789";
        let text = format!("{oid}\tHEAD\n{oid}\trefs/heads/main\n{oid}\trefs/tags/v1^{{}}\n");
        let refs = parse_ls_remote(&text).unwrap();
        assert_eq!(refs.keys().collect::<Vec<_>>(), vec!["refs/heads/main"]);
    }
}
