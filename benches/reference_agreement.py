#!/usr/bin/env python3
"""Krippendorff's alpha from cbr beside the PyPI `krippendorff` package.

Rebuilds the reliability data straight from the study's files, as
docs/agreement.md defines it (line units: every non-blank line; a coder's
value is 1 if one of their segments whose code resolves to the code covers
the line, 0 if not, missing if their coding is not complete; a transcript
counts when two coders completed it), hands it to `krippendorff.alpha`
(nominal) and prints both values, their difference and the ratio of times.

Usage:
  reference_agreement.py --cbr target/release/cbr --study STUDY \\
      [--codes N] [--pooled-transcripts M]

* per code: the N codes cbr lists first (worst alpha first) and the N it
  lists last, over the whole study;
* pooled: the overall alpha over every (unit, code) pair, on the first M
  counted transcripts (the whole study's pooled data is 6 x 100 million
  values, more than the package can hold in memory; cbr is given the same
  transcripts). M = 0: every counted transcript.

Exits 0 with a message when numpy or krippendorff is not installed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

try:
    import krippendorff
    import numpy as np
except ImportError as missing:
    print(f"skipped: the reference comparison needs numpy and krippendorff ({missing.name} "
          "is not installed): pip install krippendorff numpy")
    sys.exit(0)

CONSENSUS = "consensus"


def resolver(study):
    """A function from a segment's code id to the id it counts as today (or None)."""
    codes = {}
    for path in (study / "codebook" / "codes").glob("*.toml"):
        if not path.stem.startswith("."):
            codes[path.stem] = tomllib.loads(path.read_text(encoding="utf-8"))
    alias = {a: cid for cid, c in codes.items() for a in c.get("aliases", [])}

    def resolve(cid):
        seen = set()
        while cid not in seen:
            seen.add(cid)
            if cid not in codes:
                if cid not in alias:
                    return None
                cid = alias[cid]
                continue
            target = codes[cid].get("merged_into")
            if codes[cid].get("status") == "merged" and target:
                cid = target
                continue
            return cid
        return None  # a cycle

    return resolve


def units(path):
    """0-based indices of the non-blank lines of a transcript."""
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [i for i, line in enumerate(lines) if line.removesuffix("\r").strip()]


def load(study, transcripts=None):
    """Per counted transcript: its units and, per coder, None (missing) or
    {code: set of covered 0-based lines}."""
    resolve = resolver(study)
    coders = sorted(p.name for p in (study / "codings").iterdir()
                    if p.is_dir() and p.name != CONSENSUS)
    names = transcripts or sorted(p.stem for p in (study / "transcripts").glob("*.txt"))
    data = []
    for name in names:
        row = {}
        for coder in coders:
            path = study / "codings" / coder / f"{name}.toml"
            if not path.is_file():
                row[coder] = None
                continue
            coding = tomllib.loads(path.read_text(encoding="utf-8"))
            if not coding.get("complete", False):
                row[coder] = None
                continue
            covered = {}
            for seg in coding.get("segments", []):
                code = resolve(seg["code"])
                if code is not None:
                    covered.setdefault(code, set()).update(
                        range(seg["start_line"] - 1, seg["end_line"]))
            row[coder] = covered
        if sum(v is not None for v in row.values()) >= 2:
            data.append((name, units(study / "transcripts" / f"{name}.txt"), row))
    return coders, data


def value_counts(coders, data, codes):
    """The (unit, value) count matrix krippendorff takes: one row per
    (unit, code), columns 0 and 1."""
    blocks = []
    for _, unit_lines, row in data:
        lines = np.array(unit_lines, dtype=np.int64)
        for code in codes:
            ones = np.zeros(len(lines), dtype=np.int64)
            judged = 0
            for coder in coders:
                covered = row[coder]
                if covered is None:
                    continue
                judged += 1
                if code in covered:
                    ones += np.isin(lines, list(covered[code]))
            blocks.append(np.stack([judged - ones, ones], axis=1))
    return np.concatenate(blocks)


