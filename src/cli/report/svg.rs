//! Inline SVG bar charts for the HTML report: no script, no external
//! font or stylesheet, readable in black and white on paper.

use super::html::esc;

/// One bar: its label, its value on the chart's scale, and the text
/// printed after it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

const LABEL: f64 = 230.0;
const AREA: f64 = 330.0;
const ROW: f64 = 16.0;

/// Horizontal bars from 0 to `max`, with dashed reference lines at
/// `marks` (value, caption). Values below 0 draw no bar; the text says.
pub fn hbars(title: &str, bars: &[Bar], max: f64, marks: &[(f64, &str)]) -> String {
    let height = 28.0 + ROW * bars.len() as f64 + 6.0;
    let width = LABEL + AREA + 90.0;
    let x = |v: f64| LABEL + AREA * (v.clamp(0.0, max) / max);
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        esc(title)
    );
    for (v, caption) in marks {
        s.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"14\" x2=\"{0:.1}\" y2=\"{1:.1}\" class=\"mark\"/><text x=\"{0:.1}\" y=\"10\" text-anchor=\"middle\" class=\"small\">{2}</text>",
            x(*v),
            height - 4.0,
            esc(caption)
        ));
    }
    for (i, bar) in bars.iter().enumerate() {
        let y = 20.0 + ROW * i as f64;
        let w = x(bar.value) - LABEL;
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" class=\"bar\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            LABEL - 6.0,
            y + 11.0,
            esc(&bar.label),
            y + 2.0,
            ROW - 4.0,
            LABEL + w + 4.0,
            y + 11.0,
            esc(&bar.text)
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{LABEL}\" y1=\"14\" x2=\"{LABEL}\" y2=\"{:.1}\" class=\"axis\"/></svg>",
        height - 4.0
    ));
    s
}
