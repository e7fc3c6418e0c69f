//! Issue 11, finding by finding: links and special files, concurrent
//! writers, crashes, terminal and spreadsheet injection, blind coding
//! failing closed, and the smaller cases. Each test failed before the fix.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codebook_review::study::session_lock::{self, SessionLock};

use crate::common::{Sandbox, assert_success, stderr, stdout};
use crate::team_support::{Team, commit, slug};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Runs `cbr` with a deadline: a command that hangs (a FIFO read) fails
/// the test instead of blocking it forever.
fn cbr_within(sb: &Sandbox, dir: &Path, args: &[&str], limit: Duration) -> std::process::Output {
    let mut child = sb
        .command(env!("CARGO_BIN_EXE_cbr"))
        .current_dir(dir)
        .env("CBR_CODER", "alice")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("cbr {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

// 1. Symbolic links and special files.

#[test]
fn a_linked_coder_folder_is_never_written_through_nor_committed() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let outside = sb.path().join("home-of-alice");
    write(&outside, "id_rsa", "PRIVATE KEY");
    std::fs::remove_dir_all(dir.join("codings/alice")).unwrap();
    symlink(&outside, dir.join("codings/alice")).unwrap();
    // check names the link instead of reading through it.
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stdout(&out).contains("codings/alice:1:1: is a symbolic link"),
        "{}",
        stdout(&out)
    );
    // Committing the coder's folder (what sync does) refuses, naming it.
    let repo = git2::Repository::open(&dir).unwrap();
    let err = codebook_review::study::git::commit_paths(
        &repo,
        &crate::team_support::author("alice"),
        "x",
        &[PathBuf::from("codings/alice")],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("codings/alice: is a symbolic link"),
        "{err}"
    );
    let tree = sb.git(&dir, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(!tree.contains("id_rsa"), "{tree}");
}

#[test]
fn a_linked_transcript_or_coding_file_is_reported_not_read() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    write(sb.path(), "secret.env", "TOKEN=hunter2\n");
    symlink("/etc/passwd", dir.join("transcripts/leak.txt")).unwrap();
    let coding = dir.join("codings/alice/interview-01.toml");
    std::fs::remove_file(&coding).unwrap();
    symlink(sb.path().join("secret.env"), &coding).unwrap();
    let out = sb.cbr(&dir, "alice", &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("transcripts/leak.txt:1:1: is a symbolic link"),
        "{text}"
    );
    assert!(
        text.contains("codings/alice/interview-01.toml:1:1: is a symbolic link"),
        "{text}"
    );
    assert!(
        !text.contains("root:") && !text.contains("hunter2"),
        "{text}"
    );
}

#[test]
fn a_fifo_transcript_never_hangs_a_command() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let fifo = dir.join("transcripts/interview-99.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let limit = Duration::from_secs(20);
    let out = cbr_within(&sb, &dir, &["check"], limit);
    assert!(
        stdout(&out).contains("transcripts/interview-99.txt:1:1: is not a regular file"),
        "{}",
        stdout(&out)
    );
    cbr_within(&sb, &dir, &["agree", "--unblind"], limit);
    cbr_within(
        &sb,
        &dir,
        &["diff", "alice", "bob", "interview-99", "--unblind"],
        limit,
    );
}

#[test]
fn a_teammates_committed_link_arrives_as_a_plain_file_and_check_names_it() {
    let team = Team::new(|_| {});
    let alice = team.dir("alice");
    symlink("/etc/passwd", alice.join("transcripts/leak.txt")).unwrap();
    // git itself commits the link (cbr would refuse to).
    team.sb.git(&alice, &["add", "transcripts/leak.txt"]);
    team.sb.git(&alice, &["commit", "-qm", "a link"]);
    assert_success(&team.cbr_sync("alice"));
    assert_success(&team.cbr_sync("bob"));
    let arrived = team.dir("bob").join("transcripts/leak.txt");
    let meta = std::fs::symlink_metadata(&arrived).unwrap();
    assert!(meta.file_type().is_file(), "checked out as a plain file");
    assert_eq!(std::fs::read_to_string(&arrived).unwrap(), "/etc/passwd");
    let out = team.sb.cbr(&team.dir("bob"), "bob", &["check"]);
    assert!(
        stdout(&out).contains("transcripts/leak.txt:1:1: committed as a symbolic link"),
        "{}",
        stdout(&out)
    );
}

// 2. An open session and a CLI import of the same coder's work.

