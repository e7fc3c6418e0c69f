//! `cbr report` on the demo study: the HTML is parsed as XML (quick-xml),
//! every section is present, nothing points outside the file, the file is
//! private, and its tables hold the demo's exact figures, the same as the
//! commands that compute each part.

use crate::common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Sandbox, assert_success, stderr, stdout};
use quick_xml::Reader;
use quick_xml::events::Event;

const SECTIONS: [&str; 9] = [
    "study",
    "coders",
    "transcripts",
    "codebook",
    "changes",
    "agreement",
    "releases",
    "frequencies",
    "reconciliation",
];

/// A parsed report: section ids in order, and each section's tables as
/// rows of cell texts.
#[derive(Default)]
struct Parsed {
    sections: Vec<String>,
    tables: BTreeMap<String, Vec<Vec<Vec<String>>>>,
    links: Vec<String>,
    svgs: usize,
}

fn parse(html: &str) -> Parsed {
    let mut reader = Reader::from_str(html);
    let mut out = Parsed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut section = String::new();
    let mut cell: Option<String> = None;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!("not well-formed at byte {}: {e}", reader.buffer_position())
        });
        let is_start = matches!(event, Event::Start(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                for a in e.attributes() {
                    let a = a.unwrap();
                    let value = a.value.to_string();
                    match AsRef::<str>::as_ref(&a.key) {
                        "id" if name == "section" => {
                            section = value.clone();
                            out.sections.push(value.clone());
                        }
                        "href" | "src" | "xlink:href" | "action" => out.links.push(value),
                        _ => {}
                    }
                }
                match name.as_str() {
                    "table" => out
                        .tables
                        .entry(section.clone())
                        .or_default()
                        .push(Vec::new()),
                    "tr" => {
                        let t = out.tables.get_mut(&section).unwrap();
                        t.last_mut().unwrap().push(Vec::new());
                    }
                    "td" | "th" => cell = Some(String::new()),
                    "svg" => out.svgs += 1,
                    _ => {}
                }
                if is_start {
                    stack.push(name);
                }
            }
            Event::End(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_string();
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.as_str()),
                    "unbalanced </{name}>"
                );
                if name == "td" || name == "th" {
                    let text = cell.take().unwrap();
                    let t = out.tables.get_mut(&section).unwrap();
                    t.last_mut().unwrap().last_mut().unwrap().push(text);
                }
            }
            Event::Text(t) => {
                if let Some(c) = &mut cell {
                    c.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = &mut cell {
                    c.push_str(match &*r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        _ => "'",
                    });
                }
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    out
}

fn report(sb: &Sandbox, dir: &Path, coder: &str, file: &str) -> (String, Parsed) {
    let out = sb.cbr(dir, coder, &["report", "-o", file]);
    assert_success(&out);
    let path = dir.join(file);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "the report quotes confidential material"
    );
    let html = std::fs::read_to_string(&path).unwrap();
    let parsed = parse(&html);
    (html, parsed)
}

fn row<'a>(table: &'a [Vec<String>], first: &str) -> &'a [String] {
    table
        .iter()
        .find(|r| r.first().map(String::as_str) == Some(first))
        .unwrap_or_else(|| panic!("no row {first}: {table:?}"))
}

