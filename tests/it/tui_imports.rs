//! No import cycle among the files of `src/tui` (issue 10): every file can
//! be read after the files it uses, so a screen is understood from the
//! bottom up and none reaches back into the app that drives it.
//!
//! What counts as an edge from file A to file B: A names an item of B in a
//! `use` (`crate::tui::…`, `super::…`, `self::…`, or a child module by its
//! bare name), in a path in its code, or in a doc comment (a link to B is a
//! reference a reader follows, and rustdoc resolves it from A). Test modules
//! inside A count as A. A parent's `mod child;` is only a declaration, not
//! an edge. A file that uses an item its own parent `mod.rs` defines
//! (`use super::CodebookScreen`) depends on that `mod.rs` like on any other
//! file: so a `mod.rs` that holds a struct its children extend with `impl`
//! blocks must not name its children's items back; it reaches them through
//! the methods they add. Ordinary comments do not count.

use std::path::Path;

use crate::common::import_graph::{Graph, Module, cycles, edges, find_cycle, shown, sources_under};

#[test]
fn no_import_cycle_among_tui_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    sources_under(&src, &src.join("tui"), &mut sources);
    assert!(sources.len() > 50, "read only {} files", sources.len());
    let graph = edges(&sources);
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "import cycles among src/tui files:\n{}",
        found.join("\n")
    );
}

fn m(path: &str) -> Module {
    path.split("::").map(str::to_string).collect()
}

fn graph_of(files: &[(&str, &str)]) -> Graph {
    edges(
        &files
            .iter()
            .map(|(p, t)| (m(p), t.to_string()))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn the_checker_finds_cycles_through_uses_paths_and_doc_links() {
    let graph = graph_of(&[
        ("tui", "mod a;\nmod b;\nuse a::Thing;"),
        (
            "tui::a",
            "use crate::tui::{b::{self, X}, c::*};\nfn f() { let s = \"super::d::Y {\"; }",
        ),
        ("tui::b", "/// Made by [`super::a::Thing`].\npub struct X;"),
        (
            "tui::c",
            "#[cfg(test)]\nmod tests {\n    use super::*;\n    use crate::tui::d::Y;\n}\n",
        ),
        ("tui::d", "fn g() { '{'; crate::tui::a::f(); }"),
    ]);
    let uses = |file: &str| -> Vec<(String, String)> {
        let out = &graph[&m(file)];
        out.iter()
            .map(|(to, why)| (to.join("::"), why.clone()))
            .collect()
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(uses("tui"), pairs(&[("tui::a", "a::Thing")]));
    assert_eq!(
        uses("tui::a"),
        pairs(&[
            ("tui::b", "crate::tui::b::self"),
            ("tui::c", "crate::tui::c")
        ])
    );
    assert_eq!(uses("tui::b"), pairs(&[("tui::a", "super::a::Thing")]));
    assert_eq!(uses("tui::c"), pairs(&[("tui::d", "crate::tui::d::Y")]));
    assert_eq!(uses("tui::d"), pairs(&[("tui::a", "crate::tui::a::f")]));
    let cycle = find_cycle(&graph).expect("a cycle");
    assert_eq!(shown(&cycle), "tui::a → tui::b → tui::a");
}

#[test]
fn a_parents_mod_declaration_is_no_edge_but_using_its_items_is() {
    // A screen struct in `tui::s` (mod.rs), extended by its child `tab`.
    let cycle_with = |parent: &str| {
        let tab = "use super::Screen;\n// see s::tab::x in a comment\npub struct Filter;";
        find_cycle(&graph_of(&[("tui::s", parent), ("tui::s::tab", tab)])).map(|c| shown(&c))
    };
    assert_eq!(cycle_with("pub mod tab;\npub struct Screen;"), None);
    let back = Some("tui::s → tui::s::tab → tui::s".to_string());
    assert_eq!(
        cycle_with("pub mod tab;\npub struct Screen { f: tab::Filter }"),
        back
    );
    assert_eq!(
        cycle_with("//! The actions are in [`tab`].\npub mod tab;\npub struct Screen;"),
        back
    );
}
