//! Issue 11, finding by finding: links and special files, concurrent
//! writers, crashes, terminal and spreadsheet injection, blind coding
//! failing closed, and the smaller cases. Each test failed before the fix.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codebook_review::study::session_lock::{self, SessionLock};

use crate::common::{Sandbox, assert_success, stderr, stdout};
use crate::team_support::{Team, slug};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `cbr` with a deadline: a command that hangs (a FIFO read) fails
/// the test instead of blocking it forever.
fn cbr_within(sb: &Sandbox, dir: &Path, args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = sb
        .command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(dir)
        .env("CBR_CODER", "alice")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("cbr {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

// 1. Symbolic links and special files.

#[test]
fn a_linked_coder_folder_is_never_written_through_nor_committed() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let outside = sb.path().join("home-of-alice");
    write(&outside, "id_rsa", "PRIVATE KEY");
    std::fs::remove_dir_all(dir.join("codings/alice")).unwrap();
    symlink(&outside, dir.join("codings/alice")).unwrap();
    // check names the link instead of reading through it.
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stdout(&out).contains("codings/alice:1:1: is a symbolic link"),
        "{}",
        stdout(&out)
    );
    // Committing the coder's folder (what sync does) refuses, naming it.
    let repo = git2::Repository::open(&dir).unwrap();
    let err = codebook_review::study::git::commit_paths(
        &repo,
        &crate::team_support::author("alice"),
        "x",
        &[PathBuf::from("codings/alice")],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("codings/alice: is a symbolic link"),
        "{err}"
    );
    let tree = sb.git(&dir, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(!tree.contains("id_rsa"), "{tree}");
}

#[test]
fn a_linked_transcript_or_coding_file_is_reported_not_read() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    write(sb.path(), "secret.env", "TOKEN=hunter2\n");
    symlink("/etc/passwd", dir.join("transcripts/leak.txt")).unwrap();
    let coding = dir.join("codings/alice/interview-01.toml");
    std::fs::remove_file(&coding).unwrap();
    symlink(sb.path().join("secret.env"), &coding).unwrap();
    let out = sb.cbr(&dir, "alice", &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("transcripts/leak.txt:1:1: is a symbolic link"),
        "{text}"
    );
    assert!(
        text.contains("codings/alice/interview-01.toml:1:1: is a symbolic link"),
        "{text}"
    );
    assert!(
        !text.contains("root:") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn a_fifo_transcript_never_hangs_a_command() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let fifo = dir.join("transcripts/interview-99.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let limit = Duration::from_secs(20);
    let out = cbr_within(&sb, &dir, &["check"], limit);
    assert!(
        stdout(&out).contains("transcripts/interview-99.txt:1:1: is not a regular file"),
        "{}",
        stdout(&out)
    );
    cbr_within(&sb, &dir, &["agree", "--unblind"], limit);
    cbr_within(
        &sb,
        &dir,
        &["diff", "alice", "bob", "interview-99", "--unblind"],
        limit,
    );
}

#[test]
fn a_teammates_committed_link_arrives_as_a_plain_file_and_check_names_it() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    symlink("/etc/passwd", alice.join("transcripts/leak.txt")).unwrap();
    // git itself commits the link (cbr would refuse to).
    team.sb.git(&alice, &["add", "transcripts/leak.txt"]);
    team.sb.git(&alice, &["commit", "-qm", "a link"]);
    assert_success(&team.cbr_sync("alice"));
    assert_success(&team.cbr_sync("bob"));
    let arrived = team.dir("bob").join("transcripts/leak.txt");
    let meta = std::fs::symlink_metadata(&arrived).unwrap();
    assert!(meta.file_type().is_file(), "checked out as a plain file");
    assert_eq!(std::fs::read_to_string(&arrived).unwrap(), "/etc/passwd");
    let out = team.sb.cbr(&team.dir("bob"), "bob", &["check"]);
    assert!(
        stdout(&out).contains("transcripts/leak.txt:1:1: committed as a symbolic link"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_committed_link_arrives_as_a_plain_file_in_a_fresh_join_too() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    symlink("/etc/passwd", alice.join("transcripts/leak.txt")).unwrap();
    team.sb.git(&alice, &["add", "transcripts/leak.txt"]);
    team.sb.git(&alice, &["commit", "-qm", "a link"]);
    assert_success(&team.cbr_sync("alice"));
    let dana = team.sb.path().join("dana");
    let out = team.sb.cbr(
        team.sb.path(),
        "dana",
        &["join", team.bare.to_str().unwrap(), dana.to_str().unwrap()],
    );
    assert_success(&out);
    let arrived = dana.join("transcripts/leak.txt");
    let meta = std::fs::symlink_metadata(&arrived).unwrap();
    assert!(
        meta.file_type().is_file(),
        "the first checkout makes no link either"
    );
    assert_eq!(std::fs::read_to_string(&arrived).unwrap(), "/etc/passwd");
    // The rest of the study is there, and git sees a clean working copy.
    assert!(dana.join("study.toml").is_file());
    assert_eq!(team.sb.git(&dana, &["status", "--porcelain"]), "");
}

// 2. An open session and a CLI import of the same coder's work.

#[test]
fn codings_import_waits_for_then_refuses_an_open_session_naming_it() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let SessionLock::Writer(session) = session_lock::open_session(&dir, &slug("alice")).unwrap()
    else {
        panic!("the first session writes");
    };
    let csv = sb.path().join("rows.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\nalice,interview-01,2,3,humour,\n",
    )
    .unwrap();
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let out = sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "alice has a cbr session or command running in this working copy (pid {}",
            std::process::id()
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sb.git(&dir, &["rev-parse", "HEAD"]),
        head,
        "nothing committed"
    );
    drop(session);
    assert_success(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
}

// 3. A crash between the commit and the index write.

#[test]
fn a_stale_index_is_repaired_by_the_next_command() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let file = sb.path().join("interview-50.txt");
    std::fs::write(&file, "INT: hello\nP: hi\n").unwrap();
    assert_success(&sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]));
    // The index as it was before that commit: what a kill -9 leaves.
    sb.git(&dir, &["read-tree", "HEAD~1"]);
    let status = sb.git(&dir, &["status", "--porcelain"]);
    assert!(
        status.contains("D  transcripts/interview-50.txt"),
        "{status}"
    );
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stderr(&out).contains("repaired git's index after an interrupted command"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}

