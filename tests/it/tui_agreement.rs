//! The Agreement tab on ratatui's TestBackend, driven by key events on
//! real demo studies: the table, a code's disagreements, blind coding,
//! coder pairs, and agreement per codebook release. The reconciliation
//! view has its own file, `tui_reconcile.rs`.

use crate::common;

use std::path::Path;

use codebook_review::model::Slug;
use codebook_review::model::agreement::Options;
use codebook_review::model::agreement::releases::Era;
use codebook_review::study::{Study, agreement, release_agreement};
use codebook_review::tui::keymap::Context;
use common::tui::{app_for, demo_app, keys, render, screen, settle, text};
use common::{Sandbox, assert_success};

fn s(id: &str) -> Slug {
    Slug::new(id).unwrap()
}

/// Makes the study blind with a third coder assigned who has coded nothing.
fn make_blind_with_carol(root: &Path) {
    let path = root.join("study.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let start = toml.find("coders = [").unwrap();
    let toml = format!(
        "{}coders = [\"alice\", \"bob\", \"carol\"]\n",
        toml[..start].replace("blind = false", "blind = true")
    );
    std::fs::write(&path, toml).unwrap();
}

#[test]
fn agreement_tab_shows_codes_worst_first_with_bars_and_releases() {
    let mut f = demo_app(true);
    keys(&mut f.app, "3");
    // The numbers are computed off the keystroke's path.
    let waiting = screen(&mut f.app);
    assert!(
        waiting.contains("Computing the agreement of alice and bob…"),
        "{waiting}"
    );
    settle(&mut f.app);
    let table = screen(&mut f.app);
    insta::assert_snapshot!(table);
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows[4].starts_with(" overall (30 codes)"), "{table}");
    assert!(rows[4].contains("0.594 unreliable"), "{table}");
    // Worst first among codes that can be judged; codes present on too few
    // units to judge come after, without a reading.
    assert!(
        rows[5].starts_with(" lack-of-political-support"),
        "worst first: {table}"
    );
    assert!(rows[5].contains("0.814 reliable"), "{table}");
    assert!(rows[6].starts_with(" worker-stigma"), "{table}");
    assert!(rows[6].contains("too rare"), "{table}");
    assert!(
        table.contains("All codes pooled · α 0.50–0.68 (95%), P(α<.667) 0.94"),
        "the pooled alpha's bootstrap interval: {table}"
    );
    assert!(table.contains("codebook-v1"), "{table}");
    assert!(table.contains("3 transcript(s)"), "{table}");

    // Enter on worker-stigma lists its disagreements; Enter on one opens it.
    keys(&mut f.app, "jj");
    let rare = screen(&mut f.app);
    assert!(
        rare.contains("Stigma of workers · on 4 unit(s): too rare to judge (< 10) · 3 to settle"),
        "{rare}"
    );
    keys(&mut f.app, "\n");
    let list = screen(&mut f.app);
    assert!(
        list.contains("Stigma of workers (worker-stigma): 3 disagreement(s)"),
        "{list}"
    );
    assert!(list.contains("interview-01:16-19"), "{list}");
    // Enter opens the hunk, Enter accepts who is present.
    keys(&mut f.app, "\n\n");
    assert_eq!(f.app.context(), Context::Reconcile);
    let view = screen(&mut f.app);
    assert!(view.contains("@@ interview-01:16-19 @@"), "{view}");
    // Esc goes back to the list, then to the table.
    keys(&mut f.app, "\x1b");
    assert!(screen(&mut f.app).contains("worker-stigma): 3 disagreement(s)"));
    keys(&mut f.app, "\x1b");
    assert!(screen(&mut f.app).contains("overall (30 codes)"));

    // Back from another tab, the figures are recomputed (codings may have
    // changed there), the old ones staying on screen meanwhile.
    keys(&mut f.app, "1");
    let bob2 = f.app.study.root.join("codings/bob/interview-02.toml");
    let coding = std::fs::read_to_string(&bob2).unwrap();
    std::fs::write(&bob2, coding.replace("complete = true", "complete = false")).unwrap();
    keys(&mut f.app, "3");
    let updating = screen(&mut f.app);
    assert!(updating.contains("updating…"), "{updating}");
    assert!(
        updating.contains("3 transcript(s) both completed"),
        "{updating}"
    );
    settle(&mut f.app);
    let updated = screen(&mut f.app);
    assert!(!updated.contains("updating…"), "{updated}");
    assert!(
        updated.contains("2 transcript(s) both completed"),
        "{updated}"
    );
}

#[test]
fn blind_coding_hides_the_tab_and_the_meeting_until_unblinded() {
    let f = demo_app(true);
    let root = f.app.study.root.clone();
    make_blind_with_carol(&root);
    let mut app = app_for(&root, "claire");
    keys(&mut app, "3");
    settle(&mut app);
    let hidden = screen(&mut app);
    insta::assert_snapshot!(hidden);
    assert!(hidden.contains("Hidden by blind coding"), "{hidden}");
    assert!(
        hidden.contains("interview-01: waiting for carol"),
        "{hidden}"
    );
    // Nothing of the pair's work leaks: no code, no number.
    assert!(!hidden.contains("worker-stigma"), "{hidden}");
    assert!(!hidden.contains("0.594"), "{hidden}");
    keys(&mut app, "r");
    assert_eq!(app.context(), Context::Agreement, "no meeting either");

    // U asks first; n keeps it hidden, y shows it.
    keys(&mut app, "U");
    assert!(screen(&mut app).contains("Show it anyway"));
    keys(&mut app, "n");
    settle(&mut app);
    assert!(screen(&mut app).contains("Hidden by blind coding"));
    keys(&mut app, "Uy");
    settle(&mut app);
    assert!(screen(&mut app).contains("0.594 unreliable"));

    // `cbr reconcile alice bob` on a terminal: the same refusal, unless --unblind.
    let mut app = app_for(&root, "claire");
    app.open_reconciliation(s("alice"), s("bob"), false);
    settle(&mut app);
    assert_eq!(app.context(), Context::Agreement);
    assert!(screen(&mut app).contains("waiting for carol"));
    let mut app = app_for(&root, "claire");
    app.open_reconciliation(s("alice"), s("bob"), true);
    settle(&mut app);
    assert_eq!(app.context(), Context::Reconcile);
}

#[test]
fn agreement_is_shown_under_each_codebook_release() {
    let sb = Sandbox::new();
    let root = sb.demo();
    // A revised codebook, released as codebook-v2.
    let humour = root.join("codebook/codes/humour.toml");
    let text = std::fs::read_to_string(&humour).unwrap();
    std::fs::write(
        &humour,
        text.replacen("definition = \"", "definition = \"Revised. ", 1),
    )
    .unwrap();
    sb.git(&root, &["commit", "-qam", "Sharpen humour"]);
    sb.git(&root, &["tag", "-a", "codebook-v2", "-m", "Codebook v2"]);
    // Both code interview-04 under v2; bob codes interview-03 under v2
    // while alice finishes hers, begun under v1.
    let csv = root.join("round2.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\n\
         alice,interview-04,3,6,humour,\n\
         alice,interview-04,10,12,coping,\n\
         bob,interview-04,3,5,humour,\n\
         bob,interview-04,10,12,coping,\n\
         bob,interview-04,20,21,coping,\n\
         bob,interview-03,9,11,vicarious-impact,\n",
    )
    .unwrap();
    assert_success(&sb.cbr(
        &root,
        "claire",
        &["codings", "import", "round2.csv", "--complete"],
    ));
    let alice3 = root.join("codings/alice/interview-03.toml");
    let text = std::fs::read_to_string(&alice3).unwrap();
    std::fs::write(&alice3, text.replace("complete = false", "complete = true")).unwrap();

    let study = Study::open(&root).unwrap();
    let coders = [s("alice"), s("bob")];
    let options = Options::default();
    let by = release_agreement::by_release(&study, &coders, options).unwrap();
    let labels: Vec<&str> = by.eras.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["codebook-v1", "codebook-v2"]);
    assert_eq!(by.eras[0].era, Era::Release(0));
    let names = |e: &release_agreement::EraAgreement| -> Vec<String> {
        e.transcripts.iter().map(Slug::to_string).collect()
    };
    assert_eq!(
        names(&by.eras[0]),
        ["focus-group-01", "interview-01", "interview-02"]
    );
    assert_eq!(names(&by.eras[1]), ["interview-04"]);
    assert_eq!(
        by.unplaced,
        [(
            s("interview-03"),
            "coded under codebook-v1 and codebook-v2".to_string()
        )]
    );
    // Each release's figures are those of its own transcripts.
    for era in &by.eras {
        let report = agreement::report(&study, &coders, &era.transcripts, options).unwrap();
        assert_eq!(era.overall.as_ref(), Some(&report.overall));
    }
    let v1 = by.eras[0].overall.as_ref().unwrap();
    assert_eq!(
        format!("{:.3}", v1.metrics.krippendorff_alpha.unwrap()),
        "0.594"
    );

    // The same, headless.
    let out = sb.cbr(
        &root,
        "claire",
        &["agree", "--by-release", "--format", "json"],
    );
    assert_success(&out);
    let json: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    assert_eq!(json["releases"][0]["release"], "codebook-v1");
    assert_eq!(json["releases"][1]["release"], "codebook-v2");
    assert_eq!(json["releases"][1]["transcripts"][0], "interview-04");
    let v2 = by.eras[1].overall.as_ref().unwrap();
    assert_eq!(
        json["releases"][1]["overall"]["krippendorff_alpha"].as_f64(),
        v2.metrics.krippendorff_alpha
    );
    assert_eq!(json["unplaced"][0]["transcript"], "interview-03");
    let table = common::stdout(&sb.cbr(&root, "claire", &["agree", "--by-release"]));
    assert!(
        table.contains("codebook-v2            1     24  95.8%  0.78 substantial  0.779 tentative"),
        "{table}"
    );

    let mut app = app_for(&root, "claire");
    keys(&mut app, "3");
    settle(&mut app);
    let tab = screen(&mut app);
    let chart: Vec<&str> = tab
        .lines()
        .skip_while(|l| !l.contains("By codebook release"))
        .collect();
    assert!(
        chart[1].contains("codebook-v1") && chart[1].contains("0.594"),
        "{tab}"
    );
    assert!(
        chart[2].contains("codebook-v2") && chart[2].contains("1 transcript(s)"),
        "{tab}"
    );
    assert!(
        chart[3].contains("interview-03 (coded under codebook-v1 and codebook-v2)"),
        "{tab}"
    );
}

