//! Team safety nets: blind coding across working copies, one writer per
//! coder, stale locks, half-finished git operations, the shared
//! repository's group permissions.

use crate::common;
use crate::team_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use codebook_review::model::blind::{Revealed, Visibility};
use codebook_review::study::Study;
use codebook_review::study::blind;
use codebook_review::study::session_lock::{self, LockInfo, SessionLock};
use common::{assert_success, stderr, stdout};
use team_support::*;

fn blind_team() -> Team {
    Team::new(|config| {
        config.push_str("blind = true\ncoders = [\"alice\", \"bob\"]\n");
        *config = config.replace("blind = false\n", "");
    })
}

fn visibility(dir: &Path, viewer: &str, owner: &str, transcript: &str) -> Visibility {
    let study = Study::open(dir).unwrap();
    blind::can_see(&study, &slug(viewer), &slug(owner), &slug(transcript)).unwrap()
}

#[test]
fn blind_coding_hides_until_every_assigned_coder_completes() {
    let team = blind_team();
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    code(&alice, "alice", "interview-01", &[("threat", 1, 2)], true);
    code(&bob, "bob", "interview-01", &[("insult", 3, 3)], false);
    team.sync("alice");
    team.sync("bob");
    team.sync("alice");

    // Both copies hold both codings, but neither coder may see the other's.
    assert!(alice.join("codings/bob/interview-01.toml").is_file());
    assert_eq!(
        visibility(&alice, "alice", "bob", "interview-01"),
        Visibility::Hidden {
            waiting_for: vec![slug("bob")]
        }
    );
    assert_eq!(
        visibility(&bob, "bob", "alice", "interview-01"),
        Visibility::Hidden {
            waiting_for: vec![slug("bob")]
        }
    );
    assert_eq!(
        visibility(&bob, "bob", "bob", "interview-01"),
        Visibility::Visible(Revealed::OwnWork)
    );
    let study = Study::open(&alice).unwrap();
    let pair = [slug("alice"), slug("bob")];
    let err = blind::check_reveal(&study, &pair, &[slug("interview-01")], false).unwrap_err();
    assert!(
        matches!(err, codebook_review::study::StudyError::BlindPending(_)),
        "{err:?}"
    );
    let err = err.to_string();
    assert!(err.contains("interview-01: waiting for bob"), "{err}");
    assert!(err.contains("--unblind"), "{err}");
    blind::check_reveal(&study, &pair, &[slug("interview-01")], true).unwrap();

    // bob finishes: once his sync reaches alice, both see everything.
    code(&bob, "bob", "interview-01", &[("insult", 3, 3)], true);
    assert_eq!(
        visibility(&alice, "alice", "bob", "interview-01"),
        Visibility::Hidden {
            waiting_for: vec![slug("bob")]
        },
        "not before bob's work arrives"
    );
    team.sync("bob");
    team.sync("alice");
    assert_eq!(
        visibility(&alice, "alice", "bob", "interview-01"),
        Visibility::Visible(Revealed::AllComplete)
    );
    let study = Study::open(&alice).unwrap();
    blind::check_reveal(&study, &pair, &[slug("interview-01")], false).unwrap();

    // interview-02: nobody finished, but reconciliation started.
    code(&alice, "alice", "interview-02", &[("threat", 1, 1)], false);
    assert!(!visibility(&alice, "alice", "bob", "interview-02").is_visible());
    code(
        &alice,
        "consensus",
        "interview-02",
        &[("threat", 1, 1)],
        false,
    );
    assert_eq!(
        visibility(&alice, "alice", "bob", "interview-02"),
        Visibility::Visible(Revealed::ReconciliationStarted)
    );

    // carol is not among the study's coders but compares herself with alice:
    // her own progress counts too.
    code(&alice, "carol", "interview-01", &[("support", 4, 4)], false);
    let study = Study::open(&alice).unwrap();
    let err = blind::check_reveal(
        &study,
        &[slug("alice"), slug("carol")],
        &[slug("interview-01")],
        false,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("waiting for carol"), "{err}");
}

