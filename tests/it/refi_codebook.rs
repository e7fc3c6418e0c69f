//! `cbr export qdc` / `cbr import qdc`: schema-valid exports, stable GUIDs,
//! the round trip, every example codebook, and bad input.

use std::os::unix::fs::PermissionsExt;

use crate::common::{Sandbox, assert_success, stderr, stdout};
use crate::refi_common::{assert_valid, code_ids, fixture};

fn empty_study(sb: &Sandbox, name: &str) -> std::path::PathBuf {
    let dir = sb.path().join(name);
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    dir
}

#[test]
fn export_validates_is_private_stable_and_round_trips() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let out = sb.path().join("cb.qdc");
    assert_success(&sb.cbr(
        &demo,
        "alice",
        &["export", "qdc", "-o", out.to_str().unwrap()],
    ));
    assert_valid(&out, "Codebook.xsd");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "exports hold study material: owner only");
    let text = std::fs::read_to_string(&out).unwrap();
    // Colours are RGB (deprecated codes being not codable is a unit test).
    assert!(text.contains("color=\"#CC0000\""));
    // Exporting again gives the same GUIDs (and the same file).
    let again = sb.cbr(&demo, "alice", &["export", "qdc"]);
    assert_success(&again);
    assert_eq!(stdout(&again), text);

    // Into an empty study: the same codebook, field for field, one commit.
    let fresh = empty_study(&sb, "fresh");
    let imported = sb.cbr(&fresh, "alice", &["import", out.to_str().unwrap()]);
    assert_success(&imported);
    assert!(
        stdout(&imported).contains("imported 39 codes"),
        "{}",
        stdout(&imported)
    );
    let a = demo.join("codebook/codes");
    for id in code_ids(&demo) {
        let name = format!("{id}.toml");
        assert_eq!(
            std::fs::read_to_string(a.join(&name)).unwrap(),
            std::fs::read_to_string(fresh.join("codebook/codes").join(&name)).unwrap(),
            "{id} changed in the round trip"
        );
    }
    assert_eq!(code_ids(&demo), code_ids(&fresh));
    let log = sb.git(&fresh, &["log", "--format=%an|%s"]);
    assert!(
        log.starts_with("alice|alice: import codebook from cb.qdc"),
        "{log}"
    );
    assert_eq!(sb.git(&fresh, &["status", "--porcelain"]), "");
}

