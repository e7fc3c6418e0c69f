use proptest::prelude::*;

use super::*;

fn by_toml(text: &str) -> Result<Coding, String> {
    toml::from_str::<Coding>(text).map_err(|e| e.to_string())
}

fn text_strategy() -> impl Strategy<Value = String> {
    // Quotes, backslashes, control characters, accents, CJK and emoji: what
    // a memo may hold and what escaping must get right.
    proptest::collection::vec(
        prop_oneof![
            Just('"'),
            Just('\\'),
            Just('\n'),
            Just('\t'),
            Just('\r'),
            Just('\u{1}'),
            Just('\u{7f}'),
            Just('\u{85}'),
            Just('é'),
            Just('中'),
            Just('❤'),
            Just('\u{fe0f}'),
            Just('\''),
            Just('#'),
            Just('='),
            Just('['),
            any::<char>(),
            proptest::char::range('a', 'z'),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn slug_strategy() -> impl Strategy<Value = Slug> {
    "[a-z][a-z0-9-]{0,12}".prop_filter_map("a valid id", |s| Slug::new(&s).ok())
}

prop_compose! {
    fn segment()(
        code in slug_strategy(),
        start in 1usize..5000,
        len in 0usize..40,
        cols in proptest::option::of((1usize..200, 1usize..200)),
        memo in proptest::option::of(text_strategy()),
        codebook in proptest::option::of("[0-9a-f]{40}"),
        rationale in proptest::option::of(text_strategy()),
        decided_by in proptest::option::of("[a-z]{1,8}"),
    ) -> Segment {
        let mut s = Segment::new(code, start, start + len);
        s.start_col = cols.map(|c| c.0);
        s.end_col = cols.map(|c| c.1);
        s.memo = memo;
        s.codebook = codebook;
        s.rationale = rationale;
        s.decided_by = decided_by;
        s
    }
}

prop_compose! {
    fn coding()(
        transcript in slug_strategy(),
        hash in "(sha256:[0-9a-f]{8})?",
        complete in any::<bool>(),
        segments in proptest::collection::vec(segment(), 0..8),
    ) -> Coding {
        let mut c = Coding::new(transcript, &hash);
        c.complete = complete;
        c.segments = segments;
        c
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// What cbr writes reads back the same through both readers.
    #[test]
    fn written_files_read_the_same(c in coding()) {
        let text = c.to_toml();
        let parsed = parse_coding(&text).unwrap();
        prop_assert_eq!(Ok(parsed), by_toml(&text));
    }

    /// Whatever a file holds, the result (a coding, or an error) is the
    /// `toml` crate's: the fast reader either agrees or steps aside.
    #[test]
    fn damaged_files_read_as_toml_reads_them(
        c in coding(),
        cuts in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..4, text_strategy()), 1..4),
    ) {
        let mut text = c.to_toml();
        for (at, remove, insert) in cuts {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + remove).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, &insert);
        }
        match (fast(&text), by_toml(&text)) {
            (None, _) => {}
            (Some(fast), slow) => prop_assert_eq!(Ok(fast), slow, "{}", text),
        }
    }
}

#[test]
fn the_canonical_shape_takes_the_fast_path() {
    let text = "transcript = \"interview-01\"\ntranscript_hash = \"sha256:ab\"\ncomplete = true\n\n\
                [[segments]]\ncode = \"coping\"\nstart_line = 11\nend_line = 12\n\
                memo = \"« Avoidance » \\\"quoted\\\" \\u00e9\\n2nd line\"\n";
    let coding = fast(text).expect("the fast reader reads cbr's own shape");
    assert_eq!(
        coding.segments[0].memo.as_deref(),
        Some("« Avoidance » \"quoted\" é\n2nd line")
    );
    assert_eq!(Ok(coding), by_toml(text));
}

#[test]
fn other_shapes_go_to_the_toml_crate_with_its_messages() {
    for text in [
        "# a comment\ntranscript = \"a\"\n",
        "transcript = 'a'\n",
        "transcript = \"a\"\ntranscript = \"b\"\n",
        "transcript = \"a\"\nextra = 1\n",
        "transcript = \"Not An Id\"\n",
        "transcript = \"a\"\n[[segments]]\ncode = \"x\"\nstart_line = 01\nend_line = 2\n",
        "transcript = \"a\"\n[[segments]]\ncode = \"x\"\nstart_line = 1\n",
        "transcript = \"a\"\r\ncomplete = true\r\n",
        "transcript = \"a\" # trailing\n",
    ] {
        assert!(fast(text).is_none(), "{text:?}");
    }
    let missing_end = "transcript = \"a\"\n[[segments]]\ncode = \"x\"\nstart_line = 1\n";
    let err = parse_coding(missing_end).unwrap_err().to_string();
    assert!(err.contains("end_line"), "{err}");
}