#[test]
fn a_second_session_is_read_only_and_only_fetches() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    let SessionLock::Writer(first) = session_lock::open_session(&alice, &slug("alice")).unwrap()
    else {
        panic!("the first session writes");
    };
    match session_lock::open_session(&alice, &slug("alice")).unwrap() {
        SessionLock::ReadOnly { holder } => assert_eq!(holder.pid, std::process::id()),
        SessionLock::Writer(_) => panic!("two writers for one coder"),
    }
    // Another coder in the same working copy is not blocked.
    assert!(matches!(
        session_lock::open_session(&alice, &slug("bob")).unwrap(),
        SessionLock::Writer(_)
    ));

    code(&bob, "bob", "interview-01", &[("insult", 1, 1)], true);
    team.sync("bob");
    write_coding(&alice, "alice", "interview-01", &[("threat", 1, 1)], false);
    let head = team.sb.git(&alice, &["rev-parse", "HEAD"]);
    let out = team.cbr_sync("alice");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("pid {}", std::process::id())),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("the team has 1 commit(s) not here yet"),
        "{}",
        stdout(&out)
    );
    // Nothing written: not main, not alice's unsaved coding.
    assert_eq!(team.sb.git(&alice, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        team.sb
            .git(&alice, &["status", "--porcelain", "-uall"])
            .trim(),
        "?? codings/alice/interview-01.toml"
    );
    drop(first);
    assert!(!alice.join(".git/cbr-alice.lock").exists());
    assert_success(&team.cbr_sync("alice"));
}

#[test]
fn a_stale_lock_of_a_dead_session_is_taken_over() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let mut stale = LockInfo::current();
    stale.pid = dead;
    let lock = alice.join(".git/cbr-alice.lock");
    std::fs::write(&lock, toml::to_string(&stale).unwrap()).unwrap();

    code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
    let out = team.cbr_sync("alice");
    assert_success(&out);
    assert!(
        stderr(&out).contains(&format!(
            "took over a lock left by a session that ended without closing (pid {dead}"
        )),
        "{}",
        stderr(&out)
    );
    assert!(!lock.exists(), "the new session removed its lock on exit");
    assert!(team.remote_ref("refs/heads/main").is_some());

    // In the library, the writer is told whose lock it replaced.
    std::fs::write(&lock, toml::to_string(&stale).unwrap()).unwrap();
    let SessionLock::Writer(guard) = session_lock::open_session(&alice, &slug("alice")).unwrap()
    else {
        panic!("a dead session's lock is taken over");
    };
    assert_eq!(guard.took_over, Some(stale));
}