#[test]
fn html_report_is_complete_self_contained_and_exact() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    let (html, r) = report(&sb, &dir, "claire", "report.html");
    assert_eq!(r.sections, SECTIONS);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // Nothing outside the file: only links to its own sections.
    assert!(r.links.iter().all(|l| l.starts_with('#')), "{:?}", r.links);
    for outside in [
        "http:", "https:", "url(", "@import", "<script", "<link", "<img", "<iframe",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    assert_eq!(r.svgs, 3, "agreement per code, per release, frequencies");

    assert_eq!(
        r.tables["coders"][0],
        [
            ["coder", "transcripts", "complete", "segments"],
            ["alice", "3", "3", "52"],
            ["bob", "3", "3", "53"]
        ]
    );
    let transcripts = &r.tables["transcripts"][0];
    assert_eq!(transcripts.len(), 8);
    assert_eq!(
        row(transcripts, "interview-01"),
        [
            "interview-01",
            "interview",
            "CAARUD Le Fanal",
            "Marseille",
            "peer worker",
            "2024-03-14",
            "alice, bob",
            "61"
        ]
    );
    let codebook = &r.tables["codebook"][0];
    assert_eq!(
        codebook[0],
        [
            "Code",
            "Definition",
            "Full description",
            "When to use",
            "When not to use",
            "Examples"
        ]
    );
    assert_eq!(codebook.len(), 1 + 39, "39 codes at codebook-v1");
    // Agreement: the same figures as `cbr agree`.
    let agreement = &r.tables["agreement"][0];
    assert_eq!(agreement[0], ["code", "units", "agree", "κ alice/bob", "α"]);
    let agree = stdout(&sb.cbr(&dir, "claire", &["agree"]));
    let overall = row(agreement, "overall (30 codes)");
    let line = agree
        .lines()
        .find(|l| l.starts_with("overall (30 codes)"))
        .unwrap();
    assert_eq!(
        line.split("  ")
            .filter(|c| !c.is_empty())
            .map(str::trim)
            .collect::<Vec<_>>(),
        overall
    );
    let releases = &r.tables["releases"][0];
    assert_eq!(row(releases, "codebook-v1")[1], "3");
    // Frequencies: `cbr matrix --by coder`.
    let freq = &r.tables["frequencies"][0];
    assert_eq!(freq[0], ["code", "alice", "bob", "total"]);
    assert_eq!(row(freq, "debriefing"), ["debriefing", "4", "4", "8"]);
    assert_eq!(
        row(freq, "verbal-violence"),
        ["verbal-violence", "1", "3", "4"]
    );
    assert!(html.contains("No disagreement has been reconciled yet."));
    assert!(
        html.contains("<h3>Codebook changes: the first codebook → codebook-v1</h3>"),
        "the changelog"
    );
}

#[test]
fn reconciliation_summary_and_other_formats() {
    let sb = Sandbox::new();
    let dir = sb.demo();
    for (hunk, choice) in [
        ("interview-01:6-6", "first"),
        ("focus-group-01:21-22", "both"),
    ] {
        assert_success(&sb.cbr(
            &dir,
            "alice",
            &[
                "reconcile",
                "alice",
                "bob",
                "--decide",
                hunk,
                "--choose",
                choice,
                "--rationale",
                "agreed in the meeting",
            ],
        ));
    }
    // Study text is untrusted: markup and control characters stay text.
    std::fs::write(
        dir.join("transcripts/interview-04.toml"),
        "kind = \"interview\"\nsite = \"<script>alert('x')</script> & \\u001b[31m\"\n",
    )
    .unwrap();
    let (html, r) = report(&sb, &dir, "alice", "report.html");
    assert!(!html.contains("<script"));
    assert_eq!(
        row(&r.tables["transcripts"][0], "interview-04")[2],
        "<script>alert('x')</script> & ^[[31m"
    );
    let tables = &r.tables["reconciliation"];
    assert_eq!(
        tables[0],
        [
            ["Decision", "hunks"],
            ["keep-both", "1"],
            ["keep-first", "1"]
        ]
    );
    assert_eq!(tables[2], [["Coders", "hunks"], ["alice ⇄ bob", "2"]]);
    // alice sees her own interview-03, still in progress.
    assert_eq!(
        row(&r.tables["coders"][0], "alice"),
        ["alice", "4", "3", "55"]
    );

    let md = sb.cbr(&dir, "alice", &["report"]);
    assert_success(&md);
    let md = stdout(&md);
    for title in [
        "## Study",
        "## Coders",
        "## Codebook (codebook-v1)",
        "## Agreement per code",
        "## Reconciliation",
    ] {
        assert!(md.contains(title), "{title}");
    }
    assert!(md.contains("| alice | 4 | 3 | 55 |"));
    assert!(md.contains("2 disagreement hunk(s) decided on 2 transcript(s)."));
    let json = sb.cbr(&dir, "alice", &["report", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(v["release"], "codebook-v1");
    assert_eq!(v["reconciliation"]["decisions"], 2);

    let bad = sb.cbr(&dir, "alice", &["report", "--release", "codebook-v9"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        stderr(&bad),
        "cbr: no release `codebook-v9` (releases: codebook-v1; `cbr release NAME` makes one)\n"
    );
    let bad = sb.cbr(&dir, "alice", &["report", "-o", "report.pdf"]);
    assert!(stderr(&bad).contains("report.pdf: give the report a .html, .md or .json name"));
}
