//! Which codebook release a coding was made under, so agreement can be
//! shown release by release and a team can see whether a revision of the
//! codebook helped.
//!
//! Every segment records the codebook version it was coded under (the id
//! of the `codebook/` tree at the time). A version belongs to a release
//! when it is exactly the codebook the release tagged; otherwise it
//! belongs to the release that was the latest one when the version first
//! appeared on the main line (a draft that followed that release), or to
//! the time before the first release. A transcript is placed under a
//! release only when every versioned segment of the compared coders on it
//! belongs to that release; a transcript coded across releases is *mixed*
//! and counted under none, so no release takes credit for another's work.

use std::collections::HashMap;

/// A stretch of the codebook's history, from one release to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Era {
    /// Before the first release.
    BeforeFirst,
    /// The release with this index (oldest first), and the drafts made
    /// after it and before the next one.
    Release(usize),
}

/// One commit of the main line: its codebook version, if it has a
/// `codebook/` folder, and the releases tagged on it (by index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<'a> {
    pub codebook: Option<&'a str>,
    pub tagged: Vec<usize>,
}

/// The era of every codebook version seen on the main line, walked
/// oldest commit first.
pub fn eras<'a>(steps: impl IntoIterator<Item = Step<'a>>) -> HashMap<String, Era> {
    let mut out: HashMap<String, Era> = HashMap::new();
    let mut current = Era::BeforeFirst;
    for step in steps {
        let tagged = step.tagged.iter().max().copied();
        if let Some(i) = tagged {
            current = Era::Release(i);
        }
        let Some(version) = step.codebook else {
            continue;
        };
        match tagged {
            // The exact codebook of a release is that release's, even if
            // the same tree was already current before the tag was made.
            Some(_) => {
                out.insert(version.to_string(), current);
            }
            None => {
                out.entry(version.to_string()).or_insert(current);
            }
        }
    }
    out
}

/// Where a transcript's codings place it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    Era(Era),
    /// Segments coded under different eras (sorted, oldest first).
    Mixed(Vec<Era>),
    /// No segment records a codebook version.
    Unversioned,
    /// A segment records a version the main line never had.
    Unknown(String),
}

/// Places a transcript from the codebook versions its compared codings'
/// segments record.
pub fn place<'a>(
    versions: impl IntoIterator<Item = &'a str>,
    eras: &HashMap<String, Era>,
) -> Placement {
    let mut seen: Vec<Era> = Vec::new();
    for v in versions {
        match eras.get(v) {
            Some(era) => {
                if !seen.contains(era) {
                    seen.push(*era);
                }
            }
            None => return Placement::Unknown(v.to_string()),
        }
    }
    seen.sort();
    match seen.as_slice() {
        [] => Placement::Unversioned,
        [one] => Placement::Era(*one),
        _ => Placement::Mixed(seen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step<'a>(codebook: &'a str, tagged: &[usize]) -> Step<'a> {
        Step {
            codebook: Some(codebook),
            tagged: tagged.to_vec(),
        }
    }

    #[test]
    fn versions_belong_to_the_release_current_when_they_appeared() {
        let history = [
            Step {
                codebook: None,
                tagged: vec![],
            },
            step("t0", &[]),
            step("t1", &[]),
            // v1 tags t1, which was already the codebook before the tag.
            step("t1", &[0]),
            step("t2", &[]),
            step("t3", &[1]),
            step("t4", &[]),
        ];
        let e = eras(history);
        assert_eq!(e["t0"], Era::BeforeFirst);
        assert_eq!(e["t1"], Era::Release(0));
        assert_eq!(e["t2"], Era::Release(0), "a draft after v1");
        assert_eq!(e["t3"], Era::Release(1));
        assert_eq!(e["t4"], Era::Release(1));
        assert_eq!(e.len(), 5);
    }

    #[test]
    fn a_reverted_codebook_keeps_its_first_era() {
        let e = eras([step("t1", &[0]), step("t2", &[]), step("t1", &[])]);
        assert_eq!(e["t1"], Era::Release(0));
        let e = eras([step("t1", &[]), step("t2", &[0]), step("t1", &[])]);
        assert_eq!(e["t1"], Era::BeforeFirst);
    }

    #[test]
    fn a_transcript_is_placed_only_when_all_its_segments_agree() {
        let e = eras([step("a", &[]), step("b", &[0]), step("c", &[1])]);
        assert_eq!(place(["b", "b"], &e), Placement::Era(Era::Release(0)));
        assert_eq!(place(["a"], &e), Placement::Era(Era::BeforeFirst));
        assert_eq!(
            place(["c", "b", "c"], &e),
            Placement::Mixed(vec![Era::Release(0), Era::Release(1)])
        );
        assert_eq!(place([], &e), Placement::Unversioned);
        assert_eq!(place(["b", "zz"], &e), Placement::Unknown("zz".to_string()));
    }
}
