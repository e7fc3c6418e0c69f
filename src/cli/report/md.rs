//! The methods report as Markdown (GitHub tables), for teams who write
//! in Markdown or Pandoc. Same sections and cells as the HTML.

use crate::model::text::inert;
use crate::study::report::MethodsReport;

use super::super::agree::{cells, header};
use super::{SECTIONS, describe_unit, frequency_rows, release_cells};

/// A table cell: one line, pipes escaped, no control characters.
fn cell(s: &str) -> String {
    inert(s.trim().replace('\n', " ").as_str()).replace('|', "\\|")
}

fn table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    let line = |cells: &[String]| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    out.push_str(&line(head));
    out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
    for r in rows {
        out.push_str(&line(r));
    }
    out.push('\n');
}

fn title(id: &str) -> &'static str {
    SECTIONS.iter().find(|(i, _)| *i == id).map_or("", |s| s.1)
}

pub fn render(r: &MethodsReport) -> String {
    let mut m = format!(
        "# {} — methods report\n\nCodebook {}.\n\n",
        inert(&r.title),
        inert(&r.release)
    );
    m.push_str(&format!(
        "## {}\n\n{} transcript(s); agreement counted over {}; blind coding: {}.\n\n",
        title("study"),
        r.transcripts.len(),
        describe_unit(r.unit),
        if r.blind { "yes" } else { "no" }
    ));
    if let Some(n) = &r.hidden_note {
        m.push_str(&format!("{}\n\n", inert(n)));
    }
    m.push_str(&format!("## {}\n\n", title("coders")));
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
        &mut m,
        &["coder", "transcripts", "complete", "segments"].map(String::from),
        &rows,
    );
    m.push_str(&format!("## {}\n\n", title("transcripts")));
    let rows: Vec<Vec<String>> = r
        .transcripts
        .iter()
        .map(|t| {
            let v = |k: &str| t.meta.get(k).cloned().unwrap_or_default();
            let done: Vec<&str> = t.complete_by.iter().map(|c| c.as_str()).collect();
            vec![
                t.transcript.to_string(),
                v("kind"),
                v("site"),
                v("city"),
                v("participant_role"),
                v("date"),
                done.join(", "),
                t.lines.to_string(),
            ]
        })
        .collect();
    table(
        &mut m,
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
    );
    m.push_str(&format!(
        "## {} ({})\n\n",
        title("codebook"),
        inert(&r.release)
    ));
    let rows: Vec<Vec<String>> = r
        .codebook
        .iter()
        .map(|(depth, c)| {
            let examples: Vec<String> = c
                .examples
                .iter()
                .map(|e| format!("“{}” ({})", e.quote.trim(), e.source))
                .collect();
            vec![
                format!("{}**{}** (`{}`)", "↳ ".repeat(*depth), c.name, c.id),
                c.definition.clone(),
                c.description.clone(),
                c.include.clone(),
                c.exclude.clone(),
                examples.join("; "),
            ]
        })
        .collect();
    table(
        &mut m,
        &[
            "Code",
            "Definition",
            "Full description",
            "When to use",
            "When not to use",
            "Examples",
        ]
        .map(String::from),
        &rows,
    );
    m.push_str(&format!("## {}\n\n", title("changes")));
    for line in r.changelog.lines() {
        // One level down: the changelog's `##` sits under this section.
        let line = inert(line);
        if line.starts_with('#') {
            m.push('#');
        }
        m.push_str(&line);
        m.push('\n');
    }
    m.push_str(&format!("\n## {}\n\n", title("agreement")));
    match &r.agreement {
        None => m.push_str("No transcript was completed by two coders yet.\n\n"),
        Some(a) => {
            let names: Vec<&str> = a.coders.iter().map(|c| c.as_str()).collect();
            m.push_str(&format!(
                "Coders {} on {} transcript(s); unit: {}; {} units. Worst codes first.\n\n",
                names.join(", "),
                a.transcripts.len(),
                describe_unit(a.unit),
                a.overall.metrics.units
            ));
            let with_fleiss = a.coders.len() > 2;
            let mut codes = a.codes.clone();
            crate::model::agreement::worst_first(&mut codes);
            let mut rows = vec![cells(
                format!("overall ({} codes)", a.overall.codes),
                &a.overall.metrics,
                with_fleiss,
            )];
            rows.extend(
                codes
                    .iter()
                    .map(|c| cells(c.code.to_string(), &c.metrics, with_fleiss)),
            );
            table(
                &mut m,
                &header("code", &a.overall.metrics, with_fleiss),
                &rows,
            );
        }
    }
    m.push_str(&format!("## {}\n\n", title("releases")));
    if r.by_release.is_empty() {
        m.push_str("The codebook has no release yet.\n\n");
    } else {
        let (head, rows) = release_cells(r);
        table(&mut m, &head, &rows);
    }
    m.push_str(&format!("## {}\n\n", title("frequencies")));
    let (head, rows) = frequency_rows(r);
    table(&mut m, &head, &rows);
    m.push_str(&format!("## {}\n\n", title("reconciliation")));
    let s = &r.reconciliation;
    if s.decisions == 0 {
        m.push_str("No disagreement has been reconciled yet.\n");
    } else {
        m.push_str(&format!(
            "{} disagreement hunk(s) decided on {} transcript(s).\n\n",
            s.decisions, s.transcripts
        ));
        for (head, rows) in super::reconciliation_tables(r) {
            table(&mut m, &head, &rows);
        }
    }
    m
}
