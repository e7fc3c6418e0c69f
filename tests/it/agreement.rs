//! `cbr codings import` → `cbr agree --format json`, on hand-computed
//! cases: every value below is worked out in the comments.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Sandbox, assert_success, stderr, stdout};
use serde_json::Value;

/// Lines 1–6, line 3 blank: five units.
const T1: &str = "l1\nl2\n\nl4\nl5\nl6\n";
const T2: &str = "a\nb\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A study with codes x, y, p and its child c (alias old-c), transcripts
/// t1 and t2, all committed.
fn study(sb: &Sandbox) -> PathBuf {
    let dir = sb.path().join("study");
    assert_success(&sb.cbr(sb.path(), "alice", &["init", dir.to_str().unwrap()]));
    for (id, extra) in [
        ("x", ""),
        ("y", ""),
        ("p", ""),
        ("c", "parent = \"p\"\naliases = [\"old-c\"]\n"),
    ] {
        write(
            &dir,
            &format!("codebook/codes/{id}.toml"),
            &format!("id = \"{id}\"\nname = \"{id}\"\ndefinition = \"d\"\n{extra}"),
        );
    }
    write(&dir, "transcripts/t1.txt", T1);
    write(&dir, "transcripts/t2.txt", T2);
    sb.git(&dir, &["add", "-A"]);
    sb.git(&dir, &["commit", "-qm", "fixture"]);
    dir
}

fn import(sb: &Sandbox, dir: &Path, csv: &str, complete: bool) {
    let file = sb.path().join("rows.csv");
    std::fs::write(&file, csv).unwrap();
    let mut args = vec!["codings", "import", file.to_str().unwrap()];
    if complete {
        args.push("--complete");
    }
    assert_success(&sb.cbr(dir, "alice", &args));
}

fn agree(sb: &Sandbox, dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["agree", "--format", "json"];
    args.extend(extra);
    let out = sb.cbr(dir, "alice", &args);
    assert_success(&out);
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn code<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == id)
        .unwrap_or_else(|| panic!("no code {id} in {report}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// The value is `expected` up to the last bit or two that JSON's decimal
/// text and serde_json's fast float parsing may cost.
fn is(v: &Value, expected: f64) {
    let got = num(v);
    assert!(
        (got - expected).abs() <= 1e-15,
        "got {got}, expected {expected}"
    );
}

const TWO_CODERS: &str = "coder,transcript,start_line,end_line,code,memo
alice,t1,1,2,x,
alice,t1,4,4,y,
bob,t1,2,4,x,\"spans the blank line, which is no unit\"
bob,t1,5,5,y,
";

#[test]
fn imported_codings_give_hand_computed_agreement() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    import(&sb, &dir, TWO_CODERS, true);
    let r = agree(&sb, &dir, &[]);
    assert_eq!(r["unit"], "line");
    assert_eq!(r["coders"], serde_json::json!(["alice", "bob"]));
    assert_eq!(r["transcripts"], serde_json::json!(["t1"]));
    assert_eq!(r["skipped"], serde_json::json!(["t2"]));
    assert_eq!(r["rollup"], false);
    assert_eq!(r["coded_only"], false);
    // Units 1 2 4 5 6.  x: alice 1 1 0 0 0, bob 0 1 1 0 0.
    let x = code(&r, "x");
    assert_eq!(x["units"], 5);
    // Agree on units 2, 5, 6.
    is(&x["percent_agreement"], 3.0 / 5.0);
    // Marginals (2 present, 3 absent) each: pₑ·25 = 4 + 9 = 13,
    // κ = (5·3 − 13) / (25 − 13) = 2/12.
    is(&x["cohen_kappa"]["alice/bob"], 1.0 / 6.0);
    // α: 10 values, four 1s and six 0s; Σ o_cc = 2 + 2 + 2 = 6:
    // (9·6 − (4·3 + 6·5)) / (10·9 − 42) = 12/48.
    is(&x["krippendorff_alpha"], 0.25);
    // y: alice 0 0 1 0 0, bob 0 0 0 1 0: agree 3/5, pₑ·25 = 1 + 16,
    // κ = (15 − 17)/(25 − 17); α = (9·6 − (2 + 56)) / (90 − 58).
    let y = code(&r, "y");
    is(&y["percent_agreement"], 3.0 / 5.0);
    is(&y["cohen_kappa"]["alice/bob"], -0.25);
    is(&y["krippendorff_alpha"], -4.0 / 32.0);
    // Pooled 10 (unit, code) pairs: both 1 ×1, both 0 ×5, split ×4.
    // κ = (10·6 − (9 + 49)) / (100 − 58) = 2/42; Scott's π = Fleiss with
    // two coders: P̄ = 0.6, Pₑ = 0.3² + 0.7² → 0.02/0.42;
    // α = (19·12 − (6·5 + 14·13)) / (20·19 − 212) = 16/168.
    let o = &r["overall"];
    assert_eq!(o["units"], 5);
    assert_eq!(o["unit_code_pairs"], 10);
    is(&o["percent_agreement"], 6.0 / 10.0);
    is(&o["cohen_kappa"]["alice/bob"], 2.0 / 42.0);
    is(&o["fleiss_kappa"], 1.0 / 21.0);
    is(&o["krippendorff_alpha"], 16.0 / 168.0);

    // Coder order names the pairs.
    let swapped = agree(&sb, &dir, &["--coders", "bob,alice"]);
    assert_eq!(swapped["coders"], serde_json::json!(["bob", "alice"]));
    is(&code(&swapped, "x")["cohen_kappa"]["bob/alice"], 1.0 / 6.0);

    // --coded-only drops unit 6, which nobody coded: x over 1 2 4 5,
    // agree on 2 and 5; κ = (4·2 − 8)/(16 − 8) = 0; α = (7·4 − 24)/(56 − 24).
    let coded = agree(&sb, &dir, &["--coded-only"]);
    assert_eq!(coded["coded_only"], true);
    let x = code(&coded, "x");
    assert_eq!(x["units"], 4);
    is(&x["percent_agreement"], 0.5);
    is(&x["cohen_kappa"]["alice/bob"], 0.0);
    is(&x["krippendorff_alpha"], 0.125);

    // The table says what was counted and reads the values.
    let out = sb.cbr(&dir, "alice", &["agree", "--coded-only"]);
    assert_success(&out);
    let table = stdout(&out);
    assert!(
        table.contains("Agreement of alice, bob on 1 transcript(s): t1"),
        "{table}"
    );
    assert!(
        table.contains("only units someone coded (--coded-only)"),
        "{table}"
    );
    // x is judged present on 3 units, y on 2: too few to judge.
    assert!(table.contains("too rare to judge"), "{table}");
    assert!(!table.contains("0.125"), "{table}");
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with(['x', 'y']))
        .collect();
    assert!(rows[0].starts_with('y'), "worst first: {rows:?}");

    // CSV: one row per code after the overall row, empty cell for undefined.
    let out = sb.cbr(&dir, "alice", &["agree", "--format", "csv"]);
    let csv = stdout(&out);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "code,units,percent_agreement,cohen_kappa:alice/bob,fleiss_kappa,krippendorff_alpha,\
             gwet_ac1,gwet_ac1:alice/bob,alpha_ci_low,alpha_ci_high,p_below_min,present_units,too_rare"
        )
    );
    assert!(lines.next().unwrap().starts_with("(overall),5,0.6,"));
}

