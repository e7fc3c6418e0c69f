//! Content shipped inside the binary: the reference codebook and the
//! fictional demo study (transcripts and two coders' codings).

use include_dir::{Dir, include_dir};

use crate::model::{Code, Codebook};

/// `codebook/codes/` of this repository: the reference codebook.
pub static CODEBOOK: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/codebook/codes");

/// `demo/` of this repository: `transcripts/` and `codings/<coder>/`.
pub static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/demo");

/// The reference codebook, parsed. The files are checked by the test suite,
/// so a parse failure here is a build defect, not a user error.
pub fn codebook() -> Codebook {
    Codebook::from_codes(CODEBOOK.files().filter_map(|f| {
        let text = f.contents_utf8()?;
        Some(
            toml::from_str::<Code>(text)
                .unwrap_or_else(|e| panic!("bundled {}: {e}", f.path().display())),
        )
    }))
}

/// The files of one demo folder as (file name, bytes), sorted by name.
pub fn demo_files(folder: &str) -> Vec<(String, &'static [u8])> {
    let mut out: Vec<_> = DEMO
        .get_dir(folder)
        .map(|d| {
            d.files()
                .map(|f| {
                    let name = f
                        .path()
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .into_owned();
                    (name, f.contents())
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;

    #[test]
    fn reference_codebook_is_complete_and_consistent() {
        let cb = codebook();
        assert!(cb.codes.len() >= 20, "{} codes", cb.codes.len());
        assert_eq!(cb.problems(), vec![]);
        let depth = cb.tree().iter().map(|(d, _)| *d).max().unwrap();
        assert!((1..=2).contains(&depth), "tree depth {depth}");
        for code in cb.codes.values() {
            for (field, text) in [
                ("name", &code.name),
                ("definition", &code.definition),
                ("description", &code.description),
                ("include", &code.include),
                ("exclude", &code.exclude),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {field}", code.id);
            }
            assert!(!code.examples.is_empty(), "{}: no example", code.id);
        }
    }

    #[test]
    fn demo_transcripts_are_utf8_and_sized() {
        let files = demo_files("transcripts");
        let mut lines = 0;
        let mut count = 0;
        for (name, bytes) in &files {
            if let Some(stem) = name.strip_suffix(".txt") {
                let t =
                    crate::model::Transcript::from_bytes(Slug::new(stem).unwrap(), bytes).unwrap();
                lines += t.line_count();
                count += 1;
            }
        }
        assert!(count >= 6, "{count} transcripts");
        assert!((200..=600).contains(&lines), "{lines} lines");
    }
}
