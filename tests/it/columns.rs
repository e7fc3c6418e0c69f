//! Columns printed by `cbr check --outdated` and `cbr agree --by-release`
//! line up whatever the ids and names: widths by display width, and a
//! note such as "no transcript coded under it" does not widen a column.

use crate::common;

use common::{Sandbox, assert_success, stdout};

#[test]
fn the_outdated_queue_lines_up_with_a_long_coder_id() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let long = dir.join("codings/marie-helene-de-la-tour");
    std::fs::create_dir(&long).unwrap();
    std::fs::copy(
        dir.join("codings/bob/interview-01.toml"),
        long.join("interview-01.toml"),
    )
    .unwrap();
    sb.git(&dir, &["add", "-A"]);
    sb.git(&dir, &["commit", "-qm", "a third coder"]);
    let path = dir.join("codebook/codes/coping.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Individual and collective", "Individual and shared"),
    )
    .unwrap();
    sb.git(&dir, &["commit", "-qam", "coping: shared, not collective"]);

    let out = sb.cbr(&dir, "alice", &["check", "--outdated"]);
    assert_success(&out);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().take(2).collect();
    assert_eq!(
        lines,
        [
            "bob                      interview-01:11-12:coping  definition changed",
            "marie-helene-de-la-tour  interview-01:11-12:coping  definition changed",
        ]
    );
}

#[test]
fn the_table_per_release_lines_up_with_an_accented_release_name() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // "révisée" with the accents typed as combining marks (as some systems
    // write them): 9 characters, 7 columns.
    let name = "codebook-v2-re\u{301}vise\u{301}e";
    let out = sb.cbr(&dir, "alice", &["release", name]);
    assert_success(&out);
    // The demo has no shared repository: no `git push origin` advice.
    assert_eq!(
        stdout(&out),
        format!(
            "Released codebook {name} (39 codes) at main.\n\
             To share it, make this a team study (`cbr share PATH|URL`); `cbr sync` then sends it.\n\
             `cbr changelog {name}..main` will list what changes next.\n"
        )
    );
    let out = sb.cbr(&dir, "alice", &["agree", "--by-release"]);
    assert_success(&out);
    let text = stdout(&out);
    let table: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(
        table,
        [
            "release              transcripts  units  agree  κ alice/bob    α",
            "codebook-v1                    0         no transcript coded under it",
            &format!("{name}            3    154  98.4%  0.59 moderate  0.594 unreliable"),
        ]
    );
}
