//! Renders REFI XML. Strict with what cbr writes: only elements the schemas
//! allow, in their order, and never an empty wrapper element (the schemas
//! refuse `<Sets/>` and the like).

use super::codebook::RefiCode;
use super::project::{Project, Selection, Value, VarType, VarValue};
use super::xml::escape;
use super::{CODEBOOK_NS, PROJECT_NS};

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

fn push_values(out: &mut String, values: &[VarValue], pad: &str) {
    for v in values {
        let (tag, text) = match &v.value {
            Value::Text(t) => ("TextValue", t.clone()),
            Value::Boolean(b) => ("BooleanValue", b.to_string()),
            Value::Integer(n) => ("IntegerValue", n.to_string()),
        };
        out.push_str(&format!(
            "{pad}<VariableValue>\n{pad}  <VariableRef targetGUID=\"{}\"/>\n{pad}  <{tag}>{}</{tag}>\n{pad}</VariableValue>\n",
            v.variable,
            self::text(&text)
        ));
    }
}

fn push_selection(out: &mut String, s: &Selection) {
    let pad = "      ";
    out.push_str(&format!(
        "{pad}<PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{}\" endPosition=\"{}\"",
        s.guid,
        escape(&s.name),
        s.start,
        s.end
    ));
    if let Some(u) = &s.creating_user {
        out.push_str(&format!(" creatingUser=\"{u}\""));
    }
    out.push_str(">\n");
    if let Some(d) = s.description.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!("{pad}  <Description>{}</Description>\n", text(d)));
    }
    for c in &s.codings {
        out.push_str(&format!("{pad}  <Coding guid=\"{}\"", c.guid));
        if let Some(u) = &c.creating_user {
            out.push_str(&format!(" creatingUser=\"{u}\""));
        }
        out.push_str(&format!(
            ">\n{pad}    <CodeRef targetGUID=\"{}\"/>\n{pad}  </Coding>\n",
            c.code
        ));
    }
    for n in &s.notes {
        out.push_str(&format!("{pad}  <NoteRef targetGUID=\"{n}\"/>\n"));
    }
    out.push_str(&format!("{pad}</PlainTextSelection>\n"));
}

/// A whole `project.qde`. Sources are written with `plainTextPath`; empty
/// lists are left out entirely, as the schema requires.
pub fn project(p: &Project) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Project xmlns=\"{PROJECT_NS}\" name=\"{}\"",
        escape(&p.name)
    );
    if let Some(o) = &p.origin {
        out.push_str(&format!(" origin=\"{}\"", escape(o)));
    }
    if let Some(u) = &p.creating_user {
        out.push_str(&format!(" creatingUserGUID=\"{u}\""));
    }
    out.push_str(">\n");
    if !p.users.is_empty() {
        out.push_str("  <Users>\n");
        for u in &p.users {
            out.push_str(&format!(
                "    <User guid=\"{}\" name=\"{}\"",
                u.guid,
                escape(&u.name)
            ));
            if let Some(id) = &u.id {
                out.push_str(&format!(" id=\"{}\"", escape(id)));
            }
            out.push_str("/>\n");
        }
        out.push_str("  </Users>\n");
    }
    if !p.codes.is_empty() {
        out.push_str("  <CodeBook>\n    <Codes>\n");
        push_codes(&mut out, &p.codes, 3);
        out.push_str("    </Codes>\n  </CodeBook>\n");
    }
    if !p.variables.is_empty() {
        out.push_str("  <Variables>\n");
        for v in &p.variables {
            let kind = match v.kind {
                VarType::Boolean => "Boolean",
                VarType::Integer => "Integer",
                VarType::Text | VarType::Other => "Text",
            };
            out.push_str(&format!(
                "    <Variable guid=\"{}\" name=\"{}\" typeOfVariable=\"{kind}\"/>\n",
                v.guid,
                escape(&v.name)
            ));
        }
        out.push_str("  </Variables>\n");
    }
    if !p.cases.is_empty() {
        out.push_str("  <Cases>\n");
        for c in &p.cases {
            out.push_str(&format!(
                "    <Case guid=\"{}\" name=\"{}\">\n",
                c.guid,
                escape(&c.name)
            ));
            push_values(&mut out, &c.values, "      ");
            for s in &c.sources {
                out.push_str(&format!("      <SourceRef targetGUID=\"{s}\"/>\n"));
            }
            out.push_str("    </Case>\n");
        }
        out.push_str("  </Cases>\n");
    }
    if !p.sources.is_empty() {
        out.push_str("  <Sources>\n");
        for s in &p.sources {
            out.push_str(&format!(
                "    <TextSource guid=\"{}\" name=\"{}\"",
                s.guid,
                escape(&s.name)
            ));
            if let Some(path) = &s.plain_text_path {
                out.push_str(&format!(" plainTextPath=\"{}\"", escape(path)));
            }
            out.push_str(">\n");
            if let Some(c) = &s.content {
                out.push_str(&format!(
                    "      <PlainTextContent>{}</PlainTextContent>\n",
                    text(c)
                ));
            }
            for sel in &s.selections {
                push_selection(&mut out, sel);
            }
            push_values(&mut out, &s.values, "      ");
            out.push_str("    </TextSource>\n");
        }
        out.push_str("  </Sources>\n");
    }
    if !p.notes.is_empty() {
        out.push_str("  <Notes>\n");
        for n in &p.notes {
            out.push_str(&format!(
                "    <Note guid=\"{}\" name=\"{}\">\n      <PlainTextContent>{}</PlainTextContent>\n    </Note>\n",
                n.guid,
                escape(&n.name),
                text(&n.text)
            ));
        }
        out.push_str("  </Notes>\n");
    }
    if let Some(d) = p.description.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!("  <Description>{}</Description>\n", text(d)));
    }
    out.push_str("</Project>\n");
    out
}
