//! `cbr import` on Word, OpenDocument, subtitle and Markdown transcripts,
//! and on files it must refuse, in real temporary studies.

use std::io::Write;
use std::path::{Path, PathBuf};

use codebook_review::model::Slug;
use codebook_review::study::Study;

use crate::common::{Sandbox, assert_success, stderr, stdout};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/transcripts/");

fn study(sb: &Sandbox) -> PathBuf {
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    dir
}

/// A copy of a fixture in the sandbox, under `name`.
fn fixture(sb: &Sandbox, fixture: &str, name: &str) -> String {
    let to = sb.path().join(name);
    std::fs::copy(format!("{FIXTURES}{fixture}"), &to).unwrap();
    to.to_str().unwrap().to_string()
}

fn speakers(dir: &Path, id: &str) -> Vec<Option<String>> {
    let study = Study::open(dir).unwrap();
    let t = study.transcript(&Slug::new(id).unwrap()).unwrap();
    t.turns().iter().map(|t| t.speaker.clone()).collect()
}

fn commits(sb: &Sandbox, dir: &Path) -> String {
    sb.git(dir, &["rev-list", "--count", "HEAD"])
        .trim()
        .to_string()
}

#[test]
fn every_format_imports_with_its_speaker_turns_in_one_commit() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    let files = [
        fixture(&sb, "entretien.docx", "Entretien Word.docx"),
        fixture(&sb, "entretien.odt", "entretien-odt.odt"),
        fixture(&sb, "entretien.md", "entretien-md.md"),
        fixture(&sb, "entretien.srt", "entretien-srt.srt"),
        fixture(&sb, "entretien.vtt", "entretien-vtt.vtt"),
    ];
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let out = sb.cbr(&dir, "bob", &args);
    assert_success(&out);
    assert!(
        stdout(&out).contains("→ transcripts/entretien-word.txt"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        stderr(&out).trim(),
        format!(
            "warning: {}: has 1 NOTE block, left out of the transcript",
            files[4]
        ),
        "only the WebVTT NOTE is worth a warning"
    );

    let word = std::fs::read_to_string(dir.join("transcripts/entretien-word.txt")).unwrap();
    assert!(word.contains("\nINT: Bonjour, merci"), "{word}");
    assert!(word.contains("\n[Nadia Benali] Parfois tendues."), "{word}");
    // `[Rires]` reads as a bracketed label: cbr's own rule for plain text.
    let turns = [
        None,
        Some("INT"),
        Some("P1"),
        Some("INT"),
        Some("Nadia Benali"),
        Some("Rires"),
    ]
    .map(|s| s.map(String::from))
    .to_vec();
    assert_eq!(speakers(&dir, "entretien-word"), turns);
    assert_eq!(speakers(&dir, "entretien-odt"), turns);
    assert_eq!(
        std::fs::read_to_string(dir.join("transcripts/entretien-odt.txt")).unwrap(),
        word,
        "Word and OpenDocument give the same text"
    );
    let md = std::fs::read_to_string(dir.join("transcripts/entretien-md.txt")).unwrap();
    assert!(
        md.starts_with("# Entretien 3 — Créteil\n\nINT: Bonjour"),
        "{md}"
    );

    let srt = std::fs::read_to_string(dir.join("transcripts/entretien-srt.txt")).unwrap();
    assert_eq!(
        srt,
        "INT: Bonjour, merci d'avoir accepté cet entretien.\nP1: Je suis aide-soignante de nuit.\nDepuis six ans, à Créteil.\nINT: Et les familles ?\n"
    );
    assert_eq!(
        speakers(&dir, "entretien-vtt"),
        [Some("INT"), Some("Nadia Benali"), Some("INT")].map(|s| s.map(String::from))
    );
    // Cue times stay beside the text, one entry per line.
    let study = Study::open(&dir).unwrap();
    let meta = study
        .meta(&Slug::new("entretien-vtt").unwrap())
        .unwrap()
        .unwrap();
    let cues = meta.extra["subtitles"]["cues"].as_array().unwrap();
    assert_eq!(cues.len(), 4);
    assert_eq!(cues[2]["start"].as_str(), Some("00:00:08.100"));
    assert!(dir.join("transcripts/entretien-srt.toml").is_file());
    assert!(!dir.join("transcripts/entretien-word.toml").exists());

    assert_eq!(commits(&sb, &dir), "2", "one commit for the five files");
    let log = sb.git(&dir, &["log", "-1", "--format=%an|%B", "--name-only"]);
    assert!(log.starts_with("bob|bob: import 5 transcripts"), "{log}");
    assert!(
        log.contains("entretien-word: converted from docx (Entretien Word.docx)"),
        "{log}"
    );
    assert!(log.contains("transcripts/entretien-vtt.toml"), "{log}");
    assert_success(&sb.cbr(&dir, "bob", &["check"]));
}