#[test]
fn half_finished_git_operations_are_reported_and_block_sync() {
    let team = Team::new(|_| {});
    let bob = team.dir("bob");
    // A merge left with a conflict, as an SSH drop in the middle of
    // `git merge` would leave it.
    team.sb.git(&bob, &["switch", "-c", "side"]);
    std::fs::write(
        bob.join("codebook/codes/threat.toml"),
        "id = \"threat\"\nname = \"A\"\ndefinition = \"A.\"\n",
    )
    .unwrap();
    team.sb.git(&bob, &["commit", "-qam", "side edit"]);
    team.sb.git(&bob, &["switch", "main"]);
    std::fs::write(
        bob.join("codebook/codes/threat.toml"),
        "id = \"threat\"\nname = \"B\"\ndefinition = \"B.\"\n",
    )
    .unwrap();
    team.sb.git(&bob, &["commit", "-qam", "main edit"]);
    let merge = team
        .sb
        .command("git")
        .current_dir(&bob)
        .args(["merge", "side"])
        .output()
        .unwrap();
    assert!(!merge.status.success());

    let out = team.sb.cbr(&bob, "bob", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(".git/MERGE_HEAD:1:1: a merge was started here and not finished; cbr will not sync until it is: fix the conflicted files and run `git commit`, or cancel it with `git merge --abort`"),
        "{text}"
    );
    assert!(
        text.contains("codebook/codes/threat.toml:1:1: unresolved merge conflict"),
        "{text}"
    );
    let out = team.cbr_sync("bob");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot start here yet"),
        "{}",
        stderr(&out)
    );

    team.sb.git(&bob, &["merge", "--abort"]);
    std::fs::write(bob.join(".git/index.lock"), "").unwrap();
    let out = team.sb.cbr(&bob, "bob", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains(".git/index.lock:1:1: a git command is running in this working copy, or one was interrupted"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_file(bob.join(".git/index.lock")).unwrap();
    team.assert_check_clean("bob");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn the_shared_repository_is_writable_by_the_group() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    let config = git2::Repository::open_bare(&team.bare)
        .unwrap()
        .config()
        .unwrap();
    assert_eq!(config.get_string("core.sharedRepository").unwrap(), "0660");
    assert!(config.get_bool("receive.denyNonFastForwards").unwrap());

    // New folders made by a push (a suggestion's `refs/heads/suggest/bob/`)
    // and new objects, under the test's umask of 022 or stricter.
    code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
    let repo = git2::Repository::open(&bob).unwrap();
    codebook_review::study::suggest::propose(
        &repo,
        &author("bob"),
        &codebook_review::model::proposal::Proposal::Deprecate(slug("threat")),
        Some("X"),
        "Why.",
        Some(&slug("x")),
    )
    .unwrap();
    let out = team
        .sb
        .command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(&bob)
        .env("CBR_CODER", "bob")
        .arg("sync")
        .output_with_umask(0o077);
    assert_success(&out);
    team.sync("alice");
    let mut stack = vec![team.bare.clone()];
    let mut seen = 0;
    while let Some(path) = stack.pop() {
        let m = mode(&path);
        if path.is_dir() {
            assert_eq!(m & 0o2070, 0o2070, "{}: {m:o}", path.display());
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(m & 0o040, 0o040, "{}: {m:o}", path.display());
        }
        seen += 1;
    }
    assert!(team.bare.join("refs/heads/suggest/bob").is_dir());
    assert!(seen > 20, "{seen}");
}

trait OutputWithUmask {
    fn output_with_umask(&mut self, mask: u32) -> std::process::Output;
}

impl OutputWithUmask for std::process::Command {
    fn output_with_umask(&mut self, mask: u32) -> std::process::Output {
        use std::os::unix::process::CommandExt;
        // SAFETY: umask is async-signal-safe and touches only the child.
        unsafe {
            self.pre_exec(move || {
                libc::umask(mask as libc::mode_t);
                Ok(())
            });
        }
        self.output().unwrap()
    }
}

#[test]
fn join_refuses_what_is_not_a_study_and_leaves_nothing() {
    let team = Team::new(|_| {});
    let empty = team.sb.path().join("srv/empty.git");
    git2::Repository::init_bare(&empty).unwrap();
    let dir = team.sb.path().join("dave");
    let out = team.sb.cbr(
        team.sb.path(),
        "dave",
        &["join", empty.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no `main` branch"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.exists());

    let out = team.sb.cbr(
        team.sb.path(),
        "dave",
        &["join", team.sb.path().join("nowhere.git").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no shared repository here"),
        "{}",
        stderr(&out)
    );

    // The default folder is named after the repository.
    let out = team.sb.cbr(
        team.sb.path(),
        "dave",
        &["join", team.bare.to_str().unwrap()],
    );
    assert_success(&out);
    assert!(team.sb.path().join("violence/study.toml").is_file());
}

#[test]
fn init_shared_adopts_an_empty_repository_an_administrator_prepared() {
    let sb = common::Sandbox::new();
    let bare = sb.path().join("srv/v.git");
    std::fs::create_dir_all(&bare).unwrap();
    sb.git(
        &bare,
        &["init", "--bare", "--shared=group", "--initial-branch=trunk"],
    );
    let alice = sb.path().join("alice");
    let out = init_shared(&sb, "alice", &alice, &bare);
    assert_success(&out);
    assert!(stdout(&out).contains("cbr join"), "{}", stdout(&out));
    assert_eq!(
        sb.git(&bare, &["symbolic-ref", "HEAD"]).trim(),
        "refs/heads/main"
    );
    // Plain git clones it onto `main`.
    sb.git(sb.path(), &["clone", "-q", bare.to_str().unwrap(), "plain"]);
    assert!(sb.path().join("plain/study.toml").is_file());

    // A folder that is neither free nor an empty shared repository is refused
    // before any study is created.
    let used = sb.path().join("srv/used");
    std::fs::create_dir_all(&used).unwrap();
    std::fs::write(used.join("notes.txt"), "x").unwrap();
    let bob = sb.path().join("bob");
    let out = init_shared(&sb, "bob", &bob, &used);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("give `--shared` a new path"),
        "{}",
        stderr(&out)
    );
    assert!(!bob.exists());
}
