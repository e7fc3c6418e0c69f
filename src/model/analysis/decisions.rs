//! The reconciliation summary of a methods report: how many disagreement
//! hunks the team settled, by kind of decision, by who decided and by pair
//! of coders, read from the decisions stored in consensus codings.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::coding::Coding;

/// Counts of reconciliation decisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub decisions: usize,
    /// Transcripts with at least one decision.
    pub transcripts: usize,
    /// By choice (`keep-first`, `keep-both`, ...).
    pub by_choice: BTreeMap<String, usize>,
    /// By who decided, as recorded (several people may share a decision).
    pub by_decider: BTreeMap<String, usize>,
    /// By pair of coders, `a ⇄ b`.
    pub by_pair: BTreeMap<String, usize>,
    /// By who was at the meeting, for decisions that recorded it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_present: BTreeMap<String, usize>,
}

/// Summarises the decisions in consensus codings.
pub fn summary<'a>(consensus: impl IntoIterator<Item = &'a Coding>) -> Summary {
    let mut out = Summary::default();
    for coding in consensus {
        if !coding.decisions.is_empty() {
            out.transcripts += 1;
        }
        for d in &coding.decisions {
            out.decisions += 1;
            *out.by_choice.entry(d.choice.as_str().into()).or_default() += 1;
            let who = if d.decided_by.trim().is_empty() {
                "(not recorded)".to_string()
            } else {
                d.decided_by.trim().to_string()
            };
            *out.by_decider.entry(who).or_default() += 1;
            for p in &d.present {
                *out.by_present.entry(p.to_string()).or_default() += 1;
            }
            let [a, b] = &d.coders;
            *out.by_pair.entry(format!("{a} ⇄ {b}")).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Slug;
    use crate::model::coding::{Choice, Decision};

    #[test]
    fn counts_by_choice_decider_and_pair() {
        let s = |x: &str| Slug::new(x).unwrap();
        let decision = |choice, who: &str| Decision {
            coders: [s("alice"), s("bob")],
            start_line: 1,
            end_line: 2,
            choice,
            rationale: String::new(),
            decided_by: who.into(),
            present: Vec::new(),
        };
        let mut c = Coding::new(s("t1"), "");
        let mut met = decision(Choice::KeepFirst, "alice");
        met.present = vec![s("alice"), s("bob")];
        c.decisions = vec![
            met,
            decision(Choice::KeepBoth, ""),
            decision(Choice::KeepFirst, "alice, bob"),
        ];
        let empty = Coding::new(s("t2"), "");
        let sum = summary([&c, &empty]);
        assert_eq!(sum.decisions, 3);
        assert_eq!(sum.transcripts, 1);
        assert_eq!(sum.by_choice["keep-first"], 2);
        assert_eq!(sum.by_decider["(not recorded)"], 1);
        assert_eq!(sum.by_decider["alice"], 1);
        assert_eq!(sum.by_present["bob"], 1);
        assert_eq!(sum.by_present.len(), 2);
        assert_eq!(sum.by_pair["alice ⇄ bob"], 3);
    }
}
