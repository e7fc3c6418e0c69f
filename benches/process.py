#!/usr/bin/env python3
"""Whole-process figures for the real `cbr` binary on the generated study.

* Commands (`cbr check`, ...): median wall time of several runs and peak
  memory (max RSS, reported by GNU time around the command).
* The terminal UI in an 80x24 pseudo-terminal, as a person over SSH would
  run it: time to the first frame, then for keystrokes the time until the
  first byte of the answer and the bytes written until the screen is quiet,
  and the session's peak memory.

Usage: process.py --cbr target/release/cbr --study target/bench-study [--runs 5]
       process.py --scaling 1=target/bench-results 4=target/bench-results-4x
The second form prints the scaling table (time and peak memory of every
command at each scale) from the process.json and generate.txt that runs at
each scale left in those folders (`benches/run.sh --scaling` does both).
To add a command: one line in COMMANDS.
"""

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

CODER = "amina"

# (name, arguments after `cbr -C STUDY`); {code}, {old_id} and {suggestion}
# are filled in from the study (see `placeholders`).
COMMANDS = [
    ("cbr check", ["check"]),
    ("cbr check --outdated (every coder's re-check queue)", ["check", "--outdated"]),
    ("cbr recheck list (one coder's re-check queue)", ["recheck", "list"]),
    ("cbr codes --format json", ["codes", "--format", "json"]),
    ("cbr (no terminal: summary of every coder)", []),
    ("cbr agree --unblind (1,000 bootstrap resamples)", ["agree", "--unblind"]),
    ("cbr agree --unblind --bootstrap 0", ["agree", "--unblind", "--bootstrap", "0"]),
    ("cbr diff --unblind amina bastien", ["diff", "--unblind", "amina", "bastien"]),
    ("cbr log {code}", ["log", "{code}"]),
    ("cbr log (whole codebook history)", ["log"]),
    ("cbr suggest show {suggestion}", ["suggest", "show", "{suggestion}"]),
    ("cbr matrix --by city --unblind", ["matrix", "--by", "city", "--unblind"]),
    ("cbr cooccur --unblind (every code)", ["cooccur", "--unblind"]),
    ("cbr report --unblind --format html", ["report", "--unblind", "--format", "html"]),
]

# The same measurement of git itself, for comparison: the history of the
# same code's file, under its current id and the id it had before its rename
# (cbr follows renames through aliases).
GIT_COMMANDS = [
    ("git log --oneline -- codes/{code}.toml codes/{old_id}.toml",
     ["log", "--oneline", "--", "codebook/codes/{code}.toml", "codebook/codes/{old_id}.toml"]),
    ("git log --oneline -- codes/{code}.toml",
     ["log", "--oneline", "--", "codebook/codes/{code}.toml"]),
]


