//! `cbr demo`: builds the fictional demo study as a git repository with a
//! believable history — a first codebook, two merged suggestions by
//! different people, a `codebook-v1` release, two coders who completed the
//! same three transcripts blind, one coder midway through a fourth, and an
//! open suggestion waiting for review.

use std::path::{Path, PathBuf};

use crate::model::proposal::Proposal;
use crate::model::{Code, Coding, Slug, StudyConfig, Transcript};

use super::bundled;
use super::error::{Result, StudyError};
use super::git::{self, Author, Change};
use super::layout;
use super::suggest::{self, Verdict};

/// The code whose definition was sharpened by alice's merged suggestion.
const SHARPENED: &str = "verbal-violence";
/// Its definition in the first codebook, before the suggestion.
const SHARPENED_BEFORE: &str = "Hostile words addressed to a worker.";
/// The code bob's merged suggestion added.
const ADDED_LATER: &str = "vicarious-impact";
/// The code bob's open suggestion wants to clarify, and the clarified exclusion.
const SUGGESTED: &str = "violence-from-public";
const SUGGESTED_EXCLUDE: &str = "\
Petitions, press articles and banners without a direct encounter are service-stigma.
Threats from service users are verbal-violence or physical-violence, even in the street.
When the author is unclear (a shout from a crowd outside the door), code the act as \
verbal-violence and leave a memo rather than guessing who spoke.
";
/// The release tag of the codebook the coders worked with.
pub const RELEASE: &str = "codebook-v1";

/// Monday 8 January 2024, 09:00 in Paris: the study's first day.
const START: i64 = 1_704_700_800;
const DAY: i64 = 86_400;

fn person(id: &str, offset_days: f64) -> Author {
    Author::new(
        Slug::new(id).expect("demo ids are slugs"),
        format!("{id}@demo.invalid"),
    )
    .at(START + (offset_days * DAY as f64) as i64)
}

/// What was built, for the summary printed after `cbr demo`.
#[derive(Debug, Clone)]
pub struct DemoStudy {
    pub root: PathBuf,
    pub open_suggestion: String,
}

/// A code file with the code's current content, as a change to commit.
pub(crate) fn code_change(code: &Code) -> Change {
    (
        layout::code_file(&code.id),
        Some(code.to_toml().into_bytes()),
    )
}

