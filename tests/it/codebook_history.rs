//! The codebook's history: the log with merged suggestions and releases,
//! one code's history across a rename, semantic diffs between versions,
//! releases, the Markdown changelog, and the re-check queue of segments
//! coded under an earlier definition.

use crate::common;
use crate::suggest_common;

use common::Sandbox;
use suggest_common::{approve_and_merge, fails, merge_debriefing, ok, rename_verbal_violence};

#[test]
fn the_demo_shows_its_open_and_merged_suggestions() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let list = ok(&sb, &dir, "alice", &["suggest", "list"]);
    assert!(
        list.starts_with("suggest/bob/clarify-violence-from-public  edit       bob "),
        "{list}"
    );
    assert!(
        list.contains("approvals 0/1  comments 0  merges cleanly"),
        "{list}"
    );
    let log = ok(&sb, &dir, "alice", &["log"]);
    assert!(log.contains("Add the code Carrying users' stories\n                     merged suggestion (add) by bob; approved by claire\n                     release codebook-v1 by claire"), "{log}");
    assert!(log.contains("Sharpen the definition of Verbal violence and threats\n                     merged suggestion (edit) by alice; approved by bob\n                     ~ verbal-violence: definition"), "{log}");
    assert!(
        log.contains("claire: first codebook, 38 codes\n                     38 code(s) added"),
        "{log}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&sb, &dir, "alice", &["log", "--format", "json"])).unwrap();
    let kinds: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["suggestion", "suggestion", "commit"]);
    assert_eq!(json[0]["releases"][0]["name"], "codebook-v1");
    let md = ok(&sb, &dir, "alice", &["changelog", "codebook-v1"]);
    assert!(
        md.ends_with("the codebook did not change (39 active codes).\n"),
        "{md}"
    );
    // The same three codebook steps, as git shows them.
    let git_log = sb.git(
        &dir,
        &[
            "log",
            "--first-parent",
            "--format=%s",
            "main",
            "--",
            "codebook",
        ],
    );
    assert_eq!(git_log.lines().count(), 3, "{git_log}");
}

#[test]
fn a_renamed_code_keeps_its_history() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    rename_verbal_violence(&sb, &dir);
    for id in ["hostile-words", "verbal-violence"] {
        let log = ok(&sb, &dir, "alice", &["log", id]);
        let titles: Vec<&str> = log
            .lines()
            .filter(|l| l.starts_with("20"))
            .map(|l| &l[30..])
            .collect();
        assert_eq!(
            titles,
            [
                "Rename verbal-violence to hostile-words",
                "Sharpen the definition of Verbal violence and threats",
                "claire: first codebook, 38 codes"
            ],
            "{log}"
        );
        assert!(log.contains("~ hostile-words (was verbal-violence)\n                         id: verbal-violence → hostile-words"), "{log}");
        assert!(log.contains("why: Plainer."), "{log}");
    }
    // Semantic diff of the code between two versions, by tag and by date.
    let diff = ok(
        &sb,
        &dir,
        "alice",
        &[
            "compare",
            "codebook-v1",
            "main",
            "--code",
            "verbal-violence",
        ],
    );
    assert!(diff.starts_with("~ hostile-words (was verbal-violence)\n    id: verbal-violence → hostile-words\n    aliases: + verbal-violence\n"), "{diff}");
    let by_date = ok(
        &sb,
        &dir,
        "alice",
        &[
            "compare",
            "2024-01-10",
            "2024-01-14",
            "--code",
            "hostile-words",
        ],
    );
    assert!(
        by_date.starts_with("~ verbal-violence\n    definition: "),
        "{by_date}"
    );
    assert!(
        by_date.contains("[-Hostile words-]{+Insults, threats or intimidation+} addressed to a "),
        "{by_date}"
    );
    // git follows the file across the rename too.
    let follow = sb.git(
        &dir,
        &[
            "log",
            "--follow",
            "--format=%s",
            "main",
            "--",
            "codebook/codes/hostile-words.toml",
        ],
    );
    assert!(follow.contains("Sharpen the definition"), "{follow}");
}

