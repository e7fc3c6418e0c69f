//! `cbr export qdpx` / `cbr import qdpx`: schema-valid exports, the round
//! trip into an empty study, every example project, and bad input.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::{Sandbox, assert_success, stderr, stdout};
use crate::refi_common::{assert_valid, code_ids, fixture};

fn empty_study(sb: &Sandbox, name: &str) -> PathBuf {
    let dir = sb.path().join(name);
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    dir
}

fn zip(path: &Path, files: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, data) in files {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
}

fn unzip_qde(qdpx: &Path, to: &Path) {
    let mut a = zip::ZipArchive::new(std::fs::File::open(qdpx).unwrap()).unwrap();
    let mut f = a.by_name("project.qde").unwrap();
    let mut out = std::fs::File::create(to).unwrap();
    std::io::copy(&mut f, &mut out).unwrap();
}

/// Every file under `dir`, relative, with its content; `codebook = ` lines
/// of codings (git tree ids of the source study) left out.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for sub in ["codebook", "transcripts", "codings"] {
        let mut stack = vec![dir.join(sub)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let text: String = text
                        .lines()
                        .filter(|l| !l.starts_with("codebook = "))
                        .map(|l| format!("{l}\n"))
                        .collect();
                    out.push((p.strip_prefix(dir).unwrap().display().to_string(), text));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn export_validates_and_round_trips_into_an_empty_study() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let out = sb.path().join("p.qdpx");
    let export = sb.cbr(
        &demo,
        "alice",
        &["export", "qdpx", "-o", out.to_str().unwrap()],
    );
    assert_success(&export);
    assert!(
        stdout(&export).contains("39 codes, 7 transcripts, 108 segments, 31 memos"),
        "{}",
        stdout(&export)
    );
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let qde = sb.path().join("project.qde");
    unzip_qde(&out, &qde);
    assert_valid(&qde, "Project.xsd");

    let fresh = empty_study(&sb, "fresh");
    let imported = sb.cbr(&fresh, "alice", &["import", "qdpx", out.to_str().unwrap()]);
    assert_success(&imported);
    let text = stdout(&imported);
    assert!(
        text.contains("imported 7 transcripts and 108 segments in one commit, with 39 codes"),
        "{text}"
    );
    assert!(
        text.contains("Unicode code points (the standard)"),
        "{text}"
    );
    // Same codebook, transcripts (byte for byte), metadata, segments, memos,
    // completeness; only the codebook version of each segment is git's own.
    assert_eq!(files(&demo), files(&fresh));
    let log = sb.git(&fresh, &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 2, "one commit: {log}");
    assert!(log.starts_with("alice: import project p.qdpx (cbr 0.1.0): 7 transcripts, 108 segments by alice, bob, 39 codes"), "{log}");
    assert_success(&sb.cbr(&fresh, "alice", &["check"]));

    // Exporting the import gives the same selections at the same positions.
    let again = sb.path().join("p2.qdpx");
    assert_success(&sb.cbr(
        &fresh,
        "alice",
        &["export", "qdpx", "-o", again.to_str().unwrap()],
    ));
    let qde2 = sb.path().join("project2.qde");
    unzip_qde(&again, &qde2);
    let positions = |p: &Path| -> Vec<String> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter_map(|l| {
                l.find("startPosition")
                    .map(|i| l[i..].split(" creatingUser").next().unwrap().to_string())
            })
            .collect()
    };
    assert_eq!(positions(&qde), positions(&qde2));

    // Blind coding holds: bob may not take alice's unfinished interview-03
    // out of the study, unless he says so.
    let b = sb.path().join("b.qdpx");
    let refused = sb.cbr(&demo, "bob", &["export", "qdpx", "-o", b.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("interview-03: waiting for alice"),
        "{}",
        stderr(&refused)
    );
    assert!(!b.exists());
    assert_success(&sb.cbr(
        &demo,
        "bob",
        &["export", "qdpx", "--unblind", "-o", b.to_str().unwrap()],
    ));

    // Only some coders.
    let only = sb.cbr(
        &demo,
        "alice",
        &[
            "export",
            "qdpx",
            "--coders",
            "bob",
            "-o",
            sb.path().join("b.qdpx").to_str().unwrap(),
        ],
    );
    assert_success(&only);
    assert!(!stdout(&only).contains("108 segments"), "{}", stdout(&only));
}

