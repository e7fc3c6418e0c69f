//! ARCHITECTURE.md names every module (issue 10, item 8), so a reader can
//! find any file of `src/` there and a new file cannot slip in unexplained.
//!
//! The rule, also stated at the top of ARCHITECTURE.md: a file is named by
//! its path in backticks, relative to `src/` or to the last `src/…/` folder
//! named in backticks before it (`keymap/binding.rs` after `src/tui/`); a
//! folder's `mod.rs` may be named by the folder (`draw/`), and a test
//! module in a file of its own (`reconcile_tests.rs`, `metrics/tests.rs`)
//! goes with the module it tests. Fenced blocks (the diagrams) do not count.

use std::collections::BTreeSet;
use std::path::Path;

/// Every `.rs` file below `dir`, as a path relative to `src` with `/`.
fn rust_files(src: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(src, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(src).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The files (relative to `src/`) the document names under the rule above.
fn named(doc: &str) -> BTreeSet<String> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut out = BTreeSet::new();
    let mut base = String::new();
    // Every other piece between backticks is inside them.
    for span in prose.split('`').skip(1).step_by(2) {
        let span = span.trim();
        if let Some(rel) = span.strip_prefix("src/") {
            if rel.is_empty() || rel.ends_with('/') {
                base = rel.to_string();
                out.insert(format!("{rel}mod.rs"));
            } else if rel.ends_with(".rs") {
                out.insert(rel.to_string());
            }
            continue;
        }
        let file = match span.strip_suffix('/') {
            Some(folder) => format!("{folder}/mod.rs"),
            None if span.ends_with(".rs") => span.to_string(),
            None => continue,
        };
        out.insert(format!("{base}{file}"));
        out.insert(file);
    }
    out
}

/// The files that name `file`: itself, or for a test module in a file of
/// its own the module it tests.
fn tested(file: &str) -> Vec<String> {
    if let Some(module) = file.strip_suffix("_tests.rs") {
        vec![format!("{module}.rs")]
    } else if let Some(dir) = file.strip_suffix("/tests.rs") {
        vec![format!("{dir}.rs"), format!("{dir}/mod.rs")]
    } else {
        vec![file.to_string()]
    }
}

#[test]
fn architecture_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    files.sort();
    assert!(files.len() > 100, "read only {} files", files.len());
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let named = named(&doc);
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| !tested(f).iter().any(|f| named.contains(f)))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name these files of src/ (see the rule at its top):\n{}",
        missing
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn names_are_relative_to_the_last_folder_named() {
    let doc = "`src/main.rs` calls `cli/exit.rs`.\n\
               ```\n `src/x/` in a diagram\n```\n\
               `src/tui/`: `keymap/binding.rs`, `draw/` and `app.rs`; `cbr check`.\n\
               `src/main.rs` again.";
    let named = named(doc);
    for file in [
        "main.rs",
        "cli/exit.rs",
        "tui/keymap/binding.rs",
        "tui/draw/mod.rs",
        "tui/app.rs",
    ] {
        assert!(named.contains(file), "{file} in {named:?}");
    }
    assert!(!named.iter().any(|f| f.starts_with("x/")), "{named:?}");
    assert!(
        !named.contains("tui/main.rs"),
        "a path from src/ is not moved"
    );
    assert_eq!(tested("model/reconcile_tests.rs"), ["model/reconcile.rs"]);
}
