//! The methods report as one self-contained HTML file: no script, no
//! network, no external asset; inline CSS with print rules so it prints
//! to PDF as an appendix; inline SVG charts. Every study string is
//! escaped (transcripts, codes and commit messages are untrusted), and the
//! markup is well-formed XML so a test can parse it.

use crate::model::agreement::metrics::alpha_band;
use crate::model::text::inert;
use crate::study::report::MethodsReport;

use super::super::agree::{cells, header};
use super::markdown::markdown;
use super::svg::{Bar, hbars};
use super::{SECTIONS, describe_unit, frequency_rows, release_cells};

/// Text made safe inside HTML elements and attribute values.
pub fn esc(s: &str) -> String {
    // Line breaks are layout here, not control characters to show.
    let s: Vec<_> = s.split('\n').map(inert).collect();
    let s = s.join("\n");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:Georgia,'Times New Roman',serif;max-width:62rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #444;margin-top:2rem;break-after:avoid}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.2rem .4rem;vertical-align:top;text-align:left}
th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
thead{display:table-header-group}tr{break-inside:avoid}
blockquote{margin:.3rem 1rem;padding-left:.6rem;border-left:3px solid #bbb;color:#333}
del{color:#900}ins,strong.added{color:#060}
svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}
svg text{font-family:Helvetica,Arial,sans-serif;font-size:11px;fill:#111}svg text.small{font-size:9px}
svg .bar{fill:#4a6fa5}svg .mark{stroke:#900;stroke-dasharray:3 2}svg .axis{stroke:#111}
.note{font-size:.85rem;color:#444}nav ol{columns:2}
@page{size:A4;margin:16mm}@page wide{size:A4 landscape}
@media print{body{max-width:none;margin:0;font-size:10pt}nav{display:none}section{break-before:page}
section#study{break-before:auto}section#codebook{page:wide}a{color:inherit;text-decoration:none}th{background:none}}";

fn table(out: &mut String, head: &[String], rows: &[Vec<String>], numeric_from: usize) {
    out.push_str("<table><thead><tr>");
    for h in head {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            if i >= numeric_from {
                out.push_str(&format!("<td class=\"n\">{}</td>", esc(c)));
            } else {
                out.push_str(&format!("<td>{}</td>", esc(c)));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// Paragraphs of a multi-line study text.
fn prose(s: &str) -> String {
    s.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", esc(p.trim())))
        .collect()
}

pub fn render(r: &MethodsReport) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
    h.push_str(&format!(
        "<title>{} — methods report</title>",
        esc(&r.title)
    ));
    h.push_str(&format!("<style>{CSS}</style></head><body>"));
    h.push_str(&format!(
        "<header><h1>{}</h1><p class=\"note\">Methods report, codebook {}{}. Made by cbr {} from the study's git repository.</p></header>",
        esc(&r.title),
        esc(&r.release),
        r.released_on
            .map(|t| format!(" (released {})", crate::model::date::format_date(t, 0)))
            .unwrap_or_default(),
        env!("CARGO_PKG_VERSION")
    ));
    h.push_str("<nav><ol>");
    for (id, title) in SECTIONS {
        h.push_str(&format!("<li><a href=\"#{id}\">{}</a></li>", esc(title)));
    }
    h.push_str("</ol></nav>");
    let open = |h: &mut String, id: &str| {
        let title = SECTIONS.iter().find(|(i, _)| *i == id).map_or("", |s| s.1);
        h.push_str(&format!("<section id=\"{id}\"><h2>{}</h2>", esc(title)));
    };

    open(&mut h, "study");
    h.push_str(&format!(
        "<p>{} transcript(s), {} coder(s). Agreement is counted over {}. {}</p>",
        r.transcripts.len(),
        r.coders.iter().filter(|c| c.coder.as_str() != crate::model::CONSENSUS).count(),
        esc(describe_unit(r.unit)),
        if r.blind {
            "Coding was blind: no coder saw another's work on a transcript before every assigned coder had completed it."
        } else {
            "Coding was not blind."
        }
    ));
    if let Some(note) = &r.hidden_note {
        h.push_str(&format!("<p class=\"note\">{}</p>", esc(note)));
    }
    h.push_str("</section>");

    open(&mut h, "coders");
    let rows: Vec<Vec<String>> = r
        .coders
        .iter()
        .map(|c| {
            vec![
                c.coder.to_string(),
                c.transcripts.to_string(),
                c.complete.to_string(),
                c.segments.to_string(),
            ]
        })
        .collect();
    table(
        &mut h,
        &["coder", "transcripts", "complete", "segments"].map(String::from),
        &rows,
        1,
    );
    h.push_str("</section>");

    open(&mut h, "transcripts");
    let rows: Vec<Vec<String>> = r
        .transcripts
        .iter()
        .map(|t| {
            let m = |k: &str| t.meta.get(k).cloned().unwrap_or_default();
            let done: Vec<&str> = t.complete_by.iter().map(|c| c.as_str()).collect();
            vec![
                t.transcript.to_string(),
                m("kind"),
                m("site"),
                m("city"),
                m("participant_role"),
                m("date"),
                done.join(", "),
                t.lines.to_string(),
            ]
        })
        .collect();
    table(
        &mut h,
        &[
            "transcript",
            "kind",
            "site",
            "city",
            "role",
            "date",
            "completed by",
            "lines",
        ]
        .map(String::from),
        &rows,
        7,
    );
    h.push_str("</section>");

    open(&mut h, "codebook");
    h.push_str(&format!("<p>{} code(s) at {}, in the layout of MacQueen et al. (1998). Sub-codes are indented under their parent.</p>", r.codebook.len(), esc(&r.release)));
    h.push_str("<table class=\"codebook\"><thead><tr><th>Code</th><th>Definition</th><th>Full description</th><th>When to use</th><th>When not to use</th><th>Examples</th></tr></thead><tbody>");
    for (depth, c) in &r.codebook {
        let status = match c.status {
            crate::model::Status::Active => String::new(),
            s => format!(" ({})", s.as_str()),
        };
        let examples: String = c
            .examples
            .iter()
            .map(|e| {
                format!(
                    "<blockquote>{}<br/>— {}</blockquote>",
                    esc(&e.quote),
                    esc(&e.source)
                )
            })
            .collect();
        h.push_str(&format!(
            "<tr><td style=\"padding-left:{:.1}rem\"><strong>{}</strong><br/><code>{}</code>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{examples}</td></tr>",
            0.4 + 1.0 * *depth as f64,
            esc(&c.name),
            esc(c.id.as_str()),
            esc(&status),
            esc(&c.definition),
            prose(&c.description),
            prose(&c.include),
            prose(&c.exclude),
        ));
    }
    h.push_str("</tbody></table></section>");

    open(&mut h, "changes");
    h.push_str(&markdown(&r.changelog));
    h.push_str("</section>");

    open(&mut h, "agreement");
    match &r.agreement {
        None => h.push_str("<p>No transcript was completed by two coders yet: there is no agreement to report.</p>"),
        Some(a) => {
            h.push_str(&format!(
                "<p>Coders {} on {} transcript(s) ({}). Unit: {}; {} units, every unit counted whether coded or not; each code is judged present or absent in each unit by each coder, and a coder who has not completed a transcript is missing there, not absent. Statistics as defined in the project's docs/agreement.md: percent agreement, Cohen's kappa per pair, Fleiss' kappa (three coders or more) and Krippendorff's alpha (nominal). Worst codes first.</p>",
                esc(&names(&a.coders)),
                a.transcripts.len(),
                esc(&names(&a.transcripts)),
                esc(describe_unit(a.unit)),
                a.overall.metrics.units
            ));
            let with_fleiss = a.coders.len() > 2;
            let mut codes = a.codes.clone();
            crate::model::agreement::worst_first(&mut codes);
            let mut rows = vec![cells(format!("overall ({} codes)", a.overall.codes), &a.overall.metrics, with_fleiss)];
            rows.extend(codes.iter().map(|c| cells(c.code.to_string(), &c.metrics, with_fleiss)));
            table(&mut h, &header("code", &a.overall.metrics, with_fleiss), &rows, 1);
            let bars: Vec<Bar> = codes
                .iter()
                .filter_map(|c| c.metrics.krippendorff_alpha.map(|v| (c, v)))
                .map(|(c, v)| Bar { label: c.code.to_string(), value: v, text: format!("{v:.3} {}", alpha_band(v)) })
                .collect();
            h.push_str(&hbars("Krippendorff's alpha per code", &bars, 1.0, &[(0.667, "0.667"), (0.8, "0.800")]));
            h.push_str("<p class=\"note\">κ: Landis &amp; Koch readings. α: reliable ≥ 0.800, tentative ≥ 0.667 (dashed lines), else unreliable. – : undefined (no variation to judge).</p>");
        }
    }
    h.push_str("</section>");

    open(&mut h, "releases");
    if r.by_release.is_empty() {
        h.push_str("<p>The codebook has no release yet.</p>");
    } else {
        h.push_str("<p>Each transcript counts under the release its segments were coded under (docs/agreement.md); all codes pooled.</p>");
        let (head, rows) = release_cells(r);
        table(&mut h, &head, &rows, 1);
        let bars: Vec<Bar> = r
            .by_release
            .iter()
            .filter_map(|e| {
                let v = e.overall.as_ref()?.metrics.krippendorff_alpha?;
                Some(Bar {
                    label: e.release.clone(),
                    value: v,
                    text: format!("{v:.3} ({} transcripts)", e.transcripts.len()),
                })
            })
            .collect();
        h.push_str(&hbars(
            "Krippendorff's alpha per codebook release",
            &bars,
            1.0,
            &[(0.667, "0.667"), (0.8, "0.800")],
        ));
        for (t, why) in &r.unplaced {
            h.push_str(&format!(
                "<p class=\"note\">Not counted under one release: {} ({}).</p>",
                esc(t.as_str()),
                esc(why)
            ));
        }
    }
    h.push_str("</section>");

    open(&mut h, "frequencies");
    let (head, rows) = frequency_rows(r);
    let max = rows
        .iter()
        .filter_map(|r| r.last()?.parse::<f64>().ok())
        .fold(1.0, f64::max);
    let bars: Vec<Bar> = rows
        .iter()
        .map(|row| {
            let total: f64 = row.last().and_then(|t| t.parse().ok()).unwrap_or(0.0);
            Bar {
                label: row[0].clone(),
                value: total,
                text: format!("{total}"),
            }
        })
        .collect();
    h.push_str("<p>Segments per code and coder, as <code>cbr matrix --by coder</code> counts them (codes never applied left out).</p>");
    h.push_str(&hbars("Segments per code", &bars, max, &[]));
    table(&mut h, &head, &rows, 1);
    h.push_str("</section>");

    open(&mut h, "reconciliation");
    let s = &r.reconciliation;
    if s.decisions == 0 {
        h.push_str("<p>No disagreement has been reconciled yet.</p>");
    } else {
        h.push_str(&format!(
            "<p>{} disagreement hunk(s) decided on {} transcript(s).</p>",
            s.decisions, s.transcripts
        ));
        for (head, rows) in super::reconciliation_tables(r) {
            table(&mut h, &head, &rows, 1);
        }
    }
    h.push_str("</section></body></html>\n");
    h
}

fn names(ids: &[crate::model::Slug]) -> String {
    ids.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls_keeps_line_breaks() {
        assert_eq!(
            esc("<a href='x'>&\u{1b}\nb"),
            "&lt;a href=&#39;x&#39;&gt;&amp;^[\nb"
        );
    }
}
