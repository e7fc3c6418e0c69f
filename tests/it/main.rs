//! Every integration test in one binary, so `cargo test` links once instead of
//! once per file (CI has two cores). Each topic is a module; the helpers the
//! topics share (`common`, `suggest_common`, `team_support`) are modules too.

mod common;
mod refi_common;
mod suggest_common;
mod team_support;

mod agreement;
mod analysis;
mod blind_reveal;
mod check;
mod cli_conventions;
mod codebook_history;
mod codings_csv;
mod columns;
mod demo_history;
mod diff;
mod e2e_team_tmux;
mod e2e_tmux;
mod generate;
mod init_import;
mod recheck_per_coder;
mod reconcile;
mod reconcile_meeting;
mod refi_codebook;
mod refi_project;
mod report;
mod safety;
mod safety_crash;
mod safety_fuzz;
mod safety_output;
mod session_leftovers;
mod shared_upkeep;
mod suggestion_kinds;
mod suggestion_merge;
mod suggestion_review;
mod team;
mod team_sessions;
mod team_setup;
mod team_ssh;
mod team_unix;
mod transcript_changes;
mod transcript_formats;
mod transport_lease;
mod tui_agreement;
mod tui_controls;
mod tui_correct;
mod tui_current;
mod tui_history;
mod tui_propose;
mod tui_reconcile;
mod tui_retrieval;
mod tui_screens;
mod tui_suggestions;
mod tui_team;
mod tui_ux;
