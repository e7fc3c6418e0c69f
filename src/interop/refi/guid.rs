//! GUIDs. cbr derives every GUID it writes from a stable seed (the study's
//! first commit) and what the element stands for (a code id, a transcript
//! id, …), so exporting the same study twice gives the same GUIDs and
//! another tool updates its objects instead of duplicating them. Nothing
//! needs to be stored in the study for that.
//!
//! Read leniently: any case, with or without braces.

use sha2::{Digest, Sha256};

/// A GUID derived from `seed` and `parts`: SHA-256, marked as a version 8
/// (custom) RFC 9562 UUID, lower-case 8-4-4-4-12.
pub fn derive(seed: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"cbr refi-qda guid\0");
    h.update(seed.as_bytes());
    for p in parts {
        h.update(b"\0");
        h.update(p.as_bytes());
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().expect("16 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The canonical form of a GUID as read (braces dropped, lower case), or
/// `None` if it is not 8-4-4-4-12 hex digits.
pub fn normalise(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(s);
    let groups: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let ok = groups.len() == 5
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
    ok.then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_guids_are_stable_distinct_and_valid() {
        let a = derive("seed", &["code", "verbal-violence"]);
        assert_eq!(a, derive("seed", &["code", "verbal-violence"]));
        assert_ne!(a, derive("seed", &["code", "physical-violence"]));
        assert_ne!(a, derive("other", &["code", "verbal-violence"]));
        assert_eq!(normalise(&a).as_deref(), Some(a.as_str()));
        assert_eq!(&a[14..15], "8");
    }

    #[test]
    fn braces_and_case_are_accepted() {
        assert_eq!(
            normalise("{5215CC69-b628-4e02-afb9-9beeaee55808}").as_deref(),
            Some("5215cc69-b628-4e02-afb9-9beeaee55808")
        );
        assert_eq!(normalise("5215cc69-b628-4e02-afb9"), None);
        assert_eq!(normalise("zzzzzzzz-b628-4e02-afb9-9beeaee55808"), None);
    }
}
