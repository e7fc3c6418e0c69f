//! The import graph of a folder of Rust files, for `tui_imports`' test:
//! which file uses which, by the rule written there. A small lexer, not a
//! parser: enough to find paths in `use`s, code and doc comments without
//! being fooled by strings, comments or braces in them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module path below `crate`, e.g. `["tui", "keymap"]`.
pub type Module = Vec<String>;

/// Each file's edges, with the path that made each one (the first seen).
pub type Graph = BTreeMap<Module, BTreeMap<Module, String>>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    Sep,
    Open,
    Close,
    Comma,
    Semi,
    Star,
    /// The text of one `///` or `//!` line.
    Doc(String),
    Other(char),
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Rust source as the tokens paths are made of; strings, character
/// literals and ordinary comments dropped (a brace in them must not open a
/// module), doc comments kept as text.
fn tokens(src: &str) -> Vec<Tok> {
    let s: Vec<char> = src.chars().collect();
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            let end = s[i..]
                .iter()
                .position(|&c| c == '\n')
                .map_or(s.len(), |n| i + n);
            let doc = (at(i + 2) == '/' && at(i + 3) != '/') || at(i + 2) == '!';
            if doc {
                out.push(Tok::Doc(s[i + 3..end].iter().collect()));
            }
            i = end;
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < s.len() {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '"' || (c == 'b' && at(i + 1) == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < s.len() && s[i] != '"' {
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if let Some(len) = raw_string(&s[i..]) {
            i += len;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            let q = if c == 'b' { i + 1 } else { i };
            if at(q + 1) == '\\' {
                i = q + 3 + s[q + 3..].iter().position(|&c| c == '\'').unwrap_or(0) + 1;
            } else if at(q + 2) == '\'' {
                i = q + 3;
            } else {
                i = q + 1; // a lifetime: its name follows as an identifier
            }
        } else if ident_char(c) || (c == '$' && ident_char(at(i + 1))) {
            let start = i;
            i += 1;
            while i < s.len() && ident_char(s[i]) {
                i += 1;
            }
            out.push(Tok::Ident(s[start..i].iter().collect()));
        } else {
            let (tok, len) = match (c, at(i + 1)) {
                (':', ':') => (Tok::Sep, 2),
                ('{', _) => (Tok::Open, 1),
                ('}', _) => (Tok::Close, 1),
                (',', _) => (Tok::Comma, 1),
                (';', _) => (Tok::Semi, 1),
                ('*', _) => (Tok::Star, 1),
                _ => (Tok::Other(c), 1),
            };
            out.push(tok);
            i += len;
        }
    }
    out
}

/// Whether the path that follows is the `path` of `pub(in path)`: who may
/// see an item, not an item used.
fn restricts_visibility(before: &[Tok]) -> bool {
    matches!(
        before,
        [.., Tok::Ident(p), Tok::Other('('), Tok::Ident(i)] if p == "pub" && i == "in"
    )
}

/// The length of a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting here.
fn raw_string(s: &[char]) -> Option<usize> {
    let start = match s {
        ['r', ..] => 1,
        ['b', 'r', ..] => 2,
        _ => return None,
    };
    let hashes = s[start..].iter().take_while(|&&c| c == '#').count();
    if s.get(start + hashes) != Some(&'"') {
        return None;
    }
    let body = start + hashes + 1;
    (body..s.len())
        .find(|&i| {
            s[i] == '"'
                && s[i + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == '#')
                    .count()
                    == hashes
        })
        .map(|i| i + 1 + hashes)
}

/// Expands one `use` tree (`a::{b, c::*}`) into its paths.
fn use_tree(toks: &[Tok], mut pos: usize, prefix: &[String], out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix.to_vec();
    loop {
        match toks.get(pos) {
            Some(Tok::Ident(s)) => path.push(s.clone()),
            Some(Tok::Open) => {
                pos += 1;
                while !matches!(toks.get(pos), Some(Tok::Close) | None) {
                    pos = use_tree(toks, pos, &path, out);
                    if toks.get(pos) == Some(&Tok::Comma) {
                        pos += 1;
                    }
                }
                return pos + 1;
            }
            Some(Tok::Star) => {}
            _ => break,
        }
        pos += 1;
        if toks.get(pos) != Some(&Tok::Sep) {
            break;
        }
        pos += 1;
    }
    if toks.get(pos) == Some(&Tok::Ident("as".into())) {
        pos += 2;
    }
    out.push(path);
    pos
}

/// Paths written in doc text: words joined by `::`, and one-word links
/// (`` [`sync_job`] ``), which name a child module when there is one.
fn doc_paths(text: &str) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = text
        .split(|c: char| !(ident_char(c) || c == ':' || c == '$'))
        .map(|run| run.split("::").map(str::to_string).collect::<Vec<_>>())
        .filter(|p| p.len() > 1 && p.iter().all(|s| !s.is_empty() && !s.contains(':')))
        .collect();
    let links = text
        .split("[`")
        .skip(1)
        .filter_map(|rest| rest.split_once("`]"));
    for (link, _) in links {
        if !link.is_empty() && link.chars().all(ident_char) {
            paths.push(vec![link.to_string()]);
        }
    }
    paths
}

/// Where `path`, written in `module`, points below `crate`, if inside it.
fn resolve(module: &[String], path: &[String], files: &BTreeSet<Module>) -> Option<Module> {
    let first = path.first()?.as_str();
    let (mut abs, rest): (Module, &[String]) = match first {
        "crate" | "$crate" => (Vec::new(), &path[1..]),
        "self" => (module.to_vec(), &path[1..]),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            let kept = module.len().checked_sub(ups)?;
            (module[..kept].to_vec(), &path[ups..])
        }
        _ => {
            let mut child = module.to_vec();
            child.push(first.to_string());
            if !files.contains(&child) {
                return None;
            }
            (module.to_vec(), path)
        }
    };
    abs.extend(rest.iter().filter(|s| *s != "self").cloned());
    Some(abs)
}