#[test]
fn releases_and_the_changelog_between_two_tags() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    rename_verbal_violence(&sb, &dir);
    merge_debriefing(&sb, &dir);
    let out = ok(
        &sb,
        &dir,
        "claire",
        &[
            "release",
            "codebook-v2",
            "-m",
            "Codebook v2: after the first reconciliation.",
        ],
    );
    assert!(
        out.starts_with("Released codebook codebook-v2 (39 codes) at main."),
        "{out}"
    );
    // The demo has no shared repository: no `git push origin` advice.
    assert!(
        out.contains("make this a team study (`cbr share PATH|URL`)") && !out.contains("origin"),
        "{out}"
    );
    let err = fails(&sb, &dir, "claire", &["release", "codebook-v2"], 2);
    assert!(
        err.contains("release `codebook-v2` already exists"),
        "{err}"
    );
    let tag = sb.git(&dir, &["show", "--no-patch", "--format=%H", "codebook-v2"]);
    assert!(
        tag.starts_with("tag codebook-v2\nTagger: claire <"),
        "{tag}"
    );
    assert!(
        tag.contains("Codebook v2: after the first reconciliation."),
        "{tag}"
    );

    let md = ok(
        &sb,
        &dir,
        "alice",
        &["changelog", "codebook-v1..codebook-v2"],
    );
    assert!(md.starts_with("## Codebook changes: codebook-v1 → codebook-v2\n\nBetween codebook-v1 (2024-01-15) and codebook-v2 ("), "{md}");
    assert!(md.contains("the codebook went from 39 to 38 active codes through 2 change(s), 2 of them suggestions reviewed and approved by the team."), "{md}");
    assert!(
        md.contains("- **debriefing**: merged into **team-support**\n"),
        "{md}"
    );
    assert!(
        md.contains("- **hostile-words**: renamed from `verbal-violence`\n"),
        "{md}"
    );
    assert!(md.contains("— Rename verbal-violence to hostile-words\n\nSuggested by bob, approved by alice, merged by bob.\n\n> Plainer.\n"), "{md}");
    assert!(md.contains("— Merge Debriefing into Team support\n\nSuggested by alice, approved by claire, merged by alice.\n\n> Indistinct in practice.\n"), "{md}");
    assert!(md.contains("### Releases\n\n- **codebook-v2** ("), "{md}");
    assert!(
        !md.contains("Sharpen"),
        "changes before v1 are not listed: {md}"
    );
    // The whole history includes the first codebook and both releases.
    let all = ok(&sb, &dir, "alice", &["changelog"]);
    assert!(
        all.contains("the codebook was built up to") && !all.contains("went from 0 to"),
        "{all}"
    );
    assert!(
        all.contains("## Codebook changes: the first codebook → main"),
        "{all}"
    );
    assert!(
        all.contains("Sharpen the definition")
            && all.contains("- **codebook-v1** (")
            && all.contains("Direct change by claire"),
        "{all}"
    );
}

