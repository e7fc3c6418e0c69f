//! `cbr suggest new <kind>` and `cbr suggest amend`: writing a suggestion
//! from flags, or in `$EDITOR` on a TOML draft (see [`super::draft`]).

use std::process::ExitCode;

use anyhow::anyhow;
use clap::{Args, Subcommand};

use crate::model::proposal::Proposal;
use crate::model::{Code, Codebook, Field, Slug};
use crate::study::context::Repo;
use crate::study::drafts::{self, Made};
use crate::study::git::Author;
use crate::study::{Study, StudyError, suggest};

use super::draft::edit_and_finish;

/// Field values given on the command line; unset flags leave a field alone.
#[derive(Debug, Args, Default)]
pub struct FieldArgs {
    #[arg(long)]
    name: Option<String>,
    /// Parent code id (empty: top level).
    #[arg(long)]
    parent: Option<String>,
    /// One-line definition.
    #[arg(long)]
    definition: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// When to use the code.
    #[arg(long)]
    include: Option<String>,
    /// When not to use it.
    #[arg(long)]
    exclude: Option<String>,
    #[arg(long)]
    color: Option<String>,
}

impl FieldArgs {
    fn apply(&self, code: &mut Code) -> anyhow::Result<()> {
        for (field, value) in [
            (Field::Name, &self.name),
            (Field::Parent, &self.parent),
            (Field::Definition, &self.definition),
            (Field::Description, &self.description),
            (Field::Include, &self.include),
            (Field::Exclude, &self.exclude),
            (Field::Color, &self.color),
        ] {
            if let Some(value) = value {
                field
                    .set_text(code, value)
                    .map_err(|e| anyhow!("--{field}: {e}"))?;
            }
        }
        Ok(())
    }
}

/// Title and rationale, or `--edit` to write them in the draft.
#[derive(Debug, Args)]
pub struct About {
    /// One-line title (default: made from the change).
    #[arg(long)]
    title: Option<String>,
    /// Why the codebook should change; kept in the history.
    #[arg(long)]
    rationale: Option<String>,
    /// Branch slug (default: made from the title).
    #[arg(long)]
    slug: Option<String>,
    /// Write the suggestion in $EDITOR as a TOML draft.
    #[arg(long)]
    edit: bool,
}

#[derive(Debug, Subcommand)]
pub enum NewKind {
    /// Add a new code.
    Add {
        id: String,
        #[command(flatten)]
        fields: FieldArgs,
        #[command(flatten)]
        about: About,
    },
    /// Change any fields of a code.
    Edit {
        code: String,
        #[command(flatten)]
        fields: FieldArgs,
        #[command(flatten)]
        about: About,
    },
    /// Give a code a new id; the old id stays an alias, so codings still resolve.
    Rename {
        code: String,
        new_id: String,
        #[command(flatten)]
        about: About,
    },
    /// Fold CODE into INTO: CODE is kept as merged, its codings count as INTO.
    Merge {
        code: String,
        into: String,
        #[command(flatten)]
        about: About,
    },
    /// Split a new code NEW_ID out of CODE, narrowing CODE's definition.
    Split {
        code: String,
        new_id: String,
        /// CODE's new, narrower definition.
        #[arg(long)]
        narrowed: Option<String>,
        /// The new code's fields.
        #[command(flatten)]
        fields: FieldArgs,
        #[command(flatten)]
        about: About,
    },
    /// Mark a code deprecated: its codings still resolve, it is no longer offered.
    Deprecate {
        code: String,
        #[command(flatten)]
        about: About,
    },
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    /// Your suggestion: branch name, `author/slug`, or just the slug.
    branch: String,
    /// The code to change, as the suggestion has it.
    code: String,
    #[command(flatten)]
    fields: FieldArgs,
    /// What this amendment changes, for reviewers.
    #[arg(short, long, default_value = "")]
    message: String,
    /// Edit the code in $EDITOR as a TOML draft.
    #[arg(long)]
    edit: bool,
}

fn find(cb: &Codebook, id: &str) -> anyhow::Result<Code> {
    cb.find(id)
        .cloned()
        .ok_or_else(|| StudyError::UnknownCode(id.to_string()).into())
}

pub fn new(
    study: &Study,
    opened: &Repo,
    author: &Author,
    kind: NewKind,
) -> anyhow::Result<ExitCode> {
    let cb = opened.main_codebook()?;
    let (proposal, about) = match kind {
        NewKind::Add { id, fields, about } => {
            let mut code = Code::new(Slug::new(&id)?, &id, "");
            fields.apply(&mut code)?;
            (Proposal::Add(Box::new(code)), about)
        }
        NewKind::Edit {
            code,
            fields,
            about,
        } => {
            let mut code = find(&cb, &code)?;
            fields.apply(&mut code)?;
            (Proposal::Edit(Box::new(code)), about)
        }
        NewKind::Rename {
            code,
            new_id,
            about,
        } => {
            let from = find(&cb, &code)?.id;
            (
                Proposal::Rename {
                    from,
                    to: Slug::new(&new_id)?,
                },
                about,
            )
        }
        NewKind::Merge { code, into, about } => {
            let from = find(&cb, &code)?.id;
            let into = find(&cb, &into)?.id;
            (Proposal::Merge { from, into }, about)
        }
        NewKind::Split {
            code,
            new_id,
            narrowed,
            fields,
            about,
        } => {
            let mut old = find(&cb, &code)?;
            if let Some(text) = narrowed {
                old.definition = text;
            }
            let mut new = Code::new(Slug::new(&new_id)?, &new_id, "");
            new.parent = old.parent.clone();
            fields.apply(&mut new)?;
            (
                Proposal::Split {
                    narrowed: Box::new(old),
                    new: Box::new(new),
                },
                about,
            )
        }
        NewKind::Deprecate { code, about } => (Proposal::Deprecate(find(&cb, &code)?.id), about),
    };
    let slug = about.slug.as_deref().map(Slug::new).transpose()?;
    let branch = if about.edit {
        let pending = drafts::start_new(opened, proposal, about.title, about.rationale, slug)?;
        match edit_and_finish(opened, author, pending)? {
            Made::Suggested(branch) | Made::Amended(branch) => branch,
        }
    } else {
        let rationale = about.rationale.ok_or_else(|| {
            anyhow!("a suggestion needs a rationale: give --rationale TEXT, or --edit to write it in your editor")
        })?;
        suggest::propose(
            opened.git()?,
            author,
            &proposal,
            about.title.as_deref(),
            &rationale,
            slug.as_ref(),
        )?
    };
    outln!("Suggested {branch}.");
    outln!(
        "Reviewers: `cbr suggest show {branch}`, then approve, comment or reject; it needs {} approval(s).",
        study.config.approvals_required
    );
    Ok(ExitCode::SUCCESS)
}

pub fn amend(opened: &Repo, author: &Author, args: AmendArgs) -> anyhow::Result<ExitCode> {
    let branch = suggest::find(opened.git()?, &args.branch)?;
    let mut code = find(&opened.branch_codebook(&branch)?, &args.code)?;
    args.fields.apply(&mut code)?;
    if args.edit {
        let pending = drafts::start_amend(opened, &branch, code, args.message)?;
        edit_and_finish(opened, author, pending)?;
    } else {
        let proposal = Proposal::Edit(Box::new(code));
        suggest::amend(opened.git()?, &branch, author, &proposal, &args.message)?;
    }
    outln!("Amended {branch}.");
    Ok(ExitCode::SUCCESS)
}