def cbr_agree(cbr, study, transcripts):
    start = time.perf_counter()
    only = ["--transcripts", ",".join(transcripts)] if transcripts else []
    out = subprocess.run(
        # No bootstrap: the package computes alpha only, so time the same.
        [cbr, "-C", str(study), "agree", "--unblind", "--unit", "line", "--format", "json",
         "--bootstrap", "0", *only],
        capture_output=True, text=True, check=True,
        env={**os.environ, "CBR_CODER": "bench"}).stdout
    return json.loads(out), time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cbr", required=True)
    parser.add_argument("--study", required=True)
    parser.add_argument("--codes", type=int, default=3)
    parser.add_argument("--pooled-transcripts", type=int, default=0)
    a = parser.parse_args()
    study, cbr = Path(a.study).resolve(), os.path.abspath(a.cbr)

    report, cbr_s = cbr_agree(cbr, study, [])
    listed = report["codes"]
    chosen = listed[:a.codes] + listed[-a.codes:] if len(listed) > 2 * a.codes else listed

    t0 = time.perf_counter()
    coders, data = load(study)
    read_s = time.perf_counter() - t0
    print(f"{study.name}: {len(data)} counted transcripts, coders {', '.join(coders)}")
    print()
    print("| code | units | alpha (cbr) | alpha (krippendorff) | difference |")
    print("|---|---|---|---|---|")
    worst, alpha_s = 0.0, 0.0
    for entry in chosen:
        counts = value_counts(coders, data, [entry["code"]])
        t = time.perf_counter()
        ref = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
        alpha_s += time.perf_counter() - t
        ours = entry["krippendorff_alpha"]
        diff = abs(ours - ref) if ours is not None else float("nan")
        worst = max(worst, diff)
        print(f"| {entry['code']} | {len(counts)} | {ours:.12f} | {ref:.12f} | {diff:.1e} |")

    # Pooled, on the first transcripts only (the same ones for both).
    pooled = data[:a.pooled_transcripts] if a.pooled_transcripts else data
    names = [name for name, _, _ in pooled]
    sub, sub_s = cbr_agree(cbr, study, names) if a.pooled_transcripts else (report, cbr_s)
    codes = [c["code"] for c in sub["codes"]]
    t = time.perf_counter()
    counts = value_counts(coders, pooled, codes)
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    ref = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
    pooled_s = time.perf_counter() - t
    ours = sub["overall"]["krippendorff_alpha"]
    worst = max(worst, abs(ours - ref))
    print(f"| (overall, {len(names)} transcripts, {len(codes)} codes) | {len(counts)} |"
          f" {ours:.12f} | {ref:.12f} | {abs(ours - ref):.1e} |")
    print()
    print(f"largest difference: {worst:.1e}")
    print()
    print("| time | cbr agree (whole process: every code, every statistic) |"
          " Python: read the files | krippendorff.alpha |")
    print("|---|---|---|---|")
    print(f"| whole study, {len(chosen)} codes | {cbr_s * 1000:.0f} ms for {len(listed)} codes |"
          f" {read_s * 1000:.0f} ms | {alpha_s * 1000:.0f} ms for {len(chosen)} codes"
          f" ({alpha_s / len(chosen) * 1000:.1f} ms a code; x{len(listed)}: "
          f"{alpha_s / len(chosen) * len(listed) / cbr_s:.1f} x cbr's time) |")
    print(f"| pooled, {len(names)} transcripts | {sub_s * 1000:.0f} ms |"
          f" {build_s * 1000:.0f} ms building the counts | {pooled_s * 1000:.0f} ms"
          f" ({pooled_s / sub_s:.1f} x cbr's time) |")
    if worst > 1e-9:
        sys.exit(f"the values differ by {worst:.1e}")


if __name__ == "__main__":
    main()
