//! Three coders, one shared repository: coding, syncing in interleaved
//! orders, a suggestion made in one copy, reviewed and merged in another,
//! reaching the third; pushes that lose a race are integrated and retried.

use crate::common;
use crate::team_support;

use std::path::PathBuf;

use codebook_review::model::Code;
use codebook_review::model::proposal::Proposal;
use codebook_review::study::Study;
use codebook_review::study::code_file_merge::FieldMerge;
use codebook_review::study::git;
use codebook_review::study::remote::{self, RefUpdate};
use codebook_review::study::suggest::{self, Verdict};
use codebook_review::study::sync::{Integration, Step, SyncOptions};
use common::{assert_success, stderr, stdout};
use team_support::*;

#[test]
fn three_coders_sync_in_any_order_and_end_with_everything() {
    let team = Team::new(|_| {});
    let (alice, bob, carol) = (team.dir("alice"), team.dir("bob"), team.dir("carol"));
    assert_eq!(
        team.sb.git(&bob, &["log", "-1", "--format=%s"]).trim(),
        "alice: first codebook"
    );

    // Everyone codes interview-01; carol leaves hers uncommitted.
    code(&alice, "alice", "interview-01", &[("threat", 1, 2)], true);
    code(&bob, "bob", "interview-01", &[("insult", 3, 3)], false);
    write_coding(&carol, "carol", "interview-01", &[("support", 5, 6)], false);

    let r = team.sync("bob");
    assert_eq!(r.received(), 0);
    assert_eq!(r.pushed, vec!["refs/heads/main"]);
    let r = team.sync("alice");
    assert!(
        matches!(
            r.integrated.as_slice(),
            [Integration::Merged { commits: 1, .. }]
        ),
        "{r:?}"
    );
    let r = team.sync("carol");
    let saved = r
        .saved
        .expect("carol's uncommitted coding is committed first");
    assert_eq!(
        saved.files,
        vec![PathBuf::from("codings/carol/interview-01.toml")]
    );
    assert_eq!(
        team.sb
            .git(&carol, &["log", "-1", "--format=%an|%s", &saved.commit])
            .trim(),
        "carol|carol: code interview-01, 1 segment"
    );
    assert_eq!(r.status.ahead + r.status.behind, 0);

    // alice suggests a clearer definition; bob approves; carol merges.
    let study = Study::open(&alice).unwrap();
    let mut threat = study.codebook.get("threat").unwrap().clone();
    threat.definition = "Words or gestures announcing harm to the worker.".into();
    let repo = git2::Repository::open(&alice).unwrap();
    let branch = suggest::propose(
        &repo,
        &author("alice"),
        &Proposal::Edit(Box::new(threat)),
        Some("Sharpen threat"),
        "We kept coding mere rudeness as threat.",
        Some(&slug("sharpen-threat")),
    )
    .unwrap();
    // Meanwhile bob codes interview-02 and syncs through the binary.
    code(&bob, "bob", "interview-02", &[("threat", 2, 4)], true);
    let out = team.cbr_sync("bob");
    assert_success(&out);
    assert!(stdout(&out).contains("Sent: main"), "{}", stdout(&out));

    let r = team.sync("alice");
    // carol's coding and merge, bob's coding and merge; alice had nothing new on main.
    assert_eq!(r.integrated, vec![Integration::FastForward { commits: 4 }]);
    assert!(r.pushed.contains(&format!("refs/heads/{branch}")), "{r:?}");
    assert!(team.remote_ref(&format!("refs/heads/{branch}")).is_some());

    let r = team.sync("bob");
    assert_eq!(r.suggestions.received, vec![branch.clone()]);
    let bob_repo = git2::Repository::open(&bob).unwrap();
    suggest::review(
        &bob_repo,
        &branch,
        &author("bob"),
        Verdict::Approve,
        "Clearer.",
    )
    .unwrap();
    let r = team.sync("bob");
    assert_eq!(r.pushed, vec![format!("refs/heads/{branch}")]);

    let r = team.sync("carol");
    assert_eq!(r.suggestions.received, vec![branch.clone()]);
    let carol_repo = git2::Repository::open(&carol).unwrap();
    assert_eq!(
        suggest::approvals(&carol_repo, &branch).unwrap(),
        vec!["bob"]
    );
    // The merge moves `main` and, `main` being checked out, the codebook files on disk.
    suggest::merge(&carol_repo, &branch, &author("carol"), 1, &[]).unwrap();
    // carol also releases the codebook.
    git::tag_release(
        &carol_repo,
        "refs/heads/main",
        "codebook-v1",
        &author("carol"),
        "First release",
    )
    .unwrap();
    let r = team.sync("carol");
    assert!(r.pushed.contains(&"refs/heads/main".to_string()), "{r:?}");
    assert!(
        r.pushed.contains(&format!("-refs/heads/{branch}")),
        "the merged suggestion is removed from the shared repository: {r:?}"
    );
    assert!(r.pushed.contains(&"refs/tags/codebook-v1".to_string()));
    assert_eq!(team.remote_ref(&format!("refs/heads/{branch}")), None);

    // alice codes interview-02 before hearing of the merge.
    code(&alice, "alice", "interview-02", &[("insult", 7, 8)], true);
    let r = team.sync("alice");
    assert_eq!(r.suggestions.removed, vec![branch.clone()]);
    let r = team.sync("bob");
    assert_eq!(r.suggestions.removed, vec![branch.clone()]);
    // Two more rounds bring everyone in step.
    for coder in ["carol", "alice", "bob", "carol"] {
        team.sync(coder);
    }

    let expected = codings(&alice);
    assert_eq!(expected.len(), 5, "{expected:?}");
    for coder in ["alice", "bob", "carol"] {
        let dir = team.dir(coder);
        assert_eq!(codings(&dir), expected, "{coder}'s copy");
        assert_eq!(suggestion_branches(&dir), Vec::<String>::new());
        let study = Study::open(&dir).unwrap();
        assert_eq!(
            study.codebook.get("threat").unwrap().definition,
            "Words or gestures announcing harm to the worker."
        );
        let repo = git2::Repository::open(&dir).unwrap();
        assert!(repo.refname_to_id("refs/tags/codebook-v1").is_ok());
        assert_eq!(
            repo.refname_to_id("refs/heads/main").unwrap().to_string(),
            team.remote_ref("refs/heads/main").unwrap()
        );
        assert_eq!(team.sb.git(&dir, &["status", "--porcelain"]), "");
        team.assert_check_clean(coder);
    }
    // The history keeps the suggestion's merge commit and its approval.
    let log = team.sb.git(&alice, &["log", "--format=%s%n%b", "main"]);
    assert!(log.contains("Merge suggestion: Sharpen threat"), "{log}");
    assert!(log.contains("Approved-by: bob"), "{log}");
}

