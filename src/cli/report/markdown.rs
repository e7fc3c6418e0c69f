//! The subset of Markdown that `cbr changelog` writes (headings, lists two
//! deep, block quotes, **bold**, ~~struck~~ and `code`) turned into HTML
//! for the report. The text is escaped first, so nothing in a commit
//! message or code definition can become markup.

use super::html::esc;

/// The changelog's Markdown (headings, lists, quotes, **bold**, ~~struck~~,
/// `code`) as HTML, escaped first so nothing in it becomes markup.
pub fn markdown(md: &str) -> String {
    let mut out = String::new();
    let mut list = 0usize;
    let mut quote = false;
    let close = |out: &mut String, list: &mut usize, quote: &mut bool| {
        while *list > 0 {
            out.push_str("</li></ul>");
            *list -= 1;
        }
        if *quote {
            out.push_str("</blockquote>");
            *quote = false;
        }
    };
    for line in md.lines() {
        let depth = if line.starts_with("  - ") {
            2
        } else if line.starts_with("- ") {
            1
        } else {
            0
        };
        if depth > 0 {
            if quote {
                out.push_str("</blockquote>");
                quote = false;
            }
            if depth > list {
                out.push_str("<ul><li>");
                list += 1;
            } else {
                while list > depth {
                    out.push_str("</li></ul>");
                    list -= 1;
                }
                out.push_str("</li><li>");
            }
            out.push_str(&inline(line.trim_start().trim_start_matches("- ")));
            continue;
        }
        if let Some(q) = line
            .strip_prefix("> ")
            .or(line.strip_prefix(">").filter(|q| q.is_empty()))
        {
            if list > 0 {
                close(&mut out, &mut list, &mut quote);
            }
            if !quote {
                out.push_str("<blockquote>");
                quote = true;
            } else {
                out.push_str("<br/>");
            }
            out.push_str(&inline(q));
            continue;
        }
        close(&mut out, &mut list, &mut quote);
        let heading = [("#### ", "h5"), ("### ", "h4"), ("## ", "h3"), ("# ", "h3")]
            .iter()
            .find_map(|(p, tag)| line.strip_prefix(p).map(|rest| (rest, tag)));
        match heading {
            Some((rest, tag)) => out.push_str(&format!("<{tag}>{}</{tag}>", inline(rest))),
            None if line.trim().is_empty() => {}
            None => out.push_str(&format!("<p>{}</p>", inline(line))),
        }
    }
    close(&mut out, &mut list, &mut quote);
    out
}

/// Inline Markdown on escaped text: pairs of markers become elements; an
/// unpaired marker stays as written.
fn inline(s: &str) -> String {
    let mut t = esc(s);
    for (marker, open, close) in [
        ("**", "<strong>", "</strong>"),
        ("~~", "<del>", "</del>"),
        ("`", "<code>", "</code>"),
    ] {
        let parts: Vec<&str> = t.split(marker).collect();
        if parts.len() < 3 {
            continue;
        }
        let mut out = String::new();
        let pairs = (parts.len() - 1) / 2 * 2;
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                if i <= pairs {
                    out.push_str(if i % 2 == 1 { open } else { close });
                } else {
                    out.push_str(marker);
                }
            }
            out.push_str(p);
        }
        t = out;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_changelog_subset() {
        assert_eq!(
            esc("<a href='x'>&\u{1b}"),
            "&lt;a href=&#39;x&#39;&gt;&amp;^["
        );
        let html = markdown(
            "## Title <b>\n\n- **a**: ~~old~~ new `x`\n  - sub\n- two\n\n> why\n> because\n\nend",
        );
        assert_eq!(
            html,
            "<h3>Title &lt;b&gt;</h3><ul><li><strong>a</strong>: <del>old</del> new <code>x</code><ul><li>sub</li></ul></li><li>two</li></ul><blockquote>why<br/>because</blockquote><p>end</p>"
        );
        assert_eq!(inline("a ** b"), "a ** b");
    }
}