#[test]
fn segments_coded_under_an_old_definition_form_a_recheck_queue() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let empty = ok(&sb, &dir, "alice", &["check", "--outdated"]);
    assert!(empty.starts_with("No segment to re-check"), "{empty}");
    // Merging the demo's open suggestion changes violence-from-public's exclude text;
    // renaming changes no meaning; merging two codes changes what debriefing counts as.
    approve_and_merge(
        &sb,
        &dir,
        "suggest/bob/clarify-violence-from-public",
        "alice",
        "claire",
    );
    rename_verbal_violence(&sb, &dir);
    merge_debriefing(&sb, &dir);

    let queue = ok(&sb, &dir, "claire", &["check", "--outdated"]);
    let text = ok(
        &sb,
        &dir,
        "claire",
        &["check", "--outdated", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        format!("{}\n", serde_json::to_string_pretty(&json).unwrap()),
        text,
        "items written one by one read as the document printed whole"
    );
    let items = json["items"].as_array().unwrap();
    assert!(
        items.iter().all(|i| i["code"] != "verbal-violence"),
        "a rename is not a change of meaning: {queue}"
    );
    let redefined: Vec<&serde_json::Value> = items
        .iter()
        .filter(|i| i["reason"] == "redefined")
        .collect();
    assert_eq!(redefined.len(), 1, "{queue}");
    assert_eq!(redefined[0]["code"], "violence-from-public");
    assert_eq!(redefined[0]["changes"][0]["field"], "exclude");
    let merged = items
        .iter()
        .filter(|i| i["reason"] == "merged_into")
        .count();
    assert_eq!(merged, 8, "every debriefing segment: {queue}");
    assert!(
        items
            .iter()
            .filter(|i| i["reason"] == "merged_into")
            .all(|i| i["target"] == "team-support")
    );
    let item = format!(
        "{}:{}-{}:violence-from-public",
        redefined[0]["transcript"].as_str().unwrap(),
        redefined[0]["start_line"],
        redefined[0]["end_line"]
    );
    assert!(queue.contains(&format!("alice  {item}")), "{queue}");
    assert!(queue.contains("  exclude changed"), "{queue}");
    assert!(queue.contains("violence-from-public since "), "{queue}");

    // Alice works through her queue: one item, then the rest.
    let mine = ok(&sb, &dir, "alice", &["recheck", "list"]);
    assert!(
        mine.lines()
            .take_while(|l| !l.is_empty())
            .all(|l| l.starts_with("alice ")),
        "{mine}"
    );
    let err = fails(&sb, &dir, "bob", &["recheck", "clear", &item], 2);
    assert!(err.contains("is not in bob's re-check queue"), "{err}");
    let out = ok(&sb, &dir, "alice", &["recheck", "clear", &item]);
    assert_eq!(
        out,
        "1 segment(s) of alice re-checked under the current codebook.\n"
    );
    let commit = sb.git(&dir, &["show", "--format=%an %s", "HEAD"]);
    let now = sb.git(&dir, &["rev-parse", "HEAD:codebook"]);
    assert!(
        commit.starts_with(&format!(
            "alice alice: re-check 1 segment(s) under codebook {}",
            &now[..7]
        )),
        "{commit}"
    );
    assert!(
        commit.contains(&format!("+codebook = \"{}\"", now.trim())),
        "{commit}"
    );
    let after = ok(&sb, &dir, "alice", &["recheck", "list"]);
    assert!(!after.contains(&item), "{after}");
    ok(&sb, &dir, "alice", &["recheck", "clear", "--all"]);
    ok(&sb, &dir, "bob", &["recheck", "clear", "--all"]);
    let done = ok(&sb, &dir, "claire", &["check", "--outdated"]);
    assert!(done.starts_with("No segment to re-check"), "{done}");
    assert!(sb.git(&dir, &["status", "--porcelain"]).is_empty());
}

/// `cbr log` remembers which code files each commit changed in
/// `.git/cbr/codes-diffs`, and each commit's first parent and trees in
/// `.git/cbr/first-parents`: the log is the same with no cache, with the
/// caches it wrote, after new commits, and with damaged caches.
#[test]
fn the_history_cache_never_changes_the_log() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let cache = dir.join(".git/cbr/codes-diffs");
    let logs = |sb: &Sandbox| {
        [
            ok(sb, &dir, "alice", &["log", "--format", "json"]),
            ok(sb, &dir, "alice", &["log", "verbal-violence"]),
        ]
    };
    let cold = logs(&sb);
    assert!(cache.is_file(), "the walk wrote its cache");
    assert_eq!(logs(&sb), cold, "read from the cache");
    rename_verbal_violence(&sb, &dir);
    std::fs::remove_file(&cache).unwrap();
    let renamed = logs(&sb);
    assert_ne!(renamed, cold);
    assert_eq!(logs(&sb), renamed, "new commits, cached again");
    std::fs::write(&cache, "garbage\n- - x.toml nonsense\n").unwrap();
    assert_eq!(logs(&sb), renamed, "a damaged cache is ignored");
    let text = std::fs::read_to_string(&cache).unwrap();
    assert!(!text.contains("garbage"), "and rewritten");

    // The first-parent line is remembered too; damaged or looping, it is
    // read from git again.
    let parents = dir.join(".git/cbr/first-parents");
    assert!(
        parents.is_file(),
        "the walk remembered each commit's parent"
    );
    std::fs::write(&parents, "garbage\n").unwrap();
    assert_eq!(
        logs(&sb),
        renamed,
        "a damaged first-parents cache is ignored"
    );
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let head = head.trim();
    std::fs::write(&parents, format!("{head} {head} - -\n")).unwrap();
    assert_eq!(logs(&sb), renamed, "a cache that loops is dropped");
    let text = std::fs::read_to_string(&parents).unwrap();
    assert!(!text.contains(&format!("{head} {head}")), "and rewritten");
}