#[test]
fn every_example_project_imports_with_its_counts() {
    let sb = Sandbox::new();
    let nvivo_win = sb.path().join("nvivo-win.qdpx");
    let dir = fixture("examples/nvivo-win-12.6_oltas0517");
    let qde = std::fs::read(dir.join("project.qde")).unwrap();
    let src_name = "Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt";
    let src = std::fs::read(dir.join(src_name)).unwrap();
    zip(&nvivo_win, &[("project.qde", &qde), (src_name, &src)]);
    // (file, codes, transcripts, segments, words the output must hold)
    let cases: [(PathBuf, usize, usize, usize, &str); 6] = [
        (
            fixture("examples/atlasti-win23.2.3_blank-atlas-project.qdpx"),
            0,
            0,
            0,
            "nothing changed",
        ),
        (
            fixture("examples/atlasti-win23.2.3_target-atlas-project.qdpx"),
            3,
            0,
            0,
            "3 codes",
        ),
        (
            fixture("examples/nvivo-mac-15.0.0_qc-project.qdpx"),
            262,
            2,
            0,
            "262 codes",
        ),
        (
            fixture("examples/spec-annexA2_atlasti-8.4_Project.qde"),
            14,
            0,
            0,
            "2 PDF sources",
        ),
        (nvivo_win.clone(), 152, 1, 303, "UTF-16 code units"),
        // The same NVivo project as a bare .qde beside its Sources folder.
        (
            dir.join("project.qde"),
            152,
            1,
            303,
            "25 selections start or end inside a line",
        ),
    ];
    for (i, (file, codes, transcripts, segments, words)) in cases.iter().enumerate() {
        let study = empty_study(&sb, &format!("s{i}"));
        let out = sb.cbr(&study, "alice", &["import", file.to_str().unwrap()]);
        assert_success(&out);
        let text = stdout(&out);
        assert!(text.contains(words), "{}: {text}", file.display());
        assert_eq!(code_ids(&study).len(), *codes, "{}", file.display());
        let txt = std::fs::read_dir(study.join("transcripts"))
            .map(|d| {
                d.filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "txt")
                })
                .count()
            })
            .unwrap_or(0);
        assert_eq!(txt, *transcripts, "{}", file.display());
        let segs = sb.cbr(&study, "alice", &["codings", "export"]);
        assert_eq!(
            stdout(&segs).lines().count().saturating_sub(1),
            *segments,
            "{}",
            file.display()
        );
        assert_success(&sb.cbr(&study, "alice", &["check"]));
    }
    // NVivo's selections land on the quoted text: the first one (UTF-16
    // offsets 3137..3284 in a text full of emoji) starts a line.
    let study = sb.path().join("s4");
    let coding = std::fs::read_to_string(study.join("codings/gergo/videos-10-selected.toml"))
        .or_else(|_| {
            std::fs::read_to_string(study.join("codings/floriansipos/videos-10-selected.toml"))
        })
        .unwrap();
    assert!(coding.contains("start_line"), "{coding}");
}

#[test]
fn into_a_study_with_codes_the_codebook_goes_first_as_a_suggestion() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let file = sb.path().join("t.qdpx");
    std::fs::copy(
        fixture("examples/atlasti-win23.2.3_target-atlas-project.qdpx"),
        &file,
    )
    .unwrap();
    // This project has no text, so it imports nothing but asks nothing either.
    let out = sb.cbr(&demo, "alice", &["import", "qdpx", file.to_str().unwrap()]);
    assert_success(&out);
    let sug = sb.cbr(&demo, "alice", &["import", "qdc", file.to_str().unwrap()]);
    assert_success(&sug);
    assert!(
        stdout(&sug).contains("suggest/alice/import-t"),
        "{}",
        stdout(&sug)
    );
}

