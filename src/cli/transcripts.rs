//! Commands that change transcript text and carry the codings along:
//! `cbr reanchor`, `cbr transcript replace|edit`, `cbr pseudonymise` and
//! `cbr check --pseudonyms`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::model::text::inert;
use crate::study::correct;
use crate::study::pseudonymise;
use crate::study::reanchor::{self, Report};
use crate::study::{Study, StudyError};

use super::{Format, print_json, repo_and_author, slugs};

#[derive(Debug, Subcommand)]
pub enum TranscriptCmd {
    /// Replace a transcript's text with a corrected version; every coding moves with the text (one commit).
    Replace {
        id: String,
        /// The corrected text (UTF-8).
        file: PathBuf,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Correct a transcript in $EDITOR; every coding moves with the text (one commit).
    Edit {
        id: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, clap::Args)]
pub struct PseudonymiseArgs {
    /// original,pseudonym per line (CSV), or "Original" = "Pseudonym" (TOML); keep it outside the study.
    #[arg(long, value_name = "FILE")]
    pub map: PathBuf,
    /// Show every replacement in context and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

fn print_reports(reports: &[Report], format: Format) -> anyhow::Result<()> {
    if format == Format::Json {
        return print_json(&reports);
    }
    for r in reports {
        let commit = r.commit.as_deref().map_or("no commit".into(), |c| {
            format!("commit {}", &c[..c.len().min(7)])
        });
        out!("{}: {}", r.transcript, r.tally.summary());
        if r.replaced > 0 {
            out!(", {} replacement(s)", r.replaced);
        }
        if r.citations > 0 {
            out!(", {} citation(s) moved", r.citations);
        }
        outln!(" ({commit})");
        for (coder, item) in &r.recheck {
            outln!("  needs re-check: {coder} {item}");
        }
        for (coder, why) in &r.skipped {
            outln!("  not moved: {coder}: {why}");
        }
    }
    if reports.iter().any(|r| !r.recheck.is_empty()) {
        outln!("Each coder sees their items with `cbr recheck list`.");
    }
    Ok(())
}

pub fn reanchor_cmd(
    study: &Study,
    coder: Option<&str>,
    ids: &[String],
    format: Format,
) -> anyhow::Result<ExitCode> {
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    let reports = correct::reanchor(study, repo, &author, &slugs(ids)?)?;
    if reports.is_empty() && format == Format::Table {
        outln!("Every coding already points at its transcript's current text; nothing to do.");
    }
    print_reports(&reports, format)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads a replacement file given on the command line (outside or inside the study).
fn read_input(file: &Path) -> anyhow::Result<Vec<u8>> {
    let meta = std::fs::metadata(file).map_err(|e| StudyError::io(file, e))?;
    if !meta.is_file() {
        anyhow::bail!(
            "{}: not a regular file; give the corrected text file",
            file.display()
        );
    }
    Ok(std::fs::read(file).map_err(|e| StudyError::io(file, e))?)
}

pub fn transcript(
    study: &Study,
    coder: Option<&str>,
    cmd: TranscriptCmd,
) -> anyhow::Result<ExitCode> {
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    let (id, bytes, source, format) = match cmd {
        TranscriptCmd::Replace { id, file, format } => {
            let id = slugs(&[id])?.remove(0);
            if !study.has_transcript(id.as_str()) {
                return Err(StudyError::UnknownTranscript(id.to_string()).into());
            }
            (id, read_input(&file)?, file, format)
        }
        TranscriptCmd::Edit { id, format } => {
            let id = slugs(&[id])?.remove(0);
            let current = reanchor::current_bytes(study, &id)?;
            let edited = edit_in_editor(&id, &current)?;
            (
                id.clone(),
                edited,
                PathBuf::from(format!("(edited {id})")),
                format,
            )
        }
    };
    match correct::replace(study, repo, &author, &id, &source, &bytes)? {
        Some(report) => print_reports(&[report], format)?,
        None => outln!(
            "{id}: the text is unchanged; nothing to do (after editing transcripts/{id}.txt itself, run `cbr reanchor {id}`)."
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs $EDITOR on a private copy of the text (outside the study, mode
/// 0600 in a 0700 folder) and returns what was saved.
fn edit_in_editor(id: &crate::model::Slug, text: &[u8]) -> anyhow::Result<Vec<u8>> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = std::env::temp_dir().join(format!("cbr-edit-{}-{id}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&dir)
        .map_err(|e| StudyError::io(&dir, e))?;
    let path = dir.join(format!("{id}.txt"));
    let result = (|| {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| StudyError::io(&path, e))?;
        file.write_all(text).map_err(|e| StudyError::io(&path, e))?;
        drop(file);
        let editor = std::env::var("EDITOR")
            .ok()
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| "vi".into());
        // Through the shell, so EDITOR may carry arguments ("code --wait").
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&path)
            .status()
            .map_err(|e| anyhow::anyhow!("could not start the editor `{editor}`: {e}"))?;
        if !status.success() {
            anyhow::bail!("the editor `{editor}` exited with {status}; nothing was changed");
        }
        Ok(std::fs::read(&path).map_err(|e| StudyError::io(&path, e))?)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

pub fn pseudonymise(
    study: &Study,
    coder: Option<&str>,
    args: PseudonymiseArgs,
) -> anyhow::Result<ExitCode> {
    let mapping = pseudonymise::load_mapping(study, &args.map)?;
    if args.dry_run {
        let hits = pseudonymise::preview(study, &mapping)?;
        if args.format == Format::Json {
            print_json(&hits)?;
            return Ok(ExitCode::SUCCESS);
        }
        for h in &hits {
            outln!("{}:{}: {}", h.path.display(), h.place, inert(&h.context));
        }
        outln!(
            "{} replacement(s) would be made (dry run: nothing was changed). Other files may still name people: `cbr check --pseudonyms FILE` after the pass.",
            hits.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (opened, author) = repo_and_author(study, coder)?;
    let repo = opened.git()?;
    let pass = pseudonymise::run(&study.root, repo, &author, &mapping)?;
    if args.format == Format::Json {
        print_json(&pass)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_reports(&pass.reports, args.format)?;
    if pass.examples > 0 || pass.recheck_items > 0 {
        outln!(
            "codebook examples: {} replacement(s); re-check items: {} (one commit)",
            pass.examples,
            pass.recheck_items
        );
    }
    if pass.reports.is_empty() && pass.examples == 0 && pass.recheck_items == 0 {
        outln!(
            "No original of the mapping occurs in transcripts, memos or examples; nothing was changed."
        );
    }
    outln!(
        "Next: `cbr check --pseudonyms {}` for anything left elsewhere.",
        args.map.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Why the history still matters, said after every `check --pseudonyms`.
const HISTORY_NOTE: &str = "Git history still holds the original text: every earlier commit, and every clone of the shared repository, keeps it. cbr does not rewrite history. To remove it, the team either starts a fresh study from the pseudonymised state (a new `cbr init`, then `cbr import` of the current transcripts and `cbr codings import` of `cbr codings export`), retiring the old repository and its clones; or rewrites history with a tool such as git-filter-repo (`git filter-repo --replace-text FILE`), after which every member must re-clone. See docs/transcript-changes.md.";

pub fn check_pseudonyms(study: &Study, file: &Path, format: Format) -> anyhow::Result<ExitCode> {
    let mapping = pseudonymise::load_mapping(study, file)?;
    let (left, unread) = pseudonymise::leftovers(study, &mapping)?;
    if format == Format::Json {
        print_json(&serde_json::json!({
            "leftovers": left,
            "unread": unread,
            "history_note": HISTORY_NOTE,
        }))?;
    } else {
        for l in &left {
            outln!(
                "{}:{}:{}: the original `{}` is still here",
                l.path.display(),
                l.line,
                l.column,
                inert(&l.original)
            );
        }
        for p in &unread {
            outln!(
                "{}: not searched (not a plain UTF-8 file); look at it yourself",
                p.display()
            );
        }
        if left.is_empty() {
            errln!("No original of the mapping is left in the study's current files.");
        } else {
            errln!(
                "{} original(s) left; replace them by hand or add them to the mapping and run `cbr pseudonymise` again.",
                left.len()
            );
        }
        errln!("{HISTORY_NOTE}");
    }
    Ok(if left.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
