//! A sociologist sets up a team study alone, with cbr commands only: a
//! study, its first codebook, the coders, a shared repository, and a
//! settings change that reaches a colleague through sync.

use crate::common::{Sandbox, assert_success, stderr, stdout};

#[test]
fn a_study_becomes_a_team_study_with_cbr_commands_only() {
    let sb = Sandbox::new();
    let alice = sb.path().join("alice");
    assert_success(&sb.cbr(
        sb.path(),
        "alice",
        &["init", "alice", "--title", "Violence"],
    ));

    // The first codebook, from the bundled reference one, in one commit.
    let out = sb.cbr(&alice, "alice", &["codebook", "init", "--reference"]);
    assert_success(&out);
    let codes = stdout(&sb.cbr(&alice, "alice", &["codes"]));
    assert!(codes.lines().count() > 5, "{codes}");
    let refused = sb.cbr(&alice, "alice", &["codebook", "init", "--reference"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("suggestions"),
        "{}",
        stderr(&refused)
    );

    // The coders, one commit each change.
    let out = sb.cbr(&alice, "alice", &["coders", "add", "alice", "bob", "carol"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "alice\nbob\ncarol\n");
    let out = sb.cbr(&alice, "alice", &["coders", "remove", "carol"]);
    assert_eq!(stdout(&out), "alice\nbob\n");
    assert_eq!(
        sb.git(&alice, &["log", "-1", "--format=%s"]),
        "alice: coders: remove carol\n"
    );

    // The existing study becomes a team study.
    let bare = sb.path().join("srv/violence.git");
    let out = sb.cbr(&alice, "alice", &["share", bare.to_str().unwrap()]);
    assert_success(&out);
    assert!(stdout(&out).contains("In step with"), "{}", stdout(&out));
    let again = sb.cbr(&alice, "alice", &["share", bare.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already shared"),
        "{}",
        stderr(&again)
    );
    assert_success(&sb.cbr(sb.path(), "bob", &["join", bare.to_str().unwrap(), "bob"]));
    let bob = sb.path().join("bob");
    assert_eq!(stdout(&sb.cbr(&bob, "bob", &["coders"])), "alice\nbob\n");

    // A hand edit of the settings is shared by sync like any other change.
    let toml = std::fs::read_to_string(alice.join("study.toml")).unwrap();
    let toml = toml.replace("blind = false", "blind = true");
    std::fs::write(alice.join("study.toml"), toml).unwrap();
    let out = sb.cbr(&alice, "alice", &["sync"]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("Saved your change to study.toml"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("Not shared"), "{}", stdout(&out));
    assert_success(&sb.cbr(&bob, "bob", &["sync"]));
    let theirs = std::fs::read_to_string(bob.join("study.toml")).unwrap();
    assert!(theirs.contains("blind = true"), "{theirs}");

    // An https host nobody answers on: worded, and no folder left behind.
    let out = sb.cbr(
        sb.path(),
        "dan",
        &["join", "https://127.0.0.1:9/team/violence.git"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot reach the server"),
        "{}",
        stderr(&out)
    );
    assert!(!sb.path().join("violence").exists());
}
