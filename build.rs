//! Records which commit `cbr` is built from, for `cbr --version`: the git
//! commit (with `-dirty` when the tree has changes) in a checkout, or the
//! commit written into `BUILD_COMMIT` by `scripts/bundle.sh` in an offline
//! bundle, which has no `.git`.

use std::path::Path;
use std::process::Command;

fn main() {
    let commit = from_git()
        .or_else(from_bundle)
        .unwrap_or_else(|| "commit unknown".into());
    println!("cargo:rustc-env=CBR_BUILD_COMMIT={commit}");

    // Once a build script names what it watches, Cargo watches nothing
    // else, so name the sources (dirty or not) and git's own state.
    for path in [
        "build.rs",
        "Cargo.toml",
        "Cargo.lock",
        "src",
        "BUILD_COMMIT",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        for file in ["HEAD", "index"] {
            println!(
                "cargo:rerun-if-changed={}",
                Path::new(&git_dir).join(file).display()
            );
        }
        if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"])
            && let Some(common) = git(&["rev-parse", "--git-common-dir"])
        {
            let path = Path::new(&common).join(reference);
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn from_git() -> Option<String> {
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Tracked files only: an untracked scratch file does not change the build.
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{commit}-dirty")
    } else {
        commit
    })
}

fn from_bundle() -> Option<String> {
    let text = std::fs::read_to_string("BUILD_COMMIT").ok()?;
    let commit = text.trim();
    (!commit.is_empty()
        && commit
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then(|| commit.to_string())
}

/// A git command's trimmed output, or None when git or the repository is missing.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
