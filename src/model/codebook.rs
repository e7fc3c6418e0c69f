//! The codebook: code definitions, their hierarchy, and id resolution
//! through aliases and merges (so that no coding is ever orphaned).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::slug::Slug;

/// Whether a code is still meant to be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Active,
    /// Kept so old codings still resolve, but not offered for new coding.
    Deprecated,
    /// Folded into `merged_into`; codings of this code count as that code.
    Merged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Deprecated => "deprecated",
            Status::Merged => "merged",
        }
    }
}

/// An anchoring example: a quote and where it comes from (`interview-02:41-43`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub quote: String,
    #[serde(default)]
    pub source: String,
}

/// One code of the codebook, with the fields of MacQueen et al. (1998).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code {
    pub id: Slug,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Slug>,
    pub definition: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub include: String,
    #[serde(default)]
    pub exclude: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<Slug>,
    #[serde(default)]
    pub aliases: Vec<Slug>,
    #[serde(default)]
    pub examples: Vec<Example>,
}

impl Code {
    /// A minimal active code, used when creating codes from scratch.
    pub fn new(id: Slug, name: &str, definition: &str) -> Self {
        Code {
            id,
            name: name.to_string(),
            parent: None,
            definition: definition.to_string(),
            description: String::new(),
            include: String::new(),
            exclude: String::new(),
            color: None,
            status: Status::Active,
            merged_into: None,
            aliases: Vec::new(),
            examples: Vec::new(),
        }
    }

    /// Renders the code as the TOML stored in `codebook/codes/<id>.toml`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("a code always serialises")
    }
}

/// The named terminal colours a code may use; they work on light and dark themes.
pub const COLORS: &[&str] = &[
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

/// A problem with how codes refer to each other (not with one file's syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodebookProblem {
    UnknownParent {
        code: Slug,
        parent: Slug,
    },
    ParentCycle {
        code: Slug,
    },
    UnknownMergeTarget {
        code: Slug,
        target: Slug,
    },
    MergedWithoutTarget {
        code: Slug,
    },
    AliasShadowsCode {
        code: Slug,
        alias: Slug,
    },
    AliasClaimedTwice {
        alias: Slug,
        first: Slug,
        second: Slug,
    },
    ResolutionCycle {
        code: Slug,
    },
    UnknownColor {
        code: Slug,
        color: String,
    },
}

impl std::fmt::Display for CodebookProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownParent { code, parent } => write!(
                f,
                "code `{code}` has parent `{parent}`, which is not in the codebook"
            ),
            Self::ParentCycle { code } => {
                write!(f, "code `{code}` is its own ancestor (parent cycle)")
            }
            Self::UnknownMergeTarget { code, target } => write!(
                f,
                "code `{code}` is merged into `{target}`, which is not in the codebook"
            ),
            Self::MergedWithoutTarget { code } => write!(
                f,
                "code `{code}` has status = \"merged\" but no `merged_into`"
            ),
            Self::AliasShadowsCode { code, alias } => write!(
                f,
                "code `{code}` lists alias `{alias}`, which is also the id of a code"
            ),
            Self::AliasClaimedTwice {
                alias,
                first,
                second,
            } => write!(
                f,
                "alias `{alias}` is claimed by both `{first}` and `{second}`"
            ),
            Self::ResolutionCycle { code } => write!(
                f,
                "alias cycle: resolving `{code}` through merges and aliases never ends"
            ),
            Self::UnknownColor { code, color } => write!(
                f,
                "code `{code}` has unknown color `{color}` (use one of: {})",
                COLORS.join(", ")
            ),
        }
    }
}

/// All codes, keyed by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codebook {
    pub codes: BTreeMap<Slug, Code>,
}