#[test]
fn a_push_that_loses_the_race_is_integrated_and_retried() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
    code(&bob, "bob", "interview-01", &[("insult", 2, 2)], true);

    // bob pushes just after alice fetched and before she pushes.
    let mut steps = Vec::new();
    let mut bob_pushed = false;
    let mut on_step = |step: &Step| {
        if *step == (Step::Pushing { round: 1 }) {
            assert_success(&team.cbr_sync("bob"));
            bob_pushed = true;
        }
        steps.push(step.clone());
    };
    let report = team
        .sync_with(
            "alice",
            SyncOptions {
                merge_codebook: None,
                progress: Some(&mut on_step),
            },
        )
        .unwrap();
    assert!(bob_pushed);
    assert_eq!(report.retries, 1);
    assert!(steps.contains(&Step::RemoteMoved {
        round: 1,
        refs: vec!["refs/heads/main".into()]
    }));
    assert!(
        matches!(
            report.integrated.as_slice(),
            [Integration::Merged { commits: 1, .. }]
        ),
        "{report:?}"
    );
    assert_eq!(report.pushed, vec!["refs/heads/main"]);
    assert_eq!(report.status.ahead + report.status.behind, 0);
    let shared = team.remote_ref("refs/heads/main").unwrap();
    let log = team.sb.git(&alice, &["log", "--format=%an: %s", &shared]);
    assert!(log.contains("bob: code interview-01"), "{log}");
    assert!(log.contains("alice: code interview-01"), "{log}");
}

