//! Crash consistency: `cbr import`, `cbr codings import` and `cbr sync`
//! killed (SIGKILL) at seeded random moments. After each kill, no segment
//! or transcript that was committed is gone from HEAD, and the next command
//! succeeds and leaves git's index in step with HEAD.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::Duration;

use crate::common::{Sandbox, assert_success, stderr};
use crate::team_support::{Team, commit, write_coding};

/// Every (path, blob) in HEAD under `codings/` and `transcripts/`.
fn committed(sb: &Sandbox, dir: &Path) -> BTreeSet<String> {
    sb.git(dir, &["ls-tree", "-r", "HEAD", "codings", "transcripts"])
        .lines()
        .map(str::to_string)
        .collect()
}

fn spawn(sb: &Sandbox, dir: &Path, coder: &str, args: &[&str]) -> Child {
    sb.command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(dir)
        .env("CBR_CODER", coder)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Lets `child` run for `ms` milliseconds, then kills it (if still running).
fn kill_after(mut child: Child, ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    child.wait().unwrap();
}

/// git's index shows nothing staged that HEAD does not hold.
fn index_in_step(sb: &Sandbox, dir: &Path) {
    let staged = sb.git(dir, &["diff", "--cached", "--name-status"]);
    assert_eq!(staged, "", "index out of step with HEAD");
}

fn next_ok(out: &Output) {
    assert_success(out);
    let err = stderr(out);
    assert!(!err.contains("class="), "raw git error: {err}");
}

#[test]
fn killed_imports_lose_nothing_and_the_next_command_succeeds() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut rng = fastrand::Rng::with_seed(11);
    for i in 0..12 {
        let before = committed(&sb, &dir);
        let file = sb.path().join(format!("crash-{i}.txt"));
        std::fs::write(&file, format!("INT: question {i}\nP: answer\n")).unwrap();
        let child = spawn(&sb, &dir, "alice", &["import", file.to_str().unwrap()]);
        kill_after(child, rng.u64(0..150));
        let after = committed(&sb, &dir);
        assert!(after.is_superset(&before), "a committed file was lost");
        // Again: it imports, finishes the interrupted import, or (if the
        // commit was made) says it exists; then a plain command works.
        let retry = sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]);
        if !retry.status.success() {
            assert!(
                stderr(&retry).contains("already exists"),
                "{}",
                stderr(&retry)
            );
        }
        next_ok(&sb.cbr(&dir, "alice", &["codes"]));
        index_in_step(&sb, &dir);
        let tree = sb.git(&dir, &["ls-tree", "--name-only", "HEAD", "transcripts/"]);
        assert!(tree.contains(&format!("crash-{i}.txt")), "{tree}");
    }
}

#[test]
fn killed_codings_imports_lose_nothing_and_the_next_command_succeeds() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut rng = fastrand::Rng::with_seed(12);
    let csv = sb.path().join("rows.csv");
    for i in 0..12 {
        let before = committed(&sb, &dir);
        let end = 2 + i % 5;
        std::fs::write(
            &csv,
            format!(
                "coder,transcript,start_line,end_line,code,memo\n\
                 alice,interview-0{},2,{end},humour,round {i}\n",
                1 + i % 3
            ),
        )
        .unwrap();
        let child = spawn(
            &sb,
            &dir,
            "alice",
            &["codings", "import", csv.to_str().unwrap()],
        );
        kill_after(child, rng.u64(0..150));
        let after = committed(&sb, &dir);
        // Only the imported coding file may have changed.
        let target = format!("codings/alice/interview-0{}.toml", 1 + i % 3);
        let kept: BTreeSet<_> = before.iter().filter(|l| !l.ends_with(&target)).collect();
        let now: BTreeSet<_> = after.iter().filter(|l| !l.ends_with(&target)).collect();
        assert_eq!(kept, now, "a coding other than {target} changed");
        next_ok(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
        index_in_step(&sb, &dir);
        let coding = sb.git(&dir, &["show", &format!("HEAD:{target}")]);
        assert!(coding.contains(&format!("round {i}")), "{coding}");
    }
}

#[test]
fn killed_syncs_lose_nothing_and_the_next_sync_succeeds() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    let mut rng = fastrand::Rng::with_seed(13);
    for i in 0..10 {
        let transcript = if i % 2 == 0 {
            "interview-01"
        } else {
            "interview-02"
        };
        let complete = (i / 2) % 2 == 1;
        let rel = write_coding(&alice, "alice", transcript, &[("threat", 1, 1)], complete);
        commit(&alice, "alice", &format!("round {i}"), &[rel]);
        let before = committed(&team.sb, &alice);
        let child = spawn(&team.sb, &alice, "alice", &["sync"]);
        kill_after(child, rng.u64(0..200));
        let after = committed(&team.sb, &alice);
        assert!(after.is_superset(&before), "work lost");
        next_ok(&team.cbr_sync("alice"));
        index_in_step(&team.sb, &alice);
        next_ok(&team.cbr_sync("bob"));
        assert_eq!(
            team.sb
                .git(&team.dir("bob"), &["rev-parse", "HEAD:codings/alice"]),
            team.sb.git(&alice, &["rev-parse", "HEAD:codings/alice"]),
            "bob has everything alice committed"
        );
    }
}