#[test]
fn an_older_version_can_be_exported() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let v1 = sb.cbr(&demo, "alice", &["export", "qdc", "--at", "codebook-v1"]);
    assert_success(&v1);
    assert!(stdout(&v1).contains("name=\"Verbal violence and threats\""));

    let fresh = empty_study(&sb, "fresh");
    let file = fixture("examples/spec-annexA1_codebook.qdc");
    assert_success(&sb.cbr(&fresh, "alice", &["import", "qdc", file.to_str().unwrap()]));
    let code = fresh.join("codebook/codes/economy.toml");
    let text = std::fs::read_to_string(&code).unwrap();
    std::fs::write(
        &code,
        text.replace("name = \"Economy\"", "name = \"The economy\""),
    )
    .unwrap();
    sb.git(&fresh, &["commit", "-qam", "rename"]);
    let before = sb.cbr(&fresh, "alice", &["export", "qdc", "--at", "main~1"]);
    assert_success(&before);
    assert!(stdout(&before).contains("name=\"Economy\""));
    let now = sb.cbr(&fresh, "alice", &["export", "qdc"]);
    assert!(stdout(&now).contains("name=\"The economy\""));
    let none = sb.cbr(&fresh, "alice", &["export", "qdc", "--at", "main~2"]);
    assert!(stderr(&none).contains("no codes"), "{}", stderr(&none));
    let bad = sb.cbr(
        &demo,
        "alice",
        &["export", "qdc", "--at", "no-such-version"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("names no version"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn into_a_study_with_codes_it_is_a_suggestion() {
    let sb = Sandbox::new();
    let demo = sb.demo();
    let before = sb.git(&demo, &["rev-parse", "main"]);
    let file = fixture("examples/spec-annexA1_codebook.qdc");
    let out = sb.cbr(&demo, "bob", &["import", "qdc", file.to_str().unwrap()]);
    assert_success(&out);
    assert!(
        stdout(&out).contains("suggest/bob/import-spec-annexa1-codebook"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        sb.git(&demo, &["rev-parse", "main"]),
        before,
        "main is untouched"
    );
    let files = sb.git(
        &demo,
        &[
            "diff",
            "--name-only",
            "main",
            "suggest/bob/import-spec-annexa1-codebook",
        ],
    );
    assert_eq!(files.lines().count(), 6, "{files}");
    assert!(files.contains("codebook/codes/health-care.toml"), "{files}");
    let list = sb.cbr(&demo, "alice", &["suggest", "list"]);
    assert!(stdout(&list).contains("Import codebook from spec-annexA1_codebook.qdc"));
}

#[test]
fn every_example_codebook_imports_with_its_codes() {
    let sb = Sandbox::new();
    for (file, codes, sets) in [
        ("spec-annexA1_codebook.qdc", 6, 0),
        ("taguette-1.4.1_codebook.qdc", 3, 0),
        ("atlasti-win23.4.0_codebook_from-requal-test.qdc", 1, 1),
    ] {
        let dir = empty_study(&sb, file);
        let out = sb.cbr(
            &dir,
            "alice",
            &[
                "import",
                fixture(&format!("examples/{file}")).to_str().unwrap(),
            ],
        );
        assert_success(&out);
        assert_eq!(code_ids(&dir).len(), codes, "{file}: {}", stdout(&out));
        assert_eq!(
            stdout(&out).contains("code sets"),
            sets > 0,
            "{}",
            stdout(&out)
        );
        let check = sb.cbr(&dir, "alice", &["check"]);
        assert_success(&check);
    }
    // Descriptions written by another tool stay whole.
    let dir = sb.path().join("spec-annexA1_codebook.qdc");
    let code = std::fs::read_to_string(dir.join("codebook/codes/economy.toml")).unwrap();
    assert!(
        code.contains("description = \"Anything about jobs or taxes or business\""),
        "{code}"
    );
}

#[test]
fn bad_codebooks_are_refused_with_the_place_and_nothing_written() {
    let sb = Sandbox::new();
    let dir = empty_study(&sb, "s");
    let head = sb.git(&dir, &["rev-parse", "HEAD"]);
    let cases = [
        (
            "broken.qdc",
            "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>\n<Code guid=\"a\" name=\"x\" isCodable=\"true\">\n</Codes></CodeBook>",
            "malformed XML",
        ),
        (
            "dup.qdc",
            "<CodeBook><Codes><Code guid=\"5215cc69-b628-4e02-afb9-9beeaee55808\" name=\"a\" isCodable=\"true\"/>\n<Code guid=\"{5215CC69-B628-4E02-AFB9-9BEEAEE55808}\" name=\"b\" isCodable=\"true\"/></Codes></CodeBook>",
            "2:1: duplicate GUID",
        ),
        (
            "bad-guid.qdc",
            "<CodeBook><Codes><Code guid=\"nope\" name=\"a\" isCodable=\"true\"/></Codes></CodeBook>",
            "is not a GUID",
        ),
        ("project.qdc", "<Project/>", "not <CodeBook>"),
    ];
    for (name, text, want) in cases {
        let file = sb.path().join(name);
        std::fs::write(&file, text).unwrap();
        let out = sb.cbr(&dir, "alice", &["import", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.contains(name) && err.contains(want), "{name}: {err}");
    }
    let latin1 = sb.path().join("latin1.qdc");
    std::fs::write(&latin1, b"<CodeBook><Codes><Code guid=\"5215cc69-b628-4e02-afb9-9beeaee55808\" name=\"caf\xe9\" isCodable=\"true\"/></Codes></CodeBook>").unwrap();
    let out = sb.cbr(&dir, "alice", &["import", latin1.to_str().unwrap()]);
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    assert_eq!(sb.git(&dir, &["rev-parse", "HEAD"]), head);
    assert!(code_ids(&dir).is_empty());
}