#[test]
fn small_sizes_and_no_color_are_handled() {
    use ratatui::style::Color;
    let mut f = demo_app(false);
    keys(&mut f.app, "3");
    for (w, h) in [(0, 0), (1, 1), (60, 12)] {
        render(&f.app, w, h);
    }
    settle(&mut f.app);
    for (w, h) in [(0, 0), (1, 1), (60, 12), (61, 13)] {
        render(&f.app, w, h);
    }
    keys(&mut f.app, "j\n");
    render(&f.app, 60, 12);
    keys(&mut f.app, "\x1b");
    keys(&mut f.app, "r\n");
    for (w, h) in [(0, 0), (1, 1), (60, 12), (61, 13)] {
        render(&f.app, w, h);
    }
    // Without colour, the markers and words carry the meaning.
    let colourless = |buf: &ratatui::buffer::Buffer| {
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    };
    let view = render(&f.app, 80, 24);
    assert!(colourless(&view));
    let view = text(&view);
    assert!(view.contains("±   12 "), "{view}");
    assert!(view.contains("-   14 "), "{view}");
    keys(&mut f.app, "\x1b");
    let table = render(&f.app, 80, 24);
    assert!(colourless(&table));
    assert!(text(&table).contains("0.594 unreliable"));
}

#[test]
fn pairs_cycle_and_a_result_for_a_pair_left_behind_is_dropped() {
    let sb = Sandbox::new();
    let root = sb.demo();
    let csv = root.join("carol.csv");
    std::fs::write(
        &csv,
        "coder,transcript,start_line,end_line,code,memo\n\
         carol,interview-01,6,8,verbal-violence,\n",
    )
    .unwrap();
    assert_success(&sb.cbr(
        &root,
        "carol",
        &["codings", "import", "carol.csv", "--complete"],
    ));
    let mut app = app_for(&root, "claire");
    keys(&mut app, "3");
    settle(&mut app);
    assert!(screen(&mut app).contains("alice ⇄ bob  pair 1 of 3 (c: next pair)"));

    // The user moves on before alice/carol is computed: its result is
    // dropped when it arrives (latest wins), and only bob/carol's is shown.
    keys(&mut app, "c");
    keys(&mut app, "c");
    let still = screen(&mut app);
    assert!(still.contains("bob ⇄ carol  pair 3 of 3"), "{still}");
    assert!(
        still.contains("Computing the agreement of bob and carol"),
        "{still}"
    );
    settle(&mut app);
    let shown = screen(&mut app);
    assert!(shown.contains("1 transcript(s) both completed"), "{shown}");
    assert!(shown.contains("overall (18 codes)"), "{shown}");
    keys(&mut app, "C");
    settle(&mut app);
    assert!(screen(&mut app).contains("alice ⇄ carol  pair 2 of 3"));
}

