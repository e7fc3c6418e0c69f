//! A REFI project (`project.qde`) as far as cbr uses it, and its lenient
//! reader. What cbr cannot carry (pictures, PDF, audio and video sources,
//! links, graphs, sets, whole-source codings) is counted in `skipped` so
//! an import can list it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::text::inert;

use super::FormatError;
use super::codebook::RefiCode;
use super::guid;
use super::qdc;
use super::xml::{self, Element};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Project {
    pub name: String,
    pub origin: Option<String>,
    pub creating_user: Option<String>,
    pub users: Vec<User>,
    pub codes: Vec<RefiCode>,
    pub variables: Vec<Variable>,
    pub cases: Vec<Case>,
    pub sources: Vec<TextSource>,
    pub notes: Vec<Note>,
    pub description: Option<String>,
    /// What the file holds that cbr does not carry, with counts.
    pub skipped: Vec<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub guid: String,
    pub name: String,
    pub id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarType {
    Text,
    Boolean,
    Integer,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub guid: String,
    pub name: String,
    pub kind: VarType,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Boolean(bool),
    Integer(i64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct VarValue {
    pub variable: String,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub guid: String,
    pub name: String,
    pub values: Vec<VarValue>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextSource {
    pub guid: String,
    pub name: String,
    /// `internal://…`, `relative://…` or an absolute path.
    pub plain_text_path: Option<String>,
    /// The formatted version (`.docx`), which cbr does not read.
    pub rich_text_path: Option<String>,
    pub content: Option<String>,
    pub selections: Vec<Selection>,
    pub values: Vec<VarValue>,
    pub at: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub guid: String,
    pub name: String,
    pub start: i64,
    pub end: i64,
    pub creating_user: Option<String>,
    pub description: Option<String>,
    pub codings: Vec<CodingRef>,
    pub notes: Vec<String>,
    pub at: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CodingRef {
    pub guid: String,
    pub code: String,
    pub creating_user: Option<String>,
    /// Notes attached to this coding rather than to the selection.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub guid: String,
    pub name: String,
    pub text: String,
}

fn gid(el: &Element, attr: &str) -> Result<String, FormatError> {
    let raw = el.need(attr)?;
    guid::normalise(raw).ok_or_else(|| {
        FormatError::at(
            el.at,
            format!(
                "<{}> {attr} `{}` is not a GUID (8-4-4-4-12 hex digits)",
                el.name,
                inert(raw)
            ),
        )
    })
}

fn opt_gid(el: &Element, attr: &str) -> Option<String> {
    el.attr(attr).and_then(guid::normalise)
}

fn unique(known: &mut BTreeSet<String>, guid: &str, el: &Element) -> Result<(), FormatError> {
    if known.insert(guid.to_string()) {
        Ok(())
    } else {
        Err(FormatError::at(
            el.at,
            format!(
                "duplicate GUID `{guid}` on <{}>: the file is damaged",
                el.name
            ),
        ))
    }
}

fn values(el: &Element) -> Result<Vec<VarValue>, FormatError> {
    let mut out = Vec::new();
    for v in el.children_named("VariableValue") {
        let Some(r) = v.child("VariableRef") else {
            continue;
        };
        let variable = gid(r, "targetGUID")?;
        let value = if let Some(t) = v.child("BooleanValue") {
            Value::Boolean(matches!(t.text.trim(), "true" | "1"))
        } else if let Some(t) = v.child("IntegerValue")
            && let Ok(n) = t.text.trim().parse()
        {
            Value::Integer(n)
        } else {
            let text = v
                .children
                .iter()
                .find(|c| c.name.ends_with("Value"))
                .map_or(String::new(), |c| c.text.clone());
            Value::Text(text)
        };
        out.push(VarValue { variable, value });
    }
    Ok(out)
}

fn position(el: &Element, attr: &str) -> Result<i64, FormatError> {
    let raw = el.need(attr)?;
    raw.trim().parse().map_err(|_| {
        FormatError::at(
            el.at,
            format!(
                "<{}> {attr} `{}` is not a whole number",
                el.name,
                inert(raw)
            ),
        )
    })
}

fn selection(el: &Element, known: &mut BTreeSet<String>) -> Result<Selection, FormatError> {
    let guid = gid(el, "guid")?;
    unique(known, &guid, el)?;
    let mut codings = Vec::new();
    for c in el.children_named("Coding") {
        let Some(r) = c.child("CodeRef") else {
            return Err(FormatError::at(c.at, "<Coding> without a <CodeRef>"));
        };
        let mut notes = Vec::new();
        for n in c.children_named("NoteRef") {
            notes.push(gid(n, "targetGUID")?);
        }
        codings.push(CodingRef {
            guid: opt_gid(c, "guid").unwrap_or_default(),
            code: gid(r, "targetGUID")?,
            creating_user: opt_gid(c, "creatingUser"),
            notes,
        });
    }
    let mut notes = Vec::new();
    for n in el.children_named("NoteRef") {
        notes.push(gid(n, "targetGUID")?);
    }
    Ok(Selection {
        guid,
        name: el.attr("name").unwrap_or("").to_string(),
        start: position(el, "startPosition")?,
        end: position(el, "endPosition")?,
        creating_user: opt_gid(el, "creatingUser"),
        description: el.child_text("Description").map(str::to_string),
        codings,
        notes,
        at: el.at,
    })
}

fn skip(p: &mut Project, what: &str, n: usize) {
    if n == 0 {
        return;
    }
    match p.skipped.iter_mut().find(|(w, _)| w == what) {
        Some((_, count)) => *count += n,
        None => p.skipped.push((what.to_string(), n)),
    }
}

/// Parses a `project.qde`.
pub fn parse(text: &str) -> Result<Project, FormatError> {
    let root = xml::parse(text)?;
    if root.name != "Project" {
        return Err(FormatError::at(
            root.at,
            format!(
                "the root element is <{}>, not <Project>: not a REFI-QDA project",
                root.name
            ),
        ));
    }
    let mut known = BTreeSet::new();
    let mut p = Project {
        name: root.attr("name").unwrap_or("").to_string(),
        origin: root.attr("origin").map(str::to_string),
        creating_user: opt_gid(&root, "creatingUserGUID"),
        description: root.child_text("Description").map(str::to_string),
        ..Project::default()
    };
    if let Some(users) = root.child("Users") {
        for u in users.children_named("User") {
            p.users.push(User {
                guid: gid(u, "guid")?,
                name: u.attr("name").unwrap_or("").to_string(),
                id: u.attr("id").map(str::to_string),
            });
        }
    }
    if let Some(cb) = root.child("CodeBook") {
        let (codes, sets) = qdc::from_codebook_element(cb, &mut known)?;
        p.codes = codes;
        skip(&mut p, "code sets", sets);
    }
    if let Some(vars) = root.child("Variables") {
        for v in vars.children_named("Variable") {
            p.variables.push(Variable {
                guid: gid(v, "guid")?,
                name: v.attr("name").unwrap_or("").to_string(),
                kind: match v.attr("typeOfVariable") {
                    Some("Text") => VarType::Text,
                    Some("Boolean") => VarType::Boolean,
                    Some("Integer") => VarType::Integer,
                    _ => VarType::Other,
                },
            });
        }
    }
    if let Some(cases) = root.child("Cases") {
        for c in cases.children_named("Case") {
            let mut sources = Vec::new();
            for s in c.children_named("SourceRef") {
                sources.push(gid(s, "targetGUID")?);
            }
            p.cases.push(Case {
                guid: gid(c, "guid")?,
                name: c.attr("name").unwrap_or("").to_string(),
                values: values(c)?,
                sources,
            });
        }
    }
    if let Some(sources) = root.child("Sources") {
        for s in &sources.children {
            match s.name.as_str() {
                "TextSource" => {
                    let guid = gid(s, "guid")?;
                    unique(&mut known, &guid, s)?;
                    let mut selections = Vec::new();
                    for sel in s.children_named("PlainTextSelection") {
                        selections.push(selection(sel, &mut known)?);
                    }
                    let whole = s.children_named("Coding").count();
                    skip(&mut p, "codings of whole sources", whole);
                    p.sources.push(TextSource {
                        guid,
                        name: s.attr("name").unwrap_or("").to_string(),
                        plain_text_path: s.attr("plainTextPath").map(str::to_string),
                        rich_text_path: s.attr("richTextPath").map(str::to_string),
                        content: s.child_text("PlainTextContent").map(str::to_string),
                        selections,
                        values: values(s)?,
                        at: s.at,
                    });
                }
                "PictureSource" => skip(&mut p, "picture sources", 1),
                "PDFSource" => skip(&mut p, "PDF sources", 1),
                "AudioSource" => skip(&mut p, "audio sources", 1),
                "VideoSource" => skip(&mut p, "video sources", 1),
                _ => {}
            }
        }
    }
    if let Some(notes) = root.child("Notes") {
        for n in notes.children_named("Note") {
            p.notes.push(Note {
                guid: gid(n, "guid")?,
                name: n.attr("name").unwrap_or("").to_string(),
                text: n.child_text("PlainTextContent").unwrap_or("").to_string(),
            });
        }
    }
    let count = |name: &str, item: &str| {
        root.child(name)
            .map_or(0, |e| e.children_named(item).count())
    };
    let (links, sets, graphs) = (
        count("Links", "Link"),
        count("Sets", "Set"),
        count("Graphs", "Graph"),
    );
    skip(&mut p, "links", links);
    skip(&mut p, "sets of sources or codes", sets);
    skip(&mut p, "graphs", graphs);
    Ok(p)
}

/// Every variable value that applies to a source: its own, then those of
/// the cases that list it.
pub fn source_values<'a>(p: &'a Project, source: &'a TextSource) -> Vec<(&'a Variable, &'a Value)> {
    let vars: BTreeMap<&str, &Variable> =
        p.variables.iter().map(|v| (v.guid.as_str(), v)).collect();
    let from_cases = p
        .cases
        .iter()
        .filter(|c| c.sources.contains(&source.guid))
        .flat_map(|c| c.values.iter());
    let mut seen = BTreeSet::new();
    source
        .values
        .iter()
        .chain(from_cases)
        .filter_map(|v| Some((*vars.get(v.variable.as_str())?, &v.value)))
        .filter(|(v, _)| seen.insert(v.guid.clone()))
        .collect()
}
