//! `cbr export qdpx`: the coded project for another QDA tool.
//!
//! Users are the coders (and consensus); every transcript is an internal
//! plain-text source (UTF-8, LF, no BOM) in `sources/`; every segment is a
//! `PlainTextSelection` coded by its coder, positions in code points over
//! that text; memos are notes attached to their selection; transcript
//! metadata are variables, on the source and on one case per transcript.
//! Which codings were complete is kept in the project description, which
//! `cbr import qdpx` reads back.

use std::collections::BTreeMap;

use crate::interop::refi::codebook::{code_guid, to_refi};
use crate::interop::refi::positions::{LineSpan, Text};
use crate::interop::refi::project::{
    Case, CodingRef, Note, Project, Selection, TextSource, User, Value, VarType, VarValue, Variable,
};
use crate::interop::refi::{archive, guid, write};
use crate::model::metadata::TranscriptMeta;
use crate::model::{Coding, Slug};

use super::super::blind;
use super::super::error::{Result, StudyError};
use super::super::git;
use super::super::load::Study;
use super::{qdc, seed, snapshot, version};

/// The heading in the project description that lists complete codings.
pub const COMPLETE_HEADING: &str = "Complete codings (cbr):";

/// What an export holds, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub codes: usize,
    pub sources: usize,
    pub selections: usize,
    pub memos: usize,
    /// Segments left out because their code no longer resolves.
    pub unresolved: usize,
}

/// The transcript text as exported: BOM dropped, CRLF made LF.
pub fn normalised(bytes: &[u8]) -> Result<String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        StudyError::Refused("a transcript is not UTF-8; `cbr check` names it".into())
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text.replace("\r\n", "\n"))
}

fn meta_values(meta: &TranscriptMeta) -> Vec<(String, toml::Value)> {
    let mut out = Vec::new();
    let fixed = [
        ("kind", &meta.kind),
        ("site", &meta.site),
        ("city", &meta.city),
        ("date", &meta.date),
        ("participant_role", &meta.participant_role),
        ("language", &meta.language),
    ];
    for (k, v) in fixed {
        if let Some(v) = v {
            out.push((k.to_string(), toml::Value::String(v.clone())));
        }
    }
    for (k, v) in &meta.extra {
        out.push((k.clone(), v.clone()));
    }
    out
}

fn to_value(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::Text(s.clone()),
        toml::Value::Boolean(b) => Value::Boolean(*b),
        toml::Value::Integer(n) => Value::Integer(*n),
        other => Value::Text(other.to_string()),
    }
}

fn excerpt(text: &str) -> String {
    let squashed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if squashed.chars().count() <= 80 {
        squashed
    } else {
        format!("{}…", squashed.chars().take(80).collect::<String>())
    }
}

/// Who exports, and whether blind coding may be overridden.
pub struct Viewer<'a> {
    pub coder: &'a Slug,
    /// The user's explicit `--unblind`.
    pub unblind: bool,
}

