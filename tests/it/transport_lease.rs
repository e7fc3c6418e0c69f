//! The system-git transport keeps sync's compare-and-swap: a branch that
//! moved in the shared repository since this copy last saw it is reported
//! as moved (sync then fetches, integrates and retries), never overwritten.
//! Driven through a plain path, which the system git reaches the same way
//! as `ssh://` (the ssh side itself is in `team_ssh`).

use codebook_review::study::remote::RefUpdate;
use codebook_review::study::transport;

use crate::team_support::{Team, code};

#[test]
fn a_branch_that_moved_is_reported_moved_and_left_alone() {
    let team = Team::new(|_| {});
    let (alice, bob) = (team.dir("alice"), team.dir("bob"));
    let bob_repo = git2::Repository::open(&bob).unwrap();
    let seen = bob_repo.refname_to_id("refs/remotes/origin/main").unwrap();

    code(&alice, "alice", "interview-01", &[("threat", 1, 1)], true);
    team.sync("alice");
    let theirs = team.remote_ref("refs/heads/main").unwrap();

    code(&bob, "bob", "interview-01", &[("insult", 2, 2)], true);
    let mine = bob_repo.refname_to_id("refs/heads/main").unwrap();
    let url = team.bare.display().to_string();
    let outcome = transport::push(
        &bob_repo,
        &url,
        &[
            RefUpdate {
                name: "refs/heads/main".into(),
                expected: Some(seen),
                new: Some(mine),
            },
            RefUpdate {
                name: "refs/heads/suggest/bob/new".into(),
                expected: None,
                new: Some(mine),
            },
        ],
    )
    .unwrap();
    assert_eq!(outcome.moved, vec!["refs/heads/main"]);
    assert_eq!(outcome.applied, vec!["refs/heads/suggest/bob/new"]);
    assert_eq!(team.remote_ref("refs/heads/main").unwrap(), theirs);

    // The same branch again, now expected not to exist: moved too.
    let outcome = transport::push(
        &bob_repo,
        &url,
        &[RefUpdate {
            name: "refs/heads/suggest/bob/new".into(),
            expected: None,
            new: Some(seen),
        }],
    )
    .unwrap();
    assert_eq!(outcome.moved, vec!["refs/heads/suggest/bob/new"]);
}
