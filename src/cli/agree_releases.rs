//! `cbr agree --by-release`: the pooled agreement of the transcripts coded
//! under each codebook release, so a team (and a methods section) can say
//! whether a revision of the codebook helped. The rule that places a
//! transcript under a release is in docs/agreement.md.

use serde::Serialize;

use crate::model::Slug;
use crate::model::agreement::Options;
use crate::model::agreement::bootstrap::Settings;
use crate::model::agreement::report::Overall;
use crate::model::text::inert;
use crate::study::release_agreement::{ByRelease, by_release_with};
use crate::study::{Study, blind};

use super::agree::{cells, csv_cells, csv_header, header, print_columns};
use super::{ReportFormat, print_json};

#[derive(Serialize)]
struct ReleaseJson<'a> {
    release: &'a str,
    transcripts: &'a [Slug],
    /// `null` when no transcript was coded under the release.
    overall: Option<&'a Overall>,
}

#[derive(Serialize)]
struct Unplaced<'a> {
    transcript: &'a Slug,
    reason: &'a str,
}

#[derive(Serialize)]
struct ByReleaseJson<'a> {
    coders: &'a [Slug],
    unit: crate::model::UnitKind,
    releases: Vec<ReleaseJson<'a>>,
    unplaced: Vec<Unplaced<'a>>,
}

pub fn print(
    study: &Study,
    coders: &[Slug],
    options: Options,
    bootstrap: &Settings,
    unblind: bool,
    format: ReportFormat,
) -> anyhow::Result<()> {
    let by = by_release_with(study, coders, options, bootstrap)?;
    let shown: Vec<Slug> = by
        .eras
        .iter()
        .flat_map(|e| e.transcripts.iter().cloned())
        .collect();
    blind::check_reveal(study, coders, &shown, unblind)?;
    match format {
        ReportFormat::Json => print_json(&ByReleaseJson {
            coders,
            unit: options.unit,
            releases: by
                .eras
                .iter()
                .map(|e| ReleaseJson {
                    release: &e.label,
                    transcripts: &e.transcripts,
                    overall: e.overall.as_ref(),
                })
                .collect(),
            unplaced: by
                .unplaced
                .iter()
                .map(|(transcript, reason)| Unplaced { transcript, reason })
                .collect(),
        })?,
        ReportFormat::Csv => {
            let mut out = csv::Writer::from_writer(super::output::csv_stdout());
            if let Some(first) = by.eras.iter().find_map(|e| e.overall.as_ref()) {
                let mut h = csv_header("release", &first.metrics);
                h.insert(1, "transcripts".into());
                out.write_record(h)?;
            }
            for era in &by.eras {
                if let Some(o) = &era.overall {
                    let mut row = csv_cells(&era.label, &o.metrics);
                    row.insert(1, era.transcripts.len().to_string());
                    out.write_record(row)?;
                }
            }
            out.flush()?;
        }
        ReportFormat::Table => table(&by, coders),
    }
    Ok(())
}

fn table(by: &ByRelease, coders: &[Slug]) {
    let names: Vec<&str> = coders.iter().map(Slug::as_str).collect();
    if by.eras.is_empty() {
        outln!("The codebook has no release yet: make one with `cbr release codebook-v1`.");
        return;
    }
    outln!(
        "Agreement of {} per codebook release, all codes pooled (docs/agreement.md says which transcripts count under which release).",
        names.join(", ")
    );
    outln!();
    let with_fleiss = coders.len() > 2;
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some(first) = by.eras.iter().find_map(|e| e.overall.as_ref()) {
        let mut h = header("release", &first.metrics, with_fleiss);
        h.insert(1, "transcripts".into());
        rows.push(h);
    }
    for era in &by.eras {
        match &era.overall {
            Some(o) => {
                let mut r = cells(inert(&era.label).into_owned(), &o.metrics, with_fleiss);
                r.insert(1, era.transcripts.len().to_string());
                rows.push(r);
            }
            None => rows.push(vec![
                inert(&era.label).into_owned(),
                "0".into(),
                String::new(),
                "no transcript coded under it".into(),
            ]),
        }
    }
    print_columns(&rows, &[1, 2]);
    if !by.unplaced.is_empty() {
        outln!();
        outln!("Not counted under any one release:");
        for (t, why) in &by.unplaced {
            outln!("  {t}: {}", inert(why));
        }
    }
}
