//! What a new user met at 80×24 (issue 18): the Codebook tree's order,
//! monochrome terminals, where Esc leads, and the wording of messages.

use crate::common;

use codebook_review::tui::keymap::Context;
use codebook_review::tui::popups::help;
use common::tui::{demo_app, keys, render, text};

#[test]
fn codebook_tree_lists_siblings_by_name_and_help_says_so() {
    let mut f = demo_app(true);
    keys(&mut f.app, "2");
    let rows = f.app.codebook_screen.rows(&f.app.study.codebook);
    assert_eq!(rows.len(), f.app.study.codebook.codes.len());
    // Every run of siblings under one parent is in name order.
    let mut last_at_depth: Vec<Option<String>> = vec![None; 8];
    for (depth, code) in &rows {
        let name = code.name.to_lowercase();
        if let Some(prev) = &last_at_depth[*depth] {
            assert!(prev <= &name, "{prev:?} listed before {name:?}");
        }
        last_at_depth[*depth] = Some(name);
        for deeper in last_at_depth.iter_mut().skip(depth + 1) {
            *deeper = None;
        }
        // Each child is listed under its parent.
        if *depth > 0 {
            let parent = code.parent.as_ref().unwrap();
            let above = rows[..rows.iter().position(|(_, c)| c.id == code.id).unwrap()]
                .iter()
                .rev()
                .find(|(d, _)| d < depth)
                .unwrap();
            assert_eq!(&above.1.id, parent);
        }
    }
    let screen = text(&render(&mut f.app, 80, 24));
    assert!(
        screen.find("Coping strategies").unwrap() < screen.find("Interpersonal violence").unwrap(),
        "{screen}"
    );
    let lines = help::lines(Context::Codebook);
    assert_eq!(
        lines[0].1,
        "Codebook (codes by name, each under its parent)"
    );
}
