//! Every screen current after the study changes underneath a running
//! session: a sync on `S`, a `cbr sync` from another terminal, a merge in
//! another session. New coders appear in the Agreement tab, merged
//! definitions in the Codebook, and a suggestion merged elsewhere says so
//! instead of failing — all without restarting.

use crate::common;
use crate::team_support::{self, Team};

use codebook_review::model::Code;
use codebook_review::study::{Study, watch};
use codebook_review::tui::app::App;
use codebook_review::tui::popups::overlay::Overlay;

use common::Sandbox;
use common::tui::{app_for, keys, pump, screen, settle, start_team};

/// The Agreement tab as it stands once its figures are read.
fn agreement_screen(app: &mut App) -> String {
    keys(app, "3");
    settle(app);
    screen(app)
}

/// What the event loop's ticker does when `HEAD` moves under the session.
fn notice_head(app: &mut App) {
    let head = watch::head(&app.study.root);
    app.head_moved(head);
    app.wait_background();
}

/// alice has coded interview-01 and shared it; bob has not coded yet.
fn alice_alone() -> Team {
    let team = Team::new(|_| {});
    team_support::code(
        &team.dir("alice"),
        "alice",
        "interview-01",
        &[("threat", 2, 3)],
        true,
    );
    team.sync("alice");
    team
}

/// bob codes interview-01 too, and shares it.
fn bob_arrives(team: &Team) {
    team_support::code(
        &team.dir("bob"),
        "bob",
        "interview-01",
        &[("threat", 2, 2), ("insult", 5, 5)],
        true,
    );
    team.sync("bob");
}

#[test]
fn a_coder_who_arrives_by_sync_appears_in_the_agreement_tab() {
    let team = alice_alone();
    let mut alice = app_for(&team.dir("alice"), "alice");
    start_team(&mut alice);
    settle(&mut alice);
    let before = agreement_screen(&mut alice);
    assert!(before.contains("nobody else has coded"), "{before}");

    bob_arrives(&team);
    keys(&mut alice, "S");
    pump(&mut alice, |a| a.team.syncing.is_none());
    assert!(matches!(alice.overlay, Some(Overlay::Info { .. })));
    keys(&mut alice, "\x1b");
    settle(&mut alice);
    let after = screen(&mut alice);
    assert!(after.contains("alice ⇄ bob"), "{after}");
    assert!(!after.contains("nobody else has coded"), "{after}");
    assert!(after.contains("threat"), "figures for the pair:\n{after}");
}

#[test]
fn a_sync_from_another_terminal_reaches_the_open_tabs() {
    let team = alice_alone();
    let dir = team.dir("alice");
    // alice's session is open on the Agreement tab (it takes no lock here,
    // so the command line can sync her copy meanwhile).
    let mut alice = app_for(&dir, "alice");
    alice.load_progress();
    notice_head(&mut alice);
    assert!(agreement_screen(&mut alice).contains("nobody else has coded"));

    // bob shares his coding and a sharper definition of `threat`.
    bob_arrives(&team);
    let bob = Study::open(&team.dir("bob")).unwrap();
    let mut threat = bob.codebook.get("threat").unwrap().clone();
    threat.definition = "A threat of harm, said or written.".into();
    let path = bob.save_code(&threat).unwrap();
    team_support::commit(&team.dir("bob"), "bob", "Sharpen threat", &[path]);
    team.sync("bob");

    // In another terminal, alice runs `cbr sync`.
    common::assert_success(&team.cbr_sync("alice"));
    notice_head(&mut alice);
    settle(&mut alice);
    let agreement = screen(&mut alice);
    assert!(agreement.contains("alice ⇄ bob"), "{agreement}");

    let codebook: &Code = alice.study.codebook.get("threat").unwrap();
    assert_eq!(codebook.definition, "A threat of harm, said or written.");
    keys(&mut alice, "2jj");
    let shown = screen(&mut alice);
    assert!(
        shown.contains("A threat of harm, said or written."),
        "{shown}"
    );
}

#[test]
fn a_suggestion_merged_in_another_session_says_who_merged_it() {
    const BRANCH: &str = "suggest/bob/clarify-violence-from-public";
    let sb = Sandbox::new();
    let dir = sb.demo();
    let mut alice = app_for(&dir, "alice");
    alice.load_progress();
    notice_head(&mut alice);
    alice.warm_up();
    keys(&mut alice, "4");
    alice.wait_background();
    keys(&mut alice, "\n");
    alice.wait_background();
    assert!(alice.suggestions.open.is_some());

    // carol approves and merges it from the command line.
    for (who, verb) in [("alice", "approve"), ("carol", "merge")] {
        common::assert_success(&sb.cbr(&dir, who, &["suggest", verb, BRANCH]));
    }
    notice_head(&mut alice);
    assert!(alice.suggestions.open.is_none(), "it closed");
    assert_eq!(alice.overlay.as_ref().map(|_| ()), None, "no error popup");
    let said = alice
        .flash
        .as_ref()
        .map(|(m, _)| m.clone())
        .unwrap_or_default();
    assert!(
        said.starts_with("This suggestion was merged by carol in another session ("),
        "{said}"
    );
    let s = screen(&mut alice);
    assert!(s.contains("0 open suggestion(s)"), "{s}");
    let code = alice.study.codebook.get("violence-from-public").unwrap();
    assert!(
        code.exclude.contains("even in the street"),
        "merged definition"
    );
}
