//! Codes for generated studies: a three-level tree (theme, setting,
//! quality) with every field a team fills in, and the edits a codebook
//! goes through over the years (sharper definitions, new examples,
//! renames, merges, deprecations). Pure: codes from a random generator.

use std::collections::BTreeSet;

use fastrand::Rng;

use crate::model::codebook::{COLORS, Example, Status};
use crate::model::{Code, Codebook, Slug};

use super::words::*;

/// Where examples come from: a quote and its `transcript:line` source.
pub type Quotes<'a> = dyn FnMut(&mut Rng) -> Example + 'a;

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(0..list.len())]
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap_or_else(|e| panic!("generated id: {e}"))
}

/// The final codebook's `n` codes, parents before children: about one
/// theme per thirty codes, four settings per theme, the rest qualities.
pub fn plan(rng: &mut Rng, n: usize, quotes: &mut Quotes) -> Vec<Code> {
    let n = n.max(1);
    let roots = n.div_ceil(30).clamp(1, ROOT_THEMES.len()).min(n);
    let mids = (n - roots)
        .min(roots * 4)
        .max((n - roots).div_ceil(ASPECTS.len()))
        .min(roots * FACETS.len());
    let mut themes: Vec<usize> = (0..ROOT_THEMES.len()).collect();
    rng.shuffle(&mut themes);
    // (id, name, parent, color)
    let mut nodes: Vec<(String, String, Option<String>, &str)> = Vec::new();
    let colors: Vec<&str> = COLORS
        .iter()
        .copied()
        .filter(|c| !matches!(*c, "black" | "white" | "gray" | "darkgray"))
        .collect();
    for (i, &t) in themes.iter().take(roots).enumerate() {
        let (id, name) = ROOT_THEMES[t];
        nodes.push((id.into(), name.into(), None, colors[i % colors.len()]));
    }
    let mut facet_order: Vec<Vec<usize>> = (0..roots)
        .map(|_| {
            let mut f: Vec<usize> = (0..FACETS.len()).collect();
            rng.shuffle(&mut f);
            f
        })
        .collect();
    let mut mid_nodes = Vec::new();
    for m in 0..mids {
        let r = m % roots;
        let f = facet_order[r]
            .pop()
            .expect("at most FACETS.len() settings per theme");
        let (root_id, root_name, _, color) = nodes[r].clone();
        let (fid, fname) = FACETS[f];
        mid_nodes.push(nodes.len());
        nodes.push((
            format!("{root_id}-{fid}"),
            format!("{root_name} {fname}"),
            Some(root_id),
            color,
        ));
    }
    let mut aspect_order: Vec<Vec<usize>> = mid_nodes
        .iter()
        .map(|_| {
            let mut a: Vec<usize> = (0..ASPECTS.len()).collect();
            rng.shuffle(&mut a);
            a
        })
        .collect();
    for l in 0..n - roots - mids {
        let m = l % mid_nodes.len();
        let Some(a) = aspect_order[m].pop() else {
            break;
        };
        let (mid_id, mid_name, _, color) = nodes[mid_nodes[m]].clone();
        let (aid, aname) = ASPECTS[a];
        nodes.push((
            format!("{mid_id}-{aid}"),
            format!("{mid_name}, {aname}"),
            Some(mid_id),
            color,
        ));
    }
    let mut codes: Vec<Code> = nodes
        .into_iter()
        .map(|(id, name, parent, color)| {
            let mut code = Code::new(slug(&id), &name, "");
            code.parent = parent.map(|p| slug(&p));
            code.color = Some(color.to_string());
            code.definition = definition(rng, &name);
            code.description = description(rng);
            code.include = format!(
                "Apply to {}, {}.\n",
                name.to_lowercase(),
                pick(rng, QUALIFIERS)
            );
            code.examples = (0..rng.usize(1..3)).map(|_| quotes(rng)).collect();
            code
        })
        .collect();
    let book = Codebook::from_codes(codes.clone());
    for code in &mut codes {
        code.exclude = exclude(rng, &book, code);
    }
    codes
}

fn definition(rng: &mut Rng, name: &str) -> String {
    let x = name.to_lowercase();
    let text = pick(rng, DEFINITIONS)
        .replace("{x}", &x)
        .replace("{X}", name);
    if rng.u32(0..10) < 4 {
        format!("{}, {}.", text.trim_end_matches('.'), pick(rng, QUALIFIERS))
    } else {
        text
    }
}

fn description(rng: &mut Rng) -> String {
    let a = pick(rng, DESCRIPTIONS);
    let b = pick(rng, DESCRIPTIONS);
    if a == b {
        format!("{a}\n")
    } else {
        format!("{a}\n{b}\n")
    }
}

/// Names a neighbouring code, as teams do to draw the line between them.
fn exclude(rng: &mut Rng, book: &Codebook, code: &Code) -> String {
    let siblings: Vec<&Code> = match &code.parent {
        Some(p) => book.children(p.as_str()),
        None => book.roots(),
    }
    .into_iter()
    .filter(|c| c.id != code.id)
    .collect();
    match siblings.as_slice() {
        [] => "General talk about the job, with no episode or situation described.\n".into(),
        list => {
            let other = list[rng.usize(0..list.len())];
            format!(
                "{} is `{}`, even when both come up in the same turn.\nGeneral talk about the job, with no episode described.\n",
                other.name, other.id
            )
        }
    }
}

