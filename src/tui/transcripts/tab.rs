//! The Transcripts tab: the list with the coder's progress, and an open
//! transcript being coded. Key handling and state changes; drawing is in
//! `doc_view` (the transcript) and `list_view` (the list).

use crate::model::{Coding, Segment, Slug};
use crate::study::StudyError;
use crate::study::session::CodingSession;

use crate::tui::action::Action;
use crate::tui::context::{Ctx, Effect, Screen};
use crate::tui::draw::words::lines_label;
use crate::tui::keymap::Context;
use crate::tui::popups::input::Input;
use crate::tui::popups::overlay::Overlay;
use crate::tui::popups::picker::{Picker, Purpose};
use crate::tui::transcripts::doc::Doc;
use crate::tui::transcripts::{TranscriptsScreen, edit_words};

impl TranscriptsScreen {
    /// Actions of the Transcripts tab (the list and an open transcript).
    pub(super) fn act(&mut self, action: Action, ctx: &mut Ctx) -> Result<(), StudyError> {
        let context = self.context();
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.motion(ctx, context, &action),
            Action::Open if context == Context::List => {
                if let Some(id) = ctx.study.transcripts.get(self.selected).cloned() {
                    let line = if self.ui.transcript.as_ref() == Some(&id) {
                        self.ui.line
                    } else {
                        1
                    };
                    self.open(ctx, &id, line);
                }
            }
            Action::Back if context == Context::Document => {
                let doc = self.doc.as_mut().expect("document context");
                if doc.anchor.take().is_none() {
                    let back_to = doc.back_to;
                    self.close_doc(ctx)?;
                    if let Some(tab) = back_to {
                        ctx.effect(Effect::Tab(tab));
                    }
                }
            }
            Action::ToggleSelect => {
                let doc = self.doc.as_mut().expect("document context");
                doc.anchor = match doc.anchor {
                    Some(_) => None,
                    None => Some(doc.cursor),
                };
            }
            Action::Pick => ctx.overlay(Overlay::Picker(Picker::for_apply(
                &ctx.study.codebook,
                &self.ui.recent_codes,
            ))),
            Action::RemoveCode | Action::EditMemo => {
                let purpose = if action == Action::RemoveCode {
                    Purpose::Remove
                } else {
                    Purpose::Memo
                };
                let codes: Vec<Slug> = self.doc.as_ref().map_or(Vec::new(), |d| {
                    d.segments_at_cursor()
                        .iter()
                        .map(|s| s.code.clone())
                        .collect()
                });
                match codes.as_slice() {
                    [] => ctx.say("No segment at the cursor."),
                    [one] if purpose == Purpose::Remove => {
                        ctx.effect(Effect::Do(Action::Remove(one.clone())))
                    }
                    [one] => ctx.effect(Effect::Do(Action::Memo(one.clone()))),
                    _ => ctx.overlay(Overlay::Picker(Picker::among(
                        purpose,
                        codes,
                        &ctx.study.codebook,
                    ))),
                }
            }
            Action::Apply(code) => self.apply(ctx, code)?,
            Action::Remove(code) => self.edit_at_cursor(
                ctx,
                &code,
                |coding, i| {
                    coding.segments.remove(i);
                },
                "Removed",
            )?,
            Action::Memo(code) => {
                let memo = self
                    .segment_at_cursor(&code)
                    .and_then(|s| s.memo.clone())
                    .unwrap_or_default();
                ctx.overlay(Overlay::Memo {
                    code,
                    input: Input::with_text(&memo),
                });
            }
            Action::SetMemo(code, text) => {
                let text = text.trim().to_string();
                self.edit_at_cursor(
                    ctx,
                    &code,
                    move |coding, i| {
                        coding.segments[i].memo = (!text.is_empty()).then_some(text);
                    },
                    "Memo saved on",
                )?
            }
            Action::ToggleComplete => {
                let doc = self.doc.as_mut().expect("document context");
                doc.session.edit(ctx.study, |c| c.complete = !c.complete)?;
                let done = doc.session.coding.complete;
                ctx.say(if done {
                    "Marked complete: it now counts in agreement."
                } else {
                    "Reopened: no longer counts in agreement."
                });
                self.sync_progress(ctx);
                if ctx.study.config.blind {
                    // Completing may reveal others' work on it (blind coding).
                    ctx.effect(Effect::RereadCodings);
                }
            }
            Action::CorrectText => self.start_correction(ctx)?,
            Action::Search => ctx.overlay(Overlay::Search(Input::default())),
            Action::SearchFor(q) => {
                let doc = self.doc.as_mut().expect("document context");
                doc.search = Some(q.clone());
                if !doc.search_step(true) {
                    ctx.say(format!("“{q}” not found"));
                }
            }
            Action::SearchNext | Action::SearchPrev => {
                let doc = self.doc.as_mut().expect("document context");
                if doc.search.is_none() {
                    ctx.say("No search yet: press / to search.");
                } else if !doc.search_step(action == Action::SearchNext) {
                    ctx.say("No match");
                }
            }
            Action::InfoDown | Action::InfoUp => {
                let doc = self.doc.as_mut().expect("document context");
                doc.scroll_info(if action == Action::InfoDown { 1 } else { -1 });
            }
            Action::NextSegment | Action::PrevSegment => {
                let doc = self.doc.as_mut().expect("document context");
                if !doc.jump_segment(action == Action::NextSegment) {
                    ctx.say("No more segments that way.");
                }
            }
            Action::Undo | Action::Redo => {
                let doc = self.doc.as_mut().expect("document context");
                let before = doc.session.coding.clone();
                let undo = action == Action::Undo;
                let done = if undo {
                    doc.session.undo(ctx.study)?
                } else {
                    doc.session.redo(ctx.study)?
                };
                let after = doc.session.coding.clone();
                let after = &after;
                ctx.say(match (done, undo) {
                    // The edit undone took `after` to `before`.
                    (true, true) => format!(
                        "Undid: {}.",
                        edit_words::describe(after, &before, &ctx.study.codebook)
                    ),
                    (true, false) => format!(
                        "Redid: {}.",
                        edit_words::describe(&before, after, &ctx.study.codebook)
                    ),
                    (false, true) => "Nothing to undo.".into(),
                    (false, false) => "Nothing to redo.".into(),
                });
                self.sync_progress(ctx);
            }
            _ => {}
        }
        Ok(())
    }

    fn motion(&mut self, ctx: &Ctx, context: Context, action: &Action) {
        let delta: isize = match (action, context) {
            (Action::Up, _) => -1,
            (Action::Down, _) => 1,
            (Action::PageUp, Context::Document) => {
                -(self
                    .doc
                    .as_ref()
                    .map_or(10, |d| d.page_rows.get().max(2) - 1) as isize)
            }
            (Action::PageDown, Context::Document) => {
                self.doc
                    .as_ref()
                    .map_or(10, |d| d.page_rows.get().max(2) - 1) as isize
            }
            (Action::Top, _) => isize::MIN / 2,
            (Action::Bottom, _) => isize::MAX / 2,
            _ => 0,
        };
        match context {
            Context::Document => self.doc.as_mut().expect("document context").move_by(delta),
            Context::List => {
                let n = ctx.study.transcripts.len();
                if n > 0 {
                    self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
                }
            }
            _ => {}
        }
    }

    /// Opens a transcript for coding at `line`; errors go to the popup.
    pub fn open(&mut self, ctx: &mut Ctx, id: &Slug, line: usize) {
        let result = (|| -> Result<Doc, StudyError> {
            let transcript = ctx.study.transcript(id)?;
            let session = match self.parked.remove(id) {
                Some(s) => s,
                None => CodingSession::open(ctx.study, ctx.coder(), &transcript)?,
            };
            Ok(Doc::new(transcript, session, line))
        })();
        match result {
            Ok(doc) => {
                if doc.session.stale_hash {
                    ctx.say("This transcript changed since you coded it: check your segments; your next change records the new text.");
                }
                self.ui.transcript = Some(id.clone());
                self.doc = Some(doc);
            }
            Err(e) => ctx.fail(e),
        }
    }

    /// Leaves the transcript, committing what changed in it.
    pub(crate) fn close_doc(&mut self, ctx: &mut Ctx) -> Result<(), StudyError> {
        if let Some(mut doc) = self.doc.take() {
            self.ui.line = doc.cursor;
            let _ = self.ui.save(ctx.study, ctx.coder());
            let committed = match ctx.repo.git() {
                Ok(repo) => doc.session.commit(repo, ctx.author),
                Err(_) => Ok(false),
            };
            let id = doc.id().clone();
            self.parked.insert(id.clone(), doc.session);
            if committed? {
                ctx.say(format!("Committed your coding of {id}."));
                ctx.effect(Effect::Committed);
            }
        }
        Ok(())
    }

    fn segment_at_cursor(&self, code: &Slug) -> Option<&Segment> {
        let doc = self.doc.as_ref()?;
        doc.segments_at_cursor()
            .into_iter()
            .find(|s| s.code == *code)
    }

    fn edit_at_cursor(
        &mut self,
        ctx: &mut Ctx,
        code: &Slug,
        change: impl FnOnce(&mut Coding, usize),
        verb: &str,
    ) -> Result<(), StudyError> {
        let doc = self.doc.as_mut().expect("document context");
        let cursor = doc.cursor;
        let Some(index) = doc
            .session
            .coding
            .segments
            .iter()
            .position(|s| s.code == *code && s.start_line <= cursor && cursor <= s.end_line)
        else {
            ctx.say(format!("No {code} segment at the cursor."));
            return Ok(());
        };
        doc.session.edit(ctx.study, |c| change(c, index))?;
        let name = ctx
            .study
            .codebook
            .resolve(code.as_str())
            .map_or(code.to_string(), |c| c.name.clone());
        ctx.say(format!("{verb} {name}."));
        self.sync_progress(ctx);
        Ok(())
    }

    fn apply(&mut self, ctx: &mut Ctx, code: Slug) -> Result<(), StudyError> {
        let doc = self.doc.as_mut().expect("document context");
        let range = doc.selection();
        let mut segment = Segment::new(code.clone(), range.start, range.end);
        segment.codebook.clone_from(&self.codebook_version);
        let exists = doc
            .session
            .coding
            .segments
            .iter()
            .any(|s| s.code == code && s.lines() == range);
        if exists {
            ctx.say(format!(
                "{code} is already on {}.",
                lines_label(range.start, range.end)
            ));
            return Ok(());
        }
        doc.session.edit(ctx.study, |c| c.segments.push(segment))?;
        doc.anchor = None;
        self.ui.used(&code);
        let name = ctx
            .study
            .codebook
            .resolve(code.as_str())
            .map_or(code.to_string(), |c| c.name.clone());
        ctx.say(format!(
            "Applied {name} to {} (saved).",
            lines_label(range.start, range.end)
        ));
        self.sync_progress(ctx);
        Ok(())
    }

    /// Keeps the list's progress and the background counts in step with edits.
    pub(crate) fn sync_progress(&mut self, ctx: &mut Ctx) {
        let Some(doc) = &self.doc else { return };
        let coding = &doc.session.coding;
        super::take_in(&mut self.progress, coding);
        ctx.effect(Effect::OwnCodingChanged(Box::new(coding.clone())));
    }

    /// Opens a transcript at a line, from anywhere (coded retrieval, hunks).
    pub(crate) fn jump_to(
        &mut self,
        ctx: &mut Ctx,
        id: Slug,
        line: usize,
    ) -> Result<(), StudyError> {
        if self.doc.as_ref().is_some_and(|d| *d.id() == id) {
            self.doc.as_mut().expect("open").move_to(line);
        } else {
            self.close_doc(ctx)?;
            self.open(ctx, &id, line);
        }
        if let Some(i) = ctx.study.transcripts.iter().position(|t| *t == id) {
            self.selected = i;
        }
        Ok(())
    }
}
