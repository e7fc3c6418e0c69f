//! Keeping every screen current while the study changes underneath the
//! session. The event loop's ticker (see `tui::run`) reports when `HEAD`
//! moves — a `cbr sync` or `cbr suggest merge` from another terminal, or
//! this session's own commits — and the study is read again in the
//! background and handed to every screen (`App::study_changed`, in
//! `app_study.rs`, with `head_moved` and `fetch_due`). It also asks for a
//! fetch at start and every few minutes, so `↑n ↓m` in the status bar says
//! what the shared repository holds now, not at the last sync.

use std::time::Duration;

/// How often the ticker looks at `HEAD`: cheap (one reference read).
pub const HEAD_EVERY: Duration = Duration::from_secs(2);
/// How often the team's work is fetched in the background.
pub const FETCH_EVERY: Duration = Duration::from_secs(5 * 60);