/// The file modules each file uses, by the rule in this module's comment.
/// `sources` are (module of the file, its text).
pub fn edges(sources: &[(Module, String)]) -> Graph {
    let files: BTreeSet<Module> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = BTreeMap::new();
    for (file, text) in sources {
        let mut used = BTreeMap::new();
        let mut note = |module: &[String], path: &[String]| {
            let Some(abs) = resolve(module, path, &files) else {
                return;
            };
            let owner = (1..=abs.len())
                .rev()
                .map(|n| abs[..n].to_vec())
                .find(|m| files.contains(m));
            if let Some(owner) = owner.filter(|o| o != file) {
                used.entry(owner).or_insert_with(|| path.join("::"));
            }
        };
        let toks = tokens(text);
        // Inline modules (`mod tests { … }`) and the brace depth they close at.
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < toks.len() {
            let mut module = file.clone();
            module.extend(inline.iter().map(|(name, _)| name.clone()));
            match &toks[i] {
                Tok::Ident(m) if m == "mod" => {
                    if let (Some(Tok::Ident(name)), Some(Tok::Open)) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        depth += 1;
                        inline.push((name.clone(), depth));
                        i += 2;
                    }
                }
                Tok::Ident(u) if u == "use" => {
                    let mut paths = Vec::new();
                    i = use_tree(&toks, i + 1, &[], &mut paths) - 1;
                    paths.iter().for_each(|p| note(&module, p));
                }
                Tok::Ident(first)
                    if toks.get(i + 1) == Some(&Tok::Sep)
                        && (i == 0 || toks[i - 1] != Tok::Sep)
                        && !restricts_visibility(&toks[..i]) =>
                {
                    let mut path = vec![first.clone()];
                    while let (Some(Tok::Sep), Some(Tok::Ident(next))) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        path.push(next.clone());
                        i += 2;
                    }
                    note(&module, &path);
                }
                Tok::Doc(text) => doc_paths(text).iter().for_each(|p| note(&module, p)),
                Tok::Open => depth += 1,
                Tok::Close => {
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                    depth -= 1;
                }
                _ => {}
            }
            i += 1;
        }
        graph.insert(file.clone(), used);
    }
    graph
}

/// A cycle in the graph, as the files around it (first one repeated at the end).
pub fn find_cycle(graph: &Graph) -> Option<Vec<Module>> {
    fn visit(
        node: &Module,
        graph: &Graph,
        done: &mut BTreeSet<Module>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
}

pub fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    match last.strip_suffix(".rs").unwrap() {
        "mod" | "lib" => {}
        stem => parts.push(stem.to_string()),
    }
    parts
}

pub fn sources_under(src: &Path, dir: &Path, out: &mut Vec<(Module, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources_under(src, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((module_of(path.strip_prefix(src).unwrap()), text));
        }
    }
}

pub fn shown(cycle: &[Module]) -> String {
    cycle
        .iter()
        .map(|m| m.join("::"))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Every cycle found by breaking each one at its last edge and looking
/// again, written with the path behind each edge, so one run names them all.
pub fn cycles(graph: &Graph) -> Vec<String> {
    let mut graph = graph.clone();
    let mut found = Vec::new();
    while let Some(cycle) = find_cycle(&graph) {
        let mut text = cycle[0].join("::");
        for pair in cycle.windows(2) {
            let why = &graph[&pair[0]][&pair[1]];
            text.push_str(&format!(" → {} ({why})", pair[1].join("::")));
        }
        found.push(text);
        let [.., from, to] = &cycle[..] else { break };
        graph.get_mut(from).unwrap().remove(to);
    }
    found
}