impl Codebook {
    pub fn from_codes(codes: impl IntoIterator<Item = Code>) -> Self {
        Codebook {
            codes: codes.into_iter().map(|c| (c.id.clone(), c)).collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Code> {
        self.codes.get(id)
    }

    /// The code an id stands for today: itself, the code it was merged into,
    /// or the code that lists it as an alias. `None` if unknown or cyclic.
    pub fn resolve(&self, id: &str) -> Option<&Code> {
        let mut current = id.to_string();
        for _ in 0..=self.codes.len() + 1 {
            let code = match self.codes.get(current.as_str()) {
                Some(code) => code,
                None => self.alias_owner(&current)?,
            };
            match (&code.status, &code.merged_into) {
                (Status::Merged, Some(target)) => current = target.to_string(),
                _ => return Some(code),
            }
        }
        None
    }

    /// The code with this id, or the one listing it as an alias — without
    /// following merges (unlike [`Codebook::resolve`]).
    pub fn find(&self, id: &str) -> Option<&Code> {
        self.codes.get(id).or_else(|| self.alias_owner(id))
    }

    fn alias_owner(&self, alias: &str) -> Option<&Code> {
        self.codes
            .values()
            .find(|c| c.aliases.iter().any(|a| a.as_str() == alias))
    }

    /// Codes without a parent (or whose parent is unknown), in id order.
    pub fn roots(&self) -> Vec<&Code> {
        self.codes
            .values()
            .filter(|c| {
                c.parent
                    .as_ref()
                    .is_none_or(|p| !self.codes.contains_key(p))
            })
            .collect()
    }

    pub fn children(&self, id: &str) -> Vec<&Code> {
        self.codes
            .values()
            .filter(|c| c.parent.as_ref().is_some_and(|p| p.as_str() == id))
            .collect()
    }

    /// Depth-first order with each code's depth, for tree displays.
    pub fn tree(&self) -> Vec<(usize, &Code)> {
        let mut out = Vec::with_capacity(self.codes.len());
        let mut seen = BTreeSet::new();
        fn walk<'a>(
            cb: &'a Codebook,
            code: &'a Code,
            depth: usize,
            seen: &mut BTreeSet<&'a str>,
            out: &mut Vec<(usize, &'a Code)>,
        ) {
            if !seen.insert(code.id.as_str()) {
                return;
            }
            out.push((depth, code));
            for child in cb.children(code.id.as_str()) {
                walk(cb, child, depth + 1, seen, out);
            }
        }
        for root in self.roots() {
            walk(self, root, 0, &mut seen, &mut out);
        }
        // Codes caught in a parent cycle are unreachable from a root; still list them.
        for code in self.codes.values() {
            walk(self, code, 0, &mut seen, &mut out);
        }
        out
    }

    /// The ancestors of a code, nearest first.
    pub fn ancestors(&self, id: &str) -> Vec<&Code> {
        let mut out: Vec<&Code> = Vec::new();
        let mut current = self.codes.get(id).and_then(|c| c.parent.as_ref());
        while let Some(p) = current {
            let Some(code) = self.codes.get(p) else { break };
            if out.iter().any(|c| c.id == code.id) || code.id.as_str() == id {
                break;
            }
            out.push(code);
            current = code.parent.as_ref();
        }
        out
    }

    /// Everything wrong with how codes refer to each other.
    pub fn problems(&self) -> Vec<CodebookProblem> {
        let mut out = Vec::new();
        let mut alias_owner: BTreeMap<&Slug, &Slug> = BTreeMap::new();
        for code in self.codes.values() {
            if let Some(parent) = &code.parent {
                if !self.codes.contains_key(parent) {
                    out.push(CodebookProblem::UnknownParent {
                        code: code.id.clone(),
                        parent: parent.clone(),
                    });
                } else if self.has_parent_cycle(code) {
                    out.push(CodebookProblem::ParentCycle {
                        code: code.id.clone(),
                    });
                }
            }
            match (&code.status, &code.merged_into) {
                (Status::Merged, None) => out.push(CodebookProblem::MergedWithoutTarget {
                    code: code.id.clone(),
                }),
                (_, Some(target))
                    if !self.codes.contains_key(target)
                        && self.alias_owner(target.as_str()).is_none() =>
                {
                    out.push(CodebookProblem::UnknownMergeTarget {
                        code: code.id.clone(),
                        target: target.clone(),
                    })
                }
                _ => {}
            }
            for alias in &code.aliases {
                if self.codes.contains_key(alias) {
                    out.push(CodebookProblem::AliasShadowsCode {
                        code: code.id.clone(),
                        alias: alias.clone(),
                    });
                }
                if let Some(first) = alias_owner.insert(alias, &code.id) {
                    out.push(CodebookProblem::AliasClaimedTwice {
                        alias: alias.clone(),
                        first: first.clone(),
                        second: code.id.clone(),
                    });
                }
            }
            // Only a target that exists can lead round in a circle; an
            // unknown target is reported above.
            let target_known = code.merged_into.as_ref().is_some_and(|t| {
                self.codes.contains_key(t) || self.alias_owner(t.as_str()).is_some()
            });
            if code.status == Status::Merged
                && target_known
                && self.resolve(code.id.as_str()).is_none()
            {
                out.push(CodebookProblem::ResolutionCycle {
                    code: code.id.clone(),
                });
            }
            if let Some(color) = &code.color
                && !COLORS.contains(&color.as_str())
            {
                out.push(CodebookProblem::UnknownColor {
                    code: code.id.clone(),
                    color: color.clone(),
                });
            }
        }
        out
    }

    fn has_parent_cycle(&self, code: &Code) -> bool {
        let mut seen = BTreeSet::from([code.id.as_str()]);
        let mut current = code.parent.as_ref();
        while let Some(p) = current {
            if !seen.insert(p.as_str()) {
                return true;
            }
            current = self.codes.get(p).and_then(|c| c.parent.as_ref());
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn code(id: &str, parent: Option<&str>) -> Code {
        let mut c = Code::new(s(id), id, "def");
        c.parent = parent.map(s);
        c
    }

    #[test]
    fn toml_round_trip_keeps_every_field() {
        let mut c = code("verbal-violence", Some("violence"));
        c.description = "Long\ntext".into();
        c.include = "when".into();
        c.exclude = "not when".into();
        c.color = Some("red".into());
        c.aliases = vec![s("insults")];
        c.examples = vec![Example {
            quote: "« Je sais où tu habites »".into(),
            source: "interview-02:41".into(),
        }];
        let back: Code = toml::from_str(&c.to_toml()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err =
            toml::from_str::<Code>("id='a'\nname='A'\ndefinition='d'\ndefinitoin='x'").unwrap_err();
        assert!(err.message().contains("definitoin"), "{}", err.message());
    }

    #[test]
    fn resolve_follows_aliases_and_merges() {
        let mut old = code("old", None);
        old.status = Status::Merged;
        old.merged_into = Some(s("new"));
        let mut new = code("new", None);
        new.aliases = vec![s("older")];
        let cb = Codebook::from_codes([old, new]);
        assert_eq!(cb.resolve("old").unwrap().id.as_str(), "new");
        assert_eq!(cb.resolve("older").unwrap().id.as_str(), "new");
        assert!(cb.resolve("missing").is_none());
        assert!(cb.problems().is_empty());
    }

    #[test]
    fn unknown_merge_target_is_not_called_a_cycle() {
        let mut a = code("a", None);
        a.status = Status::Merged;
        a.merged_into = Some(s("nowhere"));
        let problems = Codebook::from_codes([a]).problems();
        assert_eq!(
            problems,
            [CodebookProblem::UnknownMergeTarget {
                code: s("a"),
                target: s("nowhere")
            }]
        );
    }

    #[test]
    fn merge_cycle_is_reported() {
        let mut a = code("a", None);
        a.status = Status::Merged;
        a.merged_into = Some(s("b"));
        let mut b = code("b", None);
        b.status = Status::Merged;
        b.merged_into = Some(s("a"));
        let cb = Codebook::from_codes([a, b]);
        assert!(cb.resolve("a").is_none());
        let problems = cb.problems();
        assert!(problems.contains(&CodebookProblem::ResolutionCycle { code: s("a") }));
    }

    #[test]
    fn tree_is_depth_first() {
        let cb = Codebook::from_codes([
            code("b-root", None),
            code("a-root", None),
            code("a-child", Some("a-root")),
            code("a-grandchild", Some("a-child")),
        ]);
        let order: Vec<_> = cb
            .tree()
            .iter()
            .map(|(d, c)| format!("{d}{}", c.id))
            .collect();
        assert_eq!(order, ["0a-root", "1a-child", "2a-grandchild", "0b-root"]);
        assert_eq!(cb.ancestors("a-grandchild").len(), 2);
    }

    #[test]
    fn parent_problems_are_reported() {
        let cb = Codebook::from_codes([
            code("x", Some("y")),
            code("y", Some("x")),
            code("z", Some("nope")),
        ]);
        let p = cb.problems();
        assert!(p.contains(&CodebookProblem::ParentCycle { code: s("x") }));
        assert!(p.contains(&CodebookProblem::UnknownParent {
            code: s("z"),
            parent: s("nope")
        }));
        assert_eq!(cb.tree().len(), 3);
    }
}
