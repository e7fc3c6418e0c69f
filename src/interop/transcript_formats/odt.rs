//! OpenDocument text (`.odt`, LibreOffice and others): the paragraphs and
//! headings of `content.xml`, one line each, with an opening bold name kept
//! as a speaker label.
//!
//! Tracked changes: inserted text sits in the body and is kept; deleted
//! text lives only in the change log (`text:tracked-changes`) and is
//! dropped, as if every change were accepted. Comments (`office:annotation`)
//! and notes are left out. The person importing is told about each.

use std::collections::BTreeSet;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::paragraphs::Paragraphs;
use super::{count, counts, join_lines, xml, zipguard};

const PART: &str = "content.xml";

#[derive(Default)]
struct Found {
    insertions: usize,
    deletions: usize,
    comments: usize,
    notes: usize,
}

pub fn convert(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    let mut archive = zipguard::open(bytes, "OpenDocument (.odt)")?;
    let xml_text = archive.part(PART)?.ok_or_else(|| {
        format!("has no {PART}, so it is not an OpenDocument text; open it in your word processor and save it as .odt")
    })?;
    let mut reader = Reader::from_str(&xml_text);
    let mut doc = Paragraphs::default();
    let mut found = Found::default();
    let mut bold_styles = BTreeSet::new();
    let mut style: Option<String> = None; // automatic style being read
    // Bold or not for each open span; the paragraph itself counts as not bold.
    let mut spans: Vec<bool> = Vec::new();
    // Where each open paragraph's spans start: a text box holds paragraphs
    // inside a paragraph.
    let mut paragraph_starts: Vec<usize> = Vec::new();
    let mut skip = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| xml::malformed(PART, &reader, e))?;
        match event {
            Event::Eof => break,
            Event::Start(e) if skip > 0 => {
                // The change log holds one region per change.
                match e.name().as_ref() {
                    "text:insertion" => found.insertions += 1,
                    "text:deletion" => found.deletions += 1,
                    _ => {}
                }
                skip += 1;
            }
            Event::End(_) if skip > 0 => skip -= 1,
            _ if skip > 0 => {}
            Event::Start(e) => {
                let name = e.name();
                match name.as_ref() {
                    "text:tracked-changes" | "office:annotation" | "text:note" => {
                        skip = 1;
                        found.comments += usize::from(name.as_ref() == "office:annotation");
                        found.notes += usize::from(name.as_ref() == "text:note");
                    }
                    "text:p" | "text:h" => {
                        doc.open();
                        paragraph_starts.push(spans.len());
                        spans.push(false);
                    }
                    "text:span" | "text:a" => {
                        let inherited = spans.last().copied().unwrap_or(false);
                        let own = xml::attr(&e, "text:style-name")
                            .is_some_and(|s| bold_styles.contains(&s) || s.contains("Strong"));
                        spans.push(inherited || own);
                    }
                    _ => empty(&e, &mut doc, &spans, &mut style, &mut bold_styles),
                }
            }
            Event::Empty(e) if matches!(e.name().as_ref(), "text:p" | "text:h") => {
                doc.open();
                doc.close();
            }
            Event::Empty(e) => empty(&e, &mut doc, &spans, &mut style, &mut bold_styles),
            Event::End(e) => match e.name().as_ref() {
                "text:p" | "text:h" => {
                    doc.close();
                    spans.truncate(paragraph_starts.pop().unwrap_or(0));
                }
                "text:span" | "text:a" => {
                    spans.pop();
                }
                "style:style" => style = None,
                _ => {}
            },
            Event::Text(t) => text(&mut doc, &spans, &t.xml10_content()),
            Event::CData(t) => text(&mut doc, &spans, &t.xml10_content()),
            Event::GeneralRef(r) => text(&mut doc, &spans, &xml::reference(&r, PART, &reader)?),
            _ => {}
        }
    }
    let mut notes = Vec::new();
    if found.insertions + found.deletions > 0 {
        notes.push(format!(
            "has tracked changes ({}): the text was taken as if every change were accepted (insertions kept, deletions dropped); if another version is the one to code, accept or reject the changes in your word processor and import it again",
            counts(&[
                (found.insertions, "insertion"),
                (found.deletions, "deletion")
            ]),
        ));
    }
    if found.comments > 0 {
        notes.push(format!(
            "has {}: the commented text is imported, the comments are not; copy any you need into memos",
            count(found.comments, "comment")
        ));
    }
    if found.notes > 0 {
        notes.push(format!(
            "has {}, left out of the transcript",
            count(found.notes, "footnote")
        ));
    }
    Ok((join_lines(&doc.lines()), notes))
}

/// Text inside a paragraph: runs of white space count as one space, as
/// in OpenDocument (extra spaces are written as `text:s`).
fn text(doc: &mut Paragraphs, spans: &[bool], raw: &str) {
    let Some(&bold) = spans.last() else { return };
    let mut out = String::with_capacity(raw.len());
    let mut space = doc.last_char() == Some(' ');
    for c in raw.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    doc.push(&out, bold);
}

/// Spaces, tabs and breaks, and the bold automatic styles.
fn empty(
    e: &BytesStart<'_>,
    doc: &mut Paragraphs,
    spans: &[bool],
    style: &mut Option<String>,
    bold_styles: &mut BTreeSet<String>,
) {
    let bold = spans.last().copied().unwrap_or(false);
    match e.name().as_ref() {
        "text:s" => {
            let n = xml::attr(e, "text:c")
                .and_then(|c| c.parse().ok())
                .unwrap_or(1usize);
            doc.push(&" ".repeat(n.min(1000)), bold);
        }
        "text:tab" => doc.push("\t", bold),
        "text:line-break" => doc.line_break(),
        "style:style" => {
            *style = xml::attr(e, "style:name");
            let parent = xml::attr(e, "style:parent-style-name").unwrap_or_default();
            if let (true, Some(name)) = (parent.contains("Strong"), style.as_ref()) {
                bold_styles.insert(name.clone());
            }
        }
        "style:text-properties" => {
            let weight = xml::attr(e, "fo:font-weight").unwrap_or_default();
            let heavy = weight == "bold" || weight.parse::<u32>().is_ok_and(|w| w >= 600);
            if let (true, Some(name)) = (heavy, style.as_ref()) {
                bold_styles.insert(name.clone());
            }
        }
        _ => {}
    }
}