/// One edit of a code's wording, with the suggestion title a person would give it.
pub fn edit(rng: &mut Rng, book: &Codebook, code: &Code, quotes: &mut Quotes) -> (Code, String) {
    let mut new = code.clone();
    let title = match rng.u32(0..100) {
        0..=29 => {
            while new.definition == code.definition {
                new.definition = definition(rng, &code.name);
            }
            format!("Sharpen the definition of {}", code.name)
        }
        30..=49 => {
            new.exclude = format!(
                "{}{}.\n",
                exclude(rng, book, code),
                capitalise(pick(rng, QUALIFIERS))
            );
            format!("Clarify when not to use {}", code.name)
        }
        50..=64 => {
            new.include = format!(
                "Apply to {}, {}.\n",
                code.name.to_lowercase(),
                pick(rng, QUALIFIERS)
            );
            if new.include == code.include {
                new.include
                    .insert_str(new.include.len() - 2, ", in any setting");
            }
            format!("Widen the inclusion criterion of {}", code.name)
        }
        65..=89 => {
            if new.examples.len() >= 4 {
                new.examples.remove(0);
            }
            new.examples.push(quotes(rng));
            format!("Add an example to {}", code.name)
        }
        90..=96 => {
            new.description = format!("{}{}\n", code.description, pick(rng, DESCRIPTIONS));
            format!("Expand the description of {}", code.name)
        }
        _ => {
            let current = new.color.clone();
            while new.color == current {
                new.color =
                    Some(pick(rng, &["red", "green", "blue", "magenta", "cyan", "yellow"]).into());
            }
            format!("Recolour {}", code.name)
        }
    };
    (new, title)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A rename to a free id: the renamed code (keeping its old id as an
/// alias) and every code that pointed at the old id, updated.
pub fn rename(
    rng: &mut Rng,
    book: &Codebook,
    code: &Code,
    taken: &BTreeSet<String>,
) -> Option<(Vec<Code>, String)> {
    let parent = code.parent.as_ref()?;
    let mut words: Vec<(&str, &str)> = ASPECTS.to_vec();
    words.extend_from_slice(FACETS);
    rng.shuffle(&mut words);
    let (id, name) = words.into_iter().find_map(|(wid, wname)| {
        let id = format!("{parent}-{wid}");
        let parent_name = &book.get(parent.as_str())?.name;
        (!taken.contains(&id) && id.len() <= crate::model::slug::MAX_LEN)
            .then(|| (id, format!("{parent_name}, {wname}")))
    })?;
    let mut renamed = code.clone();
    renamed.id = slug(&id);
    renamed.aliases.push(code.id.clone());
    renamed.name = name;
    let mut out = vec![renamed.clone()];
    for other in book.codes.values() {
        let mut other = other.clone();
        let mut touched = false;
        if other.parent.as_ref() == Some(&code.id) {
            other.parent = Some(renamed.id.clone());
            touched = true;
        }
        if other.merged_into.as_ref() == Some(&code.id) {
            other.merged_into = Some(renamed.id.clone());
            touched = true;
        }
        if touched {
            out.push(other);
        }
    }
    let title = format!("Rename {} to {}", code.name, renamed.name);
    Some((out, title))
}

/// Folds `code` into `target`; its codings will count as the target's.
pub fn merge_into(code: &Code, target: &Code) -> (Code, String) {
    let mut merged = code.clone();
    merged.status = Status::Merged;
    merged.merged_into = Some(target.id.clone());
    (merged, format!("Merge {} into {}", code.name, target.name))
}

pub fn deprecate(code: &Code) -> (Code, String) {
    let mut old = code.clone();
    old.status = Status::Deprecated;
    (old, format!("Deprecate {}", code.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(rng: &mut Rng) -> Example {
        Example {
            quote: format!("« citation {} »", rng.u32(0..100)),
            source: "interview-001:3".into(),
        }
    }

    #[test]
    fn three_levels_every_field_and_no_problems() {
        let codes = plan(&mut Rng::with_seed(1), 300, &mut quote);
        assert_eq!(codes.len(), 300);
        let book = Codebook::from_codes(codes.clone());
        assert_eq!(book.codes.len(), 300, "ids are unique");
        assert!(book.problems().is_empty(), "{:?}", book.problems());
        let depths: BTreeSet<usize> = book.tree().iter().map(|(d, _)| *d).collect();
        assert_eq!(depths, BTreeSet::from([0, 1, 2]));
        for c in &codes {
            assert!(!c.definition.is_empty() && !c.description.is_empty());
            assert!(!c.include.is_empty() && !c.exclude.is_empty());
            assert!(c.color.is_some() && !c.examples.is_empty());
        }
    }

    #[test]
    fn small_codebooks_still_have_a_tree() {
        for n in [1, 2, 5, 20] {
            let codes = plan(&mut Rng::with_seed(n as u64), n, &mut quote);
            assert_eq!(codes.len(), n);
        }
    }

    #[test]
    fn rename_keeps_an_alias_and_moves_children() {
        let mut rng = Rng::with_seed(4);
        let codes = plan(&mut rng, 60, &mut quote);
        let book = Codebook::from_codes(codes);
        let mid = book
            .codes
            .values()
            .find(|c| c.parent.is_some() && !book.children(c.id.as_str()).is_empty())
            .unwrap()
            .clone();
        let taken = book.codes.keys().map(|k| k.to_string()).collect();
        let (changed, title) = rename(&mut rng, &book, &mid, &taken).unwrap();
        assert!(title.starts_with("Rename"));
        let mut after = book.clone();
        after.codes.remove(&mid.id);
        for c in changed {
            after.codes.insert(c.id.clone(), c);
        }
        assert!(after.problems().is_empty(), "{:?}", after.problems());
        assert_eq!(after.resolve(mid.id.as_str()).unwrap().aliases, [mid.id]);
    }
}
