//! cbr's structured code fields inside one REFI `Description`, and colours.
//!
//! The standard gives a code only a `Description`, so cbr writes its fields
//! there in a labelled layout a person can read in any tool:
//!
//! ```text
//! Id: verbal-violence
//! Definition:
//!   Insults, threats or intimidation …
//! Include:
//!   Apply when …
//! Example:
//!   toi je vais t'attendre à la sortie
//! Example source: interview-01:7
//! Aliases: threats, insults
//! ```
//!
//! Text fields are a label line and the text indented by two spaces (every
//! line, empty ones too, so the text comes back exactly); one-line fields
//! are `Label: value`. Empty fields are left out. [`parse`] reads the layout
//! back, and returns `None` for any other description, which then stays
//! whole in `description`.

use crate::model::codebook::Example;
use crate::model::{Code, Slug, Status};

const INDENT: &str = "  ";

/// What a description written by cbr holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub id: Option<Slug>,
    pub definition: String,
    pub description: String,
    pub include: String,
    pub exclude: String,
    pub examples: Vec<Example>,
    pub aliases: Vec<Slug>,
    pub status: Option<Status>,
    pub merged_into: Option<Slug>,
}

fn block(out: &mut String, label: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str(label);
    out.push_str(":\n");
    for line in text.split('\n') {
        out.push_str(INDENT);
        out.push_str(line);
        out.push('\n');
    }
}

/// The `Description` cbr writes for a code.
pub fn render(code: &Code) -> String {
    let mut out = format!("Id: {}\n", code.id);
    block(&mut out, "Definition", &code.definition);
    block(&mut out, "Description", &code.description);
    block(&mut out, "Include", &code.include);
    block(&mut out, "Exclude", &code.exclude);
    for ex in &code.examples {
        block(&mut out, "Example", &ex.quote);
        if !ex.source.is_empty() {
            out.push_str(&format!("Example source: {}\n", ex.source));
        }
    }
    if !code.aliases.is_empty() {
        let list: Vec<&str> = code.aliases.iter().map(Slug::as_str).collect();
        out.push_str(&format!("Aliases: {}\n", list.join(", ")));
    }
    if code.status != Status::Active {
        out.push_str(&format!("Status: {}\n", code.status.as_str()));
    }
    if let Some(target) = &code.merged_into {
        out.push_str(&format!("Merged into: {target}\n"));
    }
    out.trim_end_matches('\n').to_string()
}

/// Reads a description in cbr's layout; `None` if it is not one.
pub fn parse(text: &str) -> Option<Fields> {
    let text = text.replace("\r\n", "\n");
    let mut lines = text.split('\n').peekable();
    let mut f = Fields::default();
    let first = lines.next()?;
    f.id = Some(Slug::new(first.strip_prefix("Id: ")?.trim()).ok()?);
    while let Some(line) = lines.next() {
        if line.is_empty() && lines.peek().is_none() {
            break;
        }
        let (label, value) = line.split_once(':')?;
        let value = value.strip_prefix(' ').unwrap_or(value);
        if value.is_empty() {
            let mut body = Vec::new();
            while let Some(next) = lines.peek() {
                match next.strip_prefix(INDENT) {
                    Some(rest) => body.push(rest),
                    None => break,
                }
                lines.next();
            }
            let body = body.join("\n");
            match label {
                "Definition" => f.definition = body,
                "Description" => f.description = body,
                "Include" => f.include = body,
                "Exclude" => f.exclude = body,
                "Example" => f.examples.push(Example {
                    quote: body,
                    source: String::new(),
                }),
                _ => return None,
            }
            continue;
        }
        match label {
            "Example source" => f.examples.last_mut()?.source = value.to_string(),
            "Aliases" => {
                for a in value.split(',') {
                    f.aliases.push(Slug::new(a.trim()).ok()?);
                }
            }
            "Status" => {
                f.status = Some(match value {
                    "active" => Status::Active,
                    "deprecated" => Status::Deprecated,
                    "merged" => Status::Merged,
                    _ => return None,
                })
            }
            "Merged into" => f.merged_into = Some(Slug::new(value.trim()).ok()?),
            _ => return None,
        }
    }
    Some(f)
}

