//! The queue's items, held compactly. A large study's queue has hundreds
//! of thousands of items that repeat a few coders, transcripts, codes,
//! versions and verdicts: each is stored once ([`Names`]) and an item is
//! its numbers and lines (40 bytes, where an owned [`Outdated`] with its
//! four strings took about 330). Items are lent out as [`Item`] views, or
//! made into an [`Outdated`] one at a time.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::model::Slug;
use crate::model::diff::FieldChange;
use crate::model::interned::Names;

use super::{Outdated, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Row {
    start_line: usize,
    end_line: usize,
    coder: u32,
    transcript: u32,
    code: u32,
    version: u32,
    verdict: u32,
}

/// The items of a queue, in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Items {
    rows: Vec<Row>,
    slugs: Names<Slug>,
    versions: Names<String>,
    verdicts: Vec<(Reason, Arc<[FieldChange]>)>,
}

/// One item, borrowed from [`Items`]: what [`Outdated`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Item<'a> {
    pub coder: &'a Slug,
    pub transcript: &'a Slug,
    pub start_line: usize,
    pub end_line: usize,
    /// The code as written in the segment.
    pub code: &'a Slug,
    /// The `codebook/` tree id it was coded under.
    pub coded_under: &'a str,
    #[serde(flatten)]
    pub reason: &'a Reason,
    /// The changes to definition, include and exclude since then.
    #[serde(serialize_with = "as_slice")]
    pub changes: &'a Arc<[FieldChange]>,
}

fn as_slice<S: Serializer>(
    changes: &&Arc<[FieldChange]>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    changes.as_ref().serialize(s)
}

impl Item<'_> {
    pub fn to_owned(&self) -> Outdated {
        Outdated {
            coder: self.coder.clone(),
            transcript: self.transcript.clone(),
            start_line: self.start_line,
            end_line: self.end_line,
            code: self.code.clone(),
            coded_under: self.coded_under.to_string(),
            reason: self.reason.clone(),
            changes: self.changes.clone(),
        }
    }

    /// The name a coder types to clear it: `transcript:start-end:code`.
    pub fn item(&self) -> String {
        item_name(self.transcript, (self.start_line, self.end_line), self.code)
    }

    /// Whether a selector (`transcript`, `transcript:lines` or a full item) names this item.
    pub fn matches(&self, selector: &str) -> bool {
        selects(&self.item(), self.transcript, selector)
    }

    /// Why it is in the queue, in a few words: "definition, include changed".
    pub fn why(&self) -> String {
        match self.reason {
            Reason::Redefined => {
                let fields: Vec<&str> = self.changes.iter().map(|c| c.field().as_str()).collect();
                format!("{} changed", fields.join(", "))
            }
            Reason::MergedInto { target } => format!("now counts as {target}"),
            Reason::Removed => "code removed".to_string(),
            Reason::UnknownVersion => "coded under a version not in this repository".to_string(),
        }
    }
}

/// `transcript:start-end:code`, how `cbr recheck clear` names an item of
/// either queue (definition or text changed).
pub fn item_name(transcript: &Slug, (start, end): (usize, usize), code: &Slug) -> String {
    format!("{transcript}:{start}-{end}:{code}")
}

/// Whether `selector` names the item `item` of `transcript`: the whole
/// item, its transcript and lines, or only its transcript.
pub fn selects(item: &str, transcript: &Slug, selector: &str) -> bool {
    item == selector
        || item
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with(':'))
        || selector == transcript.as_str()
}

/// A verdict already numbered, to be shared by the items that have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerdictId(u32);

impl Items {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Numbers a verdict; items pushed with the number share it.
    pub fn verdict(&mut self, reason: Reason, changes: Arc<[FieldChange]>) -> VerdictId {
        let i = u32::try_from(self.verdicts.len()).expect("fewer than 2^32 verdicts");
        self.verdicts.push((reason, changes));
        VerdictId(i)
    }

    /// Adds an item at the end (the queue builder numbers its ids itself,
    /// with [`Items::push_numbered`]).
    #[cfg(test)]
    pub fn push(
        &mut self,
        coder: &Slug,
        transcript: &Slug,
        lines: (usize, usize),
        code: &Slug,
        coded_under: &str,
        verdict: VerdictId,
    ) {
        let (coder, transcript) = (self.slug(coder), self.slug(transcript));
        let (code, version) = (self.slug(code), self.version(coded_under));
        self.push_numbered(coder, transcript, lines, code, version, verdict);
    }

    /// The number of an id, for [`Items::push_numbered`].
    pub fn slug(&mut self, id: &Slug) -> u32 {
        self.slugs.intern(id)
    }

