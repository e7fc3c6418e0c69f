//! Subtitles from transcription software (`.srt`, WebVTT `.vtt`): each cue
//! becomes a line, and a change of speaker starts a turn.
//!
//! The speaker comes from a WebVTT voice tag (`<v Nadia>`) or a label at
//! the start of the text (`INT: ...`, `[Nadia] ...`). A cue by the same
//! speaker as the one before continues that speaker's turn, so its line
//! carries no label. Formatting tags are removed. The cue times are kept
//! in the transcript's metadata (`[subtitles]` in `transcripts/<id>.toml`),
//! one entry per line, so that a coder can find the moment in the
//! recording; they never appear in the text.

use crate::model::transcript::speaker_label;

use super::{count, join_lines, utf8};

/// One cue's text, split into speaker parts.
struct Cue {
    start: String,
    end: String,
    /// (speaker, text) in order; `None` when the text names no one.
    parts: Vec<(Option<String>, String)>,
}

pub fn convert(format: &str, bytes: &[u8]) -> Result<(String, String, Vec<String>), String> {
    let text = utf8(bytes)?.replace("\r\n", "\n").replace('\r', "\n");
    let vtt = format == "vtt";
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).peekable();
    if vtt {
        match lines.next() {
            Some((_, first)) if first.starts_with("WEBVTT") => {}
            _ => {
                return Err(
                    "line 1: a WebVTT file starts with `WEBVTT`; check that this is a .vtt file (an .srt file should be named .srt)".into(),
                );
            }
        }
    }
    let mut cues = Vec::new();
    let mut skipped_blocks = 0;
    // Blocks are separated by blank lines.
    while lines.peek().is_some() {
        let mut block = Vec::new();
        while let Some((n, l)) = lines.next_if(|(_, l)| !l.trim().is_empty()) {
            block.push((n, l));
        }
        lines.next_if(|(_, l)| l.trim().is_empty());
        let Some(&(first_n, first)) = block.first() else {
            continue;
        };
        if vtt
            && ["NOTE", "STYLE", "REGION"]
                .iter()
                .any(|k| first.starts_with(k))
        {
            skipped_blocks += usize::from(first.starts_with("NOTE"));
            continue;
        }
        if vtt && cues.is_empty() && !block.iter().any(|(_, l)| l.contains("-->")) {
            continue; // header settings after WEBVTT
        }
        let Some(t) = block.iter().position(|(_, l)| l.contains("-->")) else {
            return Err(format!(
                "line {first_n}: a cue without a timing line like `00:00:01,000 --> 00:00:04,000`; check the file (every cue needs one)"
            ));
        };
        let (n, timing) = block[t];
        let (start, end) = times(timing).ok_or_else(|| {
            format!(
                "line {n}: `{}` is not a cue timing like `00:00:01,000 --> 00:00:04,000`; correct it",
                crate::model::text::inert(timing.trim())
            )
        })?;
        let payload: Vec<&str> = block[t + 1..].iter().map(|(_, l)| *l).collect();
        cues.push(Cue {
            start,
            end,
            parts: parts(&payload, vtt),
        });
    }
    if cues.is_empty() {
        return Err("holds no subtitle cues; check that it is the transcript you meant".into());
    }
    let mut out: Vec<String> = Vec::new();
    // Written by hand rather than through serde so that each line's times
    // stay on one line of the file, readable and diffable.
    let mut meta = format!(
        "# Times of the subtitle cues each line came from (from the {format} file).\n[subtitles]\nformat = \"{format}\"\ncues = [\n"
    );
    let mut current: Option<String> = None;
    for cue in &cues {
        for (speaker, text) in &cue.parts {
            let line = match speaker {
                Some(s) if current.as_deref() != Some(s.as_str()) => {
                    current = Some(s.clone());
                    label(s, text)
                }
                _ => text.clone(),
            };
            out.push(line);
            meta.push_str(&format!(
                "  {{ line = {}, start = \"{}\", end = \"{}\" }},\n",
                out.len(),
                cue.start,
                cue.end
            ));
        }
    }
    meta.push_str("]\n");
    let mut notes = Vec::new();
    if skipped_blocks > 0 {
        notes.push(format!(
            "has {}, left out of the transcript",
            count(skipped_blocks, "NOTE block")
        ));
    }
    Ok((join_lines(&out), meta, notes))
}