#[test]
fn a_stale_push_is_refused_and_changes_nothing() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    let before = team.remote_ref("refs/heads/main").unwrap();
    let commit = {
        code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
        git2::Repository::open(&alice)
            .unwrap()
            .refname_to_id("refs/heads/main")
            .unwrap()
    };
    let repo = git2::Repository::open(&alice).unwrap();
    let wrong = repo.find_commit(commit).unwrap().parent_id(0).unwrap();
    let root = repo.find_commit(wrong).unwrap().parent_id(0).unwrap();
    let outcome = remote::push(
        &repo,
        &remote::Shared::Folder(team.bare.clone()),
        &[RefUpdate {
            name: "refs/heads/main".into(),
            expected: Some(root),
            new: Some(commit),
        }],
    )
    .unwrap();
    assert_eq!(outcome.moved, vec!["refs/heads/main"]);
    assert!(outcome.applied.is_empty());
    assert_eq!(team.remote_ref("refs/heads/main").unwrap(), before);
}

#[test]
fn a_codebook_collision_stops_sync_unchanged_unless_a_field_merge_settles_it() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    let edit = |dir: &PathBuf, coder: &str, change: &dyn Fn(&mut Code)| {
        let study = Study::open(dir).unwrap();
        let mut code = study.codebook.get("support").unwrap().clone();
        change(&mut code);
        let rel = study.save_code(&code).unwrap();
        commit(
            dir,
            coder,
            &format!("{coder}: edit support directly"),
            &[rel],
        );
    };
    edit(&bob, "bob", &|c| {
        c.definition = "Help from colleagues.".into()
    });
    team.sync("bob");
    edit(&alice, "alice", &|c| c.name = "Peer support".into());
    code(&alice, "alice", "interview-01", &[("support", 1, 1)], false);
    let head = team.sb.git(&alice, &["rev-parse", "HEAD"]);

    let err = team.sync_with("alice", SyncOptions::default()).unwrap_err();
    assert!(
        matches!(err, codebook_review::study::StudyError::Conflict(_)),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(err.contains("changed nothing"), "{err}");
    assert!(err.contains("codebook/codes/support.toml"), "{err}");
    assert_eq!(team.sb.git(&alice, &["rev-parse", "HEAD"]), head);
    assert_eq!(team.sb.git(&alice, &["status", "--porcelain"]), "");
    assert!(!alice.join(".git/MERGE_HEAD").exists());

    let report = team
        .sync_with(
            "alice",
            SyncOptions {
                merge_codebook: Some(&FieldMerge),
                progress: None,
            },
        )
        .unwrap();
    assert!(matches!(
        report.integrated.as_slice(),
        [Integration::Merged { .. }]
    ));
    let merged = Study::open(&alice).unwrap();
    let support = merged.codebook.get("support").unwrap();
    assert_eq!(support.name, "Peer support");
    assert_eq!(support.definition, "Help from colleagues.");
    team.sync("bob");
    assert_eq!(
        Study::open(&bob).unwrap().codebook.get("support").unwrap(),
        support
    );
}

