//! The memoised look-ups behind the re-check queue. A large study records
//! hundreds of codebook versions, but they share most code files: what a
//! code meant at a version is found with one tree look-up, each distinct
//! code-file blob is parsed once, and the verdict against the current
//! code (with its word diff) is computed once per distinct pair, not once
//! per segment. A whole codebook is parsed only where the short path
//! cannot decide (an alias, a missing or unreadable file, a merge cycle).

use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use foldhash::HashMap;
use git2::{ObjectType, Oid, Repository, Tree};

use crate::model::diff::{FieldChange, diff_code};
use crate::model::{Code, Codebook, Status};

use super::Reason;
use crate::study::error::Result;
use crate::study::versions::{TreeCodebook, code_in_blob, codebook_in_tree};

/// Why a segment is in the queue, and what changed; shared by every
/// segment with the same verdict.
pub(super) type Verdict = Option<(Reason, Arc<[FieldChange]>)>;

/// Merges followed by file name before asking the whole codebook.
const MAX_HOPS: usize = 16;

/// How many parsed `codes/` trees are kept (a few hundred KB each).
const RECENT_TREES: usize = 8;

/// A code-file blob read under a file name: the code, if it parses.
type ReadAs = (Box<str>, Option<Rc<Code>>);

pub(super) struct Lookup<'r> {
    repo: &'r Repository,
    now: Codebook,
    /// Per recorded version: its `codes/` tree (`None` inside when it has
    /// none), or `None` when the version is not in this repository.
    versions: HashMap<String, Option<Option<Oid>>>,
    /// Per blob, per file name it was read under: the code it holds, if
    /// it parses (a blob is almost always read under one name).
    blobs: HashMap<Oid, Vec<ReadAs>>,
    /// Whole codebooks, only for versions the short path could not decide.
    whole: HashMap<String, Option<TreeCodebook>>,
    /// Per (old code blob, current code's number in `current`): the verdict.
    pairs: HashMap<(Oid, usize), Verdict>,
    /// Per code as written: the code it is today, numbered (the same for
    /// every version, so resolved once).
    current: HashMap<Box<str>, Option<(usize, Rc<Code>)>>,
    /// The `codes/` trees read last, most recent at the end.
    recent: Vec<Tree<'r>>,
}

impl<'r> Lookup<'r> {
    pub(super) fn new(repo: &'r Repository, now: Codebook) -> Self {
        Lookup {
            repo,
            now,
            versions: HashMap::default(),
            blobs: HashMap::default(),
            whole: HashMap::default(),
            pairs: HashMap::default(),
            current: HashMap::default(),
            recent: Vec::with_capacity(RECENT_TREES),
        }
    }

    /// The verdict for a segment coded `code` under `version`. The caller
    /// keeps it per (version, code): a large study has a few hundred
    /// thousand distinct pairs, which it can number more cheaply.
    pub(super) fn verdict(&mut self, version: &str, code: &str) -> Verdict {
        let unknown = || Some((Reason::UnknownVersion, Arc::from(Vec::new())));
        let Some(codes) = self.codes_tree(version) else {
            return unknown();
        };
        let then = match codes {
            // No `codes/` then: no code was known, so nothing to re-check.
            None => return None,
            Some(codes) => match self.by_file_name(codes, code) {
                Some(found) => Some(found),
                None => match self.by_whole_codebook(version, code) {
                    Err(()) => return unknown(),
                    Ok(found) => found,
                },
            },
        };
        // A code unknown even then is `cbr check`'s business, not a re-check.
        let (blob, old) = then?;
        let Some((number, new)) = self.now_of(code) else {
            return Some((Reason::Removed, Arc::from(Vec::new())));
        };
        if new.id != old.id && !new.aliases.contains(&old.id) {
            let target = new.id.clone();
            return Some((Reason::MergedInto { target }, Arc::from(Vec::new())));
        }
        let pair = (blob, number);
        if let Some(v) = self.pairs.get(&pair) {
            return v.clone();
        }
        let changes: Vec<FieldChange> = diff_code(&old, &new)
            .fields
            .into_iter()
            .filter(|c| c.field().is_meaning())
            .collect();
        let v = (!changes.is_empty()).then(|| (Reason::Redefined, Arc::from(changes)));
        self.pairs.insert(pair, v.clone());
        v
    }

