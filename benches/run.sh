#!/usr/bin/env bash
# Runs every benchmark of docs/performance.md with one command:
#
#   benches/run.sh            # all of them
#   benches/run.sh --regenerate   # first rebuild the generated study
#
# The large study is generated once into target/bench-study (or
# $CBR_BENCH_STUDY) with `cbr generate`; results go to target/bench-results.
set -euo pipefail
cd "$(dirname "$0")/.."

study="${CBR_BENCH_STUDY:-target/bench-study}"
out=target/bench-results
mkdir -p "$out"

cargo build --release --locked
if [ "${1:-}" = "--regenerate" ]; then
    rm -rf "$study"
fi
if [ ! -f "$study/study.toml" ]; then
    echo "== generating the large study in $study"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "generated in %e s, peak %M KiB" \
            target/release/cbr generate "$study" 2>&1 | tee "$out/generate.txt"
    else
        target/release/cbr generate "$study" 2>&1 | tee "$out/generate.txt"
    fi
fi
export CBR_BENCH_STUDY="$(cd "$study" && pwd)"

{
    echo "cores: $(nproc)"
    grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /cpu: /'
    grep -m1 'cpu MHz' /proc/cpuinfo | sed 's/.*: /MHz: /'
    free -h | awk '/^Mem:/ {print "memory: " $2}'
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    rustc --version
} | tee "$out/machine.txt"

echo "== in-process benchmarks (divan; medians)"
cargo bench --locked --bench study --bench commands --bench tui | tee "$out/divan.txt"

echo "== bytes written to the terminal per keystroke"
cargo bench --locked --bench terminal_bytes | tee "$out/terminal-bytes.md"

echo "== whole process: the real binary, and the TUI in a pseudo-terminal"
if command -v python3 >/dev/null; then
    python3 benches/process.py --cbr target/release/cbr --study "$study" \
        --json "$out/process.json" | tee "$out/process.md"
else
    echo "python3 not found: skipping the whole-process figures (benches/process.py)"
fi

echo "== agreement beside the reference implementation (PyPI krippendorff)"
if command -v python3 >/dev/null; then
    demo="$out/demo-study"
    rm -rf "$demo"
    CBR_CODER=bench target/release/cbr demo "$demo" --no-tui >/dev/null
    { python3 benches/reference_agreement.py --cbr target/release/cbr --study "$demo"
      echo
      python3 benches/reference_agreement.py --cbr target/release/cbr --study "$study" \
          --codes 3 --pooled-transcripts 10
    } | tee "$out/reference-agreement.md"
else
    echo "python3 not found: skipping the reference comparison (benches/reference_agreement.py)"
fi
echo "== results in $out"
