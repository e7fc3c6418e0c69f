//! `study.toml`: settings that hold for the whole study.

use serde::{Deserialize, Serialize};

use super::slug::Slug;
use super::transcript::UnitKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyConfig {
    pub title: String,
    /// What agreement is counted over by default.
    #[serde(default)]
    pub unit: UnitKind,
    /// Approvals a codebook suggestion needs before it can be merged.
    #[serde(default = "one")]
    pub approvals_required: u32,
    /// Hide other coders' work on a transcript until all have completed it.
    #[serde(default)]
    pub blind: bool,
    /// The coders expected on this study (used for blind coding and defaults).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coders: Vec<Slug>,
}

fn one() -> u32 {
    1
}

impl StudyConfig {
    pub fn new(title: &str) -> Self {
        StudyConfig {
            title: title.to_string(),
            unit: UnitKind::Line,
            approvals_required: 1,
            blind: false,
            coders: Vec::new(),
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("study config always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_round_trip() {
        let c: StudyConfig = toml::from_str("title = \"T\"").unwrap();
        assert_eq!(c, StudyConfig::new("T"));
        let mut full = StudyConfig::new("Violence au travail");
        full.unit = UnitKind::Turn;
        full.blind = true;
        full.approvals_required = 2;
        full.coders = vec![Slug::new("alice").unwrap()];
        assert_eq!(
            toml::from_str::<StudyConfig>(&full.to_toml()).unwrap(),
            full
        );
    }
}