#[test]
fn codings_import_waits_for_then_refuses_an_open_session_naming_it() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let SessionLock::Writer(session) = session_lock::open_session(&dir, &slug("alice")).unwrap()
    else {
        panic!("the first session writes");
    };
    let csv = sb.path().join("rows.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\nalice,interview-01,2,3,humour,\n",
    )
    .unwrap();
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let out = sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "alice has a cbr session or command running in this working copy (pid {}",
            std::process::id()
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sb.git(&dir, &["rev-parse", "HEAD"]),
        head,
        "nothing committed"
    );
    drop(session);
    assert_success(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
}

// 3. A crash between the commit and the index write.

#[test]
fn a_stale_index_is_repaired_by_the_next_command() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let file = sb.path().join("interview-50.txt");
    std::fs::write(&file, "INT: hello\nP: hi\n").unwrap();
    assert_success(&sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]));
    // The index as it was before that commit: what a kill -9 leaves.
    sb.git(&dir, &["read-tree", "HEAD~1"]);
    let status = sb.git(&dir, &["status", "--porcelain"]);
    assert!(
        status.contains("D  transcripts/interview-50.txt"),
        "{status}"
    );
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stderr(&out).contains("repaired git's index after an interrupted command"),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}

#[test]
fn files_a_killed_import_left_are_named_by_check_and_a_retry_finishes() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let file = sb.path().join("interview-51.txt");
    std::fs::write(&file, "INT: hello\nP: hi\n").unwrap();
    // What `cbr import` had done when it was killed: the journal written,
    // the transcript written, no commit yet.
    std::fs::copy(&file, dir.join("transcripts/interview-51.txt")).unwrap();
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    write(
        &dir,
        &format!(".git/cbr-journal-{dead}"),
        "cbr import\ntranscripts/interview-51.txt\n",
    );
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stdout(&out).contains(
            "transcripts/interview-51.txt:1:1: written by an interrupted `cbr import` and never committed"
        ),
        "{}",
        stdout(&out)
    );
    assert_success(&sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]));
    let tree = sb.git(&dir, &["ls-tree", "--name-only", "HEAD", "transcripts/"]);
    assert!(tree.contains("transcripts/interview-51.txt"), "{tree}");
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(!stdout(&out).contains("interrupted"), "{}", stdout(&out));
    assert!(!dir.join(format!(".git/cbr-journal-{dead}")).exists());
}

// 4. Concurrent commands.

#[test]
fn concurrent_imports_all_land_without_raw_git_errors() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // Truly at once: start them all, then wait.
    let procs: Vec<_> = (0..4)
        .map(|i| {
            let file = sb.path().join(format!("again-{i}.txt"));
            std::fs::write(&file, format!("INT: again {i}\n")).unwrap();
            sb.command(env!("CARGO_BIN_EXE_cbr"))
                .current_dir(&dir)
                .env("CBR_CODER", if i % 2 == 0 { "alice" } else { "bob" })
                .args(["import", file.to_str().unwrap()])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for p in procs {
        let out = p.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(
            !err.contains("class=") && !err.contains("code="),
            "raw libgit2 error: {err}"
        );
        assert_success(&out);
    }
    let tree = sb.git(&dir, &["ls-tree", "--name-only", "HEAD", "transcripts/"]);
    for i in 0..4 {
        assert!(tree.contains(&format!("again-{i}.txt")), "{tree}");
    }
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}

// 6. Terminal injection.

#[test]
fn escape_sequences_in_study_files_never_reach_the_terminal_raw() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let path = dir.join("codebook/codes/humour.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let hostile = "Humour \u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} \u{202e}txet";
    let text = text.replacen(
        "name = \"",
        &format!("name = \"{}", toml_escape(hostile)),
        1,
    );
    std::fs::write(&path, text).unwrap();
    std::fs::write(dir.join("transcripts/\u{1b}[31mevil.txt"), "x\n").unwrap();
    for args in [
        &["codes"][..],
        &["codes", "--all"],
        &["show", "humour"],
        &["check"],
        &["log"],
        &["changelog"],
    ] {
        let out = sb.cbr(&dir, "alice", args);
        for stream in [stdout(&out), stderr(&out)] {
            assert!(
                !stream.contains('\u{1b}')
                    && !stream.contains('\u{7}')
                    && !stream.contains('\u{202e}'),
                "cbr {args:?} printed a raw control: {stream:?}"
            );
        }
    }
    let out = sb.cbr(&dir, "alice", &["show", "humour"]);
    assert!(stdout(&out).contains("^[]0;pwned^G"), "{}", stdout(&out));
    let out = sb.cbr(&dir, "alice", &["show", "humour", "--format", "json"]);
    let json = stdout(&out);
    assert!(json.contains("\\u202e"), "{json}");
    assert!(!json.contains('\u{202e}'), "{json}");
}

fn toml_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            c if c.is_control() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

// 7. Spreadsheet formula injection.

