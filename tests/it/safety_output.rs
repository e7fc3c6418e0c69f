//! Issue 11, findings 6 to 9: terminal and spreadsheet injection, blind
//! coding failing closed, and the smaller cases (huge line numbers, CSV
//! dialects and caps, encodings, reused pids). Each failed before the fix.

use codebook_review::study::session_lock::{self, SessionLock};

use crate::common::{Sandbox, assert_success, stderr, stdout};
use crate::team_support::slug;

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

#[test]
fn csv_shown_on_a_terminal_keeps_its_escape_sequences_inert() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let csv = sb.path().join("in.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\n\
         alice,interview-01,2,3,humour,\"title\u{1b}]0;pwned\u{7}here\"\n",
    )
    .unwrap();
    assert_success(&sb.cbr(&dir, "alice", &["codings", "import", csv.to_str().unwrap()]));
    // Into a pipe the cell is exact, so a spreadsheet gets the real text.
    let piped = stdout(&sb.cbr(&dir, "alice", &["codings", "export"]));
    assert!(piped.contains("title\u{1b}]0;pwned\u{7}here"), "{piped}");
    // On a terminal (a pty made by `script`) it is shown inert.
    let out = sb
        .command("script")
        .current_dir(&dir)
        .env("CBR_CODER", "alice")
        .args([
            "-qec",
            &format!("{} codings export", env!("CARGO_BIN_EXE_cbr")),
            "/dev/null",
        ])
        .output()
        .expect("script (bsdutils) must be installed; .ci/run installs it");
    let shown = stdout(&out);
    assert!(shown.contains("title^[]0;pwned^Ghere"), "{shown}");
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
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
}