    /// The code `code` (as written) counts as today, numbered.
    fn now_of(&mut self, code: &str) -> Option<(usize, Rc<Code>)> {
        if let Some(known) = self.current.get(code) {
            return known.clone();
        }
        let number = self.current.len();
        let found = self.now.resolve(code).map(|c| (number, Rc::new(c.clone())));
        self.current.insert(code.into(), found.clone());
        found
    }

    fn codes_tree(&mut self, version: &str) -> Option<Option<Oid>> {
        if let Some(t) = self.versions.get(version) {
            return *t;
        }
        let repo = self.repo;
        let found = Oid::from_str(version)
            .ok()
            .and_then(|id| repo.find_tree(id).ok())
            .map(|tree| {
                tree.get_path(Path::new("codes"))
                    .ok()
                    .filter(|e| e.kind() == Some(ObjectType::Tree))
                    .map(|e| e.id())
            });
        self.versions.insert(version.to_string(), found);
        found
    }

    /// The code `id` resolves to in a `codes/` tree by following file
    /// names; `None` when that cannot decide it.
    fn by_file_name(&mut self, codes: Oid, id: &str) -> Option<(Oid, Rc<Code>)> {
        let tree = self.tree(codes)?;
        let mut current = id.to_string();
        for _ in 0..MAX_HOPS {
            let name = format!("{current}.toml");
            let entry = tree.get_name(&name)?;
            if entry.kind() != Some(ObjectType::Blob) {
                return None;
            }
            let blob = entry.id();
            let code = self.parsed(&name, blob)?;
            match (&code.status, &code.merged_into) {
                (Status::Merged, Some(target)) => current = target.to_string(),
                _ => return Some((blob, code)),
            }
        }
        None
    }

    /// A `codes/` tree, from the few read last. libgit2 caches no tree
    /// over 4 KB and a 300-code tree is parsed entry by entry, while a
    /// coding file's segments mostly record the same version or a few:
    /// the trees read last serve most look-ups.
    fn tree(&mut self, id: Oid) -> Option<Tree<'r>> {
        if let Some(at) = self.recent.iter().position(|t| t.id() == id) {
            let tree = self.recent.remove(at);
            self.recent.push(tree.clone());
            return Some(tree);
        }
        let tree = self.repo.find_tree(id).ok()?;
        if self.recent.len() == RECENT_TREES {
            self.recent.remove(0);
        }
        self.recent.push(tree.clone());
        Some(tree)
    }

    fn parsed(&mut self, name: &str, blob: Oid) -> Option<Rc<Code>> {
        let read = self.blobs.entry(blob).or_default();
        if let Some((_, c)) = read.iter().find(|(n, _)| &**n == name) {
            return c.clone();
        }
        let code = match code_in_blob(self.repo, name, blob) {
            Ok(Some(Ok(code))) => Some(Rc::new(code)),
            _ => None,
        };
        read.push((name.into(), code.clone()));
        code
    }

    /// The slow path: resolve against the whole codebook of `version`
    /// (parsed once). `Err` when that codebook cannot be read.
    fn by_whole_codebook(
        &mut self,
        version: &str,
        id: &str,
    ) -> std::result::Result<Option<(Oid, Rc<Code>)>, ()> {
        let repo = self.repo;
        let tc = self
            .whole
            .entry(version.to_string())
            .or_insert_with(|| whole(repo, version).ok())
            .as_ref()
            .ok_or(())?;
        Ok(tc.codebook.resolve(id).and_then(|code| {
            let blob = *tc.blobs.get(&code.id)?;
            Some((blob, Rc::new(code.clone())))
        }))
    }
}

fn whole(repo: &Repository, version: &str) -> Result<TreeCodebook> {
    codebook_in_tree(repo, &repo.find_tree(Oid::from_str(version)?)?)
}
