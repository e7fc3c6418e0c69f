//! Where a coder left off (transcript, line, recently used codes), kept in
//! `.git/cbr-ui-<coder>.toml`: private to the working copy, never committed.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::Slug;

use super::atomic::write_atomic;
use super::load::Study;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UiState {
    #[serde(default)]
    pub transcript: Option<Slug>,
    #[serde(default)]
    pub line: usize,
    #[serde(default)]
    pub recent_codes: Vec<Slug>,
}

fn path(study: &Study, coder: &Slug) -> Option<PathBuf> {
    let git = study.root.join(".git");
    git.is_dir()
        .then(|| git.join(format!("cbr-ui-{coder}.toml")))
}

impl UiState {
    /// The saved state; a missing or unreadable file just means a fresh start.
    pub fn load(study: &Study, coder: &Slug) -> UiState {
        path(study, coder)
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, study: &Study, coder: &Slug) -> std::io::Result<()> {
        match path(study, coder) {
            Some(p) => write_atomic(&p, toml::to_string(self).unwrap_or_default().as_bytes()),
            None => Ok(()),
        }
    }

    /// Moves `code` to the front of the recently used list (kept short).
    pub fn used(&mut self, code: &Slug) {
        self.recent_codes.retain(|c| c != code);
        self.recent_codes.insert(0, code.clone());
        self.recent_codes.truncate(12);
    }
}
