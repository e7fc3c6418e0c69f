//! Reading a codebook: a `.qdc` file, or the `<CodeBook>` of a project.
//! Lenient: `<Sets/>` (Taguette), braced or lower-case GUIDs, a missing
//! `origin` are all accepted; sets are counted, not carried.

use std::collections::BTreeSet;

use super::FormatError;
use super::codebook::RefiCode;
use super::xml::{self, Element};

#[derive(Debug, Clone, Default)]
pub struct QdcFile {
    pub origin: Option<String>,
    pub codes: Vec<RefiCode>,
    /// Code sets (groups), which cbr has no place for.
    pub sets: usize,
}

/// Reads the codes of a `<CodeBook>` element (in a `.qdc` or a project).
pub fn from_codebook_element(
    el: &Element,
    known: &mut BTreeSet<String>,
) -> Result<(Vec<RefiCode>, usize), FormatError> {
    let codes = match el.child("Codes") {
        Some(codes) => super::codebook::read_codes(codes, known)?,
        None => Vec::new(),
    };
    let sets = el
        .child("Sets")
        .map_or(0, |s| s.children_named("Set").count());
    Ok((codes, sets))
}

/// Parses a `.qdc` file's text.
pub fn parse(text: &str) -> Result<QdcFile, FormatError> {
    let root = xml::parse(text)?;
    if root.name != "CodeBook" {
        return Err(FormatError::at(
            root.at,
            format!(
                "the root element is <{}>, not <CodeBook>: this is not a REFI-QDA codebook (.qdc)",
                root.name
            ),
        ));
    }
    let mut known = BTreeSet::new();
    let (codes, sets) = from_codebook_element(&root, &mut known)?;
    Ok(QdcFile {
        origin: root.attr("origin").map(str::to_string),
        codes,
        sets,
    })
}
