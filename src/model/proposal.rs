//! The kinds of codebook suggestion, as pure changes to a codebook: add,
//! edit, rename, merge, split, deprecate. Each keeps every existing coding
//! resolvable and refuses to leave the codebook inconsistent.
//!
//! A rename writes the code under its new id and keeps the old id in
//! `aliases`. A merge keeps the absorbed code's file with
//! `status = "merged"` and `merged_into`, so its definition and history
//! stay readable and its codings count as the target; sub-codes move under
//! the target. Neither adds an alias that would shadow an existing code.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::codebook::{Code, Codebook, CodebookProblem, Status};
use super::diff::diff_code;
use super::slug::Slug;

/// The kind of a suggestion, recorded in its `Suggestion-kind:` trailer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Add,
    Edit,
    Rename,
    Merge,
    Split,
    Deprecate,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Add,
        Kind::Edit,
        Kind::Rename,
        Kind::Merge,
        Kind::Split,
        Kind::Deprecate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Add => "add",
            Kind::Edit => "edit",
            Kind::Rename => "rename",
            Kind::Merge => "merge",
            Kind::Split => "split",
            Kind::Deprecate => "deprecate",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One suggested change to the codebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// A new code.
    Add(Box<Code>),
    /// New values for any fields of an existing code (same id).
    Edit(Box<Code>),
    Rename {
        from: Slug,
        to: Slug,
    },
    /// `from` is folded into `into`.
    Merge {
        from: Slug,
        into: Slug,
    },
    /// `narrowed` is the existing code with its narrower definition; `new`
    /// takes over what was cut out of it.
    Split {
        narrowed: Box<Code>,
        new: Box<Code>,
    },
    Deprecate(Slug),
}

/// Why a proposal cannot be made; each message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    #[error("no code `{0}` in the codebook (`cbr codes --all` lists them)")]
    UnknownCode(String),
    #[error("the id `{id}` is already taken by code `{by}`; choose another id")]
    Taken { id: Slug, by: Slug },
    #[error(
        "the edit changes the id from `{from}` to `{to}`; suggest a rename for that (`cbr suggest new rename`)"
    )]
    IdChanged { from: Slug, to: Slug },
    #[error("code `{id}` is {status}; only active codes can be {what}")]
    NotActive {
        id: Slug,
        status: &'static str,
        what: &'static str,
    },
    #[error("`{0}` is already the code's id; type the new id")]
    SameId(Slug),
    #[error("a code cannot be merged into itself")]
    MergeIntoItself,
    #[error("this changes nothing in the codebook")]
    NoChange,
    #[error("the change would leave the codebook inconsistent: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Problems(Vec<CodebookProblem>),
}

fn existing<'a>(cb: &'a Codebook, id: &Slug) -> Result<&'a Code, ProposalError> {
    cb.get(id.as_str())
        .ok_or_else(|| ProposalError::UnknownCode(id.to_string()))
}

fn free(cb: &Codebook, id: &Slug, except: Option<&Slug>) -> Result<(), ProposalError> {
    match cb.find(id.as_str()) {
        Some(owner) if Some(&owner.id) != except => Err(ProposalError::Taken {
            id: id.clone(),
            by: owner.id.clone(),
        }),
        _ => Ok(()),
    }
}

fn active(code: &Code, what: &'static str) -> Result<(), ProposalError> {
    if code.status == Status::Active {
        Ok(())
    } else {
        Err(ProposalError::NotActive {
            id: code.id.clone(),
            status: code.status.as_str(),
            what,
        })
    }
}

impl Proposal {
    pub fn kind(&self) -> Kind {
        match self {
            Proposal::Add(_) => Kind::Add,
            Proposal::Edit(_) => Kind::Edit,
            Proposal::Rename { .. } => Kind::Rename,
            Proposal::Merge { .. } => Kind::Merge,
            Proposal::Split { .. } => Kind::Split,
            Proposal::Deprecate(_) => Kind::Deprecate,
        }
    }

