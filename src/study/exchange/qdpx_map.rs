//! How the parts of a project become cbr values: user names to coder
//! ids (`--coder-map`), variables to transcript metadata, the list of
//! complete codings cbr keeps in the project description.

use std::collections::{BTreeMap, BTreeSet};

use crate::interop::refi::project::{Project, TextSource, Value, source_values};
use crate::model::Slug;
use crate::model::metadata::TranscriptMeta;

use super::super::error::{Result, StudyError};
use super::qdpx_export::COMPLETE_HEADING;

pub(super) fn add(list: &mut Vec<(String, usize)>, what: &str, n: usize) {
    if n == 0 {
        return;
    }
    match list.iter_mut().find(|(w, _)| w == what) {
        Some((_, c)) => *c += n,
        None => list.push((what.to_string(), n)),
    }
}

pub(super) fn parse_map(map: &[String]) -> Result<BTreeMap<String, Slug>> {
    let mut out = BTreeMap::new();
    for pair in map.iter().filter(|p| !p.trim().is_empty()) {
        let Some((name, id)) = pair.split_once('=') else {
            return Err(StudyError::InvalidInput(format!(
                "--coder-map `{pair}`: write NAME=coder-id, e.g. --coder-map \"Jane Doe=jane\""
            )));
        };
        out.insert(name.trim().to_string(), Slug::new(id.trim())?);
    }
    Ok(out)
}

pub(super) fn meta_of(project: &Project, s: &TextSource) -> Option<TranscriptMeta> {
    let mut meta = TranscriptMeta::default();
    let mut any = false;
    for (var, value) in source_values(project, s) {
        let key: String = var
            .name
            .trim()
            .chars()
            .map(|c| {
                if c.is_whitespace() {
                    '_'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        if key.is_empty() {
            continue;
        }
        any = true;
        let text = match value {
            Value::Text(t) => t.clone(),
            Value::Boolean(b) => b.to_string(),
            Value::Integer(n) => n.to_string(),
        };
        let slot = match key.as_str() {
            "kind" => &mut meta.kind,
            "site" => &mut meta.site,
            "city" => &mut meta.city,
            "date" => &mut meta.date,
            "participant_role" => &mut meta.participant_role,
            "language" => &mut meta.language,
            _ => {
                let v = match value {
                    Value::Text(t) => toml::Value::String(t.clone()),
                    Value::Boolean(b) => toml::Value::Boolean(*b),
                    Value::Integer(n) => toml::Value::Integer(*n),
                };
                meta.extra.insert(key, v);
                continue;
            }
        };
        *slot = Some(text);
    }
    any.then_some(meta)
}

pub(super) fn complete_set(project: &Project) -> BTreeSet<String> {
    let Some(d) = &project.description else {
        return BTreeSet::new();
    };
    let Some((_, rest)) = d.split_once(COMPLETE_HEADING) else {
        return BTreeSet::new();
    };
    rest.lines()
        .skip(1)
        .map_while(|l| l.strip_prefix("  "))
        .map(str::to_string)
        .collect()
}

/// Appends the text of the notes `refs` point at to `memo` (each text once).
pub(super) fn note_memos(
    project: &Project,
    refs: &[String],
    memo: &mut Vec<String>,
    lost: &mut Vec<(String, usize)>,
) {
    for n in refs {
        match project.notes.iter().find(|x| &x.guid == n) {
            Some(note) if !note.text.trim().is_empty() => {
                if !memo.contains(&note.text) {
                    memo.push(note.text.clone());
                }
            }
            Some(_) => {}
            None => add(lost, "note references to missing notes", 1),
        }
    }
}
