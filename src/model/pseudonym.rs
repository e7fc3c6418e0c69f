//! Pseudonymisation: a table of originals (names of people, services,
//! places) and their pseudonyms, found as whole words, whatever their case
//! or accents, and replaced keeping the case they were written in.
//!
//! Matching folds case and Latin accents (`Hélène`, `HELENE` and `helene`
//! are the same word). A word is letters, digits, `_` and `-`, so `Marie`
//! does not match inside `Marie-Claire`; [`Mapping::find_loose`] (used by
//! `cbr check --pseudonyms`) does, so a check never misses what a pass left.

use std::collections::HashMap;

/// One original and its pseudonym, with the line of the mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub original: String,
    pub pseudonym: String,
    pub line: usize,
}

/// A checked mapping: no duplicate or overlapping originals, no pseudonym
/// that is itself an original.
#[derive(Debug, Clone)]
pub struct Mapping {
    pairs: Vec<Pair>,
    folded: Vec<Vec<char>>,
    by_first: HashMap<char, Vec<usize>>,
}

/// A problem with the mapping file, at a line of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct MappingError {
    pub line: usize,
    pub message: String,
}

fn problem(line: usize, message: impl Into<String>) -> MappingError {
    MappingError {
        line,
        message: message.into(),
    }
}

/// One place an original occurs: byte offsets in the text and the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub pair: usize,
}

/// A character with case and common Latin accents removed, one for one so
/// offsets stay aligned.
pub fn fold(c: char) -> char {
    let c = c.to_lowercase().next().unwrap_or(c);
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĺ' | 'ļ' | 'ľ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        '’' => '\'',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

fn folded(s: &str) -> Vec<char> {
    s.trim().chars().map(fold).collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Parses a CSV mapping: `original,pseudonym` per row, with an optional
/// header row naming those two columns.
pub fn parse_csv(text: &str) -> Result<Vec<Pair>, MappingError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut pairs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 1;
        let record = record.map_err(|e| {
            let line = e.position().map_or(line, |p| p.line() as usize);
            problem(line, format!("not valid CSV: {e}"))
        })?;
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if i == 0
            && cells
                .first()
                .is_some_and(|c| c.eq_ignore_ascii_case("original"))
        {
            continue;
        }
        let line = record.position().map_or(line, |p| p.line() as usize);
        let [original, pseudonym] = cells[..] else {
            return Err(problem(
                line,
                format!(
                    "expected two cells, `original,pseudonym`, found {}",
                    cells.len()
                ),
            ));
        };
        pairs.push(Pair {
            original: original.to_string(),
            pseudonym: pseudonym.to_string(),
            line,
        });
    }
    Ok(pairs)
}

/// Parses a TOML mapping: `"Original" = "Pseudonym"` lines, at the top or
/// under a `[pseudonyms]` table.
pub fn parse_toml(text: &str) -> Result<Vec<Pair>, MappingError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| 1 + text[..s.start].matches('\n').count());
        problem(line, format!("not valid TOML: {}", e.message()))
    })?;
    let table = match table.get("pseudonyms") {
        Some(toml::Value::Table(inner)) => inner.clone(),
        _ => table,
    };
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.contains(key))
            .map_or(1, |i| i + 1)
    };
    table
        .iter()
        .map(|(key, value)| match value {
            toml::Value::String(p) => Ok(Pair {
                original: key.trim().to_string(),
                pseudonym: p.trim().to_string(),
                line: line_of(key),
            }),
            _ => Err(problem(
                line_of(key),
                format!("`{key}` must map to a string: \"{key}\" = \"Pseudonym\""),
            )),
        })
        .collect()
}

