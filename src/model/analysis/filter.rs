//! `--where KEY=VALUE,...`: which transcripts an analysis keeps, by their
//! metadata (`transcripts/<id>.toml`). Conditions on different keys must
//! all hold; the same key given twice means either value. Values compare
//! without regard to case or surrounding spaces, so `city=marseille`
//! finds `Marseille`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::metadata::TranscriptMeta;

/// The keys every metadata file may have, as written in the file.
pub const KNOWN_KEYS: [&str; 6] = [
    "kind",
    "site",
    "city",
    "date",
    "participant_role",
    "language",
];

/// A shorter name accepted for a key.
fn canonical(key: &str) -> &str {
    match key {
        "role" => "participant_role",
        other => other,
    }
}

/// A transcript's value for `key` (a known field or the team's own), as
/// text: strings as written, other TOML values as TOML writes them.
pub fn value(meta: &TranscriptMeta, key: &str) -> Option<String> {
    let known = match canonical(key) {
        "kind" => &meta.kind,
        "site" => &meta.site,
        "city" => &meta.city,
        "date" => &meta.date,
        "participant_role" => &meta.participant_role,
        "language" => &meta.language,
        other => {
            return meta.extra.get(other).map(|v| match v {
                toml::Value::String(s) => s.clone(),
                v => v.to_string(),
            });
        }
    };
    known.clone()
}

/// The keys a transcript's metadata has a value for.
pub fn keys(meta: &TranscriptMeta) -> Vec<String> {
    let mut out: Vec<String> = KNOWN_KEYS
        .iter()
        .filter(|k| value(meta, k).is_some())
        .map(|k| k.to_string())
        .collect();
    out.extend(meta.extra.keys().cloned());
    out
}

/// One key and the values it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// As the user typed it (`role` stays `role` in messages).
    pub key: String,
    pub values: Vec<String>,
}

/// Every condition of a `--where`; empty keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Where(pub Vec<Condition>);

fn same(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

impl Where {
    /// Parses `KEY=VALUE` items (already split at commas).
    pub fn parse(items: &[String]) -> Result<Where, String> {
        let mut out: Vec<Condition> = Vec::new();
        for item in items.iter().filter(|i| !i.trim().is_empty()) {
            let Some((key, value)) = item.split_once('=') else {
                return Err(format!(
                    "--where `{item}`: expected KEY=VALUE, for example city=Marseille"
                ));
            };
            let key = key.trim().to_string();
            if key.is_empty() {
                return Err(format!("--where `{item}`: the key before `=` is empty"));
            }
            let value = value.trim().to_string();
            match out
                .iter_mut()
                .find(|c| canonical(&c.key) == canonical(&key))
            {
                Some(c) => c.values.push(value),
                None => out.push(Condition {
                    key,
                    values: vec![value],
                }),
            }
        }
        Ok(Where(out))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a transcript's metadata (none: no `.toml`) passes.
    pub fn keeps(&self, meta: Option<&TranscriptMeta>) -> bool {
        self.0.iter().all(|c| {
            meta.and_then(|m| value(m, &c.key))
                .is_some_and(|v| c.values.iter().any(|want| same(want, &v)))
        })
    }

    /// Refuses a key no transcript has (listing the keys the study has) and
    /// a value no transcript has for its key (listing the values it has),
    /// so a typo never looks like "nothing found".
    pub fn check<'a>(
        &self,
        metas: impl IntoIterator<Item = &'a TranscriptMeta> + Clone,
    ) -> Result<(), String> {
        for c in &self.0 {
            let values: BTreeSet<String> = metas
                .clone()
                .into_iter()
                .filter_map(|m| value(m, &c.key))
                .collect();
            if values.is_empty() {
                let keys = study_keys(metas.clone());
                return Err(format!(
                    "--where: no transcript has metadata `{}` (keys in this study: {})",
                    c.key,
                    if keys.is_empty() {
                        "none: add transcripts/<id>.toml files".to_string()
                    } else {
                        keys.into_iter().collect::<Vec<_>>().join(", ")
                    }
                ));
            }
            for want in &c.values {
                if !values.iter().any(|v| same(want, v)) {
                    return Err(format!(
                        "--where: no transcript has {}={want} (values of {}: {})",
                        c.key,
                        c.key,
                        values.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Every metadata key some transcript has, sorted.
pub fn study_keys<'a>(metas: impl IntoIterator<Item = &'a TranscriptMeta>) -> BTreeSet<String> {
    metas.into_iter().flat_map(keys).collect()
}

/// Each transcript's value for `key` ("(none)" where it has none).
pub fn column_of<'a, T: Ord + Clone + 'a>(
    metas: impl IntoIterator<Item = (&'a T, Option<&'a TranscriptMeta>)>,
    key: &str,
) -> BTreeMap<T, String> {
    metas
        .into_iter()
        .map(|(id, m)| {
            (
                id.clone(),
                m.and_then(|m| value(m, key))
                    .unwrap_or_else(|| NONE.to_string()),
            )
        })
        .collect()
}

/// The column of transcripts without a value for the key.
pub const NONE: &str = "(none)";

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(city: &str, role: Option<&str>) -> TranscriptMeta {
        let mut m = TranscriptMeta {
            city: Some(city.into()),
            participant_role: role.map(str::to_string),
            ..Default::default()
        };
        m.extra.insert("wave".into(), toml::Value::Integer(2));
        m
    }

    fn items(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn conditions_and_across_keys_or_within_a_key() {
        let w = Where::parse(&items(&[
            "city=marseille",
            "role=peer worker",
            "city=Lille",
        ]))
        .unwrap();
        assert_eq!(w.0.len(), 2);
        assert!(w.keeps(Some(&meta("Marseille", Some("peer worker")))));
        assert!(w.keeps(Some(&meta(" Lille", Some("Peer Worker")))));
        assert!(!w.keeps(Some(&meta("Paris", Some("peer worker")))));
        assert!(!w.keeps(Some(&meta("Lille", None))));
        assert!(!w.keeps(None));
        assert!(Where::default().keeps(None));
        let wave = Where::parse(&items(&["wave=2"])).unwrap();
        assert!(wave.keeps(Some(&meta("Paris", None))));
    }

    #[test]
    fn bad_keys_and_values_are_named() {
        assert!(
            Where::parse(&items(&["city"]))
                .unwrap_err()
                .contains("KEY=VALUE")
        );
        let metas = [meta("Paris", Some("nurse")), meta("Lille", None)];
        let w = Where::parse(&items(&["town=Paris"])).unwrap();
        assert_eq!(
            w.check(&metas).unwrap_err(),
            "--where: no transcript has metadata `town` (keys in this study: city, participant_role, wave)"
        );
        let w = Where::parse(&items(&["city=Pariss"])).unwrap();
        assert_eq!(
            w.check(&metas).unwrap_err(),
            "--where: no transcript has city=Pariss (values of city: Lille, Paris)"
        );
        assert!(
            Where::parse(&items(&["role=Nurse"]))
                .unwrap()
                .check(&metas)
                .is_ok()
        );
    }
}
