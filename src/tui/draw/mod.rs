//! Drawing helpers shared by every screen: wrapping by terminal columns
//! (`wrap`), inert styled text (`styled`), rows and popups (`widgets`),
//! word diffs (`diff_text`).

pub mod diff_text;
pub mod styled;
pub mod widgets;
pub mod wrap;