    /// The codebook after the change; refused if the codebook would gain a problem.
    pub fn apply(&self, cb: &Codebook) -> Result<Codebook, ProposalError> {
        let mut out = cb.clone();
        match self {
            Proposal::Add(code) => {
                free(cb, &code.id, None)?;
                out.codes.insert(code.id.clone(), (**code).clone());
            }
            Proposal::Edit(code) => {
                if cb.get(code.id.as_str()).is_none() {
                    return Err(match cb.find(code.id.as_str()) {
                        Some(owner) => ProposalError::IdChanged {
                            from: owner.id.clone(),
                            to: code.id.clone(),
                        },
                        None => ProposalError::UnknownCode(code.id.to_string()),
                    });
                }
                out.codes.insert(code.id.clone(), (**code).clone());
            }
            Proposal::Rename { from, to } => {
                let mut code = existing(cb, from)?.clone();
                if from == to {
                    return Err(ProposalError::SameId(to.clone()));
                }
                free(cb, to, Some(from))?;
                code.id = to.clone();
                code.aliases.retain(|a| a != to);
                code.aliases.push(from.clone());
                out.codes.remove(from);
                out.codes.insert(to.clone(), code);
                repoint(&mut out, from, to, None);
            }
            Proposal::Merge { from, into } => {
                if from == into {
                    return Err(ProposalError::MergeIntoItself);
                }
                let source = existing(cb, from)?;
                active(source, "merged")?;
                active(existing(cb, into)?, "merge targets")?;
                let source_parent = source.parent.clone();
                repoint(&mut out, from, into, Some(source_parent));
                let source = out.codes.get_mut(from).expect("checked above");
                source.status = Status::Merged;
                source.merged_into = Some(into.clone());
            }
            Proposal::Split { narrowed, new } => {
                existing(cb, &narrowed.id)?;
                free(cb, &new.id, None)?;
                out.codes.insert(narrowed.id.clone(), (**narrowed).clone());
                out.codes.insert(new.id.clone(), (**new).clone());
            }
            Proposal::Deprecate(id) => {
                active(existing(cb, id)?, "deprecated")?;
                out.codes.get_mut(id).expect("checked above").status = Status::Deprecated;
            }
        }
        if out == *cb {
            return Err(ProposalError::NoChange);
        }
        let before = cb.problems();
        let added: Vec<CodebookProblem> = out
            .problems()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if !added.is_empty() {
            return Err(ProposalError::Problems(added));
        }
        Ok(out)
    }

    /// A title for the suggestion when its author gives none.
    pub fn default_title(&self, cb: &Codebook) -> String {
        let name = |id: &Slug| {
            cb.get(id.as_str())
                .map_or(id.to_string(), |c| c.name.clone())
        };
        match self {
            Proposal::Add(code) => format!("Add the code {}", code.name),
            Proposal::Edit(code) => {
                let changed: Vec<&str> = cb
                    .get(code.id.as_str())
                    .map(|old| {
                        diff_code(old, code.as_ref())
                            .fields
                            .iter()
                            .map(|f| f.field().as_str())
                            .collect()
                    })
                    .unwrap_or_default();
                if changed.is_empty() {
                    format!("Revise {}", name(&code.id))
                } else {
                    format!("Revise {}: {}", name(&code.id), changed.join(", "))
                }
            }
            Proposal::Rename { from, to } => format!("Rename {from} to {to}"),
            Proposal::Merge { from, into } => format!("Merge {} into {}", name(from), name(into)),
            Proposal::Split { narrowed, new } => {
                format!("Split {} out of {}", new.name, name(&narrowed.id))
            }
            Proposal::Deprecate(id) => format!("Deprecate {}", name(id)),
        }
    }
}

