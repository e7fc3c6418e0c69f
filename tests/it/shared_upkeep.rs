//! Upkeep of the shared repository by every sync: packs stay few, old
//! temporary packs of interrupted pushes go, and permissions are repaired
//! even when there is nothing to push.

use std::os::unix::fs::PermissionsExt;

use crate::common::assert_success;
use crate::team_support::{Team, code};
use codebook_review::study::upkeep::{PACK_LIMIT, pack_count};

#[test]
fn many_pushes_leave_few_packs_and_no_old_temporary_files() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    for line in 1..=(PACK_LIMIT + 6) {
        code(
            &alice,
            "alice",
            "interview-01",
            &[("threat", line.min(8), line.min(8))],
            false,
        );
        team.sync("alice");
        code(&alice, "alice", "interview-01", &[("insult", 1, 1)], false);
        team.sync("alice");
    }
    let packs = pack_count(&team.bare);
    assert!(packs <= PACK_LIMIT + 1, "{packs} packs");

    // A temporary pack an interrupted push left an hour ago goes; the
    // history is intact for a teammate.
    let stale = team.bare.join("objects/pack/pack_git2_0123456789abcdef");
    std::fs::write(&stale, b"half a pack").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    assert_success(&team.cbr_sync("bob"));
    assert!(!stale.exists());
    team.assert_check_clean("bob");
}

#[test]
fn a_sync_with_nothing_to_send_repairs_permissions() {
    let team = Team::new(|_| {});
    // A pack left 0400 by a sync killed before it fixed the mode.
    let pack = std::fs::read_dir(team.bare.join("objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    std::fs::set_permissions(&pack, std::fs::Permissions::from_mode(0o400)).unwrap();
    let out = team.cbr_sync("alice");
    assert_success(&out);
    let mode = std::fs::metadata(&pack).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o440, "group may read it again, others still not");
}
