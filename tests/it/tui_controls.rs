//! Control characters in code names (a hostile or careless commit) are
//! shown visibly in the Codebook list and the transcript margin, as the
//! transcript text is, instead of reaching the terminal or vanishing.

use crate::common;

use codebook_review::model::Codebook;
use common::tui::{demo_app, keys, screen};

#[test]
fn code_names_show_their_control_characters_in_the_list_and_the_margin() {
    let mut f = demo_app(false);
    let codes = f.app.study.codebook.tree().into_iter().map(|(_, c)| {
        let mut c = c.clone();
        c.name = format!("\u{1b}]0;pwned\u{7}{}\u{202e}", c.name);
        c
    });
    f.app.study.codebook = Codebook::from_codes(codes.collect::<Vec<_>>());

    keys(&mut f.app, "2");
    let list = screen(&mut f.app);
    let row = list.lines().nth(2).unwrap();
    assert!(row.contains("^[]0;pwned^G"), "{list}");
    assert!(
        !list.contains('\u{1b}') && !list.contains('\u{7}'),
        "{list}"
    );

    // alice coded line 6 of interview-01 (fourth in the list): its margin label.
    keys(&mut f.app, "1jjj\n");
    let doc = screen(&mut f.app);
    assert!(doc.contains("^[]0;"), "{doc}");
    assert!(
        !doc.contains('\u{1b}') && !doc.contains('\u{202e}'),
        "{doc}"
    );
}
