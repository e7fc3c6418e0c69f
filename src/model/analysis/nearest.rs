//! "Did you mean": the known names closest to a mistyped one, by edit
//! distance, with names that contain what was typed first.

/// Edit distance (insertions, deletions, substitutions) between two
/// strings, by characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Up to `n` candidates near `typed`: those containing it (or contained in
/// it), then those within a third of its length in edits, closest first.
pub fn nearest<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let typed = typed.to_lowercase();
    let limit = (typed.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            if lower.contains(&typed) || (lower.len() >= 4 && typed.contains(&lower)) {
                return Some((0, c));
            }
            let d = distance(&typed, &lower);
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("café", "cafe"), 1);
    }

    #[test]
    fn typos_and_fragments_find_their_code() {
        let codes = ["verbal-violence", "physical-violence", "humour", "coping"];
        assert_eq!(nearest("verbal-violense", codes, 3), ["verbal-violence"]);
        assert_eq!(
            nearest("violence", codes, 3),
            ["physical-violence", "verbal-violence"]
        );
        assert!(nearest("zzz", codes, 3).is_empty());
    }
}
