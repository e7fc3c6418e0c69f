//! Transcript text for generated studies: interviews with `INT:`/`P:`
//! turns, focus groups with `[NAME]` turns, and field notes without
//! speakers. Turns run 1–6 lines, blank lines separate exchanges, and a few
//! lines quote CJK words or emoji. Pure: text from a random generator.

use fastrand::Rng;

use super::words::*;

/// The kinds of transcript a study holds, in the proportions of a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Interview,
    FocusGroup,
    FieldNotes,
}

impl Kind {
    /// Two thirds interviews, a quarter focus groups, the rest field notes.
    pub fn pick(rng: &mut Rng) -> Kind {
        match rng.u32(0..100) {
            0..=64 => Kind::Interview,
            65..=89 => Kind::FocusGroup,
            _ => Kind::FieldNotes,
        }
    }

    /// The prefix of transcript ids of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Interview => "interview",
            Kind::FocusGroup => "focus-group",
            Kind::FieldNotes => "fieldnotes",
        }
    }

    /// The `kind` field of the transcript's metadata.
    pub fn meta_kind(self) -> &'static str {
        match self {
            Kind::Interview => "interview",
            Kind::FocusGroup => "focus group",
            Kind::FieldNotes => "field notes",
        }
    }
}

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(0..list.len())]
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One spoken sentence about work, violence and coping.
pub fn sentence(rng: &mut Rng) -> String {
    match rng.u32(0..100) {
        0..=29 => format!(
            "{} {} {}, {}.",
            pick(rng, SUBJECTS),
            pick(rng, VERBS),
            pick(rng, PLACES),
            pick(rng, FEELINGS)
        ),
        30..=49 => format!("{} {}.", pick(rng, SUBJECTS), pick(rng, VERBS)),
        50..=61 => pick(rng, FILLERS).to_string(),
        62..=74 => {
            let (n, unit) = (rng.u32(2..12), pick(rng, &["semaines", "mois", "ans"]));
            format!(
                "Il y a {n} {unit}, {} {} {}.",
                lower_first(pick(rng, SUBJECTS)),
                pick(rng, VERBS),
                pick(rng, PLACES)
            )
        }
        75..=79 => format!(
            "Il m'a écrit « t'es où ? {} », et j'ai pas répondu.",
            pick(rng, EMOJI)
        ),
        80..=83 => format!(
            "Elle m'a dit {}, et j'ai compris seulement après.",
            pick(rng, FOREIGN_QUOTES)
        ),
        _ => format!(
            "{} c'est là que ça se joue, {}.",
            capitalise(pick(rng, PLACES)),
            pick(rng, FEELINGS).trim_start_matches("et ")
        ),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A line of speech: one to three sentences.
fn speech(rng: &mut Rng) -> String {
    let n = match rng.u32(0..10) {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let parts: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
    parts.join(" ")
}

/// How many lines a turn runs: 1–6, short turns most often.
fn turn_length(rng: &mut Rng) -> usize {
    match rng.u32(0..100) {
        0..=34 => 1,
        35..=59 => 2,
        60..=77 => 3,
        78..=88 => 4,
        89..=95 => 5,
        _ => 6,
    }
}

/// Collects lines up to a fixed count.
struct Lines {
    out: Vec<String>,
    target: usize,
}

impl Lines {
    fn full(&self) -> bool {
        self.out.len() >= self.target
    }

    fn push(&mut self, line: String) {
        if !self.full() {
            self.out.push(line);
        }
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.push(String::new());
        }
    }
}

/// A transcript of exactly `lines` lines (ending with a newline).
pub fn transcript(rng: &mut Rng, kind: Kind, lines: usize) -> String {
    let mut out = Lines {
        out: Vec::with_capacity(lines),
        target: lines.max(1),
    };
    let city = pick(rng, CITIES);
    let date = format!(
        "{:02}/{:02}/20{}",
        rng.u32(1..29),
        rng.u32(1..13),
        rng.u32(21..25)
    );
    match kind {
        Kind::Interview => interview(rng, &mut out, city, &date),
        Kind::FocusGroup => focus_group(rng, &mut out, city, &date),
        Kind::FieldNotes => field_notes(rng, &mut out, city, &date),
    }
    let mut text = out.out.join("\n");
    text.push('\n');
    text
}

fn interview(rng: &mut Rng, out: &mut Lines, city: &str, date: &str) {
    out.push(format!(
        "Entretien réalisé à {city} le {date}. Durée : {} min. Enregistré avec l'accord du participant.",
        rng.u32(40..140)
    ));
    out.blank();
    while !out.full() {
        out.push(format!("INT: {}", pick(rng, QUESTIONS)));
        if rng.u32(0..5) == 0 {
            out.push(pick(rng, QUESTIONS).to_string());
        }
        let n = turn_length(rng);
        out.push(format!("P: {}", speech(rng)));
        for _ in 1..n {
            out.push(speech(rng));
        }
        if rng.u32(0..10) < 6 {
            out.blank();
        }
    }
}

fn focus_group(rng: &mut Rng, out: &mut Lines, city: &str, date: &str) {
    let moderator = pick(rng, MODERATORS);
    let mut people: Vec<&str> = GROUP_NAMES.to_vec();
    rng.shuffle(&mut people);
    people.truncate(rng.usize(4..8));
    out.push(format!(
        "[{moderator}] Merci à tous d'être là. On est à {city}, le {date}, on va parler de la violence au travail, au sens large."
    ));
    out.push("Je vous propose un tour de table rapide : prénom, fonction, ancienneté.".into());
    for name in &people {
        out.push(format!(
            "[{name}] {}, {} ans ici.",
            capitalise(&name.to_lowercase()),
            rng.u32(1..15)
        ));
    }
    out.blank();
    while !out.full() {
        out.push(format!("[{moderator}] {}", pick(rng, QUESTIONS)));
        for _ in 0..rng.usize(2..6) {
            let name = people[rng.usize(0..people.len())];
            out.push(format!("[{name}] {}", speech(rng)));
            for _ in 1..turn_length(rng).min(4) {
                out.push(speech(rng));
            }
        }
        out.blank();
    }
}

fn field_notes(rng: &mut Rng, out: &mut Lines, city: &str, date: &str) {
    out.push(format!(
        "Notes de terrain, {} ({city}), {date}.",
        pick(rng, SITES)
    ));
    out.blank();
    let mut minutes = 9 * 60 + rng.u32(0..120);
    while !out.full() {
        out.push(format!(
            "{:02}h{:02} — {}",
            minutes / 60 % 24,
            minutes % 60,
            pick(rng, OBSERVATIONS)
        ));
        for _ in 1..turn_length(rng) {
            out.push(if rng.bool() {
                pick(rng, OBSERVATIONS).to_string()
            } else {
                speech(rng)
            });
        }
        out.blank();
        minutes += rng.u32(5..40);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Slug, Transcript};

    fn parsed(kind: Kind, lines: usize, seed: u64) -> Transcript {
        let text = transcript(&mut Rng::with_seed(seed), kind, lines);
        Transcript::from_bytes(Slug::new("t").unwrap(), text.as_bytes()).unwrap()
    }

    #[test]
    fn exact_line_count_and_speaker_turns() {
        let t = parsed(Kind::Interview, 300, 7);
        assert_eq!(t.line_count(), 300);
        let speakers: Vec<_> = t.turns().iter().filter_map(|t| t.speaker.clone()).collect();
        assert!(speakers.iter().any(|s| s == "INT"));
        assert!(speakers.iter().any(|s| s == "P"));
        assert!(t.turns().iter().all(|t| t.lines.end - t.lines.start < 8));
        assert!(t.lines().iter().any(|l| l.is_empty()));
    }

    #[test]
    fn focus_groups_use_bracketed_names_and_notes_have_no_speakers() {
        let t = parsed(Kind::FocusGroup, 200, 3);
        let speakers: Vec<_> = t.turns().iter().filter_map(|t| t.speaker.clone()).collect();
        assert!(speakers.len() > 20);
        assert!(
            speakers
                .iter()
                .all(|s| s.chars().all(|c| !c.is_lowercase()))
        );
        let notes = parsed(Kind::FieldNotes, 200, 3);
        assert!(notes.turns().iter().all(|t| t.speaker.is_none()));
    }

    #[test]
    fn deterministic_and_non_ascii() {
        let a = transcript(&mut Rng::with_seed(11), Kind::Interview, 2000);
        let b = transcript(&mut Rng::with_seed(11), Kind::Interview, 2000);
        assert_eq!(a, b);
        assert!(a.contains('é'));
        assert!(a.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));
        assert!(a.chars().any(|c| c as u32 >= 0x1f300));
    }
}