def placeholders(study):
    """A renamed code (its first alias is its old id) and the open suggestion."""
    values = {}
    for path in sorted((Path(study) / "codebook" / "codes").glob("*.toml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("aliases") and '"' in line:
                values["code"], values["old_id"] = path.stem, line.split('"')[1]
                break
        if values:
            break
    if not values:  # a small study may have no renamed code: any code will do
        first = min((Path(study) / "codebook" / "codes").glob("*.toml"))
        values["code"] = values["old_id"] = first.stem
    branches = subprocess.run(
        ["git", "-C", study, "for-each-ref", "--format=%(refname:short)", "refs/heads/suggest/"],
        capture_output=True, text=True, check=True).stdout.split()
    values["suggestion"] = branches[0] if branches else "none"
    return values


def fill(args, values):
    return [a.format(**values) for a in args]


def env():
    e = dict(os.environ)
    e.update({"CBR_CODER": CODER, "TERM": "xterm-256color", "LC_ALL": "C.UTF-8"})
    e.pop("NO_COLOR", None)
    return e


# Peak memory is read by GNU time, not from this script's wait4: Linux
# starts a child's max RSS at its parent's size when it executes (Python
# starts children with vfork), so wait4 reported this script's own memory
# (20 to 130 MiB) for commands that use less. GNU time is a small process
# that forks the command, so its figure is the command's own.
GNU_TIME = "/usr/bin/time"


def measured(argv, report):
    """`argv` under GNU time, which writes the peak RSS (KiB) to `report`."""
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit(f"{GNU_TIME} not found: peak memory needs GNU time (apt install time)")
    return [GNU_TIME, "-f", "%M", "-o", report, *argv]


def peak_kib(report):
    """The figure GNU time wrote (its last line; a failing command's status
    line comes before it)."""
    return int(Path(report).read_text(encoding="utf-8").split()[-1])


def run_command(argv, runs):
    times, rss = [], []
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "peak")
        for _ in range(runs):
            start = time.perf_counter()
            proc = subprocess.Popen(
                measured(argv, report),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env(),
            )
            _, status, _ = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            rss.append(peak_kib(report))
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode not in (0, 1):
                sys.exit(f"{' '.join(argv)} failed with exit code {proc.returncode}")
    return statistics.median(times), max(rss)


class Tui:
    """`cbr` in a pseudo-terminal of 80x24."""

    def __init__(self, cbr, study):
        state = Path(study) / ".git" / f"cbr-ui-{CODER}.toml"
        state.unlink(missing_ok=True)  # start from the transcript list
        self.state = state
        self.report = tempfile.NamedTemporaryFile(prefix="cbr-peak-", delete=False).name
        argv = measured([cbr, "-C", study], self.report)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.execve(argv[0], argv, env())
        self.pid, self.fd = pid, fd

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.fd, 65536)
        except OSError:
            return b""

    def until(self, needle, limit=30.0):
        """Reads until `needle` has been seen; returns the time it arrived."""
        seen = b""
        deadline = time.perf_counter() + limit
        while needle not in seen:
            if time.perf_counter() > deadline:
                sys.exit(f"the TUI never showed {needle!r}")
            seen += self.read(0.5)
        return time.perf_counter()

    def quiet(self, gap):
        """Reads until nothing came for `gap` seconds; returns the bytes."""
        out = b""
        while True:
            chunk = self.read(gap)
            if not chunk:
                return out
            out += chunk

    def key(self, keys, gap=0.15):
        """Sends keys; returns (seconds to the first byte back, bytes until quiet)."""
        sent = time.perf_counter()
        os.write(self.fd, keys)
        first = self.read(5.0)
        latency = time.perf_counter() - sent
        return latency, len(first) + len(self.quiet(gap))

    def close(self):
        os.write(self.fd, b"q")
        self.quiet(0.3)
        os.wait4(self.pid, 0)
        os.close(self.fd)
        self.state.unlink(missing_ok=True)
        rss = peak_kib(self.report)
        os.unlink(self.report)
        return rss


def coded_interview(study):
    """Index in the transcript list of the first interview the coder coded."""
    names = sorted(p.stem for p in (Path(study) / "transcripts").glob("*.txt"))
    mine = {p.stem for p in (Path(study) / "codings" / CODER).glob("*.toml")}
    for i, name in enumerate(names):
        if name.startswith("interview") and name in mine:
            return i, name
    sys.exit(f"{CODER} has coded no interview in {study}")


def tui_session(cbr, study):
    tui = Tui(cbr, study)
    first = tui.until(b"your progress as") - tui.started
    # The session's peak must include the background work it starts: wait
    # for the re-check count the transcript list shows (a session that quit
    # before its background reads once reported 83 MiB for a 933 MiB peak).
    recheck = tui.until(b"to re-check", limit=120.0) - tui.started
    tui.quiet(1.0)  # progress and everyone's codings arrive behind it
    index, name = coded_interview(study)
    os.write(tui.fd, b"j" * index)
    tui.quiet(0.5)
    tui.key(b"\r", gap=0.5)
    moves = [tui.key(b"j") for _ in range(100)]
    pages = [tui.key(b"\x1b[6~") for _ in range(20)]
    tui.key(b"/", gap=0.3)
    os.write(tui.fd, b"tesson")
    tui.quiet(0.3)
    search = [tui.key(b"\r")] + [tui.key(b"n") for _ in range(19)]
    rss = tui.close()
    return {
        "transcript": name,
        "first_frame_s": first,
        "recheck_count_s": recheck,
        "cursor": moves,
        "page_down": pages,
        "search": search,
        "peak_rss_kib": rss,
    }


def generation(folder):
    """(seconds, KiB) of `cbr generate` from generate.txt, if it was timed."""
    path = Path(folder) / "generate.txt"
    if not path.is_file():
        return None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("generated in "):
            words = line.split()
            return float(words[2]), int(words[-2])
    return None


