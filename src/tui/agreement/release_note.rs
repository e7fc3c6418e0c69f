//! Why a per-release figure changed. A transcript counts under a release
//! only while every segment of the compared coders on it was coded under
//! that release (`model::agreement::releases`). Re-saving a segment under
//! a later codebook — recoding it, or clearing it from the re-check queue —
//! makes the transcript *mixed*: it leaves its release, whose α then moves
//! with no edit to that release's codings. The tab compares each new read
//! with the one before and says which transcripts moved.

use std::collections::BTreeMap;

use crate::study::release_agreement::ByRelease;

/// Where each transcript stood: a release's label, or "not placed".
fn places(by: &ByRelease) -> BTreeMap<&str, String> {
    let mut out = BTreeMap::new();
    for era in &by.eras {
        for t in &era.transcripts {
            out.insert(t.as_str(), era.label.clone());
        }
    }
    for (t, _) in &by.unplaced {
        out.insert(t.as_str(), "not placed".to_string());
    }
    out
}

/// One line per transcript that moved between `before` and `after`:
/// "interview-02: codebook-v1 → not placed".
pub fn moves(before: &ByRelease, after: &ByRelease) -> Vec<String> {
    let (old, new) = (places(before), places(after));
    let mut out = Vec::new();
    for (t, now) in &new {
        let was = old.get(t).map_or("not counted", String::as_str);
        if was != now {
            out.push(format!("{t}: {was} → {now}"));
        }
    }
    for (t, was) in &old {
        if !new.contains_key(t) {
            out.push(format!("{t}: {was} → not counted"));
        }
    }
    out
}

/// The lines under the chart: what moved since the last read, then the
/// rule that explains a "not placed" transcript.
pub fn lines(by: &ByRelease, moved: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if !moved.is_empty() {
        out.push(format!(" Since last read: {}", moved.join("; ")));
    }
    if !moved.is_empty() || !by.unplaced.is_empty() {
        out.push(
            " A release counts a transcript only if all its segments were coded under it.".into(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;
    use crate::model::agreement::releases::Era;
    use crate::study::release_agreement::EraAgreement;

    fn by(v1: &[&str], unplaced: &[&str]) -> ByRelease {
        let slug = |s: &&str| Slug::new(s).unwrap();
        ByRelease {
            eras: vec![EraAgreement {
                era: Era::Release(0),
                label: "codebook-v1".into(),
                transcripts: v1.iter().map(slug).collect(),
                overall: None,
            }],
            unplaced: unplaced
                .iter()
                .map(|t| (slug(t), "coded under codebook-v1 and codebook-v2".into()))
                .collect(),
        }
    }

    #[test]
    fn a_transcript_that_became_mixed_is_named() {
        let before = by(&["interview-01", "interview-02"], &[]);
        let after = by(&["interview-01"], &["interview-02"]);
        assert_eq!(
            moves(&before, &after),
            ["interview-02: codebook-v1 → not placed"]
        );
        assert!(moves(&after, &after).is_empty());
        let new = by(&["interview-01", "interview-03"], &[]);
        assert_eq!(
            moves(&by(&["interview-01"], &[]), &new),
            ["interview-03: not counted → codebook-v1"]
        );
        assert_eq!(
            lines(&after, &[]).len(),
            1,
            "the rule, for a not-placed one"
        );
        assert!(lines(&before, &[]).is_empty());
    }
}
