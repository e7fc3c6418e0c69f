//! A team on one server, in temporary folders: a shared bare repository
//! and one working copy per coder, driven through the library (coding,
//! suggestions, sync) and the real `cbr` binary (init, join, sync, check).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use codebook_review::model::{Code, Coding, Segment, Slug};
use codebook_review::study::git::{self, Author};
use codebook_review::study::session_lock::{self, SessionLock};
use codebook_review::study::sync::{self, SyncOptions, SyncReport};
use codebook_review::study::{Study, layout};

use crate::common::{Sandbox, assert_success};

pub const CODES: [&str; 3] = ["threat", "insult", "support"];
pub const TRANSCRIPTS: [&str; 2] = ["interview-01", "interview-02"];

pub fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

pub fn author(coder: &str) -> Author {
    Author::new(slug(coder), format!("{coder}@team.invalid"))
}

pub struct Team {
    pub sb: Sandbox,
    pub bare: PathBuf,
}

impl Team {
    /// alice creates a shared study with two transcripts and three codes
    /// (settings from `configure`), then bob and carol join.
    pub fn new(configure: impl FnOnce(&mut String)) -> Team {
        let sb = Sandbox::new();
        let bare = sb.path().join("srv/violence.git");
        let alice = sb.path().join("alice");
        assert_success(&init_shared(&sb, "alice", &alice, &bare));
        let mut files = Vec::new();
        for (i, t) in TRANSCRIPTS.iter().enumerate() {
            let src = sb.path().join(format!("{t}.txt"));
            let text: String = (1..=8)
                .map(|n| format!("P{i}: line {n} of {t}.\n"))
                .collect();
            std::fs::write(&src, text).unwrap();
            files.push(src.to_string_lossy().into_owned());
        }
        let mut args = vec!["import"];
        args.extend(files.iter().map(String::as_str));
        assert_success(&sb.cbr(&alice, "alice", &args));
        let study = Study::open(&alice).unwrap();
        let mut paths = Vec::new();
        for id in CODES {
            paths.push(
                study
                    .save_code(&Code::new(slug(id), id, &format!("Definition of {id}.")))
                    .unwrap(),
            );
        }
        let mut config = std::fs::read_to_string(alice.join(layout::STUDY_FILE)).unwrap();
        configure(&mut config);
        std::fs::write(alice.join(layout::STUDY_FILE), config).unwrap();
        paths.push(PathBuf::from(layout::STUDY_FILE));
        commit(&alice, "alice", "alice: first codebook", &paths);
        let team = Team { sb, bare };
        team.sync("alice");
        for coder in ["bob", "carol"] {
            assert_success(&team.sb.cbr(
                team.sb.path(),
                coder,
                &[
                    "join",
                    team.bare.to_str().unwrap(),
                    team.dir(coder).to_str().unwrap(),
                ],
            ));
        }
        team
    }

    pub fn dir(&self, coder: &str) -> PathBuf {
        self.sb.path().join(coder)
    }

    /// Syncs `coder`'s working copy through the library.
    pub fn sync(&self, coder: &str) -> SyncReport {
        self.sync_with(coder, SyncOptions::default())
            .unwrap_or_else(|e| panic!("{coder}'s sync: {e}"))
    }

    pub fn sync_with(
        &self,
        coder: &str,
        options: SyncOptions<'_>,
    ) -> codebook_review::study::Result<SyncReport> {
        let dir = self.dir(coder);
        let SessionLock::Writer(guard) = session_lock::open_session(&dir, &slug(coder)).unwrap()
        else {
            panic!("{coder} has no other session open");
        };
        sync::sync(&dir, &author(coder), &guard, options)
    }

    /// Syncs through the binary, as a researcher would.
    pub fn cbr_sync(&self, coder: &str) -> std::process::Output {
        self.sb.cbr(&self.dir(coder), coder, &["sync"])
    }

    /// `cbr check` in `coder`'s copy must find nothing at all.
    pub fn assert_check_clean(&self, coder: &str) {
        let out = self.sb.cbr(&self.dir(coder), coder, &["check"]);
        assert_success(&out);
        assert_eq!(crate::common::stdout(&out), "", "{coder}'s copy");
    }

    /// The tip of a ref in the shared repository.
    pub fn remote_ref(&self, name: &str) -> Option<String> {
        let repo = git2::Repository::open_bare(&self.bare).unwrap();
        repo.refname_to_id(name).ok().map(|o| o.to_string())
    }
}

/// `cbr init DIR --shared BARE` as `coder`.
pub fn init_shared(sb: &Sandbox, coder: &str, dir: &Path, bare: &Path) -> std::process::Output {
    sb.cbr(
        sb.path(),
        coder,
        &[
            "init",
            dir.to_str().unwrap(),
            "--shared",
            bare.to_str().unwrap(),
            "--title",
            "Violence",
        ],
    )
}

pub fn commit(dir: &Path, coder: &str, message: &str, paths: &[PathBuf]) -> String {
    let repo = git2::Repository::open(dir).unwrap();
    git::commit_paths(&repo, &author(coder), message, paths)
        .unwrap()
        .expect("something to commit")
        .to_string()
}

/// Writes `coder`'s coding of `transcript` (not committed).
pub fn write_coding(
    dir: &Path,
    coder: &str,
    transcript: &str,
    segments: &[(&str, usize, usize)],
    complete: bool,
) -> PathBuf {
    let study = Study::open(dir).unwrap();
    let t = study.transcript(&slug(transcript)).unwrap();
    let mut coding = Coding::new(slug(transcript), t.hash());
    coding.complete = complete;
    coding.segments = segments
        .iter()
        .map(|(code, a, b)| Segment::new(slug(code), *a, *b))
        .collect();
    study.save_coding(&slug(coder), &coding).unwrap()
}

/// Codes and commits, as the coding screen does on save.
pub fn code(
    dir: &Path,
    coder: &str,
    transcript: &str,
    segments: &[(&str, usize, usize)],
    complete: bool,
) {
    let rel = write_coding(dir, coder, transcript, segments, complete);
    commit(
        dir,
        coder,
        &format!("{coder}: code {transcript}, {} segments", segments.len()),
        &[rel],
    );
}

/// Every coding file in a copy, as (path, content), sorted.
pub fn codings(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let root = dir.join(layout::CODINGS_DIR);
    for coder in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(coder.path()).unwrap().flatten() {
            let rel = file.path().strip_prefix(dir).unwrap().display().to_string();
            out.push((rel, std::fs::read_to_string(file.path()).unwrap()));
        }
    }
    out.sort();
    out
}

/// Local suggestion branches of a copy.
pub fn suggestion_branches(dir: &Path) -> Vec<String> {
    let repo = git2::Repository::open(dir).unwrap();
    let mut out: Vec<String> = repo
        .references_glob("refs/heads/suggest/*")
        .unwrap()
        .flatten()
        .filter_map(|r| {
            r.name()
                .ok()
                .map(|n| n.trim_start_matches("refs/heads/").to_string())
        })
        .collect();
    out.sort();
    out
}
