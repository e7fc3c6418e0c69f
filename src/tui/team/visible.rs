//! Everyone's codings as this coder may see them. In a blind study, other
//! coders' codings of a transcript that is not revealed yet are dropped
//! when they are read, on the background thread, so no count, retrieval
//! or later screen can show them by mistake; what was held back is kept
//! only as "which transcripts, waiting for whom" to say so.

use std::collections::BTreeMap;

use crate::model::blind::{self as rule, Visibility, join_names};
use crate::model::coding_index::CodingIndex;
use crate::model::{Coding, Slug};
use crate::study::{Study, blind};

/// Codings to show, held compactly, and what blind coding held back.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub codings: CodingIndex,
    /// Transcripts whose other coders' codings were held back, with the
    /// assigned coders who have not completed them yet.
    pub hidden: BTreeMap<Slug, Vec<Slug>>,
}

/// Reads every coding `viewer` may see (`blind::can_see`) into a compact
/// index: a batch of files is parsed at a time, so the session never holds
/// everyone's parsed codings at once. Blocking: run it off the UI thread.
pub fn load(study: &Study, viewer: &Slug) -> Loaded {
    let mut codings = CodingIndex::default();
    let hidden = fold(
        study,
        viewer,
        None,
        |_, coding| coding,
        |coder, coding| codings.insert(coder, &coding),
    );
    Loaded { codings, hidden }
}

/// `keep` applied to every coding file `viewer` may see, then handed to
/// `each` in order, as [`Study::fold_codings`] does (only to the files
/// that mention one of `needles`, if given, as
/// [`Study::fold_codings_mentioning`] does); returns what blind coding
/// held back.
pub fn fold<T: Send>(
    study: &Study,
    viewer: &Slug,
    needles: Option<&[String]>,
    keep: impl Fn(&Slug, Coding) -> T + Sync,
    mut each: impl FnMut(&Slug, T),
) -> BTreeMap<Slug, Vec<Slug>> {
    let mut hidden = BTreeMap::new();
    let mut progress = BTreeMap::new();
    let mut seen = |owner: &Slug, transcript: &Slug| {
        if !study.config.blind {
            return true;
        }
        let state = progress
            .entry(transcript.clone())
            .or_insert_with(|| blind::progress(study, transcript).ok());
        let seen = match state {
            Some(state) => rule::can_see(true, viewer, owner, &state.as_progress()),
            // Unreadable progress: when in doubt, stay blind.
            None if owner == viewer => Visibility::Visible(rule::Revealed::OwnWork),
            None => Visibility::Hidden {
                waiting_for: Vec::new(),
            },
        };
        match seen {
            Visibility::Visible(_) => true,
            Visibility::Hidden { waiting_for } => {
                hidden.insert(transcript.clone(), waiting_for);
                false
            }
        }
    };
    let keep = |owner: &Slug, coding: Coding| (coding.transcript.clone(), keep(owner, coding));
    let each = |owner: &Slug, (transcript, kept): (Slug, T)| {
        if seen(owner, &transcript) {
            each(owner, kept)
        }
    };
    match needles {
        None => study.fold_codings(&study.coders, keep, each),
        Some(needles) => study.fold_codings_mentioning(&study.coders, needles, keep, each),
    };
    hidden
}

/// "Blind coding: others' segments on interview-03 are hidden until all
/// assigned coders complete it (waiting for bob)."
pub fn hidden_note(hidden: &BTreeMap<Slug, Vec<Slug>>) -> Option<String> {
    if hidden.is_empty() {
        return None;
    }
    let named: Vec<String> = hidden
        .iter()
        .map(|(transcript, waiting)| {
            if waiting.is_empty() {
                transcript.to_string()
            } else {
                format!("{transcript} (waiting for {})", join_names(waiting))
            }
        })
        .collect();
    let it = if hidden.len() == 1 { "it" } else { "them" };
    Some(format!(
        "Blind coding: others' segments on {} are hidden until all assigned coders complete {it}.",
        named.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<Slug> {
        names.iter().map(|n| Slug::new(n).unwrap()).collect()
    }

    #[test]
    fn the_note_names_transcripts_and_whom_they_wait_for() {
        let mut hidden = BTreeMap::new();
        assert_eq!(hidden_note(&hidden), None);
        hidden.insert(Slug::new("interview-03").unwrap(), ids(&["bob"]));
        assert_eq!(
            hidden_note(&hidden).unwrap(),
            "Blind coding: others' segments on interview-03 (waiting for bob) are hidden until all assigned coders complete it."
        );
        hidden.insert(Slug::new("interview-04").unwrap(), ids(&["bob", "carol"]));
        assert_eq!(
            hidden_note(&hidden).unwrap(),
            "Blind coding: others' segments on interview-03 (waiting for bob), interview-04 (waiting for bob and carol) are hidden until all assigned coders complete them."
        );
    }
}
