//! Fuzz-style property tests over the readers of untrusted files: TOML
//! (codings, codes, settings, metadata, through `cbr check`), CSV (codings
//! import) and transcript text. Whatever the bytes, nothing panics; each
//! run is bounded (a fixed number of cases) so CI stays fast.

use std::path::Path;

use proptest::prelude::*;

use codebook_review::model::{Slug, Transcript};
use codebook_review::study::git::Author;
use codebook_review::study::{Study, check, codings_csv};

/// Text that looks enough like TOML to get past the first bytes: keys the
/// readers know, numbers at the edges of every integer type, quotes,
/// brackets, control characters and non-ASCII.
fn tomlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("transcript = \"interview-01\"\n".to_string()),
        Just("[[segments]]\n".to_string()),
        Just("code = \"humour\"\n".to_string()),
        Just("start_line = ".to_string()),
        Just("end_line = ".to_string()),
        Just("complete = true\n".to_string()),
        Just("id = \"humour\"\n".to_string()),
        Just("title = \"T\"\nblind = ".to_string()),
        Just("9223372036854775807\n".to_string()),
        Just("18446744073709551615\n".to_string()),
        Just("-1\n".to_string()),
        Just("0\n".to_string()),
        Just("\"\u{1b}[2J\u{202e}\"\n".to_string()),
        Just("[[decisions]]\ncoders = [\"a\", \"b\"]\n".to_string()),
        "[ -~\n\"'\\[\\]=é\u{0}]{0,20}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"coder,transcript,start_line,end_line,code,memo\n".to_vec()),
        Just(b"coder;transcript;start_line;end_line;code\r\n".to_vec()),
        Just(b"alice,interview-01,1,2,humour,\"=1+1\"\n".to_vec()),
        Just(b"alice,interview-01,99999999999999999999,1,humour,\n".to_vec()),
        Just(b"\"unterminated,\n".to_vec()),
        Just(vec![0xff, 0xfe, 0x00]),
        prop::collection::vec(any::<u8>(), 0..24),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

struct Fixture {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
}

fn study() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("s");
    let author = Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
    codebook_review::study::init::init(&root, "T", &author).unwrap();
    std::fs::write(root.join("transcripts/interview-01.txt"), "INT: a\nP: b\n").unwrap();
    std::fs::create_dir_all(root.join("codings/alice")).unwrap();
    Fixture { _dir: dir, root }
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    std::fs::write(root.join(rel), bytes).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn transcripts_of_any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Transcript::from_bytes(Slug::new("t").unwrap(), &bytes);
    }

    #[test]
    fn check_reads_any_toml_without_panicking(
        coding in tomlish(),
        code in tomlish(),
        meta in tomlish(),
        settings in tomlish(),
    ) {
        let f = study();
        write(&f.root, "codings/alice/interview-01.toml", coding.as_bytes());
        write(&f.root, "codebook/codes/humour.toml", code.as_bytes());
        write(&f.root, "transcripts/interview-01.toml", meta.as_bytes());
        write(&f.root, "study.toml", settings.as_bytes());
        let study = Study::open(&f.root).unwrap();
        let _ = check::check(&study);
        let _ = study.all_codings();
    }

    #[test]
    fn codings_import_reads_any_csv_without_panicking(bytes in csvish()) {
        let f = study();
        write(&f.root, "codebook/codes/humour.toml", b"id = \"humour\"\nname = \"Humour\"\ndefinition = \"d\"\n");
        let file = f.root.join("in.csv");
        std::fs::write(&file, &bytes).unwrap();
        let study = Study::open(&f.root).unwrap();
        let author = Author::new(Slug::new("alice").unwrap(), "a@x.invalid");
        let _ = codings_csv::import(&study, &file, false, &author);
    }
}
