//! `cbr diff` on the demo study: real hunks asserted line by line, colour
//! only on a terminal, and untrusted transcript text kept inert.

use crate::common;

use std::path::Path;

use common::{Sandbox, assert_success, stdout};
use serde_json::Value;

fn diff(sb: &Sandbox, dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["diff"];
    all.extend(args);
    let out = sb.cbr(dir, "alice", &all);
    assert_success(&out);
    stdout(&out)
}

#[test]
fn diff_shows_the_demo_disagreements_as_hunks() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let text = diff(&sb, &dir, &["alice", "bob", "interview-01"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        &lines[..3],
        ["--- alice", "+++ bob", "@@ interview-01:3-29 @@"]
    );
    // Only alice coded the opening line of the threat as verbal violence;
    // both coded the next two lines so.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("-   6  P: La porte. Toujours la porte.")
                && l.ends_with("  [verbal-violence]"))
    );
    assert!(lines.iter().any(
        |l| l.starts_with("    7  Il y a deux semaines") && l.ends_with("  [verbal-violence]")
    ));
    // Only bob coded coping on 11–12.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("+  11  P: Rien, sur le moment.") && l.ends_with("  [coping]"))
    );
    // Line 16: alice mistaken-for-user, bob worker-stigma.
    let i = lines.iter().position(|l| l.starts_with("-  16  ")).unwrap();
    assert!(lines[i].ends_with("[mistaken-for-user]"), "{}", lines[i]);
    assert!(lines[i + 1].starts_with("+  16  ") && lines[i + 1].ends_with("[worker-stigma]"));
    // Shared codes are named beside a changed line.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("+  25  ") && l.ends_with("  [boundaries] (both: dual-role)"))
    );
    let headers: Vec<&&str> = lines.iter().filter(|l| l.starts_with("@@")).collect();
    assert_eq!(
        headers,
        [
            &"@@ interview-01:3-29 @@",
            &"@@ interview-01:31-41 @@",
            &"@@ interview-01:43-60 @@"
        ]
    );
    assert!(!text.contains('\x1b'), "piped output is plain");

    let json: Value = serde_json::from_str(&diff(
        &sb,
        &dir,
        &["alice", "bob", "--format", "json", "--context", "1"],
    ))
    .unwrap();
    assert_eq!(json["a"], "alice");
    let hunks = json["hunks"].as_array().unwrap();
    let first = hunks
        .iter()
        .find(|h| h["transcript"] == "interview-01")
        .unwrap();
    assert_eq!(first["start_line"], 5);
    assert_eq!(first["end_line"], 7);
    assert_eq!(first["changed"], serde_json::json!({"start": 6, "end": 6}));
    assert_eq!(first["lines"][0]["changed"], false);
    assert_eq!(first["lines"][1]["line"], 6);
    assert_eq!(
        first["lines"][1]["only_a"],
        serde_json::json!(["verbal-violence"])
    );
    assert_eq!(first["lines"][1]["only_b"], serde_json::json!([]));
    assert_eq!(first["lines"][2]["changed"], false);
    assert_eq!(
        first["lines"][2]["both"],
        serde_json::json!(["verbal-violence"])
    );
    // interview-03 is coded by alice only: not compared by default.
    assert!(hunks.iter().all(|h| h["transcript"] != "interview-03"));
}

#[test]
fn diff_is_coloured_only_on_a_terminal() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let cbr = env!("CARGO_BIN_EXE_cbr");
    let run = |no_color: bool| {
        let mut cmd = sb.command("script");
        cmd.current_dir(&dir)
            .env("CBR_CODER", "alice")
            .env("TERM", "xterm")
            .args([
                "-qec",
                &format!("{cbr} diff alice bob interview-01"),
                "/dev/null",
            ]);
        if !no_color {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().unwrap();
        assert_success(&out);
        stdout(&out)
    };
    let coloured = run(false);
    assert!(
        coloured.contains("\x1b[36m@@ interview-01:3-29 @@\x1b[0m"),
        "{coloured:?}"
    );
    assert!(coloured.contains("\x1b[31m-   6  P: La porte."));
    assert!(coloured.contains("\x1b[32m+  11  P: Rien"));
    assert!(!run(true).contains('\x1b'), "NO_COLOR turns colour off");
    let mut piped = sb.command(cbr);
    piped.current_dir(&dir).env_remove("NO_COLOR");
    let out = piped.args(["diff", "alice", "bob"]).output().unwrap();
    assert!(!stdout(&out).contains('\x1b'));
}

#[test]
fn transcript_text_is_printed_inert() {
    let sb = Sandbox::new();
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    std::fs::create_dir_all(dir.join("codebook/codes")).unwrap();
    std::fs::write(
        dir.join("codebook/codes/x.toml"),
        "id = \"x\"\nname = \"X\"\ndefinition = \"d\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("transcripts/t.txt"),
        "P: \x1b]0;pwned\x07title\x1b[2J\tgone\n",
    )
    .unwrap();
    let csv = sb.path().join("c.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\nalice,t,1,1,x,\nbob,t,,,,\n",
    )
    .unwrap();
    assert_success(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
    let text = diff(&sb, &dir, &["alice", "bob"]);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(
        text.contains("-   1  P: ^[]0;pwned^Gtitle^[[2J    gone  [x]"),
        "{text}"
    );
}
