//! Every key binding, as data: the one table feeds key handling, the hint
//! bar at the bottom and the `?` help overlay, so they cannot disagree.

pub mod binding;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::coding::Choice;
use crate::tui::action::{Action, Tab};
use crate::tui::review_ops::RetrievalOp;
use crate::tui::review_ops::ReviewOp;
use crate::tui::suggestions::keys as review_keys;

pub use binding::{Binding, Context, Key};
use binding::{b, code, ctrl, k};

use Context::{Agreement, Codebook, Document, Global, List, Reconcile, Retrieval};

/// In the transcript list.
#[rustfmt::skip]
pub static LIST: &[Binding] = &[
    b(List, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next transcript", ""),
    b(List, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous transcript", ""),
    b(List, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first transcript", ""),
    b(List, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last transcript", ""),
    b(List, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "open the transcript", "open"),
    b(List, &[k('R')], 1, Action::Review(ReviewOp::RecheckQueue), "your segments to re-check after a codebook change", "re-check"),
];

/// In an open transcript.
#[rustfmt::skip]
pub static DOCUMENT: &[Binding] = &[
    b(Document, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next line", ""),
    b(Document, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous line", ""),
    b(Document, &[code(KeyCode::PageDown), ctrl('d'), k(' ')], 2, Action::PageDown, "page down", ""),
    b(Document, &[code(KeyCode::PageUp), ctrl('u')], 2, Action::PageUp, "page up", ""),
    b(Document, &[k('g'), code(KeyCode::Home)], 1, Action::Top, "first line", ""),
    b(Document, &[k('G'), code(KeyCode::End)], 1, Action::Bottom, "last line", ""),
    b(Document, &[k('v'), k('V')], 1, Action::ToggleSelect, "start/cancel a line selection", "select"),
    b(Document, &[k('c'), k('a')], 1, Action::Pick, "apply a code to the selection or line", "code"),
    b(Document, &[k('x'), k('d')], 1, Action::RemoveCode, "remove a code from the segment here", "uncode"),
    b(Document, &[k('m')], 1, Action::EditMemo, "write a memo on the segment here", "memo"),
    b(Document, &[k('C')], 1, Action::ToggleComplete, "mark the transcript complete / reopen it", "complete"),
    b(Document, &[k('/')], 1, Action::Search, "search the transcript", ""),
    b(Document, &[k('n')], 1, Action::SearchNext, "next search match", ""),
    b(Document, &[k('N')], 1, Action::SearchPrev, "previous search match", ""),
    b(Document, &[k(']'), k('}')], 1, Action::NextSegment, "next segment", ""),
    b(Document, &[k('['), k('{')], 1, Action::PrevSegment, "previous segment", ""),
    b(Document, &[k('J')], 1, Action::InfoDown, "scroll the codes at the cursor down", ""),
    b(Document, &[k('K')], 1, Action::InfoUp, "scroll the codes at the cursor up", ""),
    b(Document, &[k('E')], 1, Action::CorrectText, "correct the transcript's text in $EDITOR (everyone's codings move with it)", ""),
    b(Document, &[k('u')], 1, Action::Undo, "undo the last coding change", "undo"),
    b(Document, &[ctrl('r')], 1, Action::Redo, "redo", ""),
    b(Document, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the list (commits your changes)", "list"),
];

/// In the Codebook tab.
#[rustfmt::skip]
pub static CODEBOOK: &[Binding] = &[
    b(Codebook, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next code or segment", ""),
    b(Codebook, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous code or segment", ""),
    b(Codebook, &[k(' '), k('l'), code(KeyCode::Right)], 1, Action::ToggleExpand, "expand / collapse the code", "fold"),
    b(Codebook, &[k('r'), code(KeyCode::Tab)], 1, Action::Retrieve, "list every segment of the code", "segments"),
    b(Codebook, &[code(KeyCode::Enter)], 1, Action::Open, "jump to the segment in its transcript", "jump"),
    b(Codebook, &[k('f')], 1, Action::Retrieval(RetrievalOp::Filter), "filter segments by metadata: KEY=VALUE,... (as quotes --where)", ""),
    b(Codebook, &[k('F')], 1, Action::Retrieval(RetrievalOp::ClearFilter), "clear the filter", ""),
    b(Codebook, &[k('w')], 1, Action::Retrieval(RetrievalOp::Save), "write the segments listed to a Markdown file (as cbr quotes)", ""),
    b(Codebook, &[k('s')], 1, Action::Review(ReviewOp::SuggestChange), "suggest a change to the code (edit, rename, merge, split…)", "suggest"),
    b(Codebook, &[k('H')], 1, Action::Review(ReviewOp::CodeHistory), "the code's history, following renames (as `cbr log CODE`)", "log"),
    b(Codebook, &[code(KeyCode::Esc)], 1, Action::Back, "back to the code tree", ""),
];

/// In the Codebook tab's list of one code's segments: the keys that act
/// on the list (filter, write) are in the hint bar here.
#[rustfmt::skip]
pub static RETRIEVAL: &[Binding] = &[
    b(Retrieval, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next segment", ""),
    b(Retrieval, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous segment", ""),
    b(Retrieval, &[code(KeyCode::Enter)], 1, Action::Open, "jump to the segment in its transcript", "jump"),
    b(Retrieval, &[k('f')], 1, Action::Retrieval(RetrievalOp::Filter), "filter segments by metadata: KEY=VALUE,... (as quotes --where)", "filter"),
    b(Retrieval, &[k('F')], 1, Action::Retrieval(RetrievalOp::ClearFilter), "clear the filter", "unfilter"),
    b(Retrieval, &[k('w')], 1, Action::Retrieval(RetrievalOp::Save), "write the segments listed to a Markdown file (as cbr quotes)", "write"),
    b(Retrieval, &[k('r'), code(KeyCode::Tab)], 1, Action::Retrieve, "list the segments again", ""),
    b(Retrieval, &[k('s')], 1, Action::Review(ReviewOp::SuggestChange), "suggest a change to the code (edit, rename, merge, split…)", ""),
    b(Retrieval, &[k('H')], 1, Action::Review(ReviewOp::CodeHistory), "the code's history, following renames (as `cbr log CODE`)", ""),
    b(Retrieval, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the code tree", "tree"),
];

/// In the Agreement tab.
#[rustfmt::skip]
pub static AGREEMENT: &[Binding] = &[
    b(Agreement, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "next code or disagreement", ""),
    b(Agreement, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "previous code or disagreement", ""),
    b(Agreement, &[code(KeyCode::PageDown), ctrl('d')], 1, Action::PageDown, "page down", ""),
    b(Agreement, &[code(KeyCode::PageUp), ctrl('u')], 1, Action::PageUp, "page up", ""),
    b(Agreement, &[code(KeyCode::Enter), k('l'), code(KeyCode::Right)], 1, Action::Open, "list the code's disagreements / reconcile the one chosen", "open"),
    b(Agreement, &[code(KeyCode::Esc), k('h'), code(KeyCode::Left)], 1, Action::Back, "back to the table", ""),
    b(Agreement, &[k('c')], 1, Action::CyclePair(1), "next pair of coders", "coders"),
    b(Agreement, &[k('C')], 1, Action::CyclePair(-1), "previous pair of coders", ""),
    b(Agreement, &[k('r')], 1, Action::Reconcile, "reconcile the pair, from the first unresolved disagreement", "reconcile"),
    b(Agreement, &[k('U')], 1, Action::Unblind(false), "show it although blind coding hides it (asks first)", ""),
];

/// In the reconciliation view.
#[rustfmt::skip]
pub static RECONCILE: &[Binding] = &[
    b(Reconcile, &[k('a')], 1, Action::Decide(Choice::KeepFirst), "keep A's codes (the first coder's, `-`)", "keep A"),
    b(Reconcile, &[k('b')], 1, Action::Decide(Choice::KeepSecond), "keep B's codes (the second coder's, `+`)", "keep B"),
    b(Reconcile, &[k('o')], 1, Action::Decide(Choice::KeepBoth), "keep both coders' codes", "both"),
    b(Reconcile, &[k('x')], 1, Action::Decide(Choice::Neither), "keep neither (only what both applied)", "neither"),
    b(Reconcile, &[k('e')], 1, Action::Decide(Choice::Edited), "edit: tick which of the coders' segments to keep", "edit"),
    b(Reconcile, &[k('n'), k(']'), code(KeyCode::Right)], 3, Action::NextHunk, "next disagreement", "next"),
    b(Reconcile, &[k('p'), k('['), code(KeyCode::Left)], 3, Action::PrevHunk, "previous disagreement", ""),
    b(Reconcile, &[k('u')], 1, Action::NextUnresolved, "next unresolved disagreement", ""),
    b(Reconcile, &[k('s')], 1, Action::Suggest, "suggest a codebook change (passage as example)", "suggest"),
    b(Reconcile, &[k('j'), code(KeyCode::Down)], 2, Action::Down, "scroll down", ""),
    b(Reconcile, &[k('k'), code(KeyCode::Up)], 2, Action::Up, "scroll up", ""),
    b(Reconcile, &[code(KeyCode::PageDown), ctrl('d'), k(' ')], 1, Action::PageDown, "scroll a page down", ""),
    b(Reconcile, &[code(KeyCode::PageUp), ctrl('u')], 1, Action::PageUp, "scroll a page up", ""),
    b(Reconcile, &[code(KeyCode::Esc)], 1, Action::Back, "back to the Agreement tab", "back"),
];

/// Everywhere, unless the screen binds the key itself.
#[rustfmt::skip]
pub static GLOBAL: &[Binding] = &[
    b(Global, &[k('1')], 1, Action::Tab(Tab::Transcripts), "Transcripts tab", ""),
    b(Global, &[k('2')], 1, Action::Tab(Tab::Codebook), "Codebook tab", ""),
    b(Global, &[k('3')], 1, Action::Tab(Tab::Agreement), "Agreement tab", ""),
    b(Global, &[k('4')], 1, Action::Tab(Tab::Suggestions), "Suggestions tab", ""),
    b(Global, &[k('5')], 1, Action::Tab(Tab::History), "History tab", ""),
    b(Global, &[code(KeyCode::Tab)], 1, Action::NextTab, "next tab", ""),
    b(Global, &[code(KeyCode::BackTab)], 1, Action::PrevTab, "previous tab", ""),
    b(Global, &[k('?')], 1, Action::Help, "all keys", "help"),
    b(Global, &[k('q'), ctrl('c')], 1, Action::Quit, "quit (saves and commits)", "quit"),
    b(Global, &[k('S')], 1, Action::Sync, "sync with the team: save, bring in their work, send yours", "sync"),
];

/// The bindings of one context.
pub fn table(context: Context) -> &'static [Binding] {
    match context {
        Context::Global => GLOBAL,
        Context::List => LIST,
        Context::Document => DOCUMENT,
        Context::Codebook => CODEBOOK,
        Context::Retrieval => RETRIEVAL,
        Context::Agreement => AGREEMENT,
        Context::Reconcile => RECONCILE,
        other => review_keys::table(other),
    }
}

/// The action bound to `key` in `context` (falling back to global keys).
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Action> {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    let matches = |binding: &&Binding| {
        binding.keys.iter().any(|k| {
            k.code == key.code
                && (k.mods == mods || (k.mods == KeyModifiers::NONE && mods.is_empty()))
        })
    };
    table(context)
        .iter()
        .find(matches)
        .or_else(|| GLOBAL.iter().find(matches))
        .map(|b| b.action.clone())
}

/// The bindings of a context followed by the global ones.
pub fn for_context(context: Context) -> impl Iterator<Item = &'static Binding> {
    let own = if context == Context::Global {
        &[][..]
    } else {
        table(context)
    };
    own.iter().chain(GLOBAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_agree() {
        assert_eq!(lookup(Context::Document, &key('j')), Some(Action::Down));
        assert_eq!(
            lookup(
                Context::Document,
                &KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)
            ),
            Some(Action::Down)
        );
    }

    #[test]
    fn shifted_letters_and_ctrl_keys() {
        let shift_c = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(Context::Document, &shift_c),
            Some(Action::ToggleComplete)
        );
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Document, &ctrl_r), Some(Action::Redo));
        assert_eq!(lookup(Context::Document, &key('r')), None);
    }

    #[test]
    fn global_keys_apply_everywhere() {
        for ctx in [
            Context::List,
            Context::Document,
            Context::Codebook,
            Context::Agreement,
            Context::Reconcile,
        ] {
            assert_eq!(lookup(ctx, &key('?')), Some(Action::Help));
        }
    }

    /// Every context with a table of its own.
    fn contexts() -> impl Iterator<Item = Context> {
        [
            Context::List,
            Context::Document,
            Context::Codebook,
            Context::Retrieval,
            Context::Agreement,
            Context::Reconcile,
        ]
        .into_iter()
        .chain(review_keys::CONTEXTS)
    }

    #[test]
    fn labels_are_generated_from_the_leading_keys() {
        for ctx in contexts() {
            for b in for_context(ctx) {
                assert!(
                    (1..=b.keys.len()).contains(&b.shown),
                    "{:?} in {ctx:?} names {} of its keys",
                    b.action,
                    b.shown
                );
                assert!(!b.label().is_empty(), "{:?} in {ctx:?}", b.action);
            }
        }
        assert_eq!(DOCUMENT[2].label(), "PgDn/^d");
        assert_eq!(RECONCILE[5].label(), "n/]/→");
        assert_eq!(CODEBOOK[2].label(), "Space");
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in contexts() {
            let mut seen = Vec::new();
            for b in for_context(ctx) {
                for k in b.keys {
                    // A context binding may shadow a global one on purpose (Tab in Codebook).
                    if b.context == Context::Global
                        && seen.iter().any(|(s, c)| s == k && *c != Context::Global)
                    {
                        continue;
                    }
                    assert!(
                        !seen.iter().any(|(s, c)| s == k && *c == b.context),
                        "{k:?} twice in {ctx:?}"
                    );
                    seen.push((*k, b.context));
                }
            }
        }
    }
}