#[test]
fn unfinished_coding_is_missing_and_finished_empty_coding_is_absent() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    import(&sb, &dir, TWO_CODERS, true);
    // carol started t1 (x on line 6) but has not completed it.
    import(
        &sb,
        &dir,
        "coder,transcript,start_line,end_line,code\ncarol,t1,6,6,x\n",
        false,
    );
    let r = agree(&sb, &dir, &[]);
    assert_eq!(r["coders"], serde_json::json!(["alice", "bob", "carol"]));
    assert_eq!(
        r["missing"],
        serde_json::json!([{"coder": "carol", "transcript": "t1"}])
    );
    let x = code(&r, "x");
    // carol's values are missing: alpha is alice and bob's, and no unit
    // has all three coders, so Fleiss' kappa is undefined.
    is(&x["krippendorff_alpha"], 0.25);
    assert_eq!(x["fleiss_kappa"], Value::Null);
    assert_eq!(x["cohen_kappa"]["alice/carol"], Value::Null);
    is(&x["cohen_kappa"]["alice/bob"], 1.0 / 6.0);

    // carol completes t1 having applied nothing: a row without a code.
    import(
        &sb,
        &dir,
        "coder,transcript,start_line,end_line,code,memo\ncarol,t1,,,,\n",
        true,
    );
    let r = agree(&sb, &dir, &[]);
    assert_eq!(r["missing"], serde_json::json!([]));
    let x = code(&r, "x");
    // Units (alice, bob, carol): (1,0,0) (1,1,0) (0,1,0) (0,0,0) (0,0,0).
    // α: 15 values, four 1s; Σ o_cc = (2 + 2 + 2 + 6 + 6)/2 = 9:
    // (14·9 − (12 + 110)) / (15·14 − 122) = 4/88.
    is(&x["krippendorff_alpha"], 4.0 / 88.0);
    // Fleiss: A = 18 agreeing ordered pairs, T = 15, Q = 4² + 11² = 137:
    // (18·15 − 137·2) / (2·(225 − 137)) = −4/176.
    is(&x["fleiss_kappa"], -4.0 / 176.0);
    // Every pair agrees on 3 of 5 units.
    assert!((num(&x["percent_agreement"]) - 0.6).abs() < 1e-12);
    is(&x["cohen_kappa"]["bob/carol"], 0.0);
}