/// cbr's named colours as RGB; each maps back to itself as the nearest.
const RGB: &[(&str, (u8, u8, u8))] = &[
    ("black", (0x00, 0x00, 0x00)),
    ("red", (0xcc, 0x00, 0x00)),
    ("green", (0x00, 0xa0, 0x00)),
    ("yellow", (0xc8, 0xb4, 0x00)),
    ("blue", (0x00, 0x50, 0xdc)),
    ("magenta", (0xb4, 0x00, 0xb4)),
    ("cyan", (0x00, 0xaa, 0xaa)),
    ("gray", (0xa0, 0xa0, 0xa0)),
    ("darkgray", (0x50, 0x50, 0x50)),
    ("lightred", (0xff, 0x6e, 0x6e)),
    ("lightgreen", (0x78, 0xff, 0x78)),
    ("lightyellow", (0xff, 0xff, 0x8c)),
    ("lightblue", (0x8c, 0xb4, 0xff)),
    ("lightmagenta", (0xff, 0x8c, 0xff)),
    ("lightcyan", (0x8c, 0xff, 0xff)),
    ("white", (0xff, 0xff, 0xff)),
];

/// `#RRGGBB` for one of cbr's colour names.
pub fn color_to_rgb(name: &str) -> Option<String> {
    RGB.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, (r, g, b))| format!("#{r:02X}{g:02X}{b:02X}"))
}

/// The nearest of cbr's colour names to `#RGB` or `#RRGGBB`.
pub fn rgb_to_color(rgb: &str) -> Option<&'static str> {
    let hex = rgb.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    let (r, g, b) = match digits.as_slice() {
        [r, g, b] => (r * 17, g * 17, b * 17),
        [r1, r2, g1, g2, b1, b2] => (r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2),
        _ => return None,
    };
    let dist = |(x, y, z): (u8, u8, u8)| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(x, r) + d(y, g) + d(z, b)
    };
    RGB.iter().min_by_key(|(_, c)| dist(*c)).map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code() -> Code {
        let mut c = Code::new(Slug::new("verbal-violence").unwrap(), "Verbal", "Insults.");
        c.description = "Line one.\n\nLine: three, with a colon.\n".into();
        c.include = "Apply when…".into();
        c.examples.push(Example {
            quote: "toi\nje vais".into(),
            source: "interview-01:7".into(),
        });
        c.examples.push(Example {
            quote: "no source".into(),
            source: String::new(),
        });
        c.aliases = vec![Slug::new("threats").unwrap(), Slug::new("insults").unwrap()];
        c.status = Status::Merged;
        c.merged_into = Some(Slug::new("violence").unwrap());
        c
    }

    #[test]
    fn layout_reads_back_into_the_same_fields() {
        let c = code();
        let text = render(&c);
        let f = parse(&text).expect("cbr layout");
        assert_eq!(f.id.as_ref(), Some(&c.id));
        assert_eq!(f.definition, c.definition);
        assert_eq!(f.description, c.description);
        assert_eq!(f.include, c.include);
        assert_eq!(f.exclude, "");
        assert_eq!(f.examples, c.examples);
        assert_eq!(f.aliases, c.aliases);
        assert_eq!(f.status, Some(Status::Merged));
        assert_eq!(f.merged_into, c.merged_into);
    }

    #[test]
    fn other_descriptions_are_not_read_as_fields() {
        assert_eq!(parse("Anything about jobs or taxes"), None);
        assert_eq!(parse("Id: x\nSomething: else"), None);
    }

    #[test]
    fn colours_map_back_to_themselves() {
        for (name, _) in RGB {
            assert_eq!(rgb_to_color(&color_to_rgb(name).unwrap()), Some(*name));
        }
        assert_eq!(rgb_to_color("#ffff00"), Some("yellow"));
        assert_eq!(rgb_to_color("#F00"), Some("red"));
        assert_eq!(rgb_to_color("red"), None);
    }
}
