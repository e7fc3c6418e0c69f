//! `cbr demo`: the demo study's git history, read back with git2 and with
//! the `git` command, and validated by `cbr check`.

use crate::common;

use common::{Sandbox, assert_success, stderr, stdout};

#[test]
fn demo_history_reads_back_with_git2_and_git() {
    let sb = Sandbox::new();
    let dir = sb.demo();

    // cbr check finds nothing wrong.
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("no problems found"));

    // With git2: authors of the main line, the release tag, the open suggestion.
    let repo = git2::Repository::open(&dir).unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_ref("refs/heads/main").unwrap();
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .unwrap();
    let commits: Vec<git2::Commit> = walk
        .map(|o| repo.find_commit(o.unwrap()).unwrap())
        .collect();
    let authors: std::collections::BTreeSet<String> = commits
        .iter()
        .map(|c| c.author().name().unwrap().to_string())
        .collect();
    assert_eq!(
        authors.into_iter().collect::<Vec<_>>(),
        ["alice", "bob", "claire"]
    );
    assert!(
        commits[0]
            .summary()
            .unwrap()
            .unwrap()
            .starts_with("claire: first codebook")
    );
    let merges: Vec<_> = commits.iter().filter(|c| c.parent_count() == 2).collect();
    assert_eq!(merges.len(), 2, "two merged suggestions");
    assert_ne!(
        merges[0].author().name().unwrap(),
        merges[1].author().name().unwrap(),
        "codebook changes by different people"
    );
    for m in &merges {
        assert!(m.message().unwrap().contains("Approved-by: "));
    }
    let tag = repo
        .revparse_single("codebook-v1")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(
        tag.id(),
        merges[1].id(),
        "v1 is the codebook after both merges"
    );
    let branches: Vec<String> = repo
        .branches(Some(git2::BranchType::Local))
        .unwrap()
        .map(|b| b.unwrap().0.name().unwrap().unwrap().to_string())
        .collect();
    assert_eq!(
        branches,
        ["main", "suggest/bob/clarify-violence-from-public"]
    );

    // With the git command: the same history, as any git tool sees it.
    let log = sb.git(&dir, &["log", "--all", "--oneline"]);
    for needle in [
        "claire: first codebook",
        "Merge suggestion: Sharpen the definition",
        "Merge suggestion: Add the code",
        "alice: code interview-01, 16 segments (complete)",
        "bob: code focus-group-01",
        "alice: code interview-03, 3 segments (in progress)",
        "Clarify when not to use",
    ] {
        assert!(log.contains(needle), "missing `{needle}` in\n{log}");
    }
    assert_eq!(sb.git(&dir, &["tag"]).trim(), "codebook-v1");
    assert!(
        sb.git(&dir, &["status", "--porcelain"]).is_empty(),
        "clean working tree"
    );
    let show = sb.git(
        &dir,
        &[
            "show",
            "--stat",
            "suggest/bob/clarify-violence-from-public~0",
        ],
    );
    assert!(
        show.contains("codebook/codes/violence-from-public.toml"),
        "{show}"
    );
}

#[test]
fn demo_codings_record_hash_and_codebook_version() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let coding = std::fs::read_to_string(dir.join("codings/bob/interview-02.toml")).unwrap();
    assert!(coding.contains("transcript_hash = \"sha256:"));
    let v1_codebook = sb.git(&dir, &["rev-parse", "codebook-v1:codebook"]);
    assert!(coding.contains(&format!("codebook = \"{}\"", v1_codebook.trim())));
}

#[test]
fn demo_refuses_a_non_empty_folder() {
    let sb = Sandbox::new();
    std::fs::write(sb.path().join("keep.txt"), "precious").unwrap();
    let out = sb.cbr(
        sb.path(),
        "alice",
        &["demo", sb.path().to_str().unwrap(), "--no-tui"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(sb.path().join("keep.txt")).unwrap(),
        "precious"
    );
}
