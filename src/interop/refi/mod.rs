//! REFI-QDA (QDA-XML 1.0): `.qdc` codebooks and `.qdpx` projects, the
//! exchange standard of NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette.
//!
//! `xml` is a small element tree over quick-xml; `guid` derives and
//! normalises GUIDs; `fields` lays cbr's structured code fields out in a
//! `Description` and reads them back; `codebook` maps codes both ways;
//! `qdc` reads a codebook file; `write` renders XML.

pub mod archive;
pub mod codebook;
pub mod fields;
pub mod guid;
pub mod positions;
pub mod project;
pub mod qdc;
pub mod write;
pub mod xml;

pub const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
pub const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";

/// A problem with an input file, located where possible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location.as_ref().map(|(l, c)| format!("{l}:{c}: ")).unwrap_or_default())]
pub struct FormatError {
    /// Line and column (1-based) in the XML, when known.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

impl FormatError {
    pub fn new(message: impl Into<String>) -> Self {
        FormatError {
            location: None,
            message: message.into(),
        }
    }

    pub fn at(location: (usize, usize), message: impl Into<String>) -> Self {
        FormatError {
            location: Some(location),
            message: message.into(),
        }
    }
}