#[test]
fn tracked_changes_and_comments_are_reported_and_recorded() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    let file = fixture(&sb, "revise.docx", "revise.docx");
    let out = sb.cbr(&dir, "bob", &["import", &file]);
    assert_success(&out);
    let err = stderr(&out);
    assert!(
        err.contains("warning: ")
            && err.contains("revise.docx: has tracked changes (1 insertion, 1 deletion)"),
        "{err}"
    );
    assert!(err.contains("insertions and moved text kept") && err.contains("deletions dropped"));
    assert!(err.contains("has 1 comment"), "{err}");
    let text = std::fs::read_to_string(dir.join("transcripts/revise.txt")).unwrap();
    assert!(
        text.contains("P1: Oui, depuis six ans.") && !text.contains("cinq"),
        "{text}"
    );
    let log = sb.git(&dir, &["log", "-1", "--format=%B"]);
    assert!(log.contains("revise.docx has tracked changes"), "{log}");
}

/// A zip built here, for archives no word processor would write.
fn zip(path: &Path, parts: &[(&str, &[u8])]) {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn bad_files_are_refused_by_name_and_nothing_is_imported() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    let good = sb.path().join("good.txt");
    std::fs::write(&good, "INT: fine\n").unwrap();

    let pdf = sb.path().join("scan.pdf");
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let corrupt = sb.path().join("corrupt.docx");
    std::fs::write(&corrupt, b"PK\x03\x04 this is not a whole zip").unwrap();
    let climbing = sb.path().join("climbing.docx");
    zip(
        &climbing,
        &[
            ("../../evil.xml", b"<x/>"),
            ("word/document.xml", b"<w:document/>"),
        ],
    );
    let absolute = sb.path().join("absolute.odt");
    zip(&absolute, &[("/etc/content.xml", b"<x/>")]);
    let bomb = sb.path().join("bomb.docx");
    zip(
        &bomb,
        &[("word/document.xml", &vec![b' '; 40 * 1024 * 1024])],
    );
    let not_word = sb.path().join("not-word.docx");
    zip(&not_word, &[("mimetype", b"application/zip")]);
    let malformed = sb.path().join("malformed.odt");
    zip(
        &malformed,
        &[(
            "content.xml",
            b"<office:document-content><text:p>open</office:document-content>",
        )],
    );
    let bad_srt = sb.path().join("bad.srt");
    std::fs::write(
        &bad_srt,
        "1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\nno timing\n",
    )
    .unwrap();

    let cases: [(&Path, &str); 8] = [
        (&pdf, "`.pdf` is not a transcript format cbr reads"),
        (&corrupt, "cannot be read as a zip archive"),
        (
            &climbing,
            "`../../evil.xml`, which points outside the archive",
        ),
        (
            &absolute,
            "`/etc/content.xml`, which points outside the archive",
        ),
        (&bomb, "word/document.xml: unpacks to more than 32 MB"),
        (&not_word, "has no word/document.xml"),
        (&malformed, "content.xml: malformed XML at byte"),
        (&bad_srt, "line 5: a cue without a timing line"),
    ];
    for (bad, expected) in cases {
        let out = sb.cbr(
            &dir,
            "bob",
            &["import", good.to_str().unwrap(), bad.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2), "{}", bad.display());
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{}: ", bad.display())),
            "names the file: {err}"
        );
        assert!(err.contains(expected), "{}: {err}", bad.display());
        assert_eq!(
            commits(&sb, &dir),
            "1",
            "nothing committed for {}",
            bad.display()
        );
        assert!(
            !dir.join("transcripts/good.txt").exists(),
            "nothing written"
        );
    }
}

#[test]
fn links_inside_the_study_are_not_followed() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    std::fs::write(dir.join("study-notes.md"), "INT: secret\n").unwrap();
    let link = dir.join("link.md");
    std::os::unix::fs::symlink(dir.join("study-notes.md"), &link).unwrap();
    let out = sb.cbr(&dir, "bob", &["import", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("symbolic link inside the study"),
        "{}",
        stderr(&out)
    );

    // A link outside the study is the user's own file: followed.
    let outside = sb.path().join("outside.md");
    std::os::unix::fs::symlink(dir.join("study-notes.md"), &outside).unwrap();
    assert_success(&sb.cbr(&dir, "bob", &["import", outside.to_str().unwrap()]));
    let fifo = sb.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = sb.cbr(&dir, "bob", &["import", fifo.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failed_commit_leaves_no_file_behind() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    let srt = fixture(&sb, "entretien.srt", "locked.srt");
    // Another git process holds the branch: the commit cannot be made.
    let lock = dir.join(".git/refs/heads/main.lock");
    std::fs::write(&lock, "").unwrap();
    let out = sb.cbr(&dir, "bob", &["import", &srt]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("main.lock"), "{}", stderr(&out));
    assert!(!dir.join("transcripts/locked.txt").exists());
    assert!(!dir.join("transcripts/locked.toml").exists());
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(sb.git(&dir, &["status", "--porcelain"]), "");
}