#[test]
fn an_uncommitted_change_on_an_incoming_file_stops_sync_unchanged() {
    // (study.toml is committed and shared by sync; a code file edited by
    // hand is not, so it stands for any file sync leaves alone.)
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    let rel = PathBuf::from("codebook/codes/threat.toml");
    let original = std::fs::read_to_string(alice.join(&rel)).unwrap();
    std::fs::write(
        alice.join(&rel),
        original.replace("Definition of threat.", "Threats of violence."),
    )
    .unwrap();
    commit(
        &alice,
        "alice",
        "alice: sharpen threat",
        std::slice::from_ref(&rel),
    );
    team.sync("alice");
    let edited = original.replace("Definition of threat.", "bob's draft.");
    std::fs::write(bob.join(&rel), &edited).unwrap();
    let head = team.sb.git(&bob, &["rev-parse", "HEAD"]);

    let out = team.cbr_sync("bob");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not committed"), "{}", stderr(&out));
    assert!(stderr(&out).contains("threat.toml"), "{}", stderr(&out));
    assert_eq!(team.sb.git(&bob, &["rev-parse", "HEAD"]), head);
    assert_eq!(std::fs::read_to_string(bob.join(&rel)).unwrap(), edited);
}

#[test]
fn plain_git_works_with_the_shared_repository_and_remote_machines_are_explained() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
    team.sb.git(&alice, &["push", "origin", "main"]);
    team.sb
        .git(&bob, &["pull", "--no-rebase", "origin", "main"]);
    assert!(bob.join("codings/alice/interview-01.toml").is_file());

    team.sb.git(
        &bob,
        &[
            "remote",
            "set-url",
            "origin",
            "ssh://srv.example/violence.git",
        ],
    );
    // A machine that does not exist: said in words, nothing changed.
    let head = team.sb.git(&bob, &["rev-parse", "HEAD"]);
    let out = team.cbr_sync("bob");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot reach the server (ssh: Could not resolve hostname"),
        "{}",
        stderr(&out)
    );
    assert_eq!(team.sb.git(&bob, &["rev-parse", "HEAD"]), head);
}

#[test]
fn reviews_made_at_the_same_time_in_two_copies_are_joined() {
    let team = Team::new(|_| {});
    let (alice, bob, carol) = (team.dir("alice"), team.dir("bob"), team.dir("carol"));
    let study = Study::open(&alice).unwrap();
    let mut insult = study.codebook.get("insult").unwrap().clone();
    insult.include = "Name-calling, slurs, mockery.".into();
    let branch = suggest::propose(
        &git2::Repository::open(&alice).unwrap(),
        &author("alice"),
        &Proposal::Edit(Box::new(insult)),
        Some("Say what insults include"),
        "Coders disagreed on mockery.",
        Some(&slug("insult-include")),
    )
    .unwrap();
    team.sync("alice");

    // A read-only look first: the suggestion is announced, nothing changes.
    let fetched = codebook_review::study::sync::fetch_only(&bob).unwrap();
    assert_eq!(fetched.new_suggestions, vec![branch.clone()]);
    assert_eq!(suggestion_branches(&bob), Vec::<String>::new());

    team.sync("bob");
    team.sync("carol");
    let bob_repo = git2::Repository::open(&bob).unwrap();
    let carol_repo = git2::Repository::open(&carol).unwrap();
    suggest::review(&bob_repo, &branch, &author("bob"), Verdict::Approve, "").unwrap();
    suggest::review(
        &carol_repo,
        &branch,
        &author("carol"),
        Verdict::Approve,
        "Yes.",
    )
    .unwrap();
    team.sync("bob");
    let r = team.sync("carol");
    assert_eq!(r.suggestions.updated, vec![branch.clone()]);
    assert_eq!(r.pushed, vec![format!("refs/heads/{branch}")]);
    team.sync("alice");
    team.sync("bob");
    for coder in ["alice", "bob", "carol"] {
        let repo = git2::Repository::open(team.dir(coder)).unwrap();
        let mut approvals = suggest::approvals(&repo, &branch).unwrap();
        approvals.sort();
        assert_eq!(approvals, vec!["bob", "carol"], "{coder}");
        // The join commit is not an amendment.
        assert_eq!(
            suggest::summary(&repo, &branch).unwrap().amendments,
            0,
            "{coder}"
        );
        assert_eq!(
            suggest::suggestion_title(&repo, &branch).unwrap(),
            "Say what insults include"
        );
    }
}