#[test]
fn files_a_killed_import_left_are_named_by_check_and_a_retry_finishes() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let file = sb.path().join("interview-51.txt");
    std::fs::write(&file, "INT: hello\nP: hi\n").unwrap();
    // What `cbr import` had done when it was killed: the journal written,
    // the transcript written, no commit yet.
    std::fs::copy(&file, dir.join("transcripts/interview-51.txt")).unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    write(
        &dir,
        &format!(".git/cbr-journal-{dead}"),
        "cbr import\ntranscripts/interview-51.txt\n",
    );
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stdout(&out).contains(
            "transcripts/interview-51.txt:1:1: written by an interrupted `cbr import` and never committed"
        ),
        "{}",
        stdout(&out)
    );
    assert_success(&sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]));
    let tree = sb.git(&dir, &["ls-tree", "--name-only", "HEAD", "transcripts/"]);
    assert!(tree.contains("transcripts/interview-51.txt"), "{tree}");
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(!stdout(&out).contains("interrupted"), "{}", stdout(&out));
    assert!(!dir.join(format!(".git/cbr-journal-{dead}")).exists());
}

// 4. Concurrent commands.

#[test]
fn concurrent_imports_all_land_without_raw_git_errors() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // Truly at once: start them all, then wait.
    let procs: Vec<_> = (0..4)
        .map(|i| {
            let file = sb.path().join(format!("again-{i}.txt"));
            std::fs::write(&file, format!("INT: again {i}\n")).unwrap();
            sb.command(env!("CARGO_BIN_EXE_cbr"))
                .current_dir(&dir)
                .env("CBR_CODER", if i % 2 == 0 { "alice" } else { "bob" })
                .args(["import", file.to_str().unwrap()])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for p in procs {
        let out = p.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            !err.contains("class=") && !err.contains("code="),
            "raw libgit2 error: {err}"
        );
        assert_success(&out);
    }
    let tree = sb.git(&dir, &["ls-tree", "--name-only", "HEAD", "transcripts/"]);
    for i in 0..4 {
        assert!(tree.contains(&format!("again-{i}.txt")), "{tree}");
    }
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}