#[test]
fn bad_projects_are_refused_and_nothing_is_written() {
    let sb = Sandbox::new();
    let study = empty_study(&sb, "s");
    let head = sb.git(&study, &["rev-parse", "HEAD"]);
    let code = r#"<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="A" isCodable="true"/></Codes></CodeBook>"#;
    let src = |sel_code: &str| {
        format!(
            r#"<Project name="p">{code}<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="one" plainTextPath="internal://x.txt"><PlainTextSelection guid="33333333-3333-3333-3333-333333333333" startPosition="0" endPosition="3"><Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="{sel_code}"/></Coding></PlainTextSelection></TextSource></Sources></Project>"#
        )
    };
    let good_code = "11111111-1111-1111-1111-111111111111";
    let missing = src("99999999-9999-9999-9999-999999999999");
    let ok = src(good_code);
    let dup = ok.replace(
        "33333333-3333-3333-3333-333333333333",
        "22222222-2222-2222-2222-222222222222",
    );
    type Entries<'a> = Vec<(&'a str, Vec<u8>)>;
    let cases: Vec<(&str, Entries, &str)> = vec![
        ("noqde.qdpx", vec![("readme.txt", b"x".to_vec())], "no .qde"),
        (
            "climb.qdpx",
            vec![
                ("project.qde", ok.clone().into_bytes()),
                ("../../evil.txt", b"x".to_vec()),
            ],
            "outside the archive",
        ),
        (
            "abs.qdpx",
            vec![("/tmp/evil.txt", b"x".to_vec())],
            "outside the archive",
        ),
        (
            "xml.qdpx",
            vec![("project.qde", b"<Project name=\"p\">\n<Users>".to_vec())],
            "project.qde:2:",
        ),
        (
            "code.qdpx",
            vec![
                ("project.qde", missing.into_bytes()),
                ("sources/x.txt", b"abc".to_vec()),
            ],
            "points at code 99999999",
        ),
        (
            "dup.qdpx",
            vec![
                ("project.qde", dup.into_bytes()),
                ("sources/x.txt", b"abc".to_vec()),
            ],
            "duplicate GUID",
        ),
        (
            "latin.qdpx",
            vec![
                ("project.qde", ok.clone().into_bytes()),
                ("Sources/x.txt", b"caf\xe9".to_vec()),
            ],
            "not UTF-8",
        ),
    ];
    for (name, entries, want) in cases {
        let path = sb.path().join(name);
        let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (*n, d.as_slice())).collect();
        zip(&path, &entries);
        let out = sb.cbr(&study, "alice", &["import", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
    }
    assert!(!sb.path().join("evil.txt").exists());
    assert_eq!(sb.git(&study, &["rev-parse", "HEAD"]), head);
    assert_eq!(
        sb.git(&study, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );

    // The good one imports; a second time it is refused (no duplicates).
    let path = sb.path().join("good.qdpx");
    zip(
        &path,
        &[
            ("project.qde", ok.as_bytes()),
            ("sources/x.txt", b"abc def\n"),
        ],
    );
    let out = sb.cbr(&study, "alice", &["import", "qdpx", path.to_str().unwrap()]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("1 selections start or end inside a line"),
        "{}",
        stdout(&out)
    );
    let coding = std::fs::read_to_string(study.join("codings/alice/one.toml")).unwrap();
    assert!(coding.contains("end_col = 3"), "{coding}");
    let again = sb.cbr(&study, "alice", &["import", "qdpx", path.to_str().unwrap()]);
    assert!(stderr(&again).contains("already has"), "{}", stderr(&again));
}

#[test]
fn users_become_coders_through_the_coder_map() {
    let sb = Sandbox::new();
    let study = empty_study(&sb, "s");
    let qde = r#"<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Tool">
<Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Jane Doe"/><User guid="aaaaaaaa-0000-0000-0000-000000000002" name="Sam"/></Users>
<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Trust" isCodable="true"/></Codes></CodeBook>
<Variables><Variable guid="55555555-5555-5555-5555-555555555555" name="Participant role" typeOfVariable="Text"/></Variables>
<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="Interview 1.docx">
<PlainTextContent>INT: hello
P1: I trust them
</PlainTextContent>
<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" name="P1: I trust them" startPosition="11" endPosition="27" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
<Coding guid="44444444-4444-4444-4444-444444444441" creatingUser="AAAAAAAA-0000-0000-0000-000000000001"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
<Coding guid="44444444-4444-4444-4444-444444444442" creatingUser="aaaaaaaa-0000-0000-0000-000000000002"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/><NoteRef targetGUID="66666666-6666-6666-6666-666666666666"/></Coding>
<NoteRef targetGUID="66666666-6666-6666-6666-666666666666"/>
</PlainTextSelection>
<VariableValue><VariableRef targetGUID="55555555-5555-5555-5555-555555555555"/><TextValue>nurse</TextValue></VariableValue>
</TextSource></Sources>
<Notes><Note guid="66666666-6666-6666-6666-666666666666" name="n"><PlainTextContent>Said with a smile.</PlainTextContent></Note></Notes>
<Sets/>
</Project>"#;
    let path = sb.path().join("map.qdpx");
    zip(&path, &[("Export/my project.qde", qde.as_bytes())]);
    // A .qde that is not at the top is not found.
    let out = sb.cbr(&study, "alice", &["import", path.to_str().unwrap()]);
    assert!(stderr(&out).contains("no .qde"), "{}", stderr(&out));
    zip(&path, &[("my project.qde", qde.as_bytes())]);
    let out = sb.cbr(
        &study,
        "alice",
        &[
            "import",
            "qdpx",
            path.to_str().unwrap(),
            "--coder-map",
            "Jane Doe=jane",
        ],
    );
    assert_success(&out);
    assert!(
        stdout(&out).contains("user \"Jane Doe\" → coder jane"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("user \"Sam\" → coder sam"),
        "{}",
        stdout(&out)
    );
    let jane = std::fs::read_to_string(study.join("codings/jane/interview-1.toml")).unwrap();
    assert!(
        jane.contains(
            "code = \"trust\"\nstart_line = 2\nend_line = 2\nmemo = \"Said with a smile.\""
        ),
        "{jane}"
    );
    // Sam's coding and the selection point at the same note: one memo.
    let sam = std::fs::read_to_string(study.join("codings/sam/interview-1.toml")).unwrap();
    assert!(sam.contains("memo = \"Said with a smile.\"\n"), "{sam}");
    let meta = std::fs::read_to_string(study.join("transcripts/interview-1.toml")).unwrap();
    assert_eq!(meta, "participant_role = \"nurse\"\n");
    let bad = sb.cbr(
        &study,
        "alice",
        &[
            "import",
            "qdpx",
            path.to_str().unwrap(),
            "--coder-map",
            "Jane",
        ],
    );
    assert!(stderr(&bad).contains("NAME=coder-id"), "{}", stderr(&bad));
}

#[test]
fn a_source_only_in_word_form_is_read_from_its_docx() {
    let sb = Sandbox::new();
    let study = empty_study(&sb, "s");
    let docx = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/transcripts/entretien.docx"),
    )
    .unwrap();
    let qde = r#"<?xml version="1.0"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Tool">
<Users><User guid="aaaaaaaa-0000-0000-0000-000000000001" name="Jane"/></Users>
<CodeBook><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Place" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="22222222-2222-2222-2222-222222222222" name="Entretien 3" richTextPath="internal://int3.docx">
<PlainTextSelection guid="33333333-3333-3333-3333-333333333333" name="Entretien 3" startPosition="0" endPosition="11" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
<Coding guid="44444444-4444-4444-4444-444444444441" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"><CodeRef targetGUID="11111111-1111-1111-1111-111111111111"/></Coding>
</PlainTextSelection>
</TextSource></Sources>
</Project>"#;
    let path = sb.path().join("word.qdpx");
    zip(
        &path,
        &[
            ("project.qde", qde.as_bytes()),
            ("sources/int3.docx", &docx),
        ],
    );
    let out = sb.cbr(&study, "alice", &["import", "qdpx", path.to_str().unwrap()]);
    assert_success(&out);
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        said.contains("read from their Word (.docx) version"),
        "{said}"
    );
    let text = std::fs::read_to_string(study.join("transcripts/entretien-3.txt")).unwrap();
    assert!(
        text.starts_with("Entretien 3 — Créteil\nINT: Bonjour"),
        "{text}"
    );
    let jane = std::fs::read_to_string(study.join("codings/jane/entretien-3.toml")).unwrap();
    assert!(
        jane.contains("code = \"place\"\nstart_line = 1\nend_line = 1"),
        "{jane}"
    );
}