/// Issue 18: a transcript recoded under a later release leaves the one it
/// was counted under, whose α then moves with no edit to its codings; the
/// tab says which transcript moved, and the rule behind it.
#[test]
fn the_chart_says_which_transcript_left_a_release() {
    let sb = Sandbox::new();
    let root = sb.demo();
    let humour = root.join("codebook/codes/humour.toml");
    let text = std::fs::read_to_string(&humour).unwrap();
    std::fs::write(
        &humour,
        text.replacen("definition = \"", "definition = \"Revised. ", 1),
    )
    .unwrap();
    sb.git(&root, &["commit", "-qam", "Sharpen humour"]);
    sb.git(&root, &["tag", "-a", "codebook-v2", "-m", "Codebook v2"]);
    let mut app = app_for(&root, "claire");
    keys(&mut app, "3");
    settle(&mut app);
    let before = screen(&mut app);
    assert!(!before.contains("Since last read"), "{before}");
    // bob recodes interview-02 under codebook-v2.
    std::fs::write(
        root.join("round2.csv"),
        "coder,transcript,start_line,end_line,code,memo\n\
         bob,interview-02,9,11,vicarious-impact,\n",
    )
    .unwrap();
    assert_success(&sb.cbr(
        &root,
        "claire",
        &["codings", "import", "round2.csv", "--complete"],
    ));
    keys(&mut app, "13");
    settle(&mut app);
    let after = screen(&mut app);
    insta::assert_snapshot!(after);
    assert!(
        after.contains("Since last read: interview-02: codebook-v1 → not placed"),
        "{after}"
    );
    assert!(
        after.contains(
            "A release counts a transcript only if all its segments were coded under it."
        ),
        "{after}"
    );
}
