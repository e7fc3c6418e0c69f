//! What researchers expect of a command-line tool: a version that names the
//! commit, shell completion that knows the study, a manual, and exit
//! statuses that mean the same thing for every command.

use std::path::Path;
use std::process::Command;

use crate::common::{Sandbox, assert_success, stdout};

fn status(out: &std::process::Output) -> i32 {
    out.status.code().expect("cbr was killed by a signal")
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let sb = Sandbox::new();
    let out = sb.cbr(sb.path(), "alice", &["--version"]);
    assert_success(&out);
    let text = stdout(&out);
    let version = env!("CARGO_PKG_VERSION");
    assert!(text.starts_with(&format!("cbr {version} (")), "{text}");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    if manifest.join(".git").exists() {
        let head = sb.git(manifest, &["rev-parse", "--short=12", "HEAD"]);
        let head = head.trim();
        assert!(
            text.contains(&format!("({head})")) || text.contains(&format!("({head}-dirty)")),
            "`{text}` does not name HEAD {head}"
        );
    } else {
        println!(
            "skipped the commit check: {} is not a git checkout",
            manifest.display()
        );
    }
}

#[test]
fn exit_statuses_mean_the_same_for_every_command() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    // 0: done.
    assert_eq!(status(&sb.cbr(&demo, "alice", &["codes"])), 0);
    assert_eq!(status(&sb.cbr(&demo, "alice", &["check"])), 0);
    // 1: ran, found problems.
    std::fs::write(
        demo.join("codebook/codes/broken.toml"),
        "id = \"broken\"\nname = \n",
    )
    .unwrap();
    assert_eq!(status(&sb.cbr(&demo, "alice", &["check"])), 1);
    std::fs::remove_file(demo.join("codebook/codes/broken.toml")).unwrap();
    // 2: wrong command line, or refused.
    assert_eq!(status(&sb.cbr(&demo, "alice", &["no-such-command"])), 2);
    assert_eq!(
        status(&sb.cbr(&demo, "alice", &["show", "no-such-code"])),
        2
    );
    assert_eq!(
        status(&sb.cbr(sb.path(), "alice", &["codes"])),
        2,
        "not a study"
    );
    assert_eq!(
        status(&sb.cbr(&demo, "alice", &["import", "missing.txt"])),
        2
    );
    // 3: the repository is damaged underneath: a tree of an old commit is gone.
    let tree = sb.git(&demo, &["rev-parse", "HEAD~4^{tree}"]);
    let tree = tree.trim();
    let object = demo.join(".git/objects").join(&tree[..2]).join(&tree[2..]);
    std::fs::remove_file(&object).expect("the demo's objects are loose");
    let out = sb.cbr(&demo, "alice", &["log"]);
    assert_eq!(status(&out), 3, "{}", String::from_utf8_lossy(&out.stderr));
    // The help lists them.
    let help = stdout(&sb.cbr(&demo, "alice", &["--help"]));
    for line in [
        "0  the command",
        "1  it ran",
        "2  nothing was done",
        "3  nothing was done",
    ] {
        assert!(help.contains(line), "--help lacks `{line}`");
    }
}

/// Runs `COMPLETE=bash cbr -- cbr WORDS…` the way the bash script does on Tab.
fn complete_bash(sb: &Sandbox, dir: &Path, words: &[&str]) -> Vec<String> {
    let out = sb
        .command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(dir)
        .env("COMPLETE", "bash")
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert_success(&out);
    stdout(&out).lines().map(str::to_string).collect()
}

#[test]
fn bash_completion_loads_and_offers_what_the_study_holds() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let script = sb.path().join("cbr.bash");
    let out = sb.cbr(&demo, "alice", &["completions", "bash"]);
    assert_success(&out);
    std::fs::write(&script, &out.stdout).unwrap();

    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert_success(&syntax);
    let loaded = Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p cbr", script.display()))
        .output()
        .unwrap();
    assert_success(&loaded);
    assert!(stdout(&loaded).contains("-F _clap_complete_cbr cbr"));

    assert!(complete_bash(&sb, &demo, &["cbr", "ag"]).contains(&"agree".to_string()));
    let codes = complete_bash(&sb, &demo, &["cbr", "show", "verbal"]);
    assert_eq!(codes, ["verbal-violence"]);
    let coders = complete_bash(&sb, &demo, &["cbr", "diff", ""]);
    assert!(coders.contains(&"alice".to_string()) && coders.contains(&"bob".to_string()));
    let list = complete_bash(&sb, &demo, &["cbr", "agree", "--coders=alice,b"]);
    assert_eq!(list, ["--coders=alice,bob"]);
    let suggestions = complete_bash(&sb, &demo, &["cbr", "suggest", "show", "bob/"]);
    assert_eq!(suggestions, ["bob/clarify-violence-from-public"]);
    // Outside a study only the options are offered, and no error either.
    let outside = complete_bash(&sb, sb.path(), &["cbr", "show", ""]);
    assert!(
        outside.iter().all(|word| word.starts_with('-')),
        "{outside:?}"
    );
}

#[test]
fn zsh_and_fish_scripts_parse_where_those_shells_are_installed() {
    let sb = Sandbox::new();
    for (shell, check) in [("zsh", ["-n"]), ("fish", ["--no-execute"])] {
        let out = sb.cbr(sb.path(), "alice", &["completions", shell]);
        assert_success(&out);
        assert!(
            stdout(&out).contains("COMPLETE"),
            "{shell} script does not call back into cbr"
        );
        let path = sb.path().join(format!("cbr.{shell}"));
        std::fs::write(&path, &out.stdout).unwrap();
        match Command::new(shell).args(check).arg(&path).output() {
            Ok(parsed) => assert_success(&parsed),
            Err(_) => println!("skipped parsing the {shell} script: {shell} is not installed"),
        }
    }
}

#[test]
fn the_manual_has_a_page_for_every_command() {
    let sb = Sandbox::new();
    let out = sb.cbr(sb.path(), "alice", &["man"]);
    assert_success(&out);
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH cbr 1"),
        "not roff: {page:.80}"
    );
    assert!(page.contains("Exit status"));

    let dir = sb.path().join("man1");
    assert_success(&sb.cbr(sb.path(), "alice", &["man", "--dir", dir.to_str().unwrap()]));
    for page in [
        "cbr.1",
        "cbr-agree.1",
        "cbr-suggest-new.1",
        "cbr-completions.1",
    ] {
        assert!(dir.join(page).is_file(), "{page} missing");
    }
    assert!(
        !dir.join("cbr-generate.1").exists(),
        "hidden commands get no page"
    );
}