    /// The number of a version, for [`Items::push_numbered`].
    pub fn version(&mut self, version: &str) -> u32 {
        self.versions.intern_str(version, str::to_string)
    }

    /// Adds an item whose ids are numbered already: a queue builder
    /// numbers a coding's coder and transcript once, and each segment's
    /// code and version once, to judge it.
    pub fn push_numbered(
        &mut self,
        coder: u32,
        transcript: u32,
        (start_line, end_line): (usize, usize),
        code: u32,
        version: u32,
        verdict: VerdictId,
    ) {
        self.rows.push(Row {
            start_line,
            end_line,
            coder,
            transcript,
            code,
            version,
            verdict: verdict.0,
        });
    }

    fn view(&self, row: &Row) -> Item<'_> {
        let (reason, changes) = &self.verdicts[row.verdict as usize];
        Item {
            coder: self.slugs.get(row.coder),
            transcript: self.slugs.get(row.transcript),
            start_line: row.start_line,
            end_line: row.end_line,
            code: self.slugs.get(row.code),
            coded_under: self.versions.get(row.version),
            reason,
            changes,
        }
    }

    pub fn get(&self, i: usize) -> Option<Item<'_>> {
        self.rows.get(i).map(|row| self.view(row))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Item<'_>> + '_ {
        self.rows.iter().map(|row| self.view(row))
    }

    /// The first item of each distinct (code as written, version) pair,
    /// in the queue's order: one per word diff to show.
    pub fn first_per_code_and_version(&self) -> impl Iterator<Item = Item<'_>> + '_ {
        let mut seen = HashSet::new();
        self.rows
            .iter()
            .filter(move |row| seen.insert((row.code, row.version)))
            .map(|row| self.view(row))
    }

    /// Takes out the items `drop` names.
    pub fn remove_where(&mut self, drop: impl Fn(&Item<'_>) -> bool) {
        let keep: Vec<bool> = self.iter().map(|item| !drop(&item)).collect();
        let mut keep = keep.into_iter();
        self.rows.retain(|_| keep.next().unwrap_or(true));
    }
}

impl Serialize for Items {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::new(s).unwrap()
    }

    #[test]
    fn items_come_back_as_pushed_and_share_their_verdict() {
        let mut items = Items::default();
        let removed = items.verdict(Reason::Removed, Arc::from(Vec::new()));
        let merged = items.verdict(
            Reason::MergedInto {
                target: slug("new"),
            },
            Arc::from(Vec::new()),
        );
        items.push(
            &slug("ann"),
            &slug("t1"),
            (1, 2),
            &slug("old"),
            "v1",
            removed,
        );
        items.push(
            &slug("bob"),
            &slug("t1"),
            (3, 3),
            &slug("old"),
            "v2",
            merged,
        );
        items.push(
            &slug("ann"),
            &slug("t2"),
            (4, 5),
            &slug("gone"),
            "v1",
            removed,
        );
        assert_eq!(items.len(), 3);
        let second = items.get(1).unwrap().to_owned();
        assert_eq!(second.coder.as_str(), "bob");
        assert_eq!(second.coded_under, "v2");
        assert_eq!(second.item(), "t1:3-3:old");
        assert!(matches!(second.reason, Reason::MergedInto { .. }));
        assert_eq!(items.get(2).unwrap().item(), "t2:4-5:gone");
        items.remove_where(|i| i.coder.as_str() == "ann" && i.start_line == 1);
        let left: Vec<String> = items.iter().map(|i| i.item()).collect();
        assert_eq!(left, ["t1:3-3:old", "t2:4-5:gone"]);
        assert!(items.get(2).is_none());
    }

    #[test]
    fn an_item_serializes_as_its_owned_form() {
        let mut items = Items::default();
        let v = items.verdict(Reason::UnknownVersion, Arc::from(Vec::new()));
        items.push(&slug("ann"), &slug("t1"), (1, 2), &slug("c"), "v1", v);
        let owned = items.get(0).unwrap().to_owned();
        assert_eq!(
            serde_json::to_value(&items).unwrap(),
            serde_json::to_value([&owned]).unwrap()
        );
    }

    #[test]
    fn a_selector_names_an_item_its_lines_or_its_transcript() {
        let t = slug("t1");
        let item = item_name(&t, (3, 4), &slug("code"));
        assert_eq!(item, "t1:3-4:code");
        for yes in ["t1:3-4:code", "t1:3-4", "t1"] {
            assert!(selects(&item, &t, yes), "{yes}");
        }
        for no in ["t1:3", "t1:3-4:cod", "t2", "t1:3-4:code:x"] {
            assert!(!selects(&item, &t, no), "{no}");
        }
    }
}
