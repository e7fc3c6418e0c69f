//! Renders REFI XML. Strict with what cbr writes: only elements the schemas
//! allow, in their order, and never an empty wrapper element (the schemas
//! refuse `<Sets/>` and the like).

use super::CODEBOOK_NS;
use super::codebook::RefiCode;
use super::xml::escape;

pub(crate) fn push_codes(out: &mut String, codes: &[RefiCode], depth: usize) {
    for c in codes {
        let pad = "  ".repeat(depth);
        out.push_str(&format!(
            "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\"",
            c.guid,
            escape(&c.name),
            c.codable
        ));
        if let Some(color) = &c.color {
            out.push_str(&format!(" color=\"{}\"", escape(color)));
        }
        let desc = c.description.as_deref().filter(|d| !d.is_empty());
        if desc.is_none() && c.children.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if let Some(d) = desc {
            out.push_str(&format!("{pad}  <Description>{}</Description>\n", text(d)));
        }
        push_codes(out, &c.children, depth + 1);
        out.push_str(&format!("{pad}</Code>\n"));
    }
}

/// Escapes element text; line ends stay literal so the text reads well.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A lone CR would be read back as a line end.
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// A whole `.qdc` file. The schema wants at least one code: an empty
/// codebook has no valid `.qdc`, so callers refuse it first.
pub fn codebook(codes: &[RefiCode], origin: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"{}\">\n  <Codes>\n",
        escape(origin)
    );
    push_codes(&mut out, codes, 2);
    out.push_str("  </Codes>\n</CodeBook>\n");
    out
}