/// Builds the demo study in `dir`, which must be empty or not exist.
pub fn build(dir: &Path) -> Result<DemoStudy> {
    super::init::new_folder(dir, "cbr demo")?;
    let repo = git::init(dir)?;
    // Build the history on refs only: with HEAD away from `main`, merges
    // leave the (still empty) working tree alone; `main` is checked out last.
    repo.set_head("refs/heads/cbr-demo-build")?;
    let main = "refs/heads/main";
    let final_codebook = bundled::codebook();
    let get = |id: &str| {
        final_codebook
            .get(id)
            .cloned()
            .unwrap_or_else(|| panic!("demo code `{id}` missing from the bundled codebook"))
    };

    // 1. The first codebook, before the two suggestions that later changed it.
    let mut config = StudyConfig::new("Violence au travail en réduction des risques (demo)");
    config.coders = vec![Slug::new("alice")?, Slug::new("bob")?];
    config.blind = true;
    let mut first: Vec<Change> = vec![(
        PathBuf::from(layout::STUDY_FILE),
        Some(config.to_toml().into_bytes()),
    )];
    for code in final_codebook.codes.values() {
        if code.id.as_str() == ADDED_LATER {
            continue;
        }
        let mut code = code.clone();
        if code.id.as_str() == SHARPENED {
            code.definition = SHARPENED_BEFORE.to_string();
        }
        first.push(code_change(&code));
    }
    git::commit_to_ref(
        &repo,
        main,
        None,
        &person("claire", 0.0),
        &format!(
            "claire: first codebook, {} codes\n\nDrafted from the six pilot interviews and the team's \
             two-day coding workshop.\n",
            final_codebook.codes.len() - 1
        ),
        &first,
        &[],
    )?;

    // 2. The transcripts, with their metadata.
    let transcripts: Vec<Change> = bundled::demo_files("transcripts")
        .into_iter()
        .map(|(name, bytes)| {
            (
                Path::new(layout::TRANSCRIPTS_DIR).join(name),
                Some(bytes.to_vec()),
            )
        })
        .collect();
    let count = transcripts
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "txt"))
        .count();
    git::commit_to_ref(
        &repo,
        main,
        None,
        &person("claire", 1.0),
        &format!("claire: import {count} transcripts (fictional demo material)\n"),
        &transcripts,
        &[],
    )?;

    // 3. Two suggestions, reviewed and merged.
    let sharpened = get(SHARPENED);
    let branch = suggest::propose(
        &repo,
        &person("alice", 4.0),
        &Proposal::Edit(Box::new(sharpened.clone())),
        Some(&format!("Sharpen the definition of {}", sharpened.name)),
        "In the pilot, the old definition made us code every tense exchange. \
         The new wording keeps the code for what the worker experienced as violence.",
        Some(&Slug::new(&format!("sharpen-{SHARPENED}"))?),
    )?;
    suggest::review(
        &repo,
        &branch,
        &person("bob", 5.0),
        Verdict::Approve,
        "Clearer, agreed.",
    )?;
    suggest::merge(&repo, &branch, &person("alice", 5.2), 1, &[])?;

    let added = get(ADDED_LATER);
    let branch = suggest::propose(
        &repo,
        &person("bob", 6.0),
        &Proposal::Add(Box::new(added.clone())),
        Some(&format!("Add the code {}", added.name)),
        "Several workers describe this and we had no code for it; we were using memos instead.",
        Some(&Slug::new(&format!("add-{ADDED_LATER}"))?),
    )?;
    suggest::review(
        &repo,
        &branch,
        &person("alice", 6.5),
        Verdict::Comment,
        "Could the exclude criterion name the neighbouring code?",
    )?;
    suggest::review(&repo, &branch, &person("claire", 7.0), Verdict::Approve, "")?;
    suggest::merge(&repo, &branch, &person("bob", 7.1), 1, &[])?;
    git::tag_release(
        &repo,
        main,
        RELEASE,
        &person("claire", 7.2),
        "Codebook v1: the version used for the first round of blind coding.\n",
    )?;

    // 4. Blind coding of the same three transcripts by alice and bob.
    let version = git::codebook_version(&repo, main)?;
    let mut day = 10.0;
    for coder in ["alice", "bob"] {
        for (name, bytes) in bundled::demo_files(&format!("codings/{coder}")) {
            let mut coding: Coding =
                toml::from_str(std::str::from_utf8(bytes).expect("demo is UTF-8"))
                    .unwrap_or_else(|e| panic!("bundled demo coding {coder}/{name}: {e}"));
            let text = bundled::demo_files("transcripts")
                .into_iter()
                .find(|(n, _)| *n == format!("{}.txt", coding.transcript))
                .map(|(_, b)| b)
                .unwrap_or_else(|| panic!("demo coding {coder}/{name} names a missing transcript"));
            let transcript = Transcript::from_bytes(coding.transcript.clone(), text)
                .map_err(|e| StudyError::Refused(e.to_string()))?;
            coding.transcript_hash = transcript.hash().to_string();
            for seg in &mut coding.segments {
                seg.codebook.clone_from(&version);
            }
            let coder_id = Slug::new(coder)?;
            let state = if coding.complete {
                "complete"
            } else {
                "in progress"
            };
            git::commit_to_ref(
                &repo,
                main,
                None,
                &person(coder, day),
                &format!(
                    "{coder}: code {}, {} segments ({state})\n",
                    coding.transcript,
                    coding.segments.len()
                ),
                &[(
                    layout::coding_file(&coder_id, &coding.transcript),
                    Some(coding.to_toml().into_bytes()),
                )],
                &[],
            )?;
            day += 0.7;
        }
    }

    // 5. An open suggestion, waiting for review.
    let mut suggested = get(SUGGESTED);
    suggested.exclude = SUGGESTED_EXCLUDE.to_string();
    let open = suggest::propose(
        &repo,
        &person("bob", day + 1.0),
        &Proposal::Edit(Box::new(suggested.clone())),
        Some(&format!("Clarify when not to use {}", suggested.name)),
        "Alice and I disagreed on several passages of the focus group; the exclusion \
         criterion did not say where this code ends and its neighbours begin.",
        Some(&Slug::new(&format!("clarify-{SUGGESTED}"))?),
    )?;

    repo.set_head(main)?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    Ok(DemoStudy {
        root: dir.to_path_buf(),
        open_suggestion: open,
    })
}
