//! Blind coding: when may someone see other coders' work on a transcript?
//!
//! In a blind study (`blind = true` in study.toml) nobody sees another
//! coder's segments, or counts of them, on a transcript until every coder
//! assigned to it has marked it complete, or the team has started
//! reconciling it (a consensus coding exists). Your own work is always
//! visible to you. The rule is a pure function of the transcript's progress,
//! so the terminal UI, the agreement commands and the tests share it.

use std::fmt;

use super::coding::CONSENSUS;
use super::slug::Slug;

/// Where a transcript stands, as far as blind coding cares.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Who must code it before anyone sees the others' work.
    pub assigned: &'a [Slug],
    /// Who marked it complete (may include coders not assigned).
    pub complete: &'a [Slug],
    /// A consensus coding exists: reconciliation has started.
    pub reconciliation_started: bool,
}

/// Why work is visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revealed {
    NotBlind,
    OwnWork,
    AllComplete,
    ReconciliationStarted,
    /// Nobody is assigned and nobody coded it: there is nothing to hide.
    NothingToHide,
}

/// Whether other coders' work on a transcript may be shown, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    Visible(Revealed),
    /// Hidden until these assigned coders mark it complete.
    Hidden {
        waiting_for: Vec<Slug>,
    },
}

impl Visibility {
    pub fn is_visible(&self) -> bool {
        matches!(self, Visibility::Visible(_))
    }
}

impl fmt::Display for Visibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Visibility::Visible(Revealed::NotBlind) => write!(f, "visible: the study is not blind"),
            Visibility::Visible(Revealed::OwnWork) => write!(f, "visible: your own coding"),
            Visibility::Visible(Revealed::AllComplete) => {
                write!(f, "visible: every assigned coder marked it complete")
            }
            Visibility::Visible(Revealed::ReconciliationStarted) => {
                write!(f, "visible: reconciliation has started")
            }
            Visibility::Visible(Revealed::NothingToHide) => {
                write!(f, "visible: nobody is assigned to it yet")
            }
            Visibility::Hidden { waiting_for } => write!(
                f,
                "hidden (blind coding) until {} {} it complete, or reconciliation starts",
                join_names(waiting_for),
                if waiting_for.len() == 1 {
                    "marks"
                } else {
                    "mark"
                }
            ),
        }
    }
}

/// "alice", "alice and bob", "alice, bob and carol".
pub fn join_names(names: &[Slug]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!(
            "{} and {last}",
            init.iter().map(Slug::as_str).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Who is assigned to a transcript: the study's `coders` when it names
/// them, otherwise everyone who has a coding file for it (never
/// `consensus`). Sorted, without duplicates.
pub fn assigned(configured: &[Slug], with_coding_file: &[Slug]) -> Vec<Slug> {
    let source = if configured.is_empty() {
        with_coding_file
    } else {
        configured
    };
    let mut out: Vec<Slug> = source
        .iter()
        .filter(|c| c.as_str() != CONSENSUS)
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    out
}

/// May other coders' work on this transcript be shown?
pub fn visibility(blind: bool, progress: &Progress<'_>) -> Visibility {
    if !blind {
        return Visibility::Visible(Revealed::NotBlind);
    }
    if progress.reconciliation_started {
        return Visibility::Visible(Revealed::ReconciliationStarted);
    }
    if progress.assigned.is_empty() {
        return Visibility::Visible(Revealed::NothingToHide);
    }
    let waiting_for: Vec<Slug> = progress
        .assigned
        .iter()
        .filter(|c| !progress.complete.contains(c))
        .cloned()
        .collect();
    if waiting_for.is_empty() {
        Visibility::Visible(Revealed::AllComplete)
    } else {
        Visibility::Hidden { waiting_for }
    }
}

/// May `viewer` see `owner`'s work on this transcript? Always for their own.
pub fn can_see(blind: bool, viewer: &Slug, owner: &Slug, progress: &Progress<'_>) -> Visibility {
    if viewer == owner {
        Visibility::Visible(Revealed::OwnWork)
    } else {
        visibility(blind, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Vec<Slug> {
        names.iter().map(|n| Slug::new(n).unwrap()).collect()
    }

    #[test]
    fn hidden_until_every_assigned_coder_completes() {
        let assigned = ids(&["alice", "bob", "carol"]);
        let mut complete = ids(&["alice"]);
        fn progress<'a>(assigned: &'a [Slug], complete: &'a [Slug]) -> Progress<'a> {
            Progress {
                assigned,
                complete,
                reconciliation_started: false,
            }
        }
        let v = visibility(true, &progress(&assigned, &complete));
        assert_eq!(
            v,
            Visibility::Hidden {
                waiting_for: ids(&["bob", "carol"])
            }
        );
        assert_eq!(
            v.to_string(),
            "hidden (blind coding) until bob and carol mark it complete, or reconciliation starts"
        );
        complete.push(Slug::new("carol").unwrap());
        assert_eq!(
            visibility(true, &progress(&assigned, &complete)).to_string(),
            "hidden (blind coding) until bob marks it complete, or reconciliation starts"
        );
        complete.push(Slug::new("bob").unwrap());
        assert_eq!(
            visibility(true, &progress(&assigned, &complete)),
            Visibility::Visible(Revealed::AllComplete)
        );
    }

    #[test]
    fn reconciliation_or_an_open_study_reveals() {
        let assigned = ids(&["alice", "bob"]);
        let none: Vec<Slug> = Vec::new();
        let mut p = Progress {
            assigned: &assigned,
            complete: &none,
            reconciliation_started: false,
        };
        assert_eq!(
            visibility(false, &p),
            Visibility::Visible(Revealed::NotBlind)
        );
        assert!(!visibility(true, &p).is_visible());
        p.reconciliation_started = true;
        assert_eq!(
            visibility(true, &p),
            Visibility::Visible(Revealed::ReconciliationStarted)
        );
    }

    #[test]
    fn own_work_is_always_visible() {
        let assigned = ids(&["alice", "bob"]);
        let p = Progress {
            assigned: &assigned,
            complete: &[],
            reconciliation_started: false,
        };
        let alice = Slug::new("alice").unwrap();
        let bob = Slug::new("bob").unwrap();
        assert_eq!(
            can_see(true, &alice, &alice, &p),
            Visibility::Visible(Revealed::OwnWork)
        );
        assert!(!can_see(true, &alice, &bob, &p).is_visible());
    }

    #[test]
    fn assignment_falls_back_to_coding_files() {
        let configured = ids(&["bob", "alice"]);
        let files = ids(&["carol", "consensus", "alice"]);
        assert_eq!(assigned(&configured, &files), ids(&["alice", "bob"]));
        assert_eq!(assigned(&[], &files), ids(&["alice", "carol"]));
        assert_eq!(
            visibility(
                true,
                &Progress {
                    assigned: &[],
                    complete: &[],
                    reconciliation_started: false
                }
            ),
            Visibility::Visible(Revealed::NothingToHide)
        );
    }

    #[test]
    fn names_join_like_a_sentence() {
        assert_eq!(join_names(&ids(&["a"])), "a");
        assert_eq!(join_names(&ids(&["a", "b", "c"])), "a, b and c");
    }
}
