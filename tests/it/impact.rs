//! A suggestion's impact reads only the coding files that mention one of
//! the ways its codes can be written; it must count what reading every
//! file counts, whatever the spelling.

use std::collections::BTreeMap;

use codebook_review::model::Slug;
use codebook_review::study::Study;
use codebook_review::study::impact::{Text, impact, spellings};

use crate::common::tui::demo_dir;

/// Segments per (code, coder) as reading every coding file finds them.
fn counted_in_full(study: &Study, code: &Slug) -> BTreeMap<String, usize> {
    let (all, _) = study.all_codings();
    let mut out = BTreeMap::new();
    for (coder, coding) in &all {
        for seg in &coding.segments {
            let resolved = study.codebook.resolve(seg.code.as_str()).map(|c| &c.id);
            if seg.code == *code || resolved == Some(code) {
                *out.entry(coder.to_string()).or_default() += 1;
            }
        }
    }
    out
}

fn counted_by_impact(study: &Study, code: &Slug) -> BTreeMap<String, usize> {
    let (impacts, problems) = impact(study, std::slice::from_ref(code), Text::Skip);
    assert!(problems.is_empty(), "{problems:?}");
    impacts[0]
        .coders
        .iter()
        .map(|c| (c.coder.to_string(), c.passages.len()))
        .collect()
}

#[test]
fn every_code_counts_as_a_full_read_counts_it() {
    let dir = demo_dir();
    let study = Study::open(&dir.path().join("demo")).unwrap();
    let mut nonzero = 0;
    for code in study.codebook.codes.keys() {
        let full = counted_in_full(&study, code);
        nonzero += usize::from(!full.is_empty());
        assert_eq!(counted_by_impact(&study, code), full, "{code}");
    }
    assert!(nonzero > 10, "the demo codes most codes");
}

#[test]
fn an_old_id_and_an_escaped_id_still_count() {
    let tmp = demo_dir();
    let dir = tmp.path().join("demo");
    let study = Study::open(&dir).unwrap();
    let code = Slug::new("ethical-impossibility").unwrap();
    let spelled = spellings(&study, std::slice::from_ref(&code));
    assert!(
        spelled.contains(&"moral-distress".to_string()),
        "{spelled:?}"
    );
    let before = counted_by_impact(&study, &code);

    // A file that does not mention the code, given two segments of it: one
    // under its old id, one whose id is spelled with a TOML escape.
    let (alice, _) = study.codings_of(&Slug::new("alice").unwrap());
    let quiet = alice
        .iter()
        .find(|c| {
            let text =
                std::fs::read_to_string(dir.join(format!("codings/alice/{}.toml", c.transcript)))
                    .unwrap();
            !spelled.iter().any(|s| text.contains(s.as_str()))
        })
        .expect("a coding of alice's without the code");
    let path = dir.join(format!("codings/alice/{}.toml", quiet.transcript));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n[[segments]]\ncode = \"\\u0065thical-impossibility\"\nstart_line = 1\nend_line = 1\n",
    );
    std::fs::write(&path, &text).unwrap();
    let study = Study::open(&dir).unwrap();
    let after = counted_by_impact(&study, &code);
    assert_eq!(
        after.get("alice"),
        Some(&(before.get("alice").unwrap_or(&0) + 1))
    );
    assert_eq!(after, counted_in_full(&study, &code));

    text.push_str("\n[[segments]]\ncode = \"moral-distress\"\nstart_line = 2\nend_line = 2\n");
    std::fs::write(&path, &text).unwrap();
    let study = Study::open(&dir).unwrap();
    let again = counted_by_impact(&study, &code);
    assert_eq!(again.get("alice"), Some(&(after["alice"] + 1)));
}
