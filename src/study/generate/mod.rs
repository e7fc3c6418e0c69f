//! `cbr generate`: writes a large, realistic, fully deterministic study to
//! measure cbr against — hundreds of transcripts with speaker turns and
//! non-ASCII text, a three-level codebook with years of reviewed and merged
//! suggestions and release tags, and several coders whose overlapping
//! codings agree moderately. The same seed gives the same files and the
//! same commit ids (all commit times are fixed).
//!
//! `text`, `codes` and `segments` are pure (text and data from a seeded
//! generator); `history` and `fieldwork` commit them with the study's own
//! git functions; this module ties them together and checks out the result.

pub mod codes;
pub mod fieldwork;
pub mod history;
pub mod segments;
pub mod text;
pub mod words;

use std::path::Path;

use fastrand::Rng;

use crate::model::codebook::Example;
use crate::model::metadata::TranscriptMeta;
use crate::model::transcript::speaker_label;
use crate::model::{Slug, StudyConfig};

use super::error::{Result, StudyError};
use super::git;

use fieldwork::{Fieldwork, Material};
use history::{Clock, History, MAIN};

/// The size of the study to generate; `Default` is the full benchmark size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
    pub transcripts: usize,
    /// Average lines per transcript (each varies by up to 15 %).
    pub lines: usize,
    pub codes: usize,
    pub coders: usize,
    /// Transcripts each coder completes.
    pub per_coder: usize,
    /// Commits of the codebook's history (first codebook, suggestions,
    /// reviews, merges); imports and codings come on top.
    pub history: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seed: 1,
            transcripts: 500,
            lines: 1000,
            codes: 300,
            coders: 6,
            per_coder: 150,
            history: 5000,
        }
    }
}

impl Options {
    /// `scale` times the benchmark study: transcripts, the transcripts each
    /// coder completes (so codings and segments) and the codebook's history
    /// grow together; the codebook itself (300 codes) and the team (6
    /// coders) stay the size of one team's project.
    pub fn scaled(scale: usize) -> Options {
        let one = Options::default();
        let scale = scale.max(1);
        Options {
            transcripts: one.transcripts * scale,
            per_coder: one.per_coder * scale,
            history: one.history * scale,
            ..one
        }
    }
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct Report {
    pub transcripts: usize,
    pub lines: usize,
    pub codes: usize,
    pub codings: usize,
    pub segments: usize,
    pub codebook_commits: usize,
    pub merged_suggestions: usize,
    pub releases: usize,
    pub open_suggestions: Vec<String>,
    pub head: String,
}

/// Independent random streams, so that each part stays the same when
/// another part changes.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Text = 1,
    Codebook,
    Assign,
    History,
    Clock,
    Coding,
}

