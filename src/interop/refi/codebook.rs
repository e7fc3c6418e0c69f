//! Codes both ways: cbr's codebook as REFI `<Code>` trees, and REFI codes
//! as cbr codes (ids made from names, hierarchy from nesting, fields from a
//! description cbr wrote).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::text::inert;
use crate::model::{Code, Codebook, Slug, Status};

use super::FormatError;
use super::fields;
use super::guid;
use super::xml::Element;

/// One REFI code with its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefiCode {
    /// Normalised (lower case, no braces).
    pub guid: String,
    pub name: String,
    pub codable: bool,
    pub color: Option<String>,
    pub description: Option<String>,
    pub children: Vec<RefiCode>,
}

impl RefiCode {
    pub fn count(&self) -> usize {
        1 + self.children.iter().map(RefiCode::count).sum::<usize>()
    }
}

/// The GUID of a code, derived from the study's seed and the code id.
pub fn code_guid(seed: &str, id: &Slug) -> String {
    guid::derive(seed, &["code", id.as_str()])
}

/// cbr's codebook as REFI code trees (roots in id order, children too).
/// Deprecated and merged codes are present but not codable.
pub fn to_refi(codebook: &Codebook, seed: &str) -> Vec<RefiCode> {
    fn build(codebook: &Codebook, code: &Code, seed: &str, seen: &mut BTreeSet<Slug>) -> RefiCode {
        seen.insert(code.id.clone());
        let mut children = Vec::new();
        for c in codebook.children(code.id.as_str()) {
            if !seen.contains(&c.id) {
                children.push(build(codebook, c, seed, seen));
            }
        }
        RefiCode {
            guid: code_guid(seed, &code.id),
            name: code.name.clone(),
            codable: code.status == Status::Active,
            color: code.color.as_deref().and_then(fields::color_to_rgb),
            description: Some(fields::render(code)),
            children,
        }
    }
    let mut seen = BTreeSet::new();
    let mut out: Vec<RefiCode> = codebook
        .roots()
        .into_iter()
        .map(|c| build(codebook, c, seed, &mut seen))
        .collect();
    // Codes caught in a parent cycle have no root; keep them at the top.
    for code in codebook.codes.values() {
        if !seen.contains(&code.id) {
            out.push(build(codebook, code, seed, &mut seen));
        }
    }
    out
}

/// Reads the `<Code>` children of a `<Codes>` element. GUIDs must be valid
/// and unique across `known` (the file's other GUIDs).
pub fn read_codes(
    codes: &Element,
    known: &mut BTreeSet<String>,
) -> Result<Vec<RefiCode>, FormatError> {
    let mut out = Vec::new();
    for el in codes.children_named("Code") {
        let raw = el.need("guid")?;
        let guid = guid::normalise(raw).ok_or_else(|| {
            FormatError::at(
                el.at,
                format!(
                    "<Code> guid `{}` is not a GUID (8-4-4-4-12 hex digits)",
                    inert(raw)
                ),
            )
        })?;
        if !known.insert(guid.clone()) {
            return Err(FormatError::at(
                el.at,
                format!(
                    "duplicate GUID `{}`: two elements cannot share one; the file is damaged",
                    inert(raw)
                ),
            ));
        }
        out.push(RefiCode {
            guid,
            name: el.attr("name").unwrap_or("").to_string(),
            codable: !matches!(el.attr("isCodable"), Some("false" | "0")),
            color: el.attr("color").map(str::to_string),
            description: el.child_text("Description").map(str::to_string),
            children: read_codes(el, known)?,
        });
    }
    Ok(out)
}

/// REFI codes turned into cbr codes.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub codebook: Codebook,
    /// Code GUID → cbr id.
    pub by_guid: BTreeMap<String, Slug>,
    /// Codes whose description was cbr's layout, read back into fields.
    pub with_fields: usize,
    /// Codes not codable in the file that cbr imported as deprecated.
    pub not_codable: usize,
}

fn free_id(name: &str, parent: Option<&Slug>, taken: &BTreeSet<Slug>) -> Slug {
    let base = Slug::slugify(name).unwrap_or_else(|_| Slug::new("code").expect("valid"));
    if !taken.contains(&base) {
        return base;
    }
    if let Some(p) = parent
        && let Ok(s) = Slug::slugify(&format!("{p} {base}"))
        && !taken.contains(&s)
    {
        return s;
    }
    (2..)
        .map(|n| base.numbered(n))
        .find(|s| !taken.contains(s))
        .expect("some number is free")
}