/// `NAME: text`, or `[Name Surname] text` where cbr needs the brackets.
fn label(speaker: &str, text: &str) -> String {
    let colon = format!("{speaker}: {text}");
    if speaker_label(&colon) == Some(speaker) {
        return colon.trim_end().to_string();
    }
    format!("[{speaker}] {text}").trim_end().to_string()
}

/// The speaker parts of a cue's text lines.
fn parts(payload: &[&str], vtt: bool) -> Vec<(Option<String>, String)> {
    let mut parts: Vec<(Option<String>, String)> = Vec::new();
    for raw in payload {
        let (voice, line) = if vtt {
            voice(raw)
        } else {
            (None, raw.to_string())
        };
        let line = clean(&line, vtt);
        let line = line.trim().trim_start_matches("- ").trim();
        let (speaker, text) = match voice {
            Some(v) => (Some(v), line.to_string()),
            None => match speaker_label(line) {
                Some(name) => {
                    let rest = line.trim_start();
                    let rest = if rest.starts_with('[') {
                        &rest[rest.find(']').map_or(0, |i| i + 1)..]
                    } else {
                        &rest[rest.find(':').map_or(0, |i| i + 1)..]
                    };
                    (Some(name.to_string()), rest.trim().to_string())
                }
                None => (None, line.to_string()),
            },
        };
        match parts.last_mut() {
            // A text line naming no one continues the cue's current part.
            Some((_, prev)) if speaker.is_none() => {
                if !prev.is_empty() && !text.is_empty() {
                    prev.push(' ');
                }
                prev.push_str(&text);
            }
            _ => parts.push((speaker, text)),
        }
    }
    parts.retain(|(s, t)| s.is_some() || !t.is_empty());
    parts
}

/// The voice of a WebVTT line (`<v Name>` or `<v.class Name>`) and the
/// line without that tag.
fn voice(line: &str) -> (Option<String>, String) {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<v")
        && rest.starts_with([' ', '.', '\t'])
        && let Some(end) = rest.find('>')
    {
        let tag = &rest[..end];
        let name = tag.split_once([' ', '\t']).map_or("", |(_, n)| n).trim();
        let name = (!name.is_empty()).then(|| unescape(name));
        return (name, rest[end + 1..].to_string());
    }
    (None, line.to_string())
}

/// Text without markup: `<i>`, `<b>`, `<font ...>`, `<c.x>`, timestamps
/// inside cues, `{\an8}` positioning; WebVTT character references decoded.
fn clean(line: &str, vtt: bool) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let tag: String = chars.by_ref().take_while(|&c| c != '>').collect();
                let _ = tag;
            }
            '{' if chars.peek() == Some(&'\\') => {
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    if vtt { unescape(&out) } else { out }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&lrm;", "")
        .replace("&rlm;", "")
        .replace("&amp;", "&")
}

/// The start and end of a timing line, as `HH:MM:SS.mmm`.
fn times(line: &str) -> Option<(String, String)> {
    let (a, b) = line.split_once("-->")?;
    let b = b.split_whitespace().next()?;
    Some((time(a.trim())?, time(b)?))
}

