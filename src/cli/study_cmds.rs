//! Commands about the study as a whole: init, import, check, demo, summary.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::study::context::Repo;
use crate::study::{self, Study, check, git};

use super::{Format, print_json};

pub(crate) fn author(
    study_root: Option<&std::path::Path>,
    coder: Option<&str>,
) -> anyhow::Result<git::Author> {
    let repo = match study_root {
        Some(root) => Repo::open(root),
        None => Repo::none(),
    };
    Ok(repo.author(coder)?)
}

pub fn init(dir: Option<PathBuf>, title: &str, coder: Option<&str>) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(dir) => dir,
        None => std::env::current_dir()?,
    };
    let author = author(Some(&dir), coder)?;
    study::init::init(&dir, title, &author)?;
    outln!("Created study \"{title}\" in {}", dir.display());
    outln!("Next: `cbr import FILE...` to add transcripts.");
    Ok(ExitCode::SUCCESS)
}

pub fn import(study: &Study, files: &[PathBuf], coder: Option<&str>) -> anyhow::Result<ExitCode> {
    let author = author(Some(&study.root), coder)?;
    let imported = study::import::import(study, files, &author)?;
    for (done, file) in imported.iter().zip(files) {
        outln!("{} → transcripts/{}.txt", file.display(), done.id);
        for note in &done.notes {
            errln!("warning: {}: {note}", file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(study: &Study, format: Format) -> anyhow::Result<ExitCode> {
    // The files, then the working copy itself (half-finished git
    // operations, interrupted saves).
    let mut problems = check::check(study);
    problems.extend(study::health::warnings(&study.root));
    problems.sort();
    match format {
        Format::Json => print_json(&problems)?,
        Format::Table => {
            for p in &problems {
                outln!("{p}");
            }
            if problems.is_empty() {
                errln!("{}: no problems found", study.root.display());
            } else {
                errln!("{} problem(s) found", problems.len());
            }
        }
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        super::exit::code(super::exit::ATTENTION)
    })
}

/// Whether both stdin and stdout are a terminal (the TUI needs both).
pub(crate) fn on_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// Opens the terminal UI, or prints a summary when not on a terminal.
pub fn open_tui(study: Study, coder: Option<&str>) -> anyhow::Result<ExitCode> {
    if !on_terminal() {
        summary(&study)?;
        return Ok(ExitCode::SUCCESS);
    }
    let author = author(Some(&study.root), coder)?;
    let root = study.root.clone();
    crate::tui::run(study, author.clone())?;
    leftovers(&root, &author);
    Ok(ExitCode::SUCCESS)
}

/// After the terminal UI quits (its own work committed), commits coding
/// an earlier, killed session of this coder left uncommitted, and says so.
fn leftovers(root: &std::path::Path, author: &crate::study::git::Author) {
    use crate::study::session_lock::{self, SessionLock};
    let Ok(SessionLock::Writer(guard)) = session_lock::open_session(root, &author.coder) else {
        return;
    };
    match study::session::commit_leftovers(root, author, &guard) {
        Ok(Some(saved)) => {
            let files: Vec<String> = saved
                .files
                .iter()
                .map(|f| crate::model::text::inert(&f.to_string_lossy()).into_owned())
                .collect();
            errln!(
                "Committed coding an earlier session left uncommitted (commit {}): {}",
                &saved.commit[..7.min(saved.commit.len())],
                files.join(", ")
            );
        }
        Ok(None) => {}
        Err(e) => errln!("cbr: could not commit coding left by an earlier session: {e}"),
    }
}

pub fn demo(dir: Option<PathBuf>, no_tui: bool, coder: Option<&str>) -> anyhow::Result<ExitCode> {
    let dir = match dir {
        Some(dir) => dir,
        None => {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or(0);
            std::env::temp_dir().join(format!("cbr-demo-{}-{stamp}", std::process::id()))
        }
    };
    let demo = study::demo::build(&dir)?;
    if no_tui {
        outln!("{}", demo.root.display());
        return Ok(ExitCode::SUCCESS);
    }
    let study = Study::open(&demo.root)?;
    errln!("Demo study built in {}", demo.root.display());
    // In the demo you are alice unless you say otherwise, so there is work to see.
    let code = open_tui(study, Some(coder.unwrap_or("alice")))?;
    // Each `cbr demo` makes a new folder: say where it stays and how it goes.
    errln!(
        "The demo study stays in {} (open it again with `cbr -C {0}`; remove it with `rm -rf {0}`).",
        demo.root.display()
    );
    Ok(code)
}

/// `cbr generate`: progress on stderr, a summary on stdout.
pub fn generate(
    dir: &std::path::Path,
    opts: &study::generate::Options,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let report = study::generate::generate(dir, opts, &mut |news| {
        errln!("[{:>5.1}s] {news}", started.elapsed().as_secs_f64());
    })?;
    outln!("{}", dir.display());
    outln!(
        "  {} transcripts ({} lines), {} codes, {} codings with {} segments",
        report.transcripts,
        report.lines,
        report.codes,
        report.codings,
        report.segments
    );
    outln!(
        "  {} codebook commits, {} merged suggestions, {} releases, {} open suggestion(s)",
        report.codebook_commits,
        report.merged_suggestions,
        report.releases,
        report.open_suggestions.len()
    );
    outln!("  main at {}", report.head);
    errln!("[{:>5.1}s] done", started.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// What is in a study, in a few lines.
pub fn summary(study: &Study) -> anyhow::Result<()> {
    outln!("{}", study.config.title);
    outln!("  folder:       {}", study.root.display());
    outln!("  codes:        {}", study.codebook.codes.len());
    outln!("  transcripts:  {}", study.transcripts.len());
    for coder in &study.coders {
        let mut complete = 0;
        let mut started = 0;
        for t in study.coded_by(coder)? {
            match study.coding(coder, &t) {
                Ok(Some(c)) if c.complete => complete += 1,
                Ok(Some(_)) => started += 1,
                _ => {}
            }
        }
        outln!("  coder {coder:<8} {complete} complete, {started} in progress");
    }
    let repo = Repo::open(&study.root);
    if repo.is_git() {
        let open = repo.suggestion_branches()?;
        outln!("  suggestions:  {} open {}", open.len(), open.join(", "));
    }
    if !study.problems.is_empty() {
        outln!("  problems:     {} (run `cbr check`)", study.problems.len());
    }
    Ok(())
}
