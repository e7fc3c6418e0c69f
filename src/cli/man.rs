//! `cbr man`: manual pages generated from the same clap definitions as
//! `--help`, so the manual never says something the binary does not do.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;
use clap_mangen::Man;

/// Prints `cbr(1)`, or with `dir` writes `cbr.1` and one `cbr-<command>.1`
/// per command (subcommands too: `cbr-suggest-new.1`) into it.
pub fn man(dir: Option<&Path>) -> anyhow::Result<ExitCode> {
    let mut cmd = super::Cli::command();
    cmd.build();
    match dir {
        None => Man::new(cmd).render(&mut std::io::stdout().lock())?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let written = write_pages(&cmd, dir)?;
            eprintln!("wrote {written} manual pages to {}", dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// After `build()`, clap names each subcommand `cbr-suggest-new` (display
/// name) and `cbr suggest new` (usage), which is what a manual page wants.
fn write_pages(cmd: &clap::Command, dir: &Path) -> anyhow::Result<usize> {
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name());
    let page = dir.join(format!("{name}.1"));
    let mut buf = Vec::new();
    Man::new(cmd.clone()).render(&mut buf)?;
    std::fs::write(&page, buf).with_context(|| format!("cannot write {}", page.display()))?;
    let mut written = 1;
    // `help` is clap's own; its page would only repeat this one.
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        written += write_pages(sub, dir)?;
    }
    Ok(written)
}