/// `HH:MM:SS,mmm`, `HH:MM:SS.mmm` or `MM:SS.mmm` as `HH:MM:SS.mmm`.
fn time(s: &str) -> Option<String> {
    let (clock, ms) = s.split_once([',', '.'])?;
    let mut fields: Vec<&str> = clock.split(':').collect();
    if fields.len() == 2 {
        fields.insert(0, "0");
    }
    let [h, m, sec] = fields.as_slice() else {
        return None;
    };
    let num = |f: &str| -> Option<u64> {
        (!f.is_empty() && f.len() <= 3 && f.bytes().all(|b| b.is_ascii_digit()))
            .then(|| f.parse().ok())
            .flatten()
    };
    let (h, m, sec) = (num(h).filter(|_| h.len() <= 3)?, num(m)?, num(sec)?);
    let ms = num(ms).filter(|_| ms.len() == 3)?;
    (m < 60 && sec < 60).then(|| format!("{h:02}:{m:02}:{sec:02}.{ms:03}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: &str, text: &str) -> (String, toml::Table) {
        let (out, meta, _) = convert(format, text.as_bytes()).unwrap();
        // The metadata file must read as cbr's transcript metadata.
        toml::from_str::<crate::model::metadata::TranscriptMeta>(&meta).unwrap();
        (out, toml::from_str(&meta).unwrap())
    }

    #[test]
    fn srt_cues_become_turns_with_times_in_metadata() {
        let srt = "1\r\n00:00:01,000 --> 00:00:04,200\r\nINT: Bonjour, <i>merci</i>.\r\n\r\n2\r\n00:00:04,500 --> 00:00:06,000\r\nC'est pour\r\nl'étude.\r\n\r\n3\r\n00:00:07,000 --> 00:00:09,000\r\nP1: Oui.\r\n";
        let (out, meta) = run("srt", srt);
        assert_eq!(out, "INT: Bonjour, merci.\nC'est pour l'étude.\nP1: Oui.\n");
        let cues = meta["subtitles"]["cues"].as_array().unwrap();
        assert_eq!(cues.len(), 3);
        assert_eq!(cues[1]["line"].as_integer(), Some(2));
        assert_eq!(cues[1]["start"].as_str(), Some("00:00:04.500"));
        assert_eq!(cues[2]["end"].as_str(), Some("00:00:09.000"));
    }

    #[test]
    fn vtt_voices_name_the_speakers() {
        let vtt = "WEBVTT - interview\n\nNOTE made by the recorder\n\nintro\n00:01.000 --> 00:03.000 align:start\n<v Nadia Benali>On était deux &amp; débordées.</v>\n\n00:03.500 --> 00:05.000\n<v.loud INT>Et ensuite ?\n<v Nadia Benali>On a attendu.\n\n00:05.000 --> 00:06.000\n<v Nadia Benali>Longtemps.\n";
        let (out, meta) = run("vtt", vtt);
        assert_eq!(
            out,
            "[Nadia Benali] On était deux & débordées.\nINT: Et ensuite ?\n[Nadia Benali] On a attendu.\nLongtemps.\n"
        );
        let cues = meta["subtitles"]["cues"].as_array().unwrap();
        assert_eq!(cues.len(), 4);
        assert_eq!(cues[2]["start"].as_str(), Some("00:00:03.500"));
        let (_, _, notes) = convert("vtt", vtt.as_bytes()).unwrap();
        assert!(notes[0].contains("1 NOTE block"), "{notes:?}");
    }

    #[test]
    fn bad_timings_and_headers_name_the_line() {
        let err = convert("srt", b"1\n00:00:01 --> x\nhi\n").err().unwrap();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = convert(
            "srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nhi\n\njust text\n",
        )
        .err()
        .unwrap();
        assert!(
            err.starts_with("line 5:") && err.contains("timing"),
            "{err}"
        );
        let err = convert("vtt", b"1\n00:00:01.000 --> 00:00:02.000\nhi\n")
            .err()
            .unwrap();
        assert!(err.contains("WEBVTT"), "{err}");
        assert!(
            convert("srt", b"\n\n")
                .err()
                .unwrap()
                .contains("no subtitle cues")
        );
    }

    #[test]
    fn times_are_normalised() {
        assert_eq!(time("01:02:03,004").as_deref(), Some("01:02:03.004"));
        assert_eq!(time("02:03.004").as_deref(), Some("00:02:03.004"));
        assert_eq!(time("00:61:00.000"), None);
        assert_eq!(time("1:2"), None);
    }
}
