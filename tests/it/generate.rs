//! `cbr generate` at a tiny size: the same seed gives the same files and
//! the same commit ids, and the study it writes passes `cbr check`.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Sandbox, assert_success, stderr, stdout};

const TINY: &[&str] = &[
    "--transcripts",
    "5",
    "--lines",
    "50",
    "--codes",
    "20",
    "--coders",
    "3",
    "--per-coder",
    "3",
    "--history",
    "50",
];

fn generate(sb: &Sandbox, name: &str, seed: &str) -> PathBuf {
    generate_with(sb, name, seed, &[])
}

fn generate_with(sb: &Sandbox, name: &str, seed: &str, extra: &[&str]) -> PathBuf {
    let dir = sb.path().join(name);
    let mut args = vec!["generate", dir.to_str().unwrap(), "--seed", seed];
    args.extend_from_slice(TINY);
    args.extend_from_slice(extra);
    let out = sb.cbr(sb.path(), "amina", &args);
    assert_success(&out);
    assert!(stderr(&out).contains("done"), "progress goes to stderr");
    dir
}

/// Every file of the working tree (not .git), by relative path.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().unwrap() == ".git" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_seed_same_study_and_commit_ids() {
    let sb = Sandbox::new();
    let a = generate(&sb, "a", "7");
    let b = generate(&sb, "b", "7");
    let c = generate(&sb, "c", "8");
    let head = |dir: &Path| sb.git(dir, &["rev-parse", "HEAD"]);
    assert_eq!(head(&a), head(&b));
    assert_ne!(head(&a), head(&c), "another seed gives another study");
    let d = generate_with(&sb, "d", "7", &["--scale", "3"]);
    assert_eq!(
        head(&a),
        head(&d),
        "--scale sets only the sizes not given: these all are"
    );
    let refs = |dir: &Path| sb.git(dir, &["show-ref"]);
    assert_eq!(
        refs(&a),
        refs(&b),
        "same branches and tags at the same commits"
    );
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    assert!(fa == fb, "same file contents");
    assert_eq!(
        sb.git(&a, &["status", "--porcelain"]),
        "",
        "work tree checked out"
    );
}

#[test]
fn the_study_is_complete_and_check_is_clean() {
    let sb = Sandbox::new();
    let dir = generate(&sb, "s", "1");
    let out = sb.cbr(&dir, "amina", &["check"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("no problems found"));

    let count = |sub: &str, ext: &str| {
        std::fs::read_dir(dir.join(sub))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == ext)
            })
            .count()
    };
    assert_eq!(count("transcripts", "txt"), 5);
    assert_eq!(count("transcripts", "toml"), 5);
    assert_eq!(count("codebook/codes", "toml"), 20);
    for coder in ["amina", "bastien", "chloe"] {
        assert_eq!(count(&format!("codings/{coder}"), "toml"), 3, "{coder}");
    }

    // Every segment names the codebook tree it was coded under.
    let coding = std::fs::read_dir(dir.join("codings/amina"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(coding).unwrap();
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("codebook = \""))
        .expect("segments carry a codebook version")
        .trim_end_matches('"');
    assert_eq!(sb.git(&dir, &["cat-file", "-t", version]).trim(), "tree");

    let merges = sb.git(&dir, &["log", "--merges", "--oneline"]);
    assert!(merges.lines().count() >= 5, "{merges}");
    assert!(merges.contains("Merge suggestion: "));
    let tags = sb.git(&dir, &["tag", "--list", "codebook-v*"]);
    assert!(tags.lines().any(|t| t == "codebook-v1"), "{tags}");
    let open = sb.git(&dir, &["branch", "--list", "suggest/*"]);
    assert_eq!(open.lines().count(), 1, "one suggestion left open: {open}");
}
