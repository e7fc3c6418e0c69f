//! Word (`.docx`, Office Open XML): the paragraphs of `word/document.xml`,
//! one line each, with an opening bold name kept as a speaker label.
//!
//! Tracked changes are read as if every change were accepted: inserted and
//! moved-to text is kept, deleted and moved-from text is dropped, and the
//! person importing is told. Comments, footnotes, headers and footers are
//! not part of the transcript and are reported when present.

use std::collections::BTreeSet;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::paragraphs::Paragraphs;
use super::{count, counts, join_lines, xml, zipguard};

const PART: &str = "word/document.xml";

/// Elements whose whole content is not transcript text.
const SKIPPED: &[&str] = &[
    "w:moveFrom",  // the old place of moved text (kept at w:moveTo)
    "w:rPrChange", // formatting before a tracked change
    "w:pPrChange",
    "mc:Fallback", // a second copy of text boxes for old readers
    "w:instrText", // field codes, not their results
    "w:delInstrText",
];

#[derive(Default)]
struct Changes {
    insertions: usize,
    deletions: usize,
    moves: usize,
    comments: BTreeSet<String>,
    footnotes: usize,
}

pub fn convert(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    let mut archive = zipguard::open(bytes, "Word (.docx)")?;
    let xml_text = archive.part(PART)?.ok_or_else(|| {
        format!("has no {PART}, so it is not a Word document; open it in your word processor and save it as .docx")
    })?;
    let mut reader = Reader::from_str(&xml_text);
    let mut doc = Paragraphs::default();
    let mut changes = Changes::default();
    let (mut skip, mut in_run, mut in_rpr, mut in_text) = (0usize, false, false, false);
    let mut bold = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml::malformed(PART, &reader, e))?;
        match event {
            Event::Eof => break,
            Event::Start(_) if skip > 0 => skip += 1,
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) => {
                let name = e.name();
                let name = name.as_ref();
                if SKIPPED.contains(&name) {
                    skip = 1;
                    if name == "w:moveFrom" {
                        changes.moves += 1;
                    }
                    continue;
                }
                match name {
                    "w:p" => doc.open(),
                    "w:r" => (in_run, bold) = (true, false),
                    "w:rPr" if in_run => in_rpr = true,
                    "w:t" if in_run => in_text = true,
                    _ => {}
                }
                element(&e, (in_run, in_rpr), &mut bold, &mut doc, &mut changes);
            }
            Event::Empty(e) if e.name().as_ref() == "w:p" => {
                doc.open();
                doc.close();
            }
            Event::Empty(e) => element(&e, (in_run, in_rpr), &mut bold, &mut doc, &mut changes),
            Event::End(e) => match e.name().as_ref() {
                "w:p" => doc.close(),
                "w:r" => in_run = false,
                "w:rPr" => in_rpr = false,
                "w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => doc.push(&t.xml10_content(), bold),
            Event::CData(t) if in_text => doc.push(&t.xml10_content(), bold),
            Event::GeneralRef(r) if in_text => doc.push(&xml::reference(&r, PART, &reader)?, bold),
            _ => {}
        }
    }
    let mut notes = Vec::new();
    if changes.insertions + changes.deletions + changes.moves > 0 {
        notes.push(format!(
            "has tracked changes ({}): the text was taken as if every change were accepted (insertions and moved text kept at their new place, deletions dropped); if another version is the one to code, accept or reject the changes in your word processor and import it again",
            counts(&[
                (changes.insertions, "insertion"),
                (changes.deletions, "deletion"),
                (changes.moves, "move"),
            ]),
        ));
    }
    if !changes.comments.is_empty() {
        notes.push(format!(
            "has {}: the commented text is imported, the comments are not; copy any you need into memos",
            count(changes.comments.len(), "comment")
        ));
    }
    if changes.footnotes > 0 {
        notes.push(format!(
            "has {}, left out of the transcript",
            count(changes.footnotes, "footnote")
        ));
    }
    Ok((join_lines(&doc.lines()), notes))
}

/// Marks, breaks and counts carried by an element's start or empty tag.
fn element(
    e: &BytesStart<'_>,
    (in_run, in_rpr): (bool, bool),
    bold: &mut bool,
    doc: &mut Paragraphs,
    changes: &mut Changes,
) {
    match e.name().as_ref() {
        "w:b" if in_rpr => *bold = on(e),
        "w:rStyle" if in_rpr => {
            *bold |= xml::attr(e, "w:val").is_some_and(|v| v.contains("Strong"));
        }
        "w:tab" if in_run && !in_rpr => doc.push("\t", false),
        // Page and column breaks are layout, not a new line of speech.
        "w:br" | "w:cr" if in_run && xml::attr(e, "w:type").is_none_or(|t| t == "textWrapping") => {
            doc.line_break()
        }
        "w:noBreakHyphen" if in_run => doc.push("-", false),
        "w:ins" => changes.insertions += 1,
        "w:del" => changes.deletions += 1,
        "w:commentRangeStart" | "w:commentReference" => {
            if let Some(id) = xml::attr(e, "w:id") {
                changes.comments.insert(id);
            }
        }
        "w:footnoteReference" | "w:endnoteReference" => changes.footnotes += 1,
        _ => {}
    }
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`) is on unless turned off.
fn on(e: &BytesStart<'_>) -> bool {
    xml::attr(e, "w:val").is_none_or(|v| !matches!(v.as_str(), "0" | "false" | "off"))
}
