//! Two real Unix users in one group set up, join and sync a study under
//! umask 022, and a third user outside the group can read none of it.
//! Needs root (to create the users); skipped with a reason otherwise.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{stderr, stdout};

/// Users and a group made for one test, removed when it ends.
struct Accounts {
    group: String,
    users: Vec<String>,
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for user in &self.users {
            let _ = Command::new("userdel").arg(user).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}: {}", stderr(&out));
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Runs a shell line as `user`, with umask 022 and their own HOME.
fn as_user(user: &str, home: &Path, line: &str) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", "env", "-i"])
        .arg(format!("HOME={}", home.display()))
        .arg("PATH=/usr/local/bin:/usr/bin:/bin")
        .arg(format!("CBR_CODER={user}"))
        .arg("GIT_CONFIG_NOSYSTEM=1")
        .arg("NO_COLOR=1")
        .args(["sh", "-c"])
        .arg(format!("umask 022; cd {}; {line}", home.display()))
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "stdout:\n{}\nstderr:\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Every file and folder under `dir`, links not followed.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        }
        out.push(path);
    }
    out
}

#[test]
fn two_users_share_a_study_that_a_third_cannot_read() {
    if !is_root() {
        eprintln!("skipped: creating Unix users needs root");
        return;
    }
    let cbr = env!("CARGO_BIN_EXE_cbr");
    let tag = std::process::id() % 100_000;
    let group = format!("cbrg{tag}");
    let [alice, bob, carol] = ["a", "b", "c"].map(|u| format!("cbr{u}{tag}"));
    let accounts = Accounts {
        group: group.clone(),
        users: vec![alice.clone(), bob.clone(), carol.clone()],
    };
    run_ok(Command::new("groupadd").arg(&group));
    let base = tempfile::tempdir().unwrap();
    // Homes as many servers make them: anyone may look in.
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = |u: &str| base.path().join(u);
    for user in &accounts.users {
        let in_group = user != &carol;
        let mut add = Command::new("useradd");
        add.args(["-M", "-d"]).arg(home(user));
        if in_group {
            add.args(["-G", &group]);
        }
        run_ok(add.arg(user));
        std::fs::create_dir(home(user)).unwrap();
        std::fs::set_permissions(home(user), std::fs::Permissions::from_mode(0o755)).unwrap();
        run_ok(
            Command::new("chown")
                .arg(format!("{user}:"))
                .arg(home(user)),
        );
        std::fs::write(
            home(user).join(".gitconfig"),
            format!("[user]\n\tname = {user}\n\temail = {user}@example.invalid\n"),
        )
        .unwrap();
        run_ok(
            Command::new("chown")
                .arg(user)
                .arg(home(user).join(".gitconfig")),
        );
    }
    // The folder an administrator makes for the study: the group's, setgid.
    let srv = base.path().join("srv");
    run_ok(
        Command::new("install")
            .args(["-d", "-m", "2770", "-o", "root", "-g", &group])
            .arg(&srv),
    );
    let bare = srv.join("violence.git");

    // alice creates the study and its shared repository, then adds an interview.
    ok(as_user(
        &alice,
        &home(&alice),
        &format!(
            "{cbr} init --shared {} study --title Violence && \
             printf 'Q: Hello\\nA: Hello.\\n' > interview-01.txt && \
             cd study && {cbr} import ../interview-01.txt && {cbr} sync",
            bare.display()
        ),
    ));

    // bob is told the exact command to trust alice's repository.
    let out = as_user(&bob, &home(&bob), &format!("{cbr} join {}", bare.display()));
    let advice = format!(
        "git config --global --add safe.directory {}",
        bare.display()
    );
    assert!(stderr(&out).contains(&advice), "{}", stderr(&out));
    assert!(!home(&bob).join("violence").exists());
    ok(as_user(
        &bob,
        &home(&bob),
        &format!(
            "{advice} && {cbr} join {} && cd violence && \
             printf 'Q: Bye\\nA: Bye.\\n' > ../interview-02.txt && \
             {cbr} import ../interview-02.txt && {cbr} sync",
            bare.display()
        ),
    ));
    ok(as_user(
        &alice,
        &home(&alice),
        &format!("cd study && {cbr} sync"),
    ));
    assert!(
        home(&alice)
            .join("study/transcripts/interview-02.txt")
            .is_file()
    );

    // Nothing is open to others: working copies private, the shared
    // repository the group's.
    let study_gid = std::fs::metadata(&srv).unwrap().gid();
    for (root, open) in [
        (home(&alice).join("study"), 0o077),
        (home(&bob).join("violence"), 0o077),
        (bare.clone(), 0o007),
    ] {
        for path in walk(&root) {
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let mode = meta.mode() & 0o7777;
            assert_eq!(mode & open, 0, "{}: mode {mode:o}", path.display());
            if root == bare {
                assert_eq!(meta.gid(), study_gid, "{}", path.display());
                if meta.is_dir() {
                    assert_eq!(mode & 0o2070, 0o2070, "{}: {mode:o}", path.display());
                }
            }
        }
    }
    // And carol, outside the group, really cannot read them.
    let pack = walk(&bare.join("objects/pack"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    for file in [
        home(&alice).join("study/transcripts/interview-01.txt"),
        home(&bob).join("violence/transcripts/interview-01.txt"),
        home(&alice).join("study/study.toml"),
        pack.clone(),
    ] {
        let out = as_user(&carol, &home(&carol), &format!("cat {}", file.display()));
        assert!(!out.status.success(), "{} was readable", file.display());
    }
    // Her cbr says why, naming the group and what to do after being added.
    let out = as_user(
        &carol,
        &home(&carol),
        &format!("{cbr} join {}", bare.display()),
    );
    let err = stderr(&out);
    assert!(
        err.contains(&group) && err.contains("log out and in again"),
        "{err}"
    );
    assert!(!err.contains("not found"), "{err}");

    // A pack left unreadable (a sync killed under umask 077) is reported
    // to bob as a permission problem naming its owner, and alice's next
    // sync repairs it.
    let owned_by_alice = walk(&bare.join("objects/pack"))
        .into_iter()
        .find(|p| {
            p.extension().is_some_and(|e| e == "pack")
                && std::fs::metadata(p).unwrap().uid()
                    != std::fs::metadata(home(&bob)).unwrap().uid()
        })
        .unwrap();
    std::fs::set_permissions(&owned_by_alice, std::fs::Permissions::from_mode(0o400)).unwrap();
    let out = as_user(&bob, &home(&bob), &format!("cd violence && {cbr} sync"));
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("permission denied") && err.contains(&alice),
        "{err}"
    );
    assert!(!err.contains("object not found"), "{err}");
    ok(as_user(
        &alice,
        &home(&alice),
        &format!("cd study && {cbr} sync"),
    ));
    ok(as_user(
        &bob,
        &home(&bob),
        &format!("cd violence && {cbr} sync"),
    ));

    // `cbr check` is clean on a private copy, and names the fix on an open one.
    ok(as_user(
        &bob,
        &home(&bob),
        &format!("cd violence && {cbr} check"),
    ));
    // (an open copy: folders and a file opened up by hand)
    for (dir, mode) in [("violence", 0o755), ("violence/transcripts", 0o711)] {
        std::fs::set_permissions(home(&bob).join(dir), std::fs::Permissions::from_mode(mode))
            .unwrap();
    }
    let t = home(&bob).join("violence/transcripts/interview-02.txt");
    std::fs::set_permissions(&t, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = as_user(&bob, &home(&bob), &format!("cd violence && {cbr} check"));
    let text = stdout(&out) + &stderr(&out);
    assert!(
        text.contains("transcripts/interview-02.txt:1:1: readable by"),
        "{text}"
    );
    assert!(text.contains("chmod -R go-rwx"), "{text}");

    // A working copy in a group folder made for the study is the group's
    // (so a colleague can help in it), still closed to others.
    let work = srv.join("work");
    run_ok(
        Command::new("install")
            .args(["-d", "-m", "2770", "-o", "root", "-g", &group])
            .arg(&work),
    );
    let copy = work.join("alice");
    ok(as_user(
        &alice,
        &home(&alice),
        &format!(
            "{cbr} join {} {} && cd {} && {cbr} check",
            bare.display(),
            copy.display(),
            copy.display()
        ),
    ));
    for path in walk(&copy) {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.mode() & 0o7777;
        assert_eq!(mode & 0o007, 0, "{}: mode {mode:o}", path.display());
        assert_eq!(meta.gid(), study_gid, "{}", path.display());
    }
    let t = copy.join("transcripts/interview-01.txt");
    assert_eq!(std::fs::metadata(&t).unwrap().mode() & 0o747, 0o640);
    let out = as_user(&bob, &home(&bob), &format!("cat {}", t.display()));
    assert!(out.status.success(), "the group reads it: {}", stderr(&out));
    let out = as_user(&carol, &home(&carol), &format!("cat {}", t.display()));
    assert!(!out.status.success());
    drop(accounts);
}