#[test]
fn rollup_counts_a_child_code_for_its_parent() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    // alice applied the child through its old id; bob the parent.
    import(
        &sb,
        &dir,
        "coder,transcript,start_line,end_line,code,memo\nalice,t2,1,1,old-c,\nbob,t2,1,1,p,\n",
        true,
    );
    let flat = agree(&sb, &dir, &["--transcripts", "t2"]);
    let codes: Vec<&str> = flat["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["c", "p"], "the alias resolves to c");
    // p without roll-up: alice 0 0, bob 1 0 → agree 1/2; pₑ·4 = 0·1 + 2·1,
    // κ = (2 − 2)/(4 − 2) = 0; α = (3·2 − 6)/(12 − 6) = 0.
    let p = code(&flat, "p");
    is(&p["percent_agreement"], 0.5);
    is(&p["cohen_kappa"]["alice/bob"], 0.0);
    is(&p["krippendorff_alpha"], 0.0);
    // c: bob never applied it; both absent on unit 2.
    is(&code(&flat, "c")["percent_agreement"], 0.5);

    let up = agree(&sb, &dir, &["--transcripts", "t2", "--rollup"]);
    assert_eq!(up["rollup"], true);
    let p = code(&up, "p");
    is(&p["percent_agreement"], 1.0);
    is(&p["cohen_kappa"]["alice/bob"], 1.0);
    is(&p["krippendorff_alpha"], 1.0);
    // With one code present everywhere it is applied and absent elsewhere
    // for both, agreement is perfect; where nothing varies it is undefined.
    let only_unit_1 = agree(
        &sb,
        &dir,
        &["--transcripts", "t2", "--rollup", "--coded-only"],
    );
    let p = code(&only_unit_1, "p");
    assert_eq!(p["units"], 1);
    is(&p["percent_agreement"], 1.0);
    assert_eq!(p["cohen_kappa"]["alice/bob"], Value::Null);
    assert_eq!(p["krippendorff_alpha"], Value::Null);
}

#[test]
fn agree_refuses_unknown_coders_and_transcripts() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    import(&sb, &dir, TWO_CODERS, true);
    let out = sb.cbr(&dir, "alice", &["agree", "--coders", "alice,zoe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no codings by `zoe`"),
        "{}",
        stderr(&out)
    );
    let out = sb.cbr(&dir, "alice", &["agree", "--transcripts", "nope"]);
    assert!(
        stderr(&out).contains("no transcript `nope`"),
        "{}",
        stderr(&out)
    );
    let out = sb.cbr(&dir, "alice", &["agree", "--coders", "alice"]);
    assert!(
        stderr(&out).contains("at least two coders"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn gwet_ac1_intervals_rare_and_unused_codes() {
    let sb = Sandbox::new();
    let dir = study(&sb);
    import(&sb, &dir, TWO_CODERS, true);
    let r = agree(&sb, &dir, &[]);
    // x: alice 1 1 0 0 0, bob 0 1 1 0 0. pₐ = 3/5; π₁ = (½ + 1 + ½)/5 =
    // 0.4, pₑ = 2·0.4·0.6 = 0.48; AC1 = 0.12/0.52 = 3/13.
    let x = code(&r, "x");
    is(&x["gwet_ac1"], 3.0 / 13.0);
    is(&x["gwet_ac1_pairs"]["alice/bob"], 3.0 / 13.0);
    // Pooled: both 1 ×1, both 0 ×5, split ×4: pₐ = 0.6, π₁ = (1 + 2)/10,
    // pₑ = 2·0.3·0.7 = 0.42; AC1 = 0.18/0.58 = 9/29.
    is(&r["overall"]["gwet_ac1"], 9.0 / 29.0);
    // Present for someone on 3 units (x), 2 (y), 4 (any code): rare.
    assert_eq!(x["present_units"], 3);
    assert_eq!(x["too_rare"], true);
    assert_eq!(r["overall"]["present_units"], 4);
    assert_eq!(r["rare_below"], 10);
    // p and c are in the codebook; nobody applied them.
    assert_eq!(r["unused"], serde_json::json!(["c", "p"]));
    // The default bootstrap: 1000 resamples, seed 1, 95 %, minimum 0.667.
    assert_eq!(
        r["bootstrap"],
        serde_json::json!({"draws": 1000, "seed": 1, "level": 0.95, "alpha_min": 0.667})
    );
    let ci = x["alpha_ci"].as_array().unwrap();
    assert!(num(&ci[0]) <= 0.25 && 0.25 <= num(&ci[1]), "{ci:?}");
    let p = num(&x["p_below_min"]);
    assert!(p > 0.5 && p <= 1.0, "{p}");
    // Same study, same seed: same interval; another seed, another one.
    assert_eq!(agree(&sb, &dir, &[])["codes"], r["codes"]);
    let other = agree(&sb, &dir, &["--seed", "7", "--level", "0.5"]);
    assert_ne!(code(&other, "x")["alpha_ci"], x["alpha_ci"]);
    let off = agree(&sb, &dir, &["--bootstrap", "0"]);
    assert_eq!(code(&off, "x")["alpha_ci"], Value::Null);
    assert_eq!(off["overall"]["p_below_min"], Value::Null);
    // The table names the codes nobody applied; bad values are refused.
    let out = sb.cbr(&dir, "alice", &["agree"]);
    assert!(stdout(&out).contains("Nobody applied (2, left out of every figure): c, p"));
    let out = sb.cbr(&dir, "alice", &["agree", "--level", "95"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("a level between 0 and 1"),
        "{}",
        stderr(&out)
    );
}