/// Points parents and merge targets at `from` to `to`. With `parent_of_to`
/// set (a merge), `to` itself, if it was a sub-code of `from`, moves up to
/// `from`'s parent instead of becoming its own parent.
fn repoint(cb: &mut Codebook, from: &Slug, to: &Slug, parent_of_to: Option<Option<Slug>>) {
    for code in cb.codes.values_mut() {
        if code.parent.as_ref() == Some(from) {
            code.parent = match (&parent_of_to, &code.id == to) {
                (Some(up), true) => up.clone(),
                _ => Some(to.clone()),
            };
        }
        if code.merged_into.as_ref() == Some(from) {
            code.merged_into = Some(to.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str) -> Slug {
        Slug::new(id).unwrap()
    }

    fn code(id: &str, parent: Option<&str>) -> Code {
        let mut c = Code::new(s(id), id, &format!("{id} def"));
        c.parent = parent.map(s);
        c
    }

    fn book() -> Codebook {
        Codebook::from_codes([
            code("violence", None),
            code("insults", Some("violence")),
            code("slurs", Some("insults")),
            code("threats", Some("violence")),
        ])
    }

    #[test]
    fn renaming_to_the_same_id_says_so() {
        let err = Proposal::Rename {
            from: s("insults"),
            to: s("insults"),
        }
        .apply(&book())
        .unwrap_err();
        assert_eq!(err, ProposalError::SameId(s("insults")));
    }

    #[test]
    fn rename_keeps_the_old_id_resolvable_and_moves_children() {
        let cb = Proposal::Rename {
            from: s("insults"),
            to: s("verbal-violence"),
        }
        .apply(&book())
        .unwrap();
        assert!(cb.get("insults").is_none());
        assert_eq!(
            cb.resolve("insults").unwrap().id.as_str(),
            "verbal-violence"
        );
        assert_eq!(cb.get("slurs").unwrap().parent, Some(s("verbal-violence")));
        assert!(cb.problems().is_empty());
        // Renaming back to an old name takes it out of the aliases.
        let back = Proposal::Rename {
            from: s("verbal-violence"),
            to: s("insults"),
        }
        .apply(&cb)
        .unwrap();
        assert_eq!(back.get("insults").unwrap().aliases, [s("verbal-violence")]);
    }

    #[test]
    fn merge_keeps_the_absorbed_code_and_resolves_to_the_target() {
        let cb = Proposal::Merge {
            from: s("insults"),
            into: s("threats"),
        }
        .apply(&book())
        .unwrap();
        let old = cb.get("insults").unwrap();
        assert_eq!(
            (old.status, old.merged_into.clone()),
            (Status::Merged, Some(s("threats")))
        );
        assert_eq!(cb.resolve("insults").unwrap().id.as_str(), "threats");
        assert_eq!(cb.get("slurs").unwrap().parent, Some(s("threats")));
        assert!(cb.problems().is_empty());
        // A sub-code absorbing its parent moves up instead of parenting itself.
        let cb = Proposal::Merge {
            from: s("insults"),
            into: s("slurs"),
        }
        .apply(&book())
        .unwrap();
        assert_eq!(cb.get("slurs").unwrap().parent, Some(s("violence")));
        assert!(cb.problems().is_empty());
        assert_eq!(
            Proposal::Merge {
                from: s("slurs"),
                into: s("insults")
            }
            .apply(&cb),
            Err(ProposalError::NotActive {
                id: s("insults"),
                status: "merged",
                what: "merge targets"
            })
        );
    }

    #[test]
    fn refusals_say_why() {
        let cb = book();
        assert_eq!(
            Proposal::Add(Box::new(code("threats", None))).apply(&cb),
            Err(ProposalError::Taken {
                id: s("threats"),
                by: s("threats")
            })
        );
        assert_eq!(
            Proposal::Rename {
                from: s("nope"),
                to: s("x")
            }
            .apply(&cb),
            Err(ProposalError::UnknownCode("nope".into()))
        );
        assert_eq!(
            Proposal::Edit(Box::new(code("threats", Some("violence")))).apply(&cb),
            Err(ProposalError::NoChange)
        );
        let orphan = code("fresh", Some("missing"));
        assert!(matches!(
            Proposal::Add(Box::new(orphan)).apply(&cb),
            Err(ProposalError::Problems(_))
        ));
        let renamed = Proposal::Rename {
            from: s("threats"),
            to: s("menaces"),
        }
        .apply(&cb)
        .unwrap();
        assert_eq!(
            Proposal::Edit(Box::new(code("threats", None))).apply(&renamed),
            Err(ProposalError::IdChanged {
                from: s("menaces"),
                to: s("threats")
            })
        );
    }

    #[test]
    fn split_and_deprecate() {
        let mut narrowed = code("insults", Some("violence"));
        narrowed.definition = "Insults, excluding slurs about drug use.".into();
        let new = code("drug-slurs", Some("violence"));
        let p = Proposal::Split {
            narrowed: Box::new(narrowed),
            new: Box::new(new),
        };
        let cb = p.apply(&book()).unwrap();
        assert_eq!(cb.codes.len(), 5);
        assert_eq!(p.default_title(&book()), "Split drug-slurs out of insults");
        let cb = Proposal::Deprecate(s("threats")).apply(&cb).unwrap();
        assert_eq!(cb.get("threats").unwrap().status, Status::Deprecated);
        assert!(Proposal::Deprecate(s("threats")).apply(&cb).is_err());
    }
}
