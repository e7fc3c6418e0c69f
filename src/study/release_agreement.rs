//! Agreement under each codebook release: reads the releases (annotated
//! tags) and the codebook version of every commit on the main line, places
//! each transcript under the release its segments were coded under (the
//! rule is [`crate::model::agreement::releases`]), and computes the
//! agreement of each release's transcripts.

use git2::{Oid, Repository};

use crate::model::agreement::bootstrap::Settings;
use crate::model::agreement::releases::{Era, Placement, Step, eras, place};
use crate::model::agreement::report::Overall;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use crate::model::agreement::{Judge, Options, Report, Source};
use crate::model::{CONSENSUS, Coding, Slug};

use super::error::{Result, StudyError};
use super::load::Study;
use super::versions::codebook_tree_id;
use super::{agreement, git, history};

/// The agreement of the transcripts coded under one era.
#[derive(Debug, Clone, PartialEq)]
pub struct EraAgreement {
    pub era: Era,
    /// The release's tag name, or "before <first release>".
    pub label: String,
    pub transcripts: Vec<Slug>,
    /// `None` when no transcript was coded under it.
    pub overall: Option<Overall>,
}

/// Agreement release by release, oldest first, and the transcripts that
/// could not be placed under one release, with why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByRelease {
    pub eras: Vec<EraAgreement>,
    pub unplaced: Vec<(Slug, String)>,
}

/// The release names in the order they appear on HEAD's first-parent
/// line, and the era of every codebook version seen on it.
fn history(repo: &Repository) -> Result<(Vec<String>, std::collections::HashMap<String, Era>)> {
    // Releases are annotated tags; `history::releases` leaves out the rest.
    let mut tags: Vec<(Oid, String)> = Vec::new();
    for release in history::releases(repo)? {
        tags.push((Oid::from_str(&release.commit)?, release.name));
    }
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok((Vec::new(), Default::default()));
    };
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    walk.simplify_first_parent()?;
    let mut line: Vec<Oid> = walk.collect::<std::result::Result<_, _>>()?;
    line.reverse();
    let mut names: Vec<String> = Vec::new();
    let mut versions: Vec<(Option<String>, Vec<usize>)> = Vec::with_capacity(line.len());
    for oid in line {
        let mut tagged = Vec::new();
        for (_, name) in tags.iter().filter(|(c, _)| *c == oid) {
            tagged.push(names.len());
            names.push(name.clone());
        }
        let codebook = codebook_tree_id(repo, oid)?.map(|id| id.to_string());
        versions.push((codebook, tagged));
    }
    let map = eras(versions.iter().map(|(codebook, tagged)| Step {
        codebook: codebook.as_deref(),
        tagged: tagged.clone(),
    }));
    Ok((names, map))
}

fn label(era: Era, names: &[String]) -> String {
    match era {
        Era::Release(i) => names[i].clone(),
        Era::BeforeFirst => format!("before {}", names[0]),
    }
}

/// The agreement of `coders` under each codebook release. Empty when the
/// study has no release. Only transcripts at least two of the coders
/// completed count, as in [`agreement::report`].
pub fn by_release(study: &Study, coders: &[Slug], options: Options) -> Result<ByRelease> {
    by_release_with(study, coders, options, &Settings::default())
}

/// [`by_release`] with the bootstrap run as `bootstrap` says, for the
/// pooled figures only (a release is shown pooled).
pub fn by_release_with(
    study: &Study,
    coders: &[Slug],
    options: Options,
    bootstrap: &Settings,
) -> Result<ByRelease> {
    let bootstrap = &Settings {
        per_code: false,
        ..*bootstrap
    };
    agreement::check_coders(study, coders)?;
    let repo = git::open(&study.root)?;
    let (names, map) = history(&repo)?;
    if names.is_empty() {
        return Ok(ByRelease::default());
    }
    let mut out = ByRelease::default();
    let mut placed: Vec<(Era, Slug)> = Vec::new();
    // Each transcript is read once and counted under its era as it is
    // placed: one parse of each coding, and memory for the counts only.
    let mut judges: BTreeMap<Era, Judge<'_>> = BTreeMap::new();
    for id in &study.transcripts {
        let row: Vec<Option<Coding>> = coders
            .iter()
            .map(|coder| study.coding(coder, id))
            .collect::<Result<_>>()?;
        let complete: Vec<&Coding> = coders
            .iter()
            .zip(&row)
            .filter(|(coder, _)| coder.as_str() != CONSENSUS)
            .filter_map(|(_, coding)| coding.as_ref().filter(|c| c.complete))
            .collect();
        if complete.len() < 2 {
            continue;
        }
        let versions = complete
            .iter()
            .flat_map(|c| &c.segments)
            .filter_map(|s| s.codebook.as_deref());
        let placement = place(versions, &map);
        if let Placement::Era(era) = placement {
            let judge = match judges.entry(era) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(
                    Judge::new(&study.codebook, coders, options)
                        .map_err(|e| StudyError::Refused(e.to_string()))?,
                ),
            };
            let transcript = study.transcript(id)?;
            judge.add(&Source {
                transcript: &transcript,
                codings: row.iter().map(Option::as_ref).collect(),
            });
        }
        match placement {
            Placement::Era(era) => placed.push((era, id.clone())),
            Placement::Mixed(list) => {
                let labels: Vec<String> = list.iter().map(|e| label(*e, &names)).collect();
                out.unplaced
                    .push((id.clone(), format!("coded under {}", labels.join(" and "))));
            }
            Placement::Unversioned => out.unplaced.push((
                id.clone(),
                "its segments do not record a codebook version".into(),
            )),
            Placement::Unknown(v) => out.unplaced.push((
                id.clone(),
                format!("coded under codebook {v:.7}, which the main line never had"),
            )),
        }
    }
    let mut all: Vec<Era> = (0..names.len()).map(Era::Release).collect();
    if placed.iter().any(|(e, _)| *e == Era::BeforeFirst) {
        all.insert(0, Era::BeforeFirst);
    }
    for era in all {
        let transcripts: Vec<Slug> = placed
            .iter()
            .filter(|(e, _)| *e == era)
            .map(|(_, t)| t.clone())
            .collect();
        let overall = judges
            .remove(&era)
            .map(|judge| Report::with_bootstrap(&judge.finish(), bootstrap).overall);
        out.eras.push(EraAgreement {
            era,
            label: label(era, &names),
            transcripts,
            overall,
        });
    }
    Ok(out)
}