#[test]
fn exported_formula_cells_are_neutralised_and_import_gives_them_back() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let csv = sb.path().join("in.csv");
    // A cell as cbr exports it: the leading `'` keeps it text.
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\n\
         alice,interview-01,2,3,humour,\"'=HYPERLINK(\"\"http://evil.invalid\"\",\"\"click\"\")\"\n",
    )
    .unwrap();
    assert_success(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
    let stored = std::fs::read_to_string(dir.join("codings/alice/interview-01.toml")).unwrap();
    assert!(stored.contains("memo = '=HYPERLINK"), "{stored}");
    let out = sb.cbr(&dir, "alice", &["codings", "export"]);
    let exported = stdout(&out);
    assert!(exported.contains(",\"'=HYPERLINK("), "{exported}");
    assert!(!exported.contains(",=HYPERLINK"), "{exported}");
}

// 8. Blind coding fails closed.

#[test]
fn unreadable_settings_keep_blind_coding_closed() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let settings = dir.join("study.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\nthis is = = not toml\n")).unwrap();
    let out = sb.cbr(&dir, "alice", &["diff", "alice", "bob", "interview-03"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("study.toml cannot be read, so blind coding is assumed"),
        "{}",
        stderr(&out)
    );
}

// 9. The smaller findings.

#[test]
fn an_end_line_beyond_any_integer_is_reported_by_check() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let path = dir.join("codings/alice/interview-01.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let first = text.find("end_line = ").unwrap();
    let end = first + text[first..].find('\n').unwrap();
    let text = format!(
        "{}end_line = 9223372036854775808{}",
        &text[..first],
        &text[end..]
    );
    std::fs::write(&path, text).unwrap();
    let out = sb.cbr(&dir, "alice", &["check"]);
    assert!(
        stdout(&out).contains("-9223372036854775808 runs past the end of `interview-01`"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn csv_rows_semicolons_crlf_duplicates_and_caps() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let csv = sb.path().join("rows.csv");
    // What French Excel writes: semicolons, CRLF; a row repeated.
    std::fs::write(
        &csv,
        "coder;transcript;start_line;end_line;code;memo\r\n\
         alice;interview-01;2;3;humour;\r\n\
         alice;interview-01;2;3;humour;\r\n",
    )
    .unwrap();
    let out = sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]);
    assert_success(&out);
    assert!(
        stderr(&out).contains("rows.csv:3: the same row as line 2; stored once"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("1 segment(s)"), "{}", stdout(&out));
    // Errors name the line an editor shows, CRLF or not.
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\r\n\
         alice,interview-01,2,3,humour,\r\n\
         alice,interview-01,x,3,humour,\r\n",
    )
    .unwrap();
    let out = sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("rows.csv:3: start_line `x`"),
        "{}",
        stderr(&out)
    );
    // A million bad rows are not a million lines.
    let mut big = String::from("coder,transcript,start_line,end_line,code,memo\n");
    for _ in 0..2000 {
        big.push_str("alice,interview-01,x,3,humour,\n");
    }
    std::fs::write(&csv, big).unwrap();
    let out = sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(err.lines().count() < 60, "{} lines", err.lines().count());
    assert!(
        err.contains("… and 1950 more bad row(s) not shown (2000 in all)"),
        "{err}"
    );
}

#[test]
fn utf16_and_binary_transcripts_are_named_as_such() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let utf16 = sb.path().join("utf16.txt");
    let mut bytes = vec![0xff, 0xfe];
    for unit in "INT: bonjour\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    let out = sb.cbr(&dir, "alice", &["import", utf16.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("this file is UTF-16"),
        "{}",
        stderr(&out)
    );
    let binary = sb.path().join("binary.txt");
    std::fs::write(&binary, b"PK\x03\x04\x00\x00\xff\xfe\x00").unwrap();
    let out = sb.cbr(&dir, "alice", &["import", binary.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("this is a binary file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_lock_naming_an_unrelated_live_pid_is_taken_over() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    // pid 1 runs, but this lock is from 20,788 days ago.
    let lock = session_lock::session_lock_path(&dir, &slug("alice")).unwrap();
    std::fs::write(
        &lock,
        format!(
            "pid = 1\nhost = \"{}\"\nstarted = 1000\nnonce = \"x\"\n",
            codebook_review::study::lockfile::hostname()
        ),
    )
    .unwrap();
    match session_lock::open_session(&dir, &slug("alice")).unwrap() {
        SessionLock::Writer(guard) => assert_eq!(guard.took_over.unwrap().pid, 1),
        SessionLock::ReadOnly { holder } => panic!("read-only forever: {holder:?}"),
    }
    let _ = commit;
}
