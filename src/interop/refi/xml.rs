//! A small element tree read with quick-xml: REFI files are at most a few
//! megabytes, and a tree makes the lenient reading of many tools' dialects
//! far simpler than a stream. Names are local (prefixes dropped), so
//! `qda:Code` and `Code` read alike; every element keeps its line and column
//! for messages.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::FormatError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (text directly inside it, concatenated).
    pub text: String,
    /// Line and column (1-based) of the start tag.
    pub at: (usize, usize),
}

impl Element {
    /// An attribute's value, by local name, case-sensitive as the standard is.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A required attribute, or an error naming the element.
    pub fn need(&self, name: &str) -> Result<&str, FormatError> {
        self.attr(name).ok_or_else(|| {
            FormatError::at(
                self.at,
                format!("<{}> has no `{name}` attribute", self.name),
            )
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Text of a child element such as `<Description>`, if present.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Every element below this one (depth first), itself excluded.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }
}

/// Line and column (1-based, in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|b| **b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let col = 1 + String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count();
    (line, col)
}

/// Line and column of increasing offsets, counted from the last one: a
/// file has tens of thousands of elements, and counting each from the
/// start made a large project take minutes.
#[derive(Default)]
struct Cursor {
    offset: usize,
    /// Line (0-based) and chars since its start, at `offset`.
    line: usize,
    col: usize,
}

impl Cursor {
    fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        if offset < self.offset || !text.is_char_boundary(offset) {
            return line_col(text, offset);
        }
        for c in text[self.offset..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += 1;
            }
        }
        self.offset = offset;
        (self.line + 1, self.col + 1)
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.to_string(),
    }
}

fn start(e: &BytesStart, at: (usize, usize)) -> Result<Element, FormatError> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| FormatError::at(at, format!("bad attribute: {err}")))?;
        let key = local(a.key.as_ref());
        // Normalised as XML says: a literal line end in a value is a space,
        // `&#10;` stays a line end.
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| FormatError::at(at, format!("bad attribute `{key}`: {err}")))?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
        text: String::new(),
        at,
    })
}

/// Parses a whole document into its root element. A BOM is skipped; any
/// syntax error is located.
pub fn parse(text: &str) -> Result<Element, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut cursor = Cursor::default();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            FormatError::at(
                line_col(text, reader.error_position() as usize),
                format!("malformed XML: {e}"),
            )
        })?;
        // The tag starts at the first `<` after the previous event.
        let mut tag_at = || {
            let off = text[before..].find('<').map_or(before, |i| before + i);
            cursor.advance(text, off)
        };
        match event {
            Event::Start(e) => stack.push(start(&e, tag_at())?),
            Event::Empty(e) => {
                let el = start(&e, tag_at())?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else {
                    return Err(FormatError::at(
                        tag_at(),
                        "malformed XML: unexpected end tag",
                    ));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten().map(String::from)
                } else {
                    match r.xml10_content().as_ref() {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        _ => None,
                    }
                };
                let Some(resolved) = resolved else {
                    return Err(FormatError::at(
                        tag_at(),
                        format!("unknown entity `&{};`", r.xml10_content()),
                    ));
                };
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(FormatError::at(
            open.at,
            format!("malformed XML: <{}> is never closed", open.name),
        ));
    }
    root.ok_or_else(|| FormatError::new("empty document: no root element"))
}

/// Escapes text for an XML attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Line ends and tabs survive attribute normalisation only as
            // character references.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entities_prefixes_and_positions() {
        let doc = "<?xml version=\"1.0\"?>\n<q:A xmlns:q=\"x\" n=\"&quot;a&quot;\">\n  <B>x &amp; &#233;</B><C/></q:A>";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "A");
        assert_eq!(root.attr("n"), Some("\"a\""));
        assert_eq!(root.child_text("B"), Some("x & é"));
        assert_eq!(root.child("B").unwrap().at, (3, 3));
        assert!(root.child("C").is_some());
    }

    #[test]
    fn malformed_xml_is_located() {
        let err = parse("<A>\n<B></A>").unwrap_err();
        assert!(err.location.is_some(), "{err}");
        assert!(err.to_string().contains("malformed XML"), "{err}");
    }

    #[test]
    fn escape_round_trips() {
        let s = "a<b>&\"c'\nd\te";
        let doc = format!("<A v=\"{0}\">{0}</A>", escape(s));
        let root = parse(&doc).unwrap();
        assert_eq!(root.attr("v"), Some(s));
        assert_eq!(root.text, s);
    }
}
