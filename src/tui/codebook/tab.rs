//! The Codebook tab's actions: moving in the tree, folding, coded
//! retrieval (every segment of the selected code, blind coding applied)
//! and jumping from a retrieved segment to its transcript. The state and
//! its drawing are in `view`.

use std::collections::HashMap;

use crate::model::Slug;
use crate::study::StudyError;

use crate::tui::action::{Action, Tab};
use crate::tui::app::App;
use crate::tui::codebook::view::Retrieved;

impl App {
    /// Actions of the Codebook tab.
    pub(in crate::tui) fn codebook_action(&mut self, action: Action) -> Result<(), StudyError> {
        let delta: isize = match action {
            Action::Open => {
                self.open_retrieved()?;
                0
            }
            Action::Back => {
                self.codebook_screen.retrieval = None;
                0
            }
            Action::ToggleExpand => {
                self.codebook_screen.toggle(&self.study.codebook);
                0
            }
            Action::Retrieve => {
                self.retrieve();
                0
            }
            motion => motion.step(),
        };
        self.codebook_screen.move_by(&self.study.codebook, delta);
        Ok(())
    }

    pub(in crate::tui) fn retrieve(&mut self) {
        let Some(code) = self.codebook_screen.current(&self.study.codebook).cloned() else {
            return;
        };
        let Some(all) = &self.all_codings else {
            self.say("Still reading codings…");
            return;
        };
        let mut items = Vec::new();
        let mut texts: HashMap<Slug, Option<crate::model::Transcript>> = HashMap::new();
        for (coder, coding) in all {
            for seg in &coding.segments {
                if self
                    .study
                    .codebook
                    .resolve(seg.code.as_str())
                    .map(|c| &c.id)
                    != Some(&code.id)
                {
                    continue;
                }
                let t = texts
                    .entry(coding.transcript.clone())
                    .or_insert_with(|| self.study.transcript(&coding.transcript).ok());
                let preview = t
                    .as_ref()
                    .and_then(|t| t.line(seg.start_line))
                    .unwrap_or("")
                    .to_string();
                items.push(Retrieved {
                    coder: coder.clone(),
                    transcript: coding.transcript.clone(),
                    start: seg.start_line,
                    end: seg.end_line,
                    preview,
                });
            }
        }
        items.sort_by(|a, b| {
            (&a.transcript, a.start, &a.coder).cmp(&(&b.transcript, b.start, &b.coder))
        });
        if items.is_empty() {
            let hidden = if self.team.hidden.is_empty() {
                ""
            } else {
                " where you may see it (blind coding)"
            };
            self.say(format!("Nobody has applied {} yet{hidden}.", code.name));
            return;
        }
        self.codebook_screen.retrieval = Some((items, 0));
    }

    fn open_retrieved(&mut self) -> Result<(), StudyError> {
        let target = self
            .codebook_screen
            .retrieval
            .as_ref()
            .and_then(|(items, sel)| items.get(*sel))
            .map(|r| (r.transcript.clone(), r.start, r.end, r.coder.clone()));
        match target {
            Some((id, line, end, coder)) => {
                self.jump_to(id, line)?;
                if let Some(doc) = self.doc.as_mut() {
                    doc.back_to = Some(Tab::Codebook);
                }
                // The transcript view shows the coder's own segments only.
                let whose = if coder != self.author.coder {
                    format!(
                        "{coder}'s segment, {}: the stripes here are your own coding. ",
                        crate::tui::draw::words::lines_label(line, end)
                    )
                } else {
                    String::new()
                };
                self.say(format!("{whose}Esc goes back to the segments."));
            }
            None => self.retrieve(),
        }
        Ok(())
    }
}