/// Turns REFI codes into a cbr codebook. Ids come from the `Id:` line of a
/// description cbr wrote, otherwise from the name (made unique: the
/// parent's id, then a number, is added on a clash).
pub fn from_refi(codes: &[RefiCode]) -> Result<Imported, FormatError> {
    let mut out = Imported::default();
    let mut taken = BTreeSet::new();
    // cbr's own ids first, so a name-made id never takes one of them.
    fn reserve(codes: &[RefiCode], taken: &mut BTreeSet<Slug>) {
        for c in codes {
            if let Some(id) = c
                .description
                .as_deref()
                .and_then(fields::parse)
                .and_then(|f| f.id)
            {
                taken.insert(id);
            }
            reserve(&c.children, taken);
        }
    }
    reserve(codes, &mut taken);
    let reserved = taken.clone();
    let mut used_reserved = BTreeSet::new();
    fn walk(
        codes: &[RefiCode],
        parent: Option<&Slug>,
        out: &mut Imported,
        taken: &mut BTreeSet<Slug>,
        reserved: &BTreeSet<Slug>,
        used_reserved: &mut BTreeSet<Slug>,
    ) {
        for c in codes {
            let parsed = c.description.as_deref().and_then(fields::parse);
            let own = parsed.as_ref().and_then(|f| f.id.clone());
            let id = match own {
                Some(id) if reserved.contains(&id) && used_reserved.insert(id.clone()) => id,
                _ => {
                    let id = free_id(&c.name, parent, taken);
                    taken.insert(id.clone());
                    id
                }
            };
            let name = if c.name.trim().is_empty() {
                id.to_string()
            } else {
                c.name.clone()
            };
            let mut code = Code::new(id.clone(), &name, "");
            code.parent = parent.cloned();
            code.color = c
                .color
                .as_deref()
                .and_then(fields::rgb_to_color)
                .map(str::to_string);
            match parsed {
                Some(f) => {
                    out.with_fields += 1;
                    code.definition = f.definition;
                    code.description = f.description;
                    code.include = f.include;
                    code.exclude = f.exclude;
                    code.examples = f.examples;
                    code.aliases = f.aliases;
                    code.status = f.status.unwrap_or(Status::Active);
                    code.merged_into = f.merged_into;
                }
                None => {
                    code.description = c.description.clone().unwrap_or_default();
                    // A category that only groups codes stays active so the
                    // tree shows; a lone code nobody may apply is deprecated.
                    if !c.codable && c.children.is_empty() {
                        code.status = Status::Deprecated;
                        out.not_codable += 1;
                    }
                }
            }
            out.by_guid.insert(c.guid.clone(), id.clone());
            walk(&c.children, Some(&id), out, taken, reserved, used_reserved);
            out.codebook.codes.insert(id, code);
        }
    }
    walk(
        codes,
        None,
        &mut out,
        &mut taken,
        &reserved,
        &mut used_reserved,
    );
    if let Some(problem) = out.codebook.problems().first() {
        return Err(FormatError::new(format!(
            "the codes do not hold together in cbr: {problem:?}"
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Codebook {
        let mut a = Code::new(Slug::new("violence").unwrap(), "Violence", "Any violence.");
        a.color = Some("red".into());
        let mut b = Code::new(Slug::new("verbal").unwrap(), "Verbal", "Words.");
        b.parent = Some(a.id.clone());
        let mut c = Code::new(Slug::new("old").unwrap(), "Old", "Gone.");
        c.status = Status::Deprecated;
        Codebook::from_codes([a, b, c])
    }

    #[test]
    fn codebook_round_trips_through_refi_codes() {
        let cb = sample();
        let refi = to_refi(&cb, "seed");
        assert_eq!(refi.len(), 2);
        assert_eq!(refi.iter().map(RefiCode::count).sum::<usize>(), 3);
        assert!(!refi.iter().find(|c| c.name == "Old").unwrap().codable);
        let back = from_refi(&refi).unwrap();
        assert_eq!(back.codebook, cb);
        assert_eq!(back.with_fields, 3);
        assert_eq!(to_refi(&cb, "seed"), refi, "GUIDs are stable");
    }

    #[test]
    fn foreign_names_become_unique_ids() {
        let leaf = |name: &str, guid: &str| RefiCode {
            guid: guid.into(),
            name: name.into(),
            codable: true,
            color: Some("#ffff00".into()),
            description: Some("Free text".into()),
            children: vec![],
        };
        let mut parent = leaf("Framings", "1");
        parent.children = vec![leaf("programming", "2")];
        let codes = vec![parent, leaf("Programming", "3"), leaf("<3", "4")];
        let got = from_refi(&codes).unwrap();
        let ids: Vec<&str> = got.codebook.codes.keys().map(Slug::as_str).collect();
        assert_eq!(ids, ["framings", "programming", "programming-2", "t-3"]);
        let p = got.codebook.get("programming").unwrap();
        assert_eq!(p.parent.as_ref().unwrap().as_str(), "framings");
        assert_eq!(p.description, "Free text");
        assert_eq!(p.color.as_deref(), Some("yellow"));
    }
}
