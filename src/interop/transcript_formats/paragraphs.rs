//! Paragraphs being read from a word-processor document, turned into lines:
//! each paragraph (and each manual line break in it) is one line, and a
//! paragraph that opens with a bold name gets a speaker label.

use super::speakers::labelled;

/// Pieces of text with whether they are bold, for one line.
type Line = Vec<(String, bool)>;

#[derive(Default)]
pub struct Paragraphs {
    /// Paragraphs open now: a text box inside a paragraph holds paragraphs too.
    open: Vec<Vec<Line>>,
    done: Vec<String>,
}

impl Paragraphs {
    pub fn open(&mut self) {
        self.open.push(vec![Line::new()]);
    }

    pub fn close(&mut self) {
        if let Some(paragraph) = self.open.pop() {
            self.done.extend(paragraph.iter().map(finish));
        }
    }

    /// Adds text to the innermost open paragraph; text outside any
    /// paragraph (layout whitespace) is not part of the transcript. A line
    /// end inside the text is a space: only paragraphs and breaks make lines.
    pub fn push(&mut self, text: &str, bold: bool) {
        let Some(line) = self.open.last_mut().and_then(|p| p.last_mut()) else {
            return;
        };
        let spaced;
        let text = if text.contains(['\n', '\r']) {
            spaced = text.replace(['\n', '\r'], " ");
            spaced.as_str()
        } else {
            text
        };
        match line.last_mut() {
            Some((last, b)) if *b == bold => last.push_str(text),
            _ => line.push((text.to_string(), bold)),
        }
    }

    pub fn line_break(&mut self) {
        if let Some(p) = self.open.last_mut() {
            p.push(Line::new());
        }
    }

    /// The last character pushed to the current line, if any.
    pub fn last_char(&self) -> Option<char> {
        let line = self.open.last()?.last()?;
        line.last().and_then(|(t, _)| t.chars().last())
    }

    /// Every line read, in document order; trailing blank lines dropped.
    pub fn lines(mut self) -> Vec<String> {
        while !self.open.is_empty() {
            self.close();
        }
        while self.done.last().is_some_and(|l| l.trim().is_empty()) {
            self.done.pop();
        }
        self.done
    }
}

/// One line's text, with an opening bold name rewritten as a label.
fn finish(line: &Line) -> String {
    let whole: String = line.iter().map(|(t, _)| t.as_str()).collect();
    let split = line
        .iter()
        .position(|(t, bold)| !bold && !t.trim().is_empty())
        .unwrap_or(line.len());
    let has_bold = line[..split]
        .iter()
        .any(|(t, b)| *b && !t.trim().is_empty());
    if !has_bold {
        return whole.trim_end().to_string();
    }
    let bold: String = line[..split].iter().map(|(t, _)| t.as_str()).collect();
    let rest: String = line[split..].iter().map(|(t, _)| t.as_str()).collect();
    labelled(&bold, &rest)
        .unwrap_or(whole)
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_breaks_become_lines() {
        let mut p = Paragraphs::default();
        p.push("outside", false);
        p.open();
        p.push("INT", true);
        p.push(" Bonjour", false);
        p.line_break();
        p.push("second\nline", false);
        p.close();
        p.open();
        p.push("The point is", true);
        p.push(" that.", false);
        p.close();
        p.open();
        p.close();
        assert_eq!(
            p.lines(),
            ["INT: Bonjour", "second line", "The point is that."]
        );
    }
}
