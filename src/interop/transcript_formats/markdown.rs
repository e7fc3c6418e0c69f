//! Markdown (`.md`): kept line for line, except that a speaker label in
//! bold or italics (`**INT:** text`, `__P1__: text`, as pandoc and many
//! editors write them) becomes a plain label, and a hard line break marker
//! at the end of a line (a trailing `\`) is dropped. Everything else,
//! headings and emphasis inside sentences included, is kept as written.
//! A file that needs none of this is stored byte for byte.

use super::speakers::labelled;
use super::utf8;

pub fn convert(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let text = utf8(bytes)?;
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        let ending = &piece[body.len()..];
        let line = convert_line(body);
        changed |= line != body;
        out.push_str(&line);
        out.push_str(ending);
    }
    Ok(if changed {
        out.into_bytes()
    } else {
        bytes.to_vec()
    })
}

fn convert_line(line: &str) -> String {
    let line = match line.strip_suffix('\\') {
        Some(kept) if !kept.ends_with('\\') => kept,
        _ => line,
    };
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    for marker in ["**", "__", "*", "_"] {
        let Some(inner) = body.strip_prefix(marker) else {
            continue;
        };
        let Some(end) = inner.find(marker) else {
            continue;
        };
        if let Some(out) = labelled(&inner[..end], &inner[end + marker.len()..]) {
            return format!("{}{out}", &line[..indent]);
        }
        break;
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> String {
        String::from_utf8(convert(text.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn emphasised_labels_become_plain() {
        assert_eq!(
            md("# Entretien\n\n**INT:** Bonjour\n__P1__: Oui\n*Nadia Benali* Non\r\n"),
            "# Entretien\n\nINT: Bonjour\nP1: Oui\n[Nadia Benali] Non\r\n"
        );
        assert_eq!(md("Une ligne\\\nsuite\n"), "Une ligne\nsuite\n");
    }

    #[test]
    fn other_markdown_is_kept_byte_for_byte() {
        let text = "INT: **très** bien\r\n**Important sentence here.** rest\n";
        assert_eq!(convert(text.as_bytes()).unwrap(), text.as_bytes());
    }

    #[test]
    fn non_utf8_names_the_line() {
        let err = convert(b"ok\nd\xe9j\xe0\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
