//! `cbr completions SHELL` and the answers behind it.
//!
//! The script a shell loads is tiny: on Tab it runs `COMPLETE=<shell> cbr --
//! <words>`, and cbr answers from the same clap definitions as `--help`, so
//! completion cannot drift from the commands. Because cbr answers itself, it
//! can offer what only the study knows: code ids, coders, suggestions.

use std::ffi::OsStr;
use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, ValueEnum};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, CompleteEnv, EnvCompleter, Fish, Zsh};

use crate::study::completion::{self, Candidate};

/// The environment variable the shell scripts set when they ask for completions.
const VAR: &str = "COMPLETE";

/// Shells cbr writes completion scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// Answers a shell's completion request and exits, when this run is one.
/// Must run before anything is printed.
pub fn answer_if_asked() {
    CompleteEnv::with_factory(super::Cli::command)
        .var(VAR)
        .complete();
}

/// Prints the script that registers cbr's completions with `shell`.
pub fn print_script(shell: Shell) -> anyhow::Result<ExitCode> {
    let shell: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    let mut out = std::io::stdout().lock();
    shell.write_registration(VAR, "cbr", "cbr", "cbr", &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Completes a code id (or a former id) from the study around the current folder.
pub fn code_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| offer(completion::codes, current))
}

/// Completes a coder id; in a comma-separated list (`--coders a,b`) clap
/// hands over only the part after the last comma.
pub fn coder_ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| offer(completion::coders, current))
}

/// Completes a suggestion's short name (`author/slug`).
pub fn suggestions() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| offer(completion::suggestions, current))
}

fn offer(
    source: fn(&std::path::Path) -> Vec<Candidate>,
    current: &OsStr,
) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    here(source)
        .into_iter()
        .filter(|c| c.value.starts_with(current))
        .map(candidate)
        .collect()
}

fn here(source: fn(&std::path::Path) -> Vec<Candidate>) -> Vec<Candidate> {
    std::env::current_dir()
        .map(|dir| source(&dir))
        .unwrap_or_default()
}

fn candidate(c: Candidate) -> CompletionCandidate {
    let out = CompletionCandidate::new(c.value);
    match c.help {
        Some(help) => out.help(Some(help.into())),
        None => out,
    }
}
