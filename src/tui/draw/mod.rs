//! Drawing helpers shared by every screen: wrapping by terminal columns
//! (`wrap`), inert styled text (`styled`), rows and popups (`widgets`),
//! word diffs (`diff_text`), shared wording of messages (`words`), a
//! background read's "Reading…" and heading (`loadable`).

pub mod diff_text;
pub mod loadable;
pub mod styled;
pub mod widgets;
pub mod words;
pub mod wrap;