/// Builds the `.qdpx` bytes of the study at `at` (default: main), for the
/// given coders (default: all). In a blind study, other coders' work on a
/// transcript not yet finished by everyone is refused, as `cbr diff` does:
/// a file handed to another tool would show it all.
pub fn export(
    study: &Study,
    at: Option<&str>,
    coders: &[Slug],
    viewer: &Viewer,
) -> Result<(Vec<u8>, Summary)> {
    let repo = git::open(&study.root)?;
    let commit = version(&repo, at)?;
    let snap = snapshot::at(&repo, commit)?;
    let seed = seed(&repo)?;
    for c in coders {
        if !snap.codings.iter().any(|(who, _)| who == c) {
            return Err(StudyError::NotFound(format!(
                "`{c}` has no coding in this version; `cbr agree` lists who coded what"
            )));
        }
    }
    let codings: Vec<&(Slug, Coding)> = snap
        .codings
        .iter()
        .filter(|(who, _)| coders.is_empty() || coders.contains(who))
        .collect();
    let others: Vec<&(Slug, Coding)> = codings
        .iter()
        .filter(|(who, _)| who != viewer.coder)
        .copied()
        .collect();
    let mut other_coders: Vec<Slug> = others.iter().map(|(c, _)| c.clone()).collect();
    other_coders.dedup();
    let mut shown: Vec<Slug> = others.iter().map(|(_, c)| c.transcript.clone()).collect();
    shown.sort();
    shown.dedup();
    blind::check_reveal(study, &other_coders, &shown, viewer.unblind)?;
    let mut summary = Summary::default();
    let mut p = Project {
        name: study.config.title.clone(),
        origin: Some(qdc::origin()),
        codes: to_refi(&snap.codebook, &seed),
        ..Project::default()
    };
    summary.codes = snap.codebook.codes.len();
    let user_guid = |coder: &Slug| guid::derive(&seed, &["user", coder.as_str()]);
    let mut seen_users: Vec<&Slug> = codings.iter().map(|(c, _)| c).collect();
    seen_users.dedup();
    for coder in seen_users {
        p.users.push(User {
            guid: user_guid(coder),
            name: coder.to_string(),
            id: Some(coder.to_string()),
        });
    }
    let mut variables: BTreeMap<String, Variable> = BTreeMap::new();
    let mut files = Vec::new();
    let mut complete = Vec::new();
    for (id, bytes, meta) in &snap.transcripts {
        let text = normalised(bytes)?;
        let positions = Text::new(&text);
        let sguid = guid::derive(&seed, &["transcript", id.as_str()]);
        let mut source = TextSource {
            guid: sguid.clone(),
            name: id.to_string(),
            plain_text_path: Some(format!("internal://{sguid}.txt")),
            rich_text_path: None,
            content: None,
            selections: Vec::new(),
            values: Vec::new(),
            at: (0, 0),
        };
        for (key, value) in meta.as_ref().map(meta_values).unwrap_or_default() {
            let value = to_value(&value);
            let var = variables.entry(key.clone()).or_insert_with(|| Variable {
                guid: guid::derive(&seed, &["variable", &key]),
                name: key.clone(),
                kind: match value {
                    Value::Boolean(_) => VarType::Boolean,
                    Value::Integer(_) => VarType::Integer,
                    Value::Text(_) => VarType::Text,
                },
            });
            // A key whose values differ in type across transcripts goes as text.
            let value = match (&var.kind, value) {
                (VarType::Boolean, v @ Value::Boolean(_))
                | (VarType::Integer, v @ Value::Integer(_)) => v,
                (_, Value::Text(t)) if var.kind == VarType::Text => Value::Text(t),
                (_, v) => {
                    var.kind = VarType::Text;
                    Value::Text(match v {
                        Value::Text(t) => t,
                        Value::Boolean(b) => b.to_string(),
                        Value::Integer(n) => n.to_string(),
                    })
                }
            };
            source.values.push(VarValue {
                variable: var.guid.clone(),
                value,
            });
        }
        let mut n = 0usize;
        for (coder, coding) in codings.iter().filter(|(_, c)| &c.transcript == id) {
            if coding.complete {
                complete.push(format!("{coder}/{id}"));
            }
            let mut sorted = coding.clone();
            sorted.sort();
            for seg in &sorted.segments {
                let Some(code) = snap.codebook.resolve(seg.code.as_str()) else {
                    summary.unresolved += 1;
                    continue;
                };
                n += 1;
                let span = LineSpan {
                    start_line: seg.start_line,
                    start_col: seg.start_col,
                    end_line: seg.end_line,
                    end_col: seg.end_col,
                };
                let (s, e) = positions.from_lines(&span);
                let selguid = guid::derive(
                    &seed,
                    &["segment", coder.as_str(), id.as_str(), &n.to_string()],
                );
                let mut sel = Selection {
                    guid: selguid.clone(),
                    name: excerpt(&positions.slice(s, e)),
                    start: s as i64,
                    end: e as i64,
                    creating_user: Some(user_guid(coder)),
                    description: None,
                    codings: vec![CodingRef {
                        guid: guid::derive(&seed, &["coding", &selguid]),
                        code: code_guid(&seed, &code.id),
                        creating_user: Some(user_guid(coder)),
                        notes: Vec::new(),
                    }],
                    notes: Vec::new(),
                    at: (0, 0),
                };
                if let Some(memo) = seg.memo.as_deref().filter(|m| !m.is_empty()) {
                    let nguid = guid::derive(&seed, &["memo", &selguid]);
                    p.notes.push(Note {
                        guid: nguid.clone(),
                        name: format!("Memo by {coder} on {id}"),
                        text: memo.to_string(),
                    });
                    sel.notes.push(nguid);
                    summary.memos += 1;
                }
                source.selections.push(sel);
            }
        }
        summary.selections += source.selections.len();
        if !source.values.is_empty() {
            p.cases.push(Case {
                guid: guid::derive(&seed, &["case", id.as_str()]),
                name: id.to_string(),
                values: source.values.clone(),
                sources: vec![sguid.clone()],
            });
        }
        files.push((format!("sources/{sguid}.txt"), text.into_bytes()));
        p.sources.push(source);
    }
    summary.sources = p.sources.len();
    p.variables = variables.into_values().collect();
    if !complete.is_empty() {
        let mut d = format!("{COMPLETE_HEADING}\n");
        for c in &complete {
            d.push_str(&format!("  {c}\n"));
        }
        p.description = Some(d);
    }
    let qde = write::project(&p);
    let mut all = vec![("project.qde".to_string(), qde.into_bytes())];
    all.extend(files);
    let zip = archive::write(&all).map_err(|e| StudyError::Refused(e.to_string()))?;
    Ok((zip, summary))
}