impl Mapping {
    /// Checks a list of pairs and prepares them for matching.
    pub fn new(pairs: Vec<Pair>) -> Result<Mapping, MappingError> {
        if pairs.is_empty() {
            return Err(problem(
                1,
                "the mapping is empty: write one `original,pseudonym` per line",
            ));
        }
        for p in &pairs {
            if p.original.is_empty() || p.pseudonym.is_empty() {
                return Err(problem(
                    p.line,
                    "an original and its pseudonym must both be given",
                ));
            }
        }
        let folded: Vec<Vec<char>> = pairs.iter().map(|p| folded(&p.original)).collect();
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, f) in folded.iter().enumerate() {
            by_first.entry(f[0]).or_default().push(i);
        }
        let mapping = Mapping {
            pairs,
            folded,
            by_first,
        };
        for (i, p) in mapping.pairs.iter().enumerate() {
            for (j, q) in mapping.pairs.iter().enumerate() {
                if i == j {
                    continue;
                }
                if mapping.folded[i] == mapping.folded[j] && i < j {
                    return Err(problem(
                        q.line,
                        format!(
                            "`{}` is listed twice (also line {}); keep one line per original",
                            q.original, p.line
                        ),
                    ));
                }
                if mapping.folded[i] != mapping.folded[j]
                    && mapping.find_only(&q.original, i).is_some()
                {
                    return Err(problem(
                        q.line,
                        format!(
                            "`{}` contains the original `{}` (line {}); originals must not overlap, so list the longer name's parts separately or only the longer name",
                            q.original, p.original, p.line
                        ),
                    ));
                }
            }
            if let Some(m) = mapping.find(&p.pseudonym).first() {
                return Err(problem(
                    p.line,
                    format!(
                        "the pseudonym `{}` contains the original `{}` (line {}); choose a pseudonym that is not a real name in this table",
                        p.pseudonym, mapping.pairs[m.pair].original, mapping.pairs[m.pair].line
                    ),
                ));
            }
        }
        Ok(mapping)
    }

    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Whether the original of `pair` occurs in `text` as a whole word,
    /// even where a longer original starts at the same place.
    fn find_only(&self, text: &str, pair: usize) -> Option<Match> {
        let alone = Mapping {
            pairs: vec![self.pairs[pair].clone()],
            folded: vec![self.folded[pair].clone()],
            by_first: HashMap::from([(self.folded[pair][0], vec![0])]),
        };
        alone
            .find(text)
            .into_iter()
            .next()
            .map(|m| Match { pair, ..m })
    }

    /// Every whole-word occurrence of an original, in text order.
    pub fn find(&self, text: &str) -> Vec<Match> {
        self.scan(text, is_word)
    }

    /// Like [`find`](Self::find) but a hyphen separates words, so names
    /// inside compounds are found too.
    pub fn find_loose(&self, text: &str) -> Vec<Match> {
        self.scan(text, |c| c.is_alphanumeric() || c == '_')
    }

    fn scan(&self, text: &str, word: impl Fn(char) -> bool) -> Vec<Match> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let at_start = i == 0 || !word(chars[i - 1].1);
            let hit = at_start
                .then(|| self.by_first.get(&fold(chars[i].1)))
                .flatten()
                .and_then(|candidates| {
                    candidates.iter().copied().find(|&p| {
                        let f = &self.folded[p];
                        let end = i + f.len();
                        end <= chars.len()
                            && chars[i..end]
                                .iter()
                                .zip(f)
                                .all(|((_, c), g)| fold(*c) == *g)
                            && (end == chars.len() || !word(chars[end].1))
                    })
                });
            match hit {
                Some(p) => {
                    let end = i + self.folded[p].len();
                    out.push(Match {
                        start: chars[i].0,
                        end: chars.get(end).map_or(text.len(), |c| c.0),
                        pair: p,
                    });
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// The text with every original replaced, and how many were replaced.
    pub fn apply(&self, text: &str) -> (String, usize) {
        let matches = self.find(text);
        if matches.is_empty() {
            return (text.to_string(), 0);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in &matches {
            out.push_str(&text[last..m.start]);
            out.push_str(&case_like(
                &self.pairs[m.pair].pseudonym,
                &text[m.start..m.end],
            ));
            last = m.end;
        }
        out.push_str(&text[last..]);
        (out, matches.len())
    }
}

/// The pseudonym written in the case of what it replaces: all capitals
/// stay all capitals, all lower case stays lower case, otherwise as given.
pub fn case_like(pseudonym: &str, found: &str) -> String {
    let letters: Vec<char> = found.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        pseudonym.to_uppercase()
    } else if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        pseudonym.to_lowercase()
    } else {
        pseudonym.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(csv: &str) -> Result<Mapping, MappingError> {
        Mapping::new(parse_csv(csv)?)
    }

    #[test]
    fn whole_words_any_case_and_accents() {
        let m = mapping("original,pseudonym\nHélène,Sabine\nLe Fanal,La Balise\n").unwrap();
        let (text, n) =
            m.apply("HELENE et helene, Hélène-Marie, Hélènes; au Fanal, au LE FANAL, le fanal.");
        assert_eq!(
            text,
            "SABINE et sabine, Hélène-Marie, Hélènes; au Fanal, au LA BALISE, la balise."
        );
        assert_eq!(n, 4);
        assert_eq!(m.find_loose("Hélène-Marie").len(), 1);
    }

    #[test]
    fn toml_mappings_read_at_top_or_under_a_table() {
        let pairs =
            parse_toml("[pseudonyms]\nKarim = \"Samir\"\n\"Le Fanal\" = \"La Balise\"\n").unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[1].line, 3);
        let err = parse_toml("Karim = 3\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn bad_mappings_are_refused_with_their_line() {
        let dup = mapping("Karim,Samir\nkarim,Other\n").unwrap_err();
        assert_eq!(dup.line, 2);
        assert!(dup.message.contains("listed twice"), "{dup}");
        let overlap = mapping("Marie,Anne\nMarie Dupont,Anne Durand\n").unwrap_err();
        assert!(overlap.message.contains("must not overlap"), "{overlap}");
        let later = mapping("Le Fanal,La Balise\nFanal,Balise\n").unwrap_err();
        assert!(later.message.contains("must not overlap"), "{later}");
        let chain = mapping("Karim,Samir\nSamir,Yanis\n").unwrap_err();
        assert!(chain.message.contains("contains the original"), "{chain}");
        assert_eq!(mapping("Karim\n").unwrap_err().line, 1);
        assert!(mapping("").is_err());
    }
}
