//! The re-check queue computed for one coder: the same items as the whole
//! queue kept to that coder, including a segment written with a code's
//! alias (which the per-version look-up cannot find by file name).

use std::path::Path;

use serde_json::Value;

use crate::common::Sandbox;
use crate::suggest_common::{approve_and_merge, merge_debriefing, ok, rename_verbal_violence};

fn items(sb: &Sandbox, dir: &Path, coder: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["recheck", "list", "--format", "json"];
    all.extend_from_slice(args);
    let json: Value = serde_json::from_str(&ok(sb, dir, coder, &all)).unwrap();
    json["items"].as_array().unwrap().clone()
}

#[test]
fn one_coders_queue_is_the_whole_queue_kept_to_that_coder() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    approve_and_merge(
        &sb,
        &dir,
        "suggest/bob/clarify-violence-from-public",
        "alice",
        "claire",
    );
    rename_verbal_violence(&sb, &dir);
    // After the rename, alice codes a passage with the old name (an alias now).
    let version = sb.git(&dir, &["rev-parse", "HEAD:codebook"]);
    let file = dir.join("codings/alice/interview-01.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&format!(
        "\n[[segments]]\ncode = \"verbal-violence\"\nstart_line = 1\nend_line = 1\ncodebook = \"{}\"\n",
        version.trim()
    ));
    std::fs::write(&file, text).unwrap();
    sb.git(&dir, &["commit", "-qam", "alice: code with the old name"]);
    // Then the renamed code's definition changes.
    let code = dir.join("codebook/codes/hostile-words.toml");
    let text = std::fs::read_to_string(&code).unwrap();
    let text = text.replacen("definition = \"", "definition = \"Sharper: ", 1);
    std::fs::write(&code, text).unwrap();
    sb.git(&dir, &["commit", "-qam", "Sharpen hostile-words"]);
    merge_debriefing(&sb, &dir);

    let whole = items(&sb, &dir, "claire", &["--all"]);
    for coder in ["alice", "bob", "claire"] {
        let mine = items(&sb, &dir, coder, &[]);
        let expected: Vec<Value> = whole
            .iter()
            .filter(|i| i["coder"] == coder)
            .cloned()
            .collect();
        assert_eq!(mine, expected, "{coder}");
    }
    let by_alias: Vec<&Value> = whole
        .iter()
        .filter(|i| i["code"] == "verbal-violence" && i["start_line"] == 1)
        .collect();
    assert_eq!(by_alias.len(), 1, "{whole:?}");
    assert_eq!(by_alias[0]["coder"], "alice");
    assert_eq!(by_alias[0]["reason"], "redefined");
    assert_eq!(by_alias[0]["changes"][0]["field"], "definition");
    // Segments coded before the rename follow it by file name, and the
    // same old and new code share one diff.
    let renamed: Vec<&Value> = whole
        .iter()
        .filter(|i| i["code"] == "verbal-violence" && i["start_line"] != 1)
        .collect();
    assert!(!renamed.is_empty(), "{whole:?}");
    assert!(
        renamed
            .iter()
            .all(|i| i["changes"] == renamed[0]["changes"])
    );
}