def scaling_table(pairs):
    """Prints one row per command, time and peak memory at each scale."""
    scales = []
    for pair in pairs:
        scale, _, folder = pair.partition("=")
        if not folder:
            sys.exit(f"--scaling takes SCALE=FOLDER, not {pair!r}")
        figures = json.loads((Path(folder) / "process.json").read_text(encoding="utf-8"))
        scales.append((scale, folder, figures))
    rows = {}
    for scale, folder, figures in scales:
        for name, f in figures["commands"].items():
            rows.setdefault(f.get("row", name), {})[scale] = (f["median_s"], f["peak_rss_kib"])
        if figures["tui"]:
            sessions = figures["tui"]
            rows.setdefault("`cbr` TUI: first frame in a pty (whole session's peak)", {})[scale] = (
                statistics.median(s["first_frame_s"] for s in sessions),
                max(s["peak_rss_kib"] for s in sessions))
            rows.setdefault("`cbr` TUI: re-check count shown", {})[scale] = (
                statistics.median(s["recheck_count_s"] for s in sessions), None)
        generated = generation(folder)
        if generated:
            rows.setdefault("`cbr generate --scale N`", {})[scale] = (generated[0], generated[1])
    names = [s for s, _, _ in scales]
    print("| whole process | " + " | ".join(f"{n}× time | {n}× peak" for n in names) + " |")
    print("|---|" + "---|---|" * len(names))
    for name, by_scale in rows.items():
        cells = []
        for n in names:
            t, rss = by_scale.get(n, (None, None))
            cells.append("" if t is None else (f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"))
            cells.append("" if rss is None else f"{rss / 1024:.0f} MiB")
        print(f"| {name if name.startswith('`') else '`' + name + '`'} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scaling", nargs="+", metavar="SCALE=FOLDER",
                        help="print the scaling table from earlier runs' results, and stop")
    parser.add_argument("--cbr")
    parser.add_argument("--study")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    parser.add_argument("--sessions", type=int, default=3, help="TUI sessions (0: commands only)")
    parser.add_argument("--json", help="also write the figures here")
    a = parser.parse_args()
    if a.scaling:
        scaling_table(a.scaling)
        return
    if not (a.cbr and a.study):
        parser.error("--cbr and --study are required (or --scaling)")
    cbr, study = os.path.abspath(a.cbr), os.path.abspath(a.study)

    results = {"commands": {}, "tui": []}
    print("| whole process | median | peak memory |")
    print("|---|---|---|")
    values = placeholders(study)
    runs = [(n, [cbr, "-C", study, *fill(args, values)]) for n, args in COMMANDS]
    runs += [(n, ["git", "-C", study, *fill(args, values)]) for n, args in GIT_COMMANDS]
    for row, argv in runs:
        name = row.format(**values)
        t, rss = run_command(argv, a.runs)
        # `row` names the measurement the same way at every scale.
        results["commands"][name] = {"median_s": t, "peak_rss_kib": rss, "row": row}
        print(f"| `{name}` | {t * 1000:.0f} ms | {rss / 1024:.0f} MiB |")

    if a.sessions == 0:
        if a.json:
            Path(a.json).write_text(json.dumps(results, indent=1))
        return
    sessions = [tui_session(cbr, study) for _ in range(a.sessions)]
    results["tui"] = sessions
    firsts = [s["first_frame_s"] for s in sessions]
    rss = max(s["peak_rss_kib"] for s in sessions)
    counts = [s["recheck_count_s"] for s in sessions]
    print(f"| `cbr` TUI: first frame in a pty | {statistics.median(firsts) * 1000:.0f} ms |"
          f" {rss / 1024:.0f} MiB (whole session) |")
    print(f"| `cbr` TUI: re-check count shown | {statistics.median(counts) * 1000:.0f} ms | |")
    print()
    print(f"TUI keystrokes on {sessions[0]['transcript']} (80x24, {a.sessions} sessions):")
    print()
    print("| keystroke | latency median | bytes median | bytes mean | bytes max |")
    print("|---|---|---|---|---|")
    for label, key in [("cursor down (j)", "cursor"), ("page down", "page_down"),
                       ("search: Enter, then n", "search")]:
        samples = [x for s in sessions for x in s[key]]
        lat = statistics.median(x[0] for x in samples) * 1000
        sizes = [x[1] for x in samples]
        print(f"| {label} | {lat:.1f} ms | {statistics.median(sizes):.0f} |"
              f" {statistics.mean(sizes):.0f} | {max(sizes)} |")
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