/// The seed of stream `what`, item `n` (splitmix64 of the three).
pub(crate) fn stream(seed: u64, what: Stream, n: u64) -> u64 {
    let mut z = seed
        .wrapping_add((what as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(n.wrapping_mul(0xd1b5_4a32_d192_ed03));
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn check(opts: &Options) -> Result<()> {
    let refuse = |m: &str| Err(StudyError::InvalidInput(format!("cbr generate: {m}")));
    if opts.transcripts == 0 || opts.lines < 10 || opts.codes == 0 || opts.history == 0 {
        return refuse(
            "--transcripts, --codes and --history must be at least 1 and --lines at least 10",
        );
    }
    if opts.codes > 5000 {
        return refuse("--codes is at most 5000");
    }
    if opts.coders == 0 || opts.coders > 100 {
        return refuse("--coders must be between 1 and 100");
    }
    if opts.per_coder > opts.transcripts {
        return refuse("--per-coder cannot exceed --transcripts (a coder codes a transcript once)");
    }
    Ok(())
}

/// The transcripts' ids, text and metadata, generated in memory.
fn material(opts: &Options) -> Vec<Material> {
    let mut rng = Rng::with_seed(stream(opts.seed, Stream::Text, u64::MAX));
    let kinds: Vec<text::Kind> = (0..opts.transcripts)
        .map(|_| text::Kind::pick(&mut rng))
        .collect();
    let width = opts.transcripts.to_string().len().max(3);
    let mut numbers = [0usize; 3];
    kinds
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            let k = kind as usize;
            numbers[k] += 1;
            let id = Slug::new(&format!("{}-{:0width$}", kind.prefix(), numbers[k]))
                .expect("generated transcript ids are slugs");
            let mut rng = Rng::with_seed(stream(opts.seed, Stream::Text, i as u64));
            let lines = opts.lines * rng.usize(85..=115) / 100;
            let text = text::transcript(&mut rng, kind, lines);
            let meta = TranscriptMeta {
                kind: Some(kind.meta_kind().into()),
                site: Some(words::SITES[rng.usize(0..words::SITES.len())].into()),
                city: Some(words::CITIES[rng.usize(0..words::CITIES.len())].into()),
                date: Some(format!(
                    "20{}-{:02}-{:02}",
                    rng.u32(21..24),
                    rng.u32(1..13),
                    rng.u32(1..29)
                )),
                participant_role: (kind == text::Kind::Interview)
                    .then(|| words::ROLES[rng.usize(0..words::ROLES.len())].into()),
                language: Some("fr".into()),
                extra: [("fictional".to_string(), toml::Value::Boolean(true))].into(),
            };
            Material {
                id,
                text,
                meta: toml::to_string(&meta).expect("metadata serialises"),
            }
        })
        .collect()
}

/// A quote for a code's examples: the first sentence of a participant's
/// line, with its `transcript:line` source.
fn quote(material: &[Material], rng: &mut Rng) -> Example {
    loop {
        let m = &material[rng.usize(0..material.len())];
        let count = m.text.lines().count();
        let n = rng.usize(0..count);
        let line = m.text.lines().nth(n).unwrap_or("");
        let body = match speaker_label(line) {
            Some("INT") => continue,
            Some(name) => line[line.find(name).unwrap_or(0) + name.len()..]
                .trim_start_matches([':', ']'])
                .trim(),
            None => line.trim(),
        };
        if body.chars().count() < 12 {
            continue;
        }
        let sentence = body
            .find(". ")
            .map_or(body, |end| &body[..=end])
            .trim()
            .to_string();
        return Example {
            quote: sentence,
            source: format!("{}:{}", m.id, n + 1),
        };
    }
}

/// Writes the study into `dir` (which must be empty or missing), calling
/// `progress` with a line of news now and then.
pub fn generate(dir: &Path, opts: &Options, progress: &mut dyn FnMut(&str)) -> Result<Report> {
    check(opts)?;
    super::init::new_folder(dir, "cbr generate")?;
    let material = material(opts);
    let lines: usize = material.iter().map(|m| m.text.lines().count()).sum();
    progress(&format!("{} transcripts, {lines} lines", material.len()));

    let (report, releases) = build(dir, opts, &material, progress)?;

    // A fresh handle, without the in-memory object store, for the tags
    // and the checkout.
    let repo = git2::Repository::open(dir)?;
    for r in &releases {
        repo.tag(
            &r.name,
            &repo.find_object(r.commit, None)?,
            &r.tagger.signature()?,
            &r.message,
            false,
        )?;
    }
    progress("checking out the working tree");
    repo.set_head(MAIN)?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    Ok(report)
}

/// Makes every commit, in memory, then writes them to disk as one pack.
fn build(
    dir: &Path,
    opts: &Options,
    material: &[Material],
    progress: &mut dyn FnMut(&str),
) -> Result<(Report, Vec<history::Release>)> {
    let repo = git::init(dir)?;
    // Build on refs only: with HEAD away from `main`, merging a suggestion
    // does not try to update a working tree that is not there yet.
    repo.set_head("refs/heads/cbr-generate-build")?;
    // Objects are kept in memory and written as one pack at the end: much
    // faster than tens of thousands of loose files, and what a long-lived
    // repository looks like after `git gc` anyway.
    let odb = repo.odb()?;
    let mempack = odb.add_new_mempack_backend(1000)?;

    let mut rng = Rng::with_seed(stream(opts.seed, Stream::Codebook, 0));
    let mut quotes = |rng: &mut Rng| quote(material, rng);
    let mut planned = codes::plan(&mut rng, opts.codes, &mut quotes);
    // About one code in seven is added by a suggestion later on: a leaf,
    // so its parent is already there.
    let mut later = Vec::new();
    for i in (0..planned.len()).rev() {
        let leaf = !planned
            .iter()
            .any(|c| c.parent.as_ref() == Some(&planned[i].id));
        if leaf && planned[i].parent.is_some() && rng.u32(0..7) == 0 {
            later.push(planned.remove(i));
        }
    }
    later.reverse();

    let coders: Vec<Slug> = (0..opts.coders)
        .map(|i| {
            let id = words::CODERS
                .get(i)
                .map_or_else(|| format!("coder-{}", i + 1), |s| s.to_string());
            Slug::new(&id).expect("coder ids are slugs")
        })
        .collect();
    let assignment = segments::assign(
        &mut Rng::with_seed(stream(opts.seed, Stream::Assign, 0)),
        opts.transcripts,
        opts.coders,
        opts.per_coder,
    );
    let mut config = StudyConfig::new("Violence au travail en réduction des risques (generated)");
    config.coders = coders.clone();
    config.blind = true;

    let lead = coders[0].clone();
    let mut work = Fieldwork::new(opts.seed, material, &coders, &lead, &assignment);
    let all_commits = opts.history + work.codings() + 20;
    let clock = Clock::new(stream(opts.seed, Stream::Clock, 0), all_commits);
    let history = History::start(
        &repo,
        stream(opts.seed, Stream::History, 0),
        clock,
        history::settings_change(config.to_toml()),
        planned,
        later,
        coders.clone(),
        opts.history,
        &mut quotes,
    )?;
    let mut last_news = 0;
    let (tally, live, mut clock) = history.run(&mut |m, clock| {
        let tenth = (m.done * 10.0) as usize;
        if tenth > last_news {
            last_news = tenth;
            progress(&format!(
                "history {:>3}%, {} of {} codings committed",
                tenth * 10,
                work.done(),
                work.codings()
            ));
        }
        work.catch_up(m, clock)
    })?;
    work.finish(&repo, &live, &mut clock)?;

    progress("writing the pack");
    let mut pack = git2::Buf::new();
    mempack.dump(&repo, &mut pack)?;
    let mut writer = odb.packwriter()?;
    std::io::Write::write_all(&mut writer, &pack).map_err(|e| StudyError::io(dir, e))?;
    writer.commit()?;
    mempack.reset()?;
    let report = Report {
        transcripts: material.len(),
        lines: material.iter().map(|m| m.text.lines().count()).sum(),
        codes: live.codes.len(),
        codings: work.codings(),
        segments: work.segments,
        codebook_commits: tally.commits,
        merged_suggestions: tally.merged,
        releases: tally.releases.len(),
        open_suggestions: tally.open,
        head: repo.refname_to_id(MAIN)?.to_string(),
    };
    Ok((report, tally.releases))
}

#[cfg(test)]
mod tests {
    use super::Options;

    #[test]
    fn scale_multiplies_transcripts_codings_and_history() {
        assert_eq!(Options::scaled(1), Options::default());
        let four = Options::scaled(4);
        assert_eq!(
            (four.transcripts, four.per_coder, four.history),
            (2000, 600, 20_000)
        );
        assert_eq!(
            (four.codes, four.coders, four.lines),
            (300, 6, 1000),
            "one team's codebook and transcripts of the same length"
        );
    }
}
